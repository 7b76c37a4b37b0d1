"""Serve an Emulator over real HTTP: in a background thread (tests, the harness) or in the foreground."""
from __future__ import annotations

import socket
import threading
from dataclasses import dataclass

from werkzeug.serving import BaseWSGIServer, make_server

from .emulator import Emulator


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


@dataclass
class ServerHandle:
    """A running emulator server; ``url`` is its base, ``dc_url('eu')`` a data center's."""

    emulator: Emulator
    url: str
    server: BaseWSGIServer
    thread: threading.Thread

    def dc_url(self, location: str) -> str:
        return f"{self.url}/dc/{location}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def __enter__(self) -> "ServerHandle":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_in_thread(emulator: Emulator | None = None, host: str = "127.0.0.1", port: int = 0) -> ServerHandle:
    """Start a threaded server on a free port (``port=0``) and return once it accepts requests."""
    emulator = emulator or Emulator()
    server = make_server(host, port or free_port(host), emulator.app(), threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="mock-zoho-server", daemon=True)
    thread.start()
    return ServerHandle(emulator, f"http://{host}:{server.server_port}", server, thread)
