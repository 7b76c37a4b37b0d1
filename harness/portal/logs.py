"""Log hygiene: every record the portal's process writes about HTTP goes through ``redact``.

The portal's own lines only ever carry fingerprints, but libraries log too: urllib3 at DEBUG writes
each request line, and Zoho's legacy revoke call carries the refresh token in its query string. A
filter on those loggers masks secrets in the finished message before any handler sees it.
"""
from __future__ import annotations

import logging

from harness.redact import redact

# urllib3 logs request lines (with queries); the portal's loggers are filtered too, as a second guard.
# A logger's filters do not apply to its children's records, so each logger is named.
FILTERED_LOGGERS = ("urllib3.connectionpool",)
PORTAL_PREFIX = "harness.portal"


class RedactFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: let logging report it as it would
            return True
        record.msg, record.args = redact(message), ()
        return True


_FILTER = RedactFilter()


def install() -> None:
    """Attach the filter once per logger (idempotent: every Platform calls it)."""
    names = [*FILTERED_LOGGERS, *(n for n in list(logging.root.manager.loggerDict) if n.startswith(PORTAL_PREFIX))]
    for name in names:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
