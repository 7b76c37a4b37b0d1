"""The limiter's rules, pure: a policy, the counters an engine reads, and the verdict.

No store, no clock, no request: the storage backends that run the limiter's step themselves (the
LMDB hot file, the Redis script) import these definitions, and ``mock_zoho.limits.models`` builds
policies from the config and runs the generic step on any ``Store``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from .. import literals as L

ORGS_NS = "limits:orgs"
OVERRIDES_NS = "limits:overrides"
MINUTE_S = 60.0
DAY_S = 86400.0
UNLIMITED = 2**62

# Outcome codes shared by every engine (the Books body code of the rejection, 0 = admitted).
ADMITTED = 0
REJECT_MINUTE = L.PER_MINUTE_EXCEEDED.code
REJECT_DAILY = L.DAILY_EXCEEDED.code
REJECT_CONCURRENCY = L.CONCURRENCY_EXCEEDED.code


@dataclass(frozen=True)
class Policy:
    """The limits in force for one org at one instant, and where its counters live."""

    org_id: str
    per_minute: int
    daily: int
    concurrency: int  # soft extra included
    soft_extra: int
    minute_rolling: bool
    minute_key: str
    minute_end: float  # fixed window: end of the current minute; rolling: unused
    day_rolling: bool
    day_key: str
    day_end: float  # fixed day: next reset; rolling: unused
    inflight_key: str
    blocked_key: str
    block_s: float
    count_rejected: bool


@dataclass
class Outcome:
    """What an engine saw and did: the code, and every counter after the step."""

    code: int
    minute_used: int
    minute_oldest: float | None
    daily_used: int
    day_oldest: float | None
    in_flight: int
    blocked_until: float
    per_minute: int
    daily: int
    concurrency: int


def offset_seconds(text: str) -> int:
    """'+0530' -> 19800; anything unreadable -> 0."""
    try:
        sign = -1 if text.startswith("-") else 1
        digits = text.lstrip("+-")
        return sign * (int(digits[:2]) * 3600 + int(digits[2:4]) * 60)
    except (ValueError, AttributeError):
        return 0


def next_midnight(now: float, offset_s: int) -> float:
    """The next midnight after ``now`` at UTC offset ``offset_s``: when a local date changes."""
    return (math.floor((now + offset_s) / DAY_S) + 1) * DAY_S - offset_s


def judge(p: Policy, now: float, minute_used: int, daily_used: int, in_flight: int,
          blocked_until: float) -> tuple[int, float]:
    """Which limit rejects a call (``ADMITTED`` if none) given the counters before it, and when the
    per-minute block ends (moved when this breach starts one). The Python engines share it; the
    Redis Lua script spells out the same rules."""
    if daily_used >= p.daily:
        return REJECT_DAILY, blocked_until
    if blocked_until > now or minute_used >= p.per_minute:
        if p.block_s > 0 and blocked_until <= now:
            blocked_until = now + p.block_s
        return REJECT_MINUTE, blocked_until
    if in_flight >= p.concurrency:
        return REJECT_CONCURRENCY, blocked_until
    return ADMITTED, blocked_until
