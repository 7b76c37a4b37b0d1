"""The mapping table: each platform data type, the Zoho Books lists it reads and the scopes it needs.

Keys are Codat's data-type names. ``detail`` says when one detail GET per record is made:
``reducible`` types (Codat's reduced list: invoices, credit notes, customers, bills, plus suppliers)
read details only when the data type is in ``complete_datasets``; ``always`` types need them for
allocations or lines that exist only in the detail; ``never`` types are complete from the list.
``incremental`` marks lists where Zoho declares the ``last_modified_time`` filter (reference §3.8);
the others are re-read in full (Zoho has no tombstones, so deletes are found only that way).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Literal, Mapping

__all__ = ["Source", "DataType", "DATA_TYPES", "scopes_for", "SETTINGS_READ"]

SETTINGS_READ = "ZohoBooks.settings.READ"
Detail = Literal["reducible", "always", "never"]


@dataclass(frozen=True)
class Source:
    """One Zoho list read for a data type."""

    path: str                       # relative to /books/v3
    list_keys: tuple[str, ...]      # the list's wrapper key (alternatives where Zoho's spelling varies)
    id_field: str
    detail_keys: tuple[str, ...] = ()
    scope: str = SETTINGS_READ
    params: Mapping[str, str] = field(default_factory=dict)
    incremental: bool = False
    kind: str = ""                  # tag kept on each record when a type reads several sources

    @property
    def detail_path(self) -> str:
        return self.path


@dataclass(frozen=True)
class DataType:
    key: str
    name: str
    sources: tuple[Source, ...]
    detail: Detail = "never"

    @property
    def scopes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.scope for s in self.sources))

    @property
    def incremental(self) -> bool:
        return all(s.incremental for s in self.sources)


def _scope(module: str) -> str:
    return f"ZohoBooks.{module}.READ"


DATA_TYPES: dict[str, DataType] = {t.key: t for t in (
    DataType("company", "Company info", (
        Source("organizations", ("organizations",), "organization_id", ("organization",)),)),
    DataType("chartOfAccounts", "Accounts", (
        Source("chartofaccounts", ("chartofaccounts",), "account_id", ("chart_of_account", "chartofaccount"),
               _scope("accountants"), {"filter_by": "AccountType.All"}, incremental=True),)),
    DataType("customers", "Customers", (
        Source("contacts", ("contacts",), "contact_id", ("contact",), _scope("contacts"),
               {"contact_type": "customer"}),), "reducible"),
    DataType("suppliers", "Suppliers", (
        Source("contacts", ("contacts",), "contact_id", ("contact",), _scope("contacts"),
               {"contact_type": "vendor"}),), "reducible"),
    DataType("invoices", "Invoices", (
        Source("invoices", ("invoices",), "invoice_id", ("invoice",), _scope("invoices"), incremental=True),),
        "reducible"),
    DataType("creditNotes", "Credit notes", (
        Source("creditnotes", ("creditnotes",), "creditnote_id", ("creditnote",), _scope("creditnotes")),),
        "reducible"),
    DataType("bills", "Bills", (
        Source("bills", ("bills",), "bill_id", ("bill",), _scope("bills"), incremental=True),), "reducible"),
    DataType("billPayments", "Bill payments", (
        Source("vendorpayments", ("vendorpayments",), "payment_id", ("vendorpayment",), _scope("vendorpayments"),
               incremental=True, kind="payment"),
        Source("vendorcredits", ("vendor_credits", "vendorcredits"), "vendor_credit_id", ("vendor_credit",),
               _scope("debitnotes"), incremental=True, kind="vendorCredit")), "always"),
    DataType("payments", "Payments", (
        Source("customerpayments", ("customerpayments", "customer_payments"), "payment_id", ("payment",),
               _scope("customerpayments")),), "always"),
    DataType("journalEntries", "Journal entries", (
        Source("journals", ("journals",), "journal_id", ("journal",), _scope("accountants"), incremental=True),),
        "always"),
    DataType("taxRates", "Tax rates", (
        Source("settings/taxes", ("taxes",), "tax_id", ("tax",)),)),
    DataType("trackingCategories", "Tracking categories", (
        Source("reportingtags", ("tags", "reporting_tags"), "tag_id"),)),
    DataType("items", "Items", (
        Source("items", ("items",), "item_id", ("item",)),)),
    DataType("bankAccounts", "Bank accounts", (
        Source("bankaccounts", ("bankaccounts",), "account_id", ("bankaccount",), _scope("banking")),)),
)}


def scopes_for(data_types: Iterable[str]) -> list[str]:
    """The read scopes the given data types need, ``ZohoBooks.settings.READ`` always first (the org
    cannot be discovered without it). Unknown keys raise ``KeyError`` naming the key."""
    scopes = [SETTINGS_READ]
    for key in data_types:
        if key not in DATA_TYPES:
            raise KeyError(f"unknown data type {key!r} (known: {', '.join(DATA_TYPES)})")
        scopes.extend(DATA_TYPES[key].scopes)
    return list(dict.fromkeys(scopes))
