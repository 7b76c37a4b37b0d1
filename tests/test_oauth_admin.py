"""The developer console and account admin under /__admin (both modes)."""
from __future__ import annotations

import re

from .oauth_helpers import REDIRECT, linked, make_client, make_user


def test_register_client_shapes_and_formats(zoho):
    r = zoho.admin("POST", "clients", json={"client_name": "Acme", "homepage_url": "https://acme.test",
                                            "redirect_uris": [REDIRECT], "home_dc": "us", "enabled_dcs": ["eu"]})
    assert r.status_code == 201
    client = r.json()["client"]
    assert re.fullmatch(r"1000\.[A-Z0-9]{30}", client["client_id"])
    assert re.fullmatch(r"[0-9a-f]{42}", client["client_secret"])
    assert client["enabled_dcs"] == ["us", "eu"]  # the home DC is always enabled
    assert client["client_type"] == "server" and client["same_credentials_for_all_dcs"] is True
    assert "secrets_by_dc" not in client and client["created_time"]
    assert zoho.admin("GET", f"clients/{client['client_id']}").json()["client"] == client
    assert [c["client_id"] for c in zoho.admin("GET", "clients").json()["clients"]] == [client["client_id"]]


def test_client_validation_names_the_field(zoho):
    cases = [
        ({"redirect_uris": [REDIRECT]}, "client_name"),
        ({"client_name": "x", "redirect_uris": []}, "redirect_uris"),
        ({"client_name": "x", "redirect_uris": ["not a url"]}, "redirect_uris"),
        ({"client_name": "x", "redirect_uris": ["https://a.test/cb#frag"]}, "redirect_uris"),
        ({"client_name": "x", "redirect_uris": [REDIRECT], "home_dc": "mars"}, "home_dc"),
        ({"client_name": "x", "redirect_uris": [REDIRECT], "enabled_dcs": ["eu", "xx"]}, "enabled_dcs"),
        ({"client_name": "x", "redirect_uris": [REDIRECT], "enabled_dcs": "eu"}, "enabled_dcs"),
        ({"client_name": "x", "redirect_uris": [REDIRECT], "client_type": "mobile"}, "client_type"),
        ({"client_name": "x", "redirect_uris": [REDIRECT], "same_credentials_for_all_dcs": "yes"},
         "same_credentials_for_all_dcs"),
        ({"client_name": "x", "client_type": "self"}, "user_id"),
        ({"client_name": "x", "redirect_uris": [REDIRECT], "colour": "red"}, "colour"),
    ]
    for body, name in cases:
        r = zoho.admin("POST", "clients", json=body)
        assert r.status_code == 400 and r.json()["field"] == name, (body, r.text)
    assert zoho.admin("POST", "clients", data="{nope", headers={"Content-Type": "application/json"}).status_code == 400
    assert zoho.admin("POST", "clients", data="{nope").status_code == 415  # JSON bodies only (issue 9)
    assert zoho.admin("GET", "clients/1000.NOPE").status_code == 404


def test_same_credentials_toggle_and_new_dcs(zoho):
    client = make_client(zoho, enabled_dcs=["us", "eu"])
    cid = client["client_id"]
    off = zoho.admin("PATCH", f"clients/{cid}", json={"same_credentials_for_all_dcs": False}).json()["client"]
    secrets = off["secrets_by_dc"]
    assert set(secrets) == {"us", "eu"} and secrets["us"] == client["client_secret"] != secrets["eu"]
    more = zoho.admin("PATCH", f"clients/{cid}", json={"enabled_dcs": ["us", "eu", "uk"]}).json()["client"]
    assert more["secrets_by_dc"]["eu"] == secrets["eu"]
    assert more["secrets_by_dc"]["uk"] not in (secrets["eu"], secrets["us"])
    rotated = zoho.admin("POST", f"clients/{cid}/rotate-secret", json={"dc": "uk"}).json()
    assert rotated["dc"] == "uk" and rotated["client"]["secrets_by_dc"]["uk"] == rotated["client_secret"]
    on = zoho.admin("PATCH", f"clients/{cid}", json={"same_credentials_for_all_dcs": True}).json()["client"]
    assert "secrets_by_dc" not in on
    assert zoho.admin("POST", f"clients/{cid}/rotate-secret", json={"dc": "eu"}).status_code == 400
    assert zoho.admin("POST", f"clients/{cid}/rotate-secret", json={"dc": "in"}).status_code == 400
    assert zoho.admin("PATCH", f"clients/{cid}", json={"client_id": "x"}).json()["field"] == "client_id"
    assert zoho.admin("PATCH", f"clients/{cid}", json={"redirect_uris": "x"}).json()["field"] == "redirect_uris"


def test_users_one_email_one_dc(zoho):
    user = make_user(zoho, "Pat@Example.test", "eu")
    assert user["user_id"].isdigit() and user["dc"] == "eu" and user["email"] == "Pat@Example.test"
    dup = zoho.admin("POST", "users", json={"email": "pat@example.test", "dc": "us"})
    assert dup.status_code == 409 and dup.json()["field"] == "email"
    assert zoho.admin("POST", "users", json={"email": "nope"}).json()["field"] == "email"
    assert zoho.admin("POST", "users", json={"email": "a@b.test", "dc": "zz"}).json()["field"] == "dc"
    assert zoho.admin("POST", "users", json={"email": "a@b.test", "age": 3}).json()["field"] == "age"
    assert zoho.admin("GET", f"users/{user['user_id']}").json()["user"] == user
    assert zoho.admin("GET", "users/123").status_code == 404
    make_user(zoho, "us@example.test", "us")
    assert [u["email"] for u in zoho.admin("GET", "users", params={"dc": "eu"}).json()["users"]] == ["Pat@Example.test"]
    assert len(zoho.admin("GET", "users").json()["users"]) == 2


def test_one_self_client_per_user_and_self_client_codes(zoho):
    user = make_user(zoho, "me@example.test", "us")
    body = {"client_name": "Mine", "client_type": "self", "user_id": user["user_id"]}
    me = zoho.admin("POST", "clients", json=body)
    assert me.status_code == 201
    again = zoho.admin("POST", "clients", json=body)
    assert again.status_code == 409 and again.json()["field"] == "user_id"
    cid = me.json()["client"]["client_id"]
    assert zoho.admin("POST", f"clients/{cid}/self-client-code", json={"scopes": ["Nope.x.y"]}).json()["field"] == "scopes"
    assert zoho.admin("POST", f"clients/{cid}/self-client-code", json={"scopes": "ZohoBooks.settings.READ",
                                                                       "ttl_s": "long"}).json()["field"] == "ttl_s"
    assert zoho.admin("POST", f"clients/{cid}/self-client-code", json={"scopes": "ZohoBooks.settings.READ",
                                                                       "soid": "Books-1"}).json()["field"] == "soid"
    server = make_client(zoho)
    assert zoho.admin("POST", f"clients/{server['client_id']}/self-client-code",
                      json={"scopes": "ZohoBooks.settings.READ"}).status_code == 400
    ok = zoho.admin("POST", f"clients/{cid}/self-client-code", json={"scopes": "ZohoBooks.settings.READ", "ttl_s": 300})
    assert ok.status_code == 201 and ok.json()["expires_in"] == 300 and ok.json()["code"].startswith("1000.")
    assert zoho.admin("POST", "clients", json={**body, "home_dc": "eu", "user_id": make_user(
        zoho, "x@example.test", "us")["user_id"]}).json()["field"] == "home_dc"


def test_tokens_view_shows_fingerprints_only(zoho):
    client = make_client(zoho)
    user = make_user(zoho, "u@example.test", "us")
    _, body = linked(zoho, client, "u@example.test")
    r = zoho.admin("GET", "tokens", params={"user_id": user["user_id"]})
    listed = r.json()["tokens"]
    assert len(listed) == 1
    row = listed[0]
    assert row["token_fp"] == zoho.emulator.fingerprint(body["refresh_token"])
    assert row["client_id"] == client["client_id"] and row["dc"] == "us" and row["live_access_tokens"] == 1
    assert row["scopes"] == ["ZohoBooks.fullaccess.all"] and row["created_time"]
    assert body["refresh_token"] not in r.text and body["access_token"] not in r.text
    assert zoho.admin("GET", "tokens", params={"client_id": "1000.OTHER"}).json()["count"] == 0
    assert zoho.admin("GET", "tokens", params={"token": "x"}).status_code == 400


def test_deleting_a_client_revokes_its_tokens(zoho):
    client = make_client(zoho)
    make_user(zoho, "u@example.test", "us")
    cb, body = linked(zoho, client, "u@example.test")
    r = zoho.admin("DELETE", f"clients/{client['client_id']}")
    assert r.status_code == 200 and r.json()["refresh_tokens_revoked"] == 1
    again = zoho.session.post(f"{cb['accounts-server']}/oauth/v2/token", data={
        "grant_type": "refresh_token", "client_id": client["client_id"], "client_secret": client["client_secret"],
        "refresh_token": body["refresh_token"]})
    assert again.json() == {"error": "invalid_client"}
    assert zoho.admin("DELETE", f"clients/{client['client_id']}").status_code == 404
    assert zoho.admin("GET", "tokens").json()["count"] == 0


def test_demo_world_is_stable_and_complete(zoho_demo):
    demo = zoho_demo.admin("GET", "demo").json()["demo"]
    client = demo["client"]
    assert client["client_name"] == "Demo Integration" and client["enabled_dcs"] == ["us", "eu", "uk"]
    assert client["redirect_uris"] == ["http://127.0.0.1:8090/oauth/callback", "http://localhost:8090/oauth/callback"]
    assert [(u["email"], u["dc"]) for u in demo["users"]] == [
        ("demo.us@example.com", "us"), ("demo.eu@example.com", "eu"), ("demo.uk@example.com", "uk")]
    reset = zoho_demo.admin("POST", "reset").json()["demo"]
    assert reset["client"]["client_id"] == client["client_id"]
    assert reset["client"]["client_secret"] == client["client_secret"]
    if hasattr(zoho_demo.emulator.books, "create_organization"):
        assert [o["name"] for o in demo["organizations"]] == ["Demo US Inc", "Demo UK Ltd (EU DC)", "Demo UK Ltd"]
