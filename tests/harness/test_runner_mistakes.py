"""Each connector mistake makes the scenarios that guard against it fail, saying what went wrong.

The full matrix (every mistake over the whole library: exactly the guarding scenarios fail) is
``python -m bench.scenarios_bench``; here each mistake runs its guarding scenarios, and one
scenario that does not guard it still passes.
"""
from __future__ import annotations

import pytest

from harness.connector.settings import MISTAKES
from harness.scenarios.loader import load_many
from harness.scenarios.runner import run_scenario
from harness.scenarios.world import RunOptions

from .test_runner_loader import LIBRARY

SCENARIOS = {s.name: s for s in load_many([LIBRARY])[0]}
# What each mistake's failures must say (the sentence a person reads in the report).
SAYS = {
    "exchange_at_home_dc": "invalid_code",
    "ignore_api_domain": "api_domain",
    "no_prompt_consent": "no_refresh_token",
    "refresh_every_call": "",
    "ignore_429": "429",
    "no_budget": "429",
}
UNAFFECTED = "user-rejects-consent"


def test_every_mistake_is_guarded():
    assert {m for s in SCENARIOS.values() for m in s.guards} == set(MISTAKES)
    assert not SCENARIOS[UNAFFECTED].guards


GUARDED = [(m, s.name) for s in SCENARIOS.values() for m in s.guards]


@pytest.mark.parametrize(("mistake", "name"), GUARDED, ids=[f"{m}-{n}" for m, n in GUARDED])
def test_a_guarding_scenario_fails_with_a_reason(mistake, name):
    result = run_scenario(SCENARIOS[name], RunOptions(mistakes=(mistake,)))
    assert result.status == "failed", f"{name} passed with {mistake} switched on"
    assert result.message and result.message.startswith(f"line {result.failed_line}, "), result.message
    assert [s.line for s in result.steps if s.status == "failed"][0] == result.failed_line
    assert SAYS[mistake] in result.message


def test_a_scenario_that_does_not_guard_a_mistake_still_passes_with_it():
    result = run_scenario(SCENARIOS[UNAFFECTED], RunOptions(mistakes=("exchange_at_home_dc", "refresh_every_call")))
    assert result.status == "passed", result.message
