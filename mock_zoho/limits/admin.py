"""Admin routes of the limiter (under /__admin/limits): counters, per-org overrides, resets."""
from __future__ import annotations

from typing import Any

from ..admin.helpers import emulator, json_body
from ..errors import InvalidInput, UnknownRecord
from ..http import json_response
from .models import OVERRIDE_FIELDS

PATCH_FIELDS = (*OVERRIDE_FIELDS, "daily_used")


def _int_field(data: dict[str, Any], name: str, nullable: bool) -> int | None:
    value = data[name]
    if value is None:
        if not nullable:
            raise InvalidInput(f"{name} must be a non-negative integer", field=name)
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInput(f"{name} must be a non-negative integer{' or null' if nullable else ''}, got {value!r}", field=name)
    return value


def _org_id(org_id: str) -> str:
    if not org_id.isdigit():
        raise UnknownRecord("organization_id must be a numeric string", field="organization_id")
    return org_id


def list_limits():
    backend = emulator().limits
    return json_response(_every_org(backend))


def _every_org(backend) -> dict[str, Any]:
    rows = [backend.status(o) for o in backend.known_org_ids()]
    return {"limits": rows, "count": len(rows)}


def _known(org_id: str) -> str:
    org_id = _org_id(org_id)
    if org_id not in emulator().limits.known_org_ids():
        raise UnknownRecord(f"no organization {org_id} (unknown to Books and never limited)", field="organization_id")
    return org_id


def get_limits(org_id: str):
    return json_response({"limit": emulator().limits.status(_known(org_id))})


def patch_limits(org_id: str):
    """Body: any of per_minute, daily, concurrency (int, or null to drop the override) and daily_used."""
    org_id = _org_id(org_id)
    data = json_body(required=True)
    unknown = sorted(set(data) - set(PATCH_FIELDS))
    if unknown:
        raise InvalidInput(f"unknown field {unknown[0]!r}; known: {', '.join(PATCH_FIELDS)}", field=unknown[0])
    if not data:
        raise InvalidInput(f"give at least one of {', '.join(PATCH_FIELDS)}")
    changes = {k: _int_field(data, k, nullable=True) for k in OVERRIDE_FIELDS if k in data}
    used = _int_field(data, "daily_used", nullable=False) if "daily_used" in data else None
    backend = emulator().limits
    if changes:
        backend.set_overrides(org_id, changes)
    if used is not None:
        backend.set_daily_used(org_id, used)
    return json_response({"limit": backend.status(org_id)})


def reset_org(org_id: str):
    """Zero the org's counters; ``{"overrides": true}`` drops its overrides too."""
    org_id = _known(org_id)
    data = json_body()
    overrides = data.get("overrides", False)
    if not isinstance(overrides, bool):
        raise InvalidInput("overrides must be true or false", field="overrides")
    backend = emulator().limits
    backend.reset_org(org_id, overrides=overrides)
    return json_response({"limit": backend.status(org_id)})


def reset_all():
    data = json_body()
    overrides = data.get("overrides", False)
    if not isinstance(overrides, bool):
        raise InvalidInput("overrides must be true or false", field="overrides")
    backend = emulator().limits
    backend.reset_all(overrides=overrides)
    return json_response(_every_org(backend))


def register(bp) -> None:
    bp.add_url_rule("/limits", "limits_list", list_limits, methods=["GET"])
    bp.add_url_rule("/limits/reset", "limits_reset_all", reset_all, methods=["POST"])
    bp.add_url_rule("/limits/<org_id>", "limits_get", get_limits, methods=["GET"])
    bp.add_url_rule("/limits/<org_id>", "limits_patch", patch_limits, methods=["PATCH"])
    bp.add_url_rule("/limits/<org_id>/reset", "limits_reset_org", reset_org, methods=["POST"])
