"""The LMDB store (the shared memory behind ``serve --workers N``): the Store contract, the shared
clock and config, and two emulators on one store acting as one Zoho. The worker-process tests are in
test_workers.py."""
from __future__ import annotations

import threading

import pytest

from mock_zoho.store import MemoryStore
from mock_zoho.store_lmdb import LmdbStore
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
