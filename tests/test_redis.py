"""The Redis store: the Store interface, the limiter's Lua step, and several processes acting as one Zoho.

Each test module run starts its own redis-server on a free port in a temp dir (``make test`` installs
the binary); without the binary the tests skip and say why.
"""
from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import pytest

from mock_zoho import Emulator
from mock_zoho.clock import Clock
from mock_zoho.http import BooksAPIError
from tests.store_contract import check_store_interface, check_two_emulators_are_one_zoho
from tests.limits_world import START, FakeRealTime, org

pytestmark = pytest.mark.redis
REDIS = shutil.which("redis-server")
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def store(redis_store):
    return redis_store


def test_store_interface(store):
    check_store_interface(store)
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
    check_two_emulators_are_one_zoho(store)


def test_demo_world_seeded_once_per_store(store):
    first = Emulator(store=store, seed=3)
    orgs = len(store.values("books:orgs"))
    second = Emulator(store=store, seed=3)
    assert len(store.values("books:orgs")) == orgs
    assert second.demo == first.demo
