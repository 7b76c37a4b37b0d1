"""The one place secrets are masked before they reach a log, event, stored error or report.

Zoho secrets have recognisable shapes (tokens and codes ``1000.<32 hex>.<32 hex>``, client secrets
of 40-odd hex characters) and travel in known places (``Authorization: Zoho-oauthtoken ...``,
``refresh_token=``/``client_secret=``/``code=`` parameters, JSON keys). ``redact`` masks all of
them, in text or in nested mappings, leaving a short fingerprint so two log lines about the same
token can still be matched. ``redact_logs(name, ...)`` puts the same mask on the records of loggers
we do not write to ourselves (urllib3 logs each request line, query string included, at DEBUG).
"""
from __future__ import annotations

import hashlib
import logging
import re
from typing import Any, Mapping

__all__ = ["fingerprint", "redact", "redact_logs", "RedactFilter", "SECRET_KEYS"]

# Mapping keys whose values are secrets wherever they appear.
SECRET_KEYS = frozenset({
    "access_token", "refresh_token", "client_secret", "code", "token", "authorization", "password",
    "id_token", "secret", "otp", "grant_token", "code_verifier",
})

_TOKEN = re.compile(r"\b1000\.[0-9a-fA-F]{16,}\.[0-9a-fA-F]{16,}\b")
_HEX_SECRET = re.compile(r"\b[0-9a-f]{36,64}\b")
_AUTH_HEADER = re.compile(r"(Zoho-oauthtoken|Bearer)\s+[^\s\"',;]+", re.IGNORECASE)
_PARAM = re.compile(r"(?i)\b(access_token|refresh_token|client_secret|code|token|otp|password)=([^&\s\"']+)")
_JSON_PAIR = re.compile(
    r"(?i)([\"'](?:access_token|refresh_token|client_secret|code|token|password|otp)[\"']\s*:\s*[\"'])([^\"']+)")


def fingerprint(secret: str | None) -> str:
    """``fp:1a2b3c4d`` (8 hex of SHA-256): enough to match two mentions, nothing to reuse."""
    if not secret:
        return "fp:none"
    return "fp:" + hashlib.sha256(secret.encode()).hexdigest()[:8]


def _mask(match_text: str) -> str:
    return f"<{fingerprint(match_text)}>"


def _redact_text(text: str) -> str:
    text = _AUTH_HEADER.sub(lambda m: f"{m.group(1)} {_mask(m.group(0).split()[-1])}", text)
    text = _PARAM.sub(lambda m: f"{m.group(1)}={_mask(m.group(2))}", text)
    text = _JSON_PAIR.sub(lambda m: m.group(1) + _mask(m.group(2)), text)
    text = _TOKEN.sub(lambda m: _mask(m.group(0)), text)
    return _HEX_SECRET.sub(lambda m: _mask(m.group(0)), text)


def redact(value: Any) -> Any:
    """A copy of ``value`` (text, mapping, list, or anything with a ``str``) with every secret masked."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, str):
        return _redact_text(value)
    if isinstance(value, Mapping):
        out: dict[Any, Any] = {}
        for key, item in value.items():
            if isinstance(key, str) and key.lower().replace("-", "_") in SECRET_KEYS and isinstance(item, str):
                out[key] = _mask(item)
            else:
                out[key] = redact(item)
        return out
    if isinstance(value, (list, tuple, set, frozenset)):
        return type(value)(redact(v) for v in value) if not isinstance(value, (set, frozenset)) else [
            redact(v) for v in value]
    return _redact_text(str(value))


class RedactFilter(logging.Filter):
    """Masks secrets in a record's finished message before any handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: let logging report it as it would
            return True
        record.msg, record.args = redact(message), ()
        return True


_FILTER = RedactFilter()


def redact_logs(*names: str) -> None:
    """Attach the filter to each named logger, once (a logger's filters do not apply to its
    children's records, so each logger is named)."""
    for name in names:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
