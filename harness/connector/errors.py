"""Errors the Books side of the connector raises, each mapped to one dataset status by the engine."""
from __future__ import annotations

from typing import Any

from ..redact import redact

__all__ = ["BooksError", "NotPermitted", "DailyQuotaExhausted", "RateLimited", "FetchFailed", "AuthFailed"]


class BooksError(Exception):
    """A Books answer outside success: HTTP status, Zoho's body ``code`` and ``message``."""

    status_name = "FetchError"

    def __init__(self, http_status: int | None, code: int | None, message: str, *, path: str = "") -> None:
        self.http_status, self.code, self.message, self.path = http_status, code, redact(message), path
        super().__init__(f"{path or 'Books'}: HTTP {http_status}, code {code}: {self.message}")

    @classmethod
    def from_body(cls, http_status: int, body: Any, path: str = "") -> "BooksError":
        body = body if isinstance(body, dict) else {}
        code = body.get("code")
        return cls(http_status, code if isinstance(code, int) else None, str(body.get("message") or ""), path=path)


class NotPermitted(BooksError):
    """401 code 57 after a fresh token (a scope is missing), or 400 code 6041 (user left the org)."""

    status_name = "PermissionsError"


class RateLimited(BooksError):
    """429 (code 44 or 1070) still answered after every retry."""

    status_name = "RateLimitError"


class FetchFailed(BooksError):
    """5xx, dropped connections or malformed bodies after every retry, or waits longer than allowed."""

    status_name = "FetchError"


class AuthFailed(BooksError):
    """The grant no longer works: ``revoked`` (Deauthorized) or bad client keys (stays Linked)."""

    status_name = "AuthError"

    def __init__(self, error: str, *, revoked: bool) -> None:
        super().__init__(None, None, error)
        self.error, self.revoked = error, revoked


class DailyQuotaExhausted(BooksError):
    """The org's daily quota is spent (429 code 45, or the budget's reserve reached) until ``reset_at``."""

    status_name = "RateLimitError"

    def __init__(self, reset_at: float, message: str = "daily API quota exhausted", *, code: int | None = None,
                 http_status: int | None = None) -> None:
        super().__init__(http_status, code, message)
        self.reset_at = reset_at
