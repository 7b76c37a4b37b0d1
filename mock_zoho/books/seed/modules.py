"""Seed generators of the modules of issue 16: projects with their tasks, users and time entries,
and recurring invoices, bills and expenses.

Consistent with the write path: a project's and its tasks' hours and amounts are
``module_rules.rollup`` of its time entries (the arithmetic every write uses), a profile's totals
are ``calc.document_totals`` of its lines, and its dates follow ``recurrence.advance``.

Choices (stable): projects belong to seeded customers and are run by the org's Books users (the
first is each project's admin); with no Books user (an org seeded outside ``create_org``) projects
get no users and no time entries are made. Time entries fall in the last 90 days, on weekdays,
in quarter hours (00:30 to 08:00), billable as their task is, all unbilled. Seeded profiles are
active and start after today (seeding never makes documents: the clock does); the org's schedule
marker (recurrence.py) is set to the earliest next date.
"""
from __future__ import annotations

from datetime import date

from .. import calc
from .. import fakedata as F
from ..keys import record_ns
from ..module_rules import hhmm, rollup, set_logged
from ..fields import TEMPLATE_NAME
from ..module_assets import depreciation, period_after
from ..module_ledger import rule_applies
from ..module_fields import RECURRING_LINE, RETAINER_LAYOUT
from ..recurrence import SCHEDULE_NS, Scheduled, expense_line, marker_doc
from ..resources import SPECS
from .base import DAY, RecordTemplate, Seeder

LINE = RecordTemplate(RECURRING_LINE)  # a profile's line: every documented key at its default
PROJECT_NAMES = ("Website Redesign", "Data Migration", "Mobile App", "Annual Audit", "Brand Refresh",
                 "ERP Rollout", "Office Move", "Security Review", "Payroll Setup", "Customer Portal",
                 "Market Study", "Cloud Migration")
TASK_NAMES = ("Discovery", "Design", "Build", "Testing", "Training", "Support", "Documentation", "Review")
BILLING = ("based_on_project_hours", "based_on_task_hours", "based_on_staff_hours", "fixed_cost_for_project")


def _books_users(sd: Seeder) -> list[dict]:
    return sorted((u for u in sd.existing("users") if u.get("status") == "active"), key=lambda u: u["user_id"])


def gen_projects(sd: Seeder, n: int) -> None:
    if not n:
        return
    sd.need(sd.refs.customers, "customers", "projects")
    rng, users = sd.rng, _books_users(sd)
    taken = {p.get("project_name") for p in sd.existing("projects")}
    for i, (ct, cust) in enumerate(sd.doc_times(sd.refs.customers, n)):
        name = PROJECT_NAMES[i % len(PROJECT_NAMES)] + ("" if i < len(PROJECT_NAMES) else f" {i // len(PROJECT_NAMES) + 1}")
        while name in taken:
            name += " II"
        taken.add(name)
        d = sd.new("projects")
        kind = BILLING[i % len(BILLING)]
        d.update(project_id=sd.ids(), project_name=name, customer_id=cust["contact_id"],
                 customer_name=cust["contact_name"], currency_code=cust.get("currency_code") or sd.refs.base_code,
                 description=f"{name} for {cust['contact_name']}", status="active" if rng.random() < 0.85 else "inactive",
                 billing_type=kind, rate=float(rng.choice((75, 90, 120, 150)) if kind != "fixed_cost_for_project"
                                               else rng.choice((5000, 12000, 25000))),
                 budget_type="", show_in_dashboard=True, has_attachment=False, tasks=[],
                 users=[{"user_id": u["user_id"], "user_name": u.get("name") or "", "email": u.get("email") or "",
                         "user_role": "admin" if k == 0 else "staff", "status": "active", "is_current_user": False,
                         "rate": float(rng.choice((60, 80, 100))), "budget_hours": "", "cost_rate": float(rng.choice((25, 35, 45))),
                         "total_hours": "00:00", "billed_hours": "00:00", "un_billed_hours": "00:00"}
                        for k, u in enumerate(users[:3])])
        sd.stamp(d, ct)
        sd.add("projects", d)


def gen_tasks(sd: Seeder, n: int) -> None:
    """``n`` tasks spread over the projects made in this run (none without projects)."""
    projects = list(sd.out["projects"].values())
    if not n or not projects:
        return
    rng = sd.rng
    for i in range(n):
        p = projects[i % len(projects)]
        d = sd.new("tasks")
        d.update(task_id=sd.ids(), project_id=p["project_id"], project_name=p["project_name"],
                 customer_id=p["customer_id"], customer_name=p["customer_name"], currency_id=sd.refs.base_id,
                 task_name=TASK_NAMES[(i // len(projects)) % len(TASK_NAMES)], description="",
                 rate=float(rng.choice((50, 70, 90, 110))), budget_hours="", status="active",
                 is_billable=rng.random() < 0.85, log_time="00:00", billed_hours="00:00", un_billed_hours="00:00")
        sd.stamp(d, int(p["_ct"]) + i)
        sd.add("tasks", d)


def gen_timeentries(sd: Seeder, n: int) -> None:
    """``n`` time entries on the tasks made in this run, by their project's users; then every
    project's roll-up (module_rules.rollup) so that its hours and amounts add up."""
    tasks = list(sd.out["tasks"].values())
    projects = sd.out["projects"]
    staffed = [t for t in tasks if projects[t["project_id"]]["users"]]
    rng = sd.rng
    if n and staffed:
        lo = max(sd.start, sd.now_i - 90 * DAY)
        for _ in range(n):
            task = staffed[int(rng.random() * len(staffed))]
            project = projects[task["project_id"]]
            user = project["users"][int(rng.random() * len(project["users"]))]
            ct = sd.when(max(lo, int(task["_ct"])))
            day = sd.dstr(ct)
            weekday = date.fromisoformat(day).weekday()
            if weekday >= 5 and sd.add_days(day, 4 - weekday) >= sd.dstr(int(task["_ct"])):
                day = sd.add_days(day, 4 - weekday)  # the Friday before
            minutes = 15 * rng.randint(2, 32)
            begin = 9 * 60 + 15 * rng.randint(0, 8)
            d = sd.new("timeentries")
            d.update(time_entry_id=sd.ids(), project_id=project["project_id"], project_name=project["project_name"],
                     customer_id=project["customer_id"], customer_name=project["customer_name"],
                     task_id=task["task_id"], task_name=task["task_name"], user_id=user["user_id"],
                     user_name=user["user_name"], log_date=day, begin_time=hhmm(begin), end_time=hhmm(begin + minutes),
                     is_billable=task["is_billable"], billed_status="unbilled", invoice_id="",
                     notes=rng.choice(F.EXPENSE_DESCRIPTIONS) if rng.random() < 0.3 else "",
                     cost_rate=user["cost_rate"], _timer_start=None)
            set_logged(d, minutes * 60)
            sd.stamp(d, ct)
            sd.add("timeentries", d)
    by_project: dict[str, tuple[list, list]] = {pid: ([], []) for pid in projects}
    for t in tasks:
        by_project[t["project_id"]][0].append(t)
    for e in sd.out["timeentries"].values():
        by_project[e["project_id"]][1].append(e)
    for pid, (ptasks, entries) in by_project.items():
        rollup(projects[pid], ptasks, entries)


# ---- recurring profiles ----------------------------------------------------------------------------
def _schedule(sd: Seeder, d: dict, next_field: str, last_field: str) -> None:
    """Active and starting after today: nothing made yet, nothing due (the clock makes its documents)."""
    rng = sd.rng
    freq = rng.choice(("weeks", "months", "months", "months", "years"))
    start = sd.add_days(sd.today, rng.randint(1, 27))
    d.update(recurrence_frequency=freq, repeat_every=1 if freq != "weeks" else rng.choice((1, 2)), start_date=start,
             end_date="", status="active", _anchor=date.fromisoformat(start).day)
    d[next_field] = start
    d[last_field] = ""


def _lines(sd: Seeder, purchase: bool) -> tuple[list[dict], dict]:
    rng, refs = sd.rng, sd.refs
    taxes = {t["tax_id"]: t for t in refs.taxes}
    rows = []
    for k in range(rng.randint(1, 3)):
        item = refs.items[int(rng.random() * len(refs.items))]
        rate = (item.purchase_rate_c or item.rate_c) / 100 if purchase else item.rate_c / 100
        row = LINE.new()
        row.update({"line_item_id": sd.ids(), "item_id": item.item_id, "name": item.name,
                    "description": item.description, "rate": rate, "quantity": rng.randint(1, 5),
                    "unit": item.unit, "tax_id": item.tax_id if item.tax_id in taxes else "", "item_order": k + 1,
                    "product_type": item.product_type, "sku": item.sku, "discount": 0})
        rows.append(row)
    result = calc.document_totals(rows, taxes_by_id=taxes)
    lines = [{k: v for k, v in li.items() if k != "line_tax_amount"} for li in result["line_items"]]
    for li in lines:
        li["bcy_rate"] = li["rate"]
        li["item_total_inclusive_of_tax"] = round(li["item_total"] * (1 + li["tax_percentage"] / 100), 2)
    return lines, result


def _document_profile(sd: Seeder, resource: str, n: int, party: str, parties: list[dict],
                      next_field: str, names: tuple[str, ...]) -> None:
    if not n:
        return
    sd.need(parties, f"{party}s", resource)
    sd.need(sd.refs.items, "items", resource)
    taken = {r.get("recurrence_name") for r in sd.existing(resource)}
    for i, (ct, contact) in enumerate(sd.doc_times(parties, n)):
        lines, result = _lines(sd, party == "vendor")
        d = sd.new(resource)
        name = f"{names[i % len(names)]} - {contact['contact_name']}"
        while name in taken:
            name += " II"
        taken.add(name)
        d.update({f"{party}_id": contact["contact_id"], f"{party}_name": contact["contact_name"],
                  SPECS[resource].id_field: sd.ids(), "recurrence_name": name,
                  "currency_id": contact.get("currency_id") or sd.refs.base_id,
                  "currency_code": contact.get("currency_code") or sd.refs.base_code, "line_items": lines,
                  "sub_total": result["sub_total"], "tax_total": result["tax_total"], "taxes": result["taxes"],
                  "total": result["total"], "payment_terms": contact.get("payment_terms") or 0,
                  "payment_terms_label": contact.get("payment_terms_label") or "Due on Receipt",
                  "exchange_rate": 1.0, "price_precision": 2, "is_inclusive_tax": False,
                  "billing_address": dict(contact.get("billing_address") or {})})
        if "shipping_address" in d:  # a recurring invoice: the customer's addresses and ways of contact
            d.update(shipping_address=dict(contact.get("shipping_address") or {}),
                     customer_email=contact.get("email") or "", customer_phone=contact.get("phone") or "",
                     customer_mobile_phone=contact.get("mobile") or "", company_name=contact.get("company_name") or "",
                     payment_options={"payment_gateways": []})
        _schedule(sd, d, next_field, "last_sent_date")
        sd.stamp(d, min(ct, sd.now_i))
        sd.add(resource, d)


def gen_recurringinvoices(sd: Seeder, n: int) -> None:
    _document_profile(sd, "recurringinvoices", n, "customer", sd.refs.customers, "next_invoice_date",
                      ("Monthly retainer", "Support plan", "Hosting", "Maintenance"))


def gen_recurringbills(sd: Seeder, n: int) -> None:
    _document_profile(sd, "recurringbills", n, "vendor", sd.refs.vendors, "next_bill_date",
                      ("Office rent", "Software licences", "Cleaning", "Leased equipment"))


def gen_recurringexpenses(sd: Seeder, n: int) -> None:
    if not n:
        return
    refs, rng = sd.refs, sd.rng
    sd.need(refs.expense_accounts, "expense accounts", "recurringexpenses")
    paid = list(refs.banks)
    for i in range(n):
        acct = refs.expense_accounts[int(rng.random() * len(refs.expense_accounts))]
        pay = paid[int(rng.random() * len(paid))] if paid else None
        amount = float(rng.randint(20, 900))
        d = sd.new("recurringexpenses")
        d.update(recurring_expense_id=sd.ids(), recurrence_name=f"{acct['account_name']} {i + 1}",
                 account_id=acct["account_id"], account_name=acct["account_name"],
                 description=rng.choice(F.EXPENSE_DESCRIPTIONS), currency_id=refs.base_id,
                 currency_code=refs.base_code, amount=amount, sub_total=amount, tax_amount=0.0, total=amount,
                 bcy_total=amount, exchange_rate=1.0, is_billable=False, is_inclusive_tax=False,
                 paid_through_account_id=pay["account_id"] if pay else "",
                 paid_through_account_name=pay["account_name"] if pay else "")
        d.update(sd.edition_values("recurringexpenses", None))  # UK: acquisition / reverse-charge VAT (none)
        d["line_item"] = expense_line(d, sd.ids())
        _schedule(sd, d, "next_expense_date", "last_created_date")
        sd.stamp(d, sd.when())
        sd.add("recurringexpenses", d)


def finish_schedule(sd: Seeder) -> None:
    """The org's schedule marker: the earliest next date of every active scheduled record (stored and new)."""
    fields = {s.name: s.rules.schedule.next_field for s in SPECS.values() if isinstance(s.rules, Scheduled)}
    days = [r.get(f) for res, f in fields.items()
            for r in list(sd.existing(res)) + list(sd.out[res].values()) if r.get("status") == "active" and r.get(f)]
    if days:
        sd.store.put(record_ns(sd.org_id, SCHEDULE_NS), "due", marker_doc(min(days), sd.off))



# ---- retainer invoices, sales receipts, locations ----------------------------------------------------
def _sales_documents(sd: Seeder, resource: str, n: int) -> list[tuple[dict, dict]]:
    """``n`` new documents of ``resource`` for seeded customers, numbered and totalled (calc), oldest first."""
    if not n:
        return []
    sd.need(sd.refs.customers, "customers", resource)
    sd.need(sd.refs.items, "items", resource)
    spec = SPECS[resource]
    out = []
    for (ct, cust), number in zip(sd.doc_times(sd.refs.customers, n), sd.numbers(resource, n)):
        lines, result = _lines(sd, False)
        d = sd.new(resource)
        d.update({spec.id_field: sd.ids(), spec.number_field: number, "customer_id": cust["contact_id"],
                  "customer_name": cust["contact_name"], "date": sd.dstr(ct), "line_items": lines,
                  "currency_id": cust.get("currency_id") or sd.refs.base_id,
                  "currency_code": cust.get("currency_code") or sd.refs.base_code, "currency_symbol": sd.refs.base_symbol,
                  "exchange_rate": 1.0, "price_precision": 2, "sub_total": result["sub_total"],
                  "tax_total": result["tax_total"], "taxes": result["taxes"], "total": result["total"],
                  "billing_address": dict(cust.get("billing_address") or {})})
        sd.stamp(d, ct)
        out.append((d, cust))
    return out


def gen_retainerinvoices(sd: Seeder, n: int) -> None:
    """Retainers: a third still drafts, the rest sent, some of those paid (their payment drawn)."""
    rng = sd.rng
    for d, cust in _sales_documents(sd, "retainerinvoices", n):
        sent = rng.random() < 0.67
        paid = sent and rng.random() < 0.4
        d.update(status="paid" if paid else "sent" if sent else "draft", _sent=sent,
                 payment_made=d["total"] if paid else 0.0, payment_drawn=d["total"] if paid else 0.0,
                 balance=0.0 if paid else d["total"], last_payment_date=d["date"] if paid else "",
                 shipping_address=dict(cust.get("shipping_address") or {}), payment_options={"payment_gateways": []},
                 is_emailed=sent, template_name=TEMPLATE_NAME, **RETAINER_LAYOUT)
        sd.add("retainerinvoices", d)


def gen_salesreceipts(sd: Seeder, n: int) -> None:
    rng = sd.rng
    for d, cust in _sales_documents(sd, "salesreceipts", n):
        d.update(status="sent", payment_mode=rng.choice(("cash", "check", "creditcard", "banktransfer")),
                 payment_made=d["total"], balance=0.0, shipping_address=dict(cust.get("shipping_address") or {}))
        sd.add("salesreceipts", d)


def gen_locations(sd: Seeder, n: int) -> None:
    """The first location of an org is its primary "Head Office"; then branches in its customers' cities."""
    if not n:
        return
    existing = sd.existing("locations")
    taken = {loc.get("location_name") for loc in existing}
    cities = sorted({(c.get("billing_address") or {}).get("city") or "" for c in sd.refs.customers} - {""}) or ["Main"]
    for i in range(n):
        primary = not existing and i == 0
        name = "Head Office" if primary else f"{cities[i % len(cities)]} Branch"
        while name in taken:
            name += " 2"
        taken.add(name)
        d = sd.new("locations")
        d.update(location_id=sd.ids(), location_name=name, type="general", status="active", is_primary=primary,
                 email="", phone="", associated_series_ids=[], associated_users=[], is_all_users_selected=True,
                 address={"attention": "", "street_address1": "", "street_address2": "",
                          "city": "" if primary else cities[i % len(cities)], "state": "", "state_code": "",
                          "country": sd.ed.country, "zip": ""})
        sd.stamp(d, sd.start + i)
        sd.add("locations", d)


# ---- fixed assets --------------------------------------------------------------------------------------
ASSET_KINDS = (("Computers", "straight_line", "monthly", 36, 0.0), ("Furniture", "straight_line", "yearly", 84, 0.0),
               ("Vehicles", "declining_method", "yearly", 96, 20.0), ("Machinery", "declining_method", "monthly", 120, 15.0))
ASSET_NAMES = {"Computers": ("Laptop", "Server", "Workstation"), "Furniture": ("Desk set", "Meeting table"),
               "Vehicles": ("Delivery van", "Company car"), "Machinery": ("Printer press", "Forklift")}


def _account(sd: Seeder, kind: str, name: str = "") -> dict | None:
    accounts = [a for a in sd.refs.accounts.values() if a.get("account_type") == kind]
    return next((a for a in accounts if a.get("account_name") == name), accounts[0] if accounts else None)


def gen_fixedassettypes(sd: Seeder, n: int) -> None:
    if not n:
        return
    accounts = list(sd.refs.accounts.values())
    sd.need(accounts, "the chart of accounts", "fixedassettypes")
    # a small chart may lack the usual accounts: its first expense (else first) account stands in
    expense = _account(sd, "expense", "Depreciation Expense") or (sd.refs.expense_accounts or accounts)[0]
    holding = _account(sd, "fixed_asset", "Furniture and Equipment") or accounts[0]
    taken = {t.get("fixed_asset_type_name") for t in sd.existing("fixedassettypes")}
    for i in range(n):
        name, method, freq, life, pct = ASSET_KINDS[i % len(ASSET_KINDS)]
        name = name if i < len(ASSET_KINDS) else f"{name} {i // len(ASSET_KINDS) + 1}"
        if name in taken:
            continue
        d = sd.new("fixedassettypes")
        d.update(fixed_asset_type_id=sd.ids(), fixed_asset_type_name=name, expense_account_id=expense["account_id"],
                 expense_account_name=expense["account_name"], depreciation_account_id=holding["account_id"],
                 depreciation_account_name=holding["account_name"], depreciation_method=method,
                 depreciation_percentage=pct, total_life=life, depreciation_frequency=freq,
                 computation_type="no_prorata", salvage_value=0.0)
        sd.stamp(d, sd.start + i)
        sd.add("fixedassettypes", d)


def gen_fixedassets(sd: Seeder, n: int) -> None:
    """Assets of this run's types: most active and depreciated up to today by module_assets' arithmetic
    (history rows included; the next period is the org's schedule), a few still drafts."""
    kinds = list(sd.out["fixedassettypes"].values())
    if not n or not kinds:
        return
    rng = sd.rng
    holding = _account(sd, "fixed_asset", "Computer Equipment") or _account(sd, "fixed_asset")
    numbers = sd.numbers("fixedassets", n)
    for i, number in enumerate(numbers):
        kind = kinds[i % len(kinds)]
        ct = sd.when()
        cost = float(rng.choice((900, 1500, 2400, 5000, 18000, 32000)))
        start = sd.dstr(ct)
        d = sd.new("fixedassets")
        d.update(fixed_asset_id=sd.ids(), asset_number=number, asset_number_prefix="FA-",
                 asset_number_suffix=int(number[3:]), asset_name=rng.choice(ASSET_NAMES[kind["fixed_asset_type_name"].split(" ")[0]]),
                 fixed_asset_type_id=kind["fixed_asset_type_id"], fixed_asset_type_name=kind["fixed_asset_type_name"],
                 asset_cost=cost, dep_start_value=cost, current_asset_value=cost, accumulated_dep_value=0.0,
                 salvage_value=round(cost * 0.1, 2) if kind["depreciation_method"] == "straight_line" else 0.0,
                 asset_purchase_date=start, depreciation_start_date=start, serial_no=f"SN-{rng.randint(10000, 99999)}",
                 asset_account_id=holding["account_id"] if holding else "",
                 asset_account_name=holding["account_name"] if holding else "", last_depreciation_date="",
                 description="", notes="", warranty_expiry_date=sd.add_days(start, 3 * 365), _history=[],
                 **{k: kind[k] for k in ("expense_account_id", "expense_account_name", "depreciation_account_id",
                                         "depreciation_account_name", "depreciation_method", "depreciation_percentage",
                                         "total_life", "depreciation_frequency", "computation_type")})
        d["status"] = "draft" if rng.random() < 0.2 else "active"
        if d["status"] == "active":
            day = period_after(d, start)
            while day <= sd.today:
                amount = depreciation(d, d["current_asset_value"])
                if amount <= 0:
                    break
                d["current_asset_value"] = round(d["current_asset_value"] - amount, 2)
                d["accumulated_dep_value"] = round(d["accumulated_dep_value"] + amount, 2)
                d["last_depreciation_date"] = day
                d["_history"].append({"valuation_id": sd.ids(), "description": f"Depreciation for the period ending {day}",
                                      "valuation_date": day, "depreciated_value": amount,
                                      "current_value": d["current_asset_value"],
                                      "accumulated_value": d["accumulated_dep_value"], "type": "depreciation",
                                      "is_journal_posted": True})
                day = period_after(d, day)
            if depreciation(d, d["current_asset_value"]) > 0:
                d["_next_depreciation_date"] = day
            else:
                d.update(status="fully_depreciated", _next_depreciation_date="")
        sd.stamp(d, ct)
        sd.add("fixedassets", d)


# ---- bank rules ----------------------------------------------------------------------------------------
RULE_SHAPES = (("Card fees", "withdrawals", "expense", [{"field": "description", "comparator": "contains", "value": "fee"}]),
               ("Large deposits", "deposits", "deposit", [{"field": "amount", "comparator": "greater_than_or_equals",
                                                            "value": "5000"}]),
               ("Payroll", "withdrawals", "expense", [{"field": "payee", "comparator": "contains", "value": "payroll"}]))


def gen_bankrules(sd: Seeder, n: int) -> None:
    """Rules of the org's bank accounts; the uncategorized transactions of this run that one matches are
    marked as the write path marks them (module_ledger.rule_applies)."""
    banks = sd.refs.banks
    if not n or not banks:
        return
    offset = (sd.refs.expense_accounts or list(sd.refs.accounts.values()) or [None])[0]
    made: dict[str, list[dict]] = {}
    for i in range(n):
        bank = banks[i % len(banks)]
        name, apply_to, record_as, criterion = RULE_SHAPES[i % len(RULE_SHAPES)]
        d = sd.new("bankrules")
        own = made.setdefault(bank["account_id"], [])
        d.update(rule_id=sd.ids(), rule_name=name if i < len(RULE_SHAPES) else f"{name} {i + 1}", rule_order=len(own),
                 apply_to=apply_to, criteria_type="and", record_as=record_as, target_account_id=bank["account_id"],
                 account_id=offset["account_id"] if offset else "", account_name=offset["account_name"] if offset else "",
                 criterion=[{**c, "criteria_id": sd.ids()} for c in criterion], reference_number="from_statement")
        d.update(sd.edition_values("bankrules", None))  # names no tax exemption: tax_exemption_code ""
        sd.stamp(d, sd.start + i)
        sd.add("bankrules", d)
        own.append(d)
    for txn in sd.out["banktransactions"].values():
        rules = made.get(txn.get("account_id"), [])
        rule = next((r for r in rules if txn.get("status") == "uncategorized" and rule_applies(r, txn)), None)
        if rule is not None:
            txn["is_rule_exist"], txn["rule_details"] = True, [{"rule_id": rule["rule_id"], "rule_name": rule["rule_name"]}]
