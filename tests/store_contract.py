"""The Store contract every backend (memory, LMDB, Redis) must keep; the backends' tests call it."""
from __future__ import annotations


def check_store_interface(store) -> None:
    """Documents, namespaces, counters, windows and locks behave the same on every backend."""
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
    generation = store.generation()
    store.write_batch({"ns:a": {"k1": None, "k9": {"x": 9}}, "ns:c": {"k": {"y": 1}}})  # one request's writes
    assert store.get("ns:a", "k1") is None and store.get("ns:a", "k9") == {"x": 9}
    assert store.get("ns:c", "k") == {"y": 1} and "ns:c" in store.namespaces("ns:")
    assert store.generation() != generation or generation == 0  # cached answers see the change


def check_two_emulators_are_one_zoho(store) -> None:
    """Two emulators on one shared store (two processes, in effect) share clock, config, faults and journal."""
    from werkzeug.test import Client

    from mock_zoho import Emulator

    a = Emulator(store=store, demo=False)
    b = Emulator(store=store, demo=False)
    client_b = Client(b.app())
    before = client_b.get("/__admin/clock").json["clock"]["now"]
    a.clock.advance(3600)
    assert client_b.get("/__admin/clock").json["clock"]["now"] >= before + 3600  # synced at the next request
    a.config.update({"limits.per_minute": 7})
    client_b.get("/__admin/health")
    assert b.config["limits.per_minute"] == 7
    rule = a.faults.add({"path": "/books/v3/shared", "action": "internal_error"})
    assert client_b.get("/books/v3/shared").status_code == 500
    assert b.journal.query({"fault": rule["id"]})[0]["path"] == "/books/v3/shared"
    assert len(a.journal) == len(b.journal) >= 1
