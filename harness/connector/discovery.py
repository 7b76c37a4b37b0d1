"""After a code exchange: which organisation does this link read, and who linked it?

``GET {api_domain}/books/v3/organizations`` lists the user's orgs in that DC; the choice follows
``link.org_selection``: ``default`` (the org flagged ``is_default_org``, else the first with a
warning), ``first``, ``picker`` (the user chooses: without ``organization_id`` the answer has
``needs_pick`` and the list), or a given id. Then ``GET /organizations/{id}`` (the edition) and
``GET /users/me`` (the Zoho user, who the 20-refresh-tokens cap counts against). The chosen id is
pinned on the connection and sent on every call; the server's default-org fallback is never relied on.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import requests

from .endpoints import ZohoEndpoints
from .errors import BooksError
from .oauth import TokenSet
from .settings import ConnectorSettings

__all__ = ["OrgChoice", "discover_organization", "edition_of", "SELECTIONS"]

SELECTIONS = ("default", "first", "picker")
# Country as Zoho writes it (org list, address) -> edition code.
_EDITIONS = {"u.s.a": "us", "usa": "us", "united states": "us", "u.k": "uk", "uk": "uk", "united kingdom": "uk",
             "india": "in", "australia": "au", "canada": "ca", "mexico": "mx", "kenya": "ke",
             "south africa": "za", "united arab emirates": "uae", "uae": "uae", "saudi arabia": "gcc",
             "bahrain": "gcc", "kuwait": "gcc", "oman": "gcc", "qatar": "gcc"}
TIMEOUT_S = 30


@dataclass
class OrgChoice:
    organization_id: str | None
    name: str
    edition: str | None
    dc: str | None
    zoho_user_id: str | None
    warnings: list[str] = field(default_factory=list)
    organizations: list[dict[str, Any]] = field(default_factory=list)

    @property
    def needs_pick(self) -> bool:
        """``picker`` selection with no id yet: show ``organizations`` to the user."""
        return self.organization_id is None


def edition_of(org: dict[str, Any]) -> str | None:
    """The edition (country version) from ``country`` or ``address.country``: ``U.K`` -> ``uk``."""
    for country in (org.get("country"), (org.get("address") or {}).get("country")):
        if isinstance(country, str) and country.strip():
            return _EDITIONS.get(country.strip().lower().rstrip("."), "global")
    return None


def _get(session: requests.Session, url: str, token: TokenSet, params: dict[str, str] | None = None) -> dict:
    try:
        r = session.get(url, params=params or {}, timeout=TIMEOUT_S,
                        headers={"Authorization": f"Zoho-oauthtoken {token.access_token}"})
    except requests.RequestException as exc:
        raise BooksError(None, None, f"no answer ({type(exc).__name__})", path=url) from None
    try:
        body = r.json()
    except ValueError:
        body = {}
    if r.status_code != 200 or not isinstance(body, dict) or body.get("code") not in (0, None):
        raise BooksError.from_body(r.status_code, body, path=url)
    return body


def discover_organization(token: TokenSet, *, selection: str = "default", organization_id: str | None = None,
                          session: requests.Session | None = None, endpoints: ZohoEndpoints | None = None,
                          settings: ConnectorSettings | None = None) -> OrgChoice:
    """Choose the org a new link reads (raises ``BooksError`` when Books refuses, ``ValueError`` for a
    bad ``selection`` or an ``organization_id`` the user does not have)."""
    if selection not in SELECTIONS:
        raise ValueError(f"selection must be one of {', '.join(SELECTIONS)}, not {selection!r}")
    session = session or requests.Session()
    settings = settings or ConnectorSettings()
    endpoints = endpoints or ZohoEndpoints()
    api = endpoints.api_url() if settings.ignore_api_domain else token.api_domain
    root = ZohoEndpoints.books_root(api)
    orgs = [o for o in _get(session, f"{root}/organizations", token).get("organizations") or []
            if isinstance(o, dict) and o.get("organization_id")]
    dc = endpoints.location_of(api) or token.location
    warnings: list[str] = []
    if not orgs:
        raise BooksError(200, 0, "this Zoho user has no Books organisation in this data center",
                         path=f"{root}/organizations")
    chosen: dict[str, Any] | None
    if organization_id is not None:
        chosen = next((o for o in orgs if str(o["organization_id"]) == str(organization_id)), None)
        if chosen is None:
            raise ValueError(f"organization_id {organization_id!r} is not one of this user's organisations")
    elif selection == "picker" and len(orgs) > 1:
        return OrgChoice(None, "", None, dc, None, [], orgs)
    elif selection == "first":
        chosen = orgs[0]
    else:
        chosen = next((o for o in orgs if o.get("is_default_org")), None)
        if chosen is None:
            chosen = orgs[0]
            if len(orgs) > 1:
                warnings.append(f"no default organisation; linked the first of {len(orgs)}: "
                                f"{chosen.get('name')} ({chosen['organization_id']})")
    org_id = str(chosen["organization_id"])
    detail = _get(session, f"{root}/organizations/{org_id}", token, {"organization_id": org_id}).get(
        "organization") or {}
    me = _get(session, f"{root}/users/me", token, {"organization_id": org_id}).get("user") or {}
    return OrgChoice(org_id, str(detail.get("name") or chosen.get("name") or ""),
                     edition_of(detail) or edition_of(chosen), dc,
                     str(me["user_id"]) if me.get("user_id") else None, warnings, orgs)
