"""Every tunable of the emulator, in one table, with Zoho's value (or our documented choice) as default.

Scenarios flip these keys to reproduce a behaviour the real Zoho shows only sometimes, or to pick
between conflicting documents. The README's "Configuration" section is generated from ``DEFAULTS``
so the table and the code cannot drift apart.
"""
from __future__ import annotations

import copy
import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

import yaml


class ConfigError(ValueError):
    """A configuration key or value the emulator cannot use; the message names the key."""


@dataclass(frozen=True)
class Setting:
    default: Any
    help: str
    choices: tuple[Any, ...] | None = None
    positive: bool = False  # numbers that must be > 0 (a scale, a capacity)


PLAN_DAILY_LIMITS = {
    "free": 1000,
    "standard": 2000,
    "professional": 5000,
    "premium": 10000,
    "elite": 10000,
    "ultimate": 10000,
}
PLAN_CONCURRENCY = {"free": 5, "standard": 10, "professional": 10, "premium": 10, "elite": 10, "ultimate": 10}

DEFAULTS: dict[str, Setting] = {
    # --- OAuth (Zoho Accounts) -------------------------------------------------------------
    "oauth.error_http_status": Setting(200, "HTTP status of token-endpoint errors (Zoho answers 200)", (200, 400)),
    "oauth.throttle_http_status": Setting(400, "HTTP status of the 'Access Denied' throttle body", (200, 400)),
    "oauth.auth_code_ttl_s": Setting(120, "Lifetime of a grant code from the consent page, seconds"),
    "oauth.self_client_code_ttl_s": Setting(180, "Default lifetime of a self-client grant code, seconds"),
    "oauth.access_token_ttl_s": Setting(3600, "Lifetime of an access token, seconds"),
    "oauth.access_token_mint_limit": Setting(10, "Access tokens mintable per refresh token per window"),
    "oauth.access_token_mint_window_s": Setting(600, "Window of the access-token mint limit, seconds"),
    "oauth.max_active_access_tokens": Setting(10, "Live access tokens per refresh token; the oldest dies"),
    "oauth.max_refresh_tokens_per_user_client": Setting(20, "Refresh tokens per (user, client); the oldest is deleted"),
    "oauth.refresh_token_mint_limit": Setting(20, "Code exchanges (refresh-token mints) per client per window"),
    "oauth.refresh_token_mint_window_s": Setting(600, "Window of the refresh-token mint limit, seconds"),
    "oauth.grant_code_limit": Setting(10, "Grant codes per (client, user) per window; then access_denied"),
    "oauth.grant_code_window_s": Setting(600, "Window of the grant-code limit, seconds"),
    "oauth.throttle_penalty_s": Setting(0, "Extra block after a throttle window, seconds"),
    "oauth.evict_kills_access_tokens": Setting(True, "Deleting the oldest refresh token also kills its access tokens"),
    "oauth.denial_error": Setting("access_denied", "error= value on the redirect when the user rejects consent"),
    "oauth.dc_not_enabled_mode": Setting(
        "consent_error", "Client not enabled for the user's DC", ("consent_error", "exchange_fails")
    ),
    "oauth.strict_scope_separator": Setting(False, "Accept only commas between scopes"),
    "oauth.include_scope": Setting(False, "Add 'scope' to token responses"),
    "oauth.legacy_expires_in_sec": Setting(False, "Add the legacy 'expires_in_sec' to token responses"),
    "oauth.max_param_length": Setting(4096, "Longest accepted OAuth parameter value, characters"),
    "oauth.max_body_bytes": Setting(65536, "Largest accepted body on the token and revoke endpoints, bytes"),
    "oauth.consent_session_ttl_s": Setting(600, "Lifetime of a consent page (sign-in to Accept/Deny), seconds"),
    "oauth.revoke_error_http_status": Setting(400, "HTTP status of a failed revoke ({'status':'failure'})", (200, 400)),
    "oauth.reconsent_skip_needs_scopes": Setting(
        True, "Skip consent for a returning user only when its live refresh tokens cover the requested scopes "
              "(false: any live refresh token skips it, whatever the scopes)"
    ),
    # --- Data centers ------------------------------------------------------------------------
    "dc.uk.books_enabled": Setting(True, "Serve Books on the UK DC (its Books API domain is undocumented)"),
    "dc.ca.accept_zoho_ca_alias": Setting(True, "Accept accounts.zoho.ca as an alias of accounts.zohocloud.ca"),
    "dc.cn.enabled": Setting(False, "Serve the separately-run China DC"),
    # --- Books API ---------------------------------------------------------------------------
    "books.accept_bearer": Setting(True, "Accept 'Authorization: Bearer <token>' besides Zoho-oauthtoken"),
    "books.legacy_prefix": Setting(True, "Serve /api/v3 as an alias of /books/v3"),
    "books.missing_org": Setting("default", "No organization_id: use the default org or fail", ("default", "error")),
    "books.invalid_token_code": Setting(57, "Books body code for a bad token", (57, 14)),
    "books.not_found_http_status": Setting(404, "HTTP status for code 1002 (record does not exist)", (404, 400)),
    "books.per_page_max": Setting("clamp", "per_page above 200", ("clamp", "reject")),
    "books.lmt_scope": Setting(
        "all_with_field", "Where last_modified_time filters apply", ("all_with_field", "declared_only")
    ),
    "books.strict_params": Setting(False, "Reject lenient timestamp spellings with code 2"),
    "books.fiscal_month_as": Setting("name", "fiscal_year_start_month as a month name or an int", ("name", "int")),
    "books.vendorcredits_list_key": Setting("vendor_credits", "List key of /vendorcredits", ("vendor_credits", "vendorcredits")),
    "books.coa_detail_key": Setting(
        "chart_of_account", "Detail key of a chart-of-accounts GET", ("chart_of_account", "top_level", "chartofaccount")
    ),
    "books.org_country_in_list": Setting(True, "Add 'country' to /organizations list items"),
    "books.rate_headers": Setting(True, "Send X-Rate-Limit-Limit/-Remaining/-Reset on Books responses"),
    "books.retry_after": Setting(False, "Send Retry-After (real seconds) on 429"),
    "books.max_body_bytes": Setting(5 * 1024 * 1024, "Largest accepted request body, bytes"),
    "books.attachment_max_bytes": Setting(
        10 * 1024 * 1024, "Largest file POST .../attachment (or /receipt) accepts, bytes; larger is code 2 naming "
                          "the file field (Zoho's API documents give no limit: 10 MB is its web app's per file)",
        positive=True),
    "books.attachment_max_files": Setting(5, "Files one record may hold; one more is code 2 (our choice, as Zoho's "
                                             "web app allows)", positive=True),
    # --- Limits -------------------------------------------------------------------------------
    "limits.enabled": Setting(True, "Enforce the Books per-org limits"),
    "limits.per_minute": Setting(100, "Books calls per organization per minute"),
    "limits.per_minute_window": Setting("rolling", "Shape of the per-minute window", ("rolling", "fixed")),
    "limits.per_minute_block_s": Setting(0, "Extra block after a per-minute breach, seconds"),
    "limits.daily_by_plan": Setting(dict(PLAN_DAILY_LIMITS), "Daily calls per organization by plan"),
    "limits.concurrency_by_plan": Setting(dict(PLAN_CONCURRENCY), "In-flight calls per organization by plan"),
    "limits.concurrency_soft_extra": Setting(0, "Calls allowed above the concurrency limit ('soft' limit)"),
    "limits.daily_reset": Setting("utc_midnight", "When the daily quota resets", ("utc_midnight", "org_midnight", "rolling_24h")),
    "limits.count_rejected": Setting(False, "Rejected (44/45/1070) calls consume daily quota"),
    "limits.daily_message_style": Setting("live", "Code-45 message style: '1,000' (live) or '1000.' (doc)", ("live", "doc")),
    "limits.concurrency_retry_after_s": Setting(1, "Retry-After (real seconds) on a 1070 rejection, when books.retry_after"),
    # --- Server, journal, seed -----------------------------------------------------------------
    "server.public_url": Setting("", "Base URL clients reach the emulator at (default: taken from each request)"),
    "server.time_scale": Setting(1.0, "Virtual seconds per real second", positive=True),
    "server.replay": Setting(True, "Answer a repeated Books GET from the bytes of the last identical answer when nothing it "
                             "depends on changed (admitted, counted and journaled all the same; see mock_zoho/books/replay.py)"),
    "server.replay_verify": Setting(False, "Also render every replayed answer afresh and compare: a mismatch is logged and "
                                    "raised (ReplayMismatch; HTTP 500) instead of serving stale bytes. For tests and CI"),
    "server.replay_cache_mb": Setting(64, "Memory for replayable answers per process, in MB (least recently used dropped first)",
                                      positive=True),
    "journal.max_entries": Setting(10000, "Request-journal capacity (oldest entries drop first)", positive=True),
    "admin.allowed_hosts": Setting("", "Host names the admin API answers under besides loopback, localhost and "
                                       "server.public_url's host (comma separated; * for any)"),
    "seed.demo": Setting(True, "Seed the demo world (users, a client, organizations) on start and reset"),
}


# Every number setting is a count, a duration, a status or a scale: never negative, and within a
# 32-bit int (a duration of 68 years, a capacity of two billion) so no consumer overflows.
INT_SETTING_MAX = 2 ** 31 - 1
FLOAT_SETTING_MAX = 1e6  # server.time_scale: a virtual day in 0.09 real seconds


def _bounded_int(key: str, value: Any) -> int:
    try:
        if isinstance(value, bool) or float(value) != int(float(value)):
            raise ValueError
        value = int(float(value))
    except (TypeError, ValueError, OverflowError):
        raise ConfigError(f"{key}: expected an integer, got {value!r}") from None
    if not 0 <= value <= INT_SETTING_MAX:
        raise ConfigError(f"{key}: must be between 0 and {INT_SETTING_MAX}, got {value!r}")
    return value


def _coerce(key: str, setting: Setting, value: Any) -> Any:
    default = setting.default
    if isinstance(default, bool):
        if isinstance(value, str) and value.lower() in ("true", "false", "1", "0", "yes", "no"):
            value = value.lower() in ("true", "1", "yes")
        if not isinstance(value, bool):
            raise ConfigError(f"{key}: expected true or false, got {value!r}")
    elif isinstance(default, int) and not isinstance(default, bool):
        value = _bounded_int(key, value)
    elif isinstance(default, float):
        try:
            if isinstance(value, bool):
                raise ValueError
            value = float(value)
        except (TypeError, ValueError, OverflowError):
            raise ConfigError(f"{key}: expected a number, got {value!r}") from None
        if not -FLOAT_SETTING_MAX <= value <= FLOAT_SETTING_MAX or (setting.positive and value < 1 / FLOAT_SETTING_MAX):
            raise ConfigError(f"{key}: must be between {1 / FLOAT_SETTING_MAX} and {FLOAT_SETTING_MAX}, got {value!r}")
    elif isinstance(default, dict):
        if not isinstance(value, Mapping):
            raise ConfigError(f"{key}: expected a mapping, got {value!r}")
        merged = dict(default)
        for k, v in value.items():
            if k not in default:
                raise ConfigError(f"{key}: unknown entry {k!r} (known: {', '.join(default)})")
            merged[k] = _bounded_int(f"{key}.{k}", v)
        value = merged
    elif isinstance(default, str):
        if not isinstance(value, str):
            raise ConfigError(f"{key}: expected a string, got {value!r}")
    if setting.positive and not value > 0:
        raise ConfigError(f"{key}: must be greater than 0, got {value!r}")
    if setting.choices is not None and value not in setting.choices:
        raise ConfigError(f"{key}: {value!r} is not one of {', '.join(map(str, setting.choices))}")
    return value


def flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Turn nested YAML (``oauth: {auth_code_ttl_s: 60}``) into dotted keys; dict-valued settings stay whole."""
    out: dict[str, Any] = {}
    for k, v in data.items():
        key = f"{prefix}{k}"
        if isinstance(v, Mapping) and key not in DEFAULTS:
            out.update(flatten(v, key + "."))
        else:
            out[key] = v
    return out


class Config:
    """Thread-safe view of the settings: defaults overlaid with a file, the CLI and the admin API."""

    def __init__(self, overrides: Mapping[str, Any] | None = None) -> None:
        self._lock = threading.Lock()
        self._values: dict[str, Any] = {k: copy.deepcopy(s.default) for k, s in DEFAULTS.items()}
        self._listeners: list = []
        self.version = 0  # moves on every change: what cached answers are stamped with
        if overrides:
            self.update(overrides)

    @classmethod
    def from_file(cls, path: str | Path, extra: Mapping[str, Any] | None = None) -> "Config":
        text = Path(path).read_text(encoding="utf-8")
        try:
            data = yaml.safe_load(text) if str(path).endswith((".yml", ".yaml")) else json.loads(text)
        except (yaml.YAMLError, json.JSONDecodeError) as exc:
            raise ConfigError(f"{path}: not valid YAML/JSON ({exc})") from None
        data = data or {}
        if not isinstance(data, Mapping):
            raise ConfigError(f"{path}: the top level must be a mapping of settings")
        # A config file may carry sections other than settings (faults, world); keep only settings.
        settings = {k: v for k, v in data.items() if k not in ("faults", "world")}
        cfg = cls(flatten(settings))
        cfg.file_sections = {k: data[k] for k in ("faults", "world") if k in data}
        if extra:
            cfg.update(extra)
        return cfg

    file_sections: dict[str, Any] = {}

    def __getitem__(self, key: str) -> Any:
        try:
            return self._values[key]
        except KeyError:
            raise ConfigError(f"unknown setting {key!r}") from None

    def get(self, key: str, default: Any = None) -> Any:
        return self._values.get(key, default)

    def update(self, overrides: Mapping[str, Any]) -> dict[str, Any]:
        """Validate every key first, then apply all of them: a bad key changes nothing."""
        flat = flatten(overrides)
        staged: dict[str, Any] = {}
        for key, value in flat.items():
            setting = DEFAULTS.get(key)
            if setting is None:
                raise ConfigError(f"unknown setting {key!r}")
            staged[key] = _coerce(key, setting, value)
        with self._lock:
            self._values.update(staged)
            self.version += 1
        for listener in list(self._listeners):
            listener(staged)
        return staged

    def on_change(self, listener) -> None:
        self._listeners.append(listener)

    def as_dict(self) -> dict[str, Any]:
        with self._lock:
            return copy.deepcopy(self._values)

    def keys(self) -> Iterable[str]:
        return self._values.keys()
