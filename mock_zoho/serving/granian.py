"""``serve`` (the default server) and ``serve --workers N``: granian, a Rust HTTP server that serves
the same WSGI app several times faster than werkzeug or gunicorn here (see ``bench/``).

granian hides the client's socket, so a ``reset`` or ``truncate`` fault ends the response early as
granian chooses (no response, or a body cut short); ``--server werkzeug`` (one process) or
``--server gunicorn`` do exactly what the rule says.

Its workers are spawned, not forked: each one rebuilds the emulator from the same arguments, passed
in an environment variable. With one worker and the memory store the worker's emulator is the only
one serving; on a shared store every worker shares one Zoho and the demo world is seeded once.
"""
from __future__ import annotations

import json
import os
from typing import Any

from flask import Flask

from ..storage import Store
from .launch import build_emulator, check_workers

GRANIAN_ARGS_ENV = "MOCK_ZOHO_SERVE_ARGS"
# granian's access log (method, path without the query string, status: no secrets) on stderr, as
# werkzeug's; its own messages stay off.
LOG_TO_STDERR = {"handlers": {
    "console": {"formatter": "generic", "class": "logging.StreamHandler", "stream": "ext://sys.stderr"},
    "access": {"formatter": "access", "class": "logging.StreamHandler", "stream": "ext://sys.stderr"},
}}


def granian_target(_target: str = "") -> Flask:
    """Loader run inside each granian worker: build the emulator, return its WSGI app."""
    args = json.loads(os.environ[GRANIAN_ARGS_ENV])
    return build_emulator(**args).app()


def serve_granian(args: dict[str, Any], store: Store, host: str, port: int, workers: int, threads: int) -> None:
    """Serve with granian: ``workers`` processes of ``threads`` request threads each."""
    from granian import Granian  # granian is an optional dependency: imported only to serve with it
    from granian.constants import Interfaces

    check_workers(workers, store)
    os.environ[GRANIAN_ARGS_ENV] = json.dumps(args)
    server = Granian("mock_zoho", address=host, port=port, interface=Interfaces.WSGI, workers=workers,
                     blocking_threads=threads, log_enabled=False, log_access=True, log_dictconfig=LOG_TO_STDERR,
                     respawn_failed_workers=True,
                     respawn_interval=0.5)
    server.serve(target_loader=granian_target)
