"""Helpers shared by the limits, faults, Redis and time-scale tests (no tests here).

A frozen or hand-driven real clock makes every window test exact: nothing depends on how fast the
machine is. Tokens and orgs are made over HTTP, the way a harness does it.
"""
from __future__ import annotations

import threading
from typing import Any, Iterator

import pytest
import requests

from mock_zoho import Emulator
from mock_zoho.clock import Clock

START = 1_800_000_000.0  # 2027-01-15T08:00:00Z: a fixed virtual start, far from midnight
BOOKS_SCOPE = "ZohoBooks.fullaccess.all"


class FakeRealTime:
    """A real-time source a test moves by hand: ``sleep`` advances it instead of waiting."""

    def __init__(self, start: float = 1_000_000.0) -> None:
        self.t = start
        self._lock = threading.Lock()

    def __call__(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.t += max(0.0, float(seconds))


def frozen_emulator(scale: float = 1.0, seed: int = 1234, **config: Any) -> tuple[Emulator, FakeRealTime]:
    real = FakeRealTime()
    clock = Clock(start=START, scale=scale, real=real)
    return Emulator(config, seed=seed, clock=clock, demo=False), real


def org(org_id: str = "700000001", plan: str = "professional", **extra: Any) -> dict[str, Any]:
    return {"organization_id": org_id, "plan": plan, "time_zone": "UTC", "edition": "us", **extra}


def token_and_org(zoho, plan: str = "professional", dc: str = "us") -> tuple[str, str]:
    """A Books access token (self-client flow over HTTP) and an org the user belongs to."""
    user = zoho.admin.create_user(dc=dc)
    token = zoho.token(user, [BOOKS_SCOPE]).access_token
    org = zoho.admin.create_org(users=[user], edition="us", plan=plan)
    return token, org["organization_id"]


def books_get(zoho, token: str, org_id: str, path: str = "invoices", session: requests.Session | None = None,
              **kwargs: Any) -> requests.Response:
    s = session or zoho.session
    return s.get(f"{zoho.books_url('us')}/{path}", params={"organization_id": org_id},
                 headers={"Authorization": f"Zoho-oauthtoken {token}"}, **kwargs)


def target(mode: str, emulator: Emulator) -> Iterator[Any]:
    from tests.conftest import _target

    yield from _target(mode, emulator)


MODES = pytest.mark.parametrize("mode", ["server", "inprocess"])
