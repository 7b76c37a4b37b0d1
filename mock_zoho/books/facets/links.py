"""Settlement links: a credit or payment (the source) applied to an invoice or bill (the target).

Four links, one description each: credit note -> invoice, vendor credit -> bill, customer payment ->
invoice, vendor payment -> bill. The source keeps the rows (``rows``: each with its ``link_id`` and its
``amount``); the target keeps the running total (``applied``: credits_applied, payment_made...) and,
for bills, its own copy of the rows (``target_rows``). ``apply`` and ``unapply`` are the one
implementation every route uses (``POST /invoices/{id}/credits``, ``DELETE /bills/{id}/payments/{id}``,
``DELETE /creditnotes/{id}/invoices/{id}``...): the target's balance and status, the source's balance
(a credit's balance and status, a payment's unused amount) and the party's totals move together.
Rows written before links had ids (seeded data) answer under their source's id (our choice).
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any, Callable

from ... import literals as L
from ...errors import invalid_value
from ...http import BooksAPIError
from .. import calc
from ..models import not_found
from ..resources import SPECS
from ..rules import AWAITING_SEND, CREDIT_LINKS, PaymentRules, WriteContext, add_link_meta, refresh_contact

Row = dict[str, Any]


@dataclass(frozen=True)
class Link:
    source: str  # resource of the credit or payment
    target: str  # resource of the invoice or bill
    rows: str  # the source's list of applications
    link_id: str  # each row's id (creditnote_invoice_id, bill_payment_id)
    amount: str  # each row's amount field
    applied: str  # the target's running total (calc.open_balance reads it)
    new_row: Callable[[WriteContext, Row, Row, float, str], Row]  # (ctx, source, target, amount, link id)
    target_rows: str = ""  # the target's own copy of the rows (bills: vendor_credits, payments)
    open_only: bool = True  # a credit applies only while open; a payment whatever its status
    meta: str = ""  # where the link id and date live when the documented rows show neither (credit notes)

    @property
    def target_id(self) -> str:
        return SPECS[self.target].id_field

    def source_id(self) -> str:
        return SPECS[self.source].id_field

    def meta_of(self, source: Row, row: Row) -> Row:
        """The row with its hidden link id and date (``meta``), where the link keeps them apart."""
        if not self.meta:
            return row
        rows, metas = source.get(self.rows) or [], source.get(self.meta) or []
        index = next((i for i, r in enumerate(rows) if r is row), len(metas))
        return {**row, **(metas[index] if index < len(metas) else {})}

    def id_of(self, source: Row, row: Row) -> str:
        return str(self.meta_of(source, row).get(self.link_id) or source[self.source_id()])

    def available(self, source: Row) -> float:
        """What is left of the source to apply."""
        field = "unused_amount" if "unused_amount" in source else "balance"
        return float(source.get(field) or 0)


def _credit_note_row(ctx, source, target, amount, link_id) -> Row:
    """The documented row; its id and date kept apart (rules.add_link_meta), as POST /creditnotes/{id}/invoices does."""
    add_link_meta(source, "invoices", {"creditnote_invoice_id": link_id, "date": ctx.today})
    return {"invoice_id": target["invoice_id"], "invoice_number": target.get("invoice_number"), "amount": amount}


def _vendor_credit_row(ctx, source, target, amount, link_id) -> Row:
    return {"vendor_credit_id": source["vendor_credit_id"], "bill_id": target["bill_id"],
            "vendor_credit_bill_id": link_id, "date": ctx.today, "bill_number": target.get("bill_number"),
            "amount": amount}


def _payment_row(ctx, source, target, amount, link_id) -> Row:
    rules: PaymentRules = SPECS[_source_of(source)].rules  # type: ignore[assignment]
    row = rules.allocation(ctx, target, amount)
    row[rules_link_id(rules)] = link_id
    return row


def rules_link_id(rules: PaymentRules) -> str:
    return "bill_payment_id" if rules.party == "vendor" else "invoice_payment_id"


def _source_of(source: Row) -> str:
    return "vendorpayments" if "vendor_id" in source else "customerpayments"


LINKS: dict[str, Link] = {
    "creditnote_invoice": Link("creditnotes", "invoices", "invoices", "creditnote_invoice_id", "amount",
                               "credits_applied", _credit_note_row, meta=CREDIT_LINKS),
    "vendorcredit_bill": Link("vendorcredits", "bills", "bills_credited", "vendor_credit_bill_id", "amount",
                              "vendor_credits_applied", _vendor_credit_row, target_rows="vendor_credits"),
    "invoice_payment": Link("customerpayments", "invoices", "invoices", "invoice_payment_id", "amount_applied",
                            "payment_made", _payment_row, open_only=False),
    "bill_payment": Link("vendorpayments", "bills", "bills", "bill_payment_id", "amount_applied", "payment_made",
                         _payment_row, target_rows="payments", open_only=False),
}


def ctx_for(call: Any, resource: str) -> WriteContext:
    return call.wctx(SPECS[resource])


def rows_of_target(call: Any, link: Link, target: Row) -> list[tuple[Row, Row]]:
    """(source, row) of every application of ``link`` to ``target``, oldest first."""
    tid = target[link.target_id]
    return [(src, row) for src in call.backend.records(call.org_id, link.source)
            for row in src.get(link.rows) or [] if str(row.get(link.target_id)) == str(tid)]


def find(call: Any, link: Link, link_id: str, *, source: Row | None = None, target: Row | None = None,
         label: str = "Transaction") -> tuple[Row, Row]:
    """The application ``link_id`` of the given source, or made to the given target (1002 when none)."""
    pairs = [(source, row) for row in source.get(link.rows) or []] if source is not None \
        else rows_of_target(call, link, target or {})
    for src, row in pairs:
        if link.id_of(src, row) == link_id and (target is None or str(row.get(link.target_id)) == str(target[link.target_id])):
            return src, row
    raise not_found(label)


def _rederive(call: Any, link: Link, source: Row) -> None:
    """The source's numbers after its rows changed (a credit's balance and status, a payment's unused amount)."""
    ctx = ctx_for(call, link.source)
    rules = SPECS[link.source].rules
    if not isinstance(rules, PaymentRules):
        source["total_credits_used"] = calc.money(sum(float(r.get(link.amount) or 0) for r in source.get(link.rows) or []))
    rules.derive_balance(ctx, source)
    ctx.touch(source)
    ctx.put(link.source, source)


def _move_target(call: Any, link: Link, source: Row, row: Row, sign: int) -> Row:
    ctx = ctx_for(call, link.target)
    target = copy.deepcopy(ctx.get(link.target, row.get(link.target_id)) or {})
    if not target:
        return target
    paid_on = source.get("date") if link.applied == "payment_made" else None
    calc.settle(target, sign * float(row.get(link.amount) or 0), applied=link.applied, paid_on=paid_on)
    if link.target_rows == "payments":
        PaymentRules.bill_payment_rows(target, source, row, sign)
    elif link.target_rows:
        kept = [r for r in target.get(link.target_rows) or [] if r.get(link.link_id) != row.get(link.link_id)]
        if sign > 0:
            kept.append({link.source_id(): source[link.source_id()], link.link_id: row[link.link_id],
                         SPECS[link.source].number_field or "number": source.get(SPECS[link.source].number_field or ""),
                         "date": row.get("date"), "amount": row.get(link.amount)})
        target[link.target_rows] = kept
    if sign > 0 and link.applied == "payment_made":
        target["_sent"] = True
    SPECS[link.target].rules.refresh_status(ctx, target)
    ctx.touch(target)
    ctx.put(link.target, target)
    return target


def unapply(call: Any, link: Link, source: Row, row: Row) -> None:
    """Take one application back: the target owes it again, the source has it to apply again."""
    wanted = link.id_of(source, row)  # before the copy: a hidden id is found by the row itself
    source = copy.deepcopy(source)
    rows = source.get(link.rows) or []
    index = next(i for i, r in enumerate(rows) if link.id_of(source, r) == wanted
                 and str(r.get(link.target_id)) == str(row.get(link.target_id)))
    gone = rows.pop(index)
    if link.meta and index < len(source.get(link.meta) or []):
        source[link.meta].pop(index)
    _move_target(call, link, source, gone, -1)
    _rederive(call, link, source)
    refresh_contact(ctx_for(call, link.source), source.get(f"{party(link)}_id"))


def party(link: Link) -> str:
    return "customer" if link.target == "invoices" else "vendor"


def apply(call: Any, link: Link, source_id: str | None, target: Row, amount: Any, id_field: str) -> Row:
    """Apply ``amount`` of the source ``source_id`` to ``target``: the party's own open credit or its
    payment (else code 2 naming ``id_field``), a positive amount (else code 2 naming amount_applied)
    within both what the target owes and what the source has left (else Zoho's over-applied answer)."""
    ctx = ctx_for(call, link.source)
    source = ctx.get(link.source, source_id)
    who = f"{party(link)}_id"
    if source is None or source.get(who) != target.get(who) or (link.open_only and source.get("status") != "open"):
        raise invalid_value(id_field)
    if target.get("status") in ("draft", "void", *AWAITING_SEND):
        raise invalid_value("status")
    if amount is None or amount <= 0:
        raise invalid_value("amount_applied")
    if amount > float(target.get("balance") or 0) + 1e-9 or amount > link.available(source) + 1e-9:
        raise BooksAPIError(L.OVER_APPLIED)
    source = copy.deepcopy(source)
    source.setdefault(link.rows, []).append({})  # the new row's place (its meta, if any, aligns with it)
    source[link.rows][-1] = link.new_row(ctx, source, target, amount, ctx.backend.new_id(ctx.org_id))
    row = source[link.rows][-1]
    _rederive(call, link, source)
    moved = _move_target(call, link, source, row, +1)
    refresh_contact(ctx, source.get(who))
    return moved
