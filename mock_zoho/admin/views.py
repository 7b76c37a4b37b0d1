"""Core admin routes; accounts, books, limits and faults add theirs through ``register(bp)``.

Every answer follows one set of shapes (README "Admin API"): one thing is ``{"<thing>": {...}}``, a
collection ``{"<things>": [...], "count": n}``, a deletion ``{"deleted": n, ...ids}``, an error
``{"error", "field"}``; the routes answer under ``/__admin/v1`` and ``/__admin`` alike.
"""
from __future__ import annotations

from flask import Blueprint, request

from ..accounts import admin as accounts_admin
from ..books import admin as books_admin
from ..clock import ClockError
from ..config import DEFAULTS, ConfigError
from ..context import ADMIN_API_VERSION
from ..errors import InvalidInput
from ..faults import admin as faults_admin
from ..http import json_response
from ..journal import JournalQueryError
from ..limits import admin as limits_admin
from ..openapi import build_description
from .guard import check_admin_request
from .helpers import emulator, field, json_body

blueprint = Blueprint("admin", __name__)
blueprint.before_request(check_admin_request)


@blueprint.get("/health")
def health():
    emu = emulator()
    return json_response({"status": "ok", "now": emu.clock.now(), "seed": emu.seed,
                          "admin_api_version": ADMIN_API_VERSION})


@blueprint.post("/reset")
def reset():
    data = json_body()
    demo = field(data, "demo", bool, None)
    seed = field(data, "seed", int, None)
    emulator().reset(demo=demo, seed=seed)
    return json_response({"demo": emulator().demo})


@blueprint.get("/demo")
def demo():
    return json_response({"demo": emulator().demo})


@blueprint.get("/clock")
def clock_get():
    return json_response({"clock": emulator().clock.describe()})


@blueprint.post("/clock")
def clock_set():
    """Body: ``{"advance": seconds}`` or ``{"set": epoch}`` and/or ``{"scale": factor}``."""
    data = json_body(required=True)
    unknown = set(data) - {"advance", "set", "scale"}
    if unknown:
        raise InvalidInput(f"unknown clock field {sorted(unknown)[0]!r}; use advance, set or scale", field=sorted(unknown)[0])
    clock = emulator().clock
    try:
        if "scale" in data:
            scale = field(data, "scale", (int, float))
            clock.set_scale(scale)  # checks it (a ClockError names the field)
            # the setting is the one record of the scale: a config reload in another process sets it back
            emulator().config.update({"server.time_scale": float(scale)})
        if "set" in data:
            clock.set(field(data, "set", (int, float)))
        if "advance" in data:
            clock.advance(field(data, "advance", (int, float)))
    except ClockError as exc:
        raise InvalidInput(str(exc), field=exc.field) from None
    return json_response({"clock": clock.describe()})


@blueprint.get("/requests")
def requests_list():
    args = request.args.to_dict()
    limit = args.pop("limit", None)
    try:
        n = int(limit) if limit not in (None, "") else None
        if n is not None and n < 0:
            raise ValueError
    except ValueError:
        raise InvalidInput("limit must be a non-negative integer", field="limit") from None
    try:
        entries = emulator().journal.query(args, n)
    except JournalQueryError as exc:
        raise InvalidInput(str(exc)) from None
    return json_response({"requests": entries, "count": len(entries), "dropped": emulator().journal.dropped})


@blueprint.delete("/requests")
def requests_clear():
    journal = emulator().journal
    count = len(journal)
    journal.clear()
    return json_response({"deleted": count})


@blueprint.get("/config")
def config_get():
    return json_response({"config": emulator().config.as_dict(),
                          "help": {k: s.help for k, s in DEFAULTS.items()}})


@blueprint.patch("/config")
@blueprint.post("/config")
def config_set():
    data = json_body(required=True)
    try:
        changed = emulator().config.update(data)
    except ConfigError as exc:
        raise InvalidInput(str(exc), field=str(exc).split(":")[0].strip("'")) from None
    return json_response({"changed": changed})


@blueprint.get("/openapi.json")
def openapi_description():
    """The emulator's OpenAPI description for its running configuration (mock_zoho.openapi)."""
    return json_response(build_description(emulator().config))


def _register_backends() -> None:
    for module in (accounts_admin, books_admin, limits_admin, faults_admin):
        module.register(blueprint)


_register_backends()
