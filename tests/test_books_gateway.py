"""Books gateway: organisation selection, DC isolation, auth and scopes, paths, Zoho-shaped errors."""
from __future__ import annotations

import json

from tests.books_helpers import Books, assert_zoho_error, get_token, make_org, make_user, world

from mock_zoho import literals as L
from mock_zoho.books.resources import ORG_DETAIL, ORG_LIST


def test_organizations_lists_all_user_orgs_without_page_context(zoho):
    user = make_user(zoho, "us")
    a = make_org(zoho, [user], "us", name="First")
    b = make_org(zoho, [user], "uk", name="Second", is_default=False)
    books = Books(zoho, get_token(zoho, user))
    body = books.ok("GET", "organizations", params={"organization_id": "999", "last_modified_time": "2020-01-01T00:00:00+0000"})
    assert "page_context" not in body
    orgs = {o["organization_id"]: o for o in body["organizations"]}
    assert set(orgs) == {a["organization_id"], b["organization_id"]}
    for o in orgs.values():
        assert list(o) == list(ORG_LIST) + ["country"]
        assert isinstance(o["fiscal_year_start_month"], str)
    assert orgs[a["organization_id"]]["is_default_org"] is True
    assert orgs[b["organization_id"]]["is_default_org"] is False
    assert orgs[b["organization_id"]]["fiscal_year_start_month"] == "april"
    detail = books.ok("GET", f"organizations/{b['organization_id']}")["organization"]
    assert set(detail) == set(ORG_DETAIL) and detail["country"] == "U.K" and detail["currency_code"] == "GBP"


def test_missing_org_uses_default_header_works_and_query_wins(zoho):
    user = make_user(zoho, "us")
    first = make_org(zoho, [user], "us", name="Old", is_default=False)
    second = make_org(zoho, [user], "us", name="New", is_default=False)
    books = Books(zoho, get_token(zoho, user))
    # no org flagged default: the oldest serves
    assert books.ok("GET", "users/me")["user"]["email_ids"][0]["email"] == user["email"]
    r = books.ok("GET", "organizations/" + first["organization_id"])
    assert r["organization"]["is_default_org"] is True
    zoho.admin("PATCH", f"organizations/{second['organization_id']}", json={"is_default": True, "user_id": user["user_id"]})
    listed = {o["organization_id"]: o["is_default_org"] for o in books.ok("GET", "organizations")["organizations"]}
    assert listed == {first["organization_id"]: False, second["organization_id"]: True}
    # journal says which org served each call
    zoho.admin("DELETE", "requests")
    books.ok("GET", "contacts")
    books.ok("GET", "contacts", headers={L.ORG_HEADER: first["organization_id"]})
    books.ok("GET", "contacts", params={"organization_id": second["organization_id"]},
             headers={L.ORG_HEADER: first["organization_id"]})
    served = [e.get("organization_id") for e in zoho.admin("GET", "requests").json()["requests"] if e["area"] == "books"]
    assert served == [second["organization_id"], first["organization_id"], second["organization_id"]]


def test_missing_org_error_mode(zoho):
    books = world(zoho)
    zoho.admin("PATCH", "config", json={"books.missing_org": "error"})
    books.org_id = None
    body = assert_zoho_error(books.get("contacts"), 400, 2)
    assert body["message"] == "Invalid value passed for organization_id"


def test_foreign_and_unknown_org_get_6041(zoho):
    mine = world(zoho)
    other = world(zoho)
    for org_id in (other.org_id, "123456789"):
        body = assert_zoho_error(mine.get("invoices", params={"organization_id": org_id}), 400, 6041)
        assert body["message"] == f"This user is not associated with the CompanyID/CompanyName:{org_id}."
        assert_zoho_error(mine.get("invoices", org=False, headers={L.ORG_HEADER: org_id}), 400, 6041)
    assert_zoho_error(mine.get(f"organizations/{other.org_id}"), 400, 6041)


def test_two_users_in_two_dcs_never_see_each_other(zoho):
    us = world(zoho, "us", "us")
    eu = world(zoho, "eu", "uk")
    us.ok("POST", "contacts", json={"contact_name": "US Only Customer"})
    eu.ok("POST", "contacts", json={"contact_name": "EU Only Customer"})
    # each sees only its own org and its own data
    assert [o["organization_id"] for o in eu.ok("GET", "organizations")["organizations"]] == [eu.org_id]
    assert [c["contact_name"] for c in eu.ok("GET", "contacts")["contacts"]] == ["EU Only Customer"]
    # the other org's id, by query and by header -> 6041
    assert_zoho_error(eu.get("contacts", params={"organization_id": us.org_id}), 400, 6041)
    assert_zoho_error(eu.get("contacts", org=False, headers={L.ORG_HEADER: us.org_id}), 400, 6041)
    # a token used on the other DC's host is not valid there
    assert_zoho_error(eu.get("contacts", base=zoho.books_url("us")), 401, 57)
    assert_zoho_error(us.get("contacts", base=zoho.books_url("eu"), params={"organization_id": eu.org_id}), 401, 57)
    # the legacy prefix behaves the same
    legacy_eu = zoho.api_url("eu") + "/api/v3"
    assert [c["contact_name"] for c in eu.ok("GET", "contacts", base=legacy_eu)["contacts"]] == ["EU Only Customer"]
    assert_zoho_error(eu.get("contacts", base=legacy_eu, params={"organization_id": us.org_id}), 400, 6041)
    assert_zoho_error(us.get("contacts", base=zoho.api_url("eu") + "/api/v3"), 401, 57)
    # an org listing in the wrong DC shows nothing of the other user
    us_user_eu_host = us.get("organizations", base=zoho.books_url("eu"), org=False)
    assert_zoho_error(us_user_eu_host, 401, 57)


def test_org_users_must_share_a_dc(zoho):
    a, b = make_user(zoho, "us"), make_user(zoho, "eu")
    r = zoho.admin("POST", "organizations", json={"name": "x", "edition": "us", "user_ids": [a["user_id"], b["user_id"]]})
    assert r.status_code == 400 and r.json()["field"] == "user_ids"


def test_missing_scope_is_401_57(zoho):
    user = make_user(zoho, "us")
    make_org(zoho, [user])
    books = Books(zoho, get_token(zoho, user, ["ZohoBooks.invoices.READ"]))
    books.ok("GET", "invoices")
    assert_zoho_error(books.get("contacts"), 401, 57)
    assert_zoho_error(books.post("invoices", {"customer_id": "1"}), 401, 57)
    assert_zoho_error(books.get("settings/taxes"), 401, 57)


def test_auth_headers(zoho):
    books = world(zoho)
    books.scheme = "Bearer"
    books.ok("GET", "invoices")
    r = zoho.session.get(f"{books.base}/invoices", params={"organization_id": books.org_id})
    assert_zoho_error(r, 401, 57)
    r = zoho.session.get(f"{books.base}/invoices", params={"organization_id": books.org_id, "authtoken": books.token})
    assert_zoho_error(r, 401, 57)


def test_path_normalisation_and_legacy_prefix(zoho):
    books = world(zoho)
    books.ok("POST", "contacts", json={"contact_name": "Path Co"})
    url = books.base
    for u in (f"{url}//contacts", f"{url}/contacts/", f"{zoho.api_url('us')}/api/v3/contacts"):
        r = zoho.session.get(u + f"?organization_id={books.org_id}&", headers=books.headers())
        assert r.status_code == 200, (u, r.text)
        assert [c["contact_name"] for c in r.json()["contacts"]] == ["Path Co"]
    zoho.admin("PATCH", "config", json={"books.legacy_prefix": False})
    r = zoho.session.get(f"{zoho.api_url('us')}/api/v3/contacts", headers=books.headers())
    assert_zoho_error(r, 404, 5)


def test_bad_inputs_get_zoho_envelopes(zoho):
    books = world(zoho)
    cid = books.ok("POST", "contacts", json={"contact_name": "Err Co"})["contact"]["contact_id"]
    for params, field in (({"page": "0"}, "page"), ({"page": "x"}, "page"), ({"per_page": "-1"}, "per_page"),
                          ({"filter_by": "Status.Nope"}, "filter_by"), ({"sort_column": "nope"}, "sort_column"),
                          ({"sort_order": "X"}, "sort_order"), ({"date_start": "2024-13-01"}, "date_start"),
                          ({"last_modified_time": "yesterday"}, "last_modified_time")):
        body = assert_zoho_error(books.get("invoices", params=params), 400, 2)
        assert body["message"] == f"Invalid value passed for {field}"
    assert_zoho_error(books.get("contacts", params={"contact_type": "alien"}), 400, 2)
    # malformed JSON, JSON that is not an object
    assert_zoho_error(books.call("POST", "contacts", data="{nope"), 400, 4)
    assert_zoho_error(books.call("POST", "contacts", data="[1,2]"), 400, 4)
    assert_zoho_error(books.call("POST", "contacts", data={"JSONString": "{bad"}), 400, 4)
    # wrong JSON types for known fields
    body = assert_zoho_error(books.post("invoices", {"customer_id": cid, "line_items": "x"}), 400, 2)
    assert body["message"] == "Invalid value passed for line_items"
    body = assert_zoho_error(books.post("invoices", {"customer_id": cid, "line_items": [{"name": "a", "rate": "ten"}]}), 400, 2)
    assert body["message"] == "Invalid value passed for rate"
    assert_zoho_error(books.post("contacts", {"contact_name": ["x"]}), 400, 2)
    assert_zoho_error(books.post("invoices", {"customer_id": cid, "date": "31/01/2024",
                                              "line_items": [{"name": "a", "rate": 1}]}), 400, 2)
    # oversized body
    zoho.admin("PATCH", "config", json={"books.max_body_bytes": 1000})
    body = assert_zoho_error(books.post("contacts", {"contact_name": "x" * 2000}), 400, L.BODY_TOO_LARGE.code)
    assert body["message"] == L.BODY_TOO_LARGE.message
    zoho.admin("PATCH", "config", json={"books.max_body_bytes": 5 * 1024 * 1024})
    # wrong verb on a known path, unknown id, unknown path, v4
    assert_zoho_error(books.call("PATCH", "invoices"), 405, 37)
    assert_zoho_error(books.call("DELETE", "settings/taxes"), 405, 37)
    assert_zoho_error(books.call("PUT", "chartofaccounts/transactions"), 405, 37)
    body = assert_zoho_error(books.get("invoices/460000000000001"), 404, 1002)
    assert body["message"] == "Invoice does not exist."
    assert_zoho_error(books.get("nothing/here"), 404, 5)
    r = zoho.session.get(zoho.api_url("us") + "/books/v4/invoices", headers=books.headers())
    assert_zoho_error(r, 404, 5)
    zoho.admin("PATCH", "config", json={"books.not_found_http_status": 400})
    assert_zoho_error(books.get("contacts/460000000000001"), 400, 1002)
    # nothing above was ever a 500 or HTML
    for e in zoho.admin("GET", "requests").json()["requests"]:
        assert e["status"] < 500, e


def test_request_bodies_all_accepted_forms(zoho):
    books = world(zoho)
    # JSON without a Content-Type header (pyzohoapi)
    r = books.call("POST", "contacts", data=json.dumps({"contact_name": "NoCT"}).encode(),
                   headers={"Content-Type": ""})
    assert r.status_code == 201 and r.json()["contact"]["contact_name"] == "NoCT"
    # JSONString form field, urlencoded and multipart
    r = books.call("POST", "contacts", data={"JSONString": json.dumps({"contact_name": "Form"})})
    assert r.status_code == 201, r.text
    r = books.call("POST", "contacts", files={"JSONString": (None, json.dumps({"contact_name": "Multi"}))})
    assert r.status_code == 201, r.text
    # a body on GET is ignored
    r = books.call("GET", "contacts", data={"JSONString": "{garbage"})
    assert r.status_code == 200 and len(r.json()["contacts"]) == 3
    # unknown keys are ignored (our choice)
    r = books.post("contacts", {"contact_name": "Extra", "favourite_colour": "blue"})
    assert r.status_code == 201 and "favourite_colour" not in r.json()["contact"]


def test_rate_headers_and_journal_fields(zoho):
    books = world(zoho)
    r = books.get("contacts")
    assert r.headers["Content-Type"].startswith("application/json")
    zoho.admin("DELETE", "requests")
    books.get("contacts")
    entry = zoho.admin("GET", "requests").json()["requests"][-1]
    assert entry["organization_id"] == books.org_id and entry["route"] == "contacts"
    assert entry["user_id"] == books.user["user_id"]


def test_an_organisation_created_through_the_api_is_the_callers(zoho):
    from tests.books_helpers import Books, assert_zoho_error, world
    books = world(zoho)
    created = Books(zoho, books.token, books.dc).call("POST", "organizations", org=False,
                                                      json={"name": "Zillium Inc", "currency_code": "GBP"})
    assert created.status_code == 201, created.text
    org = created.json()["organization"]
    assert (org["name"], org["currency_code"], org["is_default_org"]) == ("Zillium Inc", "GBP", False)
    listed = Books(zoho, books.token, books.dc).ok("GET", "organizations", org=False)["organizations"]
    assert org["organization_id"] in [o["organization_id"] for o in listed]
    other = Books(zoho, books.token, books.dc, org["organization_id"])
    assert other.ok("GET", "contacts")["contacts"] == []
    nameless = Books(zoho, books.token, books.dc).call("POST", "organizations", org=False, json={"name": " "})
    assert_zoho_error(nameless, 400, 2)


def test_a_payment_link_for_an_open_invoice(zoho):
    from tests.books_helpers import assert_zoho_error, world
    books = world(zoho)
    customer = books.ok("POST", "contacts", json={"contact_name": "Bob Ltd"})["contact"]["contact_id"]
    open_one = books.ok("POST", "invoices", json={"customer_id": customer,
                                                  "line_items": [{"name": "Service", "rate": 40}]})["invoice"]
    draft = dict(open_one)
    assert_zoho_error(books.get("share/paymentlink", params={
        "transaction_id": draft["invoice_id"], "transaction_type": "invoice", "link_type": "public",
        "expiry_time": "2099-12-31"}), 400, 2)  # a draft is not paid through a link
    books.ok("POST", f"invoices/{open_one['invoice_id']}/status/sent")
    params = {"transaction_id": open_one["invoice_id"], "transaction_type": "invoice", "link_type": "public",
              "expiry_time": "2099-12-31"}
    link = books.ok("GET", "share/paymentlink", params=params)["data"]["share_link"]
    assert link.startswith("https://zohosecurepay.com/books/Payment/secure?CInvoiceID=")
    assert books.ok("GET", "share/paymentlink", params=params)["data"]["share_link"] == link
    for name, bad in (("link_type", "secret"), ("transaction_type", "bill"), ("expiry_time", "2001-01-01"),
                      ("transaction_id", "")):
        assert_zoho_error(books.get("share/paymentlink", params={**params, name: bad}), 400, 2)
    narrow = world(zoho, scopes=["ZohoBooks.invoices.READ"])
    assert_zoho_error(narrow.get("share/paymentlink", params=params), 401, 57)  # needs ZohoBooks.settings.ALL
