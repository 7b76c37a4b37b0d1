"""The state behind everything, behind one small interface, with its capabilities declared.

Documents (JSON-able dicts) live in namespaces (``oauth:codes``, ``books:<org>:invoices`` ...);
counters and sliding-window logs back the numbering and the limits. ``MemoryStore`` is the default
and needs nothing installed; ``LmdbStore`` (one machine) and ``RedisStore`` (several) let several
processes act as one Zoho. Documents returned by ``get``/``values`` must be treated as read-only:
change a copy and ``put`` it back.

What a backend can do beyond the interface is declared, never guessed: ``Store`` has a default for
each optional step (its journal, sharing the clock and config, the limiter's step on a faster path),
and the two things only some backends do in one atomic call are the protocols ``ScriptedLimits``
(the limiter's whole step, Redis) and ``AtomicReplay`` (a replayed answer's step, LMDB and Redis).
"""
from __future__ import annotations

import os
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any, ClassVar, ContextManager, Mapping, Protocol, runtime_checkable

from ..journal import Journal
from ..limits.engine import Outcome, Policy

if TYPE_CHECKING:  # annotation only
    from .shared import SharedState


def pid_alive(pid: int) -> bool:
    """Whether a process of this machine is still there (the shared stores free a dead one's slots)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True

Doc = dict[str, Any]


class Store(ABC):
    """Interface every backend implements; all operations are atomic on their own."""

    # True when reads return the same document objects until a write replaces them, so callers
    # may cache work derived from a document keyed by its identity (the Books list renderer does).
    stable_docs: ClassVar[bool] = False
    # True when several processes see the same state (``serve --workers`` needs such a store).
    shared: ClassVar[bool] = False
    # The exceptions the backend raises when it cannot be reached (a request then answers 500).
    errors: ClassVar[tuple[type[BaseException], ...]] = ()

    # -- what the emulator builds on the store -------------------------------------------------
    def make_journal(self, max_entries: int) -> Journal:
        """The request journal: this process's by default; a shared store keeps one for all."""
        return Journal(max_entries)

    def share(self, emulator: Any) -> "SharedState | None":
        """Keep ``emulator``'s clock and config equal in every process on this store; None: one process."""
        return None

    def limits_step(self, p: Policy, now: float, org_doc: Mapping[str, Any] | None, hold: bool) -> Outcome | None:
        """The limiter's check-then-commit step on a faster path than the generic one; None: take
        the generic step (``LimitsBackend._generic_admit``) on this store."""
        return None

    def generation(self) -> int:
        """A number that moves on every document write (put, delete, take, drop, clear): what a
        cached answer is stamped with, so any change to the data makes it stale."""
        return 0

    # -- documents -------------------------------------------------------------------------
    @abstractmethod
    def get(self, ns: str, key: str) -> Doc | None: ...

    @abstractmethod
    def put(self, ns: str, key: str, doc: Doc) -> None: ...

    def put_many(self, ns: str, docs: Mapping[str, Doc]) -> None:
        for key, doc in docs.items():
            self.put(ns, key, doc)

    def write_batch(self, changes: Mapping[str, Mapping[str, Doc | None]], journal: Journal | None = None,
                    entry: dict[str, Any] | None = None) -> None:
        """Apply one request's writes (namespace -> key -> document, None: delete) as one unit where
        the backend can: one transaction (LMDB, Redis MULTI), one lock hold (memory). With ``entry``
        the request's journal entry joins the unit (its id set in ``entry`` once it is in
        ``journal``): a process killed at any point leaves both or neither."""
        for ns, docs in changes.items():
            self.put_many(ns, {k: d for k, d in docs.items() if d is not None})
            for key in (k for k, d in docs.items() if d is None):
                self.delete(ns, key)
        if journal is not None and entry is not None:
            journal.record(entry)

    @abstractmethod
    def note(self, ns: str, key: str, doc: Doc) -> None:
        """Put ``doc`` unless ``key`` is present: bookkeeping no answer depends on (the limiter
        remembering an org), so the generation does not move."""

    @abstractmethod
    def delete(self, ns: str, key: str) -> bool: ...

    @abstractmethod
    def take(self, ns: str, key: str) -> Doc | None:
        """Get and delete in one step: what makes a grant code single-use under concurrency."""

    @abstractmethod
    def values(self, ns: str) -> list[Doc]: ...

    @abstractmethod
    def keys(self, ns: str) -> list[str]: ...

    @abstractmethod
    def count(self, ns: str) -> int: ...

    @abstractmethod
    def drop(self, ns: str) -> None: ...

    @abstractmethod
    def namespaces(self, prefix: str = "") -> list[str]: ...

    @abstractmethod
    def clear(self) -> None: ...

    # -- counters --------------------------------------------------------------------------
    @abstractmethod
    def incr(self, key: str, amount: int = 1) -> int: ...

    @abstractmethod
    def get_counter(self, key: str) -> int: ...

    @abstractmethod
    def set_counter(self, key: str, value: int) -> None: ...

    # -- calls in flight (the concurrency limit's slots) --------------------------------------
    def release_slot(self, inflight_key: str) -> None:
        """Free an admitted call's slot. The shared stores also count slots per process, so that
        ``reap_dead_holders`` can give back those of a process killed mid-call."""
        self.incr(inflight_key, -1)

    def reap_dead_holders(self) -> int:
        """Give back the slots held by processes that are gone; how many. One process: none."""
        return 0

    # -- sliding windows (rate limits) -------------------------------------------------------
    @abstractmethod
    def window_hit(self, key: str, now: float, window_s: float, limit: int, cost: int = 1) -> tuple[bool, int, float | None]:
        """Atomically: drop events older than ``now - window_s``; if ``count + cost <= limit``
        record ``cost`` events at ``now``. Returns (accepted, count after, oldest event time)."""

    @abstractmethod
    def window_count(self, key: str, now: float, window_s: float) -> tuple[int, float | None]: ...

    @abstractmethod
    def window_clear(self, key: str) -> None: ...

    # -- coarse locks ----------------------------------------------------------------------
    @abstractmethod
    def lock(self, name: str) -> ContextManager[Any]:
        """A lock named ``name``, re-entrant per thread, held across the store's users (threads;
        processes on a shared store): ``with store.lock(name): ...``."""




@runtime_checkable
class ScriptedLimits(Protocol):
    """A store that runs the limiter's whole step (overrides read, checks, commits) in one atomic call."""

    def limits_admit(self, p: Policy, now: float, org_doc: Mapping[str, Any], overrides_ns: str, orgs_ns: str,
                     scale: float) -> Outcome: ...


@runtime_checkable
class AtomicReplay(Protocol):
    """A store that checks a replayed answer's stamp, admits it and journals it in one atomic call
    (``mock_zoho.books.replay``); ``stamp`` is the versions every process on the store agrees on."""

    def stamp(self) -> tuple: ...

    def replay(self, stamp: tuple, p: Policy, now: float, entry_json: bytes, journal: Journal,
               org_json: bytes = b"", scale: float = 1.0) -> Outcome | None: ...
