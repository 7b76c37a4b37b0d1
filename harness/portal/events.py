"""Events: stored in order, delivered to a webhook with retries and backoff on the platform's clock.

The envelope is Codat's (integration flow §10.1):
``{"id", "eventType", "generatedDate", "payload": {"referenceCompany": {...}, "connection": {...}}}``.
Each event is written in the same transaction as the change it reports, so an event exists exactly
when its change does. A delivery is at-least-once: a receiver drops duplicates by ``id`` (also sent
as the ``X-Event-Id`` header). A failed attempt is retried after ``portal.webhook_backoff_s``,
doubling each time, up to ``portal.webhook_max_attempts``; the delay is read on the injectable clock,
so a scenario moves the clock instead of waiting.

With ``portal.webhook_secret`` set, every attempt is signed as Codat's webhooks are (Svix, the
Standard Webhooks scheme): ``webhook-id`` (the event id), ``webhook-timestamp`` and
``webhook-signature`` (``v1,`` + base64 HMAC-SHA256 of ``id.timestamp.body``), so a receiver verifies
it with ``standardwebhooks`` or ``svix`` unchanged. The timestamp is wall time, not the platform
clock: it says when the bytes were sent, and receivers reject one more than 5 minutes from their own
clock (a scenario's virtual clock may be days away).
"""
from __future__ import annotations

import json
import logging
import sqlite3
import threading
import uuid
from datetime import datetime, timezone
from typing import Any, Callable

import requests
from standardwebhooks import Webhook

from harness.clock import Clock, iso
from harness.redact import redact

from .db import Database
from .settings import PlatformSettings

log = logging.getLogger("harness.portal.events")
PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"


class EventLog:
    def __init__(self, db: Database, clock: Clock, settings: PlatformSettings,
                 session: requests.Session | None = None) -> None:
        self.db, self.clock, self.settings = db, clock, settings
        self.session = session or requests.Session()
        self._deliver_lock = threading.Lock()
        self.on_emit: Callable[[], None] | None = None  # the background deliverer's wake-up

    def emit(self, c: sqlite3.Connection, event_type: str, company_id: str | None, connection_id: str | None,
             payload: dict[str, Any]) -> dict[str, Any]:
        """Record one event inside the caller's transaction (and queue its delivery)."""
        now = self.clock.now()
        body = {"id": str(uuid.uuid4()), "eventType": event_type, "generatedDate": iso(now), "payload": payload}
        cur = c.execute("INSERT INTO events (id, event_type, generated, company_id, connection_id, body)"
                        " VALUES (?, ?, ?, ?, ?, ?)",
                        (body["id"], event_type, now, company_id, connection_id, json.dumps(body)))
        url = self.settings["portal.webhook_url"]
        if url:
            c.execute("INSERT INTO webhook_deliveries (event_seq, url, next_attempt_at, status) VALUES (?, ?, ?, ?)",
                      (cur.lastrowid, url, now, PENDING))
        log.info("event %s %s company=%s connection=%s", body["id"], event_type, company_id, connection_id)
        if self.on_emit is not None:
            self.db.after_commit(self.on_emit)  # wake the deliverer once the event is there to read
        return body

    def list(self, since: str | None = None, company_id: str | None = None, limit: int = 1000) -> list[dict[str, Any]]:
        """Events oldest first; ``since`` an event id (those after it)."""
        with self.db.read() as c:
            after = 0
            if since:
                row = c.execute("SELECT seq FROM events WHERE id = ?", (since,)).fetchone()
                if row is None:
                    return []
                after = row["seq"]
            sql = "SELECT body FROM events WHERE seq > ?"
            args: list[Any] = [after]
            if company_id:
                sql += " AND company_id = ?"
                args.append(company_id)
            rows = c.execute(sql + " ORDER BY seq LIMIT ?", (*args, limit)).fetchall()
        return [json.loads(r["body"]) for r in rows]

    def known(self, event_id: str) -> bool:
        with self.db.read() as c:
            return c.execute("SELECT 1 FROM events WHERE id = ?", (event_id,)).fetchone() is not None

    # -- webhook delivery --------------------------------------------------------------------
    def deliveries(self) -> list[dict[str, Any]]:
        with self.db.read() as c:
            rows = c.execute("SELECT e.id AS event_id, e.event_type, d.url, d.attempts, d.next_attempt_at, d.status,"
                             " d.last_error, d.delivered_at FROM webhook_deliveries d"
                             " JOIN events e ON e.seq = d.event_seq ORDER BY d.event_seq").fetchall()
        return [{**dict(r), "next_attempt_at": iso(r["next_attempt_at"]) if r["next_attempt_at"] else None,
                 "delivered_at": iso(r["delivered_at"]) if r["delivered_at"] else None} for r in rows]

    def next_due(self) -> float | None:
        with self.db.read() as c:
            row = c.execute("SELECT MIN(next_attempt_at) AS t FROM webhook_deliveries WHERE status = ?",
                            (PENDING,)).fetchone()
        return row["t"]

    def deliver_due(self) -> int:
        """Attempt every delivery whose time has come (oldest event first); returns how many succeeded."""
        with self._deliver_lock:  # one deliverer at a time: no event is POSTed twice by two threads at once
            now = self.clock.now()
            with self.db.read() as c:
                due = c.execute("SELECT d.event_seq, d.url, d.attempts, e.id, e.body FROM webhook_deliveries d"
                                " JOIN events e ON e.seq = d.event_seq WHERE d.status = ? AND d.next_attempt_at <= ?"
                                " ORDER BY d.event_seq", (PENDING, now)).fetchall()
            delivered = 0
            for row in due:
                error = self._post(row["url"], row["id"], row["body"])
                delivered += self._record(row["event_seq"], row["attempts"] + 1, error)
            return delivered

    def _post(self, url: str, event_id: str, body: str) -> str | None:
        headers = {"Content-Type": "application/json", "X-Event-Id": event_id, **self._signature(event_id, body)}
        try:
            r = self.session.post(url, data=body, timeout=float(self.settings["portal.webhook_timeout_s"]),
                                  headers=headers)
        except requests.RequestException as exc:
            return f"{type(exc).__name__}"
        return None if 200 <= r.status_code < 300 else f"HTTP {r.status_code}"

    def _signature(self, event_id: str, body: str) -> dict[str, str]:
        secret = self.settings["portal.webhook_secret"]
        if not secret:
            return {}
        sent = datetime.now(timezone.utc)  # wall time on purpose: see the module's docstring
        return {"webhook-id": event_id, "webhook-timestamp": str(int(sent.timestamp())),
                "webhook-signature": Webhook(secret).sign(event_id, sent, body)}

    def _record(self, seq: int, attempts: int, error: str | None) -> int:
        now = self.clock.now()
        with self.db.write() as c:
            if error is None:
                c.execute("UPDATE webhook_deliveries SET attempts = ?, status = ?, delivered_at = ?, last_error = NULL,"
                          " next_attempt_at = NULL WHERE event_seq = ?", (attempts, DELIVERED, now, seq))
                return 1
            if attempts >= int(self.settings["portal.webhook_max_attempts"]):
                status, next_at = FAILED, None
            else:
                status = PENDING
                next_at = now + float(self.settings["portal.webhook_backoff_s"]) * 2 ** (attempts - 1)
            c.execute("UPDATE webhook_deliveries SET attempts = ?, status = ?, next_attempt_at = ?, last_error = ?"
                      " WHERE event_seq = ?", (attempts, status, next_at, redact(error), seq))
        log.warning("webhook delivery of event seq %s failed (attempt %s): %s", seq, attempts, redact(error))
        return 0


class Deliverer:
    """A background thread that delivers due events: woken by each new event, and every ``poll_s``
    wall seconds to notice retries whose time has come on the (possibly virtual) clock."""

    def __init__(self, events: EventLog, poll_s: float = 0.5) -> None:
        self.events, self.poll_s = events, poll_s
        self._wake, self._stop = threading.Event(), threading.Event()
        self._thread = threading.Thread(target=self._run, name="portal-webhooks", daemon=True)

    def start(self) -> "Deliverer":
        self.events.on_emit = self._wake.set
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.poll_s)
            self._wake.clear()
            if self._stop.is_set():
                return
            try:
                if self.events.settings["portal.webhook_url"] or self.events.next_due() is not None:
                    self.events.deliver_due()
            except Exception:  # keep delivering after a database hiccup; the row stays pending
                log.exception("webhook delivery round failed")

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self.events.on_emit = None
        if self._thread.is_alive():
            self._thread.join(timeout=10)
