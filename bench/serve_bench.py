"""Serving throughput: the emulator (token check, limits and journal on) against WireMock serving the
same bytes as static stubs, with ``wrk -t1 -c16 -d10s --latency``; plus readiness time.

Prints figures, asserts nothing. ``python -m bench.serve_bench [--duration 10] [--workers 2]``.
Needs ``wrk`` (``apt-get install wrk``), ``redis-server`` (for more than one worker) and, for the
WireMock side, ``npm install wiremock`` into ``.bench/`` (done here when npm is present; Java 17+).
"""
from __future__ import annotations

import argparse
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests

from bench.limits_bench import redis_server
from mock_zoho.serving.ports import free_port

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / ".bench"
HIGH = 10**9


def wait_ready(url: str, proc: subprocess.Popen, timeout: float = 60.0) -> float | None:
    """Seconds until ``url`` answers 200 (None if the process died or timed out)."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        if proc.poll() is not None:
            return None
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return time.perf_counter() - t0
        except requests.exceptions.RequestException:
            pass
        time.sleep(0.01)
    return None


def start_emulator(workers: int | None, store: str, demo: bool = False, server: str = "auto",
                   threads: int | None = None) -> tuple[subprocess.Popen, str, float | None]:
    port = free_port()
    cmd = [sys.executable, "-m", "mock_zoho", "serve", "--port", str(port), "--store", store, "--server", server]
    if threads:
        cmd += ["--threads", str(threads)]
    if not demo:
        cmd.append("--no-demo")
    if workers:
        cmd += ["--workers", str(workers)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    base = f"http://127.0.0.1:{port}"
    ready = wait_ready(f"{base}/__admin/health", proc)
    return proc, base, (None if ready is None else time.perf_counter() - t0)


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


def build_world(base: str) -> dict[str, Any]:
    """A user, a token, an org with 200 invoices and its limits raised so nothing is rejected."""
    s = requests.Session()
    user = s.post(f"{base}/__admin/users", json={"email": "bench@example.com", "dc": "us"}).json()["user"]
    client = s.post(f"{base}/__admin/clients", json={"client_type": "self", "user_id": user["user_id"], "home_dc": "us",
                                                     "client_name": "bench"}).json()["client"]
    code = s.post(f"{base}/__admin/clients/{client['client_id']}/self-client-code",
                  json={"scopes": ["ZohoBooks.fullaccess.all"]}).json()["code"]
    token = s.post(f"{base}/dc/us/oauth/v2/token", data={"grant_type": "authorization_code", "client_id": client["client_id"],
                                                         "client_secret": client["client_secret"], "code": code}).json()["access_token"]
    r = s.post(f"{base}/__admin/organizations", json={"name": "Bench", "edition": "us", "plan": "ultimate",
                                                      "user_ids": [user["user_id"]], "counts": {"invoices": 200}})
    org_id = r.json()["organization"]["organization_id"]
    s.patch(f"{base}/__admin/limits/{org_id}", json={"per_minute": HIGH, "daily": HIGH, "concurrency": HIGH})
    auth = {"Authorization": f"Zoho-oauthtoken {token}"}
    listing = s.get(f"{base}/dc/us/books/v3/invoices", params={"organization_id": org_id}, headers=auth)
    invoices = listing.json().get("invoices", [])
    one = invoices[0]["invoice_id"] if invoices else "0"
    detail = s.get(f"{base}/dc/us/books/v3/invoices/{one}", params={"organization_id": org_id}, headers=auth)
    return {"token": token, "org_id": org_id, "auth": auth, "n_invoices": len(invoices),
            "paths": {"list": f"/dc/us/books/v3/invoices?organization_id={org_id}",
                      "single": f"/dc/us/books/v3/invoices/{one}?organization_id={org_id}"},
            "bodies": {"list": listing.content, "single": detail.content},
            "content_type": listing.headers.get("Content-Type", "application/json")}


def wrk(url: str, duration: int, header: str | None = None) -> dict[str, Any]:
    cmd = ["wrk", "-t1", "-c16", f"-d{duration}s", "--latency"]
    if header:
        cmd += ["-H", header]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, timeout=duration + 60).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    p99_ms = None
    if p99:
        p99_ms = float(p99.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    return {"rps": float(rps.group(1)) if rps else 0.0, "p99_ms": p99_ms, "non2xx": int(non2xx.group(1)) if non2xx else 0}


def wiremock_jar() -> Path | None:
    found = sorted((BENCH_DIR / "node_modules" / "wiremock" / "build").glob("*.jar"))
    if found:
        return found[0]
    if shutil.which("npm") is None:
        return None
    BENCH_DIR.mkdir(exist_ok=True)
    subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent", "wiremock"], cwd=BENCH_DIR,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600)
    found = sorted((BENCH_DIR / "node_modules" / "wiremock" / "build").glob("*.jar"))
    return found[0] if found else None


def start_wiremock(world: dict[str, Any], root: Path) -> tuple[subprocess.Popen, str] | None:
    jar = wiremock_jar()
    if jar is None or shutil.which("java") is None:
        return None
    (root / "mappings").mkdir(parents=True)
    (root / "__files").mkdir()
    for name, path in world["paths"].items():
        p, _, q = path.partition("?")
        stub = {"request": {"method": "GET", "urlPath": p, "queryParameters": {"organization_id": {"equalTo": world["org_id"]}}},
                "response": {"status": 200, "base64Body": base64.b64encode(world["bodies"][name]).decode(),
                             "headers": {"Content-Type": world["content_type"]}}}
        (root / "mappings" / f"{name}.json").write_text(json.dumps(stub))
    port = free_port()
    proc = subprocess.Popen(["java", "-jar", str(jar), "--port", str(port), "--root-dir", str(root),
                             "--disable-request-logging", "--no-request-journal", "--async-response-enabled", "false"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    if wait_ready(f"{base}/__admin/mappings", proc, timeout=60) is None:
        stop(proc)
        return None
    return proc, base


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="bench.serve_bench")
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args(argv or [])
    if shutil.which("wrk") is None:
        print("serve bench: skipped (no wrk; apt-get install wrk)")
        return 0
    with redis_server() as redis_url:
        # readiness
        proc, base, ready = start_emulator(None, "memory", demo=True)
        print(f"readiness: serve (granian, 1 process, memory, demo world)      {ready:.2f} s" if ready else "readiness: failed")
        stop(proc)
        proc, base, ready = start_emulator(args.workers, "auto", demo=True)
        print(f"readiness: serve --workers {args.workers} (shared memory, demo world)  {ready:.2f} s" if ready else "readiness: failed")
        stop(proc)
        if redis_url:
            proc, base, ready = start_emulator(args.workers, redis_url, demo=True)
            print(f"readiness: serve --workers {args.workers} --store redis (demo world) {ready:.2f} s" if ready else "readiness: failed")
            stop(proc)
        n = args.workers
        setups = [("serve (default: granian, 1 process)", None, "memory", "auto", None),
                  ("serve --server werkzeug (1 process)", None, "memory", "werkzeug", None),
                  (f"serve --workers {n} (granian, shared mem)", n, "auto", "auto", None),
                  (f"serve --workers {n} --threads 1", n, "auto", "auto", 1),
                  (f"serve --workers {n} --server gunicorn", n, "auto", "gunicorn", None)]
        if redis_url:
            setups.append((f"serve --workers {n} --store redis", n, redis_url, "auto", None))
        results: dict[str, dict[str, Any]] = {}
        world: dict[str, Any] | None = None
        for label, workers, store, server, threads in setups:
            if store.startswith("redis"):
                import redis

                redis.Redis.from_url(store).flushdb()
            proc, base, _ = start_emulator(workers, store, server=server, threads=threads)
            try:
                world = build_world(base)
                header = f"Authorization: {world['auth']['Authorization']}"
                for name in ("list", "single"):
                    results[f"{label} | {name}"] = wrk(base + world["paths"][name], args.duration, header)
            finally:
                stop(proc)
        assert world is not None
        print(f"bodies: list page {len(world['bodies']['list'])} bytes ({world['n_invoices']} invoices), "
              f"single invoice {len(world['bodies']['single'])} bytes")
        with tempfile.TemporaryDirectory() as tmp:
            wm = start_wiremock(world, Path(tmp) / "wm")
            if wm is None:
                print("wiremock: skipped (needs java and `npm install wiremock` in .bench/)")
            else:
                wm_proc, wm_base = wm
                try:
                    for name in ("list", "single"):
                        wrk(wm_base + world["paths"][name], 2)  # JIT warm-up
                        results[f"WireMock | {name}"] = wrk(wm_base + world["paths"][name], args.duration)
                finally:
                    stop(wm_proc)
    print(f"\nwrk -t1 -c16 -d{args.duration}s --latency (token check, limits and journal on; limits raised)")
    print(f"{'server':40} {'body':7} {'req/s':>9} {'p99 ms':>8} {'non-2xx':>8} {'vs WireMock':>12}")
    for key, r in results.items():
        label, name = key.split(" | ")
        wm = results.get(f"WireMock | {name}")
        ratio = f"{r['rps'] / wm['rps']:.2f}x" if wm and wm["rps"] else "-"
        p99 = f"{r['p99_ms']:.1f}" if r["p99_ms"] is not None else "-"
        print(f"{label:40} {name:7} {r['rps']:9.0f} {p99:>8} {r['non2xx']:8d} {ratio:>12}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
