"""Where Zoho lives: the accounts server and API domain of each data center.

``ZohoEndpoints()`` gives Zoho's real hosts (what the in-process emulator also answers);
``ZohoEndpoints("http://127.0.0.1:8080")`` gives an emulator's ``<base>/dc/<dc>``, so the connector
runs unchanged against either with nothing but the base URL changed. The platform checks an
``accounts-server`` from a callback with ``is_accounts_server`` before sending a secret there.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = ["ZohoEndpoints", "DataCenter", "DATA_CENTERS", "UnknownDataCenter"]


@dataclass(frozen=True)
class DataCenter:
    location: str
    accounts_host: str
    api_host: str


# Zoho's data centers (zoho.com/accounts/protocol/oauth/multi-dc.html; Books API v3 introduction).
# Canada: accounts on zohocloud.ca, the API on zohoapis.ca. UK: zohoapis.uk (not in Books' own table).
DATA_CENTERS: dict[str, DataCenter] = {dc.location: dc for dc in (
    DataCenter("us", "accounts.zoho.com", "www.zohoapis.com"),
    DataCenter("eu", "accounts.zoho.eu", "www.zohoapis.eu"),
    DataCenter("in", "accounts.zoho.in", "www.zohoapis.in"),
    DataCenter("au", "accounts.zoho.com.au", "www.zohoapis.com.au"),
    DataCenter("jp", "accounts.zoho.jp", "www.zohoapis.jp"),
    DataCenter("ca", "accounts.zohocloud.ca", "www.zohoapis.ca"),
    DataCenter("sa", "accounts.zoho.sa", "www.zohoapis.sa"),
    DataCenter("uk", "accounts.zoho.uk", "www.zohoapis.uk"),
    DataCenter("cn", "accounts.zoho.com.cn", "www.zohoapis.com.cn"),
)}
# Hosts some clients build by suffix and Zoho answers as aliases.
_ACCOUNTS_ALIASES = {"accounts.zoho.ca": "ca"}


class UnknownDataCenter(ValueError):
    """A data-center code that is not one of Zoho's."""

    def __init__(self, dc: str) -> None:
        super().__init__(f"unknown Zoho data center {dc!r} (known: {', '.join(DATA_CENTERS)})")
        self.field = "dc"


class ZohoEndpoints:
    """Accounts and API base URLs per data center, for the real Zoho or an emulator at ``base_url``."""

    def __init__(self, base_url: str | None = None, home_dc: str = "us") -> None:
        self.base_url = base_url.rstrip("/") if base_url else None
        self.home_dc = self._dc(home_dc)

    @staticmethod
    def _dc(dc: str) -> DataCenter:
        try:
            return DATA_CENTERS[dc]
        except KeyError:
            raise UnknownDataCenter(dc) from None

    def accounts_url(self, dc: str | None = None) -> str:
        """Where ``/oauth/v2/auth`` and ``/oauth/v2/token`` live for ``dc`` (home DC by default)."""
        d = self._dc(dc) if dc else self.home_dc
        return f"{self.base_url}/dc/{d.location}" if self.base_url else f"https://{d.accounts_host}"

    def api_url(self, dc: str | None = None) -> str:
        """The API domain of ``dc`` (what a token answer calls ``api_domain``)."""
        d = self._dc(dc) if dc else self.home_dc
        return f"{self.base_url}/dc/{d.location}" if self.base_url else f"https://{d.api_host}"

    @staticmethod
    def books_root(api_domain: str) -> str:
        return api_domain.rstrip("/") + "/books/v3"

    def location_of(self, url: str) -> str | None:
        """The DC code a Zoho (or emulator) accounts/API URL belongs to, or None when it is neither."""
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower().rstrip(".")
        if self.base_url:
            base = urlsplit(self.base_url)
            if (parts.scheme, parts.netloc) == (base.scheme, base.netloc):
                segs = [s for s in parts.path.split("/") if s]
                if len(segs) >= 2 and segs[0] == "dc" and segs[1] in DATA_CENTERS:
                    return segs[1]
            return None
        if parts.scheme != "https":
            return None
        for d in DATA_CENTERS.values():
            if host in (d.accounts_host, d.api_host):
                return d.location
        return _ACCOUNTS_ALIASES.get(host)

    def is_accounts_server(self, url: str) -> bool:
        """True only for a known accounts server (checked before a client secret is sent there)."""
        loc = self.location_of(url)
        if loc is None:
            return False
        norm = url.strip().rstrip("/")
        if self.base_url:
            return norm == self.accounts_url(loc)
        host = (urlsplit(norm).hostname or "").lower()
        return host == DATA_CENTERS[loc].accounts_host or host in _ACCOUNTS_ALIASES

    def is_api_domain(self, url: str) -> bool:
        loc = self.location_of(url)
        return loc is not None and url.strip().rstrip("/") == self.api_url(loc)

    def __repr__(self) -> str:
        return f"ZohoEndpoints({self.base_url or 'zoho'!r}, home_dc={self.home_dc.location!r})"
