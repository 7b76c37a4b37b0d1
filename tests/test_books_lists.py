"""Books lists: filters, search, sort, last_modified_time, and pagination fidelity."""
from __future__ import annotations

import pytest

from tests.books_helpers import assert_zoho_error, put_records, world


def _invoices(zoho, books, n: int, step_s: int = 60) -> list[str]:
    """``n`` invoices created one virtual minute apart (so created_time and lmt order them)."""
    contacts = put_records(zoho, books.org_id, "contacts", [
        {"contact_name": "Alpha Traders", "contact_type": "customer", "status": "active"},
        {"contact_name": "Beta Supplies", "contact_type": "vendor", "status": "inactive"}])
    ids = []
    statuses = ["draft", "sent", "overdue", "paid", "partially_paid"]
    for i in range(n):
        ids += put_records(zoho, books.org_id, "invoices", [{
            "invoice_number": f"INV-{i + 1:06d}", "customer_id": contacts[i % 2],
            "customer_name": ["Alpha Traders", "Beta Supplies"][i % 2], "status": statuses[i % 5],
            "date": f"2024-01-{(i % 28) + 1:02d}", "due_date": f"2024-02-{(i % 28) + 1:02d}",
            "total": float(100 + i), "balance": float(i % 3)}])
        zoho.admin("POST", "clock", json={"advance": step_s})
    return ids


def test_filters_search_and_sort(zoho):
    books = world(zoho)
    ids = _invoices(zoho, books, 12)
    got = lambda **p: [i["invoice_id"] for i in books.ok("GET", "invoices", params=p)["invoices"]]  # noqa: E731
    # default: created_time descending, page_context echoes it
    body = books.ok("GET", "invoices")
    assert [i["invoice_id"] for i in body["invoices"]] == ids[::-1]
    assert body["page_context"] == {"page": 1, "per_page": 200, "has_more_page": False, "report_name": "Invoices",
                                    "applied_filter": "Status.All", "sort_column": "created_time", "sort_order": "D",
                                    "response_option": 0}  # invoices.yml: the response_option asked (0 by default)
    assert set(got(filter_by="Status.Paid")) == {ids[3], ids[8]}
    assert books.ok("GET", "invoices", params={"filter_by": "Status.Paid"})["page_context"]["applied_filter"] == "Status.Paid"
    assert set(got(status="overdue")) == {ids[2], ids[7]}
    assert set(got(search_text="beta")) == set(ids[1::2])
    assert got(invoice_number_startswith="INV-00001") == [ids[11], ids[10], ids[9]]
    assert set(got(invoice_number_contains="0005")) == {ids[4]}
    assert set(got(date_start="2024-01-03", date_end="2024-01-04")) == {ids[2], ids[3]}
    assert set(got(**{"date.before": "2024-01-03"})) == {ids[0], ids[1]}
    assert set(got(due_date_after="2024-02-11")) == {ids[11]}
    assert got(sort_column="total", sort_order="A") == ids
    assert got(sort_column="invoice_number", sort_order="D") == ids[::-1]
    assert got(sort_column="balance", sort_order="A")[:4] == [ids[0], ids[3], ids[6], ids[9]]
    contacts = books.ok("GET", "contacts", params={"contact_type": "vendor"})["contacts"]
    assert [c["contact_name"] for c in contacts] == ["Beta Supplies"]
    assert [c["contact_name"] for c in books.ok("GET", "contacts", params={"filter_by": "Status.Active"})["contacts"]] == ["Alpha Traders"]
    assert books.ok("GET", "contacts", params={"sort_column": "contact_name"})["contacts"][0]["contact_name"] == "Alpha Traders"


def test_last_modified_time_inclusive_and_lenient(zoho):
    books = world(zoho, "eu", "uk")  # +0000: the raw '+' case below is exercised
    ids = _invoices(zoho, books, 3, step_s=900)  # within the token's hour
    times = {i["invoice_id"]: i["last_modified_time"] for i in books.ok("GET", "invoices")["invoices"]}
    cut = times[ids[1]]  # e.g. 2026-01-01T10:00:00-0500
    assert {i["invoice_id"] for i in books.ok("GET", "invoices", params={"last_modified_time": cut})["invoices"]} == set(ids[1:])
    lenient = [cut.replace(cut[-5:], cut[-5:-2] + ":" + cut[-2:])]  # ±hh:mm
    raw_url = f"{books.base}/invoices?organization_id={books.org_id}&last_modified_time={cut}"  # '+' unencoded -> space
    r = zoho.session.get(raw_url, headers=books.headers())
    assert r.status_code == 200
    assert cut.endswith("+0000")
    if cut[-5] == "+":
        assert {i["invoice_id"] for i in r.json()["invoices"]} == set(ids[1:])
    for value in lenient:
        assert {i["invoice_id"] for i in books.ok("GET", "invoices", params={"last_modified_time": value})["invoices"]} == set(ids[1:])
    zoho.admin("PATCH", "config", json={"books.strict_params": True})
    assert_zoho_error(books.get("invoices", params={"last_modified_time": lenient[0]}), 400, 2)
    books.ok("GET", "invoices", params={"last_modified_time": cut})
    # declared_only: ignored on contacts (not declared), applied on invoices
    zoho.admin("PATCH", "config", json={"books.strict_params": False, "books.lmt_scope": "declared_only"})
    future = "2999-01-01T00:00:00+0000"
    assert len(books.ok("GET", "contacts", params={"last_modified_time": future})["contacts"]) == 2
    assert books.ok("GET", "invoices", params={"last_modified_time": future})["invoices"] == []
    zoho.admin("PATCH", "config", json={"books.lmt_scope": "all_with_field"})
    assert books.ok("GET", "contacts", params={"last_modified_time": future})["contacts"] == []


@pytest.mark.parametrize("per_page", [1, 4, 5, 13])
def test_pagination_fidelity_three_ways(zoho, per_page):
    books = world(zoho)
    ids = _invoices(zoho, books, 12, step_s=1)

    def page(n: int) -> dict:
        return books.ok("GET", "invoices", params={"page": n, "per_page": per_page})

    # 1. until has_more_page is false
    a, n = [], 1
    while True:
        body = page(n)
        assert body["page_context"]["page"] == n and body["page_context"]["per_page"] == per_page
        a += [i["invoice_id"] for i in body["invoices"]]
        if not body["page_context"]["has_more_page"]:
            break
        n += 1
    # 2. until a short page (Airbyte style: ignores has_more_page)
    b, n = [], 1
    while True:
        chunk = page(n)["invoices"]
        b += [i["invoice_id"] for i in chunk]
        if len(chunk) < per_page:
            break
        n += 1
    # 3. by page number, past the end
    c = []
    for n in range(1, 12 // per_page + 3):
        body = page(n)
        c += [i["invoice_id"] for i in body["invoices"]]
    past = page(50)
    assert past["invoices"] == [] and past["page_context"]["has_more_page"] is False
    assert a == b == c == ids[::-1]


def test_per_page_max(zoho):
    books = world(zoho)
    assert books.ok("GET", "invoices", params={"per_page": 500})["page_context"]["per_page"] == 200
    zoho.admin("PATCH", "config", json={"books.per_page_max": "reject"})
    assert_zoho_error(books.get("invoices", params={"per_page": 500}), 400, 2)


def test_settings_lists_and_sub_resources(zoho):
    books = world(zoho)
    cur = put_records(zoho, books.org_id, "currencies", [
        {"currency_code": "GBP", "is_base_currency": False,
         "_exchange_rates": [{"exchange_rate_id": "1", "currency_code": "GBP", "effective_date": "2024-01-01", "rate": 1.27}]},
        {"currency_code": "USD", "is_base_currency": True}])
    body = books.ok("GET", "settings/currencies")
    assert len(body["currencies"]) == 2 and body["page_context"]["has_more_page"] is False
    body = books.ok("GET", "settings/currencies", params={"per_page": 1})
    assert len(body["currencies"]) == 1 and body["page_context"]["has_more_page"] is True
    second = books.ok("GET", "settings/currencies", params={"per_page": 1, "page": 2})["currencies"]
    assert second != body["currencies"] and len(second) == 1
    assert [c["currency_code"] for c in books.ok("GET", "settings/currencies", params={"filter_by": "Currencies.ExcludeBaseCurrency"})["currencies"]] == ["GBP"]
    rates = books.ok("GET", f"settings/currencies/{cur[0]}/exchangerates")["exchange_rates"]
    assert rates == [{"exchange_rate_id": "1", "currency_id": "", "currency_code": "GBP", "effective_date": "2024-01-01", "rate": 1.27}]
    tag = put_records(zoho, books.org_id, "reportingtags", [{"tag_name": "Region", "is_active": True, "options": [
        {"option_id": "11", "option_name": "North", "is_active": True}]}])[0]
    for path in ("reportingtags", "settings/tags"):
        assert [t["tag_name"] for t in books.ok("GET", path)["tags"]] == ["Region"]
        assert books.ok("GET", f"{path}/{tag}/options/all")["results"] == [{"option_id": "11", "option_name": "North", "is_active": True}]
    acct = put_records(zoho, books.org_id, "chartofaccounts", [{"account_name": "Bank", "account_type": "bank"},
                                                               {"account_name": "Sales", "account_type": "income"}])
    put_records(zoho, books.org_id, "accounttransactions", [{"account_id": acct[0], "transaction_date": "2024-01-02", "debit_amount": 5},
                                                            {"account_id": acct[1], "transaction_date": "2024-01-02", "credit_amount": 5}])
    txns = books.ok("GET", "chartofaccounts/transactions", params={"account_id": acct[0]})["transactions"]
    assert [t["account_id"] for t in txns] == [acct[0]]
    assert [a["account_name"] for a in books.ok("GET", "chartofaccounts", params={"filter_by": "AccountType.Income"})["chartofaccounts"]] == ["Sales"]
    assert books.ok("GET", f"chartofaccounts/{acct[0]}")["chart_of_account"]["account_name"] == "Bank"
    zoho.admin("PATCH", "config", json={"books.coa_detail_key": "top_level"})
    assert books.ok("GET", f"chartofaccounts/{acct[0]}")["account_name"] == "Bank"
    so = put_records(zoho, books.org_id, "salesorders", [{"salesorder_number": "SO-1"}, {"salesorder_number": "SO-2"}])
    got = books.ok("GET", "salesorders", params={"salesorder_ids": so[1]})["salesorders"]
    assert [s["salesorder_number"] for s in got] == ["SO-2"]
    vc = put_records(zoho, books.org_id, "vendorcredits", [{"vendor_credit_number": "DN-1", "bills_credited": [
        {"bill_id": "5", "vendor_credit_bill_id": "6", "date": "2024-01-01", "bill_number": "B-5", "amount": 3}]}])[0]
    assert "vendor_credits" in books.ok("GET", "vendorcredits")
    assert books.ok("GET", f"vendorcredits/{vc}/bills")["bills_credited"][0]["bill_number"] == "B-5"
    zoho.admin("PATCH", "config", json={"books.vendorcredits_list_key": "vendorcredits"})
    assert "vendorcredits" in books.ok("GET", "vendorcredits")
