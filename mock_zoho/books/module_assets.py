"""Fixed assets and their types (fixed-assets.yml): write rules, and depreciation on the virtual clock.

An asset is ``draft`` until ``status/active``; an active asset depreciates at the end of each period
(``depreciation_frequency``: monthly, quarterly or yearly) counted from its
``depreciation_start_date``. The scheduler of recurring profiles drives it (``recurrence.Scheduled``:
the gateway's ``catch_up`` runs every period the org's date has passed, in date order), so a read
after the clock moved sees every depreciation since, each in ``GET .../history`` with the value
after it, and ``current_asset_value`` / ``accumulated_dep_value`` / ``last_depreciation_date``
follow. ``GET .../forecast`` is the same arithmetic run forward to the salvage value.

Choices (README "Fixed assets"): ``straight_line`` takes (start value - salvage value) / periods of
``total_life`` (months) each period; ``declining_method`` takes ``depreciation_percentage`` a year of
the current value, pro rata per period; whole periods only (``computation_type`` is stored, not
applied); never below the salvage value: an asset at its salvage value is ``fully_depreciated``.
Write-off and sale end it (``written_off`` / ``sold``, value 0, a history row); ``cancel`` only a
draft or an active asset with no depreciation; ``status/draft`` only an asset with no depreciation.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Mapping

from .. import literals as L
from ..http import BooksAPIError, invalid_value
from .recurrence import Schedule, Scheduled, advance, note_due
from .rules import RecordAction, WriteContext, WriteRules, check, one_of

METHODS = ("straight_line", "declining_method")
FREQUENCY_MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}
COMPUTATION = ("prorata_basis", "no_prorata")
MAX_FORECAST = 1200  # periods a forecast lists at most (100 years of months)
ASSET_SCHEDULE = Schedule("_next_depreciation_date", "last_depreciation_date", "", "")


def _money(x: float) -> float:
    return round(float(x) + 0.0, 2)


def depreciation(asset: Mapping[str, Any], value: float) -> float:
    """What one period takes from ``value`` (never below the salvage value)."""
    months = FREQUENCY_MONTHS.get(asset.get("depreciation_frequency") or "monthly", 1)
    salvage = float(asset.get("salvage_value") or 0)
    if asset.get("depreciation_method") == "declining_method":
        amount = value * float(asset.get("depreciation_percentage") or 0) / 100 * months / 12
    else:
        periods = max(1, int(asset.get("total_life") or 1) // months)
        amount = (float(asset.get("dep_start_value") or asset.get("asset_cost") or 0) - salvage) / periods
    return _money(max(0.0, min(amount, value - salvage)))


def period_after(asset: Mapping[str, Any], day: str) -> str:
    months = FREQUENCY_MONTHS.get(asset.get("depreciation_frequency") or "monthly", 1)
    start = asset.get("depreciation_start_date") or day
    return advance(day, "months", months, date.fromisoformat(start).day)


def forecast(asset: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The depreciations still to come, from the current value down to the salvage value."""
    rows: list[dict[str, Any]] = []
    if asset.get("status") not in ("draft", "active"):  # sold, written off, cancelled, fully depreciated
        return rows
    value = float(asset.get("current_asset_value") or 0)
    accumulated = float(asset.get("accumulated_dep_value") or 0)
    day = asset.get("_next_depreciation_date") or period_after(asset, asset.get("depreciation_start_date") or "")
    while len(rows) < MAX_FORECAST:
        amount = depreciation(asset, value)
        if amount <= 0:
            break
        value, accumulated = _money(value - amount), _money(accumulated + amount)
        rows.append({"valuation_date": day, "depreciated_value": amount, "current_value": value,
                     "accumulated_value": accumulated})
        day = period_after(asset, day)
    return rows


class FixedAssetTypeRules(WriteRules):
    schema = {"fixed_asset_type_name": "str", "expense_account_id": "id", "depreciation_account_id": "id",
              "depreciation_method": "str", "depreciation_frequency": "str", "depreciation_percentage": "num",
              "total_life": "int", "salvage_value": "num", "computation_type": "str"}
    required = ("fixed_asset_type_name", "expense_account_id", "depreciation_account_id", "depreciation_method",
                "depreciation_frequency")

    def apply(self, ctx, rec, data, existing):
        check_depreciation(ctx, rec, data)
        name = data.get("fixed_asset_type_name")
        if name:
            for other in ctx.backend.records(ctx.org_id, "fixedassettypes"):
                if other.get("fixed_asset_type_name", "").lower() == name.lower() and \
                        other.get("fixed_asset_type_id") != rec.get("fixed_asset_type_id"):
                    raise BooksAPIError(L.ALREADY_EXISTS, label="Fixed asset type", value=name)
        super().apply(ctx, rec, data, existing)
        if existing is None:
            rec["computation_type"] = rec.get("computation_type") or "prorata_basis"

    def check_delete(self, ctx, rec):
        if any(a.get("fixed_asset_type_id") == rec["fixed_asset_type_id"]
               for a in ctx.backend.records(ctx.org_id, "fixedassets")):
            raise BooksAPIError(L.HAS_DEPENDENTS, label="Fixed asset type")


def check_depreciation(ctx: WriteContext, rec: dict[str, Any], data: dict[str, Any]) -> None:
    """The depreciation settings an asset or a type shares, and the names of the accounts they name."""
    one_of(data, "depreciation_method", METHODS)
    one_of(data, "depreciation_frequency", tuple(FREQUENCY_MONTHS))
    one_of(data, "computation_type", COMPUTATION)
    for key in ("depreciation_percentage", "salvage_value", "total_life"):
        if data.get(key) is not None and data[key] < 0:
            raise invalid_value(key)
    if data.get("depreciation_percentage") is not None and data["depreciation_percentage"] > 100:
        raise invalid_value("depreciation_percentage")
    for key in ("asset_account_id", "expense_account_id", "depreciation_account_id"):
        if key in data and data[key]:
            account = ctx.get("chartofaccounts", data[key])
            if account is None:
                raise invalid_value(key)
            rec[key.replace("_id", "_name")] = account.get("account_name")


class FixedAssetRules(Scheduled, WriteRules):
    schema = {"asset_name": "str", "fixed_asset_type_id": "id", "asset_account_id": "id", "expense_account_id": "id",
              "depreciation_account_id": "id", "depreciation_method": "str", "depreciation_frequency": "str",
              "depreciation_percentage": "num", "total_life": "int", "salvage_value": "num",
              "depreciation_start_date": "date", "description": "str", "asset_cost": "num", "computation_type": "str",
              "warranty_expiry_date": "date", "asset_purchase_date": "date", "serial_no": "str",
              "dep_start_value": "num", "notes": "str", "tags": "list", "custom_fields": "list"}
    required = ("asset_name", "fixed_asset_type_id", "asset_account_id", "asset_cost", "asset_purchase_date")
    schedule = ASSET_SCHEDULE

    def apply(self, ctx, rec, data, existing):
        if existing is not None and existing.get("status") != "draft" and \
                any(k in data for k in ("asset_cost", "dep_start_value", "depreciation_method", "depreciation_frequency",
                                        "depreciation_start_date", "total_life", "depreciation_percentage")):
            raise invalid_value("status")  # an active asset's depreciation is fixed (our choice)
        check_depreciation(ctx, rec, data)
        if data.get("asset_cost") is not None and data["asset_cost"] <= 0:
            raise invalid_value("asset_cost")
        if data.get("fixed_asset_type_id"):
            kind = ctx.referenced("fixedassettypes", data["fixed_asset_type_id"], "fixed_asset_type_id")
            rec["fixed_asset_type_name"] = kind.get("fixed_asset_type_name")
            for key in ("expense_account_id", "expense_account_name", "depreciation_account_id",
                        "depreciation_account_name", "depreciation_method", "depreciation_frequency",
                        "depreciation_percentage", "total_life", "salvage_value", "computation_type"):
                if key not in data and (existing is None or not rec.get(key)) and kind.get(key) not in (None, ""):
                    rec[key] = kind[key]
        super().apply(ctx, rec, data, existing)
        if existing is None:
            rec.update(status="draft", accumulated_dep_value=0.0, last_depreciation_date="",
                       depreciation_method=rec.get("depreciation_method") or "straight_line",
                       depreciation_frequency=rec.get("depreciation_frequency") or "monthly",
                       computation_type=rec.get("computation_type") or "prorata_basis", _history=[])
        for amount in ("asset_cost", "salvage_value"):  # amounts: decimals on the wire, as the seeder writes them
            rec[amount] = _money(rec.get(amount) or 0)
        cost = float(rec.get("asset_cost") or 0)
        if "dep_start_value" in data or existing is None:
            rec["dep_start_value"] = float(data.get("dep_start_value") or cost)
        if float(rec.get("salvage_value") or 0) > float(rec["dep_start_value"]):
            raise invalid_value("salvage_value")
        rec["depreciation_start_date"] = rec.get("depreciation_start_date") or rec.get("asset_purchase_date")
        if rec["status"] == "draft":
            rec["current_asset_value"] = rec["dep_start_value"]

    def number(self, ctx, rec, data, existing):
        super().number(ctx, rec, data, existing)
        number = rec.get("asset_number") or ""
        digits = number[len(number.rstrip("0123456789")):]
        rec["asset_number_prefix"] = number[:len(number) - len(digits)]
        rec["asset_number_suffix"] = int(digits) if digits else 0

    def after_write(self, ctx, old, new):
        self.after_profile_write(ctx, new)

    def after_delete(self, ctx, rec):
        note_due(ctx)

    def check_delete(self, ctx, rec):
        if rec.get("_history"):
            raise BooksAPIError(L.HAS_DEPENDENTS, label="Fixed asset")

    # -- the clock -----------------------------------------------------------------------------------
    def occur(self, ctx, rec, day):
        value = float(rec.get("current_asset_value") or 0)
        amount = depreciation(rec, value)
        rec["current_asset_value"] = _money(value - amount)
        rec["accumulated_dep_value"] = _money(float(rec.get("accumulated_dep_value") or 0) + amount)
        rec["last_depreciation_date"] = day
        history(ctx, rec, day, "depreciation", amount, f"Depreciation for the period ending {day}")

    def next_after(self, rec, day):
        return period_after(rec, day)

    def expire_if_done(self, rec):
        """At its salvage value an asset depreciates no more: ``fully_depreciated``, no next date."""
        if depreciation(rec, float(rec.get("current_asset_value") or 0)) <= 0:
            rec.update(status="fully_depreciated", _next_depreciation_date="")


def history(ctx: WriteContext, rec: dict[str, Any], day: str, kind: str, amount: float, description: str) -> None:
    rec["_history"] = list(rec.get("_history") or []) + [{
        "valuation_id": ctx.backend.new_id(ctx.org_id), "description": description, "valuation_date": day,
        "depreciated_value": amount, "current_value": rec["current_asset_value"],
        "accumulated_value": rec["accumulated_dep_value"], "type": kind, "is_journal_posted": True}]


# ---- actions --------------------------------------------------------------------------------------
def _activate(ctx: WriteContext, rec: dict[str, Any], body: Mapping[str, Any]) -> None:
    if rec.get("status") not in ("draft", "cancelled"):
        raise invalid_value("status")
    rec["status"] = "active"
    rec["_next_depreciation_date"] = period_after(rec, rec["depreciation_start_date"])
    FIXED_ASSET_RULES.expire_if_done(rec)


def _to_draft(ctx: WriteContext, rec: dict[str, Any], body: Mapping[str, Any]) -> None:
    if rec.get("status") not in ("active", "cancelled") or rec.get("_history"):
        raise invalid_value("status")
    rec.update(status="draft", _next_depreciation_date="")


def _cancel(ctx: WriteContext, rec: dict[str, Any], body: Mapping[str, Any]) -> None:
    if rec.get("status") not in ("draft", "active") or rec.get("_history"):
        raise invalid_value("status")
    rec.update(status="cancelled", _next_depreciation_date="")


DISPOSABLE = ("active", "fully_depreciated")


def _dispose(kind: str, status: str):
    """Write-off (date, expense account, reason) or sale (invoice and its line, expense account, reason)."""
    def run(ctx: WriteContext, rec: dict[str, Any], body: Mapping[str, Any]) -> None:
        schema = {"date": "date", "expense_account_id": "id", "reason": "str", "invoice_id": "id", "line_item_id": "id"}
        data = check(body, schema)
        needed = ("date", "expense_account_id", "reason") if kind == "write_off" else \
            ("invoice_id", "line_item_id", "reason", "expense_account_id")
        for name in needed:
            if not data.get(name):
                raise invalid_value(name)
        if rec.get("status") not in DISPOSABLE:
            raise invalid_value("status")
        if ctx.get("chartofaccounts", data["expense_account_id"]) is None:
            raise invalid_value("expense_account_id")
        day = data.get("date") or ctx.today
        if kind == "sale":
            invoice = ctx.referenced("invoices", data["invoice_id"], "invoice_id")
            if not any(li.get("line_item_id") == data["line_item_id"] for li in invoice.get("line_items") or []):
                raise invalid_value("line_item_id")
            day = invoice.get("date") or day
            rec["associated_transactions"] = list(rec.get("associated_transactions") or []) + [
                {"transaction_id": invoice["invoice_id"], "transaction_type": "invoice",
                 "transaction_number": invoice.get("invoice_number"), "date": day}]
        value = float(rec.get("current_asset_value") or 0)
        rec.update(status=status, current_asset_value=0.0, _next_depreciation_date="")
        history(ctx, rec, day, kind, _money(value), data["reason"])
    return run


FIXED_ASSET_TYPE_RULES = FixedAssetTypeRules()
FIXED_ASSET_RULES = FixedAssetRules()
FIXED_ASSET_RULES.actions = {  # the gateway's record actions (rules.RecordAction: POST, the module's CREATE scope)
    "status/active": RecordAction(_activate, "Fixed asset's status changed"),
    "status/draft": RecordAction(_to_draft, "Fixed asset's status changed"),
    "status/cancel": RecordAction(_cancel, "Fixed asset's status changed"),
    "writeoff": RecordAction(_dispose("write_off", "written_off"), "Fixed asset has been written off"),
    "sell": RecordAction(_dispose("sale", "sold"), "Fixed asset has been sold"),
}
