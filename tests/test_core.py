"""Core: data-center routing, path normalisation, the admin clock and journal, Zoho-shaped errors."""
from __future__ import annotations

from mock_zoho import literals as L


def test_unknown_data_center_prefix_is_zoho_404(zoho):
    r = zoho.session.get(f"{zoho.base}/dc/xx/oauth/serverinfo")
    assert r.status_code == 404
    assert r.json() == {"code": L.INVALID_URL.code, "message": L.INVALID_URL.message}
    assert r.headers["Content-Type"].startswith("application/json")


def test_unknown_path_is_zoho_404_not_html(zoho):
    r = zoho.session.get(f"{zoho.api_url('eu')}/no/such/thing")
    assert r.status_code == 404
    assert r.json()["code"] == L.INVALID_URL.code


def test_clock_advances_and_rejects_going_back(zoho):
    before = zoho.admin("GET", "clock").json()["clock"]["now"]
    after = zoho.admin("POST", "clock", json={"advance": 3600}).json()["clock"]["now"]
    assert after - before >= 3600
    bad = zoho.admin("POST", "clock", json={"advance": -5})
    assert bad.status_code == 400 and "forward" in bad.json()["error"]
    bad = zoho.admin("POST", "clock", json={"advance": "soon"})
    assert bad.status_code == 400 and bad.json()["field"] == "advance"
    bad = zoho.admin("POST", "clock", data="{not json", headers={"Content-Type": "application/json"})
    assert bad.status_code == 400 and "JSON" in bad.json()["error"]
    bad = zoho.admin("POST", "clock", data="{not json")
    assert bad.status_code == 415 and bad.json()["field"] == "Content-Type"


def test_journal_records_requests_with_dc_and_filters(zoho):
    zoho.session.get(f"{zoho.api_url('eu')}/nothing-here")
    zoho.session.get(f"{zoho.api_url('us')}/nothing-else")
    eu = zoho.admin("GET", "requests", params={"dc": "eu"}).json()
    assert [e["path"] for e in eu["requests"]] == ["/nothing-here"]
    assert zoho.admin("GET", "requests", params={"path": "/nothing*"}).json()["count"] == 2
    assert zoho.admin("GET", "requests", params={"bogus": "1"}).status_code == 400
    zoho.admin("DELETE", "requests")
    assert zoho.admin("GET", "requests").json()["count"] == 0


def test_config_patch_validates_and_names_the_key(zoho):
    ok = zoho.admin("PATCH", "config", json={"oauth.auth_code_ttl_s": 60})
    assert ok.status_code == 200 and ok.json()["changed"] == {"oauth.auth_code_ttl_s": 60}
    bad = zoho.admin("PATCH", "config", json={"oauth.nope": 1})
    assert bad.status_code == 400 and "oauth.nope" in bad.json()["error"]
    bad = zoho.admin("PATCH", "config", json={"books.missing_org": "sometimes"})
    assert bad.status_code == 400 and "books.missing_org" in bad.json()["error"]


def test_two_emulators_in_one_process_share_nothing():
    from mock_zoho import Emulator

    a, b = Emulator(demo=False), Emulator(demo=False)
    a.clock.advance(86400)
    a.app().test_client().get("/dc/eu/x")
    assert b.clock.now() < a.clock.now() - 80000
    assert len(b.journal) == 0 and len(a.journal) == 1


def test_config_changes_reach_the_clock_and_the_journal(zoho):
    assert zoho.admin("PATCH", "config", json={"server.time_scale": 60}).status_code == 200
    assert zoho.admin("GET", "clock").json()["clock"]["scale"] == 60
    bad = zoho.admin("PATCH", "config", json={"server.time_scale": 0})
    assert bad.status_code == 400 and "server.time_scale" in bad.json()["error"]
    assert zoho.admin("GET", "clock").json()["clock"]["scale"] == 60  # a refused change changes nothing
    zoho.admin("PATCH", "config", json={"journal.max_entries": 2})
    for n in range(4):
        zoho.session.get(f"{zoho.api_url('eu')}/nothing-{n}")
    paths = [e["path"] for e in zoho.admin("GET", "requests").json()["requests"]]
    assert paths == ["/nothing-2", "/nothing-3"]
