"""What every way of serving shares: the emulator built from ``serve``'s options (in the CLI, and
again inside each granian worker), and the rule that several workers need a shared store.

Several processes act as one Zoho only through a shared store, which also carries the journal, the
clock and the config: by default LMDB in a fresh directory under ``/dev/shm`` (the processes of one
machine; ``mock_zoho.storage.lmdb``), or Redis (``--store redis://host:port/db``) for several
machines. The in-memory store lives in one process, so ``--store memory`` is refused for more than
one worker instead of silently giving each worker its own Zoho.
"""
from __future__ import annotations

from typing import Any

import click

from ..config import Config, ConfigError
from ..emulator import Emulator
from ..storage import Store, StoreError, make_store

SHARED_STORE_NEEDED = (
    "--workers {n} needs a store shared by the worker processes: drop --store memory (the default then is "
    "shared memory, LMDB) or use --store lmdb:///PATH or redis://HOST:PORT/DB (the in-memory store lives in "
    "one process, so {n} workers would be {n} different Zohos)"
)


def check_workers(workers: int, store: Store) -> None:
    if workers > 1 and not store.shared:
        raise StoreError(SHARED_STORE_NEEDED.format(n=workers))


def build_emulator(config_file: str | None, seed: int, time_scale: float | None, demo: bool, public_url: str | None,
                   store_url: str | None = None, admin_hosts: str | None = None) -> Emulator:
    """The emulator ``serve`` runs; a bad option is a ``click.BadParameter`` naming it."""
    overrides: dict[str, Any] = {}
    if admin_hosts:
        overrides["admin.allowed_hosts"] = admin_hosts
    if time_scale is not None:
        overrides["server.time_scale"] = time_scale
    if public_url:
        overrides["server.public_url"] = public_url.rstrip("/")
    try:
        config = Config.from_file(config_file, overrides) if config_file else Config(overrides)
    except (ConfigError, OSError) as exc:
        raise click.BadParameter(str(exc), param_hint="--config" if config_file else "--time-scale") from None
    try:
        store = make_store(store_url)
    except StoreError as exc:
        raise click.BadParameter(str(exc), param_hint="--store") from None
    return Emulator(config, seed=seed, demo=demo, store=store)
