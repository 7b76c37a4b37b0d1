"""Keep secrets out of the journal, logs and errors: show a fingerprint, never the value.

A fingerprint (``fp:1a2b3c4d``) is stable for one value, so a test can still tell which token a
request carried (``Emulator.fingerprint(token)``) without the token ever being written down.
"""
from __future__ import annotations

import hashlib
from typing import Iterable, Mapping

SECRET_PARAMS = frozenset(
    {"client_secret", "code", "refresh_token", "access_token", "token", "authtoken", "password", "code_verifier"}
)
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "x-zoho-secret", "x-zoho-authtoken"})
# Headers the journal keeps verbatim: those a test filters on and none that carries a credential.
# Every other header keeps its name with a fingerprint of its value (a custom header may hold a key).
PLAIN_HEADERS = frozenset({
    "host", "user-agent", "accept", "accept-encoding", "accept-language", "content-type", "content-length",
    "content-encoding", "transfer-encoding", "connection", "x-com-zoho-books-organizationid", "x-request-id",
    "x-correlation-id", "if-none-match", "if-modified-since", "origin", "sec-fetch-site", "sec-fetch-mode",
    "cache-control", "pragma", "expect", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host",
})


def fingerprint(value: str) -> str:
    return "fp:" + hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:10]


def redact_value(name: str, value: str) -> str:
    if name.lower() in SECRET_PARAMS and value:
        return fingerprint(value)
    return value


def redact_pairs(pairs: Iterable[tuple[str, str]]) -> list[list[str]]:
    return [[k, redact_value(k, v)] for k, v in pairs]


def redact_headers(headers: Mapping[str, str] | Iterable[tuple[str, str]]) -> dict[str, str]:
    items = headers.items() if isinstance(headers, Mapping) else headers
    out: dict[str, str] = {}
    for name, value in items:
        lower = name.lower()
        if lower in PLAIN_HEADERS or not value:
            out[name] = value
        elif lower in SECRET_HEADERS:
            scheme, _, token = value.partition(" ")
            out[name] = f"{scheme} {fingerprint(token)}" if token else fingerprint(value)
        else:
            out[name] = fingerprint(value)
    return out
