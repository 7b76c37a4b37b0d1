"""The scenario library end to end: wall time of ``zoho-harness run`` on the default library
(``-n auto``, in-process emulators, virtual clock), the slowest scenarios, and the mistake matrix:
for each connector mistake, which scenarios fail and whether that is exactly the set that declares
it in ``guards``. Run: ``python -m bench.scenarios_bench [--quick]`` (or ``python -m bench``)."""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MISTAKES = ("exchange_at_home_dc", "ignore_api_domain", "no_prompt_consent", "refresh_every_call", "ignore_429",
            "no_budget")


def run_library(*extra: str, workers: str = "auto") -> tuple[float, dict]:
    """One ``zoho-harness run`` in a child process; (wall seconds, report.json)."""
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "harness.cli", "run", "-q", "-n", workers, "--report", tmp, *extra],
                       cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=900, check=False)
        wall = time.perf_counter() - t0
        return wall, json.loads((Path(tmp) / "report.json").read_text())


def main(argv: list[str]) -> int:
    wall, report = run_library()
    s = report["summary"]
    print(f"default library, -n auto: {wall:.1f} s wall for {s['total']} scenarios "
          f"({s['passed']} passed, {s['failed'] + s['error'] + s['invalid']} failed, {s['skipped']} skipped); "
          f"scenario time {s['duration_s']:.1f} s in all")
    slow = sorted(report["scenarios"], key=lambda r: -r["duration_s"])[:5]
    print("slowest: " + ", ".join(f"{r['name']} {r['duration_s']:.2f} s" for r in slow))
    if "--quick" in argv:
        return 0
    print("\nmistake matrix (failing scenarios vs those that declare the mistake in guards):")
    exact = True
    for mistake in MISTAKES:
        wall, rep = run_library("--connector-mistake", mistake)
        failed = {r["name"] for r in rep["scenarios"] if r["status"] in ("failed", "error", "invalid")}
        guards = {r["name"] for r in rep["scenarios"] if mistake in r["guards"]}
        ok = failed == guards
        exact &= ok
        print(f"  {mistake:20} {len(failed):2} fail, {len(guards):2} guard it: {'exact' if ok else 'MISMATCH'} "
              f"({wall:.1f} s)" + ("" if ok else f" unexpected {sorted(failed - guards)} missing {sorted(guards - failed)}"))
    print("every mistake fails exactly its guarding scenarios" if exact else "some mistakes do not match their guards")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
