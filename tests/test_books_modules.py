"""The Books modules of issue 16, each walked statefully in both modes (create, read, list with a
filter, update, act, delete): projects with tasks, users and time entries (timer on the virtual
clock, roll-up to the project), recurring invoices, bills and expenses (documents generated when
the clock passes the next date), and the reads clients make beyond the documents (/vendors,
/settings/preferences)."""
from __future__ import annotations

from tests.books_helpers import Books, assert_zoho_error, make_org, make_user, put_records, world

from mock_zoho import literals as L

DAY = 86400


def _clocked_world(zoho, dc: str = "eu", edition: str = "uk") -> Books:
    """world(), keeping the self client so that a fresh token can be taken after the clock moves."""
    user = make_user(zoho, dc)
    org = make_org(zoho, [user], edition)
    grant = zoho.token(user)
    books = Books(zoho, grant.access_token, dc, org["organization_id"])
    books.user, books.client = user, grant.client  # type: ignore[attr-defined]
    return books


def _advance(zoho, books, seconds: float) -> None:
    """Move the virtual clock; access tokens live an hour, so the client takes a fresh one."""
    zoho.clock.advance(seconds)
    books.token = zoho.token(books.user, client=books.client).access_token


def _me(books) -> str:
    return books.ok("GET", "users/me")["user"]["user_id"]


def _customer(books, name: str = "Acme Ltd", contact_type: str = "customer") -> str:
    return books.ok("POST", "contacts", json={"contact_name": name, "contact_type": contact_type})["contact"]["contact_id"]


def test_vendors_and_preferences_as_clients_read_them(zoho):
    books = world(zoho)
    vendor = _customer(books, "Parts Inc", "vendor")
    _customer(books, "Buyer Co")
    body = books.ok("GET", "vendors")
    assert [c["contact_id"] for c in body["contacts"]] == [vendor]
    assert body["contacts"][0]["contact_type"] == "vendor" and body["page_context"]["page"] == 1
    assert books.ok("GET", "vendors", params={"search_text": "nothing"})["contacts"] == []
    prefs = books.ok("GET", "settings/preferences")["preferences"]
    assert prefs["is_project_enabled"] is True and set(prefs["terms"]) == {"invoice_terms", "estimate_terms", "creditnote_terms"}
    assert isinstance(prefs["auto_reminders"], list)
    # scopes as Zoho names them: contacts for /vendors, settings for preferences
    narrow = world(zoho, scopes=("ZohoBooks.invoices.READ",))
    assert_zoho_error(narrow.get("vendors"), 401, L.NOT_AUTHORIZED.code)


def test_project_walk_tasks_users_time_entries_and_roll_up(zoho):
    books = world(zoho)
    me = _me(books)
    cid = _customer(books)
    created = books.ok("POST", "projects", json={
        "project_name": "Website", "customer_id": cid, "billing_type": "based_on_task_hours", "user_id": me,
        "description": "New site", "tasks": [{"task_name": "Design", "rate": 100}, {"task_name": "Build", "rate": 80}]})
    project = created["project"]
    pid = project["project_id"]
    assert created["message"] == "The project has been created."
    assert project["customer_name"] == "Acme Ltd" and project["status"] == "active"
    assert [t["task_name"] for t in project["tasks"]] == ["Design", "Build"]
    assert [u["user_id"] for u in project["users"]] == [me] and project["total_hours"] == "00:00"
    # missing or bad fields are code 2 naming the field
    for body, field in (({"customer_id": cid, "billing_type": "based_on_task_hours", "user_id": me}, "project_name"),
                        ({"project_name": "X", "customer_id": cid, "billing_type": "hourly", "user_id": me}, "billing_type"),
                        ({"project_name": "X", "customer_id": "999", "billing_type": "based_on_task_hours", "user_id": me},
                         "customer_id")):
        assert assert_zoho_error(books.post("projects", body), 400, 2)["message"] == f"Invalid value passed for {field}"
    # tasks: nested under the project
    tasks = books.ok("GET", f"projects/{pid}/tasks")["tasks"]
    design = next(t for t in tasks if t["task_name"] == "Design")["task_id"]
    extra = books.ok("POST", f"projects/{pid}/tasks", json={"task_name": "QA", "rate": 50})["task"]
    assert extra["project_id"] == pid and extra["project_name"] == "Website"
    assert books.ok("PUT", f"projects/{pid}/tasks/{extra['task_id']}", json={"rate": 60})["task"]["rate"] == 60
    assert books.ok("GET", f"projects/{pid}/tasks/{extra['task_id']}")["task"]["rate"] == 60
    books.ok("DELETE", f"projects/{pid}/tasks/{extra['task_id']}")
    assert_zoho_error(books.get(f"projects/{pid}/tasks/{extra['task_id']}"), 404, 1002)
    # time entries: logged time rolls up to the task and the project
    e1 = books.ok("POST", "projects/timeentries", json={"project_id": pid, "task_id": design, "user_id": me,
                                                        "log_date": "2024-05-02", "log_time": "02:30"})["time_entry"]
    assert e1["log_time"] == "02:30" and e1["is_current_user"] is True and e1["task_name"] == "Design"
    books.ok("POST", "projects/timeentries", json={"project_id": pid, "task_id": design, "user_id": me,
                                                   "log_date": "2024-05-03", "begin_time": "09:00", "end_time": "10:15",
                                                   "is_billable": False})
    detail = books.ok("GET", f"projects/{pid}")["project"]
    assert (detail["total_hours"], detail["billable_hours"], detail["non_billable_hours"]) == ("03:45", "02:30", "01:15")
    assert detail["billable_amount"] == 250.0 and detail["un_billed_amount"] == 250.0  # 2.5 h at the task's 100
    assert books.ok("GET", f"projects/{pid}/tasks/{design}")["task"]["log_time"] == "03:45"
    listed = books.ok("GET", "projects/timeentries", params={"project_id": pid, "date_start": "2024-05-03"})
    assert [e["log_date"] for e in listed["time_entries"]] == ["2024-05-03"]
    assert books.ok("GET", "projects", params={"filter_by": "Status.Active"})["projects"][0]["total_hours"] == "03:45"
    books.ok("PUT", f"projects/timeentries/{e1['time_entry_id']}", json={"log_time": "01:00"})
    assert books.ok("GET", f"projects/{pid}")["project"]["billable_hours"] == "01:00"
    # the timer runs on the virtual clock
    started = books.ok("POST", f"projects/timeentries/{e1['time_entry_id']}/timer/start")
    assert started["message"] == "The timer has been started." and started["time_entry"]["timer_started_at"]
    assert books.ok("GET", "projects/timeentries/runningtimer/me")["time_entry"]["time_entry_id"] == e1["time_entry_id"]
    zoho.clock.advance(45 * 60)
    stopped = books.ok("POST", "projects/timeentries/timer/stop")
    assert stopped["message"] == "Timer has been stopped successfully."
    assert stopped["time_entry"]["log_time"] == "01:45" and stopped["time_entry"]["timer_duration_in_minutes"] == "45"
    assert_zoho_error(books.get("projects/timeentries/runningtimer/me"), 404, 1002)
    assert_zoho_error(books.post("projects/timeentries/timer/stop"), 404, 1002)
    assert books.ok("GET", f"projects/{pid}")["project"]["billable_hours"] == "01:45"
    # act: inactive and back; update; users; clone
    books.ok("POST", f"projects/{pid}/inactive")
    assert books.ok("GET", "projects", params={"filter_by": "Status.Inactive"})["projects"][0]["project_id"] == pid
    books.ok("POST", f"projects/{pid}/active")
    assert books.ok("PUT", f"projects/{pid}", json={"description": "Bigger site"})["project"]["description"] == "Bigger site"
    users = books.ok("GET", f"projects/{pid}/users")["users"]
    assert users[0]["user_id"] == me and users[0]["is_current_user"] is True and users[0]["total_hours"] == "03:00"
    invited = books.ok("POST", f"projects/{pid}/users/invite", json={"user_name": "Ann", "email": "ann@example.com",
                                                                    "rate": 70})["users"][0]
    assert invited["status"] == "invited" and invited["rate"] == 70
    books.ok("PUT", f"projects/{pid}/users/{invited['user_id']}", json={"rate": 75})
    assert books.ok("GET", f"projects/{pid}/users/{invited['user_id']}")["user"]["rate"] == 75
    assert_zoho_error(books.delete(f"projects/{pid}/users/{me}"), 400, L.HAS_DEPENDENTS.code)  # has time logged
    books.ok("DELETE", f"projects/{pid}/users/{invited['user_id']}")
    clone = books.ok("POST", f"projects/{pid}/clone", json={"project_name": "Website 2"})
    assert clone["message"] == "Project has been cloned successfully."
    assert [t["task_name"] for t in clone["project"]["tasks"]] == ["Design", "Build"]
    assert clone["project"]["total_hours"] == "00:00"
    # delete: a task with time is kept; bulk delete of entries; then the project goes with its tasks
    assert_zoho_error(books.delete(f"projects/{pid}/tasks/{design}"), 400, L.HAS_DEPENDENTS.code)
    ids = ",".join(e["time_entry_id"] for e in books.ok("GET", "projects/timeentries", params={"project_id": pid})["time_entries"])
    assert books.ok("DELETE", "projects/timeentries", params={"time_entry_ids": ids})["message"].startswith("The selected")
    assert books.ok("GET", f"projects/{pid}")["project"]["total_hours"] == "00:00"
    books.ok("DELETE", f"projects/{pid}")
    assert_zoho_error(books.get(f"projects/{pid}"), 404, 1002)
    assert_zoho_error(books.get(f"projects/{pid}/tasks"), 404, 1002)


def test_project_scopes_are_zohos(zoho):
    books = world(zoho, scopes=("ZohoBooks.projects.READ",))
    assert books.ok("GET", "projects")["projects"] == []
    assert_zoho_error(books.post("projects", {"project_name": "X"}), 401, L.NOT_AUTHORIZED.code)
    assert_zoho_error(books.get("invoices"), 401, L.NOT_AUTHORIZED.code)


def _recurring_setup(zoho):
    books = _clocked_world(zoho)
    tax = put_records(zoho, books.org_id, "taxes", [{"tax_name": "VAT", "tax_percentage": 20, "tax_type": "tax"}])[0]
    accts = put_records(zoho, books.org_id, "chartofaccounts", [
        {"account_name": "Rent", "account_type": "expense"}, {"account_name": "Bank", "account_type": "bank"}])
    return books, tax, accts


def test_recurring_invoice_walk_generates_on_the_clock(zoho):
    books, tax, _ = _recurring_setup(zoho)
    cid = _customer(books)
    created = books.ok("POST", "recurringinvoices", json={
        "recurrence_name": "Monthly hosting", "customer_id": cid, "recurrence_frequency": "months", "repeat_every": 1,
        "line_items": [{"name": "Hosting", "rate": 50, "tax_id": tax}]})["recurring_invoice"]
    rid = created["recurring_invoice_id"]
    assert created["status"] == "active" and created["total"] == 60.0
    # the start date is today: the first invoice is made at once
    invoices = books.ok("GET", "invoices", params={"recurring_invoice_id": rid})["invoices"]
    assert len(invoices) == 1 and invoices[0]["total"] == 60.0 and invoices[0]["status"] in ("sent", "overdue")
    first = books.ok("GET", f"recurringinvoices/{rid}")["recurring_invoice"]
    assert first["last_sent_date"] == invoices[0]["date"] and first["next_invoice_date"] > first["last_sent_date"]
    assert_zoho_error(books.post("recurringinvoices", {"recurrence_name": "Odd", "customer_id": cid,
                                                       "recurrence_frequency": "fortnights",
                                                       "line_items": [{"name": "x", "rate": 1}]}), 400, 2)
    # the clock passes two more monthly dates: the next call (any call) makes both, in date order
    _advance(zoho, books, 62 * DAY)
    made = books.ok("GET", "invoices", params={"recurring_invoice_id": rid, "sort_column": "date"})["invoices"]
    assert len(made) == 3 and [i["date"] for i in made] == sorted(i["date"] for i in made)
    assert len({i["invoice_number"] for i in made}) == 3
    # list with a filter, update, stop (no more documents), resume (missed dates skipped), delete
    assert [r["recurring_invoice_id"] for r in
            books.ok("GET", "recurringinvoices", params={"filter_by": "Status.Active"})["recurring_invoices"]] == [rid]
    upd = books.ok("PUT", f"recurringinvoices/{rid}", json={"line_items": [{"name": "Hosting", "rate": 80}]})
    assert upd["recurring_invoice"]["total"] == 80.0
    assert books.ok("POST", f"recurringinvoices/{rid}/status/stop")["message"] == "The recurring invoice has been stopped."
    assert books.ok("GET", "recurringinvoices", params={"filter_by": "Status.Stopped"})["recurring_invoices"][0]["status"] == "stopped"
    _advance(zoho, books, 70 * DAY)
    assert len(books.ok("GET", "invoices", params={"recurring_invoice_id": rid})["invoices"]) == 3
    books.ok("POST", f"recurringinvoices/{rid}/status/resume")
    resumed = books.ok("GET", f"recurringinvoices/{rid}")["recurring_invoice"]
    assert resumed["status"] == "active"
    after = books.ok("GET", "invoices", params={"recurring_invoice_id": rid})["invoices"]
    assert len(after) in (3, 4)  # a date falling on today is made; missed ones are not
    assert all(i["total"] in (60.0, 80.0) for i in after)
    books.ok("DELETE", f"recurringinvoices/{rid}")
    assert_zoho_error(books.get(f"recurringinvoices/{rid}"), 404, 1002)
    _advance(zoho, books, 40 * DAY)
    assert len(books.ok("GET", "invoices", params={"recurring_invoice_id": rid})["invoices"]) == len(after)


def test_recurring_bill_and_expense_walks(zoho):
    books, tax, (rent, bank) = _recurring_setup(zoho)
    vendor = _customer(books, "Landlord", "vendor")
    bill = books.ok("POST", "recurringbills", json={
        "recurrence_name": "Rent", "vendor_id": vendor, "recurrence_frequency": "weeks", "repeat_every": 2,
        "line_items": [{"account_id": rent, "rate": 1000}]})["recurring_bill"]
    bid = bill["recurring_bill_id"]
    assert bill["vendor_name"] == "Landlord" and bill["total"] == 1000.0
    # recurring-bills.yml reads and deletes at /recurring_bills/{id}
    assert books.ok("GET", f"recurring_bills/{bid}")["recurring_bill"]["recurrence_name"] == "Rent"
    _advance(zoho, books, 15 * DAY)
    bills = books.ok("GET", "bills", params={"recurring_bill_id": bid})["bills"]
    assert len(bills) == 2 and {b["status"] for b in bills} <= {"open", "overdue"}
    assert all(b["bill_number"].startswith("BILL-") for b in bills)
    books.ok("PUT", f"recurringbills/{bid}", json={"recurrence_name": "Office rent"})
    assert books.ok("GET", "recurringbills", params={"recurrence_name_contains": "office"})["recurringbills"][0]["recurring_bill_id"] == bid
    books.ok("POST", f"recurringbills/{bid}/status/stop")
    books.ok("DELETE", f"recurring_bills/{bid}")
    assert_zoho_error(books.get(f"recurringbills/{bid}"), 404, 1002)

    exp = books.ok("POST", "recurringexpenses", json={
        "recurrence_name": "Cleaning", "account_id": rent, "paid_through_account_id": bank, "amount": 100,
        "tax_id": tax, "start_date": _today(books), "recurrence_frequency": "days", "repeat_every": 10})["recurring_expense"]
    eid = exp["recurring_expense_id"]
    assert (exp["total"], exp["account_name"]) == (120.0, "Rent")
    _advance(zoho, books, 21 * DAY)
    history = books.ok("GET", f"recurringexpenses/{eid}/expenses")["expensehistory"]
    assert len(history) == 3 and all(h["total"] == 120.0 and h["account_name"] == "Rent" for h in history)
    assert len(books.ok("GET", "expenses", params={"recurring_expense_id": eid})["expenses"]) == 3
    profile = books.ok("GET", f"recurringexpenses/{eid}")["recurring_expense"]
    assert profile["last_created_date"] == max(h["date"] for h in history)
    assert books.ok("GET", "recurringexpenses", params={"filter_by": "Status.Active"})["recurring_expenses"][0]["recurring_expense_id"] == eid
    books.ok("PUT", f"recurringexpenses/{eid}", json={"amount": 200})
    assert books.ok("GET", f"recurringexpenses/{eid}")["recurring_expense"]["total"] == 240.0
    books.ok("POST", f"recurringexpenses/{eid}/status/stop")
    assert_zoho_error(books.post("recurringexpenses", {"recurrence_name": "No amount", "account_id": rent,
                                                       "start_date": _today(books), "recurrence_frequency": "days",
                                                       "repeat_every": 1}), 400, 2)
    books.ok("DELETE", f"recurringexpenses/{eid}")
    assert_zoho_error(books.get(f"recurringexpenses/{eid}"), 404, 1002)


def _today(books) -> str:
    """The org's local date now (a new contact's created_time), as Zoho dates a new record."""
    import uuid

    return _contact_created(books, uuid.uuid4().hex[:8])[:10]


def _contact_created(books, name: str) -> str:
    return books.ok("POST", "contacts", json={"contact_name": name})["contact"]["created_time"]


def test_retainer_invoice_walk(zoho):
    books, tax, _ = _recurring_setup(zoho)
    cid = _customer(books)
    created = books.ok("POST", "retainerinvoices", json={"customer_id": cid, "reference_number": "R-1",
                                                         "line_items": [{"description": "Advance", "rate": 500,
                                                                         "tax_id": tax}]})
    ret = created["retainerinvoice"]
    rid = ret["retainerinvoice_id"]
    assert created["message"] == "The retainer invoice has been created."
    assert ret["retainerinvoice_number"] == "RET-000001" and ret["status"] == "draft"
    assert (ret["total"], ret["balance"]) == (600.0, 600.0)
    assert_zoho_error(books.post("retainerinvoices", {"customer_id": cid}), 400, 2)
    # act: submit for approval, approve, send; then list with a filter
    assert_zoho_error(books.post(f"retainerinvoices/{rid}/approve"), 400, 2)  # not submitted yet
    books.ok("POST", f"retainerinvoices/{rid}/submit")
    assert books.ok("GET", f"retainerinvoices/{rid}")["retainerinvoice"]["status"] == "pending_approval"
    books.ok("POST", f"retainerinvoices/{rid}/approve")
    assert books.ok("GET", "retainerinvoices", params={"filter_by": "Status.Approved"})["retainerinvoices"][0]["retainerinvoice_id"] == rid
    books.ok("POST", f"retainerinvoices/{rid}/status/sent")
    assert books.ok("GET", "retainerinvoices", params={"filter_by": "Status.Sent"})["retainerinvoices"][0]["status"] == "sent"
    addr = books.ok("PUT", f"retainerinvoices/{rid}/address/billing", json={"city": "Leeds", "zip": "LS1"})
    assert addr["message"] == "Billing address updated"
    got = books.ok("GET", f"retainerinvoices/{rid}")["retainerinvoice"]
    assert got["billing_address"]["city"] == "Leeds"
    upd = books.ok("PUT", f"retainerinvoices/{rid}", json={"line_items": [{"description": "Advance", "rate": 1000}]})
    assert upd["retainerinvoice"]["total"] == 1000.0 and upd["retainerinvoice"]["status"] == "sent"
    books.ok("POST", f"retainerinvoices/{rid}/status/void")
    assert books.ok("GET", f"retainerinvoices/{rid}")["retainerinvoice"]["status"] == "void"
    books.ok("DELETE", f"retainerinvoices/{rid}")
    assert_zoho_error(books.get(f"retainerinvoices/{rid}"), 404, 1002)


def test_sales_receipt_walk(zoho):
    books, tax, _ = _recurring_setup(zoho)
    cid = _customer(books)
    sr = books.ok("POST", "salesreceipts", json={"customer_id": cid, "payment_mode": "Cash", "date": "2024-07-28",
                                                 "line_items": [{"name": "Hard Drive", "rate": 120, "quantity": 2,
                                                                 "tax_id": tax}]})["salesreceipt"]
    sid = sr["sales_receipt_id"]
    assert sr["receipt_number"] == "SR-000001" and sr["payment_mode"] == "cash"
    assert (sr["sub_total"], sr["tax_total"], sr["total"], sr["status"]) == (240.0, 48.0, 288.0, "sent")
    assert_zoho_error(books.post("salesreceipts", {"customer_id": cid, "line_items": [{"name": "x", "rate": 1}]}), 400, 2)
    assert [r["sales_receipt_id"] for r in books.ok("GET", "salesreceipts", params={"customer_id": cid})["salesreceipts"]] == [sid]
    assert books.ok("GET", "salesreceipts", params={"total_greater_than": 1000})["salesreceipts"] == []
    assert books.ok("PUT", f"salesreceipts/{sid}", json={"notes": "Thanks"})["salesreceipt"]["notes"] == "Thanks"
    assert books.ok("GET", f"salesreceipts/{sid}")["salesreceipt"]["notes"] == "Thanks"
    # a receipt is paid when made: the customer owes nothing for it
    assert books.ok("GET", f"contacts/{cid}")["contact"]["outstanding_receivable_amount"] == 0
    books.ok("DELETE", f"salesreceipts/{sid}")
    assert_zoho_error(books.get(f"salesreceipts/{sid}"), 404, 1002)


def test_locations_walk(zoho):
    books = world(zoho)
    assert books.ok("POST", "settings/locations/enable")["message"] == "We're enabling locations for your organization."
    head = books.ok("GET", "locations")["locations"]
    assert [(loc["location_name"], loc["is_primary"]) for loc in head] == [("Head Office", True)]
    me = _me(books)
    branch = books.ok("POST", "locations", json={"location_name": "Branch", "type": "general", "user_ids": [me],
                                                 "address": {"city": "Leeds", "country": "U.K"}})["locations"]
    lid = branch["location_id"]
    assert branch["is_primary"] is False and branch["associated_users"][0]["user_id"] == me
    assert branch["address"]["city"] == "Leeds"
    assert_zoho_error(books.post("locations", {"location_name": "branch"}), 400, L.ALREADY_EXISTS.code)
    assert_zoho_error(books.post("locations", {"location_name": "X", "type": "warehouse"}), 400, 2)
    books.ok("PUT", f"locations/{lid}", json={"email": "branch@example.com"})
    books.ok("POST", f"locations/{lid}/inactive")
    assert [loc["location_id"] for loc in books.ok("GET", "locations", params={"filter_by": "Status.Inactive"})["locations"]] == [lid]
    assert_zoho_error(books.post(f"locations/{lid}/markasprimary"), 400, 2)  # an inactive one is not made primary
    books.ok("POST", f"locations/{lid}/active")
    assert books.ok("POST", f"locations/{lid}/markasprimary")["message"] == "The location has been marked as primary."
    primaries = [loc["location_name"] for loc in books.ok("GET", "locations")["locations"] if loc["is_primary"]]
    assert primaries == ["Branch"]
    assert_zoho_error(books.delete(f"locations/{lid}"), 400, 2)  # the primary one stays
    old_head = next(loc for loc in books.ok("GET", "locations")["locations"] if loc["location_name"] == "Head Office")
    books.ok("DELETE", f"locations/{old_head['location_id']}")
    assert [loc["location_name"] for loc in books.ok("GET", "locations")["locations"]] == ["Branch"]
    narrow = world(zoho, scopes=("ZohoBooks.settings.READ",))
    assert_zoho_error(narrow.post("locations", {"location_name": "Y"}), 401, L.NOT_AUTHORIZED.code)


def test_fixed_asset_walk_depreciates_on_the_clock(zoho):
    books = _clocked_world(zoho)
    accts = put_records(zoho, books.org_id, "chartofaccounts", [
        {"account_name": "Equipment", "account_type": "fixed_asset"},
        {"account_name": "Depreciation", "account_type": "expense"},
        {"account_name": "Accumulated Depreciation", "account_type": "fixed_asset"}])
    kind = books.ok("POST", "fixedassettypes", json={
        "fixed_asset_type_name": "Machines", "expense_account_id": accts[1], "depreciation_account_id": accts[2],
        "depreciation_method": "straight_line", "depreciation_frequency": "monthly", "total_life": 12,
        "salvage_value": 0, "computation_type": "no_prorata"})["fixed_asset_type"]
    assert kind["expense_account_name"] == "Depreciation"
    assert_zoho_error(books.post("fixedassettypes", {"fixed_asset_type_name": "machines", "expense_account_id": accts[1],
                                                     "depreciation_account_id": accts[2],
                                                     "depreciation_method": "straight_line",
                                                     "depreciation_frequency": "monthly"}), 400, L.ALREADY_EXISTS.code)
    today = _today(books)
    asset = books.ok("POST", "fixedassets", json={
        "asset_name": "Laptop", "fixed_asset_type_id": kind["fixed_asset_type_id"], "asset_account_id": accts[0],
        "asset_cost": 1200, "asset_purchase_date": today, "salvage_value": 0})["fixed_asset"]
    aid = asset["fixed_asset_id"]
    assert (asset["asset_number"], asset["asset_number_prefix"], asset["asset_number_suffix"]) == ("FA-000001", "FA-", 1)
    assert (asset["status"], asset["current_asset_value"], asset["depreciation_method"]) == ("draft", 1200.0, "straight_line")
    assert_zoho_error(books.post("fixedassets", {"asset_name": "X", "fixed_asset_type_id": kind["fixed_asset_type_id"],
                                                 "asset_account_id": accts[0], "asset_purchase_date": today}), 400, 2)
    # a draft does not depreciate; an active asset loses 100 a month on the clock
    assert books.ok("GET", f"fixedassets/{aid}/forecast")["data"][0]["depreciated_value"] == 100.0
    assert len(books.ok("GET", f"fixedassets/{aid}/forecast")["data"]) == 12
    books.ok("PUT", f"fixedassets/{aid}", json={"serial_no": "SN-1"})
    assert books.ok("POST", f"fixedassets/{aid}/status/active")["message"] == "Fixed asset's status changed"
    assert books.ok("GET", f"fixedassets/{aid}/history")["asset_history"] == []
    _advance(zoho, books, 95 * DAY)  # three month ends passed
    got = books.ok("GET", f"fixedassets/{aid}")["fixed_asset"]
    assert (got["current_asset_value"], got["accumulated_dep_value"]) == (900.0, 300.0)
    history = books.ok("GET", f"fixedassets/{aid}/history")["asset_history"]
    assert [h["current_value"] for h in history] == [900.0, 1000.0, 1100.0] and history[0]["type"] == "depreciation"
    assert got["last_depreciation_date"] == history[0]["valuation_date"]
    assert len(books.ok("GET", f"fixedassets/{aid}/forecast")["data"]) == 9
    assert books.ok("GET", "fixedassets", params={"filter_by": "Status.Active"})["fixedassets"][0]["current_asset_value"] == 900.0
    assert_zoho_error(books.put(f"fixedassets/{aid}", {"asset_cost": 5000}), 400, 2)  # fixed once depreciating
    assert_zoho_error(books.post(f"fixedassets/{aid}/status/draft"), 400, 2)
    assert_zoho_error(books.delete(f"fixedassets/{aid}"), 400, L.HAS_DEPENDENTS.code)
    assert_zoho_error(books.delete(f"fixedassettypes/{kind['fixed_asset_type_id']}"), 400, L.HAS_DEPENDENTS.code)
    # write it off: value 0, no more depreciation
    assert_zoho_error(books.post(f"fixedassets/{aid}/writeoff", {"date": _today(books)}), 400, 2)
    off = books.ok("POST", f"fixedassets/{aid}/writeoff", json={"date": _today(books), "expense_account_id": accts[1],
                                                                "reason": "Broken"})
    assert off["message"] == "Fixed asset has been written off"
    _advance(zoho, books, 40 * DAY)
    final = books.ok("GET", f"fixedassets/{aid}")["fixed_asset"]
    assert (final["status"], final["current_asset_value"]) == ("written_off", 0.0)
    assert books.ok("GET", f"fixedassets/{aid}/history")["asset_history"][0]["type"] == "write_off"
    # a second asset: cancelled while still a draft, then deleted
    other = books.ok("POST", "fixedassets", json={"asset_name": "Desk", "fixed_asset_type_id": kind["fixed_asset_type_id"],
                                                  "asset_account_id": accts[0], "asset_cost": 300,
                                                  "asset_purchase_date": _today(books)})["fixed_asset"]
    books.ok("POST", f"fixedassets/{other['fixed_asset_id']}/status/cancel")
    books.ok("DELETE", f"fixedassets/{other['fixed_asset_id']}")
    assert_zoho_error(books.get(f"fixedassets/{other['fixed_asset_id']}"), 404, 1002)
    narrow = world(zoho, scopes=("ZohoBooks.fixedasset.READ",))
    assert narrow.ok("GET", "fixedassets")["fixedassets"] == []
    assert_zoho_error(narrow.post("fixedassets", {"asset_name": "Z"}), 401, L.NOT_AUTHORIZED.code)


def test_bank_rule_walk_marks_matching_transactions(zoho):
    books = world(zoho, counts={"currencies": 1, "chartofaccounts": 20, "bankaccounts": 1, "contacts": 2,
                                "banktransactions": 12, "bankrules": 0})
    bank = books.ok("GET", "bankaccounts")["bankaccounts"][0]["account_id"]
    offset = next(a for a in books.ok("GET", "chartofaccounts")["chartofaccounts"] if a["account_type"] == "income")
    assert books.ok("GET", "bankaccounts/rules")["rules"] == []
    body = {"rule_name": "Big deposits", "target_account_id": bank, "apply_to": "deposits", "criteria_type": "and",
            "criterion": [{"field": "amount", "comparator": "greater_than_or_equals", "value": "0"}],
            "record_as": "deposit", "account_id": offset["account_id"]}
    created = books.ok("POST", "bankaccounts/rules", json=body)
    rule = created["rule"]
    assert created["message"] == "The bank rule has been created."
    assert (rule["rule_order"], rule["account_name"], rule["criterion"][0]["comparator"]) == (0, offset["account_name"], "greater_than_or_equals")
    marked = [t for t in books.ok("GET", "banktransactions", params={"account_id": bank, "filter_by": "Status.Uncategorized"})["banktransactions"]
              if t["is_rule_exist"]]
    assert all(t["debit_or_credit"] == "debit" for t in marked)
    assert all(t["rule_details"] == [{"rule_id": rule["rule_id"], "rule_name": "Big deposits"}] for t in marked)
    for bad, field in (({**body, "apply_to": "sideways"}, "apply_to"),
                       ({**body, "criterion": [{"field": "colour", "comparator": "is", "value": "x"}]}, "field"),
                       ({**body, "target_account_id": offset["account_id"]}, "target_account_id")):
        assert assert_zoho_error(books.post("bankaccounts/rules", bad), 400, 2)["message"] == f"Invalid value passed for {field}"
    assert [r["rule_id"] for r in books.ok("GET", "bankaccounts/rules", params={"account_id": bank})["rules"]] == [rule["rule_id"]]
    books.ok("PUT", f"bankaccounts/rules/{rule['rule_id']}",
             json={"criterion": [{"field": "amount", "comparator": "greater_than", "value": "99999999"}]})
    assert books.ok("GET", f"bankaccounts/rules/{rule['rule_id']}")["rule"]["criterion"][0]["value"] == "99999999"
    assert not any(t["is_rule_exist"] for t in books.ok("GET", "banktransactions", params={"account_id": bank})["banktransactions"]
                   if t["status"] == "uncategorized")
    books.ok("DELETE", f"bankaccounts/rules/{rule['rule_id']}")
    assert_zoho_error(books.get(f"bankaccounts/rules/{rule['rule_id']}"), 404, 1002)


def test_base_currency_adjustment_walk(zoho):
    books = world(zoho, "eu", "uk", counts={"currencies": 4, "chartofaccounts": 43})
    cur = next(c for c in books.ok("GET", "settings/currencies")["currencies"] if not c["is_base_currency"])
    buyer = books.ok("POST", "contacts", json={"contact_name": "Abroad Inc", "currency_id": cur["currency_id"]})["contact"]
    for rate in (50, 70):
        inv = books.ok("POST", "invoices", json={"customer_id": buyer["contact_id"], "exchange_rate": 1.2,
                                                 "line_items": [{"name": "Export", "rate": rate}]})["invoice"]
        books.ok("POST", f"invoices/{inv['invoice_id']}/status/sent")
    open_in = {cur["currency_id"]: books.ok("GET", "invoices", params={"customer_id": buyer["contact_id"]})["invoices"]}
    today = _today(books)
    preview = books.ok("GET", "basecurrencyadjustment/accounts",
                       params={"currency_id": cur["currency_id"], "adjustment_date": today, "exchange_rate": 2.5,
                               "notes": "Year end"})["data"]
    receivable = next(a for a in preview["accounts"] if a["gl_specific_type"] == 5)
    assert receivable["fcy_balance"] == round(sum(i["balance"] for i in open_in[cur["currency_id"]]), 2)
    assert receivable["adjusted_balance"] == round(receivable["fcy_balance"] * 2.5, 2)
    assert receivable["gain_or_loss"] == round(receivable["adjusted_balance"] - receivable["bcy_balance"], 2)
    made = books.ok("POST", "basecurrencyadjustment", json={"currency_id": cur["currency_id"], "adjustment_date": today,
                                                             "exchange_rate": 2.5, "notes": "Year end"})
    assert made["message"].startswith("The adjustment has been made")
    adj = made["data"]
    assert adj["accounts"] == preview["accounts"] and adj["currency_code"] == cur["currency_code"]
    rates = books.ok("GET", f"settings/currencies/{cur['currency_id']}/exchangerates")["exchange_rates"]
    assert any(r["effective_date"] == today and r["rate"] == 2.5 for r in rates)
    listed = books.ok("GET", "basecurrencyadjustment", params={"currency_id": cur["currency_id"]})["base_currency_adjustments"]
    assert [a["base_currency_adjustment_id"] for a in listed] == [adj["base_currency_adjustment_id"]]
    assert books.ok("GET", f"basecurrencyadjustment/{adj['base_currency_adjustment_id']}")["data"]["gain_or_loss"] == adj["gain_or_loss"]
    base = next(c for c in books.ok("GET", "settings/currencies")["currencies"] if c["is_base_currency"])
    assert_zoho_error(books.post("basecurrencyadjustment", {"currency_id": base["currency_id"], "adjustment_date": today,
                                                            "exchange_rate": 1, "notes": "x"}), 400, 2)
    assert_zoho_error(books.put(f"basecurrencyadjustment/{adj['base_currency_adjustment_id']}", {"notes": "y"}), 405, 37)
    books.ok("DELETE", f"basecurrencyadjustment/{adj['base_currency_adjustment_id']}")
    assert_zoho_error(books.get(f"basecurrencyadjustment/{adj['base_currency_adjustment_id']}"), 404, 1002)


def test_opening_balance_walk(zoho):
    books = world(zoho, counts={"currencies": 1, "chartofaccounts": 20})
    accounts = books.ok("GET", "chartofaccounts")["chartofaccounts"]
    cash = next(a for a in accounts if a["account_type"] in ("cash", "bank"))["account_id"]
    equity = next(a for a in accounts if a["account_type"] == "equity")["account_id"]
    assert_zoho_error(books.get("settings/openingbalances"), 404, 1002)
    lines = [{"account_id": cash, "debit_or_credit": "debit", "amount": 2000},
             {"account_id": equity, "debit_or_credit": "credit", "amount": 1500}]
    uneven = books.ok("POST", "settings/openingbalances", json={"date": "2024-01-01", "accounts": lines})
    adjustment = uneven["opening_balance"]["accounts"][-1]  # the difference, as Zoho posts it
    assert (adjustment["account_name"], adjustment["debit_or_credit"], adjustment["amount"]) == (
        "Opening Balance Adjustments", "credit", 500.0) and uneven["opening_balance"]["total"] == 2000.0
    books.ok("DELETE", "settings/openingbalances")
    lines[1]["amount"] = 2000
    saved = books.ok("POST", "settings/openingbalances", json={"date": "2024-01-01", "accounts": lines})
    assert saved["message"] == "The opening balances are saved!"
    ob = saved["opening_balance"]
    assert (ob["date"], ob["total"], len(ob["accounts"])) == ("2024-01-01", 2000.0, 2)
    assert_zoho_error(books.post("settings/openingbalances", {"date": "2024-02-01"}), 400, L.ALREADY_EXISTS.code)
    books.ok("PUT", "settings/openingbalances", json={"date": "2024-02-01"})
    got = books.ok("GET", "settings/openingbalances")["opening_balance"]
    assert (got["date"], got["total"], got["opening_balance_id"]) == ("2024-02-01", 2000.0, ob["opening_balance_id"])
    books.ok("DELETE", "settings/openingbalances")
    assert_zoho_error(books.get("settings/openingbalances"), 404, 1002)
    assert_zoho_error(books.put("settings/openingbalances", {"date": "2024-03-01"}), 404, 1002)


def test_an_invoice_bills_time_entries_and_the_project_adds_up(zoho):
    books = world(zoho)
    me = _me(books)
    cid = _customer(books)
    project = books.ok("POST", "projects", json={"project_name": "Audit", "customer_id": cid, "user_id": me,
                                                 "billing_type": "based_on_project_hours", "rate": 100,
                                                 "tasks": [{"task_name": "Fieldwork"}]})["project"]
    pid, task = project["project_id"], project["tasks"][0]["task_id"]
    entries = [books.ok("POST", "projects/timeentries", json={"project_id": pid, "task_id": task, "user_id": me,
                                                              "log_date": "2024-05-0%d" % d, "log_time": "02:00"}
                        )["time_entry"]["time_entry_id"] for d in (1, 2)]
    inv = books.ok("POST", "invoices", json={"customer_id": cid, "line_items": [
        {"name": "Fieldwork", "rate": 100, "quantity": 2, "time_entry_ids": entries[:1]}]})["invoice"]
    assert inv["line_items"][0]["project_id"] == pid and inv["line_items"][0]["time_entry_ids"] == entries[:1]
    billed = books.ok("GET", f"projects/timeentries/{entries[0]}")["time_entry"]
    assert (billed["billed_status"], billed["invoice_id"]) == ("billed", inv["invoice_id"])
    got = books.ok("GET", f"projects/{pid}")["project"]
    assert (got["billed_hours"], got["un_billed_hours"], got["billed_amount"], got["un_billed_amount"]) == \
        ("02:00", "02:00", 200.0, 200.0)
    assert [i["invoice_id"] for i in books.ok("GET", f"projects/{pid}/invoices")["invoices"]] == [inv["invoice_id"]]
    assert books.ok("GET", "projects/timeentries", params={"billed_status": "billed"})["time_entries"][0]["time_entry_id"] == entries[0]
    # a billed entry is neither billed twice, edited nor deleted
    assert_zoho_error(books.post("invoices", {"customer_id": cid, "line_items": [
        {"name": "Again", "rate": 1, "time_entry_ids": entries[:1]}]}), 400, 2)
    assert_zoho_error(books.put(f"projects/timeentries/{entries[0]}", {"log_time": "09:00"}), 400, 2)
    assert_zoho_error(books.delete(f"projects/timeentries/{entries[0]}"), 400, L.HAS_DEPENDENTS.code)
    # voiding the invoice unbills its time; the project rolls up again
    books.ok("POST", f"invoices/{inv['invoice_id']}/status/void")
    assert books.ok("GET", f"projects/timeentries/{entries[0]}")["time_entry"]["billed_status"] == "unbilled"
    assert books.ok("GET", f"projects/{pid}")["project"]["billed_hours"] == "00:00"


def test_custom_module_walk(zoho):
    books = world(zoho)
    assert books.ok("GET", "cm_debtor")["module_record"] == []
    created = books.ok("POST", "cm_debtor", json={"record_name": "Alice", "cf_debt_amount": 10000, "cf_note": "late"})
    assert created["message"] == "debtor is created successfully"
    rec = created["module_record"][0]
    rid = rec["module_record_id"]
    assert (rec["module_api_name"], rec["record_name"], rec["cf_debt_amount"], rec["cf_debt_amount_formatted"]) == \
        ("cm_debtor", "Alice", 10000, "10,000.00")
    assert_zoho_error(books.post("cm_debtor", {"cf_debt_amount": 5}), 400, 2)
    assert_zoho_error(books.post("cm_debtor", {"record_name": "Bob", "cf_debt_amount": {"x": 1}}), 400, 2)
    books.ok("POST", "cm_debtor", json={"record_name": "Bob", "cf_debt_amount": 50})
    listed = books.ok("GET", "cm_debtor", params={"per_page": 1})
    assert len(listed["module_record"]) == 1 and listed["page_context"]["has_more_page"] is True
    detail = books.ok("GET", f"cm_debtor/{rid}")
    assert detail["module_record_hash"]["record_name"] == "Alice"
    assert {f["api_name"] for f in detail["module_record"]["module_fields"]} == {"record_name", "cf_debt_amount", "cf_note"}
    upd = books.ok("PUT", f"cm_debtor/{rid}", json={"cf_debt_amount": 7500.5})
    assert upd["message"] == "debtor is updated successfully." and upd["module_record"][0]["cf_debt_amount"] == 7500.5
    bulk = books.ok("PUT", "cm_debtor", json={"module_record_id": rid, "cf_note": "paid"})["module_record"]
    assert bulk[0]["cf_note"] == "paid" and bulk[0]["code"] == 0
    assert books.ok("GET", "cm_other")["module_record"] == []  # modules are apart
    assert_zoho_error(books.get(f"cm_other/{rid}"), 404, 1002)
    assert_zoho_error(books.get("cm_Bad-Name"), 404, 5)
    books.ok("DELETE", f"cm_debtor/{rid}")
    assert_zoho_error(books.get(f"cm_debtor/{rid}"), 404, 1002)
    assert books.ok("DELETE", "cm_debtor")["message"] == "Module record deleted"
    assert books.ok("GET", "cm_debtor")["module_record"] == []
    narrow = world(zoho, scopes=("ZohoBooks.invoices.ALL",))
    assert_zoho_error(narrow.get("cm_debtor"), 401, L.NOT_AUTHORIZED.code)


def test_time_entries_and_receipts_filter_by_periods(zoho):
    from datetime import date, timedelta

    books = world(zoho)
    me, cid = _me(books), _customer(books)
    today = date.fromisoformat(_today(books))
    project = books.ok("POST", "projects", json={"project_name": "P", "customer_id": cid, "user_id": me,
                                                 "billing_type": "fixed_cost_for_project", "tasks": [{"task_name": "T"}]})["project"]
    logged = [today, today - timedelta(days=1), today.replace(day=1) - timedelta(days=1)]
    for day in logged:
        books.ok("POST", "projects/timeentries", json={"project_id": project["project_id"], "task_id": project["tasks"][0]["task_id"],
                                                       "user_id": me, "log_date": day.isoformat(), "log_time": "01:00"})
    days = lambda f: sorted(e["log_date"] for e in books.ok("GET", "projects/timeentries", params={"filter_by": f})["time_entries"])  # noqa: E731
    assert days("Date.Today") == [today.isoformat()]
    assert days("Date.PreviousDay") == sorted(d.isoformat() for d in logged if d == today - timedelta(days=1))
    assert (today.replace(day=1) - timedelta(days=1)).isoformat() in days("Date.PreviousMonth")
    assert_zoho_error(books.get("projects/timeentries", params={"filter_by": "Date.Sometime"}), 400, 2)
    books.ok("POST", "salesreceipts", json={"customer_id": cid, "payment_mode": "cash", "date": today.isoformat(),
                                            "line_items": [{"name": "x", "rate": 5}]})
    assert len(books.ok("GET", "salesreceipts", params={"filter_by": "ThisMonth"})["salesreceipts"]) == 1
    assert books.ok("GET", "salesreceipts", params={"filter_by": "PreviousYear"})["salesreceipts"] == []
