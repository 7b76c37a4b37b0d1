"""What a request carries between the layers: the WSGI environ keys the middlewares set, and the
helpers views use to read them (the data center, the kind of host, the area, the public base URL).

The DC middleware (``mock_zoho.serving.stack``) fills ``ENV_DC``, ``ENV_HOST_KIND`` and
``ENV_RAW_PATH``; the faults middleware fills ``ENV_FAULT``, ``ENV_ACTION`` and ``ENV_DELAY``.
"""
from __future__ import annotations

from typing import Any

from flask import current_app, request

from .dc import DATA_CENTERS, DEFAULT_LOCATION

ADMIN_PREFIX = "/__admin"
# The admin API's version: its routes answer under ADMIN_PREFIX/v1 and (the current version)
# ADMIN_PREFIX; every answer names the version in ADMIN_VERSION_HEADER (README "Admin API").
ADMIN_API_VERSION = 1
ADMIN_VERSIONED_PREFIX = f"{ADMIN_PREFIX}/v{ADMIN_API_VERSION}"
ADMIN_VERSION_HEADER = "X-Mock-Zoho-Admin-Version"

ENV_DC = "mock_zoho.dc"
ENV_HOST_KIND = "mock_zoho.host_kind"
ENV_RAW_PATH = "mock_zoho.raw_path"  # the path as the client sent it, before the DC prefix and '//' go
ENV_FAULT = "mock_zoho.fault"  # the id of the fault rule that fired
ENV_ACTION = "mock_zoho.fault_action"
ENV_BOX = "mock_zoho.fault_box"  # in-process mode: a dict the faults middleware reports into
ENV_DELAY = "mock_zoho.fault_delay"  # {"wait": callable, "done": bool}: spent by limits.admit once admitted


def area(path: str) -> str:
    """Which part of the emulator a (normalised) path belongs to: admin, accounts, books or other."""
    if path.startswith(ADMIN_PREFIX):
        return "admin"
    if path.startswith(("/oauth", "/developerconsole", "/signin", "/console")):
        return "accounts"
    if path.startswith(("/books/", "/api/")):
        return "books"
    return "other"


def emulator() -> Any:
    """The Emulator serving the current request."""
    return current_app.extensions["mock_zoho"]


def current_dc() -> str:
    return request.environ.get(ENV_DC, DEFAULT_LOCATION)


def host_kind() -> str:
    """``accounts``, ``api`` or ``books`` on a real Zoho host name; ``local`` on the emulator's own."""
    return request.environ.get(ENV_HOST_KIND, "local")


def public_base(location: str, kind: str = "accounts") -> str:
    """The base URL the emulator hands out for ``location``'s accounts server or API domain.

    Real Zoho hosts when this request arrived on one (in-process mode keeps clients on the real
    names); otherwise the emulator's own base (``server.public_url`` or this request's host) plus
    ``/dc/<location>``.
    """
    dc = DATA_CENTERS[location]
    if host_kind() != "local":
        return dc.accounts_url if kind == "accounts" else dc.api_url
    configured = emulator().config["server.public_url"]
    base = (configured or request.host_url).rstrip("/")
    return f"{base}/dc/{location}"
