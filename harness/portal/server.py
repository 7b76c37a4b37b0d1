"""``serve(platform)``: the portal on a threaded werkzeug server, on a free port unless told otherwise.

The request log goes through ``redact``: Link URLs carry one-time passwords and the OAuth callback
carries Zoho's code, and neither may reach a log line.
"""
from __future__ import annotations

import logging
import threading
from typing import Any, Callable

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from harness.redact import redact

from .events import Deliverer

log = logging.getLogger("harness.portal.http")


class RedactingHandler(WSGIRequestHandler):
    """werkzeug's handler, with every request line masked before it is logged."""

    def log(self, type: str, message: str, *args: Any) -> None:  # noqa: A002 (werkzeug's signature)
        text = message % args if args else message
        getattr(log, type if type in ("info", "warning", "error") else "info")(
            "%s %s", self.address_string(), redact(text))


class PortalServer:
    """A running portal: ``url``, ``platform``, ``stop()``; a context manager."""

    def __init__(self, platform: Any, server: BaseWSGIServer) -> None:
        self.platform, self._server = platform, server
        self.host, self.port = server.server_address[:2]
        self.url = f"http://{self.host}:{self.port}"
        self._thread = threading.Thread(target=server.serve_forever, name=f"portal-{self.port}", daemon=True)
        self._deliverer = Deliverer(platform.events)

    def start(self) -> "PortalServer":
        self._thread.start()
        self._deliverer.start()
        return self

    def stop(self) -> None:
        self._deliverer.stop()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def __enter__(self) -> "PortalServer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve(platform: Any, host: str = "127.0.0.1", port: int = 0) -> PortalServer:
    """Start ``platform`` on ``host:port`` (0: a free port) in a background thread."""
    server = make_server(host, port, platform.app, threaded=True, request_handler=RedactingHandler)
    handle = PortalServer(platform, server)
    if not platform.public_url_given:
        platform.set_public_url(handle.url)
    return handle.start()


def run_until_interrupted(*stops: Callable[[], None]) -> None:
    """Block the command line until Ctrl-C, then run ``stops`` in order (``python -m harness.portal
    serve`` and ``zoho-harness serve``)."""
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        for stop in stops:
            stop()
