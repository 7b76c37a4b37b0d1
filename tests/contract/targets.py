"""The two things the contract suite can talk to: the emulator (always) and the real Zoho (with
credentials), behind one ``ContractClient`` that counts calls, caches GETs and, for the emulator,
checks every answer against the emulator's own OpenAPI description.

Live mode reads only: one token refresh, then GETs (and one deliberately wrong refresh). It never
writes, and stops the run when more than ``CALL_BUDGET`` calls would be made.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import requests

LIVE_ENV = ("ZOHO_CLIENT_ID", "ZOHO_CLIENT_SECRET", "ZOHO_REFRESH_TOKEN")
DEFAULT_ACCOUNTS_SERVER = "https://accounts.zoho.com"
CALL_BUDGET = int(os.environ.get("ZOHO_CONTRACT_BUDGET", "60"))
RECORD_ENV = "ZOHO_CONTRACT_RECORD"
# What the emulator's world holds so that every documented list has records to compare.
EMULATOR_COUNTS = {r: 2 for r in ("contacts", "invoices", "creditnotes", "bills", "items", "customerpayments",
                                  "vendorpayments", "vendorcredits", "journals", "bankaccounts", "banktransactions",
                                  "expenses", "salesorders", "purchaseorders", "estimates")}


def live_credentials() -> dict[str, str] | None:
    """The live credentials from the environment, or None when any is missing."""
    if not all(os.environ.get(k) for k in LIVE_ENV):
        return None
    return {"client_id": os.environ["ZOHO_CLIENT_ID"], "client_secret": os.environ["ZOHO_CLIENT_SECRET"],
            "refresh_token": os.environ["ZOHO_REFRESH_TOKEN"],
            "accounts_server": os.environ.get("ZOHO_ACCOUNTS_SERVER", DEFAULT_ACCOUNTS_SERVER).rstrip("/"),
            "organization_id": os.environ.get("ZOHO_ORGANIZATION_ID", "")}


class BudgetSpent(Exception):
    """More calls than the budget allows."""


@dataclass
class CallBudget:
    """Counts calls to one target; ``spend()`` refuses the call past ``limit``."""

    limit: int = CALL_BUDGET
    used: int = 0

    def spend(self, what: str) -> None:
        if self.used >= self.limit:
            raise BudgetSpent(f"contract call budget of {self.limit} calls spent; refused: {what}")
        self.used += 1


@dataclass
class ContractClient:
    """One target of the contract suite. ``mode`` is ``"emulator"`` or ``"live"``."""

    mode: str
    accounts_server: str
    credentials: dict[str, str]
    session: requests.Session
    budget: CallBudget = field(default_factory=CallBudget)
    check: Callable[[requests.Response], list[str]] | None = None  # emulator: the description check
    api_domain: str = ""
    access_token: str = ""
    organization_id: str = ""
    refresh_answer: dict[str, Any] = field(default_factory=dict)
    _cache: dict[tuple, requests.Response] = field(default_factory=dict)

    @property
    def books_url(self) -> str:
        return f"{self.api_domain}/books/v3"

    # -- plumbing -------------------------------------------------------------------------------------
    def call(self, method: str, url: str, *, described: bool = True, **kwargs: Any) -> requests.Response:
        """One HTTP call within the budget; on the emulator, its answer must match the description
        unless ``described`` is False (a request outside it on purpose, e.g. an unknown URL)."""
        self.budget.spend(f"{method} {url.split('?')[0]}")
        kwargs.setdefault("timeout", 60)
        response = self.session.request(method, url, allow_redirects=False, **kwargs)
        if self.check is not None and described:
            problems = self.check(response)
            assert not problems, "answer outside the emulator's OpenAPI description:\n" + "\n".join(problems)
        return response

    def refresh(self, refresh_token: str | None = None) -> requests.Response:
        """The token endpoint's refresh grant, parameters in a form body (as most clients send them)."""
        c = self.credentials
        return self.call("POST", f"{self.accounts_server}/oauth/v2/token", data={
            "grant_type": "refresh_token", "client_id": c["client_id"], "client_secret": c["client_secret"],
            "refresh_token": refresh_token or c["refresh_token"]})

    def books(self, path: str, params: Mapping[str, Any] | None = None, *, auth: bool = True, org: bool = True,
              headers: Mapping[str, str] | None = None, described: bool = True) -> requests.Response:
        """A Books GET (``path`` under /books/v3), cached: tests asking the same thing share one call."""
        query = dict(params or {})
        if org and self.organization_id:
            query.setdefault("organization_id", self.organization_id)
        sent = dict(headers or {})
        if auth:
            sent.setdefault("Authorization", f"Zoho-oauthtoken {self.access_token}")
        key = (path, tuple(sorted(query.items())), tuple(sorted(sent.items())))
        if key not in self._cache:
            self._cache[key] = self.call("GET", f"{self.books_url}{path}", params=query, headers=sent,
                                         described=described)
        return self._cache[key]

    def ok(self, path: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """A Books GET that must succeed: its JSON body."""
        r = self.books(path, params)
        assert r.status_code == 200, f"GET {path} answered {r.status_code}: {r.text[:300]}"
        return r.json()

    def connect(self) -> None:
        """Refresh the access token (one call) and pick the organisation."""
        r = self.refresh()
        body = r.json()
        self.refresh_answer = body
        if "access_token" not in body:
            raise RuntimeError(f"{self.mode}: token refresh failed: {body.get('error', r.status_code)}")
        self.access_token, self.api_domain = body["access_token"], body["api_domain"].rstrip("/")
        if not self.organization_id:
            orgs = self.books("/organizations", org=False).json()
            chosen = [o for o in orgs.get("organizations", []) if o.get("is_default_org")] or orgs.get("organizations", [])
            if not chosen:
                raise RuntimeError(f"{self.mode}: the token's user has no Books organisation")
            self.organization_id = str(chosen[0]["organization_id"])


def list_key(body: Mapping[str, Any]) -> str:
    """The wrapper key of a list answer (the one key beside code, message and page_context)."""
    keys = [k for k in body if k not in ("code", "message", "page_context")]
    assert len(keys) == 1, f"expected one list key beside code/message/page_context, got {keys}"
    return keys[0]
