"""Errata of Zoho's documents on the purchase side (bills, purchase orders, vendor credits, vendor payments,
expenses, recurring bills and expenses).

Each says what the document says, what the live API does, and the evidence (the document's own
examples, another Zoho document, Zoho's HTML pages, a live client's schema).

"A live answer" below is a public, sanitised record of real Zoho Books answers ("Phase 0 — Zoho Books spike
report", written by a client's scripts/phase0/zoho_spike.py on 2026-09-26 against an India-edition organisation
and published in that client's public repository): the keys and JSON types of
``GET /expenses/{id}``, ``GET /vendorpayments``, ``GET /vendorpayments/{id}`` and ``GET /bills/{id}`` as Zoho
sent them, values left out.
"""
from __future__ import annotations

import copy
from typing import Any, Callable

from ..oas import EDITION_KEY, Operation
from .base import Erratum, container, props_of, walk_fields

Fix = Callable[[dict[str, Any], str], bool]


def _in_responses(modules: tuple[str, ...], fix: Fix) -> Callable[[Operation], bool]:
    """Apply ``fix(schema, field name)`` to every field of the answers of ``modules``' operations."""
    def patch(op: Operation) -> bool:
        return op.module in modules and walk_fields(op.response_schema, fix)
    return patch


def _retype(names: tuple[str, ...], documented: str, real: str) -> Fix:
    """Fields named ``names`` documented as ``documented`` are ``real`` (their example kept out)."""
    def fix(node: dict[str, Any], name: str) -> bool:
        if name not in names or node.get("type") != documented:
            return False
        node["type"] = real
        node.pop("example", None)
        return True
    return fix


def _uk_only(names: tuple[str, ...]) -> Fix:
    def fix(node: dict[str, Any], name: str) -> bool:
        if name not in names or node.get(EDITION_KEY):
            return False
        node[EDITION_KEY] = ["uk"]
        return True
    return fix


def _array_of_rows(name: str, row: dict[str, Any]) -> Fix:
    """``name`` documented as an array of strings (or one object) is an array of ``row`` objects."""
    def fix(node: dict[str, Any], field: str) -> bool:
        if field != name:
            return False
        if node.get("type") == "array" and (node.get("items") or {}).get("type") == "string":
            node["items"] = copy.deepcopy(row)
            return True
        if node.get("type") == "object":
            items = {k: v for k, v in node.items() if k not in ("description", "example")}
            node.clear()
            node.update({"type": "array", "items": items})
            return True
        return False
    return fix


def _one_object(name: str, props: dict[str, Any]) -> Fix:
    """``name`` documented as an array is one object: of its rows' documented keys (an array of objects),
    else of ``props`` (an array of strings)."""
    def fix(node: dict[str, Any], field: str) -> bool:
        if field != name or node.get("type") != "array":
            return False
        documented = props_of(node.get("items") if isinstance(node.get("items"), dict) else None)
        node.clear()
        node.update({"type": "object", "properties": copy.deepcopy(documented or props)})
        return True
    return fix


def _rename_row_key(name: str, documented: str, real: str) -> Fix:
    """The rows of ``name`` call a key ``documented``; the answers call it ``real``."""
    def fix(node: dict[str, Any], field: str) -> bool:
        row = node.get("items") if field == name and node.get("type") == "array" else None
        props = props_of(row) if isinstance(row, dict) else {}
        if documented not in props:
            return False
        props[real] = props.pop(documented)
        return True
    return fix


_TEXT = {"type": "string"}
_UK_VAT = ("vat_reg_no", "acquisition_vat_total", "acquisition_vat_summary", "reverse_charge_vat_summary")
_TAX_ROW = {"type": "object", "properties": {"tax_name": _TEXT, "tax_amount": {"type": "number"}}}
_ADDRESS = {k: _TEXT for k in ("address", "street2", "city", "state", "zip", "country", "fax", "phone", "attention")}
_CHECK = {k: _TEXT for k in ("check_id", "check_number", "check_status", "memo", "amount_in_words")}


def _vendorpayment_update_object(op: Operation) -> bool:
    return any(container(path, "PUT", "object")(op) for path in ("/vendorpayments/{payment_id}", "/vendorpayments"))


ERRATA: tuple[Erratum, ...] = (
    Erratum("expense_uk_vat_fields", "expenses.yml and recurring-expenses.yml document vat_reg_no, acquisition_vat_total "
            "and the acquisition / reverse-charge VAT summaries without an edition gate; they are UK VAT fields: the same "
            "documents gate their siblings vat_treatment and product_type to uk, bills.yml, contacts.yml and "
            "recurring-bills.yml gate vat_reg_no to uk, Zoho's UK help ('VAT in Purchases') applies acquisition VAT to "
            "Northern Ireland purchases from the EU and reverse charge to purchases from outside the UK, and a live India "
            "expense detail carries none of them. Gated to uk (the emulator serves them in UK organisations)",
            _in_responses(("expenses", "recurring-expenses"), _uk_only(_UK_VAT))),
    Erratum("expense_line_item_order_integer", "expenses.yml and recurring-expenses.yml type a line's item_order as "
            "string (example 1, a number); a live expense detail answers line_items[].item_order as an integer, as "
            "every other Zoho document types a line's item_order",
            _in_responses(("expenses", "recurring-expenses"), _retype(("item_order",), "string", "integer"))),
    Erratum("recurring_expense_repeat_every_integer", "recurring-expenses.yml types repeat_every as string with the "
            "example 1 (a number); recurring-invoices.yml types the same field integer (example 2)",
            _in_responses(("recurring-expenses",), _retype(("repeat_every",), "string", "integer"))),
    Erratum("recurring_expense_history_array", "recurring-expenses.yml documents the history's comments as one object; "
            "expenses.yml's and every other document's comments & history list is an array of comment rows, as a live "
            "vendor payment's comments are",
            container("/recurringexpenses/{recurring_expense_id}/comments", "GET", "array")),
    Erratum("purchase_custom_field_row_id", "bills.yml, recurring-bills.yml, vendor-credits.yml and vendor-payments.yml "
            "name a custom field row's id custom_field_id (one schema shared with the write requests); the rows answered "
            "carry customfield_id: Zoho's Inventory bills page (the same bill object) shows custom_fields "
            "[{customfield_id, value}], and invoices, estimates, sales and purchase orders, items, journals, customer "
            "payments and recurring expenses document customfield_id",
            _in_responses(("bills", "recurring-bills", "vendor-credits", "vendor-payments"),
                          _rename_row_key("custom_fields", "custom_field_id", "customfield_id"))),
    Erratum("purchaseorder_delivery_address_flags", "purchase-order.yml types delivery_address.is_valid and is_primary as "
            "string with no example or description (the generator's default); their siblings is_verifiable and "
            "is_verified are booleans in the same object, and is_primary is a boolean in every other Zoho document "
            "(locations.yml, items.yml)",
            _in_responses(("purchase-order",), _retype(("is_valid", "is_primary"), "string", "boolean"))),
    Erratum("purchaseorder_tax_rows", "purchase-order.yml types a purchase order's taxes as an array of strings; bills.yml, "
            "vendor-credits.yml and invoices.yml type a document's taxes as rows {tax_name, tax_amount}, which is what "
            "the document's own tax_total sums",
            _in_responses(("purchase-order",), _array_of_rows("taxes", _TAX_ROW))),
    Erratum("vendor_credit_line_items_array", "vendor-credits.yml types the answers' line_items as one object; its own "
            "create and update requests take line_items as an array, and every other Zoho document (bills, invoices, "
            "purchase orders) and a live bill detail carry an array of lines",
            _in_responses(("vendor-credits",), _array_of_rows("line_items", {}))),
    Erratum("vendorpayment_billing_address_object", "vendor-payments.yml types billing_address as an array of strings "
            "whose example is the address's own key names (address, city, state, zip, country, fax, attention); a live "
            "vendor payment detail answers an object with those keys (and street2, phone), as every other Zoho address",
            _in_responses(("vendor-payments",), _one_object("billing_address", _ADDRESS))),
    Erratum("vendorpayment_check_details_object", "vendor-payments.yml documents check_details as one object in the detail "
            "and create answers, an array of checks in the list and an array of strings (US, Canada) in the update "
            "answers; a live list and detail both answer one object (empty values when the payment was not by check), "
            "in an India organisation too: one object, ungated",
            _in_responses(("vendor-payments",), _one_object("check_details", _CHECK))),
    Erratum("vendorpayment_update_object", "vendor-payments.yml documents the update answers' vendorpayment as an array; "
            "its detail and create answers hold one object, as a live detail does",
            _vendorpayment_update_object),
)
