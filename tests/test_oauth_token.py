"""Token endpoint, limits, revoke, serverinfo, client credentials and hostile input (both modes)."""
from __future__ import annotations

import base64

import pytest
import requests

from mock_zoho import literals as L

from .oauth_helpers import (REDIRECT, advance, authorize_code, exchange, linked, make_client, make_user,
                                 refresh)

THROTTLED = L.OAUTH_THROTTLE_BODY


def _err(name: str) -> dict[str, str]:
    return {"error": name}


def test_21st_refresh_token_evicts_the_oldest(zoho):
    client = make_client(zoho)
    user = make_user(zoho, "many@example.test", "us")
    tokens = []
    for _ in range(21):
        _, body = linked(zoho, client, "many@example.test")
        tokens.append(body)
        advance(zoho, 61)  # stay under the grant-code and refresh-token mint limits
    server = zoho.accounts_url("us")
    assert refresh(zoho, client, tokens[0]["refresh_token"], server).json() == _err(L.OAUTH_INVALID_CODE)
    assert "access_token" in refresh(zoho, client, tokens[1]["refresh_token"], server).json()
    listed = zoho.admin("GET", "tokens", params={"user_id": user["user_id"], "client_id": client["client_id"]}).json()
    assert listed["count"] == 20
    fps = {t["token_fp"] for t in listed["tokens"]}
    assert zoho.emulator.fingerprint(tokens[0]["refresh_token"]) not in fps
    assert zoho.emulator.fingerprint(tokens[20]["refresh_token"]) in fps
    # The evicted token's access tokens died with it (oauth.evict_kills_access_tokens).
    with pytest.raises(Exception):
        zoho.emulator.accounts.authenticate(f"Zoho-oauthtoken {tokens[0]['access_token']}", "us")


def test_11th_refresh_in_ten_minutes_is_throttled_until_the_window_ends(zoho):
    client = make_client(zoho)
    make_user(zoho, "u@example.test", "us")
    cb, body = linked(zoho, client, "u@example.test")
    server, rt = cb["accounts-server"], body["refresh_token"]
    for _ in range(10):
        assert "access_token" in refresh(zoho, client, rt, server).json()
    eleventh = refresh(zoho, client, rt, server)
    assert eleventh.status_code == 400 and eleventh.json() == THROTTLED
    advance(zoho, 300)
    assert refresh(zoho, client, rt, server).status_code == 400  # still inside the window
    advance(zoho, 360)
    again = refresh(zoho, client, rt, server)
    assert again.status_code == 200 and "access_token" in again.json()


def test_active_access_tokens_per_refresh_token_are_capped(zoho):
    client = make_client(zoho)
    make_user(zoho, "u@example.test", "us")
    cb, body = linked(zoho, client, "u@example.test")
    zoho.admin("PATCH", "config", json={"oauth.max_active_access_tokens": 3})
    minted = [refresh(zoho, client, body["refresh_token"], cb["accounts-server"]).json()["access_token"] for _ in range(3)]
    listed = zoho.admin("GET", "tokens", params={"client_id": client["client_id"]}).json()["tokens"]
    assert listed[0]["live_access_tokens"] == 3  # the exchange's token was the oldest and died
    accounts = zoho.emulator.accounts
    with pytest.raises(Exception):
        accounts.authenticate(f"Zoho-oauthtoken {body['access_token']}", "us")
    assert accounts.authenticate(f"Zoho-oauthtoken {minted[0]}", "us").client_id == client["client_id"]


def test_refresh_token_mint_limit_per_client(zoho):
    client = make_client(zoho)
    zoho.admin("PATCH", "config", json={"oauth.refresh_token_mint_limit": 2, "oauth.auth_code_ttl_s": 3600})
    for i in range(3):
        make_user(zoho, f"u{i}@example.test", "us")
    linked(zoho, client, "u0@example.test")
    linked(zoho, client, "u1@example.test")
    cb = authorize_code(zoho, client, "u2@example.test")
    third = exchange(zoho, client, cb)
    assert third.status_code == 400 and third.json() == THROTTLED
    advance(zoho, 601)
    assert "refresh_token" in exchange(zoho, client, cb).json()  # a throttled exchange does not burn the code


def test_refresh_at_another_dc_and_with_another_client(zoho):
    client = make_client(zoho, enabled_dcs=["us", "eu"])
    other = make_client(zoho, enabled_dcs=["us"])
    make_user(zoho, "e@eu.example", "eu")
    cb, body = linked(zoho, client, "e@eu.example")
    rt = body["refresh_token"]
    assert refresh(zoho, client, rt, zoho.accounts_url("us")).json() == _err(L.OAUTH_INVALID_CODE)
    assert refresh(zoho, client, rt, zoho.accounts_url("in")).json() == _err(L.OAUTH_INVALID_CLIENT)
    assert refresh(zoho, other, rt, zoho.accounts_url("us")).json() == _err(L.OAUTH_INVALID_CODE)
    assert refresh(zoho, client, "1000.abc.def", cb["accounts-server"]).json() == _err(L.OAUTH_INVALID_CODE)


def test_rotated_secret_keeps_refresh_tokens_but_needs_the_new_secret(zoho):
    client = make_client(zoho)
    make_user(zoho, "u@example.test", "us")
    cb, body = linked(zoho, client, "u@example.test")
    rotated = zoho.admin("POST", f"clients/{client['client_id']}/rotate-secret")
    assert rotated.status_code == 200
    new_secret = rotated.json()["client_secret"]
    assert new_secret != client["client_secret"]
    server = cb["accounts-server"]
    assert refresh(zoho, client, body["refresh_token"], server).json() == _err(L.OAUTH_INVALID_CLIENT_SECRET)
    assert "access_token" in refresh(zoho, client, body["refresh_token"], server, secret=new_secret).json()


def test_legacy_revoke_kills_the_refresh_token_and_its_access_tokens(zoho):
    client = make_client(zoho)
    make_user(zoho, "u@example.test", "us")
    cb, body = linked(zoho, client, "u@example.test")
    server = cb["accounts-server"]
    r = zoho.session.post(f"{server}/oauth/v2/token/revoke", params={"token": body["refresh_token"]})
    assert r.status_code == 200 and r.json() == {"status": "success"}
    assert refresh(zoho, client, body["refresh_token"], server).json() == _err(L.OAUTH_INVALID_CODE)
    with pytest.raises(Exception):
        zoho.emulator.accounts.authenticate(f"Zoho-oauthtoken {body['access_token']}", "us")
    again = zoho.session.post(f"{server}/oauth/v2/token/revoke", params={"token": body["refresh_token"]})
    assert again.status_code == 400 and again.json() == {"status": "failure", "error": "invalid_token"}
    assert zoho.session.post(f"{server}/oauth/v2/token/revoke").status_code == 400


def test_generic_revoke_with_basic_auth(zoho):
    client = make_client(zoho)
    make_user(zoho, "u@example.test", "us")
    cb, body = linked(zoho, client, "u@example.test")
    server = cb["accounts-server"]
    url = f"{server}/oauth/v2/revoke/token"
    basic = (client["client_id"], client["client_secret"])
    # An access token alone.
    r = zoho.session.post(url, auth=basic, params={"token": body["access_token"], "token_type": "access_token"})
    assert r.json() == {"status": "success"}
    with pytest.raises(Exception):
        zoho.emulator.accounts.authenticate(f"Zoho-oauthtoken {body['access_token']}", "us")
    # Wrong secret, no credentials, garbage Basic header.
    assert zoho.session.post(url, auth=(client["client_id"], "x"), params={"token": body["refresh_token"]}).json() == \
        {"status": "failure", "error": L.OAUTH_INVALID_CLIENT_SECRET}
    assert zoho.session.post(url, params={"token": body["refresh_token"]}).status_code == 400
    assert zoho.session.post(url, headers={"Authorization": "Basic !!!"}, params={"token": "x"}).status_code == 400
    # The refresh token.
    r = zoho.session.post(url, auth=basic, data={"token": body["refresh_token"], "token_type": "refresh_token"})
    assert r.status_code == 200 and r.json() == {"status": "success"}
    assert refresh(zoho, client, body["refresh_token"], server).json() == _err(L.OAUTH_INVALID_CODE)
    assert zoho.session.post(url, auth=basic, params={"token": body["refresh_token"]}).json()["error"] == "invalid_token"


def test_removing_the_app_from_the_account_revokes_everything(zoho):
    client = make_client(zoho)
    user = make_user(zoho, "u@example.test", "us")
    cb, first = linked(zoho, client, "u@example.test")
    _, second = linked(zoho, client, "u@example.test")
    r = zoho.admin("DELETE", f"users/{user['user_id']}/connections/{client['client_id']}")
    assert r.status_code == 200 and r.json()["refresh_tokens_revoked"] == 2
    for body in (first, second):
        assert refresh(zoho, client, body["refresh_token"], cb["accounts-server"]).json() == _err(L.OAUTH_INVALID_CODE)
    assert zoho.admin("GET", "tokens", params={"user_id": user["user_id"]}).json()["count"] == 0


def test_refresh_sent_the_pyzohoapi_way(zoho):
    """pyzohoapi: POST with every parameter in the query string, an empty body, plus redirect_url."""
    client = make_client(zoho)
    make_user(zoho, "u@example.test", "us")
    cb, body = linked(zoho, client, "u@example.test")
    r = requests.post(f"{cb['accounts-server']}/oauth/v2/token", params={
        "refresh_token": body["refresh_token"], "client_id": client["client_id"],
        "client_secret": client["client_secret"], "redirect_url": "https://example.test/cb", "grant_type": "refresh_token"})
    assert r.ok and r.request.body is None
    assert "access_token" in r.json() and r.json()["api_domain"] == zoho.api_url("us")
    both = requests.post(f"{cb['accounts-server']}/oauth/v2/token", params={"redirect_uri": "x", "grant_type": "nonsense"},
                         data={"refresh_token": body["refresh_token"], "client_id": client["client_id"],
                               "client_secret": client["client_secret"], "grant_type": "refresh_token"})
    assert "access_token" in both.json()  # the body wins over the query string


def test_pyzohoapi_refreshes_its_own_token_against_the_emulator(zoho):
    pyzohoapi = pytest.importorskip("pyzohoapi")
    client = make_client(zoho, enabled_dcs=["us", "eu"])
    user = make_user(zoho, "py@eu.example", "eu")
    org_id = "1"
    if hasattr(zoho.emulator.books, "create_organization"):
        org = zoho.admin("POST", "organizations", json={"name": "Py Ltd", "edition": "uk", "user_ids": [user["user_id"]],
                                                        "seed": False})
        org_id = org.json()["organization"]["organization_id"]
    cb, body = linked(zoho, client, "py@eu.example")
    api = pyzohoapi.ZohoBooks(org_id, region="eu", client_id=client["client_id"], client_secret=client["client_secret"],
                              refresh_token=body["refresh_token"])
    api._oauth = f"{cb['accounts-server']}/oauth/v2"  # the one attribute the reference says to patch
    api._endpoint = f"{zoho.api_url('eu')}/books/v3"
    header = api.auth_header()
    token = header["Authorization"].split(" ", 1)[1]
    assert zoho.emulator.accounts.authenticate(header["Authorization"], "eu").user_id == user["user_id"]
    assert token != body["access_token"]
    if hasattr(zoho.emulator.books, "create_organization"):
        probe = zoho.session.get(f"{api._endpoint}/organizations", headers=header)
        if "X-Rate-Limit-Reset" not in probe.headers:
            pytest.skip("pyzohoapi needs X-Rate-Limit-Reset on Books responses (limits package)")
        assert api.get("organizations", "")["code"] == 0


def test_journal_never_holds_secrets(zoho):
    client = make_client(zoho, enabled_dcs=["us", "eu"])
    make_user(zoho, "e@eu.example", "eu")
    cb, body = linked(zoho, client, "e@eu.example")
    server = cb["accounts-server"]
    refresh(zoho, client, body["refresh_token"], server)
    requests.post(f"{server}/oauth/v2/token", params={"grant_type": "refresh_token", "client_id": client["client_id"],
                                                      "client_secret": client["client_secret"],
                                                      "refresh_token": body["refresh_token"]})
    zoho.session.post(f"{server}/oauth/v2/revoke/token", auth=(client["client_id"], client["client_secret"]),
                      params={"token": body["access_token"]})
    zoho.session.post(f"{server}/oauth/v2/token/revoke", params={"token": body["refresh_token"]})
    zoho.session.get(f"{zoho.api_url('eu')}/books/v3/organizations",
                     headers={"Authorization": f"Zoho-oauthtoken {body['access_token']}"})
    text = zoho.admin("GET", "requests").text
    assert zoho.admin("GET", "requests").json()["count"] >= 7
    for secret in (client["client_secret"], cb["code"], body["refresh_token"], body["access_token"]):
        assert secret not in text
    assert zoho.emulator.fingerprint(body["refresh_token"]) in text  # still traceable
    assert client["client_id"] in text


def test_serverinfo_on_every_accounts_host(zoho):
    expected = {dc: zoho.accounts_url(dc) for dc in ("us", "eu", "in", "au", "jp", "ca", "sa", "uk")}
    for dc in ("us", "eu", "uk", "ca"):
        r = zoho.session.get(f"{zoho.accounts_url(dc)}/oauth/serverinfo")
        assert r.status_code == 200 and r.json() == {"result": "success", "locations": expected}
    if zoho.mode == "inprocess":
        api_host = zoho.session.get(f"{zoho.api_url('eu')}/oauth/serverinfo")
        assert api_host.status_code == 404 and api_host.json()["code"] == L.INVALID_URL.code


# ---- self client ------------------------------------------------------------------------------------
def test_self_client_code_and_client_credentials(zoho):
    user = make_user(zoho, "me@eu.example", "eu")
    r = zoho.admin("POST", "clients", json={"client_name": "Mine", "client_type": "self", "user_id": user["user_id"]})
    assert r.status_code == 201, r.text
    me = r.json()["client"]
    assert me["home_dc"] == "eu" and me["enabled_dcs"] == ["eu"] and me["redirect_uris"] == []
    code = zoho.admin("POST", f"clients/{me['client_id']}/self-client-code",
                      json={"scopes": ["ZohoBooks.fullaccess.all"], "description": "script"}).json()
    assert code["expires_in"] == 180
    server = zoho.accounts_url("eu")
    tok = zoho.session.post(f"{server}/oauth/v2/token", data={"grant_type": "authorization_code", "code": code["code"],
                                                              "client_id": me["client_id"],
                                                              "client_secret": me["client_secret"]}).json()
    assert "refresh_token" in tok and tok["api_domain"] == zoho.api_url("eu")
    cc = {"grant_type": "client_credentials", "client_id": me["client_id"], "client_secret": me["client_secret"],
          "scope": "ZohoBooks.settings.READ"}
    body = zoho.session.post(f"{server}/oauth/v2/token", data=cc).json()
    assert "access_token" in body and "refresh_token" not in body
    with_soid = zoho.session.post(f"{server}/oauth/v2/token", data={**cc, "soid": "ZohoCRM.x"}).json()
    assert with_soid == _err(L.OAUTH_INVALID_REQUEST)
    assert zoho.session.post(f"{zoho.accounts_url('us')}/oauth/v2/token", data=cc).json() == _err(L.OAUTH_INVALID_CLIENT)
    # Self-client codes expire too.
    code = zoho.admin("POST", f"clients/{me['client_id']}/self-client-code",
                      json={"scopes": "ZohoBooks.settings.READ", "ttl_s": 60}).json()
    advance(zoho, 61)
    late = zoho.session.post(f"{server}/oauth/v2/token", data={"grant_type": "authorization_code", "code": code["code"],
                                                               "client_id": me["client_id"],
                                                               "client_secret": me["client_secret"]})
    assert late.json() == _err(L.OAUTH_INVALID_CODE)


def test_client_credentials_soid_and_missing_org_info(zoho):
    if not hasattr(zoho.emulator.books, "create_organization"):
        pytest.skip("the Books backend is not integrated yet")
    user = make_user(zoho, "two@example.test", "us")
    me = zoho.admin("POST", "clients", json={"client_name": "Mine", "client_type": "self",
                                             "user_id": user["user_id"]}).json()["client"]
    orgs = [zoho.admin("POST", "organizations", json={"name": f"Org {i}", "edition": "us", "user_ids": [user["user_id"]],
                                                      "seed": False}).json()["organization"] for i in range(2)]
    cc = {"grant_type": "client_credentials", "client_id": me["client_id"], "client_secret": me["client_secret"],
          "scope": "ZohoBooks.settings.READ"}
    url = f"{zoho.accounts_url('us')}/oauth/v2/token"
    assert zoho.session.post(url, data=cc).json() == _err(L.OAUTH_MISSING_ORG_INFO)
    ok = zoho.session.post(url, data={**cc, "soid": f"ZohoBooks.{orgs[1]['organization_id']}"}).json()
    assert "access_token" in ok
    grant = zoho.emulator.accounts.authenticate(f"Zoho-oauthtoken {ok['access_token']}", "us")
    assert grant.soid == f"ZohoBooks.{orgs[1]['organization_id']}"


def test_server_client_cannot_use_client_credentials(zoho):
    client = make_client(zoho)
    r = zoho.session.post(f"{zoho.accounts_url('us')}/oauth/v2/token", data={
        "grant_type": "client_credentials", "client_id": client["client_id"], "client_secret": client["client_secret"],
        "scope": "ZohoBooks.settings.READ"})
    assert r.json() == _err(L.OAUTH_UNSUPPORTED_GRANT_TYPE)


# ---- hostile and sloppy input: always a Zoho-shaped answer, never a 500 -----------------------------------
def test_bad_input_on_the_token_endpoint(zoho):
    client = make_client(zoho)
    url = f"{zoho.accounts_url('us')}/oauth/v2/token"
    good = {"grant_type": "refresh_token", "client_id": client["client_id"], "client_secret": client["client_secret"],
            "refresh_token": "1000.a.b"}
    cases = {
        "empty": dict(data=b""),
        "no grant_type": dict(data={k: v for k, v in good.items() if k != "grant_type"}),
        "no client_id": dict(data={k: v for k, v in good.items() if k != "client_id"}),
        "no secret": dict(data={k: v for k, v in good.items() if k != "client_secret"}),
        "no refresh_token": dict(data={k: v for k, v in good.items() if k != "refresh_token"}),
        "no code": dict(data={**good, "grant_type": "authorization_code"}),
        "conflicting repeat": dict(data=[*good.items(), ("client_id", "1000.OTHER")]),
        "invalid utf-8 body": dict(data=b"grant_type=refresh_token&client_id=\xff\xfe",
                                   headers={"Content-Type": "application/x-www-form-urlencoded"}),
        "invalid %-utf-8": dict(data="grant_type=refresh_token&client_id=%ff%fe",
                                headers={"Content-Type": "application/x-www-form-urlencoded"}),
        "binary": dict(data=bytes(range(256)) * 4, headers={"Content-Type": "application/x-www-form-urlencoded"}),
        "huge value": dict(data={**good, "refresh_token": "x" * 5000}),
        "huge body": dict(data=b"a=" + b"b" * 70000, headers={"Content-Type": "application/x-www-form-urlencoded"}),
        "json only": dict(json=good),
        "multipart garbage": dict(data=b"--xx\r\ngarbage", headers={"Content-Type": "multipart/form-data; boundary=xx"}),
        "too many fields": dict(data="&".join(f"f{i}=1" for i in range(300)),
                                headers={"Content-Type": "application/x-www-form-urlencoded"}),
    }
    for name, kwargs in cases.items():
        r = zoho.session.post(url, **kwargs)
        assert r.status_code == 200, (name, r.status_code, r.text[:200])
        assert r.headers["Content-Type"].startswith("application/json"), name
        assert r.json() == _err(L.OAUTH_INVALID_REQUEST), (name, r.text[:200])
    assert zoho.session.post(url, data={**good, "grant_type": "password"}).json() == _err(L.OAUTH_UNSUPPORTED_GRANT_TYPE)
    assert zoho.session.post(url, data={**good, "client_id": "1000.NOPE"}).json() == _err(L.OAUTH_INVALID_CLIENT)
    # The same value twice is not a conflict; the query string plus a JSON body works.
    assert zoho.session.post(url, data=[*good.items(), ("client_id", client["client_id"])]).json() == _err(L.OAUTH_INVALID_CODE)
    assert zoho.session.post(url, params=good, json={"junk": True}).json() == _err(L.OAUTH_INVALID_CODE)
    assert zoho.session.post(url, params=good, data=b"\x00\x01", headers={"Content-Type": "application/octet-stream"}
                             ).json() == _err(L.OAUTH_INVALID_CODE)
    # Multipart bodies are read like forms.
    assert zoho.session.post(url, files={k: (None, v) for k, v in good.items()}).json() == _err(L.OAUTH_INVALID_CODE)
    for method in ("GET", "PUT", "DELETE", "PATCH"):
        r = zoho.session.request(method, url, params=good)
        assert r.status_code == 200 and r.json() == _err(L.OAUTH_INVALID_REQUEST), method


def test_error_status_can_be_400(zoho):
    zoho.admin("PATCH", "config", json={"oauth.error_http_status": 400})
    r = zoho.session.post(f"{zoho.accounts_url('us')}/oauth/v2/token", data={"grant_type": "x"})
    assert r.status_code == 400 and r.json() == _err(L.OAUTH_UNSUPPORTED_GRANT_TYPE)


def test_bad_input_on_the_consent_pages_and_revoke(zoho):
    client = make_client(zoho)
    base = zoho.accounts_url("us")
    probes = [
        ("GET", "/oauth/v2/auth", dict(params={"client_id": [client["client_id"], "1000.X"]})),
        ("GET", "/oauth/v2/auth?client_id=%ff", {}),
        ("GET", "/oauth/v2/auth", dict(params={"client_id": "x" * 10000})),
        ("GET", "/oauth/v2/auth", dict(params={"client_id": client["client_id"], "redirect_uri": REDIRECT,
                                               "response_type": "token", "scope": "ZohoBooks.settings.READ"})),
        ("GET", "/oauth/v2/auth", dict(params={"client_id": client["client_id"], "redirect_uri": REDIRECT,
                                               "response_type": "code", "scope": "ZohoBooks.settings.READ",
                                               "access_type": "forever"})),
        ("POST", "/oauth/v2/auth/signin", dict(data=b"\xff\xfe\x00", headers={"Content-Type": "application/x-www-form-urlencoded"})),
        ("POST", "/oauth/v2/auth/signin", dict(data={"email": "a@b.c"})),
        ("POST", "/oauth/v2/auth/consent", dict(data={"consent_id": "nope", "decision": "accept"})),
        ("POST", "/oauth/v2/auth/consent", dict(data={"consent_id": "nope", "decision": "maybe"})),
        ("POST", "/oauth/v2/auth/consent", dict(data=bytes(range(256)))),
        ("POST", "/oauth/v2/token/revoke", dict(data=b"\xff" * 100, headers={"Content-Type": "application/x-www-form-urlencoded"})),
        ("GET", "/oauth/v2/token/revoke", {}),
        ("POST", "/oauth/v2/revoke/token", dict(auth=(client["client_id"], client["client_secret"]),
                                                params={"token": "t", "token_type": "id_token"})),
        ("POST", "/oauth/v2/revoke/token", dict(headers={"Authorization": "Basic " + base64.b64encode(b"\xff:\xfe").decode()})),
        ("POST", "/oauth/nothing", {}),
    ]
    for method, path, kwargs in probes:
        r = zoho.session.request(method, base + path, allow_redirects=False, **kwargs)
        assert 400 <= r.status_code < 500, (method, path, r.status_code, r.text[:300])
        assert "Traceback" not in r.text and "Location" not in r.headers
        if r.headers["Content-Type"].startswith("application/json"):
            assert "error" in r.json() or "code" in r.json()
        else:
            assert "error" in r.text.lower()
