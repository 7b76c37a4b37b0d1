"""Small helpers every admin route uses: the current emulator, the JSON body, typed fields."""
from __future__ import annotations

from typing import Any

import orjson
from flask import Response, request

from ..context import emulator
from ..errors import Conflict, InvalidInput, UnknownRecord
from ..http import json_response

__all__ = ["emulator", "json_body", "field", "admin_error_response"]


def admin_error_response(exc: InvalidInput) -> Response:
    """The admin API's edge: ``{"error", "field"}`` with 404 for an unknown record, 409 for a
    conflict, else 400."""
    status = 404 if isinstance(exc, UnknownRecord) else 409 if isinstance(exc, Conflict) else 400
    return json_response(exc.body(), status)


def json_body(required: bool = False) -> dict[str, Any]:
    raw = request.get_data(cache=True)
    if not raw.strip():
        if required:
            raise InvalidInput("a JSON object body is required")
        return {}
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise InvalidInput(f"body is not valid JSON ({exc.msg} at position {exc.pos})") from None
    if not isinstance(data, dict):
        raise InvalidInput("body must be a JSON object")
    return data


def field(data: dict[str, Any], name: str, kind: type | tuple[type, ...], default: Any = ..., *, required: bool = False) -> Any:
    """Read ``data[name]`` checking its type; the error names the field and what was wrong."""
    if name not in data or data[name] is None:
        if required or default is ...:
            raise InvalidInput(f"{name} is required", field=name)
        return default
    value = data[name]
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if bool in kinds and not isinstance(value, bool):
        raise InvalidInput(f"{name} must be true or false", field=name)
    if bool not in kinds and isinstance(value, bool):
        raise InvalidInput(f"{name} must be {' or '.join(k.__name__ for k in kinds)}", field=name)
    if not isinstance(value, kinds):
        if float in kinds and isinstance(value, int):
            return float(value)
        raise InvalidInput(f"{name} must be {' or '.join(k.__name__ for k in kinds)}, got {type(value).__name__}", field=name)
    return value
