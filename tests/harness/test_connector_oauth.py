"""Connector step 1: endpoints, OAuth client, org discovery, settings, redaction, clocks.

Every OAuth test runs against an emulator in process (Zoho's real hostnames) and served on a free
port (``<base>/dc/<dc>``), through the connector's own HTTP code only.
"""
from __future__ import annotations

import logging

import pytest

from harness.clock import Clock, ManualClock, WallClock, iso
from harness.connector import (ConnectionAuth, ConnectorSettings, OAuthClient, OAuthError, SettingsError,
                               TokenSet, UnknownDataCenter, ZohoEndpoints, discover_organization, scopes_for)
from harness.connector.emulated import REDIRECT_URI, endpoints_for, link, register_client
from harness.redact import fingerprint, redact
from mock_zoho import testing


@pytest.fixture(params=["inprocess", "server"])
def zoho(request):
    target = testing.inprocess(seed=7) if request.param == "inprocess" else testing.server(seed=7)
    with target:
        yield target


# ---- endpoints -----------------------------------------------------------------------------------
def test_real_hosts_per_data_center():
    ep = ZohoEndpoints()
    assert ep.accounts_url("eu") == "https://accounts.zoho.eu"
    assert ep.accounts_url("ca") == "https://accounts.zohocloud.ca"
    assert ep.api_url("ca") == "https://www.zohoapis.ca"
    assert ep.api_url("uk") == "https://www.zohoapis.uk"
    assert ep.accounts_url() == "https://accounts.zoho.com"
    assert ep.location_of("https://www.zohoapis.com.au") == "au"
    assert ep.is_accounts_server("https://accounts.zoho.eu")
    assert not ep.is_accounts_server("https://www.zohoapis.eu")          # an API domain, not accounts
    assert not ep.is_accounts_server("https://accounts.zoho.eu.evil.example")
    assert not ep.is_accounts_server("http://accounts.zoho.eu")          # never send a secret in clear
    with pytest.raises(UnknownDataCenter, match="ae"):
        ep.accounts_url("ae")


def test_emulator_base_url_per_data_center():
    ep = ZohoEndpoints("http://127.0.0.1:8080/", home_dc="eu")
    assert ep.accounts_url() == "http://127.0.0.1:8080/dc/eu"
    assert ep.api_url("uk") == "http://127.0.0.1:8080/dc/uk"
    assert ep.location_of("http://127.0.0.1:8080/dc/jp") == "jp"
    assert ep.is_accounts_server("http://127.0.0.1:8080/dc/us")
    assert not ep.is_accounts_server("http://127.0.0.1:9999/dc/us")
    assert not ep.is_accounts_server("https://accounts.zoho.com")


# ---- OAuth ---------------------------------------------------------------------------------------
def test_link_eu_user_exchanges_at_callback_server_and_calls_its_api_domain(zoho):
    client = register_client(zoho)
    user = zoho.admin.create_user(dc="eu")
    org = zoho.admin.create_org(users=[user], edition="uk", counts={"invoices": 2})
    endpoints = endpoints_for(zoho)
    conn, token, choice = link(zoho, client, user, endpoints=endpoints)
    assert token.location == "eu" and token.api_domain == endpoints.api_url("eu")
    assert token.accounts_server == endpoints.accounts_url("eu")
    assert token.refresh_token and conn.organization_id == org["organization_id"]
    assert choice.edition == "uk" and choice.dc == "eu" and choice.zoho_user_id
    token_calls = zoho.admin.requests(path="/oauth/v2/token")
    assert [c["dc"] for c in token_calls] == ["eu"]
    books = zoho.admin.requests(path="/books/v3/*")
    assert books and all(c["dc"] == "eu" for c in books)
    assert all(c["organization_id"] == org["organization_id"] for c in books if "/organizations" != c["path"][-14:])


def test_refresh_carries_api_domain_and_expiry_on_the_given_clock(zoho):
    client = register_client(zoho)
    user = zoho.admin.create_user(dc="uk")
    zoho.admin.create_org(users=[user], edition="uk")
    endpoints = endpoints_for(zoho)
    conn, token, _ = link(zoho, client, user, endpoints=endpoints)
    oauth = OAuthClient(client["client_id"], client["client_secret"], REDIRECT_URI, endpoints,
                        session=zoho.session, clock=zoho.clock)
    fresh = oauth.refresh(conn.refresh_token, conn.accounts_server)
    assert fresh.access_token != token.access_token and fresh.refresh_token == conn.refresh_token
    assert fresh.api_domain == endpoints.api_url("uk")
    assert abs(fresh.expires_at - (zoho.clock.now() + 3600)) < 5


def test_token_errors_under_http_200_are_errors(zoho):
    client = register_client(zoho)
    user = zoho.admin.create_user(dc="us")
    zoho.admin.create_org(users=[user])
    endpoints = endpoints_for(zoho)
    conn, _, _ = link(zoho, client, user, endpoints=endpoints)
    typo = client["client_secret"][:-1] + ("1" if client["client_secret"].endswith("0") else "0")
    wrong = OAuthClient(client["client_id"], typo, REDIRECT_URI, endpoints,
                        session=zoho.session)
    with pytest.raises(OAuthError) as err:
        wrong.refresh(conn.refresh_token, conn.accounts_server)
    assert err.value.error == "invalid_client_secret" and err.value.http_status == 200 and err.value.bad_keys
    oauth = OAuthClient(client["client_id"], client["client_secret"], REDIRECT_URI, endpoints, session=zoho.session)
    oauth.revoke(conn.refresh_token, conn.accounts_server)
    with pytest.raises(OAuthError) as err:
        oauth.refresh(conn.refresh_token, conn.accounts_server)
    assert err.value.revoked and not err.value.throttled


def test_revoke_keeps_the_refresh_token_out_of_urllib3s_request_log(caplog):
    """Zoho's revoke carries the token in its query string and urllib3 logs request lines at DEBUG:
    the connector masks them itself, with no portal (or any other log set-up) around it."""
    caplog.set_level(logging.DEBUG)
    with testing.server(seed=7) as zoho:
        client = register_client(zoho)
        user = zoho.admin.create_user(dc="us")
        zoho.admin.create_org(users=[user])
        endpoints = endpoints_for(zoho)
        conn, _, _ = link(zoho, client, user, endpoints=endpoints)
        oauth = OAuthClient(client["client_id"], client["client_secret"], REDIRECT_URI, endpoints)
        oauth.revoke(conn.refresh_token, conn.accounts_server)
    lines = [r.getMessage() for r in caplog.records if r.name == "urllib3.connectionpool"]
    revoke = [line for line in lines if "/oauth/v2/token/revoke?token=" in line]
    assert revoke, "urllib3 logged no revoke request line (the check below would prove nothing)"
    assert all(conn.refresh_token not in line for line in lines)
    assert f"token=<{fingerprint(conn.refresh_token)}>" in revoke[0]


def test_eleventh_refresh_in_ten_minutes_is_a_throttle_not_a_revocation(zoho):
    client = register_client(zoho)
    user = zoho.admin.create_user(dc="us")
    zoho.admin.create_org(users=[user])
    endpoints = endpoints_for(zoho)
    conn, _, _ = link(zoho, client, user, endpoints=endpoints)  # the exchange minted the first access token
    oauth = OAuthClient(client["client_id"], client["client_secret"], REDIRECT_URI, endpoints, session=zoho.session)
    with pytest.raises(OAuthError) as err:
        for _ in range(11):
            oauth.refresh(conn.refresh_token, conn.accounts_server)
    assert err.value.throttled and err.value.transient and not err.value.revoked
    assert err.value.http_status == 400
    zoho.clock.advance(601)
    assert oauth.refresh(conn.refresh_token, conn.accounts_server).access_token


def test_exchange_refuses_an_accounts_server_that_is_not_zohos(zoho):
    client = register_client(zoho)
    oauth = OAuthClient(client["client_id"], client["client_secret"], REDIRECT_URI, endpoints_for(zoho),
                        session=zoho.session)
    with pytest.raises(OAuthError, match="untrusted_accounts_server"):
        oauth.exchange("1000.abc.def", "https://attacker.example")
    assert zoho.admin.requests(path="/oauth/v2/token") == []


def test_authorize_url_forces_consent_unless_the_mistake_is_on():
    oauth = OAuthClient("1000.X", "s", REDIRECT_URI, ZohoEndpoints())
    url = oauth.authorize_url(scopes_for(["invoices"]), "st", dc="eu")
    assert url.startswith("https://accounts.zoho.eu/oauth/v2/auth?")
    assert "prompt=consent" in url and "access_type=offline" in url
    assert "scope=ZohoBooks.settings.READ%2CZohoBooks.invoices.READ" in url
    sloppy = OAuthClient("1000.X", "s", REDIRECT_URI, ZohoEndpoints(),
                         settings=ConnectorSettings(no_prompt_consent=True))
    assert "prompt=" not in sloppy.authorize_url(["ZohoBooks.settings.READ"], "st")


# ---- discovery -------------------------------------------------------------------------------------
def test_discovery_default_first_and_picker(zoho):
    client = register_client(zoho)
    user = zoho.admin.create_user(dc="us")
    a = zoho.admin.create_org("A", users=[user], edition="us", is_default=False, counts={"invoices": 0})
    b = zoho.admin.create_org("B", users=[user], edition="uk", is_default=True, counts={"invoices": 0})
    endpoints = endpoints_for(zoho)
    _, token, choice = link(zoho, client, user, endpoints=endpoints)
    assert choice.organization_id == b["organization_id"] and choice.edition == "uk" and not choice.warnings
    picked = discover_organization(token, selection="picker", session=zoho.session, endpoints=endpoints)
    assert picked.needs_pick and {o["organization_id"] for o in picked.organizations} == {
        a["organization_id"], b["organization_id"]}
    chosen = discover_organization(token, organization_id=a["organization_id"], session=zoho.session,
                                   endpoints=endpoints)
    assert chosen.organization_id == a["organization_id"] and chosen.edition == "us"
    with pytest.raises(ValueError, match="organization_id"):
        discover_organization(token, organization_id="999", session=zoho.session, endpoints=endpoints)


# ---- settings, redaction, clocks ---------------------------------------------------------------------
def test_settings_from_dict_names_the_bad_key():
    s = ConnectorSettings.from_dict({"complete_datasets": ["invoices"], "no_budget": True, "max_wait_s": 5})
    assert s.complete_datasets == {"invoices"} and s.no_budget and s.mistakes_on == ["no_budget"]
    assert ConnectorSettings().complete_datasets == {"suppliers"} and ConnectorSettings().mistakes_on == []
    for bad, key in (({"nope": 1}, "nope"), ({"no_budget": "yes"}, "no_budget"),
                     ({"complete_datasets": ["invoice"]}, "complete_datasets"),
                     ({"daily_limit_status": "later"}, "daily_limit_status"), ({"per_page": 500}, "per_page"),
                     ({"max_retries": -1}, "max_retries")):
        with pytest.raises(SettingsError) as err:
            ConnectorSettings.from_dict(bad)
        assert err.value.field == key and key in str(err.value)


def test_redact_masks_tokens_secrets_and_codes_everywhere():
    tok = "1000." + "a" * 32 + "." + "b" * 32
    secret = "0123456789abcdef0123456789abcdef0123456789"
    text = f"POST /oauth/v2/token?refresh_token={tok}&client_secret={secret} Authorization: Zoho-oauthtoken {tok}"
    out = redact(text)
    assert tok not in out and secret not in out and fingerprint(tok) in out
    nested = redact({"body": {"access_token": tok, "code": 0, "list": [f"code={tok}"]}, "client_secret": secret})
    assert tok not in str(nested) and secret not in str(nested) and nested["body"]["code"] == 0
    ts = TokenSet(tok, tok, "https://www.zohoapis.com", 0, "https://accounts.zoho.com")
    conn = ConnectionAuth("c", "co", "1000.X", secret, tok, "a", "b", "us", "1")
    assert tok not in repr(ts) and tok not in str(ts) and secret not in repr(conn) and tok not in repr(conn)


def test_manual_clock_sleeps_by_advancing():
    clock = ManualClock(1000.0)
    clock.sleep(30)
    clock.sleep_until(1010)     # already past: no move
    assert clock.now() == 1030
    clock.sleep_until(1090)
    assert clock.now() == 1090 and iso(0) == "1970-01-01T00:00:00.000Z"
    assert WallClock().now() > 1.7e9
    assert isinstance(clock, Clock) and isinstance(WallClock(), Clock)


def test_the_emulators_virtual_clock_is_a_clock(zoho):
    assert isinstance(zoho.clock, Clock)
    before = zoho.clock.now()
    zoho.clock.sleep_until(before + 3600)
    assert zoho.clock.now() >= before + 3600
