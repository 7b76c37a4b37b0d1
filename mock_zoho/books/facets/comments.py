"""Comments & history: ``/<path>/{id}/comments[/{comment_id}]``.

A comment a user adds is ``comment_type: internal``; what other facets record (emailed, submitted,
attachment added) is ``system`` history, which starts with the record's creation line ("Invoice
created for $264.00", made from the record, its comment_id the record's id). All are listed newest
first. Only users' comments can be
edited or deleted (our choice: a history line is Zoho's record of what happened).
"""
from __future__ import annotations

from typing import Any, Mapping

from flask import Response, request

from ...errors import invalid_value
from ..models import not_found
from ..rules import check
from .base import Call, COMMENTS_KEY, add_history, caller, created_line, message, save, writable_record
from .declare import FACETS
from .options import Comments


BODY = {"description": "str", "show_comment_to_clients": "bool"}


def render(call: Call, facet: Comments, rec: Mapping[str, Any], row: Mapping[str, Any]) -> dict[str, Any]:
    spec = call.spec
    out = {"comment_id": row["comment_id"], spec.id_field: rec[spec.id_field]}
    out.update({f: rec.get(f, "") for f in facet.record_fields})
    out.update({k: v for k, v in row.items() if not k.startswith("_") and k != "comment_id"})
    if facet.entity_flag:
        out["is_entity_deleted"] = False
    if facet.current_user_flag:
        out["is_current_user"] = bool(out.get("commented_by_id")) and out.get("commented_by_id") == caller(call)[0]
    return out


def detail_rows(call: Call, rec: Mapping[str, Any]) -> list[dict[str, Any]] | None:
    """The rows a record's detail carries as ``comments`` (None: its resource keeps none there)."""
    facet = next((f for f in FACETS.get(call.spec.name, ()) if isinstance(f, Comments) and f.in_detail), None)
    return None if facet is None else rows(call, facet, rec)


def rows(call: Call, facet: Comments, rec: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Newest first, down to the creation line every record's history starts with."""
    first = created_line(call, rec)
    history = ([first] if first else []) + list(rec.get(COMMENTS_KEY) or [])
    return [render(call, facet, rec, r) for r in reversed(history)]


def _echo(shape: str, row: dict[str, Any]) -> dict[str, Any]:
    if not shape:
        return {}
    return {shape.rstrip("[]"): [row] if shape.endswith("[]") else row}


def h_list(call: Call, facet: Comments) -> Response:
    rec = call.backend.require(call.org_id, call.spec, call.params[0])
    items = rows(call, facet, rec)
    if not facet.paged:
        return call.answer({facet.list_key: items}, 200, facet.list_message)
    page, per_page = _page_args()
    chunk = items[(page - 1) * per_page: page * per_page]
    ctx = {"page": page, "per_page": per_page, "has_more_page": len(items) > page * per_page,
           "applied_filter": "Status.All", "sort_column": "created_time", "sort_order": "D"}
    return call.answer({facet.list_key: chunk, "page_context": ctx}, 200, facet.list_message)


def _page_args() -> tuple[int, int]:
    out = []
    for name, default in (("page", 1), ("per_page", 200)):
        raw = request.args.get(name, str(default))
        if not raw.isdigit() or int(raw) < 1:
            raise invalid_value(name)
        out.append(min(int(raw), 200) if name == "per_page" else int(raw))
    return out[0], out[1]


def _body(call: Call) -> dict[str, Any]:
    data = check(call.body(), BODY)
    if not (data.get("description") or "").strip():
        raise invalid_value("description")
    return data


def h_add(call: Call, facet: Comments) -> Response:
    data = _body(call)
    with call.writing():
        rec = writable_record(call)
        extra = {"show_comment_to_clients": bool(data.get("show_comment_to_clients"))}
        row = add_history(call, rec, data["description"], comment_type="internal", operation="Added", extra=extra)
        save(call, rec, touch=False)
    return message(call, facet.added, facet.added_status, **_echo(facet.echo, render(call, facet, rec, row)))


def _own_comment(call: Call, rec: dict[str, Any]) -> dict[str, Any]:
    if call.params[1] == str(rec[call.spec.id_field]):  # the creation line: history
        raise invalid_value("comment_id")
    for row in rec.get(COMMENTS_KEY) or []:
        if row["comment_id"] == call.params[1]:
            if row.get("comment_type") != "internal":
                raise invalid_value("comment_id")
            return row
    raise not_found("Comment")


def h_update(call: Call, facet: Comments) -> Response:
    data = _body(call)
    with call.writing():
        rec = writable_record(call)
        row = _own_comment(call, rec)
        row["description"] = data["description"]
        if "show_comment_to_clients" in data:
            row["show_comment_to_clients"] = bool(data["show_comment_to_clients"])
        save(call, rec, touch=False)
    return message(call, facet.updated, 200, **_echo(facet.update_echo, render(call, facet, rec, row)))


def h_delete(call: Call, facet: Comments) -> Response:
    with call.writing():
        rec = writable_record(call)
        row = _own_comment(call, rec)
        rec[COMMENTS_KEY] = [r for r in rec[COMMENTS_KEY] if r is not row]
        save(call, rec, touch=False)
    return message(call, facet.deleted)
