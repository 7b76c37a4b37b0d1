"""The load profiles' option values, parsed with errors that name the option (no locust import here:
the driver must not import locust, which patches the standard library with gevent)."""
from __future__ import annotations

import re

from .tenants import DC_EDITIONS

_SPAN = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?$")


def parse_counts(text: str) -> dict[str, int]:
    """``contacts=40,invoices=120`` -> {"contacts": 40, "invoices": 120}; errors name the bad part."""
    out: dict[str, int] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, value = part.partition("=")
        if not name or not value.isdigit():
            raise ValueError(f"--records: expected resource=count, got {part!r}")
        out[name.strip()] = int(value)
    return out


def parse_dcs(text: str) -> list[str]:
    dcs = [d.strip() for d in text.split(",") if d.strip()]
    unknown = [d for d in dcs if d not in DC_EDITIONS]
    if not dcs or unknown:
        bad = unknown[0] if unknown else text
        raise ValueError(f"--dcs: unknown data center {bad!r}; known: {', '.join(DC_EDITIONS)}")
    return dcs


def parse_steps(text: str) -> list[tuple[int, float]]:
    """``4:10,8:10`` -> [(4, 10.0), (8, 10.0)]: users and how long each stage lasts, in seconds."""
    steps = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        users, _, seconds = part.partition(":")
        if not users.isdigit() or not seconds.replace(".", "", 1).isdigit() or int(users) < 1:
            raise ValueError(f"--steps: expected users:seconds, got {part!r}")
        steps.append((int(users), float(seconds)))
    if not steps:
        raise ValueError("--steps: give at least one users:seconds stage")
    return steps


def parse_run_time(text: str) -> int:
    """Locust's run-time syntax (``90``, ``60s``, ``2m``, ``1h30m``) in seconds."""
    m = _SPAN.match(text.strip())
    if not text.strip() or not m or not any(m.groups()):
        raise ValueError(f"--run-time: expected e.g. 60s, 2m or 1h30m, got {text!r}")
    h, mnt, s = (int(g or 0) for g in m.groups())
    return h * 3600 + mnt * 60 + s
