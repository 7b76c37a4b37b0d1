"""The journal entry of one exchange, as the app makes it, and a Books write committed with it.

Why: the journal is a record of what happened. A write and its entry stored in two steps leave a
window (a worker killed with ``kill -9`` between them) in which the write exists and no entry
says so. So the staged changes of a Books write request (``BooksBackend.staged``) are handed to
the app (``take_write``) instead of being written, and the organisation's write lock they were
made under stays held (``Store.hold_next_unlock``; on LMDB the write transaction stays open).
Once the answer is made, the app writes the changes and the request's entry (with the answer's
status and ``writes``: resource -> ids) in one unit (``Store.write_batch``) and lets the lock go
(``commit_write``). An answer of 400 or more writes nothing. Nothing else is journaled for it.
"""
from __future__ import annotations

import logging
import time
from typing import Any, Callable, Mapping

from flask import Response, g, has_request_context, request

from .. import literals as L
from ..books.replay import is_verify_render
from ..context import ENV_FAULT, area
from ..http import json_response
from ..journal import note_body, request_entry

log = logging.getLogger("mock_zoho")
STAGED = "staged_write"  # in flask.g: the changes a Books write request staged, not yet written


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


def written(changes: Mapping[str, Mapping[str, Any]]) -> dict[str, list[str]]:
    """resource -> ids of a staged write's changes (namespaces ``books:<org>:<resource>``)."""
    out: dict[str, list[str]] = {}
    for ns, docs in changes.items():
        out.setdefault(ns.rsplit(":", 1)[-1], []).extend(docs)
    return out


def take_write(emulator: Any) -> Callable[[Mapping[str, Mapping[str, Any]]], bool]:
    """The hook ``BooksBackend.staged`` calls with a request's changes: True when the app takes
    them (a Books request: committed by ``commit_write``), False to have them written at once."""

    def take(changes: Mapping[str, Mapping[str, Any]]) -> bool:
        if not has_request_context() or STAGED in g or is_verify_render(request.environ):
            return False
        if area(request.environ.get("PATH_INFO", request.path)) != "books":
            return False
        setattr(g, STAGED, changes)
        emulator.store.hold_next_unlock()  # the lock the changes were made under: let go in commit_write
        return True

    return take


def commit_write(emulator: Any, response: Response) -> tuple[Response, bool]:
    """Write the request's staged changes with its journal entry, then let the held lock go.
    (response, journaled): the answer (a 500 if the store failed), and whether its entry is in."""
    changes = g.pop(STAGED, None)
    store = emulator.store
    if changes is None:
        return response, False
    if response.status_code >= 400:  # refused after all: nothing is written
        store.release_held(False)
        return response, False
    entry = exchange_entry(emulator, "books", response.status_code)
    entry["writes"] = written(changes)
    try:
        store.write_batch(changes, emulator.journal, entry)
        store.release_held(True)
    except Exception as exc:  # the store failed: nothing was written, and the answer says so
        log.error("the write of %s %s could not be committed (%s)", request.method, request.path, type(exc).__name__)
        try:
            store.release_held(False)
        except Exception:  # already let go by the failure
            pass
        return json_response({"code": L.INTERNAL_ERROR.code, "message": L.INTERNAL_ERROR.message}, 500), False
    return response, True


def let_go(emulator: Any) -> None:
    """At the end of every request: whatever is still held (an error between the stage and the
    commit) is let go without writing."""
    g.pop(STAGED, None)
    try:
        emulator.store.release_held(False)
    except Exception as exc:  # an abort that failed: the store's own recovery takes it from here
        log.error("letting go of a held store lock failed (%s)", type(exc).__name__)
