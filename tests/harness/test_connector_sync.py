"""Connector sync: every data type on two data centers, reduced vs complete, incremental reads,
daily-quota pause and resume, retries, token handling, events. Against the emulator over HTTP only;
the connector's clock is the emulator's virtual clock, so rate-limit waits cost no real time."""
from __future__ import annotations

import math
import threading
from collections import Counter

import pytest

from harness.connector import (DATA_TYPES, ConnectorSettings, MemorySyncStore, OAuthClient, SyncEngine,
                               TokenManager)
from harness.clock import iso
from harness.connector.budget import reset_epoch
from harness.connector.emulated import linked_org
from mock_zoho import testing


@pytest.fixture(params=["inprocess", "server"])
def zoho(request):
    target = testing.inprocess(seed=11) if request.param == "inprocess" else testing.server(seed=11)
    with target:
        yield target


@pytest.fixture
def zoho_ip():
    with testing.inprocess(seed=11) as target:
        yield target


def engine(zoho, endpoints, store=None, **settings):
    store = store or MemorySyncStore(zoho.clock)
    return SyncEngine(store, endpoints, ConnectorSettings.from_dict(settings), zoho.clock), store


def books_calls(zoho, **filters):
    return zoho.admin.requests(limit=100000, **{"path": "/books/v3/*", **filters})


@pytest.mark.parametrize("dc,edition", [("us", "us"), ("eu", "uk")])
def test_every_data_type_syncs_on_its_data_center(zoho, dc, edition):
    conn, org, endpoints = linked_org(zoho, dc=dc, edition=edition, counts={"invoices": 30, "bills": 12})
    zoho.admin.clear_requests()
    eng, store = engine(zoho, endpoints)
    datasets = eng.run(conn)
    assert {d.data_type: d.status for d in datasets} == {k: "Complete" for k in DATA_TYPES}
    for key in DATA_TYPES:
        assert store.list_records(conn.company_id, key), f"no {key} records"
    assert len(store.list_records(conn.company_id, "invoices")) == 30
    company = store.list_records(conn.company_id, "company")[0].data
    assert company["companyName"] == org["name"] and company["baseCurrency"] == ("GBP" if edition == "uk" else "USD")
    calls = books_calls(zoho)
    assert calls and {c["dc"] for c in calls} == {dc}
    assert all(dict(map(tuple, c["query"])).get("organization_id") == org["organization_id"] for c in calls)
    assert all(c["status"] == 200 for c in calls)
    assert len(zoho.admin.requests(path="/oauth/v2/token")) == 1      # one access token for the whole sync
    events = [e["eventType"] for e in store.events]
    assert events.count("read.completed") == len(DATA_TYPES) and events[-1] == "read.completed.initial"
    again = eng.run(conn, ["invoices"])
    assert again[0].status == "Complete" and [e["eventType"] for e in store.events].count(
        "read.completed.initial") == 1


def test_reduced_pull_has_no_lines_and_costs_list_pages_only(zoho_ip):
    zoho = zoho_ip
    counts = {"invoices": 450, "creditnotes": 12, "bills": 210, "contacts": 30}
    conn, _, endpoints = linked_org(zoho, counts=counts)
    zoho.admin.clear_requests()
    eng, store = engine(zoho, endpoints)
    eng.run(conn, ["invoices", "creditNotes", "customers", "bills"])
    invoices = store.list_records(conn.company_id, "invoices")
    assert len(invoices) == 450
    assert all(r.data["lineItems"] == [] and r.data["totalTaxAmount"] == 0.0 and not r.complete for r in invoices)
    assert all("line_items" not in r.raw for r in invoices)
    assert all(r.data["lineItems"] == [] for r in store.list_records(conn.company_id, "creditNotes"))
    customers = store.list_records(conn.company_id, "customers")
    assert customers and all(r.data["addresses"] == [] and r.data["contacts"] == [] for r in customers)
    assert any(r.data["emailAddress"] for r in customers)        # from the list's flattened contact
    for r in store.list_records(conn.company_id, "bills"):
        assert not {"purchaseOrderRefs", "lineItems", "subTotal", "taxAmount", "note"} & set(r.data)
    paths = Counter(c["path"] for c in books_calls(zoho))
    assert paths == {"/books/v3/invoices": math.ceil(450 / 200), "/books/v3/creditnotes": 1,
                     "/books/v3/contacts": 1, "/books/v3/bills": 2}


def test_complete_pull_reads_one_detail_per_record(zoho_ip):
    zoho = zoho_ip
    conn, _, endpoints = linked_org(zoho, counts={"invoices": 40, "bills": 10})
    zoho.admin.clear_requests()
    eng, store = engine(zoho, endpoints, complete_datasets=["invoices", "bills"])
    eng.run(conn, ["invoices", "bills"])
    invoices = store.list_records(conn.company_id, "invoices")
    assert len(invoices) == 40 and all(r.complete and r.data["lineItems"] for r in invoices)
    assert all(r.data["totalTaxAmount"] == float(r.raw["tax_total"]) for r in invoices)
    assert any(r.data["totalTaxAmount"] > 0 for r in invoices)
    bills = store.list_records(conn.company_id, "bills")
    assert all(ln["discountAmount"] == ln["subTotal"] == ln["taxAmount"] == 0.0
               for r in bills for ln in r.data["lineItems"])
    details = [c for c in books_calls(zoho) if c["path"].startswith("/books/v3/invoices/")]
    assert len(details) == 40 and len({c["path"] for c in details}) == 40



def test_a_record_deleted_between_list_and_detail_is_an_issue_not_a_failure(zoho_ip):
    zoho = zoho_ip
    conn, _, endpoints = linked_org(zoho, counts={"invoices": 6})
    eng, store = engine(zoho, endpoints, complete_datasets=["invoices"])
    assert eng.run(conn, ["invoices"])[0].status == "Complete"
    victim = store.list_records(conn.company_id, "invoices")[0].id
    zoho.clock.advance(5)
    grant = zoho.token(zoho.admin.users(dc="us")[0])                # it changes, so the next read wants its detail
    r = zoho.session.put(f"{conn.api_domain}/books/v3/invoices/{victim}", json={"reference_number": "X"},
                         params={"organization_id": conn.organization_id},
                         headers={"Authorization": f"Zoho-oauthtoken {grant.access_token}"})
    assert r.status_code == 200
    zoho.admin.add_fault({"type": "respond", "status": 404,                # ... and is gone when the detail is read
                          "body": {"code": 1002, "message": "Invoice does not exist."}},
                         path=f"/books/v3/invoices/{victim}", method="GET")
    ds = eng.run(conn, ["invoices"])[0]
    assert ds.status == "Complete" and [i["type"] for i in ds.issues] == ["RecordDeleted"]
    assert victim in ds.issues[0]["message"]


def test_incremental_resync_reads_exactly_the_changed_records(zoho):
    conn, org, endpoints = linked_org(zoho, counts={"invoices": 230, "bills": 20})
    eng, store = engine(zoho, endpoints, complete_datasets=["invoices"])
    assert [d.status for d in eng.run(conn, ["invoices", "bills"])] == ["Complete", "Complete"]
    zoho.clock.advance(120)
    grant = zoho.token(zoho.admin.users(dc="us")[0])           # another app with write access edits records
    auth = {"Authorization": f"Zoho-oauthtoken {grant.access_token}"}
    root = f"{conn.api_domain}/books/v3"
    oid = {"organization_id": conn.organization_id}
    changed_invoices = [r.id for r in store.list_records(conn.company_id, "invoices")[:3]]
    for rid in changed_invoices:
        r = zoho.session.put(f"{root}/invoices/{rid}", params=oid, headers=auth, json={"reference_number": "EDITED"})
        assert r.status_code == 200, r.text
    bill_id = store.list_records(conn.company_id, "bills")[0].id
    assert zoho.session.put(f"{root}/bills/{bill_id}", params=oid, headers=auth,
                            json={"reference_number": "EDITED"}).status_code == 200
    zoho.admin.clear_requests()
    datasets = eng.run(conn, ["invoices", "bills"])
    assert {d.data_type: d.records_modified for d in datasets} == {"invoices": 3, "bills": 1}
    calls = books_calls(zoho)
    lists = [c for c in calls if c["path"] in ("/books/v3/invoices", "/books/v3/bills")]
    assert len(lists) == 2 and all("last_modified_time" in dict(map(tuple, c["query"])) for c in lists)
    details = sorted(c["path"].rsplit("/", 1)[1] for c in calls if c["path"].startswith("/books/v3/invoices/"))
    assert details == sorted(changed_invoices)       # only the changed invoices' details are read again
    assert all(r.data["invoiceNumber"] for r in store.list_records(conn.company_id, "invoices"))
    assert sum(1 for r in store.list_records(conn.company_id, "invoices") if r.raw.get("reference_number") == "EDITED") == 3


@pytest.mark.parametrize("setting", ["paused", "RateLimitError"])
def test_daily_quota_runs_out_mid_sync(zoho_ip, setting):
    zoho = zoho_ip
    conn, org, endpoints = linked_org(zoho, plan="free", counts={"invoices": 1500})
    eng, store = engine(zoho, endpoints, complete_datasets=["invoices"], daily_limit_status=setting)
    first = eng.run(conn, ["invoices"])[0]
    limits = zoho.admin.limits(org["organization_id"])
    if setting == "RateLimitError":
        assert first.status == "RateLimitError" and "daily" in first.status_description
        return
    assert first.status == "Queued" and first.paused_until == limits["daily"]["reset_at"]   # the instant itself
    assert first.status_description == f"Paused until {iso(first.paused_until)}"
    assert first.status_description.endswith("T00:00:00.000Z")
    assert limits["daily"]["remaining"] >= 0
    assert not [c for c in books_calls(zoho) if c["status"] == 429]     # the budget stopped short of code 45
    stored = len(store.list_records(conn.company_id, "invoices"))
    assert 0 < stored < 1500
    assert eng.resume_due([conn]) == []                                  # not yet: the quota is still spent
    zoho.clock.sleep_until(first.paused_until + 1)
    resumed = eng.resume_due([conn])
    assert [d.id for d in resumed] == [first.id] and resumed[0].status == "Complete"
    invoices = store.list_records(conn.company_id, "invoices")
    assert len(invoices) == 1500 and all(r.complete for r in invoices)
    details = Counter(c["path"] for c in books_calls(zoho) if c["path"].startswith("/books/v3/invoices/"))
    assert len(details) == 1500 and max(details.values()) == 1         # no record read twice
    assert [e["eventType"] for e in store.events].count("read.completed") == 1
    refreshes = zoho.admin.requests(path="/oauth/v2/token")            # about one an hour over the day
    assert all(c["status"] == 200 for c in refreshes) and len(refreshes) <= (zoho.clock.now() - first.requested) / 3000 + 2


def test_a_data_type_the_connector_lacks_is_not_supported(zoho_ip):
    conn, org, endpoints = linked_org(zoho_ip)
    eng, store = engine(zoho_ip, endpoints)
    ds = eng.run(conn, ["expenses", "items"])
    assert [d.status for d in ds] == ["NotSupported", "Complete"] and "expenses" in ds[0].error_message


def test_quota_burnt_by_another_app_pauses_early_without_code_45(zoho_ip):
    zoho = zoho_ip
    conn, org, endpoints = linked_org(zoho, plan="free", counts={"invoices": 200})
    zoho.admin.set_limits(org["organization_id"], daily_used=900)
    eng, store = engine(zoho, endpoints, complete_datasets=["invoices"])
    ds = eng.run(conn, ["invoices"])[0]
    assert ds.status == "Queued" and ds.paused_until
    assert not [c for c in books_calls(zoho) if c["code"] == 45]
    assert zoho.admin.limits(org["organization_id"])["daily"]["used"] <= 1000 - 50 + 8


def test_code_45_pauses_when_there_is_no_budget(zoho_ip):
    zoho = zoho_ip
    conn, org, endpoints = linked_org(zoho, plan="free", counts={"invoices": 100})
    zoho.admin.set_limits(org["organization_id"], daily_used=980)
    eng, store = engine(zoho, endpoints, complete_datasets=["invoices"], no_budget=True)
    ds = eng.run(conn, ["invoices"])[0]
    assert ds.status == "Queued" and ds.status_description.startswith("Paused until")
    assert [c for c in books_calls(zoho) if c["code"] == 45]
    assert ds.paused_until == zoho.admin.limits(org["organization_id"])["daily"]["reset_at"]
    assert ds.status_description.endswith("T00:00:00.000Z")


MIDNIGHT = 1_767_225_600.0    # 2026-01-01T00:00:00Z


@pytest.mark.parametrize("reset, lag", [
    (MIDNIGHT, 0.0),                    # 00:00 UTC
    (MIDNIGHT - 5.5 * 3600, 0.0),       # the organisation's midnight at +05:30
    (MIDNIGHT + 1234, 0.0),             # a whole second that is no quarter hour (a rolling day)
    (MIDNIGHT, 0.004),                  # our clock a few milliseconds behind Zoho's answer
])
def test_the_pause_ends_at_the_reset_instant_not_now_plus_the_header(reset, lag):
    """X-Rate-Limit-Reset is whole seconds rounded up from Zoho's sub-second now; adding it to our
    now would pause until e.g. 00:00:00.439Z."""
    for now in (reset - 3600.561, reset - 5000.25, reset - 59.999, reset - 0.001):
        header = math.ceil(reset - now)
        assert reset_epoch(now + lag, header) == reset, (now, header)
    assert iso(reset_epoch(MIDNIGHT - 3600.561, 3601)) == "2026-01-01T00:00:00.000Z"


def test_retries_429_5xx_and_dropped_connections_then_completes(zoho):
    conn, org, endpoints = linked_org(zoho, counts={"invoices": 450})
    for action in ("rate_limit", "internal_error", "reset", "truncate", "malformed"):
        zoho.admin.add_fault(action, path="/books/v3/invoices", count=1)
    eng, store = engine(zoho, endpoints)
    t0 = zoho.clock.now()
    ds = eng.run(conn, ["invoices"])[0]
    assert ds.status == "Complete" and len(store.list_records(conn.company_id, "invoices")) == 450
    statuses = Counter(c["status"] for c in books_calls(zoho, path="/books/v3/invoices"))
    assert statuses[429] == 1 and statuses[500] == 1
    assert zoho.clock.now() - t0 >= 1.0          # backed off on the virtual clock


def test_retries_run_out_as_rate_limit_error(zoho_ip):
    zoho = zoho_ip
    conn, org, endpoints = linked_org(zoho, counts={"invoices": 5})
    zoho.admin.add_fault("rate_limit", path="/books/v3/invoices")
    eng, _ = engine(zoho, endpoints, max_retries=3)
    ds = eng.run(conn, ["invoices", "bills"])
    assert [d.status for d in ds] == ["RateLimitError", "Complete"]
    assert len(books_calls(zoho, path="/books/v3/invoices")) == 4


@pytest.mark.parametrize("retry_after", ["3", "HTTP-DATE"])
def test_retry_after_is_honoured_when_present(zoho_ip, retry_after):
    zoho = zoho_ip
    conn, org, endpoints = linked_org(zoho, counts={"invoices": 5})
    if retry_after == "HTTP-DATE":
        from email.utils import formatdate
        retry_after = formatdate(zoho.clock.now() + 3, usegmt=True)
    zoho.admin.add_fault({"type": "respond", "status": 429, "headers": {"Retry-After": retry_after},
                          "body": {"code": 1070, "message": "You have reached the maximum number of in process "
                                   "requests allowed. Kindly try again after some time."}},
                         path="/books/v3/invoices", count=1)
    eng, _ = engine(zoho, endpoints, backoff_base_s=30)            # our own back-off would wait 15-30 s
    assert eng.run(conn, ["invoices"])[0].status == "Complete"
    first, second = books_calls(zoho, path="/books/v3/invoices")
    assert first["status"] == 429 and second["status"] == 200
    assert 1.0 <= second["time"] - first["time"] < 8.0  # Retry-After (an HTTP date: whole seconds), not the back-off


def test_a_401_refreshes_once_and_the_read_resumes_on_the_same_page(zoho_ip):
    zoho = zoho_ip
    conn, org, endpoints = linked_org(zoho, counts={"invoices": 450})
    eng, store = engine(zoho, endpoints)
    eng.run(conn, ["company"])
    zoho.admin.clear_requests()
    zoho.admin.add_fault("unauthorized", path="/books/v3/invoices", count=1)
    ds = eng.run(conn, ["invoices"])[0]
    assert ds.status == "Complete" and len(store.list_records(conn.company_id, "invoices")) == 450
    assert len(zoho.admin.requests(path="/oauth/v2/token")) == 1
    pages = [dict(map(tuple, c["query"]))["page"] for c in books_calls(zoho, path="/books/v3/invoices")]
    assert pages == ["1", "1", "2", "3"]


def test_token_is_cached_refreshed_ahead_of_expiry_and_by_one_thread_at_a_time(zoho_ip):
    zoho = zoho_ip
    conn, org, endpoints = linked_org(zoho)
    store = MemorySyncStore(zoho.clock)
    oauth = OAuthClient(conn.client_id, conn.client_secret, "", endpoints, session=zoho.session, clock=zoho.clock)
    manager = TokenManager(oauth, store, conn, zoho.clock, ConnectorSettings())
    zoho.admin.clear_requests()
    got: list[str] = []
    threads = [threading.Thread(target=lambda: got.append(manager.token().access_token)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(got)) == 1 and len(zoho.admin.requests(path="/oauth/v2/token")) == 1
    zoho.clock.advance(3600 - 290)                     # inside the 300 s refresh-ahead margin
    assert manager.token().access_token != got[0]
    assert len(zoho.admin.requests(path="/oauth/v2/token")) == 2
    assert manager.token().access_token == manager.token().access_token
    assert len(zoho.admin.requests(path="/oauth/v2/token")) == 2


def test_revoked_grant_deauthorizes_and_fails_the_run_with_auth_error(zoho_ip):
    zoho = zoho_ip
    conn, org, endpoints = linked_org(zoho, counts={"invoices": 5})
    user_id = zoho.admin.tokens(client_id=conn.client_id)[0]["user_id"]
    zoho.admin.revoke_connection(user_id, conn.client_id)
    eng, store = engine(zoho, endpoints)
    datasets = eng.run(conn, ["invoices", "bills"])
    assert [d.status for d in datasets] == ["AuthError", "AuthError"]
    assert store.deauthorized == {conn.connection_id: "invalid_code"}
    assert [e["eventType"] for e in store.events][:1] == ["connection.disconnected"]


def test_changed_client_keys_are_an_auth_error_that_keeps_the_connection(zoho_ip):
    zoho = zoho_ip
    conn, org, endpoints = linked_org(zoho, counts={"invoices": 5})
    zoho.admin.rotate_secret(conn.client_id)
    eng, store = engine(zoho, endpoints)
    datasets = eng.run(conn, ["invoices", "bills"])
    assert [d.status for d in datasets] == ["AuthError", "AuthError"]
    assert "invalid_client_secret" in datasets[0].error_message and not store.deauthorized


def test_token_endpoint_throttle_is_waited_out_not_a_lost_grant(zoho_ip):
    zoho = zoho_ip
    conn, org, endpoints = linked_org(zoho, counts={"invoices": 5})
    zoho.admin.add_fault("oauth_throttle", path="/oauth/v2/token", count=2)
    eng, store = engine(zoho, endpoints)
    t0 = zoho.clock.now()
    assert eng.run(conn, ["invoices"])[0].status == "Complete" and not store.deauthorized
    assert [c["status"] for c in zoho.admin.requests(path="/oauth/v2/token")][-3:] == [400, 400, 200]
    assert zoho.clock.now() - t0 >= 60 + 120                      # waited 60 s, then 120 s, on the virtual clock


def test_missing_scope_is_a_permissions_error_for_that_type_only(zoho_ip):
    zoho = zoho_ip
    types = [k for k in DATA_TYPES if k != "bankAccounts"]
    conn, org, endpoints = linked_org(zoho, data_types=types)
    eng, store = engine(zoho, endpoints)
    datasets = {d.data_type: d.status for d in eng.run(conn, ["invoices", "bankAccounts", "items"])}
    assert datasets == {"invoices": "Complete", "bankAccounts": "PermissionsError", "items": "Complete"}
    assert not store.deauthorized


def test_progress_reports_calls_records_and_data_type(zoho_ip):
    zoho = zoho_ip
    conn, org, endpoints = linked_org(zoho, counts={"invoices": 450})
    seen = []
    store = MemorySyncStore(zoho.clock)
    eng = SyncEngine(store, endpoints, None, zoho.clock, progress=lambda p: seen.append(
        (p.data_type, p.status, p.records, p.calls)))
    eng.run(conn, ["invoices"])
    assert seen[-1] == ("invoices", "Complete", 450, 3) and {s[0] for s in seen} == {"invoices"}
    assert ("invoices", "Fetching", 200, 1) in seen                 # per page, as it goes


def test_no_secret_in_events_datasets_or_errors(zoho_ip):
    zoho = zoho_ip
    conn, org, endpoints = linked_org(zoho, counts={"invoices": 5})
    eng, store = engine(zoho, endpoints)
    eng.run(conn, ["invoices"])
    zoho.admin.revoke_connection(zoho.admin.tokens(client_id=conn.client_id)[0]["user_id"], conn.client_id)
    eng.run(conn, ["bills"])
    token = store.load_token(conn.connection_id)
    text = repr(store.events) + repr([d.to_dict() for d in store.datasets()]) + repr(store.deauthorized)
    for secret in (conn.client_secret, conn.refresh_token, token.access_token):
        assert secret not in text


def test_rich_progress_shows_each_data_type(zoho_ip):
    import io

    from rich.console import Console

    from harness.connector.progress import RichSyncProgress

    conn, org, endpoints = linked_org(zoho_ip, counts={"invoices": 250})
    out = io.StringIO()
    with RichSyncProgress(Console(file=out, width=140, force_terminal=False)) as bar:
        SyncEngine(MemorySyncStore(zoho_ip.clock), endpoints, None, zoho_ip.clock, progress=bar).run(
            conn, ["invoices", "bills"])
    text = out.getvalue()
    assert "invoices" in text and "bills" in text and "Complete" in text and "250 records" in text
