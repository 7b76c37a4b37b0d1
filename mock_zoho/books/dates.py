"""Zoho's date parameters (``YYYY-MM-DD``): read by the query parser and the write rules (the
resource descriptions hold the rules and the query parser reads the descriptions, so the rules
cannot import the query parser)."""
from __future__ import annotations

import re
from datetime import date

from ..errors import invalid_value

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(value: str, param: str) -> str:
    if not DATE_RE.match(value):
        raise invalid_value(param)
    try:
        date.fromisoformat(value)
    except ValueError:
        raise invalid_value(param) from None
    return value
