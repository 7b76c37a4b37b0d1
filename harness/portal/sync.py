"""Reading data: queue data types for a company's Linked connection and run the connector's SyncEngine.

An engine per run, built with the current settings; the connector shares one budget per organisation
between engines, so concurrent runs stay under Zoho's limits together. ``wait=True`` runs
in the request and answers when every dataset has finished or paused; otherwise the run goes to a
background thread and the answer carries the datasets as queued. Queueing a type that is still
running (or paused until a reset still to come) answers Codat's ``DatasetAlreadyInProgressException``
(409); once the reset has passed, queueing it again resumes the paused dataset.
"""
from __future__ import annotations

import json
import logging
import threading
from typing import Any

from harness.connector import ConnectionAuth, Dataset, SyncEngine

from .errors import ApiError
from .store import LINKED

log = logging.getLogger("harness.portal.sync")
RUNNING = ("Initial", "Queued", "Fetching", "MapQueued", "Mapping", "ProcessingQueued", "Processing",
           "ValidationQueued", "Validating")


class SyncService:
    def __init__(self, platform: Any) -> None:
        self.p = platform
        self._threads: list[threading.Thread] = []
        self._busy: set[tuple[str, str]] = set()  # (company, data type) being run in this process
        self._busy_lock = threading.Lock()

    # -- the engine --------------------------------------------------------------------------
    def engine(self, store: Any = None) -> Any:
        """An engine with the current settings; the per-org budget is shared between engines
        (the connector keeps one per org and clock), so a run per request costs nothing extra."""
        return SyncEngine(store or self.p.sync_store, self.p.zoho, self.p.connector_settings(), self.p.clock)

    # -- what a run needs ----------------------------------------------------------------------
    def auth(self, company_id: str) -> ConnectionAuth:
        row = self.p.store.accounting_connection(company_id)
        if row is None or row["status"] != LINKED:
            status = row["status"] if row is not None else "none"
            raise ApiError(409, f"the company has no Linked connection (status: {status})", "companyId")
        integration = self.p.integrations.get()
        if integration is None:
            raise ApiError(409, "Zoho Books is not configured", "companyId")
        info = json.loads(row["connection_info"] or "{}")
        return ConnectionAuth(row["id"], company_id, integration.client_id, integration.client_secret,
                              self.p.store.refresh_token(row) or "", row["accounts_server"] or "",
                              row["api_domain"] or "", row["location"] or "", str(info.get("organizationId") or ""))

    def _check_not_running(self, company_id: str, data_types: list[str]) -> None:
        now = self.p.clock.now()
        for ds in self.p.sync_store.datasets(company_id):
            due = ds.paused_until is not None and ds.paused_until <= now
            if ds.data_type in data_types and ds.status in RUNNING and not due:
                raise _in_progress(company_id, ds.data_type, ds.id)

    def _running_dataset(self, company_id: str, data_type: str) -> str | None:
        """The dataset a run of this process is working on: the newest of its type (new or resumed)."""
        ids = [d.id for d in self.p.sync_store.datasets(company_id) if d.data_type == data_type]
        return ids[-1] if ids else None

    # -- queueing ------------------------------------------------------------------------------
    def queue_all(self, company_id: str, *, wait: bool) -> list[Dataset]:
        integration = self.p.integrations.get()
        if integration is None:
            raise ApiError(409, "Zoho Books is not configured", "companyId")
        return self.queue(company_id, list(integration.data_types), wait=wait)

    def queue(self, company_id: str, data_types: list[str], *, wait: bool) -> list[Dataset]:
        auth = self.auth(company_id)
        row = self.p.store.connection_row(auth.connection_id)
        if json.loads(row["connection_info"] or "{}").get("supported") is False:
            return self._not_supported(auth, data_types)
        with self._busy_lock:
            busy = [t for t in data_types if (company_id, t) in self._busy]
            if busy:
                raise _in_progress(company_id, busy[0], self._running_dataset(company_id, busy[0]))
            self._check_not_running(company_id, data_types)
            self._busy.update((company_id, t) for t in data_types)
        if wait:
            try:
                return list(self.engine().run(auth, data_types, company_id=company_id))
            finally:
                self._release(company_id, data_types)
        started = _Started(self.p.sync_store, data_types)
        thread = threading.Thread(target=self._background, args=(started, auth, data_types, company_id),
                                  name=f"portal-sync-{company_id[:8]}", daemon=True)
        self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()
        started.wait()
        queued = started.queued()
        if not queued:
            raise ApiError(409, "the sync could not start (see the server log)", "dataType")
        return queued

    def _background(self, started: "_Started", auth: ConnectionAuth, data_types: list[str], company_id: str) -> None:
        try:
            self.engine(started).run(auth, data_types, company_id=company_id)
        except Exception:  # a background run has no caller to answer: log it, the datasets show the state
            log.exception("background sync for company %s failed", company_id)
        finally:
            started.ready.set()
            self._release(company_id, data_types)

    def _release(self, company_id: str, data_types: list[str]) -> None:
        with self._busy_lock:
            self._busy.difference_update((company_id, t) for t in data_types)

    def _not_supported(self, auth: ConnectionAuth, data_types: list[str]) -> list[Dataset]:
        """``link.unsupported_region=link_then_fail``: the connection is Linked, every read NotSupported."""
        out = []
        now = self.p.clock.now()
        for data_type in data_types:
            ds = self.p.sync_store.new_dataset(auth.company_id, auth.connection_id, data_type, now)
            ds.status, ds.completed = "NotSupported", now
            ds.status_description = ds.error_message = "this organisation's edition is not supported"
            self.p.sync_store.save_dataset(ds)
            out.append(ds)
        return out

    def resume_due(self) -> list[Dataset]:
        """Resume every paused dataset whose reset has passed on the platform clock."""
        now = self.p.clock.now()
        companies = {d.company_id for d in self.p.sync_store.datasets()
                     if d.paused_until is not None and d.paused_until <= now and not d.is_finished}
        auths = []
        for company_id in sorted(companies):
            try:
                auths.append(self.auth(company_id))
            except ApiError:
                continue  # no longer Linked: its datasets stay as they are until a re-link
        return list(self.engine().resume_due(auths)) if auths else []

    def data_status(self, company_id: str) -> dict[str, Any]:
        """Codat's ``dataStatus``: per data type, its current status and last successful sync."""
        integration = self.p.integrations.get()
        types = list(integration.data_types) if integration else []
        out: dict[str, Any] = {t: {"dataType": t} for t in types}
        for ds in self.p.sync_store.datasets(company_id):  # oldest first: the last one wins
            entry = out.setdefault(ds.data_type, {"dataType": ds.data_type})
            entry.update(currentStatus=ds.status, latestSyncId=ds.id)
            if ds.status == "Complete":
                entry.update(lastSuccessfulSync=ds.to_dict()["completed"], latestSuccessfulSyncId=ds.id)
        return out

    def close(self) -> None:
        for thread in self._threads:
            thread.join(timeout=30)


def _in_progress(company_id: str, data_type: str, dataset_id: str | None) -> ApiError:
    """Codat's refusal, word for word (the dataset is unknown only in the instant before the run saves it)."""
    previous = f"previous sync {dataset_id}" if dataset_id else "a previous sync"
    return ApiError(409, f"DatasetAlreadyInProgressException: Cannot queue {data_type} sync for {company_id} "
                         f"as {previous} is still in progress", "dataType")


class _Started:
    """A SyncStore view for one background run: the request answers once the run has saved a
    dataset for each requested type (new or resumed), with those datasets."""

    def __init__(self, store: Any, data_types: list[str]) -> None:
        self._store, self._wanted = store, set(data_types)
        self._seen: dict[str, str] = {}
        self._lock = threading.Lock()
        self.ready = threading.Event()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def save_dataset(self, dataset: Dataset) -> None:
        self._store.save_dataset(dataset)
        with self._lock:
            self._seen.setdefault(dataset.data_type, dataset.id)
            if self._wanted <= set(self._seen):
                self.ready.set()

    def new_dataset(self, company_id: str, connection_id: str, data_type: str, requested: float) -> Dataset:
        ds = self._store.new_dataset(company_id, connection_id, data_type, requested)
        self.save_dataset(ds)
        return ds

    def wait(self, timeout: float = 30.0) -> None:
        self.ready.wait(timeout)  # set once every type has a dataset, or when the run ends early

    def queued(self) -> list[Dataset]:
        with self._lock:
            ids = list(self._seen.values())
        found = [self._store.get_dataset(i) for i in ids]
        return [d for d in found if d is not None]
