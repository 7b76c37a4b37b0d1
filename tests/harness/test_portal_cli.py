"""``python -m harness.portal serve``: --help, a bad setting named, and a real process that answers."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import requests
from click.testing import CliRunner

from harness.portal.__main__ import main

ROOT = Path(__file__).resolve().parents[2]


def test_help_lists_every_option():
    out = CliRunner().invoke(main, ["serve", "--help"]).output
    for option in ("--host", "--port", "--zoho", "--db", "--public-url", "--set"):
        assert option in out
    assert "Usage" in CliRunner().invoke(main, ["--help"]).output


def test_a_bad_setting_is_named():
    result = CliRunner().invoke(main, ["serve", "--db", ":memory:", "--set", "link.org_selection=random"])
    assert result.exit_code == 2 and "link.org_selection" in result.output and "must be one of" in result.output
    result = CliRunner().invoke(main, ["serve", "--db", ":memory:", "--set", "novalue"])
    assert result.exit_code == 2 and "KEY=VALUE" in result.output


def test_serve_runs_against_an_emulator_url(tmp_path):
    db = tmp_path / "portal.sqlite3"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "harness.portal", "serve", "--port", "0", "--db", str(db),
                             "--zoho", "http://127.0.0.1:9", "--set", "link.otp_ttl_s=60"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path)
    try:
        first = proc.stdout.readline()  # blocks until the server has bound its port
        assert first.startswith("portal serving at http://127.0.0.1:"), first + proc.stderr.read()
        url = first.split()[3]
        health = requests.get(f"{url}/api/health", timeout=10).json()
        assert health["zoho"] == "http://127.0.0.1:9" and health["redirect_uri"] == f"{url}/oauth/callback"
        assert requests.get(f"{url}/api/settings", timeout=10).json()["settings"]["link.otp_ttl_s"] == 60
        assert db.exists() and oct(db.stat().st_mode & 0o777) == "0o600"
    finally:
        proc.terminate()
        proc.wait(timeout=15)
        proc.stdout.close()
        proc.stderr.close()
