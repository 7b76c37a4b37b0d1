"""Persistence: one owner-only SQLite file in WAL mode, a versioned schema, sealed secrets, all-or-nothing
writes, and many concurrent requests through the served portal without a lost or half-written row."""
from __future__ import annotations

import os
import sqlite3
import stat
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from harness.connector import ZohoEndpoints
from harness.portal import Platform, serve
from harness.portal.crypto import SealError
from harness.portal.db import Database
from harness.portal.schema import MIGRATIONS

CLIENT_ID = "1000.ABCDEFGHIJKLMNOPQRSTUVWXYZ0123"
SECRET = "0123456789abcdef0123456789abcdef0123456789"


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_file_database_is_owner_only_wal_and_versioned(tmp_path):
    db_path = tmp_path / "portal.sqlite3"
    platform = Platform(ZohoEndpoints("http://127.0.0.1:9"), db=str(db_path))
    platform.app.test_client().put("/api/integrations/zoho-books", json={"client_id": CLIENT_ID, "client_secret": SECRET})
    for path in (db_path, f"{db_path}-wal", f"{db_path}-shm", f"{db_path}.key"):
        assert _mode(path) == 0o600, path
    with platform.db.read() as c:
        assert c.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert platform.db.version() == MIGRATIONS[-1][0]
    platform.close()
    again = Database(str(db_path))  # reopening applies nothing twice
    with again.read() as c:
        assert [r[0] for r in c.execute("SELECT version FROM schema_version ORDER BY version")] == [
            v for v, _ in MIGRATIONS]
    again.close()


def test_secrets_are_sealed_in_the_file_and_need_the_key(tmp_path):
    db_path = tmp_path / "portal.sqlite3"
    platform = Platform(ZohoEndpoints("http://127.0.0.1:9"), db=str(db_path))
    platform.app.test_client().put("/api/integrations/zoho-books", json={"client_id": CLIENT_ID, "client_secret": SECRET})
    platform.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("portal.sqlite3") and p.is_file())
    assert SECRET.encode() not in raw and CLIENT_ID.encode() in raw
    reopened = Platform(ZohoEndpoints("http://127.0.0.1:9"), db=str(db_path))  # the key file is found again
    assert reopened.integrations.get().client_secret == SECRET
    reopened.close()
    os.remove(f"{db_path}.key")
    with pytest.raises(SealError):
        Platform(ZohoEndpoints("http://127.0.0.1:9"), db=str(db_path), settings={
            "portal.key_file": str(tmp_path / "other.key")}).integrations.get()


def test_a_failed_write_leaves_nothing_behind():
    db = Database()
    with pytest.raises(sqlite3.IntegrityError):
        with db.write() as c:
            c.execute("INSERT INTO companies (id, name, created) VALUES ('a', 'A', 0)")
            c.execute("INSERT INTO companies (id, name, created) VALUES ('a', 'again', 0)")
    with db.read() as c:
        assert c.execute("SELECT COUNT(*) FROM companies").fetchone()[0] == 0


def test_concurrent_requests_on_a_file_database(tmp_path):
    platform = Platform(ZohoEndpoints("http://127.0.0.1:9"), db=str(tmp_path / "p.sqlite3"))
    with serve(platform) as portal:
        def create(i: int) -> int:
            with requests.Session() as s:
                r = s.post(f"{portal.url}/api/companies", json={"name": f"Company {i}"})
                company = r.json()
                s.post(f"{portal.url}/api/companies/{company['id']}/link-url")
                return r.status_code
        with ThreadPoolExecutor(12) as pool:
            codes = list(pool.map(create, range(120)))
        assert codes == [201] * 120
        companies = requests.get(f"{portal.url}/api/companies").json()["results"]
        assert len(companies) == 120 and len({c["redirect"] for c in companies}) == 120
        events = requests.get(f"{portal.url}/api/events").json()["results"]
        assert len(events) == 120 and len({e["id"] for e in events}) == 120
    platform.close()


def test_a_memory_database_is_shared_by_threads():
    db = Database()
    def write(i: int) -> None:
        with db.write() as c:
            c.execute("INSERT INTO companies (id, name, created) VALUES (?, ?, 0)", (str(i), f"C{i}"))
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(write, range(200)))
    with db.read() as c:
        assert c.execute("SELECT COUNT(*) FROM companies").fetchone()[0] == 200


def test_settings_changed_at_run_time_are_kept_for_the_next_start(tmp_path):
    db = str(tmp_path / "portal.sqlite3")
    first = Platform(ZohoEndpoints("http://127.0.0.1:9"), db=db)
    changed = first.app.test_client().patch("/api/settings", json={"link.otp_ttl_s": 600, "sync.max_retries": 2})
    assert changed.json == {"changed": ["link.otp_ttl_s", "sync.max_retries"]}
    first.close()
    again = Platform(ZohoEndpoints("http://127.0.0.1:9"), db=db)
    assert again.settings["link.otp_ttl_s"] == 600 and again.connector_settings().max_retries == 2
    again.close()
    told = Platform(ZohoEndpoints("http://127.0.0.1:9"), db=db, settings={"link.otp_ttl_s": 60})
    assert told.settings["link.otp_ttl_s"] == 60  # what a start names wins over what was stored
    told.close()
