"""Checks on the emulated Zoho: its request journal, counters and live refresh tokens."""
from __future__ import annotations

from collections import deque
from typing import Any

from . import argtypes as T
from .errors import CheckFailed
from .match import describe, matches
from .registry import check
from .world import Run

TOKEN_PATH = "/oauth/v2/token"


def _summary(entries: list[dict[str, Any]], limit: int = 5) -> str:
    shown = [f"{e.get('method')} {e.get('host', '')}{e.get('path')} -> {e.get('status')}"
             + (f" code {e['code']}" if e.get("code") not in (None, 0) else "") for e in entries[:limit]]
    more = f" and {len(entries) - limit} more" if len(entries) > limit else ""
    return "; ".join(shown) + more


@check("journal", {"where": T.JOURNAL_FILTER, "count": T.COUNT, "message": T.text("what it means when it fails")},
       required=("count",))
def journal(run: Run, count: Any, where: dict[str, Any] | None = None, message: str | None = None) -> str:
    """The number of journal entries matching a filter (e.g. no call without organization_id)."""
    found = run.select(where)
    if not matches(count, len(found)):
        what = message or f"journal entries matching {where or 'anything'}"
        raise CheckFailed(f"{what}: {len(found)} found, expected {describe(count)}"
                          + (f" ({_summary(found)})" if found else ""), journal=found[-20:] or where)
    return f"{len(found)} entries"


@check("max_calls_in_window", {"org": T.ref("org"), "max": T.integer(0), "window_s": T.number(1),
                               "where": T.JOURNAL_FILTER}, required=("org", "max"))
def max_calls_in_window(run: Run, org: str, max: int, window_s: float = 60, where: dict[str, Any] | None = None) -> str:
    """Never more than ``max`` Books calls for the organisation in any ``window_s`` seconds (virtual)."""
    entries = run.select({"area": "books", **(where or {}), "org": org})
    window: deque[float] = deque()
    worst, worst_at = 0, None
    for e in entries:
        window.append(e["time"])
        while window and window[0] <= e["time"] - window_s:
            window.popleft()
        if len(window) > worst:
            worst, worst_at = len(window), e
    if worst > max:
        raise CheckFailed(f"{worst} calls for {org} within {window_s:g} s (at journal #{worst_at['id']}), "
                          f"expected at most {max}", journal=[e for e in entries
                                                              if worst_at['time'] - window_s < e['time'] <= worst_at['time']][-20:])
    return f"busiest {window_s:g} s: {worst} calls"


@check("exchanged_at", {"dc": T.enum(T.DCS), "host": T.text("accounts host glob"), "count": T.COUNT},
       shorthand="dc")
def exchanged_at(run: Run, dc: str | None = None, host: str | None = None, count: Any = {"min": 1}) -> str:
    """Every authorization code was exchanged at this accounts server (and at least one was)."""
    codes = run.select({"path": TOKEN_PATH, "grant_type": "authorization_code"})
    codes = [e for e in codes if e.get("client_id") == run.client.get("client_id")]
    wrong = [e for e in codes if (dc and e.get("dc") != dc) or (host and not run._field_matches("host", host, e.get("host")))]
    place = dc or host
    if wrong:
        raise CheckFailed(f"code exchanged at {wrong[0].get('host')} (dc {wrong[0].get('dc')}), expected the "
                          f"{place} accounts server", journal=codes)
    if not matches(count, len(codes)):
        raise CheckFailed(f"{len(codes)} code exchanges at {place}, expected {describe(count)}", journal=codes)
    return f"{len(codes)} exchanges at {place}"


@check("books_calls", {"org": T.ref("org"), "dc": T.enum(T.DCS, "every call on this DC's API domain"),
                       "with_param": T.text("every call carries this query parameter"),
                       "except_paths": T.strings(description="path globs exempt from with_param"),
                       "status": T.MATCHER, "count": T.COUNT})
def books_calls(run: Run, org: str | None = None, dc: str | None = None, with_param: str | None = None,
                except_paths: list[str] | None = None, status: Any = None, count: Any = {"min": 1}) -> str:
    """Every Books call of our client: on the right DC, with a parameter, with a status."""
    calls = [e for e in run.select({"area": "books", **({"org": org} if org else {})})
             if e.get("client_id") == run.client.get("client_id")]
    if not matches(count, len(calls)):
        raise CheckFailed(f"{len(calls)} Books calls by the platform, expected {describe(count)}", journal=calls[-20:])
    for e in calls:
        if dc and e.get("dc") != dc:
            raise CheckFailed(f"Books call {e['method']} {e.get('host')}{e['path']} went to dc {e.get('dc')}, "
                              f"expected {dc} (the token's api_domain)", journal=[e])
        exempt = any(run._field_matches("path", p, e["path"]) for p in except_paths or [])
        if with_param and not exempt and with_param not in {k for k, _ in e.get("query", [])}:
            raise CheckFailed(f"Books call {e['method']} {e['path']} has no {with_param}", journal=[e])
        if status is not None and not matches(status, e.get("status")):
            raise CheckFailed(f"Books call {e['method']} {e['path']} answered {e.get('status')} "
                              f"(code {e.get('code')}), expected {describe(status)}", journal=[e])
    return f"{len(calls)} Books calls"


@check("refresh_tokens", {"user": T.ref("user"), "count": T.COUNT}, required=("user", "count"))
def refresh_tokens(run: Run, user: str, count: Any) -> str:
    """How many live refresh tokens the user has for our client."""
    tokens = run.admin.tokens(run.users[user]["user_id"], run.client["client_id"])
    if not matches(count, len(tokens)):
        raise CheckFailed(f"{user} has {len(tokens)} live refresh tokens for the client, expected {describe(count)}")
    return f"{len(tokens)} refresh tokens"


@check("limits", {"org": T.ref("org"), "daily_used": T.COUNT, "per_minute_used": T.COUNT, "in_flight": T.COUNT},
       required=("org",))
def limits(run: Run, org: str, **want: Any) -> str:
    """The emulator's counters for an organisation (daily and per-minute calls used, calls in flight)."""
    got = run.admin.limits(run.org_id(org))
    values = {"daily_used": got["daily"]["used"], "per_minute_used": got["per_minute"]["used"],
              "in_flight": got["concurrency"]["in_flight"]}
    for key, spec in want.items():
        if not matches(spec, values[key]):
            raise CheckFailed(f"{org} {key.replace('_', ' ')} is {values[key]}, expected {describe(spec)}")
    return ", ".join(f"{k}={values[k]}" for k in want)
