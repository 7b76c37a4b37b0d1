"""The HTML report: one self-contained file (no network), its table and charts shown in headless Chromium.

The report is made from real scenario runs: a scenario that syncs (so its organisation has a
calls-per-minute chart) and one that fails (so its row shows the failure and journal entries).
"""
from __future__ import annotations

import re

import pytest

from harness.scenarios.loader import load_scenario
from harness.scenarios.reports import write_reports
from harness.scenarios.runner import run_scenario

from .test_runner_loader import LIBRARY, write_scenario
from .chromium import headless_chromium, needs_chromium
from .test_runner_plugin import FAILING


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """report.html and report.json from a passing sync scenario and a failing one."""
    tmp = tmp_path_factory.mktemp("report")
    results = [run_scenario(load_scenario(LIBRARY / "01-happy-path-us.yaml")),
               run_scenario(load_scenario(write_scenario(tmp / "scenarios", "too-many", FAILING)))]
    assert [r.status for r in results] == ["passed", "failed"]
    return write_reports(results, tmp / "out")


def test_the_html_is_self_contained(report):
    html = report["html"].read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html), "no external resource may be loaded"
    assert "<link" not in html and "<script src" not in html and "@import" not in html
    assert html.count('class="scenario-row"') == 2
    assert "<svg" in html and 'class="limit"' in html


def test_secrets_never_reach_the_reports(report):
    text = report["html"].read_text(encoding="utf-8") + report["json"].read_text(encoding="utf-8")
    assert not re.search(r"\b1000\.[0-9a-f]{32}\.[0-9a-f]{32}\b", text), "a Zoho token in a report"
    assert "client_secret=" not in text and "otp=" not in text.replace("otp=<fp", "")


@needs_chromium
def test_headless_chromium_shows_the_table_and_the_charts(report, tmp_path):
    from selenium.webdriver.common.by import By

    with headless_chromium("1280,1600") as driver:
        driver.get(report["html"].as_uri())
        rows = driver.find_elements(By.CSS_SELECTOR, "#scenarios tr.scenario-row")
        assert len(rows) == 2 and all(r.is_displayed() for r in rows)
        assert "happy-path-us" in rows[0].text and "passed" in rows[0].text
        assert "too-many" in rows[1].text and "12 calls for acme within 60 s" in rows[1].text
        charts = driver.find_elements(By.CSS_SELECTOR, "svg.chart")
        assert charts and charts[0].is_displayed()
        assert charts[0].size["width"] > 300 and charts[0].size["height"] > 100
        bars = charts[0].find_elements(By.CSS_SELECTOR, "rect.bar-calls")
        assert bars and any(b.size["height"] > 0 for b in bars)
        shot = tmp_path / "report.png"
        assert driver.save_screenshot(str(shot))
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
