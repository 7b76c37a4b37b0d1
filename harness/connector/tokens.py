"""Access tokens for one connection: cached for their life, refreshed ahead of expiry, once on a 401,
one refresh at a time per connection.

Zoho mints at most 10 access tokens per refresh token per 10 minutes (then HTTP 400 "Access
Denied"), so correct use refreshes about once an hour: the token is cached in the store (shared by
every thread, and by every process when the store is), ``refresh_ahead_s`` before expiry one
caller refreshes under ``store.token_lock`` while the others wait and then reuse its token. A 401
refreshes only if nobody has replaced the token that drew it. "Access Denied" is waited out with a
back-off (60 s doubling, at most 300 s, within ``max_wait_s``), never treated as a lost grant;
``invalid_code`` is (the connection is ``Deauthorized``, event ``connection.disconnected``).
"""
from __future__ import annotations

from typing import Callable

from ..clock import Clock
from .errors import AuthFailed, FetchFailed
from .oauth import OAuthClient, OAuthError, TokenSet
from .settings import ConnectorSettings
from .store import ConnectionAuth, SyncStore

__all__ = ["TokenManager", "THROTTLE_FIRST_WAIT_S", "THROTTLE_MAX_WAIT_S"]

THROTTLE_FIRST_WAIT_S = 60.0
THROTTLE_MAX_WAIT_S = 300.0


class TokenManager:
    def __init__(self, oauth: OAuthClient, store: SyncStore, connection: ConnectionAuth, clock: Clock,
                 settings: ConnectorSettings, *, on_wait: Callable[[float, str], None] | None = None) -> None:
        self.oauth, self.store, self.conn, self.clock, self.settings = oauth, store, connection, clock, settings
        self.on_wait = on_wait
        self.refreshes = 0

    def _usable(self, token: TokenSet | None) -> bool:
        return (token is not None and token.refresh_token in (None, self.conn.refresh_token)
                and not token.expires_within(self.clock, self.settings.refresh_ahead_s))

    def token(self) -> TokenSet:
        """A live access token (refreshing first when the cached one is missing or about to expire)."""
        if self.settings.refresh_every_call:          # the mistake: a new token for every call
            with self.store.token_lock(self.conn.connection_id):
                return self._refresh_locked()
        cached = self.store.load_token(self.conn.connection_id)
        if self._usable(cached):
            return cached  # type: ignore[return-value]
        with self.store.token_lock(self.conn.connection_id):
            cached = self.store.load_token(self.conn.connection_id)   # another caller may have refreshed
            if self._usable(cached):
                return cached  # type: ignore[return-value]
            return self._refresh_locked()

    def after_401(self, stale: TokenSet) -> TokenSet:
        """Books said 401 to ``stale``: refresh once, unless another caller already replaced it."""
        with self.store.token_lock(self.conn.connection_id):
            cached = self.store.load_token(self.conn.connection_id)
            if cached is not None and cached.access_token != stale.access_token and self._usable(cached):
                return cached
            return self._refresh_locked()

    def _refresh_locked(self) -> TokenSet:
        waited, attempt = 0.0, 0
        while True:
            try:
                token = self.oauth.refresh(self.conn.refresh_token, self.conn.accounts_server, self.conn.location)
            except OAuthError as exc:
                if exc.revoked:
                    self.store.connection_deauthorized(self.conn.connection_id, exc.error)
                    raise AuthFailed(exc.error, revoked=True) from None
                if not exc.transient:
                    raise AuthFailed(exc.error, revoked=False) from None
                attempt += 1
                first = THROTTLE_FIRST_WAIT_S if exc.throttled else self.settings.backoff_base_s
                delay = min(first * 2 ** (attempt - 1), THROTTLE_MAX_WAIT_S)
                if waited + delay > self.settings.max_wait_s:
                    raise FetchFailed(exc.http_status, None, f"token endpoint: {exc.error} for "
                                      f"{waited:.0f} s (max_wait_s {self.settings.max_wait_s:.0f})") from None
                if self.on_wait:
                    self.on_wait(delay, f"token endpoint: {exc.error}")
                self.clock.sleep_until(self.clock.now() + delay)
                waited += delay
                continue
            self.refreshes += 1
            if token.api_domain != self.conn.api_domain:   # every answer says where Books is: follow it
                self.conn.api_domain = token.api_domain
            self.store.save_token(self.conn.connection_id, token)
            return token
