"""What the sync engine persists, and through what: the ``SyncStore`` protocol.

The portal implements it on its database; ``MemorySyncStore`` implements it in memory for the
connector's own tests and benchmarks. The engine never holds state of its own between runs:
records (normalised beside Zoho's raw record), incremental cursors, datasets with their statuses
and resume checkpoints, events, and the cached access token per connection all live here.

Token cache and lock: ``token_lock(connection_id)`` must serialise refreshes of one connection
across every thread *and process* that shares the store (the portal: a database row lock or an
``fcntl`` lock file; ``MemorySyncStore``: a thread lock, or ``lock_dir`` for a file lock).
"""
from __future__ import annotations

import contextlib
import fcntl
import itertools
import json
import os
import threading
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, ContextManager, Iterator, Mapping, Protocol, Sequence

from ..clock import Clock, WallClock, iso
from ..redact import fingerprint
from .oauth import TokenSet

__all__ = ["ConnectionAuth", "Dataset", "SyncRecord", "SyncStore", "MemorySyncStore", "STATUSES",
           "FINISHED", "ERRORED", "file_lock", "ConnectionLocks", "record_change"]

# Codat's dataset (pull) statuses (integration-flow §10.2).
STATUSES = ("Initial", "Queued", "Fetching", "MapQueued", "Mapping", "Complete", "FetchError", "MapError",
            "InternalError", "ProcessingQueued", "Processing", "ProcessingError", "ValidationQueued", "Validating",
            "ValidationError", "AuthError", "Cancelled", "NotSupported", "RateLimitError", "PermissionsError",
            "PrerequisiteNotMet")
ERRORED = frozenset({"FetchError", "MapError", "InternalError", "ProcessingError", "ValidationError", "AuthError",
                     "NotSupported", "RateLimitError", "PermissionsError", "PrerequisiteNotMet", "Cancelled"})
FINISHED = ERRORED | {"Complete"}


@dataclass
class ConnectionAuth:
    """What the connector needs to read one linked connection; secrets never shown by ``repr``."""

    connection_id: str
    company_id: str
    client_id: str
    client_secret: str
    refresh_token: str
    accounts_server: str
    api_domain: str
    location: str
    organization_id: str

    def __repr__(self) -> str:
        return (f"ConnectionAuth(connection_id={self.connection_id!r}, company_id={self.company_id!r}, "
                f"client_id={self.client_id!r}, secret={fingerprint(self.client_secret)}, "
                f"refresh={fingerprint(self.refresh_token)}, accounts_server={self.accounts_server!r}, "
                f"api_domain={self.api_domain!r}, location={self.location!r}, "
                f"organization_id={self.organization_id!r})")

    __str__ = __repr__


@dataclass
class SyncRecord:
    """One record as stored: the platform's shape beside Zoho's, and Zoho's change marker."""

    id: str
    data: dict[str, Any]              # normalised (platform field names)
    raw: dict[str, Any]               # Zoho's record as read (list item, or detail when complete)
    modified: str | None = None       # Zoho's last_modified_time, when it has one
    complete: bool = False            # read through a detail GET


@dataclass
class Dataset:
    """One read of one data type for one company (Codat's pull)."""

    id: str
    company_id: str
    connection_id: str
    data_type: str
    status: str = "Queued"
    requested: float = 0.0
    completed: float | None = None
    status_description: str = ""
    error_message: str = ""
    records_modified: int = 0
    records_read: int = 0
    calls: int = 0
    progress: int = 0                       # percent
    paused_until: float | None = None
    checkpoint: dict[str, Any] = field(default_factory=dict)  # where a paused read resumes
    issues: list[dict[str, Any]] = field(default_factory=list)

    @property
    def is_completed(self) -> bool:
        return self.status == "Complete"

    @property
    def is_errored(self) -> bool:
        return self.status in ERRORED

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    def to_dict(self) -> dict[str, Any]:
        """Codat's PullOperation shape (times as ISO strings)."""
        return {"id": self.id, "companyId": self.company_id, "connectionId": self.connection_id,
                "dataType": self.data_type, "status": self.status, "statusDescription": self.status_description,
                "errorMessage": self.error_message, "requested": iso(self.requested),
                "completed": iso(self.completed) if self.completed else None, "progress": self.progress,
                "isCompleted": self.is_completed, "isErrored": self.is_errored,
                "recordsModified": self.records_modified, "pausedUntil": iso(self.paused_until)
                if self.paused_until else None, "issues": list(self.issues)}


class SyncStore(Protocol):
    """The persistence the sync engine needs. Every method is safe to call from several threads."""

    # tokens (one cached access token per connection; refreshes serialised by the lock)
    def load_token(self, connection_id: str) -> TokenSet | None: ...
    def save_token(self, connection_id: str, token: TokenSet) -> None: ...
    def token_lock(self, connection_id: str) -> ContextManager[None]: ...

    # records: upsert by id; returns how many were new or changed (``modified`` differs)
    def upsert_records(self, company_id: str, connection_id: str, data_type: str,
                       records: Sequence[SyncRecord]) -> int: ...
    def get_record(self, company_id: str, data_type: str, record_id: str) -> SyncRecord | None: ...

    # incremental cursors (Zoho's last_modified_time string), per connection and source key
    def get_cursor(self, connection_id: str, key: str) -> str | None: ...
    def set_cursor(self, connection_id: str, key: str, cursor: str) -> None: ...

    # datasets
    def new_dataset(self, company_id: str, connection_id: str, data_type: str, requested: float) -> Dataset: ...
    def save_dataset(self, dataset: Dataset) -> None: ...
    def get_dataset(self, dataset_id: str) -> Dataset | None: ...
    def datasets(self, company_id: str | None = None) -> list[Dataset]: ...

    # events and the connection's state
    def emit(self, event_type: str, payload: Mapping[str, Any]) -> None: ...
    def connection_deauthorized(self, connection_id: str, reason: str) -> None: ...
    def mark_initial_sync(self, connection_id: str) -> bool:
        """True the first time (the run that finishes it emits ``read.completed.initial``)."""
        ...


@contextlib.contextmanager
def file_lock(path: str | os.PathLike[str]) -> Iterator[None]:
    """An exclusive ``fcntl`` lock on ``path``: one holder across every process of this machine."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    with open(p, "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


class ConnectionLocks:
    """What ``token_lock`` holds, for any store: a thread lock per connection and, with ``lock_dir``,
    a lock file per connection in it, so other processes sharing the store wait too."""

    def __init__(self, lock_dir: Path | None = None) -> None:
        self.lock_dir = lock_dir
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    @contextlib.contextmanager
    def hold(self, connection_id: str) -> Iterator[None]:
        with self._guard:
            lock = self._locks.setdefault(connection_id, threading.Lock())
        with lock:
            if self.lock_dir is None:
                yield
            else:
                with file_lock(self.lock_dir / f"{connection_id}.lock"):
                    yield


def record_change(old: SyncRecord | None, new: SyncRecord) -> tuple[bool, bool]:
    """(changed, store) for an upsert: ``new`` changes the record when Zoho's change marker moved (or,
    without one, its raw record did); it is stored unless it is a list item of the detail already held."""
    changed = old is None or old.modified != new.modified or new.modified is None and old.raw != new.raw
    keeps_detail = old is not None and old.complete and not new.complete and old.modified == new.modified
    return changed, not keeps_detail


class MemorySyncStore:
    """``SyncStore`` in memory (one process). ``lock_dir`` adds a file lock around refreshes and keeps
    the token cache in that directory, so several processes refresh one connection one at a time."""

    def __init__(self, clock: Clock | None = None, *, lock_dir: str | os.PathLike[str] | None = None) -> None:
        self.clock = clock or WallClock()
        self.lock_dir = Path(lock_dir) if lock_dir else None
        self._lock = threading.RLock()
        self._token_locks = ConnectionLocks(self.lock_dir)
        self._tokens: dict[str, TokenSet] = {}
        self.records: dict[tuple[str, str], dict[str, SyncRecord]] = {}
        self.cursors: dict[tuple[str, str], str] = {}
        self._datasets: dict[str, Dataset] = {}
        self.events: list[dict[str, Any]] = []
        self.deauthorized: dict[str, str] = {}
        self._initial_done: set[str] = set()
        self._event_ids = itertools.count(1)

    # -- tokens -------------------------------------------------------------------------------------
    def _token_file(self, connection_id: str) -> Path | None:
        return self.lock_dir / f"{connection_id}.token.json" if self.lock_dir else None

    def load_token(self, connection_id: str) -> TokenSet | None:
        path = self._token_file(connection_id)
        if path is not None:
            try:
                return TokenSet.from_dict(json.loads(path.read_text()))
            except (OSError, ValueError, KeyError):
                return None
        with self._lock:
            return self._tokens.get(connection_id)

    def save_token(self, connection_id: str, token: TokenSet) -> None:
        path = self._token_file(connection_id)
        if path is not None:
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(token.to_dict()))
            os.chmod(tmp, 0o600)
            tmp.replace(path)
            return
        with self._lock:
            self._tokens[connection_id] = token

    def token_lock(self, connection_id: str) -> ContextManager[None]:
        return self._token_locks.hold(connection_id)

    # -- records ------------------------------------------------------------------------------------
    def upsert_records(self, company_id: str, connection_id: str, data_type: str,
                       records: Sequence[SyncRecord]) -> int:
        changed = 0
        with self._lock:
            table = self.records.setdefault((company_id, data_type), {})
            for rec in records:
                is_change, store = record_change(table.get(rec.id), rec)
                changed += is_change
                if store:
                    table[rec.id] = rec
        return changed

    def get_record(self, company_id: str, data_type: str, record_id: str) -> SyncRecord | None:
        with self._lock:
            return self.records.get((company_id, data_type), {}).get(record_id)

    def list_records(self, company_id: str, data_type: str) -> list[SyncRecord]:
        with self._lock:
            return list(self.records.get((company_id, data_type), {}).values())

    # -- cursors ------------------------------------------------------------------------------------
    def get_cursor(self, connection_id: str, key: str) -> str | None:
        with self._lock:
            return self.cursors.get((connection_id, key))

    def set_cursor(self, connection_id: str, key: str, cursor: str) -> None:
        with self._lock:
            self.cursors[(connection_id, key)] = cursor

    # -- datasets -----------------------------------------------------------------------------------
    def new_dataset(self, company_id: str, connection_id: str, data_type: str, requested: float) -> Dataset:
        ds = Dataset(uuid.uuid4().hex, company_id, connection_id, data_type, requested=requested)
        self.save_dataset(ds)
        return replace(ds)

    def save_dataset(self, dataset: Dataset) -> None:
        with self._lock:
            self._datasets[dataset.id] = replace(dataset, checkpoint=dict(dataset.checkpoint),
                                                 issues=list(dataset.issues))

    def get_dataset(self, dataset_id: str) -> Dataset | None:
        with self._lock:
            ds = self._datasets.get(dataset_id)
            return replace(ds, checkpoint=dict(ds.checkpoint), issues=list(ds.issues)) if ds else None

    def datasets(self, company_id: str | None = None) -> list[Dataset]:
        with self._lock:
            return [replace(d) for d in self._datasets.values() if company_id in (None, d.company_id)]

    # -- events, connection ------------------------------------------------------------------------
    def emit(self, event_type: str, payload: Mapping[str, Any]) -> None:
        with self._lock:
            self.events.append({"id": str(next(self._event_ids)), "eventType": event_type,
                                "generatedDate": iso(self.clock.now()), "payload": dict(payload)})

    def connection_deauthorized(self, connection_id: str, reason: str) -> None:
        with self._lock:
            first = connection_id not in self.deauthorized
            self.deauthorized[connection_id] = reason
        if first:
            self.emit("connection.disconnected", {"connectionId": connection_id, "status": "Deauthorized",
                                                  "reason": reason})

    def mark_initial_sync(self, connection_id: str) -> bool:
        with self._lock:
            if connection_id in self._initial_done:
                return False
            self._initial_done.add(connection_id)
            return True
