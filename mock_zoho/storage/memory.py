"""The default store: dicts in this process, guarded by one re-entrant lock. Fast, and exact under
threads; it needs nothing installed and serves one process (``serve`` without ``--workers``)."""
from __future__ import annotations

import bisect
import threading
from collections import defaultdict
from typing import Any, ContextManager, Mapping

from ..journal import Journal
from .base import Doc, Store


class MemoryStore(Store):
    """In-process store: dicts guarded by one re-entrant lock. Fast, and exact under threads."""

    stable_docs = True  # a stored document is the same object on every read until it is replaced

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._docs: dict[str, dict[str, Doc]] = defaultdict(dict)
        self._counters: dict[str, int] = defaultdict(int)
        self._windows: dict[str, list[float]] = defaultdict(list)
        self._named_locks: dict[str, threading.RLock] = defaultdict(threading.RLock)
        self._generation = 0

    def generation(self) -> int:
        return self._generation

    def get(self, ns: str, key: str) -> Doc | None:
        bucket = self._docs.get(ns)
        return None if bucket is None else bucket.get(key)

    def put(self, ns: str, key: str, doc: Doc) -> None:
        with self._lock:
            self._docs[ns][key] = doc
            self._generation += 1

    def note(self, ns: str, key: str, doc: Doc) -> None:
        with self._lock:
            self._docs[ns].setdefault(key, doc)

    def put_many(self, ns: str, docs: Mapping[str, Doc]) -> None:
        with self._lock:
            self._docs[ns].update(docs)
            self._generation += 1

    def write_batch(self, changes: Mapping[str, Mapping[str, Doc | None]], journal: Journal | None = None,
                    entry: dict[str, Any] | None = None) -> None:
        with self._lock:  # re-entrant: no reader of another thread sees half of it
            super().write_batch(changes, journal, entry)

    def delete(self, ns: str, key: str) -> bool:
        with self._lock:
            self._generation += 1
            bucket = self._docs.get(ns)
            return bucket is not None and bucket.pop(key, None) is not None

    def take(self, ns: str, key: str) -> Doc | None:
        with self._lock:
            self._generation += 1
            bucket = self._docs.get(ns)
            return None if bucket is None else bucket.pop(key, None)

    def values(self, ns: str) -> list[Doc]:
        with self._lock:
            bucket = self._docs.get(ns)
            return [] if bucket is None else list(bucket.values())

    def keys(self, ns: str) -> list[str]:
        with self._lock:
            bucket = self._docs.get(ns)
            return [] if bucket is None else list(bucket.keys())

    def count(self, ns: str) -> int:
        bucket = self._docs.get(ns)
        return 0 if bucket is None else len(bucket)

    def drop(self, ns: str) -> None:
        with self._lock:
            self._docs.pop(ns, None)
            self._generation += 1

    def namespaces(self, prefix: str = "") -> list[str]:
        with self._lock:
            return [ns for ns, bucket in self._docs.items() if ns.startswith(prefix) and bucket]

    def clear(self) -> None:
        with self._lock:
            self._generation += 1
            self._docs.clear()
            self._counters.clear()
            self._windows.clear()

    def incr(self, key: str, amount: int = 1) -> int:
        with self._lock:
            self._counters[key] += amount
            return self._counters[key]

    def get_counter(self, key: str) -> int:
        return self._counters.get(key, 0)

    def set_counter(self, key: str, value: int) -> None:
        with self._lock:
            self._counters[key] = int(value)

    def _trim(self, events: list[float], now: float, window_s: float) -> None:
        cut = bisect.bisect_right(events, now - window_s)
        if cut:
            del events[:cut]

    def window_hit(self, key: str, now: float, window_s: float, limit: int, cost: int = 1) -> tuple[bool, int, float | None]:
        with self._lock:
            events = self._windows[key]
            self._trim(events, now, window_s)
            if len(events) + cost > limit:
                return False, len(events), events[0] if events else None
            if events and events[-1] > now:  # the clock was set back: keep the log sorted
                now = events[-1]
            events.extend([now] * cost)
            return True, len(events), events[0]

    def window_count(self, key: str, now: float, window_s: float) -> tuple[int, float | None]:
        with self._lock:
            events = self._windows.get(key)
            if not events:
                return 0, None
            self._trim(events, now, window_s)
            return len(events), events[0] if events else None

    def window_clear(self, key: str) -> None:
        with self._lock:
            self._windows.pop(key, None)

    def lock(self, name: str) -> ContextManager[Any]:
        """The named lock itself (a re-entrant lock is its own context manager: no generator per call)."""
        lk = self._named_locks.get(name)
        if lk is None:
            with self._lock:
                lk = self._named_locks[name]
        return lk
