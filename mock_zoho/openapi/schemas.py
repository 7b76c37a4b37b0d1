"""Shared pieces of the emulator's OpenAPI description: envelopes, errors, page context, headers.

Written by the project from Zoho's documented behaviour (reference §3.5, §3.6, §4, §2.4, §5.4) and
the emulator's documented choices, not copied from Zoho's own OpenAPI files (whose errata §7 lists:
``page_context`` typed as an array, amounts as strings, no error schemas).
"""
from __future__ import annotations

from typing import Any

Schema = dict[str, Any]

STRING: Schema = {"type": "string"}
NUMBER: Schema = {"type": "number"}
INTEGER: Schema = {"type": "integer"}
BOOLEAN: Schema = {"type": "boolean"}
OBJECT: Schema = {"type": "object"}
ARRAY: Schema = {"type": "array"}
ANY: Schema = {}


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(required: dict[str, Schema] | None = None, optional: dict[str, Schema] | None = None, *,
        closed: bool = False) -> Schema:
    """An object schema: ``required`` keys must be there, ``optional`` may be; ``closed`` forbids others."""
    props = {**(required or {}), **(optional or {})}
    out: Schema = {"type": "object", "properties": props}
    if required:
        out["required"] = list(required)
    if closed:
        out["additionalProperties"] = False
    return out


def json_content(schema: Schema) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


# Zoho's HTTP statuses for Books (reference §4.1) and what each means in the emulator.
BOOKS_ERROR_STATUSES: dict[str, str] = {
    "400": "Bad request: code 2 (invalid value, naming the parameter or field), 4 (JSONString), 6041 (org not the user's), 1001, 1040",
    "401": "Unauthorized: code 57 (bad, expired or revoked token, missing scope, other DC) or 14 (books.invalid_token_code)",
    "404": "Not found: code 5 (Invalid URL Passed) or 1002 (<Resource> does not exist.)",
    "405": "Method not allowed: code 37",
    "429": "Rate limited: code 44 (per minute), 45 (daily quota), 1070 (concurrency)",
}

RATE_HEADER_DEFS: dict[str, Any] = {
    "X-Rate-Limit-Limit": {"description": "Daily quota of the organisation (books.rate_headers)",
                           "schema": {"type": "string", "pattern": r"^\d+$"}},
    "X-Rate-Limit-Remaining": {"description": "Calls left today, never negative",
                               "schema": {"type": "string", "pattern": r"^\d+$"}},
    "X-Rate-Limit-Reset": {"description": "Seconds until the daily quota resets",
                           "schema": {"type": "string", "pattern": r"^\d+$"}},
}


RATE_HEADERS: dict[str, Any] = {name: {"$ref": f"#/components/headers/{name}"} for name in RATE_HEADER_DEFS}


def error_responses() -> dict[str, Any]:
    """``components.responses``: one Books error response per HTTP status."""
    return {f"Books{status}": {"description": text, "headers": RATE_HEADERS, "content": json_content(ref("BooksError"))}
            for status, text in BOOKS_ERROR_STATUSES.items()}


def components() -> dict[str, Schema]:
    """Component schemas every part of the description refers to by name."""
    page_context = obj({"page": INTEGER, "per_page": INTEGER, "has_more_page": BOOLEAN},
                       {"report_name": STRING, "applied_filter": STRING, "sort_column": STRING,
                        "sort_order": {"type": "string", "enum": ["A", "D"]},
                        "filter_by": STRING, "search_text": STRING,  # both: expenses (page_context_echo)
                        "response_option": INTEGER}, closed=True)  # invoices (query.NUMBER_ECHOES)
    return {
        "BooksError": obj({"code": {"type": "integer", "minimum": 1}, "message": STRING}, closed=True),
        "BooksEmpty": obj({"code": {"type": "integer", "enum": [0]}, "message": STRING}, closed=True),
        "PageContext": page_context,
        "OAuthError": obj({"error": STRING}, {"error_description": STRING, "status": STRING}, closed=True),
        "OAuthTokens": obj({"access_token": STRING, "api_domain": STRING, "token_type": STRING,
                            "expires_in": INTEGER},
                           {"refresh_token": STRING, "scope": STRING, "expires_in_sec": INTEGER}, closed=True),
        "RevokeResult": obj({"status": {"type": "string", "enum": ["success", "failure"]}}, {"error": STRING},
                            closed=True),
        "AdminError": obj({"error": STRING}, {"field": STRING}, closed=True),
    }


def books_errors(*statuses: str) -> dict[str, Any]:
    """Error responses of a Books operation: Zoho's ``{"code", "message"}`` envelope."""
    return {status: {"$ref": f"#/components/responses/Books{status}"} for status in statuses or BOOKS_ERROR_STATUSES}
