"""Response shapes: every list item and detail object carries exactly the §6.3 field sets, with the
errata (customerpayments list key, page_context object, month names) and edition-only fields."""
from __future__ import annotations

from tests.books_helpers import put_records, world

from mock_zoho.books.editions import EDITIONS
from mock_zoho.books.resources import RECORD_RESOURCES, SPECS

LIST_ONLY = ("reportingtags", "accounttransactions")
SEED_COUNTS = {r: 3 for r in RECORD_RESOURCES if r not in ("users", "basecurrencyadjustments")}  # those: API only


def _check_shapes(books, edition: str) -> dict[str, int]:
    books.zoho.admin.set_config({"limits.enabled": False})  # a list and three details of every resource: past 100/min
    seen: dict[str, int] = {}
    for name in RECORD_RESOURCES:
        spec = SPECS[name]
        if spec.parent_key:  # listed under its parent record (tasks: test_books_modules)
            continue
        key = spec.list_key_for(books.zoho.emulator.config)
        body = books.ok("GET", spec.path)
        assert isinstance(body["code"], int) and body["message"] == "success"
        ctx = body["page_context"]
        assert isinstance(ctx, dict) and {"page", "per_page", "has_more_page"} <= set(ctx)
        assert set(ctx) == {"page", "per_page", "has_more_page", "report_name", "applied_filter", "sort_column",
                            "sort_order", *spec.page_context_echo}
        items = body[key]
        seen[name] = len(items)
        for item in items:
            assert list(item) == list(spec.list_keys(edition)), name
        if name in LIST_ONLY:
            continue
        for item in items[:3]:
            detail = books.ok("GET", f"{spec.path}/{item[spec.id_field]}")[spec.detail_key]
            assert set(detail) == set(spec.detail_keys(edition)), (name, set(detail) ^ set(spec.detail_keys(edition)))
    return seen


def test_every_resource_renders_exact_field_sets_from_raw_records(zoho):
    books = world(zoho, "eu", "uk")
    for name in RECORD_RESOURCES:
        if name != "users":
            put_records(zoho, books.org_id, name, [{}, {}])
    seen = _check_shapes(books, "uk")
    assert all(n >= 1 for n in seen.values()), seen
    assert set(seen) == {n for n in RECORD_RESOURCES if not SPECS[n].parent_key}
    # errata: customer payments list key; vendor credits list key; month names
    assert "customerpayments" in books.ok("GET", "customerpayments")
    assert "vendor_credits" in books.ok("GET", "vendorcredits")


def test_seeded_orgs_render_exact_field_sets(zoho):
    for dc, edition in (("us", "us"), ("eu", "uk")):
        books = world(zoho, dc, edition, counts=SEED_COUNTS)
        seen = _check_shapes(books, edition)
        assert seen["invoices"] >= 1 and seen["contacts"] >= 1, seen


def test_uk_and_us_orgs_differ_by_edition(zoho):
    uk = world(zoho, "eu", "uk")
    us = world(zoho, "us", "us")
    for books, edition in ((uk, "uk"), (us, "us")):
        org = books.ok("GET", f"organizations/{books.org_id}")["organization"]
        ed = EDITIONS[edition]
        assert (org["currency_code"], org["country"], org["fiscal_year_start_month"]) == (ed.currency_code, ed.country, ed.fiscal_year_start_month)
        assert org["tax_id_label"] == ed.tax_id_label
        contact = books.ok("POST", "contacts", json={"contact_name": "Edition Co"})["contact"]
        assert ("vat_treatment" in contact) is (edition == "uk")
        assert ("vat_reg_no" in contact) is (edition == "uk")
        assert "gst_no" not in contact and "tax_treatment" not in contact
        assert contact["currency_code"] == ed.currency_code
    assert uk.ok("GET", f"organizations/{uk.org_id}")["organization"]["tax_id_label"] == "VAT Registration Number"
    uk.zoho.admin("PATCH", "config", json={"books.fiscal_month_as": "int"})
    assert uk.ok("GET", "organizations")["organizations"][0]["fiscal_year_start_month"] == 3


def test_seeded_uk_org_uses_vat_and_gbp(zoho):
    uk = world(zoho, "eu", "uk", counts=SEED_COUNTS)
    us = world(zoho, "us", "us", counts=SEED_COUNTS)
    uk_taxes = {t["tax_name"] for t in uk.ok("GET", "settings/taxes")["taxes"]}
    us_taxes = {t["tax_name"] for t in us.ok("GET", "settings/taxes")["taxes"]}
    assert uk_taxes & {t.name for t in EDITIONS["uk"].tax_rates}
    assert us_taxes & {t.name for t in EDITIONS["us"].tax_rates}
    inv = uk.ok("GET", "invoices")["invoices"][0]
    assert inv["currency_code"] in ("GBP", "EUR", "USD")
    detail = uk.ok("GET", f"invoices/{inv['invoice_id']}")["invoice"]
    assert "vat_treatment" in detail
    us_inv = us.ok("GET", "invoices")["invoices"][0]
    assert "vat_treatment" not in us.ok("GET", f"invoices/{us_inv['invoice_id']}")["invoice"]
    base = [c for c in uk.ok("GET", "settings/currencies")["currencies"] if c["is_base_currency"]]
    assert [c["currency_code"] for c in base] == ["GBP"]
