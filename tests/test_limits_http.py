"""The limiter end to end over HTTP in both modes: Books calls with real tokens, the admin API."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from mock_zoho import literals as L
from tests.limits_world import START, books_get, frozen_emulator, target, token_and_org


@pytest.fixture(params=["server", "inprocess"])
def world(request):
    emu, real = frozen_emulator(**{"oauth.access_token_ttl_s": 10 * 86400})  # tokens outlive a day's advance
    for zoho in target(request.param, emu):
        token, org_id = token_and_org(zoho)
        yield zoho, token, org_id


def test_fifty_threads_exactly_100_per_minute(world):
    zoho, token, org_id = world
    assert zoho.admin("PATCH", f"limits/{org_id}", json={"concurrency": 1000}).status_code == 200
    barrier = threading.Barrier(50)
    local = threading.local()

    def call(_: int) -> int:
        if not hasattr(local, "s"):
            local.s = requests.Session()
            barrier.wait()
        return books_get(zoho, token, org_id, session=local.s).status_code

    with ThreadPoolExecutor(50) as pool:
        statuses = list(pool.map(call, range(200)))
    assert statuses.count(200) == 100 and statuses.count(429) == 100
    r = books_get(zoho, token, org_id)
    assert r.status_code == 429 and r.json() == {"code": 44, "message": L.PER_MINUTE_EXCEEDED.message}
    zoho.emulator.clock.advance(61)
    assert books_get(zoho, token, org_id).status_code == 200


def test_headers_on_every_org_bound_response(world):
    zoho, token, org_id = world
    until_midnight = int(START // 86400 * 86400 + 86400 - START)
    ok = books_get(zoho, token, org_id)
    assert ok.status_code == 200
    assert ok.headers[L.RATE_LIMIT_LIMIT] == "5000"
    assert ok.headers[L.RATE_LIMIT_REMAINING] == "4999"
    assert ok.headers[L.RATE_LIMIT_RESET] == str(until_midnight)
    missing = books_get(zoho, token, org_id, "invoices/4000000000001")
    assert missing.status_code == 404 and missing.headers[L.RATE_LIMIT_REMAINING] == "4998"
    assert zoho.admin("PATCH", f"limits/{org_id}", json={"daily_used": 5000}).status_code == 200
    rejected = books_get(zoho, token, org_id)
    assert rejected.status_code == 429
    assert rejected.json() == {"code": 45, "message": "The API call for this organization has exceeded the maximum call rate limit of 5,000"}
    assert rejected.headers[L.RATE_LIMIT_REMAINING] == "0"
    assert rejected.headers[L.RATE_LIMIT_RESET] == str(until_midnight)
    assert "Retry-After" not in rejected.headers
    zoho.emulator.config.update({"books.retry_after": True})
    assert books_get(zoho, token, org_id).headers["Retry-After"] == str(until_midnight)
    zoho.emulator.clock.advance(until_midnight)
    again = books_get(zoho, token, org_id)
    assert again.status_code == 200 and again.headers[L.RATE_LIMIT_REMAINING] == "4999"
    assert again.headers[L.RATE_LIMIT_RESET] == "86400"


def test_concurrency_1070_while_calls_are_held(world):
    """Two calls held in flight (a hold fault: no timing window), then three more: 1070 each."""
    zoho, token, org_id = world
    zoho.admin.set_limits(org_id, concurrency=2)
    rule = zoho.admin.add_fault({"type": "hold", "timeout_s": 30}, path="/books/v3/invoices", count=2)
    with ThreadPoolExecutor(2) as pool:
        held = [pool.submit(books_get, zoho, token, org_id, session=requests.Session()) for _ in range(2)]
        while zoho.admin.fault(rule["id"])["holding"] < 2:
            assert not any(f.done() for f in held), [f.result().text for f in held if f.done()]
        answers = [books_get(zoho, token, org_id) for _ in range(3)]
        assert zoho.admin.limits(org_id)["concurrency"] == {"limit": 2, "in_flight": 2}
        assert zoho.admin.release_fault(rule["id"]) == 2
        answers += [f.result() for f in held]
    codes = sorted(a.status_code for a in answers)
    assert codes == [200, 200, 429, 429, 429]
    assert all(a.json()["code"] == 1070 for a in answers if a.status_code == 429)
    assert all(L.RATE_LIMIT_LIMIT in a.headers for a in answers)
    st = zoho.admin.limits(org_id)
    assert st["concurrency"] == {"limit": 2, "in_flight": 0}
    assert st["daily"]["used"] == 2


def test_admin_limits_api(world):
    zoho, token, org_id = world
    for _ in range(3):
        books_get(zoho, token, org_id)
    listing = zoho.admin("GET", "limits").json()["limits"]
    mine = next(x for x in listing if x["organization_id"] == org_id)
    assert mine["per_minute"]["used"] == 3 and mine["daily"] == {
        "limit": 5000, "used": 3, "remaining": 4997, "reset_at": START // 86400 * 86400 + 86400,
        "reset_in_s": START // 86400 * 86400 + 86400 - START, "reset": "utc_midnight"}
    assert mine["concurrency"] == {"limit": 10, "in_flight": 0}
    r = zoho.admin("PATCH", f"limits/{org_id}", json={"per_minute": 4, "daily": 10, "concurrency": 3, "daily_used": 6})
    assert r.status_code == 200
    got = r.json()["limit"]
    assert got["overrides"] == {"per_minute": 4, "daily": 10, "concurrency": 3}
    assert (got["per_minute"]["limit"], got["daily"]["limit"], got["daily"]["used"]) == (4, 10, 6)
    assert books_get(zoho, token, org_id).status_code == 200  # the 4th call this minute
    assert books_get(zoho, token, org_id).status_code == 429  # the 5th is over 4 per minute
    assert zoho.admin("POST", f"limits/{org_id}/reset").json()["limit"]["per_minute"]["used"] == 0
    r = books_get(zoho, token, org_id)
    assert r.status_code == 200 and r.headers[L.RATE_LIMIT_LIMIT] == "10" and r.headers[L.RATE_LIMIT_REMAINING] == "9"
    assert zoho.admin("PATCH", f"limits/{org_id}", json={"daily": None}).json()["limit"]["daily"]["limit"] == 5000
    r = zoho.admin("POST", "limits/reset", json={"overrides": True})
    assert r.status_code == 200
    assert zoho.admin("GET", f"limits/{org_id}").json()["limit"]["overrides"] == {}
    assert zoho.admin("GET", f"limits/{org_id}").json()["limit"]["daily"]["used"] == 0


@pytest.mark.parametrize("body,field", [
    ({"per_minute": -1}, "per_minute"),
    ({"daily": "10"}, "daily"),
    ({"concurrency": True}, "concurrency"),
    ({"daily_used": None}, "daily_used"),
    ({"daily_used": 1.5}, "daily_used"),
    ({"burst": 3}, "burst"),
])
def test_admin_limits_validation(zoho, body, field):
    r = zoho.admin("PATCH", "limits/700000123", json=body)
    assert r.status_code == 400 and r.json()["field"] == field and r.json()["error"]


def test_admin_limits_errors(zoho):
    assert zoho.admin("PATCH", "limits/700000123", data="not json",
                      headers={"Content-Type": "application/json"}).status_code == 400
    assert zoho.admin("PATCH", "limits/700000123", json={}).status_code == 400
    r = zoho.admin("GET", "limits/700000999")
    assert r.status_code == 404 and r.json()["field"] == "organization_id"
    assert zoho.admin("POST", "limits/700000999/reset").status_code == 404
    assert zoho.admin("GET", "limits/abc").status_code == 404
    assert zoho.admin("POST", "limits/reset", json={"overrides": "yes"}).json()["field"] == "overrides"
    assert zoho.admin("PATCH", "limits/700000123", json={"daily": 3}).status_code == 200
    assert zoho.admin("GET", "limits/700000123").json()["limit"]["daily"]["limit"] == 3
