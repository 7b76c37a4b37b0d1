"""Who may drive the admin API: the checks every ``/__admin`` request passes before its route.

The admin API can rewrite the world (clock, faults, clients with their secrets), so a web page the
tester happens to open must not reach it. Three checks, in order:

* **Host**: the ``Host`` header names a loopback address, ``localhost``, the in-process base
  (``zoho.emulator``), ``server.public_url``'s host, or one of ``admin.allowed_hosts`` (comma
  separated; ``*`` accepts any). A DNS-rebinding page reaches the server under its own name: refused.
* **Origin**: a browser's cross-origin request (an ``Origin`` other than the server's own, or
  ``Sec-Fetch-Site: cross-site``) is refused; scripts and test clients send neither.
* **Token**: when the emulator has an admin token (``--admin-token`` / ``MOCK_ZOHO_ADMIN_TOKEN``),
  every admin route but ``/health`` needs ``Authorization: Bearer <token>``.

A body, when there is one, must be ``Content-Type: application/json``: a cross-origin form or
``text/plain`` POST (which browsers send without asking) never parses. Refusals leave as the admin
API's ``{"error", "field"}`` with 403, 401 or 415.
"""
from __future__ import annotations

import hmac
import ipaddress
from urllib.parse import urlsplit

from flask import Response, request

from ..context import ADMIN_PREFIX, ADMIN_VERSIONED_PREFIX, emulator
from ..http import json_response

BUILT_IN_HOSTS = frozenset({"localhost", "zoho.emulator"})  # zoho.emulator: the in-process base
OPEN_ROUTES = frozenset({f"{ADMIN_PREFIX}/health", f"{ADMIN_VERSIONED_PREFIX}/health"})  # what health checks poll without a token
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _hostname(host: str) -> str:
    """``host`` of a ``host[:port]`` header value, lower case, IPv6 brackets removed."""
    return (urlsplit(f"//{host}").hostname or "").lower()


def _is_loopback(name: str) -> bool:
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def allowed_hosts(config) -> set[str]:
    """The host names the admin API answers under besides loopback addresses."""
    extra = {h.strip().lower() for h in str(config["admin.allowed_hosts"]).split(",") if h.strip()}
    public = _hostname(urlsplit(config["server.public_url"]).netloc) if config["server.public_url"] else ""
    return set(BUILT_IN_HOSTS) | extra | ({public} if public else set())


def _refuse(status: int, message: str, field: str) -> Response:
    return json_response({"error": message, "field": field}, status)


def check_admin_request() -> Response | None:
    """None when the request may go on; else the refusal."""
    emu = emulator()
    name = _hostname(request.host)
    hosts = allowed_hosts(emu.config)
    if not (_is_loopback(name) or name in hosts or "*" in hosts):
        return _refuse(403, f"the admin API does not answer under the host {name!r}; add it to admin.allowed_hosts "
                            "(serve --admin-host)", "Host")
    origin = request.headers.get("Origin")
    if origin is not None and (urlsplit(origin).netloc.lower() != request.host.lower()):
        return _refuse(403, "cross-origin requests to the admin API are refused", "Origin")
    if request.headers.get("Sec-Fetch-Site", "").lower() == "cross-site":
        return _refuse(403, "cross-origin requests to the admin API are refused", "Sec-Fetch-Site")
    token = emu.admin_token
    if token and request.path not in OPEN_ROUTES:
        given = request.headers.get("Authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            return _refuse(401, "the admin API needs 'Authorization: Bearer <admin token>'", "Authorization")
    if request.method in BODY_METHODS and (request.content_length or request.headers.get("Content-Type")
                                           or request.headers.get("Transfer-Encoding")):
        if request.mimetype != "application/json":
            return _refuse(415, "admin request bodies must be JSON with Content-Type: application/json",
                           "Content-Type")
    return None
