"""The accounting arithmetic shared by the seeder and the create/update handlers.

One arithmetic for seeded and created documents, so a client that recomputes Zoho's numbers finds
them consistent wherever a record came from. All amounts are rounded half-up at ``precision``
decimals (Zoho's ``price_precision``, usually 2) and returned as JSON numbers (floats).

Rules (where Zoho's documentation is silent, these are our choices):

* Line: ``gross = rate * quantity`` (rounded); ``discount_amount`` is the line ``discount`` (an
  amount, or a percentage of ``gross`` when written ``"10%"``); ``item_total = gross - discount_amount``.
* ``sub_total`` = sum of ``item_total``.
* Entity discount (``discount``: amount or ``"x%"`` of ``sub_total``): before tax
  (``is_discount_before_tax=True``) each line's taxable base is reduced pro rata; after tax, the
  taxes are computed on the full line totals.
* Tax is computed **per line** and rounded per line; ``tax_total`` = sum of line taxes; ``taxes[]``
  holds one entry per tax name (first-seen order) with the sum of that tax's line amounts.
* Exclusive tax: ``total = sub_total - discount + tax_total + shipping_charge + adjustment``.
  Inclusive tax (``is_inclusive_tax=True``): ``item_total`` is the tax-inclusive line amount, the
  line tax is ``base - base / (1 + p/100)``, and the tax is not added again:
  ``total = sub_total - discount + shipping_charge + adjustment``.
* Balances: ``balance = total - payment_made - credits_applied - vendor_credits_applied``
  (``open_balance``); ``settle`` applies or takes back a payment or credit and moves both.

One implementation serves the write path and the seeder: ``totals_units`` does the arithmetic in
integer minor units (cents at precision 2) on ``LineAmounts``; ``document_totals`` turns request
numbers into those units and back. The seeder builds ``LineAmounts`` directly (its rates are cents).

Statuses: see ``invoice_status``, ``bill_status`` and ``credit_status``.

Document numbers: ``next_number`` draws from the per-org counter ``books:{org}:num:{series}``
(atomic ``store.incr``), so numbers are unique under concurrency and the seeder and the handlers
share one sequence per series: ``INV-000001`` (invoices), ``CN-000001`` (credit notes),
``SO-000001`` (sales orders), ``PO-000001`` (purchase orders), ``EST-000001`` (estimates),
``DN-000001`` (vendor credits), ``JE-000001`` (journals, our choice), ``BILL-000001`` (seeded bills;
written bills carry the caller's number); payments use an empty prefix and are not padded, as Zoho
numbers them ``"1"``, ``"2"`` ... Each resource description names its series (``number_series``).
"""
from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Iterable, Mapping, NamedTuple, Sequence

_QUANT = {p: Decimal(1).scaleb(-p) for p in range(0, 9)}
_ZERO = Decimal(0)
_HUNDRED = Decimal(100)

def dec(x: Any) -> Decimal:
    """A Decimal from a number or numeric string; floats go through ``repr`` (2.675 -> 2.675)."""
    if isinstance(x, Decimal):
        return x
    if x is None or x == "":
        return _ZERO
    if isinstance(x, int):
        return Decimal(x)
    return Decimal(str(x).strip().replace(",", ""))


def round_dec(x: Any, precision: int = 2) -> Decimal:
    return dec(x).quantize(_QUANT[precision], rounding=ROUND_HALF_UP)


def money(x: Any, precision: int = 2) -> float:
    """``x`` rounded half-up at ``precision`` decimals, as a float (a JSON number)."""
    return float(round_dec(x, precision))


def _split_discount(value: Any) -> tuple[Decimal, bool]:
    """(number, is_percent) for a discount given as 12.5, "12.5", "12.5%"."""
    if value is None or value == "":
        return _ZERO, False
    if isinstance(value, str) and value.strip().endswith("%"):
        return dec(value.strip()[:-1]), True
    return dec(value), False


class LineAmounts(NamedTuple):
    """One document line in minor units (cents at precision 2): all the totals need of it."""

    gross: int  # rate * quantity, rounded
    discount: int  # the line's discount amount
    pct_milli: int  # tax percentage in thousandths of a percent (see ``pct_milli``)
    tax_name: str | None  # None: the line carries no tax (a zero rate is a tax with pct 0)


class Totals(NamedTuple):
    """A document's totals in minor units, per line and overall."""

    item_totals: list[int]
    line_taxes: list[int]
    sub_total: int
    discount: int
    tax_total: int
    taxes: dict[str, int]  # tax name -> amount, first-seen order
    total: int


def _div_half_up(num: int, den: int) -> int:
    """``num / den`` rounded half away from zero (Decimal's ROUND_HALF_UP), ``den > 0``."""
    if num >= 0:
        return (2 * num + den) // (2 * den)
    return -((-2 * num + den) // (2 * den))


def pct_milli(percentage: Any) -> int:
    """A tax percentage in thousandths of a percent (8.875 -> 8875): the unit of ``LineAmounts``."""
    return int(round_dec(percentage, 3) * 1000)


def totals_units(lines: Sequence[LineAmounts], *, discount: int = 0, discount_percent: Decimal | None = None,
                 discount_before_tax: bool = True, inclusive_tax: bool = False, shipping: int = 0,
                 adjustment: int = 0) -> Totals:
    """The document arithmetic (rules in the module doc) in integer minor units.

    ``lines`` are ``LineAmounts`` (or plain tuples in that order: the seeder's hot loop).
    ``discount`` is the entity discount amount, or ``discount_percent`` a percentage of the sub total.
    Taxes are exact rationals rounded half-up once per line, so the result does not depend on how a
    caller spelled its numbers.
    """
    sub = None
    keep = of = 1  # the share of each line's base that is taxed (an entity discount before tax)
    if discount or discount_percent is not None:
        sub = sum(g - d for g, d, _, _ in lines)
        disc = _entity_discount(sub, discount, discount_percent)
        if disc and discount_before_tax and sub:
            keep, of = sub - disc, sub
    item_totals: list[int] = []
    line_taxes: list[int] = []
    by_name: dict[str, int] = {}
    total_items = tax_total = 0
    base = 100000 * of
    for gross, line_discount, pm, name in lines:
        it = gross - line_discount
        t = 0
        if name is not None:
            if pm:
                t = _div_half_up(it * pm * keep, (100000 + pm) * of if inclusive_tax else base)
            by_name[name] = by_name.get(name, 0) + t
        item_totals.append(it)
        line_taxes.append(t)
        total_items += it
        tax_total += t
    if sub is None:
        sub, disc = total_items, 0
    total = sub - disc + shipping + adjustment + (0 if inclusive_tax else tax_total)
    return Totals(item_totals, line_taxes, sub, disc, tax_total, by_name, total)


def _entity_discount(sub: int, amount: int, percent: Decimal | None) -> int:
    if percent is None:
        return amount
    return int((Decimal(sub) * percent / _HUNDRED).quantize(_QUANT[0], ROUND_HALF_UP))


def _units(x: Decimal, precision: int) -> int:
    """A Decimal already rounded at ``precision`` as an integer count of minor units."""
    return int(x.scaleb(precision))


def document_totals(
    line_items: Iterable[Mapping[str, Any]],
    *,
    taxes_by_id: Mapping[str, Mapping[str, Any]],
    discount: Any = 0,
    is_discount_before_tax: bool = True,
    is_inclusive_tax: bool = False,
    shipping_charge: Any = 0,
    adjustment: Any = 0,
    precision: int = 2,
) -> dict[str, Any]:
    """Complete the lines and compute a sales/purchase document's totals (rules in the module doc).

    Each input line needs ``rate`` and ``quantity`` (default 1); optional ``discount`` (amount or
    ``"x%"``) and ``tax_id`` (looked up in ``taxes_by_id``; unknown or empty means untaxed). The
    returned lines are shallow copies with ``item_total``, ``discount_amount``, ``discount``,
    ``tax_name``, ``tax_percentage``, ``tax_type``, ``tax_id`` and ``line_tax_amount`` (internal:
    the handlers may drop it) filled in. Raises ``ValueError`` on a non-numeric amount.
    """
    q = _QUANT[precision]
    scale = 10 ** precision
    out_lines: list[dict[str, Any]] = []
    amounts: list[LineAmounts] = []
    try:
        for raw in line_items:
            line = dict(raw)
            rate = dec(line.get("rate", 0))
            qty = dec(line.get("quantity", 1) if line.get("quantity") is not None else 1)
            gross = (rate * qty).quantize(q, ROUND_HALF_UP)
            dval, dpct = _split_discount(line.get("discount"))
            damount = (gross * dval / _HUNDRED).quantize(q, ROUND_HALF_UP) if dpct else dval.quantize(q, ROUND_HALF_UP)
            tax = taxes_by_id.get(line.get("tax_id") or "") if line.get("tax_id") else None
            pct = dec(tax.get("tax_percentage", 0)) if tax else _ZERO
            line["rate"] = float(rate)
            line["quantity"] = float(qty) if qty != qty.to_integral_value() else int(qty)
            line["discount_amount"] = float(damount)
            line["discount"] = line.get("discount") if dpct else float(damount)
            line["item_total"] = float(gross - damount)
            line["tax_id"] = tax.get("tax_id", line.get("tax_id")) if tax else ""
            line["tax_name"] = tax.get("tax_name", "") if tax else ""
            line["tax_percentage"] = float(pct) if tax else 0
            line["tax_type"] = tax.get("tax_type", "tax") if tax else ""
            out_lines.append(line)
            amounts.append(LineAmounts(_units(gross, precision), _units(damount, precision), pct_milli(pct),
                                       line["tax_name"] if tax else None))
        dval, dpct = _split_discount(discount)
        ship = _units(round_dec(shipping_charge, precision), precision)
        adj = _units(round_dec(adjustment, precision), precision)
        disc = 0 if dpct else _units(dval.quantize(q, ROUND_HALF_UP), precision)
    except ArithmeticError as exc:  # decimal.InvalidOperation
        raise ValueError(f"invalid amount in document: {exc}") from None
    t = totals_units(amounts, discount=disc, discount_percent=dval if dpct else None,
                     discount_before_tax=is_discount_before_tax, inclusive_tax=is_inclusive_tax, shipping=ship,
                     adjustment=adj)
    for line, tax_units in zip(out_lines, t.line_taxes):
        line["line_tax_amount"] = tax_units / scale
    return {
        "line_items": out_lines,
        "sub_total": t.sub_total / scale,
        "discount_amount": t.discount / scale,
        "tax_total": t.tax_total / scale,
        "taxes": [{"tax_name": n, "tax_amount": a / scale} for n, a in t.taxes.items()],
        "shipping_charge": ship / scale,
        "adjustment": adj / scale,
        "total": t.total / scale,
    }


def open_balance(doc: Mapping[str, Any]) -> float:
    """What is left to pay on an invoice or bill: its total less payments, credits, vendor credits and
    what was written off (an invoice's write_off_amount)."""
    return round(float(doc["total"]) - float(doc.get("payment_made") or 0) - float(doc.get("credits_applied") or 0)
                 - float(doc.get("vendor_credits_applied") or 0) - float(doc.get("write_off_amount") or 0) + 0.0, 2)


def settle(doc: dict[str, Any], amount: float, *, applied: str = "payment_made", paid_on: str | None = None) -> None:
    """Apply ``amount`` (negative: take it back) of a payment or credit to an invoice or bill.

    ``applied`` is the running total it adds to (``payment_made``, ``credits_applied``,
    ``vendor_credits_applied``); the balance follows, and a payment's date becomes the document's
    ``last_payment_date``. The write path and the seeder both settle through here.
    """
    doc[applied] = round(float(doc.get(applied) or 0) + amount + 0.0, 2)
    doc["balance"] = open_balance(doc)
    if paid_on and amount > 0:
        doc["last_payment_date"] = paid_on


def _past_due(due_date: str | None, today: str) -> bool:
    return bool(due_date) and str(due_date) < str(today)  # ISO dates compare as strings


def _payable_status(total: Any, balance: Any, due_date: str | None, today: str) -> str | None:
    """What invoices and bills share: ``paid``, ``overdue`` or ``partially_paid``; None while untouched."""
    bal = dec(balance)
    if bal <= 0:
        return "paid"
    if _past_due(due_date, today):
        return "overdue"
    if bal < dec(total):
        return "partially_paid"
    return None


def invoice_status(total: Any, balance: Any, due_date: str | None, today: str, sent: bool = True, *,
                   void: bool = False, viewed: bool = False) -> str:
    """Zoho's invoice status from the numbers (our rules; Zoho documents the values only).

    ``void`` -> ``void``; not sent -> ``draft``; nothing left to pay (balance <= 0, zero-total
    invoices included) -> ``paid``; past due (``due_date < today``) with a balance -> ``overdue``
    (whether or not partly paid: Zoho flags overdue first); some paid -> ``partially_paid``;
    else ``viewed`` when the client opened it, else ``sent``.
    """
    if void:
        return "void"
    if not sent:
        return "draft"
    return _payable_status(total, balance, due_date, today) or ("viewed" if viewed else "sent")


def bill_status(total: Any, balance: Any, due_date: str | None, today: str, *, void: bool = False) -> str:
    """``void``; ``paid`` (balance <= 0); ``overdue`` (past due with a balance); ``partially_paid``;
    else ``open``. Bills have no ``draft`` in the OpenAPI, so none is produced."""
    if void:
        return "void"
    return _payable_status(total, balance, due_date, today) or "open"


def credit_status(total: Any, balance: Any, *, draft: bool = False, void: bool = False) -> str:
    """Credit notes and vendor credits: ``void``, ``draft``, ``closed`` (nothing left to use), ``open``."""
    if void:
        return "void"
    if draft:
        return "draft"
    return "closed" if dec(balance) <= 0 else "open"


def due_days_text(due_date: str | None, today: str) -> str:
    """Zoho's ``due_days`` label: "Due Today", "Due in 5 day(s)", "Overdue by 3 day(s)"."""
    if not due_date:
        return ""
    d = (date.fromisoformat(str(due_date)[:10]) - date.fromisoformat(str(today)[:10])).days
    if d == 0:
        return "Due Today"
    return f"Due in {d} day(s)" if d > 0 else f"Overdue by {-d} day(s)"


def due_counts(due_date: str | None, today: str) -> tuple[str, int]:
    """A bill's ``due_by_days`` (days overdue, as text: documented a string; "" when not overdue) and
    ``due_in_days`` (days left; 0 once due)."""
    if not due_date:
        return "", 0
    d = (date.fromisoformat(str(due_date)[:10]) - date.fromisoformat(str(today)[:10])).days
    return (str(-d), 0) if d < 0 else ("", d)


def _counter_key(org_id: str, series: str) -> str:
    return f"books:{org_id}:num:{series}"


def format_number(n: int, prefix: str, width: int = 6) -> str:
    return f"{prefix}{n:0{width}d}" if prefix else str(n)


def next_number(store, org_id: str, series: str, prefix: str, width: int = 6) -> str:
    """The next document number of ``series`` for the org: ``INV-000001`` ...; an empty prefix
    gives plain ``"1"``, ``"2"`` (payments). Unique under concurrency (atomic ``store.incr``)."""
    return format_number(store.incr(_counter_key(org_id, series)), prefix, width)


def reserve_numbers(store, org_id: str, series: str, prefix: str, n: int, width: int = 6) -> list[str]:
    """``n`` consecutive numbers of ``series`` in one counter step (the seeder's bulk form)."""
    if n <= 0:
        return []
    last = store.incr(_counter_key(org_id, series), n)
    return [format_number(i, prefix, width) for i in range(last - n + 1, last + 1)]


def inclusive_total(line: Mapping[str, Any]) -> float:
    """A line's total with its tax (sales-order.yml's item_total_inclusive_of_tax), seeded and written alike."""
    return money(float(line.get("item_total") or 0) * (1 + float(line.get("tax_percentage") or 0) / 100))


def bill_allocation(bill: Mapping[str, Any], bill_payment_id: str, amount: float) -> dict[str, Any]:
    """One row of a vendor payment's ``bills`` (vendor-payments.yml): the bill as the payment found it,
    what was applied, and the bill's balance after it; seeded and written alike."""
    return {"bill_payment_id": bill_payment_id, "bill_id": bill["bill_id"], "bill_number": bill.get("bill_number"),
            "date": bill.get("date", ""), "due_date": bill.get("due_date", ""), "total": bill.get("total", 0),
            "balance": money(float(bill.get("balance") or 0) - amount), "price_precision": bill.get("price_precision", 2),
            "amount_applied": amount, "tax_amount_withheld": 0.0}

