"""Bounded locust runs through ``python -m load`` (a few seconds each, a handful of orgs), judged
only on what must hold exactly: zero limit overshoot, counts that match the emulator's journal and
limiter, no 5xx, no lost write, the reports written. Never on speed."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from mock_zoho import testing

ROOT = Path(__file__).resolve().parents[1]
PNG = b"\x89PNG\r\n\x1a\n"


def load_cli(*args: str, timeout: float = 90) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, "-m", "load", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=timeout)


def verdict_of(out: Path, proc: subprocess.CompletedProcess) -> dict[str, Any]:
    assert (out / "verdict.json").exists(), proc.stdout[-3000:] + proc.stderr[-3000:]
    return json.loads((out / "verdict.json").read_text())


def assert_consistent_totals(v: dict[str, Any]) -> None:
    t = v["totals"]
    assert v["failures"] == [] and v["ok"] is True
    assert t["overshoot"] == 0 and t["server_errors"] == 0 and t["connection_errors"] == 0
    assert t["lost_writes"] == 0 and v["journal_dropped"] == 0
    assert t["locust_requests"] == t["tally_requests"]
    assert all(org["mismatches"] == [] for org in v["orgs"])


def assert_consistent(v: dict[str, Any]) -> None:
    """What every raw-API run must show: the load side and the emulator agree, nothing broke."""
    assert_consistent_totals(v)
    t = v["totals"]
    assert t["locust_requests"] == t["books_calls"] + t["token_calls"]
    for org in v["orgs"]:
        assert org["mismatches"] == []
        counted = org["locust"]
        assert org["calls"] == counted.get("books_calls", 0) and org["admitted"] == counted.get("books_admitted", 0)


def assert_reports(out: Path) -> None:
    for name in ("locust.html", "locust_stats.csv", "locust_stats_history.csv", "locust_stats.json", "tally.json"):
        assert (out / name).stat().st_size > 0, name
    assert (out / "chart.png").read_bytes()[:8] == PNG


def test_limits_profile_stays_inside_the_limit_and_matches_the_journal(tmp_path: Path) -> None:
    out = tmp_path / "limits"
    proc = load_cli("run", "--users", "4", "--run-time", "4s", "--time-scale", "20", "--spawn-rate", "10",
                    "--dcs", "eu,uk,in,us", "--out", str(out))
    v = verdict_of(out, proc)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert_consistent(v)
    assert_reports(out)
    assert v["totals"]["orgs"] == 4 and {o["dc"] for o in v["orgs"]} == {"eu", "uk", "in", "us"}
    assert v["totals"]["max_calls_per_org_rolling_minute"] <= 100
    assert all(o["token_calls"] >= 1 for o in v["orgs"] if o["calls"])  # a syncing org linked first
    assert "PASS" in proc.stdout


def test_an_unpaced_integration_meets_the_exact_limit_and_every_429_is_counted(tmp_path: Path) -> None:
    # 5 calls a minute per org, at real time: a first sync of ~120 calls meets code 44 at its 6th
    out = tmp_path / "unpaced"
    proc = load_cli("run", "--users", "2", "--run-time", "6s", "--time-scale", "1", "--budget", "0",
                    "--per-minute", "5", "--out", str(out))
    v = verdict_of(out, proc)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert_consistent(v)
    limited = [org for org in v["orgs"] if org["rejected"]]
    assert limited  # (an org whose setup outlasted the run on a starved machine makes no call at all)
    for org in v["orgs"]:
        assert org["limit"] == 5 and org["admitted"] <= 5 and org["max_in_window"] <= 5
    for org in limited:  # all within one minute: rejected only once the window held exactly the limit
        assert org["admitted"] == 5 and org["max_in_window"] == 5
        assert org["rejected"] == {"44": org["locust"]["books_code_44"]}


def test_ceiling_profile_steps_up_and_reports_each_stage(tmp_path: Path) -> None:
    out = tmp_path / "ceiling"
    proc = load_cli("run", "ceiling", "--steps", "1:2,2:2", "--records", "contacts=5,invoices=10", "--out", str(out))
    v = verdict_of(out, proc)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert_consistent(v)
    assert_reports(out)
    assert v["stages"] and {s["users"] for s in v["stages"]} <= {1, 2}
    assert all(o["limit"] >= 1_000_000 for o in v["orgs"])  # limits lifted: the emulator is measured


def test_connector_profile_syncs_linked_companies_under_the_limits(tmp_path: Path) -> None:
    out = tmp_path / "connector"
    proc = load_cli("run", "connector", "--users", "3", "--run-time", "6s", "--time-scale", "20",
                    "--records", "contacts=5,invoices=20", "--dcs", "eu,uk,us", "--out", str(out))
    v = verdict_of(out, proc)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert_consistent_totals(v)
    tally = json.loads((out / "tally.json").read_text())["orgs"]
    assert len(tally) == 3 and all(info["baseline"]["books_calls"] > 0 for info in tally.values())  # linked first
    synced = [info for info in tally.values() if info.get("jobs")]
    assert synced  # (a job still running when the run ends is allowed to finish: --stop-timeout)
    for info in synced:
        assert info["statuses"] == {"customers": "Complete", "invoices": "Complete"}
        assert info["records"] >= 20  # every invoice, and the contacts that are customers


@pytest.mark.redis
def test_two_locust_workers_against_four_emulator_processes_on_redis(tmp_path: Path, redis_url: str) -> None:
    out = tmp_path / "distributed"
    with testing.workers(4, store=f"{redis_url}/5") as zoho:
        proc = load_cli("run", "--host", zoho.base, "--locust-workers", "2", "--users", "4", "--spawn-rate", "10",
                        "--run-time", "4s", "--time-scale", "20", "--out", str(out))
        v = verdict_of(out, proc)
        assert proc.returncode == 0, proc.stdout[-3000:]
        assert_consistent(v)
        tally = json.loads((out / "tally.json").read_text())["orgs"]
        assert {info["worker"] for info in tally.values()} == {0, 1}  # both workers simulated orgs
        for n in (0, 1):  # each worker's own final counts, beside the master's sum
            own = json.loads((out / f"tally.json.worker-{n}.json").read_text())["orgs"]
            assert own and {info["worker"] for info in own.values()} == {n}
        # the admin API's own counters, read again here: the daily counter is every admitted call
        for org in v["orgs"]:
            assert zoho.admin.limits(org["org_id"])["daily"]["used"] >= org["admitted"]
    for name in ("locust.log", "locust-worker-1.log", "locust-worker-2.log"):
        assert (out / name).exists()


def test_runs_target_this_machine_unless_told_otherwise(tmp_path: Path) -> None:
    proc = load_cli("run", "--host", "http://192.0.2.10:8080", "--out", str(tmp_path / "x"), timeout=30)
    assert proc.returncode == 2
    assert "--host" in proc.stderr and "loopback" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("args, named", [
    (["--records", "invoices"], "--records"), (["--dcs", "us,mars"], "--dcs"), (["--run-time", "soon"], "--run-time"),
    (["ceiling", "--steps", "0:5"], "--steps"), (["--users", "0"], "--users"),
])
def test_bad_options_are_refused_naming_the_option(args: list[str], named: str, tmp_path: Path) -> None:
    proc = load_cli("run", *args, "--out", str(tmp_path / "x"), timeout=30)
    assert proc.returncode == 2 and named in proc.stderr and "Traceback" not in proc.stderr


def test_help_on_every_command() -> None:
    for args in ([], ["run"], ["verify"]):
        proc = load_cli(*args, "--help", timeout=30)
        assert proc.returncode == 0 and "Usage:" in proc.stdout
