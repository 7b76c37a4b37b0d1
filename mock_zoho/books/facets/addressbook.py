"""A contact's additional addresses: ``GET/POST /contacts/{id}/address``, ``PUT/DELETE .../{address_id}``.

Kept in the contact (``_addresses``, listed under ``addresses``; each answer's one address under
``address_info``), apart from its billing and shipping addresses. A new address needs at least one
non-empty field (code 2 naming ``address`` otherwise); an update merges the given fields. Each change
moves the contact's last_modified_time and adds a history line.
"""
from __future__ import annotations

from typing import Any

from flask import Response

from ...errors import invalid_value
from ..models import not_found
from ..rules import ADDRESS_SCHEMA, check
from .base import Call, add_history, message, save, writable_record
from .options import AddressBook


KEY = "_addresses"


def _given(call: Call) -> dict[str, str]:
    return {k: v or "" for k, v in check(call.body(), ADDRESS_SCHEMA).items()}


def _public(row: dict[str, Any]) -> dict[str, Any]:
    return {"address_id": row["address_id"], **{f: row.get(f, "") for f in ADDRESS_SCHEMA}}


def h_list(call: Call, facet: AddressBook) -> Response:
    rec = call.backend.require(call.org_id, call.spec, call.params[0])
    return call.answer({"addresses": [_public(r) for r in rec.get(KEY) or []]})


def h_add(call: Call, facet: AddressBook) -> Response:
    given = _given(call)
    if not any(given.values()):
        raise invalid_value("address")
    with call.writing():
        rec = writable_record(call)
        row = {"address_id": call.backend.new_id(call.org_id), **{f: "" for f in ADDRESS_SCHEMA}, **given}
        rec[KEY] = list(rec.get(KEY) or []) + [row]
        add_history(call, rec, "Address added", operation="Added")
        save(call, rec)
    return message(call, facet.created, 200, address_info=_public(row))


def _row(call: Call, rec: dict[str, Any]) -> dict[str, Any]:
    for row in rec.get(KEY) or []:
        if row["address_id"] == call.params[1]:
            return row
    raise not_found("Address")


def h_update(call: Call, facet: AddressBook) -> Response:
    given = _given(call)
    with call.writing():
        rec = writable_record(call)
        row = _row(call, rec)
        row.update(given)
        add_history(call, rec, "Address updated")
        save(call, rec)
    return message(call, facet.updated, 200, address_info=_public(row))


def h_delete(call: Call, facet: AddressBook) -> Response:
    with call.writing():
        rec = writable_record(call)
        row = _row(call, rec)
        rec[KEY] = [r for r in rec[KEY] if r is not row]
        add_history(call, rec, "Address deleted")
        save(call, rec)
    return message(call, facet.deleted)
