"""Recurring invoices, bills and expenses: their write rules and the documents they generate on
the virtual clock.

A profile (recurring-invoices.yml, recurring-bills.yml, recurring-expenses.yml) repeats every
``repeat_every`` ``recurrence_frequency`` (days, weeks, months, years) from ``start_date`` until
``end_date`` (none: forever). Its next date (``next_invoice_date``, ``next_bill_date``,
``next_expense_date``) is when it makes its next document; the last one it made is
``last_sent_date`` / ``last_created_date``.

**How generation is triggered** (no background thread): lazily and deterministically. Every
Books call to an organisation first runs ``catch_up`` (from the gateway, before the handler):
when the organisation's local date has reached the earliest next date of its active profiles
(kept in one small marker document per org, ``books:{org}:_schedule``, so a call to an org with
nothing due costs one read and writes nothing), every due occurrence is generated, in date order
then profile id order, each dated its occurrence, numbered from the document's series, with the
profile's lines, and the profile moves on; past ``end_date`` a profile becomes ``expired``. A
profile created or resumed with its next date today generates at once. Replayed GET answers
expire at the org's local midnight (replay.py), so no answer hides a generation.

Choices (README "Recurring profiles"): a new profile's ``start_date`` is today or later (a past
one is code 2, so creation never back-fills); resuming a stopped profile skips the occurrences
missed while stopped (its next date becomes the first one from today); generated invoices are
sent (``status`` from their numbers, as an invoice marked sent), generated bills are open and
numbered from the ``BILL-`` series, generated expenses are ``unbilled`` when billable and
``non-billable`` otherwise.
"""
from __future__ import annotations

import calendar
import copy
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any, Mapping

from .. import literals as L
from ..errors import BooksError
from ..http import BooksAPIError, invalid_value
from . import calc
from .fields import INVOICE_LINE, default_for
from .keys import parse_offset, record_ns
from .module_fields import RECURRING_LINE
from .module_rules import without_blanks
from .rules import DocumentRules, RecordAction, WriteContext, WriteRules, apply_tax, fresh_record, insert_new, one_of

FREQUENCIES = ("days", "weeks", "months", "years")
SCHEDULE_NS = "_schedule"  # books:{org}:_schedule -> "due": {"day": earliest next date of an active profile}
MAX_CATCH_UP = 1000  # occurrences one profile makes in one catch-up (a safety bound, our choice)


def advance(day: str, frequency: str, n: int, anchor: int) -> str:
    """The occurrence after ``day``; months and years keep the start's day of month (``anchor``),
    clamped to the month's last day (Jan 31 -> Feb 28 -> Mar 31)."""
    d = date.fromisoformat(day)
    if frequency == "days":
        return (d + timedelta(days=n)).isoformat()
    if frequency == "weeks":
        return (d + timedelta(weeks=n)).isoformat()
    months = n if frequency == "months" else 12 * n
    y, m = divmod(d.month - 1 + months, 12)
    y += d.year
    if y > 9999:
        return "9999-12-31"
    return date(y, m + 1, min(anchor, calendar.monthrange(y, m + 1)[1])).isoformat()


@dataclass(frozen=True)
class Schedule:
    """Where a kind of profile keeps its dates and what it makes."""

    next_field: str  # next_invoice_date
    last_field: str  # last_sent_date
    child: str  # the generated resource: invoices
    child_key: str  # the generated document's link back: recurring_invoice_id


RECURRENCE_SCHEMA = {"recurrence_name": "str", "recurrence_frequency": "str", "repeat_every": "int",
                     "start_date": "date", "end_date": "date"}


class Scheduled:
    """Rules of records that act on the virtual clock (recurring profiles, fixed assets): while the
    record is ``active`` and its ``schedule.next_field`` date has come, ``occur`` runs for that date
    and the date moves to ``next_after`` (``catch_up`` and ``generate_due`` drive them)."""

    schedule: Schedule

    def occur(self, ctx: WriteContext, rec: dict[str, Any], day: str) -> None:
        raise NotImplementedError

    def next_after(self, rec: Mapping[str, Any], day: str) -> str:
        raise NotImplementedError

    def expire_if_done(self, rec: dict[str, Any]) -> None:
        """Change the record's status once nothing more will happen (an end date passed)."""

    def after_profile_write(self, ctx: WriteContext, rec: dict[str, Any]) -> None:
        """A record due today (new, edited or resumed) acts now; the org's marker follows."""
        generate_due(ctx, self, rec[ctx.spec.id_field])
        note_due(ctx)


class RecurrenceMixin(Scheduled):
    """The recurrence part every profile's rules share: validation, dates, stop and resume."""

    def build(self, ctx: WriteContext, body: Mapping[str, Any], existing: dict[str, Any] | None) -> dict[str, Any]:
        body = without_blanks(body, ("repeat_every",))  # the documents' example sends "": every 1 (or as it was)
        return super().build(ctx, body, existing)  # type: ignore[misc]

    def recurrence(self, ctx: WriteContext, rec: dict[str, Any], data: dict[str, Any], existing) -> None:
        one_of(data, "recurrence_frequency", FREQUENCIES)
        if "repeat_every" in data and not 1 <= data["repeat_every"] <= 999:
            raise invalid_value("repeat_every")
        if existing is None:
            start = data.get("start_date") or ctx.today
            if start < ctx.today:
                raise invalid_value("start_date")
            data["start_date"] = start
            data.setdefault("repeat_every", 1)
        elif "start_date" in data and not data["start_date"]:
            raise invalid_value("start_date")
        start = data.get("start_date") or rec.get("start_date")
        end = data.get("end_date", rec.get("end_date")) or ""
        if end and end < start:
            raise invalid_value("end_date")
        if existing is None or ("start_date" in data and not rec.get(self.schedule.last_field)):
            if existing is not None and data["start_date"] < ctx.today:
                raise invalid_value("start_date")
            rec[self.schedule.next_field] = start
            rec["_anchor"] = date.fromisoformat(start).day
        if existing is None:
            rec["status"] = "active"
            rec[self.schedule.last_field] = ""

    def stop(self, ctx: WriteContext, rec: dict[str, Any], body: Mapping[str, Any] | None = None) -> None:
        if rec.get("status") == "expired":
            raise invalid_value("status")
        rec["status"] = "stopped"

    def resume(self, ctx: WriteContext, rec: dict[str, Any], body: Mapping[str, Any] | None = None) -> None:
        """Active again from today: occurrences missed while stopped are skipped (our choice)."""
        if rec.get("status") == "expired":
            raise invalid_value("status")
        rec["status"] = "active"
        nxt = rec.get(self.schedule.next_field) or rec.get("start_date")
        guard = 0
        while nxt and nxt < ctx.today and guard < 100000:
            nxt = advance(nxt, rec["recurrence_frequency"], int(rec.get("repeat_every") or 1), int(rec.get("_anchor") or 1))
            guard += 1
        rec[self.schedule.next_field] = nxt
        self.expire_if_done(rec)

    def expire_if_done(self, rec: dict[str, Any]) -> None:
        end = rec.get("end_date")
        if rec.get("status") == "active" and end and rec.get(self.schedule.next_field, "") > end:
            rec["status"] = "expired"

    def make_child(self, ctx: WriteContext, profile: Mapping[str, Any], day: str) -> dict[str, Any]:
        raise NotImplementedError

    def occur(self, ctx: WriteContext, rec: dict[str, Any], day: str) -> None:
        """The profile's document for ``day``: made, numbered, linked back and stored."""
        sch = self.schedule
        child = self.make_child(ctx, rec, day)
        child[sch.child_key] = rec[ctx.spec.id_field]
        insert_new(ctx, ctx.backend.spec(sch.child), child)
        rec[sch.last_field] = day

    def next_after(self, rec: Mapping[str, Any], day: str) -> str:
        return advance(day, rec["recurrence_frequency"], int(rec.get("repeat_every") or 1),
                       int(rec.get("_anchor") or date.fromisoformat(day).day))



# ---- recurring invoices and bills ------------------------------------------------------------------
_CHILD_LINE_KEYS = ("item_id", "name", "description", "rate", "quantity", "unit", "discount", "tax_id", "account_id",
                    "item_order", "project_id", "location_id", "product_type", "tags")
_CHILD_KEYS = ("discount", "is_discount_before_tax", "discount_type", "is_inclusive_tax", "shipping_charge",
               "adjustment", "adjustment_description", "notes", "terms", "payment_terms", "payment_terms_label",
               "reference_number", "salesperson_name", "exchange_rate", "billing_address", "shipping_address",
               "location_id", "template_id", "allow_partial_payments")


def _profile_status(ctx: WriteContext, rec: dict[str, Any]) -> str:
    return rec.get("status") or "active"


class RecurringDocumentRules(RecurrenceMixin, DocumentRules):
    """A recurring invoice or bill: a document's lines and totals (DocumentRules) plus a schedule."""

    def __init__(self, *, party: str, schedule: Schedule, child_rules: DocumentRules, child_spec: str) -> None:
        super().__init__(party=party, status=_profile_status, initial_status="active",
                         line_defaults={f: default_for(f) for f in RECURRING_LINE if f not in INVOICE_LINE})
        self.schedule = schedule
        self.child_rules = child_rules
        self.child_spec = child_spec

    def schema_for(self, ctx):
        return {**super().schema_for(ctx), **RECURRENCE_SCHEMA}

    @property
    def required(self):  # type: ignore[override]
        return (f"{self.party}_id", "recurrence_name", "recurrence_frequency", "line_items")

    def apply(self, ctx, rec, data, existing):
        rec_data = {k: data.pop(k) for k in list(data) if k in RECURRENCE_SCHEMA}
        self.recurrence(ctx, rec, rec_data, existing)
        name = rec_data.get("recurrence_name")
        if name:
            for other in ctx.backend.records(ctx.org_id, ctx.spec.name):
                if other.get("recurrence_name", "").lower() == name.lower() and \
                        other.get(ctx.spec.id_field) != rec.get(ctx.spec.id_field):
                    raise BooksAPIError(L.ALREADY_EXISTS, label=ctx.spec.label, value=name)
        rec.update(rec_data)
        for key in ("date", "due_date", "payment_expected_date"):  # a profile has none: the documents it makes do
            data.pop(key, None)
        rec.setdefault("date", rec.get("start_date") or ctx.today)
        status = rec.get("status")
        super().apply(ctx, rec, data, existing)
        rec["status"] = status  # DocumentRules sets a document's initial status; a profile keeps its own
        contact = ctx.get("contacts", data.get(f"{self.party}_id"))
        if contact is not None and "customer_email" in rec:  # the customer's ways of contact, as documented
            rec.update(customer_email=contact.get("email") or "", customer_phone=contact.get("phone") or "",
                       customer_mobile_phone=contact.get("mobile") or "", company_name=contact.get("company_name") or "")
        if existing is None and "payment_options" in rec:
            rec["payment_options"] = {"payment_gateways": []}

    def after_write(self, ctx, old, new):
        super().after_write(ctx, old, new)
        self.after_profile_write(ctx, new)

    def after_delete(self, ctx, rec):
        super().after_delete(ctx, rec)
        note_due(ctx)

    def make_child(self, ctx, profile, day):
        spec = ctx.backend.spec(self.child_spec)
        cctx = WriteContext(ctx.backend, ctx.org, spec)
        body: dict[str, Any] = {f"{self.party}_id": profile[f"{self.party}_id"], "date": day}
        body.update({k: copy.deepcopy(profile[k]) for k in _CHILD_KEYS if profile.get(k) not in (None, "")})
        body["line_items"] = [{k: li[k] for k in _CHILD_LINE_KEYS if li.get(k) not in (None, "", [])}
                              for li in profile.get("line_items") or []]
        if spec.number_field and self.child_rules.number_required:
            taken = {r.get(spec.number_field) for r in ctx.backend.records(ctx.org_id, spec.name)}
            series, prefix = spec.number_series
            number = calc.next_number(ctx.backend.store, ctx.org_id, series, prefix)
            while number in taken:
                number = calc.next_number(ctx.backend.store, ctx.org_id, series, prefix)
            body[spec.number_field] = number
        child = self.child_rules.build(cctx, body, None)
        child["_sent"] = True
        self.child_rules.refresh_status(cctx, child)
        return child


# ---- recurring expenses -------------------------------------------------------------------------
class RecurringExpenseRules(RecurrenceMixin, WriteRules):
    schema = {"account_id": "id", "amount": "num", "description": "str", "tax_id": "id", "is_inclusive_tax": "bool",
              "is_billable": "bool", "customer_id": "id", "vendor_id": "id", "paid_through_account_id": "id",
              "project_id": "id", "currency_id": "id", "exchange_rate": "num", "custom_fields": "list",
              "location_id": "id", **RECURRENCE_SCHEMA}
    required = ("account_id", "recurrence_name", "start_date", "recurrence_frequency", "repeat_every", "amount")
    create_status = 200  # recurring-expenses.yml's create answer, as expenses.yml's

    def __init__(self, schedule: Schedule) -> None:
        self.schedule = schedule

    def apply(self, ctx, rec, data, existing):
        rec_data = {k: data.pop(k) for k in list(data) if k in RECURRENCE_SCHEMA}
        self.recurrence(ctx, rec, rec_data, existing)
        if "amount" in data and (data["amount"] is None or data["amount"] <= 0):
            raise invalid_value("amount")
        for key, kind, name_field in (("account_id", "chartofaccounts", "account_name"),
                                      ("paid_through_account_id", "chartofaccounts", "paid_through_account_name"),
                                      ("customer_id", "contacts", "customer_name"), ("vendor_id", "contacts", "vendor_name"),
                                      ("project_id", "projects", "project_name")):
            if data.get(key):
                target = ctx.get(kind, data[key])
                if target is None:
                    raise invalid_value(key)
                rec[name_field] = target.get("account_name") or target.get("contact_name") or target.get("project_name")
            elif key in data:
                rec[name_field] = ""
        if data.get("is_billable") and not (data.get("customer_id") or rec.get("customer_id")):
            raise invalid_value("customer_id")
        tax_id = data.pop("tax_id", None)
        rec.update(rec_data)
        super().apply(ctx, rec, data, existing)
        if tax_id is not None or existing is None:
            apply_tax(ctx, rec, tax_id, "tax_id")
        if existing is None:
            rec["currency_id"] = ctx.org.get("currency_id")
            rec["currency_code"] = ctx.org.get("currency_code")
            rec["exchange_rate"] = rec.get("exchange_rate") or 1.0
        amount = float(rec.get("amount") or 0)
        pct = float(rec.get("tax_percentage") or 0)
        if rec.get("is_inclusive_tax"):
            sub = round(amount / (1 + pct / 100), 2)
            tax = round(amount - sub, 2)
        else:
            sub, tax = round(amount, 2), round(amount * pct / 100, 2)
        rec.update(sub_total=sub, tax_amount=tax, total=round(sub + tax, 2), bcy_total=round(sub + tax, 2))
        rec["line_item"] = expense_line(rec, (rec.get("line_item") or {}).get("line_item_id") or ctx.backend.new_id(ctx.org_id))

    def after_write(self, ctx, old, new):
        self.after_profile_write(ctx, new)

    def after_delete(self, ctx, rec):
        note_due(ctx)

    def make_child(self, ctx, profile, day):
        cctx = WriteContext(ctx.backend, ctx.org, ctx.backend.spec("expenses"))
        child = fresh_record(cctx)
        billable = bool(profile.get("is_billable"))
        keys = ("account_id", "account_name", "description", "currency_id", "currency_code", "customer_id",
                "customer_name", "vendor_id", "vendor_name", "paid_through_account_id", "paid_through_account_name",
                "tax_id", "tax_name", "tax_percentage", "tax_amount", "sub_total", "total", "bcy_total",
                "is_inclusive_tax", "project_id", "project_name", "location_id", "location_name", "exchange_rate")
        child.update({k: copy.deepcopy(profile.get(k, child.get(k))) for k in keys})
        child.update(date=day, is_billable=billable, status="unbilled" if billable else "non-billable",
                     amount=profile.get("total"), total_without_tax=profile.get("sub_total"),
                     bcy_total_without_tax=profile.get("sub_total"), expense_type="non-mileage",
                     transaction_type="expense", is_personal=False,
                     line_item=expense_line(profile, ctx.backend.new_id(ctx.org_id)))
        return child


def expense_line(rec: Mapping[str, Any], line_item_id: str) -> dict[str, Any]:
    """The single line of an expense (and of its recurring profile), from the record's amounts."""
    return {"line_item_id": line_item_id, "account_id": rec.get("account_id") or "",
            "account_name": rec.get("account_name") or "", "description": rec.get("description") or "",
            "amount": rec.get("sub_total") or 0, "tax_id": rec.get("tax_id") or "", "tax_name": rec.get("tax_name") or "",
            "tax_percentage": rec.get("tax_percentage") or 0, "tax_type": rec.get("tax_type") or "",
            "tax_amount": rec.get("tax_amount") or 0, "item_total": rec.get("sub_total") or 0, "item_order": 1}


# ---- generation ------------------------------------------------------------------------------------
def _profile_specs(backend) -> list:
    return [s for s in backend.specs() if isinstance(s.rules, Scheduled)]


def generate_due(ctx: WriteContext, rules: Scheduled, profile_id: str, limit: int = MAX_CATCH_UP) -> int:
    """Run the occurrences of one scheduled record due by today (org local date), at most ``limit``;
    returns how many (a profile's documents, an asset's depreciations)."""
    spec = ctx.spec
    profile = ctx.get(spec.name, profile_id)
    if profile is None or profile.get("status") != "active":
        return 0
    profile = copy.deepcopy(profile)
    sch = rules.schedule
    made = 0
    while profile.get("status") == "active" and profile.get(sch.next_field) and \
            profile[sch.next_field] <= ctx.today and made < limit:
        day = profile[sch.next_field]
        try:
            rules.occur(ctx, profile, day)
        except BooksError:  # what it points at is gone (a deleted customer or item): it stops (our choice)
            profile["status"] = "stopped"
            made = max(made, 1)  # the profile changed: stored below
            break
        profile[sch.next_field] = rules.next_after(profile, day)
        rules.expire_if_done(profile)
        made += 1
    if made:
        ctx.touch(profile)
        ctx.put(spec.name, profile)
    return made


def earliest_due(backend, org_id: str) -> str:
    """The earliest next date of the org's active profiles ("" when none is active)."""
    days = [r.get(s.rules.schedule.next_field) for s in _profile_specs(backend)
            for r in backend.records(org_id, s.name) if r.get("status") == "active"]
    days = [d for d in days if d]
    return min(days) if days else ""


def note_due(ctx: WriteContext) -> None:
    """Keep the org's marker equal to its earliest due date (written only when it changes)."""
    write_marker(ctx.backend, ctx.org_id, earliest_due(ctx.backend, ctx.org_id))


def marker_doc(day: str, offset: str) -> dict[str, Any]:
    """The marker of a due day: the day, and the epoch its local midnight starts at (``at``), so that
    the gateway's check is one read and one comparison with the clock."""
    start = datetime.fromisoformat(day).replace(tzinfo=timezone(parse_offset(offset)))
    return {"day": day, "at": start.timestamp()}


def write_marker(backend, org_id: str, day: str) -> None:
    ns = record_ns(org_id, SCHEDULE_NS)
    current = backend.store.get(ns, "due")
    if day:
        if (current or {}).get("day") != day:
            backend.store.put(ns, "due", marker_doc(day, backend.org_offset(backend.get_org(org_id) or {})))
    elif current is not None:
        backend.store.delete(ns, "due")


def catch_up(backend, org: Mapping[str, Any]) -> int:
    """Run every profile of the org that is due by its local today (the gateway calls this first)."""
    org_id = org["organization_id"]
    marker = backend.store.get(record_ns(org_id, SCHEDULE_NS), "due")
    if marker is None or marker.get("at", float("inf")) > backend.now():
        return 0
    made = 0
    with backend.store.lock(f"books:{org_id}:write"), backend.staged(request_write=False):
        today = backend.today(org)
        while made < MAX_CATCH_UP * 10:  # one occurrence at a time: documents are made in date order
            due = [(r[s.rules.schedule.next_field], str(r[s.id_field]), s) for s in _profile_specs(backend)
                   for r in backend.records(org_id, s.name)
                   if r.get("status") == "active" and r.get(s.rules.schedule.next_field)
                   and r[s.rules.schedule.next_field] <= today]
            if not due:
                break
            _, pid, spec = min(due, key=lambda t: (t[0], t[1]))
            made += generate_due(WriteContext(backend, org, spec), spec.rules, pid, limit=1)
    write_marker(backend, org_id, earliest_due(backend, org_id))
    return made


def profile_actions(rules: RecurrenceMixin, label: str, status: int = 200) -> dict[str, RecordAction]:
    """``POST /<profiles>/{id}/status/stop`` and ``/status/resume`` (scope op CREATE and the HTTP
    status as each document gives them)."""
    return {"status/stop": RecordAction(rules.stop, f"The {label} has been stopped.", http_status=status),
            "status/resume": RecordAction(rules.resume, f"The {label} has been resumed.", http_status=status)}
