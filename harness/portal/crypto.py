"""Secrets at rest: client secrets and Zoho tokens are sealed with Fernet before they reach SQLite.

The key comes from, in order: the ``portal.encryption_key`` setting, the ``HARNESS_PORTAL_KEY``
environment variable, a key file (``portal.key_file``, else ``<database>.key`` beside a file
database) created owner-only on first use, or, for an in-memory database, a key that lives as long
as the process. One-time passwords and OAuth states are hashed, not sealed: they are only compared.
"""
from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

KEY_ENV = "HARNESS_PORTAL_KEY"


class SealError(Exception):
    """A sealed value could not be opened (wrong key, or a tampered database)."""


class Sealer:
    """``seal(text) -> bytes`` and ``open(bytes) -> text`` with one Fernet key."""

    def __init__(self, key: bytes | str) -> None:
        try:
            self._fernet = Fernet(key)
        except (ValueError, TypeError) as exc:
            raise ValueError("portal.encryption_key must be a Fernet key (32 url-safe base64 bytes)") from exc

    def seal(self, text: str) -> bytes:
        return self._fernet.encrypt(text.encode())

    def open(self, sealed: bytes) -> str:
        try:
            return self._fernet.decrypt(bytes(sealed)).decode()
        except InvalidToken as exc:
            raise SealError("a sealed secret could not be opened with this key") from exc


def load_key(setting: str | None, key_file: str | None, db_path: str) -> bytes:
    """The Fernet key, from the first source that has one (see the module docstring)."""
    if setting:
        return setting.encode()
    if os.environ.get(KEY_ENV):
        return os.environ[KEY_ENV].encode()
    if key_file is None and db_path == ":memory:":
        return Fernet.generate_key()
    path = Path(key_file or f"{db_path}.key")
    if path.exists():
        return path.read_bytes().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Fernet.generate_key()
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return path.read_bytes().strip()
    with os.fdopen(fd, "wb") as fh:
        fh.write(key)
    return key


def digest(value: str) -> str:
    """What the store keeps of a one-time password or an OAuth state."""
    return hashlib.sha256(value.encode()).hexdigest()


def new_token(nbytes: int = 24) -> str:
    return secrets.token_urlsafe(nbytes)
