"""The sync engine: reads each data type of a connection into the store, under the org's limits.

One ``run`` reads the requested data types one after another (one dataset each); a complete read
fetches its detail GETs in parallel (``workers`` threads, paced by the org's budget). Statuses
follow Codat's (integration-flow §10.2):

| Outcome | Dataset | Connection |
|---|---|---|
| every page (and detail) read | ``Complete`` | |
| refresh says ``invalid_code`` (revoked, evicted) | ``AuthError`` (this and the rest of the run) | ``Deauthorized`` + ``connection.disconnected`` |
| refresh says ``invalid_client(_secret)`` (keys changed) | ``AuthError`` (this and the rest) | stays ``Linked`` |
| 401 after a fresh token (missing scope), 400 code 6041 | ``PermissionsError`` | |
| daily quota spent (code 45, or the budget's reserve) | ``Queued`` + ``Paused until <reset>`` (the rest of the run too), or ``RateLimitError`` / ``FetchError`` by ``daily_limit_status`` | |
| 429 (44, 1070) after every retry | ``RateLimitError`` | |
| 5xx, dropped connections, token-endpoint throttle past ``max_wait_s`` | ``FetchError`` | |
| a data type the connector does not have | ``NotSupported`` | |

Resuming: a dataset's checkpoint (source, page, and the detail ids of that page already stored)
is saved after every page and on every stop; a paused dataset resumes from it on the next ``run``
of that type or ``resume_due`` once the clock passes its reset, re-reading one list page. Records
are upserted by id, so nothing is duplicated, and a page is only left once all of it is stored, so
nothing is lost. Incremental reads send ``last_modified_time`` (Zoho's filter is inclusive) from
the cursor saved when the previous read of that list finished; a record whose change marker equals
the stored one is not counted in ``recordsModified`` and, on complete reads, not fetched again.
"""
from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Iterable

import requests

from ..clock import Clock, WallClock, iso
from ..redact import redact
from .books import BooksClient, session_for
from .budget import budget_for
from .datatypes import DATA_TYPES, DataType, Source
from .endpoints import ZohoEndpoints
from .errors import AuthFailed, BooksError, DailyQuotaExhausted
from .normalise import normalise
from .oauth import OAuthClient
from .settings import ConnectorSettings
from .store import ConnectionAuth, Dataset, SyncRecord, SyncStore
from .tokens import TokenManager

__all__ = ["SyncEngine", "SyncProgress"]

log = logging.getLogger("harness.connector")

PAUSED = "Queued"
NOT_FOUND = 1002   # Zoho: "<Resource> does not exist."


@dataclass
class SyncProgress:
    """What a progress bar shows: where the sync is and what it has cost so far."""

    connection_id: str
    data_type: str
    status: str
    records: int = 0
    calls: int = 0
    waits: int = 0
    waited_s: float = 0.0
    detail_done: int = 0
    detail_total: int = 0
    note: str = ""
    totals: dict[str, int] = field(default_factory=dict)


class _Stop(Exception):
    """Ends the rest of a run with one status (auth lost, daily quota spent)."""

    def __init__(self, status: str, description: str, message: str, paused_until: float | None = None) -> None:
        super().__init__(message)
        self.status, self.description, self.message, self.paused_until = status, description, message, paused_until


class SyncEngine:
    def __init__(self, store: SyncStore, endpoints: ZohoEndpoints, settings: ConnectorSettings | dict | None = None,
                 clock: Clock | None = None, *, session: requests.Session | None = None,
                 progress: Callable[[SyncProgress], None] | None = None) -> None:
        self.store, self.endpoints = store, endpoints
        self.settings = ConnectorSettings.from_dict(settings) if not isinstance(settings, ConnectorSettings) \
            else settings
        self.clock = clock or WallClock()
        self.session = session or session_for(self.settings.workers)
        self.progress = progress

    # -- public --------------------------------------------------------------------------------------
    def run(self, connection: ConnectionAuth, data_types: Iterable[str] | None = None, *,
            company_id: str | None = None) -> list[Dataset]:
        """Read ``data_types`` (all by default) for ``connection``; returns their datasets. A type
        paused earlier resumes its own dataset when its time has come, and stays paused otherwise."""
        company_id = company_id or connection.company_id
        keys = list(dict.fromkeys(data_types if data_types is not None else DATA_TYPES))
        paused = {d.data_type: d for d in self.store.datasets(company_id)
                  if d.connection_id == connection.connection_id and d.paused_until is not None
                  and not d.is_finished}
        datasets = [paused.get(k) or self.store.new_dataset(company_id, connection.connection_id, k, self.clock.now())
                    for k in keys]
        return self._run(connection, datasets)

    def resume_due(self, connections: Iterable[ConnectionAuth]) -> list[Dataset]:
        """Resume every paused dataset of these connections whose pause has ended on the clock."""
        out: list[Dataset] = []
        now = self.clock.now()
        for conn in connections:
            due = [d for d in self.store.datasets(conn.company_id) if d.connection_id == conn.connection_id
                   and d.paused_until is not None and d.paused_until <= now and not d.is_finished]
            if due:
                out.extend(self._run(conn, due))
        return out

    # -- a run ---------------------------------------------------------------------------------------
    def _run(self, conn: ConnectionAuth, datasets: list[Dataset]) -> list[Dataset]:
        prog = SyncProgress(conn.connection_id, "", "Queued")
        lock = threading.Lock()

        def on_call(path: str, status: int | None) -> None:
            with lock:
                prog.calls += 1
            self._report(prog)

        def on_wait(seconds: float, why: str) -> None:
            log.debug("org %s: waiting %.1f s (%s)", conn.organization_id, seconds, why)
            with lock:
                prog.waits += 1
                prog.waited_s += seconds
                prog.note = why
            self._report(prog)

        oauth = OAuthClient(conn.client_id, conn.client_secret, "", self.endpoints, session=self.session,
                            settings=self.settings, clock=self.clock)
        tokens = TokenManager(oauth, self.store, conn, self.clock, self.settings, on_wait=on_wait)
        budget = budget_for(self.clock, conn.api_domain, conn.organization_id, self.settings)
        client = BooksClient(tokens, budget, conn.organization_id, self.clock, self.settings, self.endpoints,
                             session=self.session, on_call=on_call, on_wait=on_wait)
        stop: _Stop | None = None
        for ds in datasets:
            if stop is None and ds.paused_until is not None and ds.paused_until > self.clock.now():
                continue                                       # still paused: its reset has not come
            if stop is not None:
                self._finish(ds, stop.status, stop.description, stop.message, paused_until=stop.paused_until)
                continue
            prog.data_type, prog.records, prog.detail_done, prog.detail_total = ds.data_type, 0, 0, 0
            try:
                self._read(ds, conn, client, prog)
            except _Stop as exc:
                stop = exc
                self._finish(ds, exc.status, exc.description, exc.message, paused_until=exc.paused_until)
            prog.status, prog.note = ds.status, ds.status_description
            self._report(prog)
        if all(d.is_finished for d in datasets) and self.store.mark_initial_sync(conn.connection_id):
            self.store.emit("read.completed.initial", {
                "companyId": datasets[0].company_id if datasets else conn.company_id,
                "connectionId": conn.connection_id,
                "dataTypes": [self._summary(d) for d in datasets]})
        return [self.store.get_dataset(d.id) or d for d in datasets]

    def _read(self, ds: Dataset, conn: ConnectionAuth, client: BooksClient, prog: SyncProgress) -> None:
        dt = DATA_TYPES.get(ds.data_type)
        if dt is None:
            self._finish(ds, "NotSupported", "", f"{ds.data_type} is not a data type of the Zoho Books integration")
            return
        calls_before = client.stats.calls
        ds.status, ds.paused_until, ds.status_description = "Fetching", None, ""
        self.store.save_dataset(ds)
        prog.status = "Fetching"
        self._report(prog)
        try:
            if dt.key == "company":
                self._read_company(ds, conn, client)
            elif dt.key == "trackingCategories":
                self._read_tracking(ds, conn, client)
            else:
                self._read_lists(ds, dt, conn, client, prog)
        except AuthFailed as exc:
            how = "the connection was revoked or evicted at Zoho; re-link it" if exc.revoked else \
                "Zoho refused the client keys; update them in the integration settings"
            raise _Stop("AuthError", how, exc.error) from None
        except DailyQuotaExhausted as exc:
            ds.calls += client.stats.calls - calls_before
            when = self.settings.daily_limit_status
            if when == "paused":
                raise _Stop(PAUSED, f"Paused until {iso(exc.reset_at)}", exc.message, paused_until=exc.reset_at) \
                    from None
            raise _Stop(when, f"daily API quota spent until {iso(exc.reset_at)}", exc.message) from None
        except BooksError as exc:
            ds.calls += client.stats.calls - calls_before
            self._finish(ds, exc.status_name, "", str(exc))
            return
        except Exception as exc:  # a bug or an answer we cannot read: a status, never a traceback
            ds.calls += client.stats.calls - calls_before
            self._finish(ds, "InternalError", "", f"{type(exc).__name__}: {exc}")
            return
        ds.calls += client.stats.calls - calls_before
        ds.checkpoint = {}
        self._finish(ds, "Complete", "", "")

    def _finish(self, ds: Dataset, status: str, description: str, message: str, *,
                paused_until: float | None = None) -> None:
        ds.status, ds.status_description, ds.error_message = status, description, str(redact(message))
        ds.paused_until = paused_until
        log.info("%s %s for connection %s: %s %s %s", ds.data_type, ds.id, ds.connection_id, status, description,
                 ds.error_message)
        if ds.is_finished:
            ds.completed, ds.progress = self.clock.now(), 100 if status == "Complete" else ds.progress
        self.store.save_dataset(ds)
        if ds.is_finished:
            self.store.emit("read.completed", {"companyId": ds.company_id, "connectionId": ds.connection_id,
                                               "datasetId": ds.id, "dataTypes": [self._summary(ds)]})

    @staticmethod
    def _summary(ds: Dataset) -> dict[str, Any]:
        issues = list(ds.issues) + ([{"message": ds.error_message}] if ds.error_message else [])
        return {"connectionId": ds.connection_id, "dataType": ds.data_type, "recordsModified": ds.records_modified,
                "status": ds.status, "issues": issues}

    # -- readers -------------------------------------------------------------------------------------
    def _store(self, ds: Dataset, records: list[SyncRecord]) -> None:
        if records:
            changed = self.store.upsert_records(ds.company_id, ds.connection_id, ds.data_type, records)
            ds.records_modified += changed
            ds.records_read += len(records)

    def _read_company(self, ds: Dataset, conn: ConnectionAuth, client: BooksClient) -> None:
        org = client.get(f"organizations/{conn.organization_id}").get("organization") or {}
        self._store(ds, [SyncRecord(str(org.get("organization_id") or conn.organization_id),
                                    normalise("company", org, True), org, None, True)])

    def _read_tracking(self, ds: Dataset, conn: ConnectionAuth, client: BooksClient) -> None:
        src = DATA_TYPES["trackingCategories"].sources[0]
        for _, tags in client.pages(src.path, src.list_keys):
            for tag in tags:
                tag_id = str(tag.get("tag_id"))
                body = client.get(f"{src.path}/{tag_id}/options/all")
                options = body.get("results") or body.get("options") or []
                recs = [SyncRecord(tag_id, normalise("trackingCategories", tag, True), tag, None, True)]
                for opt in options:
                    raw = {**opt, "_parent_tag_id": tag_id}
                    norm = normalise("trackingCategories", raw, True)
                    recs.append(SyncRecord(norm["id"], norm, dict(opt), None, True))
                self._store(ds, recs)

    def _complete(self, dt: DataType) -> bool:
        return dt.detail == "always" or (dt.detail == "reducible" and dt.key in self.settings.complete_datasets)

    def _read_lists(self, ds: Dataset, dt: DataType, conn: ConnectionAuth, client: BooksClient,
                    prog: SyncProgress) -> None:
        complete = self._complete(dt)
        cp = ds.checkpoint
        cp.setdefault("source", 0)
        cp.setdefault("since", {})
        for index, src in enumerate(dt.sources):
            if index < cp["source"]:
                continue
            cursor_key = f"{dt.key}:{src.path}"
            if cursor_key not in cp["since"]:
                cp["since"][cursor_key] = self.store.get_cursor(conn.connection_id, cursor_key) \
                    if src.incremental else None
            since = cp["since"][cursor_key]
            params = dict(src.params)
            if since:
                params["last_modified_time"] = since
            newest = cp.get("newest")
            for page, items in client.pages(src.path, src.list_keys, params, start_page=cp.get("page", 1)):
                done = set(cp.get("done", [])) if page == cp.get("page") else set()
                cp["page"], cp["done"] = page, sorted(done)
                try:
                    if complete:
                        self._details(ds, dt, src, items, done, client, prog)
                    else:
                        self._store(ds, [self._record(dt, src, raw, False) for raw in items])
                finally:
                    cp["done"] = sorted(done)
                    self.store.save_dataset(ds)
                newest = _newest(newest, (raw.get("last_modified_time") for raw in items))
                cp["newest"] = newest
                cp["page"], cp["done"] = page + 1, []
                prog.records = ds.records_read
                self.store.save_dataset(ds)
                self._report(prog)
            if src.incremental and newest:
                self.store.set_cursor(conn.connection_id, cursor_key, newest)
            cp.update(source=index + 1, page=1, done=[], newest=None)
            self.store.save_dataset(ds)

    def _record(self, dt: DataType, src: Source, raw: dict[str, Any], complete: bool) -> SyncRecord:
        norm = normalise(dt.key, raw, complete)
        return SyncRecord(str(raw.get(src.id_field)), norm, raw, raw.get("last_modified_time"), complete)

    def _details(self, ds: Dataset, dt: DataType, src: Source, items: list[dict[str, Any]], done: set[str],
                 client: BooksClient, prog: SyncProgress) -> None:
        """One detail GET per record of this page not yet stored complete at the same change marker."""
        todo: list[dict[str, Any]] = []
        for raw in items:
            rid = str(raw.get(src.id_field))
            if rid in done:
                continue
            stored = self.store.get_record(ds.company_id, dt.key, rid)
            if stored is not None and stored.complete and raw.get("last_modified_time") and \
                    stored.modified == raw.get("last_modified_time"):
                done.add(rid)                                  # unchanged since its detail was read
                ds.records_read += 1
                continue
            todo.append(raw)
        prog.detail_total += len(todo)
        lock = threading.Lock()

        def fetch(raw: dict[str, Any]) -> None:
            rid = str(raw.get(src.id_field))
            try:
                body = client.get(f"{src.path}/{rid}")
            except BooksError as exc:
                if exc.code != NOT_FOUND:
                    raise
                with lock:                                     # deleted between the list and its detail
                    done.add(rid)
                    ds.issues.append({"type": "RecordDeleted", "message": f"{src.path}/{rid}: {exc.message}"})
                return
            detail = next((body[k] for k in src.detail_keys if isinstance(body.get(k), dict)), None)
            if detail is None:
                detail = {k: v for k, v in body.items() if k not in ("code", "message")}
            with lock:
                self._store(ds, [self._record(dt, src, {**raw, **detail}, True)])
                done.add(rid)
                prog.detail_done += 1
            self._report(prog)

        if not todo:
            return
        workers = max(1, min(self.settings.workers, len(todo)))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"zoho-{dt.key}") as pool:
            futures = [pool.submit(fetch, raw) for raw in todo]
            errors = [f.exception() for f in futures]
        first = next((e for e in errors if e is not None), None)
        if first is not None:
            raise first

    def _report(self, prog: SyncProgress) -> None:
        if self.progress is not None:
            try:
                self.progress(prog)
            except Exception:  # a broken progress bar must not break a sync
                pass


def _newest(current: str | None, stamps: Iterable[Any]) -> str | None:
    """The latest Zoho timestamp (compared as instants, kept as Zoho wrote it)."""
    best, best_at = current, _instant(current)
    for s in stamps:
        at = _instant(s)
        if at is not None and (best_at is None or at > best_at):
            best, best_at = s, at
    return best


def _instant(stamp: Any) -> float | None:
    if not isinstance(stamp, str):
        return None
    try:
        return datetime.strptime(stamp[:19] + stamp[19:].replace(":", "").replace("Z", "+0000"),
                                 "%Y-%m-%dT%H:%M:%S%z").timestamp()
    except ValueError:
        return None
