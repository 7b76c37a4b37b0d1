"""Live progress of a scenario run on the terminal (rich), fed by pytest's own hooks.

Registered as a pytest plugin by ``zoho-harness run``: with pytest-xdist the controller receives
each worker's collection and reports, so the bar counts every scenario wherever it runs. At the
end, a table says per scenario what passed, what failed and why, and where the reports are.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Iterable

import pytest
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn, TimeElapsedColumn
from rich.table import Table

from .pytest_items import REPORT_PATHS
from .result import RESULT_ATTR

STYLE = {"passed": "green", "failed": "red", "error": "red", "invalid": "red", "skipped": "yellow"}


class Progress:
    def __init__(self, *, quiet: bool = False, mistakes: Iterable[str] = ()) -> None:
        self.console = Console(file=sys.__stdout__, highlight=False)
        self.quiet = quiet or not self.console.is_terminal
        self.mistakes = list(mistakes)
        self.bar = Bar(TextColumn("[bold]scenarios"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                       TextColumn("{task.description}"), console=self.console, transient=True, disable=self.quiet)
        self.task = self.bar.add_task("collecting", total=None)
        self.results: dict[str, dict[str, Any]] = {}
        self.outcomes: dict[str, str] = {}
        self.running: dict[str, str] = {}
        self.report_paths: dict[str, Path] = {}

    def __enter__(self) -> "Progress":
        self.bar.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.bar.__exit__(*exc)

    # -- pytest hooks ----------------------------------------------------------------------------
    def pytest_collection_finish(self, session: Any) -> None:
        if session.items:
            self.bar.update(self.task, total=len(session.items), description="")

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node: Any, ids: list[str]) -> None:
        self.bar.update(self.task, total=len(ids), description="")

    def pytest_runtest_logstart(self, nodeid: str, location: Any) -> None:
        self.running[nodeid] = nodeid.rsplit("::", 1)[-1]
        self._describe()

    def pytest_runtest_logreport(self, report: Any) -> None:
        data = getattr(report, RESULT_ATTR, None)
        if data is not None:
            self.results[report.nodeid] = data
        if report.failed and report.nodeid not in self.outcomes:
            self.outcomes[report.nodeid] = "failed" if report.when == "call" else "error"
        elif report.when == "call" and report.nodeid not in self.outcomes:
            self.outcomes[report.nodeid] = report.outcome
        elif report.skipped and report.nodeid not in self.outcomes:
            self.outcomes[report.nodeid] = "skipped"
        if report.when == "teardown":
            self.running.pop(report.nodeid, None)
            self.bar.advance(self.task)
            if self.quiet:
                outcome = self.outcomes.get(report.nodeid, "passed")
                self.console.print(f"{outcome:8} {report.nodeid}")
            self._describe()

    def _describe(self) -> None:
        names = list(self.running.values())
        text = ", ".join(names[:3]) + (f" +{len(names) - 3}" if len(names) > 3 else "")
        self.bar.update(self.task, description=f"running {text}" if names else "")

    def pytest_sessionfinish(self, session: Any, exitstatus: int) -> None:
        self.report_paths = session.config.stash.get(REPORT_PATHS, {})

    # -- the end -----------------------------------------------------------------------------------
    def summary(self, report_dir: Path) -> None:
        table = Table(title="zoho-harness" + (f" (connector mistakes on: {', '.join(self.mistakes)})"
                                              if self.mistakes else ""))
        for col, kw in (("#", {"justify": "right"}), ("scenario", {}), ("result", {}), ("time", {"justify": "right"}),
                        ("why", {"overflow": "fold"})):
            table.add_column(col, **kw)
        rows = sorted(self.results.values(), key=lambda r: (r.get("catalogue") is None, r.get("catalogue") or 0,
                                                            r["file"]))
        counts: dict[str, int] = {}
        for r in rows:
            status = r["status"]
            counts[status] = counts.get(status, 0) + 1
            why = r.get("message") or ""
            if self.mistakes and status in ("failed", "error"):
                guarded = [m for m in self.mistakes if m in r.get("guards", [])]
                why = (f"[guards {', '.join(guarded)}] " if guarded else "[guards none of them] ") + why
            table.add_row(str(r.get("catalogue") or ""), r["name"], f"[{STYLE.get(status, '')}]{status}[/]",
                          f"{r.get('duration_s', 0):.2f}s", why)
        self.console.print(table)
        line = ", ".join(f"[{STYLE.get(s, '')}]{n} {s}[/]" for s, n in sorted(counts.items()))
        self.console.print(f"{len(rows)} scenarios: {line or 'none run'}")
        if self.report_paths:
            self.console.print(f"reports: {self.report_paths.get('html')}  {self.report_paths.get('json')}  "
                               f"{report_dir / 'junit.xml'}")
