"""``python -m harness.portal serve``: the portal as a process (settings pages, Link URLs, JSON API)."""
from __future__ import annotations

import json
import logging

import click

from harness.connector import ZohoEndpoints

from .platform import Platform
from .server import run_until_interrupted, serve as start
from .settings import SETTINGS, SettingError

DEFAULT_PORT = 8090
DEFAULT_DB = "portal.sqlite3"


def _setting(pair: str) -> tuple[str, object]:
    key, sep, raw = pair.partition("=")
    if not sep:
        raise click.BadParameter(f"{pair!r}: expected KEY=VALUE (e.g. link.org_selection=first)", param_hint="--set")
    try:
        value: object = json.loads(raw)
    except ValueError:
        value = raw
    return key.strip(), value


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """The reference integration platform's portal (Zoho Books)."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=click.IntRange(0, 65535),
              help="Port (0: a free one).")
@click.option("--zoho", "zoho_url", default=None, metavar="URL",
              help="An emulator's base URL (python -m mock_zoho serve); default: Zoho's real hosts.")
@click.option("--db", default=DEFAULT_DB, show_default=True, metavar="PATH",
              help="SQLite file (created owner-only); ':memory:' keeps nothing.")
@click.option("--public-url", default=None, metavar="URL",
              help="Where customers reach the portal (Link URLs, redirect URI); default: the bound address.")
@click.option("--set", "pairs", multiple=True, metavar="KEY=VALUE",
              help=f"A platform setting, repeatable (portal.*, link.*, sync.*), e.g. --set link.org_selection=first. "
                   f"Known: {', '.join(SETTINGS)}.")
def serve(host: str, port: int, zoho_url: str | None, db: str, public_url: str | None, pairs: tuple[str, ...]) -> None:
    """Serve the portal until interrupted."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = dict(_setting(p) for p in pairs)
    try:
        platform = Platform(ZohoEndpoints(zoho_url) if zoho_url else ZohoEndpoints(), db=db, settings=settings,
                            public_url=public_url)
    except SettingError as exc:
        raise click.BadParameter(f"{exc.field}: {exc.message}", param_hint="--set") from None
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        portal = start(platform, host=host, port=port)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    click.echo(f"portal serving at {portal.url} (Zoho: {zoho_url or 'the real Zoho hosts'}, db: {db})")
    click.echo(f"  redirect URI for Zoho's API console: {platform.redirect_uri}")
    run_until_interrupted(portal.stop, platform.close)


if __name__ == "__main__":  # pragma: no cover
    main()
