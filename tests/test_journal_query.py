"""Journal queries walk from the newest entry and stop at what they return (issue 9 item 9), with
the same answers as before on every journal backend that runs without a server."""
from __future__ import annotations

import tempfile

import pytest

from mock_zoho.journal import Journal, filter_entries
from mock_zoho.storage import make_store


@pytest.fixture(params=["memory", "lmdb"])
def journal(request: pytest.FixtureRequest):
    if request.param == "memory":
        return Journal(1000)
    return make_store("lmdb://" + tempfile.mkdtemp()).make_journal(1000)


def _fill(journal, n: int = 300) -> list[dict]:
    entries = [{"method": "GET", "path": f"/books/v3/{'invoices' if i % 3 else 'contacts'}", "status": 200 + i % 2}
               for i in range(n)]
    for e in entries:
        journal.record(e)
    return [dict(e) for e in entries]


def test_queries_match_the_full_scan(journal) -> None:
    entries = _fill(journal)
    for filters, limit in [(None, 1), (None, None), ({"path": "/books/v3/contacts"}, 5), ({"status": "201"}, 0),
                           ({"since": "290"}, None), ({"since": "290", "status": "200"}, 2), ({"method": "POST"}, 3)]:
        got = journal.query(filters, limit)
        assert got == filter_entries(entries, filters, limit), (filters, limit)


def test_limit_one_is_the_newest(journal) -> None:
    _fill(journal)
    assert [e["id"] for e in journal.query(None, 1)] == [300]
