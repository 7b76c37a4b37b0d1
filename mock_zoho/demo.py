"""The demo world seeded on start (``seed.demo``) and after ``/__admin/reset``.

Deterministic from ``emulator.rng("demo")``: the same seed gives the same client id and secret, so
a README tour and a harness config can name them. One server-based client (home ``us``, enabled
for us, eu and uk, same credentials everywhere) and one user per DC the integration flow cares
about; each user gets one Books organisation when the Books backend can create them.
"""
from __future__ import annotations

from typing import Any

DEMO_CLIENT = {
    "client_name": "Demo Integration",
    "homepage_url": "http://127.0.0.1:8090",
    "redirect_uris": ["http://127.0.0.1:8090/oauth/callback", "http://localhost:8090/oauth/callback"],
    "home_dc": "us",
    "enabled_dcs": ["us", "eu", "uk"],
    "same_credentials_for_all_dcs": True,
}
# (email, dc, first name, last name, organisation to create for the user)
DEMO_USERS: tuple[tuple[str, str, str, str, dict[str, Any]], ...] = (
    ("demo.us@example.com", "us", "Demo", "US", {"name": "Demo US Inc", "edition": "us", "plan": "professional"}),
    ("demo.eu@example.com", "eu", "Demo", "EU", {"name": "Demo UK Ltd (EU DC)", "edition": "uk"}),
    ("demo.uk@example.com", "uk", "Demo", "UK", {"name": "Demo UK Ltd", "edition": "uk"}),
)


def seed_demo_world(emulator) -> dict[str, Any]:
    """Create the demo client, users and their organisations; returns their handles."""
    rng = emulator.rng("demo")
    accounts = emulator.accounts
    client = accounts.register_client(**DEMO_CLIENT, rng=rng)
    result: dict[str, Any] = {"client": client, "users": [], "organizations": []}
    books = emulator.books
    for email, dc, first, last, org_spec in DEMO_USERS:
        user = accounts.create_user(email=email, dc=dc, first_name=first, last_name=last)
        result["users"].append({"user_id": user["user_id"], "email": user["email"], "dc": user["dc"]})
        org = books.create_organization(**org_spec, user_ids=[user["user_id"]], is_default=True)
        result["organizations"].append({"organization_id": org["organization_id"], "name": org["name"],
                                        "user_id": user["user_id"], "dc": dc})
    return result
