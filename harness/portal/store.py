"""Companies, connections, their error records, one-time Link passwords and OAuth states, in SQLite.

Shapes follow Codat's (integration flow §1, §8): a company's ``redirect`` is its Link URL, a
connection has ``status`` (PendingAuth, Linked, Deauthorized, Unlinked), ``linkUrl``,
``connectionInfo`` and ``dataConnectionErrors``. One-time tokens are kept as hashes with their
expiry and use time; taking one is a single conditional UPDATE, so two requests racing for the same
Link URL or state cannot both win.
"""
from __future__ import annotations

import json
import sqlite3
import uuid
from dataclasses import dataclass
from typing import Any

from harness.clock import iso

from .crypto import Sealer, digest, new_token
from .db import Database
from .integration import KEY, NAME

PENDING, LINKED, DEAUTHORIZED, UNLINKED = "PendingAuth", "Linked", "Deauthorized", "Unlinked"
STATUSES = (PENDING, LINKED, DEAUTHORIZED, UNLINKED)
COMPANY_LINK, CONNECTION_LINK, CHOICE = "company", "connection", "choice"
_NAME_EXTRA = set(" -'&@.,?!")


def clean_name(name: str) -> str:
    """Codat's rule: characters other than letters, digits, spaces and ``- ' & @ . , ? !`` are stripped."""
    return " ".join("".join(ch for ch in name if ch.isalnum() or ch in _NAME_EXTRA).split())


def when(epoch: float | None) -> str | None:
    return iso(epoch) if epoch is not None else None


@dataclass(frozen=True)
class Taken:
    """A one-time token that was valid and is now used."""

    company_id: str
    connection_id: str | None
    extras: dict[str, str]


class TokenRefused(Exception):
    """A one-time token that is unknown, used or expired (``reason`` says which)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class PortalStore:
    def __init__(self, db: Database, sealer: Sealer, public_url: str) -> None:
        self.db, self.sealer, self.public_url = db, sealer, public_url.rstrip("/")

    # -- URLs --------------------------------------------------------------------------------
    def company_link(self, company_id: str, otp: str | None) -> str | None:
        return f"{self.public_url}/link/company/{company_id}?otp={otp}" if otp else None

    def connection_link(self, company_id: str, connection_id: str, otp: str | None) -> str | None:
        if not otp:
            return None
        return f"{self.public_url}/link/companies/{company_id}/connections/{connection_id}/start?otp={otp}"

    # -- one-time tokens ---------------------------------------------------------------------
    def mint(self, c: sqlite3.Connection, kind: str, company_id: str, connection_id: str | None,
             expires_at: float, extras: dict[str, str] | None = None) -> str:
        token = new_token()
        c.execute("INSERT INTO link_tokens (token_hash, kind, company_id, connection_id, expires_at, extras)"
                  " VALUES (?, ?, ?, ?, ?, ?)",
                  (digest(token), kind, company_id, connection_id, expires_at, json.dumps(extras or {})))
        return token

    def take(self, kind: str, token: str, company_id: str, connection_id: str | None, now: float) -> Taken:
        """Use a one-time token: valid only for its kind, company (and connection), unused and unexpired."""
        with self.db.write() as c:
            row = c.execute("SELECT * FROM link_tokens WHERE token_hash = ?", (digest(token),)).fetchone()
            if row is None or row["kind"] != kind or row["company_id"] != company_id or (
                    connection_id is not None and row["connection_id"] != connection_id):
                raise TokenRefused("unknown")
            if row["used_at"] is not None:
                raise TokenRefused("used")
            if now >= row["expires_at"]:
                raise TokenRefused("expired")
            c.execute("UPDATE link_tokens SET used_at = ? WHERE token_hash = ?", (now, row["token_hash"]))
            return Taken(row["company_id"], row["connection_id"], json.loads(row["extras"] or "{}"))

    def token_state(self, token: str | None) -> dict[str, Any] | None:
        if not token:
            return None
        with self.db.read() as c:
            row = c.execute("SELECT expires_at, used_at FROM link_tokens WHERE token_hash = ?",
                            (digest(token),)).fetchone()
        return dict(row) if row else None

    # -- companies ---------------------------------------------------------------------------
    def create_company(self, name: str, description: str | None, redirect_url: str | None,
                       organization_id: str | None, now: float, ttl: float) -> str:
        """A company row and its first Link URL; returns its id (joins the caller's transaction)."""
        company_id = str(uuid.uuid4())
        with self.db.write() as c:
            otp = self.mint(c, COMPANY_LINK, company_id, None, now + ttl)
            c.execute("INSERT INTO companies (id, name, description, redirect_url, organization_id, link_otp, created)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?)",
                      (company_id, name, description, redirect_url, organization_id, otp, now))
        return company_id

    def new_company_link(self, company_id: str, now: float, ttl: float) -> dict[str, Any]:
        with self.db.write() as c:
            otp = self.mint(c, COMPANY_LINK, company_id, None, now + ttl)
            c.execute("UPDATE companies SET link_otp = ? WHERE id = ?", (otp, company_id))
        return self.company(company_id)

    def company_row(self, company_id: str) -> sqlite3.Row | None:
        with self.db.read() as c:
            return c.execute("SELECT * FROM companies WHERE id = ?", (company_id,)).fetchone()

    def company(self, company_id: str) -> dict[str, Any] | None:
        row = self.company_row(company_id)
        return self._company(row) if row else None

    def companies(self) -> list[dict[str, Any]]:
        with self.db.read() as c:
            rows = c.execute("SELECT * FROM companies ORDER BY created, rowid").fetchall()
        return [self._company(r) for r in rows]

    def _company(self, row: sqlite3.Row) -> dict[str, Any]:
        link = self.token_state(row["link_otp"])
        return {"id": row["id"], "name": row["name"], "description": row["description"],
                "redirect": self.company_link(row["id"], row["link_otp"]),
                "redirectExpiresAt": when(link["expires_at"]) if link else None,
                "redirectUsed": bool(link and link["used_at"] is not None),
                "redirect_url": row["redirect_url"], "organization_id": row["organization_id"],
                "created": when(row["created"]),
                "dataConnections": self.connections(row["id"])}

    def reference_company(self, company_id: str) -> dict[str, Any]:
        """The ``referenceCompany`` of an event envelope."""
        row = self.company_row(company_id)
        if row is None:
            return {"id": company_id}
        return {"id": row["id"], "name": row["name"], "description": row["description"],
                "links": {"portal": f"{self.public_url}/companies/{row['id']}"}, "tags": {}}

    # -- connections -------------------------------------------------------------------------
    def create_connection(self, company_id: str, now: float, ttl: float | None = None) -> str:
        """A PendingAuth connection (with a connection Link URL when ``ttl`` is given)."""
        connection_id = str(uuid.uuid4())
        with self.db.write() as c:
            otp = self.mint(c, CONNECTION_LINK, company_id, connection_id, now + ttl) if ttl else None
            c.execute("INSERT INTO connections (id, company_id, integration_key, status, created, link_otp)"
                      " VALUES (?, ?, ?, ?, ?, ?)", (connection_id, company_id, KEY, PENDING, now, otp))
        return connection_id

    def new_connection_link(self, connection_id: str, company_id: str, now: float, ttl: float) -> None:
        with self.db.write() as c:
            otp = self.mint(c, CONNECTION_LINK, company_id, connection_id, now + ttl)
            c.execute("UPDATE connections SET link_otp = ? WHERE id = ?", (otp, connection_id))

    def connection_row(self, connection_id: str) -> sqlite3.Row | None:
        with self.db.read() as c:
            return c.execute("SELECT * FROM connections WHERE id = ?", (connection_id,)).fetchone()

    def accounting_connection(self, company_id: str) -> sqlite3.Row | None:
        """The company's Zoho Books connection (one active accounting connection per company)."""
        with self.db.read() as c:
            return c.execute("SELECT * FROM connections WHERE company_id = ? AND integration_key = ?"
                             " ORDER BY created DESC, rowid DESC LIMIT 1", (company_id, KEY)).fetchone()

    def connection(self, connection_id: str) -> dict[str, Any] | None:
        row = self.connection_row(connection_id)
        return self._connection(row) if row else None

    def connections(self, company_id: str) -> list[dict[str, Any]]:
        with self.db.read() as c:
            rows = c.execute("SELECT * FROM connections WHERE company_id = ? ORDER BY created, rowid",
                             (company_id,)).fetchall()
        return [self._connection(r) for r in rows]

    def _connection(self, row: sqlite3.Row) -> dict[str, Any]:
        with self.db.read() as c:
            errors = c.execute("SELECT * FROM connection_errors WHERE connection_id = ? ORDER BY seq",
                               (row["id"],)).fetchall()
        return {"id": row["id"], "integrationId": KEY, "integrationKey": KEY, "sourceId": KEY,
                "sourceType": "Accounting", "platformName": NAME,
                "linkUrl": self.connection_link(row["company_id"], row["id"], row["link_otp"]),
                "status": row["status"], "lastSync": when(row["last_sync"]), "created": when(row["created"]),
                "dataConnectionErrors": [
                    {"statusCode": e["status_code"], "statusText": e["status_text"], "errorMessage": e["error_message"],
                     "erroredOnUtc": when(e["errored_on"]), "status": e["status"],
                     "resolvedOnUtc": when(e["resolved_on"])} for e in errors],
                "connectionInfo": json.loads(row["connection_info"]), "companyId": row["company_id"]}

    def set_status(self, c: sqlite3.Connection, connection_id: str, status: str) -> None:
        c.execute("UPDATE connections SET status = ? WHERE id = ?", (status, connection_id))

    def add_error(self, c: sqlite3.Connection, connection_id: str, status_code: str, status_text: str | None,
                  message: str, now: float) -> None:
        c.execute("INSERT INTO connection_errors (connection_id, status_code, status_text, error_message,"
                  " errored_on, status) VALUES (?, ?, ?, ?, ?, 'Active')",
                  (connection_id, status_code, status_text, message, now))

    def resolve_errors(self, c: sqlite3.Connection, connection_id: str, now: float) -> None:
        c.execute("UPDATE connection_errors SET status = 'Resolved', resolved_on = ?"
                  " WHERE connection_id = ? AND status = 'Active'", (now, connection_id))

    def store_link(self, c: sqlite3.Connection, connection_id: str, *, refresh_token: str, location: str,
                   accounts_server: str, api_domain: str, info: dict[str, Any], now: float) -> None:
        """A successful link: the sealed refresh token, where it lives, and what was linked."""
        c.execute("UPDATE connections SET status = ?, refresh_token_sealed = ?, location = ?, accounts_server = ?,"
                  " api_domain = ?, token_created = ?, connection_info = ? WHERE id = ?",
                  (LINKED, self.sealer.seal(refresh_token), location, accounts_server, api_domain, now,
                   json.dumps(info), connection_id))

    def linked_for_zoho_user(self, c: sqlite3.Connection, zoho_user_id: str) -> list[sqlite3.Row]:
        """The linked connections holding a refresh token of one Zoho user, oldest token first."""
        return c.execute("SELECT * FROM connections WHERE status = ? AND refresh_token_sealed IS NOT NULL"
                         " AND json_extract(connection_info, '$.zohoUserId') = ? ORDER BY token_created, created",
                         (LINKED, zoho_user_id)).fetchall()

    def add_warning(self, c: sqlite3.Connection, connection_id: str, warning: str) -> None:
        row = c.execute("SELECT connection_info FROM connections WHERE id = ?", (connection_id,)).fetchone()
        info = json.loads(row["connection_info"] or "{}")
        info["warnings"] = [*(info.get("warnings") or []), warning]
        c.execute("UPDATE connections SET connection_info = ? WHERE id = ?", (json.dumps(info), connection_id))

    def refresh_token(self, row: sqlite3.Row) -> str | None:
        sealed = row["refresh_token_sealed"]
        return self.sealer.open(sealed) if sealed else None

    def forget_token(self, c: sqlite3.Connection, connection_id: str) -> None:
        c.execute("UPDATE connections SET refresh_token_sealed = NULL WHERE id = ?", (connection_id,))

    def delete_connection(self, c: sqlite3.Connection, connection_id: str) -> None:
        for table in ("records", "cursors", "datasets", "access_tokens"):
            c.execute(f"DELETE FROM {table} WHERE connection_id = ?", (connection_id,))  # noqa: S608 (fixed names)
        c.execute("DELETE FROM connections WHERE id = ?", (connection_id,))

    # -- OAuth states ------------------------------------------------------------------------
    def new_state(self, company_id: str, connection_id: str, browser: str | None, now: float, ttl: float,
                  extras: dict[str, str]) -> str:
        state = new_token(32)
        with self.db.write() as c:
            c.execute("INSERT INTO oauth_states (state_hash, browser_hash, company_id, connection_id, expires_at,"
                      " extras) VALUES (?, ?, ?, ?, ?, ?)",
                      (digest(state), digest(browser) if browser else None, company_id, connection_id, now + ttl,
                       json.dumps(extras)))
        return state

    def take_state(self, state: str, browser: str | None, check_browser: bool, now: float) -> Taken:
        with self.db.write() as c:
            row = c.execute("SELECT * FROM oauth_states WHERE state_hash = ?", (digest(state),)).fetchone()
            if row is None:
                raise TokenRefused("unknown")
            if row["used_at"] is not None:
                raise TokenRefused("used")
            if now >= row["expires_at"]:
                raise TokenRefused("expired")
            if check_browser and row["browser_hash"] != (digest(browser) if browser else None):
                raise TokenRefused("other browser")
            c.execute("UPDATE oauth_states SET used_at = ? WHERE state_hash = ?", (now, row["state_hash"]))
            return Taken(row["company_id"], row["connection_id"], json.loads(row["extras"] or "{}"))
