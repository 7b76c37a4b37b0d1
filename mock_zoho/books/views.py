"""The Books API v3 gateway: one route table, one pipeline, generic handlers driven by ResourceSpec.

Every request: match the path (404 code 5 / 405 code 37) -> authenticate the token for this DC
(401 code 57) -> pick the organisation (query, header, default; 6041 when foreign) -> admit it
against the per-org limits -> check the scope -> run the generic handler. Errors leave in Zoho's
``{"code","message"}`` envelope with the rate headers of the admission, never as HTML or a 500.
"""
from __future__ import annotations

import copy
import hashlib
import re
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterator, Mapping

import orjson
from flask import Blueprint, Response, g, request

from .. import literals as L
from ..accounts.models import AccessGrant
from ..context import ENV_DELAY, current_dc, emulator, host_kind
from ..dc import DATA_CENTERS
from ..errors import BooksError, InvalidInput, invalid_value
from ..http import dumps, json_response, raw_json_response
from ..limits.models import Admission
from .models import BooksBackend, not_found
from .query import PER_PAGE_DEFAULT, Query, parse_timestamp, record_epoch
from .refund_rows import REFUND_ROWS
from .replay import is_verify_render
from .facets import FACET_HANDLERS, detail_answer, detail_facets, facet_routes
from .fields import TEMPLATE_NAME
from .resources import (BILLS_CREDITED, CONTACT_PERSON_DETAIL, CONTACT_PERSON_LIST, EXCHANGE_RATE_FIELDS,
                        PATH_ALIASES, SPECS, TAG_OPTION_FIELDS, UPSERT_RESOURCES, ResourceSpec, default_for)
from .dates import parse_date
from .editions import EDITIONS
from .rules import (ZONE_ABBREVIATIONS, EXCHANGE_RATE_MESSAGES, Transition, WriteContext, check, exchange_rate_row, normalise_person,
                    refresh_current_rate, sync_primary)
from .recurrence import catch_up
from .module_views import GenericOps, ModuleHandlers, module_routes
from .module_employees import EMPLOYEE_DELETE_PATH
from .receivables import unused_retainer_payments
from .order_actions import invoice_body_from_orders, order_ids, sales_order_links

blueprint = Blueprint("books", __name__)
METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]
ID = "{id}"
OPS = {"GET": "READ", "POST": "CREATE", "PUT": "UPDATE", "DELETE": "DELETE"}


# ---- the route table ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Route:
    pattern: tuple[str, ...]
    spec: ResourceSpec
    handlers: Mapping[str, str]  # HTTP method -> handler name
    ops: Mapping[str, str] = field(default_factory=dict)  # method -> scope op when not OPS[method]
    org_free: bool = False  # GET /organizations needs no org and is charged to none
    reserved: Mapping[int, frozenset[str]] = field(default_factory=dict)  # {id} position -> words it never takes
    success: Mapping[str, int] = field(default_factory=dict)  # method -> status of its success when not 201/200 by op
    scope: str = ""  # the scope module when not the resource's (/invoices/expenses/{id}/receipt: invoices)


def _routes() -> list[Route]:
    s = SPECS
    routes = [
        Route(("organizations",), s["organizations"], {"GET": "orgs_list", "POST": "org_create"}, org_free=True),
        Route(("organizations", ID), s["organizations"], {"GET": "org_detail", "PUT": "org_update"}),
        Route(("users", "me"), s["users"], {"GET": "user_me"}),
        Route(("chartofaccounts", "transactions"), s["accounttransactions"], {"GET": "list"}),
        Route(("contacts", ID, "contactpersons"), s["contactpersons"], {"GET": "person_list", "POST": "person_create"},
              ops={"POST": "CREATE"}),
        Route(("contacts", ID, "contactpersons", ID), s["contactpersons"],
              {"GET": "person_detail", "PUT": "person_update", "DELETE": "person_delete"}),
        # contact-persons.yml's own paths: the contact named in the body (create) or found by the person's id
        Route(("contacts", "contactpersons"), s["contactpersons"], {"POST": "person_create_top"}),
        Route(("contacts", "contactpersons", ID), s["contactpersons"],
              {"PUT": "person_update_top", "DELETE": "person_delete_top"}),
        Route(("contacts", "contactpersons", ID, "primary"), s["contactpersons"], {"POST": "person_primary"},
              ops={"POST": "UPDATE"}),
        Route(("settings", "currencies", ID, "exchangerates"), s["currencies"],
              {"GET": "exchange_rates", "POST": "exchange_rate_create"}),
        Route(("settings", "currencies", ID, "exchangerates", ID), s["currencies"],
              {"GET": "exchange_rate_detail", "PUT": "exchange_rate_update", "DELETE": "exchange_rate_delete"}),
        Route(("reportingtags", ID, "options", "all"), s["reportingtags"], {"GET": "tag_options"}),
        Route(("settings", "tags", ID, "options", "all"), s["reportingtags"], {"GET": "tag_options"}),
        Route(("vendorcredits", ID, "bills"), s["vendorcredits"], {"GET": "bills_credited"}),
        Route(("itemdetails",), s["items"], {"GET": "item_details"}),
        Route(("invoices", ID, "payments"), s["invoices"], {"GET": "invoice_payments"}),
        Route(("contacts", ID, "refunds"), s["contacts"], {"GET": "contact_refunds"}),
        Route(("bills", "editpage", "frompurchaseorders"), s["bills"], {"GET": "bill_from_orders"}),
        Route(("share", "paymentlink"), s["invoices"], {"GET": "payment_link"}, ops={"GET": "ALL"}, scope="settings"),
        Route(("contacts", ID, "receivables", "unusedretainerpayments"), s["contacts"],
              {"GET": "unused_retainer_payments"}),
        Route(("invoices", "fromsalesorder"), s["invoices"], {"POST": "invoice_from_salesorders"}),
    ]

    for spec in s.values():
        if spec.parent or spec.name == "organizations":
            continue
        paths = [spec.path] + [alias for alias, target in PATH_ALIASES.items() if target == spec.path]
        for path in paths:
            segs = tuple(path.split("/"))
            coll = {"GET": "list"}
            one = {"GET": "detail"} if spec.name not in ("reportingtags", "accounttransactions") else {}
            if "create" in spec.writable:
                coll["POST"] = "create"
            if "update" in spec.writable:
                one["PUT"] = "update"
            if "delete" in spec.writable:
                one["DELETE"] = "delete"
            if "templates" in spec.fixed_paths:
                routes.append(Route(segs + ("templates",), spec, {"GET": "templates"}))
            if spec.refunds_key:
                routes.append(Route(segs + ("refunds",), spec, {"GET": "refunds"}))
            if spec.rules is not None and spec.rules.status_actions:
                # Zoho's documents ask the module's CREATE scope for status actions, as for any POST
                routes.append(Route(segs + (ID, "status", "{action}"), spec, {"POST": "status_action"}))
            routes.append(Route(segs, spec, coll))
            if one:
                routes.append(Route(segs + (ID,), spec, one))
    # the facets (email, approval, toggles...: one implementation each) before the write rules' other record
    # actions: where both serve a path, the facet answers
    routes += [Route(pattern, s[name], handlers, success=statuses)
               for pattern, name, handlers, statuses in facet_routes(s)]
    routes += _record_action_routes()
    module = module_routes(Route, ID)  # the modules of issue 16: after the generic ones (the common paths match
    taken = {r.pattern for r in module}  # first), replacing a generic route of the same pattern
    routes = [r for r in routes if r.pattern not in taken] + module
    routes += _upsert_routes()
    # expenses.yml: an employee is deleted at the singular path
    routes.append(Route((EMPLOYEE_DELETE_PATH, ID), s["employees"], {"DELETE": "delete"}))
    routes += _aliases(routes)
    return [_reserve(r) for r in _merge_same_paths(routes)]


# A documented path that serves what another route serves, under its own scope module (invoices.yml
# documents the expense receipt's delete beside the invoices, with the invoices scope).
ALIASES: tuple[tuple[tuple[str, ...], tuple[str, ...], str, str], ...] = (
    (("invoices", "expenses", ID, "receipt"), ("expenses", ID, "receipt"), "DELETE", "invoices"),
)


def _aliases(routes: list[Route]) -> list[Route]:
    out = []
    for pattern, target, method, scope in ALIASES:
        served = next(r for r in routes if r.pattern == target and method in r.handlers)
        out.append(replace(served, pattern=pattern, handlers={method: served.handlers[method]},
                           ops={m: o for m, o in served.ops.items() if m == method},
                           success={m: c for m, c in served.success.items() if m == method}, scope=scope))
    return out


def _merge_same_paths(routes: list[Route]) -> list[Route]:
    """One route per path pattern: a record action on a path already served for another method
    (``GET`` and ``POST /vendorcredits/{id}/bills``) joins that route, in its place. A method both
    serve stays the first one's (a facet never replaces what the write rules serve)."""
    out: dict[tuple[tuple[str, ...], str], Route] = {}
    for route in routes:
        key = (route.pattern, route.spec.name)
        if key in out:
            first = out[key]
            new = {m: h for m, h in route.handlers.items() if m not in first.handlers}
            out[key] = replace(first, handlers={**first.handlers, **new},
                               ops={**first.ops, **{m: o for m, o in route.ops.items() if m in new}},
                               success={**first.success, **{m: c for m, c in route.success.items() if m in new}})
        else:
            out[key] = route
    return list(out.values())


def _record_action_routes() -> list[Route]:
    """``POST /<path>/{id}/<word>`` for each documented record action a resource's write rules declare
    (``rules.actions``: submit, approve, active, writeoff/cancel, ...): one route per word, one generic
    handler; an action with an ``under`` segment sits below it (``/banktransactions/uncategorized/{id}/exclude``).
    Zoho's documents ask the module's CREATE scope for these actions (an action's ``op`` when it names another)."""
    return [Route(tuple(spec.path.split("/")) + ((under,) if (under := getattr(action, "under", "")) else ())
                  + (ID,) + tuple(word.split("/")), spec, {"POST": "record_action"},
                  ops={"POST": getattr(action, "op", "CREATE")})
            for spec in SPECS.values() if spec.rules is not None for word, action in spec.rules.actions.items()]


def _upsert_routes() -> list[Route]:
    """``PUT /<path>`` (update using a custom field's unique value) for each resource that documents it;
    it joins the collection's route (``_merge_same_paths``). Zoho's documents ask the module's UPDATE scope."""
    return [Route(tuple(SPECS[name].path.split("/")), SPECS[name], {"PUT": "upsert"}) for name in UPSERT_RESOURCES]


def _reserve(route: Route) -> Route:
    """A record id never takes a fixed sub-path Zoho documents under its collection (GET
    /invoices/templates is not invoice "templates"): unserved ones then answer code 5."""
    fixed = {tuple(spec.path.split("/")): frozenset(spec.fixed_paths) for spec in SPECS.values() if spec.fixed_paths}
    reserved = {i: fixed[route.pattern[:i]] for i, seg in enumerate(route.pattern)
                if seg.startswith("{") and route.pattern[:i] in fixed}
    return replace(route, reserved=reserved) if reserved else route


ROUTES: tuple[Route, ...] = tuple(_routes())


def match(path: str) -> tuple[Route, list[str]] | None:
    segs = [p for p in path.split("/") if p != ""]
    for route in ROUTES:
        if len(route.pattern) != len(segs):
            continue
        params: list[str] = []
        for i, (want, got) in enumerate(zip(route.pattern, segs)):
            if want.startswith("{"):
                if route.reserved and got in route.reserved.get(i, ()):
                    break
                params.append(got)
            elif want.endswith("*") and got.startswith(want[:-1]) and len(got) >= len(want):  # cm_*: a named prefix
                params.append(got)
            elif want != got:
                break
        else:
            return route, params
    return None


# ---- the edge: Books domain errors as Zoho's answers -------------------------------------------------
def books_error_response(exc: BooksError) -> Response:
    """Zoho's answer to a Books domain error: ``{"code", "message"}`` with the kind's status (a
    missing record's is ``books.not_found_http_status``) and the limiter's headers, if any."""
    status = emulator().config["books.not_found_http_status"] if exc.kind is L.DOES_NOT_EXIST else exc.status
    return json_response(exc.body(), status, exc.headers or None)


@dataclass
class Call:
    """One Books request after authentication and organisation selection."""

    route: Route
    params: list[str]
    grant: AccessGrant
    user_id: str
    org: dict[str, Any] | None

    @property
    def spec(self) -> ResourceSpec:
        return self.route.spec

    @property
    def backend(self) -> BooksBackend:
        return emulator().books

    @property
    def config(self):
        return emulator().config

    @property
    def org_id(self) -> str:
        return self.org["organization_id"]  # type: ignore[index]

    def args(self) -> dict[str, str]:
        return {k: v for k, v in request.args.items() if k != ""}

    def wctx(self, spec: ResourceSpec | None = None) -> WriteContext:
        return WriteContext(self.backend, self.org, spec or self.spec)  # type: ignore[arg-type]

    # what handlers outside this module (books/facets) use of it, so they need not import it
    def writing(self) -> Any:
        return _writing(self)

    def body(self, allow_list: bool = False) -> Any:
        return parse_body(allow_list)

    def answer(self, payload: dict[str, Any], status: int = 200, message: str = L.SUCCESS_MESSAGE) -> Response:
        return ok(payload, status, message)


def parse_body(allow_list: bool = False) -> dict[str, Any]:
    """JSON with or without Content-Type, or a ``JSONString`` form field (urlencoded or multipart);
    ``allow_list``: a JSON array is accepted too (PUT .../customfields takes one)."""
    limit = emulator().config["books.max_body_bytes"]
    if request.content_length is not None and request.content_length > limit:
        raise BooksError(L.BODY_TOO_LARGE)
    raw = request.get_data(cache=True)
    if len(raw) > limit:
        raise BooksError(L.BODY_TOO_LARGE)
    text: str | bytes | None = None
    mimetype = request.mimetype or ""
    if mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        if "JSONString" in request.form:
            text = request.form["JSONString"]
        elif mimetype == "multipart/form-data" or not raw.strip():
            text = None
        else:
            text = raw  # JSON sent with a form content type (requests' data=str)
    elif raw.strip():
        text = raw
    if text is None and request.args.get("JSONString"):
        text = request.args["JSONString"]
    if text is None or (isinstance(text, (str, bytes)) and not text.strip()):
        return {}
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError:
        raise BooksError(L.INVALID_JSONSTRING) from None
    if not isinstance(data, dict) and not (allow_list and isinstance(data, list)):
        raise BooksError(L.INVALID_JSONSTRING)
    return data


_OK_HEAD = dumps({"code": L.SUCCESS_CODE, "message": L.SUCCESS_MESSAGE})[:-1]  # b'{"code":0,"message":"success"'


def ok(payload: dict[str, Any], status: int = 200, message: str = L.SUCCESS_MESSAGE) -> Response:
    return json_response({"code": L.SUCCESS_CODE, "message": message, **payload}, status)


def _msg(template: str, spec: ResourceSpec, rec: Mapping[str, Any] | None = None) -> str:
    """The generic answer ("The invoice has been created."), or the resource's documented one (for that
    record: a customer debit note's is "The debit note has been created.")."""
    documented = spec.rules.message_for(template, rec) if spec.rules is not None else None
    return documented or template.format(label=spec.label.lower())


# ---- the gateway ------------------------------------------------------------------------------------
@blueprint.route("/books/v3", defaults={"subpath": ""}, methods=METHODS)
@blueprint.route("/books/v3/<path:subpath>", methods=METHODS)
def books_v3(subpath: str) -> Response:
    if host_kind() not in ("api", "local"):
        raise BooksError(L.INVALID_URL)
    return gateway(subpath)


@blueprint.route("/api/v3", defaults={"subpath": ""}, methods=METHODS)
@blueprint.route("/api/v3/<path:subpath>", methods=METHODS)
def legacy_v3(subpath: str) -> Response:
    if not emulator().config["books.legacy_prefix"] or host_kind() not in ("api", "books", "local"):
        raise BooksError(L.INVALID_URL)
    return gateway(subpath)


def gateway(subpath: str) -> Response:
    emu = emulator()
    dc = current_dc()
    if dc == "uk" and not emu.config["dc.uk.books_enabled"]:
        raise BooksError(L.INVALID_URL)
    hit = match(subpath)
    if hit is None:
        raise BooksError(L.INVALID_URL)
    route, params = hit
    method = request.method
    handler_name = route.handlers.get(method)
    if handler_name is None:
        raise BooksError(L.METHOD_NOT_ALLOWED)
    grant = emu.accounts.authenticate(request.headers.get("Authorization"), dc)
    user_id = str(grant.user_id)
    g.journal.update({"user_id": user_id, "client_id": grant.client_id, "token_fp": grant.token_fp,
                      "route": route.spec.name})
    op = route.ops.get(method) or OPS.get(method, "READ")
    if route.org_free:
        _check_scope(grant, route.scope or route.spec.scope, op)
        response = HANDLERS[handler_name](Call(route, params, grant, user_id, None))
        # Not charged to any org (reference §5.5), but clients such as pyzohoapi read
        # X-Rate-Limit-Reset on every response: our choice is the default org's counters.
        default = emu.books.default_org(user_id, dc)
        if default is not None:
            response.headers.update(emu.limits.rate_headers(_limits_view(default)))
        return response
    org = resolve_org(emu, user_id, dc, params[0] if route.pattern == ("organizations", ID) else None,
                      bound_org(grant))
    g.journal["organization_id"] = org["organization_id"]
    # the fresh rendering that checks a replayed answer (server.replay_verify) was admitted already
    admission = Admission() if is_verify_render(request.environ) else \
        emu.limits.admit(_limits_view(org), request.environ.get(ENV_DELAY))
    try:
        try:
            if not is_verify_render(request.environ):
                catch_up(emu.books, org)  # recurring profiles due by the org's today make their documents
            _check_scope(grant, route.scope or route.spec.scope, op)
            response = HANDLERS[handler_name](Call(route, params, grant, user_id, org))
        except BooksError as exc:
            response = books_error_response(exc)
        for k, v in admission.headers.items():
            response.headers.setdefault(k, str(v))
        if method == "GET" and response.status_code == 200:
            g.replay_terms = emu.replay.terms(request.environ, grant, org, emu.books.org_offset(org))
        return response
    finally:
        admission.release()


def _limits_view(org: Mapping[str, Any]) -> dict[str, Any]:
    """What the limiter reads of an org: the stored org plus its plan under the public name."""
    return {**org, "plan": org.get("_plan")}


def _check_scope(grant: AccessGrant, module: str, op: str) -> None:
    if not emulator().accounts.grant_allows(grant, module, op):
        raise BooksError(L.NOT_AUTHORIZED)


def bound_org(grant: AccessGrant) -> str | None:
    """The organisation a token minted with ``soid=ZohoBooks.<org>`` is bound to; None: any of the user's."""
    return grant.soid.split(".", 1)[1] if grant.soid and "." in grant.soid else None


def resolve_org(emu, user_id: str, dc: str, path_org: str | None, bound: str | None = None) -> dict[str, Any]:
    """Query parameter, else the header (query wins), else the token's bound org, else the user's
    default org (§3.3). A token bound to an org (``soid``) reaches no other: 6041, as for an org the
    user does not belong to (our choice of code: Zoho's refusal of a foreign org)."""
    wanted = path_org or request.args.get("organization_id") or request.headers.get(L.ORG_HEADER) or bound or ""
    wanted = wanted.strip()
    if bound is not None and wanted != bound:
        raise BooksError(L.ORG_NOT_ASSOCIATED, organization_id=wanted)
    if not wanted:
        if emu.config["books.missing_org"] != "default":
            raise invalid_value("organization_id")
        org = emu.books.default_org(user_id, dc)
        if org is None:
            raise invalid_value("organization_id")
        return org
    org = emu.books.get_org(wanted)
    if org is None or org.get("_dc") != dc or user_id not in org.get("_members", ()):
        raise BooksError(L.ORG_NOT_ASSOCIATED, organization_id=wanted)
    return org


# ---- generic handlers ------------------------------------------------------------------------------
def h_orgs_list(call: Call) -> Response:
    backend = call.backend
    bound = bound_org(call.grant)
    orgs = [backend.render_org(o, call.user_id, detail=False) for o in backend.orgs_for_user(call.user_id, current_dc())
            if bound is None or o["organization_id"] == bound]
    return ok({"organizations": orgs})


# The edition an organisation created through the API gets (our choice: Zoho picks it from the country
# the sign-up names): its base currency's edition, else its data center's, else the global edition.
DC_EDITIONS = {"us": "us", "eu": "uk", "uk": "uk", "in": "in", "au": "au", "ca": "ca"}


def h_org_create(call: Call) -> Response:
    """``POST /organizations``: a new, empty organisation of the calling user (not their default one
    when they have another), in their data center."""
    data = check(parse_body(), {"name": "str", "currency_code": "str", "time_zone": "str", "fiscal_year_start_month": "str",
                                "language_code": "str", "industry_type": "str", "portal_name": "str"})
    name = (data.get("name") or "").strip()
    if not name:
        raise invalid_value("name")
    code = (data.get("currency_code") or "").upper()
    if code and not re.fullmatch(r"[A-Z]{3}", code):
        raise invalid_value("currency_code")
    edition = next((e for e, ed in EDITIONS.items() if code and ed.currency_code == code),
                   DC_EDITIONS.get(current_dc(), "global"))
    backend = call.backend
    first = not backend.orgs_for_user(call.user_id, current_dc())
    try:
        org = backend.create_organization(name, edition, user_ids=[call.user_id], is_default=first,
                                          currency_code=code or None,
                                          time_zone=ZONE_ABBREVIATIONS.get(data.get("time_zone") or "", data.get("time_zone"))
                                          or None,
                                          counts={})
    except InvalidInput as exc:
        raise invalid_value(exc.field or "name") from None
    return ok({"organization": backend.render_org(org, call.user_id, detail=True)}, 201)


def h_org_detail(call: Call) -> Response:
    return ok({"organization": call.backend.render_org(call.org, call.user_id, detail=True)})


def h_org_update(call: Call) -> Response:
    """PUT /organizations/{id}: the organisation's settings through its write rules (rules.OrganizationRules)."""
    rules, backend = call.spec.rules, call.backend
    body = parse_body()
    with _writing(call):
        org = rules.build(call.wctx(), body, call.org)
        backend.replace_org(org)
    return ok({"organization": backend.render_org(org, call.user_id, detail=True)}, 200,
              _msg(L.UPDATED_MESSAGE, call.spec))


def _query(call: Call, spec: ResourceSpec) -> Query:
    return Query(spec, call.args(), config=call.config, today=call.backend.today(call.org),
                 offset=call.backend.org_offset(call.org))


def h_list(call: Call, records: list[dict[str, Any]] | None = None) -> Response:
    """A page of the resource's records (``records``: a subset another handler chose, e.g. a parent's)."""
    spec = call.spec
    chunk, ctx = _query(call, spec).run(call.backend.records(call.org_id, spec.name) if records is None else records)
    key = spec.list_key_for(call.config)
    if "is_current_user" in spec.list_fields:  # depends on the caller: rendered fresh
        me = call.backend.books_user_for(call.org_id, call.user_id) or {}
        items = [call.backend.render_list_item(spec, call.org, r) for r in chunk]
        for item in items:
            item["is_current_user"] = item["user_id"] == me.get("user_id")
        return ok({key: items, "page_context": ctx})
    # Same bytes as ok({key: items, "page_context": ctx}), assembled from cached item JSON.
    item_json, org = call.backend.list_item_json, call.org
    rendered = b",".join([item_json(spec, org, r) for r in chunk])
    body = b"".join((_OK_HEAD, b',"', key.encode(), b'":[', rendered, b'],"page_context":', dumps(ctx), b"}"))
    return raw_json_response(body)


def _detail_payload(call: Call, spec: ResourceSpec, rec: Mapping[str, Any]) -> dict[str, Any]:
    body = call.backend.render_detail(spec, call.org, rec)
    if "is_current_user" in body:  # a time entry: the caller's own or not
        body["is_current_user"] = body.get("user_id") == (call.backend.books_user_for(call.org_id, call.user_id) or {}).get("user_id")
    if spec is call.spec:
        detail_facets(call, rec, body)
    key = spec.detail_key_for(call.config)
    return body if key is None else {key: body}


def h_detail(call: Call) -> Response:
    rec = call.backend.require(call.org_id, call.spec, call.params[0])
    return detail_answer(call, rec) or ok({**_detail_payload(call, call.spec, rec), **detail_page_context(call)})


def detail_page_context(call: Call) -> dict[str, Any]:
    """The page context a resource's detail answer repeats where its document gives one: the default list's
    first page (recurring-invoices.yml's get answer: report name, Status.All, newest first)."""
    spec = call.spec
    if not spec.detail_page_context:
        return {}
    first_page = Query(spec, {}, config=call.config, today=call.backend.today(call.org),
                       offset=call.backend.org_offset(call.org))
    return {"page_context": first_page.run([])[1]}


def h_user_me(call: Call) -> Response:
    rec = call.backend.books_user_for(call.org_id, call.user_id)
    if rec is None:
        raise not_found(call.spec.label)
    return ok(_detail_payload(call, call.spec, rec))


@contextmanager
def _writing(call: Call) -> Iterator[None]:
    """One write request as one unit: the org's write lock, and every change staged until the
    handler (answer rendered) succeeded; a refusal or any failure leaves the store unchanged."""
    with call.backend.store.lock(f"books:{call.org_id}:write"), call.backend.staged():
        yield


def h_create(call: Call, body: dict[str, Any] | None = None) -> Response:
    payload, rec = _create(call, parse_body() if body is None else body)
    return ok(payload, call.spec.rules.create_status, _msg(L.CREATED_MESSAGE, call.spec, rec))


def _create(call: Call, body: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Store the record ``body`` makes; its answer payload (the detail under its key) and the record."""
    spec, backend = call.spec, call.backend
    rules = spec.rules
    ctx = call.wctx()
    with _writing(call):
        rec = rules.build(ctx, body, None)
        now = backend.now()
        rec[spec.id_field] = backend.new_id(call.org_id)
        rec["_ct"] = rec["_lmt"] = now
        for f in ("created_time", "last_modified_time", "updated_time"):
            if f in rec:
                rec[f] = backend.timestamp(call.org, now)
        if request.args.get("send") == "true" and "sent" in rules.status_actions:
            rec["_sent"] = True
            rules.refresh_status(ctx, rec)
        backend.put_record(call.org_id, spec.name, rec)
        rules.after_write(ctx, None, rec)
        payload = _detail_payload(call, spec, backend.get_record(call.org_id, spec.name, rec[spec.id_field]))
    return payload, rec


def h_update(call: Call, body: dict[str, Any] | None = None) -> Response:
    spec, backend = call.spec, call.backend
    body = parse_body() if body is None else body
    rules = spec.rules
    ctx = call.wctx()
    with _writing(call):
        old = backend.require(call.org_id, spec, call.params[0])
        rec = rules.build(ctx, body, old)
        rec[spec.id_field] = old[spec.id_field]
        ctx.touch(rec)
        if "updated_time" in rec:
            rec["updated_time"] = rec.get("last_modified_time")
        backend.put_record(call.org_id, spec.name, rec)
        rules.after_write(ctx, old, rec)
        payload = _detail_payload(call, spec, backend.get_record(call.org_id, spec.name, rec[spec.id_field]))
    return ok(payload, 200, _msg(L.UPDATED_MESSAGE, spec, rec))


def h_delete(call: Call) -> Response:
    spec, backend = call.spec, call.backend
    rules = spec.rules
    ctx = call.wctx()
    with _writing(call):
        rec = backend.require(call.org_id, spec, call.params[0])
        rules.check_delete(ctx, rec)
        kept = rules.tombstone(ctx, rec)
        if kept is None:
            backend.delete_record(call.org_id, spec.name, call.params[0])
        else:
            ctx.touch(kept)
            backend.put_record(call.org_id, spec.name, kept)
        rules.after_delete(ctx, rec)
    return ok({}, 200, _msg(L.DELETED_MESSAGE, spec))


# ---- update (or create) by a custom field's unique value ---------------------------------------------
def _unique_identifier() -> tuple[str, str, bool]:
    """The custom field's API name and value, and whether a miss creates (``X-Upsert: true``); a missing
    or blank header, or an X-Upsert other than true/false, is code 2 naming the header (our choice)."""
    key = (request.headers.get(L.UNIQUE_KEY_HEADER) or "").strip()
    if not key:
        raise invalid_value(L.UNIQUE_KEY_HEADER)
    value = request.headers.get(L.UNIQUE_VALUE_HEADER)
    if value is None or not value.strip():
        raise invalid_value(L.UNIQUE_VALUE_HEADER)
    upsert = (request.headers.get(L.UPSERT_HEADER) or "false").strip().lower()
    if upsert not in ("true", "false"):
        raise invalid_value(L.UPSERT_HEADER)
    return key, value.strip(), upsert == "true"


def _holds(rec: Mapping[str, Any], key: str, value: str) -> bool:
    """Whether one of the record's custom fields is ``key`` (its api_name) with ``value``."""
    return any(isinstance(f, dict) and f.get("api_name") == key and str(f.get("value")) == value
               for f in rec.get("custom_fields") or [])


def h_upsert(call: Call) -> Response:
    """``PUT /<path>``: the record whose custom field ``X-Unique-Identifier-Key`` holds
    ``X-Unique-Identifier-Value`` is updated as by ``PUT /<path>/{id}``; none and ``X-Upsert: true``:
    created as by ``POST /<path>`` (answered 200, as documented), carrying that custom field value so the next call finds it;
    none otherwise, or more than one (the field is not unique): code 2 naming the header (our choice)."""
    key, value, upsert = _unique_identifier()
    body = parse_body()
    spec = call.spec
    with _writing(call):  # the look-up and the write as one unit: two upserts of one value make one record
        found = [r[spec.id_field] for r in call.backend.records(call.org_id, spec.name) if _holds(r, key, value)]
        if len(found) > 1:
            raise invalid_value(L.UNIQUE_KEY_HEADER)
        if found:
            return h_update(replace(call, params=[str(found[0])]), body)
        if not upsert:
            raise invalid_value(L.UNIQUE_VALUE_HEADER)
        given = body.get("custom_fields") or []
        if not isinstance(given, list):
            raise invalid_value("custom_fields")
        rows = [dict(f) for f in given if isinstance(f, dict) and f.get("api_name") != key]
        row = {"customfield_id": "", "index": len(rows) + 1, "label": "", "api_name": key, "data_type": "string",
               "value": value}  # the keys of a row PUT .../customfields adds (facets/customfields.py)
        response = h_create(call, {**body, "custom_fields": rows + [row]})
    response.status_code = 200  # the documents give this operation one answer: 200 (our choice for a create too)
    return response


def h_status_action(call: Call) -> Response:
    spec, backend = call.spec, call.backend
    action = spec.rules.status_actions.get(call.params[1]) if spec.rules else None
    if action is None:
        raise BooksError(L.INVALID_URL)
    ctx = call.wctx()
    with _writing(call):
        rec = copy.deepcopy(backend.require(call.org_id, spec, call.params[0]))
        if not isinstance(action, Transition) and rec.get("status") == "void" and call.params[1] != "draft":
            raise invalid_value("status")
        action(rec)
        if isinstance(action, Transition):
            if action.derive:
                spec.rules.refresh_status(ctx, rec)
        else:
            spec.rules.after_status(ctx, rec, call.params[1])
        ctx.touch(rec)
        backend.put_record(call.org_id, spec.name, rec)
        spec.rules.after_write(ctx, None, rec)
    if isinstance(action, Transition):
        return ok({}, action.http_status, action.message)
    message = spec.rules.status_messages.get(call.params[1], L.STATUS_MESSAGE)
    return ok({}, spec.rules.status_codes.get(call.params[1], 200),
              message.format(label=spec.label.lower(), status=rec["status"], Status=rec["status"].title()))


def h_record_action(call: Call) -> Response:
    """A documented record action other than a status one (``/submit``, ``/approve``, a vendor credit's
    ``/bills``): the action of the resource's write rules named by the route's last word."""
    spec, backend = call.spec, call.backend
    after_id = max(i for i, seg in enumerate(call.route.pattern) if seg == ID) + 1
    action = spec.rules.actions["/".join(call.route.pattern[after_id:])]  # writeoff/cancel: two segments
    body = {**parse_body(), **_path_params_after(call, after_id)}
    ctx = call.wctx()
    with _writing(call):
        old = backend.require(call.org_id, spec, call.params[0])
        rec = copy.deepcopy(old)
        payload = action.run(ctx, spec.rules, rec, body)
        ctx.touch(rec)
        backend.put_record(call.org_id, spec.name, rec)
        spec.rules.after_write(ctx, old, rec)  # as an update: a bank transaction's balance moves by the change
    return ok(payload, action.http_status, action.message.format(label=spec.label.lower()))


def _path_params_after(call: Call, start: int) -> dict[str, str]:
    """The named path parameters from ``start`` on (``/substatus/{status_code}``), for the action to read:
    the path's own value wins over a body key of that name."""
    slots = [i for i, seg in enumerate(call.route.pattern) if seg.startswith("{") or seg.endswith("*")]
    return {call.route.pattern[i][1:-1]: value for i, value in zip(slots, call.params)
            if i >= start and call.route.pattern[i].startswith("{")}


# ---- contact persons (embedded in the contact) -----------------------------------------------------
def _contact(call: Call) -> dict[str, Any]:
    return call.backend.require(call.org_id, SPECS["contacts"], call.params[0])


def _person(call: Call, contact: Mapping[str, Any]) -> dict[str, Any]:
    for p in contact.get("contact_persons") or []:
        if p.get("contact_person_id") == call.params[1]:
            return p
    raise not_found(call.spec.label)


def _render_person(person: Mapping[str, Any], contact_id: str, fields: tuple[str, ...]) -> dict[str, Any]:
    out = {f: person.get(f, default_for(f)) for f in fields}
    if "contact_id" in out:
        out["contact_id"] = contact_id
    return out


def h_person_list(call: Call) -> Response:
    contact = _contact(call)
    persons = [dict(p, _ct=i) for i, p in enumerate(contact.get("contact_persons") or [])]
    args = call.args()
    args.setdefault("sort_column", "created_time")
    args.setdefault("sort_order", "A")
    q = Query(call.spec, args, config=call.config, today=call.backend.today(call.org),
              offset=call.backend.org_offset(call.org))
    chunk, ctx = q.run(persons)
    items = [_render_person(p, contact["contact_id"], CONTACT_PERSON_LIST) for p in chunk]
    return ok({call.spec.list_key: items, "page_context": ctx})


def h_person_detail(call: Call) -> Response:
    contact = _contact(call)
    person = _person(call, contact)
    return ok({call.spec.detail_key: _render_person(person, contact["contact_id"], CONTACT_PERSON_DETAIL)})


def _save_contact(call: Call, contact: dict[str, Any]) -> None:
    sync_primary(contact)
    call.wctx(SPECS["contacts"]).touch(contact)
    call.backend.put_record(call.org_id, "contacts", contact)


def _person_body(call: Call, required: bool) -> dict[str, Any]:
    rules = call.spec.rules
    data = check(parse_body(), rules.schema)
    for name in rules.required:
        if (required and not data.get(name)) or (name in data and not data[name]):
            raise invalid_value(name)
    return data


def h_person_create(call: Call) -> Response:
    data = _person_body(call, True)
    with _writing(call):
        contact = copy.deepcopy(_contact(call))
        data.pop("contact_person_id", None)
        person = normalise_person(call.wctx(), data)
        if person["is_primary_contact"]:
            for p in contact.get("contact_persons") or []:
                p["is_primary_contact"] = False
        contact.setdefault("contact_persons", []).append(person)
        _save_contact(call, contact)
    return ok({call.spec.detail_key: _render_person(person, contact["contact_id"], CONTACT_PERSON_DETAIL)}, 201,
              _msg(L.CREATED_MESSAGE, call.spec))


def h_person_update(call: Call) -> Response:
    data = _person_body(call, False)
    with _writing(call):
        contact = copy.deepcopy(_contact(call))
        person = _person(call, contact)
        data.pop("contact_person_id", None)
        if data.get("is_primary_contact"):
            for p in contact["contact_persons"]:
                p["is_primary_contact"] = False
        person.update(data)
        _save_contact(call, contact)
    return ok({call.spec.detail_key: _render_person(person, contact["contact_id"], CONTACT_PERSON_DETAIL)}, 200,
              _msg(L.UPDATED_MESSAGE, call.spec))


def h_person_delete(call: Call) -> Response:
    with _writing(call):
        contact = copy.deepcopy(_contact(call))
        person = _person(call, contact)
        contact["contact_persons"] = [p for p in contact["contact_persons"] if p is not person]
        if person.get("is_primary_contact") and contact["contact_persons"]:
            contact["contact_persons"][0]["is_primary_contact"] = True
        _save_contact(call, contact)
    return ok({}, 200, _msg(L.DELETED_MESSAGE, call.spec))


# contact-persons.yml's top-level paths: the same handlers, the contact found from the body or the person
def _owner_of(call: Call, person_id: str) -> str:
    """The id of the contact holding contact person ``person_id`` (1002 "Contact person does not exist.")."""
    for contact in call.backend.records(call.org_id, "contacts"):
        if any(p.get("contact_person_id") == person_id for p in contact.get("contact_persons") or []):
            return contact["contact_id"]
    raise not_found(call.spec.label)


def h_person_create_top(call: Call) -> Response:
    contact_id = check(parse_body(), {"contact_id": "id"}).get("contact_id")
    if not contact_id:
        raise invalid_value("contact_id")
    return h_person_create(replace(call, params=[contact_id]))


def h_person_update_top(call: Call) -> Response:
    return h_person_update(replace(call, params=[_owner_of(call, call.params[0]), call.params[0]]))


def h_person_delete_top(call: Call) -> Response:
    return h_person_delete(replace(call, params=[_owner_of(call, call.params[0]), call.params[0]]))


def h_person_primary(call: Call) -> Response:
    """The person becomes its contact's primary one (the contact's flattened name and email follow)."""
    pid = call.params[0]
    with _writing(call):
        contact = copy.deepcopy(call.backend.require(call.org_id, SPECS["contacts"], _owner_of(call, pid)))
        for p in contact.get("contact_persons") or []:
            p["is_primary_contact"] = p.get("contact_person_id") == pid
        _save_contact(call, contact)
    return ok({}, 200, L.PERSON_PRIMARY_MESSAGE)


# ---- sub-resources --------------------------------------------------------------------------------
def _single_page(n: int) -> dict[str, Any]:
    return {"page": 1, "per_page": max(n, 1), "has_more_page": False}


def _rate_out(row: Mapping[str, Any]) -> dict[str, Any]:
    return {f: row.get(f, default_for(f)) for f in EXCHANGE_RATE_FIELDS}


def h_exchange_rates(call: Call) -> Response:
    """A currency's rates, newest first; from_date: the rate in effect that day (the closest earlier one);
    is_current_date=true: only a rate dated today; sort_column takes effective_date only (currency.yml)."""
    cur = call.backend.require(call.org_id, call.spec, call.params[0])
    args = call.args()
    if args.get("sort_column") not in (None, "", "effective_date"):
        raise invalid_value("sort_column")
    # newest first unless sorted: an explicit column sorts ascending by default, as every list does
    order = args.get("sort_order") or ("A" if args.get("sort_column") else "D")
    if order not in ("A", "D"):
        raise invalid_value("sort_order")
    rates = sorted((_rate_out(r) for r in cur.get("_exchange_rates") or []),
                   key=lambda r: str(r.get("effective_date") or ""), reverse=order == "D")
    if args.get("from_date"):
        day = parse_date(args["from_date"], "from_date")
        rates = sorted((r for r in rates if str(r.get("effective_date")) <= day),
                       key=lambda r: str(r.get("effective_date") or ""), reverse=True)[:1]
    current = (args.get("is_current_date") or "").lower()
    if current not in ("", "true", "false"):
        raise invalid_value("is_current_date")
    if current == "true":
        today = call.backend.today(call.org)
        rates = [r for r in rates if r.get("effective_date") == today]
    return ok({"exchange_rates": rates, "page_context": _single_page(len(rates))})


def _exchange_rate(cur: Mapping[str, Any], rid: str) -> dict[str, Any]:
    for row in cur.get("_exchange_rates") or []:
        if row.get("exchange_rate_id") == rid:
            return row
    raise not_found("Exchange rate")


def h_exchange_rate_detail(call: Call) -> Response:
    cur = call.backend.require(call.org_id, call.spec, call.params[0])
    return ok({"exchange_rate": _rate_out(_exchange_rate(cur, call.params[1]))})


def _write_rate(call: Call, op: str) -> Response:
    """Create (op "create"), update or delete one exchange rate inside its currency, as one write."""
    body = parse_body() if op != "delete" else {}
    ctx = call.wctx()
    with _writing(call):
        cur = copy.deepcopy(call.backend.require(call.org_id, call.spec, call.params[0]))
        rows = cur.setdefault("_exchange_rates", [])
        old = _exchange_rate(cur, call.params[1]) if op != "create" else None
        row = exchange_rate_row(ctx, cur, body, old) if op != "delete" else None
        cur["_exchange_rates"] = [r for r in rows if r is not old] + ([row] if row else [])
        refresh_current_rate(ctx, cur)
        ctx.touch(cur)
        call.backend.put_record(call.org_id, "currencies", cur)
    payload = {"exchange_rate": _rate_out(row)} if row else {}
    return ok(payload, 201 if op == "create" else 200, EXCHANGE_RATE_MESSAGES[op])


def h_exchange_rate_create(call: Call) -> Response:
    return _write_rate(call, "create")


def h_exchange_rate_update(call: Call) -> Response:
    return _write_rate(call, "update")


def h_exchange_rate_delete(call: Call) -> Response:
    return _write_rate(call, "delete")


def h_tag_options(call: Call) -> Response:
    tag = call.backend.require(call.org_id, call.spec, call.params[0])
    options = [{f: o.get(f, default_for(f)) for f in TAG_OPTION_FIELDS} for o in tag.get("options") or []]
    return ok({"results": options, "page_context": _single_page(len(options))})


def h_bills_credited(call: Call) -> Response:
    vc = call.backend.require(call.org_id, call.spec, call.params[0])
    rows = [{f: b.get(f, default_for(f)) for f in BILLS_CREDITED} for b in vc.get("bills_credited") or []]
    for row in rows:
        row["vendor_credit_id"] = vc["vendor_credit_id"]
    return ok({"bills_credited": rows})


def h_templates(call: Call) -> Response:
    """The templates the resource's records use (the seeder gives an org one; our choice: type "standard")."""
    seen: dict[str, str] = {}
    for rec in call.backend.records(call.org_id, call.spec.name):
        if rec.get("template_id"):
            seen.setdefault(str(rec["template_id"]), rec.get("template_name") or TEMPLATE_NAME)
    rows = [{"template_name": name, "template_id": tid, "template_type": "standard"} for tid, name in seen.items()]
    return ok({"templates": sorted(rows, key=lambda t: (t["template_name"], t["template_id"]))})


def h_refunds(call: Call) -> Response:
    """Every refund of the resource's records (their embedded ``refunds_key`` rows), newest first;
    ``customer_id``: only those of that contact's records (a vendor's, for vendor credits)."""
    return _refund_list(call, call.spec, request.args.get("customer_id"))


def h_payment_link(call: Call) -> Response:
    """``GET /share/paymentlink``: a link the customer pays an invoice through (invoices.yml; the scope is
    ZohoBooks.settings.ALL). Every parameter required; an invoice that is open to payment (not draft,
    void or paid); an expiry date not past. The link is the same for the same request (replay), on
    zohosecurepay in the organisation's data center (our choice of host outside the US)."""
    args = request.args
    for name in ("transaction_id", "transaction_type", "link_type", "expiry_time"):
        if not args.get(name):
            raise invalid_value(name)
    if args["transaction_type"] != "invoice":
        raise invalid_value("transaction_type")
    if args["link_type"] not in ("public", "private"):
        raise invalid_value("link_type")
    if parse_date(args["expiry_time"], "expiry_time") < call.backend.today(call.org):
        raise invalid_value("expiry_time")
    invoice = call.backend.require(call.org_id, SPECS["invoices"], args["transaction_id"])
    if invoice.get("status") in ("draft", "void", "paid"):
        raise invalid_value("transaction_id")
    token = hashlib.sha256(f"{call.org_id}:{invoice['invoice_id']}:{args['link_type']}:{args['expiry_time']}"
                           .encode()).hexdigest()
    tld = DATA_CENTERS[current_dc()].books_host.split("zoho", 1)[1].removeprefix("cloud").lstrip(".")
    return ok({"data": {"share_link": f"https://zohosecurepay.{tld}/books/Payment/secure?CInvoiceID={token}"}})


def h_bill_from_orders(call: Call) -> Response:
    """``GET /bills/editpage/frompurchaseorders?purchaseorder_ids=``: the bill Zoho's edit page offers for
    one vendor's purchase orders, nothing stored: their lines (each naming its order line), the vendor,
    the totals, as a bill of today would have them (built by the bills' own write rules)."""
    ids = [x.strip() for x in (request.args.get("purchaseorder_ids") or "").split(",") if x.strip()]
    orders = [call.backend.get_record(call.org_id, "purchaseorders", i) for i in dict.fromkeys(ids)]
    if not orders or len(orders) > 25 or any(o is None for o in orders) \
            or len({o.get("vendor_id") for o in orders}) != 1:  # type: ignore[union-attr]
        raise invalid_value("purchaseorder_ids")
    source = [li for o in orders for li in o.get("line_items") or []]  # type: ignore[union-attr]
    lines = [{k: li[k] for k in ("item_id", "name", "description", "rate", "quantity", "account_id", "tax_id", "unit")
              if li.get(k) not in (None, "")} for li in source]
    spec = SPECS["bills"]
    body = {"vendor_id": orders[0]["vendor_id"], "bill_number": "-", "date": call.backend.today(call.org),  # type: ignore[index]
            "line_items": lines, "purchaseorder_ids": [o["purchaseorder_id"] for o in orders]}  # type: ignore[index]
    rec = spec.rules.build(call.wctx(spec), body, None)  # validates and computes; stores nothing
    rec["bill_number"] = ""
    for line, order_line in zip(rec.get("line_items") or [], source):
        line["purchaseorder_item_id"] = order_line.get("line_item_id", "")
    return ok({"purchaseorder_ids": body["purchaseorder_ids"], **_detail_payload(call, spec, rec)})


def h_contact_refunds(call: Call) -> Response:
    """``GET /contacts/{id}/refunds``: the contact's credit-note refunds, as contacts.yml lists them."""
    call.backend.require(call.org_id, call.spec, call.params[0])
    return _refund_list(call, SPECS["creditnotes"], call.params[0])


# The documented sort columns of the refunds of every record (credit-notes.yml, vendor-credits.yml; the latter
# names the vendor credit list's, the rows carry date, reference number and amounts of them).
REFUND_SORT_COLUMNS = {
    "creditnotes": "refund_mode, reference_number, date, creditnote_number, customer_name, amount_bcy, amount_fcy",
    "vendorcredits": "vendor_name, vendor_credit_number, balance, total, date, created_time, last_modified_time, "
                     "reference_number",
}


def _refund_view(spec: ResourceSpec) -> ResourceSpec:
    """The refund rows of ``spec``'s records as a list the generic query sorts and pages (one page of
    everything unless the client pages)."""
    rows = REFUND_ROWS[spec.name]
    return ResourceSpec(name=f"{spec.name}:{rows.key}", detail_key=rows.key, id_field=rows.row_id,
                        label="Refund", scope=spec.scope, list_fields=(), detail_fields=(),
                        report_name=f"{spec.report_name} Refund", single_page=True, minimal_page_context=True,
                        sort_columns=tuple(c.strip() for c in REFUND_SORT_COLUMNS.get(spec.name, "date").split(",")))


def _refund_list(call: Call, spec: ResourceSpec, party: str | None) -> Response:
    """Refund rows, newest first unless sorted; ``last_modified_time``: those of records changed since
    (vendor-credits.yml: "Search vendor credits by vendor credit last modified time")."""
    args = call.args()
    since = None
    if args.get("last_modified_time"):
        since = parse_timestamp(args["last_modified_time"], strict=call.config["books.strict_params"],
                                default_offset=call.backend.org_offset(call.org))
    rows = [dict(row, **{spec.id_field: rec[spec.id_field]})
            for rec in call.backend.records(call.org_id, spec.name)
            if (not party or party in (rec.get("customer_id"), rec.get("vendor_id")))
            and (since is None or record_epoch(rec, "_lmt", "last_modified_time") >= since)
            for row in rec.get(spec.refunds_key) or []]
    if not args.get("sort_column"):
        args.update(sort_column="date", sort_order=args.get("sort_order") or "D")
    view = _refund_view(spec)
    chunk, ctx = Query(view, args, config=call.config, today=call.backend.today(call.org),
                       offset=call.backend.org_offset(call.org)).run(rows)
    ctx = {"page": ctx["page"], "per_page": ctx["per_page"], "has_more_page": ctx["has_more_page"],
           "report_name": view.report_name, "sort_column": ctx["sort_column"], "sort_order": ctx["sort_order"]}
    return ok({spec.refunds_key: chunk, "page_context": ctx})


def h_invoice_payments(call: Call) -> Response:
    """The customer payments applied to one invoice, as invoices.yml's list_invoice_payments shows them."""
    inv = call.backend.require(call.org_id, call.spec, call.params[0])
    rows = []
    for pay in call.backend.records(call.org_id, "customerpayments"):
        allocs = pay.get("invoices") or []
        for alloc in allocs:
            if alloc.get("invoice_id") == inv["invoice_id"]:
                rows.append({
                    "payment_id": pay.get("payment_id"), "payment_number": pay.get("payment_number", ""),
                    "invoice_id": inv["invoice_id"], "invoice_payment_id": alloc.get("invoice_payment_id")
                    or pay.get("payment_id"), "payment_mode": pay.get("payment_mode", ""),
                    "description": pay.get("description", ""), "date": pay.get("date", ""),
                    "reference_number": pay.get("reference_number", ""), "exchange_rate": pay.get("exchange_rate", 1),
                    "amount": alloc.get("amount_applied", 0), "tax_amount_withheld": alloc.get("tax_amount_withheld", 0),
                    "online_transaction_id": "", "is_single_invoice_payment": len(allocs) == 1})
    rows.sort(key=lambda r: (str(r["date"]), str(r["payment_id"])))
    return ok({"payments": rows})


def h_invoice_from_salesorders(call: Call) -> Response:
    """``POST /invoices/fromsalesorder``: one invoice of confirmed sales orders, made as by ``POST /invoices``;
    the orders become invoiced in the same write (order_actions.py)."""
    ids = order_ids(request.args.get("salesorder_id") or "")
    spec = SPECS["salesorders"]
    with _writing(call):
        orders = [copy.deepcopy(call.backend.require(call.org_id, spec, oid)) for oid in ids]
        payload, invoice = _create(call, invoice_body_from_orders(orders))
        ctx = call.wctx(spec)
        for order in orders:
            order["status"] = "invoiced"
            ctx.touch(order)
            call.backend.put_record(call.org_id, spec.name, order)
    payload[call.spec.detail_key_for(call.config)].update(sales_order_links(orders, call.org.get("currency_symbol") or ""))
    return ok(payload, call.spec.rules.create_status, _msg(L.CREATED_MESSAGE, call.spec, invoice))


def h_unused_retainer_payments(call: Call) -> Response:
    """A contact's retainer payments not yet drawn onto invoices (receivables.py), under contacts.yml's key."""
    contact = call.backend.require(call.org_id, call.spec, call.params[0])
    rows = unused_retainer_payments(call.backend.records(call.org_id, "retainerinvoices"), call.org,
                                    contact["contact_id"], (request.args.get("currency_id") or "").strip())
    return ok({"unused_credits_receivable": rows})


def h_item_details(call: Call) -> Response:
    raw = request.args.get("item_ids") or ""
    wanted = [x.strip() for x in raw.split(",") if x.strip()]
    if not wanted or len(wanted) > 100 or not all(x.isdigit() for x in wanted):
        raise invalid_value("item_ids")
    backend = call.backend
    found = [r for r in (backend.get_record(call.org_id, "items", i) for i in dict.fromkeys(wanted)) if r is not None]
    found.sort(key=lambda r: (str(r.get("name") or "").lower(), str(r.get("item_id"))))
    items = [backend.render_detail(call.spec, call.org, r) for r in found]
    return ok({"items": items, "page_context": item_details_page(call.spec)})


def item_details_page(spec: ResourceSpec) -> dict[str, Any]:
    """items.yml's page_context of ``GET /itemdetails``: one page (at most 100 ids are asked for), by name."""
    return {"page": 1, "per_page": PER_PAGE_DEFAULT, "has_more_page": False, "report_name": spec.report_name,
            "sort_column": "name", "sort_order": "A"}


HANDLERS: dict[str, Callable[[Call], Response]] = {
    name[2:]: fn for name, fn in globals().items() if name.startswith("h_") and callable(fn)
}
HANDLERS.update(FACET_HANDLERS)
HANDLERS.update(ModuleHandlers(GenericOps(h_list, h_detail, h_create, h_update, h_delete, parse_body, ok, _writing,
                                           _detail_payload)).handlers())
