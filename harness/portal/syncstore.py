"""The connector's ``SyncStore`` on the portal's SQLite database.

Records, cursors and datasets live in their own tables; the cached access token is sealed like the
refresh token it came from. ``token_lock`` serialises refreshes of one connection across threads
(a lock per connection) and, for a file database, across processes (an ``fcntl`` lock file beside it).
Events the engine emits get the platform's envelope and go out through the same event log (and
webhook) as the connection events; a deauthorised connection turns ``Deauthorized`` with an error
record and ``connection.disconnected``.
"""
from __future__ import annotations

import json
import sqlite3
import uuid
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any, ContextManager, Mapping, Sequence

from harness.connector import Dataset, SyncRecord, TokenSet
from harness.connector.store import ConnectionLocks, record_change
from harness.redact import redact

from .store import DEAUTHORIZED, LINKED

_DATASET_FIELDS = set(Dataset.__dataclass_fields__)


class SqliteSyncStore:
    def __init__(self, platform: Any) -> None:
        self.p = platform
        self.lock_dir = None if platform.db.memory else Path(f"{platform.db.path}.locks")
        self._token_locks = ConnectionLocks(self.lock_dir)

    # -- tokens ------------------------------------------------------------------------------
    def load_token(self, connection_id: str) -> TokenSet | None:
        with self.p.db.read() as c:
            row = c.execute("SELECT t.*, c.refresh_token_sealed, c.accounts_server, c.location FROM access_tokens t"
                            " JOIN connections c ON c.id = t.connection_id WHERE t.connection_id = ?",
                            (connection_id,)).fetchone()
        if row is None:
            return None
        refresh = self.p.sealer.open(row["refresh_token_sealed"]) if row["refresh_token_sealed"] else None
        return TokenSet(self.p.sealer.open(row["token_sealed"]), refresh, row["api_domain"], row["expires_at"],
                        row["accounts_server"] or "", row["location"])

    def save_token(self, connection_id: str, token: TokenSet) -> None:
        with self.p.db.write() as c:
            self.save_token_in(c, connection_id, token)

    def save_token_in(self, c: sqlite3.Connection, connection_id: str, token: TokenSet) -> None:
        c.execute("INSERT INTO access_tokens (connection_id, token_sealed, api_domain, expires_at) VALUES (?, ?, ?, ?)"
                  " ON CONFLICT(connection_id) DO UPDATE SET token_sealed = excluded.token_sealed,"
                  " api_domain = excluded.api_domain, expires_at = excluded.expires_at",
                  (connection_id, self.p.sealer.seal(token.access_token), token.api_domain, token.expires_at))

    def forget_token(self, c: sqlite3.Connection, connection_id: str) -> None:
        c.execute("DELETE FROM access_tokens WHERE connection_id = ?", (connection_id,))

    def token_lock(self, connection_id: str) -> ContextManager[None]:
        return self._token_locks.hold(connection_id)

    # -- records -----------------------------------------------------------------------------
    def upsert_records(self, company_id: str, connection_id: str, data_type: str,
                       records: Sequence[SyncRecord]) -> int:
        changed = 0
        with self.p.db.write() as c:
            for rec in records:
                old = c.execute("SELECT modified, raw, complete FROM records WHERE company_id = ? AND data_type = ?"
                                " AND record_id = ?", (company_id, data_type, rec.id)).fetchone()
                held = None if old is None else SyncRecord(rec.id, {}, json.loads(old["raw"]), old["modified"],
                                                           bool(old["complete"]))
                is_change, store = record_change(held, rec)
                changed += is_change
                if not store:
                    continue
                raw = json.dumps(rec.raw, sort_keys=True)
                c.execute("INSERT OR REPLACE INTO records (company_id, data_type, record_id, connection_id, normalised,"
                          " raw, modified, complete) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                          (company_id, data_type, rec.id, connection_id, json.dumps(rec.data), raw, rec.modified,
                           int(rec.complete)))
        return changed

    def get_record(self, company_id: str, data_type: str, record_id: str) -> SyncRecord | None:
        with self.p.db.read() as c:
            row = c.execute("SELECT * FROM records WHERE company_id = ? AND data_type = ? AND record_id = ?",
                            (company_id, data_type, record_id)).fetchone()
        return _record(row) if row else None

    def list_records(self, company_id: str, data_type: str, *, offset: int = 0,
                     limit: int = 100) -> tuple[int, list[SyncRecord]]:
        with self.p.db.read() as c:
            total = c.execute("SELECT COUNT(*) AS n FROM records WHERE company_id = ? AND data_type = ?",
                              (company_id, data_type)).fetchone()["n"]
            rows = c.execute("SELECT * FROM records WHERE company_id = ? AND data_type = ? ORDER BY record_id"
                             " LIMIT ? OFFSET ?", (company_id, data_type, limit, offset)).fetchall()
        return total, [_record(r) for r in rows]

    # -- cursors -----------------------------------------------------------------------------
    def get_cursor(self, connection_id: str, key: str) -> str | None:
        with self.p.db.read() as c:
            row = c.execute("SELECT value FROM cursors WHERE connection_id = ? AND source_key = ?",
                            (connection_id, key)).fetchone()
        return row["value"] if row else None

    def set_cursor(self, connection_id: str, key: str, cursor: str) -> None:
        with self.p.db.write() as c:
            c.execute("INSERT OR REPLACE INTO cursors (connection_id, source_key, value) VALUES (?, ?, ?)",
                      (connection_id, key, cursor))

    # -- datasets ----------------------------------------------------------------------------
    def new_dataset(self, company_id: str, connection_id: str, data_type: str, requested: float) -> Dataset:
        ds = Dataset(uuid.uuid4().hex, company_id, connection_id, data_type, requested=requested)
        self.save_dataset(ds)
        return replace(ds)

    def save_dataset(self, dataset: Dataset) -> None:
        body = json.dumps(redact(asdict(dataset)))
        with self.p.db.write() as c:
            c.execute("INSERT INTO datasets (id, company_id, connection_id, data_type, status, requested, completed,"
                      " body) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET status = excluded.status,"
                      " completed = excluded.completed, body = excluded.body",
                      (dataset.id, dataset.company_id, dataset.connection_id, dataset.data_type, dataset.status,
                       dataset.requested, dataset.completed, body))
            if dataset.status == "Complete" and dataset.completed:
                c.execute("UPDATE connections SET last_sync = ? WHERE id = ?", (dataset.completed,
                                                                                dataset.connection_id))

    def get_dataset(self, dataset_id: str) -> Dataset | None:
        with self.p.db.read() as c:
            row = c.execute("SELECT body FROM datasets WHERE id = ?", (dataset_id,)).fetchone()
        return _dataset(row["body"]) if row else None

    def datasets(self, company_id: str | None = None) -> list[Dataset]:
        with self.p.db.read() as c:
            if company_id is None:
                rows = c.execute("SELECT body FROM datasets ORDER BY requested, rowid").fetchall()
            else:
                rows = c.execute("SELECT body FROM datasets WHERE company_id = ? ORDER BY requested, rowid",
                                 (company_id,)).fetchall()
        return [_dataset(r["body"]) for r in rows]

    # -- events and the connection -----------------------------------------------------------
    def emit(self, event_type: str, payload: Mapping[str, Any]) -> None:
        payload = redact(dict(payload))
        company_id = payload.get("companyId") or _first(payload, "companyId")
        connection_id = payload.get("connectionId") or _first(payload, "connectionId")
        if not company_id and connection_id:
            row = self.p.store.connection_row(connection_id)
            company_id = row["company_id"] if row else None
        with self.p.db.write() as c:
            self.p.events.emit(c, event_type, company_id, connection_id,
                               {"referenceCompany": self.p.store.reference_company(company_id) if company_id else None,
                                **payload})

    def connection_deauthorized(self, connection_id: str, reason: str) -> None:
        now = self.p.clock.now()
        with self.p.db.write() as c:
            row = c.execute("SELECT company_id, status FROM connections WHERE id = ?", (connection_id,)).fetchone()
            if row is None or row["status"] != LINKED:
                return
            self.p.store.set_status(c, connection_id, DEAUTHORIZED)
            self.p.store.add_error(c, connection_id, "401", redact(reason)[:500],
                                   "The connection is no longer authorised; re-link it.", now)
            self.forget_token(c, connection_id)
            self.p.emit(c, "connection.disconnected", row["company_id"], connection_id)

    def mark_initial_sync(self, connection_id: str) -> bool:
        with self.p.db.write() as c:
            return c.execute("UPDATE connections SET initial_sync_done = 1 WHERE id = ? AND initial_sync_done = 0",
                             (connection_id,)).rowcount == 1


def _first(payload: Mapping[str, Any], key: str) -> str | None:
    for item in payload.get("dataTypes") or ():
        if isinstance(item, Mapping) and item.get(key):
            return str(item[key])
    return None


def _record(row: sqlite3.Row) -> SyncRecord:
    return SyncRecord(row["record_id"], json.loads(row["normalised"]), json.loads(row["raw"] or "{}"),
                      row["modified"], bool(row["complete"]))


def _dataset(body: str) -> Dataset:
    data = json.loads(body)
    return Dataset(**{k: v for k, v in data.items() if k in _DATASET_FIELDS})
