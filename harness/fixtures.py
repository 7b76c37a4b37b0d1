"""pytest fixtures for users' own test suites: a Zoho with data in it, per test, in one line.

Loaded by the ``zoho_harness`` pytest plugin (installing the package is enough). Built only on
``mock_zoho.testing``; every test gets its own emulator, so tests and xdist workers share nothing
(a server binds its own free port).

    def test_my_sync_reads_invoices(zoho_connection):
        r = requests.get(f"{zoho_connection.books_url}/invoices", headers=zoho_connection.headers,
                         params={"organization_id": zoho_connection.organization_id})
        assert len(r.json()["invoices"]) == 5

Choose the mode with ``--zoho-mode inprocess|server`` (default ``inprocess``: code that calls Zoho's
real hostnames just works, no port) or per test with ``@pytest.mark.zoho(mode="server")``; the same
marker sets the world: ``dc``, ``edition``, ``plan``, ``counts``, ``seed``, ``config``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

import pytest
import requests

from mock_zoho import testing

MODES = ("inprocess", "server")
DEFAULT_WORLD: dict[str, Any] = {"dc": "us", "edition": "us", "plan": "professional",
                                 "counts": {"invoices": 5, "contacts": 5, "bills": 3}, "seed": 1234, "config": {}}
REDIRECT_URI = "https://app.example.test/oauth/callback"
CONNECTION_SCOPES = ("ZohoBooks.fullaccess.all",)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("zoho", "Zoho Books emulator fixtures")
    group.addoption("--zoho-mode", choices=MODES, default="inprocess",
                    help="How the zoho fixtures run the emulator: in process (no port) or a server on a free port.")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "zoho(mode=None, dc='us', edition='us', plan='professional', counts=None, "
                                       "seed=1234, config=None): the emulator and world of the zoho fixtures")


def world(request: pytest.FixtureRequest) -> dict[str, Any]:
    """The marker's settings over the defaults; an unknown key is an error naming it."""
    marker = request.node.get_closest_marker("zoho")
    given = dict(marker.kwargs) if marker else {}
    unknown = sorted(set(given) - set(DEFAULT_WORLD) - {"mode"})
    if unknown:
        raise pytest.UsageError(f"@pytest.mark.zoho: unknown setting {unknown[0]!r} "
                                f"(known: mode, {', '.join(DEFAULT_WORLD)})")
    mode = given.pop("mode", None) or request.config.getoption("--zoho-mode")
    if mode not in MODES:
        raise pytest.UsageError(f"@pytest.mark.zoho: mode must be one of {', '.join(MODES)}, got {mode!r}")
    return {**DEFAULT_WORLD, **given, "mode": mode}


@pytest.fixture
def zoho(request: pytest.FixtureRequest) -> Iterator[testing.ZohoTarget]:
    """A fresh, empty emulator (``mock_zoho.testing.ZohoTarget``) in the chosen mode."""
    w = world(request)
    make = testing.inprocess if w["mode"] == "inprocess" else testing.server
    with make(seed=w["seed"], config=w["config"] or None) as target:
        yield target


@dataclass
class ZohoOrg:
    """A Zoho user in ``dc`` who owns one seeded Books organisation."""

    user: dict[str, Any]
    organization: dict[str, Any]
    dc: str

    @property
    def organization_id(self) -> str:
        return self.organization["organization_id"]


@pytest.fixture
def zoho_org(zoho: testing.ZohoTarget, request: pytest.FixtureRequest) -> ZohoOrg:
    """One user and one organisation, seeded as the ``zoho`` marker says (5 invoices, 5 contacts, 3 bills)."""
    w = world(request)
    user = zoho.admin.create_user(dc=w["dc"])
    org = zoho.admin.create_org(users=[user], edition=w["edition"], plan=w["plan"], counts=w["counts"])
    return ZohoOrg(user, org, w["dc"])


@dataclass
class ZohoConnection:
    """A linked connection as an integration holds it after consent: a server-based client, the
    tokens of the exchange (made at the user's own accounts server) and the org to call."""

    client: dict[str, Any]
    tokens: dict[str, Any] = field(repr=False)
    org: ZohoOrg
    accounts_server: str

    @property
    def client_id(self) -> str:
        return self.client["client_id"]

    @property
    def client_secret(self) -> str:
        return self.client["client_secret"]

    @property
    def access_token(self) -> str:
        return self.tokens["access_token"]

    @property
    def refresh_token(self) -> str:
        return self.tokens["refresh_token"]

    @property
    def api_domain(self) -> str:
        return self.tokens["api_domain"]

    @property
    def books_url(self) -> str:
        return f"{self.api_domain}/books/v3"

    @property
    def organization_id(self) -> str:
        return self.org.organization_id

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Zoho-oauthtoken {self.access_token}"}


@pytest.fixture
def zoho_connection(zoho: testing.ZohoTarget, zoho_org: ZohoOrg) -> ZohoConnection:
    """Consent given and the code exchanged: tokens in hand for ``zoho_org``."""
    client = zoho.admin.create_client("pytest app", redirect_uris=[REDIRECT_URI], home_dc="us",
                                      enabled_dcs=sorted({"us", zoho_org.dc}))
    query = {"client_id": client["client_id"], "response_type": "code", "redirect_uri": REDIRECT_URI,
             "scope": ",".join(CONNECTION_SCOPES), "access_type": "offline", "prompt": "consent", "state": "pytest"}
    url = requests.Request("GET", f"{zoho.accounts_url('us')}/oauth/v2/auth", params=query).prepare().url or ""
    callback = testing.redirect_params(zoho.consent(url, zoho_org.user["email"]))
    if "code" not in callback:
        raise RuntimeError(f"consent did not give a code: {callback}")
    r = zoho.session.post(f"{callback['accounts-server']}/oauth/v2/token", timeout=60, data={
        "grant_type": "authorization_code", "client_id": client["client_id"], "client_secret": client["client_secret"],
        "redirect_uri": REDIRECT_URI, "code": callback["code"]})
    tokens = r.json()
    if "access_token" not in tokens:
        raise RuntimeError(f"the code exchange failed: {tokens.get('error')}")
    return ZohoConnection(client, tokens, zoho_org, callback["accounts-server"])


@pytest.fixture
def zoho_clock(zoho: testing.ZohoTarget) -> testing.VirtualClock:
    """The emulator's virtual clock: ``advance(3601)`` expires every access token at once."""
    return zoho.clock


class ZohoFaults:
    """Fault rules for this test's emulator (``add("rate_limit", path="/books/v3/invoices*", count=2)``);
    they end with the test's emulator."""

    def __init__(self, admin: testing.AdminClient) -> None:
        self._admin = admin

    def add(self, action: str | dict[str, Any], **rule: Any) -> dict[str, Any]:
        return self._admin.add_fault(action, **rule)

    def clear(self) -> None:
        self._admin.clear_faults()

    def fired(self) -> list[dict[str, Any]]:
        """Journal entries a fault rule answered."""
        return [e for e in self._admin.requests() if e.get("fault")]


@pytest.fixture
def zoho_faults(zoho: testing.ZohoTarget) -> ZohoFaults:
    return ZohoFaults(zoho.admin)
