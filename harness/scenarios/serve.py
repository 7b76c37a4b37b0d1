"""``zoho-harness serve``: an emulator (demo world) and a portal wired together, for a person to click.

The portal gets its own OAuth client in the emulator's console (redirect URI = the portal's
callback; us, eu and uk enabled; same credentials ticked), its keys saved and Zoho Books enabled,
so a person can create a company, open its Link URL and sign in as one of the demo users.
"""
from __future__ import annotations

from typing import Any

import click
import requests

from harness.connector import ZohoEndpoints
from harness.portal import Platform, serve
from harness.portal.server import run_until_interrupted
from mock_zoho import testing

__all__ = ["serve_forever", "start"]


def start(*, port: int = 0, zoho_url: str | None = None, seed: int = 1234) -> tuple[Any, Any, Any, dict[str, Any]]:
    """(emulator target, platform, portal server, the portal's client) started and configured."""
    zoho = testing.remote(zoho_url) if zoho_url else testing.server(demo=True, seed=seed)
    platform = Platform(ZohoEndpoints(zoho.base), clock=zoho.clock)
    portal = serve(platform, port=port)
    client = zoho.admin.create_client("Reference platform", redirect_uris=[platform.redirect_uri],
                                      enabled_dcs=["us", "eu", "uk"])
    r = requests.put(f"{portal.url}/api/integrations/zoho-books", timeout=30,
                     json={"client_id": client["client_id"], "client_secret": client["client_secret"],
                           "enable": "now"})
    r.raise_for_status()
    return zoho, platform, portal, client


def serve_forever(*, port: int = 0, zoho_url: str | None = None, seed: int = 1234) -> None:
    zoho, platform, portal, client = start(port=port, zoho_url=zoho_url, seed=seed)
    users = zoho.admin.users()
    click.echo(f"portal    {portal.url}   (settings, companies, Link URLs; JSON API under /api)")
    click.echo(f"emulator  {zoho.base}   (admin API {zoho.admin_url}, journal {zoho.admin_url}/requests)")
    click.echo(f"client    {client['client_id']} (keys saved in the portal, Zoho Books enabled)")
    if users:
        click.echo("sign in at Zoho as: " + ", ".join(f"{u['email']} ({u['dc']})" for u in users))
    click.echo("create a company in the portal, open its Link URL, consent; Ctrl-C stops both")
    run_until_interrupted(portal.stop, platform.close, zoho.close)
