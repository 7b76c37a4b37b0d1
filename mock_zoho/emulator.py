"""The Emulator: one object that owns all state, so two emulators in one process never meet.

It wires the config, the virtual clock, the store (and what the store provides: the journal and,
on a store several processes share, the shared clock and config), the service backends (accounts,
books, limits, faults; each package's ``models``) and the replay cache. ``Emulator.app()`` is the
WSGI app with its whole stack (``mock_zoho.serving.stack``), served by every server of
``mock_zoho.serving`` and, with no port, by ``mock_zoho.serving.inprocess``.
"""
from __future__ import annotations

import os
import random
import threading
from typing import Any, Mapping

from flask import Flask

from .accounts.models import AccountsBackend
from .books.models import BooksBackend
from .books.replay import Replay
from .clock import Clock
from .config import Config
from .demo import seed_demo_world
from .faults.models import FaultsBackend
from .limits.models import LimitsBackend
from .redact import fingerprint
from .serving.stack import build_app
from .storage import MemoryStore, Store

META_NS = "emulator:meta"
ADMIN_TOKEN_ENV = "MOCK_ZOHO_ADMIN_TOKEN"  # the admin API's bearer token (mock_zoho.admin.guard)


class Emulator:
    def __init__(
        self,
        config: Config | Mapping[str, Any] | None = None,
        *,
        seed: int = 0,
        store: Store | None = None,
        clock: Clock | None = None,
        demo: bool | None = None,
        admin_token: str | None = None,
    ) -> None:
        # Not a setting: settings are readable through the admin API. The environment carries it to
        # every worker process.
        self.admin_token = admin_token if admin_token is not None else os.environ.get(ADMIN_TOKEN_ENV) or None
        self.config = config if isinstance(config, Config) else Config(config or {})
        self.seed = int(seed)
        self.clock = clock or Clock(scale=self.config["server.time_scale"])
        self.store: Store = store or MemoryStore()
        # A shared store (LMDB, Redis) also carries the journal, the clock and the config, so that
        # several processes act as one Zoho.
        self.journal = self.store.make_journal(self.config["journal.max_entries"])
        self.shared_state = self.store.share(self)
        self._app: Flask | None = None
        self._app_lock = threading.Lock()
        self.config.on_change(self._apply_settings)
        self.accounts = AccountsBackend(self)
        self.books = BooksBackend(self)
        self.limits = LimitsBackend(self)
        self.faults = FaultsBackend(self)
        self.replay = Replay(self)
        self.demo_enabled = self.config["seed.demo"] if demo is None else demo
        self.demo: dict[str, Any] = {}
        if self.demo_enabled:
            self._seed_once()

    def _apply_settings(self, changed: dict[str, Any]) -> None:
        """Settings that live in objects, not read per request, follow PATCH /__admin/config."""
        if "server.time_scale" in changed:
            self.clock.set_scale(changed["server.time_scale"])
        if "journal.max_entries" in changed:
            self.journal.resize(changed["journal.max_entries"])

    # -- lifecycle -----------------------------------------------------------------------------
    def rng(self, salt: str = "") -> random.Random:
        """A deterministic RNG for seeding: same seed + same salt = same data."""
        return random.Random(f"{self.seed}:{salt}")

    def reset(self, *, demo: bool | None = None, seed: int | None = None) -> None:
        """Forget everything (records, tokens, counters, journal, faults); optionally re-seed."""
        if seed is not None:
            self.seed = int(seed)
        self.store.clear()
        self.journal.clear()
        self.replay.clear()
        for backend in (self.accounts, self.books, self.limits, self.faults):
            backend.reset()
        if self.demo_enabled if demo is None else demo:
            self._seed_once()
        else:
            self.demo = {}

    def _seed_once(self) -> None:
        """Seed the demo world unless this store already holds one (another worker seeded it)."""
        with self.store.lock("emulator:seed"):
            marker = self.store.get(META_NS, "demo")
            if marker is not None:
                self.demo = marker.get("demo") or {}
                return
            self.seed_demo()
            try:
                self.store.put(META_NS, "demo", {"demo": self.demo})
            except TypeError:  # not JSON-able: a shared store cannot hand it on; mark the seeding only
                self.store.put(META_NS, "demo", {"demo": {}})

    def seed_demo(self) -> dict[str, Any]:
        self.demo = seed_demo_world(self)
        return self.demo

    # -- HTTP ----------------------------------------------------------------------------------
    def app(self) -> Flask:
        """The WSGI app serving every data center, with its whole stack (created once per emulator)."""
        with self._app_lock:
            if self._app is None:
                self._app = build_app(self)
            return self._app

    @staticmethod
    def fingerprint(secret: str) -> str:
        """What the journal shows in place of ``secret`` (tokens, codes, client secrets)."""
        return fingerprint(secret)


def create_app(config: Config | Mapping[str, Any] | None = None, *, emulator: Emulator | None = None) -> Flask:
    """The WSGI app of ``emulator``, or of a fresh Emulator built from ``config``."""
    return (emulator or Emulator(config)).app()
