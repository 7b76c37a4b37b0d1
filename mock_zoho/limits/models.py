"""Per-organisation Books limits. (Skeleton; filled in by issue 4.)"""
from __future__ import annotations


class Admission:
    headers: dict[str, str] = {}

    def release(self) -> None:
        pass


class LimitsBackend:
    def __init__(self, emulator) -> None:
        self.emulator = emulator

    def reset(self) -> None:
        pass

    def admit(self, org: dict) -> Admission:
        return Admission()
