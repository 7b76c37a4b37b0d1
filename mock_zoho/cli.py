"""``python -m mock_zoho`` / ``mock-zoho``: run the emulator as a server."""
from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable

import click
import requests

from .config import DEFAULTS, Config
from .dc import DATA_CENTERS
from .emulator import ADMIN_TOKEN_ENV
from .serving.granian import serve_granian
from .serving.gunicorn import serve_workers
from .serving.launch import SHARED_STORE_NEEDED, build_emulator
from .serving.ports import free_port
from .serving.werkzeug import make_redacting_server
from .storage import resolve_store_url

__all__ = ["main", "build_emulator", "banner", "settings_markdown"]


def banner(config: Config, demo: dict[str, Any] | None, base: str) -> str:
    """What ``serve`` prints: the base URLs per data center and the demo world's credentials."""
    lines = [f"mock_zoho is serving Zoho Accounts + Books API v3 at {base}", "", "Data centers:"]
    for loc, dc in DATA_CENTERS.items():
        if loc == "cn" and not config["dc.cn.enabled"]:
            continue
        lines.append(f"  {loc:3} {base}/dc/{loc:3}  (stands in for {dc.accounts_host} and {dc.api_host})")
    lines += ["", f"Admin API: {base}/__admin/health  ·  journal: {base}/__admin/requests"]
    demo = demo or {}
    client = demo.get("client")
    if client:
        lines += ["", "Demo credentials (fake, for this emulator only):",
                  f"  client_id      {client['client_id']}",
                  f"  client_secret  {client['client_secret']}",
                  f"  redirect_uri   {client['redirect_uris'][0]}"]
        orgs = {o["user_id"]: o for o in demo.get("organizations", [])}
        for user in demo.get("users", []):
            org = orgs.get(user["user_id"])
            owns = f"  owns org {org['organization_id']} {org['name']!r}" if org else ""
            lines.append(f"  user           {user['email']}  (dc {user['dc']}){owns}")
        lines.append(f"  try: {base}/dc/us/oauth/v2/auth?response_type=code&client_id={client['client_id']}"
                     f"&scope=ZohoBooks.fullaccess.all&redirect_uri={client['redirect_uris'][0]}"
                     "&access_type=offline&prompt=consent")
    return "\n".join(lines)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """mock_zoho: a faithful, stateful emulator of Zoho Accounts (OAuth 2.0) and Zoho Books API v3."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535), help="Port (0 picks a free one).")
@click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False), help="YAML/JSON settings file.")
@click.option("--seed", default=0, show_default=True, type=int, help="Seed for deterministic demo data.")
@click.option("--time-scale", type=click.FloatRange(min=0, min_open=True), help="Virtual seconds per real second.")
@click.option("--public-url", help="Base URL clients use to reach this server (behind a proxy).")
@click.option("--no-demo", is_flag=True, help="Start empty instead of with the demo world.")
@click.option("--admin-token", envvar="MOCK_ZOHO_ADMIN_TOKEN", show_envvar=True,
              help="Require 'Authorization: Bearer <token>' on the admin API (all but /__admin/health).")
@click.option("--admin-host", "admin_hosts", multiple=True, envvar="MOCK_ZOHO_ADMIN_HOSTS", show_envvar=True,
              help="A host name the admin API answers under besides loopback and --public-url's host (repeatable; "
                   "'*' for any). Other Host headers are refused (DNS rebinding).")
@click.option("--store", "store_url", default="auto", show_default=True,
              help="Where state lives. auto: 'memory' for one process, 'lmdb' (shared memory, this machine) with "
                   "--workers; lmdb:///PATH to choose the directory; redis://host:port/db to share it between machines.")
@click.option("--workers", type=click.IntRange(min=1),
              help="Serve from N processes acting as one Zoho (one shared store). Default: one process.")
@click.option("--threads", type=click.IntRange(min=1),
              help="Request threads per worker: how many calls one worker can hold at once (an injected latency "
                   "holds its thread). Default: granian 2 in one process, 4 per worker with --workers; gunicorn 8; werkzeug a "
                   "thread per connection. With granian fewer threads are faster (Python threads contend for the GIL); "
                   "with 1, one slow call holds up the others.")
@click.option("--server", "server_kind", type=click.Choice(["auto", "granian", "werkzeug", "gunicorn"]), default="auto",
              show_default=True,
              help="HTTP server. auto: granian (the fastest), for one process and with --workers. granian hides the "
                   "client's socket, so a 'reset' or 'truncate' fault ends the response early as granian chooses (no "
                   "response, or a body cut short). For exact connection faults use werkzeug (one threaded process) "
                   "or gunicorn (with --workers): they do exactly what the rule says.")
def serve(host: str, port: int, config_file: str | None, seed: int, time_scale: float | None,
          public_url: str | None, no_demo: bool, admin_token: str | None, admin_hosts: tuple[str, ...], store_url: str,
          workers: int | None, threads: int | None, server_kind: str) -> None:
    """Start the emulator as an HTTP server and print its base URLs and demo credentials once it answers.

    The default server is granian (fastest); --server werkzeug or gunicorn for exact connection faults."""
    if workers and workers > 1 and store_url == "memory":
        raise click.UsageError(SHARED_STORE_NEEDED.format(n=workers))
    store_url = resolve_store_url(store_url, workers)
    if server_kind == "werkzeug" and workers:
        raise click.UsageError("--server werkzeug runs one process: drop --workers, or use gunicorn or granian")
    if admin_token:
        os.environ[ADMIN_TOKEN_ENV] = admin_token  # every worker process builds its emulator from it
    args = {"config_file": config_file, "seed": seed, "time_scale": time_scale, "demo": not no_demo,
            "public_url": public_url, "store_url": store_url,
            "admin_hosts": ",".join(h for v in admin_hosts for h in v.replace(" ", ",").split(",") if h) or None}
    # granian's workers build their own emulators: on the memory store the master's would only be
    # seeded twice (the banner reads the demo world from the worker instead); on a shared store the
    # master seeds it once for all workers.
    master_seeds = server_kind in ("werkzeug", "gunicorn") or store_url != "memory"
    emulator = build_emulator(**{**args, "demo": args["demo"] and master_seeds})
    if server_kind == "werkzeug":
        server = make_redacting_server(host, port, emulator.app())
        base = public_url.rstrip("/") if public_url else f"http://{host}:{server.server_port}"
        click.echo(banner(emulator.config, emulator.demo, base) + f"\n\nServer: werkzeug, 1 threaded process, store {store_url}")
        sys.stdout.flush()
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            click.echo("\nstopped")
        return
    n = workers or 1
    port = port or free_port(host)
    base = public_url.rstrip("/") if public_url else f"http://{host}:{port}"
    if server_kind == "gunicorn":
        threads = threads or 8
        line = f"Server: gunicorn, {n} worker(s) x {threads} threads, store {store_url}"
        _announce_when_ready(f"http://{host}:{port}", lambda demo: banner(emulator.config, demo, base) + f"\n\n{line}")
        serve_workers(emulator, host, port, n, threads)
        return
    threads = threads or (4 if workers else 2)  # one process: 2 measured fastest (fewer threads, less GIL contention)
    line = f"Server: granian, {n} worker(s) x {threads} threads, store {store_url}"
    _announce_when_ready(f"http://{host}:{port}", lambda demo: banner(emulator.config, demo, base) + f"\n\n{line}")
    serve_granian(args, emulator.store, host, port, n, threads, log_requests=not workers)


def _announce_when_ready(url: str, text: Callable[[dict[str, Any] | None], str], timeout: float = 60.0) -> None:
    """Print the banner once the server at ``url`` answers, with the demo world it serves, from a
    thread: granian and gunicorn start their workers after the call that serves, so a banner printed
    before it would announce a port that refuses connections for a moment."""

    def wait() -> None:
        local = url.replace("0.0.0.0", "127.0.0.1")
        deadline = time.monotonic() + timeout
        demo = None
        while time.monotonic() < deadline:
            try:
                demo = requests.get(f"{local}/__admin/demo", timeout=1).json()["demo"]
                break
            except (requests.RequestException, ValueError, KeyError):
                time.sleep(0.02)
        click.echo(text(demo))
        sys.stdout.flush()

    threading.Thread(target=wait, name="mock-zoho-banner", daemon=True).start()


START_MARK, END_MARK = "<!-- settings:start -->", "<!-- settings:end -->"


@main.command("config-table")
@click.option("--write", "target", type=click.Path(exists=True, dir_okay=False),
              help=f"Replace the table between {START_MARK} and {END_MARK} in this file.")
def config_table(target: str | None) -> None:
    """Print every setting with its default as a Markdown table (the README embeds it)."""
    table = settings_markdown()
    if not target:
        click.echo(table)
        return
    text = Path(target).read_text(encoding="utf-8")
    if START_MARK not in text or END_MARK not in text:
        raise click.BadParameter(f"{target} has no {START_MARK} ... {END_MARK} markers", param_hint="--write")
    head, rest = text.split(START_MARK, 1)
    tail = rest.split(END_MARK, 1)[1]
    Path(target).write_text(f"{head}{START_MARK}\n{table}\n{END_MARK}{tail}", encoding="utf-8")
    click.echo(f"updated {target}")


def settings_markdown() -> str:
    rows = ["| Key | Default | Choices | What it does |", "|---|---|---|---|"]
    for key, setting in DEFAULTS.items():
        default = setting.default
        shown = ", ".join(f"{k} {v}" for k, v in default.items()) if isinstance(default, dict) else repr(default)
        choices = " / ".join(map(str, setting.choices)) if setting.choices else ""
        rows.append(f"| `{key}` | `{shown}` | {choices} | {setting.help} |")
    return "\n".join(rows)


if __name__ == "__main__":  # pragma: no cover
    main()
