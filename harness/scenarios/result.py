"""What a scenario run produced: the record the reports (JSON, HTML) and the terminal are made from.

The JSON form is the report's stable schema (``report.schema.json`` documents it); add fields,
never rename them.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Status = Literal["passed", "failed", "error", "skipped", "invalid"]
RESULT_ATTR = "zoho_scenario"  # a scenario's result on its test report (xdist carries it to the controller)


@dataclass
class StepResult:
    index: int
    kind: str                      # step | check | setup
    name: str
    line: int
    label: str
    status: Status
    duration_ms: float
    detail: str = ""
    error: str | None = None


@dataclass
class OrgTraffic:
    """One organisation's Books calls per virtual minute, against its per-minute limit."""

    alias: str
    organization_id: str
    per_minute_limit: int
    start: float                   # virtual epoch of the first minute
    calls: list[int] = field(default_factory=list)
    rejected_429: list[int] = field(default_factory=list)


@dataclass
class ScenarioResult:
    name: str
    title: str
    file: str
    status: Status
    duration_s: float = 0.0
    catalogue: int | None = None
    tags: list[str] = field(default_factory=list)
    guards: list[str] = field(default_factory=list)
    target: str = "inprocess"
    mistakes: list[str] = field(default_factory=list)
    message: str | None = None
    failed_line: int | None = None
    steps: list[StepResult] = field(default_factory=list)
    journal: list[dict[str, Any]] = field(default_factory=list)
    orgs: list[OrgTraffic] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ScenarioResult":
        data = dict(data)
        data["steps"] = [StepResult(**s) for s in data.get("steps", [])]
        data["orgs"] = [OrgTraffic(**o) for o in data.get("orgs", [])]
        return cls(**data)
