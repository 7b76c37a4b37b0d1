"""Write rules of retainer invoices and sales receipts (documents: ``DocumentRules`` reused, with
their own status and balance) and of locations (retainer-invoices.yml, sales-receipt.yml,
locations.yml).

Choices (README "Retainer invoices, sales receipts, locations"):

* A retainer invoice is ``draft`` until sent; ``submit`` makes it ``pending_approval`` and
  ``approve`` ``approved`` (both before it is sent); once sent it is ``sent``, ``partially_paid`` or
  ``paid`` from its balance; ``void`` stays void. It carries no due date.
* A sales receipt is paid when made: its ``payment_made`` is its total and its balance 0; its
  status is ``sent`` (as the documents show it), ``void`` once voided.
* Locations: the first one is primary; the primary one is neither made inactive nor deleted
  (code 2 naming ``location_id``); one that documents use is not deleted (code 1040);
  ``POST /settings/locations/enable`` makes a primary "Head Office" when the org has none.
"""
from __future__ import annotations

import copy
from typing import Any, Mapping

from .. import literals as L
from ..http import BooksAPIError, invalid_value
from .fields import TEMPLATE_NAME
from .module_fields import LOCATION_ADDRESS, RETAINER_LAYOUT
from .module_rules import ModuleAction
from .rules import DocumentRules, RecordAction, WriteContext, WriteRules, check, check_rows, one_of, unique

# Documents that may name a location (a location they name is not deleted).
LOCATED = ("invoices", "bills", "creditnotes", "estimates", "salesorders", "purchaseorders", "expenses",
           "retainerinvoices", "salesreceipts", "customerpayments", "vendorpayments", "journals")


# ---- retainer invoices --------------------------------------------------------------------------
APPROVAL_STATES = ("pending_approval", "approved")


def retainer_status(ctx: WriteContext, rec: dict[str, Any]) -> str:
    if not rec.get("_sent"):
        return rec.get("status") if rec.get("status") in APPROVAL_STATES else "draft"
    if rec["total"] > 0 and rec["balance"] <= 0:
        return "paid"
    return "partially_paid" if rec["balance"] < rec["total"] else "sent"


class RetainerRules(DocumentRules):
    """A retainer invoice: an invoice's lines and totals, a project or estimate it is for, no due date."""

    def schema_for(self, ctx):
        return {**super().schema_for(ctx), "project_id": "id", "estimate_id": "id", "place_of_supply": "str"}

    def apply(self, ctx, rec, data, existing):
        project = data.pop("project_id", None)
        estimate = data.pop("estimate_id", None)
        super().apply(ctx, rec, data, existing)
        if project:
            found = ctx.referenced("projects", project, "project_id")
            rec.update(project_id=project, project_name=found.get("project_name"),
                       project_or_estimate_name=found.get("project_name"))
        if estimate:
            found = ctx.referenced("estimates", estimate, "estimate_id")
            rec["project_or_estimate_name"] = found.get("estimate_number")
        # what has been drawn onto invoices (never by a write of the retainer itself): a paid retainer's money
        # stays unused until drawn (GET /contacts/{id}/receivables/unusedretainerpayments lists it)
        rec["payment_drawn"] = rec.get("payment_drawn") or 0
        if existing is None:
            rec.update(payment_options={"payment_gateways": []}, **RETAINER_LAYOUT)
            rec["template_name"] = rec.get("template_name") or TEMPLATE_NAME

    def check_delete(self, ctx, rec):
        if float(rec.get("payment_made") or 0) > 0:
            raise BooksAPIError(L.HAS_DEPENDENTS, label=ctx.spec.label)


def _approval(state: str, allowed_from: tuple[str, ...]):
    def run(ctx: WriteContext, rec: dict[str, Any], body: Mapping[str, Any]) -> None:
        if rec.get("status") not in allowed_from:
            raise invalid_value("status")
        rec["status"] = state
    return run


def _billing_address(ctx: WriteContext, rec: dict[str, Any], caller: Mapping[str, Any], body: Mapping[str, Any]) -> None:
    """``PUT .../address/billing``: the document's own billing address (the contact's stays)."""
    fields = {"address": "str", "street2": "str", "city": "str", "state": "str", "zip": "str", "country": "str",
              "fax": "str", "attention": "str", "phone": "str"}
    rec["billing_address"] = {**(rec.get("billing_address") or {}), **check(body, fields)}


RETAINER_RULES = RetainerRules(party="customer", status=retainer_status, status_actions={
    "sent": lambda r: r.update({"_sent": True, "status": "sent"}),
    "draft": lambda r: r.update({"_sent": False, "status": "draft"}),
    "void": lambda r: r.update({"status": "void"}),
})
RETAINER_RULES.actions = {  # the gateway's record actions (rules.RecordAction)
    "submit": RecordAction(_approval("pending_approval", ("draft",)),
                           "The Retainer Invoice has been successfully submitted for approval."),
    "approve": RecordAction(_approval("approved", ("pending_approval",)), "The Retainer Invoice has been approved."),
}
RETAINER_RULES.record_actions = {  # a PUT: the modules' own action route (module_views)
    "address/billing": ModuleAction(_billing_address, "Billing address updated", op="UPDATE", method="PUT",
                                    takes_body=True),
}


# ---- sales receipts -------------------------------------------------------------------------------
def receipt_status(ctx: WriteContext, rec: dict[str, Any]) -> str:
    return "sent"


class SalesReceiptRules(DocumentRules):
    """A sale paid on the spot: totals as an invoice's, paid in full, the payment mode it was paid by."""

    def schema_for(self, ctx):
        return {**super().schema_for(ctx), "payment_mode": "str", "deposit_to_account_id": "id"}

    @property
    def required(self):  # type: ignore[override]
        return ("customer_id", "payment_mode", "line_items")

    def apply(self, ctx, rec, data, existing):
        if "payment_mode" in data:
            data["payment_mode"] = data["payment_mode"].strip().lower()
            if not data["payment_mode"]:
                raise invalid_value("payment_mode")
        if data.get("deposit_to_account_id") and ctx.get("chartofaccounts", data["deposit_to_account_id"]) is None:
            raise invalid_value("deposit_to_account_id")
        super().apply(ctx, rec, data, existing)

    def derive_balance(self, ctx, rec) -> None:
        rec["payment_made"] = rec["total"]
        super().derive_balance(ctx, rec)

    def check_delete(self, ctx, rec):
        """A receipt carries its own payment: deleting it removes both (nothing else depends on it)."""


SALES_RECEIPT_RULES = SalesReceiptRules(party="customer", status=receipt_status, initial_status="sent")


# ---- locations -------------------------------------------------------------------------------------
class LocationRules(WriteRules):
    schema = {"location_name": "str", "type": "str", "email": "str", "phone": "str", "address": "dict",
              "tax_settings_id": "id", "parent_location_id": "id", "associated_series_ids": "list",
              "auto_number_generation_id": "id", "is_all_users_selected": "bool", "user_ids": "list"}
    required = ("location_name",)

    def build(self, ctx, body, existing):
        if isinstance(body.get("user_ids"), str):  # "id1,id2" as well as a list
            body = {**body, "user_ids": [x.strip() for x in body["user_ids"].split(",") if x.strip()]}
        return super().build(ctx, body, existing)

    def apply(self, ctx, rec, data, existing):
        one_of(data, "type", ("general", "line_item_only"))
        unique(ctx, ("locations",), "location_name", data.get("location_name"), rec.get("location_id"), "Location")
        if data.get("parent_location_id"):
            if ctx.get("locations", data["parent_location_id"]) is None or data["parent_location_id"] == rec.get("location_id"):
                raise invalid_value("parent_location_id")
        if "address" in data:
            data["address"] = {**{f: "" for f in LOCATION_ADDRESS},
                               **check(data["address"], {f: "str" for f in LOCATION_ADDRESS})}
        users = data.pop("user_ids", None)
        super().apply(ctx, rec, data, existing)
        if existing is None:
            rec.update(type=rec.get("type") or "general", status="active",
                       is_primary=not any(True for _ in ctx.backend.records(ctx.org_id, "locations")),
                       address=rec.get("address") or {f: "" for f in LOCATION_ADDRESS},
                       associated_series_ids=rec.get("associated_series_ids") or [])
        if users is not None:
            rows = []
            for uid in check_rows("user_ids", [{"user_id": u} for u in users], {"user_id": "id"}):
                user = ctx.referenced("users", uid.get("user_id"), "user_ids")
                rows.append({"user_id": user["user_id"], "user_name": user.get("name") or ""})
            rec["associated_users"] = rows
        elif existing is None:
            rec["associated_users"] = []

    def check_delete(self, ctx, rec):
        if rec.get("is_primary"):
            raise invalid_value("location_id")
        lid = rec["location_id"]
        for resource in LOCATED:
            if any(r.get("location_id") == lid for r in ctx.backend.records(ctx.org_id, resource)):
                raise BooksAPIError(L.HAS_DEPENDENTS, label="Location")


def _location_status(value: str):
    def run(ctx: WriteContext, rec: dict[str, Any], body: Mapping[str, Any]) -> None:
        if value == "inactive" and rec.get("is_primary"):
            raise invalid_value("location_id")
        rec["status"] = value
    return run


def _mark_primary(ctx: WriteContext, rec: dict[str, Any], body: Mapping[str, Any]) -> None:
    """The one primary location: the others lose the mark; an inactive one is not made primary."""
    if rec.get("status") != "active":
        raise invalid_value("location_id")
    for other in ctx.backend.records(ctx.org_id, "locations"):
        if other.get("is_primary") and other["location_id"] != rec["location_id"]:
            other = copy.deepcopy(other)
            other["is_primary"] = False
            ctx.touch(other)
            ctx.put("locations", other)
    rec["is_primary"] = True


LOCATION_RULES = LocationRules()
LOCATION_RULES.actions = {
    "active": RecordAction(_location_status("active"), "The location has been marked as active."),
    "inactive": RecordAction(_location_status("inactive"), "The location has been marked as inactive."),
    "markasprimary": RecordAction(_mark_primary, "The location has been marked as primary."),
}
LOCATIONS_ENABLED_MESSAGE = "We're enabling locations for your organization."
PRIMARY_LOCATION_NAME = "Head Office"
