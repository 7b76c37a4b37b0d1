"""Several real worker processes acting as one Zoho through a shared store (LMDB and Redis):
exact limits under 50 threads, one clock, one demo world, one journal."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from mock_zoho import Emulator
from mock_zoho.serving.ports import free_port
from mock_zoho.storage.lmdb import LmdbStore
from tests.conftest import Target, wait_until_serving
from tests.limits_world import books_get, token_and_org

ROOT = Path(__file__).resolve().parents[1]


# ---- several real processes -------------------------------------------------------------------------
@pytest.fixture(params=["lmdb", pytest.param("redis", marks=pytest.mark.redis)])
def store(request, tmp_path):
    """The store the worker processes share: LMDB in a directory of this test's, or Redis."""
    if request.param == "redis":
        return request.getfixturevalue("redis_store")
    return LmdbStore(str(tmp_path / "lmdb"))


@pytest.fixture
def workers(store):
    port = free_port()
    url = store.url
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "mock_zoho", "serve", "--workers", "4", "--threads", "16",
                             "--store", url, "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    wait_until_serving(proc, base, "serve --workers 4")
    yield Target("server", None, base)  # type: ignore[arg-type]
    proc.terminate()
    proc.wait(timeout=15)


def test_four_workers_exactly_100_per_minute(workers, store):
    token, org_id = token_and_org(workers)
    assert workers.admin("PATCH", f"limits/{org_id}", json={"concurrency": 1000}).status_code == 200
    local = threading.local()
    barrier = threading.Barrier(50)

    def call(_: int) -> int:
        if not hasattr(local, "s"):
            local.s = requests.Session()
            barrier.wait()
        return books_get(workers, token, org_id, session=local.s).status_code

    with ThreadPoolExecutor(50) as pool:
        statuses = list(pool.map(call, range(200)))
    assert statuses.count(200) == 100 and statuses.count(429) == 100
    st = workers.admin("GET", f"limits/{org_id}").json()["limit"]
    assert (st["per_minute"]["used"], st["daily"]["used"], st["concurrency"]["in_flight"]) == (100, 100, 0)
    books = workers.admin("GET", "requests", params={"organization_id": org_id}).json()["requests"]
    assert len(books) == 200  # one journal for every worker
    assert workers.admin("POST", "clock", json={"advance": 61}).status_code == 200
    with ThreadPoolExecutor(50) as pool:
        statuses = list(pool.map(call, range(150)))
    assert statuses.count(200) == 100


def test_four_workers_share_clock_and_seed_once(workers, store):
    nows = []
    r = workers.admin("POST", "clock", json={"advance": 86400})
    target = r.json()["clock"]["now"]
    for _ in range(24):
        s = requests.Session()  # a new connection: any worker may answer
        nows.append(s.get(f"{workers.admin_url}/clock").json()["clock"]["now"])
    assert min(nows) >= target
    demo = [requests.get(f"{workers.admin_url}/demo").json() for _ in range(8)]
    assert all(d == demo[0] for d in demo)
    assert len(store.values("books:orgs")) == len(Emulator(seed=0).store.values("books:orgs"))
