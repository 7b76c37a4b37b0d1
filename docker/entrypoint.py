"""The container's entry command: ``python -m mock_zoho serve --workers N`` configured by environment.

Every option of ``serve`` has a ``MOCK_ZOHO_*`` variable (``--help`` lists them); settings come from
a file (``MOCK_ZOHO_CONFIG``) and/or inline YAML/JSON (``MOCK_ZOHO_SETTINGS``), checked here so a bad
one fails at start with the variable and the key named. The process then *becomes* the server
(``exec``): signals reach it directly. ``health`` is the image's HEALTHCHECK.

    MOCK_ZOHO_PORT=8080 MOCK_ZOHO_SEED=7 MOCK_ZOHO_SETTINGS='{"limits.per_minute": 50}' python docker/entrypoint.py
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import click
import yaml

SETTINGS_FILE_SECTIONS = ("faults", "world")


def _checked(settings: dict[str, Any], hint: str) -> dict[str, Any]:
    """``settings`` (flat keys) if mock_zoho's own ``Config`` accepts them, else an error naming ``hint``."""
    from mock_zoho.config import Config, ConfigError

    try:
        Config({k: v for k, v in settings.items() if k not in SETTINGS_FILE_SECTIONS})
    except ConfigError as exc:
        raise click.BadParameter(str(exc), param_hint=hint) from None
    return settings


def merged_settings(config_path: str | None, inline: str | None) -> dict[str, Any] | None:
    """The file's settings and sections, overlaid with the inline ones, each checked on its own so a
    bad key or value fails at start naming the variable that carried it."""
    from mock_zoho.config import flatten

    if not config_path and not inline:
        return None
    data: dict[str, Any] = {}
    if config_path:
        try:
            parsed = yaml.safe_load(Path(config_path).read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise click.BadParameter(f"cannot read it: {exc}", param_hint="MOCK_ZOHO_CONFIG") from None
        if not isinstance(parsed, dict):
            raise click.BadParameter("the top level must be a mapping of settings", param_hint="MOCK_ZOHO_CONFIG")
        sections = {k: parsed[k] for k in SETTINGS_FILE_SECTIONS if k in parsed}
        data = {**_checked(flatten({k: v for k, v in parsed.items() if k not in sections}), "MOCK_ZOHO_CONFIG"),
                **sections}
    if inline:
        try:
            extra = yaml.safe_load(inline)  # YAML is a superset of JSON
        except yaml.YAMLError as exc:
            raise click.BadParameter(f"not YAML/JSON: {exc}", param_hint="MOCK_ZOHO_SETTINGS") from None
        if not isinstance(extra, dict):
            raise click.BadParameter("expected a mapping of settings, e.g. '{\"limits.per_minute\": 50}'",
                                     param_hint="MOCK_ZOHO_SETTINGS")
        data.update(_checked(flatten(extra), "MOCK_ZOHO_SETTINGS"))
    return data


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """mock_zoho in a container: `serve` (the default when no command is given) or `health`."""


def _env(name: str) -> dict[str, Any]:
    return {"envvar": f"MOCK_ZOHO_{name}", "show_envvar": True}


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface (the image sets 0.0.0.0).",
              **_env("HOST"))
@click.option("--port", default=8080, show_default=True, type=click.IntRange(1, 65535), **_env("PORT"))
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Server processes acting as one Zoho (granian).", **_env("WORKERS"))
@click.option("--threads", type=click.IntRange(1, 256), help="Request threads per worker.", **_env("THREADS"))
@click.option("--server", "server_kind", type=click.Choice(["auto", "granian", "gunicorn"]), default="auto",
              show_default=True, **_env("SERVER"))
@click.option("--store", default="auto", show_default=True,
              help="auto (shared memory), lmdb:///PATH or redis://host:port/db.", **_env("STORE"))
@click.option("--seed", default=0, show_default=True, type=int, help="Seed of the generated data.", **_env("SEED"))
@click.option("--time-scale", type=click.FloatRange(0, min_open=True), help="Virtual seconds per real second.",
              **_env("TIME_SCALE"))
@click.option("--public-url", help="Base URL clients reach the emulator at.", **_env("PUBLIC_URL"))
@click.option("--demo/--no-demo", default=True, show_default=True, help="Seed the demo world.", **_env("DEMO"))
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False),
              help="YAML/JSON settings file (faults: and world: sections too).", **_env("CONFIG"))
@click.option("--settings", "inline", help="Settings as inline YAML/JSON, over the file's.", **_env("SETTINGS"))
def serve(host: str, port: int, workers: int, threads: int | None, server_kind: str, store: str, seed: int,
          time_scale: float | None, public_url: str | None, demo: bool, config_path: str | None,
          inline: str | None) -> None:
    """Validate the configuration, then exec `python -m mock_zoho serve --workers N` with it."""
    argv = [sys.executable, "-m", "mock_zoho", "serve", "--host", host, "--port", str(port), "--workers", str(workers),
            "--server", server_kind, "--store", store, "--seed", str(seed)]
    if threads:
        argv += ["--threads", str(threads)]
    if time_scale:
        argv += ["--time-scale", repr(time_scale)]
    if public_url:
        argv += ["--public-url", public_url]
    if not demo:
        argv.append("--no-demo")
    settings = merged_settings(config_path, inline)
    if settings is not None:
        fd, path = tempfile.mkstemp(prefix="mock-zoho-settings-", suffix=".json")
        with os.fdopen(fd, "w") as f:
            json.dump(settings, f)
        argv += ["--config", path]
    sys.stdout.flush()
    os.execv(sys.executable, argv)


@main.command()
@click.option("--port", default=8080, show_default=True, type=click.IntRange(1, 65535), **_env("PORT"))
@click.option("--timeout", default=3.0, show_default=True, type=float)
def health(port: int, timeout: float) -> None:
    """Exit 0 when /__admin/health answers 200 on this machine (the image's HEALTHCHECK)."""
    url = f"http://127.0.0.1:{port}/__admin/health"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            ok = r.status == 200 and json.loads(r.read()).get("status") == "ok"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise click.ClickException(f"{url}: {exc}") from None
    if not ok:
        raise click.ClickException(f"{url} did not answer ok")
    click.echo("ok")


if __name__ == "__main__":
    main(args=sys.argv[1:] or ["serve"])
