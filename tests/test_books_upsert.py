"""Update (or create) by a custom field's unique value: ``PUT /<collection>`` with ``X-Unique-Identifier-Key``,
``X-Unique-Identifier-Value`` and the optional ``X-Upsert: true`` (issue 16), in both modes (``zoho``).

The record whose custom field (by ``api_name``) holds the value is updated as by ``PUT /<path>/{id}``; no
such record and ``X-Upsert: true``: created as by ``POST /<path>`` (answered 200 as documented) and carrying the value, so the next call
finds it; otherwise, a missing header, no match or several matches are code 2 naming the header (our choice).
"""
from __future__ import annotations

import pytest
from tests.books_helpers import assert_zoho_error, put_records, world

from mock_zoho import literals as L
from mock_zoho.books.resources import UPSERT_RESOURCES

KEY = "cf_external_id"


def _by(value: str, upsert: str | None = None, key: str = KEY) -> dict[str, str]:
    headers = {L.UNIQUE_KEY_HEADER: key, L.UNIQUE_VALUE_HEADER: value}
    if upsert is not None:
        headers[L.UPSERT_HEADER] = upsert
    return headers


def _cf(rec: dict, key: str = KEY) -> list:
    return [f.get("value") for f in rec.get("custom_fields") or [] if f.get("api_name") == key]


def test_contact_updated_then_upserted_by_custom_field(zoho):
    books = world(zoho)
    made = books.ok("POST", "contacts", json={"contact_name": "Acme", "custom_fields": [
        {"api_name": KEY, "value": "EXT-1", "label": "External id"}, {"api_name": "cf_region", "value": "North"}]})
    cid = made["contact"]["contact_id"]
    # a match: updated as by PUT /contacts/{id}, the same answer and message
    r = books.put("contacts", {"company_name": "Acme Holdings"}, headers=_by("EXT-1"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["code"] == 0
    assert body["contact"]["contact_id"] == cid and body["contact"]["company_name"] == "Acme Holdings"
    assert books.ok("GET", f"contacts/{cid}")["contact"]["company_name"] == "Acme Holdings"
    assert books.ok("PUT", f"contacts/{cid}", json={})["message"] == body["message"]
    # no match, no X-Upsert (or false): refused, nothing created
    before = len(books.ok("GET", "contacts")["contacts"])
    err = assert_zoho_error(books.put("contacts", {"contact_name": "Nobody"}, headers=_by("EXT-404")), 400, 2)
    assert L.UNIQUE_VALUE_HEADER in err["message"]
    assert_zoho_error(books.put("contacts", {"contact_name": "Nobody"}, headers=_by("EXT-404", "false")), 400, 2)
    assert len(books.ok("GET", "contacts")["contacts"]) == before
    # X-Upsert: true creates, carrying the value; the next call updates that one
    created = books.put("contacts", {"contact_name": "Bolt Ltd", "custom_fields": [{"api_name": "cf_region",
                                                                                   "value": "South"}]},
                        headers=_by("EXT-2", "true"))
    assert created.status_code == 200, created.text  # documented: 200, a create through PUT too
    new = created.json()["contact"]
    assert new["contact_name"] == "Bolt Ltd" and _cf(new) == ["EXT-2"] and _cf(new, "cf_region") == ["South"]
    again = books.ok("PUT", "contacts", json={"notes": "second"}, headers=_by("EXT-2", "TRUE"))["contact"]
    assert again["contact_id"] == new["contact_id"] and again["notes"] == "second"
    assert len(books.ok("GET", "contacts")["contacts"]) == before + 1
    # the other record's key is untouched by all of this
    assert _cf(books.ok("GET", f"contacts/{cid}")["contact"]) == ["EXT-1"]


def test_refusals_name_the_header(zoho):
    books = world(zoho)
    books.ok("POST", "items", json={"name": "Widget", "rate": 3, "custom_fields": [{"api_name": KEY, "value": "W"}]})
    books.ok("POST", "items", json={"name": "Gadget", "rate": 4, "custom_fields": [{"api_name": KEY, "value": "W"}]})
    for headers, named in (({}, L.UNIQUE_KEY_HEADER), ({L.UNIQUE_KEY_HEADER: KEY}, L.UNIQUE_VALUE_HEADER),
                           ({L.UNIQUE_KEY_HEADER: "", L.UNIQUE_VALUE_HEADER: "W"}, L.UNIQUE_KEY_HEADER),
                           (_by("X", "maybe"), L.UPSERT_HEADER),
                           (_by("W"), L.UNIQUE_KEY_HEADER)):  # two records hold it: the field is not unique
        err = assert_zoho_error(books.put("items", {"rate": 9}, headers=headers), 400, 2)
        assert named in err["message"], (headers, err)
    # a bad body on the create path is the create's own refusal
    assert_zoho_error(books.put("items", {"rate": 1, "custom_fields": "x"}, headers=_by("Z", "true")), 400, 2)
    assert_zoho_error(books.put("items", {"rate": 1}, headers=_by("Z", "true")), 400, 2)  # no name: required
    assert books.ok("GET", "items", params={"name": "Widget"})["items"][0]["rate"] == 3  # nothing changed
    # a PUT by custom field needs the module's UPDATE scope
    reader = world(zoho, scopes=("ZohoBooks.settings.READ",))  # items are in the settings module
    assert_zoho_error(reader.put("items", {"rate": 1}, headers=_by("W")), 401, 57)


def test_invoice_upsert_walk(zoho):
    books = world(zoho)
    customer = books.ok("POST", "contacts", json={"contact_name": "Cora"})["contact"]["contact_id"]
    line = {"name": "Consulting", "rate": 100, "quantity": 2}
    made = books.put("invoices", {"customer_id": customer, "line_items": [line]}, headers=_by("ORD-77", "true"))
    assert made.status_code == 200 and made.json()["message"] == "The invoice has been created.", made.text
    inv = made.json()["invoice"]
    assert inv["total"] == 200.0 and _cf(inv) == ["ORD-77"]
    updated = books.ok("PUT", "invoices", json={"line_items": [dict(line, quantity=3)]}, headers=_by("ORD-77", "true"))
    assert updated["invoice"]["invoice_id"] == inv["invoice_id"] and updated["invoice"]["total"] == 300.0
    assert updated["invoice"]["invoice_number"] == inv["invoice_number"]
    assert books.ok("GET", f"invoices/{inv['invoice_id']}")["invoice"]["total"] == 300.0


def test_project_upsert_keeps_its_key_unrendered(zoho):
    """projects.yml documents no custom_fields on a project: the value is stored (matched), not rendered."""
    books = world(zoho)
    customer = books.ok("POST", "contacts", json={"contact_name": "Dana"})["contact"]["contact_id"]
    user_id = books.ok("GET", "users/me")["user"]["user_id"]
    body = {"project_name": "Launch", "customer_id": customer, "billing_type": "based_on_task_hours",
            "user_id": user_id}
    pid = books.ok("PUT", "projects", json=body, headers=_by("P-1", "true"))["project"]["project_id"]
    renamed = books.ok("PUT", "projects", json={"project_name": "Launch 2"}, headers=_by("P-1"))["project"]
    assert renamed["project_id"] == pid and renamed["project_name"] == "Launch 2"
    assert "custom_fields" not in renamed


def test_every_documented_collection_takes_it(zoho):
    """Each of the 15 resources answers PUT /<path> (no route gap): a miss without X-Upsert is code 2."""
    books = world(zoho)
    from mock_zoho.books.resources import SPECS
    assert len(UPSERT_RESOURCES) == 15
    for name in UPSERT_RESOURCES:
        err = assert_zoho_error(books.put(SPECS[name].path, {}, headers=_by("none")), 400, 2)
        assert L.UNIQUE_VALUE_HEADER in err["message"], name


@pytest.mark.parametrize("resource", ["invoices", "contacts", "bills", "salesorders", "items"])
def test_seeded_records_carry_a_unique_custom_field(zoho, resource):
    """The seeder gives records of the upsert resources a unique ``cf_external_id``: a seeded record is
    found and updated by it."""
    from mock_zoho.books.resources import SPECS
    spec = SPECS[resource]
    books = world(zoho, counts={"currencies": 2, "chartofaccounts": 43, "taxes": 2, "contacts": 6, "items": 3,
                                resource: 3})
    detail = None
    for row in books.ok("GET", spec.path)[spec.list_key]:
        detail = books.ok("GET", f"{spec.path}/{row[spec.id_field]}")[spec.detail_key]
        if _cf(detail):
            break
    assert detail is not None and _cf(detail), f"no seeded {resource} carries {KEY}"
    value = _cf(detail)[0]
    r = books.put(spec.path, {}, headers=_by(value))
    assert r.status_code == 200, r.text
    assert r.json()[spec.detail_key][spec.id_field] == detail[spec.id_field]


# ---- employees (expenses.yml) ------------------------------------------------------------------------
def test_employee_walk(zoho):
    books = world(zoho, counts={"employees": 2})
    seeded = books.ok("GET", "employees")["employees"]
    assert len(seeded) == 2 and all(set(e) == {"employee_id", "name", "email"} for e in seeded)
    made = books.post("employees", {"name": "Ann Lee", "email": "ann@acme.example"})
    assert made.status_code == 201, made.text
    emp = made.json()["employee"]
    assert (emp["name"], emp["email"]) == ("Ann Lee", "ann@acme.example") and emp["employee_id"]
    assert books.ok("GET", f"employees/{emp['employee_id']}")["employee"] == emp
    listed = books.ok("GET", "employees", params={"search_text": "ann lee", "per_page": 1})
    assert [e["employee_id"] for e in listed["employees"]] == [emp["employee_id"]]
    assert listed["page_context"]["per_page"] == 1
    # refusals: required fields, a malformed or taken email
    for body, field in (({"email": "x@y.example"}, "name"), ({"name": "X"}, "email"),
                        ({"name": "X", "email": "not-an-email"}, "email")):
        assert field in assert_zoho_error(books.post("employees", body), 400, 2)["message"]
    assert_zoho_error(books.post("employees", {"name": "Other", "email": "ANN@acme.example"}), 400, 1001)
    # no update; delete at the singular path only, as documented
    assert_zoho_error(books.put(f"employees/{emp['employee_id']}", {"name": "B"}), 405, 37)
    assert_zoho_error(books.delete(f"employees/{emp['employee_id']}"), 405, 37)
    gone = books.delete(f"employee/{emp['employee_id']}")
    assert gone.status_code == 200 and gone.json() == {"code": 0, "message": "Employee has been deleted."}
    assert_zoho_error(books.get(f"employees/{emp['employee_id']}"), 404, 1002)
    assert_zoho_error(books.delete(f"employee/{emp['employee_id']}"), 404, 1002)
    assert len(books.ok("GET", "employees")["employees"]) == 2
    # the expenses module's scope
    reader = world(zoho, scopes=("ZohoBooks.expenses.READ",))
    assert reader.ok("GET", "employees")["employees"] == []
    assert_zoho_error(reader.post("employees", {"name": "N", "email": "n@x.example"}), 401, 57)


# ---- a purchase order's reject, a sales order's custom sub-status ------------------------------------
def _contacts_and_item(books):
    vendor = books.ok("POST", "contacts", json={"contact_name": "Acme", "contact_type": "vendor"})["contact"]
    customer = books.ok("POST", "contacts", json={"contact_name": "Bob Ltd"})["contact"]
    item = books.ok("POST", "items", json={"name": "Widget", "rate": 30, "purchase_rate": 20})["item"]
    return vendor["contact_id"], customer["contact_id"], item["item_id"]


def test_purchase_order_reject(zoho):
    books = world(zoho)
    vendor, _, item = _contacts_and_item(books)
    po = books.ok("POST", "purchaseorders", json={"vendor_id": vendor, "line_items": [{"item_id": item}]})
    pid = po["purchaseorder"]["purchaseorder_id"]
    assert_zoho_error(books.post(f"purchaseorders/{pid}/reject"), 400, 2)  # a draft is not pending approval
    books.ok("POST", f"purchaseorders/{pid}/submit")
    assert books.ok("GET", f"purchaseorders/{pid}")["purchaseorder"]["status"] == "pending_approval"
    r = books.post(f"purchaseorders/{pid}/reject")
    assert r.status_code == 201 and r.json() == {"code": 0, "message": "You have rejected the Purchase order successfully."}
    assert books.ok("GET", f"purchaseorders/{pid}")["purchaseorder"]["status"] == "draft"
    assert_zoho_error(books.post(f"purchaseorders/{pid}/reject"), 400, 2)
    assert_zoho_error(books.post("purchaseorders/999/reject"), 404, 1002)
    # purchase-order.yml asks the UPDATE scope: CREATE alone is not enough
    creator = world(zoho, scopes=("ZohoBooks.purchaseorders.CREATE", "ZohoBooks.purchaseorders.READ"))
    assert_zoho_error(creator.post("purchaseorders/1/reject"), 401, 57)


def test_sales_order_sub_status(zoho):
    books = world(zoho)
    _, customer, item = _contacts_and_item(books)
    so = books.ok("POST", "salesorders", json={"customer_id": customer, "line_items": [{"item_id": item}]})["salesorder"]
    sid = so["salesorder_id"]
    assert so["sub_statuses"] == []
    books.ok("POST", f"salesorders/{sid}/status/open")
    r = books.post(f"salesorders/{sid}/substatus/cs_openshi", {"status_code": "cs_ignored"})
    assert r.status_code == 200 and r.json() == {"code": 0, "message": "Sales Order status updated successfully."}
    after = books.ok("GET", f"salesorders/{sid}")["salesorder"]
    [sub] = after["sub_statuses"]
    assert (sub["status_code"], sub["parent_status"], sub["label_name"]) == ("cs_openshi", "open", "cs_openshi")
    assert after["status"] == "open" and after["last_modified_time"] >= so["last_modified_time"]
    books.ok("POST", f"salesorders/{sid}/substatus/cs_openshi")  # the same code keeps its id
    assert books.ok("GET", f"salesorders/{sid}")["salesorder"]["sub_statuses"][0]["status_id"] == sub["status_id"]
    books.ok("POST", f"salesorders/{sid}/substatus/cs_packed")
    assert [s["status_code"] for s in books.ok("GET", f"salesorders/{sid}")["salesorder"]["sub_statuses"]] == ["cs_packed"]
    for code in ("open", "cs_", "cs_bad-code"):
        assert "status_code" in assert_zoho_error(books.post(f"salesorders/{sid}/substatus/{code}"), 400, 2)["message"]
    books.ok("POST", f"salesorders/{sid}/status/void")
    assert "status" in assert_zoho_error(books.post(f"salesorders/{sid}/substatus/cs_packed"), 400, 2)["message"]


# ---- a contact's unused retainer payments ------------------------------------------------------------
def test_unused_retainer_payments(zoho):
    books = world(zoho)
    cid = books.ok("POST", "contacts", json={"contact_name": "Cora"})["contact"]["contact_id"]
    other = books.ok("POST", "contacts", json={"contact_name": "Dan"})["contact"]["contact_id"]
    path = f"contacts/{cid}/receivables/unusedretainerpayments"
    assert books.ok("GET", path)["unused_credits_receivable"] == []
    base = {"status": "paid", "currency_id": "1", "currency_code": "USD", "currency_symbol": "$", "total": 100.0}
    put_records(zoho, books.org_id, "retainerinvoices", [
        dict(base, customer_id=cid, retainerinvoice_number="RET-2", date="2026-11-05", payment_made=100.0,
             payment_drawn=40.0, last_payment_date="2026-11-06", reference_number="R-2"),
        dict(base, customer_id=cid, retainerinvoice_number="RET-1", date="2026-10-01", payment_made=50.0,
             payment_drawn=0.0),
        dict(base, customer_id=cid, retainerinvoice_number="RET-3", payment_made=80.0, payment_drawn=80.0),  # used up
        dict(base, customer_id=cid, retainerinvoice_number="RET-4", payment_made=0.0, payment_drawn=0.0, status="sent"),
        dict(base, customer_id=cid, retainerinvoice_number="RET-5", payment_made=20.0, status="void"),
        dict(base, customer_id=other, retainerinvoice_number="RET-6", payment_made=70.0, payment_drawn=0.0),
        dict(base, customer_id=cid, retainerinvoice_number="RET-7", currency_id="2", currency_code="EUR",
             payment_made=30.0, payment_drawn=10.0, date="2026-12-01")])
    rows = books.ok("GET", path)["unused_credits_receivable"]
    assert [(r["payment_number"], r["amount"], r["unused_amount"]) for r in rows] == [
        ("RET-1", 50.0, 50.0), ("RET-2", 100.0, 60.0), ("RET-7", 30.0, 20.0)]
    assert rows[1]["date"] == "2026-11-06" and rows[1]["reference_number"] == "R-2"
    assert set(rows[0]) == {"payment_id", "payment_number", "date", "amount", "unused_amount", "currency_id",
                            "currency_code", "currency_symbol", "reference_number", "payment_mode", "description"}
    eur = books.ok("GET", path, params={"currency_id": "2"})["unused_credits_receivable"]
    assert [r["payment_number"] for r in eur] == ["RET-7"]
    assert_zoho_error(books.get("contacts/999/receivables/unusedretainerpayments"), 404, 1002)
    reader = world(zoho, scopes=("ZohoBooks.invoices.READ",))  # contacts.yml asks the contacts scope
    assert_zoho_error(reader.get("contacts/1/receivables/unusedretainerpayments"), 401, 57)


# ---- an invoice from confirmed sales orders ----------------------------------------------------------
def test_invoice_from_sales_orders(zoho):
    books = world(zoho)
    _, customer, item = _contacts_and_item(books)
    other = books.ok("POST", "contacts", json={"contact_name": "Eve"})["contact"]["contact_id"]

    def order(cid, qty, **extra):
        so = books.ok("POST", "salesorders", json={"customer_id": cid, "line_items": [
            {"item_id": item, "quantity": qty}], **extra})["salesorder"]
        return so["salesorder_id"], so["salesorder_number"]

    (a, a_no), (b, b_no) = order(customer, 2, shipping_charge=5), order(customer, 1)
    (c, _), (d, _) = order(other, 1), order(customer, 4)
    assert_zoho_error(books.post("invoices/fromsalesorder", params={"salesorder_id": a}), 400, 2)  # a draft
    for sid in (a, b, c):
        books.ok("POST", f"salesorders/{sid}/status/open")
    before = len(books.ok("GET", "invoices")["invoices"])
    r = books.post("invoices/fromsalesorder", params={"salesorder_id": f"{a},{b}"})
    assert r.status_code == 201 and r.json()["message"] == "The invoice has been created.", r.text
    inv = r.json()["invoice"]
    assert inv["customer_id"] == customer and inv["reference_number"] == f"{a_no}, {b_no}"
    assert [line["quantity"] for line in inv["line_items"]] == [2, 1] and inv["shipping_charge"] == 5.0
    assert inv["total"] == 95.0 and inv["status"] == "draft"  # 3 x 30 + 5
    assert {books.ok("GET", f"salesorders/{sid}")["salesorder"]["status"] for sid in (a, b)} == {"invoiced"}
    # refusals leave everything as it was: invoiced already, another customer's order, a draft, bad ids
    for ids, named in ((a, "status"), (f"{c},{d}", "salesorder_id"), (d, "status"), ("", "salesorder_id"),
                       ("x1", "salesorder_id")):
        assert named in assert_zoho_error(books.post("invoices/fromsalesorder", params={"salesorder_id": ids}),
                                          400, 2)["message"], ids
    assert_zoho_error(books.post("invoices/fromsalesorder", params={"salesorder_id": "999"}), 404, 1002)
    assert len(books.ok("GET", "invoices")["invoices"]) == before + 1
    assert books.ok("GET", f"salesorders/{c}")["salesorder"]["status"] == "open"
