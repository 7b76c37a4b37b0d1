"""Per-organisation Books limits: per minute, per day by plan, and calls in flight (reference §5).

``admit(org)`` checks every limit and then commits every counter in one atomic step, so a call
rejected by one limit never consumes another, and no number of threads or processes can get more
calls through than the limits allow. The rules are ``mock_zoho.limits.engine`` (pure); the step
runs in one of three places, all giving the same answers:

* any ``Store`` (the in-memory one): the checks and commits run under ``store.lock`` for the org;
* the LMDB store (``Store.limits_step``): the same step under its hot file's lock alone;
* a store with the ``ScriptedLimits`` capability (Redis): one Lua script does it all inside Redis.

All windows and resets follow the emulator's virtual clock (``clock.now()``); header values that
tell a client how long to wait are real seconds (``clock.real_seconds``), rounded up. A rejection
is a ``LimitExceeded`` domain error carrying those headers; the Books edge answers it.

Why not the ``limits`` library: its storages read the wall clock (``time.time()``) and cannot be
told another time, while every window here must follow the virtual clock (advance, time scale);
it also checks one limit at a time, whereas a call must pass all three before any is consumed.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Callable, Mapping
from zoneinfo import ZoneInfo

from .. import literals as L
from ..books.editions import EDITIONS
from ..errors import LimitExceeded
from ..storage.base import ScriptedLimits
from .engine import (ADMITTED, DAY_S, MINUTE_S, ORGS_NS, OVERRIDES_NS, REJECT_DAILY, REJECT_MINUTE, UNLIMITED, Outcome,
                     Policy, judge, next_midnight, offset_seconds)

# What other modules imported from here before the engine had its own module (books.replay does).
_offset_seconds = offset_seconds
__all__ = ["ADMITTED", "Policy", "Outcome", "judge", "next_midnight", "ORGS_NS", "OVERRIDES_NS", "LimitsBackend",
           "Admission", "org_utc_offset"]

OVERRIDE_FIELDS = ("per_minute", "daily", "concurrency")


@dataclass
class Admission:
    """An admitted call: headers for its response, and ``release()`` to free its concurrency slot."""

    headers: dict[str, str] = field(default_factory=dict)
    _release: Callable[[], None] | None = None

    def release(self) -> None:
        """Free the slot (idempotent: a second call does nothing)."""
        fn, self._release = self._release, None
        if fn is not None:
            fn()


def org_utc_offset(org: Mapping[str, Any], epoch: float) -> int:
    """The org's offset from UTC in seconds at ``epoch``: its time_zone (DST-aware), else its stored
    offset, else its edition's."""
    tz = org.get("time_zone")
    if tz:
        try:
            off = datetime.fromtimestamp(epoch, tz=ZoneInfo(str(tz))).utcoffset()
            if off is not None:
                return int(off.total_seconds())
        except Exception:  # unknown zone name: fall back to the offset fields
            pass
    if org.get("_utc_offset"):
        return offset_seconds(str(org["_utc_offset"]))
    edition = org.get("edition") or org.get("_edition")
    if edition:
        ed = EDITIONS.get(str(edition))
        if ed is not None:
            return offset_seconds(ed.utc_offset)
    return 0


def spend_delay(delay: dict[str, Any] | None) -> None:
    """Spend a latency or hold fault's wait once, inside the admission, so the slow call holds its
    concurrency slot as a slow Zoho call would (see ``mock_zoho.faults``)."""
    if delay and not delay["done"]:
        delay["done"] = True
        delay["wait"]()


def _ceil_s(seconds: float) -> int:
    return max(0, int(math.ceil(seconds - 1e-9)))


class LimitsBackend:
    """The limiter of one emulator; all its state lives in ``emulator.store``."""

    def __init__(self, emulator) -> None:
        self.emulator = emulator
        store = emulator.store
        # Redis runs the whole step, overrides included, in one script (a declared capability)
        self._scripted: ScriptedLimits | None = store if isinstance(store, ScriptedLimits) else None

    # -- plumbing ------------------------------------------------------------------------------
    @property
    def store(self):
        return self.emulator.store

    @property
    def config(self):
        return self.emulator.config

    def reset(self) -> None:
        """Counters live in the store, which the emulator clears; nothing is cached here."""

    @staticmethod
    def _plan(org: Mapping[str, Any]) -> str:
        return str(org.get("plan") or org.get("_plan") or "free")

    def overrides(self, org_id: str) -> dict[str, int]:
        return dict(self.store.get(OVERRIDES_NS, str(org_id)) or {})

    def policy(self, org: Mapping[str, Any], now: float, overrides: Mapping[str, int] | None = None) -> Policy:
        """The configured limits for ``org`` (overrides applied when given) and its counter keys."""
        cfg = self.config
        org_id = str(org["organization_id"])
        plan = self._plan(org)
        ov = overrides or {}
        daily_by_plan = cfg["limits.daily_by_plan"]
        conc_by_plan = cfg["limits.concurrency_by_plan"]
        per_minute = int(ov.get("per_minute", cfg["limits.per_minute"]))
        daily = int(ov.get("daily", daily_by_plan.get(plan, daily_by_plan.get("free", 1000))))
        concurrency = int(ov.get("concurrency", conc_by_plan.get(plan, conc_by_plan.get("free", 5))))
        soft_extra = int(cfg["limits.concurrency_soft_extra"])
        concurrency += soft_extra
        base = f"limits:{org_id}"
        minute_rolling = cfg["limits.per_minute_window"] == "rolling"
        if minute_rolling:
            minute_key, minute_end = f"{base}:minute", 0.0
        else:
            idx = math.floor(now / MINUTE_S)
            minute_key, minute_end = f"{base}:minute:{idx}", (idx + 1) * MINUTE_S
        mode = cfg["limits.daily_reset"]
        if mode == "rolling_24h":
            day_rolling, day_key, day_end = True, f"{base}:day", 0.0
        else:
            off = org_utc_offset(org, now) if mode == "org_midnight" else 0
            idx = math.floor((now + off) / DAY_S)
            day_rolling, day_key, day_end = False, f"{base}:day:{idx}", next_midnight(now, off)
        return Policy(
            org_id=org_id, per_minute=per_minute, daily=daily, concurrency=concurrency, soft_extra=soft_extra,
            minute_rolling=minute_rolling, minute_key=minute_key, minute_end=minute_end,
            day_rolling=day_rolling, day_key=day_key, day_end=day_end,
            inflight_key=f"{base}:inflight", blocked_key=f"{base}:blocked_ms",
            block_s=float(cfg["limits.per_minute_block_s"]), count_rejected=bool(cfg["limits.count_rejected"]),
        )

    def _remember(self, org: Mapping[str, Any]) -> dict[str, Any]:
        """What the admin listing needs to recompute an org's policy later."""
        keep = {k: org.get(k) for k in ("organization_id", "plan", "_plan", "time_zone", "_utc_offset", "edition", "_edition")}
        return {k: v for k, v in keep.items() if v is not None}

    # -- the generic engine (any Store; exact under threads with MemoryStore) ---------------------
    def _read(self, p: Policy, now: float) -> tuple[int, float | None, int, float | None, int, float]:
        store = self.store
        if p.minute_rolling:
            minute_used, minute_oldest = store.window_count(p.minute_key, now, MINUTE_S)
        else:
            minute_used, minute_oldest = store.get_counter(p.minute_key), None
        if p.day_rolling:
            daily_used, day_oldest = store.window_count(p.day_key, now, DAY_S)
        else:
            daily_used, day_oldest = store.get_counter(p.day_key), None
        in_flight = store.get_counter(p.inflight_key)
        blocked_until = store.get_counter(p.blocked_key) / 1000.0
        return minute_used, minute_oldest, daily_used, day_oldest, in_flight, blocked_until

    def _generic_admit(self, p: Policy, now: float, org_doc: Mapping[str, Any] | None, hold: bool = True) -> Outcome:
        """The check-then-commit step; ``hold=False`` checks the concurrency limit without taking a
        slot (a replayed answer is made already), and ``org_doc=None`` skips noting the org."""
        store = self.store
        o = store.limits_step(p, now, org_doc, hold)  # LMDB: this step on its hot file, if it has room there
        if o is not None:
            return o
        with store.lock(f"limits:{p.org_id}"):
            if org_doc is not None and store.get(ORGS_NS, p.org_id) is None:
                store.note(ORGS_NS, p.org_id, dict(org_doc))
            minute_used, minute_oldest, daily_used, day_oldest, in_flight, blocked_until = self._read(p, now)
            code, block_to = judge(p, now, minute_used, daily_used, in_flight, blocked_until)
            if block_to != blocked_until:
                blocked_until = block_to
                store.set_counter(p.blocked_key, int(blocked_until * 1000))
            if code == ADMITTED:
                if p.minute_rolling:
                    _, minute_used, minute_oldest = store.window_hit(p.minute_key, now, MINUTE_S, p.per_minute)
                else:
                    minute_used = store.incr(p.minute_key)
                if hold:
                    in_flight = store.incr(p.inflight_key)
            if code == ADMITTED or p.count_rejected:
                if p.day_rolling:
                    _, daily_used, day_oldest = store.window_hit(p.day_key, now, DAY_S, UNLIMITED)
                else:
                    daily_used = store.incr(p.day_key)
        return Outcome(code, minute_used, minute_oldest, daily_used, day_oldest, in_flight, blocked_until,
                       p.per_minute, p.daily, p.concurrency)

    # -- headers ---------------------------------------------------------------------------------
    def _day_reset_at(self, p: Policy, now: float, day_oldest: float | None) -> float:
        if p.day_rolling:
            return (day_oldest + DAY_S) if day_oldest is not None else now + DAY_S
        return p.day_end

    def _headers(self, p: Policy, o: Outcome, now: float) -> dict[str, str]:
        if not self.config["books.rate_headers"]:
            return {}
        reset_in = self.emulator.clock.real_seconds(self._day_reset_at(p, now, o.day_oldest) - now)
        return {
            L.RATE_LIMIT_LIMIT: str(o.daily),
            L.RATE_LIMIT_REMAINING: str(max(0, o.daily - o.daily_used)),
            L.RATE_LIMIT_RESET: str(_ceil_s(reset_in)),
        }

    def _retry_after(self, p: Policy, o: Outcome, now: float) -> int:
        """Real seconds until the limit that rejected the call lets one through again."""
        clock = self.emulator.clock
        if o.code == REJECT_DAILY:
            wait = self._day_reset_at(p, now, o.day_oldest) - now
        elif o.code == REJECT_MINUTE:
            if o.blocked_until > now:
                wait = o.blocked_until - now
            elif p.minute_rolling:
                wait = (o.minute_oldest + MINUTE_S - now) if o.minute_oldest is not None else 0.0
            else:
                wait = p.minute_end - now
        else:
            wait = float(self.config["limits.concurrency_retry_after_s"]) * clock.scale
        return max(1, _ceil_s(clock.real_seconds(wait)))

    # -- what the Books gateway calls ---------------------------------------------------------------
    def admit(self, org: dict, delay: dict[str, Any] | None = None) -> Admission:
        """Admit one Books call for ``org`` or raise ``LimitExceeded`` (44, 45 or 1070). ``delay`` is a
        latency fault's (``mock_zoho.context.ENV_DELAY``): slept once admitted, holding the slot."""
        if not self.config["limits.enabled"]:
            return Admission(self.rate_headers(org))
        now = self.emulator.clock.now()
        if self._scripted is not None:  # one round trip: the script reads the overrides itself
            p = self.policy(org, now)
            o = self._scripted.limits_admit(p, now, self._remember(org), OVERRIDES_NS, ORGS_NS, self.emulator.clock.scale)
        else:
            p = self.policy(org, now, self.overrides(str(org["organization_id"])))
            o = self._generic_admit(p, now, self._remember(org))
        admission = self.decide(p, o, now)
        spend_delay(delay)
        return admission

    def decide(self, p: Policy, o: Outcome, now: float, hold: bool = True) -> Admission:
        """An engine's outcome as an admission (holding its slot when ``hold``) or the 429 to raise."""
        p = self._effective(p, o)
        headers = self._headers(p, o, now)
        if o.code == ADMITTED:
            if not hold:
                return Admission(headers)
            store, key = self.store, p.inflight_key
            return Admission(headers, lambda: store.release_slot(key))
        if self.config["books.retry_after"]:
            headers["Retry-After"] = str(self._retry_after(p, o, now))
        if o.code == REJECT_DAILY:
            raise LimitExceeded(L.DAILY_EXCEEDED, headers,
                                L.daily_limit_message(o.daily, self.config["limits.daily_message_style"]))
        raise LimitExceeded(L.PER_MINUTE_EXCEEDED if o.code == REJECT_MINUTE else L.CONCURRENCY_EXCEEDED, headers)

    # -- replayed answers (mock_zoho.books.replay) --------------------------------------------------
    def replay_terms(self, org: Mapping[str, Any], now: float) -> tuple[Policy, float, dict[str, Any]]:
        """What a replay of a call for ``org`` is admitted under: the policy, the virtual time until
        which it holds (the current fixed minute or day), and the org as the limiter records it.
        Overrides are data: changing them makes every replay stale (the store's generation moves)."""
        scripted = self._scripted is not None  # the Redis script applies overrides itself
        p = self.policy(org, now, None if scripted else self.overrides(str(org["organization_id"])))
        until = math.inf
        if not p.minute_rolling:
            until = p.minute_end
        if not p.day_rolling:
            until = min(until, p.day_end)
        return p, until, self._remember(org)

    def replay_admit(self, p: Policy, now: float) -> Outcome:
        """The generic engine's step for a replayed call (its org was noted when it was first made)."""
        return self._generic_admit(p, now, None, hold=False)

    @staticmethod
    def _effective(p: Policy, o: Outcome) -> Policy:
        """The policy with the limits the engine actually applied (overrides included)."""
        if (p.per_minute, p.daily, p.concurrency) == (o.per_minute, o.daily, o.concurrency):
            return p
        return replace(p, per_minute=o.per_minute, daily=o.daily, concurrency=o.concurrency)

    def rate_headers(self, org: Mapping[str, Any]) -> dict[str, str]:
        """The X-Rate-Limit-* headers for ``org`` right now, without counting a call."""
        if not self.config["books.rate_headers"]:
            return {}
        now = self.emulator.clock.now()
        p = self.policy(org, now, self.overrides(str(org["organization_id"])))
        o = self._snapshot(p, now)
        return self._headers(p, o, now)

    def _snapshot(self, p: Policy, now: float) -> Outcome:
        minute_used, minute_oldest, daily_used, day_oldest, in_flight, blocked_until = self._read(p, now)
        return Outcome(ADMITTED, minute_used, minute_oldest, daily_used, day_oldest, in_flight, blocked_until,
                       p.per_minute, p.daily, p.concurrency)

    def daily_limit(self, org_id: str) -> int:
        """The daily quota in force for ``org_id`` (plan or override); the free plan's if unknown."""
        org = self.known_org(org_id) or {"organization_id": org_id}
        return self.policy(org, self.emulator.clock.now(), self.overrides(org_id)).daily

    # -- admin -------------------------------------------------------------------------------------
    def known_org(self, org_id: str) -> dict[str, Any] | None:
        org_id = str(org_id)
        return self.emulator.books.get_org(org_id) or self.store.get(ORGS_NS, org_id)

    def known_org_ids(self) -> list[str]:
        ids = set(self.store.keys(ORGS_NS)) | set(self.store.keys(OVERRIDES_NS))
        ids |= {str(o["organization_id"]) for o in self.emulator.books.all_orgs()}
        return sorted(ids)

    def status(self, org_id: str) -> dict[str, Any]:
        """Every counter of one org, as the admin API shows it."""
        org = self.known_org(org_id) or {"organization_id": org_id}
        now = self.emulator.clock.now()
        ov = self.overrides(org_id)
        p = self.policy(org, now, ov)
        o = self._snapshot(p, now)
        reset_at = self._day_reset_at(p, now, o.day_oldest)
        return {
            "organization_id": str(org_id),
            "plan": self._plan(org),
            "per_minute": {"limit": p.per_minute, "used": o.minute_used, "window": self.config["limits.per_minute_window"],
                           "blocked_until": o.blocked_until if o.blocked_until > now else None},
            "daily": {"limit": p.daily, "used": o.daily_used, "remaining": max(0, p.daily - o.daily_used),
                      "reset_at": reset_at, "reset_in_s": max(0.0, reset_at - now), "reset": self.config["limits.daily_reset"]},
            "concurrency": {"limit": p.concurrency, "in_flight": o.in_flight},
            "overrides": ov,
        }

    def set_overrides(self, org_id: str, changes: Mapping[str, int | None]) -> None:
        """Apply ``{field: int}``; ``None`` removes that override."""
        org_id = str(org_id)
        with self.store.lock(f"limits:{org_id}"):
            ov = self.overrides(org_id)
            for k, v in changes.items():
                if v is None:
                    ov.pop(k, None)
                else:
                    ov[k] = int(v)
            if ov:
                self.store.put(OVERRIDES_NS, org_id, ov)
            else:
                self.store.delete(OVERRIDES_NS, org_id)

    def set_daily_used(self, org_id: str, used: int) -> None:
        """Pretend other apps already made ``used`` calls today (in the current daily period)."""
        org = self.known_org(org_id) or {"organization_id": org_id}
        now = self.emulator.clock.now()
        p = self.policy(org, now)
        with self.store.lock(f"limits:{p.org_id}"):
            if p.day_rolling:
                self.store.window_clear(p.day_key)
                if used > 0:
                    self.store.window_hit(p.day_key, now, DAY_S, UNLIMITED, cost=int(used))
            else:
                self.store.set_counter(p.day_key, int(used))

    def reset_org(self, org_id: str, overrides: bool = False) -> None:
        """Zero the counters of the current windows (calls in flight too); keep overrides unless asked."""
        org = self.known_org(org_id) or {"organization_id": org_id}
        now = self.emulator.clock.now()
        p = self.policy(org, now)
        store = self.store
        with store.lock(f"limits:{p.org_id}"):
            for key, rolling in ((p.minute_key, p.minute_rolling), (p.day_key, p.day_rolling)):
                if rolling:
                    store.window_clear(key)
                else:
                    store.set_counter(key, 0)
            store.set_counter(p.inflight_key, 0)
            store.set_counter(p.blocked_key, 0)
        if overrides:
            store.delete(OVERRIDES_NS, p.org_id)

    def reset_all(self, overrides: bool = False) -> None:
        for org_id in self.known_org_ids():
            self.reset_org(org_id, overrides=overrides)
