"""Scenario files as pytest items, and the collector that turns their results into reports.

A malformed file becomes one item that fails with ``file:line: reason`` without running anything,
so it never stops the other scenarios. Each item runs its scenario in a world of its own; the
result rides on the test report (``report.zoho_scenario``), which pytest-xdist carries from the
workers to the controller, where ``ReportCollector`` writes the JSON and HTML reports.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest

from .loader import ScenarioError, load_scenario
from .reports import write_reports
from .result import RESULT_ATTR, ScenarioResult
from .runner import run_scenario
from .world import RunOptions


class ScenarioFailed(Exception):
    """The scenario failed; its message is the report's."""


class ScenarioFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        try:
            scenario = load_scenario(self.path)
        except ScenarioError as exc:
            yield InvalidScenario.from_parent(self, name=self.path.stem, error=exc)
            return
        item = ScenarioItem.from_parent(self, name=scenario.name, scenario=scenario)
        if scenario.skip:  # skipped at setup, reported at the scenario file's line
            item.zoho_result = run_scenario(scenario)
            item.add_marker(pytest.mark.skip(reason=scenario.skip))
        for tag in scenario.tags:
            self.config.addinivalue_line("markers", f"{tag}: scenario tag")
            item.add_marker(tag)
        for guard in scenario.guards:
            item.keywords[f"guards_{guard}"] = True
        yield item


class ScenarioItem(pytest.Item):
    def __init__(self, *, scenario: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario
        self.zoho_result: ScenarioResult | None = None

    def runtest(self) -> None:
        options = RunOptions(target=self.config.getoption("zoho_target"),
                             mistakes=tuple(self.config.getoption("connector_mistake") or ()))
        self.zoho_result = run_scenario(self.scenario, options)
        if self.zoho_result.status == "skipped":
            pytest.skip(self.zoho_result.message or "skipped")
        if self.zoho_result.status in ("failed", "error"):
            raise ScenarioFailed(self.zoho_result.message)

    def repr_failure(self, excinfo: Any, style: Any = None) -> str:
        if isinstance(excinfo.value, ScenarioFailed) and self.zoho_result is not None:
            return _failure_text(self.zoho_result)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"scenario: {self.scenario.title}"


class InvalidScenario(pytest.Item):
    """A scenario file the loader refused: fails at once, naming file, line and reason."""

    def __init__(self, *, error: ScenarioError, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.error = error
        self.zoho_result = ScenarioResult(self.path.stem, "(invalid scenario)", str(error.path), "invalid",
                                     message=str(error), failed_line=error.line)

    def runtest(self) -> None:
        raise ScenarioFailed(str(self.error))

    def repr_failure(self, excinfo: Any, style: Any = None) -> str:
        return f"invalid scenario: {self.error}"

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.error.line - 1, "invalid scenario"


def _failure_text(result: ScenarioResult) -> str:
    lines = [f"{result.file}:{result.failed_line or 1}: {result.title}", f"  {result.message}"]
    for row in result.journal[-8:]:
        lines.append("  journal #{id} {method} {host}{path} -> {status}{code}".format(
            **{"id": row.get("id"), "method": row.get("method"), "host": row.get("host", ""), "path": row.get("path"),
               "status": row.get("status"), "code": f" code {row['code']}" if row.get("code") else ""}))
    if result.status == "error" and result.notes:
        lines.append(result.notes[0])
    return "\n".join(lines)


class ReportCollector:
    """On the controller: gathers each scenario's result and writes the reports at the end."""

    def __init__(self, config: Any) -> None:
        self.config = config
        self.results: list[dict[str, Any]] = []
        self.outdir = Path(config.getoption("scenario_report"))

    def pytest_runtest_logreport(self, report: Any) -> None:
        data = getattr(report, RESULT_ATTR, None)
        if data is not None:
            self.results.append(data)

    def pytest_sessionfinish(self, session: Any, exitstatus: int) -> None:
        paths = write_reports([ScenarioResult.from_dict(r) for r in self.results], self.outdir,
                              target=self.config.getoption("zoho_target"),
                              mistakes=self.config.getoption("connector_mistake") or [])
        self.config.stash[REPORT_PATHS] = paths


REPORT_PATHS = pytest.StashKey[dict]()
