"""The seeder's working parts: the run (org, edition, clock, ids, rng, output), record templates
built from the resource descriptions, and the small records generators hand to each other.

Generators (``reference.py``, ``documents.py``, ``ledger.py``) are functions of a ``Seeder``:
what one produces for the next lives in named fields of ``References`` (org-level data) and
``Ledger`` (open documents, receivables, money moved), never in positional lists.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Mapping

from .. import calc
from .. import fakedata as F
from ..editions import EDITIONS, Edition
from ..keys import id_counter, parse_offset, record_ns
from ..fields import (CONTACT_PERSON_STORED, CREDITNOTE_LINE, EDITION_DEFAULTS, JOURNAL_LINE, PURCHASE_LINE, SALES_LINE,
                      default_for)
from ..resources import SPECS

DAY = 86400
SPAN_DAYS = 730  # seeded history: two years up to now

# Edition fields of a seeded record the contact does not supply (our choice: Karnataka for GST).
SEED_EDITION_DEFAULTS = {**EDITION_DEFAULTS, "place_of_supply": "KA"}


class RecordTemplate:
    """One dict copy per record with every key of a field set at its default (fields.default_for),
    fresh containers for array and object keys."""

    __slots__ = ("base", "arrays", "objects")

    def __init__(self, keys: tuple[str, ...]) -> None:
        defaults = {k: default_for(k) for k in keys}
        self.base = {k: v for k, v in defaults.items() if not isinstance(v, (list, dict))}
        self.arrays = tuple(k for k, v in defaults.items() if isinstance(v, list))
        self.objects = tuple((k, v) for k, v in defaults.items() if isinstance(v, dict))  # flat: copied per record

    def new(self) -> dict[str, Any]:
        d = self.base.copy()
        for k in self.arrays:
            d[k] = []
        for k, v in self.objects:
            d[k] = v.copy()
        return d


TEMPLATES: dict[str, RecordTemplate] = {name: RecordTemplate(spec.stored_fields) for name, spec in SPECS.items()}
SALES_LINE_TEMPLATE = RecordTemplate(SALES_LINE)
CREDITNOTE_LINE_TEMPLATE = RecordTemplate(CREDITNOTE_LINE)
PURCHASE_LINE_TEMPLATE = RecordTemplate(PURCHASE_LINE)
JOURNAL_LINE_TEMPLATE = RecordTemplate(JOURNAL_LINE)
PERSON_TEMPLATE = RecordTemplate(CONTACT_PERSON_STORED)  # a contact's embedded person


class IdBlock:
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


# ---- what generators hand to each other ---------------------------------------------------------
@dataclass(frozen=True, slots=True)
class TaxRate:
    tax_id: str
    name: str
    percentage: float
    pct_milli: int  # calc.pct_milli(percentage)
    tax_type: str


@dataclass(frozen=True, slots=True)
class ItemRow:
    """What document lines copy from an item (rates in cents)."""

    item_id: str
    name: str
    description: str
    rate_c: int
    purchase_rate_c: int
    unit: str
    product_type: str
    tax_id: str
    sku: str


@dataclass(frozen=True, slots=True)
class PartyTerms:
    """Per-contact values copied onto its documents."""

    edition_values: dict[str, Any]  # the contact's edition fields
    rates: list | None  # its foreign currency's exchange rates (None: base currency)
    zero_rated: bool  # a foreign customer of a VAT/GST org
    tax: TaxRate | None  # a US customer's sales tax
    person: dict[str, str] | None  # its primary person, as contact_persons_associated


@dataclass(slots=True)
class OpenDoc:
    """An invoice or bill that payments and credits may settle (through ``settle`` only)."""

    doc: dict[str, Any]
    contact_id: str
    xr: float  # exchange rate of its date
    last: int  # epoch of its last settlement (or creation)
    balance_c: int  # doc["balance"] in cents, kept in step by ``settle`` (the planners compare it often)

    def settle(self, cents: int, at: int, *, applied: str = "payment_made", paid_on: str | None = None) -> None:
        """Apply ``cents`` of a payment or credit made at epoch ``at`` (calc.settle, as writes do)."""
        calc.settle(self.doc, cents / 100, applied=applied, paid_on=paid_on)
        self.balance_c -= cents
        if at > self.last:
            self.last = at


@dataclass(slots=True)
class Receivable:
    """A customer's open invoice balances and unused credits (cents), and their base-currency values."""

    outstanding: int = 0
    unused: int = 0
    outstanding_bcy: float = 0.0
    unused_bcy: float = 0.0


@dataclass(slots=True)
class BankMove:
    balance: int = 0  # cents
    uncategorized: int = 0


@dataclass
class References:
    """Org-level data the transactions draw on (existing records included when re-seeding)."""

    base_code: str = ""
    base_id: str = ""
    base_symbol: str = ""
    currencies: dict[str, dict] = field(default_factory=dict)  # code -> currency
    foreign: list[dict] = field(default_factory=list)
    accounts: dict[str, dict] = field(default_factory=dict)  # account_id -> chart account
    roles: dict[str, dict] = field(default_factory=dict)  # "ar", "sales", "tax", ... -> account
    expense_accounts: list[dict] = field(default_factory=list)
    taxes: list[dict] = field(default_factory=list)
    tax_authorities: list[dict] = field(default_factory=list)
    tax_rates: dict[str, TaxRate] = field(default_factory=dict)
    zero_tax: TaxRate | None = None
    tag_choices: list[dict] = field(default_factory=list)
    items: list[ItemRow] = field(default_factory=list)
    contacts: dict[str, dict] = field(default_factory=dict)
    customers: list[dict] = field(default_factory=list)
    vendors: list[dict] = field(default_factory=list)
    terms: dict[str, PartyTerms] = field(default_factory=dict)  # contact_id -> its terms
    banks: list[dict] = field(default_factory=list)
    deposit_banks: list[dict] = field(default_factory=list)


@dataclass
class Ledger:
    """What transactions leave for later ones and for the finishing step."""

    invoices: list[OpenDoc] = field(default_factory=list)
    open_invoices: dict[str, list[OpenDoc]] = field(default_factory=dict)  # contact_id -> oldest first
    bills: list[OpenDoc] = field(default_factory=list)
    open_bills: dict[str, list[OpenDoc]] = field(default_factory=dict)
    receivables: dict[str, Receivable] = field(default_factory=dict)
    bank_moves: dict[str, BankMove] = field(default_factory=dict)
    account_moves: dict[str, int] = field(default_factory=dict)  # account_id -> debit - credit (cents)

    def receivable(self, contact_id: str) -> Receivable:
        acc = self.receivables.get(contact_id)
        if acc is None:
            acc = self.receivables[contact_id] = Receivable()
        return acc

    def credit_unused(self, contact_id: str, cents: int, xr: float) -> None:
        acc = self.receivable(contact_id)
        acc.unused += cents
        acc.unused_bcy += cents * xr


def open_index(docs: list[OpenDoc]) -> dict[str, list[OpenDoc]]:
    """contact_id -> its open (sent, not void, balance > 0) documents, oldest first."""
    idx: dict[str, list[OpenDoc]] = {}
    for od in docs:
        d = od.doc
        if d.get("_sent", True) and not d.get("_void") and od.balance_c > 0:
            idx.setdefault(od.contact_id, []).append(od)
    return idx


def cents(x: float) -> int:
    return int(round(x * 100))


class Seeder:
    """One seeding run for one organisation: its clock, ids, randomness, output and references."""

    def __init__(self, emulator, org: Mapping[str, Any], counts: dict[str, int], rng: random.Random) -> None:
        self.store = emulator.store
        self.org = org
        self.org_id = str(org["organization_id"])
        code = org.get("edition") or org.get("_edition") or "global"
        if code not in EDITIONS:
            raise ValueError(f"unknown edition {code!r} for organization {self.org_id}")
        self.ed: Edition = EDITIONS[code]
        self.code = code
        self.off = (org.get("_utc_offset") or self.ed.utc_offset).replace(":", "")
        self.off_s = int(parse_offset(self.off).total_seconds())
        self.counts = counts
        self.rng = rng
        self.r = rng.random
        self.now_i = int(float(emulator.clock.now())) - 1
        self.start = self.now_i - SPAN_DAYS * DAY
        self._days: dict[int, str] = {}
        self.today = self.dstr(self.now_i)
        base = org.get("_id_base")
        self.ids = IdBlock(self.store, id_counter(self.org_id), int(base) if base is not None else int(self.org_id))
        self.out: dict[str, dict[str, dict]] = {r: {} for r in SPECS}
        self.updates: dict[str, dict[str, dict]] = {r: {} for r in SPECS}
        pool_size = min(400, max(12, counts["contacts"] * 2, sum(counts.values()) // 200))
        self.pools = F.build_pools(self.ed.faker_locale, rng, pool_size)
        self.template_id = self.ids()
        self.refs = References()
        self.ledger = Ledger()
        self.line_bases: dict[RecordTemplate, list] = {}  # sales line template -> per-item line bases

    # ---- time --------------------------------------------------------------------------------
    def _day(self, day: int) -> str:
        s = self._days[day] = (date(1970, 1, 1) + timedelta(days=day)).isoformat()
        return s

    def dstr(self, epoch: int) -> str:
        """The org-local date of ``epoch``."""
        day = (epoch + self.off_s) // DAY
        return self._days.get(day) or self._day(day)

    def ts(self, epoch: int) -> str:
        """Zoho's timestamp of ``epoch`` in the org's offset."""
        day, sod = divmod(epoch + self.off_s, DAY)
        return f"{self._days.get(day) or self._day(day)}T{sod // 3600:02d}:{sod // 60 % 60:02d}:{sod % 60:02d}{self.off}"

    @staticmethod
    def add_days(d: str, n: int) -> str:
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

    def doc_times(self, contacts: list[dict], n: int) -> list[tuple[int, dict]]:
        """``n`` (created epoch, contact) pairs, each after its contact was created, oldest first."""
        r = self.r
        nc = len(contacts)
        hi = self.now_i
        out = []
        for _ in range(n):
            c = contacts[int(r() * nc)]
            lo = max(int(c.get("_ct", self.start)), self.start)
            out.append((lo if hi <= lo else lo + int(r() * (hi - lo)), c))
        out.sort(key=lambda x: x[0])
        return out

    # ---- records -------------------------------------------------------------------------------
    def existing(self, resource: str) -> list[dict]:
        return self.store.values(record_ns(self.org_id, resource))

    def new(self, resource: str) -> dict[str, Any]:
        """A record of ``resource`` with every stored key at its default."""
        return TEMPLATES[resource].new()

    def new_base(self, resource: str) -> dict[str, Any]:
        """Its scalar keys only: the caller sets every array and object key itself."""
        return TEMPLATES[resource].base.copy()

    def add(self, resource: str, d: dict[str, Any]) -> str:
        """Keep a new record for writing; returns its id."""
        rid = d[SPECS[resource].id_field]
        self.out[resource][rid] = d
        return rid

    def numbers(self, resource: str, n: int) -> list[str]:
        """``n`` document numbers from the resource's series (the write path's too)."""
        series, prefix = SPECS[resource].number_series  # type: ignore[misc]
        return calc.reserve_numbers(self.store, self.org_id, series, prefix, n)

    def edition_values(self, resource: str, src: Mapping[str, Any] | None) -> dict[str, Any]:
        """The org edition's fields of ``resource``: the contact's values, else our defaults."""
        out: dict[str, Any] = {}
        for f in self.ed.edition_fields.get(resource, ()):
            out[f] = src[f] if src is not None and f in src else SEED_EDITION_DEFAULTS.get(f, default_for(f))
        return out

    def need(self, pool: list, what: str, by: str) -> None:
        if not pool:
            raise ValueError(f"{by} need {what}: none exist in organization {self.org_id} and the count is 0")

    def role(self, name: str, needed_by: str) -> dict:
        acct = self.refs.roles.get(name)
        if acct is None:
            raise ValueError(f"{needed_by} need the chart of accounts ({name} account): "
                             f"seed chartofaccounts first or raise its count")
        return acct

    def fx(self, rates: list | None, d: str) -> float:
        """The exchange rate in force on date ``d`` (1.0 for the base currency)."""
        if not rates:
            return 1.0
        r = rates[0]["rate"]
        for e in rates:
            if e["effective_date"] <= d:
                r = e["rate"]
        return r

    def write(self, resources: tuple[str, ...]) -> dict[str, int]:
        """Store everything made (and the existing records updated); returns how many records were
        made per resource."""
        written: dict[str, int] = {}
        for r in resources:
            docs = self.out[r]
            if docs:
                self.store.put_many(record_ns(self.org_id, r), docs)
            if self.updates[r]:
                self.store.put_many(record_ns(self.org_id, r), self.updates[r])
            written[r] = len(docs)
        return written
