"""Simulated customers: one Zoho user per data center, each owning a seeded Books organisation and a
self client whose grant code the integration exchanges over HTTP (the customer's link).

Everything here goes through ``mock_zoho.testing`` (the admin API); an org's name carries the run id,
so ``load.verify`` finds the run's orgs afterwards on any emulator, fresh or shared.
"""
from __future__ import annotations

import itertools
import os
import uuid
from dataclasses import dataclass, field
from typing import Any, Mapping

from mock_zoho.testing import FULL_ACCESS, AdminClient, ZohoTarget

# Served data centers and the Books edition a customer there most likely has (edition is not DC).
DC_EDITIONS: dict[str, str] = {"us": "us", "eu": "global", "in": "in", "au": "au", "jp": "global", "ca": "ca",
                               "sa": "global", "uk": "uk"}
ORG_PREFIX = "load"
UNLIMITED = {"per_minute": 1_000_000, "daily": 1_000_000_000, "concurrency": 1_000}
_serial = itertools.count(1)


_dc_turn = itertools.count()


def pick_dc(dcs: list[str], worker_index: int = 0) -> str:
    """The next data center, round robin; each locust worker starts at its own place in the turn."""
    return dcs[(next(_dc_turn) + 7 * worker_index) % len(dcs)]


def org_name(run_id: str, dc: str) -> str:
    return f"{ORG_PREFIX} {run_id} {dc} {os.getpid()}-{next(_serial)}-{uuid.uuid4().hex[:4]}"


def run_prefix(run_id: str) -> str:
    return f"{ORG_PREFIX} {run_id} "


@dataclass
class Tenant:
    """One customer's org as the integration knows it after linking (secrets kept out of repr)."""

    org_id: str
    dc: str
    user: dict[str, Any]
    client_id: str
    per_minute: int
    accounts_url: str
    books_url: str
    client_secret: str = field(repr=False)
    code: str = field(repr=False)


def provision(target: ZohoTarget, run_id: str, dc: str, counts: Mapping[str, int], *,
              unlimited: bool = False, per_minute: int = 0, plan: str = "professional") -> Tenant:
    """Create the user, org and self client of one customer; ``unlimited`` lifts its limits (ceiling
    runs), ``per_minute`` overrides its per-minute limit (what if Zoho allowed fewer calls?)."""
    admin: AdminClient = target.admin
    user = admin.create_user(f"load-{uuid.uuid4().hex[:12]}@example.com", dc=dc)
    org = admin.create_org(org_name(run_id, dc), users=[user], edition=DC_EDITIONS[dc], plan=plan, counts=dict(counts))
    if unlimited:
        admin.set_limits(org["organization_id"], **UNLIMITED)
    elif per_minute:
        admin.set_limits(org["organization_id"], per_minute=per_minute)
    client = admin.create_client(f"load {run_id}", client_type="self", home_dc=dc, user_id=user["user_id"])
    code = admin.self_client_code(client["client_id"], FULL_ACCESS, ttl_s=3600)
    per_minute = int(admin.limits(org["organization_id"])["per_minute"]["limit"])
    return Tenant(org["organization_id"], dc, {k: user[k] for k in ("user_id", "email", "dc")}, client["client_id"],
                  per_minute, target.accounts_url(dc), target.books_url(dc), client["client_secret"], code)
