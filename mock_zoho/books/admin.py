"""Admin routes of the Books backend (under /__admin): organisations, raw records, more seed data.

Scenarios use these to build worlds the public API cannot: an org on a given plan and DC, a record
with an odd status or an old ``last_modified_time``. Every field is validated; a bad one answers
400 ``{"error": ..., "field": ...}``.
"""
from __future__ import annotations

import copy
from typing import Any

from flask import request

from ..admin.helpers import emulator, field, json_body
from ..errors import InvalidInput, UnknownRecord
from ..http import json_response
from .models import record_ns
from .query import parse_timestamp
from .resources import EDITION_GATED, RECORD_RESOURCES, SPECS
from .rules import WriteContext, fresh_record

ORG_FIELDS = {"name", "edition", "plan", "user_ids", "is_default", "currency_code", "time_zone", "counts", "seed",
              "organization_id"}


def _counts(data: dict[str, Any], name: str = "counts") -> dict[str, int] | None:
    counts = field(data, name, dict, None)
    if counts is None:
        return None
    for resource, n in counts.items():
        if resource not in RECORD_RESOURCES or resource == "users":
            raise InvalidInput(f"unknown resource {resource!r} in {name}", field=f"{name}.{resource}")
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise InvalidInput(f"{name}.{resource} must be a non-negative integer", field=f"{name}.{resource}")
    return counts


def _org_or_404(org_id: str) -> dict[str, Any]:
    org = emulator().books.get_org(org_id)
    if org is None:
        raise UnknownRecord(f"organization {org_id} does not exist", field="organization_id")
    return org


def create_organization():
    data = json_body(required=True)
    unknown = sorted(set(data) - ORG_FIELDS)
    if unknown:
        raise InvalidInput(f"unknown field {unknown[0]!r}", field=unknown[0])
    name = field(data, "name", str, required=True)
    if not name.strip():
        raise InvalidInput("name must not be empty", field="name")
    user_ids = field(data, "user_ids", list, required=True)
    if not user_ids or not all(isinstance(u, str) and u for u in user_ids):
        raise InvalidInput("user_ids must be a non-empty list of user ids", field="user_ids")
    org_id = data.get("organization_id")
    if org_id is not None and not isinstance(org_id, (str, int)) or isinstance(org_id, bool):
        raise InvalidInput("organization_id must be a numeric string", field="organization_id")
    counts = _counts(data)
    seed = field(data, "seed", bool, True)
    org = emulator().books.create_organization(
        name=name, edition=field(data, "edition", str, "us"), plan=field(data, "plan", str, "professional"),
        user_ids=user_ids, is_default=field(data, "is_default", bool, True),
        currency_code=field(data, "currency_code", str, None), time_zone=field(data, "time_zone", str, None),
        organization_id=str(org_id) if org_id is not None else None,
        counts=counts if seed else {}, seed=seed)
    return json_response({"organization": emulator().books.public_org(org)}, 201)


def list_organizations():
    books = emulator().books
    user_id, dc = request.args.get("user_id"), request.args.get("dc")
    orgs = books.orgs_for_user(user_id, dc) if user_id else [o for o in books.all_orgs() if not dc or o["_dc"] == dc]
    return json_response({"organizations": [books.public_org(o) for o in orgs], "count": len(orgs)})


def get_organization(org_id: str):
    return json_response({"organization": emulator().books.public_org(_org_or_404(org_id))})


def delete_organization(org_id: str):
    _org_or_404(org_id)
    emulator().books.delete_org(org_id)
    return json_response({"deleted": 1, "organization_id": org_id})


def patch_organization(org_id: str):
    data = json_body(required=True)
    unknown = sorted(set(data) - {"name", "plan", "is_default", "user_id"})
    if unknown:
        raise InvalidInput(f"unknown field {unknown[0]!r}", field=unknown[0])
    _org_or_404(org_id)
    default_for = None
    if "is_default" in data:
        if field(data, "is_default", bool) is not True:
            raise InvalidInput("is_default can only be set to true (make another org the default instead)",
                             field="is_default")
        default_for = field(data, "user_id", str, required=True)
    name = field(data, "name", str, None)
    if name is not None and not name.strip():
        raise InvalidInput("name must not be empty", field="name")
    org = emulator().books.update_org(org_id, name=name, plan=field(data, "plan", str, None), default_for=default_for)
    return json_response({"organization": emulator().books.public_org(org)})


def put_records(org_id: str, resource: str):
    """Insert or merge raw records: ``{"records": [{...}]}``; a record naming an existing id is merged."""
    org = _org_or_404(org_id)
    if resource not in RECORD_RESOURCES:
        raise InvalidInput(f"unknown resource {resource!r} (known: {', '.join(RECORD_RESOURCES)})", field="resource")
    data = json_body(required=True)
    records = field(data, "records", list, required=True)
    spec = SPECS[resource]
    books = emulator().books
    allowed = set(spec.list_fields) | set(spec.detail_fields) | set(spec.edition_fields(org["_edition"])) | EDITION_GATED
    allowed |= {"options", "contact_persons"}
    out: list[str] = []
    prepared: list[dict[str, Any]] = []
    for n, rec in enumerate(records):
        where = f"records[{n}]"
        if not isinstance(rec, dict):
            raise InvalidInput(f"{where} must be an object", field=where)
        for key, value in rec.items():
            if key.startswith("_"):
                if key in ("_ct", "_lmt") and (isinstance(value, bool) or not isinstance(value, (int, float))):
                    raise InvalidInput(f"{where}.{key} must be an epoch number", field=f"{where}.{key}")
                continue
            if key not in allowed:
                raise InvalidInput(f"{where}.{key} is not a field of {resource}", field=f"{where}.{key}")
        rid = rec.get(spec.id_field)
        if rid is not None and (not isinstance(rid, str) or not rid.isdigit()):
            raise InvalidInput(f"{where}.{spec.id_field} must be a numeric string", field=f"{where}.{spec.id_field}")
        for ts in ("created_time", "last_modified_time"):
            if ts in rec and rec[ts] is not None:
                try:
                    epoch = parse_timestamp(str(rec[ts]), strict=True, default_offset="+0000")
                except Exception:
                    raise InvalidInput(f"{where}.{ts} must look like 2024-01-31T09:30:00+0000", field=f"{where}.{ts}") from None
                rec.setdefault("_ct" if ts == "created_time" else "_lmt", epoch)
        prepared.append(rec)
    now = books.now()
    for rec in prepared:
        rid = rec.get(spec.id_field)
        existing = books.get_record(org_id, resource, rid) if rid else None
        if existing is not None:
            doc = copy.deepcopy(existing)
            doc.update(rec)
            if "_lmt" not in rec:
                doc["_lmt"] = now
                if "last_modified_time" in doc and "last_modified_time" not in rec:
                    doc["last_modified_time"] = books.timestamp(org, now)
        else:
            doc = fresh_record(WriteContext(books, org, spec))
            doc.update(rec)
            doc[spec.id_field] = rid or books.new_id(org_id)
            doc.setdefault("_ct", now)
            doc.setdefault("_lmt", doc["_ct"])
            for ts, key in (("created_time", "_ct"), ("last_modified_time", "_lmt")):
                if ts in doc and not rec.get(ts):
                    doc[ts] = books.timestamp(org, doc[key])
        books.store.put(record_ns(org_id, resource), doc[spec.id_field], doc)
        out.append(doc[spec.id_field])
    return json_response({"resource": resource, "ids": out, "count": len(out)}, 201)


def seed_organization(org_id: str):
    _org_or_404(org_id)
    data = json_body()
    unknown = sorted(set(data) - {"counts"})
    if unknown:
        raise InvalidInput(f"unknown field {unknown[0]!r}", field=unknown[0])
    counts = _counts(data)
    written = emulator().books.seed(org_id, counts)
    return json_response({"organization_id": org_id, "written": written})


def register(bp) -> None:
    bp.add_url_rule("/organizations", "books_org_create", create_organization, methods=["POST"])
    bp.add_url_rule("/organizations", "books_org_list", list_organizations, methods=["GET"])
    bp.add_url_rule("/organizations/<org_id>", "books_org_get", get_organization, methods=["GET"])
    bp.add_url_rule("/organizations/<org_id>", "books_org_delete", delete_organization, methods=["DELETE"])
    bp.add_url_rule("/organizations/<org_id>", "books_org_patch", patch_organization, methods=["PATCH"])
    bp.add_url_rule("/organizations/<org_id>/records/<resource>", "books_records_put", put_records, methods=["POST"])
    bp.add_url_rule("/organizations/<org_id>/seed", "books_org_seed", seed_organization, methods=["POST"])
