"""Log hygiene, second guard: every record of the portal's own loggers goes through ``redact``.

The portal's own lines only ever carry fingerprints; the filter makes a slip harmless. Library
loggers are the connector's business (``OAuthClient.revoke`` masks urllib3's request lines, which
carry the refresh token in Zoho's revoke query), and werkzeug's request lines go through the
server's ``RedactingHandler``.
"""
from __future__ import annotations

import logging

from harness.redact import redact_logs

PORTAL_PREFIX = "harness.portal"


def install() -> None:
    """Filter every portal logger created so far (idempotent: every Platform calls it)."""
    redact_logs(*(n for n in list(logging.root.manager.loggerDict) if n.startswith(PORTAL_PREFIX)))
