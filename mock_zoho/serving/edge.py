"""The HTTP edge every server shares: what a server answers itself, and the request body as the app
reads it.

* ``edge_answer``: the JSON (Zoho's shape) a server of ours sends for a request that never reaches
  the app (a malformed request line, headers past the limits): werkzeug's handler and the
  gunicorn worker use it; granian answers those in Rust, with an empty body (see the README).
* ``GuardedInput``: ``wsgi.input`` as the app sees it. Whatever the server raises while the body
  is read (gunicorn's ``InvalidChunkSize`` for a broken chunked body, a socket timeout) becomes
  ``UnreadableBody``, an ``OSError``, which the app answers with a 400 in the caller's area's
  shape and ``Connection: close`` (``serving.app``), never a 500. With a ``timeout`` each read
  gives up after that many seconds: granian has no body read timeout of its own (granian issue
  728, closed "wontfix"), so a body shorter than its ``Content-Length`` would hold one of its
  request threads until the client left.
"""
from __future__ import annotations

import os
import threading
from typing import Any, Callable, Iterator

from .. import literals as L
from ..http import dumps

READ_TIMEOUT_ENV = "MOCK_ZOHO_READ_TIMEOUT_S"
READ_TIMEOUT_S = 30.0  # a client that stops sending mid-request frees its thread after this

# What a server answers itself when a request never reaches the app: JSON in Zoho's shape.
EDGE_ANSWERS = {414: L.INVALID_URL, 400: L.INVALID_URL}
HEADERS_MESSAGE = "Invalid value passed for request headers"  # 431, and any other refusal of the edge


def read_timeout() -> float:
    """Seconds a body read may wait for the client: ``MOCK_ZOHO_READ_TIMEOUT_S``, else 30."""
    raw = os.environ.get(READ_TIMEOUT_ENV, "")
    try:
        value = float(raw)
    except ValueError:
        return READ_TIMEOUT_S
    return value if value > 0 else READ_TIMEOUT_S


def edge_answer(status: int) -> bytes:
    """The JSON body of a refusal the server makes itself (``status`` 400, 414, 431 ...)."""
    kind = EDGE_ANSWERS.get(status)
    payload = {"code": kind.code, "message": kind.message} if kind else \
        {"code": L.INVALID_VALUE.code, "message": HEADERS_MESSAGE}
    return dumps(payload)


class UnreadableBody(OSError):
    """The request body could not be read (broken framing, a client that stopped sending)."""


class GuardedInput:
    """``wsgi.input`` whose failures are ``UnreadableBody`` and whose reads, given ``timeout``,
    wait at most that long (each in a daemon thread: a stalled read is left to the client)."""

    def __init__(self, raw: Any, timeout: float | None = None) -> None:
        self.raw = raw
        self.timeout = timeout

    def _call(self, fn: Callable[..., Any], *args: Any) -> Any:
        if self.timeout is None:
            try:
                return fn(*args)
            except UnreadableBody:
                raise
            except Exception as exc:  # the server's own error types (gunicorn.http.errors ...)
                raise UnreadableBody(f"{type(exc).__name__} while reading the request body") from exc
        box: dict[str, Any] = {}

        def run() -> None:
            try:
                box["value"] = fn(*args)
            except BaseException as exc:  # handed to the request's thread below
                box["error"] = exc

        reader = threading.Thread(target=run, name="body-read", daemon=True)
        reader.start()
        reader.join(self.timeout)
        if reader.is_alive():
            raise UnreadableBody(f"the client sent no body bytes for {self.timeout:g} s")
        if "error" in box:
            raise UnreadableBody(f"{type(box['error']).__name__} while reading the request body") from box["error"]
        return box["value"]

    def read(self, size: int = -1) -> bytes:
        return self._call(self.raw.read, size) if size is not None and size >= 0 else self._call(self.raw.read)

    def readline(self, size: int = -1) -> bytes:
        return self._call(self.raw.readline, size) if size is not None and size >= 0 else self._call(self.raw.readline)

    def readlines(self, hint: int = -1) -> list[bytes]:
        return self._call(self.raw.readlines, hint)

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)

    def __iter__(self) -> Iterator[bytes]:
        while line := self.readline():
            yield line

    def close(self) -> None:
        getattr(self.raw, "close", lambda: None)()


def guard_input(wsgi_app: Callable, timeout: float | None = None) -> Callable:
    """Middleware: the app reads its body through ``GuardedInput``."""

    def guarded(environ: dict[str, Any], start_response: Callable) -> Any:
        raw = environ.get("wsgi.input")
        if raw is not None and not isinstance(raw, GuardedInput):
            environ["wsgi.input"] = GuardedInput(raw, timeout)
        return wsgi_app(environ, start_response)

    return guarded
