"""Zoho-format identifiers and credentials.

Client ids are ``1000.`` + 30 upper-case alphanumerics, tokens and grant codes
``1000.<32 hex>.<32 hex>`` [doc examples]; client secrets are 42 lower-case hex characters (our
choice). Record ids are numeric strings of 19 digits, organisation ids 9 digits [doc]. Secrets come
from ``secrets`` unless a seeded ``random.Random`` is passed (the demo world's stable credentials).
"""
from __future__ import annotations

import random
import secrets
import string

from . import literals as L

_UPPER_ALNUM = string.ascii_uppercase + string.digits


def _choice(alphabet: str, n: int, rng: random.Random | None) -> str:
    pick = rng.choice if rng is not None else secrets.choice
    return "".join(pick(alphabet) for _ in range(n))


def client_id(rng: random.Random | None = None) -> str:
    return f"{L.TOKEN_PREFIX}.{_choice(_UPPER_ALNUM, 30, rng)}"


def client_secret(rng: random.Random | None = None) -> str:
    return _choice("0123456789abcdef", 42, rng)


def token(rng: random.Random | None = None) -> str:
    """Shape of access tokens, refresh tokens and grant codes."""
    return f"{L.TOKEN_PREFIX}.{_choice('0123456789abcdef', 32, rng)}.{_choice('0123456789abcdef', 32, rng)}"


def record_id(org_base: int, seq: int) -> str:
    """19-digit numeric id, e.g. 4600012000000077001: the org's base, then a counter."""
    return str(org_base * 10**10 + seq)


def org_id(seq: int) -> str:
    return str(800000000 + seq * 7919)
