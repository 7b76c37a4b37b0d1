"""Replay: answer a repeated Books GET with the bytes the full pipeline produced for it last time.

A sync integration asks for the same pages again and again (polling, paging, load tests). When the
gateway answers a GET with 200, the body is kept here under everything in the request the answer
depends on (host, path, query, ``Authorization``, organisation header), stamped with the store's
data generation and the clock and config versions it was made under, and with the virtual time it
holds until (the token's expiry, the org's next midnight for date filters, the limiter's current
fixed window). The next identical request is answered from those bytes when, in one atomic step,
the stamp still holds and the limiter admits it; the same step journals it. Anything else (a write
since, a setting or clock change, a fault rule, an expired token, a limiter rejection's follow-up)
goes through the full pipeline, which stays the only place an answer is ever made.

Every call is still authenticated (the token's expiry is checked, revocation is a data write),
admitted, counted and journaled as before; only rendering is skipped. A replayed answer is ready
before it is admitted, so it holds its concurrency slot for no time: only calls that take time
(latency faults, which turn replay off while any fault rule exists) compete for slots.
The stamp check, the limiter step and the journal entry are one atomic step: one store transaction
(memory, LMDB), or one Lua script on Redis (one round trip per call); on a shared store every
process sees another's writes, clock and config changes.
``server.replay: false`` turns it off.

Kept honest: with ``server.replay_verify: true`` (the test suite runs with it on) every replayed
answer is also rendered afresh, through the same pipeline minus its side effects (no admission,
no journal entry, nothing cached: ``is_verify_render``), and compared byte for byte with the
replayed bytes. A mismatch means a handler read something the stamp does not cover (the wall
clock, state outside the store): it is logged as an error, counted in ``stats()["mismatches"]``
and raised as ``ReplayMismatch`` instead of serving the stale bytes, so in-process the caller
gets the exception and over HTTP the server answers 500. Meant for tests and CI: it renders
every replayed answer twice.
"""
from __future__ import annotations

import heapq
import io
import itertools
import logging
import math
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping

from .. import literals as L
from ..errors import BooksError
from ..http import dumps, json_response
from ..limits.engine import ADMITTED, Policy, next_midnight, offset_seconds
from ..storage.base import AtomicReplay
from ..journal import journal_headers

log = logging.getLogger("mock_zoho")

ENV_KEY = "mock_zoho.replay_key"
ENV_STAMP = "mock_zoho.replay_stamp"
ENV_VERIFY = "mock_zoho.replay_verify"  # on the fresh render that checks a replayed answer
ORG_HEADER_ENV = "HTTP_" + L.ORG_HEADER.upper().replace("-", "_")
PER_CALL_HEADERS = frozenset(h.lower() for h in (L.RATE_LIMIT_LIMIT, L.RATE_LIMIT_REMAINING, L.RATE_LIMIT_RESET, "Retry-After"))
PER_CALL_FIELDS = ("id", "time", "duration_ms", "headers", "status", "code")


@dataclass
class Terms:
    """What the gateway knows when it answers a replayable call (see ``Replay.terms``)."""

    policy: Policy
    valid_until: float
    org_doc: dict[str, Any]


@dataclass
class Entry:
    body: bytes
    headers: list[tuple[str, str]]  # the answer's own (content type, length, server); rate headers are per call
    stamp: tuple
    valid_until: float
    policy: Policy
    org_doc: dict[str, Any]
    org_json: bytes
    template: dict[str, Any]  # the journal entry without its per-call fields
    size: int


class ReplayMismatch(AssertionError):
    """A replayed answer differs from a fresh rendering of the same request (server.replay_verify)."""


def is_verify_render(environ: Mapping[str, Any]) -> bool:
    """True on the side-effect-free rendering that checks a replayed answer: the gateway admits
    nothing for it and the journal records nothing."""
    return bool(environ.get(ENV_VERIFY))


def first_difference(a: bytes, b: bytes) -> int:
    """The offset of the first byte where ``a`` and ``b`` differ (the shorter length if one is a prefix)."""
    return next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))


def request_key(environ: dict[str, Any]) -> tuple:
    """Everything in a request a Books GET answer depends on, before the DC middleware rewrites it."""
    return (environ.get("HTTP_HOST"), environ.get("SCRIPT_NAME"), environ.get("PATH_INFO"), environ.get("QUERY_STRING"),
            environ.get("HTTP_AUTHORIZATION"), environ.get(ORG_HEADER_ENV))


def next_local_midnight(now: float, offset: str) -> float:
    """When the org-local date (what ``today`` filters read) next changes."""
    return next_midnight(now, offset_seconds(offset))


ENTRY_OVERHEAD = 1024  # its objects (entry, policy, tuples) beyond the bytes counted: entry_size then
# over-counts what tracemalloc finds an entry holds by 10-40%, never under


def entry_size(key: tuple, body: bytes, headers: list[tuple[str, str]], org_json: bytes, template: dict[str, Any]) -> int:
    """The memory an entry holds, counted honestly: the body, its headers, its key, the org as
    JSON and as a dict (about three times its JSON), the journal template (likewise), and the
    objects around them. Under-counting here is memory the cache holds past its budget."""
    text = sum(len(k) + len(v) for k, v in headers) + sum(len(k) for k in key if isinstance(k, str))
    return len(body) + text + 4 * len(org_json) + 3 * len(dumps(template)) + ENTRY_OVERHEAD


def supersedes(new: tuple, old: tuple) -> bool:
    """Whether stamp ``new`` was taken at or after ``old``: every version in it is at least ``old``'s
    (versions only grow; Redis gives them as text)."""
    try:
        return all(int(a) >= int(b) for a, b in zip(new, old))
    except (TypeError, ValueError):
        return True


class Replay:
    """The replay cache of one emulator process (bounded by ``server.replay_cache_mb``).

    It holds only answers that can still be served: all under one stamp (once the data, clock or
    config moved, nothing made before can be replayed, so it all goes at once) and none past its
    ``valid_until`` (dropped as the clock passes it). What it holds is counted by ``entry_size``;
    past the budget the least recently used go first."""

    def __init__(self, emulator) -> None:
        self.emulator = emulator
        self._entries: OrderedDict[tuple, Entry] = OrderedDict()
        self._bytes = 0
        self._stamp: tuple | None = None  # the stamp every entry held was made under
        self._expiry: list[tuple[float, int, tuple]] = []  # (valid_until, n, key): a heap
        self._seq = itertools.count()
        self._lock = threading.Lock()
        self.mismatches = 0
        # Redis (one Lua script) and LMDB (one hold of its hot file's lock) take the whole step in one call
        self.scripted = isinstance(emulator.store, AtomicReplay)

    # -- stamps --------------------------------------------------------------------------------
    def stamp(self) -> tuple:
        """The data generation and clock and config versions right now (the shared ones on a store
        that several processes use)."""
        emu = self.emulator
        if self.scripted:  # the versions every process on the shared store agrees on
            return emu.store.stamp()
        return (emu.store.generation(), emu.clock.version, emu.config.version)

    # -- filling (the gateway and the journal hook) -----------------------------------------------
    def terms(self, environ: dict[str, Any], grant: Any, org: dict[str, Any], offset: str) -> Terms | None:
        """The terms of a replay of this call, or None when it must not be replayed."""
        emu = self.emulator
        if ENV_STAMP not in environ or not emu.config["limits.enabled"] or emu.faults.rules():
            return None
        now = emu.clock.now()
        policy, until, org_doc = emu.limits.replay_terms({**org, "plan": org.get("_plan")}, now)
        until = min(until, float(getattr(grant, "expires_at", math.inf)), next_local_midnight(now, offset))
        return Terms(policy, until, org_doc)

    def remember(self, environ: dict[str, Any], status: int, headers: Iterable[tuple[str, str]], body: bytes,
                 journal_entry: dict[str, Any], terms: Terms) -> None:
        """Keep a 200 answer made under ``terms`` for the next identical request."""
        if status != 200 or environ.get("mock_zoho.fault") or ENV_KEY not in environ:
            return
        key, stamp = environ[ENV_KEY], environ[ENV_STAMP]
        template = {k: v for k, v in journal_entry.items() if k not in PER_CALL_FIELDS}
        own = [(k, v) for k, v in headers if k.lower() not in PER_CALL_HEADERS]
        org_json = dumps(terms.org_doc)
        size = entry_size(key, body, own, org_json, template)
        limit = int(self.emulator.config["server.replay_cache_mb"]) * 1024 * 1024
        if size > limit:
            return
        entry = Entry(body, own, stamp, terms.valid_until, terms.policy, terms.org_doc, org_json, template, size)
        now = self.emulator.clock.now()
        with self._lock:
            if stamp != self._stamp:
                if self._stamp is not None and not supersedes(stamp, self._stamp):
                    return  # made before the data moved (a slow call): it could never be served
                self._drop_all()
                self._stamp = stamp
            self._drop_expired(now)
            self._pop(key)
            self._entries[key] = entry
            self._bytes += size
            if entry.valid_until != math.inf:
                heapq.heappush(self._expiry, (entry.valid_until, next(self._seq), key))
            while self._bytes > limit and self._entries:
                _, gone = self._entries.popitem(last=False)
                self._bytes -= gone.size
            if len(self._expiry) > 2 * len(self._entries) + 64:  # keys replaced or evicted since
                self._expiry = [(e.valid_until, next(self._seq), k) for k, e in self._entries.items()
                                if e.valid_until != math.inf]
                heapq.heapify(self._expiry)

    def _pop(self, key: tuple) -> None:
        gone = self._entries.pop(key, None)
        if gone is not None:
            self._bytes -= gone.size

    def _drop_all(self) -> None:
        self._entries.clear()
        self._expiry.clear()
        self._bytes = 0

    def _drop_expired(self, now: float) -> None:
        """Forget the entries whose time is up (their heap items; a replaced key's stale item is skipped)."""
        heap = self._expiry
        while heap and heap[0][0] <= now:
            until, _, key = heapq.heappop(heap)
            entry = self._entries.get(key)
            if entry is not None and entry.valid_until <= now:
                self._pop(key)

    def clear(self) -> None:
        with self._lock:
            self._drop_all()
            self._stamp = None

    def _forget(self, key: tuple) -> None:
        with self._lock:
            self._pop(key)

    def _stale(self, stamp: tuple) -> None:
        """The stamp ``stamp`` no longer holds: every entry was made under it, so none can be served."""
        with self._lock:
            if stamp == self._stamp:
                self._drop_all()

    def stats(self) -> dict[str, int]:
        return {"entries": len(self._entries), "bytes": self._bytes,
                "limit_bytes": int(self.emulator.config["server.replay_cache_mb"]) * 1024 * 1024,
                "mismatches": self.mismatches}

    # -- serving ----------------------------------------------------------------------------------
    def wrap_wsgi(self, wsgi_app: Callable) -> Callable:
        """Outermost middleware: replay what can be replayed, mark what may be kept, pass the rest."""
        config = self.emulator.config

        def replay(environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
            if environ.get("REQUEST_METHOD") != "GET" or not config["server.replay"]:
                return wsgi_app(environ, start_response)
            key = request_key(environ)
            entry = self._entries.get(key)
            if entry is not None:
                verify = None
                if config["server.replay_verify"]:
                    pristine = dict(environ)  # before anything below rewrites it
                    verify = lambda: self._verify(wsgi_app, pristine, entry)  # noqa: E731
                answered = self._serve(key, entry, environ, start_response, verify)
                if answered is not None:
                    return answered
            path = environ.get("PATH_INFO") or ""
            if "/books/v3/" in path or "/api/v3/" in path:
                environ[ENV_KEY] = key
                environ[ENV_STAMP] = self.stamp()
            return wsgi_app(environ, start_response)

        return replay

    def _verify(self, wsgi_app: Callable, environ: dict[str, Any], entry: Entry) -> None:
        """Render the request afresh without side effects; raise ReplayMismatch unless the bytes match."""
        fresh = {k: v for k, v in environ.items() if k not in (ENV_KEY, ENV_STAMP)}
        fresh.update({ENV_VERIFY: True, "wsgi.input": io.BytesIO(b"")})
        status: list[str] = []

        def start_response(st: str, headers: list, exc_info: Any = None) -> Callable[[bytes], None]:
            status.append(st)
            return lambda data: None

        chunks = wsgi_app(fresh, start_response)
        try:
            body = b"".join(chunks)
        finally:
            getattr(chunks, "close", lambda: None)()
        if status and status[0].startswith("200") and body == entry.body:
            return
        with self._lock:
            self.mismatches += 1
        where = first_difference(entry.body, body)
        log.error("replay mismatch on GET %s: replayed %d bytes, fresh %s with %d bytes, first difference at byte %d",
                  environ.get("PATH_INFO"), len(entry.body), status[0] if status else "no status", len(body), where)
        raise ReplayMismatch(f"replayed answer of GET {environ.get('PATH_INFO')} differs from a fresh rendering "
                             f"at byte {where} (fresh status {status[0] if status else 'none'})")

    def _serve(self, key: tuple, entry: Entry, environ: dict[str, Any], start_response: Callable,
               verify: Callable[[], None] | None = None) -> Iterable[bytes] | None:
        emu = self.emulator
        started = time.perf_counter()
        now = emu.clock.now()
        if now >= entry.valid_until:
            self._forget(key)
            return None
        record = dict(entry.template)
        record.update(time=now, headers=journal_headers(environ), status=200, code=L.SUCCESS_CODE, replayed=True)
        p = entry.policy
        if self.scripted:
            record["duration_ms"] = round((time.perf_counter() - started) * 1000, 3)
            o = emu.store.replay(entry.stamp, p, now, emu.journal.encode(record), emu.journal, entry.org_json,
                                 emu.clock.scale)
            if o is None:  # a stale stamp (or, on LMDB, a full hot table: then no replay works anyway)
                self._stale(entry.stamp)
                return None
        else:  # one store transaction: stamp check, limiter step, journal
            with emu.store.lock("replay"):
                if entry.stamp != self.stamp():
                    self._stale(entry.stamp)
                    return None
                o = emu.limits.replay_admit(p, now)
                if o.code == ADMITTED:
                    record["duration_ms"] = round((time.perf_counter() - started) * 1000, 3)
                    emu.journal.record(record)
        try:
            admission = emu.limits.decide(p, o, now, hold=False)
        except BooksError as exc:  # counted by the engine already: answer the rejection here
            record.update(status=exc.status, code=exc.code, duration_ms=round((time.perf_counter() - started) * 1000, 3))
            emu.journal.record(record)
            return json_response(exc.body(), exc.status, exc.headers)(environ, start_response)
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
        if verify is not None:
            verify()
        start_response("200 OK", entry.headers + list(admission.headers.items()))
        return [entry.body]

