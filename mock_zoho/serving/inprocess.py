"""In-process mode: the same app behind the ``responses`` library, with no server and no port.

Calls made with ``requests`` or ``httpx`` (sync and async) to Zoho's real hostnames (accounts.zoho.eu, www.zohoapis.com,
books.zoho.com, ...) and to the emulator's local base (``http://zoho.emulator`` by default, also
home of ``/__admin``) are answered by an Emulator; every other host goes through untouched.

    with mock_zoho.inprocess.serve() as zoho:           # a fresh Emulator
        requests.get("https://www.zohoapis.eu/books/v3/organizations", headers=...)

    @mock_zoho.inprocess.serve(emulator)                 # or as a decorator
    def test_sync(): ...
"""
from __future__ import annotations

import functools
import io
import re
import sys
from typing import Any, Callable
from urllib.parse import unquote_to_bytes, urlsplit

import requests
import responses

from ..context import ENV_BOX
from ..http import run_wsgi
from ..dc import ZOHO_HOSTS
from ..emulator import Emulator

DEFAULT_LOCAL_BASE = "http://zoho.emulator"
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")


class InProcess:
    """Context manager and decorator that routes Zoho traffic to ``emulator`` in this process."""

    def __init__(self, emulator: Emulator | None = None, local_base: str = DEFAULT_LOCAL_BASE) -> None:
        self.emulator = emulator or Emulator()
        self.local_base = local_base.rstrip("/")
        self._app = self.emulator.app()
        self._mock: responses.RequestsMock | None = None
        hosts = sorted(ZOHO_HOSTS | {urlsplit(self.local_base).netloc}, key=len, reverse=True)
        self._pattern = re.compile(r"^https?://(?:%s)(?::\d+)?(?:[/?#]|$)" % "|".join(re.escape(h) for h in hosts), re.I)

    # -- what a test uses --------------------------------------------------------------------
    @property
    def admin_url(self) -> str:
        return f"{self.local_base}/__admin"

    def dc_url(self, location: str) -> str:
        return f"{self.local_base}/dc/{location}"

    # -- plumbing ----------------------------------------------------------------------------
    def _serve(self, method: str, url: str, headers: dict[str, str], body: bytes | None) -> tuple[int, dict[str, str], bytes]:
        """Run one request through the emulator's WSGI app, as a server would."""
        environ = wsgi_environ(method or "GET", url, headers, body or b"")
        environ[ENV_BOX] = {}  # the faults middleware says here what it did
        status, out_headers, data = run_wsgi(self._app, environ)
        self.emulator.faults.inprocess_hook(environ, out_headers, data)  # a dropped connection raises here
        return int(status.split(" ", 1)[0]), {k: v for k, v in out_headers if k.lower() != "content-length"}, data

    def _answer(self, prepared: requests.PreparedRequest) -> tuple[int, dict[str, str], bytes]:
        body = prepared.body
        if isinstance(body, str):
            body = body.encode("utf-8")
        elif body is not None and not isinstance(body, (bytes, bytearray)):
            body = b"".join(body)  # a generator or file-like upload
        return self._serve(prepared.method or "GET", prepared.url or "", dict(prepared.headers.items()), body)

    def _httpx_answer(self, request: Any) -> Any:
        import httpx  # optional dependency: only httpx users reach here

        try:
            status, headers, body = self._serve(request.method, str(request.url), dict(request.headers.items()),
                                                request.read())
        except requests.exceptions.ConnectionError as exc:
            raise httpx.ConnectError(str(exc), request=request) from None
        except requests.exceptions.ChunkedEncodingError as exc:  # a truncated-body fault
            raise httpx.RemoteProtocolError(str(exc), request=request) from None
        return httpx.Response(status, headers=headers, content=body, request=request)

    def _patch_httpx(self) -> None:
        """httpx clients (zohopy, ...) bypass ``responses``: route their Zoho calls here too."""
        try:
            import httpx  # optional dependency: patched only when installed
        except ImportError:
            self._httpx_originals = None
            return
        sync_orig = httpx.HTTPTransport.handle_request
        async_orig = httpx.AsyncHTTPTransport.handle_async_request
        me = self

        def handle_request(transport, request):  # type: ignore[no-untyped-def]
            if me._pattern.match(str(request.url)):
                return me._httpx_answer(request)
            return sync_orig(transport, request)

        async def handle_async_request(transport, request):  # type: ignore[no-untyped-def]
            if me._pattern.match(str(request.url)):
                await request.aread()
                return me._httpx_answer(request)
            return await async_orig(transport, request)

        httpx.HTTPTransport.handle_request = handle_request  # type: ignore[method-assign]
        httpx.AsyncHTTPTransport.handle_async_request = handle_async_request  # type: ignore[method-assign]
        self._httpx_originals = (sync_orig, async_orig)

    def _unpatch_httpx(self) -> None:
        if getattr(self, "_httpx_originals", None):
            import httpx  # optional dependency: installed, since it was patched

            httpx.HTTPTransport.handle_request, httpx.AsyncHTTPTransport.handle_async_request = self._httpx_originals
            self._httpx_originals = None

    def start(self) -> "InProcess":
        mock = responses.RequestsMock(assert_all_requests_are_fired=False)
        mock.start()
        for method in METHODS:
            mock.add_callback(method, self._pattern, callback=self._answer)
        mock.add_passthru(re.compile(r".*"))
        self._mock = mock
        self._patch_httpx()
        return self

    def stop(self) -> None:
        self._unpatch_httpx()
        if self._mock is not None:
            self._mock.stop()
            self._mock.reset()
            self._mock = None

    def __enter__(self) -> "InProcess":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __call__(self, func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self:
                return func(*args, **kwargs)

        return wrapper


def wsgi_environ(method: str, url: str, headers: dict[str, str], body: bytes) -> dict[str, Any]:
    """The WSGI environ a server would build for this request (PEP 3333: the path unquoted and
    carried as latin-1 text). Built directly: werkzeug's test client costs more than the app."""
    parts = urlsplit(url)
    secure = parts.scheme == "https"
    host = parts.hostname or ""
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method.upper(), "SCRIPT_NAME": "",
        "PATH_INFO": unquote_to_bytes(parts.path or "/").decode("latin-1"), "QUERY_STRING": parts.query,
        "SERVER_NAME": host, "SERVER_PORT": str(parts.port or (443 if secure else 80)),
        "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0), "wsgi.url_scheme": parts.scheme or "http", "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr, "wsgi.multithread": True, "wsgi.multiprocess": False, "wsgi.run_once": False,
        "CONTENT_LENGTH": str(len(body)) if body else "",
    }
    for name, value in headers.items():
        key = name.upper().replace("-", "_")
        if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            if key == "CONTENT_TYPE" or body:
                environ[key] = value
            continue
        key = f"HTTP_{key}"
        environ[key] = f"{environ[key]},{value}" if key in environ else value
    environ.setdefault("HTTP_HOST", parts.netloc)
    return environ


def serve(emulator: Emulator | None = None, local_base: str = DEFAULT_LOCAL_BASE) -> InProcess:
    """Serve Zoho's hostnames from ``emulator`` (a fresh one if omitted) inside this process."""
    return InProcess(emulator, local_base)
