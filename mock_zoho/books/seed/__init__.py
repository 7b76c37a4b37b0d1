"""Seed data: realistic, deterministic, fast Books records for one organisation.

``seed_organization(emulator, org, counts, rng=...)`` writes full stored records (every list and
detail key of the resource description, plus the org edition's fields) into ``books:{org}:{resource}``
with batched ``store.put_many``. Field sets, defaults, ids and number series come from the resource
descriptions (``resources.SPECS``); totals and settlement from ``calc`` (one arithmetic for seeded
and created documents): line totals, sub totals, per-line taxes, totals, balances after payments
and credits, statuses from balance and due date, contact outstanding amounts, bank and account
balances all add up.

Generation order (``GENERATORS``): org-level data first (currencies, chart of accounts, taxes,
reporting tags, items, contacts, bank accounts; ``reference.py``), then the documents that use it
(``documents.py``) and the money that moves without one (``ledger.py``).

Choices where the reference is silent (kept stable):

* Counts are the records *written* per resource. ``chartofaccounts`` counts catalogue accounts;
  each bank account also appears in the chart with the **same** ``account_id`` (Zoho does this),
  so the chart namespace holds ``chartofaccounts + bankaccounts`` records and the returned count
  says so. ``taxes`` draws the edition's rates first, then extra rates; the ``global`` edition
  (no tax model) writes none.
* A new org gets DEFAULT_COUNTS overlaid with its counts; a re-seed (``only_asked``) writes only the
  resources its counts name.
* Re-seeding an org adds to it: base data already stored (contacts, items, taxes, accounts,
  currencies ...) is reused as references, names already present are skipped, and existing
  contacts' outstanding amounts are updated in place (copy + put; ``_lmt`` unchanged).
* A transaction needing a missing reference (e.g. invoices with no customer at all) raises
  ``ValueError`` naming it.
* Void invoices/bills keep ``balance = total - payments - credits`` (= total) and are excluded from
  receivables; drafts are excluded too.
* Ids: ``ids.record_id(base, seq)`` with seq reserved in blocks from the org's id counter (nested
  ids — line items, contact persons, exchange rates, tag options, allocations — come from the same
  counter, so they are unique too). Ids and document numbers increase with creation time.
"""
from __future__ import annotations

import gc
import random
from typing import Any, Callable, Mapping

from .base import Seeder
from .custom_fields import finish_custom_fields
from .employees import gen_employees
from .filter_values import finish_filter_values
from .documents import (gen_bills, gen_creditnotes, gen_customerpayments, gen_estimates, gen_invoices,
                        gen_purchaseorders, gen_salesorders, gen_vendorcredits, gen_vendorpayments)
from .ledger import (finish_accounts, finish_contacts, gen_accounttransactions, gen_banktransactions, gen_expenses,
                     gen_journals)
from .modules import (finish_schedule, gen_bankrules, gen_fixedassets, gen_fixedassettypes, gen_locations,
                      gen_projects, gen_recurringbills, gen_recurringexpenses, gen_recurringinvoices,
                      gen_retainerinvoices, gen_salesreceipts, gen_tasks, gen_timeentries)
from .reference import (gen_bankaccounts, gen_chartofaccounts, gen_contacts, gen_currencies, gen_items,
                        gen_reportingtags, gen_taxauthorities, gen_taxes, gen_taxexemptions, gen_taxgroups)

def _none(sd: Seeder, n: int) -> None:
    """Base-currency adjustments are never seeded (an adjustment is a decision on the org's own rates)."""
    if n:
        raise ValueError("basecurrencyadjustments are not seeded: create them through the API")


# Generation order: references before the records that use them.
GENERATORS: dict[str, Callable[[Seeder, int], None]] = {
    "currencies": gen_currencies, "chartofaccounts": gen_chartofaccounts, "taxauthorities": gen_taxauthorities,
    "taxes": gen_taxes, "taxexemptions": gen_taxexemptions, "taxgroups": gen_taxgroups,
    "reportingtags": gen_reportingtags, "items": gen_items, "contacts": gen_contacts,
    "bankaccounts": gen_bankaccounts, "invoices": gen_invoices, "creditnotes": gen_creditnotes,
    "customerpayments": gen_customerpayments, "bills": gen_bills, "vendorcredits": gen_vendorcredits,
    "vendorpayments": gen_vendorpayments, "estimates": gen_estimates, "salesorders": gen_salesorders,
    "purchaseorders": gen_purchaseorders, "expenses": gen_expenses, "journals": gen_journals,
    "banktransactions": gen_banktransactions, "accounttransactions": gen_accounttransactions,
    # the modules of issue 16 (seed/modules.py)
    "projects": gen_projects, "tasks": gen_tasks, "timeentries": gen_timeentries,
    "recurringinvoices": gen_recurringinvoices, "recurringbills": gen_recurringbills,
    "recurringexpenses": gen_recurringexpenses, "retainerinvoices": gen_retainerinvoices,
    "salesreceipts": gen_salesreceipts, "locations": gen_locations, "fixedassettypes": gen_fixedassettypes,
    "fixedassets": gen_fixedassets, "bankrules": gen_bankrules, "basecurrencyadjustments": _none,
    "employees": gen_employees,  # last: the others' ids and draws stay as they were
}
RESOURCES: tuple[str, ...] = tuple(GENERATORS)

DEFAULT_COUNTS: dict[str, int] = {
    "currencies": 4, "chartofaccounts": 43, "taxes": 4, "reportingtags": 3, "items": 15, "contacts": 20,
    "bankaccounts": 2, "invoices": 50, "creditnotes": 6, "customerpayments": 24, "bills": 25,
    "vendorcredits": 4, "vendorpayments": 14, "estimates": 12, "salesorders": 10, "purchaseorders": 10,
    "expenses": 20, "journals": 8, "banktransactions": 40, "accounttransactions": 60,
    "taxauthorities": 2, "taxexemptions": 3, "taxgroups": 1,  # the editions that have them (taxes.yml)
    "projects": 4, "tasks": 12, "timeentries": 60, "recurringinvoices": 4, "recurringbills": 3, "recurringexpenses": 2,
    "retainerinvoices": 5, "salesreceipts": 8, "locations": 2, "fixedassettypes": 3, "fixedassets": 6,
    "bankrules": 3, "basecurrencyadjustments": 0, "employees": 3,
}


def resolve_counts(counts: Mapping[str, int] | None, *, only_asked: bool = False) -> dict[str, int]:
    """DEFAULT_COUNTS overlaid with ``counts`` (``only_asked``: 0 for every resource ``counts`` does not
    name); unknown names and bad values raise ValueError."""
    out = dict.fromkeys(DEFAULT_COUNTS, 0) if only_asked and counts is not None else dict(DEFAULT_COUNTS)
    for name, n in (counts or {}).items():
        if name not in DEFAULT_COUNTS:
            raise ValueError(f"unknown resource {name!r} in counts (known: {', '.join(RESOURCES)})")
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise ValueError(f"count for {name!r} must be a non-negative integer, got {n!r}")
        out[name] = n
    return out


def seed_organization(emulator, org: Mapping[str, Any], counts: Mapping[str, int] | None = None, *,
                      rng: random.Random, only_asked: bool = False) -> dict[str, int]:
    """Generate and store records for ``org``; returns how many records were written per resource.

    ``counts`` overrides DEFAULT_COUNTS per resource (0 writes none; unknown names raise
    ``ValueError``); with ``only_asked`` (a re-seed) a resource ``counts`` does not name gets none.
    Deterministic: the same emulator state, org, counts and rng give identical
    records.
    """
    resolved = resolve_counts(counts, only_asked=only_asked)
    bulk = sum(resolved.values()) > 5000
    gc_was_enabled = gc.isenabled()
    if bulk:  # millions of new dicts: the cyclic GC would rescan the growing heap again and again
        gc.disable()
    try:
        sd = Seeder(emulator, org, resolved, rng)
        for name, generate in GENERATORS.items():
            generate(sd, resolved[name])
        finish_contacts(sd)
        finish_accounts(sd)
        finish_schedule(sd)
        finish_custom_fields(sd)
        finish_filter_values(sd)
        return sd.write(RESOURCES)
    finally:
        if bulk and gc_was_enabled:
            gc.enable()


__all__ = ["DEFAULT_COUNTS", "RESOURCES", "GENERATORS", "seed_organization", "resolve_counts"]
