"""Where Books data lives in the store, and the org offset arithmetic: shared by the models and the
seeder (the models import the seeder, so neither imports the other for these)."""
from __future__ import annotations

from datetime import timedelta


def record_ns(org_id: str, resource: str) -> str:
    return f"books:{org_id}:{resource}"


def documents_ns(org_id: str) -> str:
    """Where an org's attached files (their bytes) are kept; a record lists its own in ``documents``."""
    return f"books:{org_id}:documents"


def id_counter(org_id: str) -> str:
    """The per-org record-id counter (shared with the seeder, seed/, through ``BooksBackend.new_id``)."""
    return f"books:{org_id}:seq"


def parse_offset(offset: str) -> timedelta:
    sign = -1 if offset.startswith("-") else 1
    digits = offset.lstrip("+-").replace(":", "")
    return sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4]))
