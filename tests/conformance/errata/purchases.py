"""Errata of Zoho's documents on the purchase side (bills, purchase orders, vendor credits, vendor payments, expenses, recurring bills and expenses).

Each says what the document says, what the live API does, and the evidence (the document's own
examples, another Zoho document, Zoho's HTML pages, a live client's schema)."""
from __future__ import annotations

from .base import Erratum

ERRATA: tuple[Erratum, ...] = ()
