"""Admin routes of fault injection (under /__admin/faults): list, add, delete one, delete all, release a hold."""
from __future__ import annotations

from ..admin.helpers import emulator, json_body
from ..errors import InvalidInput, UnknownRecord
from ..http import json_response


def list_faults():
    backend = emulator().faults
    rules = [backend.describe(r) for r in backend.rules()]
    return json_response({"faults": rules, "count": len(rules)})


def add_fault():
    """Body: one rule (see ``mock_zoho.faults.models``); answers 201 with the rule and its id."""
    rule = emulator().faults.add(json_body(required=True))
    return json_response({"fault": emulator().faults.describe(rule)}, 201)


def get_fault(rule_id: str):
    backend = emulator().faults
    rule = backend.get(rule_id)
    if rule is None:
        raise UnknownRecord(f"no fault rule {rule_id!r}", field="id")
    return json_response({"fault": backend.describe(rule)})


def delete_fault(rule_id: str):
    if not emulator().faults.delete(rule_id):
        raise UnknownRecord(f"no fault rule {rule_id!r}", field="id")
    return json_response({"deleted": 1, "id": rule_id})


def release_fault(rule_id: str):
    """Let go the calls a ``hold`` rule keeps (and later ones: the rule stays released)."""
    backend = emulator().faults
    rule = backend.get(rule_id)
    if rule is None:
        raise UnknownRecord(f"no fault rule {rule_id!r}", field="id")
    if rule["action"]["type"] != "hold":
        raise InvalidInput(f"fault rule {rule_id!r} is a {rule['action']['type']!r} rule; only hold rules are released",
                           field="id")
    return json_response({"id": rule_id, "held": backend.release(rule_id)})


def clear_faults():
    return json_response({"deleted": emulator().faults.clear()})


def register(bp) -> None:
    bp.add_url_rule("/faults", "faults_list", list_faults, methods=["GET"])
    bp.add_url_rule("/faults", "faults_add", add_fault, methods=["POST"])
    bp.add_url_rule("/faults", "faults_clear", clear_faults, methods=["DELETE"])
    bp.add_url_rule("/faults/<rule_id>", "faults_get", get_fault, methods=["GET"])
    bp.add_url_rule("/faults/<rule_id>", "faults_delete", delete_fault, methods=["DELETE"])
    bp.add_url_rule("/faults/<rule_id>/release", "faults_release", release_fault, methods=["POST"])
