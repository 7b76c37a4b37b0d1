"""The world each module's operations run in: one in-process emulator, one US organisation seeded with
every resource (the seeder's default counts), a full-scope token, and the ids of its real records.

In-process only (``mock_zoho.testing.inprocess``): the conformance run measures what the emulator's
Books handlers answer, which the HTTP mode does not change, and 515 operations plus the filter checks
must stay well under a minute on two cores.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Mapping

import requests

from mock_zoho import Emulator, testing

EDITION = "us"
SEED = 1316
EPOCH = 1781524800  # 2026-06-15T12:00:00Z: the virtual clock's start, so seeded dates do not move
# Any counts given are laid over the seeder's defaults, which cover every resource it seeds.
COUNTS = {"invoices": 30}
# The run makes thousands of calls in seconds: Zoho's per-org limits would answer 429 after 100.
# Replayed answers are rendered afresh and compared, as in the Books tests (tests/conftest.py).
SETTINGS = {"limits.enabled": False, "server.replay_verify": True}
ENVELOPE = ("code", "message", "page_context")
# Lists read first in every world, so that a body or a filter of any module can name a real customer,
# vendor, item, account or tax (their ids are harvested from these answers).
PRIMING = ("/contacts", "/invoices", "/bills", "/items", "/chartofaccounts", "/settings/taxes")
_ID = re.compile(r"_id$")


@dataclass
class Answer:
    status: int
    body: Any  # decoded JSON, or None when the answer is not JSON
    media: str
    size: int

    @property
    def code(self) -> Any:
        return self.body.get("code") if isinstance(self.body, dict) else None

    @property
    def message(self) -> str:
        return str(self.body.get("message", "")) if isinstance(self.body, dict) else ""

    @property
    def unserved(self) -> bool:
        """Zoho's answers for a path or method it does not serve: 404 code 5, 405 code 37."""
        return (self.status, self.code) in ((404, 5), (405, 37))


def records_of(body: Any) -> list[dict[str, Any]]:
    """The records of a list answer: the array beside code, message and page_context."""
    if not isinstance(body, dict):
        return []
    for key, value in body.items():
        if key not in ENVELOPE and isinstance(value, list):
            return [v for v in value if isinstance(v, dict)]
    return []


@dataclass
class World:
    """One emulator and organisation, reused across the operations of one module."""

    target: testing.ZohoTarget
    org_id: str
    token: str
    ids: dict[str, list[str]] = field(default_factory=dict)  # field name -> real values seen, first first
    lists: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # concrete collection path -> records
    created: dict[str, list[str]] = field(default_factory=dict)  # concrete collection path -> ids created there
    sent_unique: set[str] = field(default_factory=set)  # unique names and numbers the run's bodies have sent

    @classmethod
    def open(cls) -> "World":
        target = testing.inprocess(Emulator(SETTINGS, demo=False, seed=SEED))
        target.clock.set(EPOCH)  # the same records (dates, statuses) whatever the day of the run
        user = target.admin.create_user("conformance@example.com", dc=EDITION)
        org = target.admin.create_org("Conformance Inc", users=[user], edition=EDITION, counts=COUNTS)
        world = cls(target, org["organization_id"], target.token(user).access_token)
        world.ids["organization_id"] = [org["organization_id"]]
        for path in PRIMING:
            world.records(path)
        return world

    def close(self) -> None:
        self.target.close()

    def call(self, method: str, path: str, params: Mapping[str, Any] | None = None, json: Any = None,
             files: Any = None, headers: Mapping[str, str] | None = None, remember: bool = True) -> Answer:
        """One call; a successful answer's ids are harvested unless ``remember`` is False (a look-up the
        request builder makes to fit a body, which must not change what later operations are sent)."""
        query = {"organization_id": self.org_id, **(params or {})}
        r: requests.Response = self.target.session.request(
            method, f"{self.target.books_url(EDITION)}{path}", params=query, json=json, files=files, timeout=60,
            headers={**(headers or {}), "Authorization": f"Zoho-oauthtoken {self.token}"}, allow_redirects=False)
        media = r.headers.get("Content-Type", "").split(";")[0].strip().lower()
        try:
            body = r.json() if media.endswith("json") else None
        except ValueError:
            body = None
        answer = Answer(r.status_code, body, media, len(r.content))
        if 200 <= answer.status < 300 and remember:
            self.harvest(body)
            if method == "POST" and isinstance(body, dict):
                self._remember_created(path, body)
        return answer

    def _remember_created(self, path: str, body: dict[str, Any]) -> None:
        """The id of the record a POST to a collection made (the wrapper's own ``<wrapper>_id``, as a
        task's ``task_id`` beside its ``project_id``; else its first ``*_id``)."""
        for key, value in body.items():
            if key not in ENVELOPE and isinstance(value, dict):
                new_id = value.get(f"{key}_id") or next((v for k, v in value.items() if _ID.search(k) and v), None)
                if new_id:
                    self.created.setdefault(path, []).append(str(new_id))
                return

    def harvest(self, body: Any) -> None:
        """Remember every id a successful answer shows (``customer_id`` of an invoice is a real customer)."""
        if isinstance(body, dict):
            for key, value in body.items():
                if _ID.search(key) and isinstance(value, (str, int)) and not isinstance(value, bool) \
                        and str(value) not in ("", "0"):
                    seen = self.ids.setdefault(key, [])
                    if str(value) not in seen and len(seen) < 20:
                        seen.append(str(value))
                else:
                    self.harvest(value)
        elif isinstance(body, list):
            for value in body[:5]:
                self.harvest(value)

    def records(self, path: str) -> list[dict[str, Any]]:
        """The records listed at ``path`` (one call per path per world; [] when it lists nothing)."""
        if path not in self.lists:
            answer = self.call("GET", path, {"per_page": 200})
            self.lists[path] = records_of(answer.body) if answer.status == 200 else []
        return self.lists[path]

    def today(self) -> dt.date:
        """The run's day on the virtual clock (UTC), for dates a request must place around it."""
        return dt.datetime.fromtimestamp(self.target.clock.now(), dt.timezone.utc).date()

    def an_id(self, name: str) -> str | None:
        values = self.ids.get(name)
        return values[0] if values else None
