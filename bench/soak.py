"""Memory of ``serve --workers N`` over a long load run: does it stay flat? Prints the emulator's
memory (each process and the total, RSS and PSS) after a warm-up, each interval and at the end,
then the verdict: flat when the total at the end is within 10% of the total after the warm-up.
Exits 1 when it is not. Not run by the test suite nor by ``make bench`` (it takes ``--minutes``,
10 by default; ``--quick`` is a two-minute check).

    python -m bench.soak                       # 10 minutes, 50 orgs, the "limits" profile
    python -m bench.soak --quick               # 2 minutes, 10 orgs: a quick check
    python -m bench.soak --minutes 2 --store redis://127.0.0.1:6379/0

The emulator keeps its default journal bound (10,000 entries) and replay cache (64 MB per
process, least recently used first, holding only answers it can still serve), so what it holds is
bounded by design; growth past the warm-up would be a leak. The data the run writes (``--writes``
contacts per job) grows the store, as it should: ``--writes 0`` keeps it still.
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


def process_memory(pid: int) -> tuple[float, float]:
    """(RSS, PSS) of one process in MB. PSS shares each page among the processes mapping it (the
    shared-memory store, the code), so it adds up honestly; RSS counts a shared page once per process."""
    rss = pss = 0
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            pss += int(line.split()[1])
        elif line.startswith("Rss:"):
            rss += int(line.split()[1])
    return rss / 1024, pss / 1024


def memory(pid: int) -> dict[int, tuple[float, float]]:
    """pid -> (RSS, PSS) in MB for the server and every process under it."""
    out = {}
    for p in tree(pid):
        try:
            out[p] = process_memory(p)
        except OSError:  # gone meanwhile
            continue
    return out


def totals(sample: dict[int, tuple[float, float]]) -> tuple[float, float]:
    return sum(r for r, _ in sample.values()), sum(p for _, p in sample.values())


def describe(label: str, sample: dict[int, tuple[float, float]], root: int) -> str:
    """One line per process (the server first), then the total."""
    rss, pss = totals(sample)
    lines = [f"  {label}: total RSS {rss:7.1f} MB  PSS {pss:7.1f} MB ({len(sample)} processes)"]
    for p in sorted(sample, key=lambda q: (q != root, q)):
        r, s = sample[p]
        lines.append(f"    {'server' if p == root else 'worker'} {p:>7}: RSS {r:7.1f} MB  PSS {s:7.1f} MB")
    return "\n".join(lines)


def verdict(start: dict[int, tuple[float, float]], end: dict[int, tuple[float, float]], calls: int,
            bound: float = 0.10) -> tuple[bool, str]:
    """Flat when the total RSS and PSS at the end are each within ``bound`` of the start's."""
    (rss0, pss0), (rss1, pss1) = totals(start), totals(end)
    grow_rss = (rss1 - rss0) / rss0 if rss0 else 0.0
    grow_pss = (pss1 - pss0) / pss0 if pss0 else 0.0
    flat = abs(grow_rss) <= bound and abs(grow_pss) <= bound
    word = "FLAT" if flat else "NOT FLAT"
    return flat, (f"verdict: {word} over {calls} calls: total RSS {rss0:.1f} -> {rss1:.1f} MB ({grow_rss:+.1%}), "
                  f"PSS {pss0:.1f} -> {pss1:.1f} MB ({grow_pss:+.1%}); bound +/-{bound:.0%}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--quick", action="store_true", help="a two-minute check with 10 orgs (overrides --minutes, --users)")
    parser.add_argument("--warmup", type=float, default=1.0, help="minutes of load before the start figure is taken")
    parser.add_argument("--users", type=int, default=50, help="simulated orgs")
    parser.add_argument("--workers", type=int, default=2, help="emulator processes")
    parser.add_argument("--store", default="auto")
    parser.add_argument("--time-scale", type=float, default=10.0)
    parser.add_argument("--writes", type=int, default=1, help="contacts each sync job creates (0: the data stays put)")
    parser.add_argument("--setting", action="append", default=[], metavar="KEY=JSON",
                        help="an emulator setting for the run, e.g. server.replay_cache_mb=1 (repeatable)")
    args = parser.parse_args(argv)
    if args.quick:
        args.minutes, args.users, args.warmup = 2.0, 10, 0.5
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
    interval = min(60.0, max(10.0, seconds / 10))
    out = Path(tempfile.mkdtemp(prefix="soak-"))
    with testing.workers(args.workers, store=args.store) as zoho:
        zoho.admin.set_config(settings)
        pid = zoho.process.pid  # type: ignore[attr-defined]
        opts = {"run_id": uuid.uuid4().hex[:8], "dcs": "us,eu,in,au,jp,ca,sa,uk", "records": "contacts=30,invoices=90",
                "budget": 0.9, "per_minute": 0, "poll_vmin": 1.0, "writes": args.writes, "refresh": "job"}
        main_cmd, _ = locust_commands("limits", zoho.base, out, args.users, 25.0, f"{seconds}s", 0, opts)
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        print(f"soak: {args.minutes:g} min ({args.warmup:g} min warm-up), {args.users} orgs, serve --workers "
              f"{args.workers}, store {args.store}, {args.writes} write(s) per job, settings {settings}; reports in {out}",
              flush=True)
        print(describe("before load", memory(pid), pid), flush=True)
        start: dict[int, tuple[float, float]] = {}
        with (out / "locust.log").open("w") as log:
            locust = subprocess.Popen(main_cmd, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
            started = time.monotonic()
            try:
                time.sleep(args.warmup * 60)
                start = memory(pid)
                print(describe(f"start (after {args.warmup:g} min)", start, pid), flush=True)
                while locust.poll() is None and time.monotonic() - started < seconds + 120:
                    time.sleep(interval)
                    rss, pss = totals(memory(pid))
                    print(f"  {time.monotonic() - started:6.0f} s: total RSS {rss:7.1f} MB  PSS {pss:7.1f} MB", flush=True)
            finally:  # also on Ctrl-C: never leave locust running
                if locust.poll() is None:
                    locust.terminate()
                locust.wait(timeout=60)
        end = memory(pid)
        print(describe("end", end, pid))
        stats = json.loads((out / "locust_stats.json").read_text()) if (out / "locust_stats.json").exists() else []
        calls = sum(s.get("num_requests", 0) for s in stats)
        flat, line = verdict(start or end, end, calls)
        print(line)
    return 0 if flat else 1


if __name__ == "__main__":
    sys.exit(main())
