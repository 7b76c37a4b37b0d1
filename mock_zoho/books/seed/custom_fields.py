"""A unique custom field on seeded records: what ``PUT /<collection>`` with ``X-Unique-Identifier-Key``
finds a record by (views.h_upsert), as an integration that stamps its own ids on what it syncs.

Every ``EVERY``-th new record of each resource that documents the upsert (and stores custom fields)
carries ``cf_external_id`` = ``EXT-<record id>`` (unique in the org); no random draw, so the other
seeded data stay exactly as they were.
"""
from __future__ import annotations

from typing import Any

from ..resources import SPECS, UPSERT_RESOURCES
from .base import Seeder

API_NAME = "cf_external_id"
LABEL = "External ID"
EVERY = 3  # one record in three: some synced from elsewhere, most made in Books
FIELD_ID_BASE = 460000000012845  # one custom field id per resource: this plus the resource's position


def external_id_row(position: int, record_id: str) -> dict[str, Any]:
    """The custom field row as a record shows it (the keys the customfields facet writes)."""
    value = f"EXT-{record_id}"
    return {"customfield_id": str(FIELD_ID_BASE + position), "index": 1, "label": LABEL, "api_name": API_NAME,
            "data_type": "string", "value": value, "value_formatted": value, "show_on_pdf": False}


def finish_custom_fields(sd: Seeder) -> None:
    """Stamp the external id on the new records (after every generator: no id or draw moves)."""
    for position, name in enumerate(UPSERT_RESOURCES):
        spec = SPECS[name]
        if "custom_fields" not in spec.stored_fields:
            continue
        for i, (rid, rec) in enumerate(sd.out[name].items()):
            if i % EVERY == 0:
                rec["custom_fields"] = list(rec.get("custom_fields") or []) + [external_id_row(position, rid)]
