"""AccountsBackend without HTTP: the token check Books calls, scopes, single-use codes under threads."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from mock_zoho import Emulator
from mock_zoho import literals as L
from mock_zoho.accounts.models import AccessGrant
from mock_zoho.http import BooksAPIError, OAuthError


def _api(dc: str) -> str:
    return f"https://api.{dc}"


@pytest.fixture
def world():
    emu = Emulator(demo=False, seed=7)
    accounts = emu.accounts
    user = accounts.create_user("u@example.test", dc="eu")
    client = accounts.register_client("App", redirect_uris=["https://a.test/cb"], enabled_dcs=["us", "eu"])
    return emu, accounts, user, client


def _self_tokens(emu, accounts, scopes=("ZohoBooks.fullaccess.all",)):
    owner = accounts.create_user(f"self{len(accounts.list_users())}@example.test", dc="eu")
    me = accounts.register_client("Mine", client_type="self", user_id=owner["user_id"])
    code = accounts.self_client_code(me["client_id"], list(scopes))["code"]
    body = accounts.token({"grant_type": "authorization_code", "client_id": me["client_id"],
                           "client_secret": me["client_secret"], "code": code}, "eu", _api)
    return me, body


def test_authenticate_accepts_both_schemes_and_returns_the_grant(world):
    emu, accounts, _, _ = world
    me, body = _self_tokens(emu, accounts)
    grant = accounts.authenticate(f"Zoho-oauthtoken {body['access_token']}", "eu")
    assert isinstance(grant, AccessGrant)
    assert grant.client_id == me["client_id"] and grant.dc == "eu" and grant.scopes == frozenset({"ZohoBooks.fullaccess.all"})
    assert grant.token_fp == emu.fingerprint(body["access_token"]) and grant.soid is None
    assert accounts.authenticate(f"Bearer {body['access_token']}", "eu") == grant
    assert accounts.authenticate(f"zoho-oauthtoken  {body['access_token']} ", "eu") == grant
    with pytest.raises(AttributeError):
        grant.user_id = "x"  # frozen


@pytest.mark.parametrize("header", [None, "", "Zoho-oauthtoken", "Zoho-oauthtoken ", "Basic abc", "token",
                                    "Zoho-authtoken {t}", "Zoho-oauthtoken {t}x", "Zoho-oauthtoken 1000.a.b"])
def test_authenticate_rejects_with_code_57(world, header):
    emu, accounts, _, _ = world
    _, body = _self_tokens(emu, accounts)
    with pytest.raises(BooksAPIError) as err:
        accounts.authenticate(header.format(t=body["access_token"]) if header else header, "eu")
    assert err.value.code == L.NOT_AUTHORIZED.code and err.value.status == 401


def test_authenticate_other_dc_expiry_bearer_switch_and_code_14(world):
    emu, accounts, _, _ = world
    _, body = _self_tokens(emu, accounts)
    header = f"Zoho-oauthtoken {body['access_token']}"
    with pytest.raises(BooksAPIError):
        accounts.authenticate(header, "us")
    emu.config.update({"books.accept_bearer": False})
    with pytest.raises(BooksAPIError):
        accounts.authenticate(f"Bearer {body['access_token']}", "eu")
    emu.clock.advance(3599)
    assert accounts.authenticate(header, "eu")
    emu.clock.advance(2)  # an hour on the clock
    with pytest.raises(BooksAPIError) as err:
        accounts.authenticate(header, "eu")
    assert err.value.code == 57
    emu.config.update({"books.invalid_token_code": 14})
    with pytest.raises(BooksAPIError) as err:
        accounts.authenticate(header, "eu")
    assert err.value.code == L.INVALID_AUTHTOKEN_LEGACY.code and err.value.status == 401


def test_grant_allows():
    grant = AccessGrant("1", "c", frozenset({"ZohoBooks.invoices.READ", "ZohoBooks.contacts.ALL"}), "us", "fp:x")
    allows = Emulator(demo=False).accounts.grant_allows
    assert allows(grant, "invoices", "READ") and allows(grant, "Invoices", "read")
    assert not allows(grant, "invoices", "CREATE") and not allows(grant, "bills", "READ")
    assert all(allows(grant, "contacts", op) for op in ("CREATE", "READ", "UPDATE", "DELETE"))
    full = AccessGrant("1", "c", frozenset({"ZohoBooks.FullAccess.all"}), "us", "fp:x")
    assert allows(full, "banking", "DELETE")
    assert not allows(AccessGrant("1", "c", frozenset({"ZohoCRM.modules.ALL"}), "us", "fp:x"), "modules", "READ")


def test_a_code_is_single_use_under_concurrency(world):
    emu, accounts, _, _ = world
    owner = accounts.create_user("race@example.test", dc="us")
    me = accounts.register_client("Mine", client_type="self", user_id=owner["user_id"])
    code = accounts.self_client_code(me["client_id"], ["ZohoBooks.settings.READ"])["code"]
    params = {"grant_type": "authorization_code", "client_id": me["client_id"], "client_secret": me["client_secret"],
              "code": code}

    def attempt(_):
        try:
            return accounts.token(params, "us", _api)
        except OAuthError as exc:
            return {"error": exc.error}

    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(attempt, range(32)))
    assert sum("access_token" in r for r in results) == 1
    assert all(r == {"error": L.OAUTH_INVALID_CODE} for r in results if "access_token" not in r)


def test_store_never_holds_token_values(world):
    emu, accounts, _, _ = world
    me, body = _self_tokens(emu, accounts)
    dump = repr({ns: emu.store.values(ns) for ns in emu.store.namespaces("oauth:")}) + repr(
        {ns: emu.store.keys(ns) for ns in emu.store.namespaces("oauth:")})
    assert body["access_token"] not in dump and body["refresh_token"] not in dump


def test_token_response_options(world):
    emu, accounts, _, _ = world
    emu.config.update({"oauth.include_scope": True, "oauth.legacy_expires_in_sec": True, "oauth.access_token_ttl_s": 60})
    _, body = _self_tokens(emu, accounts, scopes=("ZohoBooks.settings.READ", "ZohoBooks.invoices.READ"))
    assert list(body) == ["access_token", "refresh_token", "scope", "api_domain", "token_type", "expires_in",
                          "expires_in_sec"]
    assert body["scope"] == "ZohoBooks.settings.READ ZohoBooks.invoices.READ" and body["expires_in"] == 60
    assert body["api_domain"] == "https://api.eu"


def test_throttle_penalty_extends_the_block(world):
    emu, accounts, _, _ = world
    emu.config.update({"oauth.throttle_penalty_s": 900})
    me, body = _self_tokens(emu, accounts)
    params = {"grant_type": "refresh_token", "client_id": me["client_id"], "client_secret": me["client_secret"],
              "refresh_token": body["refresh_token"]}
    for _ in range(10):
        accounts.token(params, "eu", _api)
    with pytest.raises(OAuthError) as err:
        accounts.token(params, "eu", _api)
    assert err.value.payload == L.OAUTH_THROTTLE_BODY and err.value.status == 400
    emu.clock.advance(700)
    with pytest.raises(OAuthError):
        accounts.token(params, "eu", _api)
    emu.clock.advance(900)
    assert "access_token" in accounts.token(params, "eu", _api)
