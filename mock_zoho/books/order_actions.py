"""Small documented record actions of orders (issue 16): a purchase order's ``reject`` and a sales order's
custom sub-status (purchase-order.yml, sales-order.yml).

Choices (README choices table):

* ``POST /purchaseorders/{id}/reject`` sends an order pending approval back to ``draft`` (the documents
  name no rejected status; the submitter edits and submits it again); any other status is code 2 naming
  ``status``. 201 and "You have rejected the Purchase order successfully." as documented.
* ``POST /invoices/fromsalesorder?salesorder_id=...`` (several ids: comma-separated, one customer's): one
  invoice of the orders' lines (and their charges, addresses, notes), referenced by the orders' numbers, for
  orders that are confirmed (open, overdue or partially invoiced; else code 2 naming ``status``); they
  become ``invoiced``. 201 "The invoice has been created." as documented.
* ``POST /salesorders/{id}/substatus/{status_code}``: the emulator keeps no list of an org's custom
  statuses, so any code of Zoho's custom form (``cs_`` and 1-30 letters, digits or ``_``) is taken as one
  of the org's; any other is code 2 naming ``status_code``; a void order takes none (code 2 naming
  ``status``). The order's documented ``sub_statuses`` then holds that one sub-status under its current
  status (the same code keeps its ``status_id``); last_modified_time moves.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping

from ..http import invalid_value
from .rules import RecordAction, Transition, WriteContext

@dataclass(frozen=True)
class ScopedTransition(Transition):
    """A record action whose document asks another scope operation than CREATE (the reject: UPDATE)."""

    op: str = "UPDATE"


PO_REJECT = ScopedTransition("draft", ("pending_approval",), "You have rejected the Purchase order successfully.",
                       http_status=201)

SUB_STATUS_CODE = re.compile(r"^cs_[A-Za-z0-9_]{1,30}$")
SUB_STATUS_MESSAGE = "Sales Order status updated successfully."  # sales-order.yml's example


def set_sub_status(ctx: WriteContext, rec: dict[str, Any], body: Mapping[str, Any]) -> None:
    code = str(body.get("status_code") or "")
    if not SUB_STATUS_CODE.match(code):
        raise invalid_value("status_code")
    if rec.get("status") == "void":
        raise invalid_value("status")
    before = next((s for s in rec.get("sub_statuses") or [] if isinstance(s, dict) and s.get("status_code") == code),
                  None)
    name = code[3:].replace("_", " ").title()
    rec["sub_statuses"] = [{"status_id": (before or {}).get("status_id") or ctx.backend.new_id(ctx.org_id),
                            "status_code": code, "parent_status": rec.get("status", ""), "description": "",
                            "display_name": name, "label_name": code, "color_code": ""}]


SALESORDER_SUB_STATUS = {"substatus/{status_code}": RecordAction(set_sub_status, SUB_STATUS_MESSAGE)}


# ---- an invoice from confirmed sales orders ----------------------------------------------------------
INVOICEABLE = ("open", "overdue", "partially_invoiced")
ORDER_LINE_KEYS = ("item_id", "name", "description", "rate", "quantity", "unit", "discount", "tax_id", "location_id",
                   "product_type", "project_id")
ORDER_KEYS = ("customer_id", "currency_id", "exchange_rate", "discount", "discount_type", "is_discount_before_tax",
              "is_inclusive_tax", "adjustment_description", "notes", "terms", "location_id", "billing_address",
              "shipping_address", "salesperson_name")


def order_ids(raw: str) -> list[str]:
    """The ``salesorder_id`` query value: one id or several, comma-separated (code 2 when none or malformed)."""
    ids = [x.strip() for x in raw.split(",") if x.strip()]
    if not ids or not all(x.isdigit() for x in ids):
        raise invalid_value("salesorder_id")
    return list(dict.fromkeys(ids))


def invoice_body_from_orders(orders: list[Mapping[str, Any]]) -> dict[str, Any]:
    """The create body of the invoice for ``orders``: the first order's terms, every order's lines and charges."""
    first = orders[0]
    if any(o.get("customer_id") != first.get("customer_id") for o in orders):
        raise invalid_value("salesorder_id")
    for order in orders:
        if order.get("status") not in INVOICEABLE:
            raise invalid_value("status")
    body = {k: first[k] for k in ORDER_KEYS if first.get(k) not in (None, "")}
    body["line_items"] = [{k: line[k] for k in ORDER_LINE_KEYS if line.get(k) not in (None, "")}
                          for order in orders for line in order.get("line_items") or []]
    body["reference_number"] = ", ".join(str(o.get("salesorder_number") or "") for o in orders)
    body["shipping_charge"] = round(sum(float(o.get("shipping_charge") or 0) for o in orders), 2)
    body["adjustment"] = round(sum(float(o.get("adjustment") or 0) for o in orders), 2)
    return body


def sales_order_links(orders: list[Mapping[str, Any]], symbol: str) -> dict[str, Any]:
    """What invoices.yml's create-from-sales-order answer adds to the invoice: the order it came from
    (``salesorder_id``, ``salesorder_number``) and ``salesorders``, documented as one object: the first
    order's summary (several orders: the first, our choice), its status as the order now has it."""
    first = orders[0]
    total, sub_total = float(first.get("total") or 0), float(first.get("sub_total") or 0)
    return {"salesorder_id": first.get("salesorder_id"), "salesorder_number": first.get("salesorder_number"),
            "salesorders": {"salesorder_id": first.get("salesorder_id"),
                            "salesorder_number": first.get("salesorder_number"),
                            "reference_number": first.get("reference_number") or "",
                            "crm_custom_reference_id": first.get("crm_custom_reference_id") or "",
                            "salesorder_order_status": first.get("order_status") or first.get("status") or "",
                            "total": total, "total_formatted": f"{symbol}{total:,.2f}",
                            "sub_total": sub_total, "sub_total_formatted": f"{symbol}{sub_total:,.2f}",
                            "date": first.get("date") or "", "shipment_date": first.get("shipment_date") or ""}}
