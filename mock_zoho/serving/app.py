"""The Flask app: the three areas' blueprints, each area's error mapping, and the journal.

Every error leaves in its caller's shape (each area maps its domain errors: Books in
``books.views``, OAuth in ``accounts.views``, admin in ``admin.helpers``; anything unexpected
becomes Zoho's code 1000 without a traceback); after each answer the exchange is journaled with
secrets redacted. The middlewares around it are ``mock_zoho.serving.stack``'s.
"""
from __future__ import annotations

import logging
import re
import time
from typing import Any

from flask import Flask, Response, g, request
from werkzeug.exceptions import ClientDisconnected, HTTPException

from .. import literals as L
from ..accounts.views import blueprint as accounts_bp
from ..accounts.views import oauth_error_response
from ..admin.helpers import admin_error_response
from ..admin.views import blueprint as admin_bp
from ..books.views import blueprint as books_bp
from ..books.replay import is_verify_render
from ..books.views import books_error_response
from ..context import ADMIN_API_VERSION, ADMIN_PREFIX, ADMIN_VERSION_HEADER, ADMIN_VERSIONED_PREFIX, area
from ..errors import BooksError, InvalidInput, OAuthError
from ..http import json_response
from .journaling import commit_entry, exchange_entry, journaled_with_write

log = logging.getLogger("mock_zoho")
UNKNOWN_VERSION = re.compile(rf"^{ADMIN_PREFIX}/v(\d+)(?:/|$)")


def flask_app(emulator: Any) -> Flask:
    """The Flask app of ``emulator``, without the middlewares (``stack.build_app`` adds them)."""
    app = Flask("mock_zoho", template_folder="templates")
    app.url_map.strict_slashes = False
    app.config["MAX_CONTENT_LENGTH"] = None  # size is checked per area, to answer in its shape
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions["mock_zoho"] = emulator
    app.register_blueprint(admin_bp, url_prefix=ADMIN_VERSIONED_PREFIX, name="admin_v1")
    app.register_blueprint(admin_bp, url_prefix=ADMIN_PREFIX)  # the current version, unprefixed
    app.register_blueprint(accounts_bp)
    app.register_blueprint(books_bp)
    emulator.books.commit_entry = commit_entry(emulator)  # a Books write's entry commits with it

    @app.before_request
    def _start() -> None:
        g.started = time.perf_counter()
        g.vstarted = emulator.clock.now()
        g.journal = {}

    @app.after_request
    def _finish(response: Response) -> Response:
        response.headers.setdefault("Server", L.SERVER_HEADER)
        environ = request.environ
        where = area(environ.get("PATH_INFO", request.path))
        if where == "admin":
            response.headers[ADMIN_VERSION_HEADER] = str(ADMIN_API_VERSION)
            return response
        if is_verify_render(environ) or journaled_with_write():  # no entry for a replay's check; one per write
            return response

        def body() -> Any:
            if response.mimetype != "application/json" or response.direct_passthrough:
                return None
            try:
                return response.get_json(silent=True)
            except Exception:  # a fault may have broken the body on purpose
                return None

        entry = exchange_entry(emulator, where, response.status_code, body)
        emulator.journal.record(entry)
        terms = g.get("replay_terms")
        if terms is not None:
            emulator.replay.remember(environ, response.status_code, response.headers.items(), response.get_data(),
                                     entry, terms)
        return response

    app.register_error_handler(BooksError, books_error_response)
    app.register_error_handler(OAuthError, oauth_error_response)
    app.register_error_handler(InvalidInput, admin_error_response)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response:
        path = request.environ.get("PATH_INFO", "")
        if area(path) == "admin":
            version = UNKNOWN_VERSION.match(path)
            if exc.code == 404 and version and version.group(1) != str(ADMIN_API_VERSION):
                return json_response({"error": f"this emulator serves admin API v{ADMIN_API_VERSION} (under "
                                               f"{ADMIN_VERSIONED_PREFIX} and {ADMIN_PREFIX}), not v{version.group(1)}",
                                      "field": "version"}, 404)
            return json_response({"error": exc.description or exc.name}, exc.code or 400)
        if exc.code == 405:
            return json_response({"code": L.METHOD_NOT_ALLOWED.code, "message": L.METHOD_NOT_ALLOWED.message}, 405)
        if exc.code == 404:
            return json_response({"code": L.INVALID_URL.code, "message": L.INVALID_URL.message}, 404)
        if exc.code == 413:
            return json_response({"code": L.BODY_TOO_LARGE.code, "message": L.BODY_TOO_LARGE.message}, 400)
        return json_response({"code": L.INVALID_VALUE.code, "message": exc.name}, exc.code or 400)

    @app.errorhandler(OSError)
    @app.errorhandler(ClientDisconnected)  # werkzeug's word for a body that ended (or timed out) early
    def _unreadable_body(exc: Exception) -> Response:
        # The body could not be read: a broken chunked encoding, a client that stopped sending
        # (the server's read timeout). The caller's fault: a 400 in its area's shape.
        log.warning("unreadable request body (%s) on %s %s", type(exc).__name__, request.method,
                    request.environ.get("PATH_INFO"))
        where = area(request.environ.get("PATH_INFO", ""))
        status = 400
        if where == "admin":
            body: dict[str, Any] = {"error": "the request body could not be read", "field": "body"}
        elif where == "accounts":  # as every token-endpoint error: Zoho's status (HTTP 200 by default)
            body, status = {"error": L.OAUTH_INVALID_REQUEST}, emulator.config["oauth.error_http_status"]
        else:
            body = {"code": L.INVALID_VALUE.code, "message": L.INVALID_VALUE.render(field="request body")}
        # what is left of the body cannot be told from the next request: the connection must close
        return json_response(body, status, {"Connection": "close"})

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        # Never a traceback to the client; the log keeps the type only (values may hold secrets).
        log.error("unexpected %s on %s %s", type(exc).__name__, request.method, request.environ.get("PATH_INFO"))
        if area(request.environ.get("PATH_INFO", "")) == "admin":
            return json_response({"error": f"internal error ({type(exc).__name__})"}, 500)
        return json_response({"code": L.INTERNAL_ERROR.code, "message": L.INTERNAL_ERROR.message}, 500)

    return app
