"""Custom fields: ``PUT /<singular>/{id}/customfields`` with ``[{"customfield_id", "value"}, ...]``.

Each row names its field by ``customfield_id`` (or ``custom_field_id``, as the bills document spells
it), else ``api_name``, else ``label`` (as Zoho's writes accept), and updates the record's custom
field so named or adds it (with ``label`` and ``index`` when given); a row naming none is code 2
naming ``customfield_id``. The body may also be ``{"custom_fields": [...]}``. The record's
last_modified_time moves.
"""
from __future__ import annotations

from typing import Any

from flask import Response

from ...errors import invalid_value
from ..custom_field_rows import formatted
from ..rules import coerce
from .base import Call, add_history, message, save, writable_record
from .options import CustomFields


SCALARS = (str, int, float, bool, type(None))


def _rows(call: Call) -> list[dict[str, Any]]:
    body = call.body(allow_list=True)
    rows = body.get("custom_fields") if isinstance(body, dict) else body
    if not isinstance(rows, list) or not rows:
        raise invalid_value("custom_fields")
    out = []
    for row in rows:
        if not isinstance(row, dict):
            raise invalid_value("custom_fields")
        cf_id = coerce("customfield_id", "id", row.get("customfield_id", row.get("custom_field_id"))) or ""
        api_name = coerce("api_name", "str", row.get("api_name")) or ""
        label = coerce("label", "str", row.get("label")) or ""
        if not (cf_id or api_name or label):
            raise invalid_value("customfield_id")
        if not isinstance(row.get("value"), SCALARS):
            raise invalid_value("value")
        index = coerce("index", "int", row.get("index")) if row.get("index") is not None else None
        out.append({"customfield_id": cf_id, "api_name": api_name, "value": row.get("value"), "label": label,
                    "index": index})
    return out


def _names(field: dict[str, Any], row: dict[str, Any]) -> bool:
    """Whether ``row`` names the stored ``field``: by id, else by API name, else by label."""
    for key in ("customfield_id", "api_name", "label"):
        if row[key]:
            return str(field.get(key) or "") == row[key]
    return False


def h_update(call: Call, facet: CustomFields) -> Response:
    rows = _rows(call)
    with call.writing():
        rec = writable_record(call)
        fields = [dict(f) for f in rec.get("custom_fields") or [] if isinstance(f, dict)]
        for row in rows:
            mine = next((f for f in fields if _names(f, row)), None)
            if mine is None:
                mine = {"customfield_id": row["customfield_id"], "index": row["index"] or len(fields) + 1,
                        "label": row["label"], "api_name": row["api_name"], "data_type": "string", "value": None}
                fields.append(mine)
            mine["value"] = row["value"]
            mine["value_formatted"] = formatted(row["value"])  # every row's keys (custom_field_rows.ROW_KEYS)
            mine.setdefault("show_on_pdf", False)
            if row["label"]:
                mine["label"] = row["label"]
        rec["custom_fields"] = fields
        add_history(call, rec, "Custom fields updated")
        save(call, rec)
    return message(call, facet.message)
