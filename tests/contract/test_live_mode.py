"""The live half, proved without the real Zoho: the contract suite run in a child pytest with "live"
credentials that point at an emulator on a free port (ZOHO_ACCOUNTS_SERVER), exactly as it would run
against accounts.zoho.com. Also: recording writes shapes without secrets, the call budget stops the
run, and a snapshot changed by hand fails the real comparison test, naming the field."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator

import pytest

from mock_zoho import Emulator, testing

from .shapes import SNAPSHOT_DIR
from .targets import EMULATOR_COUNTS

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def fake_zoho() -> Iterator[dict[str, Any]]:
    """An emulator on a free port and the credentials a developer would export for the real Zoho."""
    with testing.server(Emulator(demo=False, seed=77)) as zoho:
        user = zoho.admin.create_user("live@example.com", dc="eu")
        zoho.admin.create_org("Live Ltd", users=[user], edition="uk", counts=EMULATOR_COUNTS)
        grant = zoho.token(user)
        yield {"ZOHO_CLIENT_ID": grant.client["client_id"], "ZOHO_CLIENT_SECRET": grant.client["client_secret"],
               "ZOHO_REFRESH_TOKEN": grant.refresh_token, "ZOHO_ACCOUNTS_SERVER": zoho.accounts_url("eu")}


def _pytest(args: list[str], env_extra: dict[str, str]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZOHO_", "PYTEST_XDIST", "PYTEST_CURRENT"))}
    env.update(env_extra, PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")  # one process, and a quick start
    cmd = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "pytest_timeout", "-q", "-rs",
           "--ignore", str(HERE / "test_live_mode.py"), *args]
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def _copy_snapshots(to: Path) -> None:
    for f in SNAPSHOT_DIR.glob("*.json"):
        shutil.copy(f, to / f.name)


def test_live_half_runs_records_shapes_and_never_secrets(fake_zoho, tmp_path):
    _copy_snapshots(tmp_path)
    out = _pytest(["tests/contract", "-k", "live", "--record-contract"],
                  {**fake_zoho, "ZOHO_CONTRACT_SNAPSHOTS": str(tmp_path)})
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    assert " skipped" not in out.stdout.splitlines()[-1], out.stdout[-2000:]
    spent = [line for line in out.stdout.splitlines() if line.startswith("contract calls:")]
    assert spent and "live" in spent[0], out.stdout[-1000:]
    used = int(spent[0].split("live ")[1].split("/")[0])
    assert 10 < used <= 60
    files = sorted(tmp_path.glob("*.json"))
    assert {f.name for f in files} == {f.name for f in SNAPSHOT_DIR.glob("*.json")}
    assert all(json.loads(f.read_text())["source"].startswith("live Zoho (127.0.0.1:") for f in files)
    text = "".join(f.read_text() for f in files)
    for secret in (fake_zoho["ZOHO_CLIENT_SECRET"], fake_zoho["ZOHO_REFRESH_TOKEN"], "1000."):
        assert secret not in text
    doc = json.loads((tmp_path / "invoices_list.json").read_text())
    assert doc["source"].startswith("live Zoho (127.0.0.1:") and "X-Rate-Limit-Remaining" in doc["headers"]
    assert doc["shape"]["invoices"][0]["total"] == "number"


def test_the_call_budget_stops_the_live_run(fake_zoho):
    out = _pytest(["tests/contract/test_envelopes.py", "-k", "live"], {**fake_zoho, "ZOHO_CONTRACT_BUDGET": "5"})
    assert out.returncode != 0
    assert "contract call budget of 5 calls spent" in out.stdout + out.stderr, out.stdout[-2000:]


def test_a_snapshot_changed_by_hand_fails_the_snapshot_test_naming_the_field(tmp_path):
    _copy_snapshots(tmp_path)
    doc = json.loads((tmp_path / "invoices_list.json").read_text())
    doc["shape"]["invoices"][0]["total"] = "string"
    (tmp_path / "invoices_list.json").write_text(json.dumps(doc))
    out = _pytest(["tests/contract/test_snapshots.py", "-k", "emulator"], {"ZOHO_CONTRACT_SNAPSHOTS": str(tmp_path)})
    assert out.returncode == 1, out.stdout[-2000:]
    assert "1 failed" in out.stdout and "test_answer_matches_snapshot[emulator-invoices_list]" in out.stdout
    assert "invoices[].total: documented as string, answered number" in out.stdout
