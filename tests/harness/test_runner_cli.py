"""``zoho-harness``: list, validate and schema read files only; run is pytest with progress and reports."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from harness.cli import main
from harness.scenarios.schema import SCHEMA_FILE

from .test_runner_loader import EMULATOR_ONLY, LIBRARY, write_scenario
from .test_runner_plugin import FAILING, MALFORMED


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner(env={"COLUMNS": "220"}).invoke(main, list(args))
    return result.exit_code, result.output


def test_every_command_has_help():
    for command in ([], ["run"], ["list"], ["validate"], ["serve"], ["schema"]):
        code, out = cli(*command, "--help")
        assert code == 0 and "Usage:" in out


def test_validate_names_file_line_and_reason_and_fails(tmp_path):
    d = tmp_path / "scenarios"
    write_scenario(d, "good", EMULATOR_ONLY)
    bad = write_scenario(d, "bad", MALFORMED)
    code, out = cli("validate", str(d))
    assert code == 1
    assert f"{bad}:3: steps[0].advance_clock.seconds: 'soon' is not of type 'number'" in out
    assert "1 valid, 1 invalid" in out


def test_validate_accepts_the_library():
    code, out = cli("validate", str(LIBRARY))
    assert code == 0 and out.strip().endswith("31 valid, 0 invalid")


def test_list_shows_purpose_tags_and_guards(tmp_path):
    code, out = cli("list", str(LIBRARY))
    assert code == 0
    assert "31 scenarios" in out
    row = next(line for line in out.splitlines() if "code-exchanged-at-callback-accounts-server" in line)
    assert "exchange_at_home_dc" in row and "The code is exchanged at the callback's accounts-server" in row


def test_schema_check_says_the_file_is_current():
    code, out = cli("schema", "--check")
    assert code == 0 and str(SCHEMA_FILE) in out
    code, out = cli("schema")
    assert json.loads(out)["title"] == "zoho-harness scenario"


def test_run_refuses_an_unknown_mistake_and_a_bad_target(tmp_path):
    code, out = cli("run", str(LIBRARY), "--connector-mistake", "forget_tokens")
    assert code == 2 and "'forget_tokens' is not a connector mistake" in out
    code, out = cli("run", str(LIBRARY), "--target", "zoho.example")
    assert code == 2 and "--target" in out


def harness_run(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_ADDOPTS"}
    return subprocess.run([sys.executable, "-m", "harness.cli", "run", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120, env={**env, "COLUMNS": "200"})


def test_run_prints_a_summary_and_the_reports_and_exits_1_on_a_failure(tmp_path):
    d = tmp_path / "scenarios"
    write_scenario(d, "a-quota", EMULATOR_ONLY)
    write_scenario(d, "b-too-many", FAILING)
    write_scenario(d, "c-broken", MALFORMED)
    r = harness_run(tmp_path, "scenarios", "-n", "0", "--report", "out")
    assert r.returncode == 1, r.stdout + r.stderr
    assert "invalid scenario: " in r.stderr and "c-broken.yaml:3:" in r.stderr
    for words in ("a-quota", "passed", "b-too-many", "failed", "12 calls for acme within 60 s", "c-broken",
                  "invalid", "3 scenarios: 1 failed, 1 invalid, 1 passed"):
        assert words in r.stdout, r.stdout
    assert f"reports: {Path('out') / 'report.html'}" in r.stdout
    assert {p.name for p in (tmp_path / "out").iterdir()} >= {"report.json", "report.html", "junit.xml"}
    r = harness_run(tmp_path, "scenarios", "-k", "quota", "-n", "0", "--report", "out2")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "1 scenarios: 1 passed" in r.stdout


def test_serve_starts_an_emulator_and_a_portal_ready_to_link():
    import requests

    from harness.scenarios.serve import start

    zoho, platform, portal, client = start(seed=7)
    try:
        integration = requests.get(f"{portal.url}/api/integrations/zoho-books", timeout=30).json()
        assert integration["enabled"] and integration["client_id"] == client["client_id"]
        assert client["redirect_uris"] == [f"{portal.url}/oauth/callback"]
        assert {u["dc"] for u in zoho.admin.users()} >= {"us", "eu"}, "the demo world's users can sign in"
    finally:
        portal.stop()
        platform.close()
        zoho.close()
