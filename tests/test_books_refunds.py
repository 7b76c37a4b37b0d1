"""Refunds, credits applied and payment rows (issue 16): one implementation per kind, every resource.

Refunds of credit notes, vendor credits, customer and vendor payments move what is left of them
(refused past it: code 2 naming amount), list newest first and show in the collection lists; credits
and payments applied to invoices and bills are listed from both sides and taken back, balances and
statuses moving both ways; bulk deletes of payments. Both modes (``zoho``), answers replay-verified.
"""
from __future__ import annotations

from tests.books_helpers import assert_zoho_error, put_records, world

from mock_zoho import literals as L


def _setup(zoho):
    """An org with a bank account, a customer and a vendor."""
    books = world(zoho)
    bank = put_records(zoho, books.org_id, "chartofaccounts", [{"account_name": "Checking", "account_type": "bank"}])[0]
    customer = books.ok("POST", "contacts", json={"contact_name": "Bob Ltd"})["contact"]["contact_id"]
    vendor = books.ok("POST", "contacts", json={"contact_name": "Acme Supplies", "contact_type": "vendor"})["contact"]
    return books, {"bank": bank, "customer": customer, "vendor": vendor["contact_id"]}


def _line(rate: float) -> list[dict]:
    return [{"name": "Service", "rate": rate}]


def _invoice(books, ref, rate: float) -> dict:
    inv = books.ok("POST", "invoices", json={"customer_id": ref["customer"], "line_items": _line(rate)})["invoice"]
    books.ok("POST", f"invoices/{inv['invoice_id']}/status/sent")
    return inv


def _credit_note(books, ref, rate: float) -> dict:
    return books.ok("POST", "creditnotes", json={"customer_id": ref["customer"], "line_items": _line(rate)})["creditnote"]


def _field(books, path: str, key: str, *fields: str) -> tuple:
    rec = books.ok("GET", path)[key]
    return tuple(rec[f] for f in fields)


def _unused(books, payment_id: str) -> float:
    """A customer payment's unused amount (its list row shows it; the detail does not)."""
    return next(p["unused_amount"] for p in books.ok("GET", "customerpayments")["customerpayments"]
                if p["payment_id"] == payment_id)


def test_credit_note_refund_walk(zoho):
    books, ref = _setup(zoho)
    cn = _credit_note(books, ref, 100)
    cid = cn["creditnote_id"]
    base = f"creditnotes/{cid}/refunds"
    made = books.ok("POST", base, json={"date": "2026-11-03", "amount": 30, "refund_mode": "check",
                                        "reference_number": "R-1", "from_account_id": ref["bank"]})
    assert made["message"] == "The credit note amount is refunded successfully."
    refund = made["creditnote_refund"]
    rid = refund["creditnote_refund_id"]
    assert (refund["creditnote_id"], refund["amount"], refund["refund_mode"], refund["customer_name"]) == \
        (cid, 30, "check", "Bob Ltd")
    assert _field(books, f"creditnotes/{cid}", "creditnote", "balance", "status", "total_refunded_amount") == \
        (70.0, "open", 30.0)
    # more than is left: code 2 naming amount; an unknown account: code 2 naming it; nothing moved
    assert "amount" in assert_zoho_error(books.post(base, {"amount": 70.01}), 400, 2)["message"]
    assert "amount" in assert_zoho_error(books.post(base, {"amount": 0}), 400, 2)["message"]
    assert "from_account_id" in assert_zoho_error(
        books.post(base, {"amount": 5, "from_account_id": "999"}), 400, 2)["message"]
    second = books.ok("POST", base, json={"date": "2026-11-05", "amount": 20})["creditnote_refund"]
    listed = books.ok("GET", base)
    assert listed["message"] == "The refunds of the existing credit note are displayed successfully."
    assert [r["creditnote_refund_id"] for r in listed["creditnote_refunds"]] == [second["creditnote_refund_id"], rid]
    assert listed["creditnote_refunds"][1]["creditnote_number"] == cn["creditnote_number"]
    assert listed["page_context"]["report_name"] == "Credit Notes Refund"
    everyone = books.ok("GET", "creditnotes/refunds")["creditnote_refunds"]
    assert {r["creditnote_refund_id"] for r in everyone} == {rid, second["creditnote_refund_id"]}
    mine = books.ok("GET", "creditnotes/refunds", params={"customer_id": ref["customer"]})["creditnote_refunds"]
    assert len(mine) == 2 and books.ok("GET", "creditnotes/refunds", params={
        "customer_id": ref["vendor"]})["creditnote_refunds"] == []
    got = books.ok("GET", f"{base}/{rid}")
    assert got["creditnote_refund"] == refund
    # update: the difference moves the balance; past what is left refused
    assert "amount" in assert_zoho_error(books.put(f"{base}/{rid}", {"amount": 81}), 400, 2)["message"]
    updated = books.ok("PUT", f"{base}/{rid}", json={"amount": 80})
    assert updated["message"] == "The credit note refund is updated successfully."
    assert updated["creditnote_refund"]["amount"] == 80
    assert _field(books, f"creditnotes/{cid}", "creditnote", "balance", "status") == (0.0, "closed")
    # an update of the credit note itself keeps what was refunded
    books.ok("PUT", f"creditnotes/{cid}", json={"notes": "Refunded"})
    assert _field(books, f"creditnotes/{cid}", "creditnote", "balance", "status") == (0.0, "closed")
    assert_zoho_error(books.delete(f"creditnotes/{cid}"), 400, L.HAS_DEPENDENTS.code)  # refunded: kept
    deleted = books.ok("DELETE", f"{base}/{rid}")
    assert deleted == {"code": 0, "message": "The refund has been successfully deleted."}
    assert _field(books, f"creditnotes/{cid}", "creditnote", "balance", "status", "total_refunded_amount") == \
        (80.0, "open", 20.0)
    assert_zoho_error(books.get(f"{base}/{rid}"), 404, 1002)
    assert_zoho_error(books.delete(f"{base}/{rid}"), 404, 1002)
    # a void credit note refunds nothing
    books.ok("DELETE", f"{base}/{second['creditnote_refund_id']}")
    books.ok("POST", f"creditnotes/{cid}/status/void")
    assert "status" in assert_zoho_error(books.post(base, {"amount": 1}), 400, 2)["message"]


def test_payment_refunds_move_unused_amounts(zoho):
    books, ref = _setup(zoho)
    inv = _invoice(books, ref, 60)
    pay = books.ok("POST", "customerpayments", json={
        "customer_id": ref["customer"], "amount": 100, "invoices": [{"invoice_id": inv["invoice_id"], "amount_applied": 60}]})
    pid = pay["payment"]["payment_id"]
    base = f"customerpayments/{pid}/refunds"
    assert "from_account_id" in assert_zoho_error(books.post(base, {"amount": 10}), 400, 2)["message"]
    assert "amount" in assert_zoho_error(books.post(base, {"amount": 41, "from_account_id": ref["bank"]}), 400, 2)["message"]
    made = books.ok("POST", base, json={"amount": 30, "from_account_id": ref["bank"], "description": "Overpaid"})
    assert made["message"] == "The refund information for this payment has been saved."
    (refund,) = made["payment_refunds"]  # one refund, answered in a one-item array as documented
    rid = refund["payment_refund_id"]
    assert (refund["payment_id"], refund["amount"], refund["description"]) == (pid, 30, "Overpaid")
    assert (_unused(books, pid), books.ok("GET", f"customerpayments/{pid}")["payment"]["amount_refunded"]) == (10.0, 30.0)
    assert books.ok("GET", f"contacts/{ref['customer']}")["contact"]["unused_credits_receivable_amount"] == 10.0
    # the payment's own update keeps the refund out of its unused amount
    books.ok("PUT", f"customerpayments/{pid}", json={"description": "March"})
    assert _unused(books, pid) == 10.0
    listed = books.ok("GET", base, params={"per_page": 1})
    assert [r["payment_refund_id"] for r in listed["payment_refunds"]] == [rid]
    assert listed["payment_refunds"][0]["amount_fcy"] == 30 and listed["page_context"]["per_page"] == 1
    assert books.ok("PUT", f"{base}/{rid}", json={"amount": 40})["payment_refunds"][0]["amount"] == 40
    assert_zoho_error(books.delete(f"customerpayments/{pid}"), 400, L.HAS_DEPENDENTS.code)  # refunded: kept
    assert _unused(books, pid) == 0.0
    assert books.ok("DELETE", f"{base}/{rid}")["message"] == "The refund has been deleted."
    assert (_unused(books, pid), books.ok("GET", f"customerpayments/{pid}")["payment"]["amount_refunded"]) == (40.0, 0.0)


def test_vendor_side_refunds(zoho):
    books, ref = _setup(zoho)
    vc = books.ok("POST", "vendorcredits", json={"vendor_id": ref["vendor"], "line_items": _line(50)})["vendor_credit"]
    vid = vc["vendor_credit_id"]
    base = f"vendorcredits/{vid}/refunds"
    assert "account_id" in assert_zoho_error(books.post(base, {"amount": 5, "date": "2026-11-02"}), 400, 2)["message"]
    made = books.post(base, {"amount": 20, "date": "2026-11-02", "account_id": ref["bank"]})
    assert made.status_code == 201
    refund = made.json()["vendor_credit_refund"]
    assert made.json()["message"] == "The refund information for this vendor credit has been saved."
    assert (refund["account_name"], refund["amount"], refund["vendor_credit_id"]) == ("Checking", 20, vid)
    assert _field(books, f"vendorcredits/{vid}", "vendor_credit", "balance", "total_refunded_amount") == (30.0, 20.0)
    everyone = books.ok("GET", "vendorcredits/refunds")
    assert [r["vendor_credit_refund_id"] for r in everyone[next(k for k in everyone if k.endswith("refunds"))]] == \
        [refund["vendor_credit_refund_id"]]
    assert_zoho_error(books.delete(f"vendorcredits/{vid}"), 400, L.HAS_DEPENDENTS.code)  # refunded: kept
    books.ok("DELETE", f"{base}/{refund['vendor_credit_refund_id']}")
    assert _field(books, f"vendorcredits/{vid}", "vendor_credit", "balance") == (50.0,)
    # a vendor payment's excess comes back to an account
    vp = books.ok("POST", "vendorpayments", json={"vendor_id": ref["vendor"], "amount": 25,
                                                  "paid_through_account_id": ref["bank"]})["vendorpayment"]
    path = f"vendorpayments/{vp['payment_id']}/refunds"
    assert "amount" in assert_zoho_error(books.post(path, {"amount": 26, "to_account_id": ref["bank"]}), 400, 2)["message"]
    made = books.post(path, {"amount": 25, "to_account_id": ref["bank"], "date": "2026-11-04"})
    assert made.status_code == 201 and made.json()["message"] == "Vendor Payment Refunded successfully"
    (row,) = made.json()["vendorpayment_refund"]
    assert (row["to_account_name"], row["vendorpayment_id"]) == ("Checking", vp["payment_id"])
    assert _field(books, f"vendorpayments/{vp['payment_id']}", "vendorpayment", "balance") == (0.0,)
    listed = books.ok("GET", path)["vendorpayment_refunds"]
    assert [r["vendorpayment_refund_id"] for r in listed] == [row["vendorpayment_refund_id"]]
    books.ok("PUT", f"{path}/{row['vendorpayment_refund_id']}", json={"amount": 5})
    assert _field(books, f"vendorpayments/{vp['payment_id']}", "vendorpayment", "balance") == (20.0,)


def test_credits_applied_to_an_invoice_both_ways(zoho):
    books, ref = _setup(zoho)
    inv = _invoice(books, ref, 110)
    iid = inv["invoice_id"]
    cn = _credit_note(books, ref, 50)
    pay = books.ok("POST", "customerpayments", json={"customer_id": ref["customer"], "amount": 40})["payment"]
    body = {"apply_creditnotes": [{"creditnote_id": cn["creditnote_id"], "amount_applied": 50}],
            "invoice_payments": [{"payment_id": pay["payment_id"], "amount_applied": 40}]}
    # more than a source has left, or a refusal of any row: nothing applied
    over = {**body, "invoice_payments": [{"payment_id": pay["payment_id"], "amount_applied": 41}]}
    assert_zoho_error(books.post(f"invoices/{iid}/credits", over), 400, 2)
    assert _field(books, f"invoices/{iid}", "invoice", "balance") == (110.0,)
    assert "invoice_payments" in assert_zoho_error(books.post(f"invoices/{iid}/credits", {}), 400, 2)["message"]
    assert books.ok("POST", f"invoices/{iid}/credits", json=body)["message"] == "Credits have been applied to the invoice(s)."
    assert _field(books, f"invoices/{iid}", "invoice", "balance", "credits_applied", "payment_made", "status") == \
        (20.0, 50.0, 40.0, "partially_paid")
    assert _field(books, f"creditnotes/{cn['creditnote_id']}", "creditnote", "balance", "status") == (0.0, "closed")
    assert _unused(books, pay['payment_id']) == 0.0
    (credit,) = books.ok("GET", f"invoices/{iid}/creditsapplied")["credits"]
    assert (credit["creditnote_id"], credit["creditnotes_number"], credit["amount_applied"]) == \
        (cn["creditnote_id"], cn["creditnote_number"], 50)
    (credited,) = books.ok("GET", f"creditnotes/{cn['creditnote_id']}/invoices")["invoices_credited"]
    assert credited["creditnote_invoice_id"] == credit["creditnotes_invoice_id"]
    assert (credited["invoice_id"], credited["credited_amount"]) == (iid, 50)
    (payment_row,) = books.ok("GET", f"invoices/{iid}/payments")["payments"]
    # take the credit back from the invoice's side: the credit note is open again
    gone = books.ok("DELETE", f"invoices/{iid}/creditsapplied/{credit['creditnotes_invoice_id']}")
    assert gone["message"] == "Credits applied to an invoice have been deleted."
    assert _field(books, f"invoices/{iid}", "invoice", "balance", "credits_applied") == (70.0, 0.0)
    assert _field(books, f"creditnotes/{cn['creditnote_id']}", "creditnote", "balance", "status") == (50.0, "open")
    assert_zoho_error(books.delete(f"invoices/{iid}/creditsapplied/{credit['creditnotes_invoice_id']}"), 404, 1002)
    # applied again through the credit note, taken back from its side
    books.ok("POST", f"creditnotes/{cn['creditnote_id']}/invoices",
             json={"invoices": [{"invoice_id": iid, "amount_applied": 10}]})
    (again,) = books.ok("GET", f"creditnotes/{cn['creditnote_id']}/invoices")["invoices_credited"]
    books.ok("DELETE", f"creditnotes/{cn['creditnote_id']}/invoices/{again['creditnote_invoice_id']}")
    assert books.ok("GET", f"invoices/{iid}/creditsapplied")["credits"] == []
    # the payment row: deleted from the invoice, the payment is unused again
    removed = books.ok("DELETE", f"invoices/{iid}/payments/{payment_row['invoice_payment_id']}")
    assert removed["message"] == "The payment has been deleted."
    assert _field(books, f"invoices/{iid}", "invoice", "balance", "payment_made", "status") == (110.0, 0.0, "sent")
    assert _unused(books, pay['payment_id']) == 40.0
    assert books.ok("GET", f"invoices/{iid}/payments")["payments"] == []


def test_bill_credits_payments_and_vendor_credit_rows(zoho):
    books, ref = _setup(zoho)
    bill = books.ok("POST", "bills", json={"vendor_id": ref["vendor"], "bill_number": "B-1", "line_items": _line(80)})["bill"]
    bid = bill["bill_id"]
    vc = books.ok("POST", "vendorcredits", json={"vendor_id": ref["vendor"], "line_items": _line(30)})["vendor_credit"]
    vp = books.ok("POST", "vendorpayments", json={"vendor_id": ref["vendor"], "amount": 50,
                                                  "paid_through_account_id": ref["bank"]})["vendorpayment"]
    applied = books.post(f"bills/{bid}/credits", {
        "bill_payments": [{"payment_id": vp["payment_id"], "amount_applied": 50}],
        "apply_vendor_credits": [{"vendor_credit_id": vc["vendor_credit_id"], "amount_applied": 30}]})
    assert applied.status_code == 201 and applied.json()["message"] == "Credits have been applied to the bill(s)."
    assert _field(books, f"bills/{bid}", "bill", "balance", "status") == (0.0, "paid")
    assert _field(books, f"vendorcredits/{vc['vendor_credit_id']}", "vendor_credit", "balance", "status") == (0.0, "closed")
    (row,) = books.ok("GET", f"bills/{bid}/payments")["payments"]
    assert (row["payment_id"], row["amount"], row["paid_through"], row["is_single_bill_payment"]) == \
        (vp["payment_id"], 50, "Checking", True)
    assert books.ok("DELETE", f"bills/{bid}/payments/{row['bill_payment_id']}")["message"] == "The payment has been deleted."
    assert _field(books, f"bills/{bid}", "bill", "balance", "payment_made") == (50.0, 0.0)
    assert _field(books, f"vendorpayments/{vp['payment_id']}", "vendorpayment", "balance") == (50.0,)
    assert books.ok("GET", f"bills/{bid}/payments")["payments"] == []
    (credited,) = books.ok("GET", f"vendorcredits/{vc['vendor_credit_id']}/bills")["bills_credited"]
    link = credited["vendor_credit_bill_id"]
    gone = books.ok("DELETE", f"vendorcredits/{vc['vendor_credit_id']}/bills/{link}")
    assert gone["message"] == "Credits applied to the bill have been deleted."
    assert _field(books, f"bills/{bid}", "bill", "balance", "vendor_credits_applied", "vendor_credits") == (80.0, 0.0, [])
    assert _field(books, f"vendorcredits/{vc['vendor_credit_id']}", "vendor_credit", "balance", "status") == (30.0, "open")
    assert_zoho_error(books.delete(f"vendorcredits/{vc['vendor_credit_id']}/bills/{link}"), 404, 1002)
    books.ok("DELETE", f"vendorcredits/{vc['vendor_credit_id']}")  # nothing applied any more: deleted


def test_bulk_delete_payments(zoho):
    books, ref = _setup(zoho)
    inv = _invoice(books, ref, 90)
    ids = [books.ok("POST", "customerpayments", json={
        "customer_id": ref["customer"], "amount": 30, "invoices": [{"invoice_id": inv["invoice_id"], "amount_applied": 30}]}
    )["payment"]["payment_id"] for _ in range(2)]
    assert _field(books, f"invoices/{inv['invoice_id']}", "invoice", "balance") == (30.0,)
    assert "bulk_delete" in assert_zoho_error(books.delete("customerpayments", params={"payment_id": ids[0]}),
                                              400, 2)["message"]
    unknown = books.delete("customerpayments", params={"payment_id": f"{ids[0]},999", "bulk_delete": "true"})
    assert "payment_id" in assert_zoho_error(unknown, 400, 2)["message"]
    assert books.ok("GET", f"customerpayments/{ids[0]}")["payment"]["amount"] == 30  # nothing deleted
    done = books.ok("DELETE", "customerpayments", params={"payment_id": ",".join(ids), "bulk_delete": "true"})
    assert done["message"] == "The selected customer payments have been deleted."
    for pid in ids:
        assert_zoho_error(books.get(f"customerpayments/{pid}"), 404, 1002)
    assert _field(books, f"invoices/{inv['invoice_id']}", "invoice", "balance", "status") == (90.0, "sent")
    vp = books.ok("POST", "vendorpayments", json={"vendor_id": ref["vendor"], "amount": 5,
                                                  "paid_through_account_id": ref["bank"]})["vendorpayment"]
    answer = books.ok("DELETE", "vendorpayments", params={"vendorpayment_id": vp["payment_id"], "bulk_delete": "true"})
    assert answer["message"] == "The selected vendor payments have been deleted."
    assert books.ok("GET", "vendorpayments")["vendorpayments"] == []


def test_a_contacts_refunds_and_the_expense_receipt_under_invoices(zoho):
    books, ref = _setup(zoho)
    cid = _credit_note(books, ref, 100)["creditnote_id"]
    books.ok("POST", f"creditnotes/{cid}/refunds", json={"date": "2026-11-03", "amount": 30, "refund_mode": "cash",
                                                         "from_account_id": ref["bank"]})
    listed = books.ok("GET", f"contacts/{ref['customer']}/refunds")
    assert [(r["creditnote_id"], r["amount"]) for r in listed["creditnote_refunds"]] == [(cid, 30)]
    assert listed["page_context"]["report_name"] == "Credit Notes Refund"
    assert books.ok("GET", f"contacts/{ref['vendor']}/refunds")["creditnote_refunds"] == []
    assert_zoho_error(books.get("contacts/460000000000001/refunds"), 404, 1002)
    # invoices.yml documents DELETE /invoices/expenses/{id}/receipt with the invoices scope
    scoped = world(zoho, scopes=["ZohoBooks.invoices.DELETE", "ZohoBooks.expenses.CREATE", "ZohoBooks.expenses.READ"])
    exp = put_records(zoho, scoped.org_id, "expenses", [{"description": "Taxi", "total": 12}])[0]
    scoped.call("POST", f"expenses/{exp}/receipt", files={"receipt": ("taxi.pdf", b"%PDF-1.4 r", "application/pdf")})
    assert_zoho_error(scoped.call("DELETE", f"expenses/{exp}/receipt"), 401, 57)  # needs expenses.DELETE
    gone = scoped.ok("DELETE", f"invoices/expenses/{exp}/receipt")
    assert gone["message"] == "The attached expense receipt has been deleted."
    assert_zoho_error(scoped.get(f"expenses/{exp}/receipt"), 404, 1002)
