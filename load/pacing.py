"""A client-side budget of calls per rolling window: how a well-behaved integration stays under
Zoho's 100 calls per minute per organisation without waiting for a 429.

The window is Zoho's minute in *real* seconds (``60 / time_scale`` when the emulator runs with
``--time-scale``), measured on the injectable ``clock`` (real time: the emulator's virtual clock
runs at a fixed multiple of it).
"""
from __future__ import annotations

import time
from collections import deque
from typing import Callable


class RollingBudget:
    """At most ``capacity`` calls in any ``window_s`` seconds; ``capacity`` 0 means no pacing."""

    def __init__(self, capacity: int, window_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        if capacity < 0 or window_s <= 0:
            raise ValueError(f"capacity must be >= 0 and window_s > 0, got {capacity} and {window_s}")
        self.capacity, self.window_s, self.clock = capacity, window_s, clock
        self._calls: deque[float] = deque()

    def _expire(self, now: float) -> None:
        while self._calls and self._calls[0] <= now - self.window_s:
            self._calls.popleft()

    def delay(self) -> float:
        """Seconds to wait before the next call fits the budget (0 when it fits now)."""
        if not self.capacity:
            return 0.0
        now = self.clock()
        self._expire(now)
        if len(self._calls) < self.capacity:
            return 0.0
        return max(0.0, self._calls[len(self._calls) - self.capacity] + self.window_s - now)

    def until_window_clears(self) -> float:
        """Seconds until the oldest call still in the window leaves it (a full window when empty):
        the wait after a per-minute 429, when Zoho gives no hint of its own."""
        now = self.clock()
        self._expire(now)
        return (self._calls[0] + self.window_s - now) if self._calls else self.window_s

    def spend(self) -> None:
        now = self.clock()
        self._expire(now)
        self._calls.append(now)
