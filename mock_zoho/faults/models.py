"""Fault injection. (Skeleton; filled in by issue 4.)"""
from __future__ import annotations


class FaultsBackend:
    def __init__(self, emulator) -> None:
        self.emulator = emulator

    def reset(self) -> None:
        pass

    def wrap_wsgi(self, wsgi_app):
        return wsgi_app
