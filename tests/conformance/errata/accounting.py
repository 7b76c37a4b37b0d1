"""Errata of Zoho's documents on accounting and the other modules (bank accounts, transactions and rules,
journals, chart of accounts, fixed assets, projects, tasks, time entries, taxes, users, organisations,
opening balances, base-currency adjustments, custom modules, locations).

Each says what the document says, what the live API does, and the evidence (the document's own
examples, another Zoho document, Zoho's HTML pages, a live client's schema)."""
from __future__ import annotations

import re
from typing import Any

from ..oas import Operation
from .base import Erratum, props_of, walk_fields, wrap_record

_HOURS = re.compile(r"^\d{1,4}:\d{2}$")
TASK_HOURS = ("billed_hours", "log_time", "un_billed_hours")


def _task_hours_text(op: Operation) -> bool:
    """tasks.yml types a task's hours as numbers whose examples are "HH:MM" text."""
    if op.module != "tasks":
        return False

    def fix(node: dict[str, Any], name: str) -> bool:
        if name.rstrip("[]") not in TASK_HOURS or node.get("type") not in ("number", "integer"):
            return False
        if not _HOURS.match(str(node.get("example", ""))):
            return False
        node["type"] = "string"
        return True
    return walk_fields(op.response_schema, fix)


def _fixed_asset_key(op: Operation) -> bool:
    """GET /fixedassets/{id} wraps the asset in "fissed-asset"."""
    props = props_of(op.response_schema)
    if (op.method, op.path) != ("GET", "/fixedassets/{fixed_asset_id}") or "fissed-asset" not in props:
        return False
    props["fixed_asset"] = props.pop("fissed-asset")
    return True


def _retype(module: str, paths: tuple[str, ...], field: str, documented: str, real: str):
    """``field`` of the answers of ``module``'s operations at ``paths`` is ``real``, not ``documented``."""
    def patch(op: Operation) -> bool:
        if op.module != module or op.path not in paths:
            return False

        def fix(node: dict[str, Any], name: str) -> bool:
            if name != field or node.get("type") != documented:
                return False
            node["type"] = real
            return True
        return walk_fields(op.response_schema, fix)
    return patch


ERRATA: tuple[Erratum, ...] = (
    Erratum("task_hours_text", "tasks.yml types a task's billed_hours, log_time and un_billed_hours as numbers while "
            "its own examples are \"12:06\", \"13:06\", \"01:00\"; projects.yml types the same hours as strings "
            "(\"12:27\"): hours are \"HH:MM\" text", _task_hours_text),
    Erratum("bank_rule_detail_wrapper", "bank-rules.yml's GET /bankaccounts/rules/{rule_id} answer sets the rule's "
            "fields beside code and message; its create and update answers wrap the same rule in \"rule\", and Zoho's "
            "Python wrapper (books-python-wrappers BankRulesApi.get) reads the GET through the parser of the create "
            "and update answers, resp['rule']", wrap_record("GET", "/bankaccounts/rules/{rule_id}", "rule")),
    Erratum("fixed_asset_detail_key", "fixed-assets.yml's GET /fixedassets/{fixed_asset_id} answer wraps the asset "
            "in \"fissed-asset\" (a typo): its create and update answers, of the same fixed_asset schema, say "
            "fixed_asset", _fixed_asset_key),
    Erratum("fixed_asset_salvage_number", "fixed-assets.yml types an asset's salvage_value as a string, yet with "
            "format double and the numeric example 100, beside asset_cost (number, 1000) that it is subtracted from: "
            "an amount, a number",
            _retype("fixed-assets", ("/fixedassets", "/fixedassets/{fixed_asset_id}"), "salvage_value",
                    "string", "number")),
    Erratum("organization_logo_flag", "organizations.yml types the created organisation's is_logo_uploaded as a "
            "string (example \" \") while describing it as \"Boolean to check if logo of the organisation is "
            "available\", and its update request takes is_logo_uploaded as a boolean (example true): a flag",
            _retype("organizations", ("/organizations",), "is_logo_uploaded", "string", "boolean")),
)
