"""A journal line's tax authority and tax exemption (journals.yml): the edition-only line fields.

journals.yml gates them per edition (``editions.JOURNAL_LINE_EDITION_FIELDS``): US, Australian and
Canadian lines carry both the authority and the exemption, Indian lines the exemption only, other
editions neither. A line names them by id (``tax_authority_id``, ``tax_exemption_id``); the name,
code and type are the named record's, so a line always agrees with the org's own settings. A line
that names none carries "" (what a seeded line, which has no tax, carries).
"""
from __future__ import annotations

from typing import Any, Mapping

from .editions import JOURNAL_LINE_EDITION_FIELDS

# The line keys a journal write reads for them (the names, codes and types are derived, never taken).
LINE_TAX_SCHEMA = {"tax_authority_id": "id", "tax_exemption_id": "id"}


def line_tax_fields(edition: str) -> tuple[str, ...]:
    return JOURNAL_LINE_EDITION_FIELDS.get(edition, ())


def blank_line_tax(edition: str) -> dict[str, str]:
    """The edition's line fields of a line that names no authority or exemption."""
    return dict.fromkeys(line_tax_fields(edition), "")


def journal_line_tax(ctx: Any, row: Mapping[str, Any]) -> dict[str, str]:
    """The edition's line fields of one journal line of a write: the exemption and authority it names
    (code 2 naming the field when the org has no such record); fields of other editions are ignored."""
    edition = ctx.org.get("_edition", "")
    out = blank_line_tax(edition)
    if "tax_exemption_id" in out and row.get("tax_exemption_id"):
        exemption = ctx.referenced("taxexemptions", row["tax_exemption_id"], "tax_exemption_id")
        out.update(tax_exemption_id=str(exemption["tax_exemption_id"]),
                   tax_exemption_code=str(exemption.get("tax_exemption_code", "")),
                   tax_exemption_type=str(exemption.get("type", "")))
    if "tax_authority_id" in out and row.get("tax_authority_id"):
        authority = ctx.referenced("taxauthorities", row["tax_authority_id"], "tax_authority_id")
        out.update(tax_authority_id=str(authority["tax_authority_id"]),
                   tax_authority_name=str(authority.get("tax_authority_name", "")))
    return out
