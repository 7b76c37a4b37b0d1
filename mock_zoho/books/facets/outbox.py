"""The outbox: every email the Books API "sent", per organisation, for tests and scenarios to read.

Nothing leaves the machine: ``POST /<path>/{id}/email`` (and reminders, statements, bulk sends)
store the message here instead, in ``books:{org}:outbox``. The admin API lists it newest first
(``GET /__admin/organizations/{org_id}/outbox``) and clears it (``DELETE`` -> ``{"deleted": n}``).
"""
from __future__ import annotations

from typing import Any


def outbox_ns(org_id: str) -> str:
    return f"books:{org_id}:outbox"


def public(entry: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in entry.items() if not k.startswith("_")}


def entries(store, org_id: str) -> list[dict[str, Any]]:
    """The org's sent emails, newest first (ties: the later id first)."""
    rows = store.values(outbox_ns(org_id))
    return sorted(rows, key=lambda e: (e.get("_at", 0), int(e.get("email_id") or 0)), reverse=True)


def clear(store, org_id: str) -> int:
    ns = outbox_ns(org_id)
    n = store.count(ns)
    store.drop(ns)
    return n
