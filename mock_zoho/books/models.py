"""Zoho Books state: organisations and their records. (Skeleton; filled in by issue 3.)"""
from __future__ import annotations


class BooksBackend:
    def __init__(self, emulator) -> None:
        self.emulator = emulator

    def reset(self) -> None:
        pass
