"""Log hygiene, second guard: every record of the portal's own loggers goes through ``redact``.

The portal's own lines only ever carry fingerprints; the filter makes a slip harmless. urllib3's
request lines are masked too: in the portal's process they can carry a grant code (a callback URL
followed in the same process, as the scenario runner's browser does) or a refresh token (Zoho's
revoke query). werkzeug's request lines go through the server's ``RedactingHandler``.
"""
from __future__ import annotations

import logging

from harness.connector.oauth import HTTP_LOGGERS
from harness.redact import redact_logs

PORTAL_PREFIX = "harness.portal"


def install() -> None:
    """Filter every portal logger created so far (idempotent: every Platform calls it)."""
    redact_logs(*HTTP_LOGGERS, *(n for n in list(logging.root.manager.loggerDict) if n.startswith(PORTAL_PREFIX)))
