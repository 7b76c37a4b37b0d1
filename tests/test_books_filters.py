"""Books list filters as Zoho documents them: exact matches, _startswith / _contains (and the sales
orders' _in / _not_in), date and amount comparisons, line-item fields, enums and search_text.

Each check compares a filtered list against the same list filtered here, over a seeded org, through
HTTP in both modes.
"""
from __future__ import annotations

from typing import Any, Callable

import pytest

from tests.books_helpers import assert_zoho_error, world

COUNTS = {"contacts": 8, "items": 6, "invoices": 30, "bills": 12, "customerpayments": 10, "vendorpayments": 6,
          "creditnotes": 4, "vendorcredits": 3, "estimates": 6, "salesorders": 6, "purchaseorders": 6,
          "expenses": 8, "journals": 4, "banktransactions": 10, "accounttransactions": 20}


@pytest.fixture
def books(zoho):
    return world(zoho, counts=COUNTS)


def _all(books, path: str, key: str) -> list[dict[str, Any]]:
    return books.ok("GET", path, params={"per_page": 200})[key]


def _ids(books, path: str, key: str, id_field: str, **params: Any) -> set[str]:
    return {r[id_field] for r in books.ok("GET", path, params={"per_page": 200, **params})[key]}


def _expect(rows: list[dict[str, Any]], id_field: str, keep: Callable[[dict[str, Any]], bool]) -> set[str]:
    return {r[id_field] for r in rows if keep(r)}


def test_invoice_exact_text_and_variants(books):
    rows = _all(books, "invoices", "invoices")
    target = rows[7]
    got = lambda **p: _ids(books, "invoices", "invoices", "invoice_id", **p)  # noqa: E731
    assert got(invoice_number=target["invoice_number"]) == {target["invoice_id"]}
    assert got(invoice_number=target["invoice_number"].lower()) == {target["invoice_id"]}  # case-insensitive
    assert got(invoice_number="INV-999999") == set()
    name = target["customer_name"]
    assert got(customer_name=name) == _expect(rows, "invoice_id", lambda r: r["customer_name"] == name)
    assert got(customer_name_startswith=name[:3].upper()) == _expect(
        rows, "invoice_id", lambda r: r["customer_name"].lower().startswith(name[:3].lower()))
    assert got(customer_name_contains=name[2:5]) == _expect(
        rows, "invoice_id", lambda r: name[2:5].lower() in r["customer_name"].lower())
    ref = next(r["reference_number"] for r in rows if r["reference_number"])
    assert got(reference_number=ref) == _expect(rows, "invoice_id", lambda r: r["reference_number"] == ref)
    assert got(customer_id=target["customer_id"]) == _expect(
        rows, "invoice_id", lambda r: r["customer_id"] == target["customer_id"])


def test_invoice_dates_and_amounts(books):
    rows = _all(books, "invoices", "invoices")
    got = lambda **p: _ids(books, "invoices", "invoices", "invoice_id", **p)  # noqa: E731
    day, due = rows[3]["date"], rows[3]["due_date"]
    assert got(date=day) == _expect(rows, "invoice_id", lambda r: r["date"] == day)
    assert got(due_date=due) == _expect(rows, "invoice_id", lambda r: r["due_date"] == due)
    assert got(date_before=day) == _expect(rows, "invoice_id", lambda r: r["date"] < day)
    assert got(date_after=day) == _expect(rows, "invoice_id", lambda r: r["date"] > day)
    assert got(date_start=day, date_end=day) == got(date=day)
    assert got(due_date_start=due) == _expect(rows, "invoice_id", lambda r: r["due_date"] >= due)
    totals = sorted(r["total"] for r in rows)
    mid = totals[len(totals) // 2]
    assert got(total=mid) == _expect(rows, "invoice_id", lambda r: abs(r["total"] - mid) < 0.005)
    for suffix, keep in (("less_than", lambda t: t < mid), ("less_equals", lambda t: t <= mid),
                         ("greater_than", lambda t: t > mid), ("greater_equals", lambda t: t >= mid)):
        want = _expect(rows, "invoice_id", lambda r: keep(r["total"]))
        assert got(**{f"total_{suffix}": mid}) == want, suffix
    assert 0 < len(got(total_greater_than=mid)) < len(rows)
    assert got(balance_greater_than=0) == _expect(rows, "invoice_id", lambda r: r["balance"] > 0)
    assert got(balance=0) == _expect(rows, "invoice_id", lambda r: r["balance"] == 0)
    assert_zoho_error(books.get("invoices", params={"total_greater_than": "lots"}), 400, 2)
    assert_zoho_error(books.get("invoices", params={"date": "yesterday"}), 400, 2)


def test_line_item_filters(books):
    rows = _all(books, "invoices", "invoices")
    detail = books.ok("GET", f"invoices/{rows[0]['invoice_id']}")["invoice"]
    line = detail["line_items"][0]
    for params in ({"item_name": line["name"]}, {"item_id": line["item_id"]},
                   {"item_name_contains": line["name"][1:4]}):
        hits = _ids(books, "invoices", "invoices", "invoice_id", **params)
        assert rows[0]["invoice_id"] in hits and len(hits) < len(rows), params
        for iid in hits:
            lines = books.ok("GET", f"invoices/{iid}")["invoice"]["line_items"]
            assert any(ln["item_id"] == line["item_id"] or line["name"][1:4].lower() in ln["name"].lower()
                       for ln in lines), params


def test_bills_payments_and_items(books):
    bills = _all(books, "bills", "bills")
    b = bills[2]
    assert _ids(books, "bills", "bills", "bill_id", bill_number=b["bill_number"]) == {b["bill_id"]}
    assert _ids(books, "bills", "bills", "bill_id", vendor_name=b["vendor_name"]) == _expect(
        bills, "bill_id", lambda r: r["vendor_name"] == b["vendor_name"])
    assert _ids(books, "bills", "bills", "bill_id", total_less_equals=b["total"]) == _expect(
        bills, "bill_id", lambda r: r["total"] <= b["total"])
    pays = _all(books, "customerpayments", "customerpayments")
    p = pays[0]
    assert _ids(books, "customerpayments", "customerpayments", "payment_id", payment_mode=p["payment_mode"]) == \
        _expect(pays, "payment_id", lambda r: r["payment_mode"].lower() == p["payment_mode"].lower())
    assert _ids(books, "customerpayments", "customerpayments", "payment_id", amount_greater_equals=p["amount"]) == \
        _expect(pays, "payment_id", lambda r: r["amount"] >= p["amount"])
    items = _all(books, "items", "items")
    it = items[1]
    assert _ids(books, "items", "items", "item_id", name=it["name"]) == {it["item_id"]}
    assert _ids(books, "items", "items", "item_id", rate=it["rate"]) == _expect(
        items, "item_id", lambda r: r["rate"] == it["rate"])
    assert _ids(books, "items", "items", "item_id", rate_less_than=it["rate"]) == _expect(
        items, "item_id", lambda r: r["rate"] < it["rate"])
    contacts = _all(books, "contacts", "contacts")
    c = next(c for c in contacts if c["email"])
    assert _ids(books, "contacts", "contacts", "contact_id", email=c["email"]) == {c["contact_id"]}
    assert _ids(books, "contacts", "contacts", "contact_id", contact_name=c["contact_name"]) == {c["contact_id"]}
    if c["phone"]:
        assert c["contact_id"] in _ids(books, "contacts", "contacts", "contact_id", phone=c["phone"])


def test_status_enums_and_search_text(books):
    rows = _all(books, "invoices", "invoices")
    assert _ids(books, "invoices", "invoices", "invoice_id", status="paid") == _expect(
        rows, "invoice_id", lambda r: r["status"] == "paid")
    assert _ids(books, "invoices", "invoices", "invoice_id", filter_by="Status.Draft") == _expect(
        rows, "invoice_id", lambda r: r["status"] == "draft")
    assert_zoho_error(books.get("invoices", params={"filter_by": "Status.Bogus"}), 400, 2)
    needle = rows[4]["invoice_number"][-3:]
    assert _ids(books, "invoices", "invoices", "invoice_id", search_text=needle) == _expect(
        rows, "invoice_id", lambda r: any(needle.lower() in str(r[f]).lower()
                                          for f in ("invoice_number", "reference_number", "customer_name")))
    txns = _all(books, "banktransactions", "banktransactions")
    acct = txns[0]["account_name"]
    assert _ids(books, "banktransactions", "banktransactions", "transaction_id", search_text=acct) >= _expect(
        txns, "transaction_id", lambda r: r["account_name"] == acct)
    amt = txns[0]["amount"]
    assert _ids(books, "banktransactions", "banktransactions", "transaction_id", amount_start=amt, amount_end=amt) \
        == _expect(txns, "transaction_id", lambda r: r["amount"] == amt)


def test_sales_orders_in_and_not_in(books):
    rows = _all(books, "salesorders", "salesorders")
    two = [rows[0]["salesorder_number"], rows[1]["salesorder_number"]]
    got = lambda **p: _ids(books, "salesorders", "salesorders", "salesorder_id", **p)  # noqa: E731
    assert got(salesorder_number_in=",".join(two)) == {rows[0]["salesorder_id"], rows[1]["salesorder_id"]}
    assert got(salesorder_number_not_in=",".join(two)) == {r["salesorder_id"] for r in rows[2:]}


def test_unknown_semantics_are_accepted(books):
    """Documented parameters whose matching Zoho does not describe are accepted, never a 500."""
    n = len(_all(books, "invoices", "invoices"))
    for params in ({"custom_field": "x"}, {"response_option": "0"}):  # zcrm_potential_id: test_books_sales_writes
        assert len(books.ok("GET", "invoices", params={"per_page": 200, **params})["invoices"]) == n


def test_account_transactions_filter_by_and_sort(books):
    accounts = {a["account_id"]: a for a in _all(books, "chartofaccounts", "chartofaccounts")}
    rows = _all(books, "chartofaccounts/transactions", "transactions")
    assert rows
    income = _ids(books, "chartofaccounts/transactions", "transactions", "transaction_id", filter_by="AccountType.Income")
    assert income == _expect(rows, "transaction_id", lambda r: accounts[r["account_id"]]["account_type"] in
                             ("income", "other_income"))
    assert _ids(books, "chartofaccounts/transactions", "transactions", "transaction_id",
                filter_by="AccountType.Active") == {r["transaction_id"] for r in rows}
    assert _ids(books, "chartofaccounts/transactions", "transactions", "transaction_id",
                filter_by="AccountType.Inactive") == set()
    by_name = books.ok("GET", "chartofaccounts/transactions", params={"sort_column": "account_name", "per_page": 200})
    names = [accounts[r["account_id"]]["account_name"].lower() for r in by_name["transactions"]]
    assert names == sorted(names)
    assert books.ok("GET", "chartofaccounts/transactions", params={"sort_column": "account_type"})["code"] == 0
    assert_zoho_error(books.get("chartofaccounts/transactions", params={"filter_by": "AccountType.Bogus"}), 400, 2)

