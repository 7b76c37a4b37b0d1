"""Seed data (mock_zoho.books.seed): the §6.3 field contract, numbers that add up, determinism.

The expected key sets below are copied from docs/zoho-reference.md §6.3 (list + detail, edition
fields excluded), independently of the seeder's own tables.
"""
from __future__ import annotations

import random
from collections import defaultdict

import pytest

from mock_zoho import Emulator
from mock_zoho.books import calc
from mock_zoho.clock import Clock
from mock_zoho.books.editions import EDITIONS
from mock_zoho.books.seed import DEFAULT_COUNTS, seed_organization


def _f(text: str) -> set[str]:
    return {x.strip() for x in text.replace("\n", " ").split(",") if x.strip()}


GATED = _f("""gst_no, gst_treatment, place_of_supply, place_of_contact, vat_treatment, vat_reg_no, tax_treatment,
tax_regime, legal_name, is_tds_registered, cfdi_usage, is_pre_gst, is_reverse_charge_applied, source_of_supply,
destination_of_supply, filed_in_vat_return_id, filed_in_vat_return_name, filed_in_vat_return_type,
acquisition_vat_summary, acquisition_vat_total, reverse_charge_vat_summary, reverse_charge_vat_total""")

REF = {
    "contacts": _f("""contact_id, contact_name, company_name, contact_type, status, payment_terms,
payment_terms_label, currency_id, currency_code, outstanding_receivable_amount, unused_credits_receivable_amount,
first_name, last_name, email, phone, mobile, created_time, last_modified_time, customer_sub_type, credit_limit,
pricebook_id, contact_number, is_taxable, tax_id, tax_name, tax_percentage, tax_authority_id, tax_exemption_id,
is_linked_with_zohocrm, website, owner_id, primary_contact_id, currency_symbol, opening_balances,
outstanding_receivable_amount_bcy, unused_credits_receivable_amount_bcy, facebook, twitter,
payment_reminder_enabled, custom_fields, billing_address, shipping_address, contact_persons, default_templates,
notes, has_transaction"""),
    "invoices": _f("""invoice_id, ach_payment_initiated, customer_name, customer_id, status, invoice_number,
reference_number, date, due_date, due_days, currency_id, schedule_time, currency_code, is_viewed_by_client,
has_attachment, client_viewed_time, total, balance, created_time, last_modified_time, is_emailed, reminders_sent,
last_reminder_sent_date, payment_expected_date, last_payment_date, custom_fields, documents, location_id,
location_name, salesperson_id, salesperson_name, shipping_charge, adjustment, write_off_amount, exchange_rate,
line_items, sub_total, tax_total, taxes, discount, is_discount_before_tax, discount_type, is_inclusive_tax,
payment_terms, payment_terms_label, contact_persons_associated, recurring_invoice_id, adjustment_description,
payment_made, credits_applied, tax_amount_withheld, allow_partial_payments, price_precision, payment_options,
billing_address, shipping_address, notes, terms, template_id, template_name, attachment_name, can_send_in_mail,
invoice_url, payment_reminder_enabled"""),
    "creditnotes": _f("""creditnote_id, creditnote_number, status, reference_number, date, total, balance,
location_id, location_name, customer_id, customer_name, currency_id, currency_code, created_time,
last_modified_time, is_emailed, line_items, invoices, taxes, custom_fields, email, contact_persons_associated,
currency_symbol, updated_time, billing_address, shipping_address, template_id, template_name, notes, terms"""),
    "bills": _f("""bill_id, vendor_id, vendor_name, status, bill_number, reference_number, date, due_date,
due_days, currency_id, currency_code, price_precision, exchange_rate, total, balance, location_id, location_name,
created_time, last_modified_time, attachment_name, has_attachment, is_tds_applied, is_abn_quoted,
purchaseorder_ids, line_items, sub_total, tax_total, taxes, payment_made, vendor_credits_applied, payments,
vendor_credits, billing_address, payment_terms, payment_terms_label, recurring_bill_id, adjustment,
is_inclusive_tax, custom_fields, documents, notes, terms, created_by_id, reference_id"""),
    "items": _f("""item_id, name, status, description, rate, unit, tax_id, purchase_tax_rule_id, sales_tax_rule_id,
tax_name, tax_percentage, tax_type, sku, product_type, sat_item_key_code, unitkey_code, custom_fields, hsn_or_sac,
item_tax_preferences, locations, item_type, account_id, account_name, purchase_rate, purchase_description,
purchase_account_id"""),
    "chartofaccounts": _f("""account_id, account_name, account_code, account_type, is_user_created,
is_system_account, is_standalone_account, is_active, can_show_in_ze, is_involved_in_transaction, current_balance,
parent_account_id, parent_account_name, depth, has_attachment, is_child_present, child_count, documents,
created_time, last_modified_time, currency_id, currency_code, description, include_in_vat_return, custom_fields,
closing_balance"""),
    "accounttransactions": _f("""categorized_transaction_id, transaction_type, transaction_status,
transaction_source, transaction_id, transaction_date, account_id, customer_id, payee, description, entry_number,
currency_id, currency_code, debit_or_credit, offset_account_name, reference_number, reconcile_status,
debit_amount, credit_amount"""),
    "customerpayments": _f("""payment_id, payment_number, invoice_number, date, payment_mode, amount, bcy_amount,
location_id, location_name, status, customer_id, customer_name, reference_number, description, unused_amount,
account_id, account_name, created_time, last_modified_time, amount_refunded, bank_charges, email, invoices,
currency_code, currency_symbol, custom_fields"""),
    "vendorpayments": _f("""payment_id, vendor_id, vendor_name, bill_numbers, payment_mode, payment_number,
description, date, reference_number, exchange_rate, amount, bcy_amount, paid_through_account_id,
paid_through_account_name, balance, bcy_balance, created_time, last_modified_time, is_paid_via_print_check,
has_attachment, is_ach_payment, ach_payment_status, ach_gw_transaction_id, check_details, bills, currency_id,
currency_symbol, paid_through_account_type, billing_address, comments, vendorpayment_refunds, location_id,
location_name, documents, custom_fields, tax_account_name, tax_amount_withheld"""),
    "vendorcredits": _f("""vendor_credit_id, vendor_credit_number, status, reference_number, date, total, balance,
vendor_id, vendor_name, currency_id, currency_code, created_time, last_modified_time, has_attachment,
exchange_rate, pricebook_id, price_precision, is_inclusive_tax, location_id, location_name, line_items, documents,
custom_fields, sub_total, total_credits_used, total_refunded_amount, notes, comments, vendor_credit_refunds,
bills_credited"""),
    "journals": _f("""journal_id, journal_date, entry_number, reference_number, currency_id, notes, journal_type,
entity_type, total, bcy_total, custom_field, line_items, currency_code, currency_symbol, exchange_rate,
line_item_total, price_precision, taxes, created_time, last_modified_time, status, custom_fields, product_type,
include_in_vat_return, is_bas_adjustment, location_id, location_name"""),
    "taxes": _f("""tax_id, tax_name, tax_percentage, tax_type, tax_factor, tax_specific_type, tax_authority_id,
tax_authority_name, is_value_added, is_default_tax, is_editable, output_tax_account_name,
purchase_tax_account_name, tax_account_id, purchase_tax_account_id, tds_payable_account_id, country,
country_code, purchase_tax_expense_account_id"""),
    "currencies": _f("""currency_id, currency_code, currency_name, currency_symbol, price_precision,
currency_format, is_base_currency, exchange_rate, effective_date"""),
    "bankaccounts": _f("""account_id, account_name, account_code, currency_id, currency_code, account_type,
account_number, uncategorized_transactions, total_unprinted_checks, is_active, balance, bank_balance,
bcy_balance, bank_name, routing_number, is_primary_account, is_paypal_account, currency_symbol, price_precision,
is_feeds_subscribed, is_feeds_active, description, refresh_status_code, feeds_last_refresh_date, service_id,
is_system_account, is_show_warning_for_feeds_refresh"""),
    "banktransactions": _f("""transaction_id, date, amount, transaction_type, status, source, account_id,
account_name, account_type, price_precision, customer_id, payee, is_paid_via_print_check, description,
currency_id, currency_code, currency_symbol, debit_or_credit, offset_account_name, is_offsetaccount_matched,
reference_number, imported_transaction_id, is_rule_exist, rule_details, from_account_id, from_account_name,
to_account_id, to_account_name, payment_mode, customer_name, vendor_id, vendor_name, bank_charges, tax_id,
tax_name, tax_percentage, tax_amount, sub_total, total, bcy_total, documents, imported_transactions, tags,
line_items"""),
    "expenses": _f("""expense_id, date, account_name, description, currency_id, currency_code, bcy_total,
bcy_total_without_tax, total, total_without_tax, is_billable, reference_number, customer_id, customer_name,
status, location_id, location_name, created_time, last_modified_time, expense_receipt_name, mileage_rate,
mileage_unit, expense_type, start_reading, end_reading, account_id, paid_through_account_name, tax_id, tax_name,
tax_percentage, tax_amount, exchange_rate, sub_total, amount, is_inclusive_tax, is_personal, invoice_id,
invoice_number, project_id, project_name, line_item, transaction_id, transaction_type, vendor_id, vendor_name"""),
    "salesorders": _f("""salesorder_id, zcrm_potential_id, zcrm_potential_name, customer_name, customer_id, status,
salesorder_number, reference_number, date, shipment_date, shipment_days, currency_id, currency_code, total,
sub_total, bcy_total, created_time, last_modified_time, is_emailed, has_attachment, custom_fields,
billing_address_id, shipping_address_id, contact_persons_associated, template_id, documents, exchange_rate,
discount, discount_type, is_discount_before_tax, salesperson_id, salesperson_name, estimate_id, is_inclusive_tax,
sub_statuses, location_id, location_name, line_items, pricebook_id, shipping_charge, adjustment,
adjustment_description, delivery_method, notes, terms, tax_total, taxes, billing_address, shipping_address"""),
    "purchaseorders": _f("""purchaseorder_id, vendor_id, vendor_name, status, purchaseorder_number,
reference_number, date, delivery_date, currency_id, currency_code, price_precision, total, has_attachment,
created_time, last_modified_time, custom_fields, line_items, sub_total, tax_total, taxes, billing_address,
delivery_address, expected_delivery_date, discount, exchange_rate, is_emailed, notes, terms, ship_via, attention,
template_id, can_mark_as_bill, created_by_id"""),
    "estimates": _f("""estimate_id, customer_name, customer_id, status, estimate_number, reference_number, date,
currency_id, currency_code, total, location_id, location_name, created_time, last_modified_time, accepted_date,
declined_date, expiry_date, has_attachment, is_viewed_by_client, client_viewed_time, line_items, sub_total,
tax_total, taxes, exchange_rate, discount, is_discount_before_tax, discount_type, is_inclusive_tax,
shipping_charge, adjustment, adjustment_description, price_precision, billing_address, shipping_address,
custom_fields, template_id, template_name, salesperson_id, salesperson_name, project, contact_persons_associated"""),
    "reportingtags": _f("tag_id, tag_name, description, is_active, options"),
}
ID_FIELD = {"contacts": "contact_id", "invoices": "invoice_id", "creditnotes": "creditnote_id", "bills": "bill_id",
            "items": "item_id", "chartofaccounts": "account_id", "customerpayments": "payment_id",
            "vendorpayments": "payment_id", "vendorcredits": "vendor_credit_id", "journals": "journal_id",
            "taxes": "tax_id", "currencies": "currency_id", "bankaccounts": "account_id",
            "banktransactions": "transaction_id", "expenses": "expense_id", "salesorders": "salesorder_id",
            "purchaseorders": "purchaseorder_id", "estimates": "estimate_id", "reportingtags": "tag_id",
            "accounttransactions": "transaction_id"}
INVOICE_LINE = _f("""line_item_id, item_id, project_id, project_name, time_entry_ids, location_id, location_name,
item_type, product_type, expense_id, expense_receipt_name, name, description, item_order, bcy_rate, rate, quantity,
unit, discount_amount, discount, tags, tax_id, tax_name, tax_type, tax_percentage, tax_treatment_code, item_total,
header_name, header_id""")
CN_LINE = _f("""item_id, description, code, name, type, account_id, account_name, quantity, tax_id,
tax_treatment_code, product_type, serial_numbers, location_id, location_name, project_id, project_name, rate,
item_total, tax_name, tax_percentage, tags""")
BILL_LINE = _f("""line_item_id, item_id, account_id, account_name, name, description, rate, quantity, tax_id,
tax_name, tax_percentage, item_total, customer_id, project_id, tags""")
VC_LINE = _f("""item_id, line_item_id, sku, account_id, account_name, name, description, item_order, quantity, unit,
bcy_rate, rate, tax_id, tax_name, tax_type, tax_percentage, item_total, item_total_inclusive_of_tax, tags,
project_id, project_name""")
PO_LINE = _f("line_item_id, item_id, sku, account_id, name, description, rate, quantity, tax_id, item_total, tags, project_id")
ESTIMATE_LINE = _f("""line_item_id, item_id, name, description, item_order, product_type, bcy_rate, rate, quantity,
unit, discount_amount, discount, tax_id, tax_name, tax_type, tax_percentage, item_total, location_id""")
JOURNAL_LINE = _f("""line_id, account_id, account_name, customer_id, customer_name, description, debit_or_credit,
amount, bcy_amount, tax_id, tax_name, tax_percentage, tags, location_id, project_id""")
PERSON = _f("""contact_person_id, salutation, first_name, last_name, email, phone, mobile, is_primary_contact, skype,
designation, department, is_added_in_portal, communication_preference, enable_portal""")
ADDRESS = _f("attention, address, street2, state_code, city, state, zip, country, fax, phone")
TAG_ENTRY = {"tag_id", "tag_option_id", "tag_name", "tag_option_name", "is_tag_mandatory"}
ACCOUNT_TYPES = _f("""other_asset, other_current_asset, cash, bank, fixed_asset, other_current_liability, credit_card,
long_term_liability, other_liability, equity, income, other_income, expense, cost_of_goods_sold, other_expense,
accounts_receivable, accounts_payable""")
STATUSES = {
    "invoices": {"sent", "draft", "overdue", "paid", "void", "unpaid", "partially_paid", "viewed"},
    "creditnotes": {"open", "closed", "void", "draft"}, "vendorcredits": {"open", "closed", "void", "draft"},
    "bills": {"paid", "open", "overdue", "void", "partially_paid"},
    "contacts": {"active", "inactive"}, "items": {"active", "inactive"},
    "journals": {"draft", "published"},
    "banktransactions": {"uncategorized", "manually_added", "matched", "excluded", "categorized"},
    "expenses": {"unbilled", "invoiced", "reimbursed", "non-billable", "billable"},
    "salesorders": {"draft", "open", "invoiced", "partially_invoiced", "void", "overdue", "closed"},
    "purchaseorders": {"draft", "open", "billed", "cancelled"},
    "estimates": {"draft", "sent", "invoiced", "accepted", "declined", "expired"},
}


def org_dict(edition: str, org_id: str = "800001") -> dict:
    ed = EDITIONS[edition]
    return {"organization_id": org_id, "name": "Test Org", "edition": edition, "currency_code": ed.currency_code,
            "plan": "free", "time_zone": ed.time_zone}


SEED_START = 1_800_000_000.0  # records are dated back from the virtual now: pin it, or two runs
#                               a second apart differ in every timestamp


def seeded(edition: str = "uk", seed: int = 1, counts=None, rng_seed: int = 1):
    emu = Emulator(demo=False, seed=seed, clock=Clock(start=SEED_START))
    org = org_dict(edition)
    written = seed_organization(emu, org, counts, rng=random.Random(rng_seed))
    recs = {r: emu.store.values(f"books:{org['organization_id']}:{r}") for r in REF}
    return emu, org, written, recs


@pytest.fixture(scope="module")
def uk():
    return seeded("uk")


@pytest.fixture(scope="module")
def us():
    return seeded("us")


def cents(x) -> int:
    return int(round(x * 100))


# ---- shape --------------------------------------------------------------------------------------

@pytest.mark.parametrize("edition", ["uk", "us", "in", "global"])
def test_every_record_has_every_reference_key(edition):
    emu, org, written, recs = seeded(edition)
    ed_fields = EDITIONS[edition].edition_fields
    for resource, expected in REF.items():
        docs = recs[resource]
        assert docs or (resource == "taxes" and edition == "global"), resource  # global: no tax model
        want = (expected - GATED) | set(ed_fields.get(resource, ()))
        for d in docs:
            missing = want - set(d)
            assert not missing, (resource, sorted(missing))
            assert isinstance(d["_ct"], float) and isinstance(d["_lmt"], float), resource
            assert d["_lmt"] >= d["_ct"], resource
            gated_present = (set(d) & GATED) - set(ed_fields.get(resource, ()))
            assert not gated_present, (resource, gated_present)
            if resource in STATUSES:
                assert d["status"] in STATUSES[resource], (resource, d["status"])
            assert d[ID_FIELD[resource]], resource


def test_nested_shapes(uk):
    _, _, _, recs = uk
    for c in recs["contacts"]:
        assert 1 <= len(c["contact_persons"]) <= 3
        assert sum(p["is_primary_contact"] for p in c["contact_persons"]) == 1
        for p in c["contact_persons"]:
            assert PERSON <= set(p)
        assert ADDRESS <= set(c["billing_address"]) and ADDRESS <= set(c["shipping_address"])
        prim = c["contact_persons"][0]
        assert c["primary_contact_id"] == prim["contact_person_id"] and c["email"] == prim["email"]
    checks = [("invoices", INVOICE_LINE), ("creditnotes", CN_LINE), ("bills", BILL_LINE), ("vendorcredits", VC_LINE),
              ("purchaseorders", PO_LINE), ("estimates", ESTIMATE_LINE), ("salesorders", INVOICE_LINE),
              ("journals", JOURNAL_LINE)]
    tagged = 0
    for resource, keys in checks:
        for d in recs[resource]:
            assert d["line_items"], resource
            for li in d["line_items"]:
                assert keys <= set(li), (resource, sorted(keys - set(li)))
                for t in li["tags"]:
                    assert set(t) == TAG_ENTRY
                    tagged += 1
    assert tagged
    for t in recs["reportingtags"]:
        assert t["options"] and all({"option_id", "option_name", "is_active"} <= set(o) for o in t["options"])
    for c in recs["currencies"]:
        if not c["is_base_currency"]:
            assert c["_exchange_rates"]
            for x in c["_exchange_rates"]:
                assert set(x) == {"exchange_rate_id", "currency_id", "currency_code", "effective_date", "rate"}
                assert x["currency_id"] == c["currency_id"]
    for a in recs["chartofaccounts"]:
        assert a["account_type"] in ACCOUNT_TYPES
    types = {a["account_type"] for a in recs["chartofaccounts"]}
    assert {"accounts_receivable", "accounts_payable", "bank", "income", "expense", "cost_of_goods_sold", "equity",
            "other_current_liability"} <= types


def test_formats_and_time_spread(uk):
    emu, org, _, recs = uk
    now = emu.clock.now()
    for resource, docs in recs.items():
        for d in docs:
            assert d["_ct"] <= now and d["_lmt"] <= now
            for k in ("created_time", "last_modified_time"):
                if k in d:
                    v = d[k]
                    assert len(v) == 24 and v[10] == "T" and v[19] in "+-" and v.endswith("+0000"), v
    invs = recs["invoices"]
    span = max(i["_ct"] for i in invs) - min(i["_ct"] for i in invs)
    assert span > 300 * 86400  # spread over the past ~2 years
    assert min(i["_ct"] for i in invs) > now - 800 * 86400
    us_emu, _, _, us_recs = seeded("us")
    assert all(i["created_time"].endswith("-0500") for i in us_recs["invoices"])
    for i in invs:
        assert len(i["date"]) == 10 and i["date"] <= i["due_date"]
        assert isinstance(i["total"], (int, float)) and round(i["total"], 2) == i["total"]


def test_ids_unique_across_resources(uk):
    _, org, _, recs = uk
    seen: dict[str, str] = {}
    for resource, docs in recs.items():
        for d in docs:
            rid = d[ID_FIELD[resource]]
            assert rid.isdigit() and rid.startswith(org["organization_id"])
            if rid in seen:  # bank accounts also appear in the chart of accounts, same id (as in Zoho)
                assert {seen[rid], resource} == {"bankaccounts", "chartofaccounts"}, (rid, seen[rid], resource)
            seen[rid] = resource


# ---- numbers -------------------------------------------------------------------------------------

def _check_document(d, taxes_by_id, balance_of=None):
    lines = d["line_items"]
    for li in lines:
        assert cents(li["item_total"]) == cents(li["rate"]) * li["quantity"] - cents(li.get("discount_amount", 0))
    # recompute with the public arithmetic
    out = calc.document_totals([{"rate": li["rate"], "quantity": li["quantity"], "discount": li.get("discount_amount", 0),
                                 "tax_id": li["tax_id"]} for li in lines], taxes_by_id=taxes_by_id)
    assert out["sub_total"] == d["sub_total"]
    assert out["tax_total"] == d["tax_total"]
    assert cents(d["total"]) == cents(d["sub_total"]) + cents(d["tax_total"])
    per_name = defaultdict(int)
    for li in out["line_items"]:
        if li["tax_name"]:
            per_name[li["tax_name"]] += cents(li["line_tax_amount"])
    assert {t["tax_name"]: cents(t["tax_amount"]) for t in d["taxes"]} == dict(per_name)
    assert cents(sum(t["tax_amount"] for t in d["taxes"])) == cents(d["tax_total"])


def test_invoices_add_up(uk, us):
    for emu, org, _, recs in (uk, us):
        taxes = {t["tax_id"]: t for t in recs["taxes"]}
        payments_by_inv = defaultdict(int)
        for p in recs["customerpayments"]:
            applied = sum(cents(a["amount_applied"]) for a in p["invoices"])
            assert cents(p["amount"]) == applied + cents(p["unused_amount"])
            for a in p["invoices"]:
                payments_by_inv[a["invoice_id"]] += cents(a["amount_applied"])
        credits_by_inv = defaultdict(int)
        for cn in recs["creditnotes"]:
            _check_document(cn, taxes)
            used = sum(cents(a["amount"]) for a in cn["invoices"])
            refunded = sum(cents(r["amount"]) for r in cn.get("creditnote_refunds") or [])  # what was paid back
            assert cents(cn["balance"]) == cents(cn["total"]) - used - refunded
            assert cn["status"] == calc.credit_status(cn["total"], cn["balance"], draft=cn["status"] == "draft",
                                                      void=cn["status"] == "void")
            for a in cn["invoices"]:
                credits_by_inv[a["invoice_id"]] += cents(a["amount"])
        today = max(i["date"] for i in recs["invoices"])
        inv_by_id = {i["invoice_id"]: i for i in recs["invoices"]}
        statuses = set()
        for inv in recs["invoices"]:
            _check_document(inv, taxes)
            assert cents(inv["payment_made"]) == payments_by_inv[inv["invoice_id"]]
            assert cents(inv["credits_applied"]) == credits_by_inv[inv["invoice_id"]]
            assert cents(inv["balance"]) == cents(inv["total"]) - cents(inv["payment_made"]) - cents(inv["credits_applied"])
            assert cents(inv["balance"]) >= 0
            statuses.add(inv["status"])
            if inv["status"] in ("draft", "void"):
                assert inv["payment_made"] == 0 and inv["credits_applied"] == 0
            else:
                from mock_zoho.books.models import local_date
                today = local_date(emu.clock.now(), EDITIONS[org["edition"]].utc_offset)
                assert inv["status"] == calc.invoice_status(inv["total"], inv["balance"], inv["due_date"], today,
                                                            viewed=inv["is_viewed_by_client"])
            if inv["payment_made"]:
                assert inv["last_payment_date"] >= inv["date"]
        assert {"paid", "overdue"} <= statuses
        for p in recs["customerpayments"]:
            for a in p["invoices"]:
                inv = inv_by_id[a["invoice_id"]]
                assert a["balance_amount"] == inv["balance"] and a["invoice_amount"] == inv["total"]
                assert p["date"] >= inv["date"]


def test_bills_add_up(uk):
    _, _, _, recs = uk
    taxes = {t["tax_id"]: t for t in recs["taxes"]}
    paid = defaultdict(int)
    for vp in recs["vendorpayments"]:
        applied = sum(cents(b["amount_applied"]) for b in vp["bills"])
        assert cents(vp["amount"]) == applied + cents(vp["balance"])
        for b in vp["bills"]:
            paid[b["bill_id"]] += cents(b["amount_applied"])
    credited = defaultdict(int)
    for vc in recs["vendorcredits"]:
        _check_document(vc, taxes)
        used = sum(cents(b["amount"]) for b in vc["bills_credited"])
        refunded = sum(cents(r["amount"]) for r in vc.get("vendor_credit_refunds") or [])  # what was paid back
        assert cents(vc["balance"]) == cents(vc["total"]) - used - refunded
        for b in vc["bills_credited"]:
            credited[b["bill_id"]] += cents(b["amount"])
    for bill in recs["bills"]:
        _check_document(bill, taxes)
        assert cents(bill["payment_made"]) == paid[bill["bill_id"]] == sum(cents(p["amount"]) for p in bill["payments"])
        assert cents(bill["vendor_credits_applied"]) == credited[bill["bill_id"]]
        assert cents(bill["balance"]) == cents(bill["total"]) - cents(bill["payment_made"]) - cents(bill["vendor_credits_applied"])
        if bill["status"] != "void":
            assert bill["status"] == calc.bill_status(bill["total"], bill["balance"], bill["due_date"],
                                                      _today(uk), void=False)


def _today(bundle):
    from mock_zoho.books.models import local_date
    emu, org, _, _ = bundle
    return local_date(emu.clock.now(), EDITIONS[org["edition"]].utc_offset)


def test_other_documents_add_up(uk):
    _, _, _, recs = uk
    taxes = {t["tax_id"]: t for t in recs["taxes"]}
    for resource in ("estimates", "salesorders", "purchaseorders"):
        for d in recs[resource]:
            _check_document(d, taxes)
    for j in recs["journals"]:
        debit = sum(cents(li["amount"]) for li in j["line_items"] if li["debit_or_credit"] == "debit")
        credit = sum(cents(li["amount"]) for li in j["line_items"] if li["debit_or_credit"] == "credit")
        assert debit == credit == cents(j["total"])
    for e in recs["expenses"]:
        assert cents(e["total"]) == cents(e["sub_total"]) + cents(e["tax_amount"])
        assert e["is_billable"] == (e["status"] in ("unbilled", "invoiced"))


def test_contact_outstanding_amounts(uk, us):
    for _, _, _, recs in (uk, us):
        open_bal = defaultdict(int)
        for inv in recs["invoices"]:
            if inv["status"] not in ("draft", "void"):
                open_bal[inv["customer_id"]] += cents(inv["balance"])
        unused = defaultdict(int)
        for cn in recs["creditnotes"]:
            if cn["status"] == "open":
                unused[cn["customer_id"]] += cents(cn["balance"])
        for p in recs["customerpayments"]:
            unused[p["customer_id"]] += cents(p["unused_amount"])
        for c in recs["contacts"]:
            assert cents(c["outstanding_receivable_amount"]) == open_bal[c["contact_id"]], c["contact_name"]
            assert cents(c["unused_credits_receivable_amount"]) == unused[c["contact_id"]]
            if c["currency_code"] == recs["currencies"][0]["currency_code"] or c["outstanding_receivable_amount"] == 0:
                pass
        assert any(c["outstanding_receivable_amount"] > 0 for c in recs["contacts"])


def test_references_resolve(uk):
    _, _, _, recs = uk
    ids = {r: {d[ID_FIELD[r]] for d in docs} for r, docs in recs.items()}
    customers = {c["contact_id"] for c in recs["contacts"] if c["contact_type"] == "customer"}
    vendors = {c["contact_id"] for c in recs["contacts"] if c["contact_type"] == "vendor"}
    for r in ("invoices", "creditnotes", "estimates", "salesorders", "customerpayments"):
        assert all(d["customer_id"] in customers for d in recs[r]), r
    for r in ("bills", "vendorcredits", "purchaseorders", "vendorpayments"):
        assert all(d["vendor_id"] in vendors for d in recs[r]), r
    for d in recs["invoices"]:
        for li in d["line_items"]:
            assert li["item_id"] in ids["items"]
            assert not li["tax_id"] or li["tax_id"] in ids["taxes"]
    for t in recs["banktransactions"]:
        assert t["account_id"] in ids["bankaccounts"]
    for t in recs["accounttransactions"]:
        assert t["account_id"] in ids["chartofaccounts"]
    base = [c for c in recs["currencies"] if c["is_base_currency"]]
    assert len(base) == 1
    for b in recs["bankaccounts"]:
        mine = [t for t in recs["banktransactions"] if t["account_id"] == b["account_id"]]
        bal = sum(cents(t["amount"]) * (1 if t["debit_or_credit"] == "debit" else -1) for t in mine
                  if t["status"] != "excluded")
        assert cents(b["balance"]) == bal
        assert b["uncategorized_transactions"] == sum(t["status"] == "uncategorized" for t in mine)


# ---- editions ------------------------------------------------------------------------------------

def test_uk_edition_vat_and_gbp(uk):
    _, _, _, recs = uk
    base = next(c for c in recs["currencies"] if c["is_base_currency"])
    assert base["currency_code"] == "GBP" and base["currency_symbol"] == "£"
    assert {"Standard Rate", "Reduced Rate", "Zero Rate"} <= {t["tax_name"] for t in recs["taxes"]}
    assert {20.0, 5.0, 0.0} <= {t["tax_percentage"] for t in recs["taxes"]}
    for r in ("contacts", "invoices", "bills", "creditnotes", "vendorcredits", "estimates", "salesorders",
              "purchaseorders"):
        for d in recs[r]:
            assert "vat_treatment" in d and "vat_reg_no" in d, r
    treatments = {c["vat_treatment"] for c in recs["contacts"]}
    assert "uk" in treatments
    for inv in recs["invoices"]:
        if inv["currency_code"] == "GBP":
            assert inv["vat_treatment"] == "uk"
    assert any(t["tax_name"] == "Standard Rate" for i in recs["invoices"] for t in i["taxes"])


def test_us_edition_sales_tax_no_vat(us):
    _, _, _, recs = us
    base = next(c for c in recs["currencies"] if c["is_base_currency"])
    assert base["currency_code"] == "USD"
    names = {t["tax_name"] for t in recs["taxes"]}
    assert all("Sales Tax" in n or "State Tax" in n for n in names)
    assert not any("VAT" in n or n.endswith("Rate") for n in names)
    for docs in recs.values():
        for d in docs:
            assert not ({"vat_treatment", "vat_reg_no", "gst_no", "gst_treatment"} & set(d))
    taxable = [c for c in recs["contacts"] if c["is_taxable"]]
    assert taxable and all(c["tax_id"] for c in taxable)


# ---- counts, determinism, errors ------------------------------------------------------------------

def test_counts_honoured_and_defaults():
    counts = {"invoices": 7, "contacts": 5, "items": 3, "customerpayments": 0, "journals": 0, "expenses": 2,
              "banktransactions": 4}
    _, _, written, recs = seeded("uk", counts=counts)
    for r, n in counts.items():
        assert written[r] == n == len(recs[r]), r
    assert written["bills"] == DEFAULT_COUNTS["bills"] == len(recs["bills"])
    assert written["chartofaccounts"] == DEFAULT_COUNTS["chartofaccounts"] + DEFAULT_COUNTS["bankaccounts"]
    assert written["taxes"] == DEFAULT_COUNTS["taxes"]
    assert all(i["payment_made"] == 0 for i in recs["invoices"])


def test_zero_counts_write_nothing():
    emu = Emulator(demo=False, seed=1)
    org = org_dict("uk")
    written = seed_organization(emu, org, {r: 0 for r in DEFAULT_COUNTS}, rng=random.Random(1))
    assert all(v == 0 for v in written.values())
    assert not emu.store.namespaces("books:800001:")


def test_unknown_resource_raises():
    emu = Emulator(demo=False, seed=1)
    with pytest.raises(ValueError, match="widgets"):
        seed_organization(emu, org_dict("uk"), {"widgets": 3}, rng=random.Random(1))
    with pytest.raises(ValueError):
        seed_organization(emu, org_dict("uk"), {"invoices": -1}, rng=random.Random(1))


def test_missing_reference_raises():
    emu = Emulator(demo=False, seed=1)
    with pytest.raises(ValueError, match="customers"):
        seed_organization(emu, org_dict("uk"), {"contacts": 0}, rng=random.Random(1))


def test_deterministic():
    a = seeded("uk", seed=3, rng_seed=42)[3]
    b = seeded("uk", seed=3, rng_seed=42)[3]
    c = seeded("uk", seed=3, rng_seed=43)[3]
    key = lambda recs: {r: sorted((d[ID_FIELD[r]], repr(sorted(d.items()))) for d in docs) for r, docs in recs.items()}
    assert key(a) == key(b)
    assert key(a) != key(c)
    assert [x["contact_name"] for x in a["contacts"]] != [x["contact_name"] for x in c["contacts"]]


def test_reseeding_adds_and_keeps_consistency():
    emu = Emulator(demo=False, seed=1)
    org = org_dict("uk")
    seed_organization(emu, org, None, rng=random.Random(1))
    more = {r: 0 for r in DEFAULT_COUNTS}
    more.update(invoices=20, customerpayments=5)
    written = seed_organization(emu, org, more, rng=random.Random(2))
    assert written["invoices"] == 20
    invs = emu.store.values("books:800001:invoices")
    assert len(invs) == DEFAULT_COUNTS["invoices"] + 20
    assert len({i["invoice_number"] for i in invs}) == len(invs)
    assert len([c for c in emu.store.values("books:800001:currencies") if c["is_base_currency"]]) == 1
    open_bal = defaultdict(int)
    for inv in invs:
        if inv["status"] not in ("draft", "void"):
            open_bal[inv["customer_id"]] += cents(inv["balance"])
    for c in emu.store.values("books:800001:contacts"):
        assert cents(c["outstanding_receivable_amount"]) == open_bal[c["contact_id"]]


def test_uses_org_currency_id_and_id_base():
    emu = Emulator(demo=False, seed=1)
    org = dict(org_dict("us"), currency_id="123", _id_base=4600012)
    seed_organization(emu, org, {"invoices": 3}, rng=random.Random(1))
    base = [c for c in emu.store.values("books:800001:currencies") if c["is_base_currency"]]
    assert base[0]["currency_id"] == "123"
    assert all(i["invoice_id"].startswith("4600012") and len(i["invoice_id"]) == 17
               for i in emu.store.values("books:800001:invoices"))
