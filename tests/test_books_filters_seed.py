"""Re-seeding an organisation through the admin API adds only the resources its counts name (what the
list filters are then tested against); a new organisation still gets the default world around its counts."""
from __future__ import annotations

from tests.books_helpers import world

COUNTED = ("currencies", "taxes", "chartofaccounts", "contacts", "items", "invoices", "bills")


def _counts(zoho, books) -> dict[str, int]:
    return zoho.admin("GET", f"organizations/{books.org_id}").json()["organization"]["record_counts"]


def test_reseed_writes_only_what_was_asked(zoho):
    books = world(zoho, counts={"invoices": 4})
    before = _counts(zoho, books)
    assert before["invoices"] == 4 and before["bills"] > 0 and before["currencies"] > 0  # defaults around it
    r = zoho.admin("POST", f"organizations/{books.org_id}/seed", json={"counts": {"contacts": 2, "invoices": 3}})
    assert r.status_code == 200, r.text
    assert {k: v for k, v in r.json()["written"].items() if v} == {"contacts": 2, "invoices": 3}
    after = _counts(zoho, books)
    for name in COUNTED:
        want = before[name] + {"contacts": 2, "invoices": 3}.get(name, 0)
        assert after[name] == want, (name, before[name], after[name])
    codes = [c["currency_code"] for c in books.ok("GET", "settings/currencies")["currencies"]]
    assert len(codes) == len(set(codes))  # the currencies were not seeded twice


def test_reseed_of_an_empty_org_names_the_missing_reference(zoho):
    books = world(zoho)  # counts {}: nothing seeded
    r = zoho.admin("POST", f"organizations/{books.org_id}/seed", json={"counts": {"invoices": 2}})
    assert r.status_code == 400 and r.json()["field"] == "counts" and "customers" in r.json()["error"]
