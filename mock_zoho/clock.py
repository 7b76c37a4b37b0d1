"""The virtual clock: the one place the emulator reads time from.

Every expiry, window and reset is computed against ``Clock.now()``, so a test can move a day of
rate limits forward in one call (like Stripe's test clocks) and ``--time-scale 60`` can make a
virtual minute pass in one real second. Headers that tell a client how long to wait are converted
back to real seconds with ``real_seconds``.
"""
from __future__ import annotations

import threading
import time
from datetime import datetime, timezone
from typing import Any, Callable


class ClockError(ValueError):
    """A clock request the emulator cannot honour (negative advance, bad scale)."""


class Clock:
    """Virtual time = anchor_virtual + (real_now - anchor_real) * scale."""

    def __init__(self, start: float | None = None, scale: float = 1.0, real: Callable[[], float] = time.time) -> None:
        if scale <= 0:
            raise ClockError("time scale must be greater than 0")
        self._real = real
        self._lock = threading.Lock()
        now_real = real()
        self._anchor_real = now_real
        self._anchor_virtual = now_real if start is None else float(start)
        self._scale = float(scale)
        self.version = 0
        self._listeners: list[Callable[[], None]] = []

    # -- reading ---------------------------------------------------------------------------
    def now(self) -> float:
        return self._anchor_virtual + (self._real() - self._anchor_real) * self._scale

    def datetime(self) -> datetime:
        return datetime.fromtimestamp(self.now(), tz=timezone.utc)

    @property
    def scale(self) -> float:
        return self._scale

    def real_seconds(self, virtual_seconds: float) -> float:
        """How long a client must wait in real time for ``virtual_seconds`` to pass here."""
        return virtual_seconds / self._scale

    # -- moving ----------------------------------------------------------------------------
    def advance(self, seconds: float) -> float:
        if seconds < 0:
            raise ClockError("the clock only moves forward: seconds must be >= 0")
        with self._lock:
            self._anchor_virtual += float(seconds)
            self.version += 1
        self._changed()
        return self.now()

    def set(self, epoch: float) -> float:
        with self._lock:
            self._anchor_real = self._real()
            self._anchor_virtual = float(epoch)
            self.version += 1
        self._changed()
        return self.now()

    def set_scale(self, scale: float) -> None:
        if not scale or scale <= 0:
            raise ClockError("time scale must be greater than 0")
        with self._lock:
            now_virtual = self.now()
            self._anchor_real = self._real()
            self._anchor_virtual = now_virtual
            self._scale = float(scale)
            self.version += 1
        self._changed()

    def on_change(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    def _changed(self) -> None:
        for listener in list(self._listeners):
            listener()

    # -- sharing (a store keeps the anchors so several processes agree on the time) ---------
    def to_state(self) -> dict[str, Any]:
        return {"anchor_real": self._anchor_real, "anchor_virtual": self._anchor_virtual, "scale": self._scale}

    def load_state(self, state: dict[str, Any]) -> None:
        with self._lock:
            self._anchor_real = float(state["anchor_real"])
            self._anchor_virtual = float(state["anchor_virtual"])
            self._scale = float(state["scale"])
            self.version += 1

    def describe(self) -> dict[str, Any]:
        now = self.now()
        return {
            "now": now,
            "iso": datetime.fromtimestamp(now, tz=timezone.utc).isoformat().replace("+00:00", "Z"),
            "scale": self._scale,
            "real_now": self._real(),
        }
