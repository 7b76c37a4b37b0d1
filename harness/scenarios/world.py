"""One scenario's world while it runs: its emulator target, its portal, and the names it gave things.

``Run`` is what every step and check receives. It owns the emulator target (in-process by default,
a remote emulator with ``--zoho-target URL``), the portal served on a free port, the customer's
browser (a ``requests`` session keeping cookies, as a browser does), and the aliases the scenario
used (users, organisations, companies). It never prints a secret: the client secret stays in
``client`` and is masked wherever it is shown.
"""
from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from typing import Any, Callable

import requests

from harness.redact import redact
from mock_zoho import testing

from .errors import StepFailed
from .match import describe, matches
from .model import Scenario

__all__ = ["Run", "RunOptions", "DEFAULT_REDIRECT"]

DEFAULT_REDIRECT = "https://platform.example/oauth/callback"
CUSTOMER_REDIRECT = "https://customer.example/linked"


@dataclass
class RunOptions:
    """How scenarios run: ``target`` is ``inprocess`` (default), an emulator URL, or ``live``."""

    target: str = "inprocess"
    mistakes: tuple[str, ...] = ()

    @property
    def remote(self) -> bool:
        return self.target not in ("inprocess", "live")


@dataclass
class Run:
    scenario: Scenario
    options: RunOptions
    target: testing.ZohoTarget
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    orgs: dict[str, dict[str, Any]] = field(default_factory=dict)
    client: dict[str, Any] = field(default_factory=dict)
    companies: dict[str, dict[str, Any]] = field(default_factory=dict)
    marks: dict[str, int] = field(default_factory=dict)
    faults: dict[str, str] = field(default_factory=dict)
    journeys: dict[str, dict[str, Any]] = field(default_factory=dict)   # per company: the customer's journey
    notes: list[str] = field(default_factory=list)
    portal: Any = None                       # harness.portal PortalServer, once started
    platform: Any = None
    browser: requests.Session = field(default_factory=requests.Session)
    api: requests.Session = field(default_factory=requests.Session)
    last_response: requests.Response | None = None
    closers: list[Callable[[], None]] = field(default_factory=list)
    _journal: list[dict[str, Any]] | None = None

    # -- the emulator --------------------------------------------------------------------------
    @property
    def admin(self) -> testing.AdminClient:
        return self.target.admin

    @property
    def clock(self) -> testing.VirtualClock:
        return self.target.clock

    def org_id(self, alias: str) -> str:
        return self.orgs[alias]["organization_id"]

    def org_alias(self, org_id: str | None) -> str | None:
        for alias, org in self.orgs.items():
            if org["organization_id"] == org_id:
                return alias
        return None

    def changed(self) -> None:
        """Something may have called Zoho: the cached journal is stale."""
        self._journal = None

    def journal(self) -> list[dict[str, Any]]:
        """Every journal entry so far, oldest first (cached until the next step)."""
        if self._journal is None:
            self._journal = self.admin.requests()
        return self._journal

    def select(self, where: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Journal entries matching a ``JOURNAL_FILTER`` (path and host are globs)."""
        where = dict(where or {})
        since = self.marks.get(where.pop("since", None), 0) if "since" in where else 0
        if "org" in where:
            where["organization_id"] = self.org_id(where.pop("org"))
        has, lacks = where.pop("has_param", None), where.pop("lacks_param", None)
        scheme = {"zoho": "zoho-oauthtoken", "bearer": "bearer"}.get(where.pop("auth", None) or "")
        want_fault = where.pop("fault", None)
        out = []
        for e in self.journal():
            if e.get("id", 0) <= since:
                continue
            if want_fault is not None and bool(e.get("fault")) != want_fault:
                continue
            if scheme and not str(e.get("headers", {}).get("Authorization", "")).lower().startswith(scheme):
                continue
            params = {k for k, _ in e.get("query", [])}
            if has and has not in params or lacks and lacks in params:
                continue
            if all(self._field_matches(k, v, e.get(k)) for k, v in where.items()):
                out.append(e)
        return out

    @staticmethod
    def _field_matches(key: str, want: Any, got: Any) -> bool:
        if key in ("path", "host", "raw_path") and isinstance(want, str):
            return got is not None and fnmatch.fnmatchcase(str(got).lower(), want.lower())
        if key == "method":
            return str(got).upper() == str(want).upper()
        return got is not None and str(got) == str(want)

    def last_journal_id(self) -> int:
        entries = self.admin.requests(limit=1)
        return entries[-1]["id"] if entries else 0

    # -- the portal ----------------------------------------------------------------------------
    def need_portal(self) -> Any:
        if self.portal is None:
            raise StepFailed("this step needs the portal, which setup did not start")
        return self.portal

    def portal_call(self, method: str, path: str, *, expect: dict[str, Any] | None = None,
                    **kwargs: Any) -> requests.Response:
        """Call the portal's JSON API; a 4xx/5xx is a failed step unless ``expect`` allows it."""
        r = self.api.request(method, f"{self.need_portal().url}{path}", timeout=120, **kwargs)
        self.last_response = r
        self.changed()
        if expect is not None:
            body = _json(r)
            for key, want in expect.items():
                got = r.status_code if key == "status" else (body or {}).get(key)
                if not matches(want, got):
                    raise StepFailed(f"{method} {path}: {key} is {got!r}, expected {describe(want)}"
                                     f" (answer: HTTP {r.status_code} {_short(body)})")
        elif r.status_code >= 400:
            raise StepFailed(f"{method} {path} answered HTTP {r.status_code}: {_short(_json(r))}")
        return r

    def company(self, alias: str) -> dict[str, Any]:
        return self.companies[alias]

    def close(self) -> None:
        while self.closers:
            try:
                self.closers.pop()()
            except Exception:  # noqa: BLE001  (teardown must finish whatever one closer did)
                pass


def _json(r: requests.Response) -> Any:
    try:
        return r.json()
    except ValueError:
        return None


def _short(body: Any) -> str:
    text = str(redact(body))
    return text if len(text) < 300 else text[:300] + "..."
