"""JSON response helpers, running a WSGI app to completion, and the old names of the domain errors (``mock_zoho.errors``).

Books errors leave as ``{"code": N, "message": "..."}``, OAuth errors as ``{"error": "..."}`` (HTTP
200 by default, Zoho's quirk), admin errors as ``{"error": "...", "field": "..."}``: each area's
edge maps its domain errors to these. Nothing else ever leaves the emulator: unexpected exceptions
become Zoho's code 1000 without a traceback.
"""
from __future__ import annotations

from typing import Any, Callable, Mapping

import orjson
from flask import Response

from . import literals as L
from .errors import BooksError, InvalidInput, OAuthError, invalid_value

# The names models and tests used before the domain errors had their own module.
BooksAPIError = BooksError
AdminError = InvalidInput

__all__ = ["dumps", "json_response", "raw_json_response", "run_wsgi", "BooksAPIError", "AdminError", "OAuthError", "invalid_value"]


def dumps(payload: Any) -> bytes:
    """``payload`` as JSON, in bytes that hold only their length. orjson's own result keeps the
    buffer it grew in: measured with tracemalloc (orjson 3.13), 4 KB for 100 bytes of JSON, 32 KB
    for 4 KB, 8 MB for 1 MB. Whatever keeps such bytes (the replay cache, the list-item cache, a
    journal) would hold eight times what it counts; the copy costs one memcpy."""
    return memoryview(orjson.dumps(payload, option=orjson.OPT_NON_STR_KEYS)).tobytes()


def json_response(payload: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    return raw_json_response(dumps(payload), status, headers)


def raw_json_response(data: bytes, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    """A JSON body already serialised (list pages assembled from cached items)."""
    resp = Response(data, status=status, content_type=L.JSON_CONTENT_TYPE)
    resp.headers["Server"] = L.SERVER_HEADER
    if headers:
        resp.headers.update(headers)
    return resp


def run_wsgi(app: Callable, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
    """Call a WSGI app and return its status line, headers and whole body (the in-process mode,
    and faults that rewrite a finished answer)."""
    captured: list[Any] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable:
        captured[:] = [status, headers]
        return lambda data: None

    result = app(environ, start_response)
    try:
        body = b"".join(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    return captured[0], list(captured[1]), body
