"""Sales-side fields and shapes Zoho's documents give (issue 13's conformance, sales share), in both modes:
custom field rows, customer debit notes, an estimate's project, sales order lines' tax flags, edition
fields (UK VAT number, India's pre-GST flag), page contexts (invoices' response_option, item details,
the recurring invoice detail) and the recurring invoice history's comment text. Each on a seeded record
and on one written through the API, with the refusals the writes answer.
"""
from __future__ import annotations

from typing import Any

from tests.books_helpers import assert_zoho_error, world

# Enough of each resource for the checks, little else: every test seeds its own org.
COUNTS = {"invoices": 6, "customerpayments": 3, "bills": 2, "vendorpayments": 1, "expenses": 2, "journals": 1,
          "banktransactions": 4, "accounttransactions": 4, "timeentries": 6, "purchaseorders": 1}
ROW_KEYS = {"customfield_id", "index", "label", "api_name", "data_type", "value", "value_formatted", "show_on_pdf"}


def _first(books, path: str, key: str, **params: Any) -> dict[str, Any]:
    return books.ok("GET", path, params={"per_page": 200, **params})[key][0]


def _item(books) -> dict[str, Any]:
    return _first(books, "items", "items")


def test_custom_field_rows_carry_their_field(zoho):
    books = world(zoho, counts=COUNTS)
    seeded = next(c for c in books.ok("GET", "contacts", params={"per_page": 200})["contacts"]
                  if books.ok("GET", f"contacts/{c['contact_id']}")["contact"]["custom_fields"])
    row = books.ok("GET", f"contacts/{seeded['contact_id']}")["contact"]["custom_fields"][0]
    assert ROW_KEYS <= set(row) and (row["label"], row["index"], row["data_type"]) == ("External ID", 1, "string")
    # a row naming its field by index is that field (the seeded External ID), every key answered
    made = books.ok("POST", "contacts", json={"contact_name": "Gamma GmbH",
                                              "custom_fields": [{"index": 1, "value": "GBGD078"}]})["contact"]
    mine = made["custom_fields"][0]
    assert set(mine) == ROW_KEYS
    assert (mine["customfield_id"], mine["label"], mine["api_name"]) == (row["customfield_id"], "External ID",
                                                                         "cf_external_id")
    assert (mine["value"], mine["value_formatted"], mine["show_on_pdf"]) == ("GBGD078", "GBGD078", False)
    # a new field named by its label: the next index, a text field whose value reads back as text
    cid = made["contact_id"]
    pay = books.ok("POST", "customerpayments", json={
        "customer_id": cid, "amount": 40, "payment_mode": "cash", "date": "2026-06-01",
        "custom_fields": [{"label": "Region code", "value": 129890}]})["payment"]
    field = pay["custom_fields"][0]
    assert (field["label"], field["data_type"], field["value"], field["value_formatted"]) == \
        ("Region code", "string", "129890", "129890")
    assert isinstance(field["index"], int) and field["index"] >= 2 and field["api_name"] == "cf_region_code"
    again = books.ok("PUT", f"customerpayments/{pay['payment_id']}", json={
        "custom_fields": [{"label": "Region code", "value": 42.0}]})["payment"]["custom_fields"][0]
    assert (again["customfield_id"], again["index"], again["value"]) == (field["customfield_id"], field["index"], "42")
    assert books.ok("GET", f"customerpayments/{pay['payment_id']}")["payment"]["custom_fields"] == [again]
    # rows naming no field, or holding a list, are refused naming custom_fields
    for rows in ([{"value": "x"}], [{"label": "Region code", "value": [1]}], ["x"]):
        body = assert_zoho_error(books.post("contacts", {"contact_name": "Delta", "custom_fields": rows}), 400, 2)
        assert body["message"] == "Invalid value passed for custom_fields"


def test_customer_debit_note_is_an_invoice_with_its_reference(zoho):
    books = world(zoho, counts=COUNTS)
    plain = _first(books, "invoices", "invoices")
    detail = books.ok("GET", f"invoices/{plain['invoice_id']}")["invoice"]
    assert detail["reference_invoice"] == {"reference_invoice_id": "", "reference_invoice_number": "",
                                           "reference_invoice_status": "", "reference_invoice_amount": 0.0}
    assert all(li["item_name"] == li["name"] and li["item_name"] for li in detail["line_items"])
    item = _item(books)
    body = {"customer_id": plain["customer_id"], "type": "debit_note", "reference_invoice_id": plain["invoice_id"],
            "reference_invoice_type": "registered", "line_items": [{"item_id": item["item_id"], "rate": 12.5}]}
    created = books.ok("POST", "invoices", json=body)
    note = created["invoice"]
    assert note["reference_invoice"] == {"reference_invoice_id": plain["invoice_id"],
                                         "reference_invoice_number": plain["invoice_number"],
                                         "reference_invoice_status": plain["status"],
                                         "reference_invoice_amount": plain["total"]}
    assert note["line_items"][0]["item_name"] == item["name"] and note["total"] >= 12.5
    assert note["invoice_number"] == "DN-000001" and created["message"] == "The debit note has been created."
    nid = note["invoice_id"]
    assert books.ok("GET", f"invoices/{nid}")["invoice"]["reference_invoice"] == note["reference_invoice"]
    listed = books.ok("GET", "invoices", params={"invoice_number": note["invoice_number"]})["invoices"]
    assert [i["invoice_id"] for i in listed] == [nid] and "type" not in listed[0]
    second = books.ok("POST", "invoices", json={**body, "invoice_number": "DN-CUSTOM"})["invoice"]["invoice_id"]
    notes = books.ok("GET", "invoices", params={"filter_by": "Type.DebitNote", "sort_column": "debit_note_number",
                                                "sort_order": "A"})["invoices"]
    assert [i["invoice_id"] for i in notes] == [nid, second]
    answer = books.ok("PUT", f"invoices/{nid}", json={"type": "debit_note", "line_items": [
        {"item_id": item["item_id"], "rate": 20}]})
    updated = answer["invoice"]
    assert answer["message"] == "The debit note has been updated."
    assert updated["reference_invoice"]["reference_invoice_id"] == plain["invoice_id"]
    assert updated["line_items"][0]["rate"] == 20
    # refused: no or an unknown reference, another customer's invoice, a changed type, an unknown type
    other = next(i for i in books.ok("GET", "invoices", params={"per_page": 200})["invoices"]
                 if i["customer_id"] != plain["customer_id"])
    for bad, field in (({"reference_invoice_id": ""}, "reference_invoice_id"),
                       ({"reference_invoice_id": "460000000099999"}, "reference_invoice_id"),
                       ({"reference_invoice_id": other["invoice_id"]}, "reference_invoice_id"),
                       ({"type": "credit"}, "type")):
        answer = assert_zoho_error(books.post("invoices", {**body, **bad}), 400, 2)
        assert answer["message"] == f"Invalid value passed for {field}"
    answer = assert_zoho_error(books.put(f"invoices/{plain['invoice_id']}", {"type": "debit_note"}), 400, 2)
    assert answer["message"] == "Invalid value passed for type"
    # an invoice a note adds to stays while the note names it; the note goes first
    fresh = books.ok("POST", "invoices", json={"customer_id": plain["customer_id"],
                                               "line_items": [{"item_id": item["item_id"]}]})["invoice"]["invoice_id"]
    on_fresh = books.ok("POST", "invoices", json={**body, "reference_invoice_id": fresh})["invoice"]["invoice_id"]
    assert_zoho_error(books.delete(f"invoices/{fresh}"), 400, 1040)
    assert books.ok("DELETE", f"invoices/{on_fresh}")["message"] == "The invoice has been deleted."
    books.ok("DELETE", f"invoices/{fresh}")
    assert_zoho_error(books.get(f"invoices/{fresh}"), 404, 1002)


def test_estimate_project(zoho):
    books = world(zoho, counts=COUNTS)
    seeded = books.ok("GET", f"estimates/{_first(books, 'estimates', 'estimates')['estimate_id']}")["estimate"]
    assert seeded["project"] == {"project_id": "", "project_name": ""}
    project = _first(books, "projects", "projects")
    item = _item(books)
    est = books.ok("POST", "estimates", json={
        "customer_id": project["customer_id"], "project_id": project["project_id"],
        "line_items": [{"item_id": item["item_id"]}]})["estimate"]
    assert est["project"] == {"project_id": project["project_id"], "project_name": project["project_name"]}
    eid = est["estimate_id"]
    assert books.ok("GET", f"estimates/{eid}")["estimate"]["project"] == est["project"]
    kept = books.ok("PUT", f"estimates/{eid}", json={"notes": "Revised"})["estimate"]
    assert kept["project"] == est["project"]
    cleared = books.ok("PUT", f"estimates/{eid}", json={"project_id": ""})["estimate"]
    assert cleared["project"] == {"project_id": "", "project_name": ""}
    customers = books.ok("GET", "contacts", params={"contact_type": "customer"})["contacts"]
    stranger = next(c["contact_id"] for c in customers if c["contact_id"] != project["customer_id"])
    for customer, pid in ((stranger, project["project_id"]), (project["customer_id"], "460000000099999")):
        answer = assert_zoho_error(books.post("estimates", {"customer_id": customer, "project_id": pid,
                                                            "line_items": [{"item_id": item["item_id"]}]}), 400, 2)
        assert answer["message"] == "Invalid value passed for project_id"


def test_sales_order_lines_taxable_and_us_exemption(zoho):
    books = world(zoho, counts=COUNTS)
    order = books.ok("GET", f"salesorders/{_first(books, 'salesorders', 'salesorders')['salesorder_id']}")["salesorder"]
    for line in order["line_items"]:
        assert line["is_taxable"] is bool(line["tax_id"])
        assert (line["product_exemption_id"], line["product_exemption_code"]) == ("", "")
    exemption = books.ok("POST", "settings/taxexemptions", json={
        "tax_exemption_code": "WHOLESALE", "description": "Goods bought for resale.", "type": "item"})["tax_exemption"]
    customer_exemption = next(e for e in books.ok("GET", "settings/taxexemptions")["tax_exemptions"]
                              if e["type"] == "customer")
    customer = _first(books, "contacts", "contacts", contact_type="customer")["contact_id"]
    made = books.ok("POST", "salesorders", json={"customer_id": customer, "line_items": [
        {"name": "Resale kit", "rate": 30, "product_exemption_id": exemption["tax_exemption_id"]},
        {"name": "Setup", "rate": 10}]})["salesorder"]
    first, second = made["line_items"]
    assert (first["is_taxable"], first["product_exemption_id"], first["product_exemption_code"]) == \
        (False, exemption["tax_exemption_id"], "WHOLESALE")
    assert (second["is_taxable"], second["product_exemption_id"], second["product_exemption_code"]) == (False, "", "")
    for bad in (customer_exemption["tax_exemption_id"], "460000000099999"):
        answer = assert_zoho_error(books.post("salesorders", {"customer_id": customer, "line_items": [
            {"name": "Kit", "rate": 30, "product_exemption_id": bad}]}), 400, 2)
        assert answer["message"] == "Invalid value passed for product_exemption_id"
    # a UK order's lines have no US exemption keys
    uk = world(zoho, "eu", "uk", counts=COUNTS)
    uk_line = uk.ok("GET", f"salesorders/{_first(uk, 'salesorders', 'salesorders')['salesorder_id']}")[
        "salesorder"]["line_items"][0]
    assert isinstance(uk_line["is_taxable"], bool) and "product_exemption_id" not in uk_line


def test_edition_fields_vat_reg_no_and_pre_gst(zoho):
    uk = world(zoho, "eu", "uk", counts=COUNTS)
    invoice = uk.ok("GET", f"invoices/{_first(uk, 'invoices', 'invoices')['invoice_id']}")["invoice"]
    note = uk.ok("GET", f"creditnotes/{_first(uk, 'creditnotes', 'creditnotes')['creditnote_id']}")["creditnote"]
    assert isinstance(invoice["vat_reg_no"], str) and isinstance(note["vat_reg_no"], str)
    for doc in (invoice, note):  # a document's VAT number is its customer's
        assert doc["vat_reg_no"] == uk.ok("GET", f"contacts/{doc['customer_id']}")["contact"]["vat_reg_no"]
    assert isinstance(note["line_items"][0]["serial_numbers"], list)
    us = world(zoho, counts=COUNTS)
    assert "vat_reg_no" not in us.ok("GET", f"invoices/{_first(us, 'invoices', 'invoices')['invoice_id']}")["invoice"]
    us_retainer = _first(us, "retainerinvoices", "retainerinvoices")["retainerinvoice_id"]
    retainer = us.ok("GET", f"retainerinvoices/{us_retainer}")
    assert "is_pre_gst" not in retainer["retainerinvoice"]
    india = world(zoho, "in", "in", counts=COUNTS)
    listed = _first(india, "retainerinvoices", "retainerinvoices")
    assert isinstance(listed["client_viewed_time"], str) and isinstance(listed["is_emailed"], bool)
    seeded = india.ok("GET", f"retainerinvoices/{listed['retainerinvoice_id']}")["retainerinvoice"]
    assert seeded["is_pre_gst"] is False
    customer = _first(india, "contacts", "contacts", contact_type="customer")["contact_id"]
    made = india.ok("POST", "retainerinvoices", json={"customer_id": customer, "is_pre_gst": True,
                                                      "line_items": [{"description": "Advance", "rate": 500}]})
    assert made["retainerinvoice"]["is_pre_gst"] is True


def test_page_contexts_and_recurring_history(zoho):
    books = world(zoho, counts=COUNTS)
    assert books.ok("GET", "invoices", params={"response_option": 2})["page_context"]["response_option"] == 2
    assert books.ok("GET", "invoices")["page_context"]["response_option"] == 0
    for bad in ("5", "x", "-1"):
        answer = assert_zoho_error(books.get("invoices", params={"response_option": bad}), 400, 2)
        assert answer["message"] == "Invalid value passed for response_option"
    items = books.ok("GET", "items", params={"per_page": 3})["items"]
    details = books.ok("GET", "itemdetails", params={"item_ids": ",".join(i["item_id"] for i in items)})
    assert details["page_context"] == {"page": 1, "per_page": 200, "has_more_page": False, "report_name": "Items",
                                       "sort_column": "name", "sort_order": "A"}
    names = [i["name"] for i in details["items"]]
    assert names == sorted(names, key=str.lower) and len(names) == 3
    profile = _first(books, "recurringinvoices", "recurring_invoices")
    detail = books.ok("GET", f"recurringinvoices/{profile['recurring_invoice_id']}")
    assert detail["page_context"] == {"page": 1, "per_page": 200, "has_more_page": False,
                                      "report_name": "Recurring Invoices", "applied_filter": "Status.All",
                                      "sort_column": "created_time", "sort_order": "D"}
    assert detail["recurring_invoice"]["recurring_invoice_id"] == profile["recurring_invoice_id"]
    history = books.ok("GET", f"recurringinvoices/{profile['recurring_invoice_id']}/comments")["comments"]
    assert history and all(isinstance(c["comment_description"], str) and c["comment_description"]
                           and "description" not in c for c in history)
    # the other documents' comments keep their description
    invoice_id = _first(books, "invoices", "invoices")["invoice_id"]
    books.ok("POST", f"invoices/{invoice_id}/comments", json={"description": "Called the customer"})
    rows = books.ok("GET", f"invoices/{invoice_id}/comments")["comments"]
    assert rows[0]["description"] == "Called the customer"
