"""Shapes of JSON answers, and the rule that compares an answer with a recorded snapshot.

A shape keeps keys and JSON types, never values: ``"string"``, ``"number"`` (integers too),
``"boolean"``, ``"null"``; an object is ``{key: shape}`` (a key ending in ``?`` was absent from some
of the merged items); an array is ``[item shape]`` with its items merged, ``[]`` when empty. Two
scalar types seen at one place are kept as ``"number|string"``; ``"any"`` when structures clash.

Mismatch rule (``compare``): every key the snapshot documents (not marked ``?``) must be in the
answer, and where both sides have a type they must share one. ``null``, ``any`` and empty arrays
carry no type. Keys the answer has beyond the snapshot are allowed (Zoho adds fields over time, and
documented examples are not exhaustive); ``extra_keys`` lists them for a report.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

Shape = Any
SNAPSHOTS_ENV = "ZOHO_CONTRACT_SNAPSHOTS"  # another snapshot directory (to read and to record into)
SNAPSHOT_DIR = Path(os.environ.get(SNAPSHOTS_ENV) or Path(__file__).parent / "snapshots")
UNTYPED = {"null", "any"}


def shape_of(value: Any) -> Shape:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if value is None:
        return "null"
    if isinstance(value, list):
        items = [shape_of(v) for v in value]
        if not items:
            return []
        merged = items[0]
        for other in items[1:]:
            merged = merge(merged, other)
        return [merged]
    if isinstance(value, dict):
        return {str(k): shape_of(v) for k, v in value.items()}
    raise TypeError(f"not JSON: {type(value).__name__}")


def _types(shape: Shape) -> set[str]:
    return set(shape.split("|")) if isinstance(shape, str) else {"object" if isinstance(shape, dict) else "array"}


def _key(name: str) -> str:
    return name[:-1] if name.endswith("?") else name


def merge(a: Shape, b: Shape) -> Shape:
    """One shape for two values seen at the same place (list items)."""
    if a == b:
        return a
    if isinstance(a, str) and isinstance(b, str):
        types = (_types(a) | _types(b)) - {"null"} or {"null"}
        return "any" if "any" in types else "|".join(sorted(types))
    if a == "null":
        return b
    if b == "null":
        return a
    if isinstance(a, dict) and isinstance(b, dict):
        keys_a, keys_b = {_key(k): k for k in a}, {_key(k): k for k in b}
        out = {}
        for name in list(keys_a) + [k for k in keys_b if k not in keys_a]:
            if name in keys_a and name in keys_b:
                optional = keys_a[name].endswith("?") or keys_b[name].endswith("?")
                out[name + ("?" if optional else "")] = merge(a[keys_a[name]], b[keys_b[name]])
            else:
                out[name + "?"] = a[keys_a[name]] if name in keys_a else b[keys_b[name]]
        return out
    if isinstance(a, list) and isinstance(b, list):
        if not a or not b:
            return a or b
        return [merge(a[0], b[0])]
    return "any"


def compare(snapshot: Shape, answer: Shape, path: str = "") -> list[str]:
    """Mismatches of ``answer`` against ``snapshot``, each naming its field path (``invoices[].total``)."""
    where = path or "(root)"
    if _untyped(snapshot) or _untyped(answer):
        return []
    if isinstance(snapshot, dict):
        if not isinstance(answer, dict):
            return [f"{where}: documented as object, answered {_describe(answer)}"]
        problems = []
        for name, sub in snapshot.items():
            key = _key(name)
            child = f"{path}.{key}" if path else key
            if key not in answer:
                if not name.endswith("?"):
                    problems.append(f"{child}: documented field missing from the answer")
                continue
            problems += compare(sub, answer[key], child)
        return problems
    if isinstance(snapshot, list):
        if not isinstance(answer, list):
            return [f"{where}: documented as array, answered {_describe(answer)}"]
        if not snapshot or not answer:
            return []
        return compare(snapshot[0], answer[0], f"{path}[]")
    if isinstance(answer, (dict, list)):
        return [f"{where}: documented as {snapshot}, answered {_describe(answer)}"]
    if not (_types(snapshot) & _types(answer)):
        return [f"{where}: documented as {snapshot}, answered {answer}"]
    return []


def extra_keys(snapshot: Shape, answer: Shape, path: str = "") -> list[str]:
    """Field paths the answer has and the snapshot does not document (allowed; for reports)."""
    out: list[str] = []
    if isinstance(snapshot, dict) and isinstance(answer, dict):
        documented = {_key(k): v for k, v in snapshot.items()}
        for key, sub in answer.items():
            child = f"{path}.{key}" if path else key
            if key not in documented:
                out.append(child)
            else:
                out += extra_keys(documented[key], sub, child)
    elif isinstance(snapshot, list) and isinstance(answer, list) and snapshot and answer:
        out += extra_keys(snapshot[0], answer[0], f"{path}[]")
    return out


def _untyped(shape: Shape) -> bool:
    return isinstance(shape, str) and shape in UNTYPED


def _describe(shape: Shape) -> str:
    return "object" if isinstance(shape, dict) else "array" if isinstance(shape, list) else str(shape)


# ---- snapshot files -----------------------------------------------------------------------------------
def load_snapshot(name: str, directory: Path = SNAPSHOT_DIR) -> dict[str, Any]:
    return json.loads((directory / f"{name}.json").read_text())


def snapshot_names(directory: Path = SNAPSHOT_DIR) -> list[str]:
    return sorted(p.stem for p in directory.glob("*.json"))


def write_snapshot(doc: dict[str, Any], directory: Path = SNAPSHOT_DIR) -> Path:
    """Write one snapshot (keys sorted, so a re-recording diffs cleanly)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{doc['name']}.json"
    path.write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n")
    return path
