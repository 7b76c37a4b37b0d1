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
    """A clock request the emulator cannot honour (negative advance, bad scale); ``field`` names it."""

    def __init__(self, message: str, field: str = "scale") -> None:
        super().__init__(message)
        self.field = field


# The virtual time stays where every date library can follow it: from the epoch to the last second
# of year 9999. A scale stays within a millionth and a million (beyond, timestamps lose meaning).
MAX_EPOCH = 253402300799.0  # 9999-12-31T23:59:59Z
MIN_SCALE, MAX_SCALE = 1e-6, 1e6


def _check_scale(scale: Any) -> float:
    if isinstance(scale, bool) or not isinstance(scale, (int, float)) or not MIN_SCALE <= scale <= MAX_SCALE:
        raise ClockError(f"time scale must be between {MIN_SCALE} and {MAX_SCALE:g}", "scale")
    return float(scale)


def _check_epoch(epoch: Any, field: str) -> float:
    if isinstance(epoch, bool) or not isinstance(epoch, (int, float)) or not 0 <= epoch <= MAX_EPOCH:
        raise ClockError(f"the clock must stay between 0 and {MAX_EPOCH:.0f} (9999-12-31T23:59:59Z)", field)
    return float(epoch)


class Clock:
    """Virtual time = anchor_virtual + (real_now - anchor_real) * scale."""

    def __init__(self, start: float | None = None, scale: float = 1.0, real: Callable[[], float] = time.time) -> None:
        _check_scale(scale)
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
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not 0 <= seconds <= MAX_EPOCH:
            raise ClockError("the clock only moves forward: seconds must be >= 0", "advance")
        _check_epoch(self.now() + seconds, "advance")
        with self._lock:
            self._anchor_virtual += float(seconds)
            self.version += 1
        self._changed()
        return self.now()

    def set(self, epoch: float) -> float:
        epoch = _check_epoch(epoch, "set")
        with self._lock:
            self._anchor_real = self._real()
            self._anchor_virtual = float(epoch)
            self.version += 1
        self._changed()
        return self.now()

    def set_scale(self, scale: float) -> None:
        scale = _check_scale(scale)
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
