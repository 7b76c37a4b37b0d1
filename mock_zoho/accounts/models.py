"""Zoho Accounts state and rules: users, clients (developer console), grant codes, tokens, limits.

Moto style: this module knows nothing about HTTP. ``views.py`` turns requests into calls here and
answers in Zoho's shapes; ``admin.py`` is the developer console. All state lives in
``emulator.store`` (so a Redis store can replace memory) and all time comes from
``emulator.clock``. The store never holds a token or code value: documents are keyed by the
SHA-256 of the value (``token_key``), and listings show the redacted fingerprint only. Client
secrets are stored as issued, because the console shows them (as Zoho's does).

Store layout (namespaces):

* ``oauth:users`` user_id -> user; ``oauth:emails`` lower(email) -> {user_id} (one email, one DC)
* ``oauth:clients`` client_id -> client; ``oauth:self_clients`` user_id -> {client_id}
* ``oauth:codes`` key(code) -> grant code; ``oauth:consents`` id -> pending consent page
* ``oauth:refresh`` key(rt) -> refresh token (with the keys of its access tokens, oldest first)
* ``oauth:access`` key(at) -> access token (everything ``authenticate`` needs, in one document)
* ``oauth:pairs`` "<user_id>:<client_id>" -> refresh-token keys oldest first, plus access tokens
  that belong to no refresh token (online access, skipped consent, client_credentials)
* ``oauth:blocks`` throttle key -> {until} (only with ``oauth.throttle_penalty_s`` > 0)
* sliding windows ``oauth:win:at:<rt key>``, ``oauth:win:rt:<client>``, ``oauth:win:grant:<client>:<user>``
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, Mapping
from urllib.parse import urlsplit

from .. import ids
from .. import literals as L
from ..dc import DATA_CENTERS
from ..errors import Conflict, DomainError, InvalidInput, InvalidToken, OAuthError, UnknownRecord
from ..redact import fingerprint

USERS_NS = "oauth:users"
EMAILS_NS = "oauth:emails"
CLIENTS_NS = "oauth:clients"
SELF_CLIENTS_NS = "oauth:self_clients"
CODES_NS = "oauth:codes"
CONSENTS_NS = "oauth:consents"
REFRESH_NS = "oauth:refresh"
ACCESS_NS = "oauth:access"
PAIRS_NS = "oauth:pairs"
BLOCKS_NS = "oauth:blocks"
USER_SEQ = "oauth:user_seq"

CLIENT_TYPES = ("server", "self")
GRANT_TYPES = ("authorization_code", "refresh_token", "client_credentials")
PKCE_METHODS = ("S256", "plain")
_SCOPE_SPLIT_LENIENT = re.compile(r"[,\s+]+")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_SOID = re.compile(r"^(?P<service>[A-Za-z]+)\.(?P<org>\d{1,20})$")
_FULL_ACCESS = L.SCOPE_FULL_ACCESS.lower()
_MODULES = frozenset(m.lower() for m in L.SCOPE_MODULES)
_OPERATIONS = frozenset(o.lower() for o in L.SCOPE_OPERATIONS)
_FOREIGN = frozenset(s.lower() for s in L.FOREIGN_SCOPES)
_BOOKS = L.SCOPE_PREFIX.lower()


def token_key(value: str) -> str:
    """Store key of a secret value: a full SHA-256, so the store (and any export) never holds it."""
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()


def same_secret(given: str, expected: str | None) -> bool:
    """Byte-for-byte, constant-time (§2.13: a secret pasted with a space is simply wrong)."""
    if expected is None:
        return False
    return hmac.compare_digest(given.encode("utf-8", "surrogatepass"), expected.encode("utf-8"))


@dataclass(frozen=True)
class AccessGrant:
    """What a valid access token lets its bearer do; Books reads this on every call."""

    user_id: str
    client_id: str
    scopes: frozenset[str]
    dc: str
    token_fp: str
    soid: str | None = None
    expires_at: float = float("inf")  # virtual time; a cached answer for this token dies with it


class AuthPageError(DomainError):
    """A bad /oauth/v2/auth request: answered with an error page (or JSON), never a redirect (§2.2)."""

    def __init__(self, error: str, message: str | None = None) -> None:
        self.error = error
        self.message = message or L.OAUTH_PAGE_TEXT.get(error, error)
        super().__init__(error)


class SignInError(DomainError):
    """The sign-in form named no known account: the form is shown again with Zoho's message."""


@dataclass
class GrantOutcome:
    """Where the browser goes after consent: a code for the user's DC, or an error (no location)."""

    redirect_uri: str
    state: str | None
    code: str | None = None
    location: str | None = None
    error: str | None = None


@dataclass
class ConsentPage:
    """A pending consent (store-backed, single use) and what the page shows."""

    consent_id: str
    client: dict[str, Any]
    user: dict[str, Any]
    scopes: list[str]
    request: dict[str, Any] = field(default_factory=dict)


class AccountsBackend:
    """The accounts server of every DC: one set of users and clients, tokens bound to their DC."""

    def __init__(self, emulator) -> None:
        self.emulator = emulator

    # ---- plumbing ------------------------------------------------------------------------------
    @property
    def store(self):
        return self.emulator.store

    @property
    def config(self):
        return self.emulator.config

    def now(self) -> float:
        return self.emulator.clock.now()

    def _timestamp(self, epoch: float | None = None) -> str:
        moment = datetime.fromtimestamp(self.now() if epoch is None else epoch, tz=timezone.utc)
        return moment.strftime("%Y-%m-%dT%H:%M:%S+0000")

    def reset(self) -> None:
        """Nothing to do: every piece of state lives in the store, which ``Emulator.reset`` clears."""

    def _known_dc(self, dc: Any, name: str) -> str:
        if not isinstance(dc, str) or dc.lower() not in DATA_CENTERS:
            raise InvalidInput(f"{name} must be one of {', '.join(DATA_CENTERS)}, got {dc!r}", field=name)
        dc = dc.lower()
        if dc == "cn" and not self.config["dc.cn.enabled"]:
            raise InvalidInput("the cn data center is not served (dc.cn.enabled=false)", field=name)
        return dc

    # ---- users ---------------------------------------------------------------------------------
    def create_user(self, email: str, dc: str = "us", name: str | None = None, first_name: str | None = None,
                    last_name: str | None = None) -> dict[str, Any]:
        """A Zoho account in one DC; an email already used in any DC is refused (§1.1)."""
        if not isinstance(email, str) or len(email) > 254 or not _EMAIL.match(email.strip()):
            raise InvalidInput(f"email must be an email address, got {email!r}", field="email")
        email = email.strip()
        dc = self._known_dc(dc, "dc")
        for key, value in (("name", name), ("first_name", first_name), ("last_name", last_name)):
            if value is not None and (not isinstance(value, str) or len(value) > 200):
                raise InvalidInput(f"{key} must be a string of at most 200 characters", field=key)
        first = first_name if first_name is not None else email.split("@")[0].split(".")[0].capitalize()
        last = last_name if last_name is not None else ""
        display = name or " ".join(p for p in (first, last) if p) or email
        with self.store.lock("oauth:users"):
            if self.store.get(EMAILS_NS, email.lower()) is not None:
                raise Conflict(f"a user with email {email!r} already exists (one email = one data center)",
                                 field="email")
            user_id = str(7_000_000_000 + self.store.incr(USER_SEQ))
            user = {"user_id": user_id, "email": email, "name": display, "first_name": first, "last_name": last,
                    "dc": dc, "created_time": self._timestamp()}
            self.store.put(USERS_NS, user_id, user)
            self.store.put(EMAILS_NS, email.lower(), {"user_id": user_id})
        return dict(user)

    def get_user(self, user_id: str) -> dict[str, Any] | None:
        user = self.store.get(USERS_NS, str(user_id))
        return dict(user) if user else None

    def find_user_by_email(self, email: str) -> dict[str, Any] | None:
        if not isinstance(email, str):
            return None
        hit = self.store.get(EMAILS_NS, email.strip().lower())
        return self.get_user(hit["user_id"]) if hit else None

    def list_users(self, dc: str | None = None) -> list[dict[str, Any]]:
        users = sorted(self.store.values(USERS_NS), key=lambda u: int(u["user_id"]))
        return [dict(u) for u in users if dc is None or u["dc"] == dc]

    # ---- clients (developer console) ------------------------------------------------------------
    def _check_redirect_uris(self, uris: Any, required: bool) -> list[str]:
        if not isinstance(uris, list) or not all(isinstance(u, str) for u in uris):
            raise InvalidInput("redirect_uris must be a list of URLs", field="redirect_uris")
        if required and not uris:
            raise InvalidInput("a server-based client needs at least one redirect URI", field="redirect_uris")
        for uri in uris:
            parts = urlsplit(uri) if len(uri) <= 2048 else None
            if parts is None or not parts.scheme or parts.fragment or (parts.scheme in ("http", "https") and not parts.netloc):
                raise InvalidInput(f"redirect URI {uri[:100]!r} must be an absolute URL without a fragment",
                                 field="redirect_uris")
        return list(dict.fromkeys(uris))

    def _check_dcs(self, dcs: Any, home_dc: str) -> list[str]:
        if not isinstance(dcs, list):
            raise InvalidInput("enabled_dcs must be a list of data-center codes", field="enabled_dcs")
        out = [home_dc]
        for dc in dcs:
            dc = self._known_dc(dc, "enabled_dcs")
            if dc == "cn" and home_dc != "cn" or home_dc == "cn" and dc != "cn":
                raise InvalidInput("the cn data center is run separately: a client cannot span cn and another DC",
                                 field="enabled_dcs")
            if dc not in out:
                out.append(dc)
        return out

    def register_client(
        self,
        client_name: str,
        redirect_uris: Iterable[str] = (),
        client_type: str = "server",
        home_dc: str | None = None,
        enabled_dcs: Iterable[str] | None = None,
        same_credentials_for_all_dcs: bool = True,
        homepage_url: str = "",
        user_id: str | None = None,
        rng=None,
    ) -> dict[str, Any]:
        """Register a client as the API console does; returns the console view (secrets included)."""
        if not isinstance(client_name, str) or not client_name.strip() or len(client_name) > 200:
            raise InvalidInput("client_name must be a non-empty string of at most 200 characters", field="client_name")
        if client_type not in CLIENT_TYPES:
            raise InvalidInput(f"client_type must be one of {', '.join(CLIENT_TYPES)}", field="client_type")
        if not isinstance(homepage_url, str) or len(homepage_url) > 2048:
            raise InvalidInput("homepage_url must be a URL", field="homepage_url")
        if not isinstance(same_credentials_for_all_dcs, bool):
            raise InvalidInput("same_credentials_for_all_dcs must be true or false", field="same_credentials_for_all_dcs")
        owner = None
        if user_id is not None:
            owner = self.get_user(str(user_id))
            if owner is None:
                raise InvalidInput(f"unknown user {user_id!r}", field="user_id")
        if client_type == "self":
            # One self client per user; it lives in the user's DC and serves only there (our choice).
            if owner is None:
                raise InvalidInput("a self client needs the user_id of its owner", field="user_id")
            home = self._known_dc(home_dc or owner["dc"], "home_dc")
            if home != owner["dc"]:
                raise InvalidInput("a self client is registered in its owner's data center", field="home_dc")
            dcs = [home]
            if enabled_dcs is not None and self._check_dcs(list(enabled_dcs), home) != [home]:
                raise InvalidInput("a self client serves only its owner's data center", field="enabled_dcs")
            uris: list[str] = []
        else:
            home = self._known_dc(home_dc or "us", "home_dc")
            dcs = self._check_dcs(list(enabled_dcs) if enabled_dcs is not None else [home], home)
            uris = self._check_redirect_uris(list(redirect_uris), required=True)
        client_id = ids.client_id(rng)
        client = {
            "client_id": client_id,
            "client_secret": ids.client_secret(rng),
            "client_type": client_type,
            "client_name": client_name.strip(),
            "homepage_url": homepage_url,
            "home_dc": home,
            "enabled_dcs": dcs,
            "same_credentials_for_all_dcs": same_credentials_for_all_dcs,
            "secrets_by_dc": {},
            "redirect_uris": uris,
            "user_id": owner["user_id"] if owner else None,
            "created_time": self._timestamp(),
            "_created": self.now(),
        }
        if not same_credentials_for_all_dcs:
            client["secrets_by_dc"] = {dc: ids.client_secret(rng) for dc in dcs if dc != home}
        if client_type == "self":
            with self.store.lock("oauth:self_clients"):
                if self.store.get(SELF_CLIENTS_NS, owner["user_id"]) is not None:
                    raise Conflict("this user already has a self client (one per user)", field="user_id")
                self.store.put(SELF_CLIENTS_NS, owner["user_id"], {"client_id": client_id})
                self.store.put(CLIENTS_NS, client_id, client)
        else:
            self.store.put(CLIENTS_NS, client_id, client)
        return self.public_client(client)

    def get_client(self, client_id: str) -> dict[str, Any] | None:
        if not isinstance(client_id, str):
            return None
        return self.store.get(CLIENTS_NS, client_id)

    def list_clients(self) -> list[dict[str, Any]]:
        return [self.public_client(c) for c in sorted(self.store.values(CLIENTS_NS), key=lambda c: c["_created"])]

    def public_client(self, client: Mapping[str, Any]) -> dict[str, Any]:
        """The console view. ``secrets_by_dc`` only when per-DC secrets are on (home DC included)."""
        out = {k: v for k, v in client.items() if not k.startswith("_") and k != "secrets_by_dc"}
        out["enabled_dcs"] = list(client["enabled_dcs"])
        out["redirect_uris"] = list(client["redirect_uris"])
        if not client["same_credentials_for_all_dcs"]:
            out["secrets_by_dc"] = {dc: self.secret_for(client, dc) for dc in client["enabled_dcs"]}
        if out.get("user_id") is None:
            out.pop("user_id", None)
        return out

    def secret_for(self, client: Mapping[str, Any], dc: str) -> str | None:
        """The secret this DC's accounts server expects (§2.11), None where the client is not enabled."""
        if dc not in client["enabled_dcs"]:
            return None
        if client["same_credentials_for_all_dcs"] or dc == client["home_dc"]:
            return client["client_secret"]
        return client["secrets_by_dc"].get(dc)

    def _client_or_404(self, client_id: str) -> dict[str, Any]:
        client = self.get_client(client_id)
        if client is None:
            raise UnknownRecord(f"client {client_id!r} does not exist", field="client_id")
        return client

    def update_client(self, client_id: str, changes: Mapping[str, Any], rng=None) -> dict[str, Any]:
        """Console Settings: names, redirect URIs, enabled DCs, the same-credentials box."""
        allowed = {"client_name", "homepage_url", "redirect_uris", "enabled_dcs", "same_credentials_for_all_dcs"}
        unknown = sorted(set(changes) - allowed)
        if unknown:
            raise InvalidInput(f"unknown or read-only field {unknown[0]!r}", field=unknown[0])
        with self.store.lock(f"oauth:client:{client_id}"):
            client = dict(self._client_or_404(client_id))
            client["secrets_by_dc"] = dict(client["secrets_by_dc"])
            if "client_name" in changes:
                name = changes["client_name"]
                if not isinstance(name, str) or not name.strip() or len(name) > 200:
                    raise InvalidInput("client_name must be a non-empty string of at most 200 characters",
                                     field="client_name")
                client["client_name"] = name.strip()
            if "homepage_url" in changes:
                if not isinstance(changes["homepage_url"], str) or len(changes["homepage_url"]) > 2048:
                    raise InvalidInput("homepage_url must be a URL", field="homepage_url")
                client["homepage_url"] = changes["homepage_url"]
            if "redirect_uris" in changes:
                if client["client_type"] == "self":
                    raise InvalidInput("a self client has no redirect URIs", field="redirect_uris")
                client["redirect_uris"] = self._check_redirect_uris(changes["redirect_uris"], required=True)
            if "enabled_dcs" in changes:
                dcs = self._check_dcs(changes["enabled_dcs"], client["home_dc"])
                if client["client_type"] == "self" and dcs != [client["home_dc"]]:
                    raise InvalidInput("a self client serves only its owner's data center", field="enabled_dcs")
                client["enabled_dcs"] = dcs
            if "same_credentials_for_all_dcs" in changes:
                same = changes["same_credentials_for_all_dcs"]
                if not isinstance(same, bool):
                    raise InvalidInput("same_credentials_for_all_dcs must be true or false",
                                     field="same_credentials_for_all_dcs")
                client["same_credentials_for_all_dcs"] = same
            if client["same_credentials_for_all_dcs"]:
                client["secrets_by_dc"] = {}
            else:
                # Unticking the box gives every other enabled DC its own secret; a DC enabled while it
                # is unticked gets one too; a disabled DC's secret is forgotten (a new one on re-enable).
                client["secrets_by_dc"] = {
                    dc: client["secrets_by_dc"].get(dc) or ids.client_secret(rng)
                    for dc in client["enabled_dcs"] if dc != client["home_dc"]
                }
            self.store.put(CLIENTS_NS, client_id, client)
        return self.public_client(client)

    def rotate_secret(self, client_id: str, dc: str | None = None, rng=None) -> dict[str, Any]:
        """A new secret; refresh tokens stay valid but need it (§2.7, our choice)."""
        with self.store.lock(f"oauth:client:{client_id}"):
            client = dict(self._client_or_404(client_id))
            target = client["home_dc"] if dc is None else self._known_dc(dc, "dc")
            if target not in client["enabled_dcs"]:
                raise InvalidInput(f"the client is not enabled for {target}", field="dc")
            secret = ids.client_secret(rng)
            if client["same_credentials_for_all_dcs"] or target == client["home_dc"]:
                if client["same_credentials_for_all_dcs"] and target != client["home_dc"]:
                    raise InvalidInput("the client uses the same credentials in every DC: rotate without dc",
                                     field="dc")
                client["client_secret"] = secret
            else:
                client["secrets_by_dc"] = {**client["secrets_by_dc"], target: secret}
            self.store.put(CLIENTS_NS, client_id, client)
        return {"client_id": client_id, "dc": target, "client_secret": secret, "client": self.public_client(client)}

    def delete_client(self, client_id: str) -> int:
        """Delete a client and every token it holds; returns the number of refresh tokens revoked."""
        client = self._client_or_404(client_id)
        revoked = 0
        for pair_key in self.store.keys(PAIRS_NS):
            user_id, _, cid = pair_key.partition(":")
            if cid == client_id:
                revoked += self.revoke_connection(user_id, client_id)
        if client["client_type"] == "self" and client.get("user_id"):
            self.store.delete(SELF_CLIENTS_NS, client["user_id"])
        self.store.delete(CLIENTS_NS, client_id)
        return revoked

    def self_client_code(self, client_id: str, scopes: Any, ttl_s: Any = None, description: str = "",
                         soid: str | None = None) -> dict[str, Any]:
        """The console's "Generate Code" for a self client (§2.10): exchanged without redirect_uri."""
        client = self._client_or_404(client_id)
        if client["client_type"] != "self":
            raise InvalidInput("only a self client generates codes in the console", field="client_id")
        if isinstance(scopes, list) and all(isinstance(s, str) for s in scopes):
            scopes = ",".join(scopes)
        if not isinstance(scopes, str):
            raise InvalidInput("scopes must be a list of scopes or a comma-separated string", field="scopes")
        try:
            scope_list = self.parse_scopes(scopes)
        except AuthPageError:
            raise InvalidInput(f"scopes holds an unknown scope or none: {scopes[:200]!r}", field="scopes") from None
        ttl = self.config["oauth.self_client_code_ttl_s"] if ttl_s is None else ttl_s
        if isinstance(ttl, bool) or not isinstance(ttl, int) or not 1 <= ttl <= 86400:
            raise InvalidInput("ttl_s must be an integer number of seconds between 1 and 86400", field="ttl_s")
        if not isinstance(description, str) or len(description) > 500:
            raise InvalidInput("description must be a string of at most 500 characters", field="description")
        if soid is not None and not self._valid_soid(soid):
            raise InvalidInput(f"soid must look like {L.SOID_PREFIX}.<organization_id>", field="soid")
        code = ids.token()
        self.store.put(CODES_NS, token_key(code), {
            "client_id": client_id, "user_id": client["user_id"], "dc": client["home_dc"], "scopes": scope_list,
            "redirect_uri": None, "issue_refresh": True, "expires_at": self.now() + ttl, "self_client": True,
            "mode_fail": False, "soid": soid, "code_challenge": None, "code_challenge_method": None,
            "description": description,
        })
        return {"code": code, "expires_in": ttl, "scopes": scope_list, "description": description}

    # ---- scopes ----------------------------------------------------------------------------------
    def parse_scopes(self, raw: str | None) -> list[str]:
        """Comma-separated (§2.2); also spaces and '+' unless ``oauth.strict_scope_separator``."""
        if not raw or not raw.strip():
            raise AuthPageError(L.OAUTH_INVALID_SCOPE)
        if self.config["oauth.strict_scope_separator"]:
            parts = [p.strip() for p in raw.split(",")]
        else:
            parts = _SCOPE_SPLIT_LENIENT.split(raw)
        scopes = [p for p in parts if p]
        if not scopes or not all(self._known_scope(s) for s in scopes):
            raise AuthPageError(L.OAUTH_INVALID_SCOPE)
        return list(dict.fromkeys(scopes))

    @staticmethod
    def _known_scope(scope: str) -> bool:
        low = scope.lower()
        if low == _FULL_ACCESS or low in _FOREIGN:
            return True
        parts = low.split(".")
        return len(parts) == 3 and parts[0] == _BOOKS and parts[1] in _MODULES and parts[2] in _OPERATIONS

    @staticmethod
    def grant_allows(grant: AccessGrant, module: str, operation: str) -> bool:
        """``ZohoBooks.<module>.<OP>``, ``.ALL`` or ``ZohoBooks.fullaccess.all``; case-insensitive
        throughout, because clients send ``ZohoBooks.FullAccess.all`` and Zoho accepts it."""
        module_l, op_l = module.lower(), operation.lower()
        for scope in grant.scopes:
            low = scope.lower()
            if low == _FULL_ACCESS:
                return True
            parts = low.split(".")
            if len(parts) == 3 and parts[0] == _BOOKS and parts[1] == module_l and parts[2] in (op_l, "all"):
                return True
        return False

    @staticmethod
    def _valid_soid(soid: str) -> bool:
        match = _SOID.match(soid) if isinstance(soid, str) else None
        return bool(match) and match.group("service").lower() == L.SOID_PREFIX.lower()

    # ---- authorization (consent) flow ------------------------------------------------------------
    def validate_auth_request(self, params: Mapping[str, str]) -> dict[str, Any]:
        """Check a /oauth/v2/auth request; bad client or redirect URI never redirect (§2.2)."""
        client = self.get_client(params.get("client_id") or "")
        if client is None or client["client_type"] != "server":
            raise AuthPageError(L.OAUTH_INVALID_CLIENT)
        redirect_uri = params.get("redirect_uri") or ""
        if redirect_uri not in client["redirect_uris"]:
            raise AuthPageError(L.OAUTH_INVALID_REDIRECT_URI)
        if params.get("response_type") != "code":
            raise AuthPageError(L.OAUTH_INVALID_REQUEST, "response_type must be code.")
        scopes = self.parse_scopes(params.get("scope"))
        access_type = (params.get("access_type") or "online").lower()
        if access_type not in ("online", "offline"):
            raise AuthPageError(L.OAUTH_INVALID_REQUEST, "access_type must be offline or online.")
        challenge = params.get("code_challenge") or None
        method = params.get("code_challenge_method") or ("plain" if challenge else None)
        if method is not None and (challenge is None or method not in PKCE_METHODS):
            raise AuthPageError(L.OAUTH_INVALID_REQUEST, "code_challenge_method must be S256 or plain, with a code_challenge.")
        return {
            "client_id": client["client_id"], "redirect_uri": redirect_uri, "response_type": "code",
            "scope": ",".join(scopes), "access_type": access_type, "prompt": (params.get("prompt") or "").lower(),
            "state": params.get("state"), "code_challenge": challenge, "code_challenge_method": method,
        }

    def sign_in(self, request: Mapping[str, Any], email: str) -> GrantOutcome | ConsentPage:
        """The user signs in on any DC host; Zoho serves them from their own DC (§2.3)."""
        user = self.find_user_by_email(email or "")
        if user is None:
            raise SignInError(L.SIGNIN_UNKNOWN_ACCOUNT)
        client = self.get_client(request["client_id"])
        if client is None:
            raise AuthPageError(L.OAUTH_INVALID_CLIENT)
        mode_fail = False
        if user["dc"] not in client["enabled_dcs"]:
            if self.config["oauth.dc_not_enabled_mode"] == "consent_error":
                raise AuthPageError(L.OAUTH_INVALID_CLIENT)
            mode_fail = True  # exchange_fails: the code is issued, the exchange answers invalid_client
        scopes = request["scope"].split(",")
        if request["prompt"] != "consent" and self._has_live_grant(user["user_id"], client["client_id"], scopes):
            # §2.7: a returning user is not asked again, and gets no new refresh token.
            return self._issue_code(request, user, issue_refresh=False, mode_fail=mode_fail)
        consent_id = secrets.token_urlsafe(24)
        self.store.put(CONSENTS_NS, consent_id, {
            "request": dict(request), "user_id": user["user_id"], "mode_fail": mode_fail,
            "expires_at": self.now() + self.config["oauth.consent_session_ttl_s"],
        })
        return ConsentPage(consent_id, self.public_client(client), user, scopes, dict(request))

    def decide(self, consent_id: str, decision: str) -> GrantOutcome:
        """Accept or Deny on the consent page; a consent page answers once."""
        decision = (decision or "").lower()
        if decision not in ("accept", "allow", "deny", "reject"):
            raise AuthPageError(L.OAUTH_INVALID_REQUEST, "decision must be accept or deny.")
        doc = self.store.take(CONSENTS_NS, consent_id or "") if consent_id else None
        if doc is None or doc["expires_at"] <= self.now():
            raise AuthPageError(L.OAUTH_INVALID_REQUEST, L.CONSENT_EXPIRED)
        request = doc["request"]
        if decision in ("deny", "reject"):
            return GrantOutcome(request["redirect_uri"], request.get("state"), error=self.config["oauth.denial_error"])
        user = self.get_user(doc["user_id"])
        if user is None or self.get_client(request["client_id"]) is None:
            raise AuthPageError(L.OAUTH_INVALID_CLIENT)
        return self._issue_code(request, user, issue_refresh=request["access_type"] == "offline",
                                mode_fail=doc["mode_fail"])

    def _issue_code(self, request: Mapping[str, Any], user: Mapping[str, Any], *, issue_refresh: bool,
                    mode_fail: bool) -> GrantOutcome:
        client_id = request["client_id"]
        ok, _, _ = self.store.window_hit(f"oauth:win:grant:{client_id}:{user['user_id']}", self.now(),
                                         self.config["oauth.grant_code_window_s"], self.config["oauth.grant_code_limit"])
        if not ok:
            return GrantOutcome(request["redirect_uri"], request.get("state"), error=L.OAUTH_ACCESS_DENIED)
        code = ids.token()
        self.store.put(CODES_NS, token_key(code), {
            "client_id": client_id, "user_id": user["user_id"], "dc": user["dc"], "scopes": request["scope"].split(","),
            "redirect_uri": request["redirect_uri"], "issue_refresh": issue_refresh,
            "expires_at": self.now() + self.config["oauth.auth_code_ttl_s"], "self_client": False,
            "mode_fail": mode_fail, "soid": None, "code_challenge": request.get("code_challenge"),
            "code_challenge_method": request.get("code_challenge_method"),
        })
        return GrantOutcome(request["redirect_uri"], request.get("state"), code=code, location=user["dc"])

    def _has_live_grant(self, user_id: str, client_id: str, scopes: list[str]) -> bool:
        pair = self.store.get(PAIRS_NS, f"{user_id}:{client_id}")
        if not pair:
            return False
        granted: set[str] = set()
        for key in pair["refresh"]:
            rt = self.store.get(REFRESH_NS, key)
            if rt is not None:
                if not self.config["oauth.reconsent_skip_needs_scopes"]:
                    return True
                granted.update(s.lower() for s in rt["scopes"])
        return bool(granted) and {s.lower() for s in scopes} <= granted

    # ---- token endpoint ---------------------------------------------------------------------------
    def token(self, params: Mapping[str, str], location: str, api_base: Callable[[str], str]) -> dict[str, Any]:
        """``POST /oauth/v2/token`` at ``location``'s accounts server; raises OAuthError (§2.4, §2.5)."""
        grant_type = params.get("grant_type")
        if not grant_type:
            raise OAuthError(L.OAUTH_INVALID_REQUEST)
        if grant_type not in GRANT_TYPES:
            raise OAuthError(L.OAUTH_UNSUPPORTED_GRANT_TYPE)
        client_id = params.get("client_id")
        if not client_id:
            raise OAuthError(L.OAUTH_INVALID_REQUEST)
        client = self.get_client(client_id)
        if client is None or location not in client["enabled_dcs"]:
            raise OAuthError(L.OAUTH_INVALID_CLIENT)
        secret = params.get("client_secret")
        if not secret:
            raise OAuthError(L.OAUTH_INVALID_REQUEST)
        if not same_secret(secret, self.secret_for(client, location)):
            raise OAuthError(L.OAUTH_INVALID_CLIENT_SECRET)
        if grant_type == "authorization_code":
            return self._exchange_code(client, params, location, api_base)
        if grant_type == "refresh_token":
            return self._refresh(client, params, location, api_base)
        return self._client_credentials(client, params, location, api_base)

    def _payload(self, access: str, refresh: str | None, scopes: list[str], dc: str,
                 api_base: Callable[[str], str]) -> dict[str, Any]:
        ttl = self.config["oauth.access_token_ttl_s"]
        out: dict[str, Any] = {"access_token": access}
        if refresh is not None:
            out["refresh_token"] = refresh
        if self.config["oauth.include_scope"]:
            out["scope"] = " ".join(scopes)
        out["api_domain"] = api_base(dc)
        out["token_type"] = L.OAUTH_TOKEN_TYPE
        out["expires_in"] = ttl
        if self.config["oauth.legacy_expires_in_sec"]:
            out["expires_in_sec"] = ttl
        return out

    def _exchange_code(self, client: Mapping[str, Any], params: Mapping[str, str], location: str,
                       api_base: Callable[[str], str]) -> dict[str, Any]:
        code = params.get("code")
        if not code:
            raise OAuthError(L.OAUTH_INVALID_REQUEST)
        key = token_key(code)
        doc = self.store.get(CODES_NS, key)
        if doc is not None and doc["expires_at"] <= self.now():
            self.store.delete(CODES_NS, key)
            doc = None
        # Unknown, expired, used, another client's, or issued by another DC's accounts server (§2.11).
        if doc is None or doc["client_id"] != client["client_id"] or doc["dc"] != location:
            raise OAuthError(L.OAUTH_INVALID_CODE)
        if doc["mode_fail"]:
            raise OAuthError(L.OAUTH_INVALID_CLIENT)
        if not doc["self_client"] and params.get("redirect_uri") != doc["redirect_uri"]:
            raise OAuthError(L.OAUTH_INVALID_REDIRECT_URI)
        if doc.get("code_challenge"):
            verifier = params.get("code_verifier")
            if not verifier:
                raise OAuthError(L.OAUTH_INVALID_REQUEST)
            if doc["code_challenge_method"] == "S256":
                digest = hashlib.sha256(verifier.encode("utf-8")).digest()
                computed = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
            else:
                computed = verifier
            if not hmac.compare_digest(computed.encode("utf-8"), doc["code_challenge"].encode("utf-8")):
                raise OAuthError(L.OAUTH_INVALID_CODE)
        if doc["issue_refresh"]:
            self._throttle(f"oauth:win:rt:{client['client_id']}", self.config["oauth.refresh_token_mint_limit"],
                           self.config["oauth.refresh_token_mint_window_s"])
        if self.store.take(CODES_NS, key) is None:  # single use, even when two exchanges race
            raise OAuthError(L.OAUTH_INVALID_CODE)
        user_id, dc, scopes, soid = doc["user_id"], doc["dc"], list(doc["scopes"]), doc.get("soid")
        refresh = rt_key = None
        if doc["issue_refresh"]:
            refresh, rt_key = self._mint_refresh(client["client_id"], user_id, dc, scopes, soid)
        access = self._mint_access(client["client_id"], user_id, dc, scopes, soid, rt_key)
        return self._payload(access, refresh, scopes, dc, api_base)

    def _refresh(self, client: Mapping[str, Any], params: Mapping[str, str], location: str,
                 api_base: Callable[[str], str]) -> dict[str, Any]:
        token = params.get("refresh_token")
        if not token:
            raise OAuthError(L.OAUTH_INVALID_REQUEST)
        key = token_key(token)
        rt = self.store.get(REFRESH_NS, key)
        # Revoked, evicted, unknown, another client's, or bound to another DC (§2.7) -> invalid_code.
        if rt is None or rt["client_id"] != client["client_id"] or rt["dc"] != location:
            raise OAuthError(L.OAUTH_INVALID_CODE)
        self._throttle(f"oauth:win:at:{key}", self.config["oauth.access_token_mint_limit"],
                       self.config["oauth.access_token_mint_window_s"])
        access = self._mint_access(rt["client_id"], rt["user_id"], rt["dc"], list(rt["scopes"]), rt.get("soid"), key)
        return self._payload(access, None, list(rt["scopes"]), rt["dc"], api_base)

    def _client_credentials(self, client: Mapping[str, Any], params: Mapping[str, str], location: str,
                            api_base: Callable[[str], str]) -> dict[str, Any]:
        if client["client_type"] != "self":
            raise OAuthError(L.OAUTH_UNSUPPORTED_GRANT_TYPE)
        if not params.get("scope"):
            raise OAuthError(L.OAUTH_INVALID_REQUEST)
        try:
            scopes = self.parse_scopes(params["scope"])
        except AuthPageError:
            raise OAuthError(L.OAUTH_INVALID_SCOPE) from None
        user_id = client["user_id"]
        soid = params.get("soid") or None
        if soid is not None and not self._valid_soid(soid):
            raise OAuthError(L.OAUTH_INVALID_REQUEST)
        org_ids = {str(o.get("organization_id")) for o in self.emulator.books.orgs_for_user(user_id, location)}
        if soid is None and len(org_ids) > 1:
            raise OAuthError(L.OAUTH_MISSING_ORG_INFO)
        if soid is not None and soid.split(".", 1)[1] not in org_ids:
            raise OAuthError(L.OAUTH_MISSING_ORG_INFO)
        self._throttle(f"oauth:win:cc:{client['client_id']}", self.config["oauth.access_token_mint_limit"],
                       self.config["oauth.access_token_mint_window_s"])
        access = self._mint_access(client["client_id"], user_id, location, scopes, soid, None)
        return self._payload(access, None, scopes, location, api_base)

    def _throttle(self, key: str, limit: int, window_s: int) -> None:
        """Sliding-window limit on the virtual clock; over it -> the 'Access Denied' body (§2.5, §2.6)."""
        now = self.now()
        block = self.store.get(BLOCKS_NS, key)
        if block is not None and block["until"] > now:
            raise self._throttled()
        ok, _, oldest = self.store.window_hit(key, now, window_s, limit)
        if not ok:
            penalty = self.config["oauth.throttle_penalty_s"]
            if penalty > 0:
                self.store.put(BLOCKS_NS, key, {"until": (oldest if oldest is not None else now) + window_s + penalty})
            raise self._throttled()

    def _throttled(self) -> OAuthError:
        return OAuthError(L.OAUTH_THROTTLE_BODY["error"], status=self.config["oauth.throttle_http_status"],
                          body=dict(L.OAUTH_THROTTLE_BODY))

    # ---- minting and revoking ---------------------------------------------------------------------
    def _mint_refresh(self, client_id: str, user_id: str, dc: str, scopes: list[str],
                      soid: str | None) -> tuple[str, str]:
        """A new refresh token; the 21st for a (user, client) deletes the oldest (§2.6)."""
        token = ids.token()
        key = token_key(token)
        now = self.now()
        pair_key = f"{user_id}:{client_id}"
        with self.store.lock(f"oauth:pair:{pair_key}"):
            pair = self.store.get(PAIRS_NS, pair_key) or {"refresh": [], "access": []}
            keys = [k for k in pair["refresh"] if self.store.get(REFRESH_NS, k) is not None]
            self.store.put(REFRESH_NS, key, {
                "token_fp": fingerprint(token), "client_id": client_id, "user_id": user_id, "dc": dc,
                "scopes": scopes, "soid": soid, "created": now, "created_time": self._timestamp(now), "access": [],
            })
            keys.append(key)
            cap = self.config["oauth.max_refresh_tokens_per_user_client"]
            while len(keys) > cap:
                self._delete_refresh(keys.pop(0), kill_access=self.config["oauth.evict_kills_access_tokens"])
            self.store.put(PAIRS_NS, pair_key, {"refresh": keys, "access": list(pair["access"])})
        return token, key

    def _mint_access(self, client_id: str, user_id: str, dc: str, scopes: list[str], soid: str | None,
                     rt_key: str | None) -> str:
        """A new access token; a refresh token keeps at most ``oauth.max_active_access_tokens`` alive."""
        token = ids.token()
        key = token_key(token)
        now = self.now()
        doc = {"user_id": user_id, "client_id": client_id, "scopes": scopes, "dc": dc, "soid": soid,
               "token_fp": fingerprint(token), "expires_at": now + self.config["oauth.access_token_ttl_s"],
               "created": now, "rt": rt_key}
        if rt_key is not None:
            with self.store.lock(f"oauth:rt:{rt_key}"):
                rt = self.store.get(REFRESH_NS, rt_key)
                if rt is None:  # revoked while this request ran
                    raise OAuthError(L.OAUTH_INVALID_CODE)
                live = self._live_access(rt["access"], now)
                self.store.put(ACCESS_NS, key, doc)
                live.append(key)
                while len(live) > self.config["oauth.max_active_access_tokens"]:
                    self.store.delete(ACCESS_NS, live.pop(0))
                self.store.put(REFRESH_NS, rt_key, {**rt, "access": live})
        else:
            pair_key = f"{user_id}:{client_id}"
            with self.store.lock(f"oauth:pair:{pair_key}"):
                pair = self.store.get(PAIRS_NS, pair_key) or {"refresh": [], "access": []}
                self.store.put(ACCESS_NS, key, doc)
                self.store.put(PAIRS_NS, pair_key, {"refresh": list(pair["refresh"]),
                                                    "access": self._live_access(pair["access"], now) + [key]})
        return token

    def _live_access(self, keys: Iterable[str], now: float) -> list[str]:
        """The keys still alive; expired documents are dropped from the store on the way."""
        live = []
        for k in keys:
            doc = self.store.get(ACCESS_NS, k)
            if doc is not None and doc["expires_at"] > now:
                live.append(k)
            elif doc is not None:
                self.store.delete(ACCESS_NS, k)
        return live

    def _delete_refresh(self, key: str, kill_access: bool = True) -> bool:
        with self.store.lock(f"oauth:rt:{key}"):
            doc = self.store.take(REFRESH_NS, key)
            if doc is not None and kill_access:
                for ak in doc["access"]:
                    self.store.delete(ACCESS_NS, ak)
            return doc is not None

    def revoke(self, token: str, location: str, token_type: str | None = None, client_id: str | None = None) -> bool:
        """Revoke a refresh token (and its access tokens) or one access token at its own DC."""
        key = token_key(token)
        if token_type in (None, "refresh_token"):
            rt = self.store.get(REFRESH_NS, key)
            if rt is not None and rt["dc"] == location and client_id in (None, rt["client_id"]):
                pair_key = f"{rt['user_id']}:{rt['client_id']}"
                with self.store.lock(f"oauth:pair:{pair_key}"):
                    self._delete_refresh(key)
                    pair = self.store.get(PAIRS_NS, pair_key)
                    if pair is not None:
                        self.store.put(PAIRS_NS, pair_key, {**pair, "refresh": [k for k in pair["refresh"] if k != key]})
                return True
        if token_type in (None, "access_token"):
            at = self.store.get(ACCESS_NS, key)
            if (at is not None and at["dc"] == location and at["expires_at"] > self.now()
                    and client_id in (None, at["client_id"])):
                return self.store.delete(ACCESS_NS, key)
        return False

    def revoke_connection(self, user_id: str, client_id: str) -> int:
        """The user removes the app (connected apps): every token of the pair dies (§2.8)."""
        pair_key = f"{user_id}:{client_id}"
        with self.store.lock(f"oauth:pair:{pair_key}"):
            pair = self.store.take(PAIRS_NS, pair_key)
            if pair is None:
                return 0
            revoked = sum(1 for k in pair["refresh"] if self._delete_refresh(k))
            for ak in pair["access"]:
                self.store.delete(ACCESS_NS, ak)
        return revoked

    def list_refresh_tokens(self, user_id: str | None = None, client_id: str | None = None) -> list[dict[str, Any]]:
        """The admin tokens view: fingerprints, never values."""
        now = self.now()
        out = []
        for rt in sorted(self.store.values(REFRESH_NS), key=lambda d: d["created"]):
            if user_id not in (None, rt["user_id"]) or client_id not in (None, rt["client_id"]):
                continue
            live = sum(1 for k in rt["access"] if (d := self.store.get(ACCESS_NS, k)) and d["expires_at"] > now)
            out.append({"token_fp": rt["token_fp"], "created_time": rt["created_time"], "client_id": rt["client_id"],
                        "user_id": rt["user_id"], "dc": rt["dc"], "scopes": list(rt["scopes"]), "soid": rt.get("soid"),
                        "live_access_tokens": live})
        return out

    # ---- the Books side: token check on every call ------------------------------------------------
    def authenticate(self, authorization: str | None, location: str) -> AccessGrant:
        """Header -> grant with one store read; any fault -> Books 401 code 57 (or 14) (§3.2, §4.3)."""
        scheme, _, token = (authorization or "").strip().partition(" ")
        token = token.strip()
        scheme_l = scheme.lower()
        accepted = scheme_l == L.AUTH_SCHEME_ZOHO.lower() or (
            scheme_l == L.AUTH_SCHEME_BEARER.lower() and self.config["books.accept_bearer"])
        doc = self.store.get(ACCESS_NS, token_key(token)) if accepted and token else None
        if doc is None or doc["dc"] != location or doc["expires_at"] <= self.now():
            kind = L.INVALID_AUTHTOKEN_LEGACY if self.config["books.invalid_token_code"] == 14 else L.NOT_AUTHORIZED
            raise InvalidToken(kind)
        return AccessGrant(doc["user_id"], doc["client_id"], frozenset(doc["scopes"]), doc["dc"], doc["token_fp"],
                           doc.get("soid"), float(doc["expires_at"]))
