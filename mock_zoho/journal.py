"""The request journal: what the emulator saw, for assertions (like WireMock's /__admin/requests).

Bounded (``journal.max_entries``, oldest dropped first), secrets redacted on the way in, filterable
by the fields a scenario asserts on. Entries carry both virtual and real time.
"""
from __future__ import annotations

import fnmatch
import threading
import time
from collections import deque
from typing import Any, Iterable, Mapping
from urllib.parse import parse_qsl

from werkzeug.datastructures import EnvironHeaders

from .context import ENV_DC, ENV_HOST_KIND, ENV_RAW_PATH
from .dc import DEFAULT_LOCATION
from .redact import redact_headers, redact_pairs

FILTER_FIELDS = ("method", "dc", "status", "organization_id", "client_id", "user_id", "area", "host", "fault", "code")


_SEEN_HEADERS: dict[tuple, dict[str, str]] = {}
_SEEN_HEADERS_MAX = 1024
_NOT_HEADERS: set[str] = set()  # environ keys seen that are not headers (granian copies os.environ in)


def _header_items(environ: dict[str, Any]) -> tuple:
    """The request's header entries, found without testing every key of a large environ each time."""
    items = []
    for k in environ.keys() - _NOT_HEADERS:
        if k[:5] == "HTTP_" or k[:8] == "CONTENT_":
            items.append((k, environ[k]))
        elif len(_NOT_HEADERS) < 4096:
            _NOT_HEADERS.add(k)
    items.sort()
    return tuple(items)


def journal_headers(environ: dict[str, Any]) -> dict[str, str]:
    """A request's headers as the journal keeps them (cookies dropped, secrets fingerprinted).

    A client sends the same headers call after call, so the redacted form is kept per distinct set
    (hashing a token for its fingerprint is most of the cost); a copy is returned."""
    seen = _header_items(environ)
    headers = _SEEN_HEADERS.get(seen)
    if headers is None:
        headers = redact_headers({k: v for k, v in EnvironHeaders(environ).items() if k.lower() != "cookie"})
        if len(_SEEN_HEADERS) >= _SEEN_HEADERS_MAX:
            _SEEN_HEADERS.clear()
        _SEEN_HEADERS[seen] = headers
    return dict(headers)


def request_entry(environ: Mapping[str, Any], *, area: str, status: int | None, vtime: float, started: float,
                  host: str | None = None) -> dict[str, Any]:
    """The journal entry of one exchange, secrets redacted: the one place entries are built (the app
    after each answer, the faults middleware for the answers it makes itself; a replayed answer
    reuses its first answer's entry). ``vtime`` is the virtual time it arrived, ``started`` its
    ``time.perf_counter()``; ``host`` is the request's host as Flask reads it, else the Host header."""
    path = environ.get("PATH_INFO", "") or "/"
    return {
        "time": vtime,
        "duration_ms": round((time.perf_counter() - started) * 1000, 3),
        "method": environ.get("REQUEST_METHOD", "GET").upper(),
        "host": host if host is not None else environ.get("HTTP_HOST", ""),
        "path": path,
        "raw_path": environ.get(ENV_RAW_PATH, path),
        "query": redact_pairs(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True)),
        "headers": journal_headers(environ),
        "dc": environ.get(ENV_DC, DEFAULT_LOCATION),
        "host_kind": environ.get(ENV_HOST_KIND, "local"),
        "area": area,
        "status": status,
    }


def note_body(entry: dict[str, Any], body: Any) -> None:
    """Copy a JSON answer's Zoho ``code`` and OAuth ``error`` into its entry (what scenarios filter on)."""
    if isinstance(body, dict):
        if isinstance(body.get("code"), int):
            entry["code"] = body["code"]
        if "error" in body:
            entry["error"] = body["error"]


class JournalQueryError(ValueError):
    """A filter the journal does not understand; the message names it."""


class Journal:
    def __init__(self, max_entries: int = 10000) -> None:
        self._lock = threading.Lock()
        self._entries: deque[dict[str, Any]] = deque(maxlen=max_entries)
        self._seq = 0
        self.dropped = 0

    def resize(self, max_entries: int) -> None:
        with self._lock:
            self._entries = deque(self._entries, maxlen=max_entries)

    def record(self, entry: dict[str, Any]) -> int:
        with self._lock:
            self._seq += 1
            entry["id"] = self._seq
            if len(self._entries) == self._entries.maxlen:
                self.dropped += 1
            self._entries.append(entry)
            return self._seq

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.dropped = 0

    def __len__(self) -> int:
        return len(self._entries)

    def query(self, filters: dict[str, str] | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        """Filters: any of FILTER_FIELDS (exact), ``path`` (glob, ``*`` wildcard), ``since`` (id).
        Walks from the newest entry and stops at ``limit`` matches."""
        with self._lock:
            return newest_matching(((e["id"], e) for e in reversed(self._entries)), dict, filters, limit)


def newest_matching(newest_first: Iterable[tuple[int, Any]], decode: Any, filters: dict[str, str] | None = None,
                    limit: int | None = None) -> list[dict[str, Any]]:
    """The journal's query, reading only what it returns: ``newest_first`` yields (id, raw) from the
    newest entry back, ``decode(raw)`` makes the entry; the walk stops at ``limit`` matches or at
    ``since``. The answer is oldest first, as ``filter_entries``'s. Every journal backend uses it."""
    match, since_id = _matcher(filters)
    if limit == 0:
        return []
    out: list[dict[str, Any]] = []
    for entry_id, raw in newest_first:
        if entry_id <= since_id:
            break
        entry = decode(raw)
        entry["id"] = entry_id
        if match(entry):
            out.append(entry)
            if limit is not None and len(out) >= limit:
                break
    out.reverse()
    return out


def _matcher(filters: dict[str, str] | None) -> tuple[Any, int]:
    filters = dict(filters or {})
    path_glob = filters.pop("path", None)
    since = filters.pop("since", None)
    unknown = set(filters) - set(FILTER_FIELDS)
    if unknown:
        raise JournalQueryError(f"unknown journal filter {sorted(unknown)[0]!r}; known: path, since, {', '.join(FILTER_FIELDS)}")
    try:
        since_id = int(since) if since not in (None, "") else 0
    except ValueError:
        raise JournalQueryError(f"since must be an entry id (integer), got {since!r}") from None

    def match(e: dict[str, Any]) -> bool:
        if path_glob and not fnmatch.fnmatchcase(e.get("path", ""), path_glob):
            return False
        return not any(str(e.get(k)) != str(v) for k, v in filters.items())

    return match, since_id


def filter_entries(entries: Iterable[dict[str, Any]], filters: dict[str, str] | None = None,
                   limit: int | None = None) -> list[dict[str, Any]]:
    """The journal's query language over a list of entries (oldest first)."""
    match, since_id = _matcher(filters)
    out = [e for e in entries if e["id"] > since_id and match(e)]
    if limit is not None:
        out = out[-limit:] if limit else []
    return out
