"""The Zoho Books integration's settings: keys, enable state, data types, reduced/complete pulls, editions.

Saving checks the keys before anything is stored (Codat: "Make sure that your secure keys don't
contain any spaces"): empty, whitespace anywhere (``portal.key_whitespace``: reject / trim / accept)
or a shape that is not a Zoho key is refused with the field and the fault. The client secret is
sealed at rest and only ever shown as a fingerprint and its last 4 characters.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Mapping

from harness.connector.datatypes import DATA_TYPES
from harness.redact import fingerprint

from .crypto import Sealer
from .db import Database
from .errors import ApiError

KEY = "rwuv"
NAME = "Zoho Books"
DEFAULT_EDITIONS = ("uk", "us")
# Zoho Books editions (country versions); "Supported regions" picks among them (integration flow §4).
EDITIONS = ("us", "uk", "in", "au", "ca", "mx", "ke", "za", "uae", "gcc", "global")
DEFAULT_COMPLETE = ("suppliers",)
_WHITESPACE = re.compile(r"\s")
# Client ID: "1000." + upper-case alphanumerics (30 in Zoho's examples); secret: 42 lower-case hex in
# Zoho's examples. The shapes are checked loosely so a future length change still saves.
_CLIENT_ID = re.compile(r"1000\.[A-Za-z0-9]{10,64}")
_CLIENT_SECRET = re.compile(r"[A-Za-z0-9]{20,100}")
_SHAPES = {"client_id": (_CLIENT_ID, "does not look like a Zoho Client ID (1000. followed by letters and digits)"),
           "client_secret": (_CLIENT_SECRET, "does not look like a Zoho Client Secret (20 to 100 letters and digits)")}
_LABELS = {"client_id": "Client ID", "client_secret": "Client secret"}

SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "client_id": {"type": "string", "maxLength": 200},
        "client_secret": {"type": "string", "maxLength": 200},
        "enable": {"enum": ["now", "later"]},
        "data_types": {"type": "array", "items": {"enum": list(DATA_TYPES)}, "uniqueItems": True, "minItems": 1},
        "complete_datasets": {"type": "array", "items": {"enum": list(DATA_TYPES)}, "uniqueItems": True},
        "editions": {"type": "array", "items": {"enum": list(EDITIONS)}, "uniqueItems": True, "minItems": 1},
    },
}


@dataclass(frozen=True)
class Integration:
    client_id: str
    client_secret: str  # in memory only, opened from its sealed form when a link needs it
    enabled: bool
    data_types: tuple[str, ...]
    complete_datasets: tuple[str, ...]
    editions: tuple[str, ...]
    secret_fingerprint: str
    secret_last4: str

    def __repr__(self) -> str:
        return f"Integration(client_id={self.client_id!r}, secret={self.secret_fingerprint}, enabled={self.enabled})"


def check_key(field: str, value: str, whitespace: str) -> str:
    """The key as it will be stored, or an ApiError naming ``field`` and the fault."""
    label = _LABELS[field]
    if whitespace == "trim":  # the ends only: a space inside a key is never a paste artefact to fix
        value = value.strip()
    if not value.strip():
        raise ApiError(400, f"{label} must not be empty", field)
    if whitespace != "accept" and _WHITESPACE.search(value):
        where = "leading" if value[0].isspace() else "trailing" if value[-1].isspace() else "inside"
        raise ApiError(400, f"{label} must not contain spaces or other whitespace ({where})", field)
    pattern, fault = _SHAPES[field]
    if not pattern.fullmatch(_WHITESPACE.sub("", value)):  # under "accept" the shape is judged without spaces
        raise ApiError(400, f"{label} {fault}", field)
    return value


class IntegrationStore:
    """The one Zoho Books integration row (key ``rwuv``)."""

    def __init__(self, db: Database, sealer: Sealer) -> None:
        self.db, self.sealer = db, sealer

    def get(self) -> Integration | None:
        with self.db.read() as c:
            row = c.execute("SELECT * FROM integration WHERE key = ?", (KEY,)).fetchone()
        if row is None:
            return None
        return Integration(row["client_id"], self.sealer.open(row["client_secret_sealed"]), bool(row["enabled"]),
                           tuple(json.loads(row["data_types"])), tuple(json.loads(row["complete_datasets"])),
                           tuple(json.loads(row["editions"])), row["client_secret_fingerprint"],
                           row["client_secret_last4"])

    def save(self, body: Mapping[str, Any], whitespace: str, now: float) -> Integration:
        """Validate ``body`` (SCHEMA already checked) and store it in one transaction."""
        current = self.get()
        if current is None:
            for field in ("client_id", "client_secret"):
                if field not in body:
                    raise ApiError(400, f"{_LABELS[field]} is required", field)
        client_id = check_key("client_id", body["client_id"], whitespace) if "client_id" in body else current.client_id
        secret = (check_key("client_secret", body["client_secret"], whitespace) if "client_secret" in body
                  else current.client_secret)
        if current is not None and "enable" not in body:
            enabled = current.enabled
        else:
            enabled = body.get("enable") == "now"
        data_types = tuple(body.get("data_types") or (current.data_types if current else DATA_TYPES))
        complete = tuple(body["complete_datasets"] if "complete_datasets" in body
                         else current.complete_datasets if current else DEFAULT_COMPLETE)
        editions = tuple(body.get("editions") or (current.editions if current else DEFAULT_EDITIONS))
        with self.db.write() as c:
            c.execute("DELETE FROM integration WHERE key = ?", (KEY,))
            c.execute(
                "INSERT INTO integration (key, client_id, client_secret_sealed, client_secret_fingerprint,"
                " client_secret_last4, enabled, data_types, complete_datasets, editions, updated)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (KEY, client_id, self.sealer.seal(secret), fingerprint(secret), secret[-4:], int(enabled),
                 json.dumps(list(data_types)), json.dumps(list(complete)), json.dumps(list(editions)), now))
        saved = self.get()
        assert saved is not None
        return saved

    def set_enabled(self, enabled: bool, now: float) -> Integration:
        with self.db.write() as c:
            done = c.execute("UPDATE integration SET enabled = ?, updated = ? WHERE key = ?",
                             (int(enabled), now, KEY)).rowcount
        if not done:
            raise ApiError(409, "save the Client ID and Client secret before enabling Zoho Books", "client_id")
        saved = self.get()
        assert saved is not None
        return saved


def describe(integration: Integration | None, redirect_uri: str) -> dict[str, Any]:
    """The settings as the API and pages show them: never the secret, only its fingerprint and last 4."""
    base: dict[str, Any] = {"key": KEY, "name": NAME, "sourceType": "Accounting", "redirect_uri": redirect_uri,
                            "available_data_types": list(DATA_TYPES), "available_editions": list(EDITIONS)}
    if integration is None:
        return {**base, "configured": False, "enabled": False, "client_id": None, "client_secret": None,
                "data_types": list(DATA_TYPES), "complete_datasets": list(DEFAULT_COMPLETE),
                "editions": list(DEFAULT_EDITIONS)}
    return {**base, "configured": True, "enabled": integration.enabled, "client_id": integration.client_id,
            "client_secret": {"fingerprint": integration.secret_fingerprint, "last4": integration.secret_last4},
            "data_types": list(integration.data_types), "complete_datasets": list(integration.complete_datasets),
            "editions": list(integration.editions)}
