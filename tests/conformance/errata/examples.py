"""Errata of Zoho's documents on the documents' request examples: values that no real request could send (a date years past, two enum values in one, an id of Zoho's own org), corrected so the run sends what a client would.

Each says what the document says, what the live API does, and the evidence (the document's own
examples, another Zoho document, Zoho's HTML pages, a live client's schema)."""
from __future__ import annotations

from .base import Erratum

ERRATA: tuple[Erratum, ...] = ()
