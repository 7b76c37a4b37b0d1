"""A token minted for one organisation (``soid=ZohoBooks.<org>``) serves only it (issue 9 item 3)."""
from __future__ import annotations

import pytest

from mock_zoho import Emulator, testing


@pytest.fixture
def world():
    with testing.inprocess(Emulator(demo=False)) as zoho:
        user = zoho.admin.create_user("two-orgs@example.com")
        org_a = zoho.admin.create_org("A Ltd", users=[user], counts={"contacts": 2, "invoices": 0, "bills": 0, "creditnotes": 0, "customerpayments": 0, "vendorpayments": 0})
        org_b = zoho.admin.create_org("B Ltd", users=[user], counts={"contacts": 2, "invoices": 0, "bills": 0, "creditnotes": 0, "customerpayments": 0, "vendorpayments": 0}, is_default=False)
        yield zoho, user, org_a["organization_id"], org_b["organization_id"]


def _get(zoho, token: str, path: str, org: str | None):
    params = {"organization_id": org} if org else {}
    return zoho.session.get(f"{zoho.books_url()}{path}", params=params,
                            headers={"Authorization": f"Zoho-oauthtoken {token}"})


def test_self_client_code_with_soid_reaches_only_its_org(world) -> None:
    zoho, user, org_a, org_b = world
    token = zoho.token(user, soid=f"ZohoBooks.{org_a}").access_token
    assert _get(zoho, token, "/contacts", org_a).status_code == 200
    foreign = _get(zoho, token, "/contacts", org_b)
    assert foreign.status_code == 400 and foreign.json()["code"] == 6041
    write = zoho.session.post(f"{zoho.books_url()}/contacts", params={"organization_id": org_b},
                              json={"contact_name": "sneaky"}, headers={"Authorization": f"Zoho-oauthtoken {token}"})
    assert write.json()["code"] == 6041
    assert all(c["contact_name"] != "sneaky" for c in zoho.emulator.books.records(org_b, "contacts"))
    # no organization_id: the bound org, not the user's default
    assert _get(zoho, token, "/organizations/" + org_a, None).status_code == 200
    listed = _get(zoho, token, "/organizations", None).json()["organizations"]
    assert [o["organization_id"] for o in listed] == [org_a]


def test_client_credentials_token_with_soid_is_bound(world) -> None:
    zoho, user, org_a, org_b = world
    client = zoho.admin.create_client("cc", client_type="self", user_id=user["user_id"])
    r = zoho.session.post(f"{zoho.accounts_url()}/oauth/v2/token", data={
        "grant_type": "client_credentials", "client_id": client["client_id"], "client_secret": client["client_secret"],
        "scope": "ZohoBooks.fullaccess.all", "soid": f"ZohoBooks.{org_b}"})
    token = r.json()["access_token"]
    assert _get(zoho, token, "/contacts", org_b).status_code == 200
    assert _get(zoho, token, "/contacts", org_a).json()["code"] == 6041
    assert _get(zoho, token, "/contacts", None).status_code == 200  # defaults to the bound org


def test_unbound_token_still_reaches_every_org_of_the_user(world) -> None:
    zoho, user, org_a, org_b = world
    token = zoho.token(user).access_token
    assert _get(zoho, token, "/contacts", org_a).status_code == 200
    assert _get(zoho, token, "/contacts", org_b).status_code == 200
