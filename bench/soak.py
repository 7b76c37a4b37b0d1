"""Memory of ``serve --workers N`` over a long load run: does it stay flat? Prints the emulator's
memory (every process of it, PSS and RSS) at the start, each minute and at the end. Asserts nothing; not
run by the test suite nor by ``make bench`` (it takes ``--minutes``, 10 by default).

    python -m bench.soak                       # 10 minutes, 50 orgs, the "limits" profile
    python -m bench.soak --minutes 2 --store redis://127.0.0.1:6379/0

The emulator keeps its default journal bound (10,000 entries), so what it holds is bounded by
design; growth past the first minutes would be a leak.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from load.__main__ import ROOT, locust_commands
from mock_zoho import testing


def tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += children.get(p, [])
    return out


def memory_mb(pid: int) -> tuple[float, float, int]:
    """(PSS, RSS) of the process tree in MB and how many processes it has. PSS shares each page
    among the processes mapping it (the shared-memory store, the code), so it adds up honestly;
    RSS counts a shared page once per process."""
    pss = rss = 0
    n = 0
    for p in tree(pid):
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    pss += int(line.split()[1])
                elif line.startswith("Rss:"):
                    rss += int(line.split()[1])
            n += 1
        except OSError:
            continue
    return pss / 1024, rss / 1024, n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--users", type=int, default=50, help="simulated orgs")
    parser.add_argument("--workers", type=int, default=2, help="emulator processes")
    parser.add_argument("--store", default="auto")
    parser.add_argument("--time-scale", type=float, default=10.0)
    parser.add_argument("--writes", type=int, default=1, help="contacts each sync job creates (0: the data stays put)")
    parser.add_argument("--setting", action="append", default=[], metavar="KEY=JSON",
                        help="an emulator setting for the run, e.g. server.replay_cache_mb=1 (repeatable)")
    args = parser.parse_args(argv)
    settings = {"server.time_scale": args.time_scale}
    for pair in args.setting:
        key, sep, raw = pair.partition("=")
        if not sep:
            parser.error(f"--setting: expected KEY=VALUE, got {pair!r}")
        try:
            settings[key] = json.loads(raw)
        except ValueError:
            settings[key] = raw
    seconds = int(args.minutes * 60)
    out = Path(tempfile.mkdtemp(prefix="soak-"))
    with testing.workers(args.workers, store=args.store) as zoho:
        zoho.admin.set_config(settings)
        pid = zoho.process.pid  # type: ignore[attr-defined]
        opts = {"run_id": uuid.uuid4().hex[:8], "dcs": "us,eu,in,au,jp,ca,sa,uk", "records": "contacts=30,invoices=90",
                "budget": 0.9, "per_minute": 0, "poll_vmin": 1.0, "writes": args.writes, "refresh": "job"}
        main_cmd, _ = locust_commands("limits", zoho.base, out, args.users, 25.0, f"{seconds}s", 0, opts)
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        pss, rss, n = memory_mb(pid)
        print(f"soak: {args.minutes:g} min, {args.users} orgs, serve --workers {args.workers} ({n} processes), "
              f"store {args.store}, {args.writes} write(s) per job, settings {settings}; reports in {out}", flush=True)
        print(f"  before load: PSS {pss:8.1f} MB  RSS {rss:8.1f} MB", flush=True)
        with (out / "locust.log").open("w") as log:
            locust = subprocess.Popen(main_cmd, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
            started = time.monotonic()
            samples = []
            try:
                while locust.poll() is None and time.monotonic() - started < seconds + 120:
                    time.sleep(min(60.0, max(1.0, seconds / 10)))
                    pss, rss, n = memory_mb(pid)
                    samples.append(pss)
                    print(f"  {time.monotonic() - started:6.0f} s: PSS {pss:8.1f} MB  RSS {rss:8.1f} MB "
                          f"({n} processes)", flush=True)
            finally:  # also on Ctrl-C: never leave locust running
                if locust.poll() is None:
                    locust.terminate()
                locust.wait(timeout=60)
        end, _, _ = memory_mb(pid)
        first = samples[0] if samples else end
        stats = json.loads((out / "locust_stats.json").read_text()) if (out / "locust_stats.json").exists() else []
        calls = sum(s.get("num_requests", 0) for s in stats)
        print(f"PSS at the start (after the first interval) {first:.1f} MB, at the end {end:.1f} MB: "
              f"{end - first:+.1f} MB ({(end - first) / first * 100 if first else 0:+.1f}%) over {calls} calls")
    return 0


if __name__ == "__main__":
    sys.exit(main())
