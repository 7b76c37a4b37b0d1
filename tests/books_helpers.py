"""Shared helpers for the Books tests: users, tokens (self-client flow, over HTTP only), orgs, calls.

Everything goes through the emulator's HTTP surface exactly as a harness would: admin routes to
build the world, the accounts token endpoint for tokens, the Books API for the rest.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

import requests

FULL = ("ZohoBooks.fullaccess.all",)


def make_user(zoho, dc: str = "us", email: str | None = None) -> dict[str, Any]:
    return zoho.admin.create_user(email, dc=dc)


def get_token(zoho, user: dict[str, Any], scopes: Iterable[str] = FULL) -> str:
    """Self-client flow: register a client, mint a code with ``scopes``, exchange it."""
    return zoho.token(user, scopes).access_token


def get_grant(zoho, user: dict[str, Any], scopes: Iterable[str] = FULL) -> tuple[dict[str, Any], dict[str, Any]]:
    """(client, token response) of the self-client flow: what a client library is configured with."""
    grant = zoho.token(user, scopes)
    return grant.client, grant.body


def make_org(zoho, users: list[dict[str, Any]], edition: str = "us", counts: dict[str, int] | None = None,
             **extra: Any) -> dict[str, Any]:
    return zoho.admin.create_org(extra.pop("name", None), users=users, edition=edition, counts=counts or {}, **extra)


def put_records(zoho, org_id: str, resource: str, records: list[dict[str, Any]]) -> list[str]:
    return zoho.admin.put_records(org_id, resource, records)


@dataclass
class Books:
    """A Books client bound to one token (and optionally one org) in one DC."""

    zoho: Any
    token: str
    dc: str = "us"
    org_id: str | None = None
    scheme: str = "Zoho-oauthtoken"

    @property
    def base(self) -> str:
        return self.zoho.books_url(self.dc)

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        return {"Authorization": f"{self.scheme} {self.token}", **(extra or {})}

    def call(self, method: str, path: str, *, params: dict[str, Any] | None = None, org: bool = True,
             headers: dict[str, str] | None = None, base: str | None = None, **kwargs: Any) -> requests.Response:
        params = dict(params or {})
        if org and self.org_id and "organization_id" not in params:
            params["organization_id"] = self.org_id
        url = f"{base or self.base}/{path.lstrip('/')}"
        return self.zoho.session.request(method, url, params=params, headers=self.headers(headers), **kwargs)

    def get(self, path: str, **kw: Any) -> requests.Response:
        return self.call("GET", path, **kw)

    def post(self, path: str, body: Any = None, **kw: Any) -> requests.Response:
        return self.call("POST", path, json=body, **kw) if body is not None else self.call("POST", path, **kw)

    def put(self, path: str, body: Any = None, **kw: Any) -> requests.Response:
        return self.call("PUT", path, json=body, **kw)

    def delete(self, path: str, **kw: Any) -> requests.Response:
        return self.call("DELETE", path, **kw)

    def ok(self, method: str, path: str, **kw: Any) -> dict[str, Any]:
        r = self.call(method, path, **kw)
        assert r.status_code in (200, 201), (r.status_code, r.text)
        body = r.json()
        assert body["code"] == 0, body
        return body


def world(zoho, dc: str = "us", edition: str = "us", counts: dict[str, int] | None = None,
          scopes: Iterable[str] = FULL, **org_extra: Any) -> Books:
    """One user in ``dc`` with one org and a full-access token: the usual starting point."""
    user = make_user(zoho, dc)
    org = make_org(zoho, [user], edition, counts, **org_extra)
    books = Books(zoho, get_token(zoho, user, scopes), dc, org["organization_id"])
    books.user = user  # type: ignore[attr-defined]
    books.org = org  # type: ignore[attr-defined]
    return books


def assert_zoho_error(r: requests.Response, status: int, code: int) -> dict[str, Any]:
    assert r.status_code == status, (r.status_code, r.text)
    assert r.headers["Content-Type"].startswith("application/json"), r.headers
    body = r.json()
    assert set(body) == {"code", "message"}, body
    assert body["code"] == code, body
    return body
