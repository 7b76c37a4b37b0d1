"""The developer console and the account admin, under ``/__admin`` (reference §2.10, §2.11).

Clients (server-based and self), per-DC secrets, secret rotation, self-client codes, users (one
email, one DC), the refresh-token view (fingerprints only) and "remove a connected app". Every
field is validated: a bad one answers 400 ``{"error": ..., "field": ...}``; unknown ids 404.
"""
from __future__ import annotations

from typing import Any

from flask import request

from ..admin.helpers import emulator, field, json_body
from ..errors import InvalidInput, UnknownRecord
from ..http import json_response

CLIENT_FIELDS = {"client_name", "homepage_url", "redirect_uris", "client_type", "home_dc", "enabled_dcs",
                 "same_credentials_for_all_dcs", "user_id"}
USER_FIELDS = {"email", "name", "dc", "first_name", "last_name"}
CODE_FIELDS = {"scopes", "ttl_s", "description", "soid"}


def _no_unknown(data: dict[str, Any], known: set[str]) -> None:
    unknown = sorted(set(data) - known)
    if unknown:
        raise InvalidInput(f"unknown field {unknown[0]!r} (known: {', '.join(sorted(known))})", field=unknown[0])


def _str_list(data: dict[str, Any], name: str) -> list[str] | None:
    value = field(data, name, list, None)
    if value is not None and not all(isinstance(v, str) for v in value):
        raise InvalidInput(f"{name} must be a list of strings", field=name)
    return value


# ---- clients ---------------------------------------------------------------------------------------
def create_client():
    data = json_body(required=True)
    _no_unknown(data, CLIENT_FIELDS)
    client = emulator().accounts.register_client(
        client_name=field(data, "client_name", str, required=True),
        homepage_url=field(data, "homepage_url", str, ""),
        redirect_uris=_str_list(data, "redirect_uris") or [],
        client_type=field(data, "client_type", str, "server"),
        home_dc=field(data, "home_dc", str, None),
        enabled_dcs=_str_list(data, "enabled_dcs"),
        same_credentials_for_all_dcs=field(data, "same_credentials_for_all_dcs", bool, True),
        user_id=field(data, "user_id", str, None),
    )
    return json_response({"client": client}, 201)


def list_clients():
    clients = emulator().accounts.list_clients()
    return json_response({"clients": clients, "count": len(clients)})


def get_client(client_id: str):
    accounts = emulator().accounts
    return json_response({"client": accounts.public_client(accounts._client_or_404(client_id))})


def patch_client(client_id: str):
    data = json_body(required=True)
    return json_response({"client": emulator().accounts.update_client(client_id, data)})


def delete_client(client_id: str):
    revoked = emulator().accounts.delete_client(client_id)
    return json_response({"deleted": 1, "client_id": client_id, "refresh_tokens_revoked": revoked})


def rotate_secret(client_id: str):
    data = json_body()
    _no_unknown(data, {"dc"})
    return json_response(emulator().accounts.rotate_secret(client_id, field(data, "dc", str, None)))


def self_client_code(client_id: str):
    data = json_body(required=True)
    _no_unknown(data, CODE_FIELDS)
    if "scopes" not in data:
        raise InvalidInput("scopes is required", field="scopes")
    ttl = data.get("ttl_s")
    if ttl is not None and (isinstance(ttl, bool) or not isinstance(ttl, int)):
        raise InvalidInput("ttl_s must be an integer number of seconds", field="ttl_s")
    out = emulator().accounts.self_client_code(
        client_id, data["scopes"], ttl, field(data, "description", str, ""), field(data, "soid", str, None))
    return json_response(out, 201)


# ---- users -----------------------------------------------------------------------------------------
def create_user():
    data = json_body(required=True)
    _no_unknown(data, USER_FIELDS)
    user = emulator().accounts.create_user(
        email=field(data, "email", str, required=True), dc=field(data, "dc", str, "us"),
        name=field(data, "name", str, None), first_name=field(data, "first_name", str, None),
        last_name=field(data, "last_name", str, None))
    return json_response({"user": user}, 201)


def list_users():
    dc = request.args.get("dc") or None
    users = emulator().accounts.list_users(dc)
    return json_response({"users": users, "count": len(users)})


def get_user(user_id: str):
    user = emulator().accounts.get_user(user_id)
    if user is None:
        raise UnknownRecord(f"user {user_id!r} does not exist", field="user_id")
    return json_response({"user": user})


def revoke_connection(user_id: str, client_id: str):
    """The user removes the app from their Zoho account: same effect as revoking every token."""
    accounts = emulator().accounts
    if accounts.get_user(user_id) is None:
        raise UnknownRecord(f"user {user_id!r} does not exist", field="user_id")
    revoked = accounts.revoke_connection(user_id, client_id)
    return json_response({"deleted": revoked, "user_id": user_id, "client_id": client_id,
                          "refresh_tokens_revoked": revoked})


# ---- tokens ----------------------------------------------------------------------------------------
def list_tokens():
    args = request.args
    unknown = sorted(set(args) - {"user_id", "client_id"})
    if unknown:
        raise InvalidInput(f"unknown filter {unknown[0]!r} (known: user_id, client_id)", field=unknown[0])
    tokens = emulator().accounts.list_refresh_tokens(args.get("user_id") or None, args.get("client_id") or None)
    return json_response({"tokens": tokens, "count": len(tokens)})


def register(bp) -> None:
    bp.add_url_rule("/clients", "accounts_client_create", create_client, methods=["POST"])
    bp.add_url_rule("/clients", "accounts_client_list", list_clients, methods=["GET"])
    bp.add_url_rule("/clients/<client_id>", "accounts_client_get", get_client, methods=["GET"])
    bp.add_url_rule("/clients/<client_id>", "accounts_client_patch", patch_client, methods=["PATCH"])
    bp.add_url_rule("/clients/<client_id>", "accounts_client_delete", delete_client, methods=["DELETE"])
    bp.add_url_rule("/clients/<client_id>/rotate-secret", "accounts_client_rotate", rotate_secret, methods=["POST"])
    bp.add_url_rule("/clients/<client_id>/self-client-code", "accounts_self_code", self_client_code, methods=["POST"])
    bp.add_url_rule("/users", "accounts_user_create", create_user, methods=["POST"])
    bp.add_url_rule("/users", "accounts_user_list", list_users, methods=["GET"])
    bp.add_url_rule("/users/<user_id>", "accounts_user_get", get_user, methods=["GET"])
    bp.add_url_rule("/users/<user_id>/connections/<client_id>", "accounts_connection_delete", revoke_connection,
                    methods=["DELETE"])
    bp.add_url_rule("/tokens", "accounts_tokens", list_tokens, methods=["GET"])
