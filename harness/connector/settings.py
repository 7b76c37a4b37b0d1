"""Connector settings: the mistake switches (all off) and the sync knobs, built from a plain dict.

Defaults and why:

* ``complete_datasets`` = ``{"suppliers"}``: Codat reads invoices, credit notes, customers and
  bills reduced (no detail call per record); suppliers are not on its reduced list, so they are
  read complete (integration-flow §6, §13). Payments, bill payments and journal entries always
  read details: their allocations and lines exist only there.
* ``daily_limit_status`` = ``paused``: a spent daily quota leaves the dataset ``Queued`` with
  ``Paused until <reset>`` and the next run after the reset resumes it (Codat's "queued into the
  next day's limit"); ``RateLimitError`` or ``FetchError`` fail it instead.
* Budget: 90 % of the per-minute limit (90 of 100: other apps and clock skew get the rest), the
  daily quota minus a reserve of 50 calls (left for the customer's other apps and for a person),
  4 calls in flight on the Free plan (Zoho allows 5) and 8 on paid plans (Zoho allows 10).
* Retries: 6 per call, exponential backoff from 2 s doubling to at most 60 s, with full jitter
  between half and all of each step (even the shortest draw, 1+2+4+8+16+30 s, outlasts a rolling
  minute); a ``Retry-After`` is honoured when present (Zoho sends none). A 1070 (too many calls in
  flight) also waits, in real time, for one of the org's calls in flight to end (at most
  ``concurrency_wait_s``, 0.5 s): against the emulator's virtual clock the back-off alone passes
  in no real time, while the calls it must outlast are still running.
  ``max_wait_s`` (900 s) bounds the waiting for one call (token-endpoint throttle included: its
  window is 10 minutes); a daily-quota pause is not bounded by it.
* Tokens are refreshed 5 minutes before they expire (``refresh_ahead_s``).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, Mapping

from .datatypes import DATA_TYPES

__all__ = ["ConnectorSettings", "SettingsError", "MISTAKES", "DAILY_LIMIT_STATUSES"]

MISTAKES = ("exchange_at_home_dc", "ignore_api_domain", "no_prompt_consent", "refresh_every_call",
            "ignore_429", "no_budget")
DAILY_LIMIT_STATUSES = ("paused", "RateLimitError", "FetchError")


class SettingsError(ValueError):
    """A bad setting: ``field`` names the key, the message says what is wrong with it."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}")
        self.field = key


@dataclass(frozen=True)
class ConnectorSettings:
    # mistakes seen in the wild, reproduced on purpose (all off by default)
    exchange_at_home_dc: bool = False   # exchange the code at the home DC, not the callback's accounts-server
    ignore_api_domain: bool = False     # call Books on the home DC, not the token answer's api_domain
    no_prompt_consent: bool = False     # authorise without prompt=consent (a returning user gets no refresh token)
    refresh_every_call: bool = False    # mint an access token before every Books call
    ignore_429: bool = False            # retry a 429 at once: no backoff, no budget penalty
    no_budget: bool = False             # no client-side per-org budget
    # sync
    complete_datasets: frozenset[str] = field(default_factory=lambda: frozenset({"suppliers"}))
    daily_limit_status: str = "paused"
    max_retries: int = 6
    max_wait_s: float = 900.0
    backoff_base_s: float = 2.0
    backoff_max_s: float = 60.0
    concurrency_wait_s: float = 0.5     # after a 1070, real time waited for a call in flight to end
    refresh_ahead_s: float = 300.0
    per_page: int = 200
    workers: int = 12                   # detail GETs in parallel; the budget caps calls in flight
    # budget
    budget_per_minute: int = 100        # Zoho's per-minute limit per org
    budget_minute_fraction: float = 0.9
    budget_daily_reserve: int = 50
    budget_concurrency_free: int = 4
    budget_concurrency_paid: int = 8

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> "ConnectorSettings":
        """Settings from a plain dict (unknown keys and wrong types raise ``SettingsError``)."""
        if data is None:
            return cls()
        if isinstance(data, ConnectorSettings):
            return data
        if not isinstance(data, Mapping):
            raise SettingsError("settings", "must be a mapping")
        known = {f.name: f for f in fields(cls)}
        values: dict[str, Any] = {}
        for key, value in data.items():
            if key not in known:
                raise SettingsError(key, f"unknown setting (known: {', '.join(known)})")
            values[key] = cls._coerce(key, value, known[key].default)
        return cls(**values)

    @staticmethod
    def _coerce(key: str, value: Any, default: Any) -> Any:
        if key == "complete_datasets":
            if isinstance(value, str) or not isinstance(value, (list, tuple, set, frozenset)):
                raise SettingsError(key, "must be a list of data types")
            unknown = [v for v in value if v not in DATA_TYPES]
            if unknown:
                raise SettingsError(key, f"unknown data type {unknown[0]!r} (known: {', '.join(DATA_TYPES)})")
            return frozenset(value)
        if key == "daily_limit_status":
            if value not in DAILY_LIMIT_STATUSES:
                raise SettingsError(key, f"must be one of {', '.join(DAILY_LIMIT_STATUSES)}")
            return value
        if isinstance(default, bool):
            if not isinstance(value, bool):
                raise SettingsError(key, "must be true or false")
            return value
        if isinstance(default, int):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise SettingsError(key, "must be a whole number, 0 or more")
            if key == "per_page" and not 1 <= value <= 200:
                raise SettingsError(key, "must be between 1 and 200")
            return value
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise SettingsError(key, "must be a number, 0 or more")
        if key == "budget_minute_fraction" and not 0 < value <= 1:
            raise SettingsError(key, "must be above 0 and at most 1")
        return float(value)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["complete_datasets"] = sorted(self.complete_datasets)
        return out

    @property
    def mistakes_on(self) -> list[str]:
        return [m for m in MISTAKES if getattr(self, m)]
