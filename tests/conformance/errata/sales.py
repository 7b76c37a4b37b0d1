"""Errata of Zoho's documents on the sales side (invoices, estimates, sales orders, credit notes, customer payments and debit notes, retainer and recurring invoices, contacts, contact persons, items).

Each says what the document says, what the live API does, and the evidence (the document's own
examples, another Zoho document, Zoho's HTML pages, a live client's schema)."""
from __future__ import annotations

from .base import Erratum

ERRATA: tuple[Erratum, ...] = ()
