"""In-process mode against a bare ``responses`` stub: the cost of one Books GET through requests.

Most users' suites run in-process and make thousands of calls, so the per-call overhead is what
they feel. Prints microseconds per call (median and p95 of batches) for: a bare ``responses``
callback answering the same bytes, and the emulator in process (token check, limits, journal on).
Batches of the two alternate, and each is timed in this process's CPU time as well as wall time,
so other work on the machine moves both alike (the ratio uses CPU time).
"""
from __future__ import annotations

import argparse
import statistics
import time
from typing import Callable

import requests
import responses

from mock_zoho import testing


def timed_batch(call: Callable[[], object], calls: int) -> tuple[float, float]:
    """Microseconds per call of one batch: (wall, CPU of this process)."""
    w0, c0 = time.perf_counter(), time.process_time()
    for _ in range(calls):
        call()
    return (time.perf_counter() - w0) / calls * 1e6, (time.process_time() - c0) / calls * 1e6


def describe(name: str, samples: list[float]) -> str:
    q = statistics.quantiles(samples, n=20)
    return f"{name:<34} median {statistics.median(samples):7.0f} us   p95 {q[-1]:7.0f} us"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--batches", type=int, default=15)
    args = parser.parse_args(argv)

    zoho = testing.inprocess()
    user = zoho.admin.create_user(dc="us")
    org = zoho.admin.create_org(users=[user], counts={"invoices": 20})
    grant = zoho.token(user)
    zoho.admin.set_limits(org["organization_id"], per_minute=10**9, daily=10**9)
    session = requests.Session()
    url = f"{zoho.books_url('us')}/invoices"
    params = {"organization_id": org["organization_id"]}
    headers = {"Authorization": f"Zoho-oauthtoken {grant.access_token}"}
    invoice_id = session.get(url, params=params, headers=headers).json()["invoices"][0]["invoice_id"]
    one = f"{url}/{invoice_id}"
    body = session.get(one, params=params, headers=headers).content
    zoho.close()
    emulator = zoho.emulator

    def call() -> object:
        return session.get(one, params=params, headers=headers)

    stub = responses.RequestsMock(assert_all_requests_are_fired=False)
    stub.add_callback("GET", one, callback=lambda req: (200, {"Content-Type": "application/json"}, body))
    walls: dict[str, list[float]] = {"bare": [], "emulated": []}
    cpus: dict[str, list[float]] = {"bare": [], "emulated": []}
    for batch in range(args.batches + 1):  # the first pair warms up and is not counted
        for name in ("bare", "emulated"):
            ctx = stub if name == "bare" else testing.inprocess(emulator)
            if name == "bare":
                stub.start()
            wall, cpu = timed_batch(call, args.calls)
            if name == "bare":
                stub.stop(allow_assert=False)
            else:
                ctx.close()
            if batch:
                walls[name].append(wall)
                cpus[name].append(cpu)

    print(describe("bare responses stub (wall)", walls["bare"]))
    print(describe("mock_zoho in process (wall)", walls["emulated"]))
    print(describe("bare responses stub (CPU)", cpus["bare"]))
    print(describe("mock_zoho in process (CPU)", cpus["emulated"]))
    ratio = statistics.median(cpus["emulated"]) / statistics.median(cpus["bare"])
    print(f"ratio: {ratio:.2f}x a bare stub in CPU time per call (goal: 1.3x or better)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
