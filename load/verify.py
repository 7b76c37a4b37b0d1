"""After a run: what the emulator saw (its journal and limits, over the admin API) against what the
load run counted, and the verdict: zero limit overshoot, zero 5xx, no lost write, counts that match.

The journal records each call's *virtual* start time and its duration; the limiter admits a call
somewhere inside that span. "Overshoot" counts only calls that certainly broke the rolling window:
more than the limit admitted calls whose spans all fall inside one 60-virtual-second window. The
plain count by start times (``max_in_window``) is reported beside it.
"""
from __future__ import annotations

import bisect
import json
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable

from mock_zoho.testing import AdminCallError, ZohoTarget

from .tally import REJECT_CODES
from .tenants import run_prefix

WINDOW_S = 60.0
TOKEN_PATH = "/oauth/v2/token"
DAY_S = 86400.0


@dataclass
class OrgReport:
    org_id: str
    dc: str
    limit: int
    calls: int  # Books calls the emulator journaled for the org
    admitted: int  # ... of which the limiter let through (everything but 44/45/1070)
    rejected: dict[str, int]  # Zoho code -> 429s
    server_errors: int
    token_calls: int
    max_in_window: int  # most admitted calls in one rolling 60 s by journal start times
    overshoot: int  # calls that certainly exceeded the limit within one rolling window
    calls_per_minute: float  # admitted calls per virtual minute of the run
    daily_used: int | None
    locust: dict[str, int] = field(default_factory=dict)
    mismatches: list[str] = field(default_factory=list)
    lost_writes: int = 0


def is_admitted(entry: dict[str, Any]) -> bool:
    return not (entry.get("status") == 429 and entry.get("code") in REJECT_CODES)


def window_counts(entries: list[dict[str, Any]], scale: float) -> tuple[int, int, list[tuple[float, int]]]:
    """For admitted calls sorted by start time: the most in one rolling window by start times, the
    most *certainly* in one window (see the module docstring), and the series of (start time, calls
    in the window ending there) the chart draws."""
    starts = [e["time"] for e in entries]
    series, best = [], 0
    for j, t in enumerate(starts):
        n = j - bisect.bisect_right(starts, t - WINDOW_S) + 1
        series.append((t, n))
        best = max(best, n)
    # certain: calls i with start > (start_j + duration_j) - window are in the window at j's admission
    certain = [j - bisect.bisect_right(starts, t + e.get("duration_ms", 0.0) * scale / 1000.0 - WINDOW_S) + 1
               for j, (t, e) in enumerate(zip(starts, entries))]
    return best, max(certain, default=0), series


def _day(t: float) -> int:
    return int(t // DAY_S)


def read_locust_total(json_prefix: Path) -> int | None:
    """Requests locust counted, from its final ``--json-file`` (``<prefix>.json``; None when absent).
    Not the CSV: locust rewrites ``_stats.csv`` every second and not again at exit, so the CSV can
    miss the run's last second."""
    path = Path(f"{json_prefix}.json")
    if not path.exists():
        return None
    return sum(int(entry.get("num_requests", 0)) for entry in json.loads(path.read_text()))


@dataclass
class RunReport:
    run_id: str
    profile: str
    scale: float
    orgs: list[OrgReport]
    journal_dropped: int
    virtual_minutes: float
    totals: dict[str, Any]
    failures: list[str]
    minutes: list[dict[str, Any]]  # per virtual minute of the run: 429s by code, calls

    @property
    def ok(self) -> bool:
        return not self.failures

    def to_json(self) -> str:
        return json.dumps({**asdict(self), "ok": self.ok}, indent=1)


def collect(target: ZohoTarget, run_id: str, profile: str, tally: dict[str, Any] | None,
            locust_total: int | None, check_writes: bool = True,
            received_total: int | None = None) -> tuple[RunReport, dict[str, list[float]]]:
    """Read the run's orgs, journal and limits; compare with the load side's ``tally``. Also returns
    each org's admitted calls as virtual seconds since the run's first call (for the chart)."""
    admin = target.admin
    scale = float(admin.clock()["scale"])
    orgs = {o["organization_id"]: o for o in admin.organizations() if o["name"].startswith(run_prefix(run_id))}
    books_body = admin.call("GET", "requests", params={"area": "books"})
    token_body = admin.call("GET", "requests", params={"path": TOKEN_PATH})
    tally_orgs = (tally or {}).get("orgs", {})
    by_org: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in books_body["requests"]:
        if e.get("organization_id") in orgs:
            by_org[e["organization_id"]].append(e)
    run_clients = {c["client_id"] for c in admin.clients() if c.get("client_name", "").startswith(f"load {run_id}")}
    tokens_by_client: Counter[str] = Counter(e["client_id"] for e in token_body["requests"]
                                             if e.get("client_id") in run_clients)
    owners: dict[str, list[str]] = defaultdict(list)  # client -> the run's orgs that use it
    for org, info in tally_orgs.items():
        if info.get("client_id"):
            owners[info["client_id"]].append(org)
    tokens_by_org = {orgs_[0]: tokens_by_client[c] for c, orgs_ in owners.items() if len(orgs_) == 1}
    token_5xx = sum(1 for e in token_body["requests"] if e.get("client_id") in run_clients and e["status"] >= 500)
    all_times = [e["time"] for es in by_org.values() for e in es]
    t0, t1 = (min(all_times), max(all_times)) if all_times else (0.0, 0.0)
    vminutes = max((t1 - t0) / 60.0, 1.0)  # per-minute rates over at least one window
    series: dict[str, list] = {}
    reports, failures = [], []
    for org_id in sorted(orgs):
        entries = sorted(by_org.get(org_id, []), key=lambda e: e["time"])
        admitted = [e for e in entries if is_admitted(e)]
        lim = admin.limits(org_id)
        limit = int(lim["per_minute"]["limit"])
        best, certain, s = window_counts(admitted, scale)
        series[org_id] = [t - t0 for t, _ in s]
        same_day = bool(entries) and _day(entries[0]["time"]) == _day(entries[-1]["time"])  # no daily reset between
        rep = OrgReport(
            org_id=org_id, dc=tally_orgs.get(org_id, {}).get("dc", "?"), limit=limit,
            calls=len(entries), admitted=len(admitted),
            rejected=dict(Counter(str(e.get("code")) for e in entries if not is_admitted(e))),
            server_errors=sum(1 for e in entries if e["status"] >= 500), token_calls=tokens_by_org.get(org_id, 0),
            max_in_window=best, overshoot=max(0, certain - limit), calls_per_minute=len(admitted) / vminutes,
            daily_used=int(lim["daily"]["used"]) if same_day else None)
        if tally is not None:
            _compare(rep, tally_orgs.get(org_id), org_id in tokens_by_org)
        reports.append(rep)
    if check_writes and tally is not None:
        for rep in reports:
            rep.lost_writes = lost_writes(target, rep.org_id, tally_orgs.get(rep.org_id, {}))
    failures += [f"org {r.org_id}: {r.overshoot} call(s) over the limit of {r.limit} in a rolling minute"
                 for r in reports if r.overshoot]
    failures += [f"org {r.org_id}: {m}" for r in reports for m in r.mismatches]
    failures += [f"org {r.org_id}: {r.lost_writes} write(s) lost" for r in reports if r.lost_writes]
    server_errors = sum(r.server_errors for r in reports) + token_5xx
    connection_errors = sum(int(i["counts"].get("connection_errors", 0)) for i in tally_orgs.values())
    if server_errors:
        failures.append(f"{server_errors} 5xx answer(s) from the emulator")
    if connection_errors:
        failures.append(f"{connection_errors} call(s) with no HTTP answer")
    dropped = int(books_body.get("dropped", 0))
    if dropped:
        failures.append(f"the journal dropped {dropped} entries (raise journal.max_entries): counts incomplete")
    if not reports:
        failures.append(f"no organisation of run {run_id} found on the emulator")
    tally_total = sum(int(i["counts"].get("books_calls", 0)) + int(i["counts"].get("accounts_calls", 0))
                      for i in tally_orgs.values())
    # locust's stats and the master's tally travel in the same worker reports: they must agree
    reported = tally_total if received_total is None else received_total
    if locust_total is not None and tally is not None and locust_total != reported:
        failures.append(f"locust's stats count {locust_total} calls, its per-org tally {reported}")
    journal_tokens = sum(tokens_by_client.values())
    tally_tokens = sum(int(i["counts"].get("accounts_calls", 0)) + int(i.get("baseline", {}).get("token_calls", 0))
                       for i in tally_orgs.values())
    if tally is not None and journal_tokens != tally_tokens:
        failures.append(f"token calls: load run counted {tally_tokens} (linking included), emulator {journal_tokens}")
    records = sum(int(i.get("records", 0)) for i in tally_orgs.values())
    minutes = _per_minute(by_org.values(), t0)
    totals = {
        "orgs": len(reports), "books_calls": sum(r.calls for r in reports),
        "admitted": sum(r.admitted for r in reports), "token_calls": journal_tokens,
        "rate_limited": sum(sum(r.rejected.values()) for r in reports), "server_errors": server_errors,
        "connection_errors": connection_errors, "locust_requests": locust_total, "tally_requests": tally_total,
        "late_worker_calls": (tally_total - received_total) if received_total is not None else 0,
        "max_calls_per_org_rolling_minute": max((r.max_in_window for r in reports), default=0),
        "mean_calls_per_org_minute": round(sum(r.calls_per_minute for r in reports) / max(len(reports), 1), 2),
        "overshoot": sum(r.overshoot for r in reports), "lost_writes": sum(r.lost_writes for r in reports),
        "records_synced": records, "records_per_virtual_hour": round(records / vminutes * 60.0, 1),
        "writes": sum(len(i.get("created_ids", [])) for i in tally_orgs.values()),
    }
    report = RunReport(run_id, profile, scale, reports, dropped, round(vminutes, 3), totals, failures, minutes)
    return report, series


def _compare(rep: OrgReport, info: dict[str, Any] | None, per_org_tokens: bool) -> None:
    """The load side's counts for one org against the journal's (and the limiter's daily counter).
    Calls made before the load side counted (linking, in the connector profile) are its ``baseline``."""
    if info is None:
        rep.mismatches.append("the emulator has it but the load run never counted it")
        return
    c = info.get("counts", {})
    base = info.get("baseline", {})
    rep.locust = {k: int(v) for k, v in c.items()}
    pairs = [("Books calls", int(c.get("books_calls", 0)) + base.get("books_calls", 0), rep.calls),
             ("admitted Books calls", int(c.get("books_admitted", 0)) + base.get("books_admitted", 0), rep.admitted)]
    if per_org_tokens:
        pairs.append(("token calls", int(c.get("accounts_calls", 0)) + base.get("token_calls", 0), rep.token_calls))
    pairs += [(f"429 code {code}", int(c.get(f"books_code_{code}", 0)), rep.rejected.get(str(code), 0))
              for code in REJECT_CODES]
    if rep.daily_used is not None:
        pairs.append(("daily counter", int(c.get("books_admitted", 0)) + base.get("books_admitted", 0), rep.daily_used))
    rep.mismatches += [f"{what}: load run counted {mine}, emulator {theirs}" for what, mine, theirs in pairs
                       if mine != theirs]


def _per_minute(groups: Iterable[list[dict[str, Any]]], t0: float) -> list[dict[str, Any]]:
    out: dict[int, Counter[str]] = defaultdict(Counter)
    for entries in groups:
        for e in entries:
            minute = out[int((e["time"] - t0) // 60)]
            minute["calls"] += 1
            if not is_admitted(e):
                minute[f"429_{e.get('code')}"] += 1
            if e["status"] >= 500:
                minute["5xx"] += 1
    return [{"minute": m, **out.get(m, {})} for m in range(max(out, default=-1) + 1)]


def lost_writes(target: ZohoTarget, org_id: str, info: dict[str, Any]) -> int:
    """Contacts the run created (201 with an id) that the org's contact list no longer has. The org's
    per-minute limit is lifted while this reads (the run may have used the minute up), then put back."""
    created = {i for i in info.get("created_ids", []) if i}
    if not created or "user" not in info or "client_id" not in info:
        return 0
    admin = target.admin
    before = admin.limits(org_id).get("overrides", {}).get("per_minute")
    admin.set_limits(org_id, per_minute=1_000_000)
    try:
        grant = target.token(info["user"], client=admin.client(info["client_id"]))  # its one self client
        headers = {"Authorization": f"Zoho-oauthtoken {grant.access_token}"}
        found: set[str] = set()
        page = 1
        while True:
            r = target.session.get(f"{target.books_url(info['user']['dc'])}/contacts", headers=headers, timeout=60,
                                   params={"organization_id": org_id, "page": page, "per_page": 200})
            if r.status_code != 200:
                raise AdminCallError("GET", f"books/v3/contacts?organization_id={org_id}", r.status_code, r.text[:300])
            body = r.json()
            found |= {c["contact_id"] for c in body.get("contacts", [])}
            if not body.get("page_context", {}).get("has_more_page"):
                break
            page += 1
    finally:
        admin.set_limits(org_id, per_minute=before)
    return len(created - found)
