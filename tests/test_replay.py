"""Replayed Books GETs (mock_zoho/books/replay.py): the same bytes, still admitted, counted and
journaled, and never stale: any write, revocation, clock or config change, fault rule, expiry or
new day sends the call through the full pipeline again. Both modes; Redis across two emulators.

The emulators run with ``server.replay_verify`` (conftest ``--replay-verify``, on by default): every
replay below is also checked against a fresh rendering, which must leave no trace in the journal
or the limits."""
from __future__ import annotations

import pytest

from mock_zoho import Emulator
from mock_zoho import literals as L
from mock_zoho.books.editions import EDITIONS
from mock_zoho.books.replay import ReplayMismatch, next_local_midnight
from mock_zoho.serving.werkzeug import start_in_thread
from tests.books_helpers import Books, assert_zoho_error, get_grant, get_token, make_org, make_user, world
from tests.conftest import Target
from tests.limits_world import frozen_emulator, target


def _journal(zoho, org_id: str) -> list[dict]:
    return zoho.admin("GET", "requests", params={"organization_id": org_id}).json()["requests"]


def _replayed(zoho, org_id: str) -> list[bool]:
    return [e.get("replayed", False) for e in _journal(zoho, org_id)]


def test_a_repeated_get_is_replayed_byte_for_byte_and_still_counted(zoho):
    books = world(zoho, counts={"invoices": 5})
    first, second = books.get("invoices"), books.get("invoices")
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert first.headers["Content-Type"] == second.headers["Content-Type"]
    assert second.headers["Server"] == L.SERVER_HEADER
    assert int(second.headers[L.RATE_LIMIT_REMAINING]) == int(first.headers[L.RATE_LIMIT_REMAINING]) - 1
    entries = _journal(zoho, books.org_id)
    assert [e.get("replayed", False) for e in entries] == [False, True]
    full, replayed = entries
    for key in ("method", "host", "path", "raw_path", "query", "dc", "area", "status", "code", "user_id",
                "client_id", "token_fp", "route", "organization_id"):
        assert replayed[key] == full[key], key
    assert replayed["headers"]["Authorization"].startswith("Zoho-oauthtoken fp:")  # never the token
    assert books.token not in str(replayed)
    used = zoho.admin("GET", f"limits/{books.org_id}").json()["limit"]
    assert (used["per_minute"]["used"], used["daily"]["used"], used["concurrency"]["in_flight"]) == (2, 2, 0)


def test_a_write_is_seen_by_the_next_read(zoho):
    books = world(zoho)
    contact = books.ok("POST", "contacts", json={"contact_name": "Replay Ltd"})["contact"]
    path = f"contacts/{contact['contact_id']}"
    assert books.ok("GET", path)["contact"]["company_name"] == books.ok("GET", path)["contact"]["company_name"]
    books.ok("PUT", path, json={"company_name": "Changed Holdings"})
    assert books.ok("GET", path)["contact"]["company_name"] == "Changed Holdings"
    assert books.ok("GET", "contacts")["contacts"][0]["company_name"] == "Changed Holdings"
    books.ok("DELETE", path)
    assert_zoho_error(books.get(path), 404, L.DOES_NOT_EXIST.code)


def test_a_revoked_token_is_refused_at_once(zoho):
    user = make_user(zoho)
    org = make_org(zoho, [user])
    _, grant = get_grant(zoho, user)
    books = Books(zoho, grant["access_token"], "us", org["organization_id"])
    assert books.get("invoices").status_code == books.get("invoices").status_code == 200
    r = zoho.session.post(f"{zoho.accounts_url('us')}/oauth/v2/token/revoke", params={"token": grant["refresh_token"]})
    assert r.status_code == 200, r.text
    assert_zoho_error(books.get("invoices"), 401, L.NOT_AUTHORIZED.code)


@pytest.mark.parametrize("mode", ["server", "inprocess"])
def test_an_expired_token_is_refused_as_time_passes(mode, test_config):
    emu, real = frozen_emulator(**test_config)
    for zoho in target(mode, emu):
        books = world(zoho)
        assert books.get("invoices").status_code == books.get("invoices").status_code == 200
        real.sleep(3599)  # time passes; nothing changes, so the stamp alone would still hold
        assert books.get("invoices").status_code == 200
        real.sleep(2)
        assert_zoho_error(books.get("invoices"), 401, L.NOT_AUTHORIZED.code)


@pytest.mark.parametrize("mode", ["server", "inprocess"])
def test_a_new_org_day_is_answered_afresh(mode, test_config):
    emu, real = frozen_emulator(**test_config)
    now = emu.clock.now()
    emu.clock.set(next_local_midnight(now, EDITIONS["us"].utc_offset) - 300)  # five minutes to midnight
    for zoho in target(mode, emu):
        books = world(zoho)
        books.get("invoices"), books.get("invoices")
        real.sleep(301)
        assert books.get("invoices").status_code == 200
        assert _replayed(zoho, books.org_id) == [False, True, False]


def test_a_fault_rule_applies_to_a_replayable_call(zoho):
    books = world(zoho)
    books.get("invoices"), books.get("invoices")
    rule = zoho.admin("POST", "faults", json={"path": "*/invoices", "action": "internal_error"}).json()["fault"]
    assert_zoho_error(books.get("invoices"), 500, L.INTERNAL_ERROR.code)
    assert zoho.admin("DELETE", f"faults/{rule['id']}").status_code == 200
    assert books.get("invoices").status_code == 200
    assert books.get("invoices").status_code == 200
    assert _replayed(zoho, books.org_id)[-3:] == [False, False, True]


def test_limits_reject_replayed_calls_exactly(zoho):
    books = world(zoho)
    assert zoho.admin("PATCH", f"limits/{books.org_id}", json={"per_minute": 3}).status_code == 200
    statuses = [books.get("invoices") for _ in range(5)]
    assert [r.status_code for r in statuses] == [200, 200, 200, 429, 429]
    assert_zoho_error(statuses[-1], 429, L.PER_MINUTE_EXCEEDED.code)
    assert L.RATE_LIMIT_REMAINING in statuses[-1].headers
    entries = _journal(zoho, books.org_id)
    assert [(e["status"], e["code"]) for e in entries] == [(200, 0)] * 3 + [(429, L.PER_MINUTE_EXCEEDED.code)] * 2


def test_settings_changes_apply_to_the_next_call(zoho):
    books = world(zoho)
    books.get("invoices"), books.get("invoices")
    assert zoho.admin("PATCH", "config", json={"books.rate_headers": False}).status_code == 200
    assert L.RATE_LIMIT_REMAINING not in books.get("invoices").headers
    assert zoho.admin("PATCH", "config", json={"server.replay": False}).status_code == 200
    books.get("invoices"), books.get("invoices")
    assert _replayed(zoho, books.org_id) == [False, True, False, False, False]


def test_the_cache_stays_within_its_memory_budget(zoho):
    assert zoho.admin("PATCH", "config", json={"server.replay_cache_mb": 1}).status_code == 200
    books = world(zoho, counts={"invoices": 200})
    for page in range(1, 11):  # ten different ~170 kB pages
        assert books.get("invoices", params={"sort_column": "date", "per_page": 200 - page}).status_code == 200
    stats = zoho.emulator.replay.stats()
    assert 0 < stats["entries"] < 10 and stats["bytes"] <= stats["limit_bytes"] == 1024 * 1024


def test_the_cache_holds_only_what_it_can_still_serve_after_a_write(zoho):
    """Every entry is made under one stamp: once a write moves it, none can be served again, so the
    next answer kept replaces them all (a cache of dead answers is memory held for nothing)."""
    books = world(zoho, counts={"invoices": 5, "contacts": 3})
    for path in ("invoices", "contacts", "invoices?per_page=2"):
        assert books.get(path).status_code == 200
    assert zoho.emulator.replay.stats()["entries"] == 3
    books.ok("POST", "contacts", json={"contact_name": "Moves The Stamp Ltd"})
    assert books.get("invoices").status_code == 200
    assert zoho.emulator.replay.stats()["entries"] == 1
    assert books.get("invoices").status_code == 200
    assert _replayed(zoho, books.org_id)[-2:] == [False, True]


@pytest.mark.parametrize("mode", ["server", "inprocess"])
def test_the_cache_drops_answers_whose_time_is_up(mode, test_config):
    """An answer held past its token's expiry could never be served: it goes at the next answer kept."""
    emu, real = frozen_emulator(**test_config)
    for zoho in target(mode, emu):
        first, second = make_user(zoho), make_user(zoho)
        org_id = make_org(zoho, [first, second])["organization_id"]
        books = Books(zoho, get_token(zoho, first), "us", org_id)
        assert books.get("invoices").status_code == 200
        real.sleep(3000)
        later = Books(zoho, get_token(zoho, second), "us", org_id)
        real.sleep(601)  # the first token has expired, the second has not
        assert later.get("contacts").status_code == 200
        assert emu.replay.stats()["entries"] == 1
        assert later.get("contacts").status_code == 200
        assert _replayed(zoho, books.org_id)[-1] is True


def test_verify_mode_refuses_a_stale_replay(zoho):
    """State changed outside the store's writes (here a stored record edited in place, as a handler
    keeping its own state would) is caught by the fresh rendering instead of served stale."""
    assert zoho.admin("PATCH", "config", json={"server.replay_verify": True}).status_code == 200
    books = world(zoho)
    contact = books.ok("POST", "contacts", json={"contact_name": "Verified Ltd"})["contact"]
    path = f"contacts/{contact['contact_id']}"
    first, second = books.get(path), books.get(path)
    assert first.content == second.content and _replayed(zoho, books.org_id)[-1] is True
    assert zoho.emulator.replay.stats()["mismatches"] == 0
    stored = zoho.emulator.store.get(f"books:{books.org_id}:contacts", contact["contact_id"])
    stored["contact_name"] = "Changed Behind The Store"  # no write: the data generation does not move
    if zoho.mode == "inprocess":
        with pytest.raises(ReplayMismatch, match=path):
            books.get(path)
    else:
        assert books.get(path).status_code == 500
    assert zoho.emulator.replay.stats()["mismatches"] == 1


@pytest.fixture(params=["memory", "redis"])
def any_store(request):
    if request.param == "memory":
        from mock_zoho.storage import MemoryStore

        return MemoryStore()
    return request.getfixturevalue("redis_store")


def test_every_document_write_moves_the_generation_and_bookkeeping_does_not(any_store):
    store = any_store
    seen = [store.generation()]

    def moved() -> bool:
        seen.append(store.generation())
        return seen[-1] > seen[-2]

    store.put("ns", "a", {"x": 1})
    assert moved()
    store.put_many("ns", {"b": {}, "c": {}})
    assert moved()
    store.delete("ns", "b")
    assert moved()
    store.take("ns", "c")
    assert moved()
    store.drop("ns")
    assert moved()
    store.note("limits:orgs", "1", {"organization_id": "1"})
    store.note("limits:orgs", "1", {"organization_id": "other"})
    store.incr("counter")
    store.window_hit("w", 1.0, 60, 10)
    assert not moved()
    assert store.get("limits:orgs", "1") == {"organization_id": "1"}  # the first note stays
    store.clear()
    assert moved()


# ---- Redis: every process sees the others' writes, clock and settings ---------------------------------
def _two_emulators_on(store, config) -> tuple[Target, Target, list]:
    a, b = Emulator(config, store=store, demo=False), Emulator(config, store=store, demo=False)
    handles = [start_in_thread(a), start_in_thread(b)]
    return Target("server", a, handles[0].url), Target("server", b, handles[1].url), handles


@pytest.mark.redis
def test_redis_a_write_in_one_process_is_seen_by_anothers_replay(redis_store, test_config):
    za, zb, handles = _two_emulators_on(redis_store, test_config)
    try:
        books_a = world(za)
        books_b = Books(zb, books_a.token, "us", books_a.org_id)
        contact = books_a.ok("POST", "contacts", json={"contact_name": "Shared Ltd"})["contact"]
        path = f"contacts/{contact['contact_id']}"
        for _ in range(3):
            assert books_b.ok("GET", path)["contact"]["contact_name"] == "Shared Ltd"
        assert [e.get("replayed", False) for e in _journal(zb, books_a.org_id) if e["method"] == "GET"] == [False, True, True]
        books_a.ok("PUT", path, json={"contact_name": "Renamed Ltd"})
        assert books_b.ok("GET", path)["contact"]["contact_name"] == "Renamed Ltd"
        assert za.admin("PATCH", f"limits/{books_a.org_id}", json={"per_minute": 7}).status_code == 200
        assert books_b.get(path).status_code == 200  # the 7th call this minute: POST, 3 GETs, PUT, GET, this
        assert_zoho_error(books_b.get(path), 429, L.PER_MINUTE_EXCEEDED.code)
        assert za.admin("POST", "clock", json={"advance": 3601}).status_code == 200
        assert_zoho_error(books_b.get(path), 401, L.NOT_AUTHORIZED.code)  # b's replay saw a's clock move
    finally:
        for h in handles:
            h.stop()
