"""The platform's documented choices as settings (``portal.*``, ``link.*``; ``sync.*`` go to the connector).

Each key is defined once here with its default, its allowed values and why it exists (the
"Open points and platform defaults" table of the integration flow). A bad key or value is refused
with an error naming the key, whether it comes from Python, the JSON API or the command line.
"""
from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any, Callable, Mapping
from urllib.parse import urlsplit


class SettingError(ValueError):
    """A setting key or value the platform does not accept; ``field`` is the key."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field, self.message = field, message


@dataclass(frozen=True)
class Setting:
    default: Any
    help: str
    kind: type | tuple[type, ...]
    choices: tuple[Any, ...] | None = None
    minimum: float | None = None
    nullable: bool = False
    secret: bool = False
    url: bool = False       # an absolute http(s) URL
    valid: Callable[[Any], str | None] | None = None  # what is wrong with a value, or None
    at_start: bool = False  # read once when the platform starts: refused at run time


def _webhook_secret_fault(value: str) -> str | None:
    """A Standard Webhooks secret is ``whsec_`` and base64 of 24 to 64 bytes (Svix makes 24)."""
    if not value.startswith("whsec_"):
        return "must start with whsec_ (a Standard Webhooks secret: whsec_ and base64)"
    try:
        key = base64.b64decode(value[len("whsec_"):], validate=True)
    except (binascii.Error, ValueError):
        return "must be whsec_ followed by base64"
    return None if 24 <= len(key) <= 64 else "must hold 24 to 64 bytes of key after whsec_"


SETTINGS: dict[str, Setting] = {
    "portal.key_whitespace": Setting(
        "reject", "Keys with whitespace at save: reject (default), trim, or accept as typed (to reproduce "
        "what a pasted space does downstream)", str, ("reject", "trim", "accept")),
    "portal.encryption_key": Setting(
        None, "Fernet key for secrets at rest; else $HARNESS_PORTAL_KEY, else an owner-only key file",
        str, nullable=True, secret=True, at_start=True),
    "portal.key_file": Setting(None, "Where the generated Fernet key lives (default <db>.key)", str, nullable=True,
                               at_start=True),
    "portal.webhook_url": Setting(None, "Where events are POSTed (none: events are only stored)", str, nullable=True,
                                  url=True),
    "portal.webhook_secret": Setting(
        None, "Standard Webhooks secret (whsec_<base64>, what Codat's Svix dashboard gives): when set, every "
        "delivery is signed with webhook-id, webhook-timestamp and webhook-signature headers", str, nullable=True,
        secret=True, valid=_webhook_secret_fault),
    "portal.webhook_max_attempts": Setting(6, "Delivery attempts per event before it is marked failed", int,
                                           minimum=1),
    "portal.webhook_backoff_s": Setting(30.0, "First retry delay; doubles after each failed attempt",
                                        (int, float), minimum=0),
    "portal.webhook_timeout_s": Setting(5.0, "Timeout of one delivery attempt (wall seconds)", (int, float),
                                        minimum=0.1),
    "link.otp_ttl_s": Setting(86400, "Link URLs expire this long after they are made (one day, as Codat)",
                              (int, float), minimum=1),
    "link.state_ttl_s": Setting(3600, "How long an OAuth state waits for its callback", (int, float), minimum=1),
    "link.state_cookie": Setting(True, "Bind the OAuth state to the browser that started the journey (a "
                                       "cookie); a state used from another browser is refused", bool),
    "link.home_dc": Setting(None, "The accounts server the authorise URL starts on (default: the client's home "
                                  "DC, as ZohoEndpoints(home_dc=...) says)", str,
                            ("us", "eu", "in", "au", "jp", "ca", "sa", "uk", "cn"), nullable=True),
    "link.org_selection": Setting("default", "Which organisation a link reads: the user's default (else the "
                                             "first, with a warning), the first, or a picker page",
                                  str, ("default", "first", "picker")),
    "link.unsupported_region": Setting("reject", "An unsupported edition at link: reject (revoke, 501) or "
                                                 "link_then_fail (Linked, every dataset NotSupported)",
                                       str, ("reject", "link_then_fail")),
    "link.warn_on_token_eviction": Setting(True, "When a link is one more live refresh token than Zoho keeps for one "
                                                 "Zoho user and app, warn on that user's oldest linked connection "
                                                 "(Zoho deletes its token)", bool),
    "link.refresh_tokens_per_user": Setting(20, "Zoho's cap of live refresh tokens per user per client (the oldest "
                                                "is deleted past it)", int, minimum=1),
    "link.revoke_on_unlink": Setting(True, "Revoke the Zoho refresh token on unlink and delete", bool),
    "link.inactivity_revoke_days": Setting(None, "Deauthorize connections unsynced this many days (off)",
                                           int, nullable=True, minimum=1),
    "link.fetch_on_first_link": Setting(False, "Queue and run every selected data type once a link succeeds",
                                        bool),
}


def check(key: str, value: Any) -> Any:
    """The value as stored, or a SettingError naming ``key``."""
    spec = SETTINGS.get(key)
    if spec is None:
        raise SettingError(key, f"unknown setting (known: {', '.join(sorted(SETTINGS))})")
    if value is None:
        if spec.nullable:
            return None
        raise SettingError(key, "must not be null")
    kinds = spec.kind if isinstance(spec.kind, tuple) else (spec.kind,)
    if isinstance(value, bool) and bool not in kinds:
        raise SettingError(key, f"must be {_kind_name(kinds)}, not a boolean")
    if not isinstance(value, kinds):
        raise SettingError(key, f"must be {_kind_name(kinds)}")
    if spec.choices is not None and value not in spec.choices:
        raise SettingError(key, f"must be one of {', '.join(map(str, spec.choices))}")
    if spec.minimum is not None and not isinstance(value, bool) and value < spec.minimum:
        raise SettingError(key, f"must be at least {spec.minimum:g}")
    if isinstance(value, str) and not value.strip():
        raise SettingError(key, "must not be empty")
    if spec.valid is not None and (fault := spec.valid(value)):
        raise SettingError(key, fault)
    if spec.url:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise SettingError(key, "must be an absolute http or https URL")
    return value


def _kind_name(kinds: tuple[type, ...]) -> str:
    names = {bool: "true or false", int: "an integer", float: "a number", str: "a string"}
    return " or ".join(dict.fromkeys(names.get(k, k.__name__) for k in kinds))


class PlatformSettings:
    """The current values: defaults, overridden by what the platform was given or later changed."""

    def __init__(self, overrides: Mapping[str, Any] | None = None) -> None:
        self._values = {k: s.default for k, s in SETTINGS.items()}
        self.update(overrides or {})

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def update(self, changes: Mapping[str, Any], *, running: bool = False) -> dict[str, Any]:
        """Check every change first, then apply them all (nothing half-applied); returns the changes.
        ``running``: the platform has started, so keys read only at start are refused."""
        if not isinstance(changes, Mapping):
            raise SettingError("settings", "must be an object of setting keys and values")
        checked = {str(k): check(str(k), v) for k, v in changes.items()}
        if running:
            for key in checked:
                if SETTINGS[key].at_start:
                    raise SettingError(key, "is read when the platform starts; restart it to change this")
        self._values.update(checked)
        return checked

    def public(self) -> dict[str, Any]:
        """Every setting for the API and pages; a secret setting shows only whether it is set."""
        return {k: ("(set)" if SETTINGS[k].secret and v else v) for k, v in sorted(self._values.items())}

    @staticmethod
    def describe() -> list[dict[str, Any]]:
        return [{"key": k, "default": s.default, "choices": list(s.choices) if s.choices else None, "help": s.help}
                for k, s in SETTINGS.items()]
