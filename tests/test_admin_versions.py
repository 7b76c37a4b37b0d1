"""The admin API's version and its one set of answer shapes (README "Admin API"), in both modes."""
from __future__ import annotations

from mock_zoho.context import ADMIN_VERSION_HEADER


def _base(zoho) -> str:
    return zoho.admin_url.rsplit("/v1", 1)[0]


def test_versioned_and_current_prefixes_answer_alike_with_the_version_header(zoho):
    base = _base(zoho)
    versioned = zoho.session.get(f"{base}/v1/health", timeout=10)
    current = zoho.session.get(f"{base}/health", timeout=10)
    assert versioned.status_code == current.status_code == 200
    assert versioned.json()["admin_api_version"] == current.json()["admin_api_version"] == 1
    assert versioned.headers[ADMIN_VERSION_HEADER] == current.headers[ADMIN_VERSION_HEADER] == "1"
    refused = zoho.session.post(f"{base}/v1/clock", json={"advance": -1}, timeout=10)
    assert refused.status_code == 400 and refused.headers[ADMIN_VERSION_HEADER] == "1"
    assert refused.json()["field"] == "advance"


def test_an_unknown_version_is_named(zoho):
    r = zoho.session.get(f"{_base(zoho)}/v2/health", timeout=10)
    assert r.status_code == 404 and r.json()["field"] == "version"
    assert "v1" in r.json()["error"] and "v2" in r.json()["error"]


def test_collections_one_things_and_deletions_share_shapes(zoho):
    admin = zoho.admin
    user = admin.create_user()
    client = admin.create_client(redirect_uris=["http://127.0.0.1:9/cb"])
    org = admin.create_org(users=[user], seed=False)
    for path, key in (("users", "users"), ("clients", "clients"), ("organizations", "organizations"),
                      ("faults", "faults"), ("limits", "limits"), ("tokens", "tokens"), ("requests", "requests")):
        body = admin.call("GET", path)
        assert isinstance(body[key], list) and body["count"] == len(body[key]), path
    assert set(admin.call("GET", "clock")) == {"clock"}
    assert set(admin.call("GET", f"limits/{org['organization_id']}")) == {"limit"}
    fault = admin.add_fault("internal_error", path="/books/v3/nowhere")
    assert admin.call("DELETE", f"faults/{fault['id']}") == {"deleted": 1, "id": fault["id"]}
    assert admin.call("DELETE", "faults") == {"deleted": 0}
    gone = admin.call("DELETE", f"users/{user['user_id']}/connections/{client['client_id']}")
    assert gone["deleted"] == gone["refresh_tokens_revoked"] == 0
    assert admin.call("DELETE", f"clients/{client['client_id']}")["deleted"] == 1
    assert admin.call("DELETE", f"organizations/{org['organization_id']}") == {
        "deleted": 1, "organization_id": org["organization_id"]}
    assert admin.call("DELETE", "requests")["deleted"] >= 0
    assert admin.requests() == []
