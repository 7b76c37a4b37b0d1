"""Books sales side (issue 13): writes, status and record actions, contact persons on Zoho's own paths,
references refused, and the fields Zoho's documents and its Python wrapper read, in both modes.

Each resource gets a stateful walk: create, read, list with a filter, update, status or record
action, delete; then the refusals Zoho answers (required fields, unknown references, duplicate
numbers, illegal status moves).
"""
from __future__ import annotations

import pytest

from tests.books_helpers import assert_zoho_error, put_records, world

from mock_zoho import literals as L


def _setup(zoho, edition: str = "us"):
    books = world(zoho, "us", edition)
    tax_id = put_records(zoho, books.org_id, "taxes", [{"tax_name": "CA State Tax", "tax_percentage": 10,
                                                        "tax_type": "tax"}])[0]
    contact = books.ok("POST", "contacts", json={
        "contact_name": "Acme Corp", "payment_terms": 30,
        "contact_persons": [{"first_name": "Ann", "last_name": "Lee", "email": "ann@acme.test", "phone": "555-1",
                             "is_primary_contact": True},
                            {"first_name": "Bo", "last_name": "Kim", "email": "bo@acme.test"}]})["contact"]
    created = books.ok("POST", "items", json={"name": "Widget", "rate": 25, "tax_id": tax_id})
    assert created["message"] == "The item has been added."
    return books, contact, created["item"]


def _advance(zoho, seconds: int = 90) -> None:
    zoho.admin("POST", "clock", json={"advance": seconds})


def test_estimate_walk(zoho):
    books, contact, item = _setup(zoho)
    cid = contact["contact_id"]
    bo = contact["contact_persons"][1]["contact_person_id"]
    created = books.ok("POST", "estimates", json={
        "customer_id": cid, "date": "2024-05-01", "expiry_date": "2124-05-31", "notes": "Thanks", "terms": "Net",
        "line_items": [{"item_id": item["item_id"], "quantity": 4}]})
    est = created["estimate"]
    assert created["message"] == "The estimate has been created."
    assert est["estimate_number"] == "EST-000001" and est["status"] == "draft"
    assert (est["sub_total"], est["tax_total"], est["total"]) == (100.0, 10.0, 110.0)
    assert (est["notes"], est["terms"], est["customer_name"]) == ("Thanks", "Net", "Acme Corp")
    primary = contact["contact_persons"][0]["contact_person_id"]
    assert est["contact_persons"] == [primary]
    row = est["contact_persons_associated"][0]
    assert (row["first_name"], row["last_name"], row["phone"], row["contact_person_email"]) == \
        ("Ann", "Lee", "555-1", "ann@acme.test")
    assert row["communication_preference"]["is_email_enabled"] is True
    eid = est["estimate_id"]
    assert books.ok("GET", f"estimates/{eid}")["estimate"] == est
    assert [e["estimate_id"] for e in books.ok("GET", "estimates", params={"estimate_number": "EST-000001"})["estimates"]] == [eid]
    assert books.ok("GET", "estimates", params={"filter_by": "Status.Sent"})["estimates"] == []
    _advance(zoho)
    updated = books.ok("PUT", f"estimates/{eid}", json={"contact_persons": [bo],
                                                        "line_items": [{"item_id": item["item_id"], "quantity": 2}]})
    est2 = updated["estimate"]
    assert updated["message"] == "Estimate information has been updated."
    assert est2["total"] == 55.0 and est2["contact_persons"] == [bo]
    assert est2["last_modified_time"] > est["last_modified_time"] and est2["created_time"] == est["created_time"]
    # status actions: accepted before sent is refused; sent, accepted, declined move it
    assert_zoho_error(books.post(f"estimates/{eid}/status/accepted"), 400, 2)
    assert books.ok("POST", f"estimates/{eid}/status/sent")["message"] == "Estimate status has been changed to Sent."
    _advance(zoho)
    body = books.ok("POST", f"estimates/{eid}/status/accepted")
    assert body["message"] == "Estimate status has been changed to Accepted."
    est3 = books.ok("GET", f"estimates/{eid}")["estimate"]
    assert est3["status"] == "accepted" and est3["accepted_date"]
    assert est3["last_modified_time"] > est2["last_modified_time"]
    assert [e["estimate_id"] for e in books.ok("GET", "estimates", params={"filter_by": "Status.Accepted"})["estimates"]] == [eid]
    books.ok("POST", f"estimates/{eid}/status/declined")
    assert books.ok("GET", f"estimates/{eid}")["estimate"]["status"] == "declined"
    assert_zoho_error(books.post(f"estimates/{eid}/status/sent"), 400, 2)
    assert_zoho_error(books.post(f"estimates/{eid}/status/invoiced"), 404, 5)
    assert_zoho_error(books.delete(f"contacts/{cid}"), 400, L.HAS_DEPENDENTS.code)  # it has an estimate
    assert books.ok("DELETE", f"estimates/{eid}")["message"] == "The estimate has been deleted."
    assert_zoho_error(books.get(f"estimates/{eid}"), 404, 1002)


def test_approval_workflow(zoho):
    books, contact, item = _setup(zoho)
    body = {"customer_id": contact["contact_id"], "line_items": [{"item_id": item["item_id"]}]}
    for path, key, submitted, approved, release in (
            ("estimates", "estimate", L.ESTIMATE_SUBMITTED_MESSAGE, L.ESTIMATE_APPROVED_MESSAGE, "sent"),
            ("salesorders", "salesorder", L.SALESORDER_SUBMITTED_MESSAGE, L.SALESORDER_APPROVED_MESSAGE, "open"),
            ("invoices", "invoice", L.INVOICE_SUBMITTED_MESSAGE, L.INVOICE_APPROVED_MESSAGE, "sent"),
            ("creditnotes", "creditnote", L.CREDITNOTE_SUBMITTED_MESSAGE, L.CREDITNOTE_APPROVED_MESSAGE, "open")):
        rid = books.ok("POST", path, json=body)[key][f"{key}_id"]
        if path == "creditnotes":  # created open: only a draft goes for approval
            assert_zoho_error(books.post(f"{path}/{rid}/submit"), 400, 2)
            books.ok("POST", f"{path}/{rid}/status/void")
            books.ok("POST", f"{path}/{rid}/status/draft")
        assert_zoho_error(books.post(f"{path}/{rid}/approve"), 400, 2)
        assert_zoho_error(books.post(f"{path}/{rid}/comments", {}), 404, 5)  # documented, not served: code 5
        assert books.ok("POST", f"{path}/{rid}/submit")["message"] == submitted
        assert books.ok("GET", f"{path}/{rid}")[key]["status"] == "pending_approval"
        books.ok("PUT", f"{path}/{rid}", json={"reference_number": "kept pending"})
        assert books.ok("GET", f"{path}/{rid}")[key]["status"] == "pending_approval"
        assert_zoho_error(books.post(f"{path}/{rid}/status/{release}"), 400, 2)
        assert_zoho_error(books.post(f"{path}/{rid}/email", {"to_mail_ids": ["a@b.test"]}), 400, 2)
        assert books.ok("POST", f"{path}/{rid}/approve")["message"] == approved
        books.ok("POST", f"{path}/{rid}/status/{release}")
        assert books.ok("GET", f"{path}/{rid}")[key]["status"] == release


def test_invoice_status_messages(zoho):
    books, contact, item = _setup(zoho)
    inv = books.ok("POST", "invoices", json={"customer_id": contact["contact_id"],
                                             "line_items": [{"item_id": item["item_id"]}]})["invoice"]
    iid = inv["invoice_id"]
    assert books.ok("POST", f"invoices/{iid}/status/sent")["message"] == "Invoice status has been changed to Sent."
    assert books.ok("POST", f"invoices/{iid}/status/void")["message"] == "Invoice status has been changed to Void."
    assert books.ok("POST", f"invoices/{iid}/status/draft")["message"] == "Status of invoice changed from void to draft"
    assert books.ok("GET", f"invoices/{iid}")["invoice"]["status"] == "draft"


def test_estimate_refusals(zoho):
    books, contact, item = _setup(zoho)
    cid = contact["contact_id"]
    line = [{"item_id": item["item_id"]}]
    assert_zoho_error(books.post("estimates", {"line_items": line}), 400, 2)
    assert_zoho_error(books.post("estimates", {"customer_id": cid}), 400, 2)
    assert_zoho_error(books.post("estimates", {"customer_id": "999999", "line_items": line}), 400, 2)
    assert_zoho_error(books.post("estimates", {"customer_id": cid, "line_items": [{"item_id": "424242"}]}), 400, 2)
    bad = assert_zoho_error(books.post("estimates", {"customer_id": cid, "line_items": line, "date": "2024-05-10",
                                                     "expiry_date": "2024-05-01"}), 400, 2)
    assert "expiry_date" in bad["message"]
    assert_zoho_error(books.post("estimates", {"customer_id": cid, "line_items": line,
                                               "contact_persons": ["123"]}), 400, 2)
    first = books.ok("POST", "estimates", json={"customer_id": cid, "line_items": line})["estimate"]
    assert_zoho_error(books.post("estimates", {"customer_id": cid, "line_items": line,
                                               "estimate_number": first["estimate_number"]}), 400, L.ALREADY_EXISTS.code)
    custom = books.ok("POST", "estimates", json={"customer_id": cid, "line_items": line, "estimate_number": "Q-7"})
    assert custom["estimate"]["estimate_number"] == "Q-7"
    sent = books.ok("POST", "estimates", params={"send": "true"}, json={"customer_id": cid, "line_items": line})
    assert sent["estimate"]["status"] == "sent"


def test_salesorder_walk(zoho):
    books, contact, item = _setup(zoho)
    cid = contact["contact_id"]
    created = books.ok("POST", "salesorders", json={
        "customer_id": cid, "date": "2124-01-10", "shipment_date": "2124-01-20", "delivery_method": "Courier",
        "line_items": [{"item_id": item["item_id"], "quantity": 2}], "shipping_charge": 5})
    so = created["salesorder"]
    assert created["message"] == "Sales Order Created Successfully."
    assert so["salesorder_number"] == "SO-000001" and so["status"] == "draft"
    assert (so["total"], so["bcy_total"], so["shipment_days"]) == (60.0, 60.0, 10)
    assert so["contact_persons_associated"][0]["first_name"] == "Ann"
    for field in ("crm_owner_id", "merchant_id", "notes_default", "terms_default", "tax_exemption_code"):
        assert field in so
    sid = so["salesorder_id"]
    listed = books.ok("GET", "salesorders", params={"customer_id": cid, "total_greater_than": 50})["salesorders"]
    assert [s["salesorder_id"] for s in listed] == [sid]
    assert books.ok("GET", "salesorders", params={"total_less_than": 50})["salesorders"] == []
    _advance(zoho)
    so2 = books.ok("PUT", f"salesorders/{sid}", json={"shipment_date": "2124-01-30", "reference_number": "R-1"})
    assert so2["message"] == "Sales Order Updated Successfully."
    assert so2["salesorder"]["shipment_days"] == 20 and so2["salesorder"]["reference_number"] == "R-1"
    assert so2["salesorder"]["last_modified_time"] > so["last_modified_time"]
    body = books.ok("POST", f"salesorders/{sid}/status/open")
    assert body["message"] == "Sales order status has been changed to Open."
    assert books.ok("GET", f"salesorders/{sid}")["salesorder"]["status"] == "open"
    assert_zoho_error(books.post(f"salesorders/{sid}/status/open"), 400, 2)
    assert books.ok("POST", f"salesorders/{sid}/status/void")["message"] == "Sales order status has been changed to Void."
    assert [s["salesorder_id"] for s in books.ok("GET", "salesorders", params={"filter_by": "Status.Void"})["salesorders"]] == [sid]
    assert_zoho_error(books.post(f"salesorders/{sid}/status/open"), 400, 2)
    assert books.ok("DELETE", f"salesorders/{sid}")["message"] == "Sales Order Deleted Successfully."
    assert_zoho_error(books.get(f"salesorders/{sid}"), 404, 1002)
    assert_zoho_error(books.post("salesorders", {"customer_id": cid, "date": "2124-01-10",
                                                 "shipment_date": "2124-01-01",
                                                 "line_items": [{"item_id": item["item_id"]}]}), 400, 2)


def test_creditnote_status_actions(zoho):
    books, contact, item = _setup(zoho)
    cn = books.ok("POST", "creditnotes", json={"customer_id": contact["contact_id"],
                                               "line_items": [{"item_id": item["item_id"]}]})["creditnote"]
    assert cn["status"] == "open" and cn["balance"] == 27.5
    assert cn["contact_persons"] == [contact["contact_persons"][0]["contact_person_id"]] and cn["exchange_rate"] == 1.0
    assert (cn["total_credits_used"], cn["total_refunded_amount"]) == (0, 0)
    cnid = cn["creditnote_id"]
    assert_zoho_error(books.post(f"creditnotes/{cnid}/status/open"), 400, 2)
    assert books.ok("POST", f"creditnotes/{cnid}/status/void")["message"] == "The credit note has been marked as void."
    assert books.ok("GET", f"creditnotes/{cnid}")["creditnote"]["status"] == "void"
    assert_zoho_error(books.post(f"creditnotes/{cnid}/status/open"), 400, 2)
    assert books.ok("POST", f"creditnotes/{cnid}/status/draft")["message"] == "The credit note has been marked as Draft."
    books.ok("PUT", f"creditnotes/{cnid}", json={"notes": "kept a draft"})
    assert books.ok("GET", f"creditnotes/{cnid}")["creditnote"]["status"] == "draft"
    body = books.ok("POST", f"creditnotes/{cnid}/status/open")
    assert body["message"] == "Status of the credit note has been changed to open."
    assert [c["creditnote_id"] for c in books.ok("GET", "creditnotes", params={"filter_by": "Status.Open"})["creditnotes"]] == [cnid]
    books.ok("DELETE", f"creditnotes/{cnid}")


def test_customerpayment_fields(zoho):
    books, contact, item = _setup(zoho)
    cid = contact["contact_id"]
    account = put_records(zoho, books.org_id, "chartofaccounts", [{"account_name": "Undeposited Funds",
                                                                   "account_type": "cash"}])[0]
    inv = books.ok("POST", "invoices", params={"send": "true"},
                   json={"customer_id": cid, "line_items": [{"item_id": item["item_id"]}]})["invoice"]
    pay = books.ok("POST", "customerpayments", json={
        "customer_id": cid, "amount": 40, "account_id": account,
        "invoices": [{"invoice_id": inv["invoice_id"], "amount_applied": 27.5}]})["payment"]
    assert (pay["account_id"], pay["account_name"], pay["exchange_rate"]) == (account, "Undeposited Funds", 1.0)
    for field in ("tax_account_id", "tax_account_name", "tax_amount_withheld"):
        assert field in pay
    listed = books.ok("GET", "customerpayments", params={"customer_id": cid})["customerpayments"][0]
    assert listed["invoice_numbers"] == inv["invoice_number"] and listed["bcy_unused_amount"] == 12.5
    assert_zoho_error(books.post("customerpayments", {"customer_id": cid, "amount": 5, "account_id": "777"}), 400, 2)


def test_contact_actions_currency_and_fields(zoho):
    books, contact, _ = _setup(zoho)
    cid = contact["contact_id"]
    assert contact["default_templates"]["invoice_template_id"] == "" and len(contact["default_templates"]) == 19
    for field in ("contact_salutation", "price_precision", "ignore_auto_number_generation", "tax_authority_name",
                  "tax_exemption_code", "outstanding_payable_amount", "unused_credits_payable_amount"):
        assert field in contact
    _advance(zoho)
    body = books.ok("POST", f"contacts/{cid}/inactive")
    assert body["message"] == "The contact has been marked as inactive."
    after = books.ok("GET", f"contacts/{cid}")["contact"]
    assert after["status"] == "inactive" and after["last_modified_time"] > contact["last_modified_time"]
    assert [c["contact_id"] for c in books.ok("GET", "contacts", params={"filter_by": "Status.Inactive"})["contacts"]] == [cid]
    assert books.ok("POST", f"contacts/{cid}/active")["message"] == "The contact has been marked as active."
    assert books.ok("GET", f"contacts/{cid}")["contact"]["status"] == "active"
    assert_zoho_error(books.post(f"contacts/{cid}/archive"), 404, 5)
    assert_zoho_error(books.post("contacts/999999/active"), 404, 1002)
    # an unknown currency is refused as an unknown customer on an invoice is
    refused = assert_zoho_error(books.post("contacts", {"contact_name": "Foreign", "currency_id": "31337"}), 400, 2)
    assert "currency_id" in refused["message"]
    assert_zoho_error(books.put(f"contacts/{cid}", {"currency_id": "31337"}), 400, 2)
    assert books.ok("PUT", f"contacts/{cid}", json={"currency_id": contact["currency_id"]})


def test_item_actions(zoho):
    books, _, item = _setup(zoho)
    iid = item["item_id"]
    assert books.ok("POST", f"items/{iid}/inactive")["message"] == "The item has been marked as inactive."
    assert books.ok("GET", f"items/{iid}")["item"]["status"] == "inactive"
    assert books.ok("GET", "items", params={"filter_by": "Status.Active"})["items"] == []
    assert books.ok("POST", f"items/{iid}/active")["message"] == "The item has been marked as active."
    assert books.ok("GET", f"items/{iid}")["item"]["status"] == "active"
    assert_zoho_error(books.get(f"items/{iid}/active"), 405, 37)


def test_contact_persons_on_documented_paths(zoho):
    books, contact, _ = _setup(zoho)
    cid = contact["contact_id"]
    created = books.ok("POST", "contacts/contactpersons", json={"contact_id": cid, "first_name": "Cy",
                                                                "email": "cy@acme.test"})
    person = created["contact_person"]
    assert created["message"] == "The contact person has been created." and person["contact_id"] == cid
    pid = person["contact_person_id"]
    updated = books.ok("PUT", f"contacts/contactpersons/{pid}", json={"phone": "555-9"})["contact_person"]
    assert updated["phone"] == "555-9"
    assert books.ok("GET", f"contacts/{cid}/contactpersons/{pid}")["contact_person"]["phone"] == "555-9"
    body = books.ok("POST", f"contacts/contactpersons/{pid}/primary")
    assert body["message"] == L.PERSON_PRIMARY_MESSAGE
    assert books.ok("GET", "contacts")["contacts"][0]["email"] == "cy@acme.test"
    assert books.ok("DELETE", f"contacts/contactpersons/{pid}")["message"] == "The contact person has been deleted."
    assert_zoho_error(books.put(f"contacts/contactpersons/{pid}", {"phone": "1"}), 404, 1002)
    assert_zoho_error(books.post("contacts/contactpersons", {"first_name": "No contact"}), 400, 2)
    assert_zoho_error(books.post("contacts/contactpersons", {"contact_id": "999999", "first_name": "X"}), 404, 1002)
    assert_zoho_error(books.get("contacts/contactpersons"), 405, 37)


@pytest.mark.parametrize("resource", ["estimates", "salesorders", "creditnotes", "invoices", "contacts",
                                      "customerpayments"])
def test_seeded_records_carry_the_new_fields(zoho, resource):
    books = world(zoho, counts={"contacts": 8, "items": 4, "invoices": 10, "customerpayments": 5, "estimates": 4,
                                "salesorders": 4, "creditnotes": 3, "bills": 6, "vendorcredits": 2,
                                "vendorpayments": 3})
    listed = books.ok("GET", resource)
    key = next(k for k in listed if isinstance(listed[k], list))
    records = listed[key]
    assert records, resource
    id_field = next(f for f in records[0] if f.endswith("_id") and f[:-3] in (resource[:-1], "payment", "contact"))
    detail_body = books.ok("GET", f"{resource}/{records[0][id_field]}")
    detail = next(v for k, v in detail_body.items() if isinstance(v, dict))
    if resource == "estimates":
        assert detail["notes"] and detail["terms"]
        assert detail["contact_persons"] == [p["contact_person_id"] for p in detail["contact_persons_associated"]]
    elif resource == "salesorders":
        assert detail["notes_default"] and detail["terms_default"] and "tax_exemption_code" in detail
    elif resource == "creditnotes":
        assert "total_credits_used" in detail and "total_refunded_amount" in detail and detail["exchange_rate"]
    elif resource == "invoices":
        rows = [row for rec in records
                for row in books.ok("GET", f"invoices/{rec['invoice_id']}")["invoice"]["contact_persons_associated"]]
        assert rows and all(r["first_name"] and "communication_preference" in r for r in rows)
        assert detail["contact_persons_details"][0]["contact_person_id"] == \
            detail["contact_persons_associated"][0]["contact_person_id"]
        assert "payment_gateways" in detail["payment_options"]
    elif resource == "contacts":
        assert len(detail["default_templates"]) == 19 and detail["contact_salutation"]
        vendors = books.ok("GET", "contacts", params={"contact_type": "vendor"})["contacts"]
        assert any(v["outstanding_payable_amount"] > 0 for v in vendors)
    else:
        assert "invoice_numbers" in records[0] and "bcy_unused_amount" in records[0]
        assert detail["account_id"] and detail["account_name"]


def test_crm_and_exemption_filters_are_honoured(zoho):
    """Documented ids no seeded or written record carries: a value matches none (never the whole list)."""
    books = world(zoho, counts={"contacts": 6, "items": 3, "estimates": 3, "salesorders": 3, "invoices": 3})
    for path, param in (("salesorders", "zcrm_potential_id"), ("estimates", "zcrm_potential_id"),
                        ("invoices", "zcrm_potential_id"), ("contacts", "zcrm_contact_id"),
                        ("contacts", "zcrm_account_id"), ("contacts", "zcrm_vendor_id"), ("items", "tax_exemption_id")):
        assert books.ok("GET", path)[path], path
        assert books.ok("GET", path, params={param: "460000000012345"})[path] == [], (path, param)


def test_vendor_payable_amounts_follow_bill_writes(zoho):
    books, _, item = _setup(zoho)
    vendor = books.ok("POST", "contacts", json={"contact_name": "Supplier", "contact_type": "vendor"})["contact"]
    vid = vendor["contact_id"]
    assert (vendor["outstanding_payable_amount"], vendor["unused_credits_payable_amount"]) == (0, 0)
    books.ok("POST", "bills", json={"vendor_id": vid, "bill_number": "B-1",
                                    "line_items": [{"name": "Parts", "rate": 40}]})
    listed = books.ok("GET", "contacts", params={"contact_type": "vendor"})["contacts"][0]
    assert listed["outstanding_payable_amount"] == 40.0


def test_invoice_and_creditnote_persons(zoho):
    books, contact, item = _setup(zoho)
    cid, (ann, bo) = contact["contact_id"], [p["contact_person_id"] for p in contact["contact_persons"]]
    lines = [{"item_id": item["item_id"]}]
    inv = books.ok("POST", "invoices", json={"customer_id": cid, "line_items": lines})["invoice"]
    assert [p["contact_person_id"] for p in inv["contact_persons_associated"]] == [ann]
    assert inv["payment_options"] == {"payment_gateways": []}
    assert inv["contact_persons_details"] == [{"contact_person_id": ann, "first_name": "Ann", "last_name": "Lee",
                                               "email": "ann@acme.test", "phone": "555-1", "mobile": ""}]
    inv2 = books.ok("PUT", f"invoices/{inv['invoice_id']}", json={"contact_persons": [ann, bo]})["invoice"]
    assert [p["first_name"] for p in inv2["contact_persons_associated"]] == ["Ann", "Bo"]
    assert_zoho_error(books.put(f"invoices/{inv['invoice_id']}", {"contact_persons": ["1"]}), 400, 2)
    inv3 = books.ok("PUT", f"invoices/{inv['invoice_id']}",
                    json={"contact_persons_associated": [{"contact_person_id": bo}]})["invoice"]
    assert [p["first_name"] for p in inv3["contact_persons_associated"]] == ["Bo"]
    assert_zoho_error(books.put(f"invoices/{inv['invoice_id']}", {"contact_persons": "nope"}), 400, 2)
    assert_zoho_error(books.put(f"invoices/{inv['invoice_id']}", {"contact_persons": [{"x": 1}]}), 400, 2)
    cn = books.ok("POST", "creditnotes", json={"customer_id": cid, "line_items": lines,
                                               "contact_persons": [bo]})["creditnote"]
    assert cn["contact_persons"] == [bo] and cn["contact_persons_associated"][0]["last_name"] == "Kim"


@pytest.mark.parametrize("path,key,message,after", [
    ("invoices", "invoice", "Your invoice has been sent.", "sent"),
    ("estimates", "estimate", "Your estimate has been sent.", "sent"),
    ("salesorders", "salesorder", "Your Sales Order has been sent.", "open"),
    ("creditnotes", "creditnote", "Your creditnote has been sent.", "open"),
])
def test_email_action(zoho, path, key, message, after):
    books, contact, item = _setup(zoho)
    rec = books.ok("POST", path, json={"customer_id": contact["contact_id"],
                                       "line_items": [{"item_id": item["item_id"]}]})[key]
    rid = rec[f"{key}_id"]
    assert_zoho_error(books.post(f"{path}/{rid}/email", {}), 400, 2)
    assert_zoho_error(books.post(f"{path}/{rid}/email", {"to_mail_ids": ["not-an-address"]}), 400, 2)
    assert_zoho_error(books.post(f"{path}/{rid}/email", {"to_mail_ids": ["a@b.test"], "cc_mail_ids": "x"}), 400, 2)
    _advance(zoho)
    body = books.ok("POST", f"{path}/{rid}/email", json={"to_mail_ids": ["ann@acme.test"], "subject": "Hi"})
    assert body["message"] == message
    sent = books.ok("GET", f"{path}/{rid}")[key]
    assert sent["status"] == after and sent.get("is_emailed", True) is True
    assert sent["last_modified_time"] > rec["last_modified_time"]
    assert_zoho_error(books.get(f"{path}/{rid}/email"), 405, 37)


def test_payment_reminder_actions(zoho):
    books, contact, item = _setup(zoho)
    cid = contact["contact_id"]
    inv = books.ok("POST", "invoices", json={"customer_id": cid, "line_items": [{"item_id": item["item_id"]}]})["invoice"]
    for path, key, stopped, enabled in (
            (f"contacts/{cid}", "contact", L.CONTACT_REMINDERS_DISABLED_MESSAGE, L.CONTACT_REMINDERS_ENABLED_MESSAGE),
            (f"invoices/{inv['invoice_id']}", "invoice", "Reminders stopped.", "Reminders enabled.")):
        assert books.ok("POST", f"{path}/paymentreminder/disable")["message"] == stopped
        assert books.ok("GET", path)[key]["payment_reminder_enabled"] is False
        assert books.ok("POST", f"{path}/paymentreminder/enable")["message"] == enabled
        assert books.ok("GET", path)[key]["payment_reminder_enabled"] is True
        assert_zoho_error(books.post(f"{path}/paymentreminder/pause"), 404, 5)


def test_invoice_write_off(zoho):
    books, contact, item = _setup(zoho)
    cid = contact["contact_id"]
    inv = books.ok("POST", "invoices", json={"customer_id": cid, "line_items": [{"item_id": item["item_id"]}]})["invoice"]
    iid = inv["invoice_id"]
    assert_zoho_error(books.post(f"invoices/{iid}/writeoff"), 400, 2)  # a draft owes nothing yet
    books.ok("POST", f"invoices/{iid}/status/sent")
    assert books.ok("GET", "contacts")["contacts"][0]["outstanding_receivable_amount"] == 27.5
    assert_zoho_error(books.post(f"invoices/{iid}/writeoff/cancel"), 400, 2)
    assert books.ok("POST", f"invoices/{iid}/writeoff")["message"] == "Invoice has been written off"
    off = books.ok("GET", f"invoices/{iid}")["invoice"]
    assert (off["status"], off["balance"], off["write_off_amount"]) == ("paid", 0, 27.5)
    assert books.ok("GET", "contacts")["contacts"][0]["outstanding_receivable_amount"] == 0
    books.ok("PUT", f"invoices/{iid}", json={"notes": "still written off"})
    assert books.ok("GET", f"invoices/{iid}")["invoice"]["balance"] == 0
    body = books.ok("POST", f"invoices/{iid}/writeoff/cancel")
    assert body["message"] == "The write off done for this invoice has been cancelled."
    back = books.ok("GET", f"invoices/{iid}")["invoice"]
    assert (back["status"], back["balance"], back["write_off_amount"]) == ("sent", 27.5, 0)


def test_credit_note_applied_to_invoices(zoho):
    books, contact, item = _setup(zoho)
    cid = contact["contact_id"]
    line = [{"item_id": item["item_id"]}]
    inv = books.ok("POST", "invoices", params={"send": "true"}, json={"customer_id": cid, "line_items": line})["invoice"]
    draft = books.ok("POST", "invoices", json={"customer_id": cid, "line_items": line})["invoice"]
    cn = books.ok("POST", "creditnotes", json={"customer_id": cid, "line_items": [{"name": "Refund", "rate": 20}]})["creditnote"]
    path = f"creditnotes/{cn['creditnote_id']}/invoices"
    assert_zoho_error(books.post(path, {}), 400, 2)
    assert_zoho_error(books.post(path, {"invoices": [{"invoice_id": draft["invoice_id"], "amount_applied": 5}]}), 400, 2)
    assert_zoho_error(books.post(path, {"invoices": [{"invoice_id": inv["invoice_id"], "amount_applied": 25}]}), 400, 2)
    assert_zoho_error(books.post(path, {"invoices": [{"invoice_id": inv["invoice_id"], "amount_applied": -1}]}), 400, 2)
    body = books.ok("POST", path, json={"invoices": [{"invoice_id": inv["invoice_id"], "amount_applied": 15}]})
    assert body["message"] == "Credits have been applied to the invoice(s)."
    after = books.ok("GET", f"creditnotes/{cn['creditnote_id']}")["creditnote"]
    assert (after["balance"], after["total_credits_used"], after["status"]) == (5.0, 15.0, "open")
    assert books.ok("GET", "contacts")["contacts"][0]["unused_credits_receivable_amount"] == 5.0
    assert after["invoices"] == [{"invoice_id": inv["invoice_id"], "invoice_number": inv["invoice_number"], "amount": 15}]
    credited = books.ok("GET", f"invoices/{inv['invoice_id']}")["invoice"]
    assert (credited["credits_applied"], credited["balance"], credited["status"]) == (15.0, 12.5, "partially_paid")
    books.ok("POST", path, json={"invoices": [{"invoice_id": inv["invoice_id"], "amount_applied": 5}]})
    assert books.ok("GET", f"creditnotes/{cn['creditnote_id']}")["creditnote"]["status"] == "closed"
    assert books.ok("GET", "contacts")["contacts"][0]["unused_credits_receivable_amount"] == 0
    assert_zoho_error(books.post(path, {"invoices": [{"invoice_id": inv["invoice_id"], "amount_applied": 1}]}), 400, 2)
    assert_zoho_error(books.delete(f"creditnotes/{cn['creditnote_id']}"), 400, L.HAS_DEPENDENTS.code)
