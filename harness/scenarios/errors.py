"""What a running scenario raises: a failed step or check says what went wrong, in a person's words."""
from __future__ import annotations

from typing import Any


class ScenarioFailure(AssertionError):
    """A step or check that did not hold. ``journal`` is the emulator-journal filter (or the entries)
    that explain it, shown beside the message in the reports."""

    def __init__(self, message: str, *, journal: dict[str, Any] | list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.journal = journal


class CheckFailed(ScenarioFailure):
    """An expectation that did not hold."""


class StepFailed(ScenarioFailure):
    """A step that could not do what it says (the portal refused, a page was missing, ...)."""


class NotAvailable(Exception):
    """The step or check needs something this run lacks (the portal module, a person at Zoho): skip."""
