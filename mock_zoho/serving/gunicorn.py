"""``serve --server gunicorn``: gunicorn's gthread workers, for exact connection faults with several
processes (gunicorn hands the app the client's socket, so a ``reset`` fault is a real RST).

The master builds the emulator once (it seeds the demo world once per store and prints the
banner), then forks the workers (``preload_app``): a worker is ready as soon as it is forked.
Each worker runs ``threads`` request threads (gthread), so slow (fault-injected) calls overlap
the way the concurrency limit expects. What gunicorn refuses itself is answered in Zoho's JSON
shape (``ZohoThreadWorker``), and a request body is read with a timeout.
"""
from __future__ import annotations

import socket
from typing import Any, Callable

from http import HTTPStatus

from gunicorn import util
from gunicorn.app.base import BaseApplication
from gunicorn.http import errors as http_errors
from gunicorn.workers.gthread import ThreadWorker

from .. import literals as L
from ..emulator import Emulator
from .edge import edge_answer, read_timeout
from .launch import check_workers

# gunicorn's refusals of a request it could not parse, and the status each gets (others: 400)
NOT_THE_CLIENTS = (http_errors.InvalidResponseHeader, http_errors.InvalidResponseHeaderName,
                   http_errors.ConfigurationProblem)  # parse errors of the app's answer or the setup
EDGE_STATUS = {http_errors.LimitRequestLine: 414, http_errors.LimitRequestHeaders: 431,
               http_errors.ExpectationFailed: 417, http_errors.UnsupportedTransferCoding: 501,
               http_errors.ForbiddenProxyRequest: 403}


class ZohoThreadWorker(ThreadWorker):
    """gunicorn's gthread worker, answering what gunicorn refuses itself (a malformed request line,
    headers past its limits: 100 fields, 8190 bytes each, a 4094-byte request line) in Zoho's JSON
    shape instead of its HTML page, and logging only the status: gunicorn's own log line quotes
    the request line, which may hold a secret (a token in the query)."""

    def handle_error(self, req, client, addr, exc) -> None:  # type: ignore[no-untyped-def]
        if isinstance(exc, http_errors.ParseException) and not isinstance(exc, NOT_THE_CLIENTS):
            status = next((code for kind, code in EDGE_STATUS.items() if isinstance(exc, kind)), 400)
            self.log.warning("request refused (%s %s)", status, type(exc).__name__)
            body = edge_answer(status)
        else:  # the app maps its own errors: this is gunicorn's, after the app (never its URI: it may hold a secret)
            status = 500
            self.log.error("error handling a request (%s)", type(exc).__name__)
            body = b'{"code":%d,"message":"%s"}' % (L.INTERNAL_ERROR.code, L.INTERNAL_ERROR.message.encode())
        head = (f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\nConnection: close\r\n"
                f"Content-Type: {L.JSON_CONTENT_TYPE}\r\nContent-Length: {len(body)}\r\nServer: {L.SERVER_HEADER}\r\n\r\n")
        try:
            util.write_nonblock(client, head.encode("latin1") + body)
        except Exception:  # the client left
            self.log.debug("failed to send the refusal")


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
        "worker_class": ZohoThreadWorker,
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
    Nagle's algorithm on (gunicorn leaves it on) the body waits for the client's delayed ACK. And
    read the body with a timeout (gunicorn has none: a body shorter than its Content-Length would
    hold the thread until the client left); the app answers the timeout with a 400."""
    timeout = read_timeout()

    def wsgi(environ: dict[str, Any], start_response: Callable):
        sock = environ.get("gunicorn.socket")
        if sock is not None:
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                sock.settimeout(timeout)
            except OSError:
                pass
        return app(environ, _closing(start_response))

    return wsgi


def _closing(start_response: Callable) -> Callable:
    """What gunicorn does not take from the app, set on the response object behind
    ``start_response``: Zoho's ``Server: ZGS`` (gunicorn writes its own name and drops the app's),
    and ``Connection: close`` (a hop-by-hop header gunicorn drops; the app sends it when what is
    left of a body it could not read must not be taken for the next request)."""
    response = getattr(start_response, "__self__", None)
    if response is not None and hasattr(response, "version"):
        response.version = L.SERVER_HEADER

    def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable:
        if any(k.lower() == "connection" and v.lower() == "close" for k, v in headers):
            force_close = getattr(response, "force_close", None)
            if force_close is not None:
                force_close()
        return start_response(status, headers, exc_info)

    return start
