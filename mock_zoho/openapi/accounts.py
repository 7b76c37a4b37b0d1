"""The Zoho Accounts (OAuth 2.0) part of the description (reference §2): consent, token, revoke, serverinfo.

Zoho's quirks are described as served: the token endpoint answers errors as ``{"error": ...}`` under
HTTP 200 (``oauth.error_http_status``), the throttle as 400 ``{"error": "Access Denied", ...}``,
a failed revoke as ``{"status": "failure", "error": ...}``.
"""
from __future__ import annotations

from typing import Any

from .schemas import STRING, json_content, obj, ref

FORM = "application/x-www-form-urlencoded"
HTML = {"text/html": {"schema": {"type": "string"}}}
TOKEN_FIELDS = ("grant_type", "client_id", "client_secret", "code", "redirect_uri", "refresh_token", "scope", "soid",
                "code_verifier", "access_type")
AUTH_FIELDS = ("client_id", "response_type", "redirect_uri", "scope", "access_type", "prompt", "state",
               "code_challenge", "code_challenge_method")
PAGE_ERROR = obj({"error": STRING}, {"message": STRING}, closed=True)
TOKEN_ANSWER = {"anyOf": [ref("OAuthTokens"), ref("OAuthError")]}


def _form(fields: tuple[str, ...], extra: dict[str, Any] | None = None) -> dict[str, Any]:
    props = {f: {"type": "string"} for f in fields}
    props.update(extra or {})
    return {"required": False, "content": {FORM: {"schema": {"type": "object", "properties": props}}}}


def _query(fields: tuple[str, ...]) -> list[dict[str, Any]]:
    return [{"name": f, "in": "query", "required": False, "schema": {"type": "string"}} for f in fields]


def _op(op_id: str, summary: str, responses: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"operationId": op_id, "summary": summary, "tags": ["oauth"], "responses": responses, **extra}


def _redirect(description: str) -> dict[str, Any]:
    return {"description": description, "headers": {"Location": {"schema": {"type": "string"}, "required": True}}}


def _page(description: str, json_schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {**HTML, **json_content(json_schema)}}


def accounts_paths() -> dict[str, dict[str, Any]]:
    revoke_responses = {
        "200": {"description": "success (or failure when oauth.revoke_error_http_status=200)",
                "content": json_content(ref("RevokeResult"))},
        "400": {"description": "failure: unknown token, bad client or credentials", "content": json_content(ref("RevokeResult"))},
    }
    consent_json = obj({"consent_id": STRING, "consent_url": STRING, "client_name": STRING,
                        "scopes": {"type": "array", "items": STRING},
                        "user": obj({"email": STRING, "dc": STRING})}, closed=True)
    return {
        "/oauth/v2/auth": {"get": _op(
            "oauth_authorize", "Consent flow, step 1: the sign-in page (an error page for a bad client or redirect URI)",
            {"200": {"description": "sign-in page", "content": HTML},
             "400": _page("error page, never a redirect (JSON with Accept: application/json)", PAGE_ERROR)},
            parameters=_query(AUTH_FIELDS))},
        "/oauth/v2/auth/signin": {"post": _op(
            "oauth_signin", "Consent flow, step 2: sign in as a Zoho user; answers the consent page",
            {"200": _page("consent page (JSON with Accept: application/json)", consent_json),
             "302": _redirect("a returning user is redirected at once (reference §2.7)"),
             "400": _page("unknown account or bad request", PAGE_ERROR)},
            requestBody=_form(AUTH_FIELDS + ("email",)))},
        "/oauth/v2/auth/consent": {"post": _op(
            "oauth_consent", "Consent flow, step 3: Accept or Deny; redirects to the client's redirect URI",
            {"302": _redirect("redirect_uri?code=&location=&accounts-server=[&state=] or ?error=[&state=]"),
             "400": _page("expired, used or unknown consent", PAGE_ERROR)},
            requestBody=_form(("consent_id", "decision")))},
        "/oauth/v2/token": {"post": _op(
            "oauth_token", "Code exchange, refresh, client credentials (parameters in the query and/or a form body)",
            {"200": {"description": "tokens, or an error body under HTTP 200 (Zoho's quirk)",
                     "content": json_content(TOKEN_ANSWER)},
             "400": {"description": "throttle ('Access Denied'), or errors when oauth.error_http_status=400",
                     "content": json_content(ref("OAuthError"))}},
            parameters=_query(TOKEN_FIELDS), requestBody=_form(TOKEN_FIELDS))},
        "/oauth/v2/token/revoke": {"post": _op(
            "oauth_revoke_legacy", "Revoke a refresh (or access) token: ?token=", revoke_responses,
            parameters=_query(("token",)), requestBody=_form(("token",)))},
        "/oauth/v2/revoke/token": {"post": _op(
            "oauth_revoke", "Revoke with Basic client credentials, token and token_type", revoke_responses,
            parameters=_query(("token", "token_type")), requestBody=_form(("token", "token_type")))},
        "/oauth/serverinfo": {"get": _op(
            "oauth_serverinfo", "DC discovery: each DC's accounts server (pointing back at the emulator)",
            {"200": {"description": "locations", "content": json_content(obj(
                {"result": STRING, "locations": {"type": "object", "additionalProperties": STRING}}, closed=True))}})},
    }
