"""Books purchase side (issue 13): purchase orders, bills, vendor credits, vendor payments and expenses.

A stateful walk per resource (create, read, list with a filter, update, status action, delete) in
both modes (``zoho``: a real server and in-process, answers replay-verified), Zoho's documented
messages, the status transitions it allows and refuses, and the validation refusals (code 2 naming
the field, unknown references, duplicate numbers).
"""
from __future__ import annotations

from tests.books_helpers import assert_zoho_error, put_records, world

from mock_zoho import literals as L
from mock_zoho.books.fields import BILL_PAYMENT, DELIVERY_ADDRESS, EXPENSE_LINE, PURCHASE_LINE


def _setup(zoho, edition: str = "us"):
    """An org with a 10% tax, an expense and a bank account, a vendor, a customer and an item."""
    books = world(zoho, "eu" if edition == "uk" else "us", edition)
    tax_id = put_records(zoho, books.org_id, "taxes", [{"tax_name": "Sales Tax", "tax_percentage": 10,
                                                        "tax_type": "tax"}])[0]
    expense_acct, bank = put_records(zoho, books.org_id, "chartofaccounts", [
        {"account_name": "Rent", "account_type": "expense"}, {"account_name": "Checking", "account_type": "bank"}])
    vendor = books.ok("POST", "contacts", json={
        "contact_name": "Acme Supplies", "contact_type": "vendor", "payment_terms": 30,
        "contact_persons": [{"first_name": "Ann", "last_name": "Lee", "email": "ann@acme.example"}]})["contact"]
    customer = books.ok("POST", "contacts", json={"contact_name": "Bob Ltd"})["contact"]
    item = books.ok("POST", "items", json={"name": "Widget", "rate": 30, "purchase_rate": 20, "tax_id": tax_id})["item"]
    return books, {"tax": tax_id, "expense": expense_acct, "bank": bank, "vendor": vendor["contact_id"],
                   "customer": customer["contact_id"], "item": item["item_id"]}


def _advance(zoho, seconds: int = 90) -> None:
    zoho.admin("POST", "clock", json={"advance": seconds})


def test_purchase_order_walk(zoho):
    books, ref = _setup(zoho)
    created = books.ok("POST", "purchaseorders", json={
        "vendor_id": ref["vendor"], "date": "2026-11-02", "delivery_date": "2026-11-20", "reference_number": "REQ-7",
        "custom_fields": [{"customfield_id": "1", "value": "Rush order"}],
        "line_items": [{"item_id": ref["item"], "quantity": 3}]})
    assert created["message"] == "Purchase Order has been added."
    po = created["purchaseorder"]
    pid = po["purchaseorder_id"]
    assert po["purchaseorder_number"] == "PO-000001" and po["status"] == "draft"
    assert (po["sub_total"], po["tax_total"], po["total"]) == (60.0, 6.0, 66.0)  # purchase rate 20 x 3, +10%
    assert po["vendor_name"] == "Acme Supplies" and po["currency_symbol"] == "$"
    assert po["expected_delivery_date"] == "2026-11-20" and po["can_mark_as_bill"] is False
    assert set(po["delivery_address"]) == set(DELIVERY_ADDRESS) and po["delivery_address"]["is_verified"] is False
    assert set(PURCHASE_LINE) <= set(po["line_items"][0]) and po["line_items"][0]["item_total_inclusive_of_tax"] == 66.0
    assert (po["template_name"], po["orientation"], po["page_width"]) == ("Standard Template", "portrait", "8.27in")
    assert books.ok("GET", f"purchaseorders/{pid}")["purchaseorder"] == po
    # list filters: number, reference, custom field, status, amount
    for params in ({"purchaseorder_number": "PO-000001"}, {"reference_number_startswith": "req"},
                   {"custom_field_contains": "rush"}, {"filter_by": "Status.Draft"}, {"total_greater_than": "65"}):
        assert [p["purchaseorder_id"] for p in books.ok("GET", "purchaseorders", params=params)["purchaseorders"]] == [pid]
    assert books.ok("GET", "purchaseorders", params={"custom_field": "other"})["purchaseorders"] == []
    # update: totals recomputed, the number kept, last_modified_time moves
    _advance(zoho)
    updated = books.ok("PUT", f"purchaseorders/{pid}", json={"line_items": [{"name": "Bolts", "rate": 5, "quantity": 4}]})
    assert updated["message"] == "Purchase Order has been updated."
    upo = updated["purchaseorder"]
    assert (upo["total"], upo["purchaseorder_number"]) == (20.0, "PO-000001")
    assert upo["last_modified_time"] > po["last_modified_time"] and upo["created_time"] == po["created_time"]
    # status actions: a draft cannot be billed; open, then billed; a billed order cannot be cancelled
    assert_zoho_error(books.post(f"purchaseorders/{pid}/status/billed"), 400, 2)
    opened = books.post(f"purchaseorders/{pid}/status/open")
    assert opened.status_code == 201 and opened.json() == {"code": 0, "message": "The purchase order has been marked as open."}
    after = books.ok("GET", f"purchaseorders/{pid}")["purchaseorder"]
    assert after["status"] == "open" and after["can_mark_as_bill"] is True
    assert after["last_modified_time"] >= upo["last_modified_time"]
    assert books.ok("POST", f"purchaseorders/{pid}/status/billed")["message"] == "The purchase order has been marked as billed."
    assert_zoho_error(books.post(f"purchaseorders/{pid}/status/cancelled"), 400, 2)
    assert_zoho_error(books.post(f"purchaseorders/{pid}/status/unknown"), 404, 5)
    assert books.ok("DELETE", f"purchaseorders/{pid}")["message"] == "The purchase order has been deleted."
    assert_zoho_error(books.get(f"purchaseorders/{pid}"), 404, 1002)


def test_purchase_order_approval_and_refusals(zoho):
    books, ref = _setup(zoho)
    line = [{"name": "Paper", "rate": 4}]
    po = books.ok("POST", "purchaseorders", json={"vendor_id": ref["vendor"], "line_items": line})["purchaseorder"]
    pid = po["purchaseorder_id"]
    assert_zoho_error(books.post(f"purchaseorders/{pid}/approve"), 400, 2)  # not submitted
    submitted = books.post(f"purchaseorders/{pid}/submit")
    assert submitted.status_code == 200
    assert submitted.json()["message"] == "The purchase order has been successfully submitted for approval."
    assert books.ok("GET", f"purchaseorders/{pid}")["purchaseorder"]["status"] == "pending_approval"
    assert books.ok("POST", f"purchaseorders/{pid}/approve")["message"] == "You have approved the Purchase Order."
    assert books.ok("GET", f"purchaseorders/{pid}")["purchaseorder"]["status"] == "open"
    assert_zoho_error(books.get(f"purchaseorders/{pid}/submit"), 405, 37)
    # validation: the vendor is required and must exist, lines too; numbers are unique; dates ordered
    assert_zoho_error(books.post("purchaseorders", {"line_items": line}), 400, 2)
    assert "vendor_id" in assert_zoho_error(books.post("purchaseorders", {"vendor_id": "999", "line_items": line}),
                                            400, 2)["message"]
    assert "line_items" in assert_zoho_error(books.post("purchaseorders", {"vendor_id": ref["vendor"]}), 400, 2)["message"]
    assert_zoho_error(books.post("purchaseorders", {"vendor_id": ref["vendor"], "line_items": line,
                                                    "purchaseorder_number": po["purchaseorder_number"]}),
                      400, L.ALREADY_EXISTS.code)
    assert_zoho_error(books.post("purchaseorders", {"vendor_id": ref["vendor"], "line_items": line,
                                                    "date": "2026-05-02", "delivery_date": "2026-05-01"}), 400, 2)
    assert_zoho_error(books.post("purchaseorders", {"vendor_id": ref["vendor"], "line_items": line,
                                                    "delivery_address": {"is_verified": "maybe"}}), 400, 2)
    assert_zoho_error(books.put("purchaseorders/404404", {"notes": "x"}), 404, 1002)
    for resource, extra in (("purchaseorders", {}), ("vendorcredits", {}), ("bills", {"bill_number": "B-404"})):
        body = {"vendor_id": ref["vendor"], "line_items": line, "currency_id": "404", **extra}
        assert "currency_id" in assert_zoho_error(books.post(resource, body), 400, 2)["message"]


def test_bill_walk_with_purchase_order_and_vendor_payment(zoho):
    books, ref = _setup(zoho)
    po = books.ok("POST", "purchaseorders", json={"vendor_id": ref["vendor"], "line_items": [{"name": "Ink", "rate": 50}]})
    pid = po["purchaseorder"]["purchaseorder_id"]
    for ids in (["77"], [pid]):  # an unknown order; a draft one (it is opened before it is billed)
        assert_zoho_error(books.post("bills", {"vendor_id": ref["vendor"], "bill_number": "B-1", "purchaseorder_ids": ids,
                                               "line_items": [{"name": "Ink", "rate": 50}]}), 400, 2)
    books.ok("POST", f"purchaseorders/{pid}/status/open")
    bill = books.ok("POST", "bills", json={
        "vendor_id": ref["vendor"], "bill_number": "B-1", "date": "2026-11-01", "purchaseorder_ids": [pid],
        "line_items": [{"name": "Ink", "rate": 50, "account_id": ref["expense"]}]})["bill"]
    bid = bill["bill_id"]
    assert (bill["status"], bill["total"], bill["due_date"]) in (("open", 50.0, "2026-12-01"), ("overdue", 50.0, "2026-12-01"))
    assert bill["purchaseorders"][0]["purchaseorder_id"] == pid and bill["purchaseorder_ids"] == [pid]
    assert bill["currency_symbol"] == "$" and isinstance(bill["due_by_days"], str) and isinstance(bill["due_in_days"], int)
    assert books.ok("GET", f"purchaseorders/{pid}")["purchaseorder"]["status"] == "billed"
    assert_zoho_error(books.delete(f"purchaseorders/{pid}"), 400, L.HAS_DEPENDENTS.code)
    assert [b["bill_id"] for b in books.ok("GET", "bills", params={"purchaseorder_id": pid})["bills"]] == [bid]
    _advance(zoho)
    upd = books.ok("PUT", f"bills/{bid}", json={"reference_number": "INV-88"})
    assert upd["message"] == "Bill information has been updated."
    assert upd["bill"]["last_modified_time"] > bill["last_modified_time"]
    # a vendor payment shows on the bill; a paid bill is not voided
    pay = books.ok("POST", "vendorpayments", json={
        "vendor_id": ref["vendor"], "amount": 20, "paid_through_account_id": ref["bank"], "payment_mode": "Check",
        "bills": [{"bill_id": bid, "amount_applied": 20}]})
    assert pay["message"] == "The payment made to the vendor has been recorded."
    payment = pay["vendorpayment"]
    assert payment["paid_through_account_name"] == "Checking" and payment["paid_through_account_type"] == "bank"
    paid = books.ok("GET", f"bills/{bid}")["bill"]
    assert (paid["balance"], paid["status"]) == (30.0, "partially_paid") or paid["status"] == "overdue"
    assert [list(p) for p in paid["payments"]] == [list(BILL_PAYMENT)]
    assert paid["payments"][0]["payment_id"] == payment["payment_id"] and paid["payments"][0]["amount"] == 20
    assert_zoho_error(books.post(f"bills/{bid}/status/void"), 400, 2)
    assert_zoho_error(books.post("vendorpayments", {"vendor_id": ref["vendor"], "amount": 5,
                                                    "paid_through_account_id": "123"}), 400, 2)
    deleted = books.ok("DELETE", f"vendorpayments/{payment['payment_id']}")
    assert deleted["message"] == "The payment has been deleted."
    assert books.ok("GET", f"bills/{bid}")["bill"]["payments"] == []
    # void, then open again (the status follows the balance); open is refused on an open bill
    voided = books.post(f"bills/{bid}/status/void")
    assert voided.status_code == 201 and voided.json()["message"] == "The bill has been marked as void."
    assert books.ok("GET", "bills", params={"filter_by": "Status.Void"})["bills"][0]["bill_id"] == bid
    reopened = books.ok("POST", f"bills/{bid}/status/open")
    assert reopened["message"] == "The status of the bill has been chaged to open."  # Zoho's documented wording
    assert books.ok("GET", f"bills/{bid}")["bill"]["status"] in ("open", "overdue")
    assert_zoho_error(books.post(f"bills/{bid}/status/open"), 400, 2)
    assert books.ok("DELETE", f"bills/{bid}")["message"] == "The bill has been deleted."
    assert books.ok("GET", f"purchaseorders/{pid}")["purchaseorder"]["status"] == "open"  # no longer billed


def test_vendor_credit_walk(zoho):
    books, ref = _setup(zoho)
    created = books.ok("POST", "vendorcredits", json={
        "vendor_id": ref["vendor"], "date": "2026-11-03", "notes": "Damaged goods",
        "line_items": [{"item_id": ref["item"], "quantity": 2}]})
    assert created["message"] == "Vendor credit has been created."
    vc = created["vendor_credit"]
    vid = vc["vendor_credit_id"]
    assert (vc["vendor_credit_number"], vc["status"], vc["total"], vc["balance"]) == ("DN-000001", "open", 44.0, 44.0)
    assert vc["comments"] == [] and vc["bills_credited"] == [] and vc["vendor_name"] == "Acme Supplies"
    listed = books.ok("GET", "vendorcredits", params={"vendor_credit_number": "DN-000001", "filter_by": "Status.Open"})
    assert [v["vendor_credit_id"] for v in listed["vendor_credits"]] == [vid]
    assert books.ok("GET", "vendorcredits", params={"notes_contains": "damaged"})["vendor_credits"][0]["vendor_credit_id"] == vid
    _advance(zoho)
    upd = books.ok("PUT", f"vendorcredits/{vid}", json={"line_items": [{"name": "Refund", "rate": 12}]})
    assert upd["message"] == "Vendor credit information has been updated."
    assert (upd["vendor_credit"]["total"], upd["vendor_credit"]["balance"]) == (12.0, 12.0)
    assert upd["vendor_credit"]["last_modified_time"] > vc["last_modified_time"]
    voided = books.post(f"vendorcredits/{vid}/status/void")
    assert voided.status_code == 201 and voided.json()["message"] == "The vendor credit has been voided."
    assert books.ok("GET", f"vendorcredits/{vid}")["vendor_credit"]["status"] == "void"
    assert_zoho_error(books.post(f"vendorcredits/{vid}/status/void"), 400, 2)
    assert_zoho_error(books.post(f"vendorcredits/{vid}/submit"), 400, 2)  # a void credit is not submitted
    opened = books.ok("POST", f"vendorcredits/{vid}/status/open")
    assert opened["message"] == "The status of the vendor credit has been changed to open."
    assert books.ok("GET", f"vendorcredits/{vid}")["vendor_credit"]["status"] == "open"
    assert_zoho_error(books.post("vendorcredits", {"line_items": [{"name": "x", "rate": 1}]}), 400, 2)
    assert_zoho_error(books.post("vendorcredits", {"vendor_id": ref["vendor"], "vendor_credit_number": "DN-000001",
                                                   "line_items": [{"name": "x", "rate": 1}]}), 400, L.ALREADY_EXISTS.code)
    eur = put_records(zoho, books.org_id, "currencies", [{"currency_code": "EUR", "currency_symbol": "€"}])[0]
    in_eur = books.ok("POST", "vendorcredits", json={"vendor_id": ref["vendor"], "currency_id": eur,
                                                     "line_items": [{"name": "x", "rate": 1}]})["vendor_credit"]
    assert (in_eur["currency_id"], in_eur["currency_code"]) == (eur, "EUR")
    assert books.ok("DELETE", f"vendorcredits/{vid}")["message"] == "The vendor credit has been deleted."
    assert_zoho_error(books.get(f"vendorcredits/{vid}"), 404, 1002)


def test_expense_walk(zoho):
    books, ref = _setup(zoho)
    created = books.ok("POST", "expenses", json={
        "account_id": ref["expense"], "paid_through_account_id": ref["bank"], "date": "2026-11-04", "amount": 200,
        "tax_id": ref["tax"], "vendor_id": ref["vendor"], "reference_number": "RCPT-1", "description": "Office rent"})
    assert created["message"] == "The expense has been recorded."
    exp = created["expense"]
    eid = exp["expense_id"]
    assert (exp["sub_total"], exp["tax_amount"], exp["total"], exp["bcy_total"]) == (200.0, 20.0, 220.0, 220.0)
    assert (exp["account_name"], exp["paid_through_account_name"], exp["vendor_name"]) == ("Rent", "Checking", "Acme Supplies")
    assert exp["status"] == "non-billable" and exp["transaction_id"] == eid
    assert list(exp["line_item"]) == list(EXPENSE_LINE) and exp["line_item"]["tax_name"] == "Sales Tax"
    item = books.ok("GET", "expenses", params={"reference_number": "RCPT-1"})["expenses"]
    assert [e["expense_id"] for e in item] == [eid] and item[0]["paid_through_account_name"] == "Checking"
    assert item[0]["vendor_id"] == ref["vendor"] and item[0]["vendor_name"] == "Acme Supplies"
    assert books.ok("GET", "expenses", params={"filter_by": "Status.Billable"})["expenses"] == []
    _advance(zoho)
    upd = books.ok("PUT", f"expenses/{eid}", json={"is_billable": True, "customer_id": ref["customer"],
                                                   "is_inclusive_tax": True, "amount": 110})
    assert upd["message"] == "Expense information has been updated."
    e2 = upd["expense"]
    assert (e2["status"], e2["customer_name"], e2["total"], e2["sub_total"]) == ("unbilled", "Bob Ltd", 110.0, 100.0)
    assert e2["last_modified_time"] > exp["last_modified_time"]
    billable = books.ok("GET", "expenses", params={"filter_by": "Status.Billable", "search_text": "rent"})
    assert [e["expense_id"] for e in billable["expenses"]] == [eid]
    assert (billable["page_context"]["filter_by"], billable["page_context"]["search_text"]) == ("Status.Billable", "rent")
    assert [e["expense_id"] for e in books.ok("GET", "expenses", params={"status": "billable"})["expenses"]] == [eid]
    # refusals: the documented required fields, references that must exist, amounts
    base = {"account_id": ref["expense"], "paid_through_account_id": ref["bank"], "date": "2026-11-04", "amount": 5}
    for missing in ("account_id", "paid_through_account_id", "date", "amount"):
        body = {k: v for k, v in base.items() if k != missing}
        assert missing in assert_zoho_error(books.post("expenses", body), 400, 2)["message"]
    for field, bad in (("account_id", "404"), ("paid_through_account_id", "404"), ("customer_id", "404"),
                       ("vendor_id", "404"), ("tax_id", "404"), ("currency_id", "404"), ("amount", -3),
                       ("amount", "ten"), ("mileage_type", "walking")):
        assert field in assert_zoho_error(books.post("expenses", {**base, field: bad}), 400, 2)["message"]
    assert "customer_id" in assert_zoho_error(books.post("expenses", {**base, "is_billable": True}), 400, 2)["message"]
    assert books.ok("DELETE", f"expenses/{eid}")["message"] == "The expense has been deleted."
    assert_zoho_error(books.get(f"expenses/{eid}"), 404, 1002)


def test_vendor_payment_shapes_and_uk_expense_fields(zoho):
    books, ref = _setup(zoho, "uk")
    exp = books.ok("POST", "expenses", json={"account_id": ref["expense"], "paid_through_account_id": ref["bank"],
                                             "date": "2026-11-04", "amount": 10})["expense"]
    assert exp["acquisition_vat_summary"] == [] and exp["reverse_charge_vat_summary"] == []
    assert exp["acquisition_vat_total"] == 0 and "vat_reg_no" in exp
    pay = books.ok("POST", "vendorpayments", json={"vendor_id": ref["vendor"], "amount": 7,
                                                   "paid_through_account_id": ref["bank"]})["vendorpayment"]
    # billing_address and check_details: objects, list and detail alike (as a live answer; errata/purchases.py)
    assert isinstance(pay["billing_address"], dict) and isinstance(pay["check_details"], dict)
    assert books.ok("GET", f"vendorpayments/{pay['payment_id']}")["vendorpayment"] == pay
    listed = books.ok("GET", "vendorpayments", params={"vendor_id": ref["vendor"], "amount": "7"})["vendorpayments"]
    assert [p["payment_id"] for p in listed] == [pay["payment_id"]] and isinstance(listed[0]["check_details"], dict)
    _advance(zoho)
    upd = books.ok("PUT", f"vendorpayments/{pay['payment_id']}", json={"description": "Advance"})
    assert upd["message"] == "The details of the payment made to the vendor has been updated"
    assert upd["vendorpayment"]["last_modified_time"] > pay["last_modified_time"]
    assert books.ok("GET", "vendorpayments", params={"description_contains": "adv"})["vendorpayments"][0]["payment_id"] \
        == pay["payment_id"]
    assert books.ok("DELETE", f"vendorpayments/{pay['payment_id']}")["message"] == "The payment has been deleted."
    assert_zoho_error(books.get(f"vendorpayments/{pay['payment_id']}"), 404, 1002)


def test_seeded_purchase_side_is_consistent(zoho):
    books = world(zoho, "us", "us", counts={"contacts": 12, "items": 6, "bills": 30, "vendorcredits": 6,
                                              "vendorpayments": 15, "purchaseorders": 25, "expenses": 12})
    pos = {p["purchaseorder_id"]: p for p in books.ok("GET", "purchaseorders")["purchaseorders"]}
    bills = books.ok("GET", "bills")["bills"]
    open_by_vendor: dict[str, int] = {}
    for p in pos.values():
        open_by_vendor[p["vendor_id"]] = open_by_vendor.get(p["vendor_id"], 0) + (p["status"] == "open")
    linked = 0
    for b in bills[:30]:
        d = books.ok("GET", f"bills/{b['bill_id']}")["bill"]
        assert d["open_purchaseorders_count"] == open_by_vendor.get(d["vendor_id"], 0)
        assert sum(p["amount"] for p in d["payments"]) == d["payment_made"] or abs(
            sum(p["amount"] for p in d["payments"]) - d["payment_made"]) < 0.01
        assert all(p["bill_id"] == d["bill_id"] for p in d["payments"])
        for row in d["purchaseorders"]:
            linked += 1
            assert pos[row["purchaseorder_id"]]["status"] == "billed" and pos[row["purchaseorder_id"]]["vendor_id"] == d["vendor_id"]
        if d["status"] == "overdue":
            assert int(d["due_by_days"]) > 0 and d["due_in_days"] == 0
    assert linked > 0
    one = books.ok("GET", f"purchaseorders/{next(iter(pos))}")["purchaseorder"]
    assert one["template_type"] == "standard" and one["can_send_in_mail"] is True
    assert one["can_mark_as_bill"] == (one["status"] == "open")
    for e in books.ok("GET", "expenses")["expenses"][:5]:
        d = books.ok("GET", f"expenses/{e['expense_id']}")["expense"]
        assert d["line_item"]["amount"] == d["total"] and d["mileage_type"] == "non_mileage"
        assert d["expense_receipt_type"] == ("pdf" if d["expense_receipt_name"] else "")


def test_vendor_credit_applied_to_bills(zoho):
    books, ref = _setup(zoho)
    line = [{"name": "Ink", "rate": 40}]
    bill = books.ok("POST", "bills", json={"vendor_id": ref["vendor"], "bill_number": "B-9", "line_items": line})["bill"]
    other = books.ok("POST", "contacts", json={"contact_name": "Other Vendor", "contact_type": "vendor"})["contact"]
    foreign = books.ok("POST", "bills", json={"vendor_id": other["contact_id"], "bill_number": "B-10",
                                              "line_items": line})["bill"]
    vc = books.ok("POST", "vendorcredits", json={"vendor_id": ref["vendor"], "line_items": [{"name": "Back", "rate": 25}]})
    vid = vc["vendor_credit"]["vendor_credit_id"]
    path = f"vendorcredits/{vid}/bills"
    for bad, field in (({}, "bills"), ({"bills": [{"bill_id": foreign["bill_id"], "amount_applied": 5}]}, "bill_id"),
                       ({"bills": [{"bill_id": bill["bill_id"], "amount_applied": 0}]}, "amount_applied"),
                       ({"bills": [{"bill_id": bill["bill_id"], "amount_applied": 30}]}, "amount_applied")):
        assert field in assert_zoho_error(books.post(path, bad), 400, 2)["message"]
    applied = books.post(path, {"bills": [{"bill_id": bill["bill_id"], "amount_applied": 15}]})
    assert applied.status_code == 201
    assert applied.json() == {"code": 0, "message": "Credits have been applied to the bill(s).",
                              "bills": [{"bill_id": bill["bill_id"], "amount_applied": 15}]}
    credit = books.ok("GET", f"vendorcredits/{vid}")["vendor_credit"]
    assert (credit["balance"], credit["total_credits_used"], credit["status"]) == (10.0, 15.0, "open")
    credited = books.ok("GET", path)["bills_credited"]
    assert [(c["bill_id"], c["amount"]) for c in credited] == [(bill["bill_id"], 15)]
    after = books.ok("GET", f"bills/{bill['bill_id']}")["bill"]
    assert (after["vendor_credits_applied"], after["balance"]) == (15.0, 25.0)
    assert after["vendor_credits"][0]["vendor_credit_bill_id"] == credited[0]["vendor_credit_bill_id"]
    # applied: neither voided nor deleted; using the rest closes it, and a closed credit applies nothing more
    assert_zoho_error(books.post(f"vendorcredits/{vid}/status/void"), 400, 2)
    assert_zoho_error(books.delete(f"vendorcredits/{vid}"), 400, L.HAS_DEPENDENTS.code)
    books.ok("POST", path, json={"bills": [{"bill_id": bill["bill_id"], "amount_applied": 10}]})
    assert books.ok("GET", f"vendorcredits/{vid}")["vendor_credit"]["status"] == "closed"
    assert_zoho_error(books.post(path, {"bills": [{"bill_id": bill["bill_id"], "amount_applied": 1}]}), 400, 2)
    assert_zoho_error(books.post(f"bills/{bill['bill_id']}/status/void"), 400, 2)  # credited: not voided


def test_the_bill_offered_for_purchase_orders(zoho):
    books, ref = _setup(zoho)
    ids = []
    for qty in (3, 2):
        po = books.ok("POST", "purchaseorders", json={"vendor_id": ref["vendor"], "line_items": [
            {"item_id": ref["item"], "quantity": qty, "rate": 20}]})["purchaseorder"]
        books.ok("POST", f"purchaseorders/{po['purchaseorder_id']}/status/open")
        ids.append(po)
    query = {"purchaseorder_ids": ",".join(p["purchaseorder_id"] for p in ids)}
    offered = books.ok("GET", "bills/editpage/frompurchaseorders", params=query)
    bill = offered["bill"]
    assert offered["purchaseorder_ids"] == [p["purchaseorder_id"] for p in ids]
    assert (bill["vendor_id"], bill["bill_number"], bill["sub_total"]) == (ref["vendor"], "", 100)
    assert [li["purchaseorder_item_id"] for li in bill["line_items"]] == \
        [p["line_items"][0]["line_item_id"] for p in ids]
    assert books.ok("GET", "bills")["bills"] == [] or all(b["vendor_id"] != ref["vendor"]
                                                          for b in books.ok("GET", "bills")["bills"])  # nothing stored
    assert_zoho_error(books.get("bills/editpage/frompurchaseorders", params={"purchaseorder_ids": "1"}), 400, 2)
    assert_zoho_error(books.get("bills/editpage/frompurchaseorders"), 400, 2)
