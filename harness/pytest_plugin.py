"""The zoho-harness pytest plugin: scenario files are test items (registered via ``pytest11``).

It loads in every pytest run of the project, so importing it costs nothing and it does nothing
unless asked: it collects ``*.yaml`` files only under a directory named ``scenarios``, and writes
reports only with ``--scenario-report DIR``. Everything heavy is imported inside the hooks that need
it (the only function-local imports of the harness, each marked "cheap plugin import path").

    pytest scenarios/                              # every scenario, each in its own emulator and portal
    pytest scenarios/ -n auto -m oauth -k eu       # xdist, tags as markers, -k on names
    pytest scenarios/ --zoho-target http://127.0.0.1:8080 --connector-mistake ignore_429
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest  # already loaded: this module is a pytest plugin

from harness.scenarios.result import RESULT_ATTR  # dataclasses only: cheap

SCENARIO_DIR = "scenarios"
# harness.connector.settings.MISTAKES, written here so that loading the plugin stays cheap (the
# connector package pulls in requests); tests/harness/test_harness_architecture.py keeps them equal.
MISTAKE_NAMES = ("exchange_at_home_dc", "ignore_api_domain", "no_prompt_consent", "refresh_every_call", "ignore_429",
                 "no_budget")
SUFFIXES = (".yaml", ".yml")


def pytest_addoption(parser: Any) -> None:
    group = parser.getgroup("zoho-harness", "zoho-harness scenarios")
    group.addoption("--zoho-target", default="inprocess", metavar="TARGET",
                    help="where scenarios find Zoho: inprocess (default: an emulator in this process, no port), "
                         "an emulator URL (http://127.0.0.1:8080), or live")
    group.addoption("--connector-mistake", action="append", default=[], metavar="NAME",
                    help="switch a connector mistake on for every scenario (repeatable): " + ", ".join(MISTAKE_NAMES))
    group.addoption("--scenario-report", default=None, metavar="DIR",
                    help="write report.json and report.html for the scenarios run into DIR")


def pytest_configure(config: Any) -> None:
    mistakes = config.getoption("connector_mistake", default=[]) or []
    if mistakes:
        from harness.connector.settings import MISTAKES  # cheap plugin import path: the connector loads requests

        unknown = [m for m in mistakes if m not in MISTAKES]
        if unknown:
            raise pytest.UsageError(f"--connector-mistake {unknown[0]!r} is not a connector mistake "
                                    f"(known: {', '.join(MISTAKES)})")
    if config.getoption("scenario_report", default=None) and not hasattr(config, "workerinput"):
        from harness.scenarios.pytest_items import ReportCollector  # cheap plugin import path: only with reports

        config.pluginmanager.register(ReportCollector(config), "zoho-harness-report")


def pytest_collect_file(file_path: Path, parent: Any) -> Any:
    if file_path.suffix in SUFFIXES and SCENARIO_DIR in file_path.parts[:-1]:
        from harness.scenarios.pytest_items import ScenarioFile  # cheap plugin import path: only for scenarios

        return ScenarioFile.from_parent(parent, path=file_path)
    return None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: Any, call: Any) -> Any:
    """Put a scenario's result on its call-phase report (only scenario items carry one)."""
    report = yield
    wanted = call.when == "call" or (call.when == "setup" and report.skipped)
    result = getattr(item, "zoho_result", None) if wanted else None
    if result is not None and hasattr(result, "to_dict"):
        setattr(report, RESULT_ATTR, result.to_dict())
    return report
