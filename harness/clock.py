"""Time for the harness: one ``Clock`` protocol, read by every wait and window.

Why: against the emulator a scenario hands in its virtual clock (``mock_zoho.testing.VirtualClock``
satisfies this protocol), so an hour of rate-limit waits costs a few admin calls and windows stay
exact to the emulator's own count; against the real Zoho it is ``WallClock``. Logic that must follow
the emulator never calls ``time.time()`` or ``time.sleep()`` itself.
"""
from __future__ import annotations

import threading
import time
from datetime import datetime, timezone
from typing import Protocol, runtime_checkable

__all__ = ["Clock", "WallClock", "ManualClock", "iso"]


@runtime_checkable
class Clock(Protocol):
    """Epoch seconds and the two ways to wait for them."""

    def now(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...

    def sleep_until(self, epoch: float) -> None: ...


class WallClock:
    """The real clock: what the connector uses against the real Zoho."""

    def now(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)

    def sleep_until(self, epoch: float) -> None:
        self.sleep(epoch - time.time())

    def __repr__(self) -> str:
        return "WallClock()"


class ManualClock:
    """A clock that moves only when told (or when someone sleeps on it): for tests without an emulator.

    Sleeping advances it, as ``VirtualClock`` does, so code under test never waits for real.
    """

    def __init__(self, start: float = 1_767_225_600.0) -> None:  # 2026-01-01T00:00:00Z
        self._now = float(start)
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> float:
        with self._lock:
            self._now += max(0.0, float(seconds))
            return self._now

    def set(self, epoch: float) -> float:
        with self._lock:
            self._now = float(epoch)
            return self._now

    def sleep(self, seconds: float) -> None:
        self.advance(seconds)

    def sleep_until(self, epoch: float) -> None:
        with self._lock:  # threads waiting for one moment move the clock once between them
            if epoch > self._now:
                self._now = float(epoch)

    def __repr__(self) -> str:
        return f"ManualClock({iso(self.now())})"


def iso(epoch: float) -> str:
    """``2026-01-02T00:00:00.000Z``: the shape Codat uses in ``Paused until ...``."""
    dt = datetime.fromtimestamp(epoch, tz=timezone.utc)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"
