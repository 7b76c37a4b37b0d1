"""Refunds: ``/<path>/{id}/refunds[/{refund_id}]`` of credit notes, vendor credits and payments.

A refund pays money back out of what is left of a credit (its balance) or a payment (its unused
amount): it takes that much from it (more than is left: code 2 naming amount), a credit used up is
closed, and an update or delete gives back what the refund took. The rows live in the record under
the facet's ``key`` (what ``GET /creditnotes/refunds`` lists); the running total is ``rules.REFUNDED``
(which the rules subtract whenever they derive the balance again) and, where the record shows one,
the declared ``refunded`` field. Rows are listed newest first (by date, then by when they were made).
"""
from __future__ import annotations

import copy
from typing import Any, Mapping

from flask import Response

from ...errors import invalid_value
from ..fields import default_for
from ..models import not_found
from ..refund_rows import ACCOUNT_NAME
from ..rules import REFUNDED, check, refresh_contact
from .base import Call, message, save, writable_record
from .comments import _page_args as page_args
from .options import Refunds


SCHEMA_BASE = {"date": "date", "refund_mode": "str", "payment_form": "str", "reference_number": "str",
               "amount": "num", "exchange_rate": "num", "description": "str"}


def render(facet: Refunds, row: Mapping[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    return {f: row.get(f, default_for(f)) for f in fields}


def newest_first(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """By date, newest first; on one date the one made last first (a stable sort of the reversed rows)."""
    return sorted(reversed(rows), key=lambda r: str(r.get("date") or ""), reverse=True)


def _one(call: Call, facet: Refunds, row: Mapping[str, Any]) -> dict[str, Any]:
    body = render(facet, row, facet.detail_fields)
    return {facet.one_key: [body] if facet.one_in_list else body}


def _row(rec: Mapping[str, Any], facet: Refunds, refund_id: str) -> dict[str, Any]:
    for row in rec.get(facet.key) or []:
        if row.get(facet.row_id) == refund_id:
            return row
    raise not_found("Refund")


def h_list(call: Call, facet: Refunds) -> Response:
    rec = call.backend.require(call.org_id, call.spec, call.params[0])
    rows = [render(facet, r, facet.list_fields) for r in newest_first(list(rec.get(facet.key) or []))]
    page, per_page = page_args()
    payload: dict[str, Any] = {facet.key: rows[(page - 1) * per_page: page * per_page]}
    if facet.report_name:
        payload["page_context"] = {"page": page, "per_page": per_page, "has_more_page": len(rows) > page * per_page,
                                   "report_name": facet.report_name, "sort_column": "created_time", "sort_order": "D"}
    return call.answer(payload, 200, facet.listed)


def h_get(call: Call, facet: Refunds) -> Response:
    rec = call.backend.require(call.org_id, call.spec, call.params[0])
    return call.answer(_one(call, facet, _row(rec, facet, call.params[1])), 200, facet.got)


def _body(call: Call, facet: Refunds, creating: bool) -> dict[str, Any]:
    data = check(call.body(), {**SCHEMA_BASE, facet.account: "id"})
    wanted = ("amount", facet.account) if facet.account_required else ("amount",)
    for name in wanted if creating else ():
        if data.get(name) in (None, ""):
            raise invalid_value(name)
    if "amount" in data and (data["amount"] is None or data["amount"] <= 0):
        raise invalid_value("amount")
    if "exchange_rate" in data and data["exchange_rate"] is not None and data["exchange_rate"] <= 0:
        raise invalid_value("exchange_rate")
    return data


def _take(call: Call, facet: Refunds, rec: dict[str, Any], delta: float) -> None:
    """Move what is left of the record by ``delta`` refunded (negative: given back); the rules derive
    its balance and status again from the new total. Past what is left: code 2 naming amount."""
    if delta > float(rec.get(facet.balance) or 0) + 1e-9:
        raise invalid_value("amount")
    total = round(float(rec.get(REFUNDED) or 0) + delta + 0.0, 2)
    rec[REFUNDED] = total
    if facet.refunded:
        rec[facet.refunded] = total
    call.spec.rules.derive_balance(call.wctx(), rec)
    for field in facet.companions:
        rec[field] = rec[facet.balance]


def _fill(call: Call, facet: Refunds, rec: Mapping[str, Any], row: dict[str, Any], data: Mapping[str, Any]) -> None:
    row.update({k: v for k, v in data.items() if v is not None})
    account_id = row.get(facet.account) or ""
    if data.get(facet.account):
        account = call.backend.get_record(call.org_id, "chartofaccounts", account_id)
        if account is None:
            raise invalid_value(facet.account)
        row[ACCOUNT_NAME[facet.account]] = account.get("account_name") or ""
    rate = float(row.get("exchange_rate") or rec.get("exchange_rate") or 1)
    row["exchange_rate"] = rate
    row["amount_fcy"] = row["amount"]
    row["amount_bcy"] = round(float(row["amount"]) * rate + 0.0, 2)


def h_add(call: Call, facet: Refunds) -> Response:
    data = _body(call, facet, creating=True)
    with call.writing():
        rec = writable_record(call)
        if facet.refundable and rec.get("status") not in facet.refundable:
            raise invalid_value("status")
        spec = call.spec
        row: dict[str, Any] = {
            facet.row_id: call.backend.new_id(call.org_id), facet.parent_field: rec[spec.id_field],
            "date": call.backend.today(call.org), "refund_mode": "cash", "payment_form": "cash",
            "reference_number": "", "description": "", facet.account: "", ACCOUNT_NAME[facet.account]: "",
            "customer_name": rec.get(facet.name_field) or "", "imported_transactions": []}
        if facet.number_field:
            row[facet.number_field] = rec.get(facet.number_field) or ""
        _fill(call, facet, rec, row, data)
        _take(call, facet, rec, float(row["amount"]))
        rec.setdefault(facet.key, []).append(row)
        save(call, rec)
        _refresh_party(call, rec)
    return message(call, facet.added, facet.added_status, **_one(call, facet, row))


def h_update(call: Call, facet: Refunds) -> Response:
    data = _body(call, facet, creating=False)
    with call.writing():
        rec = writable_record(call)
        row = _row(rec, facet, call.params[1])
        before = float(row.get("amount") or 0)
        changed = copy.deepcopy(row)
        _fill(call, facet, rec, changed, data)
        _take(call, facet, rec, float(changed["amount"]) - before)
        row.clear()
        row.update(changed)
        save(call, rec)
        _refresh_party(call, rec)
    return message(call, facet.updated, 200, **_one(call, facet, row))


def h_delete(call: Call, facet: Refunds) -> Response:
    with call.writing():
        rec = writable_record(call)
        row = _row(rec, facet, call.params[1])
        _take(call, facet, rec, -float(row.get("amount") or 0))
        rec[facet.key] = [r for r in rec[facet.key] if r is not row]
        save(call, rec)
        _refresh_party(call, rec)
    return message(call, facet.deleted)


def _refresh_party(call: Call, rec: Mapping[str, Any]) -> None:
    """The customer's or vendor's unused credits follow the record's balance."""
    refresh_contact(call.wctx(), rec.get("customer_id") or rec.get("vendor_id"))
