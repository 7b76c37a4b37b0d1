"""The snapshot rule itself: shapes keep keys and types only; a documented field missing or of
another type fails, naming its path; and a snapshot changed by hand fails the emulator comparison."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from .shapes import compare, extra_keys, load_snapshot, merge, shape_of, snapshot_names, write_snapshot
from .snapshot_check import GAPS_FILE, known_gaps, snapshot_problems


def test_a_shape_keeps_keys_and_types_never_values():
    shape = shape_of({"code": 0, "token": "1000.secret", "ok": True, "items": [{"a": 1}, {"a": 2.5, "b": None}],
                      "none": None, "empty": []})
    assert shape == {"code": "number", "token": "string", "ok": "boolean", "items": [{"a": "number", "b?": "null"}],
                     "none": "null", "empty": []}
    assert "secret" not in json.dumps(shape)


def test_merging_marks_keys_some_items_lack_and_keeps_both_scalar_types():
    assert merge({"a": "string"}, {"a": "number", "b": "boolean"}) == {"a": "number|string", "b?": "boolean"}
    assert merge("null", {"x": "string"}) == {"x": "string"}
    assert merge(["string"], []) == ["string"]


def test_missing_fields_and_type_conflicts_are_named_by_path():
    snapshot = {"invoices": [{"total": "number", "invoice_id": "string", "note?": "string"}], "code": "number"}
    answer = shape_of({"invoices": [{"total": "12.50", "extra": 1}], "code": 0})
    assert compare(snapshot, answer) == [
        "invoices[].total: documented as number, answered string",
        "invoices[].invoice_id: documented field missing from the answer",
    ]
    assert extra_keys(snapshot, answer) == ["invoices[].extra"]


def test_untyped_places_and_extra_fields_are_allowed():
    assert compare({"a": "null", "b": [], "c": "any"}, shape_of({"a": 1, "b": [{"x": 1}], "c": {}, "d": 2})) == []
    assert compare({"a": "number|string"}, {"a": "string"}) == []
    assert compare({"a": {"b": "string"}}, {"a": ["string"]}) == ["a: documented as object, answered array"]


def test_every_snapshot_says_where_it_comes_from_and_holds_no_values():
    names = snapshot_names()
    assert len(names) >= 20
    for name in names:
        doc = load_snapshot(name)
        assert doc["name"] == name and doc["source"] and doc["request"] and isinstance(doc["shape"], dict), name

        def leaves(node):
            if isinstance(node, dict):
                for v in node.values():
                    yield from leaves(v)
            elif isinstance(node, list):
                for v in node:
                    yield from leaves(v)
            else:
                yield node

        kinds = {"string", "number", "boolean", "null", "any"}
        assert all(set(leaf.split("|")) <= kinds for leaf in leaves(doc["shape"])), name


def test_every_known_gap_names_a_snapshot_and_a_reason():
    gaps = known_gaps()
    assert set(gaps) <= set(snapshot_names())
    assert all(reason.strip() for per in gaps.values() for reason in per.values())
    assert json.loads(GAPS_FILE.read_text())["_about"]


@pytest.mark.parametrize("edit,field", [
    (lambda shape: shape["invoices"][0].update(total="string"), "invoices[].total"),
    (lambda shape: shape["invoices"][0].update(handmade_field="string"), "invoices[].handmade_field"),
    (lambda shape: shape.update(code="string"), "code"),
], ids=["type-changed", "field-added", "envelope-type-changed"])
def test_a_snapshot_changed_by_hand_fails_the_comparison_naming_the_field(contract_emulator, tmp_path, edit, field):
    doc = load_snapshot("invoices_list")
    assert snapshot_problems(contract_emulator, doc, known_gaps().get("invoices_list")) == []
    edit(doc["shape"])
    changed = load_snapshot("invoices_list", write_snapshot(doc, tmp_path).parent)
    problems = snapshot_problems(contract_emulator, changed, known_gaps().get("invoices_list"))
    assert problems and all(p.startswith(f"{field}:") for p in problems), problems


def test_a_gap_the_emulator_has_closed_must_leave_the_list(contract_emulator):
    doc = load_snapshot("invoices_list")
    gaps = {**known_gaps().get("invoices_list", {}), "invoices[].total": "pretend it is missing"}
    problems = snapshot_problems(contract_emulator, doc, gaps)
    assert problems == ["invoices[].total: listed in emulator_gaps.json but now served as documented: remove it"]


OAS_DIR = Path(__file__).resolve().parents[3] / "shared" / "zoho-oas"  # ../shared/zoho-oas beside the project


def test_shipped_snapshots_are_what_the_tool_derives_from_zohos_openapi_files():
    if not OAS_DIR.is_dir():
        pytest.skip(f"Zoho's OpenAPI files are not at {OAS_DIR}: the shipped snapshots stand alone")
    from .snapshot_tool import HANDWRITTEN, TARGETS, snapshot_from_oas

    checked = 0
    for target in TARGETS:
        shipped = load_snapshot(target.name)
        if not shipped["source"].startswith("Zoho Books OpenAPI"):
            continue  # recorded from the live Zoho since
        assert snapshot_from_oas(target, OAS_DIR) == shipped, target.name
        checked += 1
    assert checked or not TARGETS
    assert all(load_snapshot(doc["name"])["shape"] == doc["shape"] for doc in HANDWRITTEN
               if load_snapshot(doc["name"])["source"] == doc["source"])
