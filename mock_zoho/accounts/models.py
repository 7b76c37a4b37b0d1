"""Zoho Accounts state: clients, users, grant codes, tokens. (Skeleton; filled in by issue 2.)"""
from __future__ import annotations


class AccountsBackend:
    def __init__(self, emulator) -> None:
        self.emulator = emulator

    def reset(self) -> None:
        pass
