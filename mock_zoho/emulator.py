"""The Emulator: one object that owns all state, so two emulators in one process never meet.

It wires the config, the virtual clock, the store, the journal and the service backends
(accounts, books, limits, faults), moto-style: models here, HTTP in each package's ``views``.
``Emulator.app()`` is the Flask app (server mode); ``mock_zoho.inprocess`` serves the same app
behind ``responses`` (no port).
"""
from __future__ import annotations

import random
import threading
from typing import Any, Mapping

from .clock import Clock
from .config import Config
from .journal import Journal
from .redact import fingerprint
from .store import MemoryStore, Store

META_NS = "emulator:meta"


class Emulator:
    def __init__(
        self,
        config: Config | Mapping[str, Any] | None = None,
        *,
        seed: int = 0,
        store: Store | None = None,
        clock: Clock | None = None,
        demo: bool | None = None,
    ) -> None:
        self.config = config if isinstance(config, Config) else Config(config or {})
        self.seed = int(seed)
        self.clock = clock or Clock(scale=self.config["server.time_scale"])
        self.store: Store = store or MemoryStore()
        # A shared store (Redis) also carries the journal, the clock and the config, so that several
        # processes act as one Zoho.
        make_journal = getattr(self.store, "make_journal", None)
        self.journal = make_journal(self.config["journal.max_entries"]) if make_journal else Journal(self.config["journal.max_entries"])
        share = getattr(self.store, "share", None)
        self.shared_state = share(self) if share else None
        self._app = None
        self._app_lock = threading.Lock()
        self.config.on_change(self._apply_settings)

        from .accounts.models import AccountsBackend
        from .books.models import BooksBackend
        from .books.replay import Replay
        from .faults.models import FaultsBackend
        from .limits.models import LimitsBackend

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
        if "journal.max_entries" in changed and hasattr(self.journal, "resize"):
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
        from .demo import seed_demo_world

        self.demo = seed_demo_world(self)
        return self.demo

    # -- HTTP ----------------------------------------------------------------------------------
    def app(self):
        """The WSGI app serving every data center (created once per emulator)."""
        with self._app_lock:
            if self._app is None:
                from .app import create_app

                self._app = create_app(emulator=self)
                if self.shared_state is not None:
                    self._app.wsgi_app = self.shared_state.wrap_wsgi(self._app.wsgi_app)
                self._app.wsgi_app = self.replay.wrap_wsgi(self._app.wsgi_app)
            return self._app

    def demo_public(self) -> dict[str, Any]:
        """The demo world's handles (client id and secret included: this is the developer's console)."""
        return self.demo

    @staticmethod
    def fingerprint(secret: str) -> str:
        """What the journal shows in place of ``secret`` (tokens, codes, client secrets)."""
        return fingerprint(secret)
