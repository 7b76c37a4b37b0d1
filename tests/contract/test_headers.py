"""Headers (reference §3.5, §5.4): JSON content type on every Books answer; the rate headers on
successful answers, as integers, Remaining never above Limit (pyzohoapi crashes without Reset)."""
from __future__ import annotations

RATE = ("X-Rate-Limit-Limit", "X-Rate-Limit-Remaining", "X-Rate-Limit-Reset")


def test_success_carries_json_and_rate_headers(zoho_api):
    r = zoho_api.books("/invoices")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/json")
    missing = [h for h in RATE if h not in r.headers]
    assert not missing, f"missing {missing}"
    values = {h: r.headers[h] for h in RATE}
    assert all(v.isdigit() for v in values.values()), values
    assert int(values["X-Rate-Limit-Remaining"]) <= int(values["X-Rate-Limit-Limit"])
    assert "Retry-After" not in r.headers


def test_errors_are_json_too(zoho_api):
    r = zoho_api.books("/invoices", auth=False)
    assert r.headers["Content-Type"].startswith("application/json")
