"""An LMDB-backed ``Store``: the worker processes of ``serve --workers N`` on one machine act as one
Zoho with no server in between.

LMDB is a B-tree in a memory-mapped file (here in ``/dev/shm``, so in memory): every process maps
the same pages, reads take no lock and no system call, and a write transaction commits atomically
for all processes (Redis costs a network round trip per call).

Layout, three named databases:

* ``docs``: ``<ns>\\0<key>`` -> orjson document;
* ``meta``: namespace versions ``v\\0<ns>``, the set of namespaces ``n\\0<ns>``, the shared state
  ``s\\0<name>`` (clock, config, their versions and ``gen``, the data generation replayed answers
  are stamped with), and counters ``c\\0<key>`` / window sizes ``w\\0<key>`` that found no room in
  the hot file;
* ``wins``: sliding-window events ``<key>\\0<time as big-endian double><seq>`` of such windows
  (virtual times are positive epochs, so byte order is time order).

Counters, sliding windows, the request journal and a copy of the versions, which every Books call
reads or moves, live in ``hot.shm`` beside the LMDB files (``mock_zoho.storage.hot``), changed in place
under its own cross-process lock: no page copies and no LMDB call on the hot path.

Locks: every ``store.lock(name)`` is the one write transaction (re-entrant per thread), which also
holds the hot file's lock (taken second), so a checked-then-committed step (the limiter's generic
step, a Books write) is atomic across processes and locks can never deadlock. An LMDB environment
must not cross ``fork()``: each process opens its own handle on first use (gunicorn forks, granian
spawns).
"""
from __future__ import annotations

import os
import struct
import sys
import threading
from typing import Any, Callable, Mapping

import lmdb
import orjson

from ..journal import Journal, filter_entries, newest_matching
from ..limits.engine import ADMITTED, ORGS_NS, Outcome, Policy
from .base import Doc, Store
from .hot import HotState
from .shared import SharedState

SEP = b"\0"
MAP_SIZE = 16 << 30  # address space only: pages exist once written
_ENVS: dict[tuple[int, str], lmdb.Environment] = {}
_ENVS_LOCK = threading.Lock()
_EPOCH = [0]  # moves when handles are closed before a fork: stores reopen on next use
HOT_FILE = "hot.shm"
PENDING_ENTRY = b"s\0journal_pending"  # the journal entry of the last write committed (meta db)
_PENDING = struct.Struct("<QI")  # its id, the journal's max_entries; then the entry


def _close_before_fork() -> None:
    """LMDB handles must not cross fork(), and py-lmdb refuses a second open of a path in one
    process: close them all before forking (gunicorn's preloading master); both sides reopen."""
    with _ENVS_LOCK:
        for env in _ENVS.values():
            env.close()
        _ENVS.clear()
        _EPOCH[0] += 1


def _reopen_after_fork() -> None:
    _EPOCH[0] += 1


os.register_at_fork(before=_close_before_fork, after_in_child=_reopen_after_fork)


def _env(path: str) -> lmdb.Environment:
    """This process's one handle on ``path`` (LMDB forbids two in a process, and any across fork)."""
    key = (os.getpid(), path)
    with _ENVS_LOCK:
        env = _ENVS.get(key)
        if env is None:
            os.makedirs(path, exist_ok=True)
            env = lmdb.open(path, map_size=MAP_SIZE, max_dbs=4, writemap=True, sync=False, metasync=False,
                            max_readers=4096, readahead=False)
            _ENVS[key] = env
        return env


_HOTS: dict[tuple[int, str], HotState] = {}  # a map survives fork; each process keeps its own


def _hot(path: str, env: lmdb.Environment, meta: Any, sizes: Mapping[str, int],
         on_takeover: Callable[[HotState], None] | None = None) -> HotState:
    """This process's map of the store's hot file, created by whichever process gets the lock first.
    ``on_takeover`` runs whenever this process takes the lock over from a dead one."""
    key = (os.getpid(), path)
    with _ENVS_LOCK:
        hot = _HOTS.get(key)
    if hot is None:
        with env.begin(write=True) as txn:  # LMDB's lock: one process creates the file
            hot = HotState(os.path.join(path, HOT_FILE), **sizes)
            if on_takeover is not None:
                hot.lock.on_takeover = lambda: on_takeover(hot)
            with hot.lock:
                if hot.fresh:
                    hot.set_stamp(*_versions(txn, meta))
                hot.reap()  # a process that died holding slots is likely the one this one replaces
        with _ENVS_LOCK:
            hot = _HOTS.setdefault(key, hot)
    return hot


def _versions(txn: lmdb.Transaction, meta: Any) -> tuple[int, int, int]:
    """The clock, config and data versions as LMDB has them (the hot file keeps a copy)."""
    return (int(txn.get(b"s\0clock_v", b"0", db=meta)), int(txn.get(b"s\0config_v", b"0", db=meta)),
            int(txn.get(b"s\0gen", b"0", db=meta)))


def _j(doc: Any) -> bytes:
    return orjson.dumps(doc, option=orjson.OPT_NON_STR_KEYS)


class _Scope:
    """One thread's transaction scope: inside an open write transaction, that one (so reads see its
    writes and nested locks are one step); else a new read-only one, or a write one committed when
    the scope ends well and aborted (nothing written to LMDB) when it raises. A write scope holds
    the hot file's lock too, taken after LMDB's, and refreshes the hot copy of the versions after
    a commit that moved them, then runs the steps queued for after the commit (``after_commit``)."""

    __slots__ = ("store", "write", "txn", "outer")

    def __init__(self, store: "LmdbStore", write: bool) -> None:
        self.store = store
        self.write = write

    def __enter__(self) -> lmdb.Transaction:
        store = self.store
        if store._epoch != _EPOCH[0]:
            store._open()
        txn = getattr(store._local, "txn", None)
        self.outer = txn is None
        if self.outer:
            txn = store.env.begin(write=self.write)
            if self.write:
                store.hot.lock.__enter__()
                store._local.txn = txn
                store._local.moved = False
                store._local.after_commit = []
        self.txn = txn
        return txn

    def __exit__(self, exc_type, exc, tb) -> None:
        if not self.outer:
            return
        if not self.write:
            self.txn.abort()
            return
        store = self.store
        store._local.txn = None
        after, store._local.after_commit = store._local.after_commit, []
        try:
            if exc_type is None:
                self.txn.commit()
                if store._local.moved:
                    with store.env.begin() as txn:
                        store.hot.set_stamp(*_versions(txn, store.meta))
                for step in after:  # still under the hot file's lock: no other process sees the gap
                    step()
            else:
                self.txn.abort()
        finally:
            store.hot.lock.__exit__()


class LmdbStore(Store):
    """The Store interface on LMDB; atomic across the processes of one machine."""

    shared = True
    stable_docs = True  # values() returns the same objects until the namespace changes
    errors = (lmdb.Error,)

    def __init__(self, path: str, **hot_sizes: int) -> None:
        """``hot_sizes``: ``HotState``'s table sizes, for tests that fill them (used at creation)."""
        self.path = path
        self._hot_sizes = hot_sizes
        self.url = f"lmdb://{path}"
        self._local = threading.local()
        self._values_cache: dict[str, tuple[int, list[Doc]]] = {}
        self._epoch = -1
        self._open_lock = threading.Lock()
        self._open()

    def _open(self) -> None:
        """(Re)open this process's handles, once, whichever thread of a new worker gets here first.

        The others wait, and the epoch moves last: a thread that sees it current finds the handles
        and the transaction slots it needs. (Replacing ``_local`` after a thread had stored its
        open write transaction there made that thread's next nested scope begin a second write
        transaction and wait on itself.)"""
        with self._open_lock:
            if self._epoch == _EPOCH[0]:
                return
            self.env = _env(self.path)
            self.docs = self.env.open_db(b"docs")
            self.meta = self.env.open_db(b"meta")
            self.wins = self.env.open_db(b"wins")
            self.hot = _hot(self.path, self.env, self.meta, self._hot_sizes, self._recover_journal)
            self._local = threading.local()
            self._epoch = _EPOCH[0]

    def ping(self) -> bool:
        return True

    # -- transactions -----------------------------------------------------------------------------
    def _txn(self, write: bool = False) -> _Scope:
        return _Scope(self, write)

    def lock(self, name: str) -> _Scope:
        """Every lock is the one write transaction: atomic across processes, never a deadlock."""
        return _Scope(self, True)

    # -- helpers ------------------------------------------------------------------------------------
    @staticmethod
    def _dk(ns: str, key: str) -> bytes:
        return ns.encode() + SEP + str(key).encode()

    def _bump(self, txn: lmdb.Transaction, ns: str) -> None:
        self._add(txn, b"v\0" + ns.encode(), 1)
        self._add(txn, b"s\0gen", 1)
        self._local.moved = True

    def _add(self, txn: lmdb.Transaction, key: bytes, amount: int) -> int:
        value = int(txn.get(key, b"0", db=self.meta)) + amount
        txn.put(key, str(value).encode(), db=self.meta)
        return value

    def _prefix_items(self, txn: lmdb.Transaction, db, prefix: bytes, values: bool = True):
        cur = txn.cursor(db=db)
        if not cur.set_range(prefix):
            return
        for k, v in cur:
            if not k.startswith(prefix):
                return
            yield k, v

    def _delete_prefix(self, txn: lmdb.Transaction, db, prefix: bytes) -> int:
        cur = txn.cursor(db=db)
        n = 0
        if cur.set_range(prefix):
            while cur.key().startswith(prefix):
                n += 1
                if not cur.delete():
                    break
        return n

    # -- documents ------------------------------------------------------------------------------------
    def get(self, ns: str, key: str) -> Doc | None:
        with self._txn() as txn:
            raw = txn.get(self._dk(ns, key), db=self.docs)
        return None if raw is None else orjson.loads(raw)

    def put(self, ns: str, key: str, doc: Doc) -> None:
        with self._txn(write=True) as txn:
            txn.put(self._dk(ns, key), _j(doc), db=self.docs)
            txn.put(b"n\0" + ns.encode(), b"", db=self.meta)
            self._bump(txn, ns)

    def put_many(self, ns: str, docs: Mapping[str, Doc]) -> None:
        if not docs:
            return
        with self._txn(write=True) as txn:
            for key, doc in docs.items():
                txn.put(self._dk(ns, key), _j(doc), db=self.docs)
            txn.put(b"n\0" + ns.encode(), b"", db=self.meta)
            self._bump(txn, ns)

    def write_batch(self, changes: Mapping[str, Mapping[str, Doc | None]], journal: Journal | None = None,
                    entry: dict[str, Any] | None = None) -> None:
        """The writes in one transaction. The journal entry is in the hot file's ring, which no LMDB
        transaction covers: it is written into the transaction too (``PENDING_ENTRY``, with the id it
        will have) and appended to the ring right after the commit, under the hot lock held
        throughout. A process killed between the two dies holding that lock; whoever takes the lock
        over appends the entry (``_recover_journal``), so a committed write always has its entry
        and an aborted one never has."""
        with self._txn(write=True) as txn:  # the puts and deletes below join this one transaction
            super().write_batch(changes)
            if journal is None or entry is None:
                return
            entry.pop("id", None)
            data = journal.encode(entry)
            max_entries = getattr(journal, "max_entries", 10000)
            entry_id = self.hot.journal_last_id() + 1
            txn.put(PENDING_ENTRY, _PENDING.pack(entry_id, max_entries) + data, db=self.meta)

            def append() -> None:
                entry["id"] = self.hot.journal_append(data, max_entries)

            self._local.after_commit.append(append)

    def _recover_journal(self, hot: HotState) -> None:
        """Called holding the hot lock taken over from a dead process: if it committed a write and
        died before journaling it, journal it now (with the id it was given)."""
        with self.env.begin() as txn:
            raw = txn.get(PENDING_ENTRY, db=self.meta)
        if raw is None:
            return
        entry_id, max_entries = _PENDING.unpack_from(raw)
        if hot.journal_last_id() < entry_id:
            hot.journal_append(bytes(raw[_PENDING.size:]), max_entries)
            print(f"mock_zoho: journaled the last write of a process that died after committing it (entry {entry_id})",
                  file=sys.stderr)

    def note(self, ns: str, key: str, doc: Doc) -> None:
        with self._txn(write=True) as txn:
            if txn.put(self._dk(ns, key), _j(doc), db=self.docs, overwrite=False):
                txn.put(b"n\0" + ns.encode(), b"", db=self.meta)
                self._add(txn, b"v\0" + ns.encode(), 1)

    def _has(self, ns: str, key: str) -> bool:
        with self._txn() as txn:
            return txn.get(self._dk(ns, key), db=self.docs) is not None

    def delete(self, ns: str, key: str) -> bool:
        with self._txn(write=True) as txn:
            gone = txn.delete(self._dk(ns, key), db=self.docs)
            self._bump(txn, ns)
            return gone

    def take(self, ns: str, key: str) -> Doc | None:
        with self._txn(write=True) as txn:
            raw = txn.pop(self._dk(ns, key), db=self.docs)
            if raw is not None:
                self._bump(txn, ns)
        return None if raw is None else orjson.loads(raw)

    def values(self, ns: str) -> list[Doc]:
        with self._txn() as txn:
            version = int(txn.get(b"v\0" + ns.encode(), b"0", db=self.meta))
            cached = self._values_cache.get(ns)
            if cached is not None and cached[0] == version:
                return list(cached[1])
            docs = [orjson.loads(v) for _, v in self._prefix_items(txn, self.docs, ns.encode() + SEP)]
        self._values_cache[ns] = (version, docs)
        return list(docs)

    def keys(self, ns: str) -> list[str]:
        prefix = ns.encode() + SEP
        with self._txn() as txn:
            return [k[len(prefix):].decode() for k, _ in self._prefix_items(txn, self.docs, prefix)]

    def count(self, ns: str) -> int:
        return len(self.keys(ns))

    def drop(self, ns: str) -> None:
        with self._txn(write=True) as txn:
            self._delete_prefix(txn, self.docs, ns.encode() + SEP)
            txn.delete(b"n\0" + ns.encode(), db=self.meta)
            self._bump(txn, ns)

    def namespaces(self, prefix: str = "") -> list[str]:
        with self._txn() as txn:
            names = [k[2:].decode() for k, _ in self._prefix_items(txn, self.meta, b"n\0" + prefix.encode())]
            return sorted(n for n in names if next(self._prefix_items(txn, self.docs, n.encode() + SEP), None))

    def clear(self) -> None:
        """Forget every document, counter, window and the journal; keep the shared clock and config.
        Namespace versions only grow, so no process keeps a stale copy."""
        with self._txn(write=True) as txn:
            txn.drop(self.docs, delete=False)
            txn.drop(self.wins, delete=False)
            self.hot.reset()
            for prefix in (b"c\0", b"n\0", b"w\0"):
                self._delete_prefix(txn, self.meta, prefix)
            for key, _ in list(self._prefix_items(txn, self.meta, b"v\0")):
                self._add(txn, key, 1)
            self._add(txn, b"s\0gen", 1)
            self._local.moved = True

    def generation(self) -> int:
        with self._txn() as txn:
            return int(txn.get(b"s\0gen", b"0", db=self.meta))

    # -- counters: in the hot file, else (no room) in meta ----------------------------------------------
    def incr(self, key: str, amount: int = 1) -> int:
        with self._txn(write=True) as txn:
            value = self.hot.counter_add(key, amount)
            return self._add(txn, b"c\0" + key.encode(), amount) if value is None else value

    def get_counter(self, key: str) -> int:
        value = self._hot_now().counter_get(key)  # a whole aligned word: read without the lock
        if value is not None:
            return value
        with self._txn() as txn:
            return int(txn.get(b"c\0" + key.encode(), b"0", db=self.meta))

    def set_counter(self, key: str, value: int) -> None:
        with self._txn(write=True) as txn:
            if not self.hot.counter_set(key, value):
                txn.put(b"c\0" + key.encode(), str(int(value)).encode(), db=self.meta)

    # -- sliding windows: in the hot file, else (no room) in wins ------------------------------------------
    def _trim(self, txn: lmdb.Transaction, key: str, now: float, window_s: float) -> tuple[int, float | None]:
        """Drop events at or before ``now - window_s``; (count left, oldest left)."""
        kept = self.hot.window_trim(key, now, window_s)
        if kept is not None:
            return kept
        prefix = key.encode() + SEP
        cut = now - window_s
        count_key = b"w\0" + key.encode()
        count = int(txn.get(count_key, b"0", db=self.meta))
        cur = txn.cursor(db=self.wins)
        oldest = None
        dropped = 0
        if count and cur.set_range(prefix):
            while True:
                k = cur.key()
                if not k.startswith(prefix):
                    break
                t = struct.unpack(">d", k[len(prefix):len(prefix) + 8])[0]
                if t > cut:
                    oldest = t
                    break
                dropped += 1
                if not cur.delete():
                    break
        if dropped:
            count -= dropped
            txn.put(count_key, str(count).encode(), db=self.meta)
        return count, oldest

    def _window_add(self, txn: lmdb.Transaction, key: str, now: float, count: int, cost: int = 1) -> int:
        """Log ``cost`` events at ``now`` in a window holding ``count`` (just trimmed); the new count."""
        added = self.hot.window_add(key, now, cost)
        if added is not None:
            return added
        prefix = key.encode() + SEP + struct.pack(">d", float(now))
        seq = self._add(txn, b"c\0__window_seq", cost)
        for i in range(cost):
            txn.put(prefix + struct.pack(">Q", seq - cost + 1 + i), b"", db=self.wins)
        count += cost
        txn.put(b"w\0" + key.encode(), str(count).encode(), db=self.meta)
        return count

    def window_hit(self, key: str, now: float, window_s: float, limit: int, cost: int = 1) -> tuple[bool, int, float | None]:
        with self._txn(write=True) as txn:
            count, oldest = self._trim(txn, key, now, window_s)
            if count + cost > limit:
                return False, count, oldest
            count = self._window_add(txn, key, now, count, cost)
            return True, count, now if oldest is None else min(oldest, now)

    def window_count(self, key: str, now: float, window_s: float) -> tuple[int, float | None]:
        with self._txn(write=True) as txn:
            return self._trim(txn, key, now, window_s)

    def window_clear(self, key: str) -> None:
        with self._txn(write=True) as txn:
            if not self.hot.window_clear(key):
                self._delete_prefix(txn, self.wins, key.encode() + SEP)
                txn.delete(b"w\0" + key.encode(), db=self.meta)

    # -- the limiter's step and a replayed answer's (Store.limits_step, AtomicReplay) ----------------
    def limits_step(self, p: Policy, now: float, org_doc: Mapping[str, Any] | None, hold: bool) -> Outcome | None:
        """``LimitsBackend._generic_admit`` under the hot file's lock alone (``HotState.limits_step``);
        None when one of the policy's counters has no room there (the backend then takes its generic
        step, through LMDB)."""
        if org_doc is not None and not self._has(ORGS_NS, p.org_id):
            self.note(ORGS_NS, p.org_id, dict(org_doc))
        hot = self._hot_now()
        with hot.lock:
            offs = hot.plan(p)
            return None if offs is None else hot.limits_step(offs, p, now, hold)

    def reap_dead_holders(self) -> int:
        """Give back the slots held by processes that are gone (see ``HotState.reap``)."""
        hot = self._hot_now()
        with hot.lock:
            return hot.reap()

    def release_slot(self, inflight_key: str) -> None:
        """Free an admitted call's concurrency slot (``Admission.release``)."""
        hot = self._hot_now()
        with hot.lock:
            if hot.release(inflight_key):
                return
        self.incr(inflight_key, -1)

    def replay(self, stamp: tuple[int, int, int], p: Policy, now: float, entry_json: bytes, journal: "LmdbJournal",
               org_json: bytes = b"", scale: float = 1.0) -> Outcome | None:
        """A replayed answer's step in one hold of the hot file's lock: the stamp it was kept under
        still holds, the limiter admits it (holding no slot), and it is journaled. None when the
        stamp is stale, or when a counter has no room in the hot file: the answer is then made
        afresh. (``org_json`` and ``scale`` are the Redis script's: here the policy carries the
        overrides and nothing expires.)"""
        hot = self._hot_now()
        with hot.lock:
            offs = hot.plan(p) if hot.stamp() == stamp else None
            if offs is None:
                return None
            o = hot.limits_step(offs, p, now, False)
            if o.code == ADMITTED:
                hot.journal_append(entry_json, journal.max_entries)
            return o

    # -- what the emulator shares through the store -------------------------------------------------
    def make_journal(self, max_entries: int) -> "LmdbJournal":
        return LmdbJournal(self, max_entries)

    def share(self, emulator) -> SharedState:
        return SharedState(self, emulator)

    def state_init(self, values: Mapping[str, bytes | int]) -> None:
        with self._txn(write=True) as txn:
            for name, value in values.items():
                raw = value if isinstance(value, bytes) else str(value).encode()
                txn.put(b"s\0" + name.encode(), raw, db=self.meta, overwrite=False)
            self._local.moved = True

    def state_get(self, *names: str) -> list[bytes | None]:
        with self._txn() as txn:
            return [txn.get(b"s\0" + n.encode(), db=self.meta) for n in names]

    def state_publish(self, name: str, value: bytes, version_field: str) -> int:
        with self._txn(write=True) as txn:
            txn.put(b"s\0" + name.encode(), value, db=self.meta)
            self._local.moved = True
            return self._add(txn, b"s\0" + version_field.encode(), 1)

    def _hot_now(self) -> HotState:
        if self._epoch != _EPOCH[0]:
            self._open()
        return self.hot

    def stamp(self) -> tuple[int, int, int]:
        """The clock, config and data versions every process on this store agrees on (the hot file's
        copy: no LMDB call)."""
        return self._hot_now().stamp()

    def state_versions(self) -> tuple[int, int]:
        """The clock and config versions (``SharedState.sync`` asks on every request)."""
        return self._hot_now().stamp()[:2]


class LmdbJournal(Journal):
    """The request journal of an LMDB store, in its hot file: every worker writes to and reads the
    same one (``HotState.journal_*``, under the hot file's lock; no LMDB call)."""

    def __init__(self, store: LmdbStore, max_entries: int = 10000) -> None:  # noqa: D107
        self.store = store
        self.max_entries = int(max_entries)

    def resize(self, max_entries: int) -> None:
        self.max_entries = int(max_entries)  # the oldest past it drop at the next entry

    @property
    def dropped(self) -> int:  # type: ignore[override]
        hot = self.store._hot_now()
        with hot.lock:
            kept, dropped = hot.journal_stats()
        return dropped + max(0, kept - self.max_entries)

    @staticmethod
    def encode(entry: dict[str, Any]) -> bytes:
        return orjson.dumps(entry, option=orjson.OPT_NON_STR_KEYS, default=str)

    def record(self, entry: dict[str, Any]) -> int:
        entry.pop("id", None)
        data = self.encode(entry)
        hot = self.store._hot_now()
        with hot.lock:
            entry_id = hot.journal_append(data, self.max_entries)
        entry["id"] = entry_id
        return entry_id

    def clear(self) -> None:
        hot = self.store._hot_now()
        with hot.lock:
            hot.journal_clear()

    def __len__(self) -> int:
        hot = self.store._hot_now()
        with hot.lock:
            return min(self.max_entries, hot.journal_stats()[0])

    def _all(self) -> list[dict[str, Any]]:
        hot = self.store._hot_now()
        with hot.lock:
            raw = list(hot.journal_entries(self.max_entries))
        out = []
        for entry_id, data in raw:
            entry = orjson.loads(data)
            entry["id"] = entry_id
            out.append(entry)
        return out

    def query(self, filters: dict[str, str] | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        """Newest first under the hot file's lock, decoding only entries until ``limit`` match."""
        hot = self.store._hot_now()
        with hot.lock:
            return newest_matching(hot.journal_newest(self.max_entries), orjson.loads,
                                   filters, limit)
