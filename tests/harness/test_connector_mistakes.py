"""Each mistake switch makes its failure visible in the emulator's journal or the connection's status,
beside the correct connector that does not fail."""
from __future__ import annotations

from collections import Counter

import pytest

from harness.connector import (DATA_TYPES, ConnectorSettings, MemorySyncStore, OAuthClient, OAuthError, SyncEngine,
                               budget_for, scopes_for)
from harness.connector.emulated import REDIRECT_URI, callback_params, endpoints_for, link, linked_org, register_client
from mock_zoho import testing


@pytest.fixture
def zoho():
    with testing.inprocess(seed=5) as target:
        yield target


def run(zoho, conn, endpoints, types, **settings):
    store = MemorySyncStore(zoho.clock)
    eng = SyncEngine(store, endpoints, ConnectorSettings.from_dict(settings), zoho.clock)
    return eng.run(conn, types), store


def journal(zoho, path="/books/v3/*", **filters):
    return zoho.admin.requests(limit=100000, path=path, **filters)


def test_exchange_at_home_dc_gets_invalid_code_for_an_eu_user(zoho):
    client = register_client(zoho)
    user = zoho.admin.create_user(dc="eu")
    zoho.admin.create_org(users=[user], edition="uk")
    with pytest.raises(OAuthError) as err:
        link(zoho, client, user, settings=ConnectorSettings(exchange_at_home_dc=True))
    assert err.value.error == "invalid_code"
    assert [c["dc"] for c in journal(zoho, "/oauth/v2/token")] == ["us"]
    other = zoho.admin.create_user(dc="eu")
    zoho.admin.create_org(users=[other], edition="uk")
    link(zoho, client, other)                                      # the correct connector exchanges at eu
    assert [c["dc"] for c in journal(zoho, "/oauth/v2/token")] == ["us", "eu"]


def test_ignore_api_domain_calls_books_on_the_wrong_dc_and_fails(zoho):
    conn, org, endpoints = linked_org(zoho, dc="eu", edition="uk", counts={"invoices": 5})
    zoho.admin.clear_requests()
    datasets, store = run(zoho, conn, endpoints, ["invoices"], ignore_api_domain=True)
    assert datasets[0].is_errored
    calls = journal(zoho)
    assert calls and {c["dc"] for c in calls} == {"us"} and {c["status"] for c in calls} == {401}
    zoho.admin.clear_requests()
    datasets, _ = run(zoho, conn, endpoints, ["invoices"])
    assert datasets[0].status == "Complete" and {c["dc"] for c in journal(zoho)} == {"eu"}


def test_no_prompt_consent_relink_gets_no_refresh_token(zoho):
    client = register_client(zoho)
    user = zoho.admin.create_user(dc="us")
    zoho.admin.create_org(users=[user])
    link(zoho, client, user)                                       # the first link is fine either way
    endpoints = endpoints_for(zoho)
    sloppy = OAuthClient(client["client_id"], client["client_secret"], REDIRECT_URI, endpoints,
                         session=zoho.session, settings=ConnectorSettings(no_prompt_consent=True))
    answer = testing.consent(zoho.session, sloppy.authorize_url(scopes_for(DATA_TYPES), "s"), user["email"])
    params = callback_params(answer)
    token = sloppy.exchange(params["code"], params["accounts-server"], params["location"])
    assert token.refresh_token is None                              # re-link cannot store a grant
    auth = journal(zoho, "/oauth/v2/auth")
    assert "prompt" not in dict(map(tuple, auth[-1]["query"]))
    assert len(zoho.admin.tokens(client_id=client["client_id"])) == 1
    link(zoho, client, user)                                       # correct: a new refresh token
    assert len(zoho.admin.tokens(client_id=client["client_id"])) == 2


def test_refresh_before_every_call_trips_access_denied_within_eleven_calls(zoho):
    conn, org, endpoints = linked_org(zoho, counts={"invoices": 30})
    zoho.admin.clear_requests()
    datasets, store = run(zoho, conn, endpoints, ["invoices"], refresh_every_call=True, max_wait_s=120,
                          complete_datasets=["invoices"])
    tokens = journal(zoho, "/oauth/v2/token")
    first_denied = next(i for i, c in enumerate(tokens) if c["status"] == 400)
    assert first_denied <= 10                                       # the 11th mint at the latest
    assert datasets[0].status == "FetchError" and not store.deauthorized   # a throttle, not a lost grant
    assert "Access Denied" in datasets[0].error_message
    zoho.clock.advance(601)
    zoho.admin.clear_requests()
    datasets, store = run(zoho, conn, endpoints, ["invoices"], complete_datasets=["invoices"])
    assert datasets[0].status == "Complete" and len(journal(zoho, "/oauth/v2/token")) == 1
    assert len(journal(zoho)) == 31


def _gaps(calls):
    times = [c["time"] for c in calls]
    return [b - a for a, b in zip(times, times[1:])]


def test_ignore_429_hammers_without_waiting(zoho):
    conn, org, endpoints = linked_org(zoho, counts={"invoices": 5})
    zoho.admin.add_fault("rate_limit", path="/books/v3/invoices", count=4)
    run(zoho, conn, endpoints, ["invoices"], ignore_429=True)
    hammered = journal(zoho, "/books/v3/invoices")
    assert [c["status"] for c in hammered] == [429] * 4 + [200] and max(_gaps(hammered)) < 1.0
    zoho.admin.clear_requests()
    zoho.admin.add_fault("rate_limit", path="/books/v3/invoices", count=4)
    run(zoho, conn, endpoints, ["invoices"], backoff_base_s=4)
    patient = journal(zoho, "/books/v3/invoices")
    assert [c["status"] for c in patient] == [429] * 4 + [200] and min(_gaps(patient)) >= 2.0


def test_ignore_429_runs_out_of_retries_in_the_same_second(zoho):
    conn, org, endpoints = linked_org(zoho, counts={"invoices": 5})
    zoho.admin.add_fault("rate_limit", path="/books/v3/invoices", count=7)
    datasets, _ = run(zoho, conn, endpoints, ["invoices"], ignore_429=True)
    assert datasets[0].status == "RateLimitError"
    calls = journal(zoho, "/books/v3/invoices")
    assert len(calls) == 7 and calls[-1]["time"] - calls[0]["time"] < 1.0


@pytest.mark.parametrize("limit,code", [("concurrency", 1070), ("per_minute", 44)])
def test_no_budget_draws_429s_that_the_budget_avoids(zoho, limit, code):
    conn, org, endpoints = linked_org(zoho, counts={"invoices": 150})
    if limit == "concurrency":                                      # slow calls overlap: more than 10 in flight
        zoho.admin.add_fault({"type": "latency", "ms": 30}, path="/books/v3/invoices/*")
    else:                                                           # fast calls: more than 100 in a minute
        zoho.admin.set_limits(org["organization_id"], concurrency=50)
    zoho.admin.clear_requests()
    datasets, store = run(zoho, conn, endpoints, ["invoices"], complete_datasets=["invoices"], no_budget=True)
    codes = Counter(c["code"] for c in journal(zoho) if c["status"] == 429)
    assert codes[code] > 0
    assert datasets[0].status in ("Complete", "RateLimitError")    # retries may run out against a full minute
    zoho.admin.clear_requests()
    zoho.clock.advance(61)
    datasets, store = run(zoho, conn, endpoints, ["invoices"], complete_datasets=["invoices"])
    assert datasets[0].status == "Complete" and len(store.list_records(conn.company_id, "invoices")) == 150
    assert not [c for c in journal(zoho) if c["status"] == 429]


def test_complete_sync_stays_inside_per_minute_and_in_flight_limits(zoho):
    conn, org, endpoints = linked_org(zoho, counts={"invoices": 300})
    zoho.admin.set_limits(org["organization_id"], concurrency=8)   # Zoho would refuse a 9th call in flight
    zoho.admin.add_fault({"type": "latency", "ms": 10}, path="/books/v3/invoices/*")
    zoho.admin.clear_requests()
    datasets, store = run(zoho, conn, endpoints, ["invoices"], complete_datasets=["invoices"])
    assert datasets[0].status == "Complete"
    calls = journal(zoho)
    assert len(calls) == 302 and not [c for c in calls if c["status"] != 200]
    times = sorted(c["time"] for c in calls)
    assert max(sum(1 for t in times[i:] if t < start + 60) for i, start in enumerate(times)) <= 100
    budget = budget_for(zoho.clock, conn.api_domain, conn.organization_id, ConnectorSettings())
    assert budget.max_inflight <= 8


def test_a_1070_is_retried_after_a_call_in_flight_ends_not_only_after_clock_time(zoho):
    """Calls in flight end when their answers arrive, which no virtual clock moves: a budget that
    allows more calls in flight than the org does (here 8 against Zoho's 3) draws 1070s, and each
    retry waits for one of its calls to end, so the sync completes instead of spending its retries
    in a burst."""
    conn, org, endpoints = linked_org(zoho, counts={"invoices": 80})
    zoho.admin.set_limits(org["organization_id"], concurrency=3)
    zoho.admin.add_fault({"type": "latency", "ms": 40}, path="/books/v3/invoices/*")
    zoho.admin.clear_requests()
    datasets, store = run(zoho, conn, endpoints, ["invoices"], complete_datasets=["invoices"],
                          budget_concurrency_free=8, budget_concurrency_paid=8, workers=8)
    assert Counter(c["code"] for c in journal(zoho) if c["status"] == 429)[1070] > 0
    assert datasets[0].status == "Complete" and len(store.list_records(conn.company_id, "invoices")) == 80
