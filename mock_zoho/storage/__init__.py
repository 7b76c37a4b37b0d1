"""Where the emulator's state lives: one ``Store`` interface (``base``), four backends.

* ``memory``: dicts in one process (the default for one process);
* ``lmdb`` + ``hot``: an LMDB file and a shared-memory file, for the processes of one machine
  (the default with ``serve --workers``);
* ``redis``: a Redis server, for processes on several machines;
* ``shared``: the clock and config every process on a shared store keeps equal.

``make_store(url)`` opens one from its ``--store`` URL.
"""
from __future__ import annotations

import atexit
import os
import shutil
import tempfile

from .base import Store
from .memory import MemoryStore

__all__ = ["Store", "MemoryStore", "StoreError", "make_store", "resolve_store_url", "shared_memory_dir"]

SHM_MIN_FREE = 1 << 30  # /dev/shm must have this much room, or the store goes to the temp directory


class StoreError(ValueError):
    """A --store/--workers combination the emulator cannot serve; the message says what to do."""


def shared_memory_dir(shm: str = "/dev/shm") -> str:
    """A fresh directory for an LMDB store, in RAM when the machine has a roomy /dev/shm; removed at
    exit. A small one (Docker gives containers 64 MB) would kill the workers with SIGBUS once the
    store outgrew it; a file in the temp directory is mapped from the page cache, nearly as fast."""
    roomy = False
    if os.path.isdir(shm):
        st = os.statvfs(shm)
        roomy = st.f_bavail * st.f_frsize >= SHM_MIN_FREE
    path = tempfile.mkdtemp(prefix="mock-zoho-", dir=shm if roomy else None)
    atexit.register(shutil.rmtree, path, True)
    return path


def resolve_store_url(url: str | None, workers: int | None) -> str:
    """``auto``: memory for one process, LMDB in shared memory for several."""
    if url in (None, "", "auto"):
        return f"lmdb://{shared_memory_dir()}" if (workers or 1) > 1 else "memory"
    if url == "lmdb":
        return f"lmdb://{shared_memory_dir()}"
    return url


def make_store(url: str | None) -> Store:
    """``memory`` -> MemoryStore; ``lmdb:///path`` -> LmdbStore; ``redis://...`` -> RedisStore (PINGed)."""
    if not url or url in ("memory", "auto"):
        return MemoryStore()
    if url.startswith("lmdb://"):
        from .lmdb import LmdbStore  # lmdb is an optional dependency: imported only when asked for

        path = url[len("lmdb://"):]
        if not path:
            raise StoreError("lmdb:// needs a directory: lmdb:///dev/shm/my-zoho")
        try:
            return LmdbStore(path)
        except Exception as exc:  # lmdb.Error or OSError: say where and why
            raise StoreError(f"cannot open an LMDB store at {path}: {exc}") from None
    if url.startswith(("redis://", "rediss://", "unix://")):
        import redis  # redis is an optional dependency: imported only when asked for

        from .redis import RedisStore  # likewise

        store = RedisStore(url)
        try:
            store.ping()
            store.reap_dead_holders()  # a worker that replaces a dead one frees what that one held
        except redis.exceptions.RedisError as exc:
            raise StoreError(f"cannot reach Redis at {url}: {exc}") from None
        return store
    raise StoreError(f"unknown store {url!r}: use 'memory', 'lmdb', lmdb:///path or redis://host:port/db")
