"""A written record's custom field rows as Zoho answers them: each row carries its field's id, index,
label, API name and data type beside the value (contacts.yml documents index, value and label;
customer-payments.yml data_type too; estimates.yml show_on_pdf), whatever the request named it by.

A request names a field by ``customfield_id`` (``custom_field_id`` as bills.yml spells it), else
``api_name``, else ``label``, else ``index``; the field is the one the resource's records already carry
under that name (a seeded External ID, one written before), else a new single-line text field of the
org (next index, label as given or from the API name). A text field's value is text, as Zoho answers it
(customer-payments.yml: a value is a string; a number written to it reads back "129890"); a number or
decimal field keeps a number, a check box a flag. A row that is not an object, names no field or holds
a list or object is code 2 naming ``custom_fields``.
"""
from __future__ import annotations

import re
from typing import Any, Iterable, Mapping

from ..http import invalid_value

ROW_KEYS = ("customfield_id", "index", "label", "api_name", "data_type", "value", "value_formatted", "show_on_pdf")
TEXT_TYPE = "string"  # a single-line text box (custom-modules.yml: data_type "string", "Text Box (Single Line)")
NUMBER_TYPES = frozenset({"number", "decimal", "amount", "percent"})
FLAG_TYPE = "check_box"
NAMES = ("customfield_id", "api_name", "label", "index")
_SCALARS = (str, int, float, bool, type(None))
_WORD = re.compile(r"[^a-z0-9]+")


def formatted(value: Any) -> str:
    """A value as text (value_formatted; a text field's value)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _typed(value: Any, data_type: str) -> Any:
    """The value as a field of ``data_type`` holds it."""
    if data_type in NUMBER_TYPES and isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if data_type == FLAG_TYPE and isinstance(value, bool):
        return value
    return formatted(value)


def _key(row: Mapping[str, Any], name: str) -> str:
    value = row.get("custom_field_id", "") if name == "customfield_id" and not row.get(name) else row.get(name, "")
    return "" if value is None or isinstance(value, bool) else str(value).strip()


def known_fields(records: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The custom fields the resource's records carry (one per id, else per API name or label)."""
    seen: dict[str, dict[str, Any]] = {}
    for rec in records:
        for row in rec.get("custom_fields") or []:
            if not isinstance(row, dict):
                continue
            ident = next((f"{n}:{_key(row, n)}" for n in NAMES[:3] if _key(row, n)), "")
            if ident and ident not in seen:
                seen[ident] = {k: row.get(k) for k in ROW_KEYS if k not in ("value", "value_formatted")}
    return list(seen.values())


def _match(row: Mapping[str, Any], fields: list[dict[str, Any]]) -> dict[str, Any] | None:
    for name in NAMES:
        wanted = _key(row, name)
        if wanted:
            return next((f for f in fields if str(f.get(name) or "") == wanted), None)
    return None


def _label(row: Mapping[str, Any], index: int) -> str:
    label = _key(row, "label")
    if label:
        return label
    api = _key(row, "api_name").removeprefix("cf_")
    return api.replace("_", " ").strip().title() if api else f"Custom Field {index}"


def custom_field_rows(rows: list, fields: list[dict[str, Any]], new_id) -> list[dict[str, Any]]:
    """``rows`` as written, each completed from the field it names (``fields``: the resource's known
    ones, extended in place with the new fields made here); ``new_id()`` numbers a new field."""
    out = []
    for row in rows:
        if not isinstance(row, dict) or not isinstance(row.get("value"), _SCALARS):
            raise invalid_value("custom_fields")
        if not any(_key(row, n) for n in NAMES):
            raise invalid_value("custom_fields")
        field = _match(row, fields)
        if field is None:
            taken = [int(f["index"]) for f in fields if isinstance(f.get("index"), int)]
            given = row.get("index")
            index = given if isinstance(given, int) and not isinstance(given, bool) and given > 0 \
                and given not in taken else max(taken, default=0) + 1
            label = _label(row, index)
            field = {"customfield_id": _key(row, "customfield_id") or new_id(), "index": index, "label": label,
                     "api_name": _key(row, "api_name") or "cf_" + _WORD.sub("_", label.lower()).strip("_"),
                     "data_type": TEXT_TYPE, "show_on_pdf": False}
            fields.append(field)
        value = _typed(row.get("value"), str(field.get("data_type") or TEXT_TYPE))
        out.append({**{k: field.get(k) for k in ROW_KEYS}, "show_on_pdf": bool(field.get("show_on_pdf")),
                    "value": value, "value_formatted": formatted(value)})
    return out
