"""The multi-DC authorization-code flow, driven like an independent client (plain HTTP only).

Each test runs against a real server and in-process (real Zoho hostnames). Literals are written
out here on purpose: this is what a client that never saw the emulator's code expects.
"""
from __future__ import annotations

import pytest

from .oauth_helpers import (REDIRECT, advance, authorize, authorize_code, callback, exchange, linked,
                                 make_client, make_user, refresh, start)


def test_eu_user_links_through_the_us_accounts_server_and_lands_on_eu(zoho):
    client = make_client(zoho, enabled_dcs=["us", "eu"])
    make_user(zoho, "anna@eu.example", "eu")
    cb = authorize_code(zoho, client, "anna@eu.example", start_dc="us", state="opaque/state+1")
    assert cb["location"] == "eu"
    assert cb["accounts-server"] == zoho.accounts_url("eu")  # server: <base>/dc/eu; in-process: https://accounts.zoho.eu
    assert cb["state"] == "opaque/state+1"
    assert cb["code"].startswith("1000.")

    r = exchange(zoho, client, cb)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"access_token", "refresh_token", "api_domain", "token_type", "expires_in"}
    assert body["api_domain"] == zoho.api_url("eu")
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    assert r.headers.get("Server") == "ZGS"  # exactly what Zoho sends, in both modes

    again = refresh(zoho, client, body["refresh_token"], cb["accounts-server"]).json()
    assert set(again) == {"access_token", "api_domain", "token_type", "expires_in"}
    assert again["api_domain"] == zoho.api_url("eu") and again["access_token"] != body["access_token"]


def test_redirect_is_url_encoded_and_keeps_an_existing_query(zoho):
    client = make_client(zoho, redirect_uris=[REDIRECT, "https://app.example.test/cb?tenant=7"])
    make_user(zoho, "us@example.test", "us")
    resp = authorize(zoho, client, "us@example.test", redirect_uri="https://app.example.test/cb?tenant=7")
    location = resp.headers["Location"]
    assert location.startswith("https://app.example.test/cb?tenant=7&code=1000.")
    assert "accounts-server=http" in location and "%3A%2F%2F" in location


def test_books_call_with_the_token_then_an_hour_later(zoho):
    if not hasattr(zoho.emulator.books, "create_organization"):
        pytest.skip("the Books backend is not integrated yet")
    client = make_client(zoho, enabled_dcs=["us", "eu"])
    user = make_user(zoho, "books@eu.example", "eu")
    org = zoho.admin("POST", "organizations", json={"name": "EU Books Ltd", "edition": "uk",
                                                    "user_ids": [user["user_id"]], "seed": False})
    assert org.status_code == 201, org.text
    _, tokens = linked(zoho, client, "books@eu.example", scope="ZohoBooks.settings.READ")
    api = tokens["api_domain"]
    r = zoho.session.get(f"{api}/books/v3/organizations", headers={"Authorization": f"Zoho-oauthtoken {tokens['access_token']}"})
    assert r.status_code == 200 and r.json()["code"] == 0
    assert [o["name"] for o in r.json()["organizations"]] == ["EU Books Ltd"]
    bearer = zoho.session.get(f"{api}/books/v3/organizations", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert bearer.status_code == 200
    # A token works only in the DC that issued it.
    other = zoho.session.get(f"{zoho.api_url('us')}/books/v3/organizations",
                             headers={"Authorization": f"Zoho-oauthtoken {tokens['access_token']}"})
    assert other.status_code == 401 and other.json()["code"] == 57
    advance(zoho, 3600)
    late = zoho.session.get(f"{api}/books/v3/organizations", headers={"Authorization": f"Zoho-oauthtoken {tokens['access_token']}"})
    assert late.status_code == 401 and late.json()["code"] == 57


def test_reused_code_is_invalid_code(zoho):
    client = make_client(zoho)
    make_user(zoho, "u@example.test", "us")
    cb = authorize_code(zoho, client, "u@example.test")
    assert "access_token" in exchange(zoho, client, cb).json()
    second = exchange(zoho, client, cb)
    assert second.status_code == 200 and second.json() == {"error": "invalid_code"}


def test_wrong_secret_and_secret_with_a_space(zoho):
    client = make_client(zoho)
    make_user(zoho, "u@example.test", "us")
    cb = authorize_code(zoho, client, "u@example.test")
    assert exchange(zoho, client, cb, secret="0" * 42).json() == {"error": "invalid_client_secret"}
    assert exchange(zoho, client, cb, secret=client["client_secret"] + " ").json() == {"error": "invalid_client_secret"}
    assert "access_token" in exchange(zoho, client, cb).json()  # a failed attempt does not burn the code


def test_code_exchanged_at_the_home_dc_is_invalid_code(zoho):
    client = make_client(zoho, enabled_dcs=["us", "eu"])
    make_user(zoho, "e@eu.example", "eu")
    cb = authorize_code(zoho, client, "e@eu.example")
    wrong = exchange(zoho, client, cb, at=zoho.accounts_url("us"))
    assert wrong.status_code == 200 and wrong.json() == {"error": "invalid_code"}
    assert "access_token" in exchange(zoho, client, cb).json()


def test_client_not_enabled_for_the_users_dc(zoho):
    client = make_client(zoho, enabled_dcs=["us"])
    make_user(zoho, "e@eu.example", "eu")
    # Default (consent_error): an error page naming invalid_client, never a redirect.
    resp = authorize(zoho, client, "e@eu.example")
    assert resp.status_code == 400 and "Location" not in resp.headers
    assert "invalid_client" in resp.text
    # exchange_fails: the code is issued, the exchange at the user's DC answers invalid_client.
    assert zoho.admin("PATCH", "config", json={"oauth.dc_not_enabled_mode": "exchange_fails"}).status_code == 200
    cb = authorize_code(zoho, client, "e@eu.example")
    assert cb["location"] == "eu"
    assert exchange(zoho, client, cb).json() == {"error": "invalid_client"}


def test_per_dc_secrets(zoho):
    client = make_client(zoho, enabled_dcs=["us", "eu"], same_credentials_for_all_dcs=False)
    assert set(client["secrets_by_dc"]) == {"us", "eu"}
    assert client["secrets_by_dc"]["eu"] != client["secrets_by_dc"]["us"] == client["client_secret"]
    make_user(zoho, "e@eu.example", "eu")
    cb = authorize_code(zoho, client, "e@eu.example")
    home_secret = exchange(zoho, client, cb)  # the home-DC secret at the EU server
    assert home_secret.json() == {"error": "invalid_client_secret"}
    ok = exchange(zoho, client, cb, secret=client["secrets_by_dc"]["eu"]).json()
    assert ok["api_domain"] == zoho.api_url("eu")


def test_expired_code(zoho):
    client = make_client(zoho)
    make_user(zoho, "u@example.test", "us")
    cb = authorize_code(zoho, client, "u@example.test")
    advance(zoho, 121)
    assert exchange(zoho, client, cb).json() == {"error": "invalid_code"}


def test_wrong_redirect_uri_at_exchange(zoho):
    client = make_client(zoho, redirect_uris=[REDIRECT, "https://app.example.test/other"])
    make_user(zoho, "u@example.test", "us")
    cb = authorize_code(zoho, client, "u@example.test")
    bad = exchange(zoho, client, cb, redirect_uri="https://app.example.test/other")
    assert bad.json() == {"error": "invalid_redirect_uri"}


def test_deny_redirects_with_error_and_state_only(zoho):
    client = make_client(zoho)
    make_user(zoho, "u@example.test", "us")
    cb = callback(authorize(zoho, client, "u@example.test", decision="deny", state="s1"))
    assert cb == {"error": "access_denied", "state": "s1"}


def test_bad_client_or_redirect_uri_is_an_error_page_not_a_redirect(zoho):
    client = make_client(zoho)
    unknown = start(zoho, {"client_id": "1000.NOPE"})
    assert unknown.status_code == 400 and "Location" not in unknown.headers
    assert unknown.headers["Content-Type"].startswith("text/html") and "invalid_client" in unknown.text
    slash = start(zoho, client, redirect_uri=REDIRECT + "/")
    assert slash.status_code == 400 and "invalid_redirect_uri" in slash.text
    as_json = zoho.session.get(f"{zoho.accounts_url('us')}/oauth/v2/auth", allow_redirects=False,
                               params={"client_id": client["client_id"], "response_type": "code",
                                       "redirect_uri": "http://evil.example/cb", "scope": "ZohoBooks.fullaccess.all"},
                               headers={"Accept": "application/json"})
    assert as_json.status_code == 400 and as_json.json() == {"error": "invalid_redirect_uri"}
    bad_scope = start(zoho, client, scope="ZohoBooks.nothing.READ")
    assert bad_scope.status_code == 400 and "invalid_scope" in bad_scope.text


def test_scope_separators(zoho):
    client = make_client(zoho)
    make_user(zoho, "u@example.test", "us")
    for scope in ("ZohoBooks.settings.READ,ZohoBooks.invoices.READ", "ZohoBooks.settings.READ ZohoBooks.invoices.READ",
                  "ZohoBooks.settings.READ+ZohoBooks.invoices.READ"):
        assert start(zoho, client, scope=scope).status_code == 200, scope
    zoho.admin("PATCH", "config", json={"oauth.strict_scope_separator": True})
    assert start(zoho, client, scope="ZohoBooks.settings.READ ZohoBooks.invoices.READ").status_code == 400
    assert start(zoho, client, scope="ZohoBooks.settings.READ,ZohoBooks.invoices.READ").status_code == 200


def test_returning_user_skips_consent_and_gets_no_refresh_token(zoho):
    client = make_client(zoho)
    make_user(zoho, "u@example.test", "us")
    linked(zoho, client, "u@example.test", prompt="consent")
    skipped = authorize(zoho, client, "u@example.test", prompt=None)  # the sign-in answers the redirect
    cb = callback(skipped)
    body = exchange(zoho, client, cb).json()
    assert "access_token" in body and "refresh_token" not in body
    forced = exchange(zoho, client, authorize_code(zoho, client, "u@example.test", prompt="consent")).json()
    assert "refresh_token" in forced


def test_online_access_gets_no_refresh_token(zoho):
    client = make_client(zoho)
    make_user(zoho, "u@example.test", "us")
    body = exchange(zoho, client, authorize_code(zoho, client, "u@example.test", access_type="online")).json()
    assert "access_token" in body and "refresh_token" not in body


def test_grant_code_limit_redirects_with_access_denied(zoho):
    client = make_client(zoho)
    make_user(zoho, "u@example.test", "us")
    for _ in range(10):
        assert "code" in authorize_code(zoho, client, "u@example.test")
    cb = authorize_code(zoho, client, "u@example.test", state="s")
    assert cb == {"error": "access_denied", "state": "s"}
    advance(zoho, 601)
    assert "code" in authorize_code(zoho, client, "u@example.test")


def test_unknown_email_at_sign_in(zoho):
    client = make_client(zoho)
    resp = authorize(zoho, client, "nobody@example.test")
    assert resp.status_code == 400 and "This account cannot be found" in resp.text


def test_script_can_link_in_two_posts_without_reading_html(zoho):
    """A script can skip GET /auth and ask for JSON: POST sign-in, POST consent."""
    client = make_client(zoho)
    make_user(zoho, "bot@example.test", "us")
    consent = zoho.session.post(f"{zoho.accounts_url('us')}/oauth/v2/auth/signin", headers={"Accept": "application/json"},
                                data={"client_id": client["client_id"], "response_type": "code", "redirect_uri": REDIRECT,
                                      "scope": "ZohoBooks.settings.READ", "access_type": "offline", "prompt": "consent",
                                      "email": "bot@example.test"})
    assert consent.status_code == 200, consent.text
    page = consent.json()
    assert page["scopes"] == ["ZohoBooks.settings.READ"] and page["user"] == {"email": "bot@example.test", "dc": "us"}
    done = zoho.session.post(page["consent_url"], data={"consent_id": page["consent_id"], "decision": "accept"},
                             allow_redirects=False)
    cb = callback(done)
    assert "refresh_token" in exchange(zoho, client, cb).json()
    # a consent page answers once
    again = zoho.session.post(page["consent_url"], data={"consent_id": page["consent_id"], "decision": "accept"},
                              allow_redirects=False)
    assert again.status_code == 400 and "Location" not in again.headers


def test_html_is_escaped(zoho):
    client = make_client(zoho, client_name="<script>alert(1)</script>")
    page = start(zoho, client, state='"><script>x</script>')
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.text and "<script>x</script>" not in page.text


def test_pkce_s256(zoho):
    import base64
    import hashlib

    client = make_client(zoho)
    make_user(zoho, "u@example.test", "us")
    verifier = "v" * 50
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    cb = authorize_code(zoho, client, "u@example.test", code_challenge=challenge, code_challenge_method="S256")
    base = {"grant_type": "authorization_code", "client_id": client["client_id"], "client_secret": client["client_secret"],
            "code": cb["code"], "redirect_uri": REDIRECT}
    url = f"{cb['accounts-server']}/oauth/v2/token"
    assert zoho.session.post(url, data={**base, "code_verifier": "wrong"}).json() == {"error": "invalid_code"}
    assert "access_token" in zoho.session.post(url, data={**base, "code_verifier": verifier}).json()
