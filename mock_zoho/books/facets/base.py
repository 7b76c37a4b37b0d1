"""What every facet handler shares: the record it acts on, saving it, its history, its party.

Handlers run behind the gateway (``views.gateway``: authentication, organisation, limits, scope,
journal, faults and replay already applied) and write through ``call.writing()`` (staged, all or
nothing). A record's comments and history live in the record under ``_comments`` (never rendered
as a field): a facet that changes a record adds a history line there, which the comments facet
lists next to the users' comments, newest first, as Zoho's "comments & history" does.
"""
from __future__ import annotations

import copy
from urllib.parse import quote
from typing import Any, Mapping, Protocol

from flask import Response, request

from ...errors import invalid_value
from ..resources import ResourceSpec



class Call(Protocol):
    """What a facet handler reads of the gateway's call (``views.Call`` is one): the record's resource and
    backend, the organisation, the path parameters, and the write, body and answer helpers. A protocol,
    so the facets never import the gateway that imports them."""

    params: list[str]
    user_id: str
    org: dict[str, Any] | None

    @property
    def route(self) -> Any: ...

    @property
    def spec(self) -> ResourceSpec: ...

    @property
    def backend(self) -> Any: ...

    @property
    def config(self) -> Any: ...

    @property
    def org_id(self) -> str: ...

    def wctx(self, spec: ResourceSpec | None = None) -> Any: ...

    def writing(self) -> Any: ...

    def body(self, allow_list: bool = False) -> Any: ...

    def answer(self, payload: dict[str, Any], status: int = 200, message: str = ...) -> Response: ...

COMMENTS_KEY = "_comments"


def writable_record(call: Call, record_id: str | None = None) -> dict[str, Any]:
    """A private copy of the addressed record (1002 "<Label> does not exist." when missing)."""
    return copy.deepcopy(call.backend.require(call.org_id, call.spec, record_id or call.params[0]))


def save(call: Call, rec: dict[str, Any], *, touch: bool = True) -> None:
    """Stage the record; ``touch`` moves its last_modified_time (what syncs by lmt pick up)."""
    if touch:
        call.wctx().touch(rec)
        if "updated_time" in rec:
            rec["updated_time"] = rec.get("last_modified_time")
    call.backend.put_record(call.org_id, call.spec.name, rec)


def singular(spec: ResourceSpec) -> str:
    """The record's kind as Zoho writes it in ``transaction_type`` (invoice, salesorder, vendor_credit)."""
    return spec.detail_key


def party(spec: ResourceSpec) -> str:
    """"customer" or "vendor": whom the resource's records are addressed to ("" for neither)."""
    fields = set(spec.list_fields) | set(spec.detail_fields)
    return next((p for p in ("customer", "vendor") if f"{p}_id" in fields), "")


def number_of(spec: ResourceSpec, rec: Mapping[str, Any]) -> str:
    return str(rec.get(spec.number_field or "", "") or rec.get(spec.id_field, ""))


def caller(call: Call) -> tuple[str, str, str]:
    """(Books user id, name, email) of the caller in this org."""
    user = call.backend.books_user_for(call.org_id, call.user_id) or {}
    return str(user.get("user_id", "")), str(user.get("name", "")), str(user.get("email", ""))


def clock_parts(call: Call, epoch: float | None = None) -> tuple[str, str]:
    """The org-local date (``2024-03-01``) and time (``2:38 PM``) of now (or ``epoch``), as comment rows show them."""
    stamp = call.backend.timestamp(call.org, epoch)
    hour, minute = int(stamp[11:13]), stamp[14:16]
    return stamp[:10], f"{hour % 12 or 12}:{minute} {'AM' if hour < 12 else 'PM'}"


def add_history(call: Call, rec: dict[str, Any], description: str, *, comment_type: str = "system",
                operation: str = "Updated", extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Append one comment or history line to the record (the caller saves the record)."""
    user_id, name, _ = caller(call)
    day, time_of_day = clock_parts(call)
    row = {"comment_id": call.backend.new_id(call.org_id), "description": description, "commented_by_id": user_id,
           "commented_by": name, "comment_type": comment_type, "operation_type": operation, "date": day,
           # relative to when it was written (our choice: a stored answer never depends on the wall clock)
           "date_description": "few seconds ago", "time": time_of_day, "transaction_id": "",
           "transaction_type": singular(call.spec), "_at": call.backend.now(), **(extra or {})}
    rec.setdefault(COMMENTS_KEY, []).append(row)
    return row


def created_line(call: Call, rec: Mapping[str, Any]) -> dict[str, Any] | None:
    """The history's first line, made from the record itself ("Invoice created for $264.00", by the
    org's owner, when it was created); its comment_id is the record's id. None without a creation time."""
    if "_ct" not in rec:
        return None
    owner = next((u for u in call.backend.records(call.org_id, "users") if u.get("_owner")), {})
    day, time_of_day = clock_parts(call, rec["_ct"])
    amount = ""
    if "total" in rec:
        symbol = rec.get("currency_symbol") or (call.org or {}).get("currency_symbol") or ""
        amount = f" for {symbol}{float(rec.get('total') or 0):,.2f}"
    return {"comment_id": str(rec[call.spec.id_field]), "description": f"{call.spec.label} created{amount}",
            "commented_by_id": str(owner.get("user_id", "")), "commented_by": str(owner.get("name", "")),
            "comment_type": "system", "operation_type": "Added", "date": day, "date_description": day,
            "time": time_of_day, "transaction_id": "", "transaction_type": singular(call.spec)}


def flag(name: str, default: bool | None = None) -> bool | None:
    """A true/false query parameter (``can_send_in_mail=true``); anything else is code 2 naming it."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() not in ("true", "false"):
        raise invalid_value(name)
    return raw.lower() == "true"


def id_list(call: Call, name: str, limit: int) -> list[str]:
    """``<id_field>s=1,2,3`` of a bulk call: 1 to ``limit`` numeric ids, each an existing record."""
    wanted = [x.strip() for x in (request.args.get(name) or "").split(",") if x.strip()]
    if not wanted or len(wanted) > limit or not all(x.isdigit() for x in wanted):
        raise invalid_value(name)
    return list(dict.fromkeys(wanted))


def message(call: Call, text: str, status: int = 200, **payload: Any) -> Response:
    return call.answer(payload, status, text)


def content_disposition(inline: bool, file_name: str) -> str:
    """``inline``/``attachment`` with the file name: ASCII as is, any other name also as RFC 5987 UTF-8."""
    kind = "inline" if inline else "attachment"
    ascii_name = file_name.encode("ascii", "replace").decode("ascii").replace("?", "_")
    if ascii_name == file_name:
        return f'{kind}; filename="{file_name}"'
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(file_name)}"
