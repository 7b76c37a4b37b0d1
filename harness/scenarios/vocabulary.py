"""Every step and check a scenario may name: the one module that imports those that register them.

The step and check modules register themselves with ``registry`` as they are imported; importing
them here (and only here) keeps the direction one way: registry <- steps and checks <- vocabulary
<- loader, runner, schema.
"""
from __future__ import annotations

from . import checks_portal, checks_zoho, steps_portal, steps_zoho  # noqa: F401  (importing registers them)
from .registry import REGISTRY, Entry

__all__ = ["VOCABULARY"]

VOCABULARY: dict[str, Entry] = REGISTRY
