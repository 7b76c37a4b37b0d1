"""The README's settings table is generated from the code; this keeps them in step."""
from __future__ import annotations

from pathlib import Path

from mock_zoho.cli import settings_markdown

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_opens_with_the_two_commands():
    head = "\n".join(README.read_text(encoding="utf-8").splitlines()[:10])
    assert "make run" in head and "make test" in head


def test_readme_settings_table_matches_config_defaults():
    text = README.read_text(encoding="utf-8")
    block = text.split("<!-- settings:start -->")[1].split("<!-- settings:end -->")[0].strip()
    assert block == settings_markdown().strip(), "run: python -m mock_zoho config-table, paste between the markers"
