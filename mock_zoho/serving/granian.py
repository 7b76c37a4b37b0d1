"""``serve`` (the default server) and ``serve --workers N``: granian, a Rust HTTP server that serves
the same WSGI app several times faster than werkzeug or gunicorn here (see ``bench/``).

granian hides the client's socket, so a ``reset`` or ``truncate`` fault ends the response early as
granian chooses (no response, or a body cut short); ``--server werkzeug`` (one process) or
``--server gunicorn`` do exactly what the rule says.

granian answers a malformed request line or headers past its limits itself (an empty 400, 414 or
431 with the connection closed), and has no read timeout for a request body: each body read of
the app gives up after ``edge.read_timeout()`` seconds instead (``edge.GuardedInput``).

Its workers are spawned, not forked: each one rebuilds the emulator from the same arguments, passed
in an environment variable. With one worker and the memory store the worker's emulator is the only
one serving; on a shared store every worker shares one Zoho and the demo world is seeded once.
"""
from __future__ import annotations

import json
import os
from typing import Any, Callable, Iterable

from ..context import ENV_RAW_PATH
from ..storage import Store
from .edge import guard_input, read_timeout
from .launch import build_emulator, check_workers

GRANIAN_ARGS_ENV = "MOCK_ZOHO_SERVE_ARGS"
ACCESS_LOG_ENV = "MOCK_ZOHO_ACCESS_LOG"


def access_log(app: Callable, fd: int = 2) -> Callable:
    """One line per request on stderr, as werkzeug's log: method, path as sent (no query string, so
    no secret), status. One ``os.write`` each: granian's own access log (Python logging) halves the
    throughput of a replayed call."""
    write = os.write

    def logged(environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        status = "-"

        def start(line: str, headers: list, exc_info: Any = None) -> Callable:
            nonlocal status
            status = line[:3]
            return start_response(line, headers, exc_info)

        result = app(environ, start)
        path = environ.get(ENV_RAW_PATH) or environ.get("PATH_INFO", "")
        try:
            write(fd, f'"{environ.get("REQUEST_METHOD")} {path} {environ.get("SERVER_PROTOCOL", "")}" {status}\n'.encode())
        except OSError:  # stderr closed: the answer matters more than its log line
            pass
        return result

    return logged


def granian_target(_target: str = "") -> Callable:
    """Loader run inside each granian worker: build the emulator, return its WSGI app."""
    app = guard_input(build_emulator(**json.loads(os.environ[GRANIAN_ARGS_ENV])).app(), read_timeout())
    return access_log(app) if os.environ.get(ACCESS_LOG_ENV) == "1" else app


def serve_granian(args: dict[str, Any], store: Store, host: str, port: int, workers: int, threads: int,
                  log_requests: bool = False) -> None:
    """Serve with granian: ``workers`` processes of ``threads`` request threads each; ``log_requests``
    writes the access log (the one-process ``serve``, as werkzeug's did; ``--workers`` logs none)."""
    from granian import Granian  # granian is an optional dependency: imported only to serve with it
    from granian.constants import Interfaces

    check_workers(workers, store)
    os.environ[GRANIAN_ARGS_ENV] = json.dumps(args)
    os.environ[ACCESS_LOG_ENV] = "1" if log_requests else "0"
    server = Granian("mock_zoho", address=host, port=port, interface=Interfaces.WSGI, workers=workers,
                     blocking_threads=threads, log_enabled=False, respawn_failed_workers=True,
                     respawn_interval=0.5)
    server.serve(target_loader=granian_target)
