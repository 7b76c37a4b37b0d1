"""What the documented request examples, fitted to an org's records, showed the emulator must do as Zoho
does (issue 13's conformance run, request examples), in both modes:

* a recurring profile may start in the past; nothing is made for dates before today (recurring-bills.yml
  and recurring-expenses.yml: "will not be generated for dates prior to the current date"); an end date
  sent as " " is no end;
* unequal opening balances are saved, the difference posted to Opening Balance Adjustments (Zoho's
  knowledge base: "a corresponding entry will be posted ... automatically");
* the creates their documents answer 200 (base-currency adjustment, opening balance, recurring expense);
* write answers as the documents give them: a credit note's and a sales order's taxes rows name their
  tax, credit note and sales order lines their extras, custom field rows complete, an estimate's project,
  a sales order's template fields, an invoice made from a sales order its order;
* seeded retainer and recurring invoices carry the org's template, so a template switch names one.
"""
from __future__ import annotations

import uuid
from datetime import date, timedelta

from tests.books_helpers import Books, assert_zoho_error, put_records, world


def _today(books: Books) -> str:
    """The org's local date now (a new contact's created_time)."""
    name = f"Clock {uuid.uuid4().hex[:6]}"
    return books.ok("POST", "contacts", json={"contact_name": name})["contact"]["created_time"][:10]


def _customer(books: Books, name: str = "Acme Ltd") -> str:
    body = {"contact_name": name, "contact_type": "customer"}
    return books.ok("POST", "contacts", json=body)["contact"]["contact_id"]


def _tax(zoho, books: Books) -> str:
    return put_records(zoho, books.org_id, "taxes", [{"tax_name": "VAT", "tax_percentage": 10, "tax_type": "tax"}])[0]


def test_a_recurring_profile_may_start_in_the_past_and_makes_nothing_before_today(zoho):
    books = world(zoho)
    today = date.fromisoformat(_today(books))
    start = today - timedelta(days=60)
    cid = _customer(books)
    r = books.post("recurringinvoices", {"recurrence_name": "Weekly past", "customer_id": cid,
                                         "start_date": start.isoformat(), "end_date": " ",
                                         "recurrence_frequency": "weeks", "repeat_every": 1,
                                         "line_items": [{"name": "Support", "rate": 40}]})
    assert r.status_code == 201, r.text
    profile = r.json()["recurring_invoice"]
    weeks = -(-(today - start).days // 7)  # the first weekly occurrence on or after today
    first = start + timedelta(weeks=weeks)
    assert profile["start_date"] == start.isoformat() and profile["end_date"] == "" and profile["status"] == "active"
    made = books.ok("GET", "invoices", params={"recurring_invoice_id": profile["recurring_invoice_id"]})["invoices"]
    assert [i["date"] for i in made] == ([today.isoformat()] if first == today else [])  # never a past date
    shown = books.ok("GET", f"recurringinvoices/{profile['recurring_invoice_id']}")["recurring_invoice"]
    assert shown["next_invoice_date"] == (first + timedelta(weeks=1) if first == today else first).isoformat()
    # a profile whose whole schedule lies in the past makes nothing and has expired
    old = books.ok("POST", "recurringinvoices", json={
        "recurrence_name": "Long gone", "customer_id": cid, "start_date": "2016-06-12", "end_date": "2017-06-12",
        "recurrence_frequency": "weeks", "repeat_every": 2,
        "line_items": [{"name": "x", "rate": 1}]})["recurring_invoice"]
    assert old["status"] == "expired"
    assert books.ok("GET", "invoices", params={"recurring_invoice_id": old["recurring_invoice_id"]})["invoices"] == []
    # an unknown frequency is still refused
    assert assert_zoho_error(books.post("recurringinvoices", {
        "recurrence_name": "Odd", "customer_id": cid, "recurrence_frequency": "fortnights",
        "line_items": [{"name": "x", "rate": 1}]}), 400, 2)["message"].endswith("recurrence_frequency")


def test_a_recurring_expense_from_the_past_answers_200_as_documented(zoho):
    books = world(zoho)
    today = date.fromisoformat(_today(books))
    rent, bank = put_records(zoho, books.org_id, "chartofaccounts", [
        {"account_name": "Rent", "account_type": "expense"}, {"account_name": "Bank", "account_type": "bank"}])
    r = books.post("recurringexpenses", {"account_id": rent, "paid_through_account_id": bank, "recurrence_name": "Rent",
                                         "start_date": (today - timedelta(days=45)).isoformat(), "end_date": " ",
                                         "recurrence_frequency": "months", "repeat_every": 1, "amount": 500})
    assert r.status_code == 200, r.text
    expense = r.json()["recurring_expense"]
    assert expense["next_expense_date"] >= today.isoformat() and expense["end_date"] == ""
    made = books.ok("GET", "expenses", params={"recurring_expense_id": expense["recurring_expense_id"]})["expenses"]
    assert all(e["date"] >= today.isoformat() for e in made)


def test_unequal_opening_balances_post_the_difference_to_opening_balance_adjustments(zoho):
    books = world(zoho, counts={"chartofaccounts": 40})
    accounts = books.ok("GET", "chartofaccounts")["chartofaccounts"]
    cash = next(a for a in accounts if a["account_type"] in ("cash", "bank"))["account_id"]
    equity = next(a for a in accounts if a["account_type"] == "equity")["account_id"]
    r = books.post("settings/openingbalances", {"date": "2024-01-01", "accounts": [
        {"account_id": cash, "debit_or_credit": "credit", "amount": 300},
        {"account_id": equity, "debit_or_credit": "debit", "amount": 1000}]})
    assert r.status_code == 200, r.text  # opening-balance.yml: 200
    ob = r.json()["opening_balance"]
    adjustment = ob["accounts"][-1]
    assert (adjustment["account_name"], adjustment["debit_or_credit"], adjustment["amount"]) == (
        "Opening Balance Adjustments", "credit", 700.0)
    assert ob["total"] == 1000.0 and len(ob["accounts"]) == 3
    assert books.ok("GET", "settings/openingbalances")["opening_balance"]["accounts"][-1]["amount"] == 700.0
    # a row naming no account of the chart is still refused
    books.ok("DELETE", "settings/openingbalances")
    assert assert_zoho_error(books.post("settings/openingbalances", {"date": "2024-01-01", "accounts": [
        {"account_id": "123", "debit_or_credit": "debit", "amount": 1}]}), 400, 2)["message"].endswith("account_id")


def test_a_base_currency_adjustment_create_answers_200(zoho):
    books = world(zoho, counts={"currencies": 3})
    currency = next(c for c in books.ok("GET", "settings/currencies")["currencies"] if not c["is_base_currency"])
    cid = books.ok("POST", "contacts", json={"contact_name": "Abroad", "currency_id": currency["currency_id"]})[
        "contact"]["contact_id"]
    inv = books.ok("POST", "invoices", json={"customer_id": cid, "exchange_rate": 1.2,
                                            "line_items": [{"name": "Work", "rate": 100}]})["invoice"]
    books.ok("POST", f"invoices/{inv['invoice_id']}/status/sent")
    preview = books.ok("GET", "basecurrencyadjustment/accounts", params={
        "currency_id": currency["currency_id"], "adjustment_date": "2026-01-01", "exchange_rate": 1.5, "notes": "x"})
    ids = ",".join(a["account_id"] for a in preview["data"]["accounts"])
    assert ids
    r = books.post("basecurrencyadjustment", {"currency_id": currency["currency_id"], "adjustment_date": "2026-01-01",
                                              "exchange_rate": 1.5, "notes": "Revalue"}, params={"account_ids": ids})
    assert r.status_code == 200 and r.json()["code"] == 0, r.text


def test_write_answers_carry_what_their_documents_show(zoho):
    books = world(zoho)
    tax = _tax(zoho, books)
    cid = _customer(books)
    line = {"name": "Widget", "rate": 100, "tax_id": tax, "product_type": "goods"}
    invoice = books.ok("POST", "invoices", json={"customer_id": cid, "line_items": [line]})["invoice"]
    assert invoice["taxes"] == [{"tax_name": "VAT", "tax_amount": 10.0}]  # invoices.yml: no tax_id
    note = books.ok("POST", "creditnotes", json={"customer_id": cid, "line_items": [line]})["creditnote"]
    row = note["line_items"][0]
    assert (row["type"], row["code"], row["serial_numbers"], row["item_custom_fields"], row["tax_exemption_code"],
            row["tax_exemption_id"]) == (1, "", [], [], "", "")
    assert note["taxes"] == [{"tax_id": tax, "tax_name": "VAT", "tax_amount": 10.0}]
    service = books.ok("PUT", f"creditnotes/{note['creditnote_id']}", json={"line_items": [
        {"name": "Consulting", "rate": 50, "product_type": "service"}]})["creditnote"]
    assert service["line_items"][0]["type"] == 2
    me = books.ok("GET", "users/me")["user"]["user_id"]
    project = books.ok("POST", "projects", json={"project_name": "Fit-out", "customer_id": cid, "user_id": me,
                                                 "billing_type": "based_on_task_hours"})["project"]
    estimate = books.ok("POST", "estimates", json={
        "customer_id": cid, "project_id": project["project_id"], "line_items": [line],
        "custom_fields": [{"index": 1, "value": "15 Dec 2013"}]})["estimate"]
    assert estimate["project"] == {"project_id": project["project_id"], "project_name": "Fit-out"}
    (row,) = estimate["custom_fields"]  # completed from the field it names (custom_field_rows.py)
    assert row["customfield_id"] and (row["index"], row["label"], row["api_name"]) == (
        1, "Custom Field 1", "cf_custom_field_1")
    assert (row["data_type"], row["value"], row["value_formatted"], row["show_on_pdf"]) == (
        "string", "15 Dec 2013", "15 Dec 2013", False)
    assert_zoho_error(books.post("estimates", {"customer_id": cid, "project_id": "999", "line_items": [line]}), 400, 2)
    order = books.ok("POST", "salesorders", json={"customer_id": cid, "line_items": [line]})["salesorder"]
    assert (order["template_name"], order["template_type"], order["orientation"], order["page_width"],
            order["page_height"], order["price_precision"], order["can_send_in_mail"]) == (
        "Standard Template", "standard", "portrait", "8.27in", "11.69in", 2, True)
    assert isinstance(order["attachment_name"], str) and isinstance(order["discount_amount"], (int, float))
    assert order["line_items"][0]["item_custom_fields"] == [] and order["line_items"][0]["tax_exemption_code"] == ""
    assert order["taxes"] == [{"tax_id": tax, "tax_name": "VAT", "tax_amount": 10.0}]
    books.ok("POST", f"salesorders/{order['salesorder_id']}/status/open")
    made = books.ok("POST", "invoices/fromsalesorder", params={"salesorder_id": order["salesorder_id"]})["invoice"]
    assert (made["salesorder_id"], made["salesorder_number"]) == (order["salesorder_id"], order["salesorder_number"])
    assert made["salesorders"]["salesorder_id"] == order["salesorder_id"]
    assert made["salesorders"]["total"] == order["total"] and made["salesorders"]["date"] == order["date"]
    assert made["salesorders"]["total_formatted"].endswith(f"{order['total']:,.2f}")


def test_seeded_retainer_and_recurring_invoices_name_the_org_template(zoho):
    books = world(zoho, counts={"contacts": 4, "items": 3, "retainerinvoices": 2, "recurringinvoices": 1})
    template = books.ok("GET", "invoices/templates")["templates"]
    for path, key, id_field in (("retainerinvoices", "retainerinvoice", "retainerinvoice_id"),
                                ("recurringinvoices", "recurring_invoice", "recurring_invoice_id")):
        record = books.ok("GET", path)[path if path != "recurringinvoices" else "recurring_invoices"][0]
        detail = books.ok("GET", f"{path}/{record[id_field]}")[key]
        assert detail["template_id"], path
        listed = books.ok("GET", f"{path}/templates")["templates"] if path == "retainerinvoices" else template
        assert detail["template_id"] in {t["template_id"] for t in listed} or not template, path
        books.ok("PUT", f"{path}/{record[id_field]}/templates/{detail['template_id']}")
        assert_zoho_error(books.put(f"{path}/{record[id_field]}/templates/123"), 404, 1002)
