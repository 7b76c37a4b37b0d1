"""Serve an Emulator with werkzeug's threaded server: in a background thread (tests, the harness) or
in the foreground (``serve --server werkzeug``). It hands the app the client's socket, so a
``reset`` or ``truncate`` fault does exactly what the rule says."""
from __future__ import annotations

import threading
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from ..emulator import Emulator
from ..literals import JSON_CONTENT_TYPE, SERVER_HEADER
from ..redact import redact_pairs
from .edge import edge_answer, read_timeout
from .ports import free_port

__all__ = ["RedactingRequestHandler", "make_redacting_server", "free_port", "ServerHandle", "start_in_thread"]




class RedactingRequestHandler(WSGIRequestHandler):
    """Werkzeug's handler, minus secrets in the access log, with Zoho's ``Server: ZGS`` only, JSON
    for the errors the server answers itself, no HTTP/0.9 and a read timeout."""

    timeout = read_timeout()

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        if self.request_version == "HTTP/0.9" or not self.path.startswith("/"):
            self.send_error(400)
            return False
        return True

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        # JSON in Zoho's shape (``edge.edge_answer``), never the standard library's HTML page
        body = edge_answer(code)
        if getattr(self, "request_version", "HTTP/0.9") == "HTTP/0.9":
            self.request_version = "HTTP/1.1"  # an unparsed line counts as HTTP/0.9, which has no status line
        self.close_connection = True
        self.send_response(code)
        self.send_header("Content-Type", JSON_CONTENT_TYPE)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Server", SERVER_HEADER)
        self.send_header("Connection", "close")
        self.end_headers()
        if getattr(self, "command", None) != "HEAD":
            self.wfile.write(body)

    def version_string(self) -> str:
        return SERVER_HEADER

    def send_response(self, code: int, message: str | None = None) -> None:
        # BaseHTTPRequestHandler adds its own Server header here; the app already sends Zoho's.
        self.log_request(code)
        self.send_response_only(code, message)
        self.send_header("Date", self.date_time_string())

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        command, path = getattr(self, "command", None), getattr(self, "path", None)
        if not command or not isinstance(path, str) or not path.startswith("/"):
            # a request line the server could not parse: it may hold anything, a secret included
            self.log("info", '"<malformed request line>" %s %s', code, size)
            return
        path, _, query = path.partition("?")
        if query:
            pairs = redact_pairs(parse_qsl(query, keep_blank_values=True))
            path = f"{path}?{urlencode([tuple(p) for p in pairs])}"
        self.log("info", '"%s %s %s" %s %s', command, path[:2048], getattr(self, "request_version", "-"), code, size)

    def log_error(self, format: str, *args: object) -> None:
        """The standard library logs the raw request line with its errors ("Bad request syntax
        ('GET /x?refresh_token=...')"): only the status reaches our log."""
        code = args[0] if args and isinstance(args[0], int) else "-"
        self.log("error", "request refused (%s)", code)


def make_redacting_server(host: str, port: int, app, threaded: bool = True) -> BaseWSGIServer:
    return make_server(host, port, app, threaded=threaded, request_handler=RedactingRequestHandler)


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
    """Start a threaded server (``port=0``: the system picks a free port as it binds, so parallel
    tests never race for one) and return once it accepts requests."""
    emulator = emulator or Emulator()
    server = make_redacting_server(host, port, emulator.app())
    thread = threading.Thread(target=server.serve_forever, name="mock-zoho-server", daemon=True)
    thread.start()
    return ServerHandle(emulator, f"http://{host}:{server.server_port}", server, thread)
