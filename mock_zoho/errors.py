"""Domain errors: what the models raise when a rule of the emulated Zoho is broken.

They name the rule (a Books error kind with Zoho's code and wording, an admin input with its field,
an OAuth error string) and carry no HTTP answer: each area's edge turns them into Zoho's reply
(``mock_zoho.books.views.books_error_response``, ``mock_zoho.admin.helpers.admin_error_response``,
``mock_zoho.accounts.views.oauth_error_response``). No Flask here, so models and storage import it.
"""
from __future__ import annotations

from typing import Any, Mapping

from . import literals as L


class DomainError(Exception):
    """Base of every error the emulator's models raise on purpose."""


# -- Books API ---------------------------------------------------------------------------------------
class BooksError(DomainError):
    """A Books rule was broken: ``kind`` is Zoho's error (code, usual HTTP status, wording)."""

    headers: Mapping[str, str] = {}  # headers Zoho sends with this answer (the limiter's); none by default

    def __init__(self, kind: L.BooksErrorKind, status: int | None = None, message: str | None = None, **fields: Any):
        self.kind = kind
        self.code = kind.code
        self.status = status or kind.http_status  # Zoho's usual status; the Books edge may map it otherwise
        self.message = message if message is not None else kind.render(**fields)
        super().__init__(f"{self.code}: {self.message}")

    def body(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message}


class InvalidValue(BooksError):
    """A parameter or body field of a Books call holds a value Zoho rejects (code 2)."""

    def __init__(self, field: str) -> None:
        super().__init__(L.INVALID_VALUE, field=field)
        self.field = field


class NotFound(BooksError):
    """A Books record does not exist (code 1002; the HTTP status is ``books.not_found_http_status``)."""

    def __init__(self, resource: str) -> None:
        super().__init__(L.DOES_NOT_EXIST, resource=resource)


class InvalidToken(BooksError):
    """A Books call's access token is missing, unknown, expired or revoked (code 57, or 14)."""


class LimitExceeded(BooksError):
    """The limiter rejected a call (code 44, 45 or 1070); ``headers`` are the rate headers and
    ``Retry-After`` the answer carries."""

    def __init__(self, kind: L.BooksErrorKind, headers: Mapping[str, str], message: str | None = None) -> None:
        super().__init__(kind, message=message)
        self.headers = dict(headers)


def invalid_value(field: str) -> InvalidValue:
    return InvalidValue(field)


# -- the admin API ----------------------------------------------------------------------------------
class InvalidInput(DomainError):
    """A bad admin-API request; the message names the field and the fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        self.message = message
        self.field = field
        super().__init__(message)

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {"error": self.message}
        if self.field:
            out["field"] = self.field
        return out


class UnknownRecord(InvalidInput):
    """An admin request named a user, client, organisation or rule that does not exist."""


class Conflict(InvalidInput):
    """An admin request would break a uniqueness rule (one self client per user)."""


# -- the accounts server's JSON endpoints ---------------------------------------------------------
class OAuthError(DomainError):
    """An error of the token or revoke endpoint: Zoho's error string (``payload`` is its body).
    ``status`` is set only where a setting chooses it (throttling); None: ``oauth.error_http_status``."""

    def __init__(self, error: str, status: int | None = None, body: dict[str, Any] | None = None):
        self.error = error
        self.status = status
        self.payload = body or {"error": error}
        super().__init__(error)
