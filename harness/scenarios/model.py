"""A scenario as loaded: plain data the runner walks, each call with the line it came from."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Call:
    """One step or check of a scenario: the registered name, its arguments, and its line."""

    name: str
    args: dict[str, Any]
    line: int

    def label(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in self.args.items() if k != "as")
        return f"{self.name}({shown})" if shown else self.name


@dataclass
class Scenario:
    """A validated scenario file."""

    path: Path
    name: str
    title: str
    description: str = ""
    catalogue: int | None = None
    tags: list[str] = field(default_factory=list)
    guards: list[str] = field(default_factory=list)
    skip: str | None = None
    live: bool = False
    setup: dict[str, Any] = field(default_factory=dict)
    steps: list[Call] = field(default_factory=list)
    expect: list[Call] = field(default_factory=list)
    needs_portal: bool = False          # a step or check uses the portal, or setup configures it
