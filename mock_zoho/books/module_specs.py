"""Resource descriptions of the Books modules added for issue 16, merged into ``resources.SPECS``.

Projects (with their tasks, users and time entries) and recurring invoices, bills and expenses:
paths, keys, field sets (``module_fields.py``), filters, sort columns, Zoho's scope module
(``ZohoBooks.projects.*``, ``ZohoBooks.invoices.*`` ...) and the named write rules
(``module_rules.py``, ``recurrence.py``). The generic handlers serve them; what is not a plain
list/detail/create/update/delete is a record action of their rules or a handler in
``module_views.py``.
"""
from __future__ import annotations

from .fields import field_list as _f
from .module_fields import (PROJECT_DETAIL, PROJECT_LIST, RECURRING_BILL_DETAIL, RECURRING_BILL_LIST,
                            RECURRING_EXPENSE_DETAIL, RECURRING_EXPENSE_LIST, RECURRING_INVOICE_DETAIL,
                            RECURRING_INVOICE_LIST, TASK_DETAIL, TASK_LIST, TIME_ENTRY_DETAIL, TIME_ENTRY_LIST)
from .module_rules import PROJECT_RULES, TASK_RULES, TIME_ENTRY_RULES
from .recurrence import RecurringDocumentRules, RecurringExpenseRules, Schedule, profile_actions
from .resources import BILL_RULES, INVOICE_RULES, LINE_PATHS, ResourceSpec, status_filters

_WRITE_ALL = frozenset({"create", "update", "delete"})
_PROFILE_FILTERS = status_filters(("Active", "active"), ("Stopped", "stopped"), ("Expired", "expired"))
_DATE_FILTERS = (("Date.All", (None, None)), ("Date.Today", ("log_date", "#today")),
                 ("Date.ThisWeek", ("log_date", "#this_week")), ("Date.ThisMonth", ("log_date", "#this_month")),
                 ("Date.ThisQuarter", ("log_date", "#this_quarter")), ("Date.ThisYear", ("log_date", "#this_year")))

RECURRING_INVOICE_RULES = RecurringDocumentRules(
    party="customer", child_rules=INVOICE_RULES, child_spec="invoices",
    schedule=Schedule("next_invoice_date", "last_sent_date", "invoices", "recurring_invoice_id"))
RECURRING_INVOICE_RULES.record_actions = profile_actions(RECURRING_INVOICE_RULES, "recurring invoice")
RECURRING_BILL_RULES = RecurringDocumentRules(
    party="vendor", child_rules=BILL_RULES, child_spec="bills",
    schedule=Schedule("next_bill_date", "last_sent_date", "bills", "recurring_bill_id"))
RECURRING_BILL_RULES.line_defaults = {"account_id": "", "account_name": "", "customer_id": ""}
RECURRING_BILL_RULES.record_actions = profile_actions(RECURRING_BILL_RULES, "recurring bill")
RECURRING_EXPENSE_RULES = RecurringExpenseRules(
    Schedule("next_expense_date", "last_created_date", "expenses", "recurring_expense_id"))
RECURRING_EXPENSE_RULES.record_actions = profile_actions(RECURRING_EXPENSE_RULES, "recurring expense")

MODULE_SPECS: tuple[ResourceSpec, ...] = (
    ResourceSpec(
        name="projects", detail_key="project", id_field="project_id", label="Project", scope="projects",
        list_fields=PROJECT_LIST, detail_fields=PROJECT_DETAIL, report_name="Projects",
        filter_by=status_filters(("Active", "active"), ("Inactive", "inactive")),
        sort_columns=_f("project_name, customer_name, rate, created_time"),
        search_fields=_f("project_name, customer_name, description"), text_fields=_f("project_name, customer_name"),
        eq_filters=_f("customer_id, status, billing_type"), amount_fields=("rate",), writable=_WRITE_ALL,
        rules=PROJECT_RULES, fixed_paths=("timeentries",),
        stored_extra=_f("budget_hours, budget_amount")),
    ResourceSpec(
        name="tasks", detail_key="task", id_field="task_id", label="Task", scope="projects", list_fields=TASK_LIST,
        detail_fields=TASK_DETAIL, report_name="Tasks", parent="projects", parent_key="project_id",
        sort_columns=_f("task_name, rate"), search_fields=_f("task_name, description"), writable=_WRITE_ALL,
        rules=TASK_RULES, stored_extra=_f("description, rate, budget_hours, status, is_billable")),
    ResourceSpec(
        name="timeentries", path="projects/timeentries", list_key="time_entries", detail_key="time_entry",
        id_field="time_entry_id", label="Time entry", scope="projects", list_fields=TIME_ENTRY_LIST,
        detail_fields=TIME_ENTRY_DETAIL, report_name="Time Entries", filter_by=_DATE_FILTERS,
        sort_columns=_f("project_name, task_name, user_name, log_date, timer_started_at, customer_name"),
        search_fields=_f("project_name, task_name, user_name, notes"), date_field="log_date",
        eq_filters=_f("project_id, user_id, task_id, customer_id, billed_status"), writable=_WRITE_ALL,
        rules=TIME_ENTRY_RULES, fixed_paths=("timer", "runningtimer")),
    ResourceSpec(
        name="recurringinvoices", list_key="recurring_invoices", detail_key="recurring_invoice",
        id_field="recurring_invoice_id", label="Recurring invoice", scope="invoices",
        list_fields=RECURRING_INVOICE_LIST, detail_fields=RECURRING_INVOICE_DETAIL, report_name="Recurring Invoices",
        filter_by=_PROFILE_FILTERS,
        sort_columns=_f("customer_name, recurrence_name, last_sent_date, next_invoice_date, total, created_time"),
        search_fields=_f("recurrence_name, customer_name, reference_number"),
        text_fields=_f("recurrence_name, customer_name, item_name, item_description, notes"),
        eq_filters=_f("status, customer_id, item_id, line_item_id, tax_id"), amount_fields=("total",),
        date_filters=(("start_date", "start_date"), ("end_date", "end_date")), field_paths=LINE_PATHS,
        lmt_declared=True, writable=_WRITE_ALL, rules=RECURRING_INVOICE_RULES),
    ResourceSpec(
        name="recurringbills", list_key="recurringbills", detail_key="recurring_bill",
        id_field="recurring_bill_id", label="Recurring bill", scope="bills", list_fields=RECURRING_BILL_LIST,
        detail_fields=RECURRING_BILL_DETAIL, report_name="Recurring Bills", filter_by=_PROFILE_FILTERS,
        sort_columns=_f("vendor_name, recurrence_name, next_bill_date, total, created_time"),
        search_fields=_f("recurrence_name, vendor_name"), text_fields=_f("recurrence_name, vendor_name"),
        eq_filters=_f("status, vendor_id, item_id"), amount_fields=("total",), field_paths=LINE_PATHS,
        date_filters=(("start_date", "start_date"), ("end_date", "end_date")), lmt_declared=True,
        writable=_WRITE_ALL, rules=RECURRING_BILL_RULES),
    ResourceSpec(
        name="recurringexpenses", list_key="recurring_expenses", detail_key="recurring_expense",
        id_field="recurring_expense_id", label="Recurring expense", scope="expenses",
        list_fields=RECURRING_EXPENSE_LIST, detail_fields=RECURRING_EXPENSE_DETAIL, report_name="Recurring Expenses",
        filter_by=_PROFILE_FILTERS,
        sort_columns=_f("recurrence_name, account_name, next_expense_date, total, customer_name, created_time"),
        search_fields=_f("recurrence_name, account_name, customer_name, description"),
        text_fields=_f("recurrence_name, account_name, customer_name"),
        eq_filters=_f("status, account_id, customer_id, paid_through_account_id"), amount_fields=_f("amount, total"),
        date_filters=(("last_created_date", "last_created_date"), ("next_expense_date", "next_expense_date")),
        lmt_declared=True, writable=_WRITE_ALL, rules=RECURRING_EXPENSE_RULES),
)
