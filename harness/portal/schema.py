"""The portal's schema as numbered migrations (``schema_version`` records which ran).

A later change adds a new ``(version, script)`` pair; existing files are brought up to date on open.
Version 3 shows the path for a later change: the Link URL's own query parameters, carried to the
redirect (Codat copies non-reserved ones), are a column added to existing tables.
Secrets are only ever stored sealed (``*_sealed`` columns, Fernet tokens); one-time link passwords
and OAuth states are stored as SHA-256 hashes.
"""
from __future__ import annotations

V1 = """
CREATE TABLE integration (
    key TEXT PRIMARY KEY,
    client_id TEXT NOT NULL,
    client_secret_sealed BLOB NOT NULL,
    client_secret_fingerprint TEXT NOT NULL,
    client_secret_last4 TEXT NOT NULL,
    enabled INTEGER NOT NULL DEFAULT 0,
    data_types TEXT NOT NULL,
    complete_datasets TEXT NOT NULL,
    editions TEXT NOT NULL,
    updated REAL NOT NULL
);
CREATE TABLE platform_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE companies (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT,
    redirect_url TEXT,
    organization_id TEXT,
    link_otp TEXT,
    created REAL NOT NULL
);
CREATE TABLE connections (
    id TEXT PRIMARY KEY,
    company_id TEXT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    integration_key TEXT NOT NULL,
    status TEXT NOT NULL,
    created REAL NOT NULL,
    last_sync REAL,
    connection_info TEXT NOT NULL DEFAULT '{}',
    link_otp TEXT,
    location TEXT,
    accounts_server TEXT,
    api_domain TEXT,
    refresh_token_sealed BLOB,
    token_created REAL,
    initial_sync_done INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX connections_company ON connections(company_id);
CREATE TABLE connection_errors (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    status_code TEXT NOT NULL,
    status_text TEXT,
    error_message TEXT,
    errored_on REAL NOT NULL,
    status TEXT,
    resolved_on REAL
);
CREATE TABLE link_tokens (
    token_hash TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    company_id TEXT NOT NULL,
    connection_id TEXT,
    expires_at REAL NOT NULL,
    used_at REAL
);
CREATE TABLE oauth_states (
    state_hash TEXT PRIMARY KEY,
    browser_hash TEXT,
    company_id TEXT NOT NULL,
    connection_id TEXT NOT NULL,
    expires_at REAL NOT NULL,
    used_at REAL
);
CREATE TABLE org_picks (
    token_hash TEXT PRIMARY KEY,
    company_id TEXT NOT NULL,
    connection_id TEXT NOT NULL,
    tokens_sealed BLOB NOT NULL,
    organizations TEXT NOT NULL,
    expires_at REAL NOT NULL,
    used_at REAL
);
CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    event_type TEXT NOT NULL,
    generated REAL NOT NULL,
    company_id TEXT,
    connection_id TEXT,
    body TEXT NOT NULL
);
CREATE TABLE webhook_deliveries (
    event_seq INTEGER PRIMARY KEY REFERENCES events(seq),
    url TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL,
    status TEXT NOT NULL,
    last_error TEXT,
    delivered_at REAL
);
CREATE INDEX webhook_due ON webhook_deliveries(status, next_attempt_at)
"""

V2_SYNC = """
CREATE TABLE access_tokens (
    connection_id TEXT PRIMARY KEY,
    token_sealed BLOB NOT NULL,
    api_domain TEXT,
    expires_at REAL NOT NULL
);
CREATE TABLE datasets (
    id TEXT PRIMARY KEY,
    company_id TEXT NOT NULL,
    connection_id TEXT NOT NULL,
    data_type TEXT NOT NULL,
    status TEXT NOT NULL,
    requested REAL NOT NULL,
    completed REAL,
    body TEXT NOT NULL
);
CREATE INDEX datasets_company ON datasets(company_id, data_type);
CREATE TABLE records (
    company_id TEXT NOT NULL,
    data_type TEXT NOT NULL,
    record_id TEXT NOT NULL,
    connection_id TEXT NOT NULL,
    normalised TEXT NOT NULL,
    raw TEXT,
    modified TEXT,
    complete INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (company_id, data_type, record_id)
);
CREATE INDEX records_connection ON records(connection_id);
CREATE TABLE cursors (
    connection_id TEXT NOT NULL,
    source_key TEXT NOT NULL,
    value TEXT,
    PRIMARY KEY (connection_id, source_key)
)
"""

V3_CARRIED = """
ALTER TABLE link_tokens ADD COLUMN extras TEXT;
ALTER TABLE oauth_states ADD COLUMN extras TEXT;
ALTER TABLE org_picks ADD COLUMN extras TEXT
"""

MIGRATIONS: list[tuple[int, str]] = [(1, V1), (2, V2_SYNC), (3, V3_CARRIED)]
