"""Unmodified third-party clients against the emulator, in both modes: pyzohoapi and zohopy.

In-process mode needs no configuration beyond credentials and the data center: the clients call
Zoho's real hostnames (pyzohoapi through requests, zohopy through httpx) and the emulator answers.
In server mode each is pointed at the emulator's base URLs (pyzohoapi: its ``_endpoint`` and
``_oauth`` attributes; zohopy: a ZohoConfig whose two URL properties point at the emulator). Each
then lists, reads, creates, updates and deletes contacts and invoices, refreshing its own token.
"""
from __future__ import annotations

import asyncio

import pytest

from tests.books_helpers import get_grant, make_org, make_user


def _setup(zoho):
    user = make_user(zoho, "eu")
    org = make_org(zoho, [user], "uk")
    client, tokens = get_grant(zoho, user)
    return org["organization_id"], client, tokens


def test_pyzohoapi_crud(zoho):
    """In-process mode needs no patching at all (pyzohoapi uses requests on Zoho's real hosts)."""
    from pyzohoapi import ZohoBooks

    server = zoho
    org_id, client, tokens = _setup(server)
    api = ZohoBooks(org_id, region="eu", client_id=client["client_id"], client_secret=client["client_secret"],
                    refresh_token=tokens["refresh_token"], redirect_url="https://example.com/cb")
    if zoho.mode == "server":
        api._endpoint = server.books_url("eu")
        api._oauth = f"{server.accounts_url('eu')}/oauth/v2"
    contact = api.Contact()
    contact.contact_name = "Py Customer"
    contact = contact.Create()
    assert contact.ID and contact.contact_name == "Py Customer"
    invoice = api.Invoice()
    invoice.customer_id = contact.ID
    invoice.line_items = [{"name": "Consulting", "rate": 125, "quantity": 2}]
    invoice = invoice.Create()
    assert invoice.ID and invoice.total == 250 and invoice.invoice_number == "INV-000001"
    assert [c.contact_name for c in api.Contact()] == ["Py Customer"]
    assert [i.ID for i in api.Invoice()] == [invoice.ID]
    again = api.Invoice(invoice.ID)
    again.reference_number = "PO-7"
    again = again.Update()
    assert api.Invoice(invoice.ID).reference_number == "PO-7"
    assert api.Invoice(invoice.ID).Delete().IsDeleted
    assert api.Contact(contact.ID).Delete().IsDeleted
    assert list(api.Invoice()) == [] and list(api.Contact()) == []


def _zohopy_config(zoho, org_id, client, tokens):
    from zohopy import ZohoConfig

    accounts, api = zoho.accounts_url("eu"), zoho.api_url("eu")

    class EmulatorConfig(ZohoConfig):
        accounts_url = property(lambda self: accounts)  # type: ignore[assignment]
        base_api_url = property(lambda self: api)  # type: ignore[assignment]

    config_class = EmulatorConfig if zoho.mode == "server" else ZohoConfig
    return config_class(client_id=client["client_id"], client_secret=client["client_secret"],
                          refresh_token=tokens["refresh_token"], organization_id=org_id, data_center="eu",
                          max_retries=0)


def test_zohopy_sync_crud(zoho):
    server = zoho
    from zohopy import SyncZohoClient
    from zohopy.exceptions import ZohoNotFoundError
    from zohopy.products.books import ZohoBooks

    org_id, client, tokens = _setup(server)
    with SyncZohoClient(_zohopy_config(server, org_id, client, tokens)) as http:
        books = ZohoBooks(http)
        contact = books.contacts.create({"contact_name": "Zpy Customer"})["contact"]
        inv = books.invoices.create({"customer_id": contact["contact_id"],
                                     "line_items": [{"name": "Audit", "rate": 40, "quantity": 3}]})["invoice"]
        assert inv["total"] == 120
        assert [c["contact_name"] for c in books.contacts.list()["contacts"]] == ["Zpy Customer"]
        pages = list(books.invoices.list_all(per_page=1))
        assert [i["invoice_id"] for p in pages for i in p["invoices"]] == [inv["invoice_id"]]
        assert books.invoices.get(inv["invoice_id"])["invoice"]["invoice_number"] == inv["invoice_number"]
        updated = books.invoices.update(inv["invoice_id"], {"reference_number": "R-1"})["invoice"]
        assert updated["reference_number"] == "R-1"
        assert books.contacts.update(contact["contact_id"], {"website": "https://x.example"})["contact"]["website"] == "https://x.example"
        assert books.invoices.delete(inv["invoice_id"])["code"] == 0
        assert books.contacts.delete(contact["contact_id"])["code"] == 0
        with pytest.raises(ZohoNotFoundError):
            books.invoices.get(inv["invoice_id"])


def test_zohopy_async_list(zoho):
    server = zoho
    from zohopy import AsyncZohoClient
    from zohopy.products.books import AsyncZohoBooks

    org_id, client, tokens = _setup(server)

    async def run() -> list[str]:
        async with AsyncZohoClient(_zohopy_config(server, org_id, client, tokens)) as http:
            books = AsyncZohoBooks(http)
            await books.contacts.create({"contact_name": "Async Co"})
            return [c["contact_name"] for c in (await books.contacts.list())["contacts"]]

    assert asyncio.run(run()) == ["Async Co"]
