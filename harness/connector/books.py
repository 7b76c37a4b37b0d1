"""The Books API v3 client: one org, every call paced by the org's budget and retried with care.

* ``organization_id`` on every call but ``GET /organizations``; the base is the ``api_domain`` of
  the current token answer (refresh included), never a guessed host.
* Lists are read with ``per_page=200`` until ``page_context.has_more_page`` is false.
* Retries: 429 code 44 (per minute) and 1070 (in flight), 5xx, dropped connections, cut or
  malformed bodies. The wait is ``Retry-After`` when Zoho sends one (seconds or an HTTP date; it
  does not by default), else exponential back-off from ``backoff_base_s`` doubling to at most
  ``backoff_max_s``, with full jitter between half and all of it (so parallel callers spread out).
  A 429 blocks the whole org in the budget for that wait. ``max_retries`` attempts and ``max_wait_s``
  of waiting per call, then ``RateLimited`` / ``FetchFailed``.
* 429 code 45 (daily quota) is never retried: ``DailyQuotaExhausted`` with the reset from
  ``X-Rate-Limit-Reset`` (seconds from now), or the next 00:00 UTC when absent.
* 401: one refresh (shared with other callers), one retry; a second 401 is a missing scope
  (``NotPermitted``). 400 code 6041 (user no longer in the org) is ``NotPermitted`` too.
"""
from __future__ import annotations

import random
import threading
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any, Callable, Iterator, Mapping

import requests
from requests.adapters import HTTPAdapter

from ..clock import Clock
from .budget import OrgBudget, next_utc_midnight, reset_epoch
from .endpoints import ZohoEndpoints
from .errors import BooksError, DailyQuotaExhausted, FetchFailed, NotPermitted, RateLimited
from .settings import ConnectorSettings
from .tokens import TokenManager

__all__ = ["BooksClient", "CallStats", "session_for", "PER_MINUTE", "DAILY", "CONCURRENCY"]

PER_MINUTE, DAILY, CONCURRENCY, NOT_IN_ORG = 44, 45, 1070, 6041
TIMEOUT_S = 60
_DROPPED = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError,
            requests.exceptions.ContentDecodingError)


def session_for(workers: int) -> requests.Session:
    """A session whose connection pool holds every worker's connection."""
    s = requests.Session()
    adapter = HTTPAdapter(pool_connections=4, pool_maxsize=max(10, workers + 2))
    s.mount("https://", adapter)
    s.mount("http://", adapter)
    return s


@dataclass
class CallStats:
    calls: int = 0
    retries: int = 0
    waits: int = 0
    waited_s: float = 0.0
    rate_limited: int = 0


class BooksClient:
    """Calls for one organisation; thread-safe (the engine's detail workers share one)."""

    def __init__(self, tokens: TokenManager, budget: OrgBudget, organization_id: str, clock: Clock,
                 settings: ConnectorSettings, endpoints: ZohoEndpoints, *, session: requests.Session | None = None,
                 on_call: Callable[[str, int | None], None] | None = None,
                 on_wait: Callable[[float, str], None] | None = None, rng: random.Random | None = None) -> None:
        self.tokens, self.budget, self.organization_id = tokens, budget, organization_id
        self.clock, self.settings, self.endpoints = clock, settings, endpoints
        self.session = session or session_for(settings.workers)
        self.on_call, self.on_wait = on_call, on_wait
        self.rng = rng or random.Random()
        self.stats = CallStats()
        self._lock = threading.Lock()

    # -- reads ---------------------------------------------------------------------------------------
    def get(self, path: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """One GET under ``/books/v3`` (``organization_id`` added unless the path is ``organizations``)."""
        query = dict(params or {})
        if path.strip("/") != "organizations":
            query["organization_id"] = self.organization_id
        return self._call(path.strip("/"), query)

    def pages(self, path: str, list_keys: tuple[str, ...], params: Mapping[str, Any] | None = None, *,
              start_page: int = 1) -> Iterator[tuple[int, list[dict[str, Any]]]]:
        """``(page, items)`` for every page of a list, 200 a page, until ``has_more_page`` is false."""
        page = start_page
        while True:
            body = self.get(path, {**(params or {}), "page": page, "per_page": self.settings.per_page})
            items = next((body[k] for k in list_keys if isinstance(body.get(k), list)), None)
            if items is None:
                raise FetchFailed(200, body.get("code"), f"no {'/'.join(list_keys)} list in the answer", path=path)
            yield page, items
            context = body.get("page_context")
            if not (isinstance(context, dict) and context.get("has_more_page")):
                return
            page += 1

    # -- one call with its retries ---------------------------------------------------------------------
    def _base(self, api_domain: str) -> str:
        api = self.endpoints.api_url() if self.settings.ignore_api_domain else api_domain
        return ZohoEndpoints.books_root(api)

    def _call(self, path: str, query: dict[str, Any]) -> dict[str, Any]:
        attempt, waited, refreshed = 0, 0.0, False
        while True:
            self._count_wait(self.budget.acquire(), "budget")   # pacing, not a failure: not bounded by max_wait_s
            try:
                token = self.tokens.token()
            except BaseException:
                self.budget.release(None)
                raise
            headers: Mapping[str, Any] | None = None
            status: int | None = None
            try:
                r = self.session.get(f"{self._base(token.api_domain)}/{path}", params=query, timeout=TIMEOUT_S,
                                     headers={"Authorization": f"Zoho-oauthtoken {token.access_token}"})
                headers, status = r.headers, r.status_code
                body = r.json()
            except _DROPPED as exc:
                failure: BooksError = FetchFailed(status, None, f"connection dropped ({type(exc).__name__})",
                                                  path=path)
            except ValueError:
                failure = FetchFailed(status, None, "malformed body", path=path)
            else:
                failure = None  # type: ignore[assignment]
            finally:
                self.budget.release(headers)
                with self._lock:
                    self.stats.calls += 1
                if self.on_call:
                    self.on_call(path, status)
            retry_after: float | None = None
            if failure is None:
                code = body.get("code") if isinstance(body, dict) else None
                if status == 200 and code == 0:
                    return body
                if status == 401:
                    if refreshed:
                        raise NotPermitted(401, code, str(body.get("message") or ""), path=path)
                    self.tokens.after_401(token)
                    refreshed = True
                    continue
                if code == NOT_IN_ORG:
                    raise NotPermitted(status, code, str(body.get("message") or ""), path=path)
                if status == 429 and code == DAILY:
                    reset = _seconds(r.headers.get("X-Rate-Limit-Reset"))
                    now = self.clock.now()
                    raise DailyQuotaExhausted(reset_epoch(now, reset) if reset is not None else next_utc_midnight(now),
                                              str(body.get("message") or ""), code=code, http_status=429)
                if status == 429:
                    failure = RateLimited(429, code, str(body.get("message") or ""), path=path)
                    with self._lock:
                        self.stats.rate_limited += 1
                elif status is not None and status >= 500:
                    failure = FetchFailed.from_body(status, body, path)
                elif status == 200:   # an error body under HTTP 200 (Zoho does this on some answers)
                    failure = FetchFailed.from_body(status, body, path)
                else:
                    raise BooksError.from_body(status or 0, body, path)
                retry_after = _retry_after(r.headers.get("Retry-After"), self.clock.now())
            attempt += 1
            if attempt > self.settings.max_retries:
                raise failure
            with self._lock:
                self.stats.retries += 1
            if isinstance(failure, RateLimited) and self.settings.ignore_429:
                continue                              # the mistake: straight back in, no wait
            delay = retry_after if retry_after is not None else self._backoff(attempt)
            if waited + delay > self.settings.max_wait_s:
                raise failure
            if isinstance(failure, RateLimited):
                self.budget.block(self.clock.now() + delay)
            self.clock.sleep_until(self.clock.now() + delay)   # parallel waiters move a virtual clock once
            if isinstance(failure, RateLimited) and failure.code == CONCURRENCY:
                self.budget.crowded(self.settings.concurrency_wait_s)
            waited += self._count_wait(delay, f"retry after {failure.http_status or 'no answer'}")

    def _backoff(self, attempt: int) -> float:
        cap = min(self.settings.backoff_max_s, self.settings.backoff_base_s * 2 ** (attempt - 1))
        return cap * self.rng.uniform(0.5, 1.0)

    def _count_wait(self, seconds: float, why: str) -> float:
        if seconds > 0:
            with self._lock:
                self.stats.waits += 1
                self.stats.waited_s += seconds
            if self.on_wait:
                self.on_wait(seconds, why)
        return seconds


def _seconds(value: Any) -> float | None:
    try:
        return max(0.0, float(str(value).strip()))
    except (TypeError, ValueError):
        return None


def _retry_after(value: Any, now: float) -> float | None:
    """``Retry-After`` as seconds: a number, or an HTTP date (read against the connector's clock)."""
    if value is None:
        return None
    seconds = _seconds(value)
    if seconds is not None:
        return seconds
    try:
        return max(0.0, parsedate_to_datetime(str(value)).timestamp() - now)
    except (TypeError, ValueError, IndexError):
        return None
