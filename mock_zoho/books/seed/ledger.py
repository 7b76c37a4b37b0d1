"""Money that moves without a customer document: expenses, journals, bank and account transactions;
then the finishing step that sums what everything moved into contacts, banks and the chart."""
from __future__ import annotations

from typing import NamedTuple

from .. import calc
from .. import fakedata as F
from ..line_tax import blank_line_tax
from .base import DAY, JOURNAL_LINE_TEMPLATE, BankMove, Seeder, cents
from .documents import _line_tags


# ---- expenses --------------------------------------------------------------------------------------
def gen_expenses(sd: Seeder, n: int) -> None:
    if not n:
        return
    refs, rng = sd.refs, sd.rng
    if not refs.expense_accounts:
        raise ValueError("expenses need expense accounts in the chart of accounts")
    vat = sd.ed.tax_model in ("vat", "gst") and refs.taxes
    paid = list(refs.banks) + ([refs.roles["petty"]] if "petty" in refs.roles else [])
    if not paid:
        raise ValueError("expenses need a bank account or a petty cash account")
    invoices = list(sd.out["invoices"].values())
    times = sorted(sd.when() for _ in range(n))
    for ct in times:
        acct = rng.choice(refs.expense_accounts)
        pay = rng.choice(paid)
        amount_c = rng.randint(500, 60000)
        tax = refs.tax_rates[refs.taxes[0]["tax_id"]] if vat and rng.random() < 0.7 else None
        tax_c = calc.totals_units([calc.LineAmounts(amount_c, 0, tax.pct_milli, tax.name)]).tax_total if tax else 0
        total_c = amount_c + tax_c
        billable = bool(refs.customers) and rng.random() < 0.25
        cust = rng.choice(refs.customers) if billable else None
        vendor = rng.choice(refs.vendors) if refs.vendors and rng.random() < 0.5 else None
        eid = sd.ids()
        d = sd.new("expenses")
        desc = rng.choice(F.EXPENSE_DESCRIPTIONS)
        inv = None
        if billable:
            own = [i for i in invoices[-200:] if i["customer_id"] == cust["contact_id"]]
            inv = own[-1] if own and rng.random() < 0.4 else None
            status = "invoiced" if inv else "unbilled"
        else:
            status = "reimbursed" if pay.get("_role") == "petty" and rng.random() < 0.5 else "non-billable"
        d.update(expense_id=eid, date=sd.dstr(ct), account_name=acct["account_name"], description=desc,
                 currency_id=refs.base_id, currency_code=refs.base_code, bcy_total=total_c / 100,
                 bcy_total_without_tax=amount_c / 100, total=total_c / 100, total_without_tax=amount_c / 100,
                 is_billable=billable, reference_number=f"RCPT-{rng.randint(1000, 99999)}",
                 customer_id=cust["contact_id"] if cust else "", customer_name=cust["contact_name"] if cust else "",
                 status=status, expense_receipt_name=f"receipt_{eid[-6:]}.pdf" if rng.random() < 0.5 else "",
                 mileage_unit="", expense_type="non-mileage", account_id=acct["account_id"],
                 paid_through_account_name=pay["account_name"], paid_through_account_id=pay["account_id"],
                 tax_id=tax.tax_id if tax else "", tax_name=tax.name if tax else "",
                 tax_percentage=tax.percentage if tax else 0, tax_amount=tax_c / 100, exchange_rate=1.0,
                 sub_total=amount_c / 100, amount=total_c / 100, is_inclusive_tax=False, is_personal=False,
                 invoice_id=inv["invoice_id"] if inv else "", invoice_number=inv["invoice_number"] if inv else "",
                 line_item={"line_item_id": sd.ids(), "account_id": acct["account_id"],
                            "account_name": acct["account_name"], "description": desc, "tax_amount": tax_c / 100,
                            "tax_id": tax.tax_id if tax else "", "tax_name": tax.name if tax else "",
                            "tax_type": tax.tax_type if tax else "", "tax_percentage": tax.percentage if tax else 0,
                            "item_total": amount_c / 100, "item_order": 1, "amount": total_c / 100,
                            "location_id": "", "reverse_charge_tax_id": ""},
                 transaction_id=eid, transaction_type="expense", mileage_type="non_mileage",
                 expense_item_id=sd.ids(),
                 vendor_id=vendor["contact_id"] if vendor else "", vendor_name=vendor["contact_name"] if vendor else "")
        d["expense_receipt_type"] = "pdf" if d["expense_receipt_name"] else ""
        d.update(sd.edition_values("expenses", None))
        sd.stamp(d, ct)
        sd.add("expenses", d)


# ---- journals --------------------------------------------------------------------------------------
def gen_journals(sd: Seeder, n: int) -> None:
    if not n:
        return
    refs, rng = sd.refs, sd.rng
    accts = [a for a in refs.accounts.values() if a["account_type"] not in ("accounts_receivable", "accounts_payable")]
    if len(accts) < 2:
        raise ValueError("journals need at least two accounts in the chart of accounts")
    numbers = sd.numbers("journals", n)
    times = sorted(sd.when() for _ in range(n))
    line_tax = blank_line_tax(sd.code)  # a seeded line names no tax authority or exemption
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
            ln = JOURNAL_LINE_TEMPLATE.new()
            ln.update(line_id=sd.ids(), account_id=acct["account_id"], account_name=acct["account_name"],
                      description=rng.choice(F.JOURNAL_NOTES), debit_or_credit=side, amount=amt / 100,
                      bcy_amount=amt / 100, tags=_line_tags(sd), **line_tax)
            lines.append(ln)
        jid = sd.ids()
        d = sd.new("journals")
        status = "published" if rng.random() < 0.9 else "draft"
        d.update(journal_id=jid, journal_date=sd.dstr(ct), entry_number=number,
                 reference_number=f"ADJ-{rng.randint(100, 9999)}" if rng.random() < 0.5 else "",
                 currency_id=refs.base_id, notes=rng.choice(F.JOURNAL_NOTES), journal_type="both",
                 entity_type="journal", total=total_c / 100, bcy_total=total_c / 100, custom_field=[],
                 line_items=lines, currency_code=refs.base_code, currency_symbol=refs.base_symbol,
                 exchange_rate=1.0, line_item_total=total_c / 100, price_precision=2, status=status,
                 include_in_vat_return=sd.ed.tax_model == "vat")
        d.update(sd.edition_values("journals", None))
        sd.stamp(d, ct)
        sd.add("journals", d)


# ---- bank transactions -----------------------------------------------------------------------------
# (transaction_type, sign: money in or out, weight)
BANK_TYPES = (("deposit", 1, 20), ("sales_without_invoices", 1, 6), ("interest_income", 1, 3),
              ("other_income", 1, 3), ("owner_contribution", 1, 2), ("expense_refund", 1, 2),
              ("refund", -1, 3), ("card_payment", -1, 12), ("transfer_fund", -1, 5),
              ("owner_drawings", -1, 2), ("sales_return", -1, 2), ("expense", -1, 20),
              ("vendor_payment", -1, 10), ("customer_payment", 1, 10))


def gen_banktransactions(sd: Seeder, n: int) -> None:
    if not n:
        return
    refs, rng = sd.refs, sd.rng
    sd.need(refs.banks, "bank accounts", "banktransactions")
    weights = [k[2] for k in BANK_TYPES]
    times = sorted(sd.when() for _ in range(n))
    income = refs.roles.get("sales")
    equity = refs.roles.get("equity")
    moves = sd.ledger.bank_moves
    for ct in times:
        bank = rng.choice(refs.banks)
        typ, sign, _ = rng.choices(BANK_TYPES, weights)[0]
        amount_c = rng.randint(1000, 400000 if sign > 0 else 150000)
        status = rng.choices(("categorized", "uncategorized", "manually_added", "matched", "excluded"),
                             (45, 20, 15, 15, 5))[0]
        cust = rng.choice(refs.customers) if sign > 0 and refs.customers and typ in ("deposit", "customer_payment") else None
        vend = rng.choice(refs.vendors) if sign < 0 and refs.vendors and typ in ("vendor_payment", "expense") else None
        payee = cust["contact_name"] if cust else (vend["contact_name"] if vend else rng.choice(F.BANK_PAYEES))
        offset = (income if sign > 0 else (rng.choice(refs.expense_accounts) if refs.expense_accounts else None))
        if typ in ("owner_contribution", "owner_drawings"):
            offset = equity
        tid = sd.ids()
        d = sd.new("banktransactions")
        imported = status != "manually_added"
        d.update(transaction_id=tid, date=sd.dstr(ct), amount=amount_c / 100, transaction_type=typ,
                 status=status, source="feeds" if imported else "manual", account_id=bank["account_id"],
                 account_name=bank["account_name"], account_type=bank["account_type"], price_precision=2,
                 customer_id=cust["contact_id"] if cust else "", payee=payee,
                 description=f"{typ.replace('_', ' ').title()} - {payee}", currency_id=refs.base_id,
                 currency_code=refs.base_code, currency_symbol=refs.base_symbol,
                 debit_or_credit="debit" if sign > 0 else "credit",
                 offset_account_name=offset["account_name"] if (offset and status != "uncategorized") else "",
                 is_offsetaccount_matched=status == "matched",
                 reference_number=f"BT{rng.randint(100000, 999999)}" if rng.random() < 0.5 else "",
                 imported_transaction_id=sd.ids() if imported else "",
                 customer_name=cust["contact_name"] if cust else "",
                 vendor_id=vend["contact_id"] if vend else "", vendor_name=vend["contact_name"] if vend else "",
                 payment_mode="Bank Transfer", sub_total=amount_c / 100, total=amount_c / 100,
                 bcy_total=amount_c / 100, exchange_rate=1.0, is_inclusive_tax=False)
        ours = {"account_id": bank["account_id"], "account_name": bank["account_name"]}
        theirs = {"account_id": offset["account_id"] if offset else "",
                  "account_name": offset["account_name"] if offset else ""}
        to, frm = (ours, theirs) if sign > 0 else (theirs, ours)
        d.update(to_account_id=to["account_id"], to_account_name=to["account_name"],
                 from_account_id=frm["account_id"], from_account_name=frm["account_name"])
        if imported:
            d["imported_transactions"] = [{"imported_transaction_id": d["imported_transaction_id"],
                                           "date": d["date"], "amount": d["amount"], "payee": payee,
                                           "description": d["description"], "status": status,
                                           "reference_number": d["reference_number"],
                                           "account_id": bank["account_id"]}]
        sd.stamp(d, ct, ct + (rng.randint(0, 5) * DAY if status != "uncategorized" else 0))
        sd.add("banktransactions", d)
        mv = moves.setdefault(bank["account_id"], BankMove())
        if status != "excluded":
            mv.balance += sign * amount_c
        if status == "uncategorized":
            mv.uncategorized += 1


# ---- account transactions ---------------------------------------------------------------------------
class Posting(NamedTuple):
    """One document's posting to the chart: what an account transaction copies."""

    type: str
    doc: dict
    source_id: str
    date: str
    number: str
    contact_id: str
    payee: str
    amount: float
    xr: float
    account: dict | None
    offset: dict | None
    side: str  # debit | credit


def _postings(sd: Seeder) -> list[Posting]:
    """What the chart's transactions post from: sent invoices, bills, payments and expenses."""
    refs, out = sd.refs, sd.out
    ar, ap, sales = refs.roles.get("ar"), refs.roles.get("ap"), refs.roles.get("sales")
    exp = refs.expense_accounts[0] if refs.expense_accounts else None
    sources = [Posting("invoice", i, i["invoice_id"], i["date"], i["invoice_number"], i["customer_id"],
                       i["customer_name"], i["total"], i["exchange_rate"], ar, sales, "debit")
               for i in out["invoices"].values() if i["status"] not in ("draft", "void")]
    sources += [Posting("bill", b, b["bill_id"], b["date"], b["bill_number"], b["vendor_id"], b["vendor_name"],
                        b["total"], b["exchange_rate"], ap, exp, "credit")
                for b in out["bills"].values() if b["status"] != "void"]
    sources += [Posting("customer_payment", p, p["payment_id"], p["date"], p["payment_number"], p["customer_id"],
                        p["customer_name"], p["amount"], p["exchange_rate"], refs.accounts.get(p["account_id"]), ar,
                        "debit") for p in out["customerpayments"].values()]
    sources += [Posting("vendor_payment", p, p["payment_id"], p["date"], p["payment_number"], p["vendor_id"],
                        p["vendor_name"], p["amount"], p["exchange_rate"],
                        refs.accounts.get(p["paid_through_account_id"]), ap, "credit")
                for p in out["vendorpayments"].values()]
    sources += [Posting("expense", e, e["expense_id"], e["date"], e["reference_number"], e["customer_id"],
                        e["vendor_name"], e["total"], 1.0, refs.accounts.get(e["account_id"]),
                        refs.accounts.get(e["paid_through_account_id"]), "debit") for e in out["expenses"].values()]
    return [s for s in sources if s.account is not None]


def gen_accounttransactions(sd: Seeder, n: int) -> None:
    if not n:
        return
    refs, rng, moves = sd.refs, sd.rng, sd.ledger.account_moves
    if not refs.accounts:
        raise ValueError("accounttransactions need the chart of accounts")
    sources = _postings(sd)
    if not sources:  # nothing to post from: generic manual entries between two accounts
        accts = list(refs.accounts.values())
        for _ in range(n):
            t = sd.when()
            a, b = rng.choice(accts), rng.choice(accts)
            amt = rng.randint(1000, 100000) / 100
            sources.append(Posting("journal", {"_ct": t}, "", sd.dstr(t), "", "", "", amt, 1.0, a, b, "debit"))
    for p in sorted(rng.choices(sources, k=n), key=lambda s: s.date):
        acct = p.account
        bcy = calc.money(p.amount * p.xr)
        d = sd.new("accounttransactions")
        d.update(categorized_transaction_id=p.source_id, transaction_type=p.type, transaction_status="posted",
                 transaction_source=p.type, transaction_id=sd.ids(), transaction_date=p.date,
                 account_id=acct["account_id"], customer_id=p.contact_id, payee=p.payee,
                 description=f"{p.type.replace('_', ' ').title()} {p.number}".strip(), entry_number=p.number,
                 currency_id=refs.base_id, currency_code=refs.base_code, debit_or_credit=p.side,
                 offset_account_name=p.offset["account_name"] if p.offset else "",
                 reference_number=p.doc.get("reference_number", ""),
                 reconcile_status="reconciled" if rng.random() < 0.3 else "unreconciled",
                 debit_amount=bcy if p.side == "debit" else 0.0, credit_amount=bcy if p.side == "credit" else 0.0,
                 amount=bcy, account_name=acct["account_name"], account_type=acct["account_type"],
                 account_is_active=acct.get("is_active", True))
        sd.stamp(d, int(p.doc.get("_ct", sd.now_i)))
        sd.add("accounttransactions", d)
        moves[acct["account_id"]] = moves.get(acct["account_id"], 0) + cents(bcy) * (1 if p.side == "debit" else -1)


# ---- finishing --------------------------------------------------------------------------------------
def finish_contacts(sd: Seeder) -> None:
    """outstanding_receivable_amount = sum of open invoice balances; unused credits likewise."""
    made = sd.out["contacts"]
    for cid, c in sd.refs.contacts.items():
        new = cid in made
        acc = sd.ledger.receivables.get(cid)
        if acc is None:
            if new:
                c["has_transaction"] = False
            continue
        outstanding, unused, outstanding_bcy, unused_bcy = acc.outstanding, acc.unused, acc.outstanding_bcy, acc.unused_bcy
        if not new:
            c = sd.updates["contacts"].get(cid) or dict(c)
            sd.updates["contacts"][cid] = c
            outstanding += cents(c.get("outstanding_receivable_amount") or 0)
            unused += cents(c.get("unused_credits_receivable_amount") or 0)
            outstanding_bcy += cents(c.get("outstanding_receivable_amount_bcy") or 0)
            unused_bcy += cents(c.get("unused_credits_receivable_amount_bcy") or 0)
        c["outstanding_receivable_amount"] = outstanding / 100
        c["unused_credits_receivable_amount"] = unused / 100
        c["outstanding_receivable_amount_bcy"] = calc.money(outstanding_bcy / 100)
        c["unused_credits_receivable_amount_bcy"] = calc.money(unused_bcy / 100)
        c["has_transaction"] = True
    for resource, key in (("invoices", "customer_id"), ("bills", "vendor_id"), ("expenses", "customer_id"),
                          ("salesorders", "customer_id"), ("estimates", "customer_id")):
        for d in sd.out[resource].values():
            c = made.get(d.get(key, ""))
            if c is not None:
                c["has_transaction"] = True
    finish_payables(sd)


def finish_payables(sd: Seeder) -> None:
    """A new vendor's outstanding_payable_amount is the balance of its open bills, its
    unused_credits_payable_amount what its open vendor credits and its payments leave unused.
    (Contacts of an earlier seed keep theirs: a re-seed adds no bills to them.)"""
    made = sd.out["contacts"]
    sums: dict[str, list[int]] = {}
    for resource, slot, open_ in (("bills", 0, ("open", "overdue", "partially_paid")),
                                  ("vendorcredits", 1, ("open",)), ("vendorpayments", 1, None)):
        for d in sd.out[resource].values():
            if d.get("vendor_id") in made and (open_ is None or d.get("status") in open_):
                sums.setdefault(d["vendor_id"], [0, 0])[slot] += cents(d.get("balance") or 0)
    for cid, (payable, unused) in sums.items():
        made[cid]["outstanding_payable_amount"] = payable / 100
        made[cid]["unused_credits_payable_amount"] = unused / 100


DEBIT_NORMAL = frozenset({"other_asset", "other_current_asset", "cash", "bank", "fixed_asset", "accounts_receivable",
                          "expense", "cost_of_goods_sold", "other_expense", "stock", "intangible_asset"})


def finish_accounts(sd: Seeder) -> None:
    """Bank balances from their transactions; chart balances from the postings (bank accounts
    carry their bank balance)."""
    moves, bank_moves = sd.ledger.account_moves, sd.ledger.bank_moves
    banks = sd.out["bankaccounts"]
    for aid, d in banks.items():
        mv = bank_moves.get(aid) or BankMove()
        bal = mv.balance / 100
        d.update(balance=bal, bank_balance=bal, bcy_balance=bal, uncategorized_transactions=mv.uncategorized)
    for aid, a in sd.out["chartofaccounts"].items():
        if aid in banks:
            bal = banks[aid]["balance"]
        else:
            c = moves.get(aid, 0)
            bal = (c if a["account_type"] in DEBIT_NORMAL else -c) / 100
        a["current_balance"] = bal
        a["closing_balance"] = bal
        a["is_involved_in_transaction"] = bool(moves.get(aid) or (aid in bank_moves))
