"""Reading data: queue data types for a company's Linked connection and run the connector's SyncEngine.

One engine per platform, so the per-organisation budget is shared by every run. ``wait=True`` runs
in the request and answers when every dataset has finished or paused; otherwise the run goes to a
background thread and the answer carries the datasets as queued. Queueing a type that is still
running answers Codat's ``DatasetAlreadyInProgressException`` (409).
"""
from __future__ import annotations

import json
import logging
import threading
from typing import Any

from harness.connector import ConnectionAuth, Dataset

from .errors import ApiError
from .store import LINKED

log = logging.getLogger("harness.portal.sync")
RUNNING = ("Initial", "Queued", "Fetching", "MapQueued", "Mapping", "ProcessingQueued", "Processing",
           "ValidationQueued", "Validating")


class SyncService:
    def __init__(self, platform: Any) -> None:
        self.p = platform
        self._engine: Any = None
        self._engine_lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._busy: set[tuple[str, str]] = set()  # (company, data type) being run in this process
        self._busy_lock = threading.Lock()

    # -- the engine --------------------------------------------------------------------------
    def engine(self) -> Any:
        with self._engine_lock:
            if self._engine is None:
                try:
                    from harness.connector import SyncEngine  # type: ignore[attr-defined]
                except ImportError:
                    raise ApiError(409, "the sync engine is not available in this build", "dataType") from None
                self._engine = SyncEngine(self.p.sync_store, self.p.zoho, self.p.connector_settings(), self.p.clock,
                                          session=self.p.session())
            return self._engine

    def reset_engine(self) -> None:
        """Settings changed: the next run builds an engine with the new ones."""
        with self._engine_lock:
            self._engine = None

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
        for ds in self.p.sync_store.datasets(company_id):
            if ds.data_type in data_types and ds.status in RUNNING:
                raise ApiError(409, f"DatasetAlreadyInProgressException: Cannot queue {ds.data_type} sync for "
                                    f"{company_id} as previous sync {ds.id} is still in progress", "dataType")

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
            if any((company_id, t) in self._busy for t in data_types):
                raise ApiError(409, f"DatasetAlreadyInProgressException: Cannot queue {', '.join(data_types)} sync "
                                    f"for {company_id} as a previous sync is still in progress", "dataType")
            self._check_not_running(company_id, data_types)
            self._busy.update((company_id, t) for t in data_types)
        engine = self.engine()
        if wait:
            try:
                return list(engine.run(auth, data_types, company_id=company_id))
            finally:
                self._release(company_id, data_types)
        before = {d.id for d in self.p.sync_store.datasets(company_id)}
        started = threading.Event()
        thread = threading.Thread(target=self._background, args=(engine, auth, data_types, company_id, started),
                                  name=f"portal-sync-{company_id[:8]}", daemon=True)
        self._threads.append(thread)
        thread.start()
        started.wait(30)
        return [d for d in self.p.sync_store.datasets(company_id) if d.id not in before] or [
            Dataset("", company_id, auth.connection_id, t, requested=self.p.clock.now()) for t in data_types]

    def _background(self, engine: Any, auth: ConnectionAuth, data_types: list[str], company_id: str,
                    started: threading.Event) -> None:
        try:
            run = getattr(engine, "start", None)
            if run is not None:  # an engine that can create its datasets first, then read
                for _ in run(auth, data_types, company_id=company_id, started=started):
                    pass
            else:
                started.set()
                engine.run(auth, data_types, company_id=company_id)
        except Exception:
            log.exception("background sync for company %s failed", company_id)
        finally:
            started.set()
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
        engine = self.engine()
        return list(engine.resume_due() or [])

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
