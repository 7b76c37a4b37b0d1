"""The HTTP edge on the three servers (werkzeug: tests, the harness, ``serve --server werkzeug``;
granian: the default ``serve``; gunicorn: ``serve --server gunicorn``), issue 9 item 5: no
malformed request ever gets a 500, an HTML page, a traceback or no answer.

Where our code answers (the app, werkzeug's handler, the gunicorn worker) the answer is a JSON
4xx in the caller's shape. granian answers a malformed request line and too many headers itself,
in Rust, with an empty 400/414/431 and the connection closed: that is checked as what it is.
The servers read request bodies with a 1 s timeout here (``MOCK_ZOHO_READ_TIMEOUT_S``; 30 s by
default)."""
from __future__ import annotations

import json
import re
import socket
from dataclasses import dataclass
from typing import Iterator

import pytest

from mock_zoho import Emulator, testing
from mock_zoho.serving.edge import READ_TIMEOUT_ENV
from mock_zoho.serving.werkzeug import RedactingRequestHandler

SERVERS = ["werkzeug", "granian", "gunicorn"]
SECRET = b"1000.edgesecret0123456789abcdef"  # in a malformed request line: must reach no log


@dataclass
class Edge:
    server: str
    port: int
    auth: bytes  # an Authorization header line


def _world(zoho) -> bytes:
    user = zoho.admin.create_user("edge@example.com")
    zoho.admin.create_org("Edge", users=[user], counts={"contacts": 6})
    return b"Authorization: Zoho-oauthtoken " + zoho.token(user).access_token.encode() + b"\r\n"


@pytest.fixture(scope="module", params=SERVERS)
def edge(request) -> Iterator[Edge]:
    if request.param == "werkzeug":
        saved = RedactingRequestHandler.timeout
        RedactingRequestHandler.timeout = 1
        try:
            with testing.server(Emulator(demo=False)) as zoho:
                yield Edge("werkzeug", int(zoho.base.rsplit(":", 1)[1]), _world(zoho))
        finally:
            RedactingRequestHandler.timeout = saved
        return
    args = ["--server", request.param] + (["--threads", "4"] if request.param == "granian" else [])
    zoho = testing.workers(1, store="memory", args=args, env={READ_TIMEOUT_ENV: "1"})
    proc = zoho.process  # type: ignore[attr-defined]
    try:
        yield Edge(request.param, int(zoho.base.rsplit(":", 1)[1]), _world(zoho))
        proc.terminate()
        _, log = proc.communicate(timeout=15)  # the server's whole log
    finally:
        zoho.close()
    assert b"Traceback" not in log and SECRET not in log, log[-2000:]


@dataclass
class Answer:
    status: int
    head: bytes
    body: bytes
    closed: bool  # the server closed the connection after the answer

    def json(self) -> dict:
        return json.loads(self.body)


def _read_answer(sock: socket.socket, buf: bytes) -> tuple[Answer | None, bytes]:
    """One response from ``buf`` plus what the socket sends (None: the server sent nothing more)."""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            return None, buf
        buf += chunk
    head, _, rest = buf.partition(b"\r\n\r\n")
    length = int(m.group(1)) if (m := re.search(rb"(?i)\r\ncontent-length:\s*(\d+)", head)) else 0
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        rest += chunk
    return Answer(int(head.split(b" ", 2)[1]), head, rest[:length], False), rest[length:]


def exchange(edge: Edge, data: bytes, answers: int = 1, timeout: float = 10) -> list[Answer]:
    """Send raw bytes; read up to ``answers`` responses, then whether the server closes."""
    out: list[Answer] = []
    with socket.create_connection(("127.0.0.1", edge.port), timeout=timeout) as sock:
        sock.sendall(data)
        buf = b""
        for _ in range(answers):
            answer, buf = _read_answer(sock, buf)
            if answer is None:
                break
            out.append(answer)
        assert out, "the server sent no bytes"
        sock.settimeout(0.5)
        try:
            out[-1].closed = not buf and sock.recv(1) == b""
        except (TimeoutError, socket.timeout):
            out[-1].closed = False
        except ConnectionResetError:
            out[-1].closed = True
    for a in out:
        assert a.status < 500 and b"<html" not in a.body.lower() and b"Traceback" not in a.body, a
    return out


def _ours(edge: Edge, answer: Answer, status: tuple[int, ...], code: int) -> None:
    """Our edge's refusal: JSON in Zoho's shape, the connection closed; granian's own: empty."""
    assert answer.status in status and answer.closed, answer
    if edge.server == "granian":  # granian answers these in Rust before any of our code runs
        assert answer.body == b""
        return
    assert b"application/json" in answer.head and answer.json()["code"] == code


@pytest.mark.parametrize("line", [b"GET /x /path HTTP/1.1", b"GET  HTTP/1.1", b"GET /" + b"a" * 70000 + b" HTTP/1.1",
                                  b"\x16\x03\x01 garbage", b"GET /x?refresh_token=" + SECRET + b" /y HTTP/1.1"])
def test_malformed_request_line(edge, line: bytes) -> None:
    answer, = exchange(edge, line + b"\r\nHost: x\r\n\r\n")
    _ours(edge, answer, (400, 414), 5)


def test_more_than_100_headers(edge) -> None:
    headers = b"".join(b"X-%d: 1\r\n" % i for i in range(120))
    answer, = exchange(edge, b"GET /books/v3/contacts HTTP/1.1\r\nHost: x\r\n" + headers + b"\r\n")
    _ours(edge, answer, (431,), 2)


def test_a_header_over_64_kb(edge) -> None:
    answer, = exchange(edge, b"GET /books/v3/contacts HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 70000 + b"\r\n\r\n")
    if edge.server == "granian":  # its header buffer (about 400 KB) takes it: the app answers (no token: 401, code 57)
        assert answer.status == 401 and answer.json()["code"] == 57
        return
    _ours(edge, answer, (431,), 2)


@pytest.mark.parametrize("path", [b"/books/v3/contacts", b"/__admin/clock", b"/oauth/v2/token"])
def test_broken_chunked_body_is_refused_in_the_area_shape(edge, path: bytes) -> None:
    kind = b"application/x-www-form-urlencoded" if path.startswith(b"/oauth") else b"application/json"  # what each reads
    answer, = exchange(edge, b"POST " + path + b" HTTP/1.1\r\nHost: localhost\r\n" + edge.auth +
                       b"Transfer-Encoding: chunked\r\nContent-Type: " + kind + b"\r\n\r\nzz\r\nabc\r\n0\r\n\r\n")
    assert answer.closed, answer
    body = answer.json()
    if path.startswith(b"/oauth"):  # the token endpoint answers its errors with Zoho's HTTP 200 (oauth.error_http_status)
        assert answer.status == 200 and body == {"error": "invalid_request"}
    elif path.startswith(b"/books"):  # granian hands the app an empty body: contact_name is then what is missing
        assert answer.status == 400 and body["code"] == 2 and "message" in body
    else:
        assert answer.status == 400 and "error" in body


def test_body_shorter_than_content_length_times_out_with_a_400(edge) -> None:
    answer, = exchange(edge, b"POST /books/v3/contacts HTTP/1.1\r\nHost: x\r\n" + edge.auth +
                       b"Content-Length: 50\r\nContent-Type: application/json\r\n\r\n{}", timeout=15)
    assert answer.status == 400 and answer.json() == {"code": 2, "message": "Invalid value passed for request body"}
    assert b"connection: close" in answer.head.lower()


def test_an_unread_body_never_becomes_the_next_request(edge) -> None:
    """werkzeug closes the connection; granian and gunicorn read past the body and serve the next request."""
    first = b"GET /books/v3/contacts HTTP/1.1\r\nHost: x\r\n" + edge.auth + b"Content-Length: 5\r\n\r\nhello"
    second = b"GET /books/v3/contacts HTTP/1.1\r\nHost: x\r\n" + edge.auth + b"Connection: close\r\n\r\n"
    answers = exchange(edge, first + second, answers=2)
    assert all(b"\r\nserver: zgs\r\n" in a.head.lower() for a in answers)  # Zoho's, never the server's own name
    if edge.server == "werkzeug":
        assert [a.status for a in answers] == [200] and answers[0].closed
        assert b"connection: close" in answers[0].head.lower()
    else:
        assert [a.status for a in answers] == [200, 200] and answers[1].closed
        assert answers[0].body == answers[1].body
