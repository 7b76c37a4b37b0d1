"""Seeded fuzzing of every route family: no 500, no empty answer, no HTML or traceback on the API
routes, and a refused Books write leaves the store as it was (issue 9).

The generator is deterministic (``random.Random(SEED)``): a failure names the request that broke an
invariant, and the same run reproduces it. ``CORPUS`` holds every case the probe of issue 9 found,
each asserted on its own (a shaped 4xx, the store unchanged).
"""
from __future__ import annotations

import json
import random
from typing import Any, Iterator

import orjson
import pytest

from mock_zoho import Emulator, testing
from mock_zoho.config import DEFAULTS
from mock_zoho.books.resources import SPECS
from mock_zoho.books.rules import LINE_SCHEMA

SEED = 20261201
N_REQUESTS = 10_000
BOOKS = "/books/v3"
HOST = {"Host": "www.zohoapis.com"}
ACCOUNTS = {"Host": "accounts.zoho.com"}
ADMIN_HEADERS = {"Content-Type": "application/json"}

# Values at and past every bound a JSON number, string or date can reach.
EDGE_VALUES: tuple[Any, ...] = (
    None, "", " ", "abc", "0", "-1", "1e400", "NaN", "12.5%", "1e200%", "-5%", True, False, [], {}, {"a": 1}, [1],
    0, -1, 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 1, 2 ** 63, -(2 ** 63), 2 ** 64, 10 ** 40, 0.5, -0.01,
    1e15, 1e200, -1e200, 1e308, -1e308, 5e-324, "9999-12-31", "0001-01-01", "2024-02-30", "2024-01-01",
    "2024-01-01T00:00:00", "x" * 5000, "\x00", "💥", "1" * 40,
)
FUZZED_SETTINGS = ("oauth.access_token_ttl_s", "journal.max_entries", "limits.per_minute", "server.time_scale",
                   "books.max_body_bytes", "oauth.max_param_length")
ADMIN_NUMBERS: tuple[Any, ...] = (1e308, -1e308, 1e20, -1e20, 5e-324, 0, -1, 2 ** 64, "1", None, [], 1e30, 3.5)


def _pick(rng: random.Random) -> Any:
    return rng.choice(EDGE_VALUES)


class World:
    """One emulator reached through its WSGI app (the stack every server serves), with an org of
    each record kind and a full-access token."""

    def __init__(self) -> None:
        self.emu = Emulator({"limits.enabled": False, "journal.max_entries": 200}, demo=False, seed=7)
        self.client = self.emu.app().test_client()
        with testing.inprocess(self.emu) as zoho:
            user = zoho.admin.create_user("fuzz@example.com")
            org = zoho.admin.create_org("Fuzz Ltd", users=[user], counts={
                "contacts": 4, "items": 3, "invoices": 3, "bills": 2, "creditnotes": 1, "customerpayments": 1,
                "vendorpayments": 1, "journals": 1, "estimates": 1, "salesorders": 1, "purchaseorders": 1})
            self.token = zoho.token(user).access_token
        self.org_id = org["organization_id"]
        self.clock_state = self.emu.clock.to_state()
        self.auth = {**HOST, "Authorization": f"Zoho-oauthtoken {self.token}",
                     "X-com-zoho-books-organizationid": self.org_id}

    def restore(self) -> None:
        """Undo what an admin call may have changed of the clock and settings (the token must live)."""
        self.emu.clock.load_state(self.clock_state)
        self.emu.config.update({k: DEFAULTS[k].default for k in FUZZED_SETTINGS} | {"limits.enabled": False})

    def ids(self, resource: str) -> list[str]:
        spec = SPECS[resource]
        return [r[spec.id_field] for r in self.emu.books.records(self.org_id, resource)][:3] or ["1"]

    def books(self, method: str, path: str, body: Any = None, query: dict[str, Any] | None = None):
        data = None if body is None else orjson.dumps(body, option=orjson.OPT_PASSTHROUGH_SUBCLASS) \
            if not isinstance(body, (bytes, str)) else body
        return self.client.open(BOOKS + path, method=method, data=data, query_string=query or {}, headers=self.auth)

    def snapshot(self) -> dict[str, Any]:
        """Every Books record of the org, serialised: what a refused write must leave unchanged."""
        store = self.emu.store
        return {ns: sorted(json.dumps(d, sort_keys=True, default=repr) for d in store.values(ns))
                for ns in store.namespaces(f"books:{self.org_id}:")}


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    yield World()


def _json(body: Any) -> bytes:
    """JSON with integers past 64 bits (orjson refuses them): the stdlib writes any int."""
    return json.dumps(body).encode()


def check_answer(resp, what: str, *, api: bool = True) -> None:
    body = resp.get_data()
    assert resp.status_code < 500, f"{what} -> {resp.status_code} {body[:300]!r}"
    assert body, f"{what} -> empty body ({resp.status_code})"
    assert b"Traceback" not in body, f"{what} -> traceback"
    if api:
        assert resp.content_type.startswith("application/json"), f"{what} -> {resp.content_type} {body[:200]!r}"
        orjson.loads(body)


# ---- the generator ------------------------------------------------------------------------------
WRITABLE = sorted(name for name, spec in SPECS.items() if spec.rules is not None and "create" in spec.writable
                  and not spec.parent)


def _body(rng: random.Random, world: World, resource: str) -> dict[str, Any]:
    schema = dict(SPECS[resource].rules.schema)
    body: dict[str, Any] = {}
    for name in rng.sample(sorted(schema), k=min(len(schema), rng.randint(1, 5))):
        body[name] = _pick(rng)
    party = {"invoices": "customer_id", "creditnotes": "customer_id", "estimates": "customer_id",
             "salesorders": "customer_id", "customerpayments": "customer_id", "bills": "vendor_id",
             "purchaseorders": "vendor_id", "vendorcredits": "vendor_id", "vendorpayments": "vendor_id"}.get(resource)
    if party and rng.random() < 0.8:
        contacts = world.emu.books.records(world.org_id, "contacts")
        body[party] = rng.choice(contacts)["contact_id"] if contacts else "1"
    if "line_items" in schema and rng.random() < 0.8:
        line = {"name": "Fuzz", "rate": 10, "quantity": 1}
        for name in rng.sample(sorted(LINE_SCHEMA), k=rng.randint(0, 3)):
            line[name] = _pick(rng)
        body["line_items"] = [line]
    if resource == "contacts" and rng.random() < 0.7:
        body["contact_name"] = f"fuzz {rng.randrange(10 ** 9)}"
    if resource == "items" and rng.random() < 0.7:
        body.setdefault("name", f"item {rng.randrange(10 ** 9)}")
        body.setdefault("rate", 5)
    if resource == "bills" and rng.random() < 0.7:
        body["bill_number"] = f"B-{rng.randrange(10 ** 9)}"
    return body


def _nested_request(rng: random.Random, world: World) -> tuple[str, str, Any, dict[str, Any]]:
    """Contact persons (embedded in a contact) and invoice status actions."""
    contact = rng.choice(world.ids("contacts"))
    persons = [p["contact_person_id"] for p in (world.emu.books.get_record(world.org_id, "contacts", contact) or {})
               .get("contact_persons") or []] or ["1"]
    schema = sorted(SPECS["contactpersons"].rules.schema)
    body = {name: _pick(rng) for name in rng.sample(schema, k=rng.randint(1, 4))}
    if rng.random() < 0.6:
        body["first_name"] = f"p{rng.randrange(1000)}"
    return rng.choice((
        ("POST", f"/contacts/{contact}/contactpersons", body, {}),
        ("PUT", f"/contacts/{contact}/contactpersons/{rng.choice(persons)}", body, {}),
        ("DELETE", f"/contacts/{contact}/contactpersons/{rng.choice(persons)}", None, {}),
        ("POST", f"/invoices/{rng.choice(world.ids('invoices'))}/status/{rng.choice(('sent', 'void', 'draft', 'x'))}",
         None, {}),
    ))


def _books_request(rng: random.Random, world: World) -> tuple[str, str, Any, dict[str, Any]]:
    if rng.random() < 0.08:
        return _nested_request(rng, world)
    resource = rng.choice(WRITABLE)
    path = "/" + SPECS[resource].path
    roll = rng.random()
    if roll < 0.45:
        return "POST", path, _body(rng, world, resource), {}
    if roll < 0.75:
        return "PUT", f"{path}/{rng.choice(world.ids(resource))}", _body(rng, world, resource), {}
    if roll < 0.8:
        return "DELETE", f"{path}/{rng.choice(world.ids(resource))}", None, {}
    if roll < 0.9:
        spec = SPECS[resource]
        params = {rng.choice(("page", "per_page", "sort_column", "sort_order", "search_text", "date_start",
                              *spec.list_fields[:5])): _pick(rng) for _ in range(rng.randint(1, 3))}
        params = {k: ("" if v is None else str(v)) for k, v in params.items()}
        return "GET", path, None, params
    raw = rng.choice((b"{", b"[]", b"null", b"\xff\xfe", b'{"a":' * 50, b"1e999", b'"x"'))
    return rng.choice(("POST", "PUT")), path + ("" if rng.random() < 0.5 else f"/{rng.choice(world.ids(resource))}"), \
        raw, {}


def _admin_request(rng: random.Random, world: World) -> tuple[str, str, Any]:
    n = rng.choice(ADMIN_NUMBERS)
    return rng.choice((
        ("POST", "/__admin/clock", {rng.choice(("set", "advance", "scale")): n}),
        ("PATCH", "/__admin/config", {rng.choice(FUZZED_SETTINGS): n}),
        ("POST", "/__admin/organizations", {"organization_id": rng.choice(("0" * 40, "1" * 19, "-1", "abc", n)),
                                            "name": "x"}),
        ("GET", f"/__admin/requests?limit={rng.choice(('1', '-1', '1e9', 'x', '99999999999999999999'))}", None),
        ("PATCH", f"/__admin/limits/{world.org_id}", {rng.choice(("per_minute", "daily", "concurrency")): n}),
        ("POST", "/__admin/faults", {"action": "error", "status": n, "path": "/nowhere"}),
    ))


def _accounts_request(rng: random.Random) -> tuple[str, str, dict[str, str]]:
    junk = lambda: str(_pick(rng))[:200]  # noqa: E731
    return rng.choice((
        ("POST", "/oauth/v2/token", {"grant_type": rng.choice(("authorization_code", "refresh_token",
                                                               "client_credentials", junk())),
                                     "client_id": junk(), "client_secret": junk(), "code": junk(), "soid": junk()}),
        ("POST", "/oauth/v2/token/revoke", {"token": junk()}),
        ("GET", "/oauth/v2/auth", {"client_id": junk(), "scope": junk(), "response_type": "code",
                                   "redirect_uri": junk()}),
    ))


def test_fuzz_every_route_family(world: World) -> None:
    """10,000 seeded requests: Books writes, reads and broken bodies, admin numbers, OAuth junk."""
    rng = random.Random(SEED)
    refused_unchanged = 0
    failures: dict[str, str] = {}  # one example per kind of failure, so a run reports them all
    for i in range(N_REQUESTS):
        try:
            refused_unchanged += _one_request(rng, world, i)
        except AssertionError as exc:
            text = str(exc).split("\n")[0]
            failures.setdefault(text.split(" ", 3)[2] + text[-60:], text)
    assert not failures, f"{len(failures)} kinds of failure:\n" + "\n".join(list(failures.values())[:40])
    assert refused_unchanged > 1000  # the run exercised the rollback, not just the happy path


def _one_request(rng: random.Random, world: World, i: int) -> int:
    """One generated request and its invariants; 1 when it was a refused write (store checked)."""
    if True:
        roll = rng.random()
        if roll < 0.8:
            method, path, body, query = _books_request(rng, world)
            write = method in ("POST", "PUT", "DELETE")
            generation = world.emu.store.generation()
            before = world.snapshot() if write and i % 20 == 0 else None
            data = body if isinstance(body, (bytes, type(None))) else _json(body)
            resp = world.client.open(BOOKS + path, method=method, data=data, query_string=query,
                                     headers=world.auth)
            what = f"#{i} {method} {path} {data[:300] if data else ''!r} {query}"
            check_answer(resp, what)
            if write and resp.status_code >= 400:
                assert world.emu.store.generation() == generation, f"{what} answered {resp.status_code} but wrote"
                assert before is None or world.snapshot() == before, f"{what} answered {resp.status_code} but changed the store"
                return 1
            if write and resp.status_code < 300 and rng.random() < 0.2:
                listed = "/" + path.split("/")[1]
                check_answer(world.books("GET", listed), f"list after {what}")
        elif roll < 0.9:
            method, path, body = _admin_request(rng, world)
            resp = world.client.open(path, method=method, data=None if body is None else _json(body),
                                     headers={**ADMIN_HEADERS, "Host": "localhost"})
            check_answer(resp, f"#{i} {method} {path} {body}")
            world.restore()
        else:
            method, path, form = _accounts_request(rng)
            resp = world.client.open(path, method=method, data=form if method == "POST" else None,
                                     query_string=form if method == "GET" else {}, headers=ACCOUNTS)
            check_answer(resp, f"#{i} {method} {path} {form}", api=path != "/oauth/v2/auth")
    return 0


# ---- the corpus: every case of issue 9, each a shaped 4xx with the store unchanged ----------------------
def _customer(world: World) -> str:
    return next(c["contact_id"] for c in world.emu.books.records(world.org_id, "contacts")
                if c.get("contact_type") == "customer")


def _line(**extra: Any) -> list[dict[str, Any]]:
    return [{"name": "Corpus", "rate": 10, "quantity": 1, **extra}]


BOOKS_CORPUS: list[tuple[str, Any, str]] = [  # (path, body builder(world), field named)
    ("POST /contacts", lambda w: {"contact_name": "poison", "payment_terms": -1e308}, "payment_terms"),
    ("POST /contacts", lambda w: {"contact_name": "poison2", "payment_terms": -2 ** 63}, "payment_terms"),
    ("POST /contacts", lambda w: {"contact_name": "poison3", "payment_terms": 2 ** 64}, "payment_terms"),
    *[("POST /invoices", (lambda f, v: lambda w: {"customer_id": _customer(w), "line_items": _line(**{f: v})})(f, v), f)
      for f in ("rate", "quantity") for v in (1e200, 1e308, -1e308)],
    ("POST /invoices", lambda w: {"customer_id": _customer(w), "line_items": _line(rate=2 ** 40, quantity=2 ** 20)},
     "line_items"),
    ("POST /invoices", lambda w: {"customer_id": _customer(w), "line_items": _line(item_order=1e200)}, "item_order"),
    ("POST /invoices", lambda w: {"customer_id": _customer(w), "line_items": _line(discount=1e200)}, "discount"),
    ("POST /invoices", lambda w: {"customer_id": _customer(w), "line_items": _line(discount="1e200%")}, "discount"),
    *[("POST /invoices", (lambda f, v: lambda w: {"customer_id": _customer(w), "line_items": _line(), f: v})(f, v), f)
      for f in ("discount", "shipping_charge", "adjustment") for v in (1e200, -1e200)],
    ("POST /invoices", lambda w: {"customer_id": _customer(w), "line_items": _line(), "payment_terms": -2 ** 63},
     "payment_terms"),
    ("POST /invoices", lambda w: {"customer_id": _customer(w), "line_items": _line(), "date": "9999-12-31",
                                  "payment_terms": 30}, "payment_terms"),
    ("PUT /invoices/{invoice}", lambda w: {"date": None}, "date"),
    ("PUT /invoices/{invoice}", lambda w: {"date": ""}, "date"),
]


@pytest.mark.parametrize("route,build,field", BOOKS_CORPUS, ids=[f"{r} {f} {i}" for i, (r, _, f) in enumerate(BOOKS_CORPUS)])
def test_corpus_books_write_refused_and_store_unchanged(world: World, route: str, build, field: str) -> None:
    method, path = route.split(" ")
    if "{invoice}" in path:  # a fresh one: the fuzz run sharing this world may have deleted the seeded ones
        made = world.books("POST", "/invoices", {"customer_id": _customer(world), "line_items": _line()})
        assert made.status_code == 201, made.get_data()
        path = path.replace("{invoice}", made.get_json()["invoice"]["invoice_id"])
    before = world.snapshot()
    resp = world.client.open(BOOKS + path, method=method, data=_json(build(world)), headers=world.auth)
    assert resp.status_code == 400, resp.get_data()
    assert resp.get_json() == {"code": 2, "message": f"Invalid value passed for {field}"}
    assert world.snapshot() == before
    check_answer(world.books("GET", "/contacts"), "list after the refusal")


def test_corpus_contact_null_billing_address_is_cleared(world: World) -> None:
    """A null address is an empty one (our choice): accepted, never a 500."""
    resp = world.books("POST", "/contacts", {"contact_name": "null address", "billing_address": None})
    assert resp.status_code == 201, resp.get_data()
    assert resp.get_json()["contact"]["billing_address"]["city"] == ""


def test_corpus_failed_write_leaves_the_name_free(world: World) -> None:
    """Issue 9 item 1: the refused contact is not stored, so the name stays free and the list answers."""
    assert world.books("POST", "/contacts", {"contact_name": "retry me", "payment_terms": -1e308}).status_code == 400
    assert world.books("GET", "/contacts").status_code == 200
    assert world.books("POST", "/contacts", {"contact_name": "retry me", "payment_terms": 30}).status_code == 201


ADMIN_CORPUS: list[tuple[str, str, dict[str, Any], str]] = [
    *[("POST", "/__admin/clock", {k: v}, k) for k, v in (("set", 1e308), ("set", 1e20), ("set", -1e308),
                                                          ("scale", 1e308), ("scale", 5e-324), ("advance", 1e308))],
    ("PATCH", "/__admin/config", {"oauth.access_token_ttl_s": 1e30}, "oauth.access_token_ttl_s"),
    ("PATCH", "/__admin/config", {"journal.max_entries": 1e30}, "journal.max_entries"),
    ("POST", "/__admin/organizations", {"name": "n", "user_ids": ["<user>"], "organization_id": "0" * 40},
     "organization_id"),
]


@pytest.mark.parametrize("method,path,body,field", ADMIN_CORPUS, ids=[f"{p} {f}" for _, p, _, f in ADMIN_CORPUS])
def test_corpus_admin_numbers_refused(world: World, method: str, path: str, body: dict[str, Any], field: str) -> None:
    user_id = next(iter(world.emu.books.get_org(world.org_id)["_members"]))
    body = json.loads(json.dumps(body).replace("<user>", user_id))
    clock, config = world.emu.clock.now(), world.emu.config.as_dict()
    resp = world.client.open(path, method=method, data=_json(body), headers={**ADMIN_HEADERS, "Host": "localhost"})
    assert resp.status_code == 400, resp.get_data()
    assert resp.get_json()["field"] == field
    assert abs(world.emu.clock.now() - clock) < 60 and world.emu.config.as_dict() == config


def test_corpus_query_page_past_64_bits(world: World) -> None:
    resp = world.books("GET", "/contacts", query={"page": "1" + "0" * 40})
    assert resp.status_code == 400 and resp.get_json() == {"code": 2, "message": "Invalid value passed for page"}


# ---- an exception at every step of every write rule leaves the store unchanged -----------------------
WRITES: list[tuple[str, str, Any]] = [
    ("POST", "/contacts", lambda w: {"contact_name": "step contact", "billing_address": {"city": "X"}}),
    ("PUT", "/contacts/{contacts}", lambda w: {"notes": "n", "payment_terms": 15}),
    ("POST", "/items", lambda w: {"name": "step item", "rate": 3}),
    ("POST", "/invoices", lambda w: {"customer_id": _customer(w), "line_items": _line()}),
    ("PUT", "/invoices/{invoices}", lambda w: {"line_items": _line(rate=7)}),
    ("DELETE", "/invoices/{invoices}", lambda w: None),
    ("POST", "/customerpayments", lambda w: _payment(w)),
    ("DELETE", "/customerpayments/{customerpayments}", lambda w: None),
    ("POST", "/invoices/{invoices}/status/void", lambda w: None),
    ("POST", "/contacts/{contacts}/contactpersons", lambda w: {"first_name": "Ada"}),
]


def _payment(world: World) -> dict[str, Any]:
    inv = next(i for i in world.emu.books.records(world.org_id, "invoices") if float(i.get("balance") or 0) > 1)
    return {"customer_id": inv["customer_id"], "amount": 1, "invoices": [{"invoice_id": inv["invoice_id"],
                                                                       "amount_applied": 1}]}


def _unpaid_invoice(world: World) -> str:
    return next(i["invoice_id"] for i in world.emu.books.records(world.org_id, "invoices")
                if not float(i.get("payment_made") or 0) and not float(i.get("credits_applied") or 0))


class Injected(Exception):
    """The failure planted at one step of a write."""


@pytest.mark.parametrize("method,path,build", WRITES, ids=[f"{m} {p}" for m, p, _ in WRITES])
def test_exception_at_each_step_leaves_store_unchanged(method: str, path: str, build,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the n-th read or write a handler makes of the records, for n = 1, 2, ... until the write
    succeeds: every failed attempt answers 500 and leaves the store byte-for-byte as it was."""
    world = World()
    backend = type(world.emu.books)
    steps = {"n": 0, "fail_at": 0}
    for name in ("get_record", "records", "put_record", "delete_record"):
        real = getattr(backend, name)

        def counted(self, *args, _real=real, **kwargs):
            steps["n"] += 1
            if steps["n"] == steps["fail_at"]:
                raise Injected(f"step {steps['n']}")
            return _real(self, *args, **kwargs)

        monkeypatch.setattr(backend, name, counted)
    for fail_at in range(1, 200):
        target = path.format(contacts=world.ids("contacts")[0], customerpayments=world.ids("customerpayments")[0],
                             invoices=_unpaid_invoice(world))
        body = build(world)
        before = world.snapshot()
        steps.update(n=0, fail_at=fail_at)
        resp = world.client.open(BOOKS + target, method=method, data=None if body is None else _json(body),
                                 headers=world.auth)
        if resp.status_code < 300:
            assert fail_at > 1  # at least one step was failed and rolled back
            return
        assert resp.status_code == 500, resp.get_data()
        assert world.snapshot() == before, f"failing step {fail_at} of {method} {path} changed the store"
    pytest.fail("the write never succeeded")
