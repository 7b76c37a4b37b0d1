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
* Balances: ``balance = total - payment_made - credits_applied`` (invoices) and
  ``total - payment_made - vendor_credits_applied`` (bills).

Statuses: see ``invoice_status``, ``bill_status`` and ``credit_status``.

Document numbers: ``next_number`` draws from the per-org counter ``books:{org}:num:{series}``
(atomic ``store.incr``), so numbers are unique under concurrency and the seeder and the handlers
share one sequence per series: ``INV-000001`` (invoices), ``CN-000001`` (credit notes),
``SO-000001`` (sales orders), ``PO-000001`` (purchase orders), ``EST-000001`` (estimates),
``DN-000001`` (vendor credits), ``JE-000001`` (journals, our choice); payments use an empty prefix
and are not padded, as Zoho numbers them ``"1"``, ``"2"`` ...
"""
from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Iterable, Mapping

_QUANT = {p: Decimal(1).scaleb(-p) for p in range(0, 9)}
_ZERO = Decimal(0)
_HUNDRED = Decimal(100)

# series -> prefix used by the seeder (the handlers pass their own, normally the same).
NUMBER_PREFIXES: dict[str, str] = {
    "invoices": "INV-", "creditnotes": "CN-", "salesorders": "SO-", "purchaseorders": "PO-",
    "estimates": "EST-", "vendorcredits": "DN-", "journals": "JE-", "customerpayments": "",
    "vendorpayments": "", "bills": "BILL-", "expenses": "EXP-",
}


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
    out_lines: list[dict[str, Any]] = []
    totals: list[Decimal] = []
    pcts: list[Decimal] = []
    taxinfo: list[Mapping[str, Any] | None] = []
    try:
        for raw in line_items:
            line = dict(raw)
            rate = dec(line.get("rate", 0))
            qty = dec(line.get("quantity", 1) if line.get("quantity") is not None else 1)
            gross = (rate * qty).quantize(q, ROUND_HALF_UP)
            dval, dpct = _split_discount(line.get("discount"))
            damount = (gross * dval / _HUNDRED).quantize(q, ROUND_HALF_UP) if dpct else dval.quantize(q, ROUND_HALF_UP)
            item_total = gross - damount
            tax = taxes_by_id.get(line.get("tax_id") or "") if line.get("tax_id") else None
            pct = dec(tax.get("tax_percentage", 0)) if tax else _ZERO
            line["rate"] = float(rate)
            line["quantity"] = float(qty) if qty != qty.to_integral_value() else int(qty)
            line["discount_amount"] = float(damount)
            line["discount"] = line.get("discount") if dpct else float(damount)
            line["item_total"] = float(item_total)
            line["tax_id"] = tax.get("tax_id", line.get("tax_id")) if tax else ""
            line["tax_name"] = tax.get("tax_name", "") if tax else ""
            line["tax_percentage"] = float(pct) if tax else 0
            line["tax_type"] = tax.get("tax_type", "tax") if tax else ""
            out_lines.append(line)
            totals.append(item_total)
            pcts.append(pct)
            taxinfo.append(tax)
        sub_total = sum(totals, _ZERO)
        dval, dpct = _split_discount(discount)
        disc = (sub_total * dval / _HUNDRED).quantize(q, ROUND_HALF_UP) if dpct else dval.quantize(q, ROUND_HALF_UP)
        ship = round_dec(shipping_charge, precision)
        adj = round_dec(adjustment, precision)
    except ArithmeticError as exc:  # decimal.InvalidOperation
        raise ValueError(f"invalid amount in document: {exc}") from None
    factor = (sub_total - disc) / sub_total if (disc and is_discount_before_tax and sub_total) else None
    tax_total = _ZERO
    by_name: dict[str, Decimal] = {}
    for line, base, pct, tax in zip(out_lines, totals, pcts, taxinfo):
        if tax is None or not pct:
            line["line_tax_amount"] = 0.0
            if tax is not None:
                by_name.setdefault(line["tax_name"], _ZERO)
            continue
        if factor is not None:
            base = base * factor
        if is_inclusive_tax:
            amount = (base - base * _HUNDRED / (_HUNDRED + pct)).quantize(q, ROUND_HALF_UP)
        else:
            amount = (base * pct / _HUNDRED).quantize(q, ROUND_HALF_UP)
        line["line_tax_amount"] = float(amount)
        tax_total += amount
        by_name[line["tax_name"]] = by_name.get(line["tax_name"], _ZERO) + amount
    total = sub_total - disc + ship + adj + (_ZERO if is_inclusive_tax else tax_total)
    return {
        "line_items": out_lines,
        "sub_total": float(sub_total),
        "discount_amount": float(disc),
        "tax_total": float(tax_total),
        "taxes": [{"tax_name": n, "tax_amount": float(a)} for n, a in by_name.items()],
        "shipping_charge": float(ship),
        "adjustment": float(adj),
        "total": float(total),
    }


def balance(total: Any, *applied: Any, precision: int = 2) -> float:
    """``total`` minus every applied amount (payments, credits), rounded."""
    out = dec(total)
    for a in applied:
        out -= dec(a)
    return float(out.quantize(_QUANT[precision], ROUND_HALF_UP))


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


def pct_milli(percentage: Any) -> int:
    """A tax percentage in thousandths of a percent (8.875 -> 8875): the fast path's unit."""
    return int(round_dec(percentage, 3) * 1000)


def line_tax_cents(item_total_cents: int, pct_m: int) -> int:
    """Half-up tax in cents of a non-negative line total: same result as ``document_totals``."""
    if item_total_cents >= 0:
        return (item_total_cents * pct_m + 50000) // 100000
    return -((-item_total_cents * pct_m + 50000) // 100000)


def totals_cents(lines: Iterable[tuple[int, int, int, int, str]]) -> tuple[list[int], list[int], int, int, dict[str, int]]:
    """The integer fast path of ``document_totals`` used by the bulk seeder (exclusive tax,
    integer quantities, line discounts as amounts, no entity discount). Each line is
    ``(rate_cents, quantity, discount_cents, tax_pct_milli, tax_name)``; an empty ``tax_name``
    means untaxed. Returns (item_totals, line_taxes, sub_total, tax_total, taxes_by_name), all
    in cents. Identical numbers to ``document_totals`` at precision 2 (tested)."""
    item_totals: list[int] = []
    line_taxes: list[int] = []
    by_name: dict[str, int] = {}
    sub = tax_total = 0
    for rate_c, qty, disc_c, pm, name in lines:
        it = rate_c * qty - disc_c
        t = line_tax_cents(it, pm) if name else 0
        item_totals.append(it)
        line_taxes.append(t)
        sub += it
        tax_total += t
        if name:
            by_name[name] = by_name.get(name, 0) + t
    return item_totals, line_taxes, sub, tax_total, by_name
