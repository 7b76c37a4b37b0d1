"""The LMDB store (the shared memory behind ``serve --workers N``): the Store contract, the shared
clock and config, and two emulators on one store acting as one Zoho. The worker-process tests are in
test_workers.py."""
from __future__ import annotations

import threading
from pathlib import Path

import pytest

from mock_zoho.storage import MemoryStore
from mock_zoho.storage.lmdb import LmdbStore
from tests.store_contract import check_store_interface, check_two_emulators_are_one_zoho


@pytest.fixture
def store(tmp_path):
    return LmdbStore(str(tmp_path / "lmdb"))


def test_memory_and_lmdb_keep_the_store_contract(store):
    check_store_interface(MemoryStore())
    check_store_interface(store)
    store.state_init({"clock_v": 3})
    store.clear()
    assert store.count("ns:a") == 0 and store.get_counter("c") == 0
    assert store.state_get("clock_v") == [b"3"]  # the shared clock and config survive a reset


def test_values_follow_writes_made_through_another_handle(store, tmp_path):
    store.put("ns", "a", {"v": 1})
    assert [d["v"] for d in store.values("ns")] == [1]
    other = LmdbStore(store.path)  # same process: shares the one environment, as LMDB requires
    other.put("ns", "a", {"v": 2})
    assert [d["v"] for d in store.values("ns")] == [2]


def test_locks_are_one_writer_at_a_time_and_reentrant(store):
    inside, peak = [0], [0]

    def work() -> None:
        for _ in range(20):
            with store.lock("a"):
                with store.lock("b"):  # nested: the same transaction
                    inside[0] += 1
                    peak[0] = max(peak[0], inside[0])
                    store.incr("n")
                    inside[0] -= 1

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert peak[0] == 1 and store.get_counter("n") == 160


def test_a_failed_step_under_a_lock_writes_nothing(store):
    with pytest.raises(RuntimeError):
        with store.lock("x"):
            store.put("ns", "half", {"done": False})
            raise RuntimeError("boom")
    assert store.get("ns", "half") is None


def test_two_emulators_on_one_store_are_one_zoho(store):
    check_two_emulators_are_one_zoho(store)


# ---- the hot file: counters, windows and the journal updated in place ---------------------------------
def test_tables_full_keep_the_contract_through_lmdb(tmp_path):
    """With no room left in the hot file, counters and windows live in LMDB and behave the same."""
    tiny = LmdbStore(str(tmp_path / "tiny"), counter_slots=1, window_slots=1)
    tiny.incr("first")
    tiny.window_hit("first-window", 1.0, 60, 10)
    check_store_interface(tiny)  # every other key finds its table full
    assert tiny.get_counter("first") == 1 and tiny.window_count("first-window", 2.0, 60) == (1, 1.0)
    assert tiny.get_counter("c") == 41 and tiny.window_count("w", 100.0, 60) == (0, None)
    tiny.incr("k" * 200)  # a key too long for a slot goes to LMDB too
    assert tiny.get_counter("k" * 200) == 1
    tiny.clear()  # frees both places
    assert tiny.get_counter("first") == 0 and tiny.get_counter("k" * 200) == 0 and tiny.incr("c") == 1


def test_a_window_is_exact_to_the_call_while_its_ring_holds_every_instant(tmp_path):
    store = LmdbStore(str(tmp_path / "ring"), ring=4)
    for t in (10.0, 10.0, 20.0, 30.0, 40.0):  # four instants: one bucket each
        assert store.window_hit("w", t, 60, 100)[0]
    assert store.window_count("w", 70.0, 60) == (3, 20.0)  # the two calls at 10.0 left exactly at 70.0
    assert store.window_count("w", 80.0, 60) == (2, 30.0)
    store.window_hit("w", 85.0, 60, 100)  # 30, 40, 85: room again
    store.window_hit("w", 86.0, 60, 100)  # 30, 40, 85, 86: full
    store.window_hit("w", 87.0, 60, 100)  # a fifth instant joins the newest bucket (86 -> 87)
    assert store.window_count("w", 89.0, 60) == (5, 30.0)
    assert store.window_count("w", 146.5, 60) == (2, 87.0)  # the call at 86.0 is counted until 147.0:
    assert store.window_count("w", 147.0, 60) == (0, None)  # longer than its window, never shorter


def test_the_limiter_is_exact_with_a_ring_smaller_than_the_limit(tmp_path):
    """Limits raised past the ring: calls are counted longer, so never more than the limit gets in."""
    from bisect import bisect_left

    store = LmdbStore(str(tmp_path / "small-ring"), ring=8)
    admitted = [t for t in range(0, 2400) if store.window_hit("w", t / 10, 60, 30)[0]]  # tenths of a second
    assert len(admitted) >= 3 * 30  # conservative, not starved
    for start in admitted:  # any rolling minute starting at an admitted call
        assert bisect_left(admitted, start + 600) - bisect_left(admitted, start) <= 30


def test_the_journal_ring_drops_the_oldest_and_counts_them(tmp_path):
    from mock_zoho.storage.lmdb import LmdbJournal

    store = LmdbStore(str(tmp_path / "journal"), journal_bytes=4096)
    journal = LmdbJournal(store, max_entries=1000)
    ids = [journal.record({"path": f"/p/{i}", "pad": "x" * (50 + i % 7 * 40)}) for i in range(300)]
    assert ids == list(range(1, 301))
    kept = journal.query()
    assert [e["id"] for e in kept] == ids[-len(kept):] and 10 < len(kept) < 300  # the newest, in order
    assert all(e["path"] == f"/p/{e['id'] - 1}" for e in kept)
    assert journal.dropped == 300 - len(kept)
    journal.resize(5)
    journal.record({"path": "/after"})
    assert [e["path"] for e in journal.query()][-1] == "/after" and len(journal) == 5
    big = journal.record({"pad": "y" * 5000})  # larger than the whole ring: counted as dropped
    assert big == 302 and journal.query()[-1]["path"] == "/after"
    dropped = journal.dropped
    journal.clear()
    assert len(journal) == 0 and journal.dropped == 0 and dropped > 0
    assert journal.record({"path": "/again"}) == 303  # ids only grow


@pytest.mark.parametrize("slots", [{}, {"counter_slots": 1, "window_slots": 1}], ids=["hot", "tables-full"])
def test_fifty_threads_get_exactly_the_limit_on_either_path(tmp_path, slots):
    """The limiter's step on the hot file, and (no room there) the generic step through LMDB."""
    from mock_zoho import Emulator
    from mock_zoho.clock import Clock
    from tests.limits_world import START, FakeRealTime, org
    from tests.test_limits import hammer

    store = LmdbStore(str(tmp_path / "lim"), **slots)
    store.incr("taken")  # with one slot per table, the org's counters find no room
    store.window_hit("taken", START, 60, 10)
    real = FakeRealTime()
    emu = Emulator(store=store, demo=False, clock=Clock(start=START, real=real))
    o = org()
    emu.limits.set_overrides(o["organization_id"], {"concurrency": 1000})
    assert hammer(emu, o).count(0) == 100
    status = emu.limits.status(o["organization_id"])
    assert (status["per_minute"]["used"], status["daily"]["used"], status["concurrency"]["in_flight"]) == (100, 100, 0)
    emu.clock.advance(61)
    assert hammer(emu, o, threads=10, each=11).count(0) == 100


def test_a_process_that_dies_holding_the_hot_lock_does_not_stop_the_others(tmp_path, monkeypatch):
    import subprocess
    import sys

    from mock_zoho.storage import hot as store_hot

    store = LmdbStore(str(tmp_path / "dead"))
    root = str(Path(__file__).resolve().parents[1])
    code = ("import os, sys; sys.path.insert(0, sys.argv[2]); from mock_zoho.storage.lmdb import LmdbStore; "
            "LmdbStore(sys.argv[1]).hot.lock.__enter__(); os._exit(0)")
    subprocess.run([sys.executable, "-c", code, store.path, root], check=True, timeout=60)
    monkeypatch.setattr(store_hot, "LOCK_PATIENCE_S", 0.05)
    assert store.incr("after") == 1  # waited, found the holder gone, took the lock over
    assert store.incr("after") == 2
