"""JSON Schema building blocks for step and check arguments (one definition each).

``x-ref`` marks an argument that names something the scenario defined (a user or organisation in
``setup.emulator``, a company made by an earlier ``create_company`` step); ``x-defines`` marks the
argument that defines one. The loader checks both before anything runs.
"""
from __future__ import annotations

from typing import Any

DCS = ("us", "eu", "in", "au", "jp", "ca", "sa", "uk", "cn")
EDITIONS = ("us", "uk", "in", "au", "ca", "global", "gcc", "ke", "za")
PLANS = ("free", "standard", "professional", "premium", "elite", "ultimate")
MATCH_OPS = ("eq", "ne", "min", "max", "lt", "gt", "in", "not_in", "contains", "not_contains", "matches",
             "present", "len")

ALIAS_PATTERN = r"^[A-Za-z_][A-Za-z0-9_.-]*$"


def ref(kind: str, description: str = "") -> dict[str, Any]:
    """An argument naming a ``kind`` (user, org, company) the scenario defined."""
    return {"type": "string", "pattern": ALIAS_PATTERN, "x-ref": kind,
            "description": description or f"a {kind} alias defined by the scenario"}


def defines(kind: str) -> dict[str, Any]:
    return {"type": "string", "pattern": ALIAS_PATTERN, "x-defines": kind,
            "description": f"the alias later steps and checks use for this {kind}"}


def enum(values: tuple[str, ...] | list[str], description: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {"enum": list(values)}
    if description:
        out["description"] = description
    return out


def text(description: str = "", **extra: Any) -> dict[str, Any]:
    return {"type": "string", **({"description": description} if description else {}), **extra}


def integer(minimum: int = 0, description: str = "") -> dict[str, Any]:
    return {"type": "integer", "minimum": minimum, **({"description": description} if description else {})}


def number(minimum: float = 0, description: str = "") -> dict[str, Any]:
    return {"type": "number", "minimum": minimum, **({"description": description} if description else {})}


def boolean(description: str = "") -> dict[str, Any]:
    return {"type": "boolean", **({"description": description} if description else {})}


def strings(items: dict[str, Any] | None = None, description: str = "") -> dict[str, Any]:
    return {"type": "array", "items": items or {"type": "string"},
            **({"description": description} if description else {})}


MATCHER: dict[str, Any] = {
    "description": "a value to equal, or an object of operators: eq, ne, min, max, lt, gt, in, not_in, "
                   "contains, not_contains, matches (regex), present (bool), len (a matcher)",
    "anyOf": [
        {"type": ["string", "number", "boolean", "null", "array"]},
        {"type": "object", "minProperties": 1, "additionalProperties": False,
         "properties": {op: {} for op in MATCH_OPS}},
    ],
}
COUNT = {**MATCHER, "description": "a count: a number, or operators such as {min: 1, max: 3}"}

JOURNAL_FILTER: dict[str, Any] = {
    "type": "object", "additionalProperties": False,
    "description": "which journal entries (all given fields must match; path and host are globs)",
    "properties": {
        "method": text("HTTP method"), "path": text("path glob, e.g. /books/v3/invoices*"),
        "host": text("host glob, e.g. accounts.zoho.eu"), "dc": enum(DCS), "status": {"type": "integer"},
        "code": {"type": "integer", "description": "Zoho's body code (57, 44, 45, 1070, ...)"},
        "area": enum(("accounts", "books", "other")), "org": ref("org"),
        "grant_type": text("token-endpoint grant type (authorization_code, refresh_token)"),
        "error": text("token-endpoint error (invalid_code, ...)"),
        "fault": {"type": "boolean", "description": "true: only entries a fault rule hit"},
        "since": text("only entries after this mark (see the mark step)"),
        "has_param": text("entries whose query has this parameter"),
        "lacks_param": text("entries whose query lacks this parameter"),
        "auth": enum(("zoho", "bearer"), "the Authorization scheme used: Zoho-oauthtoken or Bearer"),
        "raw_path": text("the path as sent, before the emulator normalised it (glob)"),
    },
}

# A fault rule: what ``setup.emulator.faults`` lists and what the ``inject_fault`` step takes.
FAULT_RULE: dict[str, Any] = {
    "type": "object", "required": ["action"], "additionalProperties": False,
    "description": "an emulator fault rule (see the emulator README, Faults); org names an organisation alias",
    "properties": {
        "action": {"anyOf": [enum(("latency", "respond", "reset", "truncate", "malformed", "internal_error",
                                   "rate_limit", "daily_limit", "concurrency_limit", "unauthorized",
                                   "oauth_throttle")),
                             {"type": "object", "required": ["type"]}]},
        "method": {"type": ["string", "array"]}, "path": text("path glob"), "dc": enum(DCS),
        "area": enum(("accounts", "books", "other")), "org": ref("org"), "client_id": text(),
        "probability": {"type": "number", "minimum": 0, "maximum": 1}, "count": integer(1),
        "after": integer(0), "name": text("the name later steps use to clear it"),
    },
}
