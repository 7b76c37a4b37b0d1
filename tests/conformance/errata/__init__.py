"""Known errata of Zoho's Books OpenAPI documents, written as patches on one resolved operation.

Each erratum names what the documents get wrong and how the live API behaves, with its evidence;
``apply_errata`` returns the names of those it applied to an operation, so a report can say which
corrections a verdict rests on. One table per area: general (every document), sales, purchases,
accounting, and the request examples.
"""
from __future__ import annotations

from ..oas import Operation
from . import accounting, examples, general, purchases, sales
from .base import Erratum

ERRATA: tuple[Erratum, ...] = general.ERRATA + sales.ERRATA + purchases.ERRATA + accounting.ERRATA + examples.ERRATA


def apply_errata(op: Operation) -> list[str]:
    """Patch ``op`` in place with every erratum that concerns it; the names of those applied."""
    return [e.name for e in ERRATA if e.patch(op)]
