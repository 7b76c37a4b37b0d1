"""The reference connector (``harness.connector.SyncEngine``) under load: one locust user per linked
company, syncing again every ``--poll-vmin`` virtual minutes, its HTTP calls counted by locust and
by the per-org tally like the raw-API profile's.

The company is linked as the platform does it (consent, code exchange, discovery) before locust
counts anything; the calls linking made are read back from the emulator's journal as the org's
``baseline``, so ``load.verify`` compares only what the syncs did. The engine's clock is the
emulator's virtual clock kept locally (its start read once, then real time times the scale), so
waiting for a rolling minute costs ``60 / scale`` real seconds and no admin call per reading.
"""
from __future__ import annotations

import re
import threading
import time
import uuid
from typing import Any
from urllib.parse import urlsplit

import requests
from locust.clients import HttpSession

from mock_zoho.testing import AdminClient

from .tally import Tally, record_call

TOKEN_PATH = "/oauth/v2/token"
# seeded resource -> the connector's data type that reads it
DATA_TYPE_OF = {"contacts": "customers", "invoices": "invoices", "bills": "bills", "items": "items"}
_ID = re.compile(r"/\d{5,}")
_DC = re.compile(r"^/dc/[a-z]{2}")


class ScaledClock:
    """The emulator's virtual clock, read once and then followed locally (the ``Clock`` protocol)."""

    def __init__(self, admin: AdminClient) -> None:
        clock = admin.clock()
        self.scale = float(clock["scale"])
        self._v0, self._m0 = float(clock["now"]), time.monotonic()

    def now(self) -> float:
        return self._v0 + (time.monotonic() - self._m0) * self.scale

    __call__ = now

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds / self.scale)

    def sleep_until(self, epoch: float) -> None:
        self.sleep(epoch - self.now())


def label(method: str, url: str) -> str:
    """Locust's stats name of a call: the path without its DC prefix, record ids as ``{id}``."""
    return f"{method} {_ID.sub('/{id}', _DC.sub('', urlsplit(url).path))}"


class CountingSession(HttpSession):
    """A requests session (what the connector takes) that reports every Zoho call to locust and to
    the tally of its org; admin calls pass through uncounted."""

    def __init__(self, base_url: str, request_event: Any, user: Any, tally: Tally, org_id: str) -> None:
        super().__init__(base_url, request_event, user)
        self.tally, self.org_id = tally, org_id

    def request(self, method, url, name=None, catch_response=False, context=None, **kwargs):  # type: ignore[override]
        path = urlsplit(str(url)).path
        if "/__admin/" in path:
            return requests.Session.request(self, method, url, **kwargs)
        response = super().request(method, url, name=name or label(str(method), str(url)), catch_response=False,
                                   context=context or {}, **kwargs)
        status = int(response.status_code or 0)
        code = None
        if status >= 400:
            try:
                body = response.json()
                code = body.get("code") if isinstance(body, dict) else None
            except ValueError:
                pass
        record_call(self.tally, self.org_id, "accounts" if path.endswith(TOKEN_PATH) else "books", status, code)
        return response


_platform_lock = threading.Lock()
_platform: dict[str, list[Any]] = {}  # run id -> [client, links left on it]


def platform_client(target: Any, run_id: str, dcs: list[str]) -> dict[str, Any]:
    """The platform's OAuth app for the next link (this process's, enabled in every DC of the run).
    Zoho lets one client mint only ``oauth.refresh_token_mint_limit`` (20) refresh tokens per 10
    minutes, and onboarding is not what this profile measures: a new app is registered every 20 links."""
    from harness.connector.emulated import REDIRECT_URI

    with _platform_lock:
        current = _platform.get(run_id)
        if current is None or current[1] <= 0:
            client = target.admin.create_client(
                f"load {run_id} platform {uuid.uuid4().hex[:4]}", redirect_uris=[REDIRECT_URI], home_dc=dcs[0],
                enabled_dcs=sorted(set(dcs)))
            current = _platform[run_id] = [client, int(target.admin.config()["oauth.refresh_token_mint_limit"])]
        current[1] -= 1
        return current[0]


def journal_baseline(admin: AdminClient, org_id: str) -> dict[str, int]:
    """What linking cost the org before the load side counted: its Books calls (and admitted ones)
    from the journal, and the one code exchange (the platform's client is shared by every org, so
    the journal cannot tell one org's token calls from another's)."""
    books = admin.call("GET", "requests", params={"area": "books", "organization_id": org_id})["requests"]
    return {"books_calls": len(books), "token_calls": 1,
            "books_admitted": sum(1 for e in books if not (e["status"] == 429 and e.get("code") in (44, 45, 1070)))}
