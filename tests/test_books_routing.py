"""Books routing: fixed sub-paths Zoho documents under a collection are never taken for a record id.

Served ones answer their documented shape; unserved ones answer code 5 "Invalid URL Passed" (HTTP
404), as every other unserved path does; GET /invoices/{id}/payments lists the invoice's payments.
"""
from __future__ import annotations

import pytest

from tests.books_helpers import assert_zoho_error, world

UNSERVED = ("bills/editpage", "banktransactions/uncategorized", "invoices/mapwithorder", "projects/timeentries/timer")
# contacts/contactpersons is served (POST): GET answers 405 code 37; pdf, print and email are facets
# (tests/test_books_facets.py); bankaccounts/rules is served (bank rules)
TEMPLATES = ("invoices", "estimates", "salesorders", "purchaseorders", "creditnotes")


@pytest.fixture
def books(zoho):
    return world(zoho, counts={"contacts": 6, "items": 4, "invoices": 12, "customerpayments": 8, "estimates": 3,
                               "salesorders": 3, "purchaseorders": 3, "creditnotes": 2, "vendorcredits": 2})


@pytest.mark.parametrize("path", UNSERVED)
def test_unserved_fixed_sub_paths_answer_code_5(books, path):
    body = assert_zoho_error(books.get(path), 404, 5)
    assert body["message"] == "Invalid URL Passed"


def test_templates_refunds_and_invoice_payments(books):
    for name in TEMPLATES:
        body = books.ok("GET", f"{name}/templates")
        assert set(body) == {"code", "message", "templates"}, name
        assert len(body["templates"]) == 1, name
        assert set(body["templates"][0]) == {"template_name", "template_id", "template_type"}
        assert body["templates"][0]["template_id"]
    cn = books.ok("GET", "creditnotes/refunds")
    assert cn["creditnote_refunds"] == [] and cn["page_context"]["page"] == 1
    assert books.ok("GET", "vendorcredits/refunds")["vendor_credit_refunds"] == []
    # a number that is not a record still answers 1002 on the detail route
    assert_zoho_error(books.get("invoices/123456"), 404, 1002)
    assert_zoho_error(books.get("invoices/123456/payments"), 404, 1002)
    pays = books.ok("GET", "customerpayments", params={"per_page": 200})["customerpayments"]
    applied: dict[str, list[str]] = {}
    for p in pays:
        for alloc in books.ok("GET", f"customerpayments/{p['payment_id']}")["payment"]["invoices"]:
            applied.setdefault(alloc["invoice_id"], []).append(p["payment_id"])
    assert applied, "the seeded org has applied payments"
    invoice_id, payment_ids = next(iter(applied.items()))
    rows = books.ok("GET", f"invoices/{invoice_id}/payments")["payments"]
    assert sorted(r["payment_id"] for r in rows) == sorted(payment_ids)
    assert all(r["invoice_id"] == invoice_id and r["amount"] > 0 for r in rows)
    unpaid = next(i["invoice_id"] for i in books.ok("GET", "invoices")["invoices"] if i["invoice_id"] not in applied)
    assert books.ok("GET", f"invoices/{unpaid}/payments")["payments"] == []
