"""Response helpers and the exceptions every layer raises to answer in its caller's shape.

Books errors leave as ``{"code": N, "message": "..."}``, OAuth errors as ``{"error": "..."}`` (HTTP
200 by default, Zoho's quirk), admin errors as ``{"error": "...", "field": "..."}``. Nothing else
ever leaves the emulator: unexpected exceptions become Zoho's code 1000 without a traceback.
"""
from __future__ import annotations

from typing import Any, Mapping

import orjson
from flask import Response

from . import literals as L


def dumps(payload: Any) -> bytes:
    return orjson.dumps(payload, option=orjson.OPT_NON_STR_KEYS)


def json_response(payload: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    return raw_json_response(dumps(payload), status, headers)


def raw_json_response(data: bytes, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    """A JSON body already serialised (list pages assembled from cached items)."""
    resp = Response(data, status=status, content_type=L.JSON_CONTENT_TYPE)
    resp.headers["Server"] = L.SERVER_HEADER
    if headers:
        resp.headers.update(headers)
    return resp


class BooksAPIError(Exception):
    """An error answer of the Books API, in Zoho's envelope."""

    def __init__(self, kind: L.BooksErrorKind, status: int | None = None, message: str | None = None, **fields: Any):
        self.kind = kind
        self.code = kind.code
        self.status = status or kind.http_status
        self.message = message if message is not None else kind.render(**fields)
        super().__init__(f"{self.code}: {self.message}")

    def body(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message}


def invalid_value(field: str) -> BooksAPIError:
    return BooksAPIError(L.INVALID_VALUE, field=field)


class OAuthError(Exception):
    """An error of the accounts server's JSON endpoints (token, revoke)."""

    def __init__(self, error: str, status: int | None = None, body: dict[str, Any] | None = None):
        self.error = error
        self.status = status  # None: oauth.error_http_status
        self.payload = body or {"error": error}
        super().__init__(error)


class AdminError(Exception):
    """A bad admin-API request; the message names the field and the fault."""

    def __init__(self, message: str, field: str | None = None, status: int = 400):
        self.message = message
        self.field = field
        self.status = status
        super().__init__(message)

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {"error": self.message}
        if self.field:
            out["field"] = self.field
        return out
