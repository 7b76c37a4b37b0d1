"""Linking against an emulator without a portal: for the connector's tests, benchmarks and scenarios.

Does what a customer and the platform do at link time, over HTTP only: open the authorise URL,
sign in and Accept (``mock_zoho.testing.consent``, the browser stand-in), exchange the code at the
callback's ``accounts-server``, then discover the org. The real Zoho needs a person for the consent
step; everything after it is the connector's ordinary code.
"""
from __future__ import annotations

import uuid
from typing import Any, Iterable, Mapping
from urllib.parse import parse_qs, urlsplit

from mock_zoho import testing

from ..clock import Clock
from .datatypes import DATA_TYPES, scopes_for
from .discovery import OrgChoice, discover_organization
from .endpoints import ZohoEndpoints
from .oauth import OAuthClient, TokenSet
from .settings import ConnectorSettings
from .store import ConnectionAuth

__all__ = ["endpoints_for", "register_client", "callback_params", "link", "REDIRECT_URI"]

REDIRECT_URI = "https://platform.example/oauth/callback"


def endpoints_for(target: testing.ZohoTarget, home_dc: str = "us") -> ZohoEndpoints:
    """Zoho's real hosts for an in-process emulator, ``<base>/dc/<dc>`` for a served one."""
    return ZohoEndpoints(None if target.mode == "inprocess" else target.base, home_dc)


def register_client(target: testing.ZohoTarget, *, home_dc: str = "us", enabled_dcs: Iterable[str] = ("us", "eu", "uk"),
                    redirect_uri: str = REDIRECT_URI, **fields: Any) -> dict[str, Any]:
    """A server-based client in the developer console, "same credentials for all DCs" ticked."""
    return target.admin.create_client("Reference platform", redirect_uris=[redirect_uri], home_dc=home_dc,
                                      enabled_dcs=list(enabled_dcs), **fields)


def callback_params(response: Any) -> dict[str, str]:
    """The query of the consent redirect (what ``/oauth/callback`` receives)."""
    location = response.headers.get("Location", "")
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query, keep_blank_values=True).items()}


def link(target: testing.ZohoTarget, client: Mapping[str, Any], user: Mapping[str, Any], *,
         data_types: Iterable[str] = tuple(DATA_TYPES), endpoints: ZohoEndpoints | None = None,
         settings: ConnectorSettings | None = None, clock: Clock | None = None, selection: str = "default",
         company_id: str | None = None, connection_id: str | None = None,
         redirect_uri: str = REDIRECT_URI) -> tuple[ConnectionAuth, TokenSet, OrgChoice]:
    """One complete link of ``user`` to ``client``: consent, exchange, discovery. Raises ``OAuthError``
    or ``BooksError`` as the platform would see them, ``RuntimeError`` if consent did not redirect."""
    endpoints = endpoints or endpoints_for(target)
    oauth = OAuthClient(client["client_id"], client["client_secret"], redirect_uri, endpoints,
                        session=target.session, settings=settings, clock=clock or target.clock)
    state = uuid.uuid4().hex
    answer = testing.consent(target.session, oauth.authorize_url(scopes_for(data_types), state), user["email"])
    params = callback_params(answer)
    if answer.status_code != 302 or "code" not in params:
        raise RuntimeError(f"consent did not give a code: HTTP {answer.status_code} {params.get('error', '')}")
    if params.get("state") != state:
        raise RuntimeError("state mismatch on the callback")
    token = oauth.exchange(params["code"], params["accounts-server"], params.get("location"))
    choice = discover_organization(token, selection=selection, session=target.session, endpoints=endpoints,
                                   settings=settings)
    if token.refresh_token is None:
        raise RuntimeError("the exchange gave no refresh token (consent was not forced)")
    conn = ConnectionAuth(connection_id or uuid.uuid4().hex[:12], company_id or uuid.uuid4().hex[:12],
                          client["client_id"], client["client_secret"], token.refresh_token, token.accounts_server,
                          token.api_domain, token.location or params.get("location", ""), choice.organization_id or "")
    return conn, token, choice


def linked_org(target: testing.ZohoTarget, *, dc: str = "us", edition: str = "us", counts: Mapping[str, int] | None = None,
               plan: str | None = None, client: Mapping[str, Any] | None = None, user: Mapping[str, Any] | None = None,
               data_types: Iterable[str] = tuple(DATA_TYPES), settings: ConnectorSettings | None = None,
               ) -> tuple[ConnectionAuth, dict[str, Any], ZohoEndpoints]:
    """A user in ``dc`` owning one seeded org, linked to a (new) client: ``(connection, org, endpoints)``."""
    endpoints = endpoints_for(target)
    client = client or register_client(target, enabled_dcs=sorted({"us", "eu", "uk", dc}))
    user = user or target.admin.create_user(dc=dc)
    org = target.admin.create_org(users=[user], edition=edition, plan=plan, counts=counts or {})
    conn, _, _ = link(target, client, user, endpoints=endpoints, data_types=data_types, settings=settings)
    return conn, org, endpoints
