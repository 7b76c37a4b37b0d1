"""The portal's JSON API (shapes in harness/DESIGN.md; Codat's names where Codat has them).

Every body is checked against a JSON Schema before anything is written, and each write is one
transaction, so a refused request leaves nothing behind. Errors: ``{"error", "field"}`` with a 4xx.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, current_app, jsonify, request

from harness.connector.datatypes import DATA_TYPES

from .errors import ApiError, json_body, not_found
from .integration import KEY, SCHEMA as INTEGRATION_SCHEMA, describe
from .store import LINKED, UNLINKED, clean_name

api = Blueprint("api", __name__, url_prefix="/api")

COMPANY_SCHEMA: dict[str, Any] = {
    "type": "object", "additionalProperties": False, "required": ["name"],
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 200},
        "description": {"type": ["string", "null"], "maxLength": 1000},
        "redirect_url": {"type": ["string", "null"], "maxLength": 2000},
        "organization_id": {"type": ["string", "null"], "pattern": "^[0-9]{1,40}$",
                            "description": "must be a Zoho organization id (digits)"},
    },
}
CONNECTION_SCHEMA: dict[str, Any] = {
    "type": "object", "additionalProperties": False, "required": ["platformKey"],
    "properties": {"platformKey": {"type": "string", "maxLength": 100}},
}
PATCH_CONNECTION_SCHEMA: dict[str, Any] = {
    "type": "object", "additionalProperties": False, "required": ["status"],
    "properties": {"status": {"enum": [UNLINKED]}},
}
SETTINGS_SCHEMA: dict[str, Any] = {"type": "object", "minProperties": 1}


def platform() -> Any:
    return current_app.extensions["platform"]


def company_or_404(company_id: str) -> dict[str, Any]:
    company = platform().store.company(company_id)
    if company is None:
        raise not_found("company", "companyId")
    return company


def connection_or_404(company_id: str, connection_id: str) -> dict[str, Any]:
    company_or_404(company_id)
    connection = platform().store.connection(connection_id)
    if connection is None or connection["companyId"] != company_id:
        raise not_found("connection", "connectionId")
    return connection


def check_redirect_url(value: str | None) -> str | None:
    """A company's redirect URL must be an absolute http(s) URL (it receives the Link outcome)."""
    if value is None or value == "":
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(ch.isspace() for ch in value):
        raise ApiError(400, "must be an absolute http or https URL", "redirect_url")
    return value


def query_int(name: str, default: int, lo: int, hi: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or not lo <= int(raw) <= hi:
        raise ApiError(400, f"must be a whole number from {lo} to {hi}", name)
    return int(raw)


def query_bool(name: str) -> bool:
    raw = request.args.get(name)
    if raw is None:
        return False
    if raw.lower() not in ("true", "false", "1", "0"):
        raise ApiError(400, "must be true or false", name)
    return raw.lower() in ("true", "1")


# -- health and platform settings ------------------------------------------------------------
@api.get("/health")
def health():  # type: ignore[no-untyped-def]
    p = platform()
    return jsonify({"status": "ok", "zoho": p.zoho.base_url or "zoho", "schemaVersion": p.db.version(),
                    "redirect_uri": p.redirect_uri})


@api.get("/settings")
def get_settings():  # type: ignore[no-untyped-def]
    p = platform()
    return jsonify({"settings": {**p.settings.public(),
                                 **{f"sync.{k}": v for k, v in p.connector_settings().to_dict().items()}},
                    "help": p.settings.describe()})


@api.patch("/settings")
def patch_settings():  # type: ignore[no-untyped-def]
    body = json_body(request, SETTINGS_SCHEMA)
    return jsonify({"changed": platform().change_settings(body)})


# -- the Zoho Books integration --------------------------------------------------------------
@api.get("/integrations")
def integrations():  # type: ignore[no-untyped-def]
    p = platform()
    return jsonify({"integrations": [describe(p.integrations.get(), p.redirect_uri)]})


@api.get("/integrations/zoho-books")
def get_integration():  # type: ignore[no-untyped-def]
    p = platform()
    return jsonify(describe(p.integrations.get(), p.redirect_uri))


@api.route("/integrations/zoho-books", methods=["PUT", "POST"])
def put_integration():  # type: ignore[no-untyped-def]
    p = platform()
    body = json_body(request, INTEGRATION_SCHEMA)
    saved = p.integrations.save(body, p.settings["portal.key_whitespace"], p.clock.now())
    return jsonify(describe(saved, p.redirect_uri))


@api.post("/integrations/zoho-books/<action>")
def toggle_integration(action: str):  # type: ignore[no-untyped-def]
    if action not in ("enable", "disable"):
        raise ApiError(404, "no such action (enable or disable)", "action")
    json_body(request, {"type": "object", "additionalProperties": False, "properties": {}})
    p = platform()
    saved = p.integrations.set_enabled(action == "enable", p.clock.now())
    return jsonify(describe(saved, p.redirect_uri))


# -- companies ---------------------------------------------------------------------------------
@api.post("/companies")
def create_company():  # type: ignore[no-untyped-def]
    p = platform()
    body = json_body(request, COMPANY_SCHEMA)
    name = clean_name(body["name"])
    if not name:
        raise ApiError(400, "must contain letters or digits", "name")
    company = p.create_company(name, body.get("description"), check_redirect_url(body.get("redirect_url")),
                               body.get("organization_id"))
    return jsonify(company), 201


@api.get("/companies")
def list_companies():  # type: ignore[no-untyped-def]
    return jsonify({"results": platform().store.companies()})


@api.get("/companies/<company_id>")
def get_company(company_id: str):  # type: ignore[no-untyped-def]
    return jsonify(company_or_404(company_id))


@api.delete("/companies/<company_id>")
def delete_company(company_id: str):  # type: ignore[no-untyped-def]
    p = platform()
    company = company_or_404(company_id)
    for connection in company["dataConnections"]:
        p.connections.delete(company_id, connection["id"])
    with p.db.write() as c:
        p.events.emit(c, "company.deleted", company_id, None, {"referenceCompany": p.store.reference_company(company_id)})
        c.execute("DELETE FROM datasets WHERE company_id = ?", (company_id,))
        c.execute("DELETE FROM companies WHERE id = ?", (company_id,))
    return "", 204


@api.post("/companies/<company_id>/link-url")
def new_company_link(company_id: str):  # type: ignore[no-untyped-def]
    p = platform()
    company_or_404(company_id)
    json_body(request, {"type": "object", "additionalProperties": False, "properties": {}})
    return jsonify(p.store.new_company_link(company_id, p.clock.now(), float(p.settings["link.otp_ttl_s"])))


# -- connections -------------------------------------------------------------------------------
@api.get("/companies/<company_id>/connections")
def list_connections(company_id: str):  # type: ignore[no-untyped-def]
    company_or_404(company_id)
    return jsonify({"results": platform().store.connections(company_id)})


@api.post("/companies/<company_id>/connections")
def create_connection(company_id: str):  # type: ignore[no-untyped-def]
    p = platform()
    company_or_404(company_id)
    body = json_body(request, CONNECTION_SCHEMA)
    if body["platformKey"] != KEY:
        raise ApiError(400, f"unknown platform key (this platform offers {KEY}, Zoho Books)", "platformKey")
    integration = p.integrations.get()
    if integration is None or not integration.enabled:
        raise ApiError(400, "Zoho Books is not enabled on this platform", "platformKey")
    connection, created = p.connections.build_your_own(company_id)
    return jsonify(connection), 201 if created else 200


@api.get("/companies/<company_id>/connections/<connection_id>")
def get_connection(company_id: str, connection_id: str):  # type: ignore[no-untyped-def]
    return jsonify(connection_or_404(company_id, connection_id))


@api.patch("/companies/<company_id>/connections/<connection_id>")
def patch_connection(company_id: str, connection_id: str):  # type: ignore[no-untyped-def]
    connection = connection_or_404(company_id, connection_id)
    json_body(request, PATCH_CONNECTION_SCHEMA)
    if connection["status"] != LINKED:
        raise ApiError(409, f"only a Linked connection can be unlinked (this one is {connection['status']})", "status")
    return jsonify(platform().connections.unlink(company_id, connection_id))


@api.delete("/companies/<company_id>/connections/<connection_id>")
def delete_connection(company_id: str, connection_id: str):  # type: ignore[no-untyped-def]
    connection_or_404(company_id, connection_id)
    platform().connections.delete(company_id, connection_id)
    return "", 204


@api.post("/companies/<company_id>/connections/<connection_id>/link-url")
def new_connection_link(company_id: str, connection_id: str):  # type: ignore[no-untyped-def]
    connection_or_404(company_id, connection_id)
    json_body(request, {"type": "object", "additionalProperties": False, "properties": {}})
    p = platform()
    p.store.new_connection_link(connection_id, company_id, p.clock.now(), float(p.settings["link.otp_ttl_s"]))
    return jsonify(p.store.connection(connection_id))


# -- data and datasets ---------------------------------------------------------------------------
def _data_type(data_type: str) -> str:
    if data_type not in DATA_TYPES:
        raise ApiError(404, f"unknown data type (known: {', '.join(DATA_TYPES)})", "dataType")
    return data_type


@api.post("/companies/<company_id>/data/all")
def queue_all(company_id: str):  # type: ignore[no-untyped-def]
    company_or_404(company_id)
    json_body(request, {"type": "object", "additionalProperties": False, "properties": {}})
    datasets = platform().sync.queue_all(company_id, wait=query_bool("wait"))
    return jsonify({"results": [d.to_dict() for d in datasets]}), 200 if query_bool("wait") else 202


@api.post("/companies/<company_id>/data/queue/<data_type>")
def queue_one(company_id: str, data_type: str):  # type: ignore[no-untyped-def]
    company_or_404(company_id)
    _data_type(data_type)
    json_body(request, {"type": "object", "additionalProperties": False, "properties": {}})
    datasets = platform().sync.queue(company_id, [data_type], wait=query_bool("wait"))
    return jsonify(datasets[0].to_dict()), 200 if query_bool("wait") else 202


@api.get("/companies/<company_id>/dataStatus")
def data_status(company_id: str):  # type: ignore[no-untyped-def]
    company_or_404(company_id)
    return jsonify(platform().sync.data_status(company_id))


@api.get("/companies/<company_id>/datasets")
def datasets(company_id: str):  # type: ignore[no-untyped-def]
    company_or_404(company_id)
    return jsonify({"results": [d.to_dict() for d in platform().sync_store.datasets(company_id)]})


@api.get("/companies/<company_id>/datasets/<dataset_id>")
def dataset(company_id: str, dataset_id: str):  # type: ignore[no-untyped-def]
    company_or_404(company_id)
    ds = platform().sync_store.get_dataset(dataset_id)
    if ds is None or ds.company_id != company_id:
        raise not_found("dataset", "datasetId")
    return jsonify(ds.to_dict())


@api.get("/companies/<company_id>/data/<data_type>")
def records(company_id: str, data_type: str):  # type: ignore[no-untyped-def]
    company_or_404(company_id)
    _data_type(data_type)
    page = query_int("page", 1, 1, 1_000_000)
    size = query_int("pageSize", 100, 1, 5000)
    raw = query_bool("raw")
    total, rows = platform().sync_store.list_records(company_id, data_type, offset=(page - 1) * size, limit=size)
    results = [{**r.data, "_raw": r.raw} if raw else r.data for r in rows]
    return jsonify({"results": results, "pageNumber": page, "pageSize": size, "totalResults": total})


@api.post("/sync/resume-due")
def resume_due():  # type: ignore[no-untyped-def]
    json_body(request, {"type": "object", "additionalProperties": False, "properties": {}})
    deauthorized = platform().connections.deauthorize_inactive()  # link.inactivity_revoke_days, when set
    platform().connections.revoke_abandoned_picks()
    return jsonify({"results": [d.to_dict() for d in platform().sync.resume_due()], "deauthorized": deauthorized})


# -- events and webhooks ---------------------------------------------------------------------------
@api.get("/events")
def events():  # type: ignore[no-untyped-def]
    p = platform()
    since = request.args.get("since")
    if since is not None and not p.events.known(since):
        raise ApiError(400, "is not the id of a stored event", "since")
    company_id = request.args.get("companyId")
    if company_id is not None and p.store.company_row(company_id) is None:
        raise ApiError(400, "is not a known company", "companyId")
    return jsonify({"results": p.events.list(since, company_id, query_int("limit", 1000, 1, 10000))})


@api.get("/webhooks/deliveries")
def deliveries():  # type: ignore[no-untyped-def]
    return jsonify({"results": platform().events.deliveries()})


@api.post("/webhooks/deliver-due")
def deliver_due():  # type: ignore[no-untyped-def]
    json_body(request, {"type": "object", "additionalProperties": False, "properties": {}})
    return jsonify({"delivered": platform().events.deliver_due()})

