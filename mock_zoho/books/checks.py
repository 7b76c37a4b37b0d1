"""A vendor payment's ``check_details``: one check object on every payment, list and detail alike.

Zoho answers ``check_details`` as one object on every vendor payment (a live list and detail show it,
with empty values when the payment was not made by check); vendor-payments.yml documents that object
in the detail and the create answer (errata/purchases.py for the list's array). A check carries its
number, status, memo and the amount written out as a US check prints it ("One Hundred Twenty-Five
and 50/100"). A write may name ``check_number`` and ``memo`` in a ``check_details`` object (or the
first object of a list, as the create request documents an array).
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Callable, Mapping

from .fields import VENDORPAYMENT_CHECK

_ONES = ("Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", "Eleven",
         "Twelve", "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen", "Eighteen", "Nineteen")
_TENS = ("", "", "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety")
_SCALES = ((10 ** 12, "Trillion"), (10 ** 9, "Billion"), (10 ** 6, "Million"), (10 ** 3, "Thousand"))
CHECK_MODE = "check"  # payment_mode, any case
CHECK_STATUS = "uncleared"  # a recorded check not yet cleared (a printed one: "printed")


def _below_thousand(n: int) -> list[str]:
    words: list[str] = []
    if n >= 100:
        words += [_ONES[n // 100], "Hundred"]
        n %= 100
    if n >= 20:
        words.append(_TENS[n // 10] + (f"-{_ONES[n % 10]}" if n % 10 else ""))
    elif n or not words:
        words.append(_ONES[n])
    return words


def _whole_words(n: int) -> str:
    if n == 0:
        return "Zero"
    words: list[str] = []
    for size, name in _SCALES:
        if n >= size:
            words += _below_thousand(n // size) + [name]
            n %= size
    if n:
        words += _below_thousand(n)
    return " ".join(words)


def amount_in_words(amount: float) -> str:
    """125.5 -> "One Hundred Twenty-Five and 50/100" (a US check's written amount)."""
    cents = int(Decimal(str(abs(amount))).quantize(Decimal("0.01"), ROUND_HALF_UP) * 100)
    return f"{_whole_words(cents // 100)} and {cents % 100:02d}/100"


def is_check(payment: Mapping[str, Any]) -> bool:
    return str(payment.get("payment_mode") or "").strip().lower() == CHECK_MODE


def given_check(value: Any) -> Mapping[str, Any]:
    """The check a write names: an object, or the first object of a list (strings are ignored)."""
    if isinstance(value, Mapping):
        return value
    if isinstance(value, list):
        return next((v for v in value if isinstance(v, Mapping)), {})
    return {}


def check_details(payment: Mapping[str, Any], new_id: Callable[[], str], given: Any = None) -> dict[str, Any]:
    """The payment's check object: its number, status and memo kept (or taken from ``given``), the amount
    in words from its amount; every key empty when the payment is not by check."""
    if not is_check(payment):
        return dict.fromkeys(VENDORPAYMENT_CHECK, "")
    old = payment.get("check_details") if isinstance(payment.get("check_details"), Mapping) else {}
    new = given_check(given)
    status = "printed" if payment.get("is_paid_via_print_check") else (old.get("check_status") or CHECK_STATUS)
    return {"check_id": old.get("check_id") or new_id(),
            "check_number": str(new.get("check_number") or old.get("check_number") or ""),
            "check_status": status, "memo": str(new.get("memo", old.get("memo")) or ""),
            "amount_in_words": amount_in_words(float(payment.get("amount") or 0))}
