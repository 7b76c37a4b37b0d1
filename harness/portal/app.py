"""The portal's Flask app: JSON API under ``/api``, server-rendered pages elsewhere, one error policy.

Every error under ``/api`` (bad JSON, unknown route, wrong method, bad field) answers
``{"error": ..., "field": ...}`` with its 4xx; pages answer with a page. An unexpected exception is
logged (redacted) and answered 500 without a traceback, but tests hold every endpoint to 4xx.
"""
from __future__ import annotations

import logging
from typing import Any

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from harness.redact import redact

from .api import api
from .errors import ApiError
from .pages import pages
from .settings import SettingError

log = logging.getLogger("harness.portal.app")


def create_app(platform: Any) -> Flask:
    app = Flask(__name__)
    app.config.update(MAX_CONTENT_LENGTH=1 << 20, TEMPLATES_AUTO_RELOAD=False)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions["platform"] = platform

    app.register_blueprint(api)
    app.register_blueprint(pages)

    def wants_json() -> bool:
        return request.path.startswith("/api/") or request.path == "/api"

    @app.errorhandler(ApiError)
    def api_error(exc: ApiError):  # type: ignore[no-untyped-def]
        if wants_json():
            return jsonify(exc.body()), exc.status
        return render_template("message.html", title="Not possible", text=exc.message), exc.status

    @app.errorhandler(SettingError)
    def setting_error(exc: SettingError):  # type: ignore[no-untyped-def]
        return api_error(ApiError(400, exc.message, exc.field))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):  # type: ignore[no-untyped-def]
        status = exc.code or 500
        if wants_json():
            field = "body" if status in (400, 413, 415) else "path" if status == 404 else "method" if status == 405 else None
            body: dict[str, Any] = {"error": exc.name.lower() if status != 404 else "no such endpoint"}
            if field:
                body["field"] = field
            response = jsonify(body)
            response.status_code = status
            if status == 405 and exc.valid_methods:  # type: ignore[attr-defined]
                response.headers["Allow"] = ", ".join(exc.valid_methods)  # type: ignore[attr-defined]
            return response
        return render_template("message.html", title=exc.name, text=exc.description), status

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):  # type: ignore[no-untyped-def]
        log.error("unexpected error on %s %s: %s", request.method, redact(request.path), redact(repr(exc)))
        if wants_json():
            return jsonify({"error": "internal error"}), 500
        return render_template("message.html", title="Something went wrong", text="Unknown error occurred."), 500

    @app.after_request
    def headers(response):  # type: ignore[no-untyped-def]
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")  # Link URLs carry one-time passwords
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    return app


def platform_of(app: Flask) -> Any:
    return app.extensions["platform"]
