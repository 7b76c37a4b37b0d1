"""Events: Codat's envelope, stored in order, delivered to a webhook with retries and backoff on the
platform's clock, each with an id (body and ``X-Event-Id``) so a receiver can drop duplicates."""
from __future__ import annotations

import json
import threading

import pytest
from flask import Flask, request
from werkzeug.serving import make_server

from harness.clock import ManualClock
from harness.connector import ZohoEndpoints
from harness.portal import Platform, serve


class Receiver:
    """A webhook receiver on a free port that fails its first ``failures`` deliveries with a 503."""

    def __init__(self, failures: int = 0) -> None:
        self.failures, self.received, self.ids = failures, [], []
        self.arrived = threading.Event()
        app = Flask("receiver")

        @app.post("/hook")
        def hook():  # type: ignore[no-untyped-def]
            self.ids.append(request.headers.get("X-Event-Id"))
            if self.failures > 0:
                self.failures -= 1
                return "busy", 503
            self.received.append(json.loads(request.get_data()))
            self.arrived.set()
            return "", 204

        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}/hook"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def receiver():
    r = Receiver(failures=2)
    yield r
    r.close()


def test_envelope_order_and_since():
    platform = Platform(ZohoEndpoints("http://127.0.0.1:9"), clock=ManualClock())
    api = platform.app.test_client()
    first = api.post("/api/companies", json={"name": "One", "description": "first"}).json
    api.post("/api/companies", json={"name": "Two"})
    events = api.get("/api/events").json["results"]
    assert [e["eventType"] for e in events] == ["company.created", "company.created"]
    event = events[0]
    assert set(event) == {"id", "eventType", "generatedDate", "payload"}
    assert event["generatedDate"] == "2026-01-01T00:00:00.000Z"
    ref = event["payload"]["referenceCompany"]
    assert ref["id"] == first["id"] and ref["name"] == "One" and ref["links"]["portal"].endswith(first["id"])
    assert [e["id"] for e in api.get(f"/api/events?since={event['id']}").json["results"]] == [events[1]["id"]]
    assert api.get("/api/events?since=nope").json == {"error": "is not the id of a stored event", "field": "since"}


def test_delivery_retries_with_backoff_on_the_platform_clock(receiver):
    clock = ManualClock()
    platform = Platform(ZohoEndpoints("http://127.0.0.1:9"), clock=clock, settings={
        "portal.webhook_url": receiver.url, "portal.webhook_backoff_s": 30, "portal.webhook_max_attempts": 5})
    api = platform.app.test_client()
    api.post("/api/companies", json={"name": "Hooked"})
    assert platform.events.deliver_due() == 0                  # attempt 1: 503
    assert platform.events.deliver_due() == 0                  # not due yet: no attempt
    assert len(receiver.ids) == 1
    (delivery,) = api.get("/api/webhooks/deliveries").json["results"]
    assert delivery["attempts"] == 1 and delivery["status"] == "pending" and delivery["last_error"] == "HTTP 503"
    assert delivery["next_attempt_at"] == "2026-01-01T00:00:30.000Z"
    clock.advance(30)
    assert platform.events.deliver_due() == 0                  # attempt 2: 503; next in 60 s
    clock.advance(59)
    assert platform.events.deliver_due() == 0 and len(receiver.ids) == 2
    clock.advance(1)
    assert platform.events.deliver_due() == 1                  # attempt 3 delivered
    assert len(set(receiver.ids)) == 1                         # the same event id every time
    assert receiver.received[0]["id"] == receiver.ids[0]
    assert api.get("/api/webhooks/deliveries").json["results"][0]["status"] == "delivered"


def test_delivery_gives_up_after_max_attempts():
    dead = Receiver(failures=100)
    clock = ManualClock()
    platform = Platform(ZohoEndpoints("http://127.0.0.1:9"), clock=clock, settings={
        "portal.webhook_url": dead.url, "portal.webhook_backoff_s": 1, "portal.webhook_max_attempts": 3})
    platform.app.test_client().post("/api/companies", json={"name": "Unlucky"})
    for _ in range(5):
        platform.events.deliver_due()
        clock.advance(10)
    dead.close()
    assert len(dead.ids) == 3
    assert platform.events.deliveries()[0]["status"] == "failed"


def test_served_portal_delivers_in_the_background(receiver):
    receiver.failures = 0
    platform = Platform(ZohoEndpoints("http://127.0.0.1:9"), settings={"portal.webhook_url": receiver.url})
    with serve(platform) as portal:
        import requests

        requests.post(f"{portal.url}/api/companies", json={"name": "Background"})
        assert receiver.arrived.wait(10)
    assert receiver.received[0]["eventType"] == "company.created"
