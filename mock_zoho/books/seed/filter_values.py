"""Values Zoho's records carry that the documented list filters find them by (issue 13: filters).

Run after every generator (``seed_organization``), with no random draw and no new id, so every other
seeded value, count and id stays exactly as it was:

* estimates, sales orders and purchase orders: every other one carries a reference number (the
  customer's request for quote or purchase order, the vendor's quote), made from its own number;
* sales orders: every other one names a salesperson (the org's first active user: no salesperson
  list is emulated, our choice);
* items of a sales-tax edition (US): every third item without a tax carries the org's first tax, as
  an item's default tax (invoice lines made from it take it, as the write path does);
* recurring invoices: the org's default customer notes; every other recurring invoice and bill ends after a
  year;
* recurring expenses: every other profile is billable to a customer;
* retainer invoices: every other paid one's payment is not drawn onto an invoice yet (the customer's
  unused retainer payment);
* one running profile of each kind (the newest whose party has documents): the newest documents of
  its party (for expenses: of its account, else the newest expenses, the profile taking the account of
  the latest) were made by it: they carry its id, and it started on the first one's date and last
  made one on the last one's date (its next date, in the future, stays).
"""
from __future__ import annotations

from datetime import date
from typing import Any

from ..recurrence import expense_line
from ..resources import SPECS
from .base import Seeder

REFERENCE_PREFIXES = {"estimates": "RFQ-", "salesorders": "PO-", "purchaseorders": "QT-"}
PROFILE_NOTES = "Thanks for your business."  # the org's default customer notes (the seeded invoices' too)
CHILDREN = 2  # documents a running profile has made


def _digits(number: str) -> str:
    return "".join(ch for ch in str(number) if ch.isdigit()) or "1"


def _references(sd: Seeder) -> None:
    for resource, prefix in REFERENCE_PREFIXES.items():
        number_field = SPECS[resource].number_field or ""
        for i, rec in enumerate(sd.out[resource].values()):
            if i % 2 == 0 and not rec.get("reference_number"):
                rec["reference_number"] = f"{prefix}{int(_digits(rec.get(number_field, ''))) + 4100:05d}"


def _salespersons(sd: Seeder) -> None:
    users = sorted((u for u in sd.existing("users") if u.get("status") == "active"), key=lambda u: u["user_id"])
    if not users:
        return
    person = users[0]
    for i, rec in enumerate(sd.out["salesorders"].values()):
        if i % 2 == 0:
            rec.update(salesperson_id=person["user_id"], salesperson_name=person.get("name") or person.get("email"))


def _item_taxes(sd: Seeder) -> None:
    if sd.ed.tax_model in ("vat", "gst") or not sd.refs.taxes:
        return
    tax = sd.refs.taxes[0]
    for i, rec in enumerate(sd.out["items"].values()):
        if i % 3 == 0 and not rec.get("tax_id"):
            rec.update(tax_id=tax["tax_id"], tax_name=tax["tax_name"], tax_percentage=tax["tax_percentage"],
                       tax_type=tax.get("tax_type") or "tax")


def _profiles(sd: Seeder) -> None:
    for rec in sd.out["recurringinvoices"].values():
        rec["notes"] = rec.get("notes") or PROFILE_NOTES
    for resource in ("recurringinvoices", "recurringbills"):
        for i, rec in enumerate(sd.out[resource].values()):
            if i % 2 == 1 and rec.get("start_date"):  # a profile for a year's contract
                start = date.fromisoformat(rec["start_date"])
                rec["end_date"] = start.replace(year=start.year + 1).isoformat() \
                    if (start.month, start.day) != (2, 29) else sd.add_days(rec["start_date"], 365)
    customers = sd.refs.customers
    for i, rec in enumerate(sd.out["recurringexpenses"].values()):
        if i % 2 == 1 and customers:
            cust = customers[i % len(customers)]
            rec.update(is_billable=True, customer_id=cust["contact_id"], customer_name=cust["contact_name"])


def _started(profile: dict[str, Any], children: list[dict[str, Any]], id_field: str, last_field: str) -> None:
    for child in children:
        child[id_field] = profile[id_field]
    profile["start_date"] = children[0]["date"]
    profile[last_field] = children[-1]["date"]
    profile["_anchor"] = date.fromisoformat(children[0]["date"]).day
    if profile.get("end_date") and profile["end_date"] < profile["start_date"]:
        profile["end_date"] = ""


def _made(sd: Seeder, resource: str) -> list[dict[str, Any]]:
    """Documents a profile may have made: sent (not draft or void), dated up to today, oldest first."""
    docs = [d for d in sd.out[resource].values()
            if d.get("status") not in ("draft", "void") and d.get("date", "") <= sd.today]
    return sorted(docs, key=lambda d: (d["date"], d.get("_ct", 0)))


def _running_documents(sd: Seeder, profiles: str, resource: str, party: str, id_field: str) -> None:
    docs = _made(sd, resource)
    for profile in sorted(sd.out[profiles].values(), key=lambda p: -p.get("_ct", 0)):
        own = [d for d in docs if d.get(party) == profile.get(party) and not d.get(id_field)]
        if own:
            _started(profile, own[-CHILDREN:], id_field, "last_sent_date")
            return


def _running_expense(sd: Seeder) -> None:
    profiles = sorted(sd.out["recurringexpenses"].values(), key=lambda p: -p.get("_ct", 0))
    expenses = [e for e in _made(sd, "expenses") if not e.get("recurring_expense_id")]
    if not profiles or not expenses:
        return
    profile = profiles[0]
    own = [e for e in expenses if e.get("account_id") == profile.get("account_id")]
    children = own[-CHILDREN:] if len(own) >= CHILDREN else expenses[-CHILDREN:]
    latest = children[-1]
    if latest.get("account_id") != profile.get("account_id"):  # the profile's account was changed since
        profile.update(account_id=latest["account_id"], account_name=latest.get("account_name", ""))
        line_id = (profile.get("line_item") or {}).get("line_item_id")
        if line_id:
            profile["line_item"] = expense_line(profile, line_id)
    _started(profile, children, "recurring_expense_id", "last_created_date")


def _undrawn_retainers(sd: Seeder) -> None:
    for i, rec in enumerate(r for r in sd.out["retainerinvoices"].values() if r.get("status") == "paid"):
        if i % 2 == 0:
            rec["payment_drawn"] = 0.0


def finish_filter_values(sd: Seeder) -> None:
    """Fill the filterable values above on the records this run made (no draw, no id)."""
    _references(sd)
    _salespersons(sd)
    _item_taxes(sd)
    _profiles(sd)
    _undrawn_retainers(sd)
    _running_documents(sd, "recurringinvoices", "invoices", "customer_id", "recurring_invoice_id")
    _running_documents(sd, "recurringbills", "bills", "vendor_id", "recurring_bill_id")
    _running_expense(sd)
