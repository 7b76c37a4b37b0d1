"""The Link journey: Link URL -> platform choice -> Zoho's consent -> OAuth callback -> the company's redirect.

Steps and outcomes follow integration flow §8.3 and §9. Every outcome after the company is known
ends at the company's redirect URL (or the portal's result page when it has none) with
``statusCode``, ``errorMessage``, ``statusText`` (Zoho's raw error), ``companyId``, ``connectionId``.
A used or expired Link URL, and an unknown, used, expired or other-browser OAuth state, change
nothing: the customer sees a page saying so. The code is exchanged only at an ``accounts-server``
that is one of Zoho's (or the emulator's, when the platform points at one).
"""
from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import dataclass, field
from typing import Any, Mapping
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from harness.connector import (BooksError, OAuthError, OrgChoice, TokenSet, discover_organization,
                               scopes_for)
from harness.redact import fingerprint, redact

from .crypto import digest, new_token
from .integration import KEY, NAME, Integration
from .store import (CHOICE, COMPANY_LINK, CONNECTION_LINK, DEAUTHORIZED, LINKED, PENDING, UNLINKED, Taken,
                    TokenRefused)

log = logging.getLogger("harness.portal.link")

OK, NOTHING_TO_DO, CANCELLED, UNKNOWN, NOT_SUPPORTED = 200, 201, 403, 500, 501
MESSAGES = {OK: "", NOTHING_TO_DO: "", CANCELLED: "User cancelled.", UNKNOWN: "Unknown error occurred.",
            NOT_SUPPORTED: "Not supported."}
DENIED = "access_denied"
GONE_TEXT = "This link has expired or has already been used"
PICK_TTL_S = 900
# Redirect parameters the platform sets (Codat's reserved names); a Link URL's other query parameters
# are carried to the redirect, at most MAX_CARRIED of them, each at most MAX_CARRIED_LEN characters.
RESERVED = frozenset({"clientId", "companyId", "connectionId", "integrationId", "sourceId", "platform", "platformName",
                      "sourceType", "statusCode", "errorMessage", "statusText", "otp"})
MAX_CARRIED, MAX_CARRIED_LEN = 20, 500


def carried(args: Mapping[str, str]) -> dict[str, str]:
    """The Link URL's own query parameters that travel on to the company's redirect URL."""
    out = {k: v for k, v in args.items() if k not in RESERVED and len(k) <= 100 and len(v) <= MAX_CARRIED_LEN}
    return dict(list(out.items())[:MAX_CARRIED])


@dataclass
class Trip:
    """One customer's journey so far: the company, its connection (once chosen), and the Link URL's
    own query parameters to carry to the redirect."""

    company: sqlite3.Row
    connection_id: str | None = None
    extras: dict[str, str] = field(default_factory=dict)

    @property
    def company_id(self) -> str:
        return str(self.company["id"])


@dataclass
class Show:
    """Render ``template`` with ``status`` (a page of the portal's own)."""

    template: str
    status: int
    context: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def message(cls, status: int, title: str, text: str) -> "Show":
        """The portal's plain message page."""
        return cls("message.html", status, {"title": title, "text": text})

    @classmethod
    def unknown(cls, what: str) -> "Show":
        return cls.message(404, f"Unknown {what}", f"This Link URL names no {what}.")

    @classmethod
    def gone(cls) -> "Show":
        """A used or expired Link URL (or state): 410, and nothing created."""
        return cls.message(410, "Link expired", GONE_TEXT)


@dataclass
class Go:
    """Send the browser to ``url``; ``browser`` (when set) is the journey cookie to set first."""

    url: str
    browser: str | None = None


class LinkJourney:
    def __init__(self, platform: Any) -> None:
        self.p = platform

    # -- entry points ------------------------------------------------------------------------
    def open_company_link(self, company_id: str, otp: str | None, platform_key: str | None, browser: str | None,
                          extras: dict[str, str]) -> Show | Go:
        """A company's Link URL: the platform choice page (or straight on with ``platform``)."""
        company = self.p.store.company_row(company_id)
        if company is None:
            return Show.unknown("company")
        refused = self._take(COMPANY_LINK, otp, company_id, None)
        if isinstance(refused, Show):
            return refused
        trip = Trip(company, None, extras)
        if platform_key is not None:
            return self._choose(trip, platform_key, browser)
        now = self.p.clock.now()
        with self.p.db.write() as c:
            choice = self.p.store.mint(c, CHOICE, company_id, None, now + float(self.p.settings["link.otp_ttl_s"]),
                                       extras)
        integration = self.p.integrations.get()
        enabled = [{"key": KEY, "name": NAME}] if integration and integration.enabled else []
        return Show("link_choose.html", 200, {"company": dict(company), "choice": choice, "integrations": enabled})

    def choose(self, company_id: str, choice: str | None, platform_key: str | None, browser: str | None) -> Show | Go:
        """The customer picked a platform on the Link page."""
        company = self.p.store.company_row(company_id)
        if company is None:
            return Show.unknown("company")
        taken = self._take(CHOICE, choice, company_id, None)
        if isinstance(taken, Show):
            return taken
        return self._choose(Trip(company, None, taken.extras), platform_key or "", browser)

    def open_connection_link(self, company_id: str, connection_id: str, otp: str | None, browser: str | None,
                             extras: dict[str, str]) -> Show | Go:
        """A connection's Link URL: straight to Zoho (re-link keeps the connection id)."""
        row = self.p.store.connection_row(connection_id)
        if row is None or row["company_id"] != company_id:
            return Show.unknown("connection")
        refused = self._take(CONNECTION_LINK, otp, company_id, connection_id)
        if isinstance(refused, Show):
            return refused
        trip = Trip(self.p.store.company_row(company_id), connection_id, extras)
        integration = self.p.integrations.get()
        if integration is None or not integration.enabled:
            return self._finish(trip, NOT_SUPPORTED, "Zoho Books is not enabled", record=False)
        return self._authorise(trip, integration, browser)

    # -- steps -------------------------------------------------------------------------------
    def _take(self, kind: str, token: str | None, company_id: str, connection_id: str | None) -> Show | Taken:
        if not token:
            return Show.gone()
        try:
            return self.p.store.take(kind, token, company_id, connection_id, self.p.clock.now())
        except TokenRefused as exc:
            log.info("link token refused (%s) company=%s", exc.reason, company_id)
            return Show.gone()

    def _choose(self, trip: Trip, platform_key: str, browser: str | None) -> Show | Go:
        if platform_key != KEY:
            return self._finish(trip, NOT_SUPPORTED, f"unknown platform {platform_key[:40]!r}", record=False)
        integration = self.p.integrations.get()
        if integration is None or not integration.enabled:
            return self._finish(trip, NOT_SUPPORTED, "Zoho Books is not enabled", record=False)
        trip.connection_id, _ = self.p.create_connection(trip.company_id)  # an existing one keeps its id (re-link)
        return self._authorise(trip, integration, browser)

    def _authorise(self, trip: Trip, integration: Integration, browser: str | None) -> Go:
        browser = browser or new_token()
        state = self.p.store.new_state(trip.company_id, trip.connection_id or "", browser, self.p.clock.now(),
                                       float(self.p.settings["link.state_ttl_s"]), trip.extras)
        client = self.p.oauth_client(integration)
        dc = self.p.settings["link.home_dc"] or self.p.zoho.home_dc.location
        url = client.authorize_url(scopes_for(integration.data_types), state, dc=dc)
        log.info("link started company=%s connection=%s", trip.company_id, trip.connection_id)
        return Go(url, browser)

    # -- the OAuth callback ------------------------------------------------------------------
    def callback(self, params: Mapping[str, str], browser: str | None) -> Show | Go:
        state = params.get("state") or ""
        try:
            taken = self.p.store.take_state(state, browser, bool(self.p.settings["link.state_cookie"]),
                                            self.p.clock.now()) if state else None
        except TokenRefused as exc:
            log.warning("OAuth callback refused: state %s", exc.reason)
            taken = None
        if taken is None:
            return Show("result.html", 400, {"statusCode": UNKNOWN, "errorMessage": MESSAGES[UNKNOWN],
                                             "statusText": "invalid_state",
                                             "text": "This sign-in answer is not one the platform is waiting for "
                                                     "(already used, expired, or started in another browser)."})
        company = self.p.store.company_row(taken.company_id)
        if company is None or self.p.store.connection_row(taken.connection_id or "") is None:
            return Show("result.html", 410, {"statusCode": UNKNOWN, "errorMessage": MESSAGES[UNKNOWN],
                                             "statusText": "connection_deleted", "text": GONE_TEXT})
        trip = Trip(company, taken.connection_id, taken.extras)
        error = params.get("error")
        if error:
            return self._finish(trip, CANCELLED if error == DENIED else UNKNOWN, error)
        integration = self.p.integrations.get()
        if integration is None or not integration.enabled:
            return self._finish(trip, NOT_SUPPORTED, "Zoho Books is not enabled")
        accounts_server = (params.get("accounts-server") or "").strip()
        location = params.get("location")
        if not self.p.zoho.is_accounts_server(accounts_server):
            return self._finish(trip, UNKNOWN, "untrusted_accounts_server")
        if location and self.p.zoho.location_of(accounts_server) != location:
            return self._finish(trip, UNKNOWN, "location_mismatch")
        code = params.get("code")
        if not code:
            return self._finish(trip, UNKNOWN, "missing_code")
        try:
            tokens = self.p.oauth_client(integration).exchange(code, accounts_server, location)
        except OAuthError as exc:
            return self._finish(trip, UNKNOWN, exc.error)
        if not tokens.refresh_token:
            return self._finish(trip, UNKNOWN, "no_refresh_token")
        return self._discover(trip, integration, tokens, company["organization_id"])

    def _discover(self, trip: Trip, integration: Integration, tokens: TokenSet,
                  organization_id: str | None) -> Show | Go:
        try:
            choice = discover_organization(tokens, selection=self.p.settings["link.org_selection"],
                                           organization_id=organization_id, session=self.p.session(),
                                           endpoints=self.p.zoho, settings=self.p.connector_settings())
        except BooksError as exc:
            self._revoke(tokens.refresh_token, tokens.accounts_server)
            return self._finish(trip, UNKNOWN, exc.message or f"HTTP {exc.http_status}")
        except ValueError as exc:
            self._revoke(tokens.refresh_token, tokens.accounts_server)
            return self._finish(trip, UNKNOWN, str(exc))
        if choice.needs_pick:
            return self._picker(trip, tokens, choice)
        supported = choice.edition in integration.editions
        if not supported and self.p.settings["link.unsupported_region"] == "reject":
            self._revoke(tokens.refresh_token, tokens.accounts_server)
            return self._finish(trip, NOT_SUPPORTED, f"edition {choice.edition or 'unknown'} is not supported "
                                                     f"(supported: {', '.join(integration.editions)})")
        return self._linked(trip, tokens, choice, supported)

    def _linked(self, trip: Trip, tokens: TokenSet, choice: OrgChoice, supported: bool) -> Go | Show:
        connection_id = trip.connection_id or ""
        before = self.p.store.connection_row(connection_id)
        previous = before["status"]
        old_info = json.loads(before["connection_info"] or "{}")
        old_token = self.p.store.refresh_token(before)
        same_org = previous == LINKED and old_info.get("organizationId") == choice.organization_id
        info = {"organizationId": choice.organization_id, "organizationName": choice.name, "dc": choice.dc,
                "edition": choice.edition, "zohoUserId": choice.zoho_user_id, "warnings": choice.warnings}
        if not supported:
            info["supported"] = False
        now = self.p.clock.now()
        with self.p.db.write() as c:
            self.p.store.store_link(c, connection_id, refresh_token=tokens.refresh_token or "",
                                    location=tokens.location or choice.dc or "", accounts_server=tokens.accounts_server,
                                    api_domain=tokens.api_domain, info=info, now=now)
            self.p.store.resolve_errors(c, connection_id, now)
            self.p.sync_store.save_token_in(c, connection_id, tokens)
            self._warn_on_eviction(c, connection_id, choice.zoho_user_id)
            if previous == PENDING:
                self.p.emit(c, "connection.connected", trip.company_id, connection_id)
            elif previous in (DEAUTHORIZED, UNLINKED):
                self.p.emit(c, "connection.reconnected", trip.company_id, connection_id)
        if old_token and old_token != tokens.refresh_token:
            self._revoke(old_token, before["accounts_server"])  # the old grant is replaced: free its slot
        log.info("connection %s linked org=%s edition=%s dc=%s refresh=%s", connection_id, choice.organization_id,
                 choice.edition, choice.dc, fingerprint(tokens.refresh_token))
        self.p.after_link(trip.company_id, connection_id, first=previous == PENDING)
        return self._finish(trip, NOTHING_TO_DO if same_org else OK, "", record=False)

    def _warn_on_eviction(self, c: Any, connection_id: str, zoho_user_id: str | None) -> None:
        """Zoho keeps ``link.refresh_tokens_per_user`` live refresh tokens per user and app and deletes
        the oldest past it: this link may have just cost another connection its token, so that
        connection says so before its next refresh fails (``link.warn_on_token_eviction``)."""
        if not zoho_user_id or not self.p.settings["link.warn_on_token_eviction"]:
            return
        linked = self.p.store.linked_for_zoho_user(c, zoho_user_id)
        cap = self.p.settings["link.refresh_tokens_per_user"]
        if len(linked) <= cap:
            return
        others = [row for row in linked if row["id"] != connection_id]
        for row in others[:len(linked) - cap]:  # the oldest ones past the cap
            if any(str(w).startswith(EVICTION) for w in json.loads(row["connection_info"] or "{}").get("warnings") or []):
                continue  # told already
            self.p.store.add_warning(c, row["id"], f"{EVICTION}: connection {connection_id} was refresh token "
                                                   f"{len(linked)} of Zoho user {zoho_user_id} (Zoho keeps {cap}); "
                                                   "this connection's token was probably deleted: re-link it")
            log.warning("connection %s: Zoho user %s now has %s linked tokens (cap %s); connection %s was probably "
                        "evicted", connection_id, zoho_user_id, len(linked), cap, row["id"])

    # -- organisation picker (link.org_selection=picker) -------------------------------------
    def _picker(self, trip: Trip, tokens: TokenSet, choice: OrgChoice) -> Show:
        pick = new_token()
        orgs = [{"organization_id": str(o["organization_id"]), "name": str(o.get("name") or ""),
                 "is_default_org": bool(o.get("is_default_org"))} for o in choice.organizations]
        with self.p.db.write() as c:
            c.execute("INSERT INTO org_picks (token_hash, company_id, connection_id, tokens_sealed, organizations,"
                      " expires_at, extras) VALUES (?, ?, ?, ?, ?, ?, ?)",
                      (digest(pick), trip.company_id, trip.connection_id,
                       self.p.sealer.seal(json.dumps(tokens.to_dict())), json.dumps(orgs),
                       self.p.clock.now() + PICK_TTL_S, json.dumps(trip.extras)))
        return Show("link_pick.html", 200, {"company": dict(trip.company), "pick": pick, "organizations": orgs})

    def picked(self, pick: str | None, organization_id: str | None) -> Show | Go:
        now = self.p.clock.now()
        with self.p.db.write() as c:
            row = c.execute("SELECT * FROM org_picks WHERE token_hash = ?", (digest(pick or ""),)).fetchone()
            if row is None or row["used_at"] is not None or now >= row["expires_at"]:
                return Show.gone()
            c.execute("UPDATE org_picks SET used_at = ? WHERE token_hash = ?", (now, row["token_hash"]))
        tokens = TokenSet.from_dict(json.loads(self.p.sealer.open(row["tokens_sealed"])))
        company = self.p.store.company_row(row["company_id"])
        integration = self.p.integrations.get()
        if company is None or integration is None:
            return Show.gone()
        trip = Trip(company, row["connection_id"], json.loads(row["extras"] or "{}"))
        known = {o["organization_id"] for o in json.loads(row["organizations"])}
        if organization_id not in known:
            self._revoke(tokens.refresh_token, tokens.accounts_server)
            return self._finish(trip, UNKNOWN, "no organisation chosen")
        return self._discover(trip, integration, tokens, organization_id)

    # -- endings -----------------------------------------------------------------------------
    def _revoke(self, token: str | None, accounts_server: str | None) -> None:
        self.p.connections.revoke(token, accounts_server)

    def _finish(self, trip: Trip, status: int, status_text: str, *, record: bool = True) -> Go | Show:
        """End the journey at the company's redirect URL (a failure is recorded on the connection,
        with ``connection.failed``); the Link URL's own parameters travel along."""
        status_text = redact(status_text)[:500]
        if record and trip.connection_id and status not in (OK, NOTHING_TO_DO):
            now = self.p.clock.now()
            with self.p.db.write() as c:
                self.p.store.add_error(c, trip.connection_id, str(status), status_text, MESSAGES[status], now)
                self.p.emit(c, "connection.failed", trip.company_id, trip.connection_id)
        log.info("link ended company=%s connection=%s statusCode=%s statusText=%s", trip.company_id,
                 trip.connection_id, status, status_text)
        params = {**trip.extras, "statusCode": str(status), "errorMessage": MESSAGES[status],
                  "statusText": status_text, "companyId": trip.company_id, "connectionId": trip.connection_id or "",
                  "integrationId": KEY, "platform": KEY, "platformName": NAME, "sourceType": "Accounting"}
        return Go(with_query(trip.company["redirect_url"] or f"{self.p.public_url}/link/result", params))


EVICTION = "token_eviction"  # the prefix of the warning link.warn_on_token_eviction puts on a connection


def with_query(url: str, params: Mapping[str, str]) -> str:
    """``url`` with ``params`` appended to whatever query string it already has."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True) + list(params.items())
    return urlunsplit(parts._replace(query=urlencode(query)))
