"""The client-side budget per Zoho organisation: stay inside its limits instead of hitting them.

Zoho limits each organisation to 100 calls in a rolling minute, a daily quota by plan (shared by
every app and user of the org) and 5 (Free) or 10 calls in flight. The budget keeps one process
below all three at once:

* **Per minute**: at most ``budget_minute_fraction`` (90 %) of 100 calls in any rolling 60 s of the
  connector's clock, so it never draws code 44 by itself; the other 10 are left for the customer's
  other apps and for lag: Zoho counts a call when it arrives, after the budget let it go, so a
  rolling minute on Zoho's side holds at most 90 plus the calls in flight at its start (8): 98.
* **Daily**: learned from ``X-Rate-Limit-Limit`` / ``-Remaining`` / ``-Reset`` on every answer, so
  calls made by *other* apps on the same org are counted too. When the calls left reach the reserve
  (50) the budget raises ``DailyQuotaExhausted(reset_at)`` and the engine pauses (or fails) the
  dataset; nothing is spent until the reset. Without the headers it counts its own calls only and
  relies on code 45.
* **In flight**: 4 on the Free plan, 8 on paid plans (the plan shows in ``X-Rate-Limit-Limit``: a
  daily quota of 1,000 or less is Free); 4 until the first answer says.
* **Back-off shared by the org**: a 429 code 44 or 1070 blocks every caller of the org for the
  back-off the Books client chose, not just the thread that drew it. A 1070 also caps the calls in
  flight at those still running when it came (for a minute): the org's 10 are shared with the
  customer's other apps.

Scope: one budget per (clock, API domain, organisation) **per process**, shared by every sync of
that org in the process (``budget_for``). Across processes the daily part stays right (it reads
Zoho's own count from the headers), but the per-minute window and the in-flight count are per
process: N processes syncing one org may reach N x 90 calls a minute and N x 8 in flight, and then
lean on the 429 back-off. Run one org's syncs in one process (the portal's worker does), or divide
``budget_minute_fraction`` and the concurrency settings by the number of processes.

Every wait reads the injected clock (``sleep_until``); waiting for a slot in flight waits for a
release, not for time.
"""
from __future__ import annotations

import collections
import math
import threading
import weakref
from datetime import datetime, timedelta, timezone
from typing import Any, Mapping

from ..clock import Clock, WallClock
from .errors import DailyQuotaExhausted
from .settings import ConnectorSettings

__all__ = ["OrgBudget", "NoBudget", "budget_for", "next_utc_midnight", "reset_epoch", "FREE_PLAN_DAILY_MAX"]

WINDOW_S = 60.0
QUARTER_HOUR_S = 900       # every time zone's midnight is a whole quarter hour of UTC
FREE_PLAN_DAILY_MAX = 1000   # Zoho's Free plan quota; above it the plan is paid (10 in flight)


def next_utc_midnight(epoch: float) -> float:
    """Zoho's daily reset when no header says otherwise (the emulator's default ``utc_midnight``)."""
    day = datetime.fromtimestamp(epoch, tz=timezone.utc).date() + timedelta(days=1)
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp()


def reset_epoch(now: float, seconds: float) -> float:
    """The reset instant ``X-Rate-Limit-Reset`` points at, not ``now`` plus it (no "00:00:00.439Z").

    Zoho resets on a whole second and rounds the seconds left up, so the reset is the whole second in
    ``(now + seconds - 1, now + seconds]``: ``floor(now + seconds)``. Its days turn at midnight of the
    organisation's time zone, a quarter hour of UTC, so a whole second within 5 s of a quarter hour
    (the two clocks never agree to the millisecond) is that quarter hour."""
    at = float(math.floor(now + seconds))
    boundary = round(at / QUARTER_HOUR_S) * QUARTER_HOUR_S
    return float(boundary) if abs(at - boundary) <= 5 else at


class OrgBudget:
    """One organisation's budget; thread-safe. ``acquire()`` before a call, ``release(headers)`` after."""

    def __init__(self, clock: Clock, settings: ConnectorSettings) -> None:
        self.clock = clock
        self.per_minute = max(1, int(settings.budget_per_minute * settings.budget_minute_fraction))
        self.reserve = settings.budget_daily_reserve
        self._free, self._paid = settings.budget_concurrency_free, settings.budget_concurrency_paid
        self.concurrency = max(1, self._free)
        self.daily_limit: int | None = None
        self.remaining: int | None = None
        self.reset_at: float | None = None
        self.blocked_until = 0.0
        self.inflight = 0
        self.max_inflight = 0
        self.crowded_cap: int | None = None   # calls in flight the org took when it last answered 1070
        self.crowded_until = 0.0
        self._window: collections.deque[float] = collections.deque()
        self._cond = threading.Condition()

    def acquire(self) -> float:
        """Wait (on the clock) until a call fits every limit; returns the seconds waited. Raises
        ``DailyQuotaExhausted`` when the daily quota (less the reserve) is spent."""
        waited = 0.0
        with self._cond:
            while True:
                now = self.clock.now()
                if self.reset_at is not None and now >= self.reset_at:
                    self.remaining, self.reset_at = None, None   # a new day: learn it from the next answer
                if self.remaining is not None and self.remaining <= self.reserve:
                    raise DailyQuotaExhausted(self.reset_at or next_utc_midnight(now),
                                              f"daily budget spent: {self.remaining} calls left, "
                                              f"{self.reserve} kept in reserve")
                while self._window and self._window[0] <= now - WINDOW_S:
                    self._window.popleft()
                until = None
                if now < self.blocked_until:
                    until = self.blocked_until
                elif len(self._window) >= self.per_minute:
                    until = self._window[0] + WINDOW_S
                elif self.inflight >= self._inflight_limit(now):
                    self._cond.wait(timeout=1.0)   # a release wakes us; the timeout is only a guard
                    continue
                else:
                    self._window.append(now)
                    self.inflight += 1
                    self.max_inflight = max(self.max_inflight, self.inflight)
                    if self.remaining is not None:
                        self.remaining -= 1
                    return waited
                self._cond.release()
                try:
                    self.clock.sleep_until(until)
                    waited += max(0.0, until - now)
                finally:
                    self._cond.acquire()

    def release(self, headers: Mapping[str, Any] | None = None) -> None:
        """The call is over; learn the org's daily state from Zoho's rate headers when present."""
        with self._cond:
            self.inflight = max(0, self.inflight - 1)
            if headers:
                self._observe(headers)
            self._cond.notify_all()

    def _inflight_limit(self, now: float) -> int:
        if self.crowded_cap is not None and now < self.crowded_until:
            return min(self.concurrency, self.crowded_cap)
        return self.concurrency

    def crowded(self, timeout_s: float) -> None:
        """A 1070: the org holds fewer calls in flight than ours allow (other apps' calls count too).
        Ours are capped at those still in flight (at least 1) for a minute, and this caller waits until
        one of them ends, at most ``timeout_s`` of real time (all of it when none is ours). Real time on
        purpose: a call in flight ends when its answer arrives, which no virtual clock moves."""
        with self._cond:
            self.crowded_cap = max(1, self.inflight)
            self.crowded_until = self.clock.now() + WINDOW_S
            self._cond.wait(timeout=timeout_s)

    def block(self, until: float) -> None:
        """A 429 (44 or 1070): nobody calls this org before ``until``."""
        with self._cond:
            self.blocked_until = max(self.blocked_until, until)

    def _observe(self, headers: Mapping[str, Any]) -> None:
        limit, remaining, reset = (_int(headers.get(h)) for h in
                                   ("X-Rate-Limit-Limit", "X-Rate-Limit-Remaining", "X-Rate-Limit-Reset"))
        now = self.clock.now()
        if limit is not None:
            self.daily_limit = limit
            self.concurrency = max(1, self._free if limit <= FREE_PLAN_DAILY_MAX else self._paid)
        if reset is not None:
            new_reset = reset_epoch(now, reset)
            if self.reset_at is not None and abs(new_reset - self.reset_at) > WINDOW_S:
                self.remaining = None                          # another day than the one we counted
            self.reset_at = new_reset
        if remaining is not None:
            # Zoho's count includes other apps' calls; ours includes calls it has not seen yet.
            self.remaining = remaining if self.remaining is None else min(self.remaining, remaining)

    def snapshot(self) -> dict[str, Any]:
        with self._cond:
            return {"per_minute": self.per_minute, "concurrency": self.concurrency, "inflight": self.inflight,
                    "max_inflight": self.max_inflight, "crowded_cap": self.crowded_cap, "daily_limit": self.daily_limit, "remaining": self.remaining,
                    "reset_at": self.reset_at, "calls_last_minute": len(self._window)}


class NoBudget(OrgBudget):
    """The ``no_budget`` mistake: every call goes at once (Zoho's limits are found by hitting them)."""

    def acquire(self) -> float:
        with self._cond:
            self.inflight += 1
            self.max_inflight = max(self.max_inflight, self.inflight)
        return 0.0

    def block(self, until: float) -> None:
        pass


_REGISTRY: "weakref.WeakKeyDictionary[Any, dict[tuple[str, str, bool], OrgBudget]]" = weakref.WeakKeyDictionary()
_REGISTRY_LOCK = threading.Lock()


def budget_for(clock: Clock, api_domain: str, organization_id: str, settings: ConnectorSettings) -> OrgBudget:
    """This process's budget for one org (shared by every sync of it on the same clock)."""
    key_clock: Any = WallClock if isinstance(clock, WallClock) else clock
    key = (api_domain.rstrip("/"), organization_id, settings.no_budget)
    with _REGISTRY_LOCK:
        per_clock = _REGISTRY.setdefault(key_clock, {})
        budget = per_clock.get(key)
        if budget is None:
            budget = per_clock[key] = (NoBudget if settings.no_budget else OrgBudget)(clock, settings)
        return budget


def _int(value: Any) -> int | None:
    try:
        return int(str(value).strip().replace(",", ""))
    except (TypeError, ValueError):
        return None
