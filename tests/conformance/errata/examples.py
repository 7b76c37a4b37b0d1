"""Errata of Zoho's documents on the documents' request examples: values that no real request could send (a
date years past, two enum values in one, an id of Zoho's own org), corrected so the run sends what a
client would.

Each says what the document says, what the live API does, and the evidence (the document's own
examples, another Zoho document, Zoho's HTML pages, a live client's schema)."""
from __future__ import annotations

import copy
import datetime as dt
from typing import Any, Callable

from ..oas import EDITION_KEY, Operation
from .base import Erratum, fix_examples, props_of


def example_of(paths: tuple[str, ...], name: str, bad: Any, good: Any) -> Callable[[Operation], bool]:
    """The request example of ``name`` (at any depth) in the operations at ``paths``: ``bad`` -> ``good``."""
    def patch(op: Operation) -> bool:
        return op.path in paths and op.method in ("POST", "PUT") and fix_examples(op.request_schema, name, bad, good)
    return patch


def _project_tasks(op: Operation) -> bool:
    """A project's tasks[] carry "INV-00003" in every field: tasks.yml's own task example instead."""
    if op.path not in ("/projects", "/projects/{project_id}") or op.method not in ("POST", "PUT"):
        return False
    task = (props_of(op.request_schema).get("tasks") or {}).get("items") or {}
    fields = props_of(task)
    if (fields.get("rate") or {}).get("example") != "INV-00003":
        return False
    for name, good in (("task_name", "Painting"), ("description", "Painting the walls"), ("rate", 3),
                       ("budget_hours", 10)):
        if name in fields:
            fields[name] = {**fields[name], "example": good}
    return True


def _recurring_bill_schedule(op: Operation) -> bool:
    """repeat_every and recurrence_frequency, both required, are documented with "" as their examples."""
    if not op.path.startswith("/recurringbills") or op.method not in ("POST", "PUT"):
        return False
    props = props_of(op.request_schema)
    changed = False
    for name, good in (("repeat_every", "1"), ("recurrence_frequency", "months")):
        if name in props and props[name].get("example") == "":
            props[name] = {**props[name], "example": good}
            changed = True
    return changed


def _recurring_expense_start(op: Operation) -> bool:
    """start_date's example, a timestamp, as the date its description asks for."""
    if not op.path.startswith("/recurringexpenses") or op.method not in ("POST", "PUT"):
        return False
    start = props_of(op.request_schema).get("start_date") or {}
    if not isinstance(start.get("example"), dt.datetime):
        return False
    op.request_schema["properties"]["start_date"] = {**start, "example": start["example"].date().isoformat()}
    return True


def _recurring_invoice_line(op: Operation) -> bool:
    """The create example's line has an item_total of 100 for quantity 1 but neither rate nor item_id; the
    update example's line has both (item_id 90300000081501): the line's rate is its own total."""
    if (op.method, op.path) != ("POST", "/recurringinvoices"):
        return False
    line = props_of((props_of(op.request_schema).get("line_items") or {}).get("items"))
    if not line or "rate" in line:
        return False
    line["item_id"] = {"type": "string", "example": "90300000081501"}
    line["rate"] = {"type": "number", "example": 100}
    return True


def _bill_custom_fields_row(op: Operation) -> bool:
    """PUT /bill/{id}/customfields documents a row whose every example is null; the sales order document's
    row (salesorder customfields: index 1, label Priority, value Normal) is sent."""
    if (op.method, op.path) != ("PUT", "/bill/{bill_id}/customfields"):
        return False
    row = props_of((op.request_schema or {}).get("items"))
    if not row or (row.get("label") or {}).get("example") is not None:
        return False
    row_example = (("custom_field_id", "460000000639129"), ("index", 1), ("label", "Priority"), ("value", "Normal"))
    for name, good in row_example:
        if name in row:
            row[name] = {**row[name], "example": good}
    return True


def _credit_note_update_rate(op: Operation) -> bool:
    """The update examples' line has rate 0 with a discount of 10: a line of -10, a negative credit note.
    The create example sends no rate (the item's rate applies): the update's rate is left out the same way."""
    if not op.path.startswith("/creditnotes") or op.method != "PUT":
        return False
    line = props_of((props_of(op.request_schema).get("line_items") or {}).get("items"))
    if (line.get("rate") or {}).get("example") != 0 or not (line.get("discount") or {}).get("example"):
        return False
    del line["rate"]
    if (props_of(op.request_schema).get("rate") or {}).get("example") == 0:
        del op.request_schema["properties"]["rate"]
    return True


def _time_entry_ids_query(op: Operation) -> bool:
    """DELETE /projects/timeentries documents no parameter; its own delete-time-entries-request (never
    referenced) requires time_entry_ids: sent as the query parameter the bulk delete takes."""
    if (op.method, op.path) != ("DELETE", "/projects/timeentries") or any(
            p.get("name") == "time_entry_ids" for p in op.query_params):
        return False
    op.query_params.append({"name": "time_entry_ids", "in": "query", "required": True,
                            "description": "ID of the time entries to be deleted.", "schema": {"type": "string"}})
    return True


def _retainer_comment_description(op: Operation) -> bool:
    """The retainer invoice comment update example has no description (null); invoices.yml's comment
    update example gives one ("This is a comment.")."""
    if (op.method, op.path) != ("PUT", "/retainerinvoices/{retainerinvoice_id}/comments/{comment_id}"):
        return False
    field = props_of(op.request_schema).get("description")
    if not field or field.get("example") is not None:
        return False
    op.request_schema["properties"]["description"] = {**field, "example": "This is a comment."}
    return True


_TAX_EXEMPTION_FIELDS = ("tax_exemption_code", "tax_exemption_id")


def _tax_exemption_us(op: Operation) -> bool:
    """The tax exemption operations are "US edition only" (their schema names), tax_exemption_code required;
    the shared field definitions they reference gate both fields to India."""
    if not op.path.startswith("/settings/taxexemptions"):
        return False
    changed = False
    for schema in (op.request_schema, op.response_schema):
        changed |= _ungate(schema)
    return changed


def _ungate(node: Any) -> bool:
    changed = False
    if isinstance(node, dict):
        props = node.get("properties") or {}
        for name in _TAX_EXEMPTION_FIELDS:
            sub = props.get(name)
            if isinstance(sub, dict) and sub.get(EDITION_KEY) and "us" not in sub[EDITION_KEY]:
                props[name] = {**copy.deepcopy(sub), EDITION_KEY: ["us"]}
                changed = True
        for sub in list(props.values()) + [node.get("items")]:
            changed |= _ungate(sub)
    return changed


ERRATA: tuple[Erratum, ...] = (
    Erratum("location_type_example", 'locations.yml gives type the example "general / line_item_only": the two '
            "allowed values, not one value (Zoho's locations page: general or line_item_only); sent as general",
            example_of(("/locations", "/locations/{location_id}"), "type", "general / line_item_only", "general")),
    Erratum("project_tasks_example", 'projects.yml gives every field of tasks[] (create and update) the example '
            '"INV-00003" (a rate and '
            'budget hours that are no numbers); tasks.yml\'s own task example is used (task_name "Painting", rate 3)',
            _project_tasks),
    Erratum("recurring_bill_schedule_example", 'recurring-bills.yml documents repeat_every and recurrence_frequency '
            'as required with "" as their examples; sent as recurring-expenses.yml\'s examples give them '
            "(recurrence_frequency months, repeat_every 1)", _recurring_bill_schedule),
    Erratum("recurring_expense_start_date_example", "recurring-expenses.yml's start_date example is a timestamp "
            "(2016-11-19T00:00:00.000Z) where its own description says Format [yyyy-mm-dd]",
            _recurring_expense_start),
    Erratum("recurring_invoice_discount_type_example", "recurring-invoices.yml's discount_type example is "
            "\"entity level\" where its own description allows entity_level and item_level",
            example_of(("/recurringinvoices", "/recurringinvoices/{recurring_invoice_id}"), "discount_type",
                       "entity level", "entity_level")),
    Erratum("recurring_invoice_line_example", "recurring-invoices.yml's create example line has item_total 100 "
            "for quantity 1 but no rate or item_id (its update example's line has both): rate 100 and the update's "
            "item sent", _recurring_invoice_line),
    Erratum("bill_custom_fields_example", "bills.yml's PUT /bill/{bill_id}/customfields row has null for every "
            "example; sales-order.yml's row for the same operation (index 1, label Priority, value Normal) is sent",
            _bill_custom_fields_row),
    Erratum("customer_payment_custom_field_value", "customer-payments.yml's request examples send the custom "
            "field value 129890 as a number where the field is typed string", example_of(
                ("/customerpayments", "/customerpayments/{payment_id}"), "value", 129890, "129890")),
    Erratum("credit_note_update_rate_example", "credit-notes.yml's update examples give the line rate 0 with "
            "discount 10 (a line of -10); the create example sends no rate, so the item's rate applies: left out "
            "the same way", _credit_note_update_rate),
    Erratum("time_entries_delete_ids", "time-entries.yml's DELETE /projects/timeentries documents no parameter, "
            "while its delete-time-entries-request schema (referenced by nothing) requires time_entry_ids",
            _time_entry_ids_query),
    Erratum("retainer_comment_update_description", "retainer-invoices.yml's comment update example has no "
            "description; invoices.yml's comment update example gives one", _retainer_comment_description),
    Erratum("tax_exemption_fields_us", "taxes.yml's tax exemption operations are US edition only (create-a-tax-"
            "exemption-us-edition-only-request requires tax_exemption_code), but the shared tax_exemption_code and "
            "tax_exemption_id definitions they reference are gated to India (x-node_available_in: in)",
            _tax_exemption_us),
)


# ---- the answers of operations the fitted examples now reach -------------------------------------------
def record_of(op: Operation) -> dict[str, Any]:
    """The record object of a single-record answer (the property beside code and message)."""
    return next((v for k, v in props_of(op.response_schema).items()
                 if k not in ("code", "message", "page_context") and isinstance(v, dict)), {})


def retype(module: str, fields: dict[str, Any], methods: tuple[str, ...] = ("GET", "POST", "PUT"),
           paths: tuple[str, ...] = ()) -> Callable[[Operation], bool]:
    """Every answer of ``module`` (or only ``paths``): each named field (at any depth) gets the schema given,
    merged over the documented one (a type, or an ``x-node_available_in`` gate)."""
    def fix(node: Any) -> bool:
        changed = False
        if isinstance(node, dict):
            props = node.get("properties") or {}
            for name, sub in list(props.items()):
                if name in fields and isinstance(sub, dict) and any(sub.get(k) != v for k, v in fields[name].items()):
                    props[name] = {**copy.deepcopy(sub), **fields[name]}
                    if "type" in fields[name] and fields[name]["type"] != "array":
                        props[name].pop("items", None)
                    changed = True
                changed |= fix(props[name])
            changed |= fix(node.get("items"))
        return changed

    def patch(op: Operation) -> bool:
        if op.module != module or op.method not in methods or (paths and op.path not in paths):
            return False
        return fix(op.response_schema)
    return patch


def _no_page_context(module: str) -> Callable[[Operation], bool]:
    def patch(op: Operation) -> bool:
        props = props_of(op.response_schema)
        if op.module != module or op.is_list and op.method == "GET" and not op.path.endswith("}") \
                or "page_context" not in props or not record_of(op):
            return False
        del props["page_context"]
        return True
    return patch


def _one_object(*keys: tuple[str, str]) -> Callable[[Operation], bool]:
    """The record wrapper of these (method, path) answers is one object, documented as an array."""
    def patch(op: Operation) -> bool:
        if (op.method, op.path) not in keys:
            return False
        props = props_of(op.response_schema)
        changed = False
        for key, sub in list(props.items()):
            if key not in ("code", "message", "page_context") and isinstance(sub, dict) and sub.get("type") == "array" \
                    and (sub.get("items") or {}).get("type") == "object":
                props[key] = sub["items"]
                changed = True
        return changed
    return patch


_VAT_GATE = {EDITION_KEY: ["uk", "eu"]}
ANSWER_ERRATA: tuple[Erratum, ...] = (
    Erratum("salesorder_write_object", "sales-order.yml documents the create, update and upsert answers' "
            "salesorder as an array; it is one object, as the detail's (salesorder_detail_object)",
            _one_object(("POST", "/salesorders"), ("PUT", "/salesorders/{salesorder_id}"), ("PUT", "/salesorders"))),
    Erratum("vendorpayment_upsert_object", "vendor-payments.yml documents the upsert answer's vendorpayment as an "
            "array; the create and detail answers hold one object", _one_object(("PUT", "/vendorpayments"))),
    Erratum("task_hours_text", "tasks.yml types a task's log_time, billed_hours and un_billed_hours as numbers; "
            "projects.yml and time-entries.yml type the same hours as text (\"HH:MM\", their examples 12:26)",
            retype("tasks", {f: {"type": "string"} for f in ("log_time", "billed_hours", "un_billed_hours")},
                   ("PUT",))),
    Erratum("recurring_expense_number_types", "recurring-expenses.yml types repeat_every and the line's item_order "
            "as strings; its own repeat_every examples are the number 1, and every other document types item_order "
            "as an integer", retype("recurring-expenses", {"repeat_every": {"type": "integer"},
                                                           "item_order": {"type": "integer"}}, ("POST", "PUT"))),
    Erratum("recurring_expense_vat_gated", "recurring-expenses.yml documents acquisition_vat_total, "
            "acquisition_vat_summary and reverse_charge_vat_summary without a gate; bills.yml, purchase-order.yml "
            "and vendor-credits.yml give the same UK VAT fields x-node_available_in uk, eu",
            retype("recurring-expenses", {f: _VAT_GATE for f in ("acquisition_vat_total", "acquisition_vat_summary",
                                                                  "reverse_charge_vat_summary")}, ("POST", "PUT"))),
    Erratum("retainer_answer_types", "retainer-invoices.yml types client_viewed_time as a boolean and is_emailed "
            "as a string, and leaves is_pre_gst ungated; invoices.yml and estimates.yml type client_viewed_time as "
            "text, every other document is_emailed as a boolean and is_pre_gst as India only",
            retype("retainer-invoices", {"client_viewed_time": {"type": "string"}, "is_emailed": {"type": "boolean"},
                                         "is_pre_gst": {EDITION_KEY: ["in"]}}, ("POST", "PUT"))),
    Erratum("vat_reg_no_uk", "invoices.yml and credit-notes.yml document vat_reg_no without a gate; bills.yml and "
            "recurring-bills.yml gate the same VAT registration number to the UK (the emulator serves it there)",
            lambda op: any(retype(m, {"vat_reg_no": {EDITION_KEY: ["uk"]}}, ("POST", "PUT"))(op)
                           for m in ("invoices", "credit-notes"))),
    Erratum("recurring_invoice_write_no_page_context", "recurring-invoices.yml gives single-record answers a "
            "page_context; a record's answer carries none (as every other detail)",
            lambda op: op.method in ("POST", "PUT") and _no_page_context("recurring-invoices")(op)),
    Erratum("purchaseorder_upsert_types", "purchase-order.yml's upsert answer types taxes[] as strings and "
            "delivery_address.is_valid / is_primary as strings; invoices.yml's taxes[] are objects (tax_name, "
            "tax_amount) and address flags are booleans in every other document",
            retype("purchase-order", {"taxes": {"type": "array", "items": {"type": "object"}},
                                      "is_valid": {"type": "boolean"}, "is_primary": {"type": "boolean"}},
                   ("PUT",), ("/purchaseorders",))),
)
ERRATA = ERRATA + ANSWER_ERRATA


def _vendorpayment_upsert_custom_field_id(op: Operation) -> bool:
    """The upsert answer's custom_fields[] name their id custom_field_id; the create and detail answers (and
    every other document) name it customfield_id, as the emulator sends it."""
    if (op.method, op.path) != ("PUT", "/vendorpayments"):
        return False
    row = props_of(((props_of(record_of(op)).get("custom_fields")) or {}).get("items"))
    if "custom_field_id" not in row:
        return False
    row["customfield_id"] = row.pop("custom_field_id")
    return True


ERRATA = ERRATA + (
    Erratum("creditnote_serial_numbers_list", "credit-notes.yml types a line's serial_numbers as a string; it "
            "describes the serial numbers of the items (several); bills.yml, recurring-bills.yml and "
            "vendor-credits.yml type the same field as an array "
            "(README choices: credit-note lines)", retype("credit-notes", {"serial_numbers": {"type": "array"}},
                                                           ("POST", "PUT"))),
    Erratum("vendorpayment_upsert_billing_address", "vendor-payments.yml's upsert answer types billing_address as "
            "an array; an address is one object in every other answer (the create and detail answers)",
            retype("vendor-payments", {"billing_address": {"type": "object"}}, ("PUT",), ("/vendorpayments",))),
    Erratum("vendorpayment_upsert_custom_field_id", "vendor-payments.yml's upsert answer spells a custom field "
            "row's id custom_field_id; every other answer spells it customfield_id",
            _vendorpayment_upsert_custom_field_id),
)
