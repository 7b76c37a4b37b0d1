"""``zoho-harness run --target URL``: the same scenarios against an emulator served elsewhere.

Each scenario resets the remote emulator first (one scenario at a time: one shared emulator), and
every URL follows the target (``<base>/dc/<dc>`` instead of Zoho's hostnames).
"""
from __future__ import annotations

import json

from mock_zoho import testing

from .test_runner_cli import harness_run
from .test_runner_loader import LIBRARY

SCENARIOS = [str(LIBRARY / f) for f in ("01-happy-path-us.yaml", "02-uk-edition-on-eu.yaml", "13-user-rejects-consent.yaml")]


def run_against(zoho: testing.ZohoTarget, tmp_path) -> dict:
    r = harness_run(tmp_path, *SCENARIOS, "--target", zoho.base, "--report", "out")
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert r.returncode == 0, r.stdout + r.stderr
    return report


def test_the_scenarios_pass_against_a_served_emulator(tmp_path):
    with testing.server() as zoho:
        report = run_against(zoho, tmp_path)
        hosts = {e["host"] for e in zoho.admin.requests()}
    assert report["summary"]["passed"] == 3 and report["target"] == zoho.base
    assert hosts == {zoho.base.split("//")[1]}, "every call went to the served emulator, none to Zoho's hosts"


def test_the_scenarios_pass_against_serve_with_two_workers(tmp_path):
    with testing.workers(2) as zoho:
        report = run_against(zoho, tmp_path)
    assert report["summary"]["passed"] == 3


def test_against_the_real_zoho_every_scenario_is_skipped_with_the_reason():
    from harness.scenarios.loader import load_scenario
    from harness.scenarios.runner import run_scenario
    from harness.scenarios.world import RunOptions

    result = run_scenario(load_scenario(LIBRARY / "01-happy-path-us.yaml"), RunOptions(target="live"))
    assert result.status == "skipped" and "admin API" in result.message
    assert result.steps == [] and result.journal == [], "nothing ran, so no call reached Zoho"
