"""Limiter overhead: microseconds per ``admit`` + ``release`` on the memory store and on Redis.

Prints figures, asserts nothing. ``python -m bench.limits_bench``. Redis figures need a
``redis-server`` binary (one is started on a free port in a temp dir).
"""
from __future__ import annotations

import sys
import time

from mock_zoho import Emulator
from mock_zoho.http import BooksAPIError
from mock_zoho.storage.redis import local_redis_server


redis_server = local_redis_server  # kept under its old name for serve_bench


def measure(emu: Emulator, n: int) -> tuple[float, float]:
    """(µs per admitted admit+release, µs per rejected admit)."""
    org = {"organization_id": "700000001", "plan": "ultimate", "time_zone": "UTC"}
    emu.limits.set_overrides(org["organization_id"], {"per_minute": 10**9, "daily": 10**9})
    for _ in range(200):
        emu.limits.admit(org).release()
    t0 = time.perf_counter()
    for _ in range(n):
        emu.limits.admit(org).release()
    ok = (time.perf_counter() - t0) / n * 1e6
    emu.limits.set_overrides(org["organization_id"], {"per_minute": 0})
    t0 = time.perf_counter()
    for _ in range(n):
        try:
            emu.limits.admit(org)
        except BooksAPIError:
            pass
    rejected = (time.perf_counter() - t0) / n * 1e6
    return ok, rejected


def main(argv: list[str] | None = None) -> int:
    n = 20000
    ok, rej = measure(Emulator(demo=False), n)
    print(f"limiter, memory store : admit+release {ok:7.1f} µs   rejected admit {rej:7.1f} µs   (n={n})")
    import tempfile

    from mock_zoho.storage.lmdb import LmdbStore

    with tempfile.TemporaryDirectory(prefix="limits-bench-") as tmp:
        ok, rej = measure(Emulator(demo=False, store=LmdbStore(tmp)), n)
    print(f"limiter, lmdb store   : admit+release {ok:7.1f} µs   rejected admit {rej:7.1f} µs   (n={n}; "
          "shared by --workers processes)")
    with redis_server() as url:
        if url is None:
            print("limiter, redis store  : skipped (no redis-server binary)")
        else:
            from mock_zoho.storage.redis import RedisStore

            n = 3000
            ok, rej = measure(Emulator(demo=False, store=RedisStore(url)), n)
            print(f"limiter, redis store  : admit+release {ok:7.1f} µs   rejected admit {rej:7.1f} µs   (n={n}; "
                  "two Lua round trips: admit, release)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
