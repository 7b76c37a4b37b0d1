"""Connector sync figures against the emulator: calls, 429s, rolling-minute peaks, calls in flight,
virtual and real time. Prints figures, asserts nothing. Run: ``python -m bench.sync_bench``.

1. Reduced sync of an org with 5,000 invoices, ~1,000 customers and 1,000 bills (in process, and
   served on a free port): the fewest calls are ceil(n/200) list pages per data type, no detail GET.
2. Complete sync of 300 invoices (10 ms injected latency, so calls overlap): the peak calls in any
   rolling 60 s of the emulator's journal (Zoho allows 100) and the peak in flight (Zoho allows 10).
3. Complete sync of 1,500 invoices on the Free plan (1,000 calls a day): the pause at the quota and
   the resume after the emulator's clock passes the reset.
"""
from __future__ import annotations

import logging
import math
import sys
import time
from collections import Counter
from typing import Any

from harness.connector import MemorySyncStore, SyncEngine, budget_for
from harness.connector.emulated import linked_org
from harness.connector.settings import ConnectorSettings
from mock_zoho import testing


def peak_per_minute(calls: list[dict[str, Any]]) -> int:
    times = sorted(c["time"] for c in calls)
    peak, lo = 0, 0
    for hi, t in enumerate(times):
        while times[lo] <= t - 60:
            lo += 1
        peak = max(peak, hi - lo + 1)
    return peak


def books_calls(zoho: testing.ZohoTarget) -> list[dict[str, Any]]:
    return zoho.admin.requests(path="/books/v3/*", limit=100000)


def reduced(mode: str) -> None:
    with (testing.inprocess(seed=1) if mode == "inprocess" else testing.server(seed=1)) as zoho:
        conn, org, endpoints = linked_org(zoho, plan="professional",
                                          counts={"invoices": 5000, "contacts": 1429, "bills": 1000})
        zoho.admin.clear_requests()
        store = MemorySyncStore(zoho.clock)
        engine = SyncEngine(store, endpoints, None, zoho.clock)
        v0, t0 = zoho.clock.now(), time.perf_counter()
        datasets = engine.run(conn, ["invoices", "customers", "bills"])
        real, virtual = time.perf_counter() - t0, zoho.clock.now() - v0
        calls = books_calls(zoho)
        per_path = Counter(c["path"] for c in calls)
        print(f"reduced sync ({mode}): {real:.2f} s real, {virtual:.1f} s virtual, {len(calls)} calls, "
              f"{sum(1 for c in calls if c['status'] == 429)} x 429, "
              f"{sum(1 for c in calls if c['path'].count('/') > 3)} detail GETs")
        for ds in datasets:
            n = len(store.list_records(conn.company_id, ds.data_type))
            print(f"  {ds.data_type:10s} {ds.status:9s} {n:5d} records  {ds.calls:3d} calls "
                  f"(fewest: ceil({n}/200) = {math.ceil(n / 200)})")
        print(f"  list calls by path: {dict(per_path)}")


def complete_300() -> None:
    with testing.inprocess(seed=2) as zoho:
        conn, org, endpoints = linked_org(zoho, counts={"invoices": 300})
        zoho.admin.add_fault({"type": "latency", "ms": 10}, path="/books/v3/invoices/*")
        zoho.admin.clear_requests()
        settings = ConnectorSettings(complete_datasets=frozenset({"invoices"}))
        engine = SyncEngine(MemorySyncStore(zoho.clock), endpoints, settings, zoho.clock)
        v0, t0 = zoho.clock.now(), time.perf_counter()
        ds = engine.run(conn, ["invoices"])[0]
        real, virtual = time.perf_counter() - t0, zoho.clock.now() - v0
        calls = books_calls(zoho)
        budget = budget_for(zoho.clock, conn.api_domain, conn.organization_id, settings)
        codes = Counter(c["code"] for c in calls if c["status"] == 429)
        print(f"complete sync, 300 invoices: {ds.status}, {len(calls)} calls, peak {peak_per_minute(calls)} in a "
              f"rolling minute (limit 100, budget {budget.per_minute}), peak {budget.max_inflight} in flight "
              f"(limit 10, budget {budget.concurrency}), 429s {dict(codes) or 0}, {virtual:.0f} s virtual, "
              f"{real:.2f} s real")


def quota_pause() -> None:
    with testing.inprocess(seed=3) as zoho:
        conn, org, endpoints = linked_org(zoho, plan="free", counts={"invoices": 1500})
        zoho.admin.clear_requests()
        store = MemorySyncStore(zoho.clock)
        engine = SyncEngine(store, endpoints, {"complete_datasets": ["invoices"]}, zoho.clock)
        v0, t0 = zoho.clock.now(), time.perf_counter()
        ds = engine.run(conn, ["invoices"])[0]
        stored = len(store.list_records(conn.company_id, "invoices"))
        print(f"free plan, 1,500 complete invoices: day 1 {ds.status} '{ds.status_description}' with {stored} "
              f"stored after {len(books_calls(zoho))} calls")
        zoho.clock.sleep_until((ds.paused_until or 0) + 1)
        ds = engine.resume_due([conn])[0]
        calls = books_calls(zoho)
        print(f"  after the reset: {ds.status}, {len(store.list_records(conn.company_id, 'invoices'))} stored, "
              f"{len(calls)} calls in all, {sum(1 for c in calls if c['status'] == 429)} x 429, "
              f"{(zoho.clock.now() - v0) / 3600:.1f} h virtual, {time.perf_counter() - t0:.2f} s real")


def main(argv: list[str] | None = None) -> int:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)   # the served emulator's access log
    reduced("inprocess")
    reduced("server")
    complete_300()
    quota_pause()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
