"""The load package's parts on their own: the client-side budget, the overshoot arithmetic, option
parsing, and the sync integration's generator driven over HTTP against a real emulator."""
from __future__ import annotations

from typing import Any

import pytest
import requests

from load.options import parse_counts, parse_dcs, parse_run_time, parse_steps
from load.pacing import RollingBudget
from load.sync import Call, Reply, SyncOptions, SyncState, Wait, integration
from load.tenants import provision
from load.verify import is_admitted, window_counts
from mock_zoho import testing


class Ticks:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_budget_holds_calls_to_its_capacity_per_window() -> None:
    clock = Ticks()
    budget = RollingBudget(3, 6.0, clock)
    for _ in range(3):
        assert budget.delay() == 0.0
        budget.spend()
        clock.now += 1.0
    assert budget.delay() == pytest.approx(3.0)  # the first call (t=100) leaves the window at t=106
    clock.now = 106.0
    assert budget.delay() == 0.0
    assert budget.until_window_clears() == pytest.approx(1.0)


def test_budget_of_zero_never_paces_but_still_knows_its_window() -> None:
    clock = Ticks()
    budget = RollingBudget(0, 6.0, clock)
    for _ in range(50):
        budget.spend()
    assert budget.delay() == 0.0
    assert budget.until_window_clears() == pytest.approx(6.0)
    with pytest.raises(ValueError):
        RollingBudget(1, 0.0)


def _entries(times: list[float], duration_ms: float = 0.0) -> list[dict[str, Any]]:
    return [{"time": t, "duration_ms": duration_ms, "status": 200} for t in times]


def test_window_counts_find_an_overshoot_and_only_a_certain_one() -> None:
    # 101 calls inside 59 virtual seconds: one over a limit of 100
    best, certain, series = window_counts(_entries([i * 0.59 for i in range(101)]), scale=1.0)
    assert (best, certain) == (101, 101)
    assert series[-1] == (pytest.approx(59.0), 101)
    # 101 calls 0.605 s apart: 100 of them fit in 59.9 s, never 101 (the limit, not over it)
    best, certain, _ = window_counts(_entries([i * 0.605 for i in range(101)]), scale=1.0)
    assert best == 100 and certain == 100
    # start times 59.9 s apart, but a call that took 200 ms at 60x (12 virtual s) may have been
    # admitted outside the window: counted by start time, not as certain
    best, certain, _ = window_counts(_entries([0.0, 59.9], duration_ms=200.0), scale=60.0)
    assert best == 2 and certain == 1


def test_rejections_are_not_admitted_calls() -> None:
    assert not is_admitted({"status": 429, "code": 44})
    assert not is_admitted({"status": 429, "code": 1070})
    assert is_admitted({"status": 429, "code": 999})  # a fault's 429 still counted
    assert is_admitted({"status": 500, "code": 1000})


@pytest.mark.parametrize("parse, text, option", [
    (parse_counts, "contacts=3,invoices", "--records"), (parse_dcs, "us,mars", "--dcs"),
    (parse_steps, "4:ten", "--steps"), (parse_steps, "", "--steps"), (parse_run_time, "soon", "--run-time"),
])
def test_bad_option_values_name_the_option(parse, text: str, option: str) -> None:
    with pytest.raises(ValueError, match=option):
        parse(text)


def test_option_values_parse() -> None:
    assert parse_counts("contacts=3, invoices=250") == {"contacts": 3, "invoices": 250}
    assert parse_dcs("eu,uk") == ["eu", "uk"]
    assert parse_steps("2:5,4:2.5") == [(2, 5.0), (4, 2.5)]
    assert [parse_run_time(t) for t in ("90", "60s", "2m", "1h30m")] == [90, 60, 120, 5400]


def _drive(flow, session: requests.Session, *, until_waits: int) -> list[Call]:
    """Run the integration's calls over plain HTTP until it has asked to wait ``until_waits`` times."""
    calls: list[Call] = []
    reply: Reply | None = None
    waits = 0
    while waits < until_waits:
        item = flow.send(reply)
        reply = None
        if isinstance(item, Wait):
            waits += 1
            continue
        calls.append(item)
        r = session.request(item.method, item.url, headers=item.headers, data=item.form, json=item.json, timeout=30)
        body = r.json() if r.headers.get("Content-Type", "").startswith("application/json") else None
        reply = Reply(r.status_code, body.get("code") if isinstance(body, dict) else None, body, r.headers)
    return calls


def test_sync_integration_lists_pages_fetches_details_polls_incrementally_and_refreshes() -> None:
    with testing.server() as zoho:
        tenant = provision(zoho, "unit", "eu", {"contacts": 3, "invoices": 250}, per_minute=10_000)
        state = SyncState()
        opts = SyncOptions(resources=("contacts", "invoices"), poll_s=0.0, writes_per_job=1, refresh="cached")
        flow = integration(tenant, opts, RollingBudget(0, 60.0), state)
        first = _drive(flow, zoho.session, until_waits=1)
        names = [c.name for c in first]
        assert names[0] == "oauth: exchange code"
        assert names.count("GET /invoices (list)") == 2  # 250 invoices: two pages of 200
        assert names.count("GET /invoices/{id}") == 250 and names.count("GET /contacts/{id}") == 3
        assert names[-1] == "POST /contacts" and len(state.created) == 1
        assert state.records == 253

        second = _drive(flow, zoho.session, until_waits=1)  # the next job: only what changed
        assert all("last_modified_time=" in c.url for c in second if c.name.endswith("(list)"))
        assert [c.name for c in second if "{id}" in c.name] == ["GET /contacts/{id}"]  # the contact it wrote
        assert state.records == 254

        zoho.clock.advance(3601)  # the access token has expired: 57, refresh, the same call again
        third = _drive(flow, zoho.session, until_waits=1)
        assert [c.name for c in third[:3]] == ["GET /contacts (list)", "oauth: refresh", "GET /contacts (list)"]
        journal = zoho.admin.requests(path="/books/v3/contacts", status=401)
        assert [e["code"] for e in journal] == [57]
