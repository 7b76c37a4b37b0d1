"""The Books API v3 part of the description, built from the emulator's resource descriptions.

``books_resources()`` is the only function that reads ``mock_zoho.books.resources`` (its
``ResourceSpec`` attributes, ``default_for`` and the editions' gated fields); everything else here
works on the neutral ``BooksResource`` records it returns, so a change in the resource module is
adapted in one place. Operations follow the gateway's route table (reference §6.1): one list and
one detail per resource, writes where the resource is writable, and the few sub-resources.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from ..books.editions import EDITIONS
from ..books.resources import CONTACT_PERSON_DETAIL, PATH_ALIASES, SPECS, default_for
from .schemas import (ARRAY, BOOLEAN, INTEGER, NUMBER, OBJECT, RATE_HEADERS, STRING, Schema, books_errors,
                      json_content, obj, ref)

# Fields whose stored (seeded) value has another JSON type than the one the emulator renders when a
# record lacks the field (``default_for`` decides that by name). Both are described as served; see
# the report of issue 14 (the two should agree).
SEEDED_TYPES: dict[str, str] = {
    "ach_payment_initiated": "boolean", "payment_reminder_enabled": "boolean", "tax_group_enabled": "boolean",
    "amount_refunded": "number", "bank_charges": "number", "bcy_total_without_tax": "number",
    "credit_limit": "number", "outstanding_receivable_amount_bcy": "number", "plan_type": "integer",
    "shipment_days": "number", "tax_amount_withheld": "number", "total_credits_used": "number",
    "total_without_tax": "number", "unused_credits_receivable_amount_bcy": "number", "zi_migration_status": "number",
    "custom_field": "array", "tax_factor": "string", "terms": "string", "communication_preference": "object",
    "comments": "array",  # a vendor credit's comment rows (a vendor payment's comments is text)
}
_KIND_SCHEMA = {"array": ARRAY, "object": OBJECT, "boolean": BOOLEAN, "number": NUMBER, "integer": INTEGER,
                "string": STRING}
LIST_PARAMS_COMMON = ("page", "per_page", "sort_column", "sort_order", "filter_by", "search_text",
                      "last_modified_time")
INVOICE_STATUS_ACTIONS = ("sent", "draft", "void")


@dataclass(frozen=True)
class BooksResource:
    """What the description needs to know about one Books resource (a neutral copy of ResourceSpec)."""

    name: str
    path: str
    list_key: str
    detail_key: str | None  # None: fields at the top level of the envelope
    id_field: str
    label: str
    list_fields: dict[str, str]  # field -> JSON kind of its missing-value default
    detail_fields: dict[str, str]
    edition_fields: dict[str, str]  # union over every edition (x-node_available_in)
    filter_by: tuple[str, ...]
    sort_columns: tuple[str, ...]
    text_fields: tuple[str, ...]
    date_params: tuple[str, ...]  # date_start, due_date_before, ...
    eq_filters: tuple[str, ...]
    amount_fields: tuple[str, ...]
    has_templates: bool  # GET /<path>/templates
    refunds_key: str  # GET /<path>/refunds lists under this key ("" when not served)
    writable: frozenset[str]
    has_detail: bool
    page_context: str  # "full" | "minimal" | "single"
    batch_param: str | None
    status_actions: tuple[str, ...] = ()  # POST /<path>/{id}/status/<action>
    record_actions: tuple[tuple[str, tuple[str, ...]], ...] = ()  # POST /<path>/{id}/<word>: (word, answer keys)
    list_edition_fields: dict[str, str] = field(default_factory=dict)  # list keys some editions add
    # record actions below a fixed segment: (word, segment) for POST /<path>/<segment>/{id}/<word>
    action_segments: tuple[tuple[str, str], ...] = ()
    create_status: str = "201"  # a create's HTTP status (expenses, users, tax exemptions: 200, as documented)


def books_resources(config: Mapping[str, Any]) -> list[BooksResource]:
    """Read the emulator's resource descriptions (the one place that depends on them)."""

    def kinds(fields: Iterable[str]) -> dict[str, str]:
        out = {}
        for f in fields:
            d = default_for(f)
            out[f] = ("array" if isinstance(d, list) else "object" if isinstance(d, dict) else
                      "boolean" if isinstance(d, bool) else "number" if isinstance(d, (int, float)) else "string")
        return out

    out = []
    for spec in SPECS.values():
        gated = {f for e in EDITIONS for f in spec.edition_fields(e)} - set(spec.detail_fields)
        date_params = []
        for prefix in ([spec.date_field and "date"] + [p for p, _ in spec.date_filters]):
            if prefix:
                date_params += [prefix] + [f"{prefix}_{s}" for s in ("start", "end", "before", "after")]
        paths = [spec.path] + [a for a, target in PATH_ALIASES.items() if target == spec.path]
        if spec.parent:
            paths = [f"{spec.parent}/{{{SPECS[spec.parent].id_field}}}/{spec.path}"]
        for path in paths:
            out.append(BooksResource(
                name=spec.name, path=path, list_key=spec.list_key_for(config), detail_key=spec.detail_key_for(config),
                id_field=spec.id_field, label=spec.label, list_fields=kinds(spec.list_fields),
                detail_fields=kinds(spec.detail_fields), edition_fields=kinds(sorted(gated)),
                filter_by=tuple(n for n, _ in spec.filter_by), sort_columns=tuple(spec.sort_columns),
                text_fields=tuple(spec.text_fields), date_params=tuple(date_params), eq_filters=tuple(spec.eq_filters),
                amount_fields=tuple(spec.amount_fields), has_templates="templates" in spec.fixed_paths,
                refunds_key=spec.refunds_key,
                writable=frozenset(spec.writable), has_detail=spec.name not in ("reportingtags", "accounttransactions"),
                page_context="minimal" if spec.minimal_page_context else "full", batch_param=spec.batch_param,
                status_actions=tuple(spec.rules.status_actions) if spec.rules is not None else (),
                record_actions=tuple((w, tuple(getattr(a, "answer_keys", ()))) for w, a in spec.rules.actions.items())
                if spec.rules is not None else (),
                list_edition_fields=kinds(sorted({f for e in EDITIONS for f in spec.list_keys(e)}
                                                 - set(spec.list_fields))),
                action_segments=tuple((w, a.under) for w, a in (spec.rules.actions if spec.rules else {}).items()
                                      if getattr(a, "under", "")),
                create_status=str(spec.rules.create_status) if spec.rules is not None else "201"))
    return out


# ---- schemas ------------------------------------------------------------------------------------------
def field_schema(name: str, kind: str) -> Schema:
    """A field as served: its rendered kind, or either kind where seeded data and defaults differ."""
    seeded = SEEDED_TYPES.get(name)
    if seeded is None or seeded == kind:
        return dict(_KIND_SCHEMA[kind])
    if {seeded, kind} == {"integer", "number"}:
        return dict(NUMBER)
    return {"anyOf": [dict(_KIND_SCHEMA[seeded]), dict(_KIND_SCHEMA[kind])]}


def _record(fields: Mapping[str, str], optional: Mapping[str, str] = {}, overrides: Mapping[str, Schema] = {}) -> Schema:
    """A list item or detail object: exactly these keys (edition-only keys optional), nothing else."""
    req = {f: overrides.get(f, field_schema(f, k)) for f, k in fields.items()}
    opt = {f: overrides.get(f, field_schema(f, k)) for f, k in optional.items() if f not in fields}
    return obj(req, opt, closed=True)


def _org_overrides(config: Mapping[str, Any]) -> dict[str, Schema]:
    month = INTEGER if config["books.fiscal_month_as"] == "int" else STRING
    return {"fiscal_year_start_month": dict(month), "country": {"type": "string"}, "is_default_org": dict(BOOLEAN)}


def _success(payload: Mapping[str, Schema], *, status: str = "200", description: str = "success") -> dict[str, Any]:
    schema = obj({"code": {"type": "integer", "enum": [0]}, "message": STRING, **payload}, closed=True)
    return {status: {"description": description, "headers": RATE_HEADERS, "content": json_content(schema)}}


def _detail_payload(res: BooksResource, record: Schema) -> dict[str, Schema]:
    if res.detail_key is None:  # books.coa_detail_key=top_level: the fields sit beside code and message
        return dict(record["properties"])
    return {res.detail_key: record}


# ---- parameters ---------------------------------------------------------------------------------------
def _q(name: str, schema: Schema, description: str = "") -> dict[str, Any]:
    out = {"name": name, "in": "query", "required": False, "schema": schema}
    if description:
        out["description"] = description
    return out


def _path_param(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string", "minLength": 1,
                                                                    "pattern": r"^[^/?#%]+$"}}


ORG_HEADER_PARAM = {"name": "X-com-zoho-books-organizationid", "in": "header", "required": False,
                    "schema": {"type": "string"}, "description": "The organisation as a header (the query parameter wins)"}
ORG_PARAMS = [
    _q("organization_id", {"type": "string"}, "The organisation; omitted: the user's default org (books.missing_org)"),
    ORG_HEADER_PARAM,
]
DATE = {"type": "string", "format": "date"}


def _list_params(res: BooksResource) -> list[dict[str, Any]]:
    params = [
        _q("page", {"type": "integer", "minimum": 1}, "Page number (default 1)"),
        _q("per_page", {"type": "integer", "minimum": 1}, "Page size (default 200, clamped to 200)"),
    ]
    if res.sort_columns:
        params.append(_q("sort_column", {"type": "string", "enum": list(res.sort_columns)}))
        params.append(_q("sort_order", {"type": "string", "enum": ["A", "D"]}))
    if res.filter_by:
        params.append(_q("filter_by", {"type": "string", "enum": list(res.filter_by)}))
    params.append(_q("search_text", {"type": "string"}))
    if "last_modified_time" in res.list_fields or "last_modified_time" in res.detail_fields:
        params.append(_q("last_modified_time", {"type": "string"}, "YYYY-MM-DDTHH:MM:SS+hhmm, inclusive"))
    params += [_q(p, DATE) for p in res.date_params]
    for f in res.text_fields:
        params += [_q(f, {"type": "string"}, "Exact match, case-insensitive"),
                   _q(f"{f}_startswith", {"type": "string"}), _q(f"{f}_contains", {"type": "string"}),
                   _q(f"{f}_in", {"type": "string"}, "Comma-separated values"),
                   _q(f"{f}_not_in", {"type": "string"}, "Comma-separated values")]
    params += [_q(f, {"type": "string"}) for f in res.eq_filters]
    for f in res.amount_fields:
        params += [_q(f + suffix, {"type": "number"}) for suffix in
                   ("", "_less_than", "_less_equals", "_greater_than", "_greater_equals", "_start", "_end")]
    if res.batch_param:
        params.append(_q(res.batch_param, {"type": "string"}, "Comma-separated ids"))
    return list({p["name"]: p for p in params}.values())


def _op(op_id: str, summary: str, responses: dict[str, Any], params: list[dict[str, Any]] | None = None,
        body: bool = False, tag: str = "books") -> dict[str, Any]:
    out: dict[str, Any] = {"operationId": op_id, "summary": summary, "tags": [tag],
                           "security": [{"zohoOAuthToken": []}], "parameters": list(params or []),
                           "responses": responses}
    if body:
        out["requestBody"] = {"required": False, "content": json_content({"type": "object"})}
    return out


# ---- paths --------------------------------------------------------------------------------------------
def _page_context(kind: str) -> Schema:
    if kind == "full":
        full = obj({k: {} for k in ("page", "per_page", "has_more_page", "report_name", "applied_filter",
                                    "sort_column", "sort_order")})
        return {"allOf": [ref("PageContext"), full]}
    if kind == "minimal":
        return {"allOf": [ref("PageContext"), obj({k: {} for k in ("sort_column", "sort_order")})]}
    return ref("PageContext")


def _resource_paths(res: BooksResource, config: Mapping[str, Any], schemas: dict[str, Schema]
                    ) -> dict[str, dict[str, Any]]:
    is_org = res.name == "organizations"
    overrides = _org_overrides(config) if is_org else {}
    list_fields = dict(res.list_fields)
    if is_org and config["books.org_country_in_list"]:
        list_fields["country"] = "string"
    schemas[f"{res.name}_list_item"] = _record(list_fields, res.list_edition_fields, overrides=overrides)
    schemas[f"{res.name}_detail"] = detail_schema = _record(res.detail_fields, res.edition_fields, overrides)
    item = ref(f"{res.name}_list_item")
    detail = ref(f"{res.name}_detail") if res.detail_key is not None else detail_schema
    base = "/books/v3/" + res.path
    parents = [_path_param(p.strip("{}")) for p in res.path.split("/") if p.startswith("{")]
    name = res.path.replace("/", "_") if "/" in res.path and "{" not in res.path else res.name  # settings_taxes
    one = f"{base}/{{{res.id_field}}}"
    paths: dict[str, dict[str, Any]] = {base: {}, one: {}}
    list_payload: dict[str, Schema] = {res.list_key: {"type": "array", "items": item}}
    if not is_org:
        list_payload["page_context"] = _page_context(res.page_context)
    org_params = [ORG_HEADER_PARAM] if is_org else ORG_PARAMS  # /organizations/{id} names the org in the path
    errors = books_errors("400", "401", "404", "405", "429")
    paths[base]["get"] = _op(f"list_{name}", f"List {res.label.lower()} records ({res.list_key})",
                             {**_success(list_payload), **errors},
                             parents + ([] if is_org else ORG_PARAMS + _list_params(res)))
    if "create" in res.writable:
        paths[base]["post"] = _op(f"create_{name}", f"Create a {res.label.lower()}",
                                  {**_success(_detail_payload(res, detail), status=res.create_status,
                                              description="created"),
                                   **errors}, parents + ORG_PARAMS, body=True)
    if res.has_detail:
        one_params = parents + [_path_param(res.id_field)]
        paths[one]["get"] = _op(f"get_{name}", f"One {res.label.lower()} ({res.detail_key or 'top level'})",
                                {**_success(_detail_payload(res, detail)), **errors}, one_params + org_params)
        if "update" in res.writable:
            paths[one]["put"] = _op(f"update_{name}", f"Update a {res.label.lower()}",
                                    {**_success(_detail_payload(res, detail)), **errors}, one_params + ORG_PARAMS,
                                    body=True)
        if "delete" in res.writable:
            paths[one]["delete"] = _op(f"delete_{name}", f"Delete a {res.label.lower()}",
                                       {**_success({}), **errors}, one_params + ORG_PARAMS)
    return {p: ops for p, ops in paths.items() if ops}


def _extra_paths(by_name: Mapping[str, BooksResource], config: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Sub-resources the gateway serves beside the generic list/detail pairs."""
    errors = books_errors("400", "401", "404", "405", "429")
    users, items = by_name["users"], by_name["items"]
    rows = lambda fields: {"type": "array", "items": obj({f: {} for f in fields}, closed=False)}  # noqa: E731
    single = {"page_context": ref("PageContext")}
    id_ = _path_param
    return {
        "/books/v3/users/me": {"get": _op("get_current_user", "The token's own Books user",
                                          {**_success({users.detail_key or "user": ref("users_detail")}), **errors},
                                          ORG_PARAMS)},
        "/books/v3/settings/currencies/{currency_id}/exchangerates": {"get": _op(
            "list_exchange_rates", "Exchange rates of a currency",
            {**_success({"exchange_rates": rows(("exchange_rate_id", "currency_id", "currency_code", "effective_date",
                                                 "rate")), **single}), **errors},
            [id_("currency_id")] + ORG_PARAMS)},
        "/books/v3/reportingtags/{tag_id}/options/all": {"get": _op(
            "list_tag_options", "Options of a reporting tag",
            {**_success({"results": rows(("option_id", "option_name", "is_active")), **single}), **errors},
            [id_("tag_id")] + ORG_PARAMS)},
        "/books/v3/settings/tags/{tag_id}/options/all": {"get": _op(
            "list_tag_options_legacy", "Options of a reporting tag (legacy path)",
            {**_success({"results": rows(("option_id", "option_name", "is_active")), **single}), **errors},
            [id_("tag_id")] + ORG_PARAMS)},
        "/books/v3/vendorcredits/{vendor_credit_id}/bills": {"get": _op(
            "list_bills_credited", "Bills a vendor credit was applied to",
            {**_success({"bills_credited": rows(("vendor_credit_id", "bill_id", "vendor_credit_bill_id", "date",
                                                 "bill_number"))}), **errors},
            [id_("vendor_credit_id")] + ORG_PARAMS)},
        "/books/v3/itemdetails": {"get": _op(
            "get_item_details", "Up to 100 items by id, in detail",
            {**_success({"items": {"type": "array", "items": ref("items_detail")}}),
             **errors},
            [dict(_q("item_ids", {"type": "string"}, "Comma-separated item ids (1 to 100)"), required=True)] + ORG_PARAMS)},
        "/books/v3/invoices/{invoice_id}/status/{action}": {"post": _op(
            "set_invoice_status", "Mark an invoice sent, draft or void",
            {**_success({}), **errors},
            [id_("invoice_id"), {**id_("action"), "schema": {"type": "string", "enum": list(INVOICE_STATUS_ACTIONS)}}]
            + ORG_PARAMS)},
    }


def _collection_sub_paths(resources: Iterable[BooksResource]) -> dict[str, dict[str, Any]]:
    """The fixed sub-paths served under a collection: templates, refunds, an invoice's payments."""
    errors = books_errors("400", "401", "404", "405", "429")
    rows = lambda fields: {"type": "array", "items": obj({f: {} for f in fields}, closed=False)}  # noqa: E731
    out: dict[str, dict[str, Any]] = {}
    for res in resources:
        if res.has_templates:
            out[f"/books/v3/{res.path}/templates"] = {"get": _op(
                f"list_{res.name}_templates", f"Templates of {res.label.lower()}s",
                {**_success({"templates": rows(("template_name", "template_id", "template_type"))}), **errors},
                ORG_PARAMS)}
        if res.refunds_key:
            out[f"/books/v3/{res.path}/refunds"] = {"get": _op(
                f"list_{res.name}_refunds", f"Refunds of every {res.label.lower()}",
                {**_success({res.refunds_key: rows(()), "page_context": ref("PageContext")}), **errors}, ORG_PARAMS)}
    out["/books/v3/invoices/{invoice_id}/payments"] = {"get": _op(
        "list_invoice_payments", "Payments applied to an invoice",
        {**_success({"payments": rows(("payment_id", "payment_number", "invoice_id", "invoice_payment_id",
                                       "payment_mode", "description", "date", "reference_number", "exchange_rate",
                                       "amount", "tax_amount_withheld", "online_transaction_id",
                                       "is_single_invoice_payment"))}), **errors},
        [_path_param("invoice_id")] + ORG_PARAMS)}
    return out


def books_part(config: Mapping[str, Any]) -> tuple[dict[str, dict[str, Any]], dict[str, Schema]]:
    """Every Books operation the emulator serves under ``/books/v3`` (``/api/v3`` is an alias), and
    the component schemas of their records (``<resource>_list_item``, ``<resource>_detail``)."""
    resources = books_resources(config)
    paths: dict[str, dict[str, Any]] = {}
    schemas: dict[str, Schema] = {}
    for res in resources:
        for path, ops in _resource_paths(res, config, schemas).items():
            paths.setdefault(path, {}).update(ops)
    by_name = {r.name: r for r in resources}
    paths.update(_extra_paths(by_name, config))
    paths.update(_collection_sub_paths(resources))
    for path, ops in [*_action_paths().items(), *_accounting_paths(resources).items()]:
        for method, op in ops.items():
            paths.setdefault(path, {}).setdefault(method, op)
    return paths, schemas


def _action_paths() -> dict[str, dict[str, Any]]:
    """Status actions (``rules.status_actions``), other record actions (``rules.actions``: active,
    inactive) and contact-persons.yml's top-level paths: each answers ``{code, message}``."""
    errors = books_errors("400", "401", "404", "405", "429")
    person = {"contact_person": obj({f: {} for f in CONTACT_PERSON_DETAIL}, closed=False)}
    out: dict[str, dict[str, Any]] = {}
    for spec in SPECS.values():
        rules = spec.rules
        if rules is None or spec.parent:
            continue
        one = [_path_param(spec.id_field)]
        ok = {**_success({}, status="201"), **_success({}), **errors}  # Zoho answers some actions 201
        answering = {w: tuple(getattr(a, "answer_keys", ())) for w, a in rules.actions.items()}
        under = {w: getattr(a, "under", "") for w, a in rules.actions.items()}  # /uncategorized/{id}/exclude
        words = tuple(a for a, keys in answering.items() if "/" not in a and not keys and not under[a])
        for kind, names in (("status", tuple(rules.status_actions)), ("", words)):
            if not names:
                continue
            action = {**_path_param("action"), "schema": {"type": "string", "enum": list(names)}}
            suffix = "/status/{action}" if kind else "/{action}"
            out[f"/books/v3/{spec.path}/{{{spec.id_field}}}{suffix}"] = {"post": _op(
                f"{kind or 'mark'}_{spec.name}_{'status' if kind else 'action'}",
                f"{' / '.join(names)}: an action on one {spec.label.lower()}", ok, one + [action] + ORG_PARAMS)}
        for word, keys in answering.items():  # paymentreminder/enable, a vendor credit's bills ...
            if word in words:
                continue
            answer = {k: {"type": "array", "items": obj({}, closed=False)} for k in keys}
            seg = f"{under[word]}/" if under[word] else ""
            out.setdefault(f"/books/v3/{spec.path}/{seg}{{{spec.id_field}}}/{word}", {})["post"] = _op(
                f"{word.replace('/', '_')}_{spec.name}", f"{word}: an action on one {spec.label.lower()}",
                {**_success(answer, status="201"), **_success(answer), **errors}, one + ORG_PARAMS, body=bool(keys))
    pid = [_path_param("contact_person_id")]
    out["/books/v3/contacts/contactpersons"] = {"post": _op(
        "create_contact_person_top", "Create a contact person (contact_id in the body)",
        {**_success(person, status="201", description="created"), **errors}, ORG_PARAMS, body=True)}
    out["/books/v3/contacts/contactpersons/{contact_person_id}"] = {
        "put": _op("update_contact_person_top", "Update a contact person", {**_success(person), **errors},
                   pid + ORG_PARAMS, body=True),
        "delete": _op("delete_contact_person_top", "Delete a contact person", {**_success({}), **errors},
                      pid + ORG_PARAMS)}
    out["/books/v3/contacts/contactpersons/{contact_person_id}/primary"] = {"post": _op(
        "mark_contact_person_primary", "Make a contact person its contact's primary one", {**_success({}), **errors},
        pid + ORG_PARAMS)}
    return out


def _accounting_paths(resources: Iterable[BooksResource]) -> dict[str, dict[str, Any]]:
    """The chart's transaction delete and a currency's exchange-rate writes."""
    errors = books_errors("400", "401", "404", "405", "429")
    out: dict[str, dict[str, Any]] = {}
    for res in resources:
        if res.name == "accounttransactions" and "delete" in res.writable:
            out[f"/books/v3/{res.path}/{{{res.id_field}}}"] = {"delete": _op(
                "delete_account_transaction", "Delete a transaction of the chart of accounts",
                {**_success({}), **errors}, [_path_param(res.id_field)] + ORG_PARAMS)}
    rate = obj({f: {} for f in ("exchange_rate_id", "currency_id", "currency_code", "effective_date", "rate")})
    rates = "/books/v3/settings/currencies/{currency_id}/exchangerates"
    one = [_path_param("currency_id"), _path_param("exchange_rate_id")] + ORG_PARAMS
    out[rates] = {"post": _op("create_exchange_rate", "Add an exchange rate to a currency",
                              {**_success({"exchange_rate": rate}, status="201"), **errors},
                              [_path_param("currency_id")] + ORG_PARAMS, body=True)}
    out[rates + "/{exchange_rate_id}"] = {
        "get": _op("get_exchange_rate", "One exchange rate", {**_success({"exchange_rate": rate}), **errors}, one),
        "put": _op("update_exchange_rate", "Update an exchange rate", {**_success({"exchange_rate": rate}), **errors},
                   one, body=True),
        "delete": _op("delete_exchange_rate", "Delete an exchange rate", {**_success({}), **errors}, one)}
    return out
