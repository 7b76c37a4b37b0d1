"""Bad input to every portal endpoint (seeded fuzz, 1,500 requests): never a 500; under /api always a
4xx JSON ``{"error", "field"}``; and a refused write leaves the store as it was."""
from __future__ import annotations

import json
import random
import string
from urllib.parse import quote

import pytest

from harness.clock import ManualClock
from harness.connector import ZohoEndpoints
from harness.portal import Platform

SEED = 20261201
REQUESTS = 1500
CLIENT_ID = "1000.ABCDEFGHIJKLMNOPQRSTUVWXYZ0123"
SECRET = "0123456789abcdef0123456789abcdef0123456789"

ENDPOINTS = [
    ("GET", "/api/health"), ("GET", "/api/settings"), ("PATCH", "/api/settings"),
    ("GET", "/api/integrations"), ("GET", "/api/integrations/zoho-books"), ("PUT", "/api/integrations/zoho-books"),
    ("POST", "/api/integrations/zoho-books"), ("POST", "/api/integrations/zoho-books/{action}"),
    ("POST", "/api/companies"), ("GET", "/api/companies"), ("GET", "/api/companies/{company}"),
    ("DELETE", "/api/companies/{company}"), ("POST", "/api/companies/{company}/link-url"),
    ("GET", "/api/companies/{company}/connections"), ("POST", "/api/companies/{company}/connections"),
    ("GET", "/api/companies/{company}/connections/{connection}"),
    ("PATCH", "/api/companies/{company}/connections/{connection}"),
    ("DELETE", "/api/companies/{company}/connections/{connection}"),
    ("POST", "/api/companies/{company}/connections/{connection}/link-url"),
    ("POST", "/api/companies/{company}/data/all"), ("POST", "/api/companies/{company}/data/queue/{dataType}"),
    ("GET", "/api/companies/{company}/dataStatus"), ("GET", "/api/companies/{company}/datasets"),
    ("GET", "/api/companies/{company}/datasets/{junk}"), ("GET", "/api/companies/{company}/data/{dataType}"),
    ("POST", "/api/sync/resume-due"), ("GET", "/api/events"), ("GET", "/api/webhooks/deliveries"),
    ("POST", "/api/webhooks/deliver-due"), ("GET", "/api/{junk}"), ("DELETE", "/api/events"),
    # pages and the Link journey
    ("GET", "/settings"), ("POST", "/settings"), ("POST", "/settings/enable"), ("GET", "/companies"),
    ("POST", "/companies"), ("GET", "/companies/{company}"), ("POST", "/companies/{company}/link-url"),
    ("GET", "/companies/{company}/connections/{connection}"),
    ("POST", "/companies/{company}/connections/{connection}/{action}"),
    ("GET", "/link/company/{company}"), ("POST", "/link/company/{company}/choose"),
    ("GET", "/link/companies/{company}/connections/{connection}/start"), ("POST", "/link/pick"),
    ("GET", "/oauth/callback"), ("GET", "/link/result"), ("GET", "/{junk}"),
]
FIELDS = ["name", "description", "redirect_url", "organization_id", "client_id", "client_secret", "enable",
          "data_types", "complete_datasets", "editions", "status", "platformKey", "link.otp_ttl_s",
          "portal.key_whitespace", "portal.webhook_url", "link.org_selection", "sync.max_retries",
          "sync.complete_datasets", "choice", "platform", "pick", "otp", "state", "code", "error"]
QUERY = ["wait", "raw", "since", "limit", "page", "pageSize", "companyId", "otp", "platform", "state", "code",
         "accounts-server", "location", "error", "statusCode", "connectionId"]


def _junk(rng: random.Random) -> str:
    pools = [string.ascii_letters, string.digits, string.punctuation, " \t\n", "éß漢字🙂\u202e\x00\x7f", "../%2e%00"]
    return "".join(rng.choice(rng.choice(pools)) for _ in range(rng.choice([0, 1, 3, 12, 40, 300])))


def _value(rng: random.Random, depth: int = 0):
    makers = [lambda: None, lambda: True, lambda: rng.randint(-10**12, 10**12), lambda: rng.random() * 1e6,
              lambda: _junk(rng),
              lambda: rng.choice(["now", "later", "Unlinked", "rwuv", "us", "uk", "invoices", CLIENT_ID, SECRET, "",
                                  "reject"]),
              lambda: rng.choice([0, -1, 1, 86400, 2**63]),
              lambda: [rng.choice(["invoices", "bills", "nope", "uk", "us", "mars"]) for _ in range(rng.randrange(4))],
              lambda: [_value(rng, depth + 1) for _ in range(rng.randrange(4))],
              lambda: {rng.choice(FIELDS + [_junk(rng)]): _value(rng, depth + 1) for _ in range(rng.randrange(4))}]
    return makers[rng.randrange(len(makers) if depth < 2 else 8)]()


def _body(rng: random.Random) -> dict:
    kind = rng.randrange(6)
    if kind == 0:
        return {}
    if kind == 1:
        return {"data": rng.choice([b"{", b"[]", b"null", b"\xff\xfe", b'{"name": }', b"42", b'"x"']),
                "content_type": "application/json"}
    if kind == 2:
        return {"data": {rng.choice(FIELDS): _junk(rng) for _ in range(rng.randrange(5))}}  # a form post
    if kind == 3:
        return {"json": _value(rng)}
    return {"json": {rng.choice(FIELDS): _value(rng) for _ in range(rng.randrange(1, 5))}}


@pytest.fixture(scope="module")
def world():
    platform = Platform(ZohoEndpoints("http://127.0.0.1:9"), clock=ManualClock())
    api = platform.app.test_client()
    assert api.put("/api/integrations/zoho-books", json={"client_id": CLIENT_ID, "client_secret": SECRET,
                                                         "enable": "now"}).status_code == 200
    company = api.post("/api/companies", json={"name": "Fuzz Target", "redirect_url": "https://c.example/x"}).json
    connection = api.post(f"/api/companies/{company['id']}/connections", json={"platformKey": "rwuv"}).json
    yield platform, api, company, connection
    platform.close()


def test_fuzzed_requests_get_4xx_json_errors_and_never_a_500(world):
    platform, api, company, connection = world
    rng = random.Random(SEED)
    seen: dict[int, int] = {}
    for i in range(REQUESTS):
        method, template = rng.choice(ENDPOINTS)
        seg = lambda: quote(_junk(rng), safe="") or "x"  # noqa: E731 (a junk path segment, as a client would send it)
        keep = method != "DELETE" and rng.random() < 0.75  # real ids mostly (deeper code), never deleted
        pick = lambda real: real if keep else seg()  # noqa: E731
        path = template.format(company=pick(company["id"]), connection=pick(connection["id"]),
                               action=rng.choice(["enable", "disable", "unlink", "delete", "link-url", "zap"]),
                               dataType=rng.choice(["invoices", "bills", "nope", seg()]), junk=seg())
        query = {rng.choice(QUERY): _junk(rng) if rng.random() < 0.7 else rng.choice(["true", "1", "0", "-5", ""])
                 for _ in range(rng.randrange(3))}
        r = api.open(path, method=method, query_string=query, **_body(rng))
        seen[r.status_code] = seen.get(r.status_code, 0) + 1
        assert r.status_code < 500, f"request {i}: {method} {path} {query} -> {r.status_code} {r.get_data()[:300]!r}"
        if path.startswith("/api/") and r.status_code >= 400:
            body = r.get_json(silent=True)
            assert isinstance(body, dict) and body.get("error") and body.get("field"), (
                f"request {i}: {method} {path} -> {r.status_code} {r.get_data()[:300]!r}")
            assert SECRET not in json.dumps(body)
    assert sum(seen.values()) == REQUESTS
    assert sum(n for code, n in seen.items() if 400 <= code < 500) > REQUESTS // 3  # mostly refused, as meant


def test_refused_writes_change_nothing(world):
    platform, api, company, _ = world
    before = api.get("/api/companies").json, api.get("/api/integrations/zoho-books").json
    for body in ({"name": ""}, {"name": "X", "redirect_url": "ftp://nope"}, {"name": "X", "organization_id": "abc"},
                 {"name": "X", "extra": 1}, {"name": ["X"]}):
        r = api.post("/api/companies", json=body)
        assert r.status_code == 400 and r.json["field"] in ("name", "redirect_url", "organization_id", "extra")
    for body in ({"client_id": CLIENT_ID, "client_secret": SECRET + " "}, {"editions": []},
                 {"client_id": "1000.ok0123456789", "data_types": ["nope"]}):
        assert api.put("/api/integrations/zoho-books", json=body).status_code == 400
    assert (api.get("/api/companies").json, api.get("/api/integrations/zoho-books").json) == before
