"""The journal entry of one exchange, as the app makes it: after the answer for every request, and
for a Books write at the moment its write commits, so that the entry commits with the write.

Why at the commit: the journal is a record of what happened. A write and its entry stored in two
steps leave a window (a worker killed with ``kill -9`` between them) in which the write exists and
no entry says so. So the staged write of a Books request (``BooksBackend.staged``) asks
``commit_entry`` for its entry and the store commits both in one unit (``Store.write_batch``); the
app then journals nothing more for that request. The entry carries the status the handler answers
on success (201 for a creation, 200 otherwise: nothing after the commit can change it) and the
records it wrote (``writes``: resource -> ids).
"""
from __future__ import annotations

import time
from typing import Any, Callable, Mapping

from flask import g, has_request_context, request

from .. import literals as L
from ..books.replay import is_verify_render
from ..books.views import OPS, match
from ..context import ENV_FAULT, area
from ..journal import note_body, request_entry

COMMITTED = "committed_entry"  # in flask.g: the entry journaled with the request's write


def exchange_entry(emulator: Any, where: str, status: int, body: Callable[[], Any] | None = None) -> dict[str, Any]:
    """The journal entry of the current request answered with ``status``; ``body`` reads the JSON
    answer when its Zoho code must be found there."""
    environ = request.environ
    entry = request_entry(environ, area=where, status=status, host=request.host,
                          vtime=g.get("vstarted", emulator.clock.now()), started=g.get("started", time.perf_counter()))
    if where == "books" and status < 400:
        entry["code"] = L.SUCCESS_CODE  # every Books success is code 0: no need to parse the page
    elif body is not None:
        note_body(entry, body())
    fault = environ.get(ENV_FAULT)
    if fault:
        entry["fault"] = fault
    entry.update(g.get("journal", {}))
    return entry


def success_status() -> int:
    """What the Books handler of this request answers when it succeeds: 201 for a creation."""
    hit = match((request.view_args or {}).get("subpath", ""))
    if hit is None:
        return 200
    route = hit[0]
    return 201 if (route.ops.get(request.method) or OPS.get(request.method)) == "CREATE" else 200


def written(changes: Mapping[str, Mapping[str, Any]]) -> dict[str, list[str]]:
    """resource -> ids of a staged write's changes (namespaces ``books:<org>:<resource>``)."""
    out: dict[str, list[str]] = {}
    for ns, docs in changes.items():
        out.setdefault(ns.rsplit(":", 1)[-1], []).extend(docs)
    return out


def commit_entry(emulator: Any) -> Callable[[Mapping[str, Mapping[str, Any]]], dict[str, Any] | None]:
    """The hook ``BooksBackend.staged`` calls as a write commits: the entry to commit with it, or
    None (outside a Books request: the seeder, the admin API)."""

    def entry_for(changes: Mapping[str, Mapping[str, Any]]) -> dict[str, Any] | None:
        if not has_request_context():
            return None
        environ = request.environ
        where = area(environ.get("PATH_INFO", request.path))
        if where != "books" or is_verify_render(environ) or COMMITTED in g:
            return None
        entry = exchange_entry(emulator, where, success_status())
        entry["writes"] = written(changes)
        setattr(g, COMMITTED, entry)
        return entry

    return entry_for


def journaled_with_write() -> bool:
    """Whether this request's entry was committed with its write (the app then adds none)."""
    entry = g.get(COMMITTED)
    return entry is not None and "id" in entry
