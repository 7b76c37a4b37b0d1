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
"""
from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from .. import literals as L
from ..http import BooksAPIError, dumps, json_response
from ..limits.models import ADMITTED, Policy, _offset_seconds, next_midnight
from ..journal import journal_headers

ENV_KEY = "mock_zoho.replay_key"
ENV_STAMP = "mock_zoho.replay_stamp"
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


def request_key(environ: dict[str, Any]) -> tuple:
    """Everything in a request a Books GET answer depends on, before the DC middleware rewrites it."""
    return (environ.get("HTTP_HOST"), environ.get("SCRIPT_NAME"), environ.get("PATH_INFO"), environ.get("QUERY_STRING"),
            environ.get("HTTP_AUTHORIZATION"), environ.get(ORG_HEADER_ENV))


def next_local_midnight(now: float, offset: str) -> float:
    """When the org-local date (what ``today`` filters read) next changes."""
    return next_midnight(now, _offset_seconds(offset))


class Replay:
    """The replay cache of one emulator process (bounded by ``server.replay_cache_mb``)."""

    def __init__(self, emulator) -> None:
        self.emulator = emulator
        self._entries: OrderedDict[tuple, Entry] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        # Redis (one Lua script) and LMDB (one hold of its hot file's lock) take the whole step in one call
        self.scripted = hasattr(emulator.store, "replay")

    # -- stamps --------------------------------------------------------------------------------
    def stamp(self) -> tuple:
        """The data generation and clock and config versions right now (the shared ones on a store
        that several processes use)."""
        emu = self.emulator
        shared = getattr(emu.store, "stamp", None)
        if shared is not None:
            return shared()
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
        template = {k: v for k, v in journal_entry.items() if k not in PER_CALL_FIELDS}
        own = [(k, v) for k, v in headers if k.lower() not in PER_CALL_HEADERS]
        size = len(body) + 1024
        limit = int(self.emulator.config["server.replay_cache_mb"]) * 1024 * 1024
        if size > limit:
            return
        entry = Entry(body, own, environ[ENV_STAMP], terms.valid_until, terms.policy, terms.org_doc, dumps(terms.org_doc),
                      template, size)
        with self._lock:
            old = self._entries.pop(environ[ENV_KEY], None)
            if old is not None:
                self._bytes -= old.size
            self._entries[environ[ENV_KEY]] = entry
            self._bytes += size
            while self._bytes > limit and self._entries:
                _, gone = self._entries.popitem(last=False)
                self._bytes -= gone.size

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def _forget(self, key: tuple) -> None:
        with self._lock:
            gone = self._entries.pop(key, None)
            if gone is not None:
                self._bytes -= gone.size

    def stats(self) -> dict[str, int]:
        return {"entries": len(self._entries), "bytes": self._bytes,
                "limit_bytes": int(self.emulator.config["server.replay_cache_mb"]) * 1024 * 1024}

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
                answered = self._serve(key, entry, environ, start_response)
                if answered is not None:
                    return answered
            path = environ.get("PATH_INFO") or ""
            if "/books/v3/" in path or "/api/v3/" in path:
                environ[ENV_KEY] = key
                environ[ENV_STAMP] = self.stamp()
            return wsgi_app(environ, start_response)

        return replay

    def _serve(self, key: tuple, entry: Entry, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes] | None:
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
            if o is None:
                self._forget(key)
                return None
        else:  # one store transaction: stamp check, limiter step, journal
            with emu.store.lock("replay"):
                if entry.stamp != self.stamp():
                    self._forget(key)
                    return None
                o = emu.limits.replay_admit(p, now)
                if o.code == ADMITTED:
                    record["duration_ms"] = round((time.perf_counter() - started) * 1000, 3)
                    emu.journal.record(record)
        try:
            admission = emu.limits.decide(p, o, now, hold=False)
        except BooksAPIError as exc:  # counted by the engine already: answer the rejection here
            record.update(status=exc.status, code=exc.code, duration_ms=round((time.perf_counter() - started) * 1000, 3))
            emu.journal.record(record)
            return json_response(exc.body(), exc.status, getattr(exc, "headers", None))(environ, start_response)
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
        start_response("200 OK", entry.headers + list(admission.headers.items()))
        return [entry.body]

