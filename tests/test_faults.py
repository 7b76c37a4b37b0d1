"""Fault injection in both modes: each action does exactly what it says, to exactly the requests it matches."""
from __future__ import annotations

import pytest
import requests

from mock_zoho import Emulator
from mock_zoho import literals as L
from mock_zoho.config import Config
from mock_zoho.http import AdminError

NOT_FOUND = {"code": 5, "message": "Invalid URL Passed"}


def add(zoho, **rule) -> str:
    r = zoho.admin("POST", "faults", json=rule)
    assert r.status_code == 201, r.text
    return r.json()["fault"]["id"]


def url(zoho, path: str) -> str:
    return f"{zoho.api_url('us')}{path}"


def journal(zoho, **filters):
    return zoho.admin("GET", "requests", params=filters).json()["requests"]


@pytest.mark.parametrize("preset,status,body", [
    ("internal_error", 500, {"code": 1000, "message": "Internal error"}),
    ("rate_limit", 429, {"code": 44, "message": L.PER_MINUTE_EXCEEDED.message}),
    ("concurrency_limit", 429, {"code": 1070, "message": L.CONCURRENCY_EXCEEDED.message}),
    ("unauthorized", 401, {"code": 57, "message": "You are not authorized to perform this operation"}),
    ("daily_limit", 429, {"code": 45, "message": "The API call for this organization has exceeded the maximum call rate limit of 1,000"}),
])
def test_presets_fire_once_then_expire(zoho, preset, status, body):
    rule = add(zoho, path="/books/v3/ping*", action=preset, count=1)
    r = zoho.session.get(url(zoho, "/books/v3/ping"))
    assert (r.status_code, r.json()) == (status, body)
    assert r.headers["Content-Type"].startswith("application/json")
    r = zoho.session.get(url(zoho, "/books/v3/ping"))  # expired: the real answer
    assert (r.status_code, r.json()) == (404, NOT_FOUND)
    entries = journal(zoho, path="/books/v3/ping")
    assert [(e["status"], e.get("fault")) for e in entries] == [(status, rule), (404, None)]
    assert entries[0]["code"] == body["code"]
    listed = zoho.admin("GET", f"faults/{rule}").json()["fault"]
    assert (listed["fired"], listed["expired"]) == (1, True)


def test_oauth_throttle_on_the_token_endpoint(zoho):
    add(zoho, method="POST", path="/oauth/v2/token", area="accounts", action="oauth_throttle")
    r = zoho.session.post(f"{zoho.accounts_url('us')}/oauth/v2/token", data={"grant_type": "refresh_token"})
    assert r.status_code == 400 and r.json() == L.OAUTH_THROTTLE_BODY
    r = zoho.session.get(url(zoho, "/books/v3/x"))
    assert r.status_code == 404  # other areas untouched


def test_respond_with_anything(zoho):
    add(zoho, path="/books/v3/custom", action={"type": "respond", "status": 503, "body": "down for maintenance",
                                               "headers": {"X-Why": "test"}})
    r = zoho.session.get(url(zoho, "/books/v3/custom"))
    assert (r.status_code, r.text, r.headers["X-Why"]) == (503, "down for maintenance", "test")
    assert r.headers["Content-Type"].startswith("text/plain")


def test_latency_passes_the_real_answer_through(zoho):
    rule = add(zoho, path="/books/v3/slow", action={"type": "latency", "min_ms": 10, "max_ms": 30})
    r = zoho.session.get(url(zoho, "/books/v3/slow"))
    assert (r.status_code, r.json()) == (404, NOT_FOUND)
    (entry,) = journal(zoho, path="/books/v3/slow")
    assert entry["fault"] == rule and entry["status"] == 404


def test_connection_reset(zoho):
    rule = add(zoho, path="/books/v3/drop", action="reset", count=1)
    with pytest.raises(requests.exceptions.ConnectionError):
        zoho.session.get(url(zoho, "/books/v3/drop"))
    assert zoho.session.get(url(zoho, "/books/v3/drop")).status_code == 404
    entries = journal(zoho, path="/books/v3/drop")
    assert [(e["status"], e.get("fault")) for e in entries] == [(None, rule), (404, None)]


def test_truncated_body(zoho):
    add(zoho, path="/books/v3/cut", action={"type": "truncate", "fraction": 0.5})
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        zoho.session.get(url(zoho, "/books/v3/cut"))


def test_malformed_body(zoho):
    add(zoho, path="/books/v3/bad", action="malformed")
    r = zoho.session.get(url(zoho, "/books/v3/bad"))
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/json")
    assert r.content and r.content == b'{"code":5,"message":"Invalid URL Passed"}'[: len(r.content)]
    with pytest.raises(ValueError):
        r.json()


def test_matching_fields(zoho):
    add(zoho, method=["POST"], path="/books/v3/m*", dc="eu", action="internal_error")
    add(zoho, path="/books/v3/org", organization_id="42", action="internal_error")
    eu = zoho.api_url("eu")
    assert zoho.session.post(f"{eu}/books/v3/match").status_code == 500
    assert zoho.session.get(f"{eu}/books/v3/match").status_code == 404  # method
    assert zoho.session.post(url(zoho, "/books/v3/match")).status_code == 404  # dc
    assert zoho.session.post(f"{eu}/books/v3/other").status_code == 404  # path
    assert zoho.session.get(url(zoho, "/books/v3/org"), params={"organization_id": "42"}).status_code == 500
    assert zoho.session.get(url(zoho, "/books/v3/org"), headers={L.ORG_HEADER: "42"}).status_code == 500
    assert zoho.session.get(url(zoho, "/books/v3/org"), params={"organization_id": "43"}).status_code == 404
    assert zoho.session.get(f"{zoho.admin_url}/faults").status_code == 200  # the admin API is never faulted


def test_client_id_from_query_or_form_and_the_body_survives(zoho):
    add(zoho, path="/oauth/v2/token", client_id="1000.FAULTY", action="internal_error")
    token_url = f"{zoho.accounts_url('us')}/oauth/v2/token"
    assert zoho.session.post(token_url, data={"client_id": "1000.FAULTY", "grant_type": "refresh_token"}).status_code == 500
    assert zoho.session.post(token_url, params={"client_id": "1000.FAULTY"}).status_code == 500
    r = zoho.session.post(token_url, data={"client_id": "1000.OTHER", "client_secret": "s", "grant_type": "refresh_token",
                                           "refresh_token": "x"})
    assert r.json() == {"error": "invalid_client"}  # the app still read the form body


def test_after_and_count(zoho):
    add(zoho, path="/books/v3/ac", after=2, count=2, action="internal_error")
    statuses = [zoho.session.get(url(zoho, "/books/v3/ac")).status_code for _ in range(6)]
    assert statuses == [404, 404, 500, 500, 404, 404]


@pytest.mark.parametrize("mode", ["server", "inprocess"])
def test_same_seed_same_faults(mode):
    from tests.limits_world import target

    def run(seed: int) -> list[int]:
        for zoho in target(mode, Emulator(demo=False, seed=seed)):
            add(zoho, path="/books/v3/p", probability=0.5, action="internal_error")
            return [zoho.session.get(url(zoho, "/books/v3/p")).status_code for _ in range(24)]
        raise AssertionError

    first, again, other = run(7), run(7), run(8)
    assert first == again
    assert 0 < first.count(500) < 24
    assert first != other


def test_admin_faults_api(zoho):
    a = add(zoho, path="/books/v3/a", action="internal_error")
    b = add(zoho, path="/books/v3/b", action={"type": "latency", "ms": 1})
    listed = zoho.admin("GET", "faults").json()["faults"]
    assert [f["id"] for f in listed] == [a, b] and listed[0]["matched"] == 0
    assert zoho.admin("DELETE", f"faults/{a}").json() == {"deleted": 1, "id": a}
    assert zoho.admin("DELETE", f"faults/{a}").status_code == 404
    assert zoho.session.get(url(zoho, "/books/v3/a")).status_code == 404
    assert zoho.admin("DELETE", "faults").json() == {"deleted": 1}
    assert zoho.admin("GET", "faults").json()["faults"] == []
    assert zoho.admin("GET", "faults/f99").status_code == 404


@pytest.mark.parametrize("rule,field", [
    ({}, "action"),
    ({"action": "explode"}, "action.type"),
    ({"action": "reset", "probability": 2}, "probability"),
    ({"action": "reset", "count": 0}, "count"),
    ({"action": "reset", "after": -1}, "after"),
    ({"action": "reset", "area": "admin"}, "area"),
    ({"action": "reset", "colour": "red"}, "colour"),
    ({"action": {"type": "latency"}}, "action.ms"),
    ({"action": {"type": "respond", "status": 99}}, "action.status"),
    ({"action": {"type": "reset", "ms": 3}}, "action.ms"),
    ({"action": "reset", "method": []}, "method"),
])
def test_admin_faults_validation(zoho, rule, field):
    r = zoho.admin("POST", "faults", json=rule)
    assert r.status_code == 400 and r.json()["field"] == field


def test_config_file_section(tmp_path):
    path = tmp_path / "zoho.yaml"
    path.write_text("limits:\n  per_minute: 50\nfaults:\n  - path: /books/v3/file\n    action: internal_error\n")
    emu = Emulator(Config.from_file(path), demo=False)
    (rule,) = emu.faults.rules()
    assert rule["source"] == "file" and rule["id"] == "f1"
    emu.reset(demo=False)
    assert [r["id"] for r in emu.faults.rules()] == ["f1"]  # a reset reloads the file's rules
    bad = tmp_path / "bad.yaml"
    bad.write_text("faults:\n  - path: /x\n    action: nope\n")
    with pytest.raises(AdminError) as info:
        Emulator(Config.from_file(bad), demo=False)
    assert "faults[0]" in info.value.message


def test_hold_keeps_calls_in_flight_until_released(zoho):
    """``hold``: calls wait (the serverinfo call outside Books too) until the test lets them go;
    deleting the rule lets go as well; only hold rules are released; timeout_s is checked."""
    from concurrent.futures import ThreadPoolExecutor

    import requests

    rule = zoho.admin.add_fault("hold", path="/oauth/serverinfo")
    url = f"{zoho.accounts_url('us')}/oauth/serverinfo"
    with ThreadPoolExecutor(3) as pool:
        calls = [pool.submit(requests.Session().get, url, timeout=30) for _ in range(3)]
        while zoho.admin.fault(rule["id"])["holding"] < 3:
            assert not any(c.done() for c in calls)
        assert zoho.admin.release_fault(rule["id"]) == 3
        assert [c.result().status_code for c in calls] == [200, 200, 200]
    assert zoho.admin.fault(rule["id"])["holding"] == 0
    other = zoho.admin.add_fault("hold", path="/oauth/serverinfo", count=1)
    zoho.admin.remove_fault(rule["id"])
    with ThreadPoolExecutor(1) as pool:
        call = pool.submit(requests.Session().get, url, timeout=30)
        while zoho.admin.fault(other["id"])["holding"] < 1:
            assert not call.done()
        zoho.admin.clear_faults()
        assert call.result().status_code == 200
    latency = zoho.admin.add_fault({"type": "latency", "ms": 1}, path="/nothing")
    refused = zoho.admin.raw("POST", f"faults/{latency['id']}/release")
    assert refused.status_code == 400 and refused.json()["field"] == "id"
    bad = zoho.admin.raw("POST", "faults", json={"action": {"type": "hold", "timeout_s": 0}})
    assert bad.status_code == 400 and bad.json()["field"] == "action.timeout_s"
