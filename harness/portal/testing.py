"""A portal wired to an emulator, for tests and scenarios: ``PortalWorld`` and the customer's journey.

    with testing.server() as zoho, PortalWorld.start(zoho) as world:
        user = zoho.admin.create_user(dc="eu")
        zoho.admin.create_org(users=[user], edition="uk")
        company = world.company("Acme")
        landed = world.link(company["redirect"], user["email"])      # Link URL -> consent -> callback
        assert landed.params["statusCode"] == "200"

Everything goes over HTTP (the portal's JSON API and Link pages, the emulator's consent pages through
``mock_zoho.testing.consent``); the customer is a ``requests`` session keeping cookies, as a browser does.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence
from urllib.parse import parse_qs, urlsplit

import requests

from harness.clock import Clock, ManualClock
from harness.connector import ZohoEndpoints
from mock_zoho import testing

from .platform import Platform
from .server import PortalServer, serve

__all__ = ["PortalWorld", "Landed", "endpoints_for"]


def endpoints_for(zoho: testing.ZohoTarget) -> ZohoEndpoints:
    """Zoho's real hosts for an in-process emulator; ``<base>/dc/<dc>`` for a served one."""
    return ZohoEndpoints() if zoho.mode == "inprocess" else ZohoEndpoints(zoho.base)


@dataclass
class Landed:
    """Where a Link journey ended: the last answer, and the query of its redirect (if any)."""

    response: requests.Response
    location: str
    params: dict[str, str] = field(default_factory=dict)
    steps: list[requests.Response] = field(default_factory=list)


@dataclass
class PortalWorld:
    zoho: testing.ZohoTarget
    platform: Platform
    portal: PortalServer
    client: dict[str, Any]
    api: requests.Session

    @classmethod
    def start(cls, zoho: testing.ZohoTarget, *, db: str = ":memory:", clock: Clock | None = None,
              settings: Mapping[str, Any] | None = None, enabled_dcs: Sequence[str] = ("us", "eu", "uk", "in"),
              configure: bool = True, enable: bool = True) -> "PortalWorld":
        """A served portal pointed at ``zoho``, with its own OAuth client registered there (and, by
        default, its keys saved in the portal and the integration enabled)."""
        platform = Platform(endpoints_for(zoho), db=db, clock=clock or ManualClock(), settings=settings)
        portal = serve(platform)
        client = zoho.admin.create_client("Portal under test", redirect_uris=[platform.redirect_uri],
                                          enabled_dcs=list(enabled_dcs))
        world = cls(zoho, platform, portal, client, requests.Session())
        if configure:
            world.call("PUT", "/api/integrations/zoho-books", json={
                "client_id": client["client_id"], "client_secret": client["client_secret"],
                "enable": "now" if enable else "later"})
        return world

    @property
    def url(self) -> str:
        return self.portal.url

    def call(self, method: str, path: str, expect: int | None = None, **kwargs: Any) -> Any:
        """A JSON API call; raises with the answer when it is not 2xx (or not ``expect``)."""
        r = self.api.request(method, f"{self.url}{path}", timeout=60, **kwargs)
        if (expect is not None and r.status_code != expect) or (expect is None and not 200 <= r.status_code < 300):
            raise AssertionError(f"{method} {path} answered {r.status_code}: {r.text[:500]}")
        return r.json() if r.content else None

    def company(self, name: str = "Acme", **fields: Any) -> dict[str, Any]:
        return self.call("POST", "/api/companies", json={"name": name, **fields})

    def link(self, link_url: str, email: str, decision: str = "accept", *, platform_key: str | None = "rwuv",
             customer: requests.Session | None = None) -> Landed:
        """The customer's journey: open the Link URL (choosing ``platform_key``), consent at Zoho as
        ``email``, follow the callback; stops at the first answer that leaves portal and Zoho."""
        customer = customer or requests.Session()
        url = link_url + (f"&platform={platform_key}" if platform_key else "")
        steps = [customer.get(url, allow_redirects=False, timeout=60)]
        location = steps[-1].headers.get("Location", "")
        if steps[-1].status_code == 302 and "/oauth/v2/auth" in location:
            steps.append(testing.consent(customer, location, email, decision))
            location = steps[-1].headers.get("Location", "")
            if steps[-1].status_code == 302 and location.startswith(f"{self.url}/oauth/callback"):
                steps.append(customer.get(location, allow_redirects=False, timeout=60))
                location = steps[-1].headers.get("Location", "")
        params = {k: v[0] for k, v in parse_qs(urlsplit(location).query, keep_blank_values=True).items()}
        return Landed(steps[-1], location, params, steps)

    def close(self) -> None:
        self.portal.stop()
        self.platform.close()

    def __enter__(self) -> "PortalWorld":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
