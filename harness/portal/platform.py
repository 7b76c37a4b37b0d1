"""``Platform``: the reference integration platform as one object (store, settings, connector, Flask app).

    platform = Platform(ZohoEndpoints("http://127.0.0.1:8080"), db="portal.sqlite3")
    with serve(platform) as portal:          # harness.portal.server
        print(portal.url)

It reaches Zoho only over HTTP through ``harness.connector`` (so pointing ``zoho`` at the real hosts
is the only change for production) and never imports the emulator.
"""
from __future__ import annotations

import json
import logging
import sqlite3
import threading
from typing import Any, Mapping

import requests

from harness.clock import Clock, WallClock
from harness.connector import ConnectorSettings, OAuthClient, ZohoEndpoints

from .connections import Connections
from .crypto import SealError, Sealer, load_key
from .db import MEMORY, Database
from .errors import ApiError
from .events import EventLog
from .integration import Integration, IntegrationStore
from .journey import LinkJourney
from .logs import install as install_log_filters
from .app import create_app
from .settings import SETTINGS, PlatformSettings, SettingError
from .store import PortalStore
from .sync import SyncService
from .syncstore import SqliteSyncStore

log = logging.getLogger("harness.portal")
SYNC_PREFIX = "sync."
SEALED_SETTING = "sealed:"  # a secret setting kept in platform_settings, Fernet-sealed


class Platform:
    def __init__(self, zoho: ZohoEndpoints | None = None, *, db: str = MEMORY, clock: Clock | None = None,
                 settings: Mapping[str, Any] | None = None, connector: Mapping[str, Any] | None = None,
                 public_url: str | None = None, session: requests.Session | None = None) -> None:
        install_log_filters()
        self.zoho = zoho or ZohoEndpoints()
        self.clock = clock or WallClock()
        settings = dict(settings or {})
        sync = {k[len(SYNC_PREFIX):]: settings.pop(k) for k in list(settings) if k.startswith(SYNC_PREFIX)}
        self.settings = PlatformSettings(settings)
        self._connector = ConnectorSettings()
        self._connector = self._connector_with({**dict(connector or {}), **sync})
        self.public_url_given = public_url is not None  # else serve() sets it once the port is known
        self.public_url = (public_url or "http://127.0.0.1").rstrip("/")
        self._session = session
        self._local = threading.local()
        self.db = Database(db)
        try:
            self.sealer = Sealer(load_key(self.settings["portal.encryption_key"], self.settings["portal.key_file"],
                                          self.db.path))
        except ValueError:
            self.db.close()
            raise SettingError("portal.encryption_key", "must be a Fernet key (32 url-safe base64 bytes), whether "
                                                        "given as the setting, $HARNESS_PORTAL_KEY or the key file") from None
        self._load_stored_settings({*settings, *(f"{SYNC_PREFIX}{k}" for k in sync),
                                    *(f"{SYNC_PREFIX}{k}" for k in (connector or {}))})
        self.store = PortalStore(self.db, self.sealer, self.public_url)
        self.integrations = IntegrationStore(self.db, self.sealer)
        self.events = EventLog(self.db, self.clock, self.settings, session=session)
        self.sync_store = SqliteSyncStore(self)
        self.connections = Connections(self)
        self.journey = LinkJourney(self)
        self.sync = SyncService(self)  # the service builds on everything above
        self.app = create_app(self)

    # -- wiring ------------------------------------------------------------------------------
    def set_public_url(self, url: str) -> None:
        """Where customers reach the portal (Link URLs, the redirect URI); set by ``serve`` once bound."""
        self.public_url = url.rstrip("/")
        self.store.public_url = self.public_url

    @property
    def redirect_uri(self) -> str:
        return f"{self.public_url}/oauth/callback"

    def session(self) -> requests.Session:
        """A requests session for Zoho calls: the one given, else one per thread."""
        if self._session is not None:
            return self._session
        if getattr(self._local, "session", None) is None:
            self._local.session = requests.Session()
        return self._local.session

    def connector_settings(self, integration: Integration | None = None) -> ConnectorSettings:
        """The connector's settings, with the integration's reduced/complete choice per data type."""
        integration = integration or self.integrations.get()
        if integration is None:
            return self._connector
        return ConnectorSettings.from_dict({**self._connector.to_dict(),
                                            "complete_datasets": list(integration.complete_datasets)})

    def _connector_with(self, changes: Mapping[str, Any]) -> ConnectorSettings:
        try:
            return ConnectorSettings.from_dict({**self._connector.to_dict(), **changes})
        except ValueError as exc:
            raise SettingError(f"sync.{getattr(exc, 'field', 'settings')}", str(exc).split(": ", 1)[-1]) from None

    def change_settings(self, changes: Mapping[str, Any], *, store: bool = True) -> list[str]:
        """Change platform settings at run time (``portal.*``, ``link.*``, ``sync.*``): all are checked
        before any applies, and the change is kept in the database for the next start."""
        sync = {k[len(SYNC_PREFIX):]: v for k, v in changes.items() if k.startswith(SYNC_PREFIX)}
        rest = {k: v for k, v in changes.items() if not k.startswith(SYNC_PREFIX)}
        PlatformSettings().update(rest, running=True)  # a scratch copy: raises before anything applies
        connector = self._connector_with(sync)
        self.settings.update(rest, running=True)
        self._connector = connector
        if store:
            with self.db.write() as c:
                c.executemany("INSERT OR REPLACE INTO platform_settings (key, value) VALUES (?, ?)",
                              [(k, self._stored_value(k, v)) for k, v in changes.items()])
        return sorted(changes)

    def _stored_value(self, key: str, value: Any) -> str:
        """A setting as kept in the database: a secret one (the webhook secret) sealed like client secrets."""
        spec = SETTINGS.get(key)
        if spec is not None and spec.secret and value is not None:
            return SEALED_SETTING + self.sealer.seal(json.dumps(value)).decode("ascii")
        return json.dumps(value)

    def _read_value(self, stored: str) -> Any:
        if stored.startswith(SEALED_SETTING):
            return json.loads(self.sealer.open(stored[len(SEALED_SETTING):].encode("ascii")))
        return json.loads(stored)

    def _load_stored_settings(self, given: set[str]) -> None:
        """Settings changed at run time before, unless this start names them itself."""
        with self.db.read() as c:
            stored = {r["key"]: r["value"] for r in c.execute("SELECT key, value FROM platform_settings")}
        for key, value in stored.items():
            if key in given:
                continue
            try:
                self.change_settings({key: self._read_value(value)}, store=False)
            except SettingError as exc:  # a key this version no longer knows: say so, keep starting
                log.warning("stored setting %s ignored: %s", key, exc.message)
            except SealError as exc:  # sealed under another encryption key
                log.warning("stored setting %s ignored: %s", key, exc)

    def oauth_client(self, integration: Integration) -> OAuthClient:
        return OAuthClient(integration.client_id, integration.client_secret, self.redirect_uri, self.zoho,
                           session=self.session(), settings=self.connector_settings(integration), clock=self.clock)

    def emit(self, c: sqlite3.Connection, event_type: str, company_id: str, connection_id: str | None) -> None:
        """A connection event in Codat's envelope, inside the caller's transaction."""
        payload: dict[str, Any] = {"referenceCompany": self.store.reference_company(company_id)}
        if connection_id:
            payload["connection"] = self.store.connection(connection_id)
        self.events.emit(c, event_type, company_id, connection_id, payload)

    def create_company(self, name: str, description: str | None = None, redirect_url: str | None = None,
                       organization_id: str | None = None) -> dict[str, Any]:
        """A company, its first Link URL and ``company.created``, in one transaction."""
        with self.db.write() as c:
            company_id = self.store.create_company(name, description, redirect_url, organization_id, self.clock.now(),
                                                   float(self.settings["link.otp_ttl_s"]))
            self.events.emit(c, "company.created", company_id, None,
                             {"referenceCompany": self.store.reference_company(company_id)})
        return self.store.company(company_id)

    def create_connection(self, company_id: str, *, link_ttl: float | None = None) -> tuple[str, bool]:
        """The company's accounting connection (one per company): the existing one, or a new PendingAuth
        one with ``connection.created``; check and create in one transaction, so two racing Link
        journeys cannot make two. Returns ``(connection_id, created)``."""
        with self.db.write() as c:
            existing = self.store.accounting_connection(company_id)
            if existing is not None:
                return existing["id"], False
            connection_id = self.store.create_connection(company_id, self.clock.now(), link_ttl)
            self.emit(c, "connection.created", company_id, connection_id)
        return connection_id, True

    def after_link(self, company_id: str, connection_id: str, *, first: bool) -> None:
        """Fetch on first link (``link.fetch_on_first_link``): queue and read every selected type."""
        if first and self.settings["link.fetch_on_first_link"]:
            try:
                self.sync.queue_all(company_id, wait=False)
            except ApiError as exc:  # the link itself succeeded: the customer still lands on 200
                log.warning("fetch on first link for company %s not queued: %s", company_id, exc.message)

    def close(self) -> None:
        self.sync.close()
        self.db.close()

    def __repr__(self) -> str:
        return f"Platform({self.zoho!r}, db={self.db.path!r}, public_url={self.public_url!r})"
