"""The Redis store: the Store interface, the limiter's Lua step, and several processes acting as one Zoho.

Each test module run starts its own redis-server on a free port in a temp dir (``make test`` installs
the binary); without the binary the tests skip and say why.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from mock_zoho import Emulator
from mock_zoho.clock import Clock
from mock_zoho.http import BooksAPIError
from mock_zoho.server import free_port
from mock_zoho.store_redis import local_redis_server
from tests.conftest import Target
from tests.limits_world import START, FakeRealTime, books_get, org, token_and_org

pytestmark = pytest.mark.redis
REDIS = shutil.which("redis-server")
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def store(redis_store):
    return redis_store


def test_store_interface(store):
    store.put("ns:a", "k1", {"x": 1, "nested": {"y": [1, 2]}})
    store.put_many("ns:a", {"k2": {"x": 2}, "k3": {"x": 3}})
    assert store.get("ns:a", "k1") == {"x": 1, "nested": {"y": [1, 2]}}
    assert store.get("ns:a", "nope") is None
    assert sorted(store.keys("ns:a")) == ["k1", "k2", "k3"] and store.count("ns:a") == 3
    assert sorted(d["x"] for d in store.values("ns:a")) == [1, 2, 3]
    assert store.take("ns:a", "k2") == {"x": 2} and store.take("ns:a", "k2") is None
    assert store.delete("ns:a", "k3") and not store.delete("ns:a", "k3")
    store.put("ns:b", "k", {})
    assert store.namespaces("ns:") == ["ns:a", "ns:b"]
    store.drop("ns:b")
    assert store.namespaces("ns:") == ["ns:a"]
    assert store.incr("c") == 1 and store.incr("c", 5) == 6 and store.incr("c", -6) == 0
    store.set_counter("c", 41)
    assert store.get_counter("c") == 41 and store.get_counter("none") == 0
    assert store.window_hit("w", 100.0, 60, 3, 2) == (True, 2, 100.0)
    assert store.window_hit("w", 110.0, 60, 3, 2) == (False, 2, 100.0)
    assert store.window_hit("w", 110.0, 60, 3) == (True, 3, 100.0)
    assert store.window_count("w", 160.0, 60) == (1, 110.0)
    store.window_clear("w")
    assert store.window_count("w", 160.0, 60) == (0, None)
    with store.lock("x"):
        pass
    store.r.hset(store.state_key, "clock_v", 1)
    store.clear()
    assert store.count("ns:a") == 0 and store.get_counter("c") == 0
    assert store.r.hget(store.state_key, "clock_v") == b"1"  # the shared clock and config survive a reset


def test_store_lock_is_exclusive(store):
    inside, peak = [0], [0]
    mu = threading.Lock()

    def work() -> None:
        for _ in range(5):
            with store.lock("exclusive"):
                with mu:
                    inside[0] += 1
                    peak[0] = max(peak[0], inside[0])
                time.sleep(0.001)
                with mu:
                    inside[0] -= 1

    ts = [threading.Thread(target=work) for _ in range(8)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert peak[0] == 1


def frozen(store, **config):
    real = FakeRealTime()
    return Emulator(config, store=store, clock=Clock(start=START, scale=1.0, real=real), demo=False), real


def test_lua_limiter_exact_under_threads(store):
    emu, _ = frozen(store)
    o = org()
    emu.limits.set_overrides(o["organization_id"], {"concurrency": 1000})  # per minute alone decides
    codes: list[int] = []
    mu = threading.Lock()
    barrier = threading.Barrier(50)

    def work() -> None:
        barrier.wait()
        for _ in range(4):
            try:
                emu.limits.admit(o).release()
                code = 0
            except BooksAPIError as exc:
                code = exc.code
            with mu:
                codes.append(code)

    ts = [threading.Thread(target=work) for _ in range(50)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert codes.count(0) == 100 and codes.count(44) == 100
    st = emu.limits.status(o["organization_id"])
    assert (st["per_minute"]["used"], st["daily"]["used"], st["concurrency"]["in_flight"]) == (100, 100, 0)
    emu.clock.advance(61)
    emu.limits.admit(o).release()


def test_lua_limiter_matches_the_memory_engine(store):
    """The same script of calls gives the same answers and headers on both engines."""
    from tests.limits_world import frozen_emulator

    cfg = {"limits.per_minute_block_s": 30, "books.retry_after": True, "limits.concurrency_soft_extra": 1}
    mem, _ = frozen_emulator(**cfg)
    red, _ = frozen(store, **cfg)
    o = org(plan="free")
    for emu in (mem, red):
        emu.limits.set_overrides(o["organization_id"], {"per_minute": 4, "daily": 9, "concurrency": 1})
    seen = {}
    for name, emu in (("memory", mem), ("redis", red)):
        out = []
        held = []
        for step in range(30):
            try:
                a = emu.limits.admit(o)
                held.append(a)
                out.append((0, a.headers))
            except BooksAPIError as exc:
                out.append((exc.code, exc.headers))
            if step % 3 == 2:
                emu.clock.advance(20)
                while held:
                    held.pop().release()
        seen[name] = out
    assert seen["memory"] == seen["redis"]
    assert {c for c, _ in seen["redis"]} == {0, 44, 45, 1070}


def test_two_emulators_on_one_store_are_one_zoho(store):
    a = Emulator(store=store, demo=False)
    b = Emulator(store=store, demo=False)
    app_b = b.app()
    from werkzeug.test import Client

    client_b = Client(app_b)
    before = client_b.get("/__admin/clock").json["now"]
    a.clock.advance(3600)
    assert client_b.get("/__admin/clock").json["now"] >= before + 3600  # synced at the next request
    a.config.update({"limits.per_minute": 7})
    client_b.get("/__admin/health")
    assert b.config["limits.per_minute"] == 7
    rule = a.faults.add({"path": "/books/v3/shared", "action": "internal_error"})
    assert client_b.get("/books/v3/shared").status_code == 500
    assert b.journal.query({"fault": rule["id"]})[0]["path"] == "/books/v3/shared"
    assert len(a.journal) == len(b.journal) >= 1


def test_demo_world_seeded_once_per_store(store):
    first = Emulator(store=store, seed=3)
    orgs = len(store.values("books:orgs"))
    second = Emulator(store=store, seed=3)
    assert len(store.values("books:orgs")) == orgs
    assert second.demo == first.demo


# ---- several real processes -------------------------------------------------------------------------
@pytest.fixture
def workers(store):
    port = free_port()
    url = store.url
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "mock_zoho", "serve", "--workers", "4", "--threads", "16",
                             "--store", url, "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if requests.get(f"{base}/__admin/health", timeout=1).status_code == 200:
                break
        except requests.exceptions.ConnectionError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"serve --workers 4 did not start: {proc.stderr.read().decode()[-2000:]}")
        time.sleep(0.05)
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
    st = workers.admin("GET", f"limits/{org_id}").json()["limits"]
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
    target = r.json()["now"]
    for _ in range(24):
        s = requests.Session()  # a new connection: any worker may answer
        nows.append(s.get(f"{workers.admin_url}/clock").json()["now"])
    assert min(nows) >= target
    demo = [requests.get(f"{workers.admin_url}/demo").json() for _ in range(8)]
    assert all(d == demo[0] for d in demo)
    assert len(store.values("books:orgs")) == len(Emulator(seed=0).store.values("books:orgs"))
