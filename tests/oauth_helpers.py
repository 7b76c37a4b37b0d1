"""HTTP-only helpers for the OAuth tests: what an independent client does, with plain requests.

The world is built and the consent pages are walked through ``mock_zoho.testing`` (the public
testing API); the code is exchanged at the ``accounts-server`` of the callback. No tests here.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from mock_zoho.testing import consent

REDIRECT = "https://app.example.test/oauth/callback"
SCOPE = "ZohoBooks.fullaccess.all"


def make_user(zoho, email: str, dc: str = "us") -> dict[str, Any]:
    return zoho.admin.create_user(email, dc=dc)


def make_client(zoho, **fields: Any) -> dict[str, Any]:
    body = {"client_name": "Test App", "redirect_uris": [REDIRECT], "home_dc": "us", "enabled_dcs": ["us", "eu"]}
    body.update(fields)
    return zoho.admin.create_client(**body)


def auth_url(zoho, client: dict[str, Any], *, start_dc: str = "us", scope: str = SCOPE, access_type: str = "offline",
             prompt: str | None = "consent", state: str | None = "st-123", redirect_uri: str = REDIRECT,
             **extra: str) -> str:
    params = {"client_id": client["client_id"], "response_type": "code", "redirect_uri": redirect_uri,
              "scope": scope, "access_type": access_type}
    if prompt:
        params["prompt"] = prompt
    if state is not None:
        params["state"] = state
    params.update(extra)
    return f"{zoho.accounts_url(start_dc)}/oauth/v2/auth?{urlencode(params)}"


def start(zoho, client: dict[str, Any], **kwargs: Any):
    """GET /oauth/v2/auth as a browser opens it (the sign-in page, or an error page)."""
    return zoho.session.get(auth_url(zoho, client, **kwargs), allow_redirects=False)


def authorize(zoho, client: dict[str, Any], email: str, *, decision: str = "accept", **kwargs: Any):
    """GET /auth, sign in, then Accept/Deny; returns the final response (a 302 unless something failed)."""
    return consent(zoho.session, auth_url(zoho, client, **kwargs), email, decision)


def callback(resp) -> dict[str, str]:
    """The query of the redirect the accounts server sent the browser to."""
    assert resp.status_code == 302, (resp.status_code, resp.text[:500])
    location = resp.headers["Location"]
    assert location.startswith(REDIRECT) or "?" in location
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query, keep_blank_values=True).items()}


def authorize_code(zoho, client: dict[str, Any], email: str, **kwargs: Any) -> dict[str, str]:
    return callback(authorize(zoho, client, email, **kwargs))


def token_post(zoho, accounts_server: str, **params: str):
    return zoho.session.post(f"{accounts_server}/oauth/v2/token", data=params)


def exchange(zoho, client: dict[str, Any], cb: dict[str, str], *, at: str | None = None, secret: str | None = None,
             redirect_uri: str = REDIRECT):
    """Exchange the callback's code at its accounts-server (or ``at``)."""
    return token_post(zoho, at or cb["accounts-server"], grant_type="authorization_code",
                      client_id=client["client_id"], client_secret=secret or client["client_secret"],
                      code=cb["code"], redirect_uri=redirect_uri)


def refresh(zoho, client: dict[str, Any], refresh_token: str, accounts_server: str, secret: str | None = None):
    return token_post(zoho, accounts_server, grant_type="refresh_token", client_id=client["client_id"],
                      client_secret=secret or client["client_secret"], refresh_token=refresh_token)


def linked(zoho, client: dict[str, Any], email: str, **kwargs: Any) -> tuple[dict[str, str], dict[str, Any]]:
    """A full link: consent, exchange; returns (callback params, token body)."""
    cb = authorize_code(zoho, client, email, **kwargs)
    body = exchange(zoho, client, cb).json()
    assert "access_token" in body, body
    return cb, body


def advance(zoho, seconds: float) -> None:
    zoho.admin.advance(seconds)
