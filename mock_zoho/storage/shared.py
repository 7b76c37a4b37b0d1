"""One clock and one config for every process on a shared store (Redis, or LMDB for ``--workers``).

The first process on a store publishes its own; later ones adopt the published copy (they join a
running Zoho). A local change (admin clock advance, config PATCH) is published at once; every
process checks the versions once per request (``sync``) and reloads what moved. The store supplies
primitives over its state record: ``state_init``, ``state_get``, ``state_publish`` and
``state_versions`` (the clock and config versions, read on every request).
"""
from __future__ import annotations

import threading
import uuid
from typing import Any, Iterable, Mapping

import orjson


class SharedState:
    """Keeps one process's clock and config equal to the store's copy."""

    def __init__(self, store: Any, emulator: Any) -> None:
        self.store = store
        self.clock = emulator.clock
        self.config = emulator.config
        self._local = threading.local()
        self._versions: dict[str, int] = {"clock_v": -1, "config_v": -1}
        self._lock = threading.Lock()
        self.origin = uuid.uuid4().hex
        store.state_init({"clock": orjson.dumps(self.clock.to_state()), "config": orjson.dumps(self.config.as_dict()),
                          "clock_v": 1, "config_v": 1})
        self.sync()
        self.clock.on_change(self._publish_clock)
        self.config.on_change(self._publish_config)

    def _publish_clock(self) -> None:
        if getattr(self._local, "applying", False):
            return
        self._versions["clock_v"] = self.store.state_publish("clock", orjson.dumps(self.clock.to_state()), "clock_v")

    def _publish_config(self, changed: Mapping[str, Any]) -> None:
        if getattr(self._local, "applying", False):
            return
        self._versions["config_v"] = self.store.state_publish("config", orjson.dumps(self.config.as_dict()), "config_v")

    def sync(self) -> None:
        """One read when nothing moved; reload the clock and/or config when something did."""
        clock_v, config_v = self.store.state_versions()
        if clock_v == self._versions["clock_v"] and config_v == self._versions["config_v"]:
            return
        with self._lock:
            raw_clock, raw_config, clock_v, config_v = self.store.state_get("clock", "config", "clock_v", "config_v")
            self._local.applying = True
            try:
                if raw_clock is not None:
                    self.clock.load_state(orjson.loads(raw_clock))
                if raw_config is not None and int(config_v or 0) != self._versions["config_v"]:
                    self.config.update(orjson.loads(raw_config))
            finally:
                self._local.applying = False
            self._versions = {"clock_v": int(clock_v or 0), "config_v": int(config_v or 0)}

    def wrap_wsgi(self, wsgi_app):
        """Middleware: bring this process up to date before each request."""
        errors = self.store.errors

        def shared_state(environ: dict[str, Any], start_response) -> Iterable[bytes]:
            try:
                self.sync()
            except errors:
                pass  # the request will fail on its own store call and answer 500 in Zoho's shape
            return wsgi_app(environ, start_response)

        return shared_state
