"""The admin API refuses what a web page or a rebinding DNS name could send it (issue 9 item 4)."""
from __future__ import annotations

import pytest
import requests

from mock_zoho import Emulator, testing
from mock_zoho.testing import AdminCallError


@pytest.fixture
def zoho():
    with testing.server(Emulator(demo=False)) as target:
        yield target


def test_cross_origin_text_plain_post_is_refused(zoho) -> None:
    before = zoho.admin.faults()
    r = requests.post(f"{zoho.admin_url}/faults", data='{"action": "error", "status": 503}', timeout=10,
                      headers={"Content-Type": "text/plain", "Origin": "https://evil.example"})
    assert r.status_code == 403 and r.json()["field"] == "Origin"
    assert zoho.admin.faults() == before


def test_text_plain_body_is_refused_even_same_origin(zoho) -> None:
    r = requests.post(f"{zoho.admin_url}/config", data='{"limits.per_minute": 5}', timeout=10,
                      headers={"Content-Type": "text/plain"})
    assert r.status_code == 415 and r.json()["field"] == "Content-Type"
    assert zoho.admin.config()["limits.per_minute"] == 100


def test_cross_site_fetch_metadata_is_refused(zoho) -> None:
    r = requests.get(f"{zoho.admin_url}/clients", headers={"Sec-Fetch-Site": "cross-site"}, timeout=10)
    assert r.status_code == 403


def test_same_origin_json_is_accepted(zoho) -> None:
    r = requests.post(f"{zoho.admin_url}/clock", json={"advance": 5}, timeout=10,
                      headers={"Origin": zoho.base})
    assert r.status_code == 200


def test_rebinding_host_is_refused_and_can_be_allowed(zoho) -> None:
    r = requests.get(f"{zoho.admin_url}/clients", headers={"Host": "attacker.example"}, timeout=10)
    assert r.status_code == 403 and r.json()["field"] == "Host"
    assert "client_secret" not in r.text
    zoho.admin.set_config({"admin.allowed_hosts": "mock-zoho, attacker.example"})
    assert requests.get(f"{zoho.admin_url}/clients", headers={"Host": "attacker.example"}, timeout=10).status_code == 200


def test_public_url_host_is_allowed(zoho) -> None:
    zoho.admin.set_config({"server.public_url": "https://zoho.test.internal:9443"})
    r = requests.get(f"{zoho.admin_url}/health", headers={"Host": "zoho.test.internal:9443"}, timeout=10)
    assert r.status_code == 200


def test_admin_token_required_when_set() -> None:
    with testing.server(Emulator(demo=False), admin_token="s3cret-admin") as zoho:
        assert zoho.admin.create_user("ada@example.com")["email"] == "ada@example.com"  # the client sends it
        assert requests.get(f"{zoho.admin_url}/health", timeout=10).status_code == 200  # health stays open
        bare = requests.get(f"{zoho.admin_url}/users", timeout=10)
        assert bare.status_code == 401 and bare.json()["field"] == "Authorization"
        wrong = testing.AdminClient(zoho.base, admin_token="nope")
        with pytest.raises(AdminCallError) as err:
            wrong.users()
        assert err.value.status == 401


def test_admin_token_from_the_environment_reaches_workers() -> None:
    with testing.workers(1, admin_token="env-token-1") as zoho:
        assert zoho.admin.users() == []
        assert requests.get(f"{zoho.admin_url}/users", timeout=10).status_code == 401
