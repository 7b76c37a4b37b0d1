"""The accounting arithmetic (mock_zoho.books.calc): rounding, totals, statuses, numbering."""
from __future__ import annotations

import random
import threading

import pytest

from mock_zoho.books import calc
from mock_zoho.storage import MemoryStore

VAT20 = {"tax_id": "t20", "tax_name": "Standard Rate", "tax_percentage": 20.0, "tax_type": "tax"}
VAT5 = {"tax_id": "t5", "tax_name": "Reduced Rate", "tax_percentage": 5.0, "tax_type": "tax"}
NY = {"tax_id": "ny", "tax_name": "NY Sales Tax", "tax_percentage": 8.875, "tax_type": "tax"}
TAXES = {t["tax_id"]: t for t in (VAT20, VAT5, NY)}


def test_money_rounds_half_up():
    assert calc.money(2.675) == 2.68  # binary float 2.67499.. but Zoho-style decimal half-up
    assert calc.money(1.005) == 1.01
    assert calc.money("10.125") == 10.13
    assert calc.money(-1.005) == -1.01
    assert calc.money(3) == 3.0
    assert isinstance(calc.money(1), float)


def test_document_totals_exclusive_tax_per_line():
    lines = [{"item_id": "a", "rate": 12.5, "quantity": 3, "tax_id": "t20"},
             {"item_id": "b", "rate": 99.99, "quantity": 1, "discount": 5, "tax_id": "t20"},
             {"item_id": "c", "rate": 7, "quantity": 2, "tax_id": "t5"},
             {"item_id": "d", "rate": 10, "quantity": 1}]
    out = calc.document_totals(lines, taxes_by_id=TAXES)
    items = out["line_items"]
    assert [li["item_total"] for li in items] == [37.5, 94.99, 14.0, 10.0]
    assert items[1]["discount_amount"] == 5.0
    assert items[0]["tax_name"] == "Standard Rate" and items[0]["tax_percentage"] == 20.0
    assert items[3]["tax_name"] == "" and items[3]["tax_id"] == ""
    assert out["sub_total"] == 156.49
    # per-line taxes: 7.50 + 19.00 (18.998) + 0.70
    assert out["tax_total"] == 27.2
    assert out["taxes"] == [{"tax_name": "Standard Rate", "tax_amount": 26.5}, {"tax_name": "Reduced Rate", "tax_amount": 0.7}]
    assert out["total"] == 183.69
    assert lines[0].get("item_total") is None  # inputs untouched


def test_document_totals_percent_discounts_shipping_adjustment():
    lines = [{"rate": 200, "quantity": 1, "discount": "10%", "tax_id": "t20"}, {"rate": 100, "quantity": 1, "tax_id": "t20"}]
    out = calc.document_totals(lines, taxes_by_id=TAXES, discount="10%", shipping_charge=15, adjustment=-0.5)
    assert out["line_items"][0]["discount_amount"] == 20.0
    assert out["sub_total"] == 280.0
    assert out["discount_amount"] == 28.0
    # discount before tax: taxable base 252 -> tax 50.40
    assert out["tax_total"] == 50.4
    assert out["total"] == 280 - 28 + 50.4 + 15 - 0.5
    after = calc.document_totals(lines, taxes_by_id=TAXES, discount=28, is_discount_before_tax=False)
    assert after["tax_total"] == 56.0 and after["total"] == 280 - 28 + 56


def test_document_totals_inclusive_tax():
    out = calc.document_totals([{"rate": 120, "quantity": 1, "tax_id": "t20"}], taxes_by_id=TAXES, is_inclusive_tax=True)
    assert out["tax_total"] == 20.0
    assert out["sub_total"] == 120.0 and out["total"] == 120.0


def test_document_totals_rejects_garbage():
    with pytest.raises(ValueError):
        calc.document_totals([{"rate": "abc", "quantity": 1}], taxes_by_id={})


def test_minor_units_match_document_totals():
    """The seeder's entry (LineAmounts in cents) and the write path's (request numbers) agree."""
    rng = random.Random(5)
    for _ in range(3000):
        lines, fast = [], []
        for _ in range(rng.randint(1, 5)):
            rate_c = rng.randint(1, 500000)
            qty = rng.randint(1, 40)
            disc_c = (rate_c * qty * rng.choice((0, 5, 10, 15))) // 100
            tax = rng.choice((VAT20, VAT5, NY, None))
            lines.append({"rate": rate_c / 100, "quantity": qty, "discount": disc_c / 100,
                          "tax_id": tax["tax_id"] if tax else ""})
            fast.append(calc.LineAmounts(rate_c * qty, disc_c, calc.pct_milli(tax["tax_percentage"]) if tax else 0,
                                         tax["tax_name"] if tax else None))
        slow = calc.document_totals(lines, taxes_by_id=TAXES)
        its, lts, sub, _, tax_total, by_name, _ = calc.totals_units(fast)
        assert [li["item_total"] for li in slow["line_items"]] == [x / 100 for x in its]
        assert [li["line_tax_amount"] for li in slow["line_items"]] == [x / 100 for x in lts]
        assert slow["sub_total"] == sub / 100
        assert slow["tax_total"] == tax_total / 100
        assert slow["total"] == (sub + tax_total) / 100
        assert {t["tax_name"]: t["tax_amount"] for t in slow["taxes"] if t["tax_name"] in by_name} == \
            {n: a / 100 for n, a in by_name.items()}


@pytest.mark.parametrize("args,kwargs,expected", [
    ((100, 100, "2030-01-01", "2025-01-01"), {"sent": False}, "draft"),
    ((100, 100, "2030-01-01", "2025-01-01"), {"void": True}, "void"),
    ((100, 0, "2020-01-01", "2025-01-01"), {}, "paid"),
    ((0, 0, "2020-01-01", "2025-01-01"), {}, "paid"),
    ((100, 40, "2020-01-01", "2025-01-01"), {}, "overdue"),
    ((100, 100, "2024-12-31", "2025-01-01"), {}, "overdue"),
    ((100, 100, "2025-01-01", "2025-01-01"), {}, "sent"),  # due today is not overdue
    ((100, 40, "2025-02-01", "2025-01-01"), {}, "partially_paid"),
    ((100, 100, "2025-02-01", "2025-01-01"), {"viewed": True}, "viewed"),
])
def test_invoice_status(args, kwargs, expected):
    assert calc.invoice_status(*args, **kwargs) == expected


def test_bill_and_credit_status():
    assert calc.bill_status(100, 100, "2030-01-01", "2025-01-01") == "open"
    assert calc.bill_status(100, 50, "2030-01-01", "2025-01-01") == "partially_paid"
    assert calc.bill_status(100, 50, "2024-01-01", "2025-01-01") == "overdue"
    assert calc.bill_status(100, 0, "2024-01-01", "2025-01-01") == "paid"
    assert calc.bill_status(100, 100, "2024-01-01", "2025-01-01", void=True) == "void"
    assert calc.credit_status(100, 100) == "open"
    assert calc.credit_status(100, 0) == "closed"
    assert calc.credit_status(100, 100, draft=True) == "draft"
    assert calc.credit_status(100, 100, void=True) == "void"


def test_settle_moves_applied_amount_and_balance():
    doc = {"total": 100.0, "payment_made": 0.0, "credits_applied": 0.0, "balance": 100.0, "last_payment_date": ""}
    calc.settle(doc, 30.1, paid_on="2025-01-02")
    calc.settle(doc, 19.9, applied="credits_applied")
    assert (doc["payment_made"], doc["credits_applied"], doc["balance"]) == (30.1, 19.9, 50.0)
    assert doc["last_payment_date"] == "2025-01-02"
    calc.settle(doc, -30.1)
    assert (doc["payment_made"], doc["balance"]) == (0.0, 80.1)


def test_due_days():
    assert calc.due_days_text("2025-01-10", "2025-01-05") == "Due in 5 day(s)"
    assert calc.due_days_text("2025-01-05", "2025-01-05") == "Due Today"
    assert calc.due_days_text("2025-01-01", "2025-01-05") == "Overdue by 4 day(s)"


def test_next_number_formats_and_is_unique_under_threads():
    store = MemoryStore()
    assert calc.next_number(store, "1", "invoices", "INV-") == "INV-000001"
    assert calc.next_number(store, "1", "invoices", "INV-") == "INV-000002"
    assert calc.next_number(store, "2", "invoices", "INV-") == "INV-000001"  # per org
    assert calc.next_number(store, "1", "customerpayments", "") == "1"
    assert calc.reserve_numbers(store, "1", "invoices", "INV-", 3) == ["INV-000003", "INV-000004", "INV-000005"]
    assert calc.reserve_numbers(store, "1", "invoices", "INV-", 0) == []
    got: list[str] = []
    lock = threading.Lock()

    def worker():
        mine = [calc.next_number(store, "9", "journals", "JE-") for _ in range(200)]
        with lock:
            got.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(got)) == 800
