"""Editions (country versions) of a Books organisation: the tax model and the edition-only fields.

Edition is not data center (reference §1.2): a UK-edition org may live on .eu, .uk or .com. The
edition drives currency defaults, the tax model (UK VAT, US sales tax, India GST ...) and which
fields exist (Zoho's OpenAPI ``x-node_available_in``). Seeding and the resource shapes both read
this table.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class TaxRate:
    name: str
    percentage: float
    tax_type: str = "tax"  # tax | compound_tax
    specific_type: str = ""


@dataclass(frozen=True)
class Edition:
    code: str
    country: str  # as Zoho writes it in addresses and the org list, e.g. "U.K"
    country_code: str
    currency_code: str
    currency_symbol: str
    currency_name: str
    currency_format: str
    time_zone: str
    utc_offset: str  # "+0000"; timestamps are rendered in the org's offset
    language_code: str
    date_format: str
    fiscal_year_start_month: str  # month name, live style
    tax_id_label: str
    company_id_label: str
    tax_model: str  # vat | sales_tax | gst | none
    tax_rates: tuple[TaxRate, ...]
    # resource name -> edition-only fields present on that resource's detail (and list where listed)
    edition_fields: dict[str, tuple[str, ...]] = field(default_factory=dict)
    faker_locale: str = "en_US"
    # resource name -> edition-only fields of that resource alone whose names other resources carry in
    # every edition (tax_authority_id, country, product_type): never gated elsewhere (EDITION_GATED)
    scoped_fields: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # resource name -> edition-only fields its list items carry too (x-node_available_in on a list)
    list_fields: dict[str, tuple[str, ...]] = field(default_factory=dict)


_UK_VAT_FIELDS = ("vat_treatment", "vat_reg_no")
_IN_GST_FIELDS = ("gst_no", "gst_treatment", "place_of_supply")
EDITIONS: dict[str, Edition] = {
    e.code: e
    for e in (
        Edition(
            "us", "U.S.A", "US", "USD", "$", "US Dollar", "###,##0.00", "America/New_York", "-0500", "en",
            "MM/dd/yyyy", "january", "Tax ID", "Company ID", "sales_tax",
            (TaxRate("CA State Tax", 7.25), TaxRate("NY Sales Tax", 8.875), TaxRate("TX Sales Tax", 6.25),
             TaxRate("WA Sales Tax", 6.5)),
            {},
            "en_US",
        ),
        Edition(
            "uk", "U.K", "GB", "GBP", "£", "Pound Sterling", "###,##0.00", "Europe/London", "+0000", "en",
            "dd/MM/yyyy", "april", "VAT Registration Number", "Company Registration Number", "vat",
            (TaxRate("Standard Rate", 20.0), TaxRate("Reduced Rate", 5.0), TaxRate("Zero Rate", 0.0)),
            {"contacts": _UK_VAT_FIELDS, "invoices": _UK_VAT_FIELDS, "creditnotes": _UK_VAT_FIELDS,
             "bills": _UK_VAT_FIELDS, "vendorcredits": _UK_VAT_FIELDS, "estimates": _UK_VAT_FIELDS,
             "salesorders": _UK_VAT_FIELDS, "purchaseorders": _UK_VAT_FIELDS,
             "journals": ("vat_treatment", "include_in_vat_return"),
             # expenses.yml documents these without a gate; they are UK VAT (EU acquisitions, reverse charge)
             "expenses": _UK_VAT_FIELDS + ("acquisition_vat_total", "acquisition_vat_summary",
                                           "reverse_charge_vat_summary"),
             "chartofaccounts": ("include_in_vat_return",)},
            "en_GB",
        ),
        Edition(
            "in", "India", "IN", "INR", "₹", "Indian Rupee", "##,##,##0.00", "Asia/Calcutta", "+0530", "en",
            "dd/MM/yyyy", "april", "GSTIN", "PAN", "gst",
            (TaxRate("GST5", 5.0), TaxRate("GST12", 12.0), TaxRate("GST18", 18.0), TaxRate("GST28", 28.0)),
            {**{r: _IN_GST_FIELDS for r in ("contacts", "invoices", "creditnotes", "vendorcredits", "estimates",
                                             "salesorders", "purchaseorders", "expenses")},
             "bills": _IN_GST_FIELDS + ("is_tds_applied",), "items": ("hsn_or_sac", "item_tax_preferences")},
            "en_IN",
        ),
        Edition(
            "au", "Australia", "AU", "AUD", "$", "Australian Dollar", "###,##0.00", "Australia/Sydney", "+1100", "en",
            "dd/MM/yyyy", "july", "ABN", "ACN", "gst",
            (TaxRate("GST", 10.0), TaxRate("GST Free", 0.0)),
            {"bills": ("is_tds_applied", "is_abn_quoted"), "journals": ("is_bas_adjustment",)},
            "en_AU",
        ),
        Edition(
            "ca", "Canada", "CA", "CAD", "$", "Canadian Dollar", "###,##0.00", "America/Toronto", "-0500", "en",
            "MM/dd/yyyy", "january", "Business Number", "Company ID", "gst",
            (TaxRate("GST", 5.0), TaxRate("HST ON", 13.0), TaxRate("PST BC", 7.0)),
            {},
            "en_CA",
        ),
        Edition(
            "global", "Global", "XX", "USD", "$", "US Dollar", "###,##0.00", "Etc/UTC", "+0000", "en",
            "yyyy-MM-dd", "january", "Tax ID", "Company ID", "none",
            (),
            {"bills": ("is_tds_applied",)},
            "en_US",
        ),
    )
}

# Edition-only fields of the accounting resources (taxes.yml, bank-transactions.yml, journals.yml
# x-node_available_in). Mexico-only ones (tax_factor, tds_payable_account_id, the tax account names)
# are served by no edition.
_TAX_AUTHORITY = ("tax_authority_id", "tax_authority_name", "tax_exemption_id", "tax_exemption_code")
_UK_BANK_VAT = ("vat_treatment", "product_type", "acquisition_vat_id", "acquisition_vat_name",
                "acquisition_vat_percentage", "acquisition_vat_amount", "reverse_charge_vat_id",
                "reverse_charge_vat_name", "reverse_charge_vat_percentage", "reverse_charge_vat_amount",
                "filed_in_vat_return_id", "filed_in_vat_return_name", "filed_in_vat_return_type")
ACCOUNTING_SCOPED: dict[str, dict[str, tuple[str, ...]]] = {
    "us": {"taxes": ("tax_authority_id",), "banktransactions": _TAX_AUTHORITY + ("is_paid_via_print_check",)},
    "uk": {"taxes": ("country", "country_code"), "banktransactions": _UK_BANK_VAT, "journals": ("product_type",)},
    "in": {"taxes": ("tax_specific_type",),
           "banktransactions": ("tax_exemption_id", "tax_exemption_code", "reverse_charge_tax_id")},
    "au": {"taxes": ("purchase_tax_expense_account_id",), "banktransactions": _TAX_AUTHORITY},
    "ca": {"taxes": ("purchase_tax_expense_account_id",),
           "banktransactions": _TAX_AUTHORITY + ("is_paid_via_print_check",),
           "taxauthorities": ("registration_number", "registration_number_label")},
    "global": {"taxes": ("country", "country_code")},
}
ACCOUNTING_LIST: dict[str, dict[str, tuple[str, ...]]] = {
    "us": {"taxes": ("tax_authority_id",), "banktransactions": ("is_paid_via_print_check",)},
    "in": {"taxes": ("tax_specific_type",)},
    "ca": {"banktransactions": ("is_paid_via_print_check",)},
}
for _code, _edition in EDITIONS.items():
    _edition.scoped_fields.update(ACCOUNTING_SCOPED.get(_code, {}))
    _edition.list_fields.update(ACCOUNTING_LIST.get(_code, {}))

# How the org's plan names appear in Zoho's organisation objects.
PLAN_NAMES = {"free": "FREE", "standard": "STANDARD", "professional": "PROFESSIONAL", "premium": "PREMIUM",
              "elite": "ELITE", "ultimate": "ULTIMATE"}
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")


# ---- sales-side edition-only fields (issue 13) ----------------------------------------------------
# contacts.yml gates a contact's tax_exemption_code to the US, Canada, Australia and India editions;
# sales-order.yml gates a sales order's to the US and India (and Mexico, not served).
_SALES_EDITION_FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    "us": {"contacts": ("tax_exemption_code",), "salesorders": ("tax_exemption_code",)},
    "ca": {"contacts": ("tax_exemption_code",)},
    "au": {"contacts": ("tax_exemption_code",)},
    "in": {"contacts": ("tax_exemption_code",), "salesorders": ("tax_exemption_code",)},
}
for _code, _by_resource in _SALES_EDITION_FIELDS.items():
    for _resource, _fields in _by_resource.items():
        _have = EDITIONS[_code].edition_fields.get(_resource, ())
        EDITIONS[_code].edition_fields[_resource] = _have + tuple(f for f in _fields if f not in _have)


# ---- accounting edition-only fields (issue 13) ----------------------------------------------------
# bank-rules.yml gates a rule's tax_exemption_code to the US and India editions (its tax_authority_id and
# _name, US-only there, stay base fields: edition gating is by name and taxes carry them in every edition).
_ACCOUNTING_EDITION_FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    "us": {"bankrules": ("tax_exemption_code",)},
    "in": {"bankrules": ("tax_exemption_code",)},
}
for _code, _by_resource in _ACCOUNTING_EDITION_FIELDS.items():
    for _resource, _fields in _by_resource.items():
        _have = EDITIONS[_code].edition_fields.get(_resource, ())
        EDITIONS[_code].edition_fields[_resource] = _have + tuple(f for f in _fields if f not in _have)

# A journal line's tax authority and exemption (journals.yml x-node_available_in): the line fields each
# edition's journal lines carry (Mexico's are not served). Values: the line's tax exemption (tax_exemption_id
# in the request) and tax authority (tax_authority_id), "" when the line names none.
JOURNAL_LINE_TAX_AUTHORITY = ("tax_authority_id", "tax_authority_name")
JOURNAL_LINE_TAX_EXEMPTION = ("tax_exemption_id", "tax_exemption_code", "tax_exemption_type")
JOURNAL_LINE_EDITION_FIELDS: dict[str, tuple[str, ...]] = {
    "us": JOURNAL_LINE_TAX_EXEMPTION + JOURNAL_LINE_TAX_AUTHORITY,
    "au": JOURNAL_LINE_TAX_EXEMPTION + JOURNAL_LINE_TAX_AUTHORITY,
    "ca": JOURNAL_LINE_TAX_EXEMPTION + JOURNAL_LINE_TAX_AUTHORITY,
    "in": JOURNAL_LINE_TAX_EXEMPTION,
}


# ---- purchase-side edition-only fields (issue 13) -------------------------------------------------
# recurring-expenses.yml documents acquisition VAT and reverse-charge VAT summaries without an edition gate,
# as expenses.yml does for the expense they make; both are UK VAT (Northern Ireland acquisitions from the EU,
# reverse charge on services bought abroad), served in UK organisations only (errata/purchases.py).
_PURCHASE_EDITION_FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    "uk": {"recurringexpenses": ("acquisition_vat_total", "acquisition_vat_summary", "reverse_charge_vat_summary")},
}
for _code, _by_resource in _PURCHASE_EDITION_FIELDS.items():
    for _resource, _fields in _by_resource.items():
        _have = EDITIONS[_code].edition_fields.get(_resource, ())
        EDITIONS[_code].edition_fields[_resource] = _have + tuple(f for f in _fields if f not in _have)
