"""Checks on the portal: the journey's end, connections, events, datasets, records, API answers."""
from __future__ import annotations

from typing import Any

from . import argtypes as T
from .errors import CheckFailed, StepFailed
from .match import describe, matches
from .registry import check
from .steps_portal import OUTCOME_FIELDS, _check_outcome, _company_id
from .world import Run


def _get(run: Run, path: str) -> Any:
    return run.api.get(f"{run.need_portal().url}{path}", timeout=60).json()


@check("link_outcome", {"company": T.ref("company"), **OUTCOME_FIELDS}, required=("company",), portal=True)
def link_outcome(run: Run, company: str, **expect: Any) -> str:
    """Where the customer's last journey ended: redirect parameters, or the page they were left on."""
    out = run.journeys.get(company, {}).get("outcome")
    if out is None:
        raise CheckFailed(f"{company}: no customer journey happened")
    try:
        _check_outcome(out, expect or None, f"{company}'s journey")
    except StepFailed as exc:
        raise CheckFailed(str(exc)) from None
    return out.describe()


@check("connection", {"company": T.ref("company"),
                      "status": T.MATCHER, "organization": T.ref("org", "connectionInfo.organizationId is this org's"),
                      "info": {"type": "object", "additionalProperties": T.MATCHER,
                               "description": "connectionInfo fields (edition, dc, warnings, ...)"},
                      "errors": T.COUNT, "last_error": {"type": "object", "additionalProperties": T.MATCHER},
                      "count": T.COUNT}, required=("company",), portal=True)
def connection(run: Run, company: str, status: Any = None, organization: str | None = None,
               info: dict[str, Any] | None = None, errors: Any = None, last_error: dict[str, Any] | None = None,
               count: Any = None) -> str:
    """The company's connection: status (PendingAuth, Linked, Deauthorized, Unlinked, none), info, errors."""
    found = _get(run, f"/api/companies/{_company_id(run, company)}/connections")["results"]
    if count is not None and not matches(count, len(found)):
        raise CheckFailed(f"{company} has {len(found)} connections, expected {describe(count)}")
    conn = found[-1] if found else None
    got_status = conn["status"] if conn else "none"
    if status is not None and not matches(status, got_status):
        errs = conn["dataConnectionErrors"][-1:] if conn else []
        raise CheckFailed(f"{company}'s connection is {got_status}, expected {describe(status)}"
                          + (f" (last error: {errs[0]})" if errs else ""))
    if conn is None:
        return "no connection"
    cinfo = conn.get("connectionInfo") or {}
    if organization and cinfo.get("organizationId") != run.org_id(organization):
        other = run.org_alias(cinfo.get("organizationId")) or cinfo.get("organizationId")
        raise CheckFailed(f"{company}'s connection reads organisation {other!r}, expected {organization!r}")
    for key, want in (info or {}).items():
        if not matches(want, cinfo.get(key)):
            raise CheckFailed(f"{company}'s connectionInfo.{key} is {cinfo.get(key)!r}, expected {describe(want)}")
    errs = conn.get("dataConnectionErrors", [])
    if errors is not None and not matches(errors, len(errs)):
        raise CheckFailed(f"{company}'s connection has {len(errs)} errors, expected {describe(errors)}: {errs}")
    for key, want in (last_error or {}).items():
        got = errs[-1].get(key) if errs else None
        if not matches(want, got):
            raise CheckFailed(f"{company}'s last connection error {key} is {got!r}, expected {describe(want)}")
    return f"{got_status}, {len(errs)} errors"


def _events(run: Run, company: str | None) -> list[dict[str, Any]]:
    query = f"?companyId={_company_id(run, company)}" if company else ""
    return _get(run, f"/api/events{query}")["results"]


@check("events", {"company": T.ref("company"),
                  "sequence": T.strings(description="these event types, in this order (others may come between)"),
                  "absent": T.strings(description="event types that must not appear"),
                  "counts": {"type": "object", "additionalProperties": T.COUNT}}, portal=True)
def events(run: Run, company: str | None = None, sequence: list[str] | None = None, absent: list[str] | None = None,
           counts: dict[str, Any] | None = None) -> str:
    """The platform's events: an ordered sequence, ones that must not appear, counts per type."""
    types = [e["eventType"] for e in _events(run, company)]
    at = 0
    for wanted in sequence or []:
        try:
            at = types.index(wanted, at) + 1
        except ValueError:
            raise CheckFailed(f"event {wanted!r} missing (in order) from {types}") from None
    for banned in absent or []:
        if banned in types:
            raise CheckFailed(f"event {banned!r} should not have been emitted; events: {types}")
    for kind, want in (counts or {}).items():
        n = types.count(kind)
        if not matches(want, n):
            raise CheckFailed(f"{n} {kind!r} events, expected {describe(want)}; events: {types}")
    return " -> ".join(types[-12:])


@check("datasets", {"company": T.ref("company"), "data_types": T.strings(description="default: every one synced"),
                    "status": T.MATCHER, "statusDescription": T.MATCHER, "errorMessage": T.MATCHER,
                    "recordsModified": T.MATCHER, "count": T.COUNT}, required=("company",), portal=True)
def datasets(run: Run, company: str, data_types: list[str] | None = None, count: Any = None, **want: Any) -> str:
    """The latest dataset (read) of each data type: its status, description, records modified."""
    all_ds = _get(run, f"/api/companies/{_company_id(run, company)}/datasets")["results"]
    latest: dict[str, dict[str, Any]] = {}
    for ds in all_ds:
        latest[ds["dataType"]] = ds
    if count is not None and not matches(count, len(all_ds)):
        raise CheckFailed(f"{company} has {len(all_ds)} datasets, expected {describe(count)}")
    types = data_types or list(latest)
    if not types:
        raise CheckFailed(f"{company} has no datasets (nothing was read)")
    for dt in types:
        ds = latest.get(dt)
        if ds is None:
            raise CheckFailed(f"{company}: {dt} was never read")
        for key, spec in want.items():
            if not matches(spec, ds.get(key)):
                detail = (ds.get("errorMessage") or ds.get("statusDescription") or "")[:300]
                raise CheckFailed(f"{company} {dt} dataset {key} is {ds.get(key)!r}, expected {describe(spec)}"
                                  + (f" ({detail})" if detail and key != "errorMessage" else ""))
    return ", ".join(f"{dt} {latest[dt]['status']}" for dt in types)


def _path(record: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        if isinstance(record, dict):
            record = record.get(part)
        elif isinstance(record, list) and part.isdigit() and int(part) < len(record):
            record = record[int(part)]
        else:
            return None
    return record


@check("records", {"company": T.ref("company"), "data_type": T.text(), "count": T.COUNT,
                   "every": {"type": "object", "additionalProperties": T.MATCHER,
                             "description": "dotted field -> matcher that every record satisfies"},
                   "some": {"type": "object", "additionalProperties": T.MATCHER},
                   "unique": T.text("a field whose values must not repeat (no duplicates)")},
       required=("company", "data_type"), portal=True)
def records(run: Run, company: str, data_type: str, count: Any = None, every: dict[str, Any] | None = None,
            some: dict[str, Any] | None = None, unique: str | None = None) -> str:
    """The records the platform holds for a data type: how many, and what their fields say."""
    cid = _company_id(run, company)
    rows: list[dict[str, Any]] = []
    page = 1
    while True:
        got = _get(run, f"/api/companies/{cid}/data/{data_type}?page={page}&pageSize=5000")
        rows += got["results"]
        if len(rows) >= got["totalResults"] or not got["results"]:
            break
        page += 1
    if count is not None and not matches(count, len(rows)):
        raise CheckFailed(f"{company} holds {len(rows)} {data_type}, expected {describe(count)}")
    for field, spec in (every or {}).items():
        for row in rows:
            if not matches(spec, _path(row, field)):
                raise CheckFailed(f"{data_type} {row.get('id')}: {field} is {_path(row, field)!r}, expected "
                                  f"{describe(spec)}")
    for field, spec in (some or {}).items():
        if not any(matches(spec, _path(row, field)) for row in rows):
            raise CheckFailed(f"no {data_type} record has {field} {describe(spec)}")
    if unique:
        values = [_path(r, unique) for r in rows]
        dupes = {v for v in values if values.count(v) > 1}
        if dupes:
            raise CheckFailed(f"{len(dupes)} duplicate {data_type} by {unique}: {sorted(map(str, dupes))[:5]}")
    return f"{len(rows)} {data_type}"


@check("last_response", {"status": T.MATCHER, "error": T.MATCHER, "field": T.MATCHER}, portal=True)
def last_response(run: Run, **want: Any) -> str:
    """The portal's answer to the last API step (status, error, field)."""
    r = run.last_response
    if r is None:
        raise CheckFailed("no portal API call was made")
    body = r.json() if r.headers.get("Content-Type", "").startswith("application/json") else {}
    for key, spec in want.items():
        got = r.status_code if key == "status" else body.get(key)
        if not matches(spec, got):
            raise CheckFailed(f"the portal answered {key} {got!r}, expected {describe(spec)} ({body})")
    return f"HTTP {r.status_code}"


@check("integration", {"enabled": T.boolean(), "configured": T.boolean()}, portal=True)
def integration(run: Run, **want: Any) -> str:
    """The Zoho Books integration's state on the platform (enabled, keys saved)."""
    got = _get(run, "/api/integrations/zoho-books")
    for key, spec in want.items():
        if not matches(spec, got.get(key)):
            raise CheckFailed(f"the integration's {key} is {got.get(key)!r}, expected {describe(spec)}")
    return f"enabled={got.get('enabled')}"
