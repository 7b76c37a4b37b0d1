"""In-process mode as users meet it: the README example, the decorator, passthrough, clean exit."""
from __future__ import annotations

import asyncio

import httpx
import requests

from mock_zoho import Emulator
from mock_zoho.inprocess import serve
from mock_zoho.serving.werkzeug import start_in_thread


def test_readme_example():
    with serve(Emulator()) as zoho:  # Zoho's real hostnames are answered in-process
        body = requests.get("https://accounts.zoho.com/oauth/serverinfo").json()
    assert body["result"] == "success"
    assert body["locations"]["eu"] == "https://accounts.zoho.eu"  # URLs point back at Zoho's names
    assert zoho.emulator.journal.query({"host": "accounts.zoho.com"})[0]["path"] == "/oauth/serverinfo"


def test_decorator_form_and_a_fresh_emulator_each_time():
    emulator = Emulator(demo=False)

    @serve(emulator)
    def call() -> int:
        return requests.get("https://www.zohoapis.eu/books/v3/organizations").status_code

    assert call() == 401  # no token: Zoho's 401, served by this emulator
    assert len(emulator.journal) == 1 and emulator.journal.query()[0]["dc"] == "eu"


def test_other_hosts_pass_through_untouched():
    other = start_in_thread(Emulator(demo=False))  # a real server on 127.0.0.1: not a Zoho host
    try:
        inside = Emulator(demo=False)
        with serve(inside):
            r = requests.get(f"{other.url}/__admin/health")
            assert r.status_code == 200
            assert httpx.get(f"{other.url}/__admin/health").status_code == 200
        assert len(inside.journal) == 0  # the in-process emulator never saw that traffic
    finally:
        other.stop()


def test_httpx_sync_and_async_are_served_and_restored_on_exit():
    original_sync = httpx.HTTPTransport.handle_request
    original_async = httpx.AsyncHTTPTransport.handle_async_request
    with serve(Emulator(demo=False)):
        assert httpx.get("https://accounts.zoho.in/oauth/serverinfo").json()["result"] == "success"

        async def fetch() -> int:
            async with httpx.AsyncClient() as client:
                return (await client.get("https://accounts.zoho.jp/oauth/serverinfo")).status_code

        assert asyncio.run(fetch()) == 200
    assert httpx.HTTPTransport.handle_request is original_sync
    assert httpx.AsyncHTTPTransport.handle_async_request is original_async
