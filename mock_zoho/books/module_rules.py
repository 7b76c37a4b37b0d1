"""Write rules of projects, their tasks and users, and time entries (projects.yml, tasks.yml,
time-entries.yml): validation Zoho-style (code 2 naming the field), the names a record copies
from what it points at, and the roll-up that keeps a project's and its tasks' hours and amounts
equal to the sum of their time entries (``refresh_project``, the one arithmetic the write path
and the seeder share).

Choices where the documents are silent (kept stable, README "Projects and time tracking"):

* Hours are ``"HH:MM"`` text; a time entry keeps its exact seconds (``_seconds``), the roll-ups
  sum whole minutes. A time entry logs at most 24:00.
* Amounts follow the billing type: ``based_on_project_hours`` bills billable hours at the
  project's rate, ``based_on_task_hours`` at each task's, ``based_on_staff_hours`` at each
  project user's, ``fixed_cost_for_project`` is the project's rate once (unbilled until invoiced).
  ``cost_amount`` (project and entry) is hours times the entry's cost rate (the user's by default).
* A time entry is ``billed`` once an invoice line names it (``time_entry_ids``); billed entries are
  not deleted. Deleting a project removes its tasks and unbilled time entries; a task with time
  entries, or a project user with time entries in the project, is not deleted (code 1040).
* One running timer per user: starting another stops the running one first.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from .. import literals as L
from ..http import BooksAPIError, invalid_value
from .module_fields import PROJECT_TASK_EMBEDDED, PROJECT_USER_LIST
from .rules import DocumentRules, RecordAction, WriteContext, WriteRules, check_rows, fresh_record, one_of

@dataclass(frozen=True)
class ModuleAction:
    """An action the gateway's ``rules.actions`` route cannot serve (another method than POST, the
    caller's identity, the record in the answer): ``<method> /<path>/{id}/<sub-path>`` on one record
    (rules.record_actions maps sub-paths to these):
    ``run(ctx, record, caller, body)`` changes the stored record's copy (caller: the calling Books user;
    body: the request's, with ``takes_body``), then the rules' after_write runs; the answer is
    ``message`` and, with ``answer``, the record's detail."""

    run: Callable[[WriteContext, dict[str, Any], Mapping[str, Any], Mapping[str, Any]], None]
    message: str
    op: str = "CREATE"  # the scope operation Zoho's document names (ZohoBooks.<module>.<op>)
    method: str = "POST"
    answer: bool = False
    status: int = 200  # the HTTP status the document gives the answer
    takes_body: bool = False


BILLING_TYPES = ("fixed_cost_for_project", "based_on_project_hours", "based_on_staff_hours", "based_on_task_hours")
BUDGET_TYPES = ("", "total_project_cost", "total_project_hours", "hours_per_task", "hours_per_staff")
MAX_ENTRY_MINUTES = 24 * 60


def _money(x: float) -> float:
    return round(float(x) + 0.0, 2)


def hhmm(minutes: int) -> str:
    """Zoho's hours text: 90 -> "01:30" (hours past 99 keep every digit)."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_hhmm(value: Any, field: str, *, limit: int = MAX_ENTRY_MINUTES) -> int:
    """Minutes of an ``"H:MM"``/``"HH:MM"`` text (or a number of hours); code 2 naming ``field`` otherwise."""
    if isinstance(value, bool):
        raise invalid_value(field)
    text = str(value).strip()
    if isinstance(value, (int, float)) or (text and ":" not in text and text.replace(".", "", 1).isdigit()):
        minutes = round(float(text) * 60)  # a number of hours ("0", "1.5"), as the documents' examples send
    else:
        head, sep, tail = text.partition(":")
        if not sep or not head.isdigit() or not (tail.isdigit() and len(tail) == 2) or int(tail) >= 60:
            raise invalid_value(field)
        minutes = int(head) * 60 + int(tail)
    if not 0 <= minutes <= limit:
        raise invalid_value(field)
    return minutes


def without_blanks(body: Mapping[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """``body`` without the ``fields`` sent as blank text (the documents' examples send " " for "not given")."""
    return {k: v for k, v in body.items() if not (k in fields and isinstance(v, str) and not v.strip())}


def books_user(ctx: WriteContext, user_id: str | None, field: str = "user_id") -> dict[str, Any]:
    user = ctx.get("users", user_id)
    if user is None or user.get("status") == "deleted":
        raise invalid_value(field)
    return user


def project_user_row(user: Mapping[str, Any], row: Mapping[str, Any], base: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A project user as the project record embeds it (PROJECT_USER_LIST plus hidden minutes)."""
    out = dict(base or {f: None for f in PROJECT_USER_LIST})
    out.update({"user_id": user["user_id"], "user_name": user.get("name") or "", "email": user.get("email") or "",
                "user_role": row.get("user_role") or out.get("user_role") or user.get("user_role") or "staff",
                "status": user.get("status") or "active", "is_current_user": False})
    for key, default in (("rate", 0), ("cost_rate", user.get("cost_rate") or 0)):
        out[key] = row[key] if row.get(key) is not None else (out.get(key) if out.get(key) is not None else default)
    out["budget_hours"] = hhmm(parse_hhmm(row["budget_hours"], "budget_hours", limit=10 ** 7)) \
        if str(row.get("budget_hours") or "").strip() else (out.get("budget_hours") or "")
    for key in ("total_hours", "billed_hours", "un_billed_hours"):
        out[key] = out.get(key) or "00:00"
    return out


USER_ROW_SCHEMA = {"user_id": "id", "rate": "num", "budget_hours": "str", "cost_rate": "num", "user_role": "str"}
TASK_ROW_SCHEMA = {"task_name": "str", "description": "str", "rate": "num", "budget_hours": "str", "is_billable": "bool"}


# ---- projects ---------------------------------------------------------------------------------------
class ProjectRules(WriteRules):
    schema = {"project_name": "str", "customer_id": "id", "currency_id": "id", "description": "str",
              "billing_type": "str", "rate": "num", "budget_type": "str", "budget_hours": "str",
              "budget_amount": "num", "cost_budget_amount": "num", "user_id": "id", "tasks": "list", "users": "list",
              "status": "str", "show_in_dashboard": "bool",
              "custom_fields": "list"}  # stored, not rendered: what an upsert by custom field matches
    required = ("project_name", "customer_id", "billing_type", "user_id")

    def build(self, ctx, body, existing):
        return super().build(ctx, without_blanks(body, ("budget_type", "budget_hours", "rate", "budget_amount",
                                                        "cost_budget_amount")), existing)

    def apply(self, ctx, rec, data, existing):
        one_of(data, "billing_type", BILLING_TYPES)
        one_of(data, "budget_type", BUDGET_TYPES)
        one_of(data, "status", ("active", "inactive"))
        for key in ("rate", "budget_amount", "cost_budget_amount"):
            if key in data and data[key] is not None and data[key] < 0:
                raise invalid_value(key)
        name = data.get("project_name")
        if name:
            for other in ctx.backend.records(ctx.org_id, "projects"):
                if other.get("project_name", "").lower() == name.lower() and other.get("project_id") != rec.get("project_id"):
                    raise BooksAPIError(L.ALREADY_EXISTS, label="Project", value=name)
        if "customer_id" in data:
            customer = ctx.get("contacts", data["customer_id"])
            if customer is None or customer.get("contact_type") != "customer":
                raise invalid_value("customer_id")
            rec["customer_name"] = customer.get("contact_name")
            rec["currency_code"] = customer.get("currency_code") or ctx.org.get("currency_code")
        if str(data.get("budget_hours") or "").strip():
            data["budget_hours"] = hhmm(parse_hhmm(data["budget_hours"], "budget_hours", limit=10 ** 7))
        owner = data.pop("user_id", None)
        users, tasks = data.pop("users", None), data.pop("tasks", None)
        data.pop("currency_id", None)  # the customer's currency (our choice: not settable)
        super().apply(ctx, rec, data, existing)
        if existing is None:
            rec.update(status=rec.get("status") or "active", show_in_dashboard=data.get("show_in_dashboard", True),
                       users=[], tasks=[], rate=rec.get("rate") or 0)
            for key in ("total_hours", "billable_hours", "billed_hours", "un_billed_hours", "non_billable_hours"):
                rec[key] = "00:00"
        rows = {u["user_id"]: u for u in rec.get("users") or []}
        if owner:
            rows.setdefault(owner, project_user_row(books_user(ctx, owner), {"user_role": "admin"}))
        if users is not None:
            for row in check_rows("users", users, USER_ROW_SCHEMA):
                uid = row.get("user_id")
                rows[uid] = project_user_row(books_user(ctx, uid), row, rows.get(uid))
        rec["users"] = list(rows.values())
        if tasks is not None:
            rec["_new_tasks"] = check_rows("tasks", tasks, TASK_ROW_SCHEMA)
            for row in rec["_new_tasks"]:
                if not row.get("task_name"):
                    raise invalid_value("task_name")

    def after_write(self, ctx, old, new):
        for row in new.pop("_new_tasks", None) or []:
            task = fresh_record(WriteContext(ctx.backend, ctx.org, ctx.backend.spec("tasks")))
            TASK_RULES.fill(ctx, task, new, row)
            task["task_id"] = ctx.backend.new_id(ctx.org_id)
            task["_ct"] = task["_lmt"] = ctx.backend.now()
            ctx.put("tasks", task)
        refresh_project(ctx, new["project_id"], force=True)

    def check_delete(self, ctx, rec):
        pid = rec["project_id"]
        if any(e.get("project_id") == pid and e.get("billed_status") == "billed"
               for e in ctx.backend.records(ctx.org_id, "timeentries")):
            raise BooksAPIError(L.HAS_DEPENDENTS, label="Project")

    def after_delete(self, ctx, rec):
        pid = rec["project_id"]
        for resource, key in (("timeentries", "time_entry_id"), ("tasks", "task_id")):
            for child in ctx.backend.records(ctx.org_id, resource):
                if child.get("project_id") == pid:
                    ctx.backend.delete_record(ctx.org_id, resource, child[key])


# ---- tasks ------------------------------------------------------------------------------------------
class TaskRules(WriteRules):
    schema = {"project_id": "id", "task_name": "str", "description": "str", "rate": "num", "budget_hours": "str",
              "is_billable": "bool", "status": "str"}
    required = ("task_name",)

    def apply(self, ctx, rec, data, existing):
        one_of(data, "status", ("active", "inactive"))
        project = ctx.referenced("projects", data.get("project_id") or rec.get("project_id"), "project_id")
        if data.get("rate") is not None and data["rate"] < 0:
            raise invalid_value("rate")
        self.fill(ctx, rec, project, data, existing is None)

    def fill(self, ctx, rec, project, row, new: bool = True) -> None:
        """A task's own fields from ``row`` and the names it copies from its project."""
        for f in ("task_name", "description", "rate", "is_billable", "status"):
            if f in row and row[f] is not None:
                rec[f] = row[f]
        if str(row.get("budget_hours") or "").strip():
            rec["budget_hours"] = hhmm(parse_hhmm(row["budget_hours"], "budget_hours", limit=10 ** 7))
        rec.update(project_id=project["project_id"], project_name=project.get("project_name"),
                   customer_id=project.get("customer_id"), customer_name=project.get("customer_name"),
                   currency_id=ctx.org.get("currency_id"))
        if new:
            rec.setdefault("status", "active")
            rec["status"] = rec.get("status") or "active"
            rec["is_billable"] = row.get("is_billable", True) is not False
            rec["rate"] = rec.get("rate") or 0
            for key in ("log_time", "billed_hours", "un_billed_hours"):
                rec[key] = "00:00"

    def after_write(self, ctx, old, new):
        refresh_project(ctx, new["project_id"])

    def check_delete(self, ctx, rec):
        if any(e.get("task_id") == rec["task_id"] for e in ctx.backend.records(ctx.org_id, "timeentries")):
            raise BooksAPIError(L.HAS_DEPENDENTS, label="Task")

    def after_delete(self, ctx, rec):
        refresh_project(ctx, rec["project_id"])


# ---- time entries -----------------------------------------------------------------------------------
class TimeEntryRules(WriteRules):
    """A time entry: logged time given as log_time, begin and end, or a timer started now."""

    schema = {"project_id": "id", "task_id": "id", "user_id": "id", "log_date": "date", "log_time": "str",
              "begin_time": "str", "end_time": "str", "is_billable": "bool", "notes": "str", "start_timer": "bool",
              "cost_rate": "num"}
    required = ("project_id", "task_id", "user_id", "log_date")

    def build(self, ctx, body, existing):
        return super().build(ctx, without_blanks(body, ("start_timer", "log_time", "begin_time", "end_time")), existing)

    def apply(self, ctx, rec, data, existing):
        project = ctx.referenced("projects", data.get("project_id") or rec.get("project_id"), "project_id")
        task = ctx.get("tasks", data.get("task_id") or rec.get("task_id"))
        if task is None or task.get("project_id") != project["project_id"]:
            raise invalid_value("task_id")
        uid = data.get("user_id") or rec.get("user_id")
        member = next((u for u in project.get("users") or [] if u.get("user_id") == uid), None)
        if member is None:
            raise invalid_value("user_id")
        if existing is not None and existing.get("billed_status") == "billed":
            raise invalid_value("time_entry_id")  # an invoiced entry is not edited (our choice)
        if data.get("cost_rate") is not None and data["cost_rate"] < 0:
            raise invalid_value("cost_rate")
        start_timer = data.pop("start_timer", False)
        begin = end = None
        for key in ("begin_time", "end_time"):
            if data.get(key):
                minutes = parse_hhmm(data[key], key)
                data[key] = hhmm(minutes)
                begin, end = (minutes, end) if key == "begin_time" else (begin, minutes)
        if "log_time" in data and data["log_time"] not in (None, ""):
            seconds = parse_hhmm(data.pop("log_time"), "log_time") * 60
        elif begin is not None and end is not None:
            if end <= begin:
                raise invalid_value("end_time")
            seconds = (end - begin) * 60
        elif existing is None and not start_timer:
            raise invalid_value("log_time")
        else:
            seconds = None
        data.pop("log_time", None)
        super().apply(ctx, rec, data, existing)
        rec.update(project_name=project.get("project_name"), customer_id=project.get("customer_id"),
                   customer_name=project.get("customer_name"), task_name=task.get("task_name"),
                   user_name=member.get("user_name"))
        if existing is None:
            rec.update(billed_status="unbilled", invoice_id="", _seconds=0, _timer_start=None,
                       is_billable=data.get("is_billable", task.get("is_billable", True) is not False))
            if data.get("cost_rate") is None:
                rec["cost_rate"] = member.get("cost_rate") or 0
        if seconds is not None:
            rec["_seconds"] = seconds
        set_logged(rec, int(rec.get("_seconds") or 0))
        if start_timer:
            rec["_start_timer"] = True

    def after_write(self, ctx, old, new):
        if new.pop("_start_timer", False):
            start_timer(ctx, new)
        refresh_project(ctx, new["project_id"])
        if old and old.get("project_id") != new.get("project_id"):
            refresh_project(ctx, old.get("project_id"))

    def check_delete(self, ctx, rec):
        if rec.get("billed_status") == "billed":
            raise BooksAPIError(L.HAS_DEPENDENTS, label="Time entry")

    def after_delete(self, ctx, rec):
        refresh_project(ctx, rec.get("project_id"))


def set_logged(entry: dict[str, Any], seconds: int) -> None:
    """An entry's logged time and cost from its seconds."""
    entry["_seconds"] = seconds
    entry["log_time"] = hhmm(seconds // 60)
    entry["cost_amount"] = _money(seconds / 3600 * float(entry.get("cost_rate") or 0))


def start_timer(ctx: WriteContext, entry: dict[str, Any]) -> None:
    """Run the entry's timer from now (virtual clock); the user's running timer, if any, stops first."""
    for other in ctx.backend.records(ctx.org_id, "timeentries"):
        if other.get("_timer_start") is not None and other.get("user_id") == entry.get("user_id") \
                and other["time_entry_id"] != entry.get("time_entry_id"):
            stopped = copy.deepcopy(other)
            stop_timer(ctx, stopped)
            ctx.put("timeentries", stopped)
            if stopped.get("project_id") != entry.get("project_id"):
                refresh_project(ctx, stopped.get("project_id"))
    now = ctx.backend.now()
    entry["_timer_start"] = now
    entry["timer_started_at"] = ctx.backend.timestamp(ctx.org, now)
    entry["timer_started_at_utc_time"] = ctx.backend.timestamp({"_utc_offset": "+0000"}, now)
    entry["timer_duration_in_minutes"] = entry["timer_duration_in_seconds"] = ""
    ctx.touch(entry)


def stop_timer(ctx: WriteContext, entry: dict[str, Any]) -> None:
    """Add the time since the timer started to the entry's logged time (within a day's 24:00)."""
    elapsed = max(0, int(ctx.backend.now() - float(entry["_timer_start"])))
    total = min(int(entry.get("_seconds") or 0) + elapsed, MAX_ENTRY_MINUTES * 60)
    set_logged(entry, total)
    entry.update(_timer_start=None, timer_started_at="", timer_started_at_utc_time="",
                 timer_duration_in_minutes=str(elapsed // 60), timer_duration_in_seconds=str(elapsed))
    ctx.touch(entry)


# ---- the roll-up ------------------------------------------------------------------------------------
def _rate_of(project: Mapping[str, Any], task: Mapping[str, Any] | None, user: Mapping[str, Any] | None) -> float:
    kind = project.get("billing_type")
    if kind == "based_on_task_hours":
        return float((task or {}).get("rate") or 0)
    if kind == "based_on_staff_hours":
        return float((user or {}).get("rate") or 0)
    if kind == "based_on_project_hours":
        return float(project.get("rate") or 0)
    return 0.0


def rollup(project: dict[str, Any], tasks: list[dict[str, Any]], entries: list[dict[str, Any]]) -> None:
    """Set a project's (and, in place, its tasks' and users') hours and amounts from its time entries."""
    by_task = {t["task_id"]: t for t in tasks}
    users = {u["user_id"]: u for u in project.get("users") or []}
    minutes = {k: 0 for k in ("total", "billable", "billed", "unbilled", "non_billable")}
    amounts = {k: 0.0 for k in ("billable", "billed", "non_billable")}
    cost = 0.0
    per = {("t", k): {"log": 0, "billed": 0, "unbilled": 0, "nb": 0} for k in by_task}
    per.update({("u", k): {"log": 0, "billed": 0, "unbilled": 0, "nb": 0} for k in users})
    for e in entries:
        m = int(e.get("_seconds") or 0) // 60
        task, user = by_task.get(e.get("task_id")), users.get(e.get("user_id"))
        value = m / 60 * _rate_of(project, task, user)
        cost += float(e.get("cost_amount") or 0)
        minutes["total"] += m
        buckets = [per[k] for k in (("t", e.get("task_id")), ("u", e.get("user_id"))) if k in per]
        if e.get("is_billable"):
            billed = e.get("billed_status") == "billed"
            minutes["billable"] += m
            minutes["billed" if billed else "unbilled"] += m
            amounts["billable"] += value
            amounts["billed"] += value if billed else 0.0
            for b in buckets:
                b["log"] += m
                b["billed" if billed else "unbilled"] += m
        else:
            minutes["non_billable"] += m
            amounts["non_billable"] += value
            for b in buckets:
                b["log"] += m
                b["nb"] += m
    if project.get("billing_type") == "fixed_cost_for_project":
        amounts["billable"], amounts["billed"] = float(project.get("rate") or 0), 0.0
    project.update(total_hours=hhmm(minutes["total"]), billable_hours=hhmm(minutes["billable"]),
                   billed_hours=hhmm(minutes["billed"]), un_billed_hours=hhmm(minutes["unbilled"]),
                   non_billable_hours=hhmm(minutes["non_billable"]), total_amount=_money(amounts["billable"]),
                   billable_amount=_money(amounts["billable"]), billed_amount=_money(amounts["billed"]),
                   un_billed_amount=_money(amounts["billable"] - amounts["billed"]),
                   non_billable_amount=_money(amounts["non_billable"]), cost_amount=_money(cost))
    for tid, task in by_task.items():
        b = per[("t", tid)]
        task.update(log_time=hhmm(b["log"]), billed_hours=hhmm(b["billed"]), un_billed_hours=hhmm(b["unbilled"]),
                    _non_billable_minutes=b["nb"])
    for uid, user in users.items():
        b = per[("u", uid)]
        user.update(total_hours=hhmm(b["log"]), billed_hours=hhmm(b["billed"]), un_billed_hours=hhmm(b["unbilled"]))
    project["tasks"] = [{**{f: t.get(f, "") for f in PROJECT_TASK_EMBEDDED}, "total_hours": t["log_time"],
                         "non_billable_hours": hhmm(t["_non_billable_minutes"]),
                         "task_custom_fields": t.get("task_custom_fields") or ""}
                        for t in sorted(tasks, key=lambda t: (t.get("_ct", 0), t["task_id"]))]
    project["users"] = list(users.values())


def refresh_project(ctx: WriteContext, project_id: str | None, *, force: bool = False) -> None:
    """Recompute a project's roll-up (and its tasks') after a write; stores only what changed."""
    project = ctx.get("projects", project_id)
    if project is None:
        return
    project = copy.deepcopy(project)
    before = copy.deepcopy(project)
    tasks = [copy.deepcopy(t) for t in ctx.backend.records(ctx.org_id, "tasks") if t.get("project_id") == project_id]
    old_tasks = {t["task_id"]: copy.deepcopy(t) for t in tasks}
    entries = [e for e in ctx.backend.records(ctx.org_id, "timeentries") if e.get("project_id") == project_id]
    rollup(project, tasks, entries)
    for task in tasks:
        if task != old_tasks[task["task_id"]]:
            ctx.put("tasks", task)
    if force or project != before:
        ctx.put("projects", project)


# ---- invoices that bill time -------------------------------------------------------------------------
class TimeBillingRules(DocumentRules):
    """Invoices: a line naming time entries (``line_items[].time_entry_ids``) bills them. Each must be
    billable and not billed by another invoice (code 2 naming ``time_entry_ids``); the line takes
    their project. An entry is ``billed`` (with the ``invoice_id``) while an invoice that is not void
    names it: editing the lines, voiding or deleting the invoice unbills it; projects roll up again."""

    def lines(self, ctx, rows, existing):
        lines = super().lines(ctx, rows, existing)
        mine = (existing or {}).get("invoice_id")
        for line in lines:
            ids = [str(x) for x in line.get("time_entry_ids") or []]
            for tid in ids:
                entry = ctx.get("timeentries", tid)
                if entry is None or not entry.get("is_billable") or \
                        (entry.get("billed_status") == "billed" and entry.get("invoice_id") != mine):
                    raise invalid_value("time_entry_ids")
                line["project_id"], line["project_name"] = entry.get("project_id"), entry.get("project_name")
            line["time_entry_ids"] = ids
        return lines

    def after_write(self, ctx, old, new):
        super().after_write(ctx, old, new)
        bill_time(ctx, new["invoice_id"], new)

    def after_delete(self, ctx, rec):
        super().after_delete(ctx, rec)
        bill_time(ctx, rec["invoice_id"], None)


def bill_time(ctx: WriteContext, invoice_id: str, invoice: Mapping[str, Any] | None) -> None:
    """Make the entries an invoice bills exactly those its lines name (none once void or deleted)."""
    named = set() if invoice is None or invoice.get("status") == "void" else \
        {str(t) for li in invoice.get("line_items") or [] for t in li.get("time_entry_ids") or []}
    projects = set()
    for entry in ctx.backend.records(ctx.org_id, "timeentries"):
        tid, billed_here = entry["time_entry_id"], entry.get("invoice_id") == invoice_id
        if tid in named and not billed_here or billed_here and tid not in named:
            entry = copy.deepcopy(entry)
            entry.update(billed_status="billed", invoice_id=invoice_id) if tid in named else \
                entry.update(billed_status="unbilled", invoice_id="")
            ctx.touch(entry)
            ctx.put("timeentries", entry)
            projects.add(entry.get("project_id"))
    for pid in projects:
        refresh_project(ctx, pid)


# ---- record actions -----------------------------------------------------------------------------------
def _set_status(value: str) -> Callable[..., None]:
    def run(ctx: WriteContext, rec: dict[str, Any], body: Mapping[str, Any]) -> None:
        rec["status"] = value
    return run


def _timer_start(ctx: WriteContext, rec: dict[str, Any], caller: Mapping[str, Any], body: Mapping[str, Any]) -> None:
    """Only the entry's own user runs its timer; an invoiced entry's time is fixed."""
    if rec.get("user_id") != caller.get("user_id") or rec.get("billed_status") == "billed":
        raise invalid_value("time_entry_id")
    if rec.get("_timer_start") is None:
        start_timer(ctx, rec)


PROJECT_RULES = ProjectRules()
PROJECT_RULES.actions = {  # the gateway's record actions (rules.RecordAction)
    "active": RecordAction(_set_status("active"), "The selected Projects have been marked as active."),
    "inactive": RecordAction(_set_status("inactive"), "The selected Projects have been marked as inactive."),
}
TASK_RULES = TaskRules()
TIME_ENTRY_RULES = TimeEntryRules()
TIME_ENTRY_RULES.record_actions = {
    "timer/start": ModuleAction(_timer_start, "The timer has been started.", answer=True),
}
TIMER_STOPPED_MESSAGE = "Timer has been stopped successfully."
TIME_ENTRIES_DELETED_MESSAGE = "The selected timesheet entries have been deleted"
PROJECT_CLONED_MESSAGE = "Project has been cloned successfully."
PROJECT_USERS_ADDED_MESSAGE = "Users added"
PROJECT_USER_INVITED_MESSAGE = "The user has been invited."  # our choice (the document gives none)
