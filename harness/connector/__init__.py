"""The reference Zoho Books connector: OAuth client, Books client, per-org budget, sync engine.

A library (no web framework, no database): the portal hands it a ``SyncStore``. It reaches Zoho
only over HTTP, so the same code runs against the real Zoho and the emulator with nothing but the
base URL changed (``ZohoEndpoints(base_url)``), and it never imports the emulator.

Map: ``endpoints`` (hosts per DC), ``oauth`` (token endpoint), ``tokens`` (cache, refresh ahead,
once on 401, one at a time), ``budget`` (per-org per-minute/daily/in-flight budget; its docstring
says what it does across processes), ``books`` (calls, pages, retries), ``datatypes`` (the mapping
table), ``normalise`` (platform field names), ``engine`` (datasets, statuses, pause and resume,
events, progress), ``store`` (the ``SyncStore`` protocol and ``MemorySyncStore``), ``settings``
(mistake switches and knobs), ``discovery`` (which org a link reads), ``emulated`` (linking against
an emulator without a portal: tests, benchmarks).
"""
from .books import BooksClient, CallStats
from .budget import NoBudget, OrgBudget, budget_for
from .datatypes import DATA_TYPES, DataType, Source, scopes_for
from .discovery import OrgChoice, discover_organization, edition_of
from .engine import SyncEngine, SyncProgress
from .endpoints import DATA_CENTERS, UnknownDataCenter, ZohoEndpoints
from .errors import AuthFailed, BooksError, DailyQuotaExhausted, FetchFailed, NotPermitted, RateLimited
from .oauth import OAuthClient, OAuthError, TokenSet
from .settings import ConnectorSettings, SettingsError
from .store import ConnectionAuth, Dataset, MemorySyncStore, STATUSES, SyncRecord, SyncStore, file_lock
from .tokens import TokenManager

__all__ = [
    "DATA_TYPES", "DataType", "Source", "scopes_for", "OrgChoice", "discover_organization", "edition_of",
    "DATA_CENTERS", "UnknownDataCenter", "ZohoEndpoints", "AuthFailed", "BooksError", "DailyQuotaExhausted",
    "FetchFailed", "NotPermitted", "RateLimited", "OAuthClient", "OAuthError", "TokenSet", "ConnectorSettings",
    "SettingsError", "ConnectionAuth", "Dataset", "MemorySyncStore", "STATUSES", "SyncRecord", "SyncStore",
    "file_lock", "BooksClient", "CallStats", "NoBudget", "OrgBudget", "budget_for", "SyncEngine", "SyncProgress",
    "TokenManager",
]
