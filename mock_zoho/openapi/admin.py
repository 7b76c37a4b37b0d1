"""The admin API part of the description (``/__admin``; README "Admin API").

Bodies and answers are described by their top-level keys (the admin API is the emulator's own, and
its inner objects are documented in the README); every bad input is 400 (unknown ids 404)
``{"error": "...", "field": "..."}``. Request schemas bound what a generated request may ask for
(``counts`` at most 5 records per resource) so that a fuzzing run stays fast.
"""
from __future__ import annotations

from typing import Any

from ..context import ADMIN_VERSIONED_PREFIX as V
from .schemas import ANY, ARRAY, BOOLEAN, INTEGER, NUMBER, OBJECT, STRING, json_content, obj, ref

SMALL_COUNTS = {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0, "maximum": 5}}
STRINGS = {"type": "array", "items": STRING}
CLOCK = obj({"now": NUMBER, "scale": NUMBER})
DELETED = {"deleted": {"type": "integer", "minimum": 0}}  # every deletion says how many things went


def _errors(*statuses: str) -> dict[str, Any]:
    what = {"400": "bad input: the error names the field and the fault", "404": "unknown id or route"}
    return {s: {"description": what[s], "content": json_content(ref("AdminError"))} for s in statuses}


def _ok(required: dict[str, Any], status: str = "200", optional: dict[str, Any] | None = None) -> dict[str, Any]:
    return {status: {"description": "done", "content": json_content(obj(required, optional))}}


def _op(op_id: str, summary: str, ok: dict[str, Any], *, errors: tuple[str, ...] = ("400",),
        body: dict[str, Any] | None = None, params: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"operationId": op_id, "summary": summary, "tags": ["admin"],
                           "responses": {**ok, **_errors(*errors)}}
    if params:
        out["parameters"] = params
    if body is not None:
        out["requestBody"] = {"required": True, "content": json_content(body)}
    return out


def _p(name: str, where: str = "path") -> dict[str, Any]:
    schema = {"type": "string", "minLength": 1, "pattern": r"^[^/?#%]+$"} if where == "path" else {"type": "string"}
    return {"name": name, "in": where, "required": where == "path", "schema": schema}


def admin_paths() -> dict[str, dict[str, Any]]:
    client_body = obj({"client_name": STRING}, {
        "homepage_url": STRING, "redirect_uris": STRINGS, "client_type": {"type": "string", "enum": ["server", "self"]},
        "home_dc": STRING, "enabled_dcs": STRINGS, "same_credentials_for_all_dcs": BOOLEAN, "user_id": STRING})
    org_body = obj({"name": STRING, "user_ids": STRINGS}, {
        "edition": STRING, "plan": STRING, "is_default": BOOLEAN, "currency_code": STRING, "time_zone": STRING,
        "counts": SMALL_COUNTS, "seed": BOOLEAN, "organization_id": STRING})
    journal_filters = [_p(n, "query") for n in ("method", "path", "dc", "status", "code", "organization_id",
                                                 "client_id", "user_id", "area", "fault", "since")]
    journal_filters.append({"name": "limit", "in": "query", "required": False,
                            "schema": {"type": "integer", "minimum": 0}})
    limits_fields = {k: {"type": "integer", "minimum": 0} for k in ("per_minute", "daily", "concurrency", "daily_used")}
    return {
        V + "/health": {"get": _op("admin_health", "Liveness, virtual now, seed",
                                       _ok({"status": STRING, "now": NUMBER, "seed": ANY, "admin_api_version": INTEGER}),
                                       errors=())},
        V + "/openapi.json": {"get": _op("admin_openapi", "This description (for the running config)",
                                             _ok({"openapi": STRING, "paths": OBJECT}), errors=())},
        V + "/reset": {"post": _op("admin_reset", "Forget everything; {demo: false} starts empty, {seed: N} re-seeds",
                                       _ok({"demo": OBJECT}),
                                       body=obj(optional={"demo": BOOLEAN, "seed": INTEGER}))},
        V + "/demo": {"get": _op("admin_demo", "The demo world's handles", _ok({"demo": OBJECT}), errors=())},
        V + "/clock": {
            "get": _op("admin_clock", "The virtual clock", _ok({"clock": CLOCK}), errors=()),
            "post": _op("admin_clock_set", "Advance, set or scale the virtual clock",
                        _ok({"clock": CLOCK}),
                        body=obj(optional={"advance": {"type": "number", "minimum": 0, "maximum": 86400 * 30},
                                           "set": NUMBER, "scale": NUMBER}))},
        V + "/requests": {
            "get": _op("admin_journal", "The request journal, oldest first (secrets fingerprinted)",
                       _ok({"requests": ARRAY, "count": INTEGER, "dropped": INTEGER}), params=journal_filters),
            "delete": _op("admin_journal_clear", "Empty the journal", _ok(DELETED), errors=())},
        V + "/config": {
            "get": _op("admin_config", "Every setting and its help", _ok({"config": OBJECT, "help": OBJECT}), errors=()),
            "patch": _op("admin_config_set", "Change settings (dotted or nested keys)", _ok({"changed": OBJECT}),
                         body=OBJECT)},
        V + "/clients": {
            "get": _op("admin_clients", "Registered OAuth clients", _ok({"clients": ARRAY, "count": INTEGER}), errors=()),
            "post": _op("admin_client_create", "Register a client (answers its secret)", _ok({"client": OBJECT}, "201"),
                        body=client_body)},
        V + "/clients/{client_id}": {
            "get": _op("admin_client", "One client", _ok({"client": OBJECT}), errors=("404",),
                       params=[_p("client_id")]),
            "patch": _op("admin_client_update", "Console edits", _ok({"client": OBJECT}), errors=("400", "404"),
                         params=[_p("client_id")], body=OBJECT),
            "delete": _op("admin_client_delete", "Delete a client and its tokens",
                          _ok({**DELETED, "client_id": STRING, "refresh_tokens_revoked": INTEGER}), errors=("404",),
                          params=[_p("client_id")])},
        V + "/clients/{client_id}/rotate-secret": {"post": _op(
            "admin_client_rotate", "New client secret (one DC or all)", _ok({"client_id": STRING, "client_secret": STRING}),
            errors=("400", "404"), params=[_p("client_id")], body=obj(optional={"dc": STRING}))},
        V + "/clients/{client_id}/self-client-code": {"post": _op(
            "admin_self_client_code", "A self-client grant code", _ok({"code": STRING, "expires_in": INTEGER}, "201"),
            errors=("400", "404"), params=[_p("client_id")],
            body=obj({"scopes": STRINGS}, {"ttl_s": INTEGER, "description": STRING, "soid": STRING}))},
        V + "/users": {
            "get": _op("admin_users", "Zoho users", _ok({"users": ARRAY, "count": INTEGER}), errors=(), params=[_p("dc", "query")]),
            "post": _op("admin_user_create", "A Zoho user in one DC", _ok({"user": OBJECT}, "201"),
                        body=obj({"email": STRING}, {"dc": STRING, "name": STRING, "first_name": STRING,
                                                     "last_name": STRING}))},
        V + "/users/{user_id}": {"get": _op("admin_user", "One user", _ok({"user": OBJECT}), errors=("404",),
                                                params=[_p("user_id")])},
        V + "/users/{user_id}/connections/{client_id}": {"delete": _op(
            "admin_connection_delete", "The user removes the app: its refresh tokens die",
            _ok({**DELETED, "user_id": STRING, "client_id": STRING, "refresh_tokens_revoked": INTEGER}), errors=("404",),
            params=[_p("user_id"), _p("client_id")])},
        V + "/tokens": {"get": _op("admin_tokens", "Live refresh tokens (fingerprints only)",
                                       _ok({"tokens": ARRAY, "count": INTEGER}),
                                       params=[_p("user_id", "query"), _p("client_id", "query")])},
        V + "/organizations": {
            "get": _op("admin_orgs", "Books organisations", _ok({"organizations": ARRAY, "count": INTEGER}), errors=(),
                       params=[_p("user_id", "query"), _p("dc", "query")]),
            "post": _op("admin_org_create", "An organisation, seeded with counts", _ok({"organization": OBJECT}, "201"),
                        body=org_body)},
        V + "/organizations/{org_id}": {
            "get": _op("admin_org", "One organisation", _ok({"organization": OBJECT}), errors=("404",),
                       params=[_p("org_id")]),
            "patch": _op("admin_org_update", "Rename, change plan, make default", _ok({"organization": OBJECT}),
                         errors=("400", "404"), params=[_p("org_id")],
                         body=obj(optional={"name": STRING, "plan": STRING, "is_default": BOOLEAN, "user_id": STRING})),
            "delete": _op("admin_org_delete", "Delete an organisation", _ok({**DELETED, "organization_id": STRING}),
                          errors=("404",), params=[_p("org_id")])},
        V + "/organizations/{org_id}/records/{resource}": {"post": _op(
            "admin_records_put", "Store raw records as given (no write rules)",
            _ok({"resource": STRING, "ids": STRINGS, "count": INTEGER}, "201"), errors=("400", "404"),
            params=[_p("org_id"), _p("resource")],
            body=obj({"records": {"type": "array", "maxItems": 5, "items": OBJECT}}))},
        V + "/organizations/{org_id}/seed": {"post": _op(
            "admin_org_seed", "Seed more records", _ok({"organization_id": STRING, "written": OBJECT}),
            errors=("400", "404"), params=[_p("org_id")], body=obj(optional={"counts": SMALL_COUNTS}))},
        V + "/limits": {"get": _op("admin_limits", "Every org's counters and policy", _ok({"limits": ARRAY, "count": INTEGER}),
                                       errors=())},
        V + "/limits/reset": {"post": _op("admin_limits_reset_all", "Zero every counter",
                                              _ok({"limits": ARRAY, "count": INTEGER}),
                                              body=obj(optional={"overrides": BOOLEAN}))},
        V + "/limits/{org_id}": {
            "get": _op("admin_org_limits", "One org's counters and policy", _ok({"limit": OBJECT}), errors=("404",),
                       params=[_p("org_id")]),
            "patch": _op("admin_org_limits_set", "Per-org overrides (null clears one)", _ok({"limit": OBJECT}),
                         errors=("400", "404"), params=[_p("org_id")], body=obj(optional=limits_fields))},
        V + "/limits/{org_id}/reset": {"post": _op(
            "admin_org_limits_reset", "Zero one org's counters", _ok({"limit": OBJECT}), errors=("400", "404"),
            params=[_p("org_id")], body=obj(optional={"overrides": BOOLEAN}))},
        V + "/faults": {
            "get": _op("admin_faults", "Fault rules", _ok({"faults": ARRAY, "count": INTEGER}), errors=()),
            "post": _op("admin_fault_add", "Add a fault rule (README 'Faults')", _ok({"fault": OBJECT}, "201"),
                        body=obj({"action": ANY})),
            "delete": _op("admin_faults_clear", "Remove every rule", _ok(DELETED), errors=())},
        V + "/faults/{rule_id}": {
            "get": _op("admin_fault", "One rule", _ok({"fault": OBJECT}), errors=("404",), params=[_p("rule_id")]),
            "delete": _op("admin_fault_delete", "Remove one rule", _ok({**DELETED, "id": STRING}), errors=("404",),
                          params=[_p("rule_id")])},
        V + "/faults/{rule_id}/release": {
            "post": _op("admin_fault_release", "Let a hold rule's calls go",
                        _ok({"id": STRING, "held": INTEGER}), errors=("400", "404"), params=[_p("rule_id")])},
    }
