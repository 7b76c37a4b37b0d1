"""Documented list filters served for issue 13 (the conformance run's filter checks, proved here without
Zoho's documents): seeded values the filters find, debit notes, time entries' and retainers' filter_by values,
exchange rates sorted either way, base-currency adjustments by period, sub-lists sorted and paged."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from tests.books_helpers import assert_zoho_error, world

SEEDED = {"invoices": 30}


def _ids(rows: list[dict], field: str) -> list[str]:
    return [str(r[field]) for r in rows]


def test_seeded_reference_numbers_salespersons_and_item_taxes_are_found(zoho):
    books = world(zoho, counts=SEEDED)
    for path, key in (("estimates", "estimates"), ("salesorders", "salesorders"), ("purchaseorders", "purchaseorders")):
        rows = books.ok("GET", path)[key]
        ref = next(r["reference_number"] for r in rows if r.get("reference_number"))
        hits = books.ok("GET", path, params={"reference_number": ref})[key]
        assert hits and {h["reference_number"] for h in hits} == {ref} and len(hits) < len(rows)
    orders = books.ok("GET", "salesorders")["salesorders"]
    details = [books.ok("GET", f"salesorders/{o['salesorder_id']}")["salesorder"] for o in orders]
    named = [d for d in details if d.get("salesperson_id")]
    assert named and named[0]["salesperson_name"]
    hits = books.ok("GET", "salesorders", params={"salesperson_id": named[0]["salesperson_id"]})["salesorders"]
    assert sorted(_ids(hits, "salesorder_id")) == sorted(d["salesorder_id"] for d in named)
    items = books.ok("GET", "items")["items"]
    taxed = [i for i in items if i["tax_name"]]
    assert taxed and len(taxed) < len(items) and all(i["tax_id"] for i in taxed)
    hits = books.ok("GET", "items", params={"tax_name": taxed[0]["tax_name"]})["items"]
    assert sorted(_ids(hits, "item_id")) == sorted(_ids(taxed, "item_id"))


def test_seeded_running_profiles_made_their_documents(zoho):
    books = world(zoho, counts=SEEDED)
    profiles = books.ok("GET", "recurringinvoices")["recurring_invoices"]
    running = [p for p in profiles if p["last_sent_date"]]
    assert len(running) == 1
    made = books.ok("GET", "invoices", params={"recurring_invoice_id": running[0]["recurring_invoice_id"]})["invoices"]
    assert made and max(i["date"] for i in made) == running[0]["last_sent_date"]
    assert all(i["customer_id"] == running[0]["customer_id"] for i in made)
    bills = books.ok("GET", "recurringbills")["recurringbills"]
    bill_profile = next(p for p in bills if p.get("last_sent_date"))
    assert books.ok("GET", "bills", params={"recurring_bill_id": bill_profile["recurring_bill_id"]})["bills"]
    expenses = books.ok("GET", "recurringexpenses")["recurring_expenses"]
    newest = expenses[0]  # created_time descending: the one the documents' examples would read first
    history = books.ok("GET", f"recurringexpenses/{newest['recurring_expense_id']}/expenses")["expensehistory"]
    assert len(history) == 2 and newest["last_created_date"] == max(h["date"] for h in history)
    children = books.ok("GET", "expenses", params={"recurring_expense_id": newest["recurring_expense_id"]})["expenses"]
    assert sorted(_ids(children, "expense_id")) == sorted(_ids(history, "expense_id"))
    billable = [e for e in expenses if e["customer_name"]]
    assert billable
    hits = books.ok("GET", "recurringexpenses", params={"customer_name": billable[0]["customer_name"]})
    assert {e["customer_name"] for e in hits["recurring_expenses"]} == {billable[0]["customer_name"]}
    hits = books.ok("GET", "recurringexpenses", params={"last_created_date": newest["last_created_date"]})
    assert _ids(hits["recurring_expenses"], "recurring_expense_id") == [newest["recurring_expense_id"]]
    details = [books.ok("GET", f"recurringinvoices/{p['recurring_invoice_id']}")["recurring_invoice"] for p in profiles]
    ending = [d for d in details if d["end_date"]]
    assert ending and len(ending) < len(details) and all(d["end_date"] > d["start_date"] for d in ending)
    assert all(d["notes"] for d in details)


def test_seeded_undrawn_retainer_payment_is_listed_by_currency(zoho):
    books = world(zoho, counts=SEEDED)
    paid = books.ok("GET", "retainerinvoices", params={"filter_by": "Status.Paid"})["retainerinvoices"]
    rows = []
    for retainer in paid:
        rows = books.ok("GET", f"contacts/{retainer['customer_id']}/receivables/unusedretainerpayments")
        rows = rows[next(k for k in rows if k not in ("code", "message", "page_context"))]
        if rows:
            break
    assert rows and rows[0]["unused_amount"] > 0
    path = f"contacts/{retainer['customer_id']}/receivables/unusedretainerpayments"
    same = books.ok("GET", path, params={"currency_id": rows[0]["currency_id"]})
    assert len(same[next(k for k in same if k not in ("code", "message", "page_context"))]) == len(rows)
    other = books.ok("GET", path, params={"currency_id": "1"})
    assert other[next(k for k in other if k not in ("code", "message", "page_context"))] == []


def test_debit_notes_filter_and_sort_on_invoices(zoho):
    books = world(zoho, counts=SEEDED)
    assert books.ok("GET", "invoices", params={"filter_by": "Type.DebitNote"})["invoices"] == []
    listed = books.ok("GET", "invoices", params={"sort_column": "debit_note_number"})
    assert listed["page_context"]["sort_column"] == "debit_note_number" and listed["invoices"]
    assert_zoho_error(books.get("invoices", params={"filter_by": "Type.CreditNote"}), 400, 2)


def test_time_entries_filter_by_status_and_custom_dates(zoho):
    books = world(zoho, counts=SEEDED)
    entries = books.ok("GET", "projects/timeentries")["time_entries"]
    unbilled = books.ok("GET", "projects/timeentries", params={"filter_by": "Status.Unbilled"})["time_entries"]
    invoiced = books.ok("GET", "projects/timeentries", params={"filter_by": "Status.Invoiced"})["time_entries"]
    assert unbilled and {e["billed_status"] for e in unbilled} == {"unbilled"}
    assert {e["billed_status"] for e in invoiced} <= {"billed"} and len(unbilled) + len(invoiced) == len(entries)
    day = sorted(e["log_date"] for e in entries)[len(entries) // 2]
    ranged = books.ok("GET", "projects/timeentries", params={"filter_by": "Date.CustomDate", "from_date": day,
                                                               "to_date": day})["time_entries"]
    assert ranged and {e["log_date"] for e in ranged} == {day} and len(ranged) < len(entries)


def test_retainer_invoice_statuses_and_columns(zoho):
    books = world(zoho, counts=SEEDED)
    every = books.ok("GET", "retainerinvoices")["retainerinvoices"]
    unpaid = books.ok("GET", "retainerinvoices", params={"filter_by": "Status.Unpaid"})["retainerinvoices"]
    assert unpaid and {r["status"] for r in unpaid} <= {"sent", "partially_paid", "overdue", "viewed"}
    assert len(unpaid) == sum(r["status"] in ("sent", "partially_paid") for r in every)
    for value in ("Status.OverDue", "Date.PaymentExpectedDate"):
        assert books.ok("GET", "retainerinvoices", params={"filter_by": value})["retainerinvoices"] == []
    assert books.ok("GET", "retainerinvoices", params={"filter_by": "Status.Viewed"})["code"] == 0
    up = books.ok("GET", "retainerinvoices", params={"sort_column": "due_date", "sort_order": "A"})["retainerinvoices"]
    down = books.ok("GET", "retainerinvoices", params={"sort_column": "due_date", "sort_order": "D"})["retainerinvoices"]
    # no retainer has a due date: either order keeps them in the order they were made
    assert len(up) == len(every) and _ids(up, "retainerinvoice_id") == _ids(down, "retainerinvoice_id")


def test_exchange_rates_sorted_either_way_and_todays(zoho):
    books = world(zoho, counts=SEEDED)
    currency = next(c for c in books.ok("GET", "settings/currencies")["currencies"] if not c["is_base_currency"])
    path = f"settings/currencies/{currency['currency_id']}/exchangerates"
    rates = books.ok("GET", path)["exchange_rates"]
    days = [r["effective_date"] for r in rates]
    assert len(days) >= 2 and days == sorted(days, reverse=True)  # newest first by default
    up = books.ok("GET", path, params={"sort_column": "effective_date"})["exchange_rates"]
    assert [r["effective_date"] for r in up] == sorted(days)
    down = books.ok("GET", path, params={"sort_column": "effective_date", "sort_order": "D"})["exchange_rates"]
    assert [r["effective_date"] for r in down] == sorted(days, reverse=True)
    assert_zoho_error(books.get(path, params={"sort_column": "effective_date", "sort_order": "up"}), 400, 2)
    assert books.ok("GET", path, params={"is_current_date": "true"})["exchange_rates"] == []
    now = datetime.fromtimestamp(float(zoho.clock.now()), timezone.utc).date()
    candidates = {now.isoformat(), (now - timedelta(days=1)).isoformat()}  # the org's day is one of them
    for day in candidates:
        books.ok("POST", path, json={"effective_date": day, "rate": rates[0]["rate"]})
    current = books.ok("GET", path, params={"is_current_date": "true"})["exchange_rates"]
    assert len(current) == 1 and current[0]["effective_date"] in candidates


def test_base_currency_adjustments_by_period_and_column(zoho):
    books = world(zoho, counts=SEEDED)
    currency = next(c for c in books.ok("GET", "settings/currencies")["currencies"] if not c["is_base_currency"])
    rate = books.ok("GET", f"settings/currencies/{currency['currency_id']}/exchangerates")["exchange_rates"][0]["rate"]
    customer = books.ok("POST", "contacts", json={"contact_name": "Maple Trading",
                                                  "currency_id": currency["currency_id"]})["contact"]
    invoice = books.ok("POST", "invoices", json={"customer_id": customer["contact_id"], "date": "2025-06-01",
                                                 "line_items": [{"name": "Export order", "rate": 800}]})["invoice"]
    books.ok("POST", f"invoices/{invoice['invoice_id']}/status/sent")  # an open foreign-currency receivable
    made = []
    for day, factor in (("2026-06-15", 1.02), ("2025-06-30", 1.01)):
        r = books.post("basecurrencyadjustment", {"currency_id": currency["currency_id"], "adjustment_date": day,
                                                  "exchange_rate": round(rate * factor, 6), "notes": "Revaluation"})
        if r.status_code in (200, 201):
            made.append(r.json()["data"])
    assert len(made) == 2, made
    listed = books.ok("GET", "basecurrencyadjustment")["base_currency_adjustments"]
    this_year = books.ok("GET", "basecurrencyadjustment", params={"filter_by": "Date.ThisYear"})
    assert [a["adjustment_date"][:4] for a in this_year["base_currency_adjustments"]] == ["2026"]
    assert len(books.ok("GET", "basecurrencyadjustment", params={"filter_by": "Date.All"})
               ["base_currency_adjustments"]) == len(listed) == 2
    up = books.ok("GET", "basecurrencyadjustment", params={"sort_column": "exchange_rate", "sort_order": "A"})
    rates = [a["exchange_rate"] for a in up["base_currency_adjustments"]]
    assert rates == sorted(rates)
    assert books.ok("GET", "basecurrencyadjustment", params={"sort_column": "debit_or_credit"})["code"] == 0
    assert_zoho_error(books.get("basecurrencyadjustment", params={"filter_by": "Date.Nope"}), 400, 2)


def test_sub_lists_sorted_and_paged(zoho):
    books = world(zoho, counts=SEEDED)
    newest = books.ok("GET", "recurringexpenses")["recurring_expenses"][0]["recurring_expense_id"]
    path = f"recurringexpenses/{newest}/expenses"
    every = books.ok("GET", path)
    assert every["page_context"]["sort_column"] == "date" and len(every["expensehistory"]) == 2
    first = books.ok("GET", path, params={"per_page": 1})
    second = books.ok("GET", path, params={"per_page": 1, "page": 2})
    assert first["page_context"]["has_more_page"] is True and second["page_context"]["has_more_page"] is False
    assert first["expensehistory"] + second["expensehistory"] == every["expensehistory"]
    totals = [e["total"] for e in books.ok("GET", path, params={"sort_column": "total"})["expensehistory"]]
    assert totals == sorted(totals)
    assert_zoho_error(books.get(path, params={"sort_column": "vendor_id"}), 400, 2)
    project = books.ok("GET", "projects")["projects"][0]
    for rate in (450, 300):
        books.ok("POST", "invoices", json={"customer_id": project["customer_id"], "line_items": [
            {"name": "Consulting hours", "rate": rate, "quantity": 2, "project_id": project["project_id"]}]})
    ppath = f"projects/{project['project_id']}/invoices"
    invoices = books.ok("GET", ppath, params={"sort_column": "total", "sort_order": "A"})["invoices"]
    assert [i["total"] for i in invoices] == sorted(i["total"] for i in invoices) and len(invoices) >= 2
    assert len(books.ok("GET", ppath, params={"per_page": 1, "page": 2})["invoices"]) == 1


def test_refunds_of_every_record_sorted_paged_and_since(zoho):
    books = world(zoho, counts=SEEDED)
    answer = books.ok("GET", "vendorcredits")
    credits = answer[next(k for k in answer if k not in ("code", "message", "page_context"))]
    credit = next(c for c in credits if c["status"] == "open" and c["balance"] >= 2)
    bank = books.ok("GET", "bankaccounts")["bankaccounts"][0]["account_id"]
    before = books.ok("GET", "vendorcredits/refunds")["vendor_credit_refunds"]
    zoho.admin("POST", "clock", json={"advance": 60})
    for day in ("2026-01-10", "2026-01-05"):
        books.ok("POST", f"vendorcredits/{credit['vendor_credit_id']}/refunds",
                 json={"date": day, "refund_mode": "cash", "amount": 1, "account_id": bank})
    every = books.ok("GET", "vendorcredits/refunds")["vendor_credit_refunds"]
    assert len(every) == len(before) + 2
    days = [r["date"] for r in books.ok("GET", "vendorcredits/refunds", params={"sort_column": "date"})
            ["vendor_credit_refunds"]]
    assert days == sorted(days)
    assert len(books.ok("GET", "vendorcredits/refunds", params={"per_page": 1, "page": 2})["vendor_credit_refunds"]) == 1
    changed = books.ok("GET", f"vendorcredits/{credit['vendor_credit_id']}")["vendor_credit"]["last_modified_time"]
    since = books.ok("GET", "vendorcredits/refunds", params={"last_modified_time": changed})["vendor_credit_refunds"]
    assert since and {r["vendor_credit_id"] for r in since} == {credit["vendor_credit_id"]}
    assert books.ok("GET", "vendorcredits/refunds", params={"last_modified_time": "2999-01-01T00:00:00+0000"})[
        "vendor_credit_refunds"] == []
