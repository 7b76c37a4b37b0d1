"""Fields the list filters and sync clients rely on: items carry created_time and last_modified_time
(which moves on every write and filters lists), and edition-only fields appear only in their edition."""
from __future__ import annotations

import pytest

from tests.books_helpers import world

INDIA_ITEM = ("hsn_or_sac", "item_tax_preferences")
MEXICO_ITEM = ("sat_item_key_code", "unitkey_code")


def test_every_resource_with_last_modified_time_moves_it_on_a_write(zoho):
    """Issue 13: every served resource whose detail carries last_modified_time (as Zoho documents it)
    moves it on a write, and its list item then shows the new value (what incremental syncs read)."""
    from mock_zoho.books.resources import SPECS

    books = world(zoho, counts={"invoices": 3})
    timed = [s for s in SPECS.values() if "last_modified_time" in s.detail_keys("us") and "update" in s.writable]
    assert len(timed) >= 19, [s.name for s in timed]
    for spec in timed:
        first = next(v for k, v in books.ok("GET", spec.path).items() if isinstance(v, list))[0]
        rid = first[spec.id_field]
        before = next(v for v in books.ok("GET", f"{spec.path}/{rid}").values() if isinstance(v, dict))
        zoho.clock.advance(5)
        after = next(v for v in books.ok("PUT", f"{spec.path}/{rid}", json={}).values() if isinstance(v, dict))
        assert after["last_modified_time"] > before["last_modified_time"], spec.name
        listed = next(v for k, v in books.ok("GET", spec.path).items() if isinstance(v, list))
        row = next(r for r in listed if r[spec.id_field] == rid)
        assert row.get("last_modified_time", after["last_modified_time"]) == after["last_modified_time"], spec.name


def test_items_carry_times_that_move_on_every_write(zoho):
    books = world(zoho, counts={"items": 3})
    items = books.ok("GET", "items")["items"]
    assert all(i["created_time"] and i["last_modified_time"] for i in items)
    first = items[0]
    detail = books.ok("GET", f"items/{first['item_id']}")["item"]
    assert (detail["created_time"], detail["last_modified_time"]) == (first["created_time"], first["last_modified_time"])
    zoho.clock.advance(120)
    made = books.ok("POST", "items", json={"name": "Widget Deluxe", "rate": 12.5})["item"]
    assert made["created_time"] == made["last_modified_time"]
    zoho.clock.advance(120)
    updated = books.ok("PUT", f"items/{made['item_id']}", json={"rate": 13})["item"]
    assert updated["created_time"] == made["created_time"]
    assert updated["last_modified_time"] > made["last_modified_time"]
    got = books.ok("GET", "items", params={"last_modified_time": made["last_modified_time"]})["items"]
    assert [i["item_id"] for i in got] == [made["item_id"]]
    listed = next(i for i in books.ok("GET", "items")["items"] if i["item_id"] == made["item_id"])
    assert listed["last_modified_time"] == updated["last_modified_time"]


@pytest.mark.parametrize("edition", ["us", "in", "au", "uk"])
def test_edition_only_fields_follow_the_edition(zoho, edition):
    books = world(zoho, edition=edition, counts={"items": 2, "contacts": 4, "bills": 2, "invoices": 0})
    item_id = books.ok("GET", "items")["items"][0]["item_id"]
    item = books.ok("GET", f"items/{item_id}")["item"]
    assert all(f not in item for f in MEXICO_ITEM)
    assert all((f in item) == (edition == "in") for f in INDIA_ITEM), sorted(item)
    bill_row = books.ok("GET", "bills")["bills"][0]
    assert "is_tds_applied" not in bill_row and "is_abn_quoted" not in bill_row
    bill = books.ok("GET", f"bills/{bill_row['bill_id']}")["bill"]
    assert ("is_tds_applied" in bill) == (edition in ("in", "au"))
    assert ("is_abn_quoted" in bill) == (edition == "au")
    account_id = books.ok("GET", "chartofaccounts")["chartofaccounts"][0]["account_id"]
    account = books.ok("GET", f"chartofaccounts/{account_id}")["chart_of_account"]
    assert ("include_in_vat_return" in account) == (edition == "uk")
    made = books.ok("POST", "items", json={"name": "Gadget", "rate": 3})["item"]
    if edition == "in":
        assert made["hsn_or_sac"] == "" and made["item_tax_preferences"] == []
    assert all(f not in made for f in MEXICO_ITEM)
