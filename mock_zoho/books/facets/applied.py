"""Credits applied and payment rows: list them, take one back, apply credits and payments to a document.

``GET /invoices/{id}/creditsapplied``, ``GET /creditnotes/{id}/invoices``, ``GET /bills/{id}/payments``
list one settlement link's rows (``links.LINKS``) from either side; ``DELETE .../{link_id}`` takes one
back (``links.unapply``); ``POST /invoices|bills/{id}/credits`` applies the party's credits and payments
(``links.apply``). All through ``call.writing()``: a refusal of any row leaves everything unchanged.
"""
from __future__ import annotations

from typing import Any

from flask import Response

from ...errors import invalid_value
from ..rules import check, check_rows
from .base import Call, message
from .links import LINKS, Link, Row, apply, find, rows_of_target, unapply
from .options import Applied, ApplyFrom



def value_of(where: str, link: Link, source: Row, target: Row, row: Row) -> Any:
    """One answer field: ``link`` (the row's id), ``amount``, ``single`` (the source's only row),
    ``source.<f>`` / ``target.<f>`` / ``row.<f>``; ``a|b``: the first of them that is set."""
    shown = link.meta_of(source, row)
    for choice in where.split("|"):
        if choice == "link":
            value: Any = link.id_of(source, row)
        elif choice == "amount":
            value = row.get(link.amount)
        elif choice == "single":
            value = len(source.get(link.rows) or []) == 1
        else:
            kind, _, name = choice.partition(".")
            value = {"source": source, "target": target, "row": shown}[kind].get(name)
        if value not in (None, ""):
            return value
    return "" if value is None else value


def _pairs(call: Call, facet: Applied, link: Link, rec: Row) -> list[tuple[Row, Row, Row]]:
    """(source, target, row) of the record's applications, oldest first."""
    if facet.side == "target":
        return [(src, rec, row) for src, row in rows_of_target(call, link, rec)]
    return [(rec, call.backend.get_record(call.org_id, link.target, row.get(link.target_id)) or {}, row)
            for row in rec.get(link.rows) or []]


def h_list(call: Call, facet: Applied) -> Response:
    link = LINKS[facet.link]
    rec = call.backend.require(call.org_id, call.spec, call.params[0])
    rows = [{name: value_of(where, link, src, tgt, row) for name, where in facet.fields}
            for src, tgt, row in _pairs(call, facet, link, rec)]
    return call.answer({facet.list_key: rows})


def h_delete(call: Call, facet: Applied) -> Response:
    link = LINKS[facet.link]
    with call.writing():
        rec = call.backend.require(call.org_id, call.spec, call.params[0])
        if facet.side == "target":
            source, row = find(call, link, call.params[1], target=rec)
        else:
            source, row = find(call, link, call.params[1], source=rec)
        unapply(call, link, source, row)
    return message(call, facet.deleted)


def h_apply(call: Call, facet: ApplyFrom) -> Response:
    body = check(call.body(), {key: "list" for key, _, _ in facet.sources})
    if not any(body.get(key) for key, _, _ in facet.sources):
        raise invalid_value(facet.sources[0][0])
    with call.writing():
        target = call.backend.require(call.org_id, call.spec, call.params[0])
        for key, name, id_field in facet.sources:
            for row in check_rows(key, body.get(key) or [], {id_field: "id", "amount_applied": "num"}):
                target = apply(call, LINKS[name], row.get(id_field), target, row.get("amount_applied"), id_field)
    return message(call, facet.message, facet.status)
