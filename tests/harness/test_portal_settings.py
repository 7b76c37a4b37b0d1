"""Zoho Books settings: key checks at save (whitespace, empty, shape), enable now or later, the toggle,
the secret never shown again; platform settings refused with the key named."""
from __future__ import annotations

import pytest

from harness.connector import ZohoEndpoints
from harness.portal import Platform, SettingError

CLIENT_ID = "1000.ABCDEFGHIJKLMNOPQRSTUVWXYZ0123"
SECRET = "0123456789abcdef0123456789abcdef0123456789"


def _platform(**settings) -> Platform:
    return Platform(ZohoEndpoints("http://127.0.0.1:9"), settings=settings)


@pytest.fixture
def api():
    platform = _platform()
    yield platform.app.test_client()
    platform.close()


def _put(api, **body):
    return api.put("/api/integrations/zoho-books", json=body)


@pytest.mark.parametrize("field,value,fault", [
    ("client_id", f" {CLIENT_ID}", "leading"),
    ("client_id", f"{CLIENT_ID} ", "trailing"),
    ("client_secret", SECRET[:20] + " " + SECRET[20:], "inside"),
    ("client_secret", SECRET[:20] + "\t" + SECRET[20:], "inside"),
    ("client_secret", SECRET + "\n", "trailing"),
])
def test_a_key_with_whitespace_is_refused_naming_field_and_fault(api, field, value, fault):
    body = {"client_id": CLIENT_ID, "client_secret": SECRET, field: value}
    r = _put(api, **body)
    assert r.status_code == 400 and r.json["field"] == field
    assert "must not contain spaces" in r.json["error"] and fault in r.json["error"]
    assert api.get("/api/integrations/zoho-books").json["configured"] is False  # nothing stored


@pytest.mark.parametrize("field,value,message", [
    ("client_id", "", "must not be empty"),
    ("client_secret", "   ", "must not be empty"),
    ("client_id", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123", "does not look like a Zoho Client ID"),
    ("client_secret", "short", "does not look like a Zoho Client Secret"),
    ("client_secret", "x" * 30 + "!", "does not look like a Zoho Client Secret"),
])
def test_empty_or_misshapen_keys_are_refused(api, field, value, message):
    r = _put(api, **{"client_id": CLIENT_ID, "client_secret": SECRET, field: value})
    assert r.status_code == 400 and r.json["field"] == field and message in r.json["error"]


def test_first_save_needs_both_keys(api):
    r = _put(api, client_id=CLIENT_ID)
    assert r.status_code == 400 and r.json == {"error": "Client secret is required", "field": "client_secret"}


def test_trim_strips_the_ends_and_accept_keeps_the_space_for_downstream_scenarios():
    trim = _platform(**{"portal.key_whitespace": "trim"})
    r = _put(trim.app.test_client(), client_id=f" {CLIENT_ID} ", client_secret=f"{SECRET}\n")
    assert r.status_code == 200 and r.json["client_id"] == CLIENT_ID
    assert trim.integrations.get().client_secret == SECRET
    inside = _put(trim.app.test_client(), client_secret=SECRET[:10] + " " + SECRET[10:])
    assert inside.status_code == 400 and "inside" in inside.json["error"]
    accept = _platform(**{"portal.key_whitespace": "accept"})
    r = _put(accept.app.test_client(), client_id=CLIENT_ID, client_secret=f"{SECRET} ")
    assert r.status_code == 200 and accept.integrations.get().client_secret == f"{SECRET} "


def test_the_secret_is_never_returned_only_fingerprint_and_last_four(api):
    saved = _put(api, client_id=CLIENT_ID, client_secret=SECRET).json
    for answer in (saved, api.get("/api/integrations/zoho-books").json, api.get("/api/integrations").json,
                   api.get("/api/settings").json):
        assert SECRET not in str(answer) and SECRET[:-4] not in str(answer)
    assert saved["client_secret"]["last4"] == SECRET[-4:]
    assert saved["client_secret"]["fingerprint"].startswith("fp:")
    page = api.get("/settings").get_data(as_text=True)
    assert SECRET not in page and SECRET[-4:] in page


def test_enable_now_or_later_and_the_toggle(api):
    assert api.post("/api/integrations/zoho-books/enable").status_code == 409  # nothing saved yet
    assert _put(api, client_id=CLIENT_ID, client_secret=SECRET).json["enabled"] is False  # later by default
    assert _put(api, client_id=CLIENT_ID, client_secret=SECRET, enable="now").json["enabled"] is True
    assert _put(api, data_types=["invoices"]).json["enabled"] is True  # a later save keeps the state
    assert api.post("/api/integrations/zoho-books/disable").json["enabled"] is False
    assert api.post("/api/integrations/zoho-books/enable").json["enabled"] is True
    assert api.post("/api/integrations/zoho-books/explode").status_code == 404


def test_data_types_pulls_and_editions(api):
    saved = _put(api, client_id=CLIENT_ID, client_secret=SECRET, data_types=["invoices", "bills"],
                 complete_datasets=["invoices"], editions=["us"]).json
    assert saved["data_types"] == ["invoices", "bills"] and saved["complete_datasets"] == ["invoices"]
    assert saved["editions"] == ["us"] and saved["redirect_uri"].endswith("/oauth/callback")
    assert _put(api, editions=["mars"]).json["field"] == "editions.0"
    assert _put(api, data_types=[]).json["field"] == "data_types"
    assert _put(api, complete_datasets=["nope"]).json["field"] == "complete_datasets.0"
    assert _put(api, color="red").json == {"error": "is not a known field", "field": "color"}


def test_the_settings_page_saves_and_asks_to_enable_now_or_later(api):
    form = {"client_id": CLIENT_ID, "client_secret": SECRET, "data_types": ["invoices"], "editions": ["uk", "us"]}
    bad = api.post("/settings", data={**form, "client_secret": SECRET + " "})
    assert bad.status_code == 400 and "must not contain spaces" in bad.get_data(as_text=True)
    assert CLIENT_ID in bad.get_data(as_text=True) and SECRET not in bad.get_data(as_text=True)
    ok = api.post("/settings", data=form, follow_redirects=True)
    assert 'id="enable-dialog"' in ok.get_data(as_text=True)
    later = api.post("/settings/enable", data={"choice": "later"}, follow_redirects=True)
    assert 'id="integration-state">disabled' in later.get_data(as_text=True)
    now = api.post("/settings/enable", data={"choice": "now"}, follow_redirects=True)
    assert 'id="integration-state">enabled' in now.get_data(as_text=True)
    kept = api.post("/settings", data={**form, "client_secret": ""}, follow_redirects=True)  # blank keeps it
    assert kept.status_code == 200 and api.get("/api/integrations/zoho-books").json["client_secret"]["last4"] == "6789"


def test_platform_settings_are_checked_by_key():
    with pytest.raises(SettingError, match="link.org_selection"):
        _platform(**{"link.org_selection": "random"})
    with pytest.raises(SettingError, match="portal.nope"):
        _platform(**{"portal.nope": 1})
    with pytest.raises(SettingError, match="sync.max_retries"):
        _platform(**{"sync.max_retries": "many"})
    platform = _platform(**{"sync.daily_limit_status": "RateLimitError"})
    api = platform.app.test_client()
    assert api.get("/api/settings").json["settings"]["sync.daily_limit_status"] == "RateLimitError"
    r = api.patch("/api/settings", json={"link.otp_ttl_s": 60, "portal.key_whitespace": "sometimes"})
    assert r.status_code == 400 and r.json["field"] == "portal.key_whitespace"
    assert platform.settings["link.otp_ttl_s"] == 86400  # nothing half-applied
    assert api.patch("/api/settings", json={"link.otp_ttl_s": 60}).json == {"changed": ["link.otp_ttl_s"]}
    assert api.patch("/api/settings", json={"sync.max_retries": -1}).json["field"] == "sync.max_retries"


def test_start_only_and_url_settings():
    platform = _platform()
    api = platform.app.test_client()
    r = api.patch("/api/settings", json={"portal.encryption_key": "x" * 44})
    assert r.status_code == 400 and r.json["field"] == "portal.encryption_key" and "restart" in r.json["error"]
    r = api.patch("/api/settings", json={"portal.webhook_url": "not a url"})
    assert r.status_code == 400 and r.json["field"] == "portal.webhook_url"
    assert api.patch("/api/settings", json={"portal.webhook_url": "http://127.0.0.1:1/hook"}).status_code == 200
    with pytest.raises(SettingError, match="portal.encryption_key"):
        _platform(**{"portal.encryption_key": "not-a-fernet-key"})
