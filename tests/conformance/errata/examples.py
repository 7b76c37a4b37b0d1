"""Errata of Zoho's documents on the documents' request examples: values that no real request could send (a date years past, two enum values in one, an id of Zoho's own org), corrected so the run sends what a client would.

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
    if op.path != "/projects" or op.method not in ("POST", "PUT"):
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
    for name, good in (("custom_field_id", "460000000639129"), ("index", 1), ("label", "Priority"), ("value", "Normal")):
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
    Erratum("project_tasks_example", 'projects.yml gives every field of tasks[] the example "INV-00003" (a rate and '
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
