"""Zoho Books records in the platform's shape (Codat's field names), one function per data type.

Reduced reads (list items only) leave out what Zoho's lists do not carry, exactly as Codat
documents: invoices and credit notes have no line items and an invoice's ``totalTaxAmount`` is
``0.00`` (the list has no tax total); customers have no addresses or contacts (email and phone
come from the list's flattened primary contact); bills have no ``purchaseOrderRefs``,
``lineItems``, ``subTotal``, ``taxAmount`` or ``note``. Complete reads fill them from the detail;
bill lines keep ``discountAmount``, ``subTotal`` and ``taxAmount`` at ``0.00`` as Codat documents.
"""
from __future__ import annotations

from typing import Any, Callable

__all__ = ["normalise", "NORMALISERS", "tracking_ref"]

Raw = dict[str, Any]
ZERO = 0.0

_INVOICE_STATUS = {"draft": "Draft", "sent": "Submitted", "viewed": "Submitted", "overdue": "Submitted",
                   "unpaid": "Submitted", "partially_paid": "PartiallyPaid", "paid": "Paid", "void": "Void"}
_CREDIT_STATUS = {"draft": "Draft", "open": "Submitted", "closed": "Paid", "void": "Void"}
_BILL_STATUS = {"draft": "Draft", "open": "Open", "overdue": "Open", "partially_paid": "PartiallyPaid",
                "paid": "Paid", "void": "Void"}
_ACCOUNT_GROUPS = {
    "Asset": {"other_asset", "other_current_asset", "cash", "bank", "fixed_asset", "accounts_receivable", "stock",
              "payment_clearing", "input_tax", "intangible_asset", "right_to_use_asset", "financial_asset",
              "contingent_asset", "contract_asset"},
    "Liability": {"other_current_liability", "credit_card", "long_term_liability", "other_liability",
                  "accounts_payable", "output_tax", "contract_liability", "refund_liability", "loans_and_borrowing",
                  "lease_liability", "employee_benefit_liability", "contingent_liability", "financial_liability"},
    "Equity": {"equity"},
    "Income": {"income", "other_income", "finance_income", "other_comprehensive_income"},
}


def _num(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return ZERO


def _address(kind: str, a: Any) -> dict[str, Any] | None:
    if not isinstance(a, dict) or not any(a.get(k) for k in ("address", "street_address1", "city", "zip")):
        return None
    return {"type": kind, "line1": a.get("address") or a.get("street_address1") or "",
            "line2": a.get("street2") or a.get("street_address2") or "", "city": a.get("city") or "",
            "region": a.get("state") or "", "country": a.get("country") or "", "postalCode": a.get("zip") or ""}


def tracking_ref(tag: Raw) -> str:
    """A line's tracking category id: ``<tag-id>-<tag-option-id>`` (Codat's form)."""
    return f"{tag.get('tag_id')}-{tag.get('tag_option_id') or tag.get('option_id')}"


def _tracking(line: Raw) -> dict[str, Any]:
    tags = [t for t in line.get("tags") or [] if isinstance(t, dict) and t.get("tag_id")]
    return {"categoryRefs": [{"id": tracking_ref(t), "name": t.get("tag_option_name")} for t in tags]}


def _sales_lines(raw: Raw) -> list[dict[str, Any]]:
    return [{"id": ln.get("line_item_id"), "description": ln.get("description") or ln.get("name"),
             "unitAmount": _num(ln.get("rate")), "quantity": _num(ln.get("quantity")),
             "discountAmount": _num(ln.get("discount_amount")), "subTotal": _num(ln.get("item_total")),
             "taxRateRef": {"id": ln.get("tax_id"), "name": ln.get("tax_name")} if ln.get("tax_id") else None,
             "itemRef": {"id": ln.get("item_id"), "name": ln.get("name")} if ln.get("item_id") else None,
             "accountRef": {"id": ln.get("account_id")} if ln.get("account_id") else None,
             "tracking": _tracking(ln)} for ln in raw.get("line_items") or []]


def company(raw: Raw, complete: bool) -> dict[str, Any]:
    addr = _address("Billing", raw.get("address"))
    return {"id": raw.get("organization_id"), "companyName": raw.get("name"), "baseCurrency": raw.get("currency_code"),
            "financialYearStartMonth": raw.get("fiscal_year_start_month"), "addresses": [addr] if addr else [],
            "registrationNumber": raw.get("company_id_value"), "taxNumber": raw.get("tax_id_value"),
            "phoneNumbers": [{"number": raw["phone"], "type": "Primary"}] if raw.get("phone") else [],
            "webLinks": [{"url": raw["website"], "type": "Website"}] if raw.get("website") else [],
            "createdDate": raw.get("account_created_date")}


def chart_of_accounts(raw: Raw, complete: bool) -> dict[str, Any]:
    kind = raw.get("account_type") or ""
    group = next((g for g, types in _ACCOUNT_GROUPS.items() if kind in types), "Expense")
    return {"id": raw.get("account_id"), "nominalCode": raw.get("account_code") or "", "name": raw.get("account_name"),
            "description": raw.get("description") or "", "type": group,
            "fullyQualifiedCategory": f"{group}.{kind}", "status": "Active" if raw.get("is_active", True) else "Archived",
            "currentBalance": _num(raw.get("current_balance", raw.get("closing_balance"))),
            "currency": raw.get("currency_code"), "isBankAccount": kind in ("bank", "cash", "credit_card"),
            "modifiedDate": raw.get("last_modified_time")}


def _contact(raw: Raw, complete: bool, name_key: str) -> dict[str, Any]:
    addresses = [a for a in (_address("Billing", raw.get("billing_address")),
                             _address("Delivery", raw.get("shipping_address"))) if a] if complete else []
    contacts = [{"name": " ".join(p for p in (c.get("first_name"), c.get("last_name")) if p),
                 "email": c.get("email") or "", "phone": [{"number": c["phone"], "type": "Primary"}]
                 if c.get("phone") else [], "status": "Active"} for c in raw.get("contact_persons") or []
                ] if complete else []
    primary = next((c for c in raw.get("contact_persons") or [] if c.get("is_primary_contact")), {})
    first, last = raw.get("first_name", primary.get("first_name")), raw.get("last_name", primary.get("last_name"))
    return {"id": raw.get("contact_id"), name_key: raw.get("contact_name"), "companyName": raw.get("company_name"),
            "contactName": " ".join(p for p in (first, last) if p),
            "emailAddress": raw.get("email", primary.get("email")) or "",
            "phone": raw.get("phone", primary.get("phone")) or "",
            "status": "Active" if raw.get("status", "active") == "active" else "Archived",
            "defaultCurrency": raw.get("currency_code"), "addresses": addresses, "contacts": contacts,
            "taxNumber": raw.get("vat_reg_no") or raw.get("tax_reg_no") or "",
            "modifiedDate": raw.get("last_modified_time")}


def customers(raw: Raw, complete: bool) -> dict[str, Any]:
    return _contact(raw, complete, "customerName")


def suppliers(raw: Raw, complete: bool) -> dict[str, Any]:
    out = _contact(raw, complete, "supplierName")
    out.pop("contacts")
    return out


def invoices(raw: Raw, complete: bool) -> dict[str, Any]:
    out = {"id": raw.get("invoice_id"), "invoiceNumber": raw.get("invoice_number"),
           "customerRef": {"id": raw.get("customer_id"), "companyName": raw.get("customer_name")},
           "issueDate": raw.get("date"), "dueDate": raw.get("due_date"), "currency": raw.get("currency_code"),
           "currencyRate": _num(raw.get("exchange_rate")) or 1.0, "totalAmount": _num(raw.get("total")),
           "amountDue": _num(raw.get("balance")), "status": _INVOICE_STATUS.get(raw.get("status") or "", "Unknown"),
           "totalTaxAmount": ZERO, "lineItems": [], "modifiedDate": raw.get("last_modified_time")}
    if complete:
        out.update(totalTaxAmount=_num(raw.get("tax_total")), subTotal=_num(raw.get("sub_total")),
                   totalDiscount=_num(raw.get("discount")), lineItems=_sales_lines(raw), note=raw.get("notes") or "")
    return out


def credit_notes(raw: Raw, complete: bool) -> dict[str, Any]:
    out = {"id": raw.get("creditnote_id"), "creditNoteNumber": raw.get("creditnote_number"),
           "customerRef": {"id": raw.get("customer_id"), "companyName": raw.get("customer_name")},
           "issueDate": raw.get("date"), "currency": raw.get("currency_code"), "totalAmount": _num(raw.get("total")),
           "remainingCredit": _num(raw.get("balance")),
           "status": _CREDIT_STATUS.get(raw.get("status") or "", "Unknown"), "lineItems": [], "allocations": [],
           "modifiedDate": raw.get("last_modified_time")}
    if complete:
        out.update(lineItems=_sales_lines(raw), totalTaxAmount=_num(raw.get("tax_total")),
                   allocations=[{"allocatedOnDate": a.get("date"), "totalAmount": _num(a.get("amount")),
                                 "invoiceRef": {"id": a.get("invoice_id")}} for a in raw.get("invoices") or []])
    return out


def bills(raw: Raw, complete: bool) -> dict[str, Any]:
    out = {"id": raw.get("bill_id"), "reference": raw.get("bill_number") or raw.get("reference_number"),
           "supplierRef": {"id": raw.get("vendor_id"), "supplierName": raw.get("vendor_name")},
           "issueDate": raw.get("date"), "dueDate": raw.get("due_date"), "currency": raw.get("currency_code"),
           "currencyRate": _num(raw.get("exchange_rate")) or 1.0, "totalAmount": _num(raw.get("total")),
           "amountDue": _num(raw.get("balance")), "status": _BILL_STATUS.get(raw.get("status") or "", "Unknown"),
           "modifiedDate": raw.get("last_modified_time")}
    if complete:
        lines = _sales_lines(raw)
        for line in lines:   # Codat: always 0.00 on Zoho bill lines, even complete
            line.update(discountAmount=ZERO, subTotal=ZERO, taxAmount=ZERO)
        out.update(purchaseOrderRefs=[{"id": i} for i in raw.get("purchaseorder_ids") or []], lineItems=lines,
                   subTotal=_num(raw.get("sub_total")), taxAmount=_num(raw.get("tax_total")),
                   note=raw.get("notes") or "")
    return out


def bill_payments(raw: Raw, complete: bool) -> dict[str, Any]:
    if "vendor_credit_id" in raw:   # a vendor credit applied to bills
        lines = [{"amount": _num(b.get("amount")), "links": [{"type": "Bill", "id": b.get("bill_id")}]}
                 for b in raw.get("bills_credited") or []]
        return {"id": raw.get("vendor_credit_id"), "sourceType": "VendorCredit",
                "supplierRef": {"id": raw.get("vendor_id"), "supplierName": raw.get("vendor_name")},
                "date": raw.get("date"), "totalAmount": _num(raw.get("total")), "currency": raw.get("currency_code"),
                "paymentMethodRef": None, "lines": lines, "modifiedDate": raw.get("last_modified_time")}
    lines = [{"amount": _num(b.get("amount_applied")), "links": [{"type": "Bill", "id": b.get("bill_id")}]}
             for b in raw.get("bills") or []]
    return {"id": raw.get("payment_id"), "sourceType": "VendorPayment",
            "supplierRef": {"id": raw.get("vendor_id"), "supplierName": raw.get("vendor_name")},
            "accountRef": {"id": raw.get("paid_through_account_id")}, "date": raw.get("date"),
            "totalAmount": _num(raw.get("amount")), "currency": raw.get("currency_code"),
            "paymentMethodRef": None,   # Codat: not populated for Zoho
            "reference": raw.get("reference_number") or "", "lines": lines,
            "modifiedDate": raw.get("last_modified_time")}


def payments(raw: Raw, complete: bool) -> dict[str, Any]:
    lines = [{"amount": _num(i.get("amount_applied")), "links": [{"type": "Invoice", "id": i.get("invoice_id")}]}
             for i in raw.get("invoices") or []]
    return {"id": raw.get("payment_id"), "customerRef": {"id": raw.get("customer_id"),
                                                          "companyName": raw.get("customer_name")},
            "date": raw.get("date"), "totalAmount": _num(raw.get("amount")), "currency": raw.get("currency_code"),
            "paymentMethodRef": {"name": raw.get("payment_mode")} if raw.get("payment_mode") else None,
            "reference": raw.get("reference_number") or "", "lines": lines,
            "modifiedDate": raw.get("last_modified_time")}


def journal_entries(raw: Raw, complete: bool) -> dict[str, Any]:
    lines = [{"accountRef": {"id": ln.get("account_id"), "name": ln.get("account_name")},
              "netAmount": _num(ln.get("amount")) * (1 if ln.get("debit_or_credit") == "debit" else -1),
              "description": ln.get("description") or "", "tracking": _tracking(ln)}
             for ln in raw.get("line_items") or []]
    return {"id": raw.get("journal_id"), "journalRef": raw.get("entry_number"), "postedOn": raw.get("journal_date"),
            "memo": raw.get("notes") or "", "currency": raw.get("currency_code"), "journalLines": lines,
            "modifiedDate": raw.get("last_modified_time")}


def tax_rates(raw: Raw, complete: bool) -> dict[str, Any]:
    rate = _num(raw.get("tax_percentage"))
    return {"id": raw.get("tax_id"), "name": raw.get("tax_name"), "code": raw.get("tax_id"),
            "effectiveTaxRate": rate, "totalTaxRate": rate, "status": "Active", "taxType": raw.get("tax_type")}


def tracking_categories(raw: Raw, complete: bool) -> dict[str, Any]:
    if raw.get("_parent_tag_id"):   # an option of a reporting tag
        return {"id": f"{raw['_parent_tag_id']}-{raw.get('option_id')}", "name": raw.get("option_name"),
                "parentId": raw["_parent_tag_id"], "hasChildren": False,
                "status": "Active" if raw.get("is_active", True) else "Archived"}
    return {"id": raw.get("tag_id"), "name": raw.get("tag_name"), "parentId": None, "hasChildren": True,
            "status": "Active" if raw.get("is_active", True) else "Archived"}


def items(raw: Raw, complete: bool) -> dict[str, Any]:
    return {"id": raw.get("item_id"), "name": raw.get("name"), "code": raw.get("sku") or "",
            "description": raw.get("description") or "", "itemStatus": "Active" if raw.get("status") == "active"
            else "Archived", "type": "Service" if raw.get("product_type") == "service" else "Inventory"
            if raw.get("product_type") == "goods" else "Unknown",
            "invoiceItem": {"unitPrice": _num(raw.get("rate")),
                            "taxRateRef": {"id": raw.get("tax_id")} if raw.get("tax_id") else None},
            "modifiedDate": raw.get("last_modified_time")}


def bank_accounts(raw: Raw, complete: bool) -> dict[str, Any]:
    return {"id": raw.get("account_id"), "accountName": raw.get("account_name"),
            "accountNumber": raw.get("account_number") or "", "sortCode": raw.get("routing_number") or "",
            "accountType": "Credit" if raw.get("account_type") == "credit_card" else "Debit",
            "currency": raw.get("currency_code"), "currentBalance": _num(raw.get("balance")),
            "institution": raw.get("bank_name") or "", "nominalCode": raw.get("account_code") or ""}


NORMALISERS: dict[str, Callable[[Raw, bool], dict[str, Any]]] = {
    "company": company, "chartOfAccounts": chart_of_accounts, "customers": customers, "suppliers": suppliers,
    "invoices": invoices, "creditNotes": credit_notes, "bills": bills, "billPayments": bill_payments,
    "payments": payments, "journalEntries": journal_entries, "taxRates": tax_rates,
    "trackingCategories": tracking_categories, "items": items, "bankAccounts": bank_accounts,
}


def normalise(data_type: str, raw: Raw, complete: bool) -> dict[str, Any]:
    return NORMALISERS[data_type](raw, complete)
