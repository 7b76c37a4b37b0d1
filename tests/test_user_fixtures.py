"""The pytest fixtures a user's own suite gets by installing the package: the README's example
test passes in both modes and under xdist, and an unserved Zoho host fails with its name."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"

UNSERVED = '''
import pytest, requests

def test_calls_a_zoho_host_the_emulator_does_not_serve(zoho):
    requests.get("https://desk.zoho.com/api/v1/tickets")
'''

MARKED = '''
import pytest, requests

@pytest.mark.zoho(mode="server", dc="eu", edition="uk", plan="free", counts={"invoices": 2})
def test_marker_sets_mode_and_world(zoho, zoho_connection, zoho_clock, zoho_faults):
    assert zoho.mode == "server" and zoho_connection.api_domain == zoho.api_url("eu")
    zoho_faults.add("rate_limit", path="/books/v3/invoices", count=1)
    url = f"{zoho_connection.books_url}/invoices"
    params = {"organization_id": zoho_connection.organization_id}
    assert requests.get(url, params=params, headers=zoho_connection.headers).status_code == 429
    assert len(requests.get(url, params=params, headers=zoho_connection.headers).json()["invoices"]) == 2
    zoho_clock.advance(3601)
    assert requests.get(url, params=params, headers=zoho_connection.headers).status_code == 401
    assert len(zoho_faults.fired()) == 1
'''


def readme_user_test() -> str:
    section = README.read_text(encoding="utf-8").split("### In your own pytest suite", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, "the README's pytest section has no python example"
    return match.group(1)


def run_pytest(tmp_path: Path, source: str, *args: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_user.py").write_text(source, encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path), *args],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("args", [("--zoho-mode", "inprocess"), ("--zoho-mode", "server"), ("-n", "4")],
                         ids=["inprocess", "server", "xdist"])
def test_readme_user_test_passes(tmp_path, args):
    source = readme_user_test()
    assert len(source.strip().splitlines()) < 15, "the README promises a complete user test in under 15 lines"
    many = source + "\n" + "\n".join(f"test_copy_{i} = test_my_sync_reads_invoices" for i in range(4))
    done = run_pytest(tmp_path, many, *args)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "5 passed" in done.stdout


def test_marker_picks_mode_and_world(tmp_path):
    done = run_pytest(tmp_path, MARKED)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]


def test_unserved_zoho_host_is_named(tmp_path):
    done = run_pytest(tmp_path, UNSERVED)
    assert done.returncode == 1
    assert "desk.zoho.com is a Zoho host the emulator does not serve" in done.stdout


def test_unknown_marker_setting_is_refused(tmp_path):
    done = run_pytest(tmp_path, "import pytest\n\n@pytest.mark.zoho(edtion='uk')\ndef test_x(zoho_org):\n    pass\n")
    assert done.returncode != 0 and "unknown setting 'edtion'" in done.stdout
