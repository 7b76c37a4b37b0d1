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


SECRET = "whsec_" + __import__("base64").b64encode(b"0123456789abcdef01234567").decode()


def test_deliveries_are_signed_as_codat_signs_them_and_a_standard_verifier_accepts_them():
    """With portal.webhook_secret set, each attempt carries Standard Webhooks headers (Codat's, via
    Svix); the reference verifier (the standardwebhooks package, as a receiver would use it) accepts
    the delivery, and refuses it under another secret or with a changed body."""
    from standardwebhooks import Webhook
    from standardwebhooks.webhooks import WebhookVerificationError

    seen: list[tuple[dict[str, str], bytes]] = []
    app = Flask("signed")

    @app.post("/hook")
    def hook():  # type: ignore[no-untyped-def]
        seen.append((dict(request.headers), request.get_data()))
        return "", 204

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        platform = Platform(ZohoEndpoints("http://127.0.0.1:9"), clock=ManualClock(), settings={
            "portal.webhook_url": f"http://127.0.0.1:{server.server_port}/hook", "portal.webhook_secret": SECRET})
        api = platform.app.test_client()
        api.post("/api/companies", json={"name": "Signed"})
        assert platform.events.deliver_due() == 1
    finally:
        server.shutdown()
        server.server_close()
    (headers, body), = seen
    event = Webhook(SECRET).verify(body, headers)
    assert event["eventType"] == "company.created" and headers["Webhook-Id"] == event["id"] == headers["X-Event-Id"]
    with pytest.raises(WebhookVerificationError):
        Webhook("whsec_" + __import__("base64").b64encode(b"another-secret-of-24-byte").decode()).verify(body, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(SECRET).verify(body.replace(b"Signed", b"Forged"), headers)
    assert api.get("/api/settings").json["settings"]["portal.webhook_secret"] == "(set)"  # never shown back


@pytest.mark.parametrize("value,fault", [("secret", "must start with whsec_"), ("whsec_???", "followed by base64"),
                                         ("whsec_c2hvcnQ=", "24 to 64 bytes")])
def test_a_malformed_webhook_secret_is_refused_naming_the_setting(value, fault):
    platform = Platform(ZohoEndpoints("http://127.0.0.1:9"), clock=ManualClock())
    r = platform.app.test_client().patch("/api/settings", json={"portal.webhook_secret": value})
    assert r.status_code == 400 and r.json["field"] == "portal.webhook_secret" and fault in r.json["error"]
    assert value not in r.get_data(as_text=True) or value == "secret"


def test_the_webhook_secret_is_sealed_at_rest_and_comes_back_after_a_restart(tmp_path):
    db = str(tmp_path / "portal.sqlite3")
    first = Platform(ZohoEndpoints("http://127.0.0.1:9"), clock=ManualClock(), db=db)
    assert first.app.test_client().patch("/api/settings", json={"portal.webhook_secret": SECRET}).status_code == 200
    first.close()
    kept = b"".join(f.read_bytes() for f in tmp_path.iterdir())  # the database, its WAL and key files
    assert b"platform_settings" in kept and SECRET[6:].encode() not in kept
    again = Platform(ZohoEndpoints("http://127.0.0.1:9"), clock=ManualClock(), db=db)
    assert again.settings["portal.webhook_secret"] == SECRET
    again.close()


def test_unsigned_deliveries_carry_no_signature_headers(receiver):
    receiver.failures = 0
    platform = Platform(ZohoEndpoints("http://127.0.0.1:9"), clock=ManualClock(),
                        settings={"portal.webhook_url": receiver.url})
    platform.app.test_client().post("/api/companies", json={"name": "Plain"})
    assert platform.events.deliver_due() == 1
    assert receiver.received[0]["eventType"] == "company.created"
