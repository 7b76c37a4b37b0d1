"""Flask app factory: one app serves every data center, the admin API and the journal.

Request life: ``DataCenterMiddleware`` (WSGI) finds the DC from the Host header or the
``/dc/<location>`` prefix and normalises the path; the faults middleware may intercept; Flask
routes to accounts, books or admin; every error leaves in its caller's shape; the journal records
the exchange with secrets redacted.
"""
from __future__ import annotations

import logging
import re
import time
from typing import Any, Callable, Iterable
from urllib.parse import parse_qsl

from flask import Flask, Response, g, request
from werkzeug.exceptions import HTTPException

from . import literals as L
from .config import Config
from .dc import DATA_CENTERS, DEFAULT_LOCATION, classify_host, is_alias_host
from .http import AdminError, BooksAPIError, OAuthError, dumps, json_response
from .journal import journal_headers
from .redact import redact_pairs

log = logging.getLogger("mock_zoho")

DC_PREFIX = re.compile(r"^/dc/([^/]+)(/.*)?$")
ADMIN_PREFIX = "/__admin"
ENV_DC = "mock_zoho.dc"
ENV_HOST_KIND = "mock_zoho.host_kind"
ENV_RAW_PATH = "mock_zoho.raw_path"


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


def current_dc() -> str:
    return request.environ.get(ENV_DC, DEFAULT_LOCATION)


def host_kind() -> str:
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
    from flask import current_app

    configured = current_app.extensions["mock_zoho"].config["server.public_url"]
    base = (configured or request.host_url).rstrip("/")
    return f"{base}/dc/{location}"


def _area(path: str) -> str:
    if path.startswith(ADMIN_PREFIX):
        return "admin"
    if path.startswith(("/oauth", "/developerconsole", "/signin", "/console")):
        return "accounts"
    if path.startswith(("/books/", "/api/")):
        return "books"
    return "other"


def create_app(config: Config | dict | None = None, *, emulator=None) -> Flask:
    """Build the WSGI app. Pass an ``Emulator`` to serve it, or a config to get a fresh one."""
    if emulator is None:
        from .emulator import Emulator

        emulator = Emulator(config)
    app = Flask("mock_zoho", template_folder="templates")
    app.url_map.strict_slashes = False
    app.config["MAX_CONTENT_LENGTH"] = None  # size is checked per area, to answer in its shape
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions["mock_zoho"] = emulator

    from .accounts.views import blueprint as accounts_bp
    from .admin.views import blueprint as admin_bp
    from .books.views import blueprint as books_bp

    app.register_blueprint(admin_bp, url_prefix=ADMIN_PREFIX)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(books_bp)

    @app.before_request
    def _start() -> None:
        g.started = time.perf_counter()
        g.vstarted = emulator.clock.now()
        g.journal = {}

    @app.after_request
    def _finish(response: Response) -> Response:
        response.headers.setdefault("Server", L.SERVER_HEADER)
        path = request.path
        area = _area(request.environ.get("PATH_INFO", path))
        if area == "admin":
            return response
        entry = {
            "time": g.get("vstarted", emulator.clock.now()),
            "duration_ms": round((time.perf_counter() - g.get("started", time.perf_counter())) * 1000, 3),
            "method": request.method,
            "host": request.host,
            "path": request.environ.get("PATH_INFO", path),
            "raw_path": request.environ.get(ENV_RAW_PATH, path),
            "query": redact_pairs(parse_qsl(request.query_string.decode("latin-1"), keep_blank_values=True)),
            "headers": journal_headers(request.environ),
            "dc": current_dc(),
            "host_kind": host_kind(),
            "area": area,
            "status": response.status_code,
        }
        if area == "books" and response.status_code < 400:
            entry["code"] = L.SUCCESS_CODE  # every Books success is code 0: no need to parse the page
        elif response.mimetype == "application/json" and not response.direct_passthrough:
            try:
                body = response.get_json(silent=True)
            except Exception:  # a fault may have broken the body on purpose
                body = None
            if isinstance(body, dict):
                if "code" in body and isinstance(body["code"], int):
                    entry["code"] = body["code"]
                if "error" in body:
                    entry["error"] = body["error"]
        fault = request.environ.get("mock_zoho.fault")
        if fault:
            entry["fault"] = fault
        entry.update(g.get("journal", {}))
        emulator.journal.record(entry)
        terms = g.get("replay_terms")
        if terms is not None:
            emulator.replay.remember(request.environ, response.status_code, response.headers.items(), response.get_data(),
                                     entry, terms)
        return response

    @app.errorhandler(BooksAPIError)
    def _books_error(exc: BooksAPIError) -> Response:
        return json_response(exc.body(), exc.status, getattr(exc, "headers", None))

    @app.errorhandler(OAuthError)
    def _oauth_error(exc: OAuthError) -> Response:
        status = exc.status or emulator.config["oauth.error_http_status"]
        return json_response(exc.payload, status)

    @app.errorhandler(AdminError)
    def _admin_error(exc: AdminError) -> Response:
        return json_response(exc.body(), exc.status)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response:
        path = request.environ.get("PATH_INFO", "")
        if _area(path) == "admin":
            return json_response({"error": exc.description or exc.name}, exc.code or 400)
        if exc.code == 405:
            return json_response({"code": L.METHOD_NOT_ALLOWED.code, "message": L.METHOD_NOT_ALLOWED.message}, 405)
        if exc.code == 404:
            return json_response({"code": L.INVALID_URL.code, "message": L.INVALID_URL.message}, 404)
        if exc.code == 413:
            return json_response({"code": L.BODY_TOO_LARGE.code, "message": L.BODY_TOO_LARGE.message}, 400)
        return json_response({"code": L.INVALID_VALUE.code, "message": exc.name}, exc.code or 400)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        # Never a traceback to the client; the log keeps the type only (values may hold secrets).
        log.error("unexpected %s on %s %s", type(exc).__name__, request.method, request.environ.get("PATH_INFO"))
        if _area(request.environ.get("PATH_INFO", "")) == "admin":
            return json_response({"error": f"internal error ({type(exc).__name__})"}, 500)
        return json_response({"code": L.INTERNAL_ERROR.code, "message": L.INTERNAL_ERROR.message}, 500)

    wsgi = app.wsgi_app
    wsgi = emulator.faults.wrap_wsgi(wsgi)
    app.wsgi_app = DataCenterMiddleware(wsgi, emulator.config)  # type: ignore[method-assign]
    return app
