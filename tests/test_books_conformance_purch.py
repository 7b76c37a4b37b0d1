"""Purchase-side fields served for the conformance run (issue 13): what Zoho's documents (errata applied,
tests/conformance/errata/purchases.py) give expenses, recurring expenses, vendor credits, vendor payments,
purchase orders and bills, asserted on a seeded record and on one written through the API, in both modes.

- Expense and recurring-expense creates answer HTTP 200 (expenses.yml, recurring-expenses.yml).
- A recurring expense list's page_context repeats ``filter_by`` and ``search_text``, the expenses a profile
  made too; UK organisations serve its acquisition / reverse-charge VAT fields, others do not.
- A vendor credit carries its tax rows and each line its ``stock_on_hand``.
- A vendor payment's ``check_details`` is one object (a check's number, status, memo, amount in words;
  empty values when not paid by check) and its ``billing_address`` the vendor's.
"""
from __future__ import annotations

import re
import uuid

from tests.books_helpers import world

from mock_zoho.books.checks import amount_in_words
from mock_zoho.books.fields import VENDORPAYMENT_CHECK

SEEDED = {"invoices": 3}  # a seeded org: the seeder's default counts of every other resource
UK_VAT = ("acquisition_vat_total", "acquisition_vat_summary", "reverse_charge_vat_summary")
ADDRESS = {"attention": "Accounts", "address": "12 Mill Lane", "street2": "Unit 4", "city": "Portland",
           "state": "Oregon", "zip": "97201", "country": "U.S.A", "phone": "503-555-0100", "fax": ""}


def _accounts(books) -> tuple[str, str]:
    """An expense account and a bank account of the seeded chart."""
    accounts = books.ok("GET", "chartofaccounts", params={"per_page": 200})["chartofaccounts"]
    expense = next(a["account_id"] for a in accounts if a["account_type"] == "expense")
    bank = next(a["account_id"] for a in accounts if a["account_type"] == "bank")
    return expense, bank


def _today(books) -> str:
    """The org's local date (a new contact's created_time), as Zoho dates a new record."""
    probe = f"Clock probe {uuid.uuid4().hex[:8]}"
    return books.ok("POST", "contacts", json={"contact_name": probe})["contact"]["created_time"][:10]


def test_expense_and_recurring_expense_creates_answer_200(zoho):
    books = world(zoho, "us", "us", SEEDED)
    expense_acct, bank = _accounts(books)
    r = books.post("expenses", {"account_id": expense_acct, "paid_through_account_id": bank, "date": _today(books),
                                "amount": 42.5, "description": "Printer paper"})
    assert r.status_code == 200 and r.json()["message"] == "The expense has been recorded."
    line = r.json()["expense"]["line_item"]
    assert isinstance(line["item_order"], int) and line["item_order"] == 1 and line["amount"] == 42.5
    r = books.post("recurringexpenses", {"recurrence_name": "Cleaning", "account_id": expense_acct,
                                         "paid_through_account_id": bank, "amount": 80, "start_date": _today(books),
                                         "recurrence_frequency": "months", "repeat_every": 1})
    assert r.status_code == 200 and r.json()["code"] == 0
    profile = r.json()["recurring_expense"]
    assert profile["repeat_every"] == 1 and isinstance(profile["repeat_every"], int)
    assert isinstance(profile["line_item"]["item_order"], int) and profile["line_item"]["amount"] == 80
    assert not set(UK_VAT) & set(profile)  # UK VAT fields: UK organisations only


def test_recurring_expense_lists_echo_filter_and_search(zoho):
    books = world(zoho, "us", "us", SEEDED)
    ctx = books.ok("GET", "recurringexpenses")["page_context"]
    assert (ctx["filter_by"], ctx["search_text"]) == ("Status.All", "")
    listed = books.ok("GET", "recurringexpenses", params={"filter_by": "Status.Active", "search_text": "e"})
    assert (listed["page_context"]["filter_by"], listed["page_context"]["search_text"]) == ("Status.Active", "e")
    assert listed["recurring_expenses"] and all(p["status"] == "active" for p in listed["recurring_expenses"])
    assert all(isinstance(p["repeat_every"], int) and p["repeat_every"] >= 1 for p in listed["recurring_expenses"])
    rid = listed["recurring_expenses"][0]["recurring_expense_id"]
    children = books.ok("GET", f"recurringexpenses/{rid}/expenses")
    assert (children["page_context"]["filter_by"], children["page_context"]["search_text"]) == ("Status.All", "")
    assert children["page_context"]["report_name"] == "Expense History"


def test_uk_recurring_expense_carries_vat_summaries(zoho):
    books = world(zoho, "eu", "uk", SEEDED)
    seeded = books.ok("GET", "recurringexpenses")["recurring_expenses"][0]
    detail = books.ok("GET", f"recurringexpenses/{seeded['recurring_expense_id']}")["recurring_expense"]
    assert detail["acquisition_vat_total"] == 0.0 and isinstance(detail["acquisition_vat_total"], float)
    assert detail["acquisition_vat_summary"] == [] and detail["reverse_charge_vat_summary"] == []
    expense_acct, bank = _accounts(books)
    made = books.ok("POST", "recurringexpenses", json={
        "recurrence_name": "Office cleaning", "account_id": expense_acct, "paid_through_account_id": bank,
        "amount": 120, "start_date": _today(books), "recurrence_frequency": "weeks", "repeat_every": 2})
    profile = made["recurring_expense"]
    assert profile["acquisition_vat_total"] == 0 and profile["acquisition_vat_summary"] == []
    assert profile["reverse_charge_vat_summary"] == [] and profile["currency_code"] == "GBP"
    assert books.ok("GET", f"recurringexpenses/{profile['recurring_expense_id']}")["recurring_expense"] == profile
    expense = books.ok("GET", "expenses")["expenses"][0]
    uk_expense = books.ok("GET", f"expenses/{expense['expense_id']}")["expense"]
    assert set(UK_VAT) | {"vat_reg_no"} <= set(uk_expense) and isinstance(uk_expense["vat_reg_no"], str)


def test_vendor_credit_tax_rows_and_line_stock(zoho):
    books = world(zoho, "us", "us", SEEDED)
    seeded = books.ok("GET", "vendorcredits")["vendor_credits"][0]
    detail = books.ok("GET", f"vendorcredits/{seeded['vendor_credit_id']}")["vendor_credit"]
    assert isinstance(detail["taxes"], list) and isinstance(detail["line_items"], list) and detail["line_items"]
    assert round(sum(t["tax_amount"] for t in detail["taxes"]), 2) == round(detail["total"] - detail["sub_total"], 2)
    assert all(line["stock_on_hand"] == "" for line in detail["line_items"])
    taxes = books.ok("GET", "settings/taxes")["taxes"]
    tax = next(t for t in taxes if t["tax_percentage"] > 0)
    vendor = books.ok("GET", "contacts", params={"contact_type": "vendor"})["contacts"][0]
    expense_acct, _ = _accounts(books)
    made = books.ok("POST", "vendorcredits", json={
        "vendor_id": vendor["contact_id"], "date": _today(books),
        "line_items": [{"account_id": expense_acct, "name": "Returned chairs", "rate": 200, "quantity": 2,
                        "tax_id": tax["tax_id"]}]})["vendor_credit"]
    expected = round(400 * tax["tax_percentage"] / 100, 2)
    assert made["taxes"] == [{"tax_name": tax["tax_name"], "tax_amount": expected}]
    assert made["sub_total"] == 400 and made["total"] == 400 + expected
    assert made["line_items"][0]["stock_on_hand"] == ""
    updated = books.ok("PUT", f"vendorcredits/{made['vendor_credit_id']}", json={
        "line_items": [{"account_id": expense_acct, "name": "Returned chairs", "rate": 100, "quantity": 2,
                        "tax_id": tax["tax_id"]}]})["vendor_credit"]
    assert updated["taxes"] == [{"tax_name": tax["tax_name"], "tax_amount": round(expected / 2, 2)}]


def test_vendor_payment_check_details_one_object(zoho):
    books = world(zoho, "us", "us", SEEDED)
    payments = books.ok("GET", "vendorpayments", params={"per_page": 200})["vendorpayments"]
    assert all(isinstance(p["check_details"], dict) and set(p["check_details"]) == set(VENDORPAYMENT_CHECK)
               for p in payments)
    by_check = [p for p in payments if p["payment_mode"] == "Check"]
    others = [p for p in payments if p["payment_mode"] != "Check"]
    assert by_check and others
    for p in by_check:
        check = p["check_details"]
        assert check["check_id"].isdigit() and re.fullmatch(r"\d{4}", check["check_number"])
        assert check["check_status"] in ("uncleared", "printed") and check["amount_in_words"] == amount_in_words(p["amount"])
    assert all(set(p["check_details"].values()) == {""} for p in others)
    one = books.ok("GET", f"vendorpayments/{by_check[0]['payment_id']}")["vendorpayment"]
    assert one["check_details"] == by_check[0]["check_details"] and isinstance(one["billing_address"], dict)


def test_vendor_payment_written_by_check_carries_vendor_address(zoho):
    books = world(zoho, "us", "us", SEEDED)
    _, bank = _accounts(books)
    vendor = books.ok("POST", "contacts", json={"contact_name": "Mill Lane Supplies", "contact_type": "vendor",
                                               "billing_address": ADDRESS})["contact"]
    made = books.ok("POST", "vendorpayments", json={
        "vendor_id": vendor["contact_id"], "amount": 1234.5, "paid_through_account_id": bank, "payment_mode": "Check",
        "date": _today(books), "check_details": [{"check_number": "1042", "memo": "April rent"}]})["vendorpayment"]
    check = made["check_details"]
    assert check["check_id"].isdigit() and (check["check_number"], check["memo"]) == ("1042", "April rent")
    assert check["check_status"] == "uncleared"
    assert check["amount_in_words"] == "One Thousand Two Hundred Thirty-Four and 50/100"
    assert {k: made["billing_address"][k] for k in ADDRESS} == ADDRESS
    pid = made["payment_id"]
    assert books.ok("GET", f"vendorpayments/{pid}")["vendorpayment"] == made
    moved = books.ok("PUT", f"vendorpayments/{pid}", json={"vendor_id": vendor["contact_id"], "amount": 75})
    assert moved["vendorpayment"]["check_details"]["check_id"] == check["check_id"]
    assert moved["vendorpayment"]["check_details"]["amount_in_words"] == "Seventy-Five and 00/100"
    cash = books.ok("PUT", f"vendorpayments/{pid}", json={"vendor_id": vendor["contact_id"], "amount": 75,
                                                          "payment_mode": "Cash"})["vendorpayment"]
    assert cash["check_details"] == dict.fromkeys(VENDORPAYMENT_CHECK, "")
    listed = books.ok("GET", "vendorpayments", params={"vendor_id": vendor["contact_id"]})["vendorpayments"]
    assert [p["check_details"] for p in listed] == [cash["check_details"]]


def test_amount_in_words_as_a_check_prints_it():
    assert amount_in_words(0) == "Zero and 00/100"
    assert amount_in_words(19.99) == "Nineteen and 99/100"
    assert amount_in_words(100) == "One Hundred and 00/100"
    assert amount_in_words(2_000_017.3) == "Two Million Seventeen and 30/100"
    assert amount_in_words(1_000_000_000_001) == "One Trillion One and 00/100"


def test_purchase_order_flags_and_tax_rows_and_bill_custom_field_ids(zoho):
    books = world(zoho, "us", "us", SEEDED)
    order = books.ok("GET", "purchaseorders")["purchaseorders"][0]
    po = books.ok("GET", f"purchaseorders/{order['purchaseorder_id']}")["purchaseorder"]
    address = po["delivery_address"]
    assert isinstance(address["is_valid"], bool) and isinstance(address["is_primary"], bool)
    assert all(set(t) == {"tax_name", "tax_amount"} and isinstance(t["tax_amount"], float) for t in po["taxes"])
    assert round(sum(t["tax_amount"] for t in po["taxes"]), 2) == po["tax_total"]
    bills = books.ok("GET", "bills", params={"per_page": 200})["bills"]
    rows = [row for b in bills[:20] for row in books.ok("GET", f"bills/{b['bill_id']}")["bill"]["custom_fields"]]
    assert rows and all(row["customfield_id"] and "value" in row for row in rows)


def test_emulator_description_gives_each_create_its_status(zoho):
    """The emulator's own OpenAPI description (/__admin/openapi.json) describes the status a create answers."""
    paths = zoho.session.get(f"{zoho.admin_url}/openapi.json", timeout=60).json()["paths"]
    assert set(paths["/books/v3/expenses"]["post"]["responses"]) & {"200", "201"} == {"200"}
    assert set(paths["/books/v3/recurringexpenses"]["post"]["responses"]) & {"200", "201"} == {"200"}
    assert set(paths["/books/v3/vendorpayments"]["post"]["responses"]) & {"200", "201"} == {"201"}
