"""The portal's SQLite database: one file (owner-only) or one in-memory database for tests.

Why a pool and not a connection per thread: werkzeug's threaded server starts a thread per request,
so thread-local connections would never be closed. A thread borrows one pooled connection for the
length of a transaction (so it has its own connection while it works) and gives it back.
Writes run in ``BEGIN IMMEDIATE`` transactions (one writer at a time, WAL lets readers go on), so
nothing is ever half-written. The in-memory database is one connection behind a lock.
"""
from __future__ import annotations

import os
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from .schema import MIGRATIONS

MEMORY = ":memory:"
_POOL_IDLE_MAX = 8


class Database:
    """``with db.write() as c:`` / ``with db.read() as c:``; nested calls join the outer transaction."""

    def __init__(self, path: str | os.PathLike[str] = MEMORY) -> None:
        self.path = str(path)
        self.memory = self.path == MEMORY
        self._local = threading.local()
        self._lock = threading.RLock()  # memory: the one connection; file: the pool list
        self._idle: list[sqlite3.Connection] = []
        self._closed = False
        if self.memory:
            self._only = self._connect()
        else:
            _create_owner_only(Path(self.path))
        self.migrate()

    # -- connections -------------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=30000")
        if not self.memory:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
        return conn

    def _borrow(self) -> sqlite3.Connection:
        if self.memory:
            self._lock.acquire()
            return self._only
        with self._lock:
            if self._closed:
                raise RuntimeError("the portal database is closed")
            if self._idle:
                return self._idle.pop()
        return self._connect()

    def _give_back(self, conn: sqlite3.Connection) -> None:
        if self.memory:
            self._lock.release()
            return
        with self._lock:
            if not self._closed and len(self._idle) < _POOL_IDLE_MAX:
                self._idle.append(conn)
                return
        conn.close()

    @contextmanager
    def _transaction(self, begin: str) -> Iterator[sqlite3.Connection]:
        outer = getattr(self._local, "conn", None)
        if outer is not None:  # nested: part of the caller's transaction
            yield outer
            return
        conn = self._borrow()
        self._local.conn, self._local.after = conn, []
        try:
            conn.execute(begin)
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            after = self._local.after
        finally:
            self._local.conn, self._local.after = None, []
            self._give_back(conn)
        for callback in after:
            callback()

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` once the current transaction has committed (never if it rolls back)."""
        if getattr(self._local, "conn", None) is None:
            callback()
        else:
            self._local.after.append(callback)

    def write(self) -> "contextmanager[sqlite3.Connection]":
        """A write transaction: all or nothing, one writer at a time."""
        return self._transaction("BEGIN IMMEDIATE")

    def read(self) -> "contextmanager[sqlite3.Connection]":
        """A consistent read (one snapshot for every statement inside)."""
        return self._transaction("BEGIN DEFERRED")

    # -- schema ------------------------------------------------------------------------------
    def version(self) -> int:
        with self.read() as c:
            row = c.execute("SELECT MAX(version) AS v FROM schema_version").fetchone()
        return int(row["v"] or 0)

    def migrate(self) -> int:
        """Apply every migration newer than the stored version, each in its own transaction."""
        with self.write() as c:
            c.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied REAL)")
        current = self.version()
        for version, script in MIGRATIONS:
            if version <= current:
                continue
            with self.write() as c:
                for statement in (s.strip() for s in script.split(";")):
                    if statement:
                        c.execute(statement)
                c.execute("INSERT INTO schema_version (version, applied) VALUES (?, strftime('%s','now'))", (version,))
            current = version
        return current

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()
        if self.memory:
            self._only.close()


def _create_owner_only(path: Path) -> None:
    """Create the database file (and its WAL companions) readable by the owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        fd = os.open(name, os.O_CREAT | os.O_RDWR, 0o600)
        os.close(fd)
        os.chmod(name, 0o600)
