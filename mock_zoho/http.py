"""JSON response helpers, and the old names of the domain errors (``mock_zoho.errors``).

Books errors leave as ``{"code": N, "message": "..."}``, OAuth errors as ``{"error": "..."}`` (HTTP
200 by default, Zoho's quirk), admin errors as ``{"error": "...", "field": "..."}``: each area's
edge maps its domain errors to these. Nothing else ever leaves the emulator: unexpected exceptions
become Zoho's code 1000 without a traceback.
"""
from __future__ import annotations

from typing import Any, Mapping

import orjson
from flask import Response

from . import literals as L
from .errors import BooksError, InvalidInput, OAuthError, invalid_value

# The names models and tests used before the domain errors had their own module.
BooksAPIError = BooksError
AdminError = InvalidInput

__all__ = ["dumps", "json_response", "raw_json_response", "BooksAPIError", "AdminError", "OAuthError", "invalid_value"]


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
