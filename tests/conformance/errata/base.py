"""What an erratum is, and the patch builders the area tables share (a wrapper renamed, a container
fixed, every field of a schema walked, a bad example replaced)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from ..oas import Operation

Schema = dict[str, Any]
ENVELOPE = ("code", "message", "page_context")


@dataclass(frozen=True)
class Erratum:
    name: str
    says: str  # what the documents say, and what the live API does
    patch: Callable[[Operation], bool]  # True when it changed the operation


def props_of(schema: Schema | None) -> dict[str, Any]:
    return (schema or {}).get("properties") or {}


def rename_key(documented: str, real: str) -> Callable[[Operation], bool]:
    def patch(op: Operation) -> bool:
        props = props_of(op.response_schema)
        if documented not in props or op.method != "GET":
            return False
        props[real] = props.pop(documented)
        return True
    return patch


def container(path: str, method: str, kind: str) -> Callable[[Operation], bool]:
    """The record wrapper of ``method path`` is ``kind`` ("array" for a list, "object" for one record)."""
    def patch(op: Operation) -> bool:
        if (op.method, op.path) != (method, path):
            return False
        changed = False
        for key, sub in props_of(op.response_schema).items():
            if key in ENVELOPE or not isinstance(sub, dict):
                continue
            if kind == "array" and sub.get("type") == "object":
                op.response_schema["properties"][key] = {"type": "array", "items": sub}
                changed = True
            elif kind == "object" and sub.get("type") == "array":
                op.response_schema["properties"][key] = sub.get("items") or {"type": "object"}
                changed = True
        return changed
    return patch


def walk_fields(node: Any, fix: Callable[[dict[str, Any], str], bool], name: str = "") -> bool:
    """Apply ``fix(schema, field name)`` to every field of a response schema, nested ones too."""
    changed = False
    if isinstance(node, dict):
        changed |= fix(node, name)
        for key, sub in (node.get("properties") or {}).items():
            changed |= walk_fields(sub, fix, key)
        if isinstance(node.get("items"), dict):
            changed |= walk_fields(node["items"], fix, f"{name}[]")
        for combo in ("allOf", "oneOf", "anyOf"):
            for sub in node.get(combo) or []:
                changed |= walk_fields(sub, fix, name)
    return changed


def fix_examples(node: Any, name: str, bad: Any, good: Any) -> bool:
    changed = False
    if isinstance(node, dict):
        for key, sub in (node.get("properties") or {}).items():
            if key == name and isinstance(sub, dict) and sub.get("example") == bad:
                sub["example"] = good
                changed = True
            changed |= fix_examples(sub, name, bad, good)
        if isinstance(node.get("items"), dict):
            changed |= fix_examples(node["items"], name, bad, good)
    return changed


def wrap_record(method: str, path: str, key: str) -> Callable[[Operation], bool]:
    """The record's fields, documented beside code and message, sit under ``key``."""
    def patch(op: Operation) -> bool:
        if (op.method, op.path) != (method, path):
            return False
        props = props_of(op.response_schema)
        if key in props:
            return False
        record = {k: v for k, v in props.items() if k not in ENVELOPE}
        op.response_schema["properties"] = {**{k: v for k, v in props.items() if k in ENVELOPE},
                                            key: {"type": "object", "properties": record}}
        return True
    return patch
