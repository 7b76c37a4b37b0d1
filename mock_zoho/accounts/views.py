"""Zoho Accounts over HTTP: consent flow, token endpoint, revoke, serverinfo (reference §2).

Served on every DC's accounts host (and the local ``/dc/<location>`` base), 404 on API hosts. The
DC of the request is the accounts server that answers: codes and tokens are bound to it.

Consent flow, for browsers and for scripts (two POSTs, no cookies, no JavaScript):

1. ``GET /oauth/v2/auth?client_id=&response_type=code&redirect_uri=&scope=&access_type=&prompt=&state=``
   (optional PKCE ``code_challenge``, ``code_challenge_method``). A bad client or redirect URI gets
   an HTTP 400 error page (JSON ``{"error": ...}`` with ``Accept: application/json``), never a
   redirect. Otherwise a sign-in form whose hidden fields carry the request.
2. ``POST /oauth/v2/auth/signin`` form fields: ``email`` plus the OAuth parameters of step 1
   (``client_id``, ``response_type``, ``redirect_uri``, ``scope``, ``access_type``, ``prompt``,
   ``state``, ``code_challenge``, ``code_challenge_method``). A script may start here and skip
   step 1. Answers the consent page, whose hidden field ``consent_id`` names a store-backed,
   single-use consent (``oauth.consent_session_ttl_s``); with ``Accept: application/json`` the
   answer is JSON ``{"consent_id", "consent_url", "client_name", "scopes", "user"}``. A returning
   user (live refresh token, ``prompt`` not ``consent``) is redirected at once (§2.7).
3. ``POST /oauth/v2/auth/consent`` form fields: ``consent_id``, ``decision=accept|deny``. Answers
   302 to ``redirect_uri?code=&location=&accounts-server=[&state=]`` or ``?error=[&state=]``.

Parameters of the token and revoke endpoints come from the query string and/or an
``application/x-www-form-urlencoded`` (or multipart) body; the body wins; a JSON body is ignored.
Anything unreadable answers ``{"error": "invalid_request"}``. Bodies are never journaled.
"""
from __future__ import annotations

import base64
import binascii
from typing import Any, Iterable
from urllib.parse import parse_qsl, quote, urlencode

from flask import Blueprint, Response, g, render_template, request, url_for
from werkzeug.exceptions import HTTPException, NotFound

from .. import literals as L
from ..context import current_dc, host_kind, public_base
from ..context import emulator as _emulator
from ..dc import DATA_CENTERS
from ..errors import OAuthError
from ..http import json_response
from .models import AuthPageError, ConsentPage, GrantOutcome, SignInError, same_secret

blueprint = Blueprint("accounts", __name__)

ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
AUTH_FIELDS = ("client_id", "response_type", "redirect_uri", "scope", "access_type", "prompt", "state",
               "code_challenge", "code_challenge_method")
SERVERINFO_DCS = ("us", "eu", "in", "au", "jp", "ca", "sa", "uk")  # cn is left out (§1.1)
MAX_FIELDS = 100


@blueprint.before_request
def _accounts_hosts_only() -> None:
    """Accounts routes live on accounts hosts (and the local base); an API host answers Zoho's 404."""
    if host_kind() not in ("accounts", "local"):
        raise NotFound()


# ---- reading parameters without ever failing ----------------------------------------------------
class BadParams(ValueError):
    """Unreadable, oversized, or conflicting parameters."""


def _pairs(raw: bytes) -> list[tuple[str, str]]:
    try:
        return parse_qsl(raw.decode("utf-8"), keep_blank_values=True, errors="strict", max_num_fields=MAX_FIELDS)
    except ValueError:  # invalid UTF-8 (raw or %-encoded) or too many fields
        raise BadParams("unreadable parameters") from None


def _merge(sources: Iterable[Iterable[tuple[str, str]]]) -> dict[str, str]:
    """Later sources win; one name twice with two values inside one source is a conflict."""
    limit = _emulator().config["oauth.max_param_length"]
    out: dict[str, str] = {}
    for pairs in sources:
        seen: dict[str, str] = {}
        for name, value in pairs:
            if len(name) > limit or len(value) > limit:
                raise BadParams("parameter too long")
            if name in seen and seen[name] != value:
                raise BadParams(f"conflicting values for {name}")
            seen[name] = value
        out.update(seen)
    return out


def _body_pairs() -> list[tuple[str, str]]:
    config = _emulator().config
    if request.content_length is not None and request.content_length > config["oauth.max_body_bytes"]:
        raise BadParams("body too large")
    mimetype = request.mimetype or ""
    if mimetype == "multipart/form-data":
        try:
            form = request.form
            return [(k, v) for k, vs in form.lists() for v in vs]
        except (HTTPException, ValueError):
            raise BadParams("unreadable multipart body") from None
    if mimetype not in ("application/x-www-form-urlencoded", "", "text/plain"):
        return []  # JSON and other bodies carry no OAuth parameters: ignored, as Zoho does
    raw = request.get_data(cache=True)
    if len(raw) > config["oauth.max_body_bytes"]:
        raise BadParams("body too large")
    if not raw.strip():
        return []
    return _pairs(raw)


def read_params(with_body: bool = True) -> dict[str, str]:
    """Query string, then the body (which wins); raises BadParams."""
    sources = [_pairs(request.query_string)]
    if with_body:
        sources.append(_body_pairs())
    return _merge(sources)


def _oauth_params() -> dict[str, str]:
    try:
        return read_params(with_body=request.method != "GET")
    except BadParams:
        raise OAuthError(L.OAUTH_INVALID_REQUEST) from None


def _note(**fields: Any) -> None:
    """Non-secret facts for the journal entry of this request (filterable by client_id / user_id)."""
    g.journal.update({k: v for k, v in fields.items() if v})


def oauth_error_response(exc: OAuthError) -> Response:
    """The edge of the token and revoke endpoints: Zoho's ``{"error": ...}`` body, with HTTP 200 by
    default (``oauth.error_http_status``; Zoho's quirk) unless the error chose its status."""
    return json_response(exc.payload, exc.status or _emulator().config["oauth.error_http_status"])


# ---- consent flow ------------------------------------------------------------------------------------
def _wants_json() -> bool:
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json"


def _error_page(exc: AuthPageError) -> Response:
    """The consent flow's edge: an HTTP 400 error page (JSON with ``Accept: application/json``)."""
    if _wants_json():
        return json_response({"error": exc.error}, 400)
    html = render_template("oauth_error.html", error=exc.error, message=exc.message)
    return Response(html, 400, content_type="text/html; charset=utf-8")


def _redirect(outcome: GrantOutcome) -> Response:
    if outcome.error is not None:
        pairs: list[tuple[str, str]] = [("error", outcome.error)]
    else:
        pairs = [("code", outcome.code or ""), ("location", outcome.location or ""),
                 ("accounts-server", public_base(outcome.location or "us", "accounts"))]
    if outcome.state is not None:
        pairs.append(("state", outcome.state))
    uri = outcome.redirect_uri
    sep = "&" if "?" in uri else "?"
    return Response(status=302, headers={"Location": uri + sep + urlencode(pairs, quote_via=quote)})


def _signin_page(req: dict[str, Any], message: str | None = None, status: int = 200) -> Response:
    emu = _emulator()
    client = emu.accounts.get_client(req["client_id"]) or {}
    users = emu.accounts.list_users()[:50]
    html = render_template("oauth_signin.html", action=url_for("accounts.signin"), fields=_hidden(req),
                           client_name=client.get("client_name", ""), users=users, message=message,
                           dc=current_dc())
    return Response(html, status, content_type="text/html; charset=utf-8")


def _hidden(req: dict[str, Any]) -> list[tuple[str, str]]:
    return [(k, str(req[k])) for k in AUTH_FIELDS if req.get(k) not in (None, "")]


@blueprint.get("/oauth/v2/auth")
def authorize() -> Response:
    try:
        params = read_params(with_body=False)
    except BadParams:
        return _error_page(AuthPageError(L.OAUTH_INVALID_REQUEST))
    _note(client_id=params.get("client_id"))
    try:
        req = _emulator().accounts.validate_auth_request(params)
    except AuthPageError as exc:
        return _error_page(exc)
    return _signin_page(req)


@blueprint.post("/oauth/v2/auth/signin")
def signin() -> Response:
    accounts = _emulator().accounts
    try:
        params = read_params()
    except BadParams:
        return _error_page(AuthPageError(L.OAUTH_INVALID_REQUEST))
    _note(client_id=params.get("client_id"))
    try:
        req = accounts.validate_auth_request(params)
        result = accounts.sign_in(req, params.get("email", ""))
    except AuthPageError as exc:
        return _error_page(exc)
    except SignInError as exc:
        if _wants_json():
            return json_response({"error": L.OAUTH_INVALID_REQUEST, "message": str(exc)}, 400)
        return _signin_page(req, message=str(exc), status=400)
    if isinstance(result, GrantOutcome):
        return _redirect(result)
    return _consent_page(result)


def _consent_page(page: ConsentPage) -> Response:
    _note(user_id=page.user["user_id"])
    action = url_for("accounts.consent")
    if _wants_json():
        return json_response({"consent_id": page.consent_id, "consent_url": url_for("accounts.consent", _external=True),
                              "client_name": page.client["client_name"], "scopes": page.scopes,
                              "user": {"email": page.user["email"], "dc": page.user["dc"]}})
    html = render_template("oauth_consent.html", action=action, consent_id=page.consent_id,
                           client_name=page.client["client_name"], homepage_url=page.client.get("homepage_url", ""),
                           scopes=page.scopes, user=page.user,
                           access_type=page.request.get("access_type"))
    return Response(html, 200, content_type="text/html; charset=utf-8")


@blueprint.post("/oauth/v2/auth/consent")
def consent() -> Response:
    try:
        params = read_params()
        outcome = _emulator().accounts.decide(params.get("consent_id", ""), params.get("decision", ""))
    except BadParams:
        return _error_page(AuthPageError(L.OAUTH_INVALID_REQUEST))
    except AuthPageError as exc:
        return _error_page(exc)
    return _redirect(outcome)


# ---- token endpoint --------------------------------------------------------------------------------
@blueprint.route("/oauth/v2/token", methods=ALL_METHODS)
def token() -> Response:
    if request.method != "POST":
        raise OAuthError(L.OAUTH_INVALID_REQUEST)  # Zoho-shaped, never a 405 page
    params = _oauth_params()
    _note(client_id=params.get("client_id"), grant_type=params.get("grant_type"))
    payload = _emulator().accounts.token(params, current_dc(), lambda dc: public_base(dc, "api"))
    return json_response(payload)


# ---- revoke -----------------------------------------------------------------------------------------
def _revoke_failure(error: str) -> Response:
    status = _emulator().config["oauth.revoke_error_http_status"]
    return json_response({"status": L.OAUTH_STATUS_FAILURE, "error": error}, status)


def _revoke_params() -> dict[str, str] | None:
    """The revoke endpoints' parameters, or None for a non-POST or unreadable request."""
    if request.method != "POST":
        return None
    try:
        return read_params()
    except BadParams:
        return None


@blueprint.route("/oauth/v2/token/revoke", methods=ALL_METHODS)
def revoke_legacy() -> Response:
    """``POST /oauth/v2/token/revoke?token=<refresh_token>`` (an access token is accepted too)."""
    params = _revoke_params()
    if params is None:
        return _revoke_failure(L.OAUTH_INVALID_REQUEST)
    token_value = params.get("token")
    if not token_value or not _emulator().accounts.revoke(token_value, current_dc()):
        return _revoke_failure(L.OAUTH_INVALID_TOKEN)
    return json_response({"status": L.OAUTH_STATUS_SUCCESS})


def _basic_credentials() -> tuple[str, str] | None:
    header = request.headers.get("Authorization", "")
    scheme, _, encoded = header.strip().partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    client_id, sep, secret = decoded.partition(":")
    return (client_id, secret) if sep else None


@blueprint.route("/oauth/v2/revoke/token", methods=ALL_METHODS)
def revoke_generic() -> Response:
    """Basic auth (client_id:client_secret), ``token`` and ``token_type``; same answers as the legacy form."""
    params = _revoke_params()
    if params is None:
        return _revoke_failure(L.OAUTH_INVALID_REQUEST)
    accounts = _emulator().accounts
    creds = _basic_credentials()
    if creds is None and params.get("client_id") and params.get("client_secret"):
        creds = (params["client_id"], params["client_secret"])  # lenient: credentials as parameters
    if creds is None:
        return _revoke_failure(L.OAUTH_INVALID_CLIENT)
    client_id, secret = creds
    _note(client_id=client_id)
    client = accounts.get_client(client_id)
    dc = current_dc()
    if client is None or dc not in client["enabled_dcs"]:
        return _revoke_failure(L.OAUTH_INVALID_CLIENT)
    if not same_secret(secret, accounts.secret_for(client, dc)):
        return _revoke_failure(L.OAUTH_INVALID_CLIENT_SECRET)
    token_type = params.get("token_type") or None
    if token_type not in (None, "refresh_token", "access_token"):
        return _revoke_failure(L.OAUTH_INVALID_REQUEST)
    token_value = params.get("token")
    if not token_value or not accounts.revoke(token_value, dc, token_type, client_id):
        return _revoke_failure(L.OAUTH_INVALID_TOKEN)
    return json_response({"status": L.OAUTH_STATUS_SUCCESS})


# ---- serverinfo -------------------------------------------------------------------------------------
@blueprint.get("/oauth/serverinfo")
def serverinfo() -> Response:
    locations = {dc: public_base(dc, "accounts") for dc in SERVERINFO_DCS if dc in DATA_CENTERS}
    return json_response({"result": L.OAUTH_STATUS_SUCCESS, "locations": locations})
