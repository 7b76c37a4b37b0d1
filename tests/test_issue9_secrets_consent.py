"""Issue 9 items 6 and 7: no credential header reaches the journal or the log verbatim, and a
returning user is asked again when the requested scopes go beyond what it granted."""
from __future__ import annotations

import logging
import socket

import pytest

from mock_zoho import Emulator, testing
from mock_zoho.testing import redirect_params

from .oauth_helpers import authorize, linked, make_client, make_user

SECRET = "1000.deadbeefdeadbeefdeadbeefdeadbeef.cafebabecafebabecafebabecafebabe"


@pytest.fixture
def zoho():
    with testing.server(Emulator(demo=False)) as target:
        yield target


def test_credential_headers_never_journaled_verbatim(zoho) -> None:
    zoho.session.get(f"{zoho.books_url()}/contacts", headers={
        "Proxy-Authorization": f"Basic {SECRET}", "X-Zoho-Authtoken": SECRET, "X-Api-Key": SECRET,
        "Authorization": f"Zoho-oauthtoken {SECRET}", "User-Agent": "probe/1"})
    entry = zoho.admin.requests(limit=1)[0]
    assert SECRET not in str(entry)
    assert entry["headers"]["User-Agent"] == "probe/1"  # allow-listed headers stay readable
    assert entry["headers"]["X-Zoho-Authtoken"].startswith("fp:")


def test_secret_in_a_malformed_request_line_is_not_logged(zoho, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    host, port = zoho.base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(f"GET /x?refresh_token={SECRET} /oops HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        sock.settimeout(5)
        try:
            sock.recv(65536)
        except OSError:
            pass
    assert SECRET not in caplog.text


def test_returning_user_asked_again_for_wider_scopes(zoho) -> None:
    client = make_client(zoho)
    make_user(zoho, "narrow@example.test", "us")
    linked(zoho, client, "narrow@example.test", scope="ZohoBooks.invoices.READ", prompt="consent")
    # Deny wherever the consent page is shown: a code in the redirect means the page was skipped.
    wider = authorize(zoho, client, "narrow@example.test", scope="ZohoBooks.fullaccess.all", prompt=None,
                      decision="deny")
    assert redirect_params(wider).get("error") == "access_denied"  # the consent page was shown
    same = authorize(zoho, client, "narrow@example.test", scope="ZohoBooks.invoices.READ", prompt=None,
                     decision="deny")
    assert "code" in redirect_params(same)  # covered scopes: skipped as before
