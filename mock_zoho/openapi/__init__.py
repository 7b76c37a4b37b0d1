"""The emulator's own OpenAPI 3.0 description: Books v3 subset, Zoho Accounts (OAuth) and the admin API.

Written by the project (not Zoho's files, whose errata reference §7 lists), built from the running
configuration so that switchable wire details (``books.vendorcredits_list_key``,
``books.coa_detail_key``, ``books.fiscal_month_as``, ...) are described as currently served. Served
at ``GET /__admin/openapi.json``; the contract suite validates every emulator answer against it and
a schemathesis run fuzzes the emulator with it (``tests/test_openapi_schemathesis.py``).

    from mock_zoho.openapi import build_description
    description = build_description()           # a dict, JSON-ready
"""
from __future__ import annotations

from typing import Any, Mapping

from ..config import Config
from ..dc import DATA_CENTERS
from .accounts import accounts_paths
from .admin import admin_paths
from .books import books_part
from .schemas import RATE_HEADER_DEFS, components, error_responses

OPENAPI_VERSION = "3.0.3"
TITLE = "mock_zoho: Zoho Accounts + Zoho Books API v3 emulator"


def _package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("zoho-books-harness")
    except PackageNotFoundError:
        return "0"


def build_description(config: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The description for ``config`` (the emulator's ``Config``, or defaults when None)."""
    if config is None:
        config = Config()
    books_paths, books_schemas = books_part(config)
    locations = [dc for dc in DATA_CENTERS if dc != "cn" or config["dc.cn.enabled"]]
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": TITLE,
            "version": _package_version(),
            "description": (
                "What the emulator serves, described by the project from Zoho's documented behaviour and the "
                "emulator's documented choices (README 'Where Zoho is silent'). Books paths are also served "
                "under /api/v3; every path is served on each DC's base (/dc/<location>) or Zoho's real hosts "
                "in-process. Books answers {code, message} envelopes; the token endpoint answers errors as "
                "{error} under HTTP 200; the admin API answers {error, field}."),
        },
        "servers": [
            {"url": "/", "description": "the us data center (no prefix)"},
            {"url": "/dc/{location}", "description": "one data center",
             "variables": {"location": {"default": "us", "enum": locations}}},
        ],
        "tags": [{"name": "books", "description": "Zoho Books API v3 (reference §3-§6)"},
                 {"name": "oauth", "description": "Zoho Accounts OAuth 2.0 (reference §2)"},
                 {"name": "admin", "description": "The emulator's admin API (README 'Admin API')"}],
        "paths": {**books_paths, **accounts_paths(), **admin_paths()},
        "components": {
            "schemas": {**components(), **books_schemas},
            "responses": error_responses(),
            "headers": RATE_HEADER_DEFS,
            "securitySchemes": {"zohoOAuthToken": {
                "type": "apiKey", "in": "header", "name": "Authorization",
                "description": "Zoho-oauthtoken <access_token> (or Bearer <access_token>, books.accept_bearer)"}},
        },
    }
