"""Fault injection: rules that match requests and make them slow, wrong, cut short or dropped.

A rule matches on method, path (glob), dc, area (accounts/books/other), organization_id (query or
the X-com-zoho-books-organizationid header) and client_id (query or form body); ``after`` lets the
first N matches through, ``probability`` fires on a fraction of the rest and ``count`` fires N
times then expires. Whether match number n fires is drawn from ``Random(f"{seed}:{rule_id}:{n}")``:
the same emulator seed gives the same faults, whatever the thread interleaving.

Rules and their counters live in ``emulator.store`` (several processes on one Redis share them);
each process caches the rule list and reloads it when the store's version counter moves.

Actions: ``latency`` (real milliseconds, fixed or a seeded random range; the request's own thread
sleeps; the time scale does not shorten it: latency is a property of the network, not of the
virtual world), ``hold`` (the call stays in flight, holding its concurrency slot, until
``POST /__admin/faults/<id>/release`` or ``timeout_s``; a test waits for ``holding`` to reach N
instead of racing a latency window; one process only), ``respond`` (any status, body, headers), Zoho-shaped presets (``internal_error``
500/1000, ``rate_limit`` 429/44, ``daily_limit`` 429/45, ``concurrency_limit`` 429/1070,
``unauthorized`` 401/57, ``oauth_throttle`` the token endpoint's "Access Denied" body),
``reset`` (close the connection without a response), ``truncate`` (the real response cut short
under its full Content-Length) and ``malformed`` (the real body cut in half, served as HTTP 200 JSON).
"""
from __future__ import annotations

import errno
import fnmatch
import functools
import io
import random
import socket
import struct
import threading
import time
from http import HTTPStatus
from typing import Any, Callable, Iterable, Mapping
from urllib.parse import parse_qs

import requests

from .. import literals as L
from ..context import ENV_ACTION, ENV_BOX, ENV_DC, ENV_DELAY, ENV_FAULT, area
from ..errors import InvalidInput
from ..http import dumps, run_wsgi
from ..journal import note_body, request_entry
from ..limits.models import spend_delay

RULES_NS = "faults:rules"
SEQ_KEY = "faults:seq"
VERSION_KEY = "faults:version"
FILE_MARK = "faults:file_loaded"

MATCH_FIELDS = ("method", "path", "dc", "area", "organization_id", "client_id")
RULE_FIELDS = (*MATCH_FIELDS, "probability", "count", "after", "action", "name")
AREAS = ("accounts", "books", "other")
PRESETS = ("internal_error", "rate_limit", "daily_limit", "concurrency_limit", "unauthorized", "oauth_throttle")
ACTIONS = ("latency", "hold", "respond", "reset", "truncate", "malformed", *PRESETS)
HOLD_TIMEOUT_S = 60.0  # a held call is let go after this many real seconds if no test releases it
# Keys each action accepts besides "type".
ACTION_KEYS = {
    "latency": ("ms", "min_ms", "max_ms"),
    "hold": ("timeout_s",),
    "respond": ("status", "body", "headers", "content_type"),
    "reset": (),
    "truncate": ("fraction",),
    "malformed": (),
    "daily_limit": ("limit",),
}


def _num(value: Any, name: str, lo: float, hi: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < lo or (hi is not None and value > hi):
        span = f"between {lo} and {hi}" if hi is not None else f">= {lo}"
        raise InvalidInput(f"{name} must be a number {span}, got {value!r}", field=name)
    return value


def _int(value: Any, name: str, lo: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < lo:
        raise InvalidInput(f"{name} must be an integer >= {lo}, got {value!r}", field=name)
    return value


def validate_rule(raw: Any) -> dict[str, Any]:
    """Check a rule from the admin API or the config file; the error names the bad field."""
    if not isinstance(raw, Mapping):
        raise InvalidInput("a fault rule must be a JSON object")
    unknown = sorted(set(raw) - set(RULE_FIELDS) - {"id"})
    if unknown:
        raise InvalidInput(f"unknown fault field {unknown[0]!r}; known: {', '.join(RULE_FIELDS)}", field=unknown[0])
    rule: dict[str, Any] = {}
    if raw.get("name") is not None:
        rule["name"] = str(raw["name"])
    method = raw.get("method")
    if method is not None:
        methods = [method] if isinstance(method, str) else method
        if not isinstance(methods, list) or not methods or not all(isinstance(m, str) and m for m in methods):
            raise InvalidInput("method must be a method name or a list of them", field="method")
        rule["method"] = [m.upper() for m in methods]
    for name in ("path", "dc", "organization_id", "client_id"):
        value = raw.get(name)
        if value is not None:
            if not isinstance(value, (str, int)) or isinstance(value, bool) or str(value) == "":
                raise InvalidInput(f"{name} must be a non-empty string", field=name)
            rule[name] = str(value)
    if raw.get("area") is not None:
        if raw["area"] not in AREAS:
            raise InvalidInput(f"area must be one of {', '.join(AREAS)}", field="area")
        rule["area"] = raw["area"]
    if raw.get("probability") is not None:
        rule["probability"] = float(_num(raw["probability"], "probability", 0, 1))
    if raw.get("count") is not None:
        rule["count"] = _int(raw["count"], "count", 1)
    rule["after"] = _int(raw.get("after", 0) or 0, "after", 0)
    rule["action"] = _validate_action(raw.get("action"))
    return rule


def _validate_action(action: Any) -> dict[str, Any]:
    if isinstance(action, str):
        action = {"type": action}
    if not isinstance(action, Mapping) or "type" not in action:
        raise InvalidInput(f"action is required: a name ({', '.join(ACTIONS)}) or an object with 'type'", field="action")
    kind = action["type"]
    if kind not in ACTIONS:
        raise InvalidInput(f"action type {kind!r} is not one of {', '.join(ACTIONS)}", field="action.type")
    allowed = ACTION_KEYS.get(kind, ())
    extra = sorted(set(action) - {"type", *allowed})
    if extra:
        raise InvalidInput(f"action {kind!r} takes no {extra[0]!r} (takes: {', '.join(allowed) or 'nothing'})",
                         field=f"action.{extra[0]}")
    out: dict[str, Any] = {"type": kind}
    if kind == "latency":
        if "ms" in action:
            out["ms"] = float(_num(action["ms"], "action.ms", 0, 600_000))
        elif "min_ms" in action and "max_ms" in action:
            lo = float(_num(action["min_ms"], "action.min_ms", 0, 600_000))
            hi = float(_num(action["max_ms"], "action.max_ms", lo, 600_000))
            out.update(min_ms=lo, max_ms=hi)
        else:
            raise InvalidInput("latency needs ms, or min_ms and max_ms", field="action.ms")
    elif kind == "hold":
        out["timeout_s"] = float(_num(action.get("timeout_s", HOLD_TIMEOUT_S), "action.timeout_s", 0.001, 600))
    elif kind == "respond":
        status = action.get("status")
        if isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599:
            raise InvalidInput("action.status must be an HTTP status (100-599)", field="action.status")
        out["status"] = status
        body = action.get("body", "")
        if not isinstance(body, (dict, list, str)):
            raise InvalidInput("action.body must be a JSON object, a list or a string", field="action.body")
        out["body"] = body
        headers = action.get("headers", {}) or {}
        if not isinstance(headers, Mapping) or not all(isinstance(k, str) and isinstance(v, (str, int)) for k, v in headers.items()):
            raise InvalidInput("action.headers must map names to strings", field="action.headers")
        out["headers"] = {k: str(v) for k, v in headers.items()}
        if action.get("content_type") is not None:
            if not isinstance(action["content_type"], str):
                raise InvalidInput("action.content_type must be a string", field="action.content_type")
            out["content_type"] = action["content_type"]
    elif kind == "truncate":
        out["fraction"] = float(_num(action.get("fraction", 0.5), "action.fraction", 0, 0.999))
    elif kind == "daily_limit" and action.get("limit") is not None:
        out["limit"] = _int(action["limit"], "action.limit", 0)
    return out


class _Request:
    """The parts of a WSGI request a rule can match on, read lazily."""

    def __init__(self, environ: dict[str, Any]) -> None:
        self.environ = environ
        self.method = environ.get("REQUEST_METHOD", "GET").upper()
        self.path = environ.get("PATH_INFO", "") or "/"
        self.dc = environ.get(ENV_DC, "")
        self.area = area(self.path)
        self._query: dict[str, list[str]] | None = None
        self._form: dict[str, list[str]] | None = None

    @property
    def query(self) -> dict[str, list[str]]:
        if self._query is None:
            self._query = parse_qs(self.environ.get("QUERY_STRING", ""), keep_blank_values=True)
        return self._query

    @property
    def organization_id(self) -> str:
        values = self.query.get("organization_id")
        return (values[0] if values else self.environ.get("HTTP_X_COM_ZOHO_BOOKS_ORGANIZATIONID", "")).strip()

    def _form_body(self) -> dict[str, list[str]]:
        """The urlencoded body, read once and put back into ``wsgi.input`` for the app."""
        if self._form is None:
            self._form = {}
            ctype = self.environ.get("CONTENT_TYPE", "")
            if ctype.startswith("application/x-www-form-urlencoded"):
                try:
                    length = int(self.environ.get("CONTENT_LENGTH") or 0)
                except ValueError:
                    length = 0
                if length > 0:
                    body = self.environ["wsgi.input"].read(length)
                    self.environ["wsgi.input"] = io.BytesIO(body)
                    self.environ["CONTENT_LENGTH"] = str(len(body))
                    self._form = parse_qs(body.decode("latin-1"), keep_blank_values=True)
        return self._form

    @property
    def client_id(self) -> str:
        values = self.query.get("client_id") or self._form_body().get("client_id")
        return values[0] if values else ""

    def matches(self, rule: Mapping[str, Any]) -> bool:
        if "method" in rule and self.method not in rule["method"]:
            return False
        if "area" in rule and self.area != rule["area"]:
            return False
        if "dc" in rule and self.dc != rule["dc"]:
            return False
        if "path" in rule and not fnmatch.fnmatchcase(self.path, rule["path"]):
            return False
        if "organization_id" in rule and self.organization_id != rule["organization_id"]:
            return False
        if "client_id" in rule and self.client_id != rule["client_id"]:
            return False
        return True


class FaultsBackend:
    """The fault rules of one emulator and the WSGI middleware that applies them."""

    def __init__(self, emulator) -> None:
        self.emulator = emulator
        self._cache: tuple[int, list[dict[str, Any]]] = (-1, [])
        self._holds: dict[str, threading.Event] = {}  # hold rules of this process: set = let go
        self._holding: dict[str, int] = {}  # calls each hold rule holds right now, in this process
        self._holds_lock = threading.Lock()
        self._load_file_rules()

    @property
    def store(self):
        return self.emulator.store

    # -- rules -------------------------------------------------------------------------------
    def reset(self) -> None:
        """Called after the store was cleared: forget the cache, load the config file's rules again."""
        self._cache = (-1, [])
        self._load_file_rules()

    def _load_file_rules(self) -> None:
        rules = self.emulator.config.file_sections.get("faults") or []
        if not rules:
            return
        if self.store.incr(FILE_MARK) != 1:  # another process on this store loaded them already
            return
        if not isinstance(rules, list):
            raise InvalidInput("the config file's faults: section must be a list of rules", field="faults")
        for i, raw in enumerate(rules):
            try:
                self.add(raw, source="file")
            except InvalidInput as exc:
                raise InvalidInput(f"faults[{i}]: {exc.message}", field=f"faults[{i}].{exc.field or ''}".rstrip(".")) from None

    def add(self, raw: Any, source: str = "admin") -> dict[str, Any]:
        """Validate and store a rule; returns it with its id (``f1``, ``f2`` ...)."""
        rule = validate_rule(raw)
        rule["id"] = f"f{self.store.incr(SEQ_KEY)}"
        rule["source"] = source
        rule["created"] = self.emulator.clock.now()
        self.store.put(RULES_NS, rule["id"], rule)
        self._bump()
        return rule

    def _bump(self) -> None:
        # A random step: after a store clear the version can never land on a cached value again.
        self.store.incr(VERSION_KEY, random.randint(1, 1 << 30))

    def delete(self, rule_id: str) -> bool:
        gone = self.store.delete(RULES_NS, rule_id)
        if gone:
            self._bump()
            self.release(rule_id)
        return gone

    def clear(self) -> int:
        ids = self.store.keys(RULES_NS)
        self.store.drop(RULES_NS)
        self._bump()
        for rule_id in ids:
            self.release(rule_id)
        return len(ids)

    # -- hold: a call kept in flight until the test lets it go ---------------------------------
    def _hold_event(self, rule_id: str) -> threading.Event:
        with self._holds_lock:
            return self._holds.setdefault(rule_id, threading.Event())

    def _wait_held(self, rule_id: str, timeout_s: float) -> None:
        event = self._hold_event(rule_id)
        with self._holds_lock:
            self._holding[rule_id] = self._holding.get(rule_id, 0) + 1
        try:
            event.wait(timeout_s)
        finally:
            with self._holds_lock:
                self._holding[rule_id] -= 1

    def release(self, rule_id: str) -> int:
        """Let the calls a hold rule keeps go (and the ones it catches later: the rule stays
        released). Returns how many were held. Holds live in one process: with ``--workers``,
        use ``latency``."""
        with self._holds_lock:
            held = self._holding.get(rule_id, 0)
        self._hold_event(rule_id).set()
        return held

    def _counters(self, rule_id: str) -> tuple[str, str]:
        return f"faults:{rule_id}:matched", f"faults:{rule_id}:fired"

    def describe(self, rule: Mapping[str, Any]) -> dict[str, Any]:
        matched_key, fired_key = self._counters(rule["id"])
        fired = self.store.get_counter(fired_key)
        out = dict(rule)
        out.update(matched=self.store.get_counter(matched_key), fired=min(fired, rule.get("count") or fired),
                   expired=bool(rule.get("count")) and fired >= rule["count"])
        if rule["action"]["type"] == "hold":
            with self._holds_lock:
                out["holding"] = self._holding.get(rule["id"], 0)
        return out

    def rules(self) -> list[dict[str, Any]]:
        """Every rule, oldest first (the order they are tried in)."""
        version = self.store.get_counter(VERSION_KEY)
        cached_version, cached = self._cache
        if version != cached_version:
            cached = sorted(self.store.values(RULES_NS), key=lambda r: int(r["id"][1:]))
            self._cache = (version, cached)
        return cached

    def get(self, rule_id: str) -> dict[str, Any] | None:
        return self.store.get(RULES_NS, rule_id)

    def _fires(self, rule: Mapping[str, Any]) -> int:
        """Count a match; return its number if the rule fires on it, else 0."""
        matched_key, fired_key = self._counters(rule["id"])
        count = rule.get("count")
        if count and self.store.get_counter(fired_key) >= count:
            return 0  # expired: not even counted as a match
        n = self.store.incr(matched_key)
        if n <= rule.get("after", 0):
            return 0
        p = rule.get("probability")
        if p is not None and self._rng(rule, n).random() >= p:
            return 0
        if self.store.incr(fired_key) > (count or float("inf")):
            return 0
        return n

    def _rng(self, rule: Mapping[str, Any], n: int, salt: str = "") -> random.Random:
        return random.Random(f"{self.emulator.seed}:{rule['id']}:{n}{salt}")

    # -- WSGI --------------------------------------------------------------------------------
    def wrap_wsgi(self, wsgi_app: Callable) -> Callable:
        """Middleware (inside the DC middleware) applying the first rule that fires."""
        backend = self

        def faults_middleware(environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
            rules = backend.rules()
            if not rules:
                return wsgi_app(environ, start_response)
            req = _Request(environ)
            if req.area == "admin":
                return wsgi_app(environ, start_response)
            for rule in rules:
                if req.matches(rule):
                    n = backend._fires(rule)
                    if n:
                        return backend._apply(rule, n, req, wsgi_app, start_response)
            return wsgi_app(environ, start_response)

        return faults_middleware

    def _apply(self, rule: Mapping[str, Any], n: int, req: _Request, app: Callable, start_response: Callable) -> Iterable[bytes]:
        environ = req.environ
        action = rule["action"]
        kind = action["type"]
        environ[ENV_FAULT] = rule["id"]
        environ[ENV_ACTION] = kind
        box = environ.get(ENV_BOX)
        if isinstance(box, dict):  # in-process mode: tell inprocess_hook what was done
            box.update({ENV_FAULT: rule["id"], ENV_ACTION: kind})
        started = time.perf_counter()
        if kind in ("latency", "hold"):
            # An org-bound Books call waits inside its admission (``limits.admit`` takes the delay), so
            # the slow call holds its concurrency slot as a slow Zoho call would; any other request
            # waits here, after the app answered and before the client sees the answer.
            if kind == "latency":
                ms = action["ms"] if "ms" in action else self._rng(rule, n, ":latency").uniform(action["min_ms"], action["max_ms"])
                wait: Callable[[], Any] = functools.partial(time.sleep, ms / 1000.0)
            else:
                wait = functools.partial(self._wait_held, rule["id"], action["timeout_s"])
            delay = {"wait": wait, "done": False}
            environ[ENV_DELAY] = delay
            result = app(environ, start_response)
            spend_delay(delay)
            return result
        if kind in ("truncate", "malformed"):
            status, headers, body = run_wsgi(app, environ)
            if kind == "truncate":
                cut = body[: int(len(body) * action["fraction"])]
                headers = [(k, v) for k, v in headers if k.lower() not in ("content-length", "connection")]
                headers += [("Content-Length", str(len(body))), ("Connection", "close")]
                start_response(status, headers)
                return _cut_short(environ, cut)
            cut = body[: len(body) // 2] if len(body) > 1 else b"{"
            headers = [(k, v) for k, v in headers if k.lower() not in ("content-length", "content-type")]
            headers += [("Content-Type", L.JSON_CONTENT_TYPE), ("Content-Length", str(len(cut)))]
            start_response("200 OK", headers)
            return [cut]
        if kind == "reset":
            self._journal(req, None, None, rule, started)
            return _drop_connection(environ, start_response)
        status, body, headers = self._canned(action, req)
        self._journal(req, status, body, rule, started)
        payload = body if isinstance(body, bytes) else (body.encode("utf-8") if isinstance(body, str) else dumps(body))
        headers.setdefault("Content-Type", L.JSON_CONTENT_TYPE)
        headers.setdefault("Server", L.SERVER_HEADER)
        headers["Content-Length"] = str(len(payload))
        start_response(f"{status} {_reason(status)}", list(headers.items()))
        return [payload]

    def _canned(self, action: Mapping[str, Any], req: _Request) -> tuple[int, Any, dict[str, str]]:
        """Status, body and headers of a ``respond`` action or a Zoho-shaped preset."""
        kind = action["type"]
        if kind == "respond":
            headers = dict(action.get("headers", {}))
            if action.get("content_type"):
                headers["Content-Type"] = action["content_type"]
            elif isinstance(action["body"], str):
                headers.setdefault("Content-Type", "text/plain; charset=utf-8")
            return action["status"], action["body"], headers
        if kind == "oauth_throttle":
            return int(self.emulator.config["oauth.throttle_http_status"]), dict(L.OAUTH_THROTTLE_BODY), {}
        headers = self._rate_headers(req)
        if kind == "internal_error":
            kind_ = L.INTERNAL_ERROR
            message = kind_.message
        elif kind == "rate_limit":
            kind_, message = L.PER_MINUTE_EXCEEDED, L.PER_MINUTE_EXCEEDED.message
        elif kind == "concurrency_limit":
            kind_, message = L.CONCURRENCY_EXCEEDED, L.CONCURRENCY_EXCEEDED.message
        elif kind == "unauthorized":
            kind_, message = L.NOT_AUTHORIZED, L.NOT_AUTHORIZED.message
            headers = {}
        else:  # daily_limit
            kind_ = L.DAILY_EXCEEDED
            limit = action.get("limit")
            if limit is None:
                limit = self.emulator.limits.daily_limit(req.organization_id) if req.organization_id.isdigit() else \
                    self.emulator.config["limits.daily_by_plan"]["free"]
            message = L.daily_limit_message(limit, self.emulator.config["limits.daily_message_style"])
        return kind_.http_status, {"code": kind_.code, "message": message}, headers

    def _rate_headers(self, req: _Request) -> dict[str, str]:
        """A Books preset carries the X-Rate-Limit-* headers of the org, as a real Books answer does."""
        if req.area != "books" or not req.organization_id.isdigit():
            return {}
        limits = self.emulator.limits
        org = limits.known_org(req.organization_id) or {"organization_id": req.organization_id}
        try:
            return dict(limits.rate_headers(org))
        except Exception:  # a half-built org must not turn a fault into a 500
            return {}

    # -- journal for answers the middleware makes itself ------------------------------------------
    def _journal(self, req: _Request, status: int | None, body: Any, rule: Mapping[str, Any], started: float) -> None:
        entry = request_entry(req.environ, area=req.area, status=status, vtime=self.emulator.clock.now(), started=started)
        entry.update(fault=rule["id"], fault_action=rule["action"]["type"])
        note_body(entry, body)
        if req.organization_id:
            entry["organization_id"] = req.organization_id
        self.emulator.journal.record(entry)

    # -- in-process mode ---------------------------------------------------------------------
    def inprocess_hook(self, environ: dict[str, Any], headers: list[tuple[str, str]], body: bytes) -> None:
        """Raise what ``requests`` would raise for a dropped or cut-short response."""
        box = environ.get(ENV_BOX) or {}
        action = box.get(ENV_ACTION)
        if action not in ("reset", "truncate"):
            return
        rule_id = box.get(ENV_FAULT, "?")
        if action == "reset":
            raise requests.exceptions.ConnectionError(
                f"('Connection aborted.', ConnectionResetError(104, 'Connection reset by peer'))  [mock_zoho fault {rule_id}]")
        expected = next((v for k, v in headers if k.lower() == "content-length"), "?")
        got = len(body)
        raise requests.exceptions.ChunkedEncodingError(
            f"('Connection broken: IncompleteRead({got} bytes read, {int(expected) - got if expected.isdigit() else '?'} more expected)', "
            f"IncompleteRead({got} bytes read))  [mock_zoho fault {rule_id}]")


def _drop_connection(environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
    """Close the client's socket without a response (RST where the server lets us reach the socket)."""
    sock = _client_socket(environ)
    if sock is not None:
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

        def _aborted() -> Iterable[bytes]:
            raise ConnectionResetError(errno.ECONNRESET, "connection reset by a mock_zoho fault rule")
            yield b""  # pragma: no cover

        return _aborted()
    # No socket (in-process mode, or granian, which hides it): headers promising a body that never
    # comes, from an iterator (granian corrects the length of a list). granian then drops the
    # connection without a response; in-process, ``inprocess_hook`` raises before even that.
    start_response("200 OK", [("Content-Length", "1"), ("Connection", "close"), ("Content-Type", L.JSON_CONTENT_TYPE)])
    return iter(())


def _client_socket(environ: dict[str, Any]) -> socket.socket | None:
    """The client's socket, where the server lets the app reach it (werkzeug, gunicorn)."""
    sock = environ.get("werkzeug.socket") or environ.get("gunicorn.socket")
    return sock if isinstance(sock, socket.socket) else None


def _cut_short(environ: dict[str, Any], cut: bytes) -> Iterable[bytes]:
    """The first part of a body, then the connection closed: by shutting the socket down where the
    server lets us reach it (gunicorn would otherwise keep it open, waiting, until its keep-alive
    timeout), else by an error that makes granian close it mid-body (granian corrects the length of
    a list body, drops the whole response when an iterator ends early, and now and then drops it
    even so)."""
    yield cut
    sock = _client_socket(environ)
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
    elif str(environ.get("SERVER_SOFTWARE", "")).startswith("Granian"):
        raise ConnectionAbortedError(errno.ECONNABORTED, "body cut short by a mock_zoho fault rule")


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"
