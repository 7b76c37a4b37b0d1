"""Scenarios as pytest items: selection, markers, a malformed file failing alone, xdist, reports.

Each test runs pytest in a child process on scenario files of its own (as a user's project
would), so the plugin is loaded through its entry point exactly as installed.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import xmlschema

from harness.scenarios.reports import JUNIT_XSD, REPORT_SCHEMA

from .test_runner_loader import EMULATOR_ONLY, write_scenario

FAILING = EMULATOR_ONLY.replace("max_calls_in_window: {org: acme, max: 12}",
                                "max_calls_in_window: {org: acme, max: 11}").replace(
    "title: Another app's calls", "title: Too many calls").replace("tags: [emulator, quota]", "tags: [emulator]")
MALFORMED = "title: broken\nsteps:\n  - advance_clock: {seconds: soon}\n"


def pytest_run(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PYTEST_ADDOPTS", None)
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-o", "addopts=", *args],
                          cwd=cwd, capture_output=True, text=True, timeout=120, env=env)


def library(tmp_path: Path) -> Path:
    d = tmp_path / "scenarios"
    write_scenario(d, "a-quota", EMULATOR_ONLY)
    write_scenario(d, "b-too-many", FAILING)
    write_scenario(d, "c-broken", MALFORMED)
    return d


def test_k_selects_by_name_and_tags_are_markers(tmp_path):
    library(tmp_path)
    r = pytest_run(tmp_path, "scenarios", "-k", "quota", "-q", "--collect-only")
    assert "scenarios/a-quota.yaml::a-quota" in r.stdout and "1/3 tests collected (2 deselected)" in r.stdout, r.stdout
    r = pytest_run(tmp_path, "scenarios", "-m", "emulator and not quota", "-q", "--collect-only", "--strict-markers")
    assert "scenarios/b-too-many.yaml::b-too-many" in r.stdout, r.stdout + r.stderr
    assert "1/3 tests collected (2 deselected)" in r.stdout


def test_in_parallel_a_malformed_file_fails_alone_and_the_controller_writes_valid_reports(tmp_path):
    library(tmp_path)
    out = tmp_path / "out"
    r = pytest_run(tmp_path, "scenarios", "-n", "2", "-rA", "--tb=short", "--scenario-report", str(out),
                   f"--junitxml={out / 'junit.xml'}")
    assert r.returncode == 1 and "1 passed" in r.stdout and "2 failed" in r.stdout, r.stdout + r.stderr
    assert "PASSED scenarios/a-quota.yaml::a-quota" in r.stdout
    broken = tmp_path / "scenarios" / "c-broken.yaml"
    assert f"invalid scenario: {broken}:3: steps[0].advance_clock.seconds: 'soon' is not of type 'number'" in r.stdout
    assert "line 17, max_calls_in_window: 12 calls for acme within 60 s" in r.stdout
    assert "expected at most 11" in r.stdout
    report = json.loads((out / "report.json").read_text())
    jsonschema.validate(report, json.loads(REPORT_SCHEMA.read_text()))
    assert report["summary"] | {"duration_s": 0} == {"total": 3, "passed": 1, "failed": 1, "error": 0, "skipped": 0,
                                                       "invalid": 1, "duration_s": 0, "ok": False}
    by_name = {s["name"]: s for s in report["scenarios"]}
    assert by_name["b-too-many"]["failed_line"] == 17
    assert by_name["b-too-many"]["journal"], "a failure carries the journal entries that explain it"
    assert by_name["c-broken"]["status"] == "invalid" and by_name["c-broken"]["failed_line"] == 3
    steps = by_name["a-quota"]["steps"]
    assert [s["name"] for s in steps] == ["setup", "other_app_calls", "mark", "advance_clock", "limits", "journal",
                                          "journal", "max_calls_in_window"]
    assert all(s["duration_ms"] >= 0 for s in steps)
    xmlschema.XMLSchema(str(JUNIT_XSD)).validate(str(out / "junit.xml"))
    assert (out / "report.html").stat().st_size > 1000


def test_the_plugin_leaves_other_yaml_and_other_runs_alone(tmp_path):
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "settings.yaml").write_text("not: [a scenario\n")
    (tmp_path / "test_plain.py").write_text("def test_ok():\n    assert True\n")
    r = pytest_run(tmp_path, "-q")
    assert r.returncode == 0 and "1 passed" in r.stdout, r.stdout + r.stderr
    assert not (tmp_path / "report.json").exists()


def test_an_unknown_connector_mistake_is_a_usage_error(tmp_path):
    library(tmp_path)
    r = pytest_run(tmp_path, "scenarios", "--connector-mistake", "forget_tokens")
    assert r.returncode == 4
    assert "--connector-mistake 'forget_tokens' is not a connector mistake" in r.stderr
