"""Zoho's data centers: their real hosts, and how a request finds its data center.

A request's DC comes from its Host header when that is a real Zoho host (accounts.zoho.eu,
www.zohoapis.eu, books.zoho.eu, ...), else from a ``/dc/<location>`` path prefix; no prefix means
``us``. Every URL the emulator hands out points back at itself: real Zoho hosts when the request
came in on one (in-process mode), ``<own base>/dc/<location>`` otherwise.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

HostKind = Literal["accounts", "api", "books", "local"]


@dataclass(frozen=True)
class DataCenter:
    location: str
    name: str
    accounts_host: str
    api_host: str
    books_host: str  # the legacy web-app host that also serves /api/v3

    @property
    def accounts_url(self) -> str:
        return f"https://{self.accounts_host}"

    @property
    def api_url(self) -> str:
        return f"https://{self.api_host}"


DATA_CENTERS: dict[str, DataCenter] = {
    dc.location: dc
    for dc in (
        DataCenter("us", "United States", "accounts.zoho.com", "www.zohoapis.com", "books.zoho.com"),
        DataCenter("eu", "Europe", "accounts.zoho.eu", "www.zohoapis.eu", "books.zoho.eu"),
        DataCenter("in", "India", "accounts.zoho.in", "www.zohoapis.in", "books.zoho.in"),
        DataCenter("au", "Australia", "accounts.zoho.com.au", "www.zohoapis.com.au", "books.zoho.com.au"),
        DataCenter("jp", "Japan", "accounts.zoho.jp", "www.zohoapis.jp", "books.zoho.jp"),
        # Canada: accounts on zohocloud.ca, the API on zohoapis.ca (not zohocloud).
        DataCenter("ca", "Canada", "accounts.zohocloud.ca", "www.zohoapis.ca", "books.zohocloud.ca"),
        DataCenter("sa", "Saudi Arabia", "accounts.zoho.sa", "www.zohoapis.sa", "books.zoho.sa"),
        DataCenter("uk", "United Kingdom", "accounts.zoho.uk", "www.zohoapis.uk", "books.zoho.uk"),
        DataCenter("cn", "China", "accounts.zoho.com.cn", "www.zohoapis.com.cn", "books.zoho.com.cn"),
    )
}
DEFAULT_LOCATION = "us"
# Hosts some clients build by suffix; served as aliases (dc.ca.accept_zoho_ca_alias).
ACCOUNTS_ALIASES = {"accounts.zoho.ca": "ca"}
CONSOLE_HOSTS = {"api-console.zoho.com": "us", "api-console.zoho.eu": "eu", "api-console.zoho.in": "in",
                 "api-console.zoho.com.au": "au", "api-console.zoho.jp": "jp", "api-console.zohocloud.ca": "ca",
                 "api-console.zoho.sa": "sa", "api-console.zoho.uk": "uk", "api-console.zoho.com.cn": "cn"}

_HOSTS: dict[str, tuple[str, HostKind]] = {}
for _dc in DATA_CENTERS.values():
    _HOSTS[_dc.accounts_host] = (_dc.location, "accounts")
    _HOSTS[_dc.api_host] = (_dc.location, "api")
    _HOSTS[_dc.books_host] = (_dc.location, "books")
for _host, _loc in {**ACCOUNTS_ALIASES, **CONSOLE_HOSTS}.items():
    _HOSTS[_host] = (_loc, "accounts")

ZOHO_HOSTS: frozenset[str] = frozenset(_HOSTS)


def classify_host(host: str) -> tuple[str, HostKind] | None:
    """(location, kind) for a real Zoho host (port ignored), None for anything else."""
    bare = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    return _HOSTS.get(bare.lower().rstrip("."))


def is_alias_host(host: str) -> bool:
    return host.rsplit(":", 1)[0].lower() in ACCOUNTS_ALIASES
