"""In-process mode against a bare ``responses`` stub: the cost of one Books GET through requests.

Most users' suites run in-process and make thousands of calls, so the per-call overhead is what
they feel. Prints microseconds per call (median and p95 of batches) for: a bare ``responses``
callback answering the same bytes, and the emulator in process (token check, limits, journal on).
"""
from __future__ import annotations

import argparse
import statistics
import time
from typing import Callable

import requests
import responses

from mock_zoho import testing


def per_call_us(call: Callable[[], object], calls: int, batches: int) -> list[float]:
    for _ in range(50):
        call()
    out = []
    for _ in range(batches):
        t0 = time.perf_counter()
        for _ in range(calls):
            call()
        out.append((time.perf_counter() - t0) / calls * 1e6)
    return out


def describe(name: str, samples: list[float]) -> str:
    q = statistics.quantiles(samples, n=20)
    return f"{name:<34} median {statistics.median(samples):7.0f} us   p95 {q[-1]:7.0f} us"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--batches", type=int, default=15)
    args = parser.parse_args(argv)

    with testing.inprocess() as zoho:
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
        emulated = per_call_us(lambda: session.get(one, params=params, headers=headers), args.calls, args.batches)

    with responses.RequestsMock(assert_all_requests_are_fired=False) as stub:
        stub.add_callback("GET", one, callback=lambda req: (200, {"Content-Type": "application/json"}, body))
        session = requests.Session()
        bare = per_call_us(lambda: session.get(one, params=params, headers=headers), args.calls, args.batches)

    print(describe("bare responses stub", bare))
    print(describe("mock_zoho in process (one invoice)", emulated))
    print(f"ratio: {statistics.median(emulated) / statistics.median(bare):.2f}x a bare stub (goal: 1.3x or better)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
