"""Production serving: ``serve --workers N`` (granian by default, or ``--server gunicorn``).

Several processes act as one Zoho only through a shared store, which also carries the journal, the
clock and the config: by default LMDB in a fresh directory under ``/dev/shm`` (the processes of one
machine; ``mock_zoho.store_lmdb``), or Redis (``--store redis://host:port/db``) for several
machines. The in-memory store lives in one process, so ``--store memory`` is refused for more than
one worker instead of silently giving each worker its own Zoho.

The master builds the emulator once (it seeds the demo world once per store and prints the
banner), then forks the workers (``preload_app``): a worker is ready as soon as it is forked.
Each worker runs ``threads`` request threads (gthread), so slow (fault-injected) calls overlap
the way the concurrency limit expects.
"""
from __future__ import annotations

import os
from typing import Any, Callable

from gunicorn.app.base import BaseApplication

SHARED_STORE_NEEDED = (
    "--workers {n} needs a store shared by the worker processes: drop --store memory (the default then is "
    "shared memory, LMDB) or use --store lmdb:///PATH or redis://HOST:PORT/DB (the in-memory store lives in "
    "one process, so {n} workers would be {n} different Zohos)"
)


class StoreError(ValueError):
    """A --store/--workers combination the emulator cannot serve; the message says what to do."""


SHM_MIN_FREE = 1 << 30  # /dev/shm must have this much room, or the store goes to the temp directory


def shared_memory_dir(shm: str = "/dev/shm") -> str:
    """A fresh directory for an LMDB store, in RAM when the machine has a roomy /dev/shm; removed at
    exit. A small one (Docker gives containers 64 MB) would kill the workers with SIGBUS once the
    store outgrew it; a file in the temp directory is mapped from the page cache, nearly as fast."""
    import atexit
    import shutil
    import tempfile

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


def make_store(url: str | None):
    """``memory`` -> MemoryStore; ``lmdb:///path`` -> LmdbStore; ``redis://...`` -> RedisStore (PINGed)."""
    from .store import MemoryStore

    if not url or url in ("memory", "auto"):
        return MemoryStore()
    if url.startswith("lmdb://"):
        from .store_lmdb import LmdbStore

        path = url[len("lmdb://"):]
        if not path:
            raise StoreError("lmdb:// needs a directory: lmdb:///dev/shm/my-zoho")
        try:
            return LmdbStore(path)
        except Exception as exc:  # lmdb.Error or OSError: say where and why
            raise StoreError(f"cannot open an LMDB store at {path}: {exc}") from None
    if url.startswith(("redis://", "rediss://", "unix://")):
        import redis

        from .store_redis import RedisStore

        store = RedisStore(url)
        try:
            store.ping()
            store.reap_dead_holders()  # a worker that replaces a dead one frees what that one held
        except redis.exceptions.RedisError as exc:
            raise StoreError(f"cannot reach Redis at {url}: {exc}") from None
        return store
    raise StoreError(f"unknown store {url!r}: use 'memory', 'lmdb', lmdb:///path or redis://host:port/db")


def check_workers(workers: int, store) -> None:
    if workers > 1 and not getattr(store, "shared", False):
        raise StoreError(SHARED_STORE_NEEDED.format(n=workers))


class GunicornServer(BaseApplication):
    """gunicorn driven from Python: no config file, no command line of its own."""

    def __init__(self, app: Callable, options: dict[str, Any]) -> None:
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings and value is not None:
                self.cfg.set(key.lower(), value)

    def load(self) -> Callable:
        return self.application


def gunicorn_options(host: str, port: int, workers: int, threads: int = 8, on_ready: Callable | None = None,
                     on_worker_exit: Callable | None = None) -> dict[str, Any]:
    opts: dict[str, Any] = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "preload_app": True,
        "accesslog": None,
        "loglevel": "warning",
        "timeout": 120,
        "graceful_timeout": 5,
        "keepalive": 30,
        "backlog": 2048,
    }
    if on_ready is not None:
        opts["when_ready"] = lambda server: on_ready()
    if on_worker_exit is not None:
        opts["child_exit"] = lambda server, worker: on_worker_exit()
    return opts


def serve_workers(emulator, host: str, port: int, workers: int, threads: int = 8, on_ready: Callable | None = None) -> None:
    """Serve ``emulator``'s app from ``workers`` gunicorn processes until interrupted."""
    check_workers(workers, emulator.store)
    reap = emulator.store.reap_dead_holders  # forked workers: the master frees a dead one's slots
    GunicornServer(_no_delay(emulator.app()), gunicorn_options(host, port, workers, threads, on_ready, reap)).run()


def _no_delay(app: Callable) -> Callable:
    """Send each response at once: gunicorn writes the headers and the body in two calls, and with
    Nagle's algorithm on (gunicorn leaves it on) the body waits for the client's delayed ACK."""
    import socket

    def wsgi(environ: dict[str, Any], start_response: Callable):
        sock = environ.get("gunicorn.socket")
        if sock is not None:
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            except OSError:
                pass
        return app(environ, start_response)

    return wsgi


# ---- granian ---------------------------------------------------------------------------------------
# granian (a Rust HTTP server) serves the same WSGI app several times faster than gunicorn here (see
# bench/), so ``serve --workers N`` uses it; gunicorn stays for a faithful ``reset`` fault (granian
# hides the client's socket, so a reset reaches the client as a response cut short).
# Its workers are spawned, not forked: each one rebuilds the emulator from the same arguments, passed
# in this environment variable. With one worker and the memory store the worker's emulator is the
# only one serving; with Redis every worker shares one Zoho and the demo world is seeded once.
GRANIAN_ARGS_ENV = "MOCK_ZOHO_SERVE_ARGS"


def granian_target(_target: str = ""):
    """Loader run inside each granian worker: build the emulator, return its WSGI app."""
    import json
    import os

    from .cli import build_emulator

    args = json.loads(os.environ[GRANIAN_ARGS_ENV])
    return build_emulator(**args).app()


def serve_granian(args: dict[str, Any], store, host: str, port: int, workers: int, threads: int) -> None:
    """Serve with granian: ``workers`` processes of ``threads`` request threads each."""
    import json
    import os

    from granian import Granian
    from granian.constants import Interfaces

    check_workers(workers, store)
    os.environ[GRANIAN_ARGS_ENV] = json.dumps(args)
    server = Granian("mock_zoho", address=host, port=port, interface=Interfaces.WSGI, workers=workers,
                     blocking_threads=threads, log_enabled=False, respawn_failed_workers=True,
                     respawn_interval=0.5)
    server.serve(target_loader=granian_target)
