"""The sync integration being load tested, as a generator of HTTP calls (no I/O of its own).

It does what a Books sync integration does for one linked organisation: exchange the customer's grant
code, then sync job after sync job: refresh the access token (each job, or when it runs out), list
each resource page by page, GET the detail of every record new or changed since the last job
(incremental polling on ``last_modified_time``), and write a few records back. It reacts to Zoho's
answers: 57 -> refresh and retry, 44 -> wait for the rolling minute to clear, 1070 -> short pause,
45 -> idle until the daily reset, 5xx/dropped -> back off and retry.

The generator yields ``Call`` (the runner sends back a ``Reply``) or ``Wait`` (the runner sleeps, in
locust's ``wait_time`` so a stopping run never cuts a call in half); a locust user drives it one call
per task. Keeping it free of locust and sockets keeps it readable and lets one runner feed it.
"""
from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable, Generator, Mapping
from urllib.parse import urlencode

from .pacing import RollingBudget
from .tenants import Tenant

# resource path -> (list key, detail key); what the integration syncs, in order
RESOURCES: dict[str, tuple[str, str]] = {"contacts": ("contacts", "contact"), "invoices": ("invoices", "invoice"),
                                         "items": ("items", "item"), "bills": ("bills", "bill")}
PER_PAGE = 200
TOKEN_PATH = "/oauth/v2/token"


@dataclass
class Call:
    method: str
    url: str
    name: str  # locust's stats label
    area: str  # "books" or "accounts", as the emulator's journal names it
    headers: dict[str, str] = field(default_factory=dict, repr=False)
    form: Mapping[str, str] | None = field(default=None, repr=False)
    json: Any = field(default=None, repr=False)
    parse: bool = False  # the integration reads the body (lists, tokens, writes)
    creates: str | None = None  # the detail key of the record a write creates ("contact")


@dataclass
class Reply:
    status: int  # 0: no HTTP answer (connection dropped)
    code: int | None = None  # Zoho's body "code" where the body was read
    body: Any = None
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass
class Wait:
    seconds: float


@dataclass
class SyncOptions:
    """How the integration behaves; times in real seconds (the runner converts virtual ones)."""

    resources: tuple[str, ...] = ("contacts", "invoices")
    poll_s: float = 60.0  # between sync jobs
    writes_per_job: int = 1  # contacts created per job (read back by the next job)
    refresh: str = "job"  # "job": refresh at each job's start (a stateless job runner); "cached": when expiring
    token_margin_s: float = 60.0  # "cached": refresh when the token has less than this left
    scale: float = 1.0  # virtual seconds per real second (token lifetimes are virtual)
    max_attempts: int = 6
    backoff_s: float = 0.5
    clock: Callable[[], float] = time.monotonic  # real time, for token expiry


@dataclass
class SyncState:
    """What one org's integration knows and has done; ``records`` and ``jobs`` are for the reports."""

    access_token: str = field(default="", repr=False)
    refresh_token: str = field(default="", repr=False)
    token_expires_at: float = 0.0  # on SyncOptions.clock
    cursors: dict[str, str] = field(default_factory=dict)  # resource -> newest last_modified_time seen
    seen: dict[str, dict[str, str]] = field(default_factory=dict)  # resource -> id -> last_modified_time
    records: int = 0
    jobs: int = 0
    created: list[str] = field(default_factory=list)


Flow = Generator["Call | Wait", "Reply | None", Any]


def integration(t: Tenant, opts: SyncOptions, budget: RollingBudget, state: SyncState | None = None) -> Flow:
    """The whole life of one linked org: link (code exchange), then sync jobs forever."""
    st = state if state is not None else SyncState()
    yield from _token(t, st, opts, {"grant_type": "authorization_code", "code": t.code}, "oauth: exchange code")
    while True:
        if st.jobs and (opts.refresh == "job" or st.token_expires_at - opts.clock() < opts.token_margin_s):
            yield from _token(t, st, opts, {"grant_type": "refresh_token", "refresh_token": st.refresh_token},
                              "oauth: refresh")
        for resource in opts.resources:
            yield from _sync_resource(t, st, opts, budget, resource)
        for _ in range(opts.writes_per_job):
            yield from _write_contact(t, st, opts, budget)
        st.jobs += 1
        yield Wait(opts.poll_s)


def _token(t: Tenant, st: SyncState, opts: SyncOptions, grant: dict[str, str], name: str) -> Flow:
    form = {"client_id": t.client_id, "client_secret": t.client_secret, **grant}
    for attempt in range(opts.max_attempts):
        r = yield Call("POST", f"{t.accounts_url}{TOKEN_PATH}", name, "accounts", form=form, parse=True)
        body = r.body if isinstance(r.body, dict) else {}
        if "access_token" in body:
            st.access_token = body["access_token"]
            st.refresh_token = body.get("refresh_token") or st.refresh_token
            st.token_expires_at = opts.clock() + float(body.get("expires_in", 3600)) / opts.scale
            return body
        yield Wait(opts.backoff_s * 2 ** attempt)  # Access Denied (throttled) or a dropped call
    raise RuntimeError(f"{name} failed {opts.max_attempts} times for org {t.org_id}: {body.get('error', r.status)}")


def _books(t: Tenant, st: SyncState, opts: SyncOptions, budget: RollingBudget, call: Call) -> Flow:
    """One Books call with Zoho's answers handled; returns the last reply (a 4xx the caller judges)."""
    reply = Reply(0)
    for attempt in range(opts.max_attempts):
        call.headers["Authorization"] = f"Zoho-oauthtoken {st.access_token}"
        reply = yield call
        if reply.status == 401 and reply.code in (57, 14):
            yield from _token(t, st, opts, {"grant_type": "refresh_token", "refresh_token": st.refresh_token},
                              "oauth: refresh")
        elif reply.status == 429 and reply.code == 44:
            yield Wait(budget.until_window_clears())
        elif reply.status == 429 and reply.code == 1070:
            yield Wait(opts.backoff_s)
        elif reply.status == 429 and reply.code == 45:
            yield Wait(float(reply.headers.get("X-Rate-Limit-Reset") or 3600))  # quota gone: idle till reset
        elif (reply.status == 0 or reply.status >= 500) and call.method == "GET":  # a write may have landed
            yield Wait(opts.backoff_s * 2 ** attempt)
        else:
            return reply
    return reply


def _sync_resource(t: Tenant, st: SyncState, opts: SyncOptions, budget: RollingBudget, resource: str) -> Flow:
    list_key, detail_key = RESOURCES[resource]
    seen = st.seen.setdefault(resource, {})
    changed: list[str] = []
    newest = st.cursors.get(resource, "")
    page = 1
    while True:
        query = {"organization_id": t.org_id, "page": page, "per_page": PER_PAGE}
        if resource in st.cursors:
            query["last_modified_time"] = st.cursors[resource]
        r = yield from _books(t, st, opts, budget, Call("GET", f"{t.books_url}/{resource}?{urlencode(query)}",
                                                        f"GET /{resource} (list)", "books", parse=True))
        if r.status != 200 or not isinstance(r.body, dict):
            return
        for rec in r.body.get(list_key, []):
            rid, lmt = str(rec.get(f"{detail_key}_id", "")), str(rec.get("last_modified_time", ""))
            if rid and seen.get(rid) != lmt:
                seen[rid] = lmt
                changed.append(rid)
            newest = max(newest, lmt)
        if not r.body.get("page_context", {}).get("has_more_page"):
            break
        page += 1
    if newest:
        st.cursors[resource] = newest
    query = urlencode({"organization_id": t.org_id})
    for rid in changed:
        r = yield from _books(t, st, opts, budget, Call("GET", f"{t.books_url}/{resource}/{rid}?{query}",
                                                        f"GET /{resource}/{{id}}", "books"))
        st.records += r.status == 200


def _write_contact(t: Tenant, st: SyncState, opts: SyncOptions, budget: RollingBudget) -> Flow:
    body = {"contact_name": f"Load customer {uuid.uuid4().hex[:12]}", "contact_type": "customer"}
    r = yield from _books(t, st, opts, budget, Call("POST", f"{t.books_url}/contacts?organization_id={t.org_id}",
                                                    "POST /contacts", "books", json=body, parse=True,
                                                    creates="contact"))
    if r.status == 201 and isinstance(r.body, dict):
        st.created.append(str(r.body.get("contact", {}).get("contact_id", "")))
