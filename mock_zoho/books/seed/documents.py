"""Documents with lines and what settles them: invoices, credit notes, customer payments, bills,
vendor credits, vendor payments, estimates, sales orders and purchase orders.

Totals come from ``calc.totals_units`` and every payment or credit moves its invoice or bill through
``calc.settle``: the arithmetic of the write path. Credit notes and vendor credits are one generator
(``CreditKind`` says how they differ), customer and vendor payments share one planner (``PaymentPlan``).
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any, Callable, Iterator

from .. import calc
from .. import fakedata as F
from ..checks import check_details, is_check
from ..fields import DELIVERY_ADDRESS, PO_TEMPLATE_PAGE, TEMPLATE_NAME, VENDORCREDIT_LINE_EXTRA, default_for
from ..refund_rows import ACCOUNT_NAME, REFUND_ROWS
from ..resources import SPECS
from ..rules import REFUNDED
from .base import (CREDITNOTE_LINE_TEMPLATE, DAY, PURCHASE_LINE_TEMPLATE, SALES_LINE_TEMPLATE, OpenDoc, PartyTerms,
                   RecordTemplate, Seeder, cents, open_index)
from .reference import deposit_account


# ---- lines and totals ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class LineBase:
    """An item's part of every sales line that sells it (copied per line)."""

    line: dict[str, Any]
    rate_c: int
    goods: bool
    tax_id: str


def _line_bases(sd: Seeder, tpl: RecordTemplate) -> list[LineBase]:
    bases = sd.line_bases.get(tpl)
    if bases is None:
        sales = sd.refs.roles.get("sales")
        bases = []
        for it in sd.refs.items:
            line = tpl.new()
            line.update(item_id=it.item_id, item_type="goods" if it.product_type == "goods" else "service",
                        product_type=it.product_type, name=it.name, description=it.description, unit=it.unit,
                        account_id=sales["account_id"] if sales else "",
                        account_name=sales["account_name"] if sales else "")
            bases.append(LineBase(line, it.rate_c, it.product_type == "goods", it.tax_id))
        sd.line_bases[tpl] = bases
    return bases


def _line_tags(sd: Seeder) -> list[dict]:
    tc = sd.refs.tag_choices
    if tc and sd.r() < 0.3:
        return [dict(tc[int(sd.r() * len(tc))])]
    return []


def sales_lines(sd: Seeder, terms: PartyTerms, xr: float, tpl: RecordTemplate,
                nmax: int = 4) -> tuple[list[dict], list[tuple]]:
    """Lines of a sales document: (line dicts without totals, their amounts in cents as
    calc.LineAmounts-ordered plain tuples: the hot loop of a large seed)."""
    r, refs, ids = sd.r, sd.refs, sd.ids
    bases = _line_bases(sd, tpl)
    nrows = len(bases)
    model = sd.ed.tax_model
    tagc = refs.tag_choices
    ntag = len(tagc)
    lines, amounts = [], []
    k = 1 + int(r() * nmax) if r() < 0.7 else 1
    for order in range(1, k + 1):
        base = bases[int(r() * nrows)]
        line = base.line.copy()
        rate_c = base.rate_c
        if xr != 1.0:
            rate_c = int(round(rate_c / xr))
        qty = 1 + int(r() * 5) if r() < 0.8 else 6 + int(r() * 35)
        disc_c = (rate_c * qty * (5, 10, 15)[int(r() * 3)]) // 100 if r() < 0.08 else 0
        if model == "sales_tax":
            tax = terms.tax if (terms.tax and base.goods) else None
        elif terms.zero_rated:
            tax = refs.zero_tax
        else:
            tax = refs.tax_rates.get(base.tax_id) if base.tax_id else None
        for key in tpl.arrays:  # the copy shares the base's lists
            line[key] = []
        line["line_item_id"] = ids()
        line["item_order"] = order
        line["rate"] = rate_c / 100
        line["bcy_rate"] = int(round(rate_c * xr)) / 100 if xr != 1.0 else rate_c / 100
        line["quantity"] = qty
        if ntag and r() < 0.3:
            line["tags"] = [dict(tagc[int(r() * ntag)])]
        if tax:
            line["tax_id"], line["tax_name"], line["tax_percentage"], line["tax_type"] = (
                tax.tax_id, tax.name, tax.percentage, tax.tax_type)
            amounts.append((rate_c * qty, disc_c, tax.pct_milli, tax.name))  # calc.LineAmounts as a plain tuple
        else:
            amounts.append((rate_c * qty, disc_c, 0, None))
        lines.append(line)
    return lines, amounts


def purchase_lines(sd: Seeder, terms: PartyTerms, xr: float, nmax: int = 3) -> tuple[list[dict], list[tuple]]:
    """Lines of a purchase document: items bought at their purchase rate, or expense-account lines."""
    rng, refs = sd.rng, sd.refs
    rows = refs.items
    model = sd.ed.tax_model
    cogs = refs.roles.get("cogs")
    lines, amounts = [], []
    k = rng.randint(1, nmax) if rng.random() < 0.6 else 1
    for order in range(1, k + 1):
        line = PURCHASE_LINE_TEMPLATE.new()
        if rows and rng.random() < 0.7:
            it = rows[rng.randrange(len(rows))]
            iid, nm, desc, rate_c, unit, ptype, itax, sku = (it.item_id, it.name, it.description, it.purchase_rate_c,
                                                             it.unit, it.product_type, it.tax_id, it.sku)
            acct = cogs
            qty = rng.randint(1, 20)
        else:
            acct = rng.choice(refs.expense_accounts) if refs.expense_accounts else cogs
            iid, nm, desc, unit, ptype, itax, sku = "", "", acct["account_name"] if acct else "", "", "service", "", ""
            rate_c = rng.randint(2000, 250000)
            qty = 1
            if model in ("vat", "gst") and refs.taxes:
                itax = refs.taxes[0]["tax_id"]
        if xr != 1.0:
            rate_c = int(round(rate_c / xr))
        tax = None
        if model in ("vat", "gst"):
            tax = refs.zero_tax if terms.zero_rated else refs.tax_rates.get(itax)
        line.update(line_item_id=sd.ids(), item_id=iid, account_id=acct["account_id"] if acct else "",
                    account_name=acct["account_name"] if acct else "", name=nm, description=desc,
                    item_order=order, bcy_rate=int(round(rate_c * xr)) / 100, rate=rate_c / 100, quantity=qty,
                    unit=unit, tags=_line_tags(sd), product_type=ptype, sku=sku)
        if tax:
            line["tax_id"], line["tax_name"], line["tax_percentage"], line["tax_type"] = (
                tax.tax_id, tax.name, tax.percentage, tax.tax_type)
            amounts.append((rate_c * qty, 0, tax.pct_milli, tax.name))  # calc.LineAmounts as a plain tuple
        else:
            amounts.append((rate_c * qty, 0, 0, None))
        lines.append(line)
    return lines, amounts


def totals(lines: list[dict], amounts: list[tuple], purchase: bool = False) -> tuple[calc.Totals, dict]:
    """Complete the lines from ``calc.totals_units``; returns the totals (cents) and the document's
    money fields (sub_total, tax_total, taxes)."""
    t = calc.totals_units(amounts)
    for line, it, lt, (_, discount, _, _) in zip(lines, t.item_totals, t.line_taxes, amounts):
        line["item_total"] = it / 100
        line["discount_amount"] = line["discount"] = discount / 100
        if purchase:
            line["item_total_inclusive_of_tax"] = (it + lt) / 100
    money = {"sub_total": t.sub_total / 100, "tax_total": t.tax_total / 100,
             "taxes": [{"tax_name": n, "tax_amount": a / 100} for n, a in t.taxes.items()]}
    return t, money


# ---- invoices --------------------------------------------------------------------------------------
def gen_invoices(sd: Seeder, n: int) -> None:
    if not n:
        return
    refs, ledger = sd.refs, sd.ledger
    sd.need(refs.customers, "customers (contacts)", "invoices")
    sd.need(refs.items, "items", "invoices")
    r, ids, ts, dstr, add_days = sd.r, sd.ids, sd.ts, sd.dstr, sd.add_days
    ids.reserve(n * 4)
    numbers = sd.numbers("invoices", n)
    id_field = SPECS["invoices"].id_field
    org_id, now_i = sd.org_id, sd.now_i
    out = sd.out["invoices"]
    bases: dict[str, dict] = {}
    for (ct, c), number in zip(sd.doc_times(refs.customers, n), numbers):
        cid = c["contact_id"]
        terms = refs.terms[cid]
        base = bases.get(cid)
        if base is None:  # the contact's part of every invoice, built once per contact
            base = bases[cid] = sd.new_base("invoices")
            base.update(customer_name=c["contact_name"], customer_id=cid, currency_id=c["currency_id"],
                        currency_code=c["currency_code"], is_discount_before_tax=True,
                        discount_type="item_level", payment_terms=c.get("payment_terms", 30),
                        payment_terms_label=c.get("payment_terms_label", ""), allow_partial_payments=True,
                        price_precision=2, notes="Thanks for your business.", template_id=sd.template_id,
                        template_name=TEMPLATE_NAME, can_send_in_mail=True, payment_reminder_enabled=True)
            base.update(sd.edition_values("invoices", terms.edition_values))
            base["contact_persons_details"] = [_person_details(terms.person)] if terms.person else []
        d_date = dstr(ct)
        xr = sd.fx(terms.rates, d_date) if terms.rates else 1.0
        lines, amounts = sales_lines(sd, terms, xr, SALES_LINE_TEMPLATE)
        t, money = totals(lines, amounts)
        age = now_i - ct
        x = r()
        void = x < 0.02
        sent = void or not (age < 45 * DAY and x > 0.9)
        due_in = base["payment_terms"]
        iid = ids()
        d = base.copy()
        d[id_field] = iid
        d["invoice_number"] = number
        d["reference_number"] = f"PO-{10000 + int(r() * 90000)}" if r() < 0.3 else ""
        d["date"] = d_date
        d["due_date"] = add_days(d_date, due_in) if due_in else d_date
        d["total"] = d["balance"] = t.total / 100
        d["is_emailed"] = emailed = sent and r() < 0.85
        d["exchange_rate"] = xr
        d["line_items"] = lines
        d.update(money)
        d["custom_fields"] = []
        d["documents"] = []
        d["contact_persons_associated"] = [dict(terms.person)] if terms.person else []
        d["contact_persons_details"] = base["contact_persons_details"]
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
        ledger.invoices.append(OpenDoc(d, cid, xr, ct, t.total))
    ledger.open_invoices = open_index(ledger.invoices)


def close_invoices(sd: Seeder) -> None:
    """Once credits and payments are in: statuses, due days, reminders, timestamps, receivables."""
    today, ts, r, now_i = sd.today, sd.ts, sd.r, sd.now_i
    due_cache: dict[str, str] = {}
    for od in sd.ledger.invoices:
        inv = od.doc
        bal = od.balance_c
        # cents in, same rules: the status depends only on comparisons
        status = calc.invoice_status(cents(inv["total"]), bal, inv["due_date"], today, sent=inv.pop("_sent"),
                                     void=inv.pop("_void"), viewed=inv["is_viewed_by_client"])
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
                    inv["last_reminder_sent_date"] = min(today, sd.add_days(due, 1 + int(r() * 7)))
            if bal > 0:
                acc = sd.ledger.receivable(od.contact_id)
                acc.outstanding += bal
                acc.outstanding_bcy += bal * od.xr
        ct = int(inv["_ct"])
        lmt = max(od.last, ct + (int(r() * 2 * DAY) if r() < 0.3 else 0))
        if lmt > now_i:
            lmt = now_i
        inv["created_time"] = ts(ct)
        inv["last_modified_time"] = ts(lmt)
        inv["_lmt"] = float(lmt)


# ---- credit notes and vendor credits ---------------------------------------------------------------
@dataclass(frozen=True)
class CreditKind:
    """What tells a credit note from a vendor credit; the generator is the same."""

    resource: str
    party: str  # "customer" | "vendor"
    applied: str  # the settled document's running total: credits_applied | vendor_credits_applied
    reference: tuple[str, float]  # reference_number prefix and how often one is set
    fields: Callable[[Seeder, dict, dict, bool], None]  # its own fields (doc, contact, draft)
    link: Callable[[Seeder, dict, dict, int], None]  # record one application (credit, settled doc, cents)
    finish: Callable[[Seeder, dict, str, int, float], None]  # after status (credit, contact_id, unused, xr)

    @property
    def purchase(self) -> bool:
        return self.party == "vendor"


def _creditnote_fields(sd: Seeder, d: dict, c: dict, draft: bool) -> None:
    d.update(is_emailed=not draft and sd.rng.random() < 0.7, email=c.get("email", ""),
             currency_symbol=c.get("currency_symbol", sd.refs.base_symbol),
             billing_address=dict(c.get("billing_address") or {}),
             shipping_address=dict(c.get("shipping_address") or {}), template_id=sd.template_id,
             template_name=TEMPLATE_NAME, notes="Credit issued for returned goods.")
    for line in d["line_items"]:  # credit-notes.yml: an integer, 1 for a product, 2 for a service
        line["type"] = 1 if line.get("product_type") == "goods" else 2
    person = sd.refs.terms[c["contact_id"]].person
    if person:
        d["contact_persons_associated"] = [dict(person)]
        d["contact_persons"] = [person["contact_person_id"]]


def _creditnote_link(sd: Seeder, d: dict, inv: dict, amt: int) -> None:
    d["invoices"].append({"invoice_id": inv["invoice_id"], "invoice_number": inv["invoice_number"], "amount": amt / 100})


def _creditnote_finish(sd: Seeder, d: dict, cid: str, unused: int, xr: float) -> None:
    d["updated_time"] = d["last_modified_time"]
    if d["status"] == "open" and unused > 0:
        sd.ledger.credit_unused(cid, unused, xr)


def _vendorcredit_fields(sd: Seeder, d: dict, c: dict, draft: bool) -> None:
    d["notes"] = "Vendor credit"
    d["comments"] = []  # comment rows (vendor-credits.yml); none seeded
    for line in d["line_items"]:
        line.update({f: default_for(f) for f in VENDORCREDIT_LINE_EXTRA})


def _vendorcredit_link(sd: Seeder, d: dict, bill: dict, amt: int) -> None:
    link = sd.ids()
    vid, number, d_date = d["vendor_credit_id"], d["vendor_credit_number"], d["date"]
    bill["vendor_credits"].append({"vendor_credit_id": vid, "vendor_credit_bill_id": link,
                                   "vendor_credit_number": number, "date": d_date, "amount": amt / 100})
    d["bills_credited"].append({"vendor_credit_id": vid, "bill_id": bill["bill_id"], "vendor_credit_bill_id": link,
                                "date": d_date, "bill_number": bill["bill_number"], "amount": amt / 100})


CREDIT_NOTES = CreditKind("creditnotes", "customer", "credits_applied", ("RMA-", 0.4), _creditnote_fields,
                          _creditnote_link, _creditnote_finish)
VENDOR_CREDITS = CreditKind("vendorcredits", "vendor", "vendor_credits_applied", ("CR-", 0.5), _vendorcredit_fields,
                            _vendorcredit_link, lambda *_: None)


def gen_credits(sd: Seeder, n: int, kind: CreditKind) -> None:
    """Credits, most of them applied to the contact's open invoices or bills, oldest first."""
    if not n:
        return
    refs, rng, spec = sd.refs, sd.rng, SPECS[kind.resource]
    pool = refs.vendors if kind.purchase else refs.customers
    sd.need(pool, f"{kind.party}s (contacts)", kind.resource)
    if not kind.purchase:
        sd.need(refs.items, "items", kind.resource)
    open_idx = sd.ledger.open_bills if kind.purchase else sd.ledger.open_invoices
    prefix, often = kind.reference
    for (ct, c), number in zip(sd.doc_times(pool, n), sd.numbers(kind.resource, n)):
        cid = c["contact_id"]
        terms = refs.terms[cid]
        d_date = sd.dstr(ct)
        xr = sd.fx(terms.rates, d_date)
        if kind.purchase:
            lines, amounts = purchase_lines(sd, terms, xr, nmax=2)
        else:
            lines, amounts = sales_lines(sd, terms, xr, CREDITNOTE_LINE_TEMPLATE, nmax=2)
        t, money = totals(lines, amounts, purchase=kind.purchase)
        total = t.total
        x = rng.random()
        draft, void = x < 0.05, 0.05 <= x < 0.08
        d = sd.new(kind.resource)
        d.update({spec.id_field: sd.ids(), spec.number_field: number, f"{kind.party}_id": cid,
                  f"{kind.party}_name": c["contact_name"]},
                 reference_number=f"{prefix}{rng.randint(100, 9999)}" if rng.random() < often else "",
                 date=d_date, total=total / 100, currency_id=c["currency_id"], currency_code=c["currency_code"],
                 exchange_rate=xr, price_precision=2, line_items=lines, **money)
        kind.fields(sd, d, c, draft)
        d.update(sd.edition_values(kind.resource, terms.edition_values))
        used = 0
        if not draft and not void and rng.random() < 0.7:
            for od in open_idx.get(cid, ()):
                bal = od.balance_c
                if bal > 0 and od.doc["_ct"] <= ct:
                    amt = min(total - used, bal)
                    if amt <= 0:
                        break
                    od.settle(amt, ct, applied=kind.applied)
                    kind.link(sd, d, od.doc, amt)
                    used += amt
                    if used >= total:
                        break
        d["total_credits_used"] = used / 100
        refunded = 0 if draft or void else seed_refund(sd, kind, d, total - used, xr)
        d["balance"] = (total - used - refunded) / 100
        d["status"] = calc.credit_status(total, d["balance"], draft=draft, void=void)
        sd.stamp(d, ct)
        kind.finish(sd, d, cid, total - used - refunded, xr)
        sd.add(kind.resource, d)


REFUND_SHARE = 0.25  # of the credits with something left, how many had part of it paid back


def seed_refund(sd: Seeder, kind: CreditKind, d: dict, left: int, xr: float) -> int:
    """Maybe one refund of part of what is left of a credit (cents), stored where ``refund_rows`` says,
    as the refunds facet stores one (the row, ``_refunded`` and the visible total). Drawn from the credit's
    own random stream, so the seeder's other draws are what they were (only later ids move by one)."""
    rng = random.Random(f"refund:{d[SPECS[kind.resource].id_field]}")
    if left <= 0 or rng.random() >= REFUND_SHARE:
        return 0
    where = REFUND_ROWS[kind.resource]
    amount = max(1, left * rng.choice((1, 2, 4)) // 4)
    banks = sd.refs.deposit_banks
    account = banks[rng.randrange(len(banks))] if banks else {}
    row = {where.row_id: sd.ids(), where.parent_field: d[SPECS[kind.resource].id_field],
           "date": d["date"], "refund_mode": rng.choice(("cash", "check", "bank_transfer")), "payment_form": "cash",
           "reference_number": f"RF-{rng.randint(100, 9999)}", "description": "Refund of the unused credit",
           where.account: account.get("account_id", ""), ACCOUNT_NAME[where.account]: account.get("account_name", ""),
           "amount": amount / 100, "exchange_rate": xr, "amount_fcy": amount / 100,
           "amount_bcy": calc.money(amount * xr / 100), "customer_name": d.get(where.name_field, ""),
           where.number_field: d.get(where.number_field, ""), "imported_transactions": []}
    d[where.key] = [row]
    d[REFUNDED] = amount / 100
    d[where.refunded] = amount / 100
    return amount


def gen_creditnotes(sd: Seeder, n: int) -> None:
    gen_credits(sd, n, CREDIT_NOTES)


def gen_vendorcredits(sd: Seeder, n: int) -> None:
    gen_credits(sd, n, VENDOR_CREDITS)


# ---- payments --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PaymentPlan:
    """How one kind of payment picks what it settles; customer and vendor payments differ only here."""

    party: str
    pick: Callable[[Seeder, int], int]  # which of n contacts with open documents pays next
    spread: Callable[[Seeder, int], int]  # how many of its n open documents one payment settles
    part: Callable[[Seeder, int], int]  # what is paid of a balance (cents)
    mean_delay_days: int  # between the document (or its last payment) and the payment
    unused: Callable[[Seeder], int]  # an overpayment left unused (cents)
    advance_max: int  # an advance payment's largest amount (cents), when nothing is open
    dated: bool  # the settled document records the payment date (invoices' last_payment_date)


@dataclass(slots=True)
class PaymentEvent:
    t: int
    contact: dict
    allocations: list[tuple[OpenDoc, int]]  # (settled document, cents)
    unused: int


CUSTOMER_PLAN = PaymentPlan(
    party="customer", pick=lambda sd, n: int(sd.r() * n),
    spread=lambda sd, n: 1 if sd.r() < 0.8 else min(n, 2 + int(sd.r() * 2)),
    part=lambda sd, amt: max(1, (amt * (25, 50, 60)[int(sd.r() * 3)]) // 100) if sd.r() < 0.12 and amt > 100 else amt,
    mean_delay_days=20, unused=lambda sd: sd.rng.randint(1000, 20000) if sd.rng.random() < 0.04 else 0,
    advance_max=200000, dated=True)
VENDOR_PLAN = PaymentPlan(
    party="vendor", pick=lambda sd, n: sd.rng.randrange(n),
    spread=lambda sd, n: 1 if sd.rng.random() < 0.8 else min(n, 2),
    part=lambda sd, amt: max(1, amt // 2) if sd.rng.random() < 0.1 and amt > 100 else amt,
    mean_delay_days=25, unused=lambda sd: 0, advance_max=100000, dated=False)


def plan_payments(sd: Seeder, n: int, plan: PaymentPlan, open_idx: dict[str, list[OpenDoc]],
                  pool: list[dict]) -> list[PaymentEvent]:
    """``n`` payments in time order, each settling (calc.settle) some of a contact's open documents,
    oldest first; once nothing is open, advance payments."""
    rng = sd.rng
    open_contacts = [cid for cid, lst in open_idx.items() if lst]
    events = []
    for _ in range(n):
        i = 0
        while open_contacts:
            i = plan.pick(sd, len(open_contacts))
            lst = open_idx[open_contacts[i]]
            while lst and lst[0].balance_c <= 0:
                lst.pop(0)
            if lst:
                break
            open_contacts[i] = open_contacts[-1]
            open_contacts.pop()
        if not open_contacts:  # nothing open: an advance payment (all unused)
            c = pool[rng.randrange(len(pool))]
            t = sd.when(max(int(c.get("_ct", sd.start)), sd.start))
            events.append(PaymentEvent(t, c, [], rng.randint(5000, plan.advance_max)))
            continue
        cid = open_contacts[i]
        lst = open_idx[cid]
        k = plan.spread(sd, len(lst))
        allocs = [(od, plan.part(sd, od.balance_c)) for od in lst[:k]]
        t = max(max(od.last, int(od.doc["_ct"])) for od, _ in allocs)
        t = min(sd.now_i, t + int(rng.expovariate(1 / (plan.mean_delay_days * DAY))) + 3600)
        paid_on = sd.dstr(t) if plan.dated else None
        for od, amt in allocs:
            od.settle(amt, t, paid_on=paid_on)
        events.append(PaymentEvent(t, sd.refs.contacts[cid], allocs, plan.unused(sd)))
    events.sort(key=lambda e: e.t)
    return events


def gen_customerpayments(sd: Seeder, n: int) -> None:
    refs, rng = sd.refs, sd.rng
    if n:
        sd.need(refs.customers, "customers (contacts)", "customerpayments")
    events = plan_payments(sd, n, CUSTOMER_PLAN, sd.ledger.open_invoices, refs.customers)
    pending: list[tuple[dict, dict]] = []
    for ev, number in zip(events, sd.numbers("customerpayments", len(events))):
        c, allocs, unused = ev.contact, ev.allocations, ev.unused
        cid = c["contact_id"]
        d_date = sd.dstr(ev.t)
        xr = allocs[0][0].xr if allocs else sd.fx(refs.terms[cid].rates, d_date)
        acct = deposit_account(sd)
        amount = sum(a for _, a in allocs) + unused
        d = sd.new("customerpayments")
        d.update(payment_id=sd.ids(), payment_number=number,
                 invoice_number=",".join(od.doc["invoice_number"] for od, _ in allocs), date=d_date,
                 payment_mode=rng.choice(F.CUSTOMER_PAYMENT_MODES), amount=amount / 100,
                 bcy_amount=calc.money(amount * xr / 100), status="paid", customer_id=cid,
                 customer_name=c["contact_name"],
                 reference_number=f"TRX{rng.randint(100000, 999999)}" if rng.random() < 0.6 else "",
                 description="Payment received" if allocs else "Advance payment",
                 unused_amount=unused / 100, account_id=acct["account_id"] if acct else "",
                 account_name=acct["account_name"] if acct else "", email=c.get("email", ""),
                 currency_code=c["currency_code"], currency_symbol=c.get("currency_symbol", refs.base_symbol),
                 currency_id=c["currency_id"], exchange_rate=xr,
                 bcy_unused_amount=calc.money(unused * xr / 100))
        d["invoice_numbers"] = d["invoice_number"]
        for od, amt in allocs:
            inv = od.doc
            alloc = {"invoice_id": inv["invoice_id"], "invoice_number": inv["invoice_number"],
                     "date": inv["date"], "invoice_amount": inv["total"], "amount_applied": amt / 100,
                     "balance_amount": 0.0}
            d["invoices"].append(alloc)
            pending.append((alloc, inv))
        sd.stamp(d, ev.t, ev.t + (rng.randint(0, 3 * DAY) if rng.random() < 0.2 else 0))
        sd.add("customerpayments", d)
        if unused:
            sd.ledger.credit_unused(cid, unused, xr)
    close_invoices(sd)
    for alloc, inv in pending:
        alloc["balance_amount"] = inv["balance"]


# ---- bills and vendor payments -----------------------------------------------------------------------
def gen_bills(sd: Seeder, n: int) -> None:
    if not n:
        return
    refs, rng, ledger = sd.refs, sd.rng, sd.ledger
    sd.need(refs.vendors, "vendors (contacts)", "bills")
    for (ct, c), number in zip(sd.doc_times(refs.vendors, n), sd.numbers("bills", n)):
        cid = c["contact_id"]
        terms = refs.terms[cid]
        d_date = sd.dstr(ct)
        xr = sd.fx(terms.rates, d_date)
        lines, amounts = purchase_lines(sd, terms, xr)
        t, money = totals(lines, amounts, purchase=True)
        void = rng.random() < 0.02
        due_in = c.get("payment_terms", 30)
        d = sd.new("bills")
        d.update(bill_id=sd.ids(), vendor_id=cid, vendor_name=c["contact_name"], bill_number=number,
                 reference_number=f"INV-{rng.randint(10000, 99999)}" if rng.random() < 0.7 else "",
                 date=d_date, due_date=sd.add_days(d_date, due_in), currency_id=c["currency_id"],
                 currency_code=c["currency_code"], price_precision=2, exchange_rate=xr, total=t.total / 100,
                 balance=t.total / 100, line_items=lines, billing_address=dict(c.get("billing_address") or {}),
                 payment_terms=due_in, payment_terms_label=c.get("payment_terms_label", ""),
                 created_by_id=sd.template_id, _void=void, _ct=float(ct),
                 currency_symbol=c.get("currency_symbol", refs.base_symbol), adjustment_description="Adjustment",
                 **money)
        d.update(sd.edition_values("bills", terms.edition_values))
        sd.add("bills", d)
        ledger.bills.append(OpenDoc(d, cid, xr, ct, t.total))
    ledger.open_bills = open_index(ledger.bills)


def close_bills(sd: Seeder) -> None:
    """Once vendor credits and payments are in: statuses, due days, the vendor's unused credits, timestamps."""
    today = sd.today
    unused = vendor_unused_credits(sd)
    for od in sd.ledger.bills:
        bill = od.doc
        bill["status"] = calc.bill_status(bill["total"], bill["balance"], bill["due_date"], today,
                                          void=bill.pop("_void"))
        settled = bill["status"] in ("paid", "void")
        bill["due_days"] = calc.due_days_text(bill["due_date"], today) if not settled else ""
        bill["due_by_days"], bill["due_in_days"] = ("", 0) if settled else calc.due_counts(bill["due_date"], today)
        bill["unused_credits_payable_amount"] = unused.get(bill["vendor_id"], 0.0)
        for pay in bill["payments"]:
            pay["bill_id"] = bill["bill_id"]
        sd.stamp(bill, int(bill["_ct"]), od.last)


def vendor_unused_credits(sd: Seeder) -> dict[str, float]:
    """Per vendor: what is left of its open vendor credits and of its payments' unused amounts."""
    out: dict[str, float] = {}
    for vc in sd.out["vendorcredits"].values():
        if vc["status"] == "open":
            out[vc["vendor_id"]] = out.get(vc["vendor_id"], 0.0) + vc["balance"]
    for vp in sd.out["vendorpayments"].values():
        out[vp["vendor_id"]] = out.get(vp["vendor_id"], 0.0) + vp["balance"]
    return {k: calc.money(v) for k, v in out.items()}


def gen_vendorpayments(sd: Seeder, n: int) -> None:
    refs, rng = sd.refs, sd.rng
    if n:
        sd.need(refs.vendors, "vendors (contacts)", "vendorpayments")
    events = plan_payments(sd, n, VENDOR_PLAN, sd.ledger.open_bills, refs.vendors)
    for ev, number in zip(events, sd.numbers("vendorpayments", len(events))):
        c, allocs, unused = ev.contact, ev.allocations, ev.unused
        cid = c["contact_id"]
        d_date = sd.dstr(ev.t)
        xr = allocs[0][0].xr if allocs else sd.fx(refs.terms[cid].rates, d_date)
        acct = rng.choice(refs.banks) if refs.banks else refs.roles.get("petty")
        amount = sum(a for _, a in allocs) + unused
        mode = rng.choice(F.VENDOR_PAYMENT_MODES)
        pid = sd.ids()
        d = sd.new("vendorpayments")
        d.update(payment_id=pid, vendor_id=cid, vendor_name=c["contact_name"],
                 bill_numbers=",".join(od.doc["bill_number"] for od, _ in allocs), payment_mode=mode,
                 payment_number=number, description="Payment made" if allocs else "Advance payment",
                 date=d_date, reference_number=f"REF{rng.randint(10000, 99999)}" if rng.random() < 0.5 else "",
                 exchange_rate=xr, amount=amount / 100, bcy_amount=calc.money(amount * xr / 100),
                 paid_through_account_id=acct["account_id"] if acct else "",
                 paid_through_account_name=acct["account_name"] if acct else "",
                 paid_through_account_type=acct["account_type"] if acct else "",
                 balance=unused / 100, bcy_balance=calc.money(unused * xr / 100),
                 is_paid_via_print_check=mode == "Check" and rng.random() < 0.5,
                 currency_id=c["currency_id"], currency_code=c["currency_code"],
                 currency_symbol=c.get("currency_symbol", refs.base_symbol),
                 billing_address=dict(c.get("billing_address") or {}))
        given = {"check_number": str(rng.randint(1000, 9999))} if is_check(d) else None
        d["check_details"] = check_details(d, sd.ids, given)  # one object; empty values when not by check
        for od, amt in allocs:
            bill = od.doc
            bp = sd.ids()
            d["bills"].append(calc.bill_allocation(bill, bp, amt / 100))
            bill["payments"].append({"payment_id": pid, "bill_id": "", "bill_payment_id": bp, "payment_mode": mode,
                                     "payment_number": number, "description": d["description"], "date": d_date,
                                     "reference_number": d["reference_number"], "exchange_rate": xr,
                                     "amount": amt / 100, "paid_through_account_id": d["paid_through_account_id"],
                                     "paid_through_account_name": d["paid_through_account_name"],
                                     "is_single_bill_payment": len(allocs) == 1, "is_ach_payment": False,
                                     "ach_payment_status": "", "ach_gw_transaction_id": ""})
        sd.stamp(d, ev.t)
        sd.add("vendorpayments", d)
    close_bills(sd)


# ---- estimates, sales orders, purchase orders -----------------------------------------------------------
ESTIMATE_NOTES = "Looking forward to your business."  # the org's default customer notes (our choice)
ESTIMATE_TERMS = "Prices are valid for 30 days. Delivery within 2 weeks of acceptance."


def _person_details(person: dict) -> dict:
    """An invoice's contact_persons_details row from its contact_persons_associated one."""
    return {"contact_person_id": person["contact_person_id"], "first_name": person["first_name"],
            "last_name": person["last_name"], "email": person["contact_person_email"], "phone": person["phone"],
            "mobile": person["mobile"]}

def _drafts(sd: Seeder, n: int, resource: str, purchase: bool = False) -> Iterator[tuple[int, dict, dict]]:
    """The part estimates, sales orders and purchase orders share: contact, date, number, lines,
    totals, currency and addresses. Yields (created epoch, contact, draft doc)."""
    refs = sd.refs
    pool, label = (refs.vendors, "vendors (contacts)") if purchase else (refs.customers, "customers (contacts)")
    sd.need(pool, label, resource)
    if not purchase:
        sd.need(refs.items, "items", resource)
    spec = SPECS[resource]
    for (ct, c), number in zip(sd.doc_times(pool, n), sd.numbers(resource, n)):
        terms = refs.terms[c["contact_id"]]
        d_date = sd.dstr(ct)
        xr = sd.fx(terms.rates, d_date)
        if purchase:
            lines, amounts = purchase_lines(sd, terms, xr)
        else:
            lines, amounts = sales_lines(sd, terms, xr, SALES_LINE_TEMPLATE)
        t, money = totals(lines, amounts, purchase=purchase)
        d = sd.new(resource)
        d.update({spec.number_field: number}, date=d_date, currency_id=c["currency_id"],
                 currency_code=c["currency_code"], total=t.total / 100, line_items=lines, exchange_rate=xr,
                 price_precision=2, billing_address=dict(c.get("billing_address") or {}),
                 template_id=sd.template_id, **money)
        if not purchase:
            d.update(customer_name=c["contact_name"], customer_id=c["contact_id"], discount_type="item_level",
                     is_discount_before_tax=True, shipping_address=dict(c.get("shipping_address") or {}))
            if terms.person:
                d["contact_persons_associated"] = [dict(terms.person)]
        d.update(sd.edition_values(resource, terms.edition_values))
        yield ct, c, d


def gen_estimates(sd: Seeder, n: int) -> None:
    if not n:
        return
    rng = sd.rng
    for ct, _c, d in _drafts(sd, n, "estimates"):
        expiry = sd.add_days(d["date"], 30)
        status = rng.choices(("draft", "sent", "accepted", "declined", "invoiced"), (10, 35, 25, 10, 20))[0]
        if status == "sent" and expiry < sd.today:
            status = "expired"
        lmt = ct
        d.update(estimate_id=sd.ids(), status=status, expiry_date=expiry, template_name=TEMPLATE_NAME,
                 notes=ESTIMATE_NOTES, terms=ESTIMATE_TERMS,
                 contact_persons=[p["contact_person_id"] for p in d["contact_persons_associated"]])
        if status in ("accepted", "declined", "invoiced"):
            t = min(sd.now_i, ct + rng.randint(1, 20) * DAY)
            d["accepted_date" if status != "declined" else "declined_date"] = sd.dstr(t)
            lmt = t
        if status != "draft" and rng.random() < 0.5:
            d["is_viewed_by_client"] = True
            d["client_viewed_time"] = sd.ts(min(sd.now_i, ct + 7200))
        sd.stamp(d, ct, lmt)
        sd.add("estimates", d)


def gen_salesorders(sd: Seeder, n: int) -> None:
    if not n:
        return
    rng = sd.rng
    for ct, _c, d in _drafts(sd, n, "salesorders"):
        days = rng.randint(3, 30)
        ship = sd.add_days(d["date"], days)
        status = rng.choices(("draft", "open", "invoiced", "partially_invoiced", "closed", "void"),
                             (8, 25, 40, 8, 15, 4))[0]
        if status == "open" and ship < sd.today:
            status = "overdue"
        invoiced = status in ("invoiced", "closed")
        for line in d["line_items"]:
            line.update(sku=line.get("sku") or "", image_id="", image_name="", image_type="", is_invoiced=invoiced,
                        stock_on_hand="")
            line["item_total_inclusive_of_tax"] = calc.inclusive_total(line)
        d.update(salesorder_id=sd.ids(), status=status, shipment_date=ship, shipment_days=days,
                 bcy_total=calc.money(d["total"] * d["exchange_rate"]), is_emailed=status != "draft",
                 delivery_method=rng.choice(("Courier", "Pickup", "Freight", "")),
                 tax_id=_c.get("tax_id") or "", notes=ESTIMATE_NOTES, terms=ESTIMATE_TERMS,
                 notes_default=ESTIMATE_NOTES, terms_default=ESTIMATE_TERMS)
        sd.stamp(d, ct, ct + rng.randint(0, 10) * DAY if status != "draft" else ct)
        sd.add("salesorders", d)


def gen_purchaseorders(sd: Seeder, n: int) -> None:
    if not n:
        return
    rng = sd.rng
    bills_of: dict[str, list[dict]] = {}  # vendor -> its bills: a billed order is billed by one of them
    for od in sd.ledger.bills:
        bills_of.setdefault(od.doc["vendor_id"], []).append(od.doc)
    open_count: dict[str, int] = {}
    address_base = dict.fromkeys(DELIVERY_ADDRESS, "")
    address_base.update(is_verifiable=False, is_valid=True, is_primary=True, is_verified=False)
    for ct, c, d in _drafts(sd, n, "purchaseorders", purchase=True):
        status = rng.choices(("draft", "open", "billed", "cancelled"), (10, 25, 58, 7))[0]
        deliv = sd.add_days(d["date"], rng.randint(5, 21))
        cid = c["contact_id"]
        person = sd.refs.terms[cid].person
        d.update(purchaseorder_id=sd.ids(), vendor_id=cid, vendor_name=c["contact_name"], status=status,
                 delivery_date=deliv, expected_delivery_date=deliv, is_emailed=status != "draft",
                 delivery_address=dict(address_base, address=sd.org.get("name", ""), country=sd.ed.country,
                                       email=sd.org.get("email", ""), organization_address_id=sd.template_id),
                 ship_via=rng.choice(("Courier", "Freight", "")), attention=c.get("first_name", ""),
                 can_mark_as_bill=status == "open", can_mark_as_unbill=status == "billed",
                 created_by_id=sd.template_id, currency_symbol=c.get("currency_symbol", sd.refs.base_symbol),
                 template_name=TEMPLATE_NAME, can_send_in_mail=True, is_discount_before_tax=True,
                 contact_persons_associated=[_associated(person, c)] if person else [], **PO_TEMPLATE_PAGE)
        if status == "open":
            open_count[cid] = open_count.get(cid, 0) + 1
        elif status == "billed":
            later = [b for b in bills_of.get(cid, ()) if b["date"] >= d["date"]]
            if later:
                _bill_order(d, later[0])
        sd.stamp(d, ct, ct + rng.randint(0, 15) * DAY if status != "draft" else ct)
        sd.add("purchaseorders", d)
    for od in sd.ledger.bills:
        od.doc["open_purchaseorders_count"] = open_count.get(od.doc["vendor_id"], 0)


def _associated(person: dict, contact: dict) -> dict:
    """A purchase order's contact_persons_associated row: the vendor's primary person as the document
    lists it (purchase-order.yml get_purchase_order)."""
    prim = (contact.get("contact_persons") or [{}])[0]
    return {**person, "first_name": prim.get("first_name", ""), "last_name": prim.get("last_name", ""),
            "phone": prim.get("phone", ""), "mobile": prim.get("mobile", ""),
            "communication_preference": {"is_email_enabled": bool(prim.get("email"))}}


def _bill_order(po: dict, bill: dict) -> None:
    """Record that ``bill`` bills the purchase order ``po`` (on the bill and on the order's lines)."""
    bill["purchaseorder_ids"].append(po["purchaseorder_id"])
    bill["purchaseorders"].append({"purchaseorder_id": po["purchaseorder_id"],
                                   "purchaseorder_number": po["purchaseorder_number"],
                                   "purchaseorder_date": po["date"], "purchaseorder_status": "billed"})
