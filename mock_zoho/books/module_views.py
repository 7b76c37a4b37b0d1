"""Routes and handlers the modules of issue 16 add to the gateway (views.py merges them).

Generic, driven by the resource descriptions: stored children of a parent record
(``/projects/{id}/tasks``: every spec with ``parent_key``) and the actions the gateway's own
record-action route (``rules.actions``, views.py) cannot take: another method than POST, the
caller's identity, the record in the answer (``rules.record_actions``: a time entry's
``timer/start``, a retainer invoice's ``PUT .../address/billing``). Named, for
behaviour with no generic form: a project's users (embedded in the project), cloning a project,
its invoices, the caller's running timer, stopping it, deleting time entries in bulk, the
documents a recurring expense made, and two reads clients make beyond Zoho's documents:
``GET /vendors`` (contacts of type vendor under ``contacts``, as the Singer tap reads it) and
``GET /settings/preferences`` (Zoho's old Python wrapper).

Every route goes through the gateway's one pipeline (authentication, org, limits, faults,
scope, journal, replay); views.py is imported lazily (``V``) because it imports this module.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from typing import Any, Callable, Mapping

import orjson
from flask import Response, request

from .. import literals as L
from ..errors import BooksError, invalid_value
from .dates import parse_date
from .fields import default_for
from . import module_custom as CM
from .keys import record_ns
from .models import not_found
from .module_assets import forecast
from .module_custom import CUSTOM_SPEC
from .module_ledger import (BCY_ADJUSTMENT_MESSAGE, OPENING_BALANCE_DELETED_MESSAGE, OPENING_BALANCE_NS,
                            OPENING_BALANCE_RULES, OPENING_BALANCE_SAVED_MESSAGE, adjustment_preview)
from .module_documents import LOCATIONS_ENABLED_MESSAGE, PRIMARY_LOCATION_NAME
from .module_fields import (ASSET_FORECAST, ASSET_HISTORY, EXPENSE_HISTORY, OPENING_BALANCE_FIELDS, PROJECT_USER_DETAIL,
                            PROJECT_USER_LIST)
from .module_rules import (PROJECT_CLONED_MESSAGE, PROJECT_USER_INVITED_MESSAGE, PROJECT_USERS_ADDED_MESSAGE,
                           TIME_ENTRIES_DELETED_MESSAGE, TIMER_STOPPED_MESSAGE, refresh_project, stop_timer)
from .query import PER_PAGE_DEFAULT, PER_PAGE_MAX, Query, parse_positive_int
from .resources import SPECS, ResourceSpec
from .rules import check


@dataclass(frozen=True)
class GenericOps:
    """The gateway's generic handlers and helpers these handlers build on (views.py passes its own:
    this module never imports views, which imports it)."""

    h_list: Callable[..., Response]
    h_detail: Callable[..., Response]
    h_create: Callable[..., Response]
    h_update: Callable[..., Response]
    h_delete: Callable[..., Response]
    parse_body: Callable[[], dict[str, Any]]
    ok: Callable[..., Response]
    _writing: Callable[..., Any]
    _detail_payload: Callable[..., dict[str, Any]]


# ---- the route table ------------------------------------------------------------------------------
def module_routes(Route, ID: str) -> list:
    """The routes of the added modules, matched before the generic ones (views._routes)."""
    s = SPECS
    routes = [
        Route(("vendors",), s["contacts"], {"GET": "vendor_list"}),
        Route(("settings", "preferences"), s["organizations"], {"GET": "preferences"}),
        Route(("projects", "timeentries"), s["timeentries"], {"GET": "time_entries_list", "POST": "create",
                                                               "DELETE": "time_entries_delete"}),
        Route(("projects", "timeentries", "timer", "stop"), s["timeentries"], {"POST": "timer_stop"},
              ops={"POST": "CREATE"}),
        Route(("projects", "timeentries", "runningtimer", "me"), s["timeentries"], {"GET": "running_timer"}),
        Route(("projects", ID, "clone"), s["projects"], {"POST": "project_clone"}),
        Route(("projects", ID, "invoices"), s["projects"], {"GET": "project_invoices"}),
        Route(("projects", ID, "users"), s["projects"], {"GET": "project_users", "POST": "project_users_add"}),
        Route(("projects", ID, "users", "invite"), s["projects"], {"POST": "project_user_invite"}),
        Route(("projects", ID, "users", ID), s["projects"], {"GET": "project_user", "PUT": "project_user_update",
                                                            "DELETE": "project_user_delete"}),
        Route(("recurringexpenses", ID, "expenses"), s["recurringexpenses"], {"GET": "recurring_children"}),
        Route(("recurring_bills", ID), s["recurringbills"], {"GET": "detail", "PUT": "update", "DELETE": "delete"}),
        Route(("settings", "locations", "enable"), s["locations"], {"POST": "locations_enable"}),
        Route(("fixedassets", ID, "history"), s["fixedassets"], {"GET": "asset_history"}),
        Route(("basecurrencyadjustment",), s["basecurrencyadjustments"], {"GET": "list", "POST": "bcy_create"}),
        Route(("basecurrencyadjustment", "accounts"), s["basecurrencyadjustments"], {"GET": "bcy_accounts"}),
        Route(("cm_*",), CUSTOM_SPEC, {"GET": "custom_list", "POST": "custom_create", "PUT": "custom_bulk_update",
                                       "DELETE": "custom_delete_all"}),
        Route(("cm_*", ID), CUSTOM_SPEC, {"GET": "custom_detail", "PUT": "custom_update", "DELETE": "custom_delete"}),
        # one record per org (settings scope; journalled under the organisation's route name)
        Route(("settings", "openingbalances"), s["organizations"],
              {"GET": "opening_balance", "POST": "opening_balance_create", "PUT": "opening_balance_update",
               "DELETE": "opening_balance_delete"}),
        Route(("fixedassets", ID, "forecast"), s["fixedassets"], {"GET": "asset_forecast"}),
    ]
    for spec in s.values():
        segs = tuple(spec.path.split("/"))
        if spec.parent_key:
            parent = tuple(s[spec.parent].path.split("/")) + (ID,) + segs
            routes.append(Route(parent, spec, {"GET": "child_list", "POST": "child_create"}))
            routes.append(Route(parent + (ID,), spec, {"GET": "child_detail", "PUT": "child_update",
                                                       "DELETE": "child_delete"}))
        for sub, action in (getattr(spec.rules, "record_actions", None) or {}).items():
            routes.append(Route(segs + (ID,) + tuple(sub.split("/")), spec, {action.method: "module_action"},
                                ops={action.method: action.op}))
    return routes


# ---- helpers ----------------------------------------------------------------------------------------
def _parent(call) -> dict[str, Any]:
    return call.backend.require(call.org_id, SPECS[call.spec.parent], call.params[0])


def _own_child(call) -> dict[str, Any]:
    _parent(call)
    rec = call.backend.require(call.org_id, call.spec, call.params[1])
    if rec.get(call.spec.parent_key) != call.params[0]:
        raise not_found(call.spec.label)
    return rec


def _caller(call) -> dict[str, Any]:
    return call.backend.books_user_for(call.org_id, call.user_id) or {}


def _running(call) -> dict[str, Any] | None:
    me = _caller(call).get("user_id")
    return next((e for e in call.backend.records(call.org_id, "timeentries")
                 if e.get("_timer_start") is not None and e.get("user_id") == me), None)


# GET /projects/{id}/invoices rows (projects.yml list_project_invoices)
PROJECT_INVOICE_FIELDS = ("invoice_id", "customer_name", "status", "invoice_number", "reference_number", "date",
                          "due_date", "total", "balance", "created_time")


def _sub_list(name: str, id_field: str, fields: tuple[str, ...], report: str, columns: str) -> ResourceSpec:
    """A list another record holds (a project's invoices, a profile's expenses), sorted and paged as the generic
    list query does: one page of everything unless the client pages (single_page), documented columns only."""
    return ResourceSpec(name=name, detail_key=name, id_field=id_field, label=report, scope="projects",
                        list_fields=fields, detail_fields=fields, report_name=report, single_page=True,
                        minimal_page_context=True, sort_columns=tuple(c.strip() for c in columns.split(",")))


# projects.yml's and recurring-expenses.yml's sort columns (the latter names the profile list's; an expense row
# has its date, account, customer and total of them)
PROJECT_INVOICES_VIEW = _sub_list("projectinvoices", "invoice_id", PROJECT_INVOICE_FIELDS, "Invoices",
                                  "invoice_number, date, total, balance, created_time")
EXPENSE_HISTORY_VIEW = _sub_list("expensehistory", "expense_id", EXPENSE_HISTORY, "Expense History",
                                 "date, next_expense_date, account_name, total, last_created_date, recurrence_name, "
                                 "customer_name, created_time")


def _page_of(call, view: ResourceSpec, rows: list, default_column: str) -> tuple[list, dict[str, Any]]:
    """The page of ``rows`` the request asks for, newest (by ``default_column``) first unless it sorts."""
    args = dict(call.args())
    if not args.get("sort_column"):
        args.update(sort_column=default_column, sort_order=args.get("sort_order") or "D")
    chunk, ctx = Query(view, args, config=call.config, today=call.backend.today(call.org),
                       offset=call.backend.org_offset(call.org)).run(rows)
    return chunk, {"page": ctx["page"], "per_page": ctx["per_page"], "has_more_page": ctx["has_more_page"],
                   "report_name": view.report_name, "sort_column": ctx["sort_column"], "sort_order": ctx["sort_order"]}


def _user_rows(call, project: Mapping[str, Any], fields: tuple[str, ...], only: set[str] | None = None) -> list:
    me = _caller(call).get("user_id")
    return [{**{f: u.get(f, default_for(f)) for f in fields}, "is_current_user": u.get("user_id") == me}
            for u in project.get("users") or [] if only is None or u.get("user_id") in only]


def _project_user(project: Mapping[str, Any], user_id: str) -> dict[str, Any]:
    row = next((u for u in project.get("users") or [] if u.get("user_id") == user_id), None)
    if row is None:
        raise not_found("User")
    return row


def _write_project(call, body: dict[str, Any]) -> dict[str, Any]:
    """Apply ``body`` to the project through its rules (inside the caller's write unit); the new record."""
    spec, backend, ctx = call.spec, call.backend, call.wctx()
    old = backend.require(call.org_id, spec, call.params[0])
    rec = spec.rules.build(ctx, body, old)
    rec[spec.id_field] = old[spec.id_field]
    ctx.touch(rec)
    backend.put_record(call.org_id, spec.name, rec)
    spec.rules.after_write(ctx, old, rec)
    return backend.get_record(call.org_id, spec.name, rec[spec.id_field])


class ModuleHandlers:
    """The handlers of the added modules, on the gateway's generic operations (``GenericOps``)."""

    def __init__(self, generic: GenericOps) -> None:
        self.v = generic

    def handlers(self) -> dict[str, Callable[[Any], Response]]:
        """Handler name (as the route table names it) -> bound handler."""
        return {name[2:]: getattr(self, name) for name in dir(self) if name.startswith("h_")}

    def h_child_list(self, call) -> Response:
        _parent(call)
        key, pid = call.spec.parent_key, call.params[0]
        return self.v.h_list(call, [r for r in call.backend.records(call.org_id, call.spec.name) if r.get(key) == pid])

    def h_child_detail(self, call) -> Response:
        _own_child(call)
        return self.v.h_detail(replace(call, params=[call.params[1]]))

    def h_child_create(self, call) -> Response:
        _parent(call)
        body = {**self.v.parse_body(), call.spec.parent_key: call.params[0]}
        return self.v.h_create(replace(call, params=[]), body)

    def h_child_update(self, call) -> Response:
        _own_child(call)
        body = {**self.v.parse_body(), call.spec.parent_key: call.params[0]}
        return self.v.h_update(replace(call, params=[call.params[1]]), body)

    def h_child_delete(self, call) -> Response:
        _own_child(call)
        return self.v.h_delete(replace(call, params=[call.params[1]]))

    def h_module_action(self, call) -> Response:
        """``POST /<path>/{id}/<sub-path>``: the action the rules name for the matched sub-path."""
        V, spec, backend = self.v, call.spec, call.backend
        sub = "/".join(call.route.pattern[len(spec.path.split("/")) + 1:])
        action = spec.rules.record_actions[sub]
        ctx = call.wctx()
        body = V.parse_body() if action.takes_body else {}
        with V._writing(call):
            old = backend.require(call.org_id, spec, call.params[0])
            rec = copy.deepcopy(old)
            action.run(ctx, rec, _caller(call), body)
            ctx.touch(rec)
            backend.put_record(call.org_id, spec.name, rec)
            spec.rules.after_write(ctx, old, rec)
            payload = V._detail_payload(call, spec, backend.get_record(call.org_id, spec.name, rec[spec.id_field])) \
                if action.answer else {}
        return V.ok(payload, action.status, action.message)

    def h_time_entries_list(self, call) -> Response:
        """The generic list, plus time-entries.yml's ``from_date`` / ``to_date`` (log dates, inclusive)."""
        recs = call.backend.records(call.org_id, call.spec.name)
        for param, keep in (("from_date", lambda d, day: d >= day), ("to_date", lambda d, day: d <= day)):
            if request.args.get(param):
                day = parse_date(request.args[param], param)
                recs = [r for r in recs if keep(str(r.get("log_date") or ""), day)]
        return self.v.h_list(call, recs)

    def h_timer_stop(self, call) -> Response:
        V, backend = self.v, call.backend
        ctx = call.wctx()
        with V._writing(call):
            running = _running(call)
            if running is None:
                raise not_found("Running timer")
            entry = copy.deepcopy(running)
            stop_timer(ctx, entry)
            backend.put_record(call.org_id, "timeentries", entry)
            refresh_project(ctx, entry.get("project_id"))
            payload = V._detail_payload(call, call.spec, backend.get_record(call.org_id, "timeentries", entry["time_entry_id"]))
        return V.ok(payload, 200, TIMER_STOPPED_MESSAGE)

    def h_running_timer(self, call) -> Response:
        running = _running(call)
        if running is None:
            raise not_found("Running timer")
        return self.v.ok(self.v._detail_payload(call, call.spec, running))

    def h_time_entries_delete(self, call) -> Response:
        """``DELETE /projects/timeentries?time_entry_ids=a,b``: all of them or none (one refusal refuses all)."""
        V, spec, backend = self.v, call.spec, call.backend
        wanted = [x.strip() for x in (request.args.get("time_entry_ids") or "").split(",") if x.strip()]
        if not wanted or len(wanted) > 200 or not all(x.isdigit() for x in wanted):
            raise invalid_value("time_entry_ids")
        ctx = call.wctx()
        with V._writing(call):
            for rid in dict.fromkeys(wanted):
                rec = backend.require(call.org_id, spec, rid)
                spec.rules.check_delete(ctx, rec)
                backend.delete_record(call.org_id, spec.name, rid)
                spec.rules.after_delete(ctx, rec)
        return V.ok({}, 200, TIME_ENTRIES_DELETED_MESSAGE)

    def h_project_clone(self, call) -> Response:
        """A new project like this one (billing, budget, users, tasks; no time logged), under a new name."""
        V = self.v
        source = call.backend.require(call.org_id, call.spec, call.params[0])
        data = check(V.parse_body(), {"project_name": "str", "description": "str"})
        if not data.get("project_name"):
            raise invalid_value("project_name")
        tasks = [t for t in call.backend.records(call.org_id, "tasks") if t.get("project_id") == source["project_id"]]
        body = {k: source.get(k) for k in ("customer_id", "billing_type", "rate", "budget_type", "budget_amount",
                                            "cost_budget_amount", "description") if source.get(k) not in (None, "")}
        body["budget_hours"] = source.get("budget_hours") or ""
        body.update(data)
        users = source.get("users") or []
        body["user_id"] = users[0]["user_id"] if users else ""
        body["users"] = [{k: u.get(k) for k in ("user_id", "rate", "cost_rate", "user_role", "budget_hours")} for u in users]
        body["tasks"] = [{k: t.get(k) for k in ("task_name", "description", "rate", "budget_hours", "is_billable")}
                         for t in sorted(tasks, key=lambda t: (t.get("_ct", 0), t["task_id"]))]
        created = V.h_create(replace(call, params=[]), body)
        answer = orjson.loads(created.get_data())
        answer.pop("code"), answer.pop("message")
        return V.ok(answer, 200, PROJECT_CLONED_MESSAGE)

    def h_project_invoices(self, call) -> Response:
        """The invoices with a line for this project (line_items[].project_id), newest first."""
        project = call.backend.require(call.org_id, call.spec, call.params[0])
        pid = project["project_id"]
        rows = [inv for inv in call.backend.records(call.org_id, "invoices")
                if any(li.get("project_id") == pid for li in inv.get("line_items") or [])]
        rows, ctx = _page_of(call, PROJECT_INVOICES_VIEW, rows, "created_time")
        return self.v.ok({"invoices": [{f: r.get(f, default_for(f)) for f in PROJECT_INVOICE_FIELDS} for r in rows],
                            "page_context": ctx})

    def h_project_users(self, call) -> Response:
        project = call.backend.require(call.org_id, call.spec, call.params[0])
        return self.v.ok({"users": _user_rows(call, project, PROJECT_USER_LIST)})

    def h_project_users_add(self, call) -> Response:
        V = self.v
        rows = V.parse_body().get("users")
        if not isinstance(rows, list) or not rows:
            raise invalid_value("users")
        with V._writing(call):
            project = _write_project(call, {"users": rows})
        added = {str(r.get("user_id")) for r in rows if isinstance(r, dict)}
        return V.ok({"users": _user_rows(call, project, PROJECT_USER_LIST, added)}, 201, PROJECT_USERS_ADDED_MESSAGE)

    def h_project_user_invite(self, call) -> Response:
        """Invite someone by email: a Books user of the org (status ``invited``, unless one has that email) who joins the project."""
        V, backend = self.v, call.backend
        data = check(V.parse_body(), {"user_name": "str", "email": "str", "user_role": "str", "rate": "num",
                                      "budget_hours": "str", "cost_rate": "num"})
        for name in ("user_name", "email"):
            if not data.get(name):
                raise invalid_value(name)
        if "@" not in data["email"]:
            raise invalid_value("email")
        with V._writing(call):
            backend.require(call.org_id, call.spec, call.params[0])
            user = next((u for u in backend.records(call.org_id, "users")
                         if str(u.get("email", "")).lower() == data["email"].lower()), None)
            if user is None:
                now = backend.now()
                user = {"user_id": backend.new_id(call.org_id), "role_id": backend.new_id(call.org_id),
                        "name": data["user_name"], "email": data["email"],
                        "email_ids": [{"email": data["email"], "is_selected": True}],
                        "user_role": data.get("user_role") or "staff", "status": "invited", "is_current_user": False,
                        "photo_url": "", "is_customer_segmented": False, "is_vendor_segmented": False, "user_type": "zoho",
                        "cost_rate": data.get("cost_rate") or 0, "is_employee": False,
                        "created_time": backend.timestamp(call.org, now), "custom_fields": [], "_ct": now, "_lmt": now}
                backend.put_record(call.org_id, "users", user)
            row = {k: data[k] for k in ("rate", "budget_hours", "cost_rate", "user_role") if k in data}
            project = _write_project(call, {"users": [{**row, "user_id": user["user_id"]}]})
        return V.ok({"users": _user_rows(call, project, PROJECT_USER_LIST, {user["user_id"]})}, 201,
                    PROJECT_USER_INVITED_MESSAGE)

    def h_project_user(self, call) -> Response:
        project = call.backend.require(call.org_id, call.spec, call.params[0])
        _project_user(project, call.params[1])
        return self.v.ok({"user": _user_rows(call, project, PROJECT_USER_DETAIL, {call.params[1]})[0]})

    def h_project_user_update(self, call) -> Response:
        V = self.v
        data = check(V.parse_body(), {"rate": "num", "budget_hours": "str", "cost_rate": "num", "user_role": "str"})
        with V._writing(call):
            _project_user(call.backend.require(call.org_id, call.spec, call.params[0]), call.params[1])
            project = _write_project(call, {"users": [{**data, "user_id": call.params[1]}]})
        return V.ok({"users": _user_rows(call, project, PROJECT_USER_LIST, {call.params[1]})}, 200,
                    L.UPDATED_MESSAGE.format(label="project user"))

    def h_project_user_delete(self, call) -> Response:
        """A user with time logged in the project stays (code 1040); the last user stays too (code 2)."""
        V, backend = self.v, call.backend
        ctx = call.wctx()
        with V._writing(call):
            project = copy.deepcopy(backend.require(call.org_id, call.spec, call.params[0]))
            _project_user(project, call.params[1])
            if any(e.get("project_id") == project["project_id"] and e.get("user_id") == call.params[1]
                   for e in backend.records(call.org_id, "timeentries")):
                raise BooksError(L.HAS_DEPENDENTS, label="User")
            if len(project["users"]) == 1:
                raise invalid_value("user_id")
            project["users"] = [u for u in project["users"] if u.get("user_id") != call.params[1]]
            ctx.touch(project)
            backend.put_record(call.org_id, "projects", project)
            refresh_project(ctx, project["project_id"])
        return V.ok({}, 200, L.DELETED_MESSAGE.format(label="project user"))

    def h_recurring_children(self, call) -> Response:
        profile = call.backend.require(call.org_id, call.spec, call.params[0])
        rid = profile["recurring_expense_id"]
        rows = [e for e in call.backend.records(call.org_id, "expenses") if e.get("recurring_expense_id") == rid]
        rows, ctx = _page_of(call, EXPENSE_HISTORY_VIEW, rows, "date")
        ctx.update(filter_by="Status.All", search_text="")  # recurring-expenses.yml's page_context adds them
        return self.v.ok({"expensehistory": [{f: e.get(f, default_for(f)) for f in EXPENSE_HISTORY} for e in rows],
                            "page_context": ctx})

    def h_vendor_list(self, call) -> Response:
        """``GET /vendors``: the contacts of type vendor, as ``GET /contacts`` lists them (key ``contacts``)."""
        vendors = [c for c in call.backend.records(call.org_id, "contacts") if c.get("contact_type") == "vendor"]
        return self.v.h_list(call, vendors)

    def h_locations_enable(self, call) -> Response:
        """Locations on: the org gets a primary "Head Office" unless it has a location already."""
        V, backend = self.v, call.backend
        with V._writing(call):
            if not backend.records(call.org_id, "locations"):
                ctx = call.wctx()
                rec = call.spec.rules.build(ctx, {"location_name": PRIMARY_LOCATION_NAME}, None)
                now = backend.now()
                rec.update(location_id=backend.new_id(call.org_id), _ct=now, _lmt=now)
                backend.put_record(call.org_id, "locations", rec)
        return V.ok({}, 200, LOCATIONS_ENABLED_MESSAGE)

    def h_asset_history(self, call) -> Response:
        """A fixed asset's valuations (depreciations, write-off, sale), newest first, paged as lists are."""
        asset = call.backend.require(call.org_id, call.spec, call.params[0])
        page = parse_positive_int(request.args.get("page"), "page", 1)
        per_page = min(parse_positive_int(request.args.get("per_page"), "per_page", PER_PAGE_DEFAULT), PER_PAGE_MAX)
        rows = [{f: r.get(f, default_for(f)) for f in ASSET_HISTORY} for r in reversed(asset.get("_history") or [])]
        start = (page - 1) * per_page
        return self.v.ok({"asset_history": rows[start:start + per_page],
                          "page_context": {"page": page, "per_page": per_page,
                                           "has_more_page": start + per_page < len(rows)}})

    def h_asset_forecast(self, call) -> Response:
        """The depreciations still to come, down to the salvage value (module_assets.forecast)."""
        asset = call.backend.require(call.org_id, call.spec, call.params[0])
        return self.v.ok({"data": [{f: r[f] for f in ASSET_FORECAST} for r in forecast(asset)]})

    def h_bcy_create(self, call) -> Response:
        """``POST /basecurrencyadjustment?account_ids=...``: the accounts picked by the query, as documented."""
        V = self.v
        body = {**V.parse_body(), **({"account_ids": request.args["account_ids"]} if request.args.get("account_ids") else {})}
        created = V.h_create(call, body)
        answer = orjson.loads(created.get_data())
        answer.pop("code"), answer.pop("message")
        return V.ok(answer, created.status_code, BCY_ADJUSTMENT_MESSAGE)

    def h_bcy_accounts(self, call) -> Response:
        return self.v.ok({"data": adjustment_preview(call.wctx(), request.args)})

    def _opening_balance(self, call) -> dict[str, Any] | None:
        return call.backend.store.get(record_ns(call.org_id, OPENING_BALANCE_NS), "current")

    def _save_opening_balance(self, call, existing: dict[str, Any] | None) -> Response:
        V = self.v
        body = V.parse_body()
        with V._writing(call):
            current = self._opening_balance(call)
            if existing is None and current is not None:
                raise BooksError(L.ALREADY_EXISTS, label="Opening balance", value=current.get("date"))
            if existing is not None and current is None:
                raise not_found("Opening balance")
            rec = OPENING_BALANCE_RULES.build(call.wctx(), body, current)
            call.backend.store.put(record_ns(call.org_id, OPENING_BALANCE_NS), "current", rec)
        return V.ok({"opening_balance": {f: rec.get(f, default_for(f)) for f in OPENING_BALANCE_FIELDS}},
                    OPENING_BALANCE_RULES.create_status if existing is None else 200, OPENING_BALANCE_SAVED_MESSAGE)

    def h_opening_balance(self, call) -> Response:
        rec = self._opening_balance(call)
        if rec is None:
            raise not_found("Opening balance")
        return self.v.ok({"opening_balance": {f: rec.get(f, default_for(f)) for f in OPENING_BALANCE_FIELDS}})

    def h_opening_balance_create(self, call) -> Response:
        return self._save_opening_balance(call, None)

    def h_opening_balance_update(self, call) -> Response:
        return self._save_opening_balance(call, {})

    def h_opening_balance_delete(self, call) -> Response:
        with self.v._writing(call):
            if not call.backend.store.delete(record_ns(call.org_id, OPENING_BALANCE_NS), "current"):
                raise not_found("Opening balance")
        return self.v.ok({}, 200, OPENING_BALANCE_DELETED_MESSAGE)

    # -- custom modules (module_custom.py) ------------------------------------------------------------
    def _custom_records(self, call, module: str) -> list[dict[str, Any]]:
        return sorted((r for r in call.backend.store.values(CM.namespace(call.org_id))
                       if r.get("module_api_name") == module), key=lambda r: (-r.get("_ct", 0), r["module_record_id"]))

    def _custom_record(self, call) -> dict[str, Any]:
        module = CM.module_name(call.params[0])
        rec = call.backend.store.get(CM.namespace(call.org_id), call.params[1])
        if rec is None or rec.get("module_api_name") != module:
            raise not_found("Module record")
        return rec

    def _custom_save(self, call, rec: dict[str, Any], body: Mapping[str, Any], creating: bool) -> dict[str, Any]:
        CM.write_record(rec, body, creating=creating)
        CM.stamp(rec, call.backend.now(), call.backend.org_offset(call.org), _caller(call).get("user_id") or "",
                 creating=creating)
        call.backend.store.put(CM.namespace(call.org_id), rec["module_record_id"], rec)
        return CM.render(rec)

    def h_custom_list(self, call) -> Response:
        recs = self._custom_records(call, CM.module_name(call.params[0]))
        page = parse_positive_int(request.args.get("page"), "page", 1)
        per_page = min(parse_positive_int(request.args.get("per_page"), "per_page", PER_PAGE_DEFAULT), PER_PAGE_MAX)
        start = (page - 1) * per_page
        return self.v.ok({"module_record": [CM.render(r) for r in recs[start:start + per_page]],
                          "page_context": {"page": page, "per_page": per_page, "has_more_page": start + per_page < len(recs),
                                           "applied_filter": "Status.All", "sort_column": "created_time",
                                           "sort_order": "D"}})

    def h_custom_create(self, call) -> Response:
        module = CM.module_name(call.params[0])
        body = self.v.parse_body()
        with self.v._writing(call):
            rec = {"module_record_id": call.backend.new_id(call.org_id), "module_api_name": module}
            row = self._custom_save(call, rec, body, True)
        return self.v.ok({"module_record": [row]}, 200, CM.created_message(module))  # 200, as documented

    def h_custom_bulk_update(self, call) -> Response:
        """Several records at once: ``{"module_records": [...]}`` or one record's fields with its id."""
        module = CM.module_name(call.params[0])
        body = self.v.parse_body()
        rows = body.get("module_records") if "module_records" in body else [body]
        if not isinstance(rows, list) or not rows or not all(isinstance(r, dict) for r in rows):
            raise invalid_value("module_records")
        out = []
        with self.v._writing(call):
            for row in rows:
                rec = call.backend.store.get(CM.namespace(call.org_id), str(row.get("module_record_id") or ""))
                if rec is None or rec.get("module_api_name") != module:
                    raise invalid_value("module_record_id")
                out.append({**self._custom_save(call, copy.deepcopy(rec), row, False), "code": 0,
                            "message": L.SUCCESS_MESSAGE})
        return self.v.ok({"module_record": out}, 200, CM.BULK_UPDATED_MESSAGE)

    def h_custom_delete_all(self, call) -> Response:
        module = CM.module_name(call.params[0])
        with self.v._writing(call):
            recs = self._custom_records(call, module)
            if not recs:
                raise not_found("Custom module")
            for rec in recs:
                call.backend.store.delete(CM.namespace(call.org_id), rec["module_record_id"])
        return self.v.ok({}, 200, CM.MODULE_DELETED_MESSAGE)

    def h_custom_detail(self, call) -> Response:
        rec = self._custom_record(call)
        users = [u for u in (call.backend.get_record(call.org_id, "users", uid) for uid in CM.record_user_ids(rec)) if u]
        return self.v.ok(CM.render_detail(rec, users, _caller(call).get("user_id") or ""))

    def h_custom_update(self, call) -> Response:
        body = self.v.parse_body()
        with self.v._writing(call):
            rec = copy.deepcopy(self._custom_record(call))
            row = self._custom_save(call, rec, body, False)
        return self.v.ok({"module_record": [row]}, 200, CM.updated_message(rec["module_api_name"]))

    def h_custom_delete(self, call) -> Response:
        with self.v._writing(call):
            rec = self._custom_record(call)
            call.backend.store.delete(CM.namespace(call.org_id), rec["module_record_id"])
        return self.v.ok({}, 200, L.SUCCESS_MESSAGE)

    def h_preferences(self, call) -> Response:
        """``GET /settings/preferences``: the organisation's preferences as Zoho's old Python wrapper reads
        them (``preferences`` with its flags, terms, address formats and auto reminders; our values)."""
        org = call.org
        prefs = {
            "convert_to_invoice": True, "attach_pdf_for_email": True, "estimate_approval_status": "accepted",
            "notify_me_on_online_payment": True, "send_payment_receipt_acknowledgement": "true",
            "auto_notify_recurring_invoice": True, "snail_mail_include_payment_stub": False, "is_show_powered_by": True,
            "attach_expense_receipt_to_invoice": False, "is_estimate_enabled": True,
            "is_project_enabled": True, "is_purchaseorder_enabled": True,
            "is_salesorder_enabled": True, "is_pricebooks_enabled": False,
            "attach_payment_receipt_with_acknowledgement": "false", "auto_reminders": [],
            "terms": {"invoice_terms": "", "estimate_terms": "", "creditnote_terms": ""},
            "address_formats": {"organization_address_format": "${ORGANIZATION.CITY} ${ORGANIZATION.STATE}",
                                "customer_address_format": "${CONTACT.CONTACT_ADDRESS}"},
            "date_format": org.get("date_format"), "currency_code": org.get("currency_code"),
            "fiscal_year_start_month": org.get("fiscal_year_start_month"), "time_zone": org.get("time_zone"),
        }
        return self.v.ok({"preferences": prefs, "custom_fields": []})
