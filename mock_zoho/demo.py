"""The demo world seeded on start. (Skeleton; filled in with accounts and books.)"""
from __future__ import annotations

from typing import Any


def seed_demo_world(emulator) -> dict[str, Any]:
    return {}
