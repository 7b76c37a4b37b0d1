"""The reference integration platform's portal: a Flask app of its own, reaching Zoho only over HTTP.

    from harness.connector import ZohoEndpoints
    from harness.portal import Platform, serve

    platform = Platform(ZohoEndpoints("http://127.0.0.1:8080"), db="portal.sqlite3")
    with serve(platform) as portal:
        ...  # portal.url: settings, companies, Link URLs, the OAuth callback, the JSON API

Contract with the runner and the connector: harness/DESIGN.md ("Portal").
"""
from .platform import Platform
from .server import PortalServer, serve
from .settings import SETTINGS, PlatformSettings, SettingError

__all__ = ["Platform", "PortalServer", "serve", "SETTINGS", "PlatformSettings", "SettingError"]
