"""One error shape for every JSON endpoint: ``{"error": "...", "field": "..."}`` with a 4xx.

Request bodies are checked against JSON Schemas (jsonschema), and the first fault is turned into a
message that names the field, so every endpoint refuses bad input the same way.
"""
from __future__ import annotations

from typing import Any, Mapping

import jsonschema
from flask import Request


class ApiError(Exception):
    """An answer to bad input: HTTP ``status`` (4xx), a message and the field at fault."""

    def __init__(self, status: int, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.field = status, message, field

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {"error": self.message}
        if self.field is not None:
            out["field"] = self.field
        return out


def not_found(what: str, field: str) -> ApiError:
    return ApiError(404, f"{what} not found", field)


def json_body(request: Request, schema: Mapping[str, Any]) -> dict[str, Any]:
    """The request's JSON object, valid against ``schema``, or an ApiError naming the field."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        body: Any = {}
    else:
        try:
            body = request.get_json(force=True, silent=False)
        except Exception:  # werkzeug raises BadRequest subclasses for undecodable bodies
            raise ApiError(400, "the body is not valid JSON", "body") from None
    if not isinstance(body, dict):
        raise ApiError(400, "the body must be a JSON object", "body")
    validate(body, schema)
    return body


def validate(body: Any, schema: Mapping[str, Any]) -> None:
    validator = jsonschema.Draft202012Validator(schema)
    error = next(iter(sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))), None)
    if error is None:
        return
    field = ".".join(str(p) for p in error.absolute_path) or None
    if error.validator == "required":
        missing = next(p for p in error.validator_value if p not in error.instance)
        field = ".".join(filter(None, [field, missing]))
        raise ApiError(400, "is required", field)
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        field = ".".join(filter(None, [field, str(extra[0]) if extra else None]))
        raise ApiError(400, "is not a known field", field)
    message = error.schema.get("description") if error.validator in ("pattern", "format") else None
    raise ApiError(400, message or _plain(error), field or "body")


def _plain(error: jsonschema.ValidationError) -> str:
    """jsonschema's message without echoing the (possibly secret, possibly huge) offending value."""
    kind = error.validator
    value = error.validator_value
    if kind == "type":
        return f"must be of type {value if isinstance(value, str) else ' or '.join(value)}"
    if kind == "enum":
        return f"must be one of {', '.join(map(str, value))}"
    if kind == "maxLength":
        return f"must be at most {value} characters"
    if kind == "minLength":
        return f"must be at least {value} characters" if value > 1 else "must not be empty"
    if kind in ("maxItems", "minItems"):
        return f"must have {'at most' if kind == 'maxItems' else 'at least'} {value} items"
    if kind == "uniqueItems":
        return "must not repeat an item"
    if kind in ("minimum", "maximum"):
        return f"must be {'at least' if kind == 'minimum' else 'at most'} {value}"
    return f"is not valid ({kind})"
