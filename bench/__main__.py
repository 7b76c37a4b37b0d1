"""Run every bench module (``bench/*_bench.py``) in name order; each prints its own figures."""
from __future__ import annotations

import importlib
import pkgutil
import sys
import time

import bench


def main() -> int:
    names = sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.endswith("_bench"))
    failed = 0
    for name in names:
        print(f"== bench.{name} ==", flush=True)
        t0 = time.perf_counter()
        try:
            rc = importlib.import_module(f"bench.{name}").main([]) or 0
        except Exception as exc:  # keep running the other benches
            print(f"bench.{name} failed: {exc!r}")
            rc = 1
        failed += bool(rc)
        print(f"(bench.{name}: {time.perf_counter() - t0:.1f} s)\n", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
