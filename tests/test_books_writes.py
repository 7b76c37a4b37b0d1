"""Books writes: validation, numbering, totals, balances and statuses, payments, lmt bumps, deletes."""
from __future__ import annotations

from tests.books_helpers import assert_zoho_error, put_records, world

from mock_zoho import literals as L
from mock_zoho.books.resources import SPECS


def _setup(zoho, edition: str = "uk"):
    books = world(zoho, "eu" if edition == "uk" else "us", edition)
    tax_id = put_records(zoho, books.org_id, "taxes", [{"tax_name": "Standard Rate", "tax_percentage": 20, "tax_type": "tax"}])[0]
    acct = put_records(zoho, books.org_id, "chartofaccounts", [
        {"account_name": "Sales", "account_type": "income"}, {"account_name": "Bank", "account_type": "bank"}])
    contact = books.ok("POST", "contacts", json={
        "contact_name": "Bob Ltd", "payment_terms": 15,
        "contact_persons": [{"first_name": "Bob", "last_name": "Smith", "email": "bob@example.com"}]})["contact"]
    item = books.ok("POST", "items", json={"name": "Widget", "rate": 10, "tax_id": tax_id})["item"]
    return books, tax_id, acct, contact, item


def test_contact_create_update_delete(zoho):
    books, _, _, contact, _ = _setup(zoho)
    assert contact["status"] == "active" and contact["contact_type"] == "customer"
    assert contact["vat_treatment"] == "uk" and contact["currency_code"] == "GBP"
    assert contact["payment_terms_label"] == "Net 15"
    listed = books.ok("GET", "contacts")["contacts"][0]
    assert (listed["first_name"], listed["last_name"], listed["email"]) == ("Bob", "Smith", "bob@example.com")
    zoho.admin("POST", "clock", json={"advance": 120})
    updated = books.ok("PUT", f"contacts/{contact['contact_id']}", json={"company_name": "Bob Holdings"})
    assert updated["message"] == L.CONTACT_UPDATED_MESSAGE  # contacts.yml's wording
    assert updated["contact"]["company_name"] == "Bob Holdings"
    assert updated["contact"]["last_modified_time"] > contact["last_modified_time"]
    assert updated["contact"]["created_time"] == contact["created_time"]
    dup = assert_zoho_error(books.post("contacts", {"contact_name": "bob ltd"}), 400, L.ALREADY_EXISTS.code)
    assert "Bob Ltd" in dup["message"] or "bob ltd" in dup["message"]
    assert_zoho_error(books.post("contacts", {"company_name": "no name"}), 400, 2)
    assert books.ok("DELETE", f"contacts/{contact['contact_id']}")["message"] == "The contact has been deleted."
    assert_zoho_error(books.get(f"contacts/{contact['contact_id']}"), 404, 1002)


def test_contact_persons_endpoints(zoho):
    books, _, _, contact, _ = _setup(zoho)
    cid = contact["contact_id"]
    body = books.ok("GET", f"contacts/{cid}/contactpersons")
    assert set(body["page_context"]) == {"page", "per_page", "has_more_page", "sort_column", "sort_order"}
    assert [p["first_name"] for p in body["contact_persons"]] == ["Bob"]
    created = books.ok("POST", f"contacts/{cid}/contactpersons",
                       json={"first_name": "Ann", "email": "ann@example.com", "is_primary_contact": True})
    person = created["contact_person"]
    assert created["message"] == "The contact person has been created." and person["contact_id"] == cid
    assert books.ok("GET", "contacts")["contacts"][0]["email"] == "ann@example.com"
    pid = person["contact_person_id"]
    assert books.ok("PUT", f"contacts/{cid}/contactpersons/{pid}", json={"phone": "123"})["contact_person"]["phone"] == "123"
    assert books.ok("GET", f"contacts/{cid}/contactpersons/{pid}")["contact_person"]["phone"] == "123"
    books.ok("DELETE", f"contacts/{cid}/contactpersons/{pid}")
    assert_zoho_error(books.get(f"contacts/{cid}/contactpersons/{pid}"), 404, 1002)
    assert books.ok("GET", f"contacts/{cid}")["contact"]["contact_persons"][0]["is_primary_contact"] is True


def test_invoice_numbers_totals_status_and_payments(zoho):
    books, tax_id, _, contact, item = _setup(zoho)
    cid = contact["contact_id"]
    created = books.ok("POST", "invoices", json={"customer_id": cid, "date": "2024-03-01",
                                                 "line_items": [{"item_id": item["item_id"], "quantity": 3}]})
    inv = created["invoice"]
    assert created["message"] == "The invoice has been created."
    assert inv["invoice_number"] == "INV-000001" and inv["status"] == "draft"
    assert (inv["sub_total"], inv["tax_total"], inv["total"], inv["balance"]) == (30.0, 6.0, 36.0, 36.0)
    assert inv["due_date"] == "2024-03-16" and inv["customer_name"] == "Bob Ltd"
    assert inv["taxes"] == [{"tax_name": "Standard Rate", "tax_amount": 6.0}]
    assert inv["line_items"][0]["item_total"] == 30.0 and inv["line_items"][0]["tax_percentage"] == 20
    assert inv["vat_treatment"] == "uk"
    second = books.ok("POST", "invoices", params={"send": "true"},
                      json={"customer_id": cid, "line_items": [{"name": "Service", "rate": 100, "tax_id": tax_id}],
                            "discount": "10%", "shipping_charge": 5})["invoice"]
    assert second["invoice_number"] == "INV-000002" and second["status"] == "sent"
    assert second["total"] == 113.0  # 100 - 10% discount before tax = 90, +18 VAT, +5 shipping
    # numbers are unique per org
    dup = books.post("invoices", {"customer_id": cid, "invoice_number": "INV-000001",
                                  "line_items": [{"name": "x", "rate": 1}]})
    assert_zoho_error(dup, 400, L.ALREADY_EXISTS.code)
    # mark sent, then pay part of it
    books.ok("POST", f"invoices/{inv['invoice_id']}/status/sent")
    pay = books.ok("POST", "customerpayments", json={
        "customer_id": cid, "amount": 20, "date": "2024-03-05", "payment_mode": "cash",
        "invoices": [{"invoice_id": inv["invoice_id"], "amount_applied": 20}]})
    assert pay["message"] == "The payment has been created."
    payment = pay["payment"]
    assert payment["invoices"][0]["amount_applied"] == 20 and payment["invoices"][0]["balance_amount"] == 16.0
    listed = books.ok("GET", "customerpayments")["customerpayments"][0]
    assert listed["invoice_number"] == "INV-000001" and listed["unused_amount"] == 0 and "invoices" not in listed
    after = books.ok("GET", f"invoices/{inv['invoice_id']}")["invoice"]
    assert (after["payment_made"], after["balance"]) == (20.0, 16.0)
    assert after["status"] in ("partially_paid", "overdue")
    assert books.ok("GET", f"contacts/{cid}")["contact"]["outstanding_receivable_amount"] == 16.0 + 113.0
    # over-applying is refused; paying the rest makes it paid
    assert_zoho_error(books.post("customerpayments", {"customer_id": cid, "amount": 50, "invoices": [
        {"invoice_id": inv["invoice_id"], "amount_applied": 50}]}), 400, 2)
    rest = books.ok("POST", "customerpayments", json={"customer_id": cid, "amount": 16, "invoices": [
        {"invoice_id": inv["invoice_id"], "amount_applied": 16}]})["payment"]
    assert books.ok("GET", f"invoices/{inv['invoice_id']}")["invoice"]["status"] == "paid"
    # an invoice with payments cannot be deleted; deleting the payments restores the balance
    assert_zoho_error(books.delete(f"invoices/{inv['invoice_id']}"), 400, L.HAS_DEPENDENTS.code)
    books.ok("DELETE", f"customerpayments/{rest['payment_id']}")
    books.ok("DELETE", f"customerpayments/{payment['payment_id']}")
    restored = books.ok("GET", f"invoices/{inv['invoice_id']}")["invoice"]
    assert (restored["payment_made"], restored["balance"]) == (0.0, 36.0)
    books.ok("DELETE", f"invoices/{inv['invoice_id']}")


def test_invoice_update_recomputes_and_bumps_lmt(zoho):
    books, _, _, contact, item = _setup(zoho)
    inv = books.ok("POST", "invoices", json={"customer_id": contact["contact_id"],
                                             "line_items": [{"item_id": item["item_id"]}]})["invoice"]
    zoho.admin("POST", "clock", json={"advance": 1800})
    upd = books.ok("PUT", f"invoices/{inv['invoice_id']}", json={"line_items": [{"item_id": item["item_id"], "quantity": 2, "rate": 50}]})["invoice"]
    assert upd["total"] == 120.0 and upd["invoice_number"] == inv["invoice_number"]
    assert upd["last_modified_time"] > inv["last_modified_time"]
    since = upd["last_modified_time"]
    assert [i["invoice_id"] for i in books.ok("GET", "invoices", params={"last_modified_time": since})["invoices"]] == [inv["invoice_id"]]


def test_invoice_validation(zoho):
    books, _, _, contact, _ = _setup(zoho)
    cid = contact["contact_id"]
    for body, field in (({"line_items": [{"name": "a", "rate": 1}]}, "customer_id"),
                        ({"customer_id": "4600000000000001", "line_items": [{"name": "a", "rate": 1}]}, "customer_id"),
                        ({"customer_id": cid}, "line_items"), ({"customer_id": cid, "line_items": []}, "line_items"),
                        ({"customer_id": cid, "line_items": [{"item_id": "999", "rate": 1}]}, "item_id"),
                        ({"customer_id": cid, "line_items": [{"name": "a", "rate": 1, "tax_id": "77"}]}, "tax_id"),
                        ({"customer_id": cid, "line_items": [{"name": "a"}]}, "rate"),
                        ({"customer_id": cid, "line_items": [{"name": "a", "rate": 1, "quantity": True}]}, "quantity"),
                        ({"customer_id": cid, "date": "2024-02-30", "line_items": [{"name": "a", "rate": 1}]}, "date"),
                        ({"customer_id": cid, "line_items": [{"name": "a", "rate": 1}], "discount": "lots"}, "discount")):
        body_ = assert_zoho_error(books.post("invoices", body), 400, 2)
        assert body_["message"] == f"Invalid value passed for {field}", (body, body_)
    assert books.ok("GET", "invoices")["invoices"] == []


def test_bills_vendor_payments_and_journals(zoho):
    books, tax_id, accts, _, item = _setup(zoho)
    vendor = books.ok("POST", "contacts", json={"contact_name": "Supplier", "contact_type": "vendor"})["contact"]
    assert_zoho_error(books.post("bills", {"vendor_id": vendor["contact_id"], "line_items": [{"name": "x", "rate": 1}]}), 400, 2)
    bill = books.ok("POST", "bills", json={"vendor_id": vendor["contact_id"], "bill_number": "B-1", "date": "2024-01-10",
                                           "due_date": "2099-01-01",
                                           "line_items": [{"account_id": accts[0], "rate": 200, "tax_id": tax_id}]})["bill"]
    assert bill["status"] == "open" and bill["total"] == 240.0 and bill["vendor_name"] == "Supplier"
    assert bill["line_items"][0]["account_name"] == "Sales"
    vp = books.ok("POST", "vendorpayments", json={"vendor_id": vendor["contact_id"], "amount": 240, "paid_through_account_id": accts[1],
                                                  "bills": [{"bill_id": bill["bill_id"], "amount_applied": 240}]})["vendorpayment"]
    assert vp["bills"][0]["bill_id"] == bill["bill_id"]
    assert books.ok("GET", "vendorpayments")["vendorpayments"][0]["bill_numbers"] == "B-1"
    assert books.ok("GET", f"bills/{bill['bill_id']}")["bill"]["status"] == "paid"
    books.ok("DELETE", f"vendorpayments/{vp['payment_id']}")
    assert books.ok("GET", f"bills/{bill['bill_id']}")["bill"]["balance"] == 240.0
    # journals must balance
    lines = [{"account_id": accts[1], "debit_or_credit": "debit", "amount": 50},
             {"account_id": accts[0], "debit_or_credit": "credit", "amount": 40}]
    assert_zoho_error(books.post("journals", {"journal_date": "2024-01-31", "line_items": lines}), 400, 2)
    lines[1]["amount"] = 50
    j = books.ok("POST", "journals", json={"journal_date": "2024-01-31", "line_items": lines})["journal"]
    assert j["entry_number"] == "JE-000001" and j["total"] == 50.0 and j["status"] == "published"
    listed = books.ok("GET", "journals")["journals"][0]
    assert set(listed) == set(SPECS["journals"].list_fields)
    books.ok("DELETE", f"journals/{j['journal_id']}")


def test_items_and_refusals(zoho):
    books, _, _, contact, item = _setup(zoho)
    assert_zoho_error(books.post("items", {"name": "Widget", "rate": 3}), 400, L.ALREADY_EXISTS.code)
    assert_zoho_error(books.post("items", {"name": "Gadget"}), 400, 2)
    assert_zoho_error(books.post("items", {"name": "Gadget", "rate": "cheap"}), 400, 2)
    books.ok("POST", "invoices", json={"customer_id": contact["contact_id"], "line_items": [{"item_id": item["item_id"]}]})
    assert_zoho_error(books.delete(f"items/{item['item_id']}"), 400, L.HAS_DEPENDENTS.code)
    assert_zoho_error(books.delete(f"contacts/{contact['contact_id']}"), 400, L.HAS_DEPENDENTS.code)
    detail = books.ok("GET", "itemdetails", params={"item_ids": item["item_id"]})["items"]
    assert [i["item_id"] for i in detail] == [item["item_id"]]
    assert_zoho_error(books.get("itemdetails"), 400, 2)


def test_list_pages_show_every_write_and_reseed(zoho):
    """List items are served from a per-record render cache: every change must show at once."""
    books, _, _, contact, item = _setup(zoho)
    inv = books.ok("POST", "invoices", json={"customer_id": contact["contact_id"],
                                             "line_items": [{"item_id": item["item_id"]}]})["invoice"]
    listed = lambda: {i["invoice_id"]: i for i in books.ok("GET", "invoices")["invoices"]}  # noqa: E731
    assert listed()[inv["invoice_id"]]["reference_number"] == ""
    books.ok("PUT", f"invoices/{inv['invoice_id']}", json={"reference_number": "R-9"})
    assert listed()[inv["invoice_id"]]["reference_number"] == "R-9"
    before = {c["contact_id"]: c for c in books.ok("GET", "contacts")["contacts"]}
    r = zoho.admin("POST", f"organizations/{books.org_id}/seed", json={})
    assert r.status_code == 200, r.text
    after = books.ok("GET", "contacts")["contacts"]
    stored = {c["contact_id"]: c for c in zoho.emulator.books.records(books.org_id, "contacts")}
    for c in after:  # the seeder edits outstanding amounts in place: the list must follow the store
        assert c["outstanding_receivable_amount"] == stored[c["contact_id"]]["outstanding_receivable_amount"]
    assert len(after) >= len(before)
    books.ok("DELETE", f"invoices/{inv['invoice_id']}")
    assert inv["invoice_id"] not in listed()


def test_every_writable_resource_carries_its_write_rules():
    """The handlers call ``spec.rules``: a writable description without rules would answer 500."""
    writable = {name for name, spec in SPECS.items() if spec.writable}
    with_rules = {name for name, spec in SPECS.items() if spec.rules is not None}
    assert writable == with_rules and "invoices" in writable
    assert set(SPECS["invoices"].rules.status_actions) == {"sent", "draft", "void"}


def test_edition_only_fields_are_written_with_their_own_type(zoho):
    """An India bill takes is_tds_applied as a flag (it was checked as text once gated), refuses a
    string for it, and a UK contact still takes vat_treatment as text."""
    books = world(zoho, dc="in", edition="in", counts={"items": 2, "contacts": 4, "bills": 1, "invoices": 0})
    bill_id = books.ok("GET", "bills")["bills"][0]["bill_id"]
    books.ok("PUT", f"bills/{bill_id}", json={"is_tds_applied": True})
    assert books.ok("GET", f"bills/{bill_id}")["bill"]["is_tds_applied"] is True
    assert_zoho_error(books.put(f"bills/{bill_id}", {"is_tds_applied": "yes"}), 400, 2)
    uk = world(zoho, dc="eu", edition="uk", counts={"contacts": 2, "invoices": 0})
    contact_id = uk.ok("GET", "contacts")["contacts"][0]["contact_id"]
    uk.ok("PUT", f"contacts/{contact_id}", json={"vat_treatment": "overseas"})


def test_line_tags_are_answered_with_their_names_and_checked(zoho):
    books, _, acct, contact, item = _setup(zoho)
    tag_id = put_records(zoho, books.org_id, "reportingtags", [{
        "tag_name": "Region", "is_active": True,
        "options": [{"option_id": "7001", "option_name": "North", "is_active": True}]}])[0]
    line = {"item_id": item["item_id"], "tags": [{"tag_id": tag_id, "tag_option_id": "7001"}]}
    inv = books.ok("POST", "invoices", json={"customer_id": contact["contact_id"], "line_items": [line]})["invoice"]
    assert inv["line_items"][0]["tags"] == [{"tag_id": tag_id, "tag_option_id": "7001", "tag_name": "Region",
                                             "tag_option_name": "North", "is_tag_mandatory": False}]
    bad = {"item_id": item["item_id"], "tags": [{"tag_id": tag_id, "tag_option_id": "9"}]}
    assert_zoho_error(books.post("invoices", {"customer_id": contact["contact_id"], "line_items": [bad]}), 400, 2)
    journal = books.ok("POST", "journals", json={"journal_date": "2026-01-05", "line_items": [
        {"account_id": acct[0], "debit_or_credit": "debit", "amount": 5, "tags": line["tags"]},
        {"account_id": acct[1], "debit_or_credit": "credit", "amount": 5}]})["journal"]
    assert journal["line_items"][0]["tags"][0]["tag_option_name"] == "North"
