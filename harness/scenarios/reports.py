"""The run's reports: ``report.json`` (stable schema: ``report.schema.json``) and ``report.html``
(one self-contained file: inline CSS and inline SVG charts, nothing fetched, opens offline).

JUnit XML comes from pytest's own ``--junitxml``; ``junit-10.xsd`` (beside this module) is the
schema it is validated against.
"""
from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path
from typing import Any, Iterable

from jinja2 import Environment, FileSystemLoader, select_autoescape

from harness.clock import iso

from .charts import calls_chart
from .result import ScenarioResult

__all__ = ["REPORT_SCHEMA_VERSION", "build_report", "write_reports", "JUNIT_XSD", "REPORT_SCHEMA"]

REPORT_SCHEMA_VERSION = "zoho-harness-report/1"
HERE = Path(__file__).parent
JUNIT_XSD = HERE / "junit-10.xsd"
REPORT_SCHEMA = HERE / "report.schema.json"
STATUSES = ("passed", "failed", "error", "skipped", "invalid")


def _order(results: Iterable[ScenarioResult]) -> list[ScenarioResult]:
    return sorted(results, key=lambda r: (r.catalogue is None, r.catalogue or 0, r.file))


def build_report(results: Iterable[ScenarioResult], *, target: str = "inprocess",
                 mistakes: Iterable[str] = ()) -> dict[str, Any]:
    """The JSON report as a dict (see ``report.schema.json``)."""
    ordered = _order(results)
    counts = Counter(r.status for r in ordered)
    return {
        "schema": REPORT_SCHEMA_VERSION,
        "generated": iso(time.time()),
        "target": target,
        "mistakes": list(mistakes),
        "summary": {"total": len(ordered), **{s: counts.get(s, 0) for s in STATUSES},
                    "duration_s": round(sum(r.duration_s for r in ordered), 3),
                    "ok": not any(counts.get(s) for s in ("failed", "error", "invalid"))},
        "scenarios": [r.to_dict() for r in ordered],
    }


def render_html(report: dict[str, Any]) -> str:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))
    results = [ScenarioResult.from_dict(s) for s in report["scenarios"]]
    charts = {r.name: [(o, calls_chart(o)) for o in r.orgs] for r in results}
    return env.get_template("report.html").render(report=report, results=results, charts=charts, iso=iso)


def write_reports(results: Iterable[ScenarioResult], outdir: Path | str, *, target: str = "inprocess",
                  mistakes: Iterable[str] = ()) -> dict[str, Path]:
    """Write ``report.json`` and ``report.html`` into ``outdir``; returns their paths."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    report = build_report(results, target=target, mistakes=mistakes)
    paths = {"json": outdir / "report.json", "html": outdir / "report.html"}
    paths["json"].write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    paths["html"].write_text(render_html(report), encoding="utf-8")
    return paths
