"""List item versus detail object (reference §6.3): the detail carries every list key unless it is
list-only, plus its own, under the singular key; what the list lacks (lines, addresses) is there."""
from __future__ import annotations

import pytest

from .targets import list_key

# (list path, id field, detail key, detail-only fields a client relies on, list-only fields)
DETAILS = [
    ("/invoices", "invoice_id", "invoice", ("line_items", "billing_address", "shipping_address", "taxes"), ()),
    ("/bills", "bill_id", "bill", ("line_items", "taxes"), ()),
    ("/contacts", "contact_id", "contact", ("contact_persons", "billing_address", "shipping_address"),
     ("first_name", "last_name", "email", "phone", "mobile")),
    ("/items", "item_id", "item", (), ()),
]


def _first(zoho_api, path: str) -> dict:
    body = zoho_api.ok(path)
    items = body[list_key(body)]
    if not items:
        pytest.skip(f"no records at {path} in this organisation")
    return items[0]


@pytest.mark.parametrize("path,id_field,key,detail_only,list_only", DETAILS, ids=[d[0][1:] for d in DETAILS])
def test_detail_extends_the_list_item(zoho_api, path, id_field, key, detail_only, list_only):
    item = _first(zoho_api, path)
    body = zoho_api.ok(f"{path}/{item[id_field]}")
    assert body["code"] == 0 and body["message"] == "success" and "page_context" not in body
    detail = body[key]
    assert detail[id_field] == item[id_field]
    missing = sorted(set(item) - set(detail) - set(list_only))
    assert not missing, f"{key} detail lacks list keys {missing}"
    assert not [f for f in detail_only if f in item], "the list carries detail-only fields"
    assert all(f in detail for f in detail_only), [f for f in detail_only if f not in detail]
    assert not [f for f in list_only if f in detail], f"{key} detail carries list-only fields"


def test_organization_detail_adds_address_and_formats(zoho_api):
    body = zoho_api.ok(f"/organizations/{zoho_api.organization_id}")
    org = body["organization"]
    assert org["organization_id"] == zoho_api.organization_id
    assert {"date_format", "address"} <= set(org)
    assert isinstance(org["fiscal_year_start_month"], (str, int))
