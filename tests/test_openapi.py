"""The emulator's OpenAPI description: served at /__admin/openapi.json in both modes, a valid
OpenAPI 3.0 document, following the running config, and strict enough to catch an answer outside it."""
from __future__ import annotations

import pytest

from mock_zoho.openapi import build_description
from mock_zoho.openapi.validate import ResponseChecker


def _description(zoho) -> dict:
    r = zoho.session.get(f"{zoho.admin_url}/openapi.json", timeout=60)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/json")
    return r.json()


def test_served_description_covers_books_oauth_and_admin(zoho):
    desc = _description(zoho)
    assert desc["openapi"].startswith("3.0")
    paths = desc["paths"]
    for path in ("/books/v3/invoices", "/books/v3/invoices/{invoice_id}", "/books/v3/organizations",
                 "/books/v3/contacts/{contact_id}/contactpersons", "/oauth/v2/token", "/oauth/serverinfo",
                 "/__admin/v1/faults", "/__admin/v1/openapi.json"):
        assert path in paths, path
    assert set(paths["/books/v3/invoices/{invoice_id}"]) == {"get", "put", "delete"}
    assert set(paths["/books/v3/chartofaccounts/transactions"]) == {"get"}  # read only in the emulator
    assert set(paths["/books/v3/purchaseorders/{purchaseorder_id}/status/{action}"]) == {"post"}
    ops = [op for ops in paths.values() for op in ops.values()]
    assert len({op["operationId"] for op in ops}) == len(ops), "operationIds are unique"


def test_description_is_a_valid_openapi_document():
    schemathesis = pytest.importorskip("schemathesis", reason="schemathesis validates the document (pip install schemathesis)")
    schemathesis.openapi.from_dict(build_description()).validate()


def test_description_follows_the_running_config(zoho):
    zoho.admin.set_config({"books.vendorcredits_list_key": "vendorcredits", "books.coa_detail_key": "top_level",
                           "books.fiscal_month_as": "int"})
    desc = _description(zoho)
    ok = lambda path, method="get": desc["paths"][path][method]["responses"]["200"]["content"]["application/json"]["schema"]  # noqa: E731
    assert "vendorcredits" in ok("/books/v3/vendorcredits")["properties"]
    coa = ok("/books/v3/chartofaccounts/{account_id}")["properties"]
    assert "account_id" in coa and "chart_of_account" not in coa
    assert desc["components"]["schemas"]["organizations_detail"]["properties"]["fiscal_year_start_month"] == {"type": "integer"}
    assert build_description()["components"]["schemas"]["organizations_detail"]["properties"][
        "fiscal_year_start_month"] == {"type": "string"}


def test_checker_names_what_is_outside_the_description():
    checker = ResponseChecker(build_description())
    json_h = {"Content-Type": "application/json;charset=UTF-8"}
    assert checker.check("GET", "https://www.zohoapis.eu/books/v3/invoices/1", 404, json_h,
                         b'{"code":1002,"message":"Invoice does not exist."}') == []
    assert checker.check("GET", "/dc/eu/api/v3/invoices/1", 404, json_h, b'{"code":1002,"message":"x"}') == []
    assert checker.check("GET", "/books/v3/invoices/1", 418, json_h, b"{}")[0].endswith("(described: 200, 400, 401, 404, 405, 429)")
    bad = checker.check("GET", "/books/v3/invoices/1", 404, json_h, b'{"code":"1002","message":"x","extra":1}')
    assert any("body.code" in p for p in bad) and any("extra" in p for p in bad)
    assert checker.check("PATCH", "/books/v3/invoices", 405, json_h, b"{}") == \
        ["PATCH /books/v3/invoices -> 405: PATCH /books/v3/invoices not described"]
    assert checker.check("GET", "/books/v3/nothing", 404, json_h, b"{}") == ["GET /books/v3/nothing -> 404: path not described"]
    rate = {**json_h, "X-Rate-Limit-Remaining": "-1"}
    assert "header X-Rate-Limit-Remaining='-1'" in checker.check(
        "GET", "/books/v3/invoices/1", 404, rate, b'{"code":1002,"message":"x"}')[0]


def test_token_endpoint_errors_under_200_are_described(zoho):
    checker = ResponseChecker(_description(zoho))
    r = zoho.session.post(f"{zoho.accounts_url('us')}/oauth/v2/token", data={"grant_type": "refresh_token"}, timeout=60)
    assert r.status_code == 200 and "error" in r.json()
    assert checker.check("POST", r.url, r.status_code, r.headers, r.content) == []
    r = zoho.admin.raw("POST", "clock", json={"nope": 1})
    assert r.status_code == 400 and checker.check("POST", r.url, 400, r.headers, r.content) == []
