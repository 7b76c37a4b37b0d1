"""Error codes and bodies (reference §4): every error is ``{"code": N, "message": "..."}`` with the
documented HTTP status; the token endpoint answers errors under HTTP 200 as ``{"error": ...}``."""
from __future__ import annotations

UNKNOWN_ID = "460000000000001"  # a well-formed id no organisation has


def _error(r, status: int | tuple[int, ...], codes: tuple[int, ...]) -> dict:
    statuses = status if isinstance(status, tuple) else (status,)
    assert r.status_code in statuses, f"HTTP {r.status_code}, documented {statuses}: {r.text[:200]}"
    assert r.headers.get("Content-Type", "").startswith("application/json")
    body = r.json()
    assert set(body) == {"code", "message"}, sorted(body)
    assert type(body["code"]) is int and body["code"] in codes, body
    assert isinstance(body["message"], str) and body["message"]
    return body


def test_no_token_is_401_code_57(zoho_api):
    _error(zoho_api.books("/invoices", auth=False), 401, (57, 14))


def test_a_bad_token_is_401_code_57(zoho_api):
    r = zoho_api.books("/invoices", headers={"Authorization": "Zoho-oauthtoken 1000.0000.0000"})
    _error(r, 401, (57, 14))


def test_an_org_of_someone_else_is_6041(zoho_api):
    body = _error(zoho_api.books("/invoices", {"organization_id": "1234567"}), 400, (6041,))
    assert "1234567" in body["message"]


def test_an_unknown_record_is_1002(zoho_api):
    body = _error(zoho_api.books(f"/invoices/{UNKNOWN_ID}"), (400, 404), (1002,))
    assert body["message"].rstrip(".") == "Invoice does not exist"


def test_an_unknown_url_is_404_code_5(zoho_api):
    body = _error(zoho_api.books("/nosuchresource", described=False), 404, (5,))
    assert body["message"] == "Invalid URL Passed"


def test_an_unknown_filter_is_code_2_naming_it(zoho_api):
    body = _error(zoho_api.books("/invoices", {"filter_by": "Status.NoSuchStatus"}), 400, (2,))
    assert "filter_by" in body["message"]


def test_a_wrong_refresh_token_is_an_error_under_http_200(zoho_api):
    r = zoho_api.refresh("1000.00000000000000000000000000000000.00000000000000000000000000000000")
    assert r.status_code == 200 and r.json().get("error") == "invalid_code", (r.status_code, r.text[:200])
    assert "access_token" not in r.json()
