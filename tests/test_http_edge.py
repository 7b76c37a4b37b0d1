"""The HTTP edge of the werkzeug server (tests, the harness, ``serve --server werkzeug``): every
malformed request gets a JSON 4xx in Zoho's shape and a closed connection (issue 9 item 5)."""
from __future__ import annotations

import json
import socket
from typing import Iterator

import pytest

from mock_zoho import Emulator, testing
from mock_zoho.serving.werkzeug import RedactingRequestHandler


@pytest.fixture(scope="module")
def edge() -> Iterator[tuple[int, bytes]]:
    with testing.server(Emulator(demo=False)) as zoho:
        user = zoho.admin.create_user("edge@example.com")
        zoho.admin.create_org("Edge", users=[user], counts={"contacts": 6})
        token = zoho.token(user).access_token.encode()
        yield int(zoho.base.rsplit(":", 1)[1]), b"Authorization: Zoho-oauthtoken " + token + b"\r\n"


def exchange(port: int, data: bytes, timeout: float = 10) -> tuple[int, dict, bytes]:
    """Send raw bytes; read until the server closes. (status, JSON body, raw head)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        out = b""
        while chunk := sock.recv(65536):
            out += chunk
    assert out, "the server sent no bytes"
    head, _, body = out.partition(b"\r\n\r\n")
    assert b"application/json" in head and b"<html" not in out.lower()
    return int(head.split(b" ", 2)[1]), json.loads(body), head


BOOKS_AUTH = b"Host: x\r\n"


@pytest.mark.parametrize("line", [b"GET /x /path HTTP/1.1", b"GET  HTTP/1.1", b"GET /" + b"a" * 70000 + b" HTTP/1.1",
                                  b"\x16\x03\x01 garbage"])
def test_malformed_request_line_gets_json(edge, line: bytes) -> None:
    port, _ = edge
    status, body, _ = exchange(port, line + b"\r\nHost: x\r\n\r\n")
    assert 400 <= status < 500 and body["code"] == 5


@pytest.mark.parametrize("headers", [b"".join(b"X-%d: 1\r\n" % i for i in range(120)), b"X-Big: " + b"a" * 70000 + b"\r\n"])
def test_header_limits_get_json_431(edge, headers: bytes) -> None:
    port, _ = edge
    status, body, _ = exchange(port, b"GET /books/v3/contacts HTTP/1.1\r\nHost: x\r\n" + headers + b"\r\n")
    assert status == 431 and body["code"] == 2


@pytest.mark.parametrize("path", [b"/books/v3/contacts", b"/__admin/clock", b"/oauth/v2/token"])
def test_broken_chunked_body_is_a_400_in_the_area_shape(edge, path: bytes) -> None:
    port, auth = edge
    status, body, head = exchange(port, b"POST " + path + b" HTTP/1.1\r\nHost: localhost\r\n" + auth +
                                  b"Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nzz\r\nabc\r\n0\r\n\r\n")
    # the token endpoint answers its errors with Zoho's HTTP 200 (oauth.error_http_status)
    assert status == (200 if path.startswith(b"/oauth") else 400), body
    assert b"connection: close" in head.lower()
    assert body == {"error": "invalid_request"} if path.startswith(b"/oauth") else \
        ("code" in body) if path.startswith(b"/books") else ("error" in body)


def test_body_shorter_than_content_length_times_out(edge, monkeypatch: pytest.MonkeyPatch) -> None:
    port, auth = edge
    monkeypatch.setattr(RedactingRequestHandler, "timeout", 1)  # the default is READ_TIMEOUT_S (30 s)
    status, body, _ = exchange(port, b"POST /books/v3/contacts HTTP/1.1\r\nHost: x\r\n" + auth +
                               b"Content-Length: 50\r\nContent-Type: application/json\r\n\r\n{}", timeout=15)
    assert status == 400 and body["code"] == 2


def test_unread_body_closes_the_connection(edge) -> None:
    port, auth = edge
    status, _, head = exchange(port, b"GET /books/v3/contacts HTTP/1.1\r\nHost: x\r\n" + auth +
                               b"Content-Length: 5\r\n\r\nhello")
    assert status == 200 and b"connection: close" in head.lower()
