"""Zoho Accounts OAuth 2.0, server-based client: authorise URL, code exchange, refresh, revoke.

Zoho answers most token errors with HTTP 200 and a body holding only ``error``, so success is
``access_token`` in the body, never the status alone. ``api_domain`` of every answer (refresh
included) is where Books is called. The "Access Denied" body (HTTP 400, 10 access tokens per
refresh token per 10 minutes spent) is a throttle, not a revoked grant: ``OAuthError.throttled``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable
from urllib.parse import urlencode

import requests

from ..clock import Clock, WallClock
from ..redact import fingerprint, redact, redact_logs
from .endpoints import ZohoEndpoints
from .settings import ConnectorSettings

__all__ = ["OAuthClient", "OAuthError", "TokenSet", "THROTTLED", "AUTH_REVOKED", "BAD_KEYS"]

THROTTLED = "Access Denied"
AUTH_REVOKED = "invalid_code"              # revoked, evicted (21st token), unknown or other-DC refresh token
BAD_KEYS = frozenset({"invalid_client", "invalid_client_secret"})
CONNECTION_ERROR = "connection_error"      # no answer from the accounts server (ours, not Zoho's)
UNTRUSTED_SERVER = "untrusted_accounts_server"
TIMEOUT_S = 30
# urllib3 logs every request line at DEBUG, query string included.
HTTP_LOGGERS = ("urllib3.connectionpool",)


class OAuthError(Exception):
    """A failed token-endpoint call: ``error`` is Zoho's value (``invalid_code``, ``Access Denied``, ...)."""

    def __init__(self, error: str, http_status: int | None, description: str = "") -> None:
        self.error, self.http_status, self.description = error, http_status, redact(description or "")
        super().__init__(f"{error} (HTTP {http_status})" + (f": {self.description}" if self.description else ""))

    @property
    def throttled(self) -> bool:
        """Too many token requests: back off and retry later; the grant is still good."""
        return self.error == THROTTLED

    @property
    def revoked(self) -> bool:
        """The refresh token is gone (revoked, evicted, unknown): the connection is Deauthorized."""
        return self.error == AUTH_REVOKED

    @property
    def bad_keys(self) -> bool:
        return self.error in BAD_KEYS

    @property
    def transient(self) -> bool:
        """Worth retrying later (throttle, no answer, server error)."""
        return self.throttled or self.error == CONNECTION_ERROR or (self.http_status or 0) >= 500


@dataclass
class TokenSet:
    """One token answer. ``expires_at`` is on the connector's clock; tokens never appear in ``repr``."""

    access_token: str
    refresh_token: str | None
    api_domain: str
    expires_at: float
    accounts_server: str
    location: str | None = None

    def __repr__(self) -> str:
        return (f"TokenSet(access={fingerprint(self.access_token)}, refresh="
                f"{fingerprint(self.refresh_token) if self.refresh_token else None}, api_domain={self.api_domain!r}, "
                f"expires_at={self.expires_at:.0f}, accounts_server={self.accounts_server!r}, location={self.location!r})")

    __str__ = __repr__

    def expires_within(self, clock: Clock, seconds: float) -> bool:
        return clock.now() + seconds >= self.expires_at

    def to_dict(self) -> dict[str, Any]:
        """For a store that persists it (the store keeps it encrypted or private)."""
        return {"access_token": self.access_token, "refresh_token": self.refresh_token,
                "api_domain": self.api_domain, "expires_at": self.expires_at,
                "accounts_server": self.accounts_server, "location": self.location}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "TokenSet":
        return cls(data["access_token"], data.get("refresh_token"), data["api_domain"], float(data["expires_at"]),
                   data["accounts_server"], data.get("location"))


class OAuthClient:
    """The token endpoint of whichever accounts server a user lives on."""

    def __init__(self, client_id: str, client_secret: str, redirect_uri: str, endpoints: ZohoEndpoints, *,
                 session: requests.Session | None = None, settings: ConnectorSettings | None = None,
                 clock: Clock | None = None) -> None:
        self.client_id, self._secret, self.redirect_uri = client_id, client_secret, redirect_uri
        self.endpoints = endpoints
        self.session = session or requests.Session()
        self.settings = settings or ConnectorSettings()
        self.clock = clock or WallClock()

    def __repr__(self) -> str:
        return f"OAuthClient(client_id={self.client_id!r}, secret={fingerprint(self._secret)}, {self.endpoints!r})"

    def authorize_url(self, scopes: Iterable[str], state: str, dc: str = "us") -> str:
        """Zoho's consent page: offline access, consent forced (so every link mints a refresh token)."""
        params = {"client_id": self.client_id, "response_type": "code", "redirect_uri": self.redirect_uri,
                  "scope": ",".join(scopes), "access_type": "offline", "state": state}
        if not self.settings.no_prompt_consent:
            params["prompt"] = "consent"
        return f"{self.endpoints.accounts_url(dc)}/oauth/v2/auth?{urlencode(params)}"

    def exchange(self, code: str, accounts_server: str, location: str | None = None) -> TokenSet:
        """The callback's code, exchanged at the callback's ``accounts-server`` (checked to be Zoho's)."""
        if self.settings.exchange_at_home_dc:
            accounts_server = self.endpoints.accounts_url()
        elif not self.endpoints.is_accounts_server(accounts_server):
            raise OAuthError(UNTRUSTED_SERVER, None, f"{accounts_server!r} is not a Zoho accounts server")
        body = self._token_call(accounts_server, {
            "grant_type": "authorization_code", "client_id": self.client_id, "client_secret": self._secret,
            "redirect_uri": self.redirect_uri, "code": code})
        return self._token_set(body, accounts_server, location, refresh_token=body.get("refresh_token"))

    def refresh(self, refresh_token: str, accounts_server: str, location: str | None = None) -> TokenSet:
        body = self._token_call(accounts_server, {
            "grant_type": "refresh_token", "client_id": self.client_id, "client_secret": self._secret,
            "refresh_token": refresh_token})
        return self._token_set(body, accounts_server, location, refresh_token=refresh_token)

    def revoke(self, token: str, accounts_server: str) -> None:
        """Give a refresh token back (frees a slot of the user's 20). Zoho's documented form carries
        the token in the query string, so urllib3's request log is masked first, whoever uses us."""
        redact_logs(*HTTP_LOGGERS)
        try:
            r = self.session.post(f"{accounts_server.rstrip('/')}/oauth/v2/token/revoke", params={"token": token},
                                  timeout=TIMEOUT_S)
        except requests.RequestException as exc:
            raise OAuthError(CONNECTION_ERROR, None, type(exc).__name__) from None
        body = _json(r)
        if r.status_code != 200 or body.get("status") not in (None, "success") or "error" in body:
            raise OAuthError(str(body.get("error") or "revoke_failed"), r.status_code)

    # -- plumbing -----------------------------------------------------------------------------------
    def _token_call(self, accounts_server: str, data: dict[str, str]) -> dict[str, Any]:
        try:
            r = self.session.post(f"{accounts_server.rstrip('/')}/oauth/v2/token", data=data, timeout=TIMEOUT_S)
        except requests.RequestException as exc:
            raise OAuthError(CONNECTION_ERROR, None, type(exc).__name__) from None
        body = _json(r)
        if "access_token" in body and "error" not in body:
            return body
        if "error" in body:
            raise OAuthError(str(body["error"]), r.status_code, str(body.get("error_description") or ""))
        raise OAuthError("invalid_response", r.status_code, r.text[:200])

    def _token_set(self, body: dict[str, Any], accounts_server: str, location: str | None, *,
                   refresh_token: str | None) -> TokenSet:
        api_domain = body.get("api_domain") or self.endpoints.api_url(location or self.endpoints.home_dc.location)
        if location is None:
            location = self.endpoints.location_of(accounts_server)
        return TokenSet(body["access_token"], refresh_token, api_domain,
                        self.clock.now() + float(body.get("expires_in", 3600)), accounts_server.rstrip("/"), location)


def _json(r: requests.Response) -> dict[str, Any]:
    try:
        body = r.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
