"""Seed data: realistic, deterministic, fast Books records for one organisation.

``seed_organization(emulator, org, counts, rng=...)`` writes full detail records (reference §6.3
list + detail keys, plus the org edition's fields) into ``books:{org}:{resource}`` with batched
``store.put_many``. Org-level data comes first (currencies, chart of accounts, taxes, reporting
tags, items, contacts, bank accounts), then the transactions that reference it. Numbers follow
``calc`` (one arithmetic for seeded and created documents) and add up: line totals, sub totals,
per-line taxes, totals, balances after payments and credits, statuses from balance and due date,
contact outstanding amounts, bank and account balances.

Choices where the reference is silent (documented in the report and kept stable):

* Counts are the records *written* per resource. ``chartofaccounts`` counts catalogue accounts;
  each bank account also appears in the chart with the **same** ``account_id`` (Zoho does this),
  so the chart namespace holds ``chartofaccounts + bankaccounts`` records and the returned count
  says so. ``taxes`` draws the edition's rates first, then extra rates; the ``global`` edition
  (no tax model) writes none.
* Re-seeding an org adds to it: base data already stored (contacts, items, taxes, accounts,
  currencies ...) is reused as references, names already present are skipped, and existing
  contacts' outstanding amounts are updated in place (copy + put; ``_lmt`` unchanged).
* A transaction needing a missing reference (e.g. invoices with no customer at all) raises
  ``ValueError`` naming it.
* Void invoices/bills keep ``balance = total - payments - credits`` (= total) and are excluded from
  receivables; drafts are excluded too.
* Ids: ``ids.record_id(base, seq)`` with seq reserved in blocks from ``books:{org}:seq`` (nested
  ids — line items, contact persons, exchange rates, tag options, allocations — come from the same
  counter, so they are unique too). Ids and document numbers increase with creation time.
"""
from __future__ import annotations

import gc
import random
from datetime import date, timedelta
from typing import Any, Mapping

from . import calc
from . import fakedata as F
from .editions import EDITIONS, Edition
from .resources import ADDRESS_FIELDS, CONTACT_PERSON_EMBEDDED, CONTACT_PERSON_LIST, INVOICE_LINE, SPECS

# Generation order: references before the records that use them.
RESOURCES: tuple[str, ...] = (
    "currencies", "chartofaccounts", "taxes", "reportingtags", "items", "contacts", "bankaccounts",
    "invoices", "creditnotes", "customerpayments", "bills", "vendorcredits", "vendorpayments",
    "estimates", "salesorders", "purchaseorders", "expenses", "journals", "banktransactions",
    "accounttransactions",
)

DEFAULT_COUNTS: dict[str, int] = {
    "currencies": 4, "chartofaccounts": 43, "taxes": 4, "reportingtags": 3, "items": 15, "contacts": 20,
    "bankaccounts": 2, "invoices": 50, "creditnotes": 6, "customerpayments": 24, "bills": 25,
    "vendorcredits": 4, "vendorpayments": 14, "estimates": 12, "salesorders": 10, "purchaseorders": 10,
    "expenses": 20, "journals": 8, "banktransactions": 40, "accounttransactions": 60,
}

ID_FIELDS: dict[str, str] = {
    "contacts": "contact_id", "invoices": "invoice_id", "creditnotes": "creditnote_id", "bills": "bill_id",
    "items": "item_id", "chartofaccounts": "account_id", "customerpayments": "payment_id",
    "vendorpayments": "payment_id", "vendorcredits": "vendor_credit_id", "journals": "journal_id",
    "taxes": "tax_id", "currencies": "currency_id", "bankaccounts": "account_id",
    "banktransactions": "transaction_id", "expenses": "expense_id", "salesorders": "salesorder_id",
    "purchaseorders": "purchaseorder_id", "estimates": "estimate_id", "reportingtags": "tag_id",
    "accounttransactions": "transaction_id",
}

# Fields Zoho gates by edition (x-node_available_in): written only when the org's edition lists them.
EDITION_GATED: frozenset[str] = frozenset({
    "gst_no", "gst_treatment", "place_of_supply", "place_of_contact", "vat_treatment", "vat_reg_no",
    "tax_treatment", "tax_regime", "legal_name", "is_tds_registered", "cfdi_usage", "is_pre_gst",
    "is_reverse_charge_applied", "source_of_supply", "destination_of_supply", "filed_in_vat_return_id",
    "filed_in_vat_return_name", "filed_in_vat_return_type", "acquisition_vat_summary", "acquisition_vat_total",
    "reverse_charge_vat_summary", "reverse_charge_vat_total",
})


def _f(text: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in text.replace("\n", " ").split(",") if x.strip())


# §6.3 list + detail keys per resource (list-only keys included: a stored record is list ∪ detail).
# Keys a stored record carries beyond its spec's list and detail fields (resources.py is the one
# source of the Zoho field sets): what the seeder also keeps for the arithmetic and for writes.
STORED_EXTRA: dict[str, tuple[str, ...]] = {
    "creditnotes": ("exchange_rate", "price_precision", "total_credits_used", "total_refunded_amount"),
    "items": ("created_time", "last_modified_time"),
    "customerpayments": ("currency_id", "exchange_rate"),
    "vendorpayments": ("currency_code",),
    "vendorcredits": ("tax_total", "taxes"),
    "expenses": ("paid_through_account_id",),
    "salesorders": ("price_precision",),
    "reportingtags": ("options",),
    "accounttransactions": ("created_time", "last_modified_time"),
}
KEYS: dict[str, tuple[str, ...]] = {
    r: tuple(dict.fromkeys(SPECS[r].list_fields + SPECS[r].detail_fields + STORED_EXTRA.get(r, ())))
    for r in RESOURCES
}

SALES_LINE_KEYS = INVOICE_LINE + ("account_id", "account_name")  # + the income account (our choice)
# Credit note lines: the OpenAPI set plus our choice (rate, item_total, tax_name, tax_percentage, tags).
CREDITNOTE_LINE_EXTRA = _f("code, type, serial_numbers")
PURCHASE_LINE_KEYS = _f("""line_item_id, item_id, account_id, account_name, name, description, item_order,
    bcy_rate, rate, quantity, unit, discount_amount, discount, tax_id, tax_name, tax_type, tax_percentage,
    item_total, customer_id, customer_name, project_id, project_name, tags, is_billable, product_type, sku,
    item_total_inclusive_of_tax, location_id, location_name""")
CONTACT_PERSON_KEYS = tuple(dict.fromkeys(CONTACT_PERSON_LIST + CONTACT_PERSON_EMBEDDED))
ADDRESS_KEYS = ADDRESS_FIELDS
JOURNAL_LINE_KEYS = _f("""line_id, account_id, account_name, customer_id, customer_name, description,
    debit_or_credit, amount, bcy_amount, tax_id, tax_name, tax_percentage, tags, location_id, project_id""")

_ARRAYS = frozenset({
    "custom_fields", "line_items", "taxes", "documents", "contact_persons", "opening_balances",
    "contact_persons_associated", "invoices", "payments", "vendor_credits", "purchaseorder_ids",
    "vendorpayment_refunds", "bills", "check_details", "rule_details", "imported_transactions", "tags",
    "item_tax_preferences", "locations", "sub_statuses", "vendor_credit_refunds", "bills_credited",
    "time_entry_ids", "options", "serial_numbers",
})
_OBJECTS = frozenset({"billing_address", "shipping_address", "default_templates", "delivery_address",
                      "line_item", "payment_options", "project", "communication_preference"})
_NUMERIC = frozenset({
    "total", "balance", "sub_total", "tax_total", "amount", "bcy_amount", "rate", "bcy_rate", "quantity",
    "exchange_rate", "shipping_charge", "adjustment", "write_off_amount", "reminders_sent", "payment_made",
    "credits_applied", "tax_amount_withheld", "discount", "discount_amount", "item_total", "tax_percentage",
    "outstanding_receivable_amount", "unused_credits_receivable_amount", "outstanding_receivable_amount_bcy",
    "unused_credits_receivable_amount_bcy", "credit_limit", "vendor_credits_applied", "unused_amount",
    "amount_refunded", "bank_charges", "bcy_balance", "current_balance", "closing_balance", "depth",
    "child_count", "bcy_total", "line_item_total", "bcy_total_without_tax", "total_without_tax", "tax_amount",
    "mileage_rate", "start_reading", "end_reading", "total_credits_used", "total_refunded_amount",
    "uncategorized_transactions", "total_unprinted_checks", "bank_balance", "debit_amount", "credit_amount",
    "purchase_rate", "price_precision", "payment_terms", "item_order", "item_total_inclusive_of_tax",
    "acquisition_vat_total", "reverse_charge_vat_total",
})
_BOOL_PREFIXES = ("is_", "has_", "can_", "allow_", "include_")
_BOOLS = frozenset({"ach_payment_initiated", "enable_portal", "payment_reminder_enabled"})


def _default(key: str) -> Any:
    if key in _NUMERIC:
        return 0
    if key in _BOOLS or key.startswith(_BOOL_PREFIXES):
        return False
    return ""


class _Tpl:
    """A record template: one dict copy per record, fresh containers for array/object keys."""

    __slots__ = ("base", "arrays", "objects")

    def __init__(self, keys: tuple[str, ...]) -> None:
        self.base = {k: _default(k) for k in keys if k not in _ARRAYS and k not in _OBJECTS}
        self.arrays = tuple(k for k in keys if k in _ARRAYS)
        self.objects = tuple(k for k in keys if k in _OBJECTS)

    def new(self) -> dict[str, Any]:
        d = self.base.copy()
        for k in self.arrays:
            d[k] = []
        for k in self.objects:
            d[k] = {}
        return d


_TPL = {r: _Tpl(k) for r, k in KEYS.items()}
_SALES_LINE_TPL = _Tpl(SALES_LINE_KEYS)
_CN_LINE_TPL = _Tpl(SALES_LINE_KEYS + CREDITNOTE_LINE_EXTRA)
_PURCHASE_LINE_TPL = _Tpl(PURCHASE_LINE_KEYS)
_JOURNAL_LINE_TPL = _Tpl(JOURNAL_LINE_KEYS)
_PERSON_TPL = _Tpl(CONTACT_PERSON_KEYS)

DAY = 86400
SPAN_DAYS = 730


class _Ids:
    """Record ids from the org's counter, reserved in blocks (one store call per block)."""

    def __init__(self, store, key: str, base: int) -> None:
        self.store, self.key, self.base10 = store, key, base * 10**10
        self.nxt = 1
        self.end = 0

    def reserve(self, n: int) -> None:
        if self.end - self.nxt + 1 >= n:
            return
        n = max(n, 512)
        last = self.store.incr(self.key, n)
        self.nxt, self.end = last - n + 1, last

    def __call__(self) -> str:
        if self.nxt > self.end:
            self.reserve(512)
        seq = self.nxt
        self.nxt += 1
        return str(self.base10 + seq)


def resolve_counts(counts: Mapping[str, int] | None) -> dict[str, int]:
    """DEFAULT_COUNTS overlaid with ``counts``; unknown names and bad values raise ValueError."""
    out = dict(DEFAULT_COUNTS)
    for name, n in (counts or {}).items():
        if name not in DEFAULT_COUNTS:
            raise ValueError(f"unknown resource {name!r} in counts (known: {', '.join(RESOURCES)})")
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise ValueError(f"count for {name!r} must be a non-negative integer, got {n!r}")
        out[name] = n
    return out


def seed_organization(emulator, org: Mapping[str, Any], counts: Mapping[str, int] | None = None, *,
                      rng: random.Random) -> dict[str, int]:
    """Generate and store records for ``org``; returns how many records were written per resource.

    ``counts`` overrides DEFAULT_COUNTS per resource (0 writes none; unknown names raise
    ``ValueError``). Deterministic: the same emulator state, org, counts and rng give identical
    records.
    """
    resolved = resolve_counts(counts)
    bulk = sum(resolved.values()) > 5000
    gc_was_enabled = gc.isenabled()
    if bulk:  # millions of new dicts: the cyclic GC would rescan the growing heap again and again
        gc.disable()
    try:
        return _Seeder(emulator, org, resolved, rng).run()
    finally:
        if bulk and gc_was_enabled:
            gc.enable()


def _cents(x: float) -> int:
    return int(round(x * 100))


def _amt(c: int) -> float:
    return c / 100


class _Seeder:
    def __init__(self, emulator, org: Mapping[str, Any], counts: dict[str, int], rng: random.Random) -> None:
        self.emu = emulator
        self.store = emulator.store
        self.org = org
        self.org_id = str(org["organization_id"])
        code = org.get("edition") or org.get("_edition") or "global"
        if code not in EDITIONS:
            raise ValueError(f"unknown edition {code!r} for organization {self.org_id}")
        self.ed: Edition = EDITIONS[code]
        self.code = code
        self.off = (org.get("_utc_offset") or self.ed.utc_offset).replace(":", "")
        sign = -1 if self.off.startswith("-") else 1
        self.off_s = sign * (int(self.off[1:3]) * 3600 + int(self.off[3:5]) * 60)
        self.counts = counts
        self.rng = rng
        self.r = rng.random
        self.now = float(emulator.clock.now())
        self.now_i = int(self.now) - 1
        self.start = self.now_i - SPAN_DAYS * DAY
        self._days: dict[int, str] = {}
        self.today = self.dstr(self.now_i)
        base = org.get("_id_base")
        self.ids = _Ids(self.store, f"books:{self.org_id}:seq", int(base) if base is not None else int(self.org_id))
        self.out: dict[str, dict[str, dict]] = {r: {} for r in RESOURCES}
        self.updates: dict[str, dict[str, dict]] = {r: {} for r in RESOURCES}
        total = sum(counts.values())
        pool_size = min(400, max(12, counts["contacts"] * 2, total // 200))
        self.pools = F.build_pools(self.ed.faker_locale, rng, pool_size)
        self.template_id = self.ids()

    # ---- time --------------------------------------------------------------------------------
    def dstr(self, epoch: int) -> str:
        day = (epoch + self.off_s) // DAY
        s = self._days.get(day)
        if s is None:
            s = self._days[day] = (date(1970, 1, 1) + timedelta(days=day)).isoformat()
        return s

    def ts(self, epoch: int) -> str:
        local = epoch + self.off_s
        day, sod = divmod(local, DAY)
        s = self._days.get(day)
        if s is None:
            s = self._days[day] = (date(1970, 1, 1) + timedelta(days=day)).isoformat()
        return f"{s}T{sod // 3600:02d}:{sod // 60 % 60:02d}:{sod % 60:02d}{self.off}"

    def add_days(self, d: str, n: int) -> str:
        return (date.fromisoformat(d) + timedelta(days=n)).isoformat()

    def when(self, lo: int | None = None, hi: int | None = None) -> int:
        lo = self.start if lo is None else lo
        hi = self.now_i if hi is None else hi
        return lo if hi <= lo else self.rng.randint(lo, hi)

    def stamp(self, d: dict, ct: int, lmt: int | None = None) -> None:
        lmt = ct if lmt is None else min(max(lmt, ct), self.now_i)
        d["created_time"] = self.ts(ct)
        d["last_modified_time"] = self.ts(lmt)
        d["_ct"] = float(ct)
        d["_lmt"] = float(lmt)

    def existing(self, resource: str) -> list[dict]:
        return self.store.values(f"books:{self.org_id}:{resource}")

    # ---- run -----------------------------------------------------------------------------------
    def run(self) -> dict[str, int]:
        for r in RESOURCES:
            getattr(self, f"gen_{r}")(self.counts[r])
        self.finish_contacts()
        self.finish_accounts()
        written: dict[str, int] = {}
        for r in RESOURCES:
            docs = self.out[r]
            if docs:
                self.store.put_many(f"books:{self.org_id}:{r}", docs)
            if self.updates[r]:
                self.store.put_many(f"books:{self.org_id}:{r}", self.updates[r])
            written[r] = len(docs)
        return written

    def edition_values(self, resource: str, src: Mapping[str, Any] | None) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in self.ed.edition_fields.get(resource, ()):
            if src is not None and f in src:
                out[f] = src[f]
            elif f == "vat_treatment":
                out[f] = "uk"
            elif f == "gst_treatment":
                out[f] = "business_gst"
            elif f == "place_of_supply":
                out[f] = "KA"
            else:
                out[f] = ""
        return out

    # ---- currencies ----------------------------------------------------------------------------
    def gen_currencies(self, n: int) -> None:
        rng = self.rng
        base_code = self.org.get("currency_code") or self.ed.currency_code
        existing = self.existing("currencies")
        have = {c["currency_code"] for c in existing}
        base_rec = next((c for c in existing if c.get("is_base_currency")), None)
        codes: list[str] = []
        if base_rec is None and n > 0:
            codes.append(base_code)
        codes += [c for c in F.FOREIGN_ORDER if c != base_code and c not in have and c not in codes]
        codes = codes[:n]
        usd_per_base = F.CURRENCIES.get(base_code, ("", "", "", 1.0))[3]
        self.currencies: dict[str, dict] = {c["currency_code"]: c for c in existing}
        ct = self.start - 30 * DAY
        for code in codes:
            name, symbol, fmt, usd = F.CURRENCIES[code]
            is_base = code == base_code and base_rec is None
            if is_base:
                cid = self.org.get("currency_id") or self.ids()
                if code == self.ed.currency_code:
                    name, symbol, fmt = self.ed.currency_name, self.ed.currency_symbol, self.ed.currency_format
            else:
                cid = self.ids()
            d = _TPL["currencies"].new()
            d.update(currency_id=cid, currency_code=code, currency_name=name,
                     currency_symbol=symbol, price_precision=0 if code == "JPY" else 2, currency_format=fmt,
                     is_base_currency=is_base, _ct=float(ct), _lmt=float(ct))
            rates = []
            if is_base:
                d["exchange_rate"], d["effective_date"] = 1.0, ""
            else:
                rate = usd / usd_per_base
                for k in range(6, 0, -1):  # monthly rates over the last half year
                    rate *= 1 + rng.uniform(-0.02, 0.02)
                    t = self.now_i - k * 30 * DAY
                    rates.append({"exchange_rate_id": self.ids(), "currency_id": cid, "currency_code": code,
                                  "effective_date": self.dstr(t), "rate": round(rate, 6)})
                d["exchange_rate"], d["effective_date"] = rates[-1]["rate"], rates[-1]["effective_date"]
                d["_lmt"] = float(self.now_i - 30 * DAY)
            d["_exchange_rates"] = rates
            self.out["currencies"][cid] = d
            self.currencies[code] = d
        base = self.currencies.get(base_code)
        self.base_code = base_code
        self.base_id = base["currency_id"] if base else (self.org.get("currency_id") or self.ids())
        self.base_symbol = base["currency_symbol"] if base else self.ed.currency_symbol
        self.foreign = [c for c in self.currencies.values() if c["currency_code"] != base_code]

    # ---- chart of accounts ----------------------------------------------------------------------
    def gen_chartofaccounts(self, n: int) -> None:
        tax_name = F.TAX_ACCOUNT_NAME.get(self.ed.tax_model, "Tax Payable")
        existing = self.existing("chartofaccounts")
        self.accounts: dict[str, dict] = {a["account_id"]: a for a in existing}
        by_name = {a["account_name"]: a for a in existing}
        self.roles: dict[str, dict] = {}
        for a in existing:
            if a.get("_role"):
                self.roles.setdefault(a["_role"], a)
        catalogue = [(tax_name if nm == F.TAX_ACCOUNT else nm, code, typ, parent, role, system)
                     for nm, code, typ, parent, role, system in F.CHART]
        for nm, _code, _typ, _parent, role, _system in catalogue:  # accounts made by hand take their role
            if role and nm in by_name:
                self.roles.setdefault(role, by_name[nm])
        extra = 1
        # Every Zoho org starts with its system chart (receivables, payables, tax, bank ...): the
        # accounts other records post to are created whenever n > 0; the count tops the chart up to n.
        picked = [e for e in catalogue if n and (e[4] or e[5]) and e[0] not in by_name]
        for entry in catalogue:
            if len(picked) >= n:
                break
            if entry[0] not in by_name and entry not in picked:
                picked.append(entry)
        while len(picked) < n:  # beyond the catalogue: user-created expense sub-accounts
            nm = f"Operating Expense {extra}"
            extra += 1
            if nm not in by_name:
                picked.append((nm, str(6500 + extra), "expense", "", "", False))
        ct = self.start - 30 * DAY
        for nm, code, typ, parent, role, system in picked:
            aid = self.ids()
            d = _TPL["chartofaccounts"].new()
            d.update(account_id=aid, account_name=nm, account_code=code, account_type=typ,
                     is_user_created=not system, is_system_account=system, is_active=True, can_show_in_ze=True,
                     currency_id=self.base_id, currency_code=self.base_code,
                     description=f"{nm} account", include_in_vat_return=self.ed.tax_model == "vat",
                     _role=role)
            par = by_name.get(parent)
            if par is not None:
                d["parent_account_id"], d["parent_account_name"] = par["account_id"], par["account_name"]
                d["depth"] = int(par.get("depth") or 0) + 1
                self._touch_parent(par)
            self.stamp(d, ct)
            by_name[nm] = d
            self.accounts[aid] = d
            self.out["chartofaccounts"][aid] = d
            if role:
                self.roles.setdefault(role, d)
        self.by_type: dict[str, list[dict]] = {}
        for a in self.accounts.values():
            self.by_type.setdefault(a["account_type"], []).append(a)
        self.expense_accounts = [a for a in self.accounts.values() if a["account_type"] == "expense"] or \
            [a for a in self.accounts.values() if a["account_type"] in ("other_expense", "cost_of_goods_sold")]

    def _touch_parent(self, par: dict) -> None:
        pid = par["account_id"]
        if pid not in self.out["chartofaccounts"]:  # an existing parent: update a copy
            par = self.updates["chartofaccounts"].get(pid) or dict(par)
            self.updates["chartofaccounts"][pid] = par
            self.accounts[pid] = par
        par["is_child_present"] = True
        par["child_count"] = int(par.get("child_count") or 0) + 1

    def role(self, name: str, needed_by: str) -> dict:
        acct = self.roles.get(name)
        if acct is None:
            raise ValueError(f"{needed_by} need the chart of accounts ({name} account): "
                             f"seed chartofaccounts first or raise its count")
        return acct

    # ---- taxes ---------------------------------------------------------------------------------
    def gen_taxes(self, n: int) -> None:
        existing = self.existing("taxes")
        self.taxes: dict[str, dict] = {t["tax_id"]: t for t in existing}
        names = {t["tax_name"] for t in existing}
        if self.ed.tax_model == "none":
            n = 0
        cands = [(r.name, r.percentage, r.tax_type, r.specific_type) for r in self.ed.tax_rates]
        cands += [(nm, p, "tax", st) for nm, p, st in F.EXTRA_TAXES.get(self.code, ())]
        cands = [c for c in cands if c[0] not in names]
        k = 1
        while len(cands) < n:
            nm = f"Local Tax {k}"
            k += 1
            if nm not in names:
                cands.append((nm, round(self.rng.uniform(1, 10), 2), "tax", ""))
        tax_acct = self.roles.get("tax") if n else None
        if n and tax_acct is None:
            raise ValueError("taxes need the chart of accounts (tax payable account)")
        ct = self.start - 29 * DAY
        first = not existing
        for nm, pct, typ, spec in cands[:n]:
            tid = self.ids()
            d = _TPL["taxes"].new()
            d.update(tax_id=tid, tax_name=nm, tax_percentage=pct, tax_type=typ, tax_factor="",
                     tax_specific_type=spec, tax_authority_id="", tax_authority_name=F.TAX_AUTHORITY.get(self.code, ""),
                     is_value_added=self.ed.tax_model in ("vat", "gst"), is_default_tax=first, is_editable=True,
                     output_tax_account_name=tax_acct["account_name"], purchase_tax_account_name=tax_acct["account_name"],
                     tax_account_id=tax_acct["account_id"], purchase_tax_account_id=tax_acct["account_id"],
                     country=self.ed.country, country_code=self.ed.country_code,
                     _ct=float(ct), _lmt=float(ct))
            first = False
            self.out["taxes"][tid] = d
            self.taxes[tid] = d
        self.tax_list = list(self.taxes.values())
        # (tax_id, tax_name, pct, pct_milli, tax_type) per tax
        self.tax_info = {t["tax_id"]: (t["tax_id"], t["tax_name"], t["tax_percentage"],
                                       calc.pct_milli(t["tax_percentage"]), t["tax_type"]) for t in self.tax_list}
        zero = [t for t in self.tax_list if not t["tax_percentage"]]
        self.zero_tax = self.tax_info[zero[0]["tax_id"]] if zero else None

    # ---- reporting tags -------------------------------------------------------------------------
    def gen_reportingtags(self, n: int) -> None:
        existing = self.existing("reportingtags")
        names = {t["tag_name"] for t in existing}
        cands = [t for t in F.REPORTING_TAGS if t[0] not in names]
        k = 1
        while len(cands) < n:
            nm = f"Dimension {k}"
            k += 1
            if nm not in names:
                cands.append((nm, "Custom dimension", ("Option A", "Option B", "Option C")))
        ct = self.start - 28 * DAY
        for nm, desc, opts in cands[:n]:
            tid = self.ids()
            d = {"tag_id": tid, "tag_name": nm, "description": desc, "is_active": True,
                 "options": [{"option_id": self.ids(), "option_name": o, "is_active": True} for o in opts],
                 "_ct": float(ct), "_lmt": float(ct)}
            self.out["reportingtags"][tid] = d
            existing.append(d)
        # flattened choices for line tags
        self.tag_choices = [{"tag_id": t["tag_id"], "tag_option_id": o["option_id"], "tag_name": t["tag_name"],
                             "tag_option_name": o["option_name"]}
                            for t in existing if t.get("is_active", True) for o in t.get("options", [])
                            if o.get("is_active", True)]

    def line_tags(self) -> list[dict]:
        tc = self.tag_choices
        if tc and self.r() < 0.3:
            return [dict(tc[int(self.r() * len(tc))])]
        return []

    # ---- items ---------------------------------------------------------------------------------
    def gen_items(self, n: int) -> None:
        rng = self.rng
        existing = self.existing("items")
        names = {i["name"] for i in existing}
        if n:
            sales = self.role("sales", "items")
            cogs = self.role("cogs", "items")
        sales_taxes = self.tax_list if self.ed.tax_model in ("vat", "gst") else []
        k = 0
        made = 0
        while made < n:
            goods = rng.random() < 0.55
            base = rng.choice(F.GOODS if goods else F.SERVICES)
            variant = F.ITEM_VARIANTS[min(k // 40, len(F.ITEM_VARIANTS) - 1)] if k >= 40 else ""
            nm = base + variant
            k += 1
            if nm in names:
                if k > 40 * len(F.ITEM_VARIANTS):
                    nm = f"{base} #{k}"
                else:
                    continue
            names.add(nm)
            made += 1
            iid = self.ids()
            rate = round(rng.choice((rng.uniform(5, 120), rng.uniform(50, 400), rng.uniform(20, 2000))), 2)
            if not goods:
                rate = round(rate / 5) * 5 or 50.0
            tax = None
            if sales_taxes:
                r = rng.random()
                tax = sales_taxes[0] if r < 0.78 or len(sales_taxes) == 1 else (
                    sales_taxes[1] if r < 0.9 or len(sales_taxes) == 2 else sales_taxes[2])
            d = _TPL["items"].new()
            d.update(item_id=iid, name=nm, status="active" if rng.random() < 0.92 else "inactive",
                     description=f"{nm} ({'goods' if goods else 'service'})", rate=rate,
                     unit=rng.choice(F.GOODS_UNITS) if goods else "hrs",
                     tax_id=tax["tax_id"] if tax else "", tax_name=tax["tax_name"] if tax else "",
                     tax_percentage=tax["tax_percentage"] if tax else 0, tax_type=tax["tax_type"] if tax else "",
                     sku=f"{'GD' if goods else 'SV'}-{1000 + len(names):05d}",
                     product_type="goods" if goods else "service", item_type="sales_and_purchases",
                     account_id=sales["account_id"], account_name=sales["account_name"],
                     purchase_rate=round(rate * rng.uniform(0.45, 0.75), 2), purchase_description=f"{nm} (purchase)",
                     purchase_account_id=cogs["account_id"])
            if tax and self.code == "in":
                d["item_tax_preferences"] = [{"tax_id": tax["tax_id"], "tax_specification": "intra"}]
            ct = self.when(self.start - 25 * DAY, self.start + 200 * DAY)
            self.stamp(d, ct, ct + rng.randint(0, 300) * DAY)
            self.out["items"][iid] = d
            existing.append(d)
        self.items = [i for i in existing if i.get("status", "active") == "active"] or existing
        # per item: (item_id, name, description, rate_cents, purchase_rate_cents, unit, product_type, tax_id)
        self.item_rows = [(i["item_id"], i["name"], i.get("description", ""), _cents(i.get("rate") or 0),
                           _cents(i.get("purchase_rate") or i.get("rate") or 0), i.get("unit", ""),
                           i.get("product_type", "goods"), i.get("tax_id", ""), i.get("sku", ""))
                          for i in self.items]

    # ---- contacts ------------------------------------------------------------------------------
    def address(self, attention: str = "") -> dict:
        p, rng = self.pools, self.rng
        state, code = rng.choice(p.states)
        return {"attention": attention, "address": rng.choice(p.streets),
                "street2": rng.choice(p.street2) if rng.random() < 0.2 else "", "state_code": code,
                "city": rng.choice(p.cities), "state": state, "zip": rng.choice(p.zips), "country": self.ed.country,
                "fax": "", "phone": rng.choice(p.phones) if rng.random() < 0.5 else ""}

    def gen_contacts(self, n: int) -> None:
        rng, p, ed = self.rng, self.pools, self.ed
        existing = self.existing("contacts")
        names = {c["contact_name"] for c in existing}
        us_taxes = [t for t in self.tax_list if self.ed.tax_model == "sales_tax"]
        nvend = max(1, round(n * 0.3)) if n >= 2 else 0
        times = sorted(self.when(self.start - 20 * DAY, self.now_i - 5 * DAY) for _ in range(n))
        for idx, ct in enumerate(times):
            vendor = idx % 10 in (3, 6, 9) if n >= 10 else (idx < nvend)
            business = rng.random() < (0.95 if vendor else 0.78)
            first, last = rng.choice(p.first_names), rng.choice(p.last_names)
            name = rng.choice(p.companies) if business else f"{first} {last}"
            if name in names:
                k = 2
                while f"{name} ({k})" in names:
                    k += 1
                name = f"{name} ({k})"
            names.add(name)
            cid = self.ids()
            domain = rng.choice(p.domains)
            foreign = self.foreign and rng.random() < 0.1
            cur = rng.choice(self.foreign) if foreign else None
            terms, label = rng.choice(F.PAYMENT_TERMS)
            persons = []
            for k in range(1 if rng.random() < 0.5 else rng.randint(2, 3)):
                fn, ln = (first, last) if k == 0 else (rng.choice(p.first_names), rng.choice(p.last_names))
                cp = _PERSON_TPL.new()
                cp.update(contact_person_id=self.ids(), salutation=rng.choice(F.SALUTATIONS), first_name=fn,
                          last_name=ln, email=f"{fn}.{ln}@{domain}".lower().replace(" ", "").replace("'", ""),
                          phone=rng.choice(p.phones), mobile=rng.choice(p.phones) if rng.random() < 0.6 else "",
                          is_primary_contact=k == 0, designation=rng.choice(F.DESIGNATIONS),
                          department=rng.choice(F.DEPARTMENTS), is_added_in_portal=False,
                          communication_preference={"is_sms_enabled": False, "is_whatsapp_enabled": False},
                          enable_portal=False)
                persons.append(cp)
            prim = persons[0]
            bill = self.address(name if business else "")
            ship = dict(bill) if rng.random() < 0.7 else self.address(name if business else "")
            d = _TPL["contacts"].new()
            d.update(contact_id=cid, contact_name=name, company_name=name if business else "",
                     contact_type="vendor" if vendor else "customer",
                     status="active" if rng.random() < 0.93 else "inactive", payment_terms=terms,
                     payment_terms_label=label, currency_id=cur["currency_id"] if cur else self.base_id,
                     currency_code=cur["currency_code"] if cur else self.base_code,
                     first_name=prim["first_name"], last_name=prim["last_name"], email=prim["email"],
                     phone=prim["phone"], mobile=prim["mobile"],
                     customer_sub_type="business" if business else "individual",
                     credit_limit=rng.choice((0, 0, 0, 5000, 10000, 25000)),
                     website=f"https://www.{domain}" if business else "",
                     primary_contact_id=prim["contact_person_id"],
                     currency_symbol=cur["currency_symbol"] if cur else self.base_symbol,
                     payment_reminder_enabled=not vendor, billing_address=bill, shipping_address=ship,
                     contact_persons=persons,
                     default_templates={"invoice_template_id": "", "estimate_template_id": "",
                                        "creditnote_template_id": "", "statement_template_id": ""},
                     notes="")
            if us_taxes and not vendor and rng.random() < 0.8:
                t = rng.choice(us_taxes)
                d.update(is_taxable=True, tax_id=t["tax_id"], tax_name=t["tax_name"],
                         tax_percentage=t["tax_percentage"])
                st = t["tax_name"][:2]
                if st in F.US_TAX_STATE:
                    bill["state"], bill["state_code"] = F.US_TAX_STATE[st], st
            elif self.ed.tax_model in ("vat", "gst"):
                d["is_taxable"] = True
            for f in ed.edition_fields.get("contacts", ()):
                if f == "vat_treatment":
                    d[f] = "uk" if not cur else ("eu_vat_registered" if cur["currency_code"] == "EUR" else "overseas")
                elif f == "vat_reg_no":
                    d[f] = f"GB{rng.randint(100000000, 999999999)}" if business and not cur else ""
                elif f == "gst_treatment":
                    d[f] = "overseas" if cur else ("business_gst" if business else "consumer")
                elif f == "gst_no":
                    d[f] = (f"29{''.join(rng.choice('ABCDEFGHJKLMNPQRSTUVWXYZ') for _ in range(5))}"
                            f"{rng.randint(1000, 9999)}A1Z{rng.randint(1, 9)}") if business and not cur else ""
                elif f == "place_of_supply":
                    d[f] = rng.choice(("KA", "MH", "TN", "DL", "GJ"))
                else:
                    d[f] = ""
            self.stamp(d, ct, ct + int(rng.random() ** 3 * (self.now_i - ct)))
            self.out["contacts"][cid] = d
            existing.append(d)
        self.contacts = {c["contact_id"]: c for c in existing}
        self.customers = [c for c in existing if c["contact_type"] == "customer"]
        self.vendors = [c for c in existing if c["contact_type"] == "vendor"]
        # contact_id -> [receivable balance cents, unused credits cents, bcy receivable, bcy unused]
        self.recv: dict[str, list[float]] = {}
        self.ctx: dict[str, tuple] = {}
        for c in existing:
            self.ctx[c["contact_id"]] = self._contact_ctx(c)

    def _contact_ctx(self, c: dict) -> tuple:
        """Per-contact values copied onto its documents."""
        ed_fields = {f: c.get(f, "") for f in self.ed.edition_fields.get("contacts", ())}
        cur = self.currencies.get(c.get("currency_code", self.base_code))
        foreign = c.get("currency_code", self.base_code) != self.base_code
        rates = cur.get("_exchange_rates") if (cur and foreign) else None
        zero_rated = foreign and self.ed.tax_model in ("vat", "gst")
        tax = self.tax_info.get(c.get("tax_id") or "") if c.get("is_taxable") else None
        prim = (c.get("contact_persons") or [{}])[0]
        assoc = {"contact_person_id": prim.get("contact_person_id", ""),
                 "contact_person_name": f"{prim.get('first_name', '')} {prim.get('last_name', '')}".strip(),
                 "contact_person_email": prim.get("email", "")} if prim else None
        return (ed_fields, rates, zero_rated, tax, assoc)

    def fx(self, rates: list | None, d: str) -> float:
        if not rates:
            return 1.0
        r = rates[0]["rate"]
        for e in rates:
            if e["effective_date"] <= d:
                r = e["rate"]
        return r

    # ---- bank accounts ---------------------------------------------------------------------------
    def gen_bankaccounts(self, n: int) -> None:
        rng = self.rng
        existing = self.existing("bankaccounts")
        names = {b["account_name"] for b in existing}
        cat = F.UK_BANK_ACCOUNT_NAMES if self.code == "uk" else F.BANK_ACCOUNT_NAMES
        cands = [c for c in cat if c[0] not in names]
        k = 2
        while len(cands) < n:
            nm = f"Business Checking {k}"
            k += 1
            if nm not in names:
                cands.append((nm, "bank"))
        banks = F.BANK_NAMES.get(self.code, F.BANK_NAMES["us"])
        ct = self.start - 20 * DAY
        for i, (nm, typ) in enumerate(cands[:n]):
            aid = self.ids()
            last4 = rng.randint(1000, 9999)
            d = _TPL["bankaccounts"].new()
            d.update(account_id=aid, account_name=nm, account_code=f"10{50 + len(existing)}",
                     currency_id=self.base_id, currency_code=self.base_code, account_type=typ,
                     account_number=f"XXXXXX{last4}", is_active=True, bank_name=rng.choice(banks),
                     routing_number=(f"{rng.randint(100000000, 999999999)}" if self.code == "us" else
                                     f"{rng.randint(10, 99)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}"
                                     if self.code == "uk" else ""),
                     is_primary_account=not existing and i == 0, currency_symbol=self.base_symbol,
                     price_precision=2, is_feeds_subscribed=typ == "bank", is_feeds_active=typ == "bank",
                     description=f"{nm} at {d.get('bank_name', '')}".strip(), _opening=0)
            d["description"] = f"{nm} ({d['bank_name']})"
            d["feeds_last_refresh_date"] = self.ts(self.now_i - rng.randint(1, 48) * 3600) if typ == "bank" else ""
            d["_ct"], d["_lmt"] = float(ct), float(ct)
            self.out["bankaccounts"][aid] = d
            existing.append(d)
            # the same account in the chart of accounts (shared account_id, as in Zoho)
            a = _TPL["chartofaccounts"].new()
            a.update(account_id=aid, account_name=nm, account_code=d["account_code"], account_type=typ,
                     is_user_created=True, is_active=True, can_show_in_ze=True, currency_id=self.base_id,
                     currency_code=self.base_code, description=d["description"],
                     include_in_vat_return=False, _role="bank")
            self.stamp(a, ct)
            self.out["chartofaccounts"][aid] = a
            self.accounts[aid] = a
        self.banks = [b for b in existing if b.get("is_active", True)] or existing
        self.deposit_banks = [b for b in self.banks if b["account_type"] == "bank"] or self.banks

    def deposit_account(self) -> dict | None:
        if self.deposit_banks and self.rng.random() < 0.8:
            return self.rng.choice(self.deposit_banks)
        return self.roles.get("undeposited") or (self.rng.choice(self.deposit_banks) if self.deposit_banks else None)

    # ---- documents: shared line building ---------------------------------------------------------
    def _line_bases(self, tpl: _Tpl) -> list[tuple[dict, int, bool, str]]:
        """Per item: a line dict with the item's fields filled (copied per line), rate, goods?, tax."""
        cache = self.__dict__.setdefault("_bases", {})
        key = id(tpl)
        if key not in cache:
            sales = self.roles.get("sales")
            out = []
            for iid, nm, desc, rate_c, _, unit, ptype, itax, _sku in self.item_rows:
                line = tpl.new()
                line.update(item_id=iid, item_type="goods" if ptype == "goods" else "service", product_type=ptype,
                            name=nm, description=desc, unit=unit,
                            account_id=sales["account_id"] if sales else "",
                            account_name=sales["account_name"] if sales else "")
                out.append((line, rate_c, ptype == "goods", itax))
            cache[key] = out
        return cache[key]

    def sales_lines(self, ctx: tuple, xr: float, tpl: _Tpl, nmax: int = 4) -> tuple[list[dict], list]:
        """Lines for a sales document: (line dicts without totals, fast-path tuples)."""
        r = self.r
        bases = self._line_bases(tpl)
        nrows = len(bases)
        _, _, zero_rated, ctax, _ = ctx
        model = self.ed.tax_model
        tax_info, ids = self.tax_info, self.ids
        tagc = self.tag_choices
        ntag = len(tagc)
        cn = tpl is _CN_LINE_TPL
        lines, fast = [], []
        k = 1 + int(r() * nmax) if r() < 0.7 else 1
        for order in range(1, k + 1):
            base, rate_c, goods, itax = bases[int(r() * nrows)]
            line = base.copy()
            if xr != 1.0:
                rate_c = int(round(rate_c / xr))
            qty = 1 + int(r() * 5) if r() < 0.8 else 6 + int(r() * 35)
            disc_c = (rate_c * qty * (5, 10, 15)[int(r() * 3)]) // 100 if r() < 0.08 else 0
            if model == "sales_tax":
                tax = ctax if (ctax and goods) else None
            elif zero_rated:
                tax = self.zero_tax
            else:
                tax = tax_info.get(itax) if itax else None
            line["line_item_id"] = ids()
            line["item_order"] = order
            line["rate"] = rate_c / 100
            line["bcy_rate"] = int(round(rate_c * xr)) / 100 if xr != 1.0 else rate_c / 100
            line["quantity"] = qty
            line["tags"] = [dict(tagc[int(r() * ntag)])] if ntag and r() < 0.3 else []
            line["time_entry_ids"] = []
            if cn:
                line["serial_numbers"] = []
            if tax:
                line["tax_id"], line["tax_name"], line["tax_percentage"], line["tax_type"] = tax[0], tax[1], tax[2], tax[4]
                fast.append((rate_c, qty, disc_c, tax[3], tax[1]))
            else:
                fast.append((rate_c, qty, disc_c, 0, ""))
            lines.append(line)
        return lines, fast

    def purchase_lines(self, ctx: tuple, xr: float, nmax: int = 3) -> tuple[list[dict], list]:
        rng = self.rng
        rows = self.item_rows
        _, _, zero_rated, _, _ = ctx
        model = self.ed.tax_model
        cogs = self.roles.get("cogs")
        lines, fast = [], []
        k = rng.randint(1, nmax) if rng.random() < 0.6 else 1
        for order in range(1, k + 1):
            line = _PURCHASE_LINE_TPL.new()
            if rows and rng.random() < 0.7:
                iid, nm, desc, _, rate_c, unit, ptype, itax, sku = rows[rng.randrange(len(rows))]
                acct = cogs
                qty = rng.randint(1, 20)
            else:
                acct = rng.choice(self.expense_accounts) if self.expense_accounts else cogs
                iid, nm, desc, unit, ptype, itax, sku = "", "", acct["account_name"] if acct else "", "", "service", "", ""
                rate_c = rng.randint(2000, 250000)
                qty = 1
                if model in ("vat", "gst") and self.tax_list:
                    itax = self.tax_list[0]["tax_id"]
            if xr != 1.0:
                rate_c = int(round(rate_c / xr))
            tax = None
            if model in ("vat", "gst"):
                tax = self.zero_tax if zero_rated else self.tax_info.get(itax)
            line.update(line_item_id=self.ids(), item_id=iid, account_id=acct["account_id"] if acct else "",
                        account_name=acct["account_name"] if acct else "", name=nm, description=desc,
                        item_order=order, bcy_rate=_amt(int(round(rate_c * xr))), rate=_amt(rate_c), quantity=qty,
                        unit=unit, tags=self.line_tags(), product_type=ptype, sku=sku)
            if tax:
                line["tax_id"], line["tax_name"], line["tax_percentage"], line["tax_type"] = tax[0], tax[1], tax[2], tax[4]
                fast.append((rate_c, qty, 0, tax[3], tax[1]))
            else:
                fast.append((rate_c, qty, 0, 0, ""))
            lines.append(line)
        return lines, fast

    @staticmethod
    def apply_totals(lines: list[dict], fast: list, purchase: bool = False) -> tuple[int, int, int, list[dict]]:
        its, lts, sub, tax_total, by_name = calc.totals_cents(fast)
        for line, it, lt, f in zip(lines, its, lts, fast):
            line["item_total"] = it / 100
            line["discount_amount"] = f[2] / 100
            line["discount"] = f[2] / 100
            if purchase:
                line["item_total_inclusive_of_tax"] = (it + lt) / 100
        taxes = [{"tax_name": n, "tax_amount": a / 100} for n, a in by_name.items()]
        return sub, tax_total, sub + tax_total, taxes

    def doc_times(self, contacts: list[dict], n: int, lo_pad: int = 0, hi: int | None = None) -> list[tuple[int, dict]]:
        r = self.r
        nc = len(contacts)
        hi = self.now_i if hi is None else hi
        out = []
        for _ in range(n):
            c = contacts[int(r() * nc)]
            lo = max(int(c.get("_ct", self.start)), self.start) + lo_pad
            out.append((lo if hi <= lo else lo + int(r() * (hi - lo)), c))
        out.sort(key=lambda x: x[0])
        return out

    def need(self, pool: list, what: str, by: str) -> None:
        if not pool:
            raise ValueError(f"{by} need {what}: none exist in organization {self.org_id} and the count is 0")

    # ---- invoices ------------------------------------------------------------------------------
    def gen_invoices(self, n: int) -> None:
        self.inv_state: list[list] = []  # [doc, balance_cents, last_app_epoch, contact_id, xr]
        if not n:
            return
        self.need(self.customers, "customers (contacts)", "invoices")
        self.need(self.item_rows, "items", "invoices")
        r, ids, ts, dstr = self.r, self.ids, self.ts, self.dstr
        self.ids.reserve(n * 4)
        numbers = calc.reserve_numbers(self.store, self.org_id, "invoices", "INV-", n)
        tpl = _TPL["invoices"]
        org_id, now_i = self.org_id, self.now_i
        out = self.out["invoices"]
        states = self.inv_state
        apply_totals, sales_lines, add_days = self.apply_totals, self.sales_lines, self.add_days
        bases: dict[str, dict] = {}
        for (ct, c), number in zip(self.doc_times(self.customers, n), numbers):
            cid = c["contact_id"]
            ctx = self.ctx[cid]
            base = bases.get(cid)
            if base is None:  # the contact's part of every invoice, built once per contact
                base = bases[cid] = tpl.base.copy()
                base.update(customer_name=c["contact_name"], customer_id=cid, currency_id=c["currency_id"],
                            currency_code=c["currency_code"], is_discount_before_tax=True,
                            discount_type="item_level", payment_terms=c.get("payment_terms", 30),
                            payment_terms_label=c.get("payment_terms_label", ""), allow_partial_payments=True,
                            price_precision=2, notes="Thanks for your business.", template_id=self.template_id,
                            template_name="Standard Template", can_send_in_mail=True, payment_reminder_enabled=True)
                base.update(self.edition_values("invoices", ctx[0]))
            d_date = dstr(ct)
            xr = self.fx(ctx[1], d_date) if ctx[1] else 1.0
            lines, fast = sales_lines(ctx, xr, _SALES_LINE_TPL)
            sub, tax_total, total, taxes = apply_totals(lines, fast)
            age = now_i - ct
            x = r()
            void = x < 0.02
            sent = void or not (age < 45 * DAY and x > 0.9)
            terms = base["payment_terms"]
            iid = ids()
            d = base.copy()
            d["invoice_id"] = iid
            d["invoice_number"] = number
            d["reference_number"] = f"PO-{10000 + int(r() * 90000)}" if r() < 0.3 else ""
            d["date"] = d_date
            d["due_date"] = add_days(d_date, terms) if terms else d_date
            d["total"] = d["balance"] = total / 100
            d["is_emailed"] = emailed = sent and r() < 0.85
            d["exchange_rate"] = xr
            d["line_items"] = lines
            d["sub_total"] = sub / 100
            d["tax_total"] = tax_total / 100
            d["taxes"] = taxes
            d["custom_fields"] = []
            d["documents"] = []
            d["contact_persons_associated"] = [dict(ctx[4])] if ctx[4] else []
            d["payment_options"] = {"payment_gateways": []}
            d["billing_address"] = dict(c.get("billing_address") or {})
            d["shipping_address"] = dict(c.get("shipping_address") or {})
            if sent:
                d["invoice_url"] = f"https://books.zoho.com/portal/{org_id}/invoices/{iid}"
            if emailed and not void and r() < 0.5:
                d["is_viewed_by_client"] = True
                d["client_viewed_time"] = ts(ct + 3600 + int(r() * 4 * DAY) if age > 5 * DAY else ct)
            d["_sent"] = sent
            d["_void"] = void
            d["_ct"] = float(ct)
            out[iid] = d
            states.append([d, total, ct, cid, xr])
        self.inv_open = self._open_index(states)

    def _open_index(self, states: list[list]) -> dict[str, list[list]]:
        """contact_id -> its open (sent, not void, balance > 0) documents, oldest first."""
        idx: dict[str, list[list]] = {}
        for st in states:
            d = st[0]
            if d.get("_sent", True) and not d.get("_void") and st[1] > 0:
                idx.setdefault(st[3], []).append(st)
        return idx

    # ---- credit notes ----------------------------------------------------------------------------
    def gen_creditnotes(self, n: int) -> None:
        if not n:
            return
        self.need(self.customers, "customers (contacts)", "creditnotes")
        self.need(self.item_rows, "items", "creditnotes")
        rng = self.rng
        numbers = calc.reserve_numbers(self.store, self.org_id, "creditnotes", "CN-", n)
        tpl = _TPL["creditnotes"]
        open_idx = getattr(self, "inv_open", {})
        for (ct, c), number in zip(self.doc_times(self.customers, n), numbers):
            cid = c["contact_id"]
            ctx = self.ctx[cid]
            d_date = self.dstr(ct)
            xr = self.fx(ctx[1], d_date)
            lines, fast = self.sales_lines(ctx, xr, _CN_LINE_TPL, nmax=2)
            sub, tax_total, total, taxes = self.apply_totals(lines, fast)
            r = rng.random()
            draft, void = r < 0.05, 0.05 <= r < 0.08
            did = self.ids()
            d = tpl.new()
            d.update(creditnote_id=did, creditnote_number=number,
                     reference_number=f"RMA-{rng.randint(100, 9999)}" if rng.random() < 0.4 else "", date=d_date,
                     total=total / 100, customer_id=cid, customer_name=c["contact_name"],
                     currency_id=c["currency_id"], currency_code=c["currency_code"],
                     is_emailed=not draft and rng.random() < 0.7, line_items=lines, taxes=taxes,
                     email=c.get("email", ""), currency_symbol=c.get("currency_symbol", self.base_symbol),
                     billing_address=dict(c.get("billing_address") or {}),
                     shipping_address=dict(c.get("shipping_address") or {}), template_id=self.template_id,
                     template_name="Standard Template", notes="Credit issued for returned goods.",
                     sub_total=sub / 100, tax_total=tax_total / 100, exchange_rate=xr, price_precision=2)
            if ctx[4]:
                d["contact_persons_associated"] = [dict(ctx[4])]
            d.update(self.edition_values("creditnotes", ctx[0]))
            used = 0
            lmt = ct
            if not draft and not void and rng.random() < 0.7:
                for st in open_idx.get(cid, ()):
                    if st[1] > 0 and st[0]["_ct"] <= ct:
                        amt = min(total - used, st[1])
                        if amt <= 0:
                            break
                        st[1] -= amt
                        st[2] = max(st[2], ct)
                        inv = st[0]
                        inv["credits_applied"] = round(inv["credits_applied"] + amt / 100, 2)
                        d["invoices"].append({"invoice_id": inv["invoice_id"], "invoice_number": inv["invoice_number"],
                                              "amount": amt / 100})
                        used += amt
                        if used >= total:
                            break
            d["total_credits_used"] = used / 100
            bal = total - used
            d["balance"] = bal / 100
            d["status"] = calc.credit_status(total, bal / 100, draft=draft, void=void)
            self.stamp(d, ct, lmt)
            d["updated_time"] = d["last_modified_time"]
            self.out["creditnotes"][did] = d
            if d["status"] == "open" and bal > 0:
                self.credit_unused(cid, bal, xr)

    def credit_unused(self, cid: str, cents: int, xr: float) -> None:
        acc = self.recv.setdefault(cid, [0, 0, 0.0, 0.0])
        acc[1] += cents
        acc[3] += cents * xr

    # ---- customer payments -----------------------------------------------------------------------
    def gen_customerpayments(self, n: int) -> None:
        states = getattr(self, "inv_state", [])
        open_idx = getattr(self, "inv_open", {})
        if n:
            self.need(self.customers, "customers (contacts)", "customerpayments")
        rng, r = self.rng, self.r
        open_custs = [cid for cid, lst in open_idx.items() if lst]
        events = []  # (epoch, contact, allocations[(state, cents)], unused cents)
        for _ in range(n):
            while open_custs:
                i = int(r() * len(open_custs))
                lst = open_idx[open_custs[i]]
                while lst and lst[0][1] <= 0:
                    lst.pop(0)
                if lst:
                    break
                open_custs[i] = open_custs[-1]
                open_custs.pop()
            if open_custs:
                cid = open_custs[i]
                lst = open_idx[cid]
                k = 1 if r() < 0.8 else min(len(lst), 2 + int(r() * 2))
                allocs = []
                t = 0
                for st in lst[:k]:
                    amt = st[1]
                    if r() < 0.12 and amt > 100:
                        amt = max(1, (amt * (25, 50, 60)[int(r() * 3)]) // 100)
                    allocs.append((st, amt))
                    t = max(t, st[2])
                inv_max = max(st[0]["_ct"] for st, _ in allocs)
                t = max(t, int(inv_max))
                t = min(self.now_i, t + int(rng.expovariate(1 / (20 * DAY))) + 3600)
                for st, amt in allocs:
                    st[1] -= amt
                    st[2] = t
                unused = rng.randint(1000, 20000) if rng.random() < 0.04 else 0
                events.append((t, self.contacts[cid], allocs, unused))
            else:  # no open invoice left: an advance payment (all unused)
                c = self.customers[rng.randrange(len(self.customers))]
                t = self.when(max(int(c.get("_ct", self.start)), self.start))
                events.append((t, c, [], rng.randint(5000, 200000)))
        events.sort(key=lambda e: e[0])
        numbers = calc.reserve_numbers(self.store, self.org_id, "customerpayments", "", len(events))
        tpl = _TPL["customerpayments"]
        pending: list[tuple[dict, dict]] = []
        for (t, c, allocs, unused), number in zip(events, numbers):
            cid = c["contact_id"]
            d_date = self.dstr(t)
            xr = allocs[0][0][4] if allocs else self.fx(self.ctx[cid][1], d_date)
            acct = self.deposit_account()
            applied = sum(a for _, a in allocs)
            amount = applied + unused
            pid = self.ids()
            d = tpl.new()
            d.update(payment_id=pid, payment_number=number,
                     invoice_number=",".join(st[0]["invoice_number"] for st, _ in allocs), date=d_date,
                     payment_mode=rng.choice(F.CUSTOMER_PAYMENT_MODES), amount=amount / 100,
                     bcy_amount=calc.money(amount * xr / 100), status="paid", customer_id=cid,
                     customer_name=c["contact_name"],
                     reference_number=f"TRX{rng.randint(100000, 999999)}" if rng.random() < 0.6 else "",
                     description="Payment received" if allocs else "Advance payment",
                     unused_amount=unused / 100, account_id=acct["account_id"] if acct else "",
                     account_name=acct["account_name"] if acct else "", email=c.get("email", ""),
                     currency_code=c["currency_code"], currency_symbol=c.get("currency_symbol", self.base_symbol),
                     currency_id=c["currency_id"], exchange_rate=xr)
            for st, amt in allocs:
                inv = st[0]
                alloc = {"invoice_id": inv["invoice_id"], "invoice_number": inv["invoice_number"],
                         "date": inv["date"], "invoice_amount": inv["total"], "amount_applied": amt / 100,
                         "balance_amount": 0.0}
                d["invoices"].append(alloc)
                pending.append((alloc, inv))
                inv["payment_made"] = round(inv["payment_made"] + amt / 100, 2)
                if d_date > (inv["last_payment_date"] or ""):
                    inv["last_payment_date"] = d_date
            self.stamp(d, t, t + (rng.randint(0, 3 * DAY) if rng.random() < 0.2 else 0))
            self.out["customerpayments"][pid] = d
            if unused:
                self.credit_unused(cid, unused, xr)
        # final invoice balances, statuses, timestamps; receivables per contact
        today, ts, r = self.today, self.ts, self.r
        due_cache: dict[str, str] = {}
        status_of = calc.invoice_status
        recv = self.recv
        for st in states:
            inv, bal, last, cid, xr = st
            inv["balance"] = bal / 100
            # cents in, same rules: the status depends only on comparisons
            status = status_of(_cents(inv["total"]), bal,
                               inv["due_date"], today, sent=inv.pop("_sent"), void=inv.pop("_void"),
                               viewed=inv["is_viewed_by_client"])
            inv["status"] = status
            if status not in ("paid", "void", "draft"):
                due = inv["due_date"]
                txt = due_cache.get(due)
                if txt is None:
                    txt = due_cache[due] = calc.due_days_text(due, today)
                inv["due_days"] = txt
                if status == "overdue":
                    inv["reminders_sent"] = n_rem = int(r() * 4)
                    if n_rem:
                        inv["last_reminder_sent_date"] = min(today, self.add_days(due, 1 + int(r() * 7)))
                if bal > 0:
                    acc = recv.get(cid)
                    if acc is None:
                        acc = recv[cid] = [0, 0, 0.0, 0.0]
                    acc[0] += bal
                    acc[2] += bal * xr
            ct = int(inv["_ct"])
            lmt = max(last, ct + (int(r() * 2 * DAY) if r() < 0.3 else 0))
            if lmt > self.now_i:
                lmt = self.now_i
            inv["created_time"] = ts(ct)
            inv["last_modified_time"] = ts(lmt)
            inv["_lmt"] = float(lmt)
        for alloc, inv in pending:
            alloc["balance_amount"] = inv["balance"]

    # ---- bills, vendor credits, vendor payments ----------------------------------------------------
    def gen_bills(self, n: int) -> None:
        self.bill_state: list[list] = []
        if not n:
            self.bill_open: dict[str, list[list]] = {}
            return
        self.need(self.vendors, "vendors (contacts)", "bills")
        rng = self.rng
        numbers = calc.reserve_numbers(self.store, self.org_id, "bills", "BILL-", n)
        tpl = _TPL["bills"]
        for (ct, c), number in zip(self.doc_times(self.vendors, n), numbers):
            cid = c["contact_id"]
            ctx = self.ctx[cid]
            d_date = self.dstr(ct)
            xr = self.fx(ctx[1], d_date)
            lines, fast = self.purchase_lines(ctx, xr)
            sub, tax_total, total, taxes = self.apply_totals(lines, fast, purchase=True)
            void = rng.random() < 0.02
            terms = c.get("payment_terms", 30)
            bid = self.ids()
            d = tpl.new()
            d.update(bill_id=bid, vendor_id=cid, vendor_name=c["contact_name"], bill_number=number,
                     reference_number=f"INV-{rng.randint(10000, 99999)}" if rng.random() < 0.7 else "",
                     date=d_date, due_date=self.add_days(d_date, terms), currency_id=c["currency_id"],
                     currency_code=c["currency_code"], price_precision=2, exchange_rate=xr, total=total / 100,
                     line_items=lines, sub_total=sub / 100, tax_total=tax_total / 100, taxes=taxes,
                     billing_address=dict(c.get("billing_address") or {}), payment_terms=terms,
                     payment_terms_label=c.get("payment_terms_label", ""), created_by_id=self.template_id,
                     _void=void, _ct=float(ct))
            d.update(self.edition_values("bills", ctx[0]))
            self.out["bills"][bid] = d
            self.bill_state.append([d, total, ct, cid, xr])
        self.bill_open = self._open_index(self.bill_state)

    def gen_vendorcredits(self, n: int) -> None:
        if not n:
            return
        self.need(self.vendors, "vendors (contacts)", "vendorcredits")
        rng = self.rng
        numbers = calc.reserve_numbers(self.store, self.org_id, "vendorcredits", "DN-", n)
        tpl = _TPL["vendorcredits"]
        open_idx = getattr(self, "bill_open", {})
        for (ct, c), number in zip(self.doc_times(self.vendors, n), numbers):
            cid = c["contact_id"]
            ctx = self.ctx[cid]
            d_date = self.dstr(ct)
            xr = self.fx(ctx[1], d_date)
            lines, fast = self.purchase_lines(ctx, xr, nmax=2)
            sub, tax_total, total, taxes = self.apply_totals(lines, fast, purchase=True)
            r = rng.random()
            draft, void = r < 0.05, 0.05 <= r < 0.08
            vid = self.ids()
            d = tpl.new()
            d.update(vendor_credit_id=vid, vendor_credit_number=number,
                     reference_number=f"CR-{rng.randint(100, 9999)}" if rng.random() < 0.5 else "", date=d_date,
                     total=total / 100, vendor_id=cid, vendor_name=c["contact_name"], currency_id=c["currency_id"],
                     currency_code=c["currency_code"], exchange_rate=xr, price_precision=2, line_items=lines,
                     sub_total=sub / 100, tax_total=tax_total / 100, taxes=taxes, notes="Vendor credit")
            d.update(self.edition_values("vendorcredits", ctx[0]))
            used = 0
            if not draft and not void and rng.random() < 0.7:
                for st in open_idx.get(cid, ()):
                    if st[1] > 0 and st[0]["_ct"] <= ct:
                        amt = min(total - used, st[1])
                        if amt <= 0:
                            break
                        st[1] -= amt
                        st[2] = max(st[2], ct)
                        bill = st[0]
                        link = self.ids()
                        bill["vendor_credits_applied"] = round(bill["vendor_credits_applied"] + amt / 100, 2)
                        bill["vendor_credits"].append({"vendor_credit_id": vid, "vendor_credit_bill_id": link,
                                                       "vendor_credit_number": number, "date": d_date,
                                                       "amount": amt / 100})
                        d["bills_credited"].append({"vendor_credit_id": vid, "bill_id": bill["bill_id"],
                                                    "vendor_credit_bill_id": link, "date": d_date,
                                                    "bill_number": bill["bill_number"], "amount": amt / 100})
                        used += amt
                        if used >= total:
                            break
            d["total_credits_used"] = used / 100
            d["balance"] = (total - used) / 100
            d["status"] = calc.credit_status(total, d["balance"], draft=draft, void=void)
            self.stamp(d, ct)
            self.out["vendorcredits"][vid] = d

    def gen_vendorpayments(self, n: int) -> None:
        states = getattr(self, "bill_state", [])
        open_idx = getattr(self, "bill_open", {})
        if n:
            self.need(self.vendors, "vendors (contacts)", "vendorpayments")
        rng = self.rng
        open_vendors = [cid for cid, lst in open_idx.items() if lst]
        events = []
        for _ in range(n):
            while open_vendors:
                i = rng.randrange(len(open_vendors))
                lst = open_idx[open_vendors[i]]
                while lst and lst[0][1] <= 0:
                    lst.pop(0)
                if lst:
                    break
                open_vendors[i] = open_vendors[-1]
                open_vendors.pop()
            if open_vendors:
                cid = open_vendors[i]
                lst = open_idx[cid]
                k = 1 if rng.random() < 0.8 else min(len(lst), 2)
                allocs = []
                t = 0
                for st in lst[:k]:
                    amt = st[1]
                    if rng.random() < 0.1 and amt > 100:
                        amt = max(1, amt // 2)
                    allocs.append((st, amt))
                    t = max(t, st[2], int(st[0]["_ct"]))
                t = min(self.now_i, t + int(rng.expovariate(1 / (25 * DAY))) + 3600)
                for st, amt in allocs:
                    st[1] -= amt
                    st[2] = t
                events.append((t, self.contacts[cid], allocs, 0))
            else:
                c = self.vendors[rng.randrange(len(self.vendors))]
                t = self.when(max(int(c.get("_ct", self.start)), self.start))
                events.append((t, c, [], rng.randint(5000, 100000)))
        events.sort(key=lambda e: e[0])
        numbers = calc.reserve_numbers(self.store, self.org_id, "vendorpayments", "", len(events))
        tpl = _TPL["vendorpayments"]
        for (t, c, allocs, unused), number in zip(events, numbers):
            cid = c["contact_id"]
            d_date = self.dstr(t)
            xr = allocs[0][0][4] if allocs else self.fx(self.ctx[cid][1], d_date)
            acct = rng.choice(self.banks) if self.banks else self.roles.get("petty")
            amount = sum(a for _, a in allocs) + unused
            mode = rng.choice(F.VENDOR_PAYMENT_MODES)
            pid = self.ids()
            d = tpl.new()
            d.update(payment_id=pid, vendor_id=cid, vendor_name=c["contact_name"],
                     bill_numbers=",".join(st[0]["bill_number"] for st, _ in allocs), payment_mode=mode,
                     payment_number=number, description="Payment made" if allocs else "Advance payment",
                     date=d_date, reference_number=f"REF{rng.randint(10000, 99999)}" if rng.random() < 0.5 else "",
                     exchange_rate=xr, amount=amount / 100, bcy_amount=calc.money(amount * xr / 100),
                     paid_through_account_id=acct["account_id"] if acct else "",
                     paid_through_account_name=acct["account_name"] if acct else "",
                     paid_through_account_type=acct["account_type"] if acct else "",
                     balance=unused / 100, bcy_balance=calc.money(unused * xr / 100),
                     is_paid_via_print_check=mode == "Check" and rng.random() < 0.5,
                     currency_id=c["currency_id"], currency_code=c["currency_code"],
                     currency_symbol=c.get("currency_symbol", self.base_symbol),
                     billing_address=dict(c.get("billing_address") or {}))
            if mode == "Check":
                d["check_details"] = [{"check_number": str(rng.randint(1000, 9999)), "memo": ""}]
            for st, amt in allocs:
                bill = st[0]
                bp = self.ids()
                d["bills"].append({"bill_payment_id": bp, "bill_id": bill["bill_id"], "bill_number": bill["bill_number"],
                                   "date": bill["date"], "amount_applied": amt / 100, "tax_amount_withheld": 0})
                bill["payment_made"] = round(bill["payment_made"] + amt / 100, 2)
                bill["payments"].append({"payment_id": pid, "bill_payment_id": bp, "payment_mode": mode,
                                         "date": d_date, "amount": amt / 100, "reference_number": d["reference_number"],
                                         "paid_through_account_name": d["paid_through_account_name"]})
            self.stamp(d, t)
            self.out["vendorpayments"][pid] = d
        today = self.today
        for st in states:
            bill, bal, last, cid, xr = st
            bill["balance"] = bal / 100
            bill["status"] = calc.bill_status(bill["total"], bill["balance"], bill["due_date"], today,
                                              void=bill.pop("_void"))
            bill["due_days"] = calc.due_days_text(bill["due_date"], today) if bill["status"] not in ("paid", "void") else ""
            ct = int(bill["_ct"])
            self.stamp(bill, ct, last)

    # ---- estimates, sales orders, purchase orders ---------------------------------------------------
    def _drafts(self, n: int, resource: str, prefix: str, purchase: bool = False):
        """The part estimates, sales orders and purchase orders share: contact, date, number, lines,
        totals, currency and addresses. Yields (created epoch, contact, contact context, draft doc)."""
        pool, label = (self.vendors, "vendors (contacts)") if purchase else (self.customers, "customers (contacts)")
        self.need(pool, label, resource)
        if not purchase:
            self.need(self.item_rows, "items", resource)
        numbers = calc.reserve_numbers(self.store, self.org_id, resource, prefix, n)
        tpl = _TPL[resource]
        number_field = {"estimates": "estimate_number", "salesorders": "salesorder_number",
                        "purchaseorders": "purchaseorder_number"}[resource]
        for (ct, c), number in zip(self.doc_times(pool, n), numbers):
            ctx = self.ctx[c["contact_id"]]
            d_date = self.dstr(ct)
            xr = self.fx(ctx[1], d_date)
            if purchase:
                lines, fast = self.purchase_lines(ctx, xr)
            else:
                lines, fast = self.sales_lines(ctx, xr, _SALES_LINE_TPL)
            sub, tax_total, total, taxes = self.apply_totals(lines, fast, purchase=purchase)
            d = tpl.new()
            d.update({number_field: number}, date=d_date, currency_id=c["currency_id"],
                     currency_code=c["currency_code"], total=total / 100, sub_total=sub / 100,
                     tax_total=tax_total / 100, taxes=taxes, line_items=lines, exchange_rate=xr, price_precision=2,
                     billing_address=dict(c.get("billing_address") or {}), template_id=self.template_id)
            if not purchase:
                d.update(customer_name=c["contact_name"], customer_id=c["contact_id"], discount_type="item_level",
                         is_discount_before_tax=True, shipping_address=dict(c.get("shipping_address") or {}))
                if ctx[4]:
                    d["contact_persons_associated"] = [dict(ctx[4])]
            d.update(self.edition_values(resource, ctx[0]))
            yield ct, c, d

    def gen_estimates(self, n: int) -> None:
        if not n:
            return
        rng = self.rng
        for ct, c, d in self._drafts(n, "estimates", "EST-"):
            expiry = self.add_days(d["date"], 30)
            status = rng.choices(("draft", "sent", "accepted", "declined", "invoiced"), (10, 35, 25, 10, 20))[0]
            if status == "sent" and expiry < self.today:
                status = "expired"
            eid = self.ids()
            lmt = ct
            d.update(estimate_id=eid, status=status, expiry_date=expiry, template_name="Standard Template")
            if status in ("accepted", "declined", "invoiced"):
                t = min(self.now_i, ct + rng.randint(1, 20) * DAY)
                d["accepted_date" if status != "declined" else "declined_date"] = self.dstr(t)
                lmt = t
            if status != "draft" and rng.random() < 0.5:
                d["is_viewed_by_client"] = True
                d["client_viewed_time"] = self.ts(min(self.now_i, ct + 7200))
            self.stamp(d, ct, lmt)
            self.out["estimates"][eid] = d

    def gen_salesorders(self, n: int) -> None:
        if not n:
            return
        rng = self.rng
        for ct, c, d in self._drafts(n, "salesorders", "SO-"):
            days = rng.randint(3, 30)
            ship = self.add_days(d["date"], days)
            status = rng.choices(("draft", "open", "invoiced", "partially_invoiced", "closed", "void"),
                                 (8, 25, 40, 8, 15, 4))[0]
            if status == "open" and ship < self.today:
                status = "overdue"
            sid = self.ids()
            d.update(salesorder_id=sid, status=status, shipment_date=ship, shipment_days=days,
                     bcy_total=calc.money(d["total"] * d["exchange_rate"]), is_emailed=status != "draft",
                     delivery_method=rng.choice(("Courier", "Pickup", "Freight", "")))
            self.stamp(d, ct, ct + rng.randint(0, 10) * DAY if status != "draft" else ct)
            self.out["salesorders"][sid] = d

    def gen_purchaseorders(self, n: int) -> None:
        if not n:
            return
        rng = self.rng
        for ct, c, d in self._drafts(n, "purchaseorders", "PO-", purchase=True):
            status = rng.choices(("draft", "open", "billed", "cancelled"), (10, 25, 58, 7))[0]
            deliv = self.add_days(d["date"], rng.randint(5, 21))
            pid = self.ids()
            d.update(purchaseorder_id=pid, vendor_id=c["contact_id"], vendor_name=c["contact_name"], status=status,
                     delivery_date=deliv, expected_delivery_date=deliv, is_emailed=status != "draft",
                     delivery_address={"address": self.org.get("name", ""), "city": "", "state": "", "zip": "",
                                       "country": self.ed.country},
                     ship_via=rng.choice(("Courier", "Freight", "")), attention=c.get("first_name", ""),
                     can_mark_as_bill=status == "open", created_by_id=self.template_id)
            self.stamp(d, ct, ct + rng.randint(0, 15) * DAY if status != "draft" else ct)
            self.out["purchaseorders"][pid] = d

    # ---- expenses ----------------------------------------------------------------------------------
    def gen_expenses(self, n: int) -> None:
        if not n:
            return
        if not self.expense_accounts:
            raise ValueError("expenses need expense accounts in the chart of accounts")
        rng = self.rng
        tpl = _TPL["expenses"]
        vat = self.ed.tax_model in ("vat", "gst") and self.tax_list
        paid = list(self.banks) + ([self.roles["petty"]] if "petty" in self.roles else [])
        if not paid:
            raise ValueError("expenses need a bank account or a petty cash account")
        invoices = list(self.out["invoices"].values())
        times = sorted(self.when() for _ in range(n))
        for ct in times:
            acct = rng.choice(self.expense_accounts)
            pay = rng.choice(paid)
            amount_c = rng.randint(500, 60000)
            tax = self.tax_info[self.tax_list[0]["tax_id"]] if vat and rng.random() < 0.7 else None
            tax_c = calc.line_tax_cents(amount_c, tax[3]) if tax else 0
            total_c = amount_c + tax_c
            billable = bool(self.customers) and rng.random() < 0.25
            cust = rng.choice(self.customers) if billable else None
            vendor = rng.choice(self.vendors) if self.vendors and rng.random() < 0.5 else None
            eid = self.ids()
            d = tpl.new()
            desc = rng.choice(F.EXPENSE_DESCRIPTIONS)
            inv = None
            if billable:
                own = [i for i in invoices[-200:] if i["customer_id"] == cust["contact_id"]]
                inv = own[-1] if own and rng.random() < 0.4 else None
                status = "invoiced" if inv else "unbilled"
            else:
                status = "reimbursed" if pay.get("_role") == "petty" and rng.random() < 0.5 else "non-billable"
            d.update(expense_id=eid, date=self.dstr(ct), account_name=acct["account_name"], description=desc,
                     currency_id=self.base_id, currency_code=self.base_code, bcy_total=total_c / 100,
                     bcy_total_without_tax=amount_c / 100, total=total_c / 100, total_without_tax=amount_c / 100,
                     is_billable=billable, reference_number=f"RCPT-{rng.randint(1000, 99999)}",
                     customer_id=cust["contact_id"] if cust else "", customer_name=cust["contact_name"] if cust else "",
                     status=status, expense_receipt_name=f"receipt_{eid[-6:]}.pdf" if rng.random() < 0.5 else "",
                     mileage_unit="", expense_type="non-mileage", account_id=acct["account_id"],
                     paid_through_account_name=pay["account_name"], paid_through_account_id=pay["account_id"],
                     tax_id=tax[0] if tax else "", tax_name=tax[1] if tax else "", tax_percentage=tax[2] if tax else 0,
                     tax_amount=tax_c / 100, exchange_rate=1.0, sub_total=amount_c / 100, amount=total_c / 100,
                     is_inclusive_tax=False, is_personal=False, invoice_id=inv["invoice_id"] if inv else "",
                     invoice_number=inv["invoice_number"] if inv else "",
                     line_item={"line_item_id": self.ids(), "account_id": acct["account_id"],
                                "account_name": acct["account_name"], "description": desc, "amount": amount_c / 100,
                                "tax_id": tax[0] if tax else "", "tax_amount": tax_c / 100,
                                "item_total": amount_c / 100},
                     transaction_id=eid, transaction_type="expense",
                     vendor_id=vendor["contact_id"] if vendor else "", vendor_name=vendor["contact_name"] if vendor else "")
            d.update(self.edition_values("expenses", None))
            self.stamp(d, ct)
            self.out["expenses"][eid] = d

    # ---- journals ----------------------------------------------------------------------------------
    def gen_journals(self, n: int) -> None:
        if not n:
            return
        accts = [a for a in self.accounts.values() if a["account_type"] not in ("accounts_receivable", "accounts_payable")]
        if len(accts) < 2:
            raise ValueError("journals need at least two accounts in the chart of accounts")
        rng = self.rng
        numbers = calc.reserve_numbers(self.store, self.org_id, "journals", "JE-", n)
        tpl = _TPL["journals"]
        times = sorted(self.when() for _ in range(n))
        for ct, number in zip(times, numbers):
            k = rng.randint(2, 4)
            picks = rng.sample(accts, k)
            total_c = rng.randint(5000, 500000)
            # one side holds one line, the other side splits the same total
            debit_first = rng.random() < 0.5
            splits = sorted(rng.sample(range(1, total_c), k - 2)) if k > 2 else []
            parts = [b - a for a, b in zip([0] + splits, splits + [total_c])]
            lines = []
            for j, (acct, amt) in enumerate(zip(picks, [total_c] + parts)):
                side = ("debit" if debit_first else "credit") if j == 0 else ("credit" if debit_first else "debit")
                ln = _JOURNAL_LINE_TPL.new()
                ln.update(line_id=self.ids(), account_id=acct["account_id"], account_name=acct["account_name"],
                          description=rng.choice(F.JOURNAL_NOTES), debit_or_credit=side, amount=amt / 100,
                          bcy_amount=amt / 100, tags=self.line_tags())
                lines.append(ln)
            jid = self.ids()
            d = tpl.new()
            status = "published" if rng.random() < 0.9 else "draft"
            d.update(journal_id=jid, journal_date=self.dstr(ct), entry_number=number,
                     reference_number=f"ADJ-{rng.randint(100, 9999)}" if rng.random() < 0.5 else "",
                     currency_id=self.base_id, notes=rng.choice(F.JOURNAL_NOTES), journal_type="both",
                     entity_type="journal", total=total_c / 100, bcy_total=total_c / 100, custom_field=[],
                     line_items=lines, currency_code=self.base_code, currency_symbol=self.base_symbol,
                     exchange_rate=1.0, line_item_total=total_c / 100, price_precision=2, status=status,
                     include_in_vat_return=self.ed.tax_model == "vat")
            d.update(self.edition_values("journals", None))
            self.stamp(d, ct)
            self.out["journals"][jid] = d

    # ---- bank transactions -------------------------------------------------------------------------
    _BANK_TYPES = (("deposit", 1, 20), ("sales_without_invoices", 1, 6), ("interest_income", 1, 3),
                   ("other_income", 1, 3), ("owner_contribution", 1, 2), ("expense_refund", 1, 2),
                   ("refund", -1, 3), ("card_payment", -1, 12), ("transfer_fund", -1, 5),
                   ("owner_drawings", -1, 2), ("sales_return", -1, 2), ("expense", -1, 20),
                   ("vendor_payment", -1, 10), ("customer_payment", 1, 10))

    def gen_banktransactions(self, n: int) -> None:
        if not n:
            return
        self.need(self.banks, "bank accounts", "banktransactions")
        rng = self.rng
        tpl = _TPL["banktransactions"]
        kinds = [k for k in self._BANK_TYPES]
        weights = [k[2] for k in kinds]
        times = sorted(self.when() for _ in range(n))
        income = self.roles.get("sales")
        equity = self.roles.get("equity")
        self.bank_moves: dict[str, list[int]] = {}  # account -> [balance cents, uncategorized count]
        for ct in times:
            bank = rng.choice(self.banks)
            typ, sign, _ = rng.choices(kinds, weights)[0]
            amount_c = rng.randint(1000, 400000 if sign > 0 else 150000)
            status = rng.choices(("categorized", "uncategorized", "manually_added", "matched", "excluded"),
                                 (45, 20, 15, 15, 5))[0]
            cust = rng.choice(self.customers) if sign > 0 and self.customers and typ in ("deposit", "customer_payment") else None
            vend = rng.choice(self.vendors) if sign < 0 and self.vendors and typ in ("vendor_payment", "expense") else None
            payee = cust["contact_name"] if cust else (vend["contact_name"] if vend else rng.choice(F.BANK_PAYEES))
            offset = (income if sign > 0 else (rng.choice(self.expense_accounts) if self.expense_accounts else None))
            if typ in ("owner_contribution", "owner_drawings"):
                offset = equity
            tid = self.ids()
            d = tpl.new()
            imported = status != "manually_added"
            d.update(transaction_id=tid, date=self.dstr(ct), amount=amount_c / 100, transaction_type=typ,
                     status=status, source="feeds" if imported else "manual", account_id=bank["account_id"],
                     account_name=bank["account_name"], account_type=bank["account_type"], price_precision=2,
                     customer_id=cust["contact_id"] if cust else "", payee=payee,
                     description=f"{typ.replace('_', ' ').title()} - {payee}", currency_id=self.base_id,
                     currency_code=self.base_code, currency_symbol=self.base_symbol,
                     debit_or_credit="debit" if sign > 0 else "credit",
                     offset_account_name=offset["account_name"] if (offset and status != "uncategorized") else "",
                     is_offsetaccount_matched=status == "matched",
                     reference_number=f"BT{rng.randint(100000, 999999)}" if rng.random() < 0.5 else "",
                     imported_transaction_id=self.ids() if imported else "",
                     customer_name=cust["contact_name"] if cust else "",
                     vendor_id=vend["contact_id"] if vend else "", vendor_name=vend["contact_name"] if vend else "",
                     payment_mode="Bank Transfer", sub_total=amount_c / 100, total=amount_c / 100,
                     bcy_total=amount_c / 100)
            if sign > 0:
                d.update(to_account_id=bank["account_id"], to_account_name=bank["account_name"],
                         from_account_id=offset["account_id"] if offset else "",
                         from_account_name=offset["account_name"] if offset else "")
            else:
                d.update(from_account_id=bank["account_id"], from_account_name=bank["account_name"],
                         to_account_id=offset["account_id"] if offset else "",
                         to_account_name=offset["account_name"] if offset else "")
            if imported:
                d["imported_transactions"] = [{"imported_transaction_id": d["imported_transaction_id"],
                                               "date": d["date"], "amount": d["amount"], "payee": payee,
                                               "description": d["description"], "status": status}]
            self.stamp(d, ct, ct + (rng.randint(0, 5) * DAY if status != "uncategorized" else 0))
            self.out["banktransactions"][tid] = d
            mv = self.bank_moves.setdefault(bank["account_id"], [0, 0])
            if status != "excluded":
                mv[0] += sign * amount_c
            if status == "uncategorized":
                mv[1] += 1

    # ---- account transactions -----------------------------------------------------------------------
    def gen_accounttransactions(self, n: int) -> None:
        self.acct_moves: dict[str, int] = {}  # account_id -> debit - credit (cents)
        if not n:
            return
        if not self.accounts:
            raise ValueError("accounttransactions need the chart of accounts")
        rng = self.rng
        tpl = _TPL["accounttransactions"]
        ar, ap, sales = self.roles.get("ar"), self.roles.get("ap"), self.roles.get("sales")
        sources = []
        for inv in self.out["invoices"].values():
            if inv["status"] not in ("draft", "void"):
                sources.append(("invoice", inv, inv["invoice_id"], inv["date"], inv["invoice_number"],
                                inv["customer_id"], inv["customer_name"], inv["total"], inv["exchange_rate"], ar, sales, "debit"))
        for bill in self.out["bills"].values():
            if bill["status"] != "void":
                exp = self.expense_accounts[0] if self.expense_accounts else None
                sources.append(("bill", bill, bill["bill_id"], bill["date"], bill["bill_number"], bill["vendor_id"],
                                bill["vendor_name"], bill["total"], bill["exchange_rate"], ap, exp, "credit"))
        for p in self.out["customerpayments"].values():
            acct = self.accounts.get(p["account_id"])
            sources.append(("customer_payment", p, p["payment_id"], p["date"], p["payment_number"], p["customer_id"],
                            p["customer_name"], p["amount"], p["exchange_rate"], acct, ar, "debit"))
        for p in self.out["vendorpayments"].values():
            acct = self.accounts.get(p["paid_through_account_id"])
            sources.append(("vendor_payment", p, p["payment_id"], p["date"], p["payment_number"], p["vendor_id"],
                            p["vendor_name"], p["amount"], p["exchange_rate"], acct, ap, "credit"))
        for e in self.out["expenses"].values():
            sources.append(("expense", e, e["expense_id"], e["date"], e["reference_number"], e["customer_id"],
                            e["vendor_name"], e["total"], 1.0, self.accounts.get(e["account_id"]),
                            self.accounts.get(e["paid_through_account_id"]), "debit"))
        sources = [s for s in sources if s[9] is not None]
        if not sources:  # nothing to post from: generic manual entries between two accounts
            accts = list(self.accounts.values())
            for _ in range(n):
                t = self.when()
                a, b = rng.choice(accts), rng.choice(accts)
                amt = rng.randint(1000, 100000) / 100
                sources.append(("journal", {"_ct": t}, "", self.dstr(t), "", "", "", amt, 1.0, a, b, "debit"))
        picks = sorted(rng.choices(sources, k=n), key=lambda s: s[3])
        for typ, doc, src_id, d_date, number, cid, payee, amount, xr, acct, offset, side in picks:
            tid = self.ids()
            bcy = calc.money(amount * xr)
            d = tpl.new()
            d.update(categorized_transaction_id=src_id, transaction_type=typ, transaction_status="posted",
                     transaction_source=typ, transaction_id=tid, transaction_date=d_date,
                     account_id=acct["account_id"], customer_id=cid, payee=payee,
                     description=f"{typ.replace('_', ' ').title()} {number}".strip(), entry_number=number,
                     currency_id=self.base_id, currency_code=self.base_code, debit_or_credit=side,
                     offset_account_name=offset["account_name"] if offset else "",
                     reference_number=doc.get("reference_number", "") if isinstance(doc, dict) else "",
                     reconcile_status="reconciled" if rng.random() < 0.3 else "unreconciled",
                     debit_amount=bcy if side == "debit" else 0.0, credit_amount=bcy if side == "credit" else 0.0)
            ct = int(doc.get("_ct", self.now_i))
            self.stamp(d, ct)
            self.out["accounttransactions"][tid] = d
            delta = _cents(bcy) * (1 if side == "debit" else -1)
            self.acct_moves[acct["account_id"]] = self.acct_moves.get(acct["account_id"], 0) + delta

    # ---- finishing -----------------------------------------------------------------------------------
    def finish_contacts(self) -> None:
        """outstanding_receivable_amount = sum of open invoice balances; unused credits likewise."""
        for cid, c in self.contacts.items():
            new = cid in self.out["contacts"]
            acc = self.recv.get(cid)
            if acc is None:
                if new:
                    c["has_transaction"] = False
                continue
            if not new:
                c = self.updates["contacts"].get(cid) or dict(c)
                self.updates["contacts"][cid] = c
                acc = [acc[0] + _cents(c.get("outstanding_receivable_amount") or 0),
                       acc[1] + _cents(c.get("unused_credits_receivable_amount") or 0),
                       acc[2] + _cents(c.get("outstanding_receivable_amount_bcy") or 0),
                       acc[3] + _cents(c.get("unused_credits_receivable_amount_bcy") or 0)]
            c["outstanding_receivable_amount"] = acc[0] / 100
            c["unused_credits_receivable_amount"] = acc[1] / 100
            c["outstanding_receivable_amount_bcy"] = calc.money(acc[2] / 100)
            c["unused_credits_receivable_amount_bcy"] = calc.money(acc[3] / 100)
            c["has_transaction"] = True
        for resource, key in (("invoices", "customer_id"), ("bills", "vendor_id"), ("expenses", "customer_id"),
                              ("salesorders", "customer_id"), ("estimates", "customer_id")):
            for d in self.out[resource].values():
                c = self.out["contacts"].get(d.get(key, ""))
                if c is not None:
                    c["has_transaction"] = True

    def finish_accounts(self) -> None:
        debit_normal = {"other_asset", "other_current_asset", "cash", "bank", "fixed_asset", "accounts_receivable",
                        "expense", "cost_of_goods_sold", "other_expense", "stock", "intangible_asset"}
        moves = getattr(self, "acct_moves", {})
        bank_moves = getattr(self, "bank_moves", {})
        for aid, d in list(self.out["bankaccounts"].items()):
            mv = bank_moves.get(aid, [0, 0])
            bal = mv[0] / 100
            d.update(balance=bal, bank_balance=bal, bcy_balance=bal, uncategorized_transactions=mv[1])
        for aid, a in self.out["chartofaccounts"].items():
            if aid in self.out["bankaccounts"]:
                bal = self.out["bankaccounts"][aid]["balance"]
            else:
                c = moves.get(aid, 0)
                bal = (c if a["account_type"] in debit_normal else -c) / 100
            a["current_balance"] = bal
            a["closing_balance"] = bal
            a["is_involved_in_transaction"] = bool(moves.get(aid) or (aid in bank_moves))


__all__ = ["DEFAULT_COUNTS", "RESOURCES", "KEYS", "seed_organization", "resolve_counts"]
