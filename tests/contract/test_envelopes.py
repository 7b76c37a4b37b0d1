"""Envelopes, list pages and page contexts, as Zoho documents them (reference §2.4, §3.5, §3.6, §6)."""
from __future__ import annotations

import pytest

from .targets import list_key

# Lists every Books org has an endpoint for: (path, documented list keys; vendor credits are in conflict, §6.1).
LISTS = {
    "/contacts": ("contacts",), "/invoices": ("invoices",), "/creditnotes": ("creditnotes",), "/bills": ("bills",),
    "/items": ("items",), "/chartofaccounts": ("chartofaccounts",), "/customerpayments": ("customerpayments",),
    "/vendorpayments": ("vendorpayments",), "/vendorcredits": ("vendor_credits", "vendorcredits"),
    "/journals": ("journals",), "/settings/taxes": ("taxes",), "/settings/currencies": ("currencies",),
    "/bankaccounts": ("bankaccounts",), "/banktransactions": ("banktransactions",), "/expenses": ("expenses",),
    "/salesorders": ("salesorders",), "/purchaseorders": ("purchaseorders",), "/estimates": ("estimates",),
    "/users": ("users",),
}
SINGLE_PAGE = {"/settings/currencies"}  # documented as one page (§3.6)
# §6.3: "The list never carries line_items, addresses or contact persons."
DETAIL_ONLY = ("line_items", "billing_address", "shipping_address", "contact_persons")


def test_token_refresh_answer_has_zoho_keys(zoho_api):
    body = zoho_api.refresh_answer
    assert {"access_token", "api_domain", "token_type", "expires_in"} <= set(body), sorted(body)
    assert isinstance(body["expires_in"], int) and not isinstance(body["expires_in"], bool)
    assert body["api_domain"].startswith(("https://", "http://"))
    assert "refresh_token" not in body, "a refresh answer carries no new refresh token (§2.4)"
    assert "error" not in body


def test_organizations_list_has_no_page_context(zoho_api):
    r = zoho_api.books("/organizations", org=False)  # organization_id is not sent here (§3.3)
    assert r.status_code == 200
    body = r.json()
    assert body["code"] == 0 and type(body["code"]) is int and body["message"] == "success"
    assert "page_context" not in body, "GET /organizations has no pagination (§3.6)"
    orgs = body["organizations"]
    assert orgs and all(isinstance(o["organization_id"], str) for o in orgs)
    assert all(isinstance(o["is_default_org"], bool) for o in orgs)
    assert zoho_api.organization_id in {o["organization_id"] for o in orgs}


@pytest.mark.parametrize("path", sorted(LISTS))
def test_list_envelope_and_page_context(zoho_api, path):
    body = zoho_api.ok(path)
    assert body["code"] == 0 and type(body["code"]) is int and body["message"] == "success"
    key = list_key(body)
    assert key in LISTS[path], f"{path} lists under {key!r}, documented {LISTS[path]}"
    assert isinstance(body[key], list)
    ctx = body["page_context"]
    assert isinstance(ctx, dict), "page_context is an object, not an array (§3.6, erratum 1)"
    assert type(ctx["page"]) is int and type(ctx["per_page"]) is int and type(ctx["has_more_page"]) is bool
    assert ctx["page"] == 1
    if path not in SINGLE_PAGE:
        assert ctx["per_page"] == 200, "per_page defaults to 200 (§3.6)"
        assert len(body[key]) <= 200
    if "sort_order" in ctx:
        assert ctx["sort_order"] in ("A", "D")
    for item in body[key]:
        carried = [f for f in DETAIL_ONLY if f in item]
        assert not carried, f"{path} list items carry detail-only {carried} (§6.3)"


def test_a_page_past_the_end_is_empty_and_final(zoho_api):
    body = zoho_api.ok("/chartofaccounts", {"page": 10000, "per_page": 200})
    assert body["code"] == 0 and body["chartofaccounts"] == []
    assert body["page_context"]["has_more_page"] is False and body["page_context"]["page"] == 10000


def test_per_page_is_honoured_and_more_pages_are_announced(zoho_api):
    total = len(zoho_api.ok("/chartofaccounts")["chartofaccounts"])
    if total < 3:
        pytest.skip(f"the org has {total} accounts; paging needs 3")
    first = zoho_api.ok("/chartofaccounts", {"page": 1, "per_page": 2})
    assert len(first["chartofaccounts"]) == 2
    assert first["page_context"]["per_page"] == 2 and first["page_context"]["has_more_page"] is True
