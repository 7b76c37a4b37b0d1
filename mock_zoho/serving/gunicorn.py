"""``serve --server gunicorn``: gunicorn's gthread workers, for exact connection faults with several
processes (gunicorn hands the app the client's socket, so a ``reset`` fault is a real RST).

The master builds the emulator once (it seeds the demo world once per store and prints the
banner), then forks the workers (``preload_app``): a worker is ready as soon as it is forked.
Each worker runs ``threads`` request threads (gthread), so slow (fault-injected) calls overlap
the way the concurrency limit expects.
"""
from __future__ import annotations

import socket
from typing import Any, Callable

from gunicorn.app.base import BaseApplication

from ..emulator import Emulator
from .launch import check_workers


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


def serve_workers(emulator: Emulator, host: str, port: int, workers: int, threads: int = 8,
                  on_ready: Callable | None = None) -> None:
    """Serve ``emulator``'s app from ``workers`` gunicorn processes until interrupted."""
    check_workers(workers, emulator.store)
    reap = emulator.store.reap_dead_holders  # forked workers: the master frees a dead one's slots
    GunicornServer(_no_delay(emulator.app()), gunicorn_options(host, port, workers, threads, on_ready, reap)).run()


def _no_delay(app: Callable) -> Callable:
    """Send each response at once: gunicorn writes the headers and the body in two calls, and with
    Nagle's algorithm on (gunicorn leaves it on) the body waits for the client's delayed ACK."""

    def wsgi(environ: dict[str, Any], start_response: Callable):
        sock = environ.get("gunicorn.socket")
        if sock is not None:
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            except OSError:
                pass
        return app(environ, start_response)

    return wsgi
