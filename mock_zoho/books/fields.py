"""The Zoho field sets of every Books resource, and what a missing field renders as.

Field lists are written as Zoho's docs print them (reference §6.3). ``resources.py`` builds the
resource descriptions from them; the write rules (``rules.py``) and the seeder (``seed/``) read them
from there, so each field set and each default is declared once.
"""
from __future__ import annotations

import re
from typing import Any

from .editions import EDITIONS

# Fields Zoho gates by edition (x-node_available_in): never part of a base field set; each org
# gets its own edition's fields from editions.EDITIONS[...].edition_fields.
EDITION_GATED: frozenset[str] = frozenset(
    {f for e in EDITIONS.values() for fields in e.edition_fields.values() for f in fields}
    | {
        "gst_no", "gst_treatment", "place_of_supply", "place_of_contact", "vat_treatment", "vat_reg_no",
        "tax_treatment", "tax_regime", "legal_name", "is_tds_registered", "cfdi_usage", "is_pre_gst",
        "is_reverse_charge_applied", "source_of_supply", "destination_of_supply", "filed_in_vat_return_id",
        "filed_in_vat_return_name", "filed_in_vat_return_type", "acquisition_vat_summary",
        "acquisition_vat_total", "reverse_charge_vat_summary", "reverse_charge_vat_total",
        # Mexico's CFDI codes: no Mexico edition is served, so no org renders them
        "sat_item_key_code", "unitkey_code",
    }
)

# What a missing field renders as (and what a new record starts from, before its own defaults).
ARRAY_FIELDS = frozenset({
    "custom_fields", "line_items", "taxes", "documents", "contact_persons", "opening_balances",
    "contact_persons_associated", "invoices", "payments", "vendor_credits", "purchaseorder_ids",
    "vendorpayment_refunds", "bills", "rule_details", "imported_transactions", "tags",
    "item_tax_preferences", "locations", "sub_statuses", "vendor_credit_refunds", "bills_credited",
    "time_entry_ids", "email_ids", "options", "serial_numbers",
    # purchase side (purchase orders, bills, expenses)
    "item_custom_fields", "purchaseorders", "acquisition_vat_summary", "reverse_charge_vat_summary",
    "contact_persons_details", "payment_gateways",
    "tasks", "users", "recurring_invoices", "associated_series_ids",  # module_fields.py
    "associated_users", "associated_transactions", "criterion", "accounts",
})
OBJECT_FIELDS = frozenset({
    "billing_address", "shipping_address", "address", "default_templates", "delivery_address", "line_item",
    "payment_options", "project", "communication_preference", "check_details",
})
# Amounts and counts the name patterns below do not catch (0 when missing).
NUMBER_FIELDS = frozenset({
    "amount_refunded", "bank_charges", "bcy_total_without_tax", "credit_limit", "item_order",
    "item_total_inclusive_of_tax", "outstanding_receivable_amount_bcy", "tax_amount_withheld",
    "total_credits_used", "total_without_tax", "unused_credits_receivable_amount_bcy", "due_in_days",
    "repeat_every", "payment_drawn",  # recurring profiles, retainer invoices (module_fields.py)
    "total_life", "asset_cost", "current_asset_value", "salvage_value", "dep_start_value", "accumulated_dep_value",
    "asset_number_suffix", "current_value", "accumulated_value", "depreciated_value",  # fixed assets
    "rule_order", "gain_or_loss",  # bank rules, base-currency adjustments
})
# Flags without an is_/has_/can_/allow_/enable_/include_ prefix (false when missing).
FLAG_FIELDS = frozenset({"ach_payment_initiated", "payment_reminder_enabled", "ignore_auto_number_generation",
                         "show_in_dashboard"})
# Text fields whose names look like amounts ("" when missing).
TEXT_FIELDS = frozenset({"terms", "tax_factor"})

_NUMERIC = re.compile(r"(^|_)(total|balance|amount|rate|quantity|percentage|price|count|depth|"
                      r"credits_applied|payment_made|charge|adjustment|discount|reading|factor|"
                      r"precision|terms|transactions|checks|sent)$")
_BOOLEAN = re.compile(r"^(is|has|can|allow|enable|include)_")
_EMPTY_STRING_DATES = frozenset({"client_viewed_time", "schedule_time", "last_reminder_sent_date", "last_payment_date",
                       "payment_expected_date", "accepted_date", "declined_date", "expiry_date", "due_date",
                       "shipment_date", "delivery_date", "expected_delivery_date"})


def default_for(name: str):
    """What a missing field renders as: [] for arrays, {} for objects, false for flags, 0 for
    amounts, "" for unset optional dates and other text (Zoho sends "" rather than null)."""
    if name in ARRAY_FIELDS:
        return []
    if name in OBJECT_FIELDS:
        return {}
    if name in FLAG_FIELDS or _BOOLEAN.match(name):
        return False
    if name in _EMPTY_STRING_DATES or name in TEXT_FIELDS:
        return ""
    if name in NUMBER_FIELDS or _NUMERIC.search(name):
        return 0
    return ""


# Edition fields of a new record (our choice): a UK contact is "uk" for VAT, an Indian one a GST business.
# Flags and lists keep their type (a new Indian bill is not TDS-applied, a new UK journal not in a VAT return).
EDITION_DEFAULTS: dict[str, Any] = {"vat_treatment": "uk", "gst_treatment": "business_gst", "vat_reg_no": "",
                                    "gst_no": "", "place_of_supply": "", "is_tds_applied": False,
                                    "is_abn_quoted": False, "include_in_vat_return": False,
                                    "is_bas_adjustment": False, "hsn_or_sac": "", "item_tax_preferences": [],
                                    "acquisition_vat_total": 0.0, "acquisition_vat_summary": [],
                                    "reverse_charge_vat_summary": []}


# The template every seeded document uses (and /<documents>/templates names when a record has none).
TEMPLATE_NAME = "Standard Template"


def field_list(text: str) -> tuple[str, ...]:
    """Field lists are written as Zoho's docs print them: comma-separated names."""
    return tuple(x.strip() for x in text.replace("\n", " ").split(",") if x.strip())


_f = field_list


def detail_from(list_fields: tuple[str, ...], adds: tuple[str, ...], list_only: tuple[str, ...] = ()) -> tuple[str, ...]:
    """§6.3's rule: the detail carries every list key unless marked list-only, plus its own adds;
    edition-gated names are dropped (each org gets its edition's)."""
    out = [f for f in list_fields if f not in list_only]
    out += [f for f in adds if f not in out]
    return tuple(f for f in out if f not in EDITION_GATED)


def _base(fields: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f for f in fields if f not in EDITION_GATED)


# ---- the resources ----------------------------------------------------------------------------

ORG_LIST = _f("""organization_id, name, contact_name, email, is_default_org, plan_type, tax_group_enabled,
zi_migration_status, plan_name, plan_period, language_code, fiscal_year_start_month, account_created_date,
account_created_date_formatted, time_zone, is_org_active, currency_id, currency_code, currency_symbol,
currency_format, price_precision, version""")  # version: Zoho's old Python wrapper reads it (our value: the edition)
ORG_DETAIL = detail_from(ORG_LIST, _f("""date_format, field_separator, industry_type, industry_size,
company_id_label, company_id_value, tax_id_label, tax_id_value, org_address, remit_to_address, phone, fax,
website, address, custom_fields, country, is_logo_uploaded, user_role, user_status"""))
# user_role, user_status: the caller's Books user's in the organisation (models.render_org; organizations.yml)

CONTACT_LIST = _f("""contact_id, contact_name, company_name, contact_type, status, payment_terms,
payment_terms_label, currency_id, currency_code, outstanding_receivable_amount,
unused_credits_receivable_amount, first_name, last_name, email, phone, mobile, created_time, last_modified_time,
outstanding_payable_amount, unused_credits_payable_amount""")
# Sales-side choice (issue 13): the last four detail adds are not in contacts.yml's example but Zoho's own
# Python wrapper reads them (contact_salutation, price_precision) or contacts.yml documents them
# (ignore_auto_number_generation, tax_authority_name); the two payable amounts above are read from the list.
CONTACT_DETAIL = detail_from(CONTACT_LIST, _f("""customer_sub_type, credit_limit, pricebook_id, contact_number,
is_taxable, tax_id, tax_name, tax_percentage, tax_authority_id, tax_exemption_id, place_of_contact, gst_no,
gst_treatment, tax_treatment, tax_regime, legal_name, is_tds_registered, vat_treatment, is_linked_with_zohocrm,
website, owner_id, primary_contact_id, currency_symbol, opening_balances, outstanding_receivable_amount_bcy,
unused_credits_receivable_amount_bcy, facebook, twitter, payment_reminder_enabled, custom_fields,
billing_address, shipping_address, contact_persons, default_templates, notes, has_transaction,
ignore_auto_number_generation, tax_authority_name, contact_salutation, price_precision, is_portal_enabled,
language_code"""),
    list_only=_f("first_name, last_name, email, phone, mobile"))
CONTACT_PERSON_LIST = _f("""contact_person_id, salutation, first_name, last_name, email, phone, mobile,
is_primary_contact, skype, designation, department, is_added_in_portal, communication_preference""")
CONTACT_PERSON_DETAIL = CONTACT_PERSON_LIST + ("contact_id",)
# What each embedded contact person carries inside a contact's detail (§6.3 contacts).
CONTACT_PERSON_EMBEDDED = _f("""contact_person_id, salutation, first_name, last_name, email, phone, mobile,
designation, department, skype, is_primary_contact, communication_preference, enable_portal""")
# A row of a document's contact_persons_associated (invoices.yml), and its communication preference.
# Type choice (issue 13): invoices.yml types contact_person_id here an integer; it is a string like every other
# Books id (contacts.yml's contact_persons[].contact_person_id, ids beyond 2^53 as JSON numbers would lose digits).
CONTACT_PERSON_ASSOCIATED = _f("""contact_person_id, contact_person_name, first_name, last_name, contact_person_email,
phone, mobile, communication_preference""")
# An invoice's contact_persons_details row (read by Zoho's Python wrapper; our choice of keys).
CONTACT_PERSON_DETAILS = _f("contact_person_id, first_name, last_name, email, phone, mobile")
# The template ids of a contact's default_templates (contacts.yml).
DEFAULT_TEMPLATE_KEYS = _f("""invoice_template_id, estimate_template_id, creditnote_template_id,
purchaseorder_template_id, salesorder_template_id, retainerinvoice_template_id, paymentthankyou_template_id,
retainerinvoice_paymentthankyou_template_id, invoice_email_template_id, estimate_email_template_id,
creditnote_email_template_id, purchaseorder_email_template_id, salesorder_email_template_id,
retainerinvoice_email_template_id, paymentthankyou_email_template_id,
retainerinvoice_paymentthankyou_email_template_id, statement_template_id, payment_remittance_email_template_id,
bill_template_id""")
ADDRESS_FIELDS = _f("attention, address, street2, state_code, city, state, zip, country, fax, phone")

INVOICE_LIST = _f("""invoice_id, ach_payment_initiated, customer_name, customer_id, status, invoice_number,
reference_number, date, due_date, due_days, currency_id, schedule_time, currency_code, is_viewed_by_client,
has_attachment, client_viewed_time, total, balance, created_time, last_modified_time, is_emailed,
reminders_sent, last_reminder_sent_date, payment_expected_date, last_payment_date, custom_fields, documents,
location_id, location_name, salesperson_id, salesperson_name, shipping_charge, adjustment, write_off_amount,
exchange_rate""")
INVOICE_DETAIL = detail_from(INVOICE_LIST, _f("""line_items, sub_total, tax_total, taxes, discount,
is_discount_before_tax, discount_type, is_inclusive_tax, payment_terms, payment_terms_label,
contact_persons_associated, recurring_invoice_id, adjustment_description, payment_made, credits_applied,
tax_amount_withheld, allow_partial_payments, price_precision, payment_options, billing_address,
shipping_address, notes, terms, template_id, template_name, attachment_name, can_send_in_mail, invoice_url,
payment_reminder_enabled, contact_persons_details"""))
# Invoice list items carry no billing_address, shipping_address or currency_symbol (our choice, issue 13):
# invoices.yml's list_invoices item lacks all three; the live-derived schemas that list them describe the
# detail as well (a union), where all three are served.
INVOICE_LINE = _f("""line_item_id, item_id, project_id, project_name, time_entry_ids, location_id,
location_name, item_type, product_type, expense_id, expense_receipt_name, name, description, item_order,
bcy_rate, rate, quantity, unit, discount_amount, discount, tags, tax_id, tax_name, tax_type, tax_percentage,
tax_treatment_code, item_total, header_name, header_id""")

CREDITNOTE_LIST = _f("""creditnote_id, creditnote_number, status, reference_number, date, total, balance,
location_id, location_name, customer_id, customer_name, currency_id, currency_code, created_time,
last_modified_time, is_emailed""")
CREDITNOTE_DETAIL = detail_from(CREDITNOTE_LIST, _f("""line_items, invoices, taxes, custom_fields, email,
contact_persons_associated, currency_symbol, updated_time, billing_address, shipping_address, template_id,
template_name, notes, terms, sub_total, tax_total, contact_persons, exchange_rate, total_credits_used,
total_refunded_amount"""))

# bills[].is_abn_quoted (Australia): documented `type: string` with no example or description, like the
# undescribed `abn` beside it (the generator's default type); served as a flag like every is_* field of the
# same document (is_tds_applied, is_inclusive_tax) and as the bill write takes it (README choices table).
BILL_LIST = _base(_f("""bill_id, vendor_id, vendor_name, status, bill_number, reference_number, date, due_date,
due_days, currency_id, currency_code, price_precision, exchange_rate, total, balance, location_id,
location_name, created_time, last_modified_time, attachment_name, has_attachment, is_tds_applied, is_abn_quoted"""))
BILL_DETAIL = detail_from(BILL_LIST, _f("""purchaseorder_ids, line_items, sub_total, tax_total, taxes,
payment_made, vendor_credits_applied, payments, vendor_credits, billing_address, payment_terms,
payment_terms_label, recurring_bill_id, adjustment, is_inclusive_tax, custom_fields, documents, notes, terms,
created_by_id, reference_id,
pricebook_id, pricebook_name, unused_credits_payable_amount, payment_expected_date, due_by_days, due_in_days,
currency_symbol, adjustment_description, is_item_level_tax_calc, is_line_item_invoiced, purchaseorders,
open_purchaseorders_count"""))
# What each row of a bill's payments[] carries (bills.yml get_bill; the vendor payment that made it).
BILL_PAYMENT = _f("""payment_id, bill_id, bill_payment_id, payment_mode, payment_number, description, date,
reference_number, exchange_rate, amount, paid_through_account_id, paid_through_account_name,
is_single_bill_payment, is_ach_payment, ach_payment_status, ach_gw_transaction_id""")
# A bill's purchaseorders[] (the orders it bills).
BILL_PURCHASEORDER = _f("purchaseorder_id, purchaseorder_number, purchaseorder_date, purchaseorder_status")

ITEM_LIST = _base(_f("""item_id, name, status, description, rate, unit, tax_id, purchase_tax_rule_id,
sales_tax_rule_id, tax_name, tax_percentage, tax_type, sku, product_type, sat_item_key_code, unitkey_code,
custom_fields, created_time, last_modified_time"""))
ITEM_DETAIL = detail_from(ITEM_LIST, _f("""hsn_or_sac, item_tax_preferences, locations, item_type, account_id,
account_name, purchase_rate, purchase_description, purchase_account_id"""))

COA_LIST = _f("""account_id, account_name, account_code, account_type, is_user_created, is_system_account,
is_standalone_account, is_active, can_show_in_ze, is_involved_in_transaction, current_balance,
parent_account_id, parent_account_name, depth, has_attachment, is_child_present, child_count, documents,
created_time, last_modified_time""")
COA_DETAIL = _base(_f("""account_id, account_name, account_code, is_active, account_type, currency_id,
currency_code, description, is_system_account, is_involved_in_transaction, can_show_in_ze,
include_in_vat_return, custom_fields, closing_balance, parent_account_id, documents, created_time,
last_modified_time"""))
ACCOUNT_TXN_LIST = _f("""categorized_transaction_id, transaction_type, transaction_status, transaction_source,
transaction_id, transaction_date, account_id, customer_id, payee, description, entry_number, currency_id,
currency_code, debit_or_credit, offset_account_name, reference_number, reconcile_status, debit_amount,
credit_amount""")

CUSTOMERPAYMENT_LIST = _f("""payment_id, payment_number, invoice_number, date, payment_mode, amount,
bcy_amount, location_id, location_name, status, customer_id, customer_name, reference_number, description,
unused_amount, account_id, account_name, created_time, last_modified_time, invoice_numbers, bcy_unused_amount""")
CUSTOMERPAYMENT_DETAIL = _f("""payment_id, payment_mode, amount, amount_refunded, bank_charges, date, status,
reference_number, description, customer_id, customer_name, email, invoices, currency_code, currency_symbol,
location_id, location_name, custom_fields, account_id, account_name, exchange_rate, tax_account_id,
tax_account_name, tax_amount_withheld""")

VENDORPAYMENT_LIST = _f("""payment_id, vendor_id, vendor_name, bill_numbers, payment_mode, payment_number,
description, date, reference_number, exchange_rate, amount, bcy_amount, paid_through_account_id,
paid_through_account_name, balance, bcy_balance, created_time, last_modified_time, is_paid_via_print_check,
has_attachment, is_ach_payment, ach_payment_status, ach_gw_transaction_id, check_details""")
VENDORPAYMENT_DETAIL = detail_from(VENDORPAYMENT_LIST, _f("""bills, currency_id, currency_symbol,
paid_through_account_type, billing_address, comments, vendorpayment_refunds, location_id, location_name,
documents, custom_fields, tax_account_name, tax_amount_withheld, imported_transactions"""))
# Type conflicts of the vendor payment documents, judged with a live answer's evidence (errata/purchases.py):
# - billing_address: documented as an array of strings whose example is the address's own key names
#   (["address", "city", ...]): a generator artefact; a live detail answers an object, as every other Zoho
#   address, the bill's included. Served as an object: the vendor's billing address.
# - check_details: one check object in list and detail alike (a live list and detail answer an object, empty
#   values when not paid by check; the document's detail and create answers document that object, its list
#   an array of checks). Its keys as the detail documents them (checks.py fills them).
VENDORPAYMENT_CHECK = _f("check_id, check_number, check_status, memo, amount_in_words")

VENDORCREDIT_LIST = _f("""vendor_credit_id, vendor_credit_number, status, reference_number, date, total,
balance, vendor_id, vendor_name, currency_id, currency_code, created_time, last_modified_time, has_attachment,
exchange_rate""")
VENDORCREDIT_DETAIL = detail_from(VENDORCREDIT_LIST, _f("""source_of_supply, destination_of_supply,
place_of_supply, gst_no, gst_treatment, tax_treatment, pricebook_id, is_reverse_charge_applied,
price_precision, vat_treatment, filed_in_vat_return_id, filed_in_vat_return_name, filed_in_vat_return_type,
is_inclusive_tax, location_id, location_name, line_items, acquisition_vat_summary, acquisition_vat_total,
reverse_charge_vat_summary, reverse_charge_vat_total, documents, custom_fields, sub_total,
total_credits_used, total_refunded_amount, notes, comments, vendor_credit_refunds, bills_credited, taxes"""))
# vendor_credit.comments: an array of comment rows (vendor-credits.yml get_vendor_credit; the vendor payment's
# comments is text). taxes: the credit's tax rows {tax_name, tax_amount} (update_vendor_credit documents them).
# line_items: documented there as one object, an erratum: the create request and every other document carry an
# array of lines.
BILLS_CREDITED = _f("vendor_credit_id, bill_id, vendor_credit_bill_id, date, bill_number, amount")
# A vendor credit's line beyond the purchase line (vendor-credits.yml): the item's stock on hand, text, empty
# where no inventory is tracked (as a sales order's line).
VENDORCREDIT_LINE_EXTRA = _f("stock_on_hand")

JOURNAL_LIST = _f("""journal_id, journal_date, entry_number, reference_number, currency_id, notes,
journal_type, entity_type, total, bcy_total, custom_field""")
JOURNAL_DETAIL = detail_from(JOURNAL_LIST, _f("""line_items, currency_code, currency_symbol, exchange_rate,
line_item_total, price_precision, taxes, created_time, last_modified_time, status, custom_fields,
vat_treatment, include_in_vat_return, is_bas_adjustment, location_id, location_name"""))  # product_type: UK only

# taxes.yml: the rest of the documented tax fields are edition-only (editions.ACCOUNTING_SCOPED / _LIST):
# tax_authority_id (US), tax_specific_type (India), country and country_code (UK, global),
# purchase_tax_expense_account_id (Australia, Canada); tax_factor, tds_payable_account_id and the tax
# account names and ids are Mexico's (no Mexico edition is served). The detail drops the list's
# is_default_tax and is_editable, as documented.
TAX_LIST = _f("""tax_id, tax_name, tax_percentage, tax_type, tax_authority_name, is_value_added, is_default_tax,
is_editable""")
TAX_DETAIL = detail_from(TAX_LIST, (), list_only=("is_default_tax", "is_editable"))

# taxes.yml's other settings: tax authorities (US, Canada), tax exemptions (US) and tax groups; a
# Canadian authority adds registration_number and its label (editions.ACCOUNTING_SCOPED).
TAX_AUTHORITY_FIELDS = _f("tax_authority_id, tax_authority_name, description")
TAX_EXEMPTION_FIELDS = _f("tax_exemption_id, tax_exemption_code, description, type")
TAX_GROUP_FIELDS = _f("tax_group_id, tax_group_name, tax_group_percentage, taxes")
TAX_GROUP_MEMBER = _f("tax_id, tax_name, tax_percentage, tax_type, tax_authority_id, tax_authority_name")

CURRENCY_LIST = _f("""currency_id, currency_code, currency_name, currency_symbol, price_precision,
currency_format, is_base_currency, exchange_rate, effective_date""")
CURRENCY_DETAIL = detail_from(CURRENCY_LIST, (), list_only=("exchange_rate", "effective_date"))
EXCHANGE_RATE_FIELDS = _f("exchange_rate_id, currency_id, currency_code, effective_date, rate")

BANKACCOUNT_LIST = _f("""account_id, account_name, account_code, currency_id, currency_code, account_type,
account_number, uncategorized_transactions, total_unprinted_checks, is_active, balance, bank_balance,
bcy_balance, bank_name, routing_number, is_primary_account, is_paypal_account""")
BANKACCOUNT_DETAIL = detail_from(BANKACCOUNT_LIST, _f("""currency_symbol, price_precision, is_feeds_subscribed,
is_feeds_active, description, refresh_status_code, feeds_last_refresh_date, service_id, is_system_account,
is_show_warning_for_feeds_refresh"""))

# is_paid_via_print_check is US and Canada only (editions.ACCOUNTING_LIST); the detail keeps the list's
# keys (a client reads status and account_id from either) plus the documented detail set.
BANKTXN_LIST = _f("""transaction_id, date, amount, transaction_type, status, source, account_id, account_name,
account_type, price_precision, customer_id, payee, description, currency_id,
currency_code, currency_symbol, debit_or_credit, offset_account_name, is_offsetaccount_matched,
reference_number, imported_transaction_id, is_rule_exist, rule_details""")
BANKTXN_DETAIL = detail_from(BANKTXN_LIST, _f("""from_account_id, from_account_name, to_account_id,
to_account_name, payment_mode, exchange_rate, customer_name, vendor_id, vendor_name, bank_charges, tax_id,
tax_name, tax_percentage, tax_amount, is_inclusive_tax, sub_total, total, bcy_total, documents,
imported_transactions, tags, line_items"""))

# Expenses: the documented list, plus paid_through_account_name, vendor_id and vendor_name, which Zoho's own
# Python wrapper reads from list items (our choice: served, beside the documented set).
EXPENSE_LIST = _f("""expense_id, date, account_name, description, currency_id, currency_code, bcy_total,
bcy_total_without_tax, total, total_without_tax, is_billable, reference_number, customer_id, customer_name,
status, location_id, location_name, created_time, last_modified_time, expense_receipt_name, mileage_rate,
mileage_unit, expense_type, start_reading, end_reading, paid_through_account_name, vendor_id, vendor_name""")
EXPENSE_DETAIL = detail_from(EXPENSE_LIST, _f("""account_id, paid_through_account_name, tax_id, tax_name,
tax_percentage, tax_amount, exchange_rate, sub_total, amount, is_inclusive_tax, is_personal, invoice_id,
invoice_number, project_id, project_name, line_item, transaction_id, transaction_type, vendor_id, vendor_name,
paid_through_account_id, reverse_charge_tax_id, is_itemized_expense, trip_id, trip_number, expense_item_id,
expense_receipt_type, mileage_type"""))
# An expense's line_item (expenses.yml get_expense, edition-only keys left out). item_order is documented
# as a string ("1") there and an integer in every other line of Zoho's documents: served as an integer.
EXPENSE_LINE = _f("""line_item_id, account_id, account_name, description, tax_amount, tax_id, tax_name, tax_type,
tax_percentage, item_total, item_order, amount, location_id, reverse_charge_tax_id""")

SALESORDER_LIST = _f("""salesorder_id, zcrm_potential_id, zcrm_potential_name, customer_name, customer_id,
status, salesorder_number, reference_number, date, shipment_date, shipment_days, currency_id, currency_code,
total, sub_total, bcy_total, created_time, last_modified_time, is_emailed, has_attachment, custom_fields""")
SALESORDER_DETAIL = detail_from(SALESORDER_LIST, _f("""billing_address_id, shipping_address_id,
contact_persons_associated, template_id, documents, exchange_rate, discount, discount_type,
is_discount_before_tax, salesperson_id, salesperson_name, estimate_id, is_inclusive_tax, sub_statuses,
location_id, location_name, line_items, pricebook_id, shipping_charge, adjustment, adjustment_description,
delivery_method, notes, terms, tax_total, taxes, billing_address, shipping_address, crm_owner_id,
crm_custom_reference_id, is_update_customer, merchant_id, merchant_name, tax_id, tax_authority_id, tax_authority_name,
tax_exemption_id, notes_default, terms_default"""))
# sales-order.yml marks tax_authority_id/_name and tax_exemption_id US-only; contacts.yml serves the same names
# in every edition and edition gating is by name, so they are base fields here (our choice); tax_exemption_code
# is gated (editions.py), avatax_* (an Avalara integration's) are not served.

PURCHASEORDER_LIST = _f("""purchaseorder_id, vendor_id, vendor_name, status, purchaseorder_number,
reference_number, date, delivery_date, currency_id, currency_code, price_precision, total, has_attachment,
created_time, last_modified_time, custom_fields""")
PURCHASEORDER_DETAIL = detail_from(PURCHASEORDER_LIST, _f("""line_items, sub_total, tax_total, taxes,
billing_address, delivery_address, expected_delivery_date, discount, exchange_rate, is_emailed, notes, terms,
ship_via, attention, template_id, can_mark_as_bill, created_by_id,
documents, pricebook_id, pricebook_name, discount_account_id, is_discount_before_tax, crm_owner_id,
contact_persons_associated, currency_symbol, location_id, location_name, ship_via_id, delivery_org_address_id,
delivery_customer_id, attachment_name, can_send_in_mail, template_name, page_width, page_height, orientation,
template_type, can_mark_as_unbill"""))
# purchaseorder.taxes: documented as an array of strings (UK); rows {tax_name, tax_amount} as in every other
# document with lines (an erratum of the purchase order file).
# A purchase order's delivery_address (purchase-order.yml get_purchase_order). is_valid and is_primary are
# documented as strings with no example; served as flags like their is_verifiable/is_verified siblings.
DELIVERY_ADDRESS = _f("""address, street2, city, state, zip, country, fax, attention, address1, address2, email,
phone, is_verifiable, is_valid, is_primary, is_verified, organization_address_id""")
# The printed page of a purchase order's template (documented values; every seeded org uses them).
PO_TEMPLATE_PAGE = {"page_width": "8.27in", "page_height": "11.69in", "orientation": "portrait",
                    "template_type": "standard"}

ESTIMATE_LIST = _f("""estimate_id, customer_name, customer_id, status, estimate_number, reference_number,
date, currency_id, currency_code, total, location_id, location_name, created_time, last_modified_time,
accepted_date, declined_date, expiry_date, has_attachment, is_viewed_by_client, client_viewed_time""")
ESTIMATE_DETAIL = detail_from(ESTIMATE_LIST, _f("""line_items, sub_total, tax_total, taxes, exchange_rate,
discount, is_discount_before_tax, discount_type, is_inclusive_tax, shipping_charge, adjustment,
adjustment_description, price_precision, billing_address, shipping_address, custom_fields, template_id,
template_name, salesperson_id, salesperson_name, project, contact_persons_associated, notes, terms, contact_persons"""))

USER_LIST = _f("""user_id, role_id, name, email, user_role, status, is_current_user, photo_url,
is_customer_segmented, is_vendor_segmented, user_type""")
# custom_fields: users.yml types it a string with the example "" (an empty value as the generator
# prints it); every other Books resource, the organisation included, documents custom_fields as an
# array of {customfield_id, value}, the user's create/update bodies take none, and clients iterate
# it. Our choice: a list (empty unless set), like everywhere else.
USER_DETAIL = _f("""user_id, name, email_ids, status, user_role, user_type, role_id, cost_rate, photo_url,
is_employee, created_time, custom_fields""")

TAG_LIST = _f("tag_id, tag_name, description, is_active")
TAG_OPTION_FIELDS = _f("option_id, option_name, is_active")

# Nested rows a stored document carries (our choices where the reference gives no exact set).
SALES_LINE = INVOICE_LINE + ("account_id", "account_name")  # + the income account
# Type choices (issue 13): ``type`` is credit-notes.yml's integer (1 product, 2 service); ``serial_numbers`` stays a
# list although credit-notes.yml types it a string: it describes "serial numbers of the items" (several) and
# every other Zoho document carries them as a list. Money fields the documents type as string or integer
# (total, balance, shipping_charge, discount, tax_amount, bcy_amount, tax_percentage) are numbers (errata).
# An invoice list item's ``documents`` stays a list as on every other resource (invoices.yml's list gives it
# as a string with the example "": an empty placeholder; independent clients accept a list or a string).
CREDITNOTE_LINE = SALES_LINE + _f("code, type, serial_numbers")
# sales-order.yml's line beyond the invoice's (non-regional: the US product exemption codes are not served)
SALESORDER_LINE_EXTRA = _f("sku, image_id, image_name, image_type, is_invoiced, item_total_inclusive_of_tax, stock_on_hand")
PURCHASE_LINE = _f("""line_item_id, item_id, account_id, account_name, name, description, item_order,
    bcy_rate, rate, quantity, unit, discount_amount, discount, tax_id, tax_name, tax_type, tax_percentage,
    item_total, customer_id, customer_name, project_id, project_name, tags, is_billable, product_type, sku,
    item_total_inclusive_of_tax, location_id, location_name, item_custom_fields, purchaseorder_item_id,
    invoice_id, invoice_number, reverse_charge_tax_id""")
JOURNAL_LINE = _f("""line_id, account_id, account_name, customer_id, customer_name, description,
    debit_or_credit, amount, bcy_amount, tax_id, tax_name, tax_percentage, tax_type, tags, location_id, location_name,
    project_id, project_name""")
CONTACT_PERSON_STORED = tuple(dict.fromkeys(CONTACT_PERSON_LIST + CONTACT_PERSON_EMBEDDED))
