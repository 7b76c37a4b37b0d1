"""The journal entry of a write commits with the write (issue 9 item 8): a worker killed with
``kill -9`` at any point leaves a committed write with its entry, or neither.

* every store, in process and over HTTP: a write request's one entry names what it wrote;
* LMDB: a real process committing a write and killed before its entry reaches the shared journal
  ring; the next process to take the lock journals it;
* ``serve --workers 2`` on a persistent store under concurrent POSTs, one worker killed mid-load:
  every record that exists has its 201 entry and every 201 entry's record exists.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from mock_zoho.storage.lmdb import LmdbStore
from tests.books_helpers import Books, get_token, make_org, make_user, world
from tests.conftest import Target
from tests.test_serving import _children, _replaced, _serve, _stop, _until

ROOT = Path(__file__).resolve().parents[1]


def _writes(zoho, org_id: str) -> list[dict]:
    entries = zoho.admin("GET", "requests", params={"organization_id": org_id, "limit": 10000}).json()["requests"]
    return [e for e in entries if e["method"] != "GET"]


def test_a_write_request_has_one_entry_naming_what_it_wrote(zoho):
    books = world(zoho)
    made = books.ok("POST", "contacts", json={"contact_name": "Journaled Ltd"})["contact"]
    books.ok("PUT", f"contacts/{made['contact_id']}", json={"company_name": "Journaled Holdings"})
    refused = books.call("POST", "contacts", json={"contact_name": "Journaled Ltd"})  # the name is taken
    assert refused.status_code == 400
    books.ok("DELETE", f"contacts/{made['contact_id']}")
    entries = _writes(zoho, books.org_id)
    assert [(e["method"], e["status"], e.get("code")) for e in entries] == [
        ("POST", 201, 0), ("PUT", 200, 0), ("POST", 400, refused.json()["code"]), ("DELETE", 200, 0)]
    assert [e.get("writes") for e in entries] == [{"contacts": [made["contact_id"]]}, {"contacts": [made["contact_id"]]},
                                                   None, {"contacts": [made["contact_id"]]}]
    assert entries[0]["path"].endswith("/contacts") and entries[0]["organization_id"] == books.org_id


def test_a_status_action_and_a_contact_person_are_journaled_with_their_status(zoho):
    books = world(zoho, counts={"invoices": 5})
    invoice = books.ok("GET", "invoices")["invoices"][0]
    contact = books.ok("GET", "contacts")["contacts"][0]
    books.ok("POST", f"invoices/{invoice['invoice_id']}/status/void")
    person = books.call("POST", f"contacts/{contact['contact_id']}/contactpersons",
                        json={"first_name": "Ada", "email": "ada@example.com"})
    assert person.status_code == 201, person.text
    entries = _writes(zoho, books.org_id)
    assert [(e["status"], e["writes"]) for e in entries] == [
        (200, {"invoices": [invoice["invoice_id"]]}), (201, {"contacts": [contact["contact_id"]]})]


_DIE_AFTER_COMMIT = """
import os, signal, sys
from mock_zoho.journal import Journal
from mock_zoho.storage.lmdb import LmdbStore

store = LmdbStore(sys.argv[1])
journal = store.make_journal(100)
with store._txn(write=True):  # one write transaction, as a write request's
    store._local.after_commit.append(lambda: os.kill(os.getpid(), signal.SIGKILL))  # dies right after the commit
    store.write_batch({"books:1:contacts": {"42": {"contact_id": "42"}}}, journal,
                      {"method": "POST", "path": "/books/v3/contacts", "status": 201})
"""


@pytest.mark.slow  # a real process, and the lock's patience (2 s) before it is taken over
def test_lmdb_a_process_killed_between_the_commit_and_the_journal_ring(tmp_path):
    path = str(tmp_path / "store")
    store = LmdbStore(path)
    journal = store.make_journal(100)
    journal.record({"method": "GET", "path": "/before"})
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", _DIE_AFTER_COMMIT, path], env=env, capture_output=True, timeout=60)
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert store.get("books:1:contacts", "42") == {"contact_id": "42"}  # committed
    entries = journal.query()  # takes the lock the dead process held: the taker journals its write
    assert [(e["path"], e["id"]) for e in entries] == [("/before", 1), ("/books/v3/contacts", 2)]
    journal.record({"method": "GET", "path": "/after"})
    assert [e["id"] for e in journal.query()] == [1, 2, 3]


@pytest.mark.slow  # real worker processes
@pytest.mark.parametrize("store", ["shared-memory", pytest.param("redis", marks=pytest.mark.redis)])
def test_kill_9_of_a_worker_under_concurrent_posts_leaves_every_write_journaled(store, request):
    store_args = ["--store", request.getfixturevalue("redis_store").url] if store == "redis" else []
    proc, base = _serve("--workers", "2", "--threads", "8", *store_args)
    try:
        zoho = Target("server", None, base)  # type: ignore[arg-type]
        user = make_user(zoho)
        org_id = make_org(zoho, [user])["organization_id"]
        assert requests.patch(f"{base}/__admin/limits/{org_id}", json={"per_minute": 100000, "concurrency": 100}).ok
        books = Books(zoho, get_token(zoho, user), "us", org_id)
        seen: dict[str, int] = {}  # contact name -> status the client saw (0: no answer)
        stop = threading.Event()

        def post(worker: int) -> None:
            n = 0
            while not stop.is_set():
                name = f"kill-{worker}-{n}"
                n += 1
                try:
                    seen[name] = books.call("POST", "contacts", json={"contact_name": name}, timeout=20).status_code
                except requests.RequestException:
                    seen[name] = 0  # the worker serving it was killed

        threads = [threading.Thread(target=post, args=(i,), daemon=True) for i in range(6)]
        for t in threads:
            t.start()
        _until(lambda: len(seen) >= 60, "writes under way")
        victims = _children(proc.pid)[:1]
        os.kill(victims[0], signal.SIGKILL)
        _until(lambda: _replaced(proc.pid, victims), "the server to replace the killed worker")
        time.sleep(0.5)  # writes on the new worker too
        stop.set()
        for t in threads:
            t.join(timeout=30)
        contacts = {c["contact_name"]: c["contact_id"]
                    for c in books.ok("GET", "contacts", params={"per_page": 200})["contacts"]}
        more, page = True, 1
        while more:  # every page
            body = books.ok("GET", "contacts", params={"per_page": 200, "page": page})
            contacts.update({c["contact_name"]: c["contact_id"] for c in body["contacts"]})
            more, page = body["page_context"]["has_more_page"], page + 1
        created = [e for e in _writes(zoho, org_id) if e["method"] == "POST" and e["status"] == 201]
        journaled = [i for e in created for i in e["writes"]["contacts"]]
        assert sorted(journaled) == sorted(contacts.values())  # every record has its entry, every entry its record
        assert len(journaled) == len(set(journaled))
        assert {n for n, s in seen.items() if s == 201} <= set(contacts)  # what a client saw made exists
        assert not {s for s in seen.values()} - {0, 201}, seen  # never a 500 (nor any other refusal)
    finally:
        _stop(proc)
