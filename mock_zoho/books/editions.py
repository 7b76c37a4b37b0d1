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

# How the org's plan names appear in Zoho's organisation objects.
PLAN_NAMES = {"free": "FREE", "standard": "STANDARD", "professional": "PROFESSIONAL", "premium": "PREMIUM",
              "elite": "ELITE", "ultimate": "ULTIMATE"}
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
