"""What a failure usually means: Zoho's raw answers mapped to the connector mistake that causes them.

A scenario that fails at the link or during a read says what it saw (``statusText
invalid_code``); the hint says why that tends to happen, so the person reading the report does not
need the Zoho reference open.
"""
from __future__ import annotations

HINTS: dict[str, str] = {
    "invalid_code": "Zoho refused the code: it was exchanged at another accounts server than the callback's "
                    "accounts-server (e.g. the home DC), or after its 2 minutes, or twice",
    "invalid_client_secret": "the secret does not match this DC's: a typo or space in the saved secret, a rotated "
                             "secret, or 'same credentials for all DCs' unticked",
    "invalid_client": "Zoho does not know the client in this DC: the user's DC is not enabled in the console, or the "
                      "Client ID was saved with a typo or space",
    "no_refresh_token": "the exchange gave no refresh_token: a returning user was not asked to consent again "
                        "(prompt=consent missing)",
    "You are not authorized to perform this operation": "Books answered 401 code 57: called on another DC's API "
                                                        "domain than the token's api_domain, or without the scope",
    "invalid_redirect_uri": "the redirect URI sent differs from the console's (a trailing slash, http vs https)",
    "access_denied": "the customer clicked Reject (or Zoho's grant-code limit was reached)",
}


def hint(text: str | None) -> str:
    """`` (hint: ...)`` for a Zoho answer we recognise, else nothing."""
    for key, why in HINTS.items():
        if text and key in text:
            return f" (hint: {why})"
    return ""
