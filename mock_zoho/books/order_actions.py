"""Small documented record actions of orders (issue 16): a purchase order's ``reject`` and a sales order's
custom sub-status (purchase-order.yml, sales-order.yml).

Choices (README choices table):

* ``POST /purchaseorders/{id}/reject`` sends an order pending approval back to ``draft`` (the documents
  name no rejected status; the submitter edits and submits it again); any other status is code 2 naming
  ``status``. 201 and "You have rejected the Purchase order successfully." as documented.
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
