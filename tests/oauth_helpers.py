"""HTTP-only helpers for the OAuth tests: what an independent client does, with plain requests.

Nothing here imports the emulator: the consent pages are read the way a script would read them
(hidden form fields), and the code is exchanged at the ``accounts-server`` of the callback.
(No tests in this module; it is named test_* only to stay inside the OAuth tests' files.)
"""
from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

REDIRECT = "https://app.example.test/oauth/callback"
SCOPE = "ZohoBooks.fullaccess.all"
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')
_ACTION = re.compile(r'<form method="post" action="([^"]+)"')


def make_user(zoho, email: str, dc: str = "us") -> dict[str, Any]:
    r = zoho.admin("POST", "users", json={"email": email, "dc": dc})
    assert r.status_code == 201, r.text
    return r.json()["user"]


def make_client(zoho, **fields: Any) -> dict[str, Any]:
    body = {"client_name": "Test App", "redirect_uris": [REDIRECT], "home_dc": "us", "enabled_dcs": ["us", "eu"]}
    body.update(fields)
    r = zoho.admin("POST", "clients", json=body)
    assert r.status_code == 201, r.text
    return r.json()["client"]


def form_of(page_html: str, page_url: str) -> tuple[str, dict[str, str]]:
    """The form's absolute action URL and its hidden fields, as a browser would post them."""
    action = _ACTION.search(page_html)
    assert action, page_html[:500]
    fields = {html.unescape(k): html.unescape(v) for k, v in _HIDDEN.findall(page_html)}
    return urljoin(page_url, html.unescape(action.group(1))), fields


def start(zoho, client: dict[str, Any], *, start_dc: str = "us", scope: str = SCOPE, access_type: str = "offline",
          prompt: str | None = "consent", state: str | None = "st-123", redirect_uri: str = REDIRECT, **extra: str):
    params = {"client_id": client["client_id"], "response_type": "code", "redirect_uri": redirect_uri,
              "scope": scope, "access_type": access_type}
    if prompt:
        params["prompt"] = prompt
    if state is not None:
        params["state"] = state
    params.update(extra)
    return zoho.session.get(f"{zoho.accounts_url(start_dc)}/oauth/v2/auth", params=params, allow_redirects=False)


def authorize(zoho, client: dict[str, Any], email: str, *, decision: str = "accept", **kwargs: Any):
    """GET /auth, sign in, then Accept/Deny; returns the final response (a 302 unless something failed)."""
    page = start(zoho, client, **kwargs)
    assert page.status_code == 200, page.text[:500]
    action, fields = form_of(page.text, page.url)
    signed = zoho.session.post(action, data={**fields, "email": email}, allow_redirects=False)
    if signed.status_code != 200:
        return signed  # a redirect (consent skipped) or an error page
    action, fields = form_of(signed.text, signed.url)
    return zoho.session.post(action, data={**fields, "decision": decision}, allow_redirects=False)


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
    r = zoho.admin("POST", "clock", json={"advance": seconds})
    assert r.status_code == 200, r.text
