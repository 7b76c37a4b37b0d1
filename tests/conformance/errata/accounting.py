"""Errata of Zoho's documents on accounting and the other modules (bank accounts, transactions and rules, journals, chart of accounts, fixed assets, projects, tasks, time entries, taxes, users, organisations, opening balances, base-currency adjustments, custom modules, locations).

Each says what the document says, what the live API does, and the evidence (the document's own
examples, another Zoho document, Zoho's HTML pages, a live client's schema)."""
from __future__ import annotations

from .base import Erratum

ERRATA: tuple[Erratum, ...] = ()
