"""What the conformance run's world builder (tests/conformance/states.py) found once state-dependent
operations reached a record in the state they need, in both modes (``zoho``: a real server and
in-process): a vendor credit is submitted for approval while open (it is created open, with no draft
through the API), a bulk payment reminder answers invoices.yml's ``info``, and a custom-module
record's detail describes its fields and names its users as custom-modules.yml does.
"""
from __future__ import annotations

from tests.books_helpers import assert_zoho_error, world

from mock_zoho.books.facets.email import REMINDERS_SENT


def _party(books, kind: str, name: str) -> str:
    body = {"contact_name": name, "contact_type": kind,
            "contact_persons": [{"first_name": "Ann", "last_name": "Lee", "email": f"ann@{kind}.example"}]}
    return books.ok("POST", "contacts", json=body)["contact"]["contact_id"]


def test_open_vendor_credit_is_submitted_then_approved(zoho):
    books = world(zoho)
    vendor = _party(books, "vendor", "Acme Supplies")
    credit = books.ok("POST", "vendorcredits", json={"vendor_id": vendor,
                                                     "line_items": [{"name": "Returned", "rate": 40}]})["vendor_credit"]
    vid = credit["vendor_credit_id"]
    assert credit["status"] == "open"
    submitted = books.ok("POST", f"vendorcredits/{vid}/submit")
    assert submitted["message"] == "The vendor credit has been submitted for approval successfully."
    assert books.ok("GET", f"vendorcredits/{vid}")["vendor_credit"]["status"] == "pending_approval"
    assert_zoho_error(books.post(f"vendorcredits/{vid}/submit"), 400, 2)  # pending already
    assert books.ok("POST", f"vendorcredits/{vid}/approve")["message"] == "You have approved the vendor credit."
    assert books.ok("GET", f"vendorcredits/{vid}")["vendor_credit"]["status"] == "open"


def test_refunded_or_void_vendor_credit_is_not_submitted(zoho):
    books = world(zoho)
    vendor = _party(books, "vendor", "Acme Supplies")
    bank = books.ok("POST", "bankaccounts", json={"account_name": "Checking", "account_type": "bank"})
    bank_id = bank["bankaccount"]["account_id"]
    refunded, voided = (books.ok("POST", "vendorcredits", json={
        "vendor_id": vendor, "line_items": [{"name": "Returned", "rate": 40}]})["vendor_credit"]["vendor_credit_id"]
        for _ in range(2))
    books.ok("POST", f"vendorcredits/{refunded}/refunds", json={"date": "2026-06-15", "amount": 10,
                                                                "account_id": bank_id, "refund_mode": "cash"})
    body = assert_zoho_error(books.post(f"vendorcredits/{refunded}/submit"), 400, 2)
    assert body["message"] == "Invalid value passed for status"
    books.ok("POST", f"vendorcredits/{voided}/status/void")
    assert_zoho_error(books.post(f"vendorcredits/{voided}/submit"), 400, 2)
    assert books.ok("GET", f"vendorcredits/{voided}")["vendor_credit"]["status"] == "void"


def test_bulk_payment_reminder_answers_what_was_sent(zoho):
    books = world(zoho)
    customer = _party(books, "customer", "Bowman Ltd")
    ids = []
    for rate in (25, 30):
        inv = books.ok("POST", "invoices", json={"customer_id": customer,
                                                 "line_items": [{"name": "Desk", "rate": rate}]})["invoice"]
        books.ok("POST", f"invoices/{inv['invoice_id']}/status/sent")
        ids.append(inv["invoice_id"])
    r = books.post("invoices/paymentreminder", {}, params={"invoice_ids": ",".join(ids)})
    assert r.status_code == 201, r.text
    body = r.json()
    assert (body["code"], body["message"]) == (0, "success")
    assert body["info"] == {"code": 0, "email_errors_info": [],
                            "email_success_info": {"message": REMINDERS_SENT, "sent_count": 2}}
    assert [books.ok("GET", f"invoices/{i}")["invoice"]["reminders_sent"] for i in ids] == [1, 1]
    draft = books.ok("POST", "invoices", json={"customer_id": customer,
                                               "line_items": [{"name": "Lamp", "rate": 9}]})["invoice"]["invoice_id"]
    assert_zoho_error(books.post("invoices/paymentreminder", {}, params={"invoice_ids": f"{ids[0]},{draft}"}), 400, 2)


def test_custom_module_record_detail_describes_fields_and_users(zoho):
    books = world(zoho)
    made = books.ok("POST", "cm_debtor", json={"record_name": "Alice", "cf_debt_amount": 10000,
                                               "cf_disputed": False})["module_record"][0]
    detail = books.ok("GET", f"cm_debtor/{made['module_record_id']}")
    fields = {f["api_name"]: f for f in detail["module_record"]["module_fields"]}
    assert [f["field_id"] for f in detail["module_record"]["module_fields"]] == ["1", "2", "3"]
    name = fields["record_name"]
    assert (name["data_type"], name["data_type_formatted"], name["max_length"]) == ("string", "Text Box (Single Line)", 255)
    assert (name["pii_type"], name["help_text"], name["value"], name["is_mandatory"]) == ("non_pii", "", "Alice", True)
    amount = fields["cf_debt_amount"]
    assert (amount["data_type"], amount["data_type_formatted"], amount["value_formatted"]) == \
        ("decimal", "Decimal", "10,000.00")
    assert fields["cf_disputed"]["data_type_formatted"] == "Checkbox"
    me = next(u for u in books.ok("GET", "users")["users"] if u["is_current_user"])
    assert detail["users"] == [{"id": int(me["user_id"]), "text": me["name"], "name": me["name"],
                                "email": me["email"], "photo_url": me.get("photo_url", ""), "is_current_user": True}]
