"""The WSGI stack, assembled in one place (``build_app``), outermost first:

0. the request body read through ``edge.GuardedInput`` (a server's read error is a 400, not a 500);
1. replay (``books.replay``): a repeated Books GET answered from the bytes of its last answer;
2. shared state (``storage.shared``), on a store several processes share: this process's clock and
   config brought up to date;
3. the DC middleware: the data center from the Host header or the ``/dc/<location>`` prefix, the
   path normalised Zoho-style (``context.ENV_*`` set for the layers below);
4. faults (``faults.models``): the first rule that fires makes the request slow, wrong or dropped;
5. the Flask app (``serving.app``): routes, each area's error mapping, the journal.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Iterable

from flask import Flask

from .. import literals as L
from ..config import Config
from ..context import ENV_DC, ENV_HOST_KIND, ENV_RAW_PATH
from ..dc import DATA_CENTERS, DEFAULT_LOCATION, classify_host, is_alias_host
from ..http import dumps
from .app import flask_app
from .edge import guard_input

DC_PREFIX = re.compile(r"^/dc/([^/]+)(/.*)?$")


def build_app(emulator: Any) -> Flask:
    """``emulator``'s Flask app with its whole middleware stack as ``app.wsgi_app``."""
    app = flask_app(emulator)
    wsgi = emulator.faults.wrap_wsgi(app.wsgi_app)
    wsgi = DataCenterMiddleware(wsgi, emulator.config)
    if emulator.shared_state is not None:
        wsgi = emulator.shared_state.wrap_wsgi(wsgi)
    app.wsgi_app = guard_input(emulator.replay.wrap_wsgi(wsgi))  # type: ignore[method-assign]
    return app


def _plain_error(start_response: Callable, status: str, body: dict[str, Any]) -> Iterable[bytes]:
    data = dumps(body)
    start_response(status, [("Content-Type", L.JSON_CONTENT_TYPE), ("Content-Length", str(len(data))), ("Server", L.SERVER_HEADER)])
    return [data]


class DataCenterMiddleware:
    """Resolve the DC before Flask sees the request, and normalise the path Zoho-style."""

    def __init__(self, wsgi_app: Callable, config: Config) -> None:
        self.wsgi_app = wsgi_app
        self.config = config

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        path = environ.get("PATH_INFO", "") or "/"
        environ[ENV_RAW_PATH] = path
        hit = classify_host(host)
        if hit is not None:
            location, kind = hit
            if is_alias_host(host) and not self.config["dc.ca.accept_zoho_ca_alias"]:
                return _plain_error(start_response, "404 NOT FOUND", {"code": L.INVALID_URL.code, "message": L.INVALID_URL.message})
        else:
            kind = "local"
            location = DEFAULT_LOCATION
            match = DC_PREFIX.match(path)
            if match:
                location = match.group(1).lower()
                environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "").rstrip("/") + f"/dc/{match.group(1)}"
                path = match.group(2) or "/"
        if location not in DATA_CENTERS or (location == "cn" and not self.config["dc.cn.enabled"]):
            return _plain_error(start_response, "404 NOT FOUND", {"code": L.INVALID_URL.code, "message": L.INVALID_URL.message})
        # Zoho tolerates '//' and one trailing '/' (real clients send both).
        path = re.sub(r"/{2,}", "/", path)
        if len(path) > 1 and path.endswith("/"):
            path = path[:-1]
        environ["PATH_INFO"] = path
        environ[ENV_DC] = location
        environ[ENV_HOST_KIND] = kind
        return self.wsgi_app(environ, start_response)
