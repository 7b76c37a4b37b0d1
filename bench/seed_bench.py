"""Seeding throughput: records/s for 1k, 10k and 100k invoices (other resources proportionate
and small), and peak memory. Wall and CPU seconds: on a shared machine the CPU time is the
figure to compare. Run: ``python -m bench.seed_bench`` (or ``python -m bench``)."""
from __future__ import annotations

import gc
import random
import resource
import sys
import time
import tracemalloc

from mock_zoho import Emulator
from mock_zoho.books.seed import seed_organization


def counts_for(invoices: int) -> dict[str, int]:
    """Invoices plus proportionate (small) other resources."""
    f = invoices / 1000
    return {
        "invoices": invoices, "contacts": max(20, int(20 * f)), "items": max(15, min(500, int(10 * f))),
        "customerpayments": int(400 * f), "creditnotes": int(20 * f), "bills": int(100 * f),
        "vendorpayments": int(60 * f), "vendorcredits": int(10 * f), "estimates": int(30 * f),
        "salesorders": int(30 * f), "purchaseorders": int(30 * f), "expenses": int(50 * f),
        "journals": int(10 * f), "banktransactions": int(100 * f), "accounttransactions": int(150 * f),
    }


def module_counts_for(invoices: int) -> dict[str, int]:
    """The modules of issue 16, in proportion: projects and time, recurring profiles, retainers, receipts, assets."""
    f = invoices / 1000
    return {"projects": int(5 * f), "tasks": int(20 * f), "timeentries": int(400 * f), "recurringinvoices": int(10 * f),
            "recurringbills": int(5 * f), "recurringexpenses": int(5 * f), "retainerinvoices": int(20 * f),
            "salesreceipts": int(50 * f), "locations": 5, "fixedassettypes": 4, "fixedassets": int(10 * f),
            "bankrules": 6}


def run_one(invoices: int, edition: str = "uk", *, trace: bool = False, modules: bool = False) -> dict[str, float]:
    emu = Emulator(demo=False, seed=7)
    org = {"organization_id": "800007", "name": "Bench Ltd", "edition": edition,
           "currency_code": "GBP" if edition == "uk" else "USD", "plan": "premium", "time_zone": "Europe/London"}
    gc.collect()
    if trace:
        tracemalloc.start()
    t0, c0 = time.perf_counter(), time.process_time()
    counts = {**counts_for(invoices), **(module_counts_for(invoices) if modules else {})}
    written = seed_organization(emu, org, counts, rng=random.Random(7))
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = 0.0
    if trace:
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    total = sum(written.values())
    return {"invoices": invoices, "records": total, "seconds": dt, "cpu_seconds": cpu, "records_per_s": total / dt,
            "invoices_per_s": invoices / dt, "peak_mib": peak}


def main(argv: list[str] | None = None) -> int:
    sizes = [1_000, 10_000, 100_000]
    run_one(100)  # warm-up: imports, Faker providers
    print("seed bench (uk edition, full detail records incl. nested lines; timings without tracemalloc)")
    print(f"{'invoices':>9} {'records':>9} {'seconds':>8} {'cpu s':>7} {'records/s':>10} {'invoices/s':>11} "
          f"{'py peak MiB':>12}")
    for n in sizes:
        r = run_one(n)
        m = run_one(n, trace=True) if n <= 10_000 else None
        peak = f"{m['peak_mib']:.1f}" if m else "-"
        print(f"{n:>9} {r['records']:>9} {r['seconds']:>8.2f} {r['cpu_seconds']:>7.2f} {r['records_per_s']:>10.0f} "
              f"{r['invoices_per_s']:>11.0f} {peak:>12}")
    r = run_one(100_000, modules=True)  # every module populated (issue 16)
    print(f"{'+modules':>9} {r['records']:>9} {r['seconds']:>8.2f} {r['cpu_seconds']:>7.2f} {r['records_per_s']:>10.0f} "
          f"{r['invoices_per_s']:>11.0f} {'-':>12}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process max RSS: {rss:.0f} MiB (includes the 100k-invoice store)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
