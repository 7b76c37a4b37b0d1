"""Connection lifecycle outside the Link journey: build-your-own, unlink, delete.

Unlink and delete revoke the Zoho refresh token (``link.revoke_on_unlink``, so the user's 20-token
budget gets its slot back) after the change is committed; a failed revoke is logged, never fatal.
"""
from __future__ import annotations

import json
import logging
from typing import Any

from harness.connector import OAuthError
from harness.redact import fingerprint, redact

from .store import DEAUTHORIZED, LINKED, UNLINKED

log = logging.getLogger("harness.portal.connections")


class Connections:
    def __init__(self, platform: Any) -> None:
        self.p = platform

    def build_your_own(self, company_id: str) -> tuple[dict[str, Any], bool]:
        """The company's accounting connection with a fresh Link URL (created PendingAuth if none)."""
        ttl = float(self.p.settings["link.otp_ttl_s"])
        connection_id, created = self.p.create_connection(company_id, link_ttl=ttl)
        if not created:
            self.p.store.new_connection_link(connection_id, company_id, self.p.clock.now(), ttl)
        return self.p.store.connection(connection_id), created

    def unlink(self, company_id: str, connection_id: str) -> dict[str, Any]:
        row = self.p.store.connection_row(connection_id)
        token = self.p.store.refresh_token(row)
        with self.p.db.write() as c:
            self.p.store.set_status(c, connection_id, UNLINKED)
            if self.p.settings["link.revoke_on_unlink"]:
                self.p.store.forget_token(c, connection_id)
                self.p.sync_store.forget_token(c, connection_id)
            self.p.emit(c, "connection.disconnected", company_id, connection_id)
        if self.p.settings["link.revoke_on_unlink"]:
            self.revoke(token, row["accounts_server"])
        return self.p.store.connection(connection_id)

    def delete(self, company_id: str, connection_id: str) -> None:
        row = self.p.store.connection_row(connection_id)
        if row is None:
            return
        token = self.p.store.refresh_token(row)
        with self.p.db.write() as c:
            self.p.emit(c, "connection.deleted", company_id, connection_id)
            self.p.store.delete_connection(c, connection_id)
        if self.p.settings["link.revoke_on_unlink"]:
            self.revoke(token, row["accounts_server"])

    def deauthorize_inactive(self) -> list[str]:
        """``link.inactivity_revoke_days``: Linked connections unsynced (or, never synced, linked) that
        many days ago on the platform clock turn Deauthorized, their grant revoked; off when null."""
        days = self.p.settings["link.inactivity_revoke_days"]
        if not days:
            return []
        now = self.p.clock.now()
        with self.p.db.read() as c:
            rows = c.execute("SELECT * FROM connections WHERE status = ? AND COALESCE(last_sync, token_created, created) < ?",
                             (LINKED, now - days * 86400)).fetchall()
        for row in rows:
            token = self.p.store.refresh_token(row)
            with self.p.db.write() as c:
                self.p.store.set_status(c, row["id"], DEAUTHORIZED)
                self.p.store.add_error(c, row["id"], "401", f"no sync for {days} days",
                                       "Authorisation lapsed after inactivity; re-link to resume.", now)
                self.p.store.forget_token(c, row["id"])
                self.p.sync_store.forget_token(c, row["id"])
                self.p.emit(c, "connection.disconnected", row["company_id"], row["id"])
            self.revoke(token, row["accounts_server"])
        return [row["id"] for row in rows]

    def revoke_abandoned_picks(self) -> int:
        """Organisation pickers left unanswered past their time: revoke the grant each was holding
        (it would otherwise take one of the user's 20 refresh-token slots for good)."""
        now = self.p.clock.now()
        with self.p.db.write() as c:
            rows = c.execute("SELECT token_hash, tokens_sealed FROM org_picks WHERE used_at IS NULL AND expires_at <= ?",
                             (now,)).fetchall()
            c.executemany("UPDATE org_picks SET used_at = ? WHERE token_hash = ?", [(now, r["token_hash"]) for r in rows])
        for row in rows:
            tokens = json.loads(self.p.sealer.open(row["tokens_sealed"]))
            self.revoke(tokens.get("refresh_token"), tokens.get("accounts_server"))
        return len(rows)

    def revoke(self, token: str | None, accounts_server: str | None) -> None:
        integration = self.p.integrations.get()
        if not token or not accounts_server or integration is None:
            return
        try:
            self.p.oauth_client(integration).revoke(token, accounts_server)
            log.info("revoked refresh token %s", fingerprint(token))
        except OAuthError as exc:
            log.warning("revoking refresh token %s failed: %s", fingerprint(token), redact(str(exc)))
