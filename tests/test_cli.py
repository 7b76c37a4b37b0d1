"""The CLI users start the emulator with: --help everywhere, a banner with URLs, bad options named."""
from __future__ import annotations

import re
import subprocess
import sys

import requests


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mock_zoho", *args], capture_output=True, text=True, timeout=60)


def test_help_on_every_command():
    top = run_cli("--help")
    assert top.returncode == 0 and "serve" in top.stdout
    serve = run_cli("serve", "--help")
    assert serve.returncode == 0 and "--port" in serve.stdout and "--seed" in serve.stdout


def test_bad_option_is_named_without_traceback(tmp_path):
    bad = run_cli("serve", "--time-scale", "-3")
    assert bad.returncode != 0 and "--time-scale" in bad.stderr and "Traceback" not in bad.stderr
    cfg = tmp_path / "c.yaml"
    cfg.write_text("oauth:\n  auth_code_ttl_s: soon\n")
    bad = run_cli("serve", "--config", str(cfg))
    assert bad.returncode != 0 and "oauth.auth_code_ttl_s" in bad.stderr and "Traceback" not in bad.stderr


def test_serve_prints_urls_and_answers(tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "mock_zoho", "serve", "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = proc.stdout.readline()
        match = re.search(r"at (http://127\.0\.0\.1:\d+)", first)
        assert match, first
        base = match.group(1)
        assert requests.get(f"{base}/__admin/health", timeout=10).json()["status"] == "ok"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_server_log_never_shows_secrets():
    proc = subprocess.Popen([sys.executable, "-m", "mock_zoho", "serve", "--port", "0", "--no-demo"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        base = re.search(r"at (http://127\.0\.0\.1:\d+)", proc.stdout.readline()).group(1)
        secret = "0123456789abcdef0123456789abcdef0123456789"
        requests.post(f"{base}/oauth/v2/token?client_secret={secret}&refresh_token=1000.aa.bb&grant_type=refresh_token",
                      timeout=10)
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert "/oauth/v2/token" in err
    assert secret not in err and "1000.aa.bb" not in err
