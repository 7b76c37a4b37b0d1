"""Garbage in, Zoho-shaped errors out: no route answers a bad request with a 500 or a traceback.

Every route family (accounts, Books, admin) gets the same battery of bad inputs: binary and
invalid-UTF-8 bodies, JSON of the wrong shape, deep nesting, huge values, repeated and missing
parameters, odd methods. The answer must be a 4xx in the caller's shape, and the emulator must
still serve a good request afterwards (it lost nothing).
"""
from __future__ import annotations

import pytest

from tests.books_helpers import world

HUGE = "x" * 200_000
BODIES = [
    b"\x00\xff\xfe garbage \x80",
    b"{not json",
    b"[1, 2, 3]",
    b'"just a string"',
    b"[" * 5000 + b"]" * 5000,
    b'{"JSONString": ' + b'"' + b"y" * 100_000 + b'"}',
    b"JSONString=%7Bbroken&JSONString=%7B%7D",
]
QUERIES = [
    "a=%ff%fe%00",
    "page=1&page=2&per_page=-1",
    f"search_text={HUGE[:20000]}",
    "organization_id=&organization_id=",
    "grant_type=authorization_code&grant_type=refresh_token",
]


def _routes(zoho, books):
    acc, api = zoho.accounts_url("eu"), zoho.books_url("eu")
    return [
        ("POST", f"{acc}/oauth/v2/token"),
        ("GET", f"{acc}/oauth/v2/token"),
        ("POST", f"{acc}/oauth/v2/token/revoke"),
        ("POST", f"{acc}/oauth/v2/revoke/token"),
        ("GET", f"{acc}/oauth/v2/auth"),
        ("POST", f"{acc}/oauth/v2/auth/signin"),
        ("POST", f"{acc}/oauth/v2/auth/consent"),
        ("GET", f"{acc}/oauth/serverinfo"),
        ("GET", f"{api}/invoices"),
        ("POST", f"{api}/invoices"),
        ("PUT", f"{api}/invoices/123"),
        ("DELETE", f"{api}/contacts/999"),
        ("POST", f"{api}/customerpayments"),
        ("PATCH", f"{api}/invoices"),
        ("GET", f"{api}/organizations/abc"),
        ("POST", f"{zoho.admin_url}/clients"),
        ("POST", f"{zoho.admin_url}/users"),
        ("POST", f"{zoho.admin_url}/organizations"),
        ("POST", f"{zoho.admin_url}/clock"),
        ("PATCH", f"{zoho.admin_url}/config"),
        ("POST", f"{zoho.admin_url}/faults"),
        ("PATCH", f"{zoho.admin_url}/limits/{books.org_id}"),
    ]


def _check(r, method, url):
    where = f"{method} {url[:90]}"
    assert r.status_code < 500, (where, r.status_code, r.text[:300])
    assert "Traceback" not in r.text, where
    ctype = r.headers.get("Content-Type", "")
    if method == "OPTIONS" and not r.content:
        return  # Flask's automatic OPTIONS answer: an empty 200 with an Allow header
    if "/oauth/v2/auth" in url and method in ("GET", "POST") and ctype.startswith("text/html"):
        return  # the consent pages answer browsers with an HTML error page, by design
    assert ctype.startswith("application/json"), (where, ctype)


@pytest.mark.parametrize("body", BODIES, ids=lambda b: repr(b[:12]))
def test_garbage_bodies_never_500(zoho, body):
    books = world(zoho, "eu", "uk", counts={})
    for method, url in _routes(zoho, books):
        for ctype in (None, "application/json", "application/x-www-form-urlencoded"):
            headers = {"Authorization": f"Zoho-oauthtoken {books.token}"}
            if ctype:
                headers["Content-Type"] = ctype
            r = zoho.session.request(method, url, data=body, headers=headers,
                                     params={"organization_id": books.org_id})
            _check(r, method, url)
    assert books.ok("GET", "invoices")["code"] == 0  # still serving


def test_garbage_queries_never_500(zoho):
    books = world(zoho, "eu", "uk", counts={})
    for method, url in _routes(zoho, books):
        for query in QUERIES:
            r = zoho.session.request(method, f"{url}?{query}",
                                     headers={"Authorization": f"Zoho-oauthtoken {books.token}"})
            _check(r, method, url)
    assert books.ok("GET", "invoices")["code"] == 0


def test_odd_methods_and_headers_never_500(zoho):
    books = world(zoho, "eu", "uk", counts={})
    for method, url in _routes(zoho, books):
        for verb in ("OPTIONS", "PATCH", "DELETE", "PUT"):
            r = zoho.session.request(verb, url, headers={"Authorization": "Zoho-oauthtoken " + HUGE[:8000],
                                                         "X-com-zoho-books-organizationid": "\u00e9" * 10})
            _check(r, verb, url)
