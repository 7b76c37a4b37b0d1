"""Field sets of the Books modules added for issue 16 (projects, tasks, time entries, recurring
profiles), written as Zoho's OpenAPI documents print them (projects.yml, tasks.yml,
time-entries.yml, recurring-*.yml). ``module_specs.py`` builds the resource descriptions from them.

Hours are Zoho's ``"HH:MM"`` text everywhere (``total_hours``, ``log_time``); the minutes they
come from are kept in the stored record under ``_minutes`` keys, never rendered.
"""
from __future__ import annotations

from .fields import INVOICE_LINE, detail_from, field_list

_f = field_list

PROJECT_LIST = _f("""project_id, project_name, customer_id, customer_name, description, status, billing_type,
rate, created_time, has_attachment, total_hours, billable_hours""")
PROJECT_DETAIL = detail_from(PROJECT_LIST, _f("""currency_code, budget_type, budget_hours, budget_amount,
total_hours, total_amount, billed_hours, billed_amount, un_billed_hours, un_billed_amount, billable_hours,
billable_amount, non_billable_hours, non_billable_amount, cost_budget_amount, cost_amount,
is_recurrence_associated, recurring_invoices, show_in_dashboard, tasks, users"""), list_only=("has_attachment",))
# A task as the project's detail embeds it, and a project user (embedded in the project record).
PROJECT_TASK_EMBEDDED = _f("""task_id, task_name, description, rate, budget_hours, total_hours, billed_hours,
un_billed_hours, non_billable_hours, status, is_billable, task_custom_fields""")
PROJECT_USER_LIST = _f("""user_id, is_current_user, user_name, email, user_role, status, rate, budget_hours,
total_hours, billed_hours, un_billed_hours, cost_rate""")
PROJECT_USER_DETAIL = _f("user_id, is_current_user, user_name, email, user_role, status, rate, budget_hours, cost_rate")

TASK_LIST = _f("""project_id, task_id, currency_id, customer_id, task_name, project_name, customer_name,
billed_hours, log_time, un_billed_hours""")
TASK_DETAIL = _f("""project_id, project_name, task_id, task_name, description, rate, budget_hours, status,
is_billable, currency_id, customer_id, customer_name, log_time, billed_hours, un_billed_hours""")

TIME_ENTRY_LIST = _f("""time_entry_id, project_id, project_name, customer_id, customer_name, task_id, task_name,
user_id, is_current_user, user_name, log_date, begin_time, end_time, log_time, is_billable, billed_status,
invoice_id, notes, timer_started_at, timer_duration_in_minutes, created_time, cost_rate, cost_amount""")
TIME_ENTRY_DETAIL = detail_from(TIME_ENTRY_LIST, _f("""timer_started_at_utc_time, timer_duration_in_seconds,
timesheet_custom_fields"""))

# ---- recurring profiles ---------------------------------------------------------------------------
RECURRENCE = _f("recurrence_name, recurrence_frequency, repeat_every, start_date, end_date, status")
RECURRING_INVOICE_LIST = _f("""recurring_invoice_id, recurrence_name, customer_name, customer_id, status,
currency_id, currency_code, recurrence_frequency, repeat_every, start_date, end_date, last_sent_date,
next_invoice_date, total, created_time, last_modified_time, custom_fields, billing_address, shipping_address""")
RECURRING_INVOICE_DETAIL = detail_from(RECURRING_INVOICE_LIST, _f("""reference_number, company_name,
contact_persons_associated, line_items, sub_total, tax_total, taxes, discount, is_discount_before_tax,
discount_type, is_inclusive_tax, shipping_charge, adjustment, adjustment_description, payment_terms,
payment_terms_label, paid_invoices_total, unpaid_invoices_balance, location_id, location_name, notes, terms,
template_id, salesperson_name, exchange_rate, price_precision, payment_options, allow_partial_payments,
customer_email, customer_mobile_phone, customer_phone, photo_url"""))

# recurring-bills.yml lists every detail field in the list too
RECURRING_BILL_LIST = _f("""recurring_bill_id, vendor_id, vendor_name, status, recurrence_name,
recurrence_frequency, repeat_every, currency_id, currency_code, currency_symbol, start_date, end_date,
last_sent_date, next_bill_date, pricebook_id, pricebook_name, is_inclusive_tax, location_id, location_name,
line_items, sub_total, tax_total, taxes, total, notes, terms, payment_terms, payment_terms_label, custom_fields,
discount, discount_account_id, is_discount_before_tax, created_time, created_by_id, last_modified_time""")
RECURRING_BILL_DETAIL = detail_from(RECURRING_BILL_LIST, _f("adjustment, exchange_rate, price_precision, billing_address"))

RECURRING_EXPENSE_LIST = _f("""recurring_expense_id, recurrence_name, recurrence_frequency, repeat_every,
last_created_date, next_expense_date, account_name, description, currency_id, currency_code, total, is_billable,
customer_name, custom_fields, status, created_time, last_modified_time""")
RECURRING_EXPENSE_DETAIL = detail_from(RECURRING_EXPENSE_LIST, _f("""start_date, end_date, account_id,
exchange_rate, tax_id, tax_name, tax_percentage, tax_amount, sub_total, bcy_total, amount, is_inclusive_tax,
customer_id, vendor_id, vendor_name, paid_through_account_id, paid_through_account_name, project_id,
project_name, location_id, location_name, line_item"""))
# GET /recurringexpenses/{id}/expenses: the expenses a profile made (recurring-expenses.yml "expensehistory")
EXPENSE_HISTORY = _f("expense_id, date, account_name, customer_name, total, status, vendor_name, paid_through_account_name")

# A recurring profile's line: an invoice line plus what a bill's line documents (recurring-*.yml).
RECURRING_LINE = INVOICE_LINE + _f("""account_id, account_name, sku, is_billable, customer_id, customer_name,
item_custom_fields, item_total_inclusive_of_tax""")

# ---- retainer invoices, sales receipts, locations ---------------------------------------------------
RETAINER_LIST = _f("""retainerinvoice_id, customer_name, retainerinvoice_number, customer_id, status,
reference_number, project_or_estimate_name, date, currency_id, currency_code, is_viewed_by_client,
client_viewed_time, total, balance, created_time, last_modified_time, is_emailed, last_payment_date,
has_attachment""")
RETAINER_DETAIL = detail_from(RETAINER_LIST, _f("""project_id, project_name, contact_persons_associated,
currency_symbol, exchange_rate, is_inclusive_tax, location_id, location_name, line_items, sub_total, tax_total,
taxes, payment_made, payment_drawn, allow_partial_payments, price_precision, payment_options, documents,
billing_address, shipping_address, notes, terms, custom_fields, template_id, template_name, template_type,
page_width, page_height, orientation, created_by_id, attachment_name, can_send_in_mail, invoice_url"""))
# The print layout a new retainer invoice takes (our choice: the documents' example layout)
RETAINER_LAYOUT = {"template_type": "classic", "page_width": "8.27in", "page_height": "11.69in",
                   "orientation": "portrait", "can_send_in_mail": True}

SALES_RECEIPT_LIST = _f("""sales_receipt_id, receipt_number, date, status, payment_mode, customer_id,
customer_name, currency_id, currency_code, currency_symbol, exchange_rate, line_items, sub_total, tax_total,
total, notes, terms, created_time, last_modified_time""")
SALES_RECEIPT_DETAIL = detail_from(SALES_RECEIPT_LIST, _f("""reference_number, taxes, discount,
is_discount_before_tax, discount_type, is_inclusive_tax, shipping_charge, adjustment, adjustment_description,
price_precision, billing_address, shipping_address, location_id, location_name, custom_fields"""))

LOCATION_FIELDS = _f("""location_id, location_name, type, email, phone, address, status, is_primary,
tax_settings_id, parent_location_id, associated_series_ids, auto_number_generation_id, is_all_users_selected,
associated_users""")
LOCATION_ADDRESS = _f("attention, street_address1, street_address2, city, state, state_code, country, zip")

# ---- fixed assets (fixed-assets.yml) ------------------------------------------------------------------
FIXED_ASSET_LIST = _f("""fixed_asset_id, asset_number, asset_name, status, current_asset_value, asset_cost,
fixed_asset_type_id, fixed_asset_type_name, created_time, last_modified_time""")
FIXED_ASSET_DETAIL = detail_from(FIXED_ASSET_LIST, _f("""asset_number_prefix, asset_number_suffix, description,
total_life, depreciation_method, depreciation_percentage, depreciation_frequency, dep_start_value, salvage_value,
asset_purchase_date, accumulated_dep_value, serial_no, depreciation_start_date, last_depreciation_date,
asset_account_id, asset_account_name, expense_account_id, expense_account_name, depreciation_account_id,
depreciation_account_name, computation_type, warranty_expiry_date, notes, tags, associated_transactions,
custom_fields, comments"""))  # comments: the asset's comment and history rows (facets.comments.detail_rows)
FIXED_ASSET_TYPE_FIELDS = _f("""fixed_asset_type_id, fixed_asset_type_name, expense_account_id, expense_account_name,
depreciation_account_id, depreciation_account_name, depreciation_method, depreciation_percentage, total_life,
depreciation_frequency, computation_type""")
ASSET_HISTORY = _f("""valuation_id, description, valuation_date, depreciated_value, current_value, accumulated_value,
type, is_journal_posted""")
ASSET_FORECAST = _f("valuation_date, depreciated_value, current_value, accumulated_value")

# ---- bank rules, base-currency adjustments ------------------------------------------
BANK_RULE_LIST = _f("""rule_id, rule_name, rule_order, apply_to, criteria_type, record_as, account_id, account_name,
criterion""")
BANK_RULE_DETAIL = detail_from(BANK_RULE_LIST, _f("""target_account_id, tax_id, customer_id, customer_name,
reference_number, payment_mode, tax_authority_id, tax_authority_name, tax_exemption_code"""))
BCY_ADJUSTMENT_LIST = _f("""base_currency_adjustment_id, adjustment_date, exchange_rate, currency_id, currency_code,
notes, gain_or_loss, created_time, last_modified_time""")
BCY_ADJUSTMENT_DETAIL = _f("""base_currency_adjustment_id, adjustment_date, exchange_rate, currency_id, accounts, notes,
currency_code, gain_or_loss""")
# One row of an adjustment's accounts (base-currency-adjustment.yml)
OPENING_BALANCE_FIELDS = _f("opening_balance_id, date, price_precision, accounts, total")
BCY_ADJUSTMENT_ACCOUNT = _f("account_id, account_name, bcy_balance, fcy_balance, adjusted_balance, gain_or_loss, gl_specific_type")
