"""One declarative description per Books resource: the contract the generic handlers serve.

Each ``ResourceSpec`` says where the resource lives, its wrapper keys, the exact list and detail
field sets of reference §6.3 (declared in ``fields.py``), its filters (§3.7, §6.1), sort columns
(§6.2), scope module, what may be written and the write rules that validate and derive it
(``rules.py``). The handlers in ``views.py``, the repository in ``models.py`` and the seeder in
``seed/`` read only these descriptions: special behaviour is a rule object on the description,
never a copied handler or a branch on a resource name.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from .editions import EDITIONS
from .fields import (  # noqa: F401  (re-exported: the views, models and admin read them from here)
    ACCOUNT_TXN_LIST, ADDRESS_FIELDS, BANKACCOUNT_DETAIL, BANKACCOUNT_LIST, BANKTXN_DETAIL, BANKTXN_LIST,
    BILL_DETAIL, BILL_LIST, BILLS_CREDITED, COA_DETAIL, COA_LIST, CONTACT_DETAIL, CONTACT_LIST,
    CONTACT_PERSON_DETAIL, CONTACT_PERSON_EMBEDDED, CONTACT_PERSON_LIST, CREDITNOTE_DETAIL, CREDITNOTE_LIST,
    CURRENCY_DETAIL, CURRENCY_LIST, CUSTOMERPAYMENT_DETAIL, CUSTOMERPAYMENT_LIST, EDITION_GATED,
    ESTIMATE_DETAIL, ESTIMATE_LIST, EXCHANGE_RATE_FIELDS, EXPENSE_DETAIL, EXPENSE_LIST, INVOICE_DETAIL,
    INVOICE_LINE, INVOICE_LIST, ITEM_DETAIL, ITEM_LIST, JOURNAL_DETAIL, JOURNAL_LIST, ORG_DETAIL, ORG_LIST,
    PURCHASEORDER_DETAIL, PURCHASEORDER_LIST, SALESORDER_DETAIL, SALESORDER_LIST, TAG_LIST, TAG_OPTION_FIELDS,
    TAX_AUTHORITY_FIELDS, TAX_DETAIL, TAX_EXEMPTION_FIELDS, TAX_GROUP_FIELDS, TAX_LIST, USER_DETAIL, USER_LIST,
    VENDORCREDIT_DETAIL, VENDORCREDIT_LIST, VENDORPAYMENT_DETAIL, VENDORPAYMENT_LIST, default_for)
from .fields import field_list as _f
from .fields import INVOICE_LINE_EXTRA, PURCHASE_LINE, SALESORDER_LINE_EXTRA, VENDORCREDIT_LINE_EXTRA
from .sales_rules import EstimateRules, InvoiceRules, SalesOrderRules
from .rules import (AccountRules, ApplyCredits, BankAccountRules, BankTransactionRules, BillRules, ContactPersonRules,
                    ContactRules, CurrencyRules, DocumentRules, ExpenseRules, ItemRules, JournalRules,
                    OrganizationRules, PaymentRules, PurchaseOrderRules, RecordAction, TaxAuthorityRules,
                    TaxExemptionRules, TaxGroupRules, TaxRules, Transition, UserRules, VendorCreditRules, WriteRules,
                    approved_first, bill_status, cancel_write_off, credit_applier, credit_status,
                    held_status, invoice_status, keeps_draft, move_to, nothing_applied, nothing_paid,
                    vendor_credit_status, write_off)
from .. import literals as L
from .module_employees import EMPLOYEE_FIELDS, EMPLOYEE_RULES
from .order_actions import PO_REJECT, SALESORDER_SUB_STATUS
from .module_assets import FIXED_ASSET_RULES, FIXED_ASSET_TYPE_RULES
from .module_documents import LOCATION_RULES, RETAINER_RULES, SALES_RECEIPT_RULES
from .module_ledger import BANK_RULE_RULES, BCY_ADJUSTMENT_RULES
from .module_fields import (BANK_RULE_DETAIL, BANK_RULE_LIST, BCY_ADJUSTMENT_DETAIL, BCY_ADJUSTMENT_LIST,
                            FIXED_ASSET_DETAIL, FIXED_ASSET_LIST, FIXED_ASSET_TYPE_FIELDS, LOCATION_FIELDS,
                            RETAINER_DETAIL, RETAINER_LIST, SALES_RECEIPT_DETAIL, SALES_RECEIPT_LIST, PROJECT_DETAIL, PROJECT_LIST, RECURRING_BILL_DETAIL, RECURRING_BILL_LIST,
                            RECURRING_EXPENSE_DETAIL, RECURRING_EXPENSE_LIST, RECURRING_INVOICE_DETAIL,
                            RECURRING_INVOICE_LIST, TASK_DETAIL, TASK_LIST, TIME_ENTRY_DETAIL, TIME_ENTRY_LIST)
from .module_rules import PROJECT_RULES, TASK_RULES, TIME_ENTRY_RULES
from .recurrence import RecurringDocumentRules, RecurringExpenseRules, Schedule, profile_actions

# ---- filter_by rules ----------------------------------------------------------------------------
# A rule is (field, value): the record matches when record[field] == value; a None field matches
# all. A value starting with "#" names a predicate the repository implements (periods, flags).
FilterRule = tuple


def status_filters(*pairs: tuple[str, str], all_name: str = "Status.All") -> tuple[tuple[str, FilterRule], ...]:
    return ((all_name, (None, None)),) + tuple((f"Status.{camel}", ("status", value)) for camel, value in pairs)


@dataclass(frozen=True, kw_only=True)
class ResourceSpec:
    """Everything the generic handlers, the write rules and the seeder need to know about one resource."""

    name: str  # store name: books:{org}:{name}
    path: str = ""  # under /books/v3 (default: the name)
    list_key: str = ""  # (default: the name)
    detail_key: str
    id_field: str
    label: str  # "Invoice": "Invoice does not exist.", "The invoice has been created."
    scope: str  # ZohoBooks.<scope>.<OP>
    list_fields: tuple[str, ...]
    detail_fields: tuple[str, ...]  # exact base detail set (edition fields are added per org)
    report_name: str = ""
    filter_by: tuple[tuple[str, FilterRule], ...] = ()
    sort_columns: tuple[str, ...] = ()
    search_fields: tuple[str, ...] = ()  # search_text matches these (case-insensitive substring)
    text_fields: tuple[str, ...] = ()  # <field>_startswith / <field>_contains
    date_field: str | None = None  # date_start/date_end/date_before/date_after
    date_filters: tuple[tuple[str, str], ...] = ()  # extra (param prefix, field): due_date, created_date
    lmt_declared: bool = False  # last_modified_time is a declared filter (§3.8)
    eq_filters: tuple[str, ...] = ()  # query params matched by equality (status, customer_id, ...)
    eq_all: tuple[str, ...] = ()  # eq_filters whose documented value "All" (any case) filters nothing
    amount_fields: tuple[str, ...] = ()  # <f>=n and <f>_less_than / _less_equals / _greater_than / _greater_equals
    # query param -> where its values live when not a top-level field of that name ("line_items.name";
    # "a|b" for several places): read by every filter family and by search_text (query.value_getter)
    field_paths: tuple[tuple[str, str], ...] = ()
    writable: frozenset[str] = frozenset()  # subset of {"create", "update", "delete"}
    number_field: str | None = None  # e.g. invoice_number
    number_series: tuple[str, str] | None = None  # (series, prefix) for calc.next_number / reserve_numbers
    parent: str | None = None  # contactpersons live inside contacts
    parent_key: str = ""  # stored children of a parent record (tasks: project_id): /<parent>/{id}/<path>
    list_key_setting: str | None = None  # config key overriding list_key
    detail_key_setting: str | None = None  # config key overriding detail_key
    minimal_page_context: bool = False  # contact persons: page, per_page, has_more_page, sort_*
    single_page: bool = False  # /settings/currencies: everything in one page
    batch_param: str | None = None  # item_ids / salesorder_ids
    rules: WriteRules | None = None  # validation and derived fields of writes (rules.py)
    stored_extra: tuple[str, ...] = ()  # keys a stored record keeps beyond list + detail (arithmetic, writes)
    # Fixed sub-paths Zoho documents under the collection (/invoices/templates, /estimates/print): never
    # a record id. Those served have their own route (views.py); the rest answer code 5 (Invalid URL).
    fixed_paths: tuple[str, ...] = ()
    refunds_key: str = ""  # /<path>/refunds lists the records' embedded <refunds_key> rows under that key
    page_context_echo: tuple[str, ...] = ()  # list parameters page_context repeats (expenses: filter_by, search_text)
    detail_page_context: bool = False  # the detail answer carries the list's first page context (recurring invoices)

    def __post_init__(self) -> None:
        for key in ("path", "list_key"):
            if not getattr(self, key):
                object.__setattr__(self, key, self.name)

    # -- derived views -----------------------------------------------------------------------
    @property
    def has_lmt_field(self) -> bool:
        return "last_modified_time" in self.list_fields or "last_modified_time" in self.detail_fields

    @property
    def stored_fields(self) -> tuple[str, ...]:
        """Every key of a stored record (list-only keys included: a stored record is list ∪ detail)."""
        return tuple(dict.fromkeys(self.list_fields + self.detail_fields + self.stored_extra))

    def path_of(self, param: str) -> str:
        """Where a filter parameter's values live in a stored record (query.value_getter's path)."""
        for name, path in self.field_paths:
            if name == param:
                return path
        return param

    @property
    def filter_rules(self) -> Mapping[str, FilterRule]:
        return dict(self.filter_by)

    def edition_fields(self, edition: str) -> tuple[str, ...]:
        ed = EDITIONS.get(edition)
        if ed is None:
            return ()
        return tuple(ed.edition_fields.get(self.name, ())) + tuple(ed.scoped_fields.get(self.name, ()))

    def list_keys(self, edition: str) -> tuple[str, ...]:
        """The list item's keys in an org of ``edition``: the base set plus its edition's list fields."""
        ed = EDITIONS.get(edition)
        extra = tuple(f for f in ed.list_fields.get(self.name, ()) if f not in self.list_fields) if ed else ()
        return self.list_fields + extra

    def detail_keys(self, edition: str) -> tuple[str, ...]:
        extra = tuple(f for f in self.edition_fields(edition) if f not in self.detail_fields)
        return self.detail_fields + extra

    def list_key_for(self, config) -> str:
        return config[self.list_key_setting] if self.list_key_setting else self.list_key

    def detail_key_for(self, config) -> str | None:
        """None means fields at the top level of the envelope (books.coa_detail_key=top_level)."""
        if self.detail_key_setting:
            value = config[self.detail_key_setting]
            return None if value == "top_level" else value
        return self.detail_key

    @property
    def default_filter(self) -> str:
        return self.filter_by[0][0] if self.filter_by else ""


# ---- the write rules of the writable resources ---------------------------------------------------
INVOICE_RULES = InvoiceRules(party="customer", status=invoice_status,
                             line_defaults=dict.fromkeys(INVOICE_LINE_EXTRA, ""), status_actions={
    "sent": approved_first(lambda r: r.update({"_sent": True, "status": "sent"})),
    "draft": lambda r: r.update({"_sent": False, "status": "draft"}),
    "void": lambda r: r.update({"status": "void"}),
})
INVOICE_RULES.status_messages = {"sent": L.INVOICE_STATUS_MESSAGE, "void": L.INVOICE_STATUS_MESSAGE,
                                 "draft": L.INVOICE_DRAFT_MESSAGE}
# A credit note is created open (closed once used up); credit-notes.yml's status actions: open (from draft),
# void, draft (from void). The illegal moves answer code 2 naming status (our choice).
# A line written through the API carries what credit-notes.yml's and sales-order.yml's write answers show
# (item custom fields, a line's tax exemption; a credit note line's code, type and serial numbers).
WRITTEN_SALES_LINE = ("item_custom_fields", "tax_exemption_code", "tax_exemption_id")
CREDITNOTE_RULES = DocumentRules(party="customer", status=keeps_draft(credit_status), settled_by="invoices",
                                 line_defaults={f: default_for(f) for f in WRITTEN_SALES_LINE
                                                + ("code", "type", "serial_numbers")},
                                 initial_status="open", status_actions={
                                     "open": move_to("open", "draft", "approved"),
                                     "void": move_to("void", "draft", "open", "pending_approval", "approved"),
                                     "draft": move_to("draft", "void")})
CREDITNOTE_RULES.taxes_name_their_tax = True
CREDITNOTE_RULES.status_messages = {"open": L.CREDITNOTE_OPEN_MESSAGE, "void": L.CREDITNOTE_VOID_MESSAGE,
                                    "draft": L.CREDITNOTE_DRAFT_MESSAGE}
# Estimates: created draft; sent (from draft or approved), accepted / declined (from sent or expired, or each
# other; an invoiced estimate moves no more). Sales orders: created draft; open (from draft or approved), void
# (from draft, pending approval, approved, open or overdue; not once invoiced or closed). Both: submit (draft ->
# pending_approval) and approve (pending_approval -> approved), as if every org had approvals on (our choice).
ESTIMATE_RULES = EstimateRules(
    dates=("expiry_date",), extra_schema={"salesperson_id": "id", "project_id": "id"},
    status_actions={"sent": move_to("sent", "draft", "approved"),
                    "accepted": move_to("accepted", "sent", "expired", "declined"),
                    "declined": move_to("declined", "sent", "expired", "accepted")},
    status_messages=dict.fromkeys(("sent", "accepted", "declined"), L.ESTIMATE_STATUS_MESSAGE),
    stamped={"accepted": "accepted_date", "declined": "declined_date"})
SALESORDER_RULES = SalesOrderRules(
    dates=("shipment_date",), extra_schema={"salesperson_id": "id", "delivery_method": "str", "pricebook_id": "id",
                                            "merchant_id": "id", "crm_owner_id": "id", "is_update_customer": "bool",
                                            "estimate_id": "id"},
    status_actions={"open": move_to("open", "draft", "approved"),
                    "void": move_to("void", "draft", "pending_approval", "approved", "open", "overdue")},
    status_messages=dict.fromkeys(("open", "void"), L.SALESORDER_STATUS_MESSAGE),
    line_extra=SALESORDER_LINE_EXTRA + WRITTEN_SALES_LINE)
SALESORDER_RULES.taxes_name_their_tax = True
SALESORDER_RULES.status_codes = dict.fromkeys(("open", "void"), 201)  # sales-order.yml answers these 201
# Email, approval (submit/approve) and payment reminders are facets (books/facets/declare.py): one
# implementation for every module; the write rules keep what only these documents do.
INVOICE_RULES.actions = {
    "writeoff": RecordAction(write_off, L.INVOICE_WRITTEN_OFF_MESSAGE),
    "writeoff/cancel": RecordAction(cancel_write_off, L.INVOICE_WRITE_OFF_CANCELLED_MESSAGE)}
CREDITNOTE_RULES.actions = {"invoices": RecordAction(credit_applier(INVOICE_RULES), L.CREDITS_APPLIED_MESSAGE)}
# Create/update/delete answers as each module's document words them (the rest: literals.*_MESSAGE).
ESTIMATE_RULES.messages = {L.UPDATED_MESSAGE: L.ESTIMATE_UPDATED_MESSAGE}
SALESORDER_RULES.messages = {L.CREATED_MESSAGE: L.SALESORDER_CREATED_MESSAGE, L.UPDATED_MESSAGE: L.SALESORDER_UPDATED_MESSAGE,
                             L.DELETED_MESSAGE: L.SALESORDER_DELETED_MESSAGE}
# Purchase lines carry more than sales lines (their total with tax, the PO line they bill, custom fields).
PURCHASE_LINE_DEFAULTS = {f: default_for(f) for f in PURCHASE_LINE if f not in INVOICE_LINE}
BILL_RULES = BillRules(
    party="vendor", status=bill_status, initial_status="open", number_required=True,
    line_defaults=PURCHASE_LINE_DEFAULTS, extra_schema={"purchaseorder_ids": "list", "currency_id": "id"},
    # bills.yml: void any bill nothing was paid or credited on; "open" reopens a void one (status derived)
    status_actions={
        "void": Transition("void", ("open", "overdue", "partially_paid", "paid", "draft"),
                           "The bill has been marked as void.", guard=nothing_paid),
        "open": Transition("open", ("void",), "The status of the bill has been chaged to open.", derive=True)},
    messages={L.UPDATED_MESSAGE: "Bill information has been updated."})
PURCHASEORDER_RULES = PurchaseOrderRules(
    party="vendor", status=held_status, line_defaults=PURCHASE_LINE_DEFAULTS,
    extra_schema={"delivery_date": "date", "expected_delivery_date": "date", "ship_via": "str", "attention": "str",
                  "delivery_address": "dict", "delivery_org_address_id": "id", "delivery_customer_id": "id",
                  "discount_account_id": "id", "pricebook_id": "id", "crm_owner_id": "id", "currency_id": "id"},
    # purchase-order.yml: open a draft (or a cancelled order: our choice), bill an open one, cancel one not billed
    status_actions={
        "open": Transition("open", ("draft", "cancelled"), "The purchase order has been marked as open.",
                           sets={"can_mark_as_bill": True, "can_mark_as_unbill": False}),
        "billed": Transition("billed", ("open",), "The purchase order has been marked as billed.",
                             sets={"can_mark_as_bill": False, "can_mark_as_unbill": True}),
        "cancelled": Transition("cancelled", ("draft", "open"), "The purchase order has been cancelled.",
                                sets={"can_mark_as_bill": False})},
    actions={
        "submit": Transition("pending_approval", ("draft",),
                             "The purchase order has been successfully submitted for approval.", http_status=200),
        "approve": Transition("open", ("pending_approval",), "You have approved the Purchase Order.", http_status=200,
                              sets={"can_mark_as_bill": True})},
    messages={L.CREATED_MESSAGE: "Purchase Order has been added.",
              L.UPDATED_MESSAGE: "Purchase Order has been updated."})
VENDORCREDIT_RULES = VendorCreditRules(
    party="vendor", status=vendor_credit_status, initial_status="open", settled_by="bills_credited",
    line_defaults={**PURCHASE_LINE_DEFAULTS, **{f: default_for(f) for f in VENDORCREDIT_LINE_EXTRA}},
    extra_schema={"pricebook_id": "id", "currency_id": "id"},
    # vendor-credits.yml: open a draft or a void credit (open or closed by its balance); void one not applied
    status_actions={
        "open": Transition("open", ("draft", "void"), "The status of the vendor credit has been changed to open.",
                           derive=True),
        "void": Transition("void", ("draft", "open"), "The vendor credit has been voided.", guard=nothing_applied)},
    actions={
        # created open (no draft through the API), so, as bills, an open credit nothing was applied from or
        # refunded is submitted too: else submit_vendor_credit could never succeed
        "submit": Transition("pending_approval", ("draft", "open"),
                             "The vendor credit has been submitted for approval successfully.", http_status=200,
                             guard=nothing_applied),
        "approve": Transition("open", ("pending_approval",), "You have approved the vendor credit.", http_status=200,
                              derive=True),
        "bills": ApplyCredits(BILL_RULES, "Credits have been applied to the bill(s).")},
    messages={L.CREATED_MESSAGE: "Vendor credit has been created.",
              L.UPDATED_MESSAGE: "Vendor credit information has been updated."})
EXPENSE_RULES = ExpenseRules()
CONTACT_RULES = ContactRules()
CONTACT_RULES.messages = {L.UPDATED_MESSAGE: L.CONTACT_UPDATED_MESSAGE}
CONTACT_PERSON_RULES = ContactPersonRules()
ITEM_RULES = ItemRules()
ITEM_RULES.messages = {L.CREATED_MESSAGE: L.ITEM_CREATED_MESSAGE, L.UPDATED_MESSAGE: L.ITEM_UPDATED_MESSAGE}
CUSTOMER_PAYMENT_RULES = PaymentRules(party="customer", target="invoices", target_rules=INVOICE_RULES)
CUSTOMER_PAYMENT_RULES.messages = {L.UPDATED_MESSAGE: L.PAYMENT_UPDATED_MESSAGE}
VENDOR_PAYMENT_RULES = PaymentRules(party="vendor", target="bills", target_rules=BILL_RULES, messages={
    L.CREATED_MESSAGE: "The payment made to the vendor has been recorded.",
    L.UPDATED_MESSAGE: "The details of the payment made to the vendor has been updated",
    L.DELETED_MESSAGE: "The payment has been deleted."})
JOURNAL_RULES = JournalRules()

ACCOUNT_TYPE_GROUPS: dict[str, frozenset[str]] = {
    "asset": frozenset({"other_asset", "other_current_asset", "cash", "bank", "fixed_asset", "accounts_receivable",
                        "stock", "payment_clearing_account", "input_tax", "intangible_asset", "right_to_use_asset",
                        "financial_asset", "contingent_asset", "contract_asset"}),
    "liability": frozenset({"other_current_liability", "credit_card", "long_term_liability", "other_liability",
                            "accounts_payable", "output_tax", "contract_liability", "refund_liability",
                            "loans_and_borrowing", "lease_liability", "employee_benefit_liability",
                            "contingent_liability", "financial_liability"}),
    "equity": frozenset({"equity"}),
    "income": frozenset({"income", "other_income", "finance_income", "other_comprehensive_income"}),
    "expense": frozenset({"expense", "cost_of_goods_sold", "other_expense", "manufacturing_expense",
                          "impairment_expense", "depreciation_expense", "employee_benefit_expense",
                          "lease_expense", "finance_expense", "tax_expense"}),
}
ACCOUNT_RULES = AccountRules(frozenset().union(*ACCOUNT_TYPE_GROUPS.values()))
BANK_ACCOUNT_RULES = BankAccountRules()
BANK_TRANSACTION_RULES = BankTransactionRules()
TAX_RULES = TaxRules()
CURRENCY_RULES = CurrencyRules()
USER_RULES = UserRules()
ORGANIZATION_RULES = OrganizationRules()  # PUT only (views.h_org_update): an org is not a record
TAX_AUTHORITY_RULES = TaxAuthorityRules()
TAX_EXEMPTION_RULES = TaxExemptionRules()
TAX_GROUP_RULES = TaxGroupRules()
ACCOUNT_TRANSACTION_RULES = WriteRules()  # DELETE /chartofaccounts/transactions/{id}: no checks documented

_PAYMENT_MODES = ("Check", "Cash", "BankTransfer", "Paypal", "CreditCard", "GoogleCheckout", "Credit",
                  "Authorizenet", "BankRemittance", "Payflowpro")
# Stored payment_mode values for each PaymentMode.<X> filter (Zoho stores the display form).
PAYMENT_MODE_VALUES = {"Check": "check", "Cash": "cash", "BankTransfer": "banktransfer", "Paypal": "paypal",
                       "CreditCard": "creditcard", "GoogleCheckout": "googlecheckout", "Credit": "credit",
                       "Authorizenet": "authorizenet", "BankRemittance": "bankremittance",
                       "Payflowpro": "payflowpro", "Stripe": "stripe", "TwoCheckout": "2checkout",
                       "Braintree": "braintree", "Others": "others"}


def _payment_filters(*modes: str) -> tuple[tuple[str, FilterRule], ...]:
    return (("PaymentMode.All", (None, None)),) + tuple(
        (f"PaymentMode.{m}", ("payment_mode", f"#mode:{PAYMENT_MODE_VALUES[m]}")) for m in modes)


def _searchable(fields: str) -> dict[str, tuple[str, ...]]:
    """search_text and <field>_startswith / <field>_contains over the same fields (most resources)."""
    return {"search_fields": _f(fields), "text_fields": _f(fields)}


# Filter parameters answered from a document's line items (and other places than a top-level field).
LINE_PATHS: tuple[tuple[str, str], ...] = (
    ("item_name", "line_items.name"), ("item_description", "line_items.description"),
    ("item_id", "line_items.item_id"), ("line_item_id", "line_items.line_item_id"), ("tax_id", "line_items.tax_id"))


# custom_field (and its _startswith / _contains): any of the record's custom field values (purchase orders,
# vendor credits document it).
CUSTOM_FIELD_PATHS: tuple[tuple[str, str], ...] = (("custom_field", "custom_fields.value"),)


def _numbered(number: str, series: tuple[str, str], party: str, *, text: str = "", eq: str = "",
              amounts: str = "total, balance", paths: tuple[tuple[str, str], ...] = ()) -> dict[str, Any]:
    """A document numbered from ``series`` and addressed to a customer or vendor (``party``): found by
    its number, reference and party name (search_text), filtered by those and ``text`` fields (exact,
    _startswith, _contains), date, ``amounts`` (exact and compared), status, party and ``eq`` ids."""
    return {"number_field": number, "number_series": series, "date_field": "date",
            "eq_filters": ("status", f"{party}_id") + _f(eq), "amount_fields": _f(amounts),
            "search_fields": _f(f"{number}, reference_number, {party}_name"),
            "text_fields": _f(f"{number}, reference_number, {party}_name") + _f(text),
            "field_paths": paths + LINE_PATHS}


def _credit(number: str, series: tuple[str, str], party: str, **filters: Any) -> dict[str, Any]:
    """Credit notes and vendor credits: numbered party documents that are open, draft, closed or void."""
    return {"filter_by": status_filters(("Open", "open"), ("Draft", "draft"), ("Closed", "closed"), ("Void", "void")),
            **_numbered(number, series, party, **filters)}


_ADDRESS_PATHS = "|".join(f"{a}.{f}" for a in ("billing_address", "shipping_address")
                          for f in ("address", "street2", "city", "state", "zip", "country"))


def _account_type_filters(active_field: str) -> tuple[tuple[str, FilterRule], ...]:
    """AccountType.* of the chart of accounts and of its transactions (by the account's state and type)."""
    return (("AccountType.All", (None, None)), ("AccountType.Active", (active_field, True)),
            ("AccountType.Inactive", (active_field, False))) + tuple(
        (f"AccountType.{group.title()}", ("account_type", f"#{group}"))
        for group in ("asset", "liability", "equity", "income", "expense"))


_WRITE_ALL = frozenset({"create", "update", "delete"})
_SALES_STATUS_FILTERS = status_filters(("Sent", "sent"), ("Draft", "draft"), ("OverDue", "overdue"),
                                       ("Paid", "paid"), ("Void", "void"), ("Unpaid", "unpaid"),
                                       ("PartiallyPaid", "partially_paid"), ("Viewed", "viewed"))

SPECS: dict[str, ResourceSpec] = {s.name: s for s in (
    ResourceSpec(
        name="organizations", detail_key="organization",
        id_field="organization_id", label="Organization", scope="settings", list_fields=ORG_LIST,
        detail_fields=ORG_DETAIL, report_name="Organizations", writable=frozenset({"update"}),
        rules=ORGANIZATION_RULES),
    ResourceSpec(
        name="contacts", detail_key="contact", id_field="contact_id",
        label="Contact", scope="contacts", list_fields=CONTACT_LIST, detail_fields=CONTACT_DETAIL,
        fixed_paths=("contactpersons",),
        report_name="Contacts",
        filter_by=status_filters(("Active", "active"), ("Inactive", "inactive"), ("Duplicate", "#duplicate"),
                                 ("PortalEnabled", "#portal_enabled"), ("PortalDisabled", "#portal_disabled"),
                                 ("CreditLimitExceed", "#credit_limit_exceeded"), ("Crm", "#crm"))
        + (("Invoice.OverDue", ("status", "#has_overdue")), ("Invoice.Unpaid", ("status", "#has_unpaid"))),
        sort_columns=_f("contact_name, first_name, last_name, email, outstanding_receivable_amount, created_time, last_modified_time"),
        search_fields=_f("contact_name, company_name, email, first_name, last_name, notes"),
        text_fields=_f("contact_name, company_name, first_name, last_name, email, phone, address"),
        field_paths=(("address", _ADDRESS_PATHS),),
        # zcrm_*: a contact linked to Zoho CRM is found by its CRM ids (none is seeded linked: none matches)
        eq_filters=_f("contact_type, status, zcrm_contact_id, zcrm_account_id, zcrm_vendor_id"), writable=_WRITE_ALL,
        rules=CONTACT_RULES),
    ResourceSpec(
        name="contactpersons", list_key="contact_persons", detail_key="contact_person",
        id_field="contact_person_id", label="Contact person", scope="contacts", list_fields=CONTACT_PERSON_LIST,
        detail_fields=CONTACT_PERSON_DETAIL, sort_columns=_f("first_name, last_name, email, created_time"),
        parent="contacts", minimal_page_context=True, writable=_WRITE_ALL, rules=CONTACT_PERSON_RULES),
    ResourceSpec(
        name="invoices", detail_key="invoice", id_field="invoice_id",
        label="Invoice", scope="invoices", list_fields=INVOICE_LIST, detail_fields=INVOICE_DETAIL,
        report_name="Invoices",
        # customer-debit-notes.yml lists debit notes as GET /invoices?filter_by=Type.DebitNote, sorted by their number
        filter_by=_SALES_STATUS_FILTERS + (("Date.PaymentExpectedDate", ("payment_expected_date", "#set")),
                                           ("Type.DebitNote", ("type", "debit_note"))),
        sort_columns=_f("customer_name, invoice_number, date, due_date, total, balance, created_time, debit_note_number"),
        search_fields=_f("invoice_number, reference_number, customer_name"),
        text_fields=_f("invoice_number, reference_number, customer_name, item_name, item_description, email"),
        field_paths=(("email", "email|contact_persons_associated.contact_person_email"),) + LINE_PATHS,
        amount_fields=_f("total, balance"),
        date_field="date", date_filters=(("due_date", "due_date"), ("created_date", "created_time")),
        lmt_declared=True, eq_filters=_f("status, customer_id, item_id, recurring_invoice_id, zcrm_potential_id"),
        writable=_WRITE_ALL,
        page_context_echo=("response_option",),  # invoices.yml's list page_context repeats it (query.echoed)
        fixed_paths=_f("templates, pdf, print, email, expenses, fromsalesorder, mapwithorder, paymentreminder"),
        number_field="invoice_number", number_series=("invoices", "INV-"), rules=INVOICE_RULES),
    ResourceSpec(
        name="creditnotes", detail_key="creditnote",
        id_field="creditnote_id", label="Credit note", scope="creditnotes", list_fields=CREDITNOTE_LIST,
        detail_fields=CREDITNOTE_DETAIL, report_name="Credit Notes",
        **_credit("creditnote_number", ("creditnotes", "CN-"), "customer", text="item_name, item_description",
                  eq="item_id, line_item_id, tax_id"),
        sort_columns=_f("customer_name, creditnote_number, balance, total, date, created_time"),
        date_filters=(("created_date", "created_time"),), writable=_WRITE_ALL, rules=CREDITNOTE_RULES,
        fixed_paths=("templates", "refunds"), refunds_key="creditnote_refunds",
        stored_extra=("price_precision",)),
    ResourceSpec(
        name="bills", detail_key="bill", id_field="bill_id", label="Bill",
        scope="bills", list_fields=BILL_LIST, detail_fields=BILL_DETAIL, report_name="Bills", fixed_paths=("editpage",),
        filter_by=status_filters(("PartiallyPaid", "partially_paid"), ("Paid", "paid"), ("Overdue", "overdue"),
                                 ("Void", "void"), ("Open", "open")),
        sort_columns=_f("vendor_name, bill_number, date, due_date, total, balance, created_time"),
        **_numbered("bill_number", ("bills", "BILL-"), "vendor", text="description",
                    eq="item_id, recurring_bill_id, purchaseorder_id",
                    paths=(("description", "line_items.description"), ("purchaseorder_id", "purchaseorder_ids"))),
        date_filters=(("due_date", "due_date"), ("created_date", "created_time")), lmt_declared=True,
        writable=_WRITE_ALL, rules=BILL_RULES, stored_extra=("is_tds_applied", "is_abn_quoted")),
    ResourceSpec(
        name="items", detail_key="item", id_field="item_id", label="Item",
        scope="settings", list_fields=ITEM_LIST, detail_fields=ITEM_DETAIL, report_name="Items",
        filter_by=status_filters(("Active", "active"), ("Inactive", "inactive")),
        sort_columns=_f("name, rate, tax_name"), search_fields=_f("name, description"),
        text_fields=_f("name, sku, description"), amount_fields=("rate",),
        eq_filters=_f("status, tax_id, tax_name, account_id, sat_item_key_code, unitkey_code, tax_exemption_id"),
        writable=_WRITE_ALL, rules=ITEM_RULES,
        stored_extra=_f("hsn_or_sac, item_tax_preferences, sat_item_key_code, unitkey_code")),
    ResourceSpec(
        name="chartofaccounts", list_key="chartofaccounts",
        detail_key="chart_of_account", id_field="account_id", label="Account", scope="accountants",
        list_fields=COA_LIST, detail_fields=COA_DETAIL, report_name="Chart of Accounts",
        filter_by=_account_type_filters("is_active"),
        sort_columns=_f("account_name, account_type"), **_searchable("account_name, account_code"), lmt_declared=True,
        eq_filters=_f("account_type"), stored_extra=_f("include_in_vat_return, show_on_dashboard"),
        detail_key_setting="books.coa_detail_key", writable=_WRITE_ALL, rules=ACCOUNT_RULES),
    ResourceSpec(
        name="accounttransactions", path="chartofaccounts/transactions", list_key="transactions",
        detail_key="transaction", id_field="transaction_id", label="Transaction", scope="accountants",
        list_fields=ACCOUNT_TXN_LIST, detail_fields=ACCOUNT_TXN_LIST, report_name="Account Transactions",
        filter_by=_account_type_filters("account_is_active"),
        sort_columns=_f("transaction_date, amount, account_name, account_type"),
        date_field="transaction_date", eq_filters=_f("account_id, transaction_type"), amount_fields=("amount",),
        # the account's name, type and state, copied when the transaction is posted (filter_by, sort_column)
        stored_extra=_f("created_time, last_modified_time, amount, account_name, account_type, account_is_active"),
        writable=frozenset({"delete"}), rules=ACCOUNT_TRANSACTION_RULES),
    ResourceSpec(
        name="customerpayments", detail_key="payment",
        id_field="payment_id", label="Payment", scope="customerpayments", list_fields=CUSTOMERPAYMENT_LIST,
        detail_fields=CUSTOMERPAYMENT_DETAIL, report_name="Customer Payments",
        filter_by=_payment_filters(*_PAYMENT_MODES, "Stripe", "TwoCheckout", "Braintree", "Others"),
        sort_columns=_f("customer_name, payment_number, payment_mode, date, reference_number, amount, unused_amount, created_time"),
        search_fields=_f("payment_number, reference_number, customer_name, invoice_number, description"),
        text_fields=_f("payment_number, reference_number, customer_name, notes, payment_mode"), date_field="date",
        amount_fields=("amount",), field_paths=(("notes", "description"),),
        eq_filters=_f("customer_id, status"), writable=_WRITE_ALL, number_field="payment_number",
        number_series=("customerpayments", ""), rules=CUSTOMER_PAYMENT_RULES,
        stored_extra=("currency_id",)),
    ResourceSpec(
        name="vendorpayments", detail_key="vendorpayment",
        id_field="payment_id", label="Vendor payment", scope="vendorpayments", list_fields=VENDORPAYMENT_LIST,
        detail_fields=VENDORPAYMENT_DETAIL, report_name="Vendor Payments",
        filter_by=_payment_filters(*_PAYMENT_MODES, "Others"),
        sort_columns=_f("vendor_name, date, reference_number, amount, balance, created_time"),
        search_fields=_f("payment_number, reference_number, vendor_name, description"),
        text_fields=_f("payment_number, reference_number, vendor_name, notes, payment_mode, description"),
        amount_fields=("amount",), field_paths=(("notes", "description"), ("bill_id", "bills.bill_id")),
        date_field="date", lmt_declared=True, eq_filters=_f("vendor_id, bill_id"), writable=_WRITE_ALL, number_field="payment_number",
        number_series=("vendorpayments", ""), rules=VENDOR_PAYMENT_RULES, stored_extra=("currency_code",)),
    ResourceSpec(
        name="vendorcredits", detail_key="vendor_credit",
        id_field="vendor_credit_id", label="Vendor credit", scope="debitnotes", list_fields=VENDORCREDIT_LIST,
        detail_fields=VENDORCREDIT_DETAIL, report_name="Vendor Credits",
        **_credit("vendor_credit_number", ("vendorcredits", "DN-"), "vendor",
                  text="customer_name, item_name, item_description, notes, custom_field",
                  eq="customer_id, item_id, line_item_id, tax_id",
                  paths=(("customer_name", "vendor_name"), ("customer_id", "vendor_id")) + CUSTOM_FIELD_PATHS),
        lmt_declared=True,
        sort_columns=_f("vendor_name, vendor_credit_number, balance, total, date, created_time, last_modified_time, "
                        "reference_number"),
        list_key_setting="books.vendorcredits_list_key", stored_extra=("tax_total", "taxes"),
        fixed_paths=("refunds",), refunds_key="vendor_credit_refunds", writable=_WRITE_ALL, rules=VENDORCREDIT_RULES),
    ResourceSpec(
        name="journals", detail_key="journal", id_field="journal_id",
        label="Journal", scope="accountants", list_fields=JOURNAL_LIST, detail_fields=JOURNAL_DETAIL,
        report_name="Journals",
        filter_by=(("JournalDate.All", (None, None)), ("JournalDate.Today", ("journal_date", "#today")),
                   ("JournalDate.ThisWeek", ("journal_date", "#this_week")),
                   ("JournalDate.ThisMonth", ("journal_date", "#this_month")),
                   ("JournalDate.ThisQuarter", ("journal_date", "#this_quarter")),
                   ("JournalDate.ThisYear", ("journal_date", "#this_year"))),
        sort_columns=_f("journal_date, entry_number, reference_number, total, created_time"),
        **_searchable("entry_number, reference_number, notes"), date_field="journal_date", lmt_declared=True,
        amount_fields=("total",), eq_filters=_f("status, customer_id, vendor_id"),
        stored_extra=("include_in_vat_return", "is_bas_adjustment", "product_type"),
        field_paths=(("customer_id", "line_items.customer_id"), ("vendor_id", "line_items.customer_id")), writable=_WRITE_ALL, number_field="entry_number",
        number_series=("journals", "JE-"), rules=JOURNAL_RULES),
    ResourceSpec(
        name="taxes", path="settings/taxes", detail_key="tax", id_field="tax_id", label="Tax",
        scope="settings", list_fields=TAX_LIST, detail_fields=TAX_DETAIL, report_name="Taxes",
        sort_columns=_f("tax_name, tax_percentage"), search_fields=_f("tax_name"), writable=_WRITE_ALL,
        rules=TAX_RULES),
    ResourceSpec(
        name="currencies", path="settings/currencies", detail_key="currency",
        id_field="currency_id", label="Currency", scope="settings", list_fields=CURRENCY_LIST,
        detail_fields=CURRENCY_DETAIL, report_name="Currencies",
        filter_by=(("Currencies.All", (None, None)), ("Currencies.ExcludeBaseCurrency", ("is_base_currency", False))),
        sort_columns=_f("currency_code, currency_name"), single_page=True, writable=_WRITE_ALL, rules=CURRENCY_RULES),
    ResourceSpec(
        name="bankaccounts", detail_key="bankaccount",
        id_field="account_id", label="Bank account", scope="banking", list_fields=BANKACCOUNT_LIST,
        detail_fields=BANKACCOUNT_DETAIL, report_name="Bank Accounts",
        filter_by=(("Status.All", (None, None)), ("Status.Active", ("is_active", True)),
                   ("Status.Inactive", ("is_active", False))),
        sort_columns=_f("account_name, account_type, account_code, balance"),
        search_fields=_f("account_name, account_code, bank_name"), fixed_paths=("rules",), writable=_WRITE_ALL,
        rules=BANK_ACCOUNT_RULES, stored_extra=_f("paypal_type, paypal_email_address")),
    ResourceSpec(
        name="banktransactions", list_key="banktransactions",
        detail_key="banktransaction", id_field="transaction_id", label="Transaction", scope="banking",
        list_fields=BANKTXN_LIST, detail_fields=BANKTXN_DETAIL, report_name="Bank Transactions",
        fixed_paths=("uncategorized",),
        filter_by=status_filters(("Uncategorized", "uncategorized"), ("Categorized", "categorized"),
                                 ("ManuallyAdded", "manually_added"), ("Excluded", "excluded"),
                                 ("Matched", "matched")),
        sort_columns=_f("date, amount, created_time"),
        # search_text: "by contact name or description" (bank-transactions.yml), and the account's name
        search_fields=_f("payee, description, reference_number, account_name, customer_name, vendor_name"),
        text_fields=_f("reference_number, payee, description"), date_field="date", amount_fields=("amount",),
        eq_filters=_f("account_id, status, transaction_type, transaction_status"),
        eq_all=_f("status, transaction_status"),  # "All, uncategorized, manually_added, ..." (documented)
        field_paths=(("transaction_status", "status"),), writable=_WRITE_ALL, rules=BANK_TRANSACTION_RULES,
        stored_extra=_f("from_account_tags, to_account_tags, custom_fields, is_paid_via_print_check")),
    ResourceSpec(
        name="expenses", detail_key="expense", id_field="expense_id",
        label="Expense", scope="expenses", list_fields=EXPENSE_LIST, detail_fields=EXPENSE_DETAIL,
        report_name="Expenses",
        # Status.Billable: every billable expense (unbilled or invoiced); no expense has the status "billable"
        filter_by=status_filters(("Nonbillable", "non-billable"), ("Reimbursed", "reimbursed"),
                                 ("Invoiced", "invoiced"), ("Unbilled", "unbilled"))
        + (("Status.Billable", ("is_billable", True)),),
        sort_columns=_f("date, account_name, total, bcy_total, reference_number, customer_name, created_time"),
        search_fields=_f("description, reference_number, account_name, customer_name, vendor_name"),
        text_fields=_f("description, reference_number, account_name, customer_name, vendor_name"), date_field="date",
        page_context_echo=("filter_by", "search_text"),
        amount_fields=("amount",),
        eq_filters=_f("status, customer_id, vendor_id, account_id, paid_through_account_id, recurring_expense_id"),
        writable=_WRITE_ALL, rules=EXPENSE_RULES),
    ResourceSpec(
        name="salesorders", detail_key="salesorder",
        id_field="salesorder_id", label="Sales order", scope="salesorders", list_fields=SALESORDER_LIST,
        detail_fields=SALESORDER_DETAIL, report_name="Sales Orders",
        filter_by=status_filters(("Open", "open"), ("Draft", "draft"), ("OverDue", "overdue"),
                                 ("PartiallyInvoiced", "partially_invoiced"), ("Invoiced", "invoiced"),
                                 ("Void", "void"), ("Closed", "closed")),
        sort_columns=_f("customer_name, salesorder_number, shipment_date, last_modified_time, reference_number, total, date, created_time"),
        **_numbered("salesorder_number", ("salesorders", "SO-"), "customer", text="item_name, item_description",
                    eq="item_id, salesperson_id, zcrm_potential_id", amounts="total"),
        date_filters=(("shipment_date", "shipment_date"), ("created_date", "created_time")), lmt_declared=True,
        batch_param="salesorder_ids", stored_extra=("price_precision",), fixed_paths=("templates", "pdf", "print"),
        writable=_WRITE_ALL, rules=SALESORDER_RULES),
    ResourceSpec(
        name="purchaseorders", detail_key="purchaseorder",
        id_field="purchaseorder_id", label="Purchase order", scope="purchaseorders",
        list_fields=PURCHASEORDER_LIST, detail_fields=PURCHASEORDER_DETAIL, report_name="Purchase Orders",
        filter_by=status_filters(("Draft", "draft"), ("Open", "open"), ("Billed", "billed"), ("Cancelled", "cancelled")),
        sort_columns=_f("vendor_name, purchaseorder_number, date, delivery_date, total, created_time"),
        **_numbered("purchaseorder_number", ("purchaseorders", "PO-"), "vendor", text="item_description, custom_field",
                    eq="item_id", amounts="total", paths=CUSTOM_FIELD_PATHS),
        date_filters=(("delivery_date", "delivery_date"), ("created_date", "created_time")), lmt_declared=True,
        fixed_paths=("templates",), writable=_WRITE_ALL, rules=PURCHASEORDER_RULES),
    ResourceSpec(
        name="estimates", detail_key="estimate", id_field="estimate_id",
        label="Estimate", scope="estimates", list_fields=ESTIMATE_LIST, detail_fields=ESTIMATE_DETAIL,
        report_name="Estimates",
        filter_by=status_filters(("Sent", "sent"), ("Draft", "draft"), ("Invoiced", "invoiced"),
                                 ("Accepted", "accepted"), ("Declined", "declined"), ("Expired", "expired")),
        sort_columns=_f("customer_name, estimate_number, date, total, created_time"),
        **_numbered("estimate_number", ("estimates", "EST-"), "customer", text="item_name, item_description",
                    eq="item_id, zcrm_potential_id", amounts="total"),
        date_filters=(("expiry_date", "expiry_date"), ("created_date", "created_time")),
        fixed_paths=("templates", "pdf", "print", "email"), writable=_WRITE_ALL, rules=ESTIMATE_RULES),
    ResourceSpec(
        name="users", detail_key="user", id_field="user_id", label="User",
        scope="settings", list_fields=USER_LIST, detail_fields=USER_DETAIL, report_name="Users",
        filter_by=status_filters(("Active", "active"), ("Inactive", "inactive"), ("Invited", "invited"),
                                 ("Deleted", "deleted")),
        sort_columns=_f("name, email, user_role, status"), search_fields=_f("name, email"),
        eq_filters=_f("status"), writable=_WRITE_ALL, rules=USER_RULES),
    ResourceSpec(
        name="reportingtags", list_key="tags", detail_key="tag", id_field="tag_id",
        label="Reporting tag", scope="settings", list_fields=TAG_LIST, detail_fields=TAG_LIST,
        report_name="Reporting Tags", sort_columns=_f("tag_name"), search_fields=_f("tag_name"),
        stored_extra=("options",)),
    ResourceSpec(
        name="taxauthorities", path="settings/taxauthorities", list_key="tax_authorities", detail_key="tax_authority",
        id_field="tax_authority_id", label="Tax authority", scope="settings", list_fields=TAX_AUTHORITY_FIELDS,
        detail_fields=TAX_AUTHORITY_FIELDS, report_name="Tax Authorities", sort_columns=("tax_authority_name",),
        writable=_WRITE_ALL, rules=TAX_AUTHORITY_RULES),
    ResourceSpec(
        name="taxexemptions", path="settings/taxexemptions", list_key="tax_exemptions", detail_key="tax_exemption",
        id_field="tax_exemption_id", label="Tax exemption", scope="settings", list_fields=TAX_EXEMPTION_FIELDS,
        detail_fields=TAX_EXEMPTION_FIELDS, report_name="Tax Exemptions", sort_columns=("tax_exemption_code",),
        writable=_WRITE_ALL, rules=TAX_EXEMPTION_RULES),
    # taxes.yml documents no tax group list: GET /settings/taxgroups is served anyway (our choice)
    ResourceSpec(
        name="taxgroups", path="settings/taxgroups", list_key="tax_groups", detail_key="tax_group",
        id_field="tax_group_id", label="Tax group", scope="settings", list_fields=TAX_GROUP_FIELDS,
        detail_fields=TAX_GROUP_FIELDS, report_name="Tax Groups", sort_columns=("tax_group_name",),
        writable=_WRITE_ALL, rules=TAX_GROUP_RULES),
)}

# Stored record namespaces (the data contract with the seeder): every spec except the org-level ones.
RECORD_RESOURCES: tuple[str, ...] = (
    "contacts", "invoices", "creditnotes", "bills", "items", "chartofaccounts", "customerpayments",
    "vendorpayments", "vendorcredits", "journals", "taxes", "currencies", "bankaccounts", "banktransactions",
    "expenses", "salesorders", "purchaseorders", "estimates", "reportingtags", "accounttransactions", "users",
    "taxauthorities", "taxexemptions", "taxgroups",
)

# ---- the modules of issue 16: projects and time tracking, recurring profiles ---------------------------
# Field sets in module_fields.py, rules in module_rules.py and recurrence.py; routes beyond the generic
# ones (stored children, record actions, named extras) in module_views.py.
_PROFILE_FILTERS = status_filters(("Active", "active"), ("Stopped", "stopped"), ("Expired", "expired"))
_DATE_FILTERS = (("Date.All", (None, None)), ("Date.Today", ("log_date", "#today")),
                 ("Date.PreviousDay", ("log_date", "#previous_day"))) + tuple(
    (f"Date.{when.title()}{p.title()}", ("log_date", f"#{when}_{p}")) for when in ("this", "previous")
    for p in ("week", "month", "quarter", "year")) + (
    # time-entries.yml: Date.CustomDate is the range of from_date and to_date (no range of its own); an invoiced
    # entry's billed_status is "billed"
    ("Date.CustomDate", (None, None)), ("Status.Unbilled", ("billed_status", "unbilled")),
    ("Status.Invoiced", ("billed_status", "billed")))

RECURRING_INVOICE_RULES = RecurringDocumentRules(
    party="customer", child_rules=INVOICE_RULES, child_spec="invoices",
    schedule=Schedule("next_invoice_date", "last_sent_date", "invoices", "recurring_invoice_id"))
RECURRING_INVOICE_RULES.actions = profile_actions(RECURRING_INVOICE_RULES, "recurring invoice", status=201)
RECURRING_BILL_RULES = RecurringDocumentRules(
    party="vendor", child_rules=BILL_RULES, child_spec="bills",
    schedule=Schedule("next_bill_date", "last_sent_date", "bills", "recurring_bill_id"))
RECURRING_BILL_RULES.actions = profile_actions(RECURRING_BILL_RULES, "recurring bill")
RECURRING_EXPENSE_RULES = RecurringExpenseRules(
    Schedule("next_expense_date", "last_created_date", "expenses", "recurring_expense_id"))
RECURRING_EXPENSE_RULES.actions = profile_actions(RECURRING_EXPENSE_RULES, "recurring expense")

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
        lmt_declared=True, writable=_WRITE_ALL, rules=RECURRING_INVOICE_RULES,
        detail_page_context=True),  # recurring-invoices.yml's get answer has one (the only detail documented so)
    ResourceSpec(
        name="recurringbills", list_key="recurringbills", detail_key="recurring_bill",
        id_field="recurring_bill_id", label="Recurring bill", scope="bills", list_fields=RECURRING_BILL_LIST,
        detail_fields=RECURRING_BILL_DETAIL, report_name="Recurring Bills", filter_by=_PROFILE_FILTERS,
        sort_columns=_f("vendor_name, recurrence_name, next_bill_date, total, created_time"),
        search_fields=_f("recurrence_name, vendor_name"), text_fields=_f("recurrence_name, vendor_name"),
        eq_filters=_f("status, vendor_id, item_id, recurring_bill_id, currency_id, currency_code, payment_terms, "
                      "payment_terms_label"), amount_fields=("total",), field_paths=LINE_PATHS,
        date_filters=(("start_date", "start_date"), ("end_date", "end_date")), lmt_declared=True,
        writable=_WRITE_ALL, rules=RECURRING_BILL_RULES),
    ResourceSpec(
        name="recurringexpenses", list_key="recurring_expenses", detail_key="recurring_expense",
        id_field="recurring_expense_id", label="Recurring expense", scope="expenses",
        list_fields=RECURRING_EXPENSE_LIST, detail_fields=RECURRING_EXPENSE_DETAIL, report_name="Recurring Expenses",
        filter_by=_PROFILE_FILTERS,
        sort_columns=_f("recurrence_name, account_name, last_created_date, next_expense_date, total, customer_name, "
                        "created_time"),
        search_fields=_f("recurrence_name, account_name, customer_name, description"),
        text_fields=_f("recurrence_name, account_name, customer_name"),
        eq_filters=_f("status, account_id, customer_id, paid_through_account_id"), amount_fields=_f("amount, total"),
        date_filters=(("last_created_date", "last_created_date"), ("next_expense_date", "next_expense_date")),
        page_context_echo=("filter_by", "search_text"),  # recurring-expenses.yml's list page_context
        lmt_declared=True, writable=_WRITE_ALL, rules=RECURRING_EXPENSE_RULES),
    ResourceSpec(
        name="retainerinvoices", list_key="retainerinvoices", detail_key="retainerinvoice",
        id_field="retainerinvoice_id", label="Retainer invoice", scope="invoices", list_fields=RETAINER_LIST,
        detail_fields=RETAINER_DETAIL, report_name="Retainer Invoices",
        # retainer-invoices.yml's values; a retainer has no due date (none is ever overdue, due_date sorts nothing:
        # README choices) and no payment expectation unless one is set
        filter_by=status_filters(("Sent", "sent"), ("Draft", "draft"), ("Paid", "paid"), ("Void", "void"),
                                 ("PartiallyPaid", "partially_paid"), ("PendingApproval", "pending_approval"),
                                 ("Approved", "approved"), ("OverDue", "overdue"), ("Unpaid", "#unpaid"))
        + (("Status.Viewed", ("is_viewed_by_client", True)),
           ("Date.PaymentExpectedDate", ("payment_expected_date", "#set"))),
        sort_columns=_f("customer_name, retainerinvoice_number, date, due_date, total, balance, created_time"),
        **_numbered("retainerinvoice_number", ("retainerinvoices", "RET-"), "customer",
                    text="item_name, item_description", eq="item_id"),
        lmt_declared=True, writable=_WRITE_ALL, rules=RETAINER_RULES, fixed_paths=("templates",),
        stored_extra=_f("exchange_rate, price_precision")),
    ResourceSpec(
        name="salesreceipts", list_key="salesreceipts", detail_key="salesreceipt", id_field="sales_receipt_id",
        label="Sales receipt", scope="invoices", list_fields=SALES_RECEIPT_LIST, detail_fields=SALES_RECEIPT_DETAIL,
        report_name="Sales Receipts",
        filter_by=status_filters(("Draft", "draft"), ("Sent", "sent"), ("Void", "void")) + tuple(  # sales-receipt.yml's periods
            (f"{when.title()}{p.title()}", ("date", f"#{when}_{p}")) for when in ("this", "previous")
            for p in ("week", "month", "quarter", "year")) + (("PreviousDay", ("date", "#previous_day")),),
        sort_columns=_f("customer_name, receipt_number, date, total, created_time"),
        **_numbered("receipt_number", ("salesreceipts", "SR-"), "customer", text="item_name, item_description",
                    eq="item_id, payment_mode", amounts="total"),
        lmt_declared=True, writable=_WRITE_ALL, rules=SALES_RECEIPT_RULES, stored_extra=_f("payment_made, balance")),
    ResourceSpec(
        name="locations", list_key="locations", detail_key="locations", id_field="location_id", label="Location",
        scope="settings", list_fields=LOCATION_FIELDS, detail_fields=LOCATION_FIELDS, report_name="Locations",
        filter_by=status_filters(("Active", "active"), ("Inactive", "inactive")),
        sort_columns=_f("location_name"), **_searchable("location_name, email"), eq_filters=_f("status, type"),
        writable=_WRITE_ALL, rules=LOCATION_RULES),
    ResourceSpec(
        name="fixedassets", list_key="fixedassets", detail_key="fixed_asset", id_field="fixed_asset_id",
        label="Fixed asset", scope="fixedasset", list_fields=FIXED_ASSET_LIST, detail_fields=FIXED_ASSET_DETAIL,
        report_name="Fixed Assets",
        filter_by=status_filters(("Active", "active"), ("Draft", "draft"), ("Cancel", "cancelled"),
                                 ("FullyDepreciated", "fully_depreciated"), ("WriteOff", "written_off"),
                                 ("Sold", "sold")),
        sort_columns=_f("asset_name, asset_number, asset_cost, current_asset_value, created_time"),
        **_searchable("asset_name, asset_number, serial_no"), eq_filters=_f("status, fixed_asset_type_id"),
        amount_fields=_f("asset_cost, current_asset_value"), number_field="asset_number",
        number_series=("fixedassets", "FA-"), lmt_declared=True, writable=_WRITE_ALL, rules=FIXED_ASSET_RULES),
    ResourceSpec(
        name="fixedassettypes", list_key="fixed_asset_types", detail_key="fixed_asset_type",
        id_field="fixed_asset_type_id", label="Fixed asset type", scope="fixedasset",
        list_fields=FIXED_ASSET_TYPE_FIELDS, detail_fields=FIXED_ASSET_TYPE_FIELDS, report_name="Fixed Asset Types",
        sort_columns=_f("fixed_asset_type_name"), search_fields=_f("fixed_asset_type_name"), writable=_WRITE_ALL,
        rules=FIXED_ASSET_TYPE_RULES, stored_extra=("salvage_value",)),
    ResourceSpec(
        name="bankrules", path="bankaccounts/rules", list_key="rules", detail_key="rule", id_field="rule_id",
        label="Bank rule", scope="banking", list_fields=BANK_RULE_LIST, detail_fields=BANK_RULE_DETAIL,
        report_name="Bank Rules", sort_columns=_f("rule_name, rule_order"), search_fields=_f("rule_name"),
        eq_filters=_f("account_id, apply_to, record_as"), field_paths=(("account_id", "target_account_id"),),
        writable=_WRITE_ALL, rules=BANK_RULE_RULES),
    ResourceSpec(
        name="basecurrencyadjustments", path="basecurrencyadjustment", list_key="base_currency_adjustments",
        detail_key="data", id_field="base_currency_adjustment_id", label="Base currency adjustment",
        scope="accountants", list_fields=BCY_ADJUSTMENT_LIST, detail_fields=BCY_ADJUSTMENT_DETAIL,
        report_name="Base Currency Adjustments",
        # base-currency-adjustment.yml's periods of the adjustment date; debit_or_credit is no field of an
        # adjustment (its gain_or_loss is signed): accepted, it keeps the default order (README choices)
        filter_by=(("Date.All", (None, None)),) + tuple(
            (f"Date.{p}", ("adjustment_date", f"#{rule}")) for p, rule in (
                ("Today", "today"), ("ThisWeek", "this_week"), ("ThisMonth", "this_month"),
                ("ThisQuarter", "this_quarter"), ("ThisYear", "this_year"))),
        sort_columns=_f("adjustment_date, exchange_rate, currency_code, debit_or_credit, gain_or_loss"),
        date_field="adjustment_date", eq_filters=_f("currency_id, currency_code"), lmt_declared=True,
        writable=frozenset({"create", "delete"}), rules=BCY_ADJUSTMENT_RULES, fixed_paths=("accounts",)),
)

SPECS.update({s.name: s for s in MODULE_SPECS})
RECORD_RESOURCES += tuple(s.name for s in MODULE_SPECS)

# A purchase order's reject, a sales order's custom sub-status (order_actions.py: choices there)
PURCHASEORDER_RULES.actions = {**PURCHASEORDER_RULES.actions, "reject": PO_REJECT}
SALESORDER_RULES.actions = {**SALESORDER_RULES.actions, **SALESORDER_SUB_STATUS}

# Employees (expenses.yml): created and listed here, deleted at the singular /employee/{id} (views.py), never
# updated (no documented PUT); the expenses module's scope.
EMPLOYEE_SPEC = ResourceSpec(
    name="employees", detail_key="employee", id_field="employee_id", label="Employee", scope="expenses",
    list_fields=EMPLOYEE_FIELDS, detail_fields=EMPLOYEE_FIELDS, report_name="Employees",
    sort_columns=_f("name, email"), search_fields=_f("name, email"), writable=frozenset({"create"}),
    rules=EMPLOYEE_RULES, page_context_echo=("filter_by", "search_text"))  # expenses.yml's list page_context
SPECS[EMPLOYEE_SPEC.name] = EMPLOYEE_SPEC
RECORD_RESOURCES += (EMPLOYEE_SPEC.name,)

# "Update using a custom field's unique value" (PUT /<path> with X-Unique-Identifier-Key/-Value, optional
# X-Upsert: true): the resources whose documents give it (views.h_upsert serves them all).
UPSERT_RESOURCES: tuple[str, ...] = (
    "bills", "contacts", "creditnotes", "customerpayments", "estimates", "expenses", "invoices", "items", "projects",
    "purchaseorders", "recurringbills", "recurringexpenses", "recurringinvoices", "salesorders", "vendorpayments")

# Path aliases (our choice): the legacy /settings/tags is served as /reportingtags.
PATH_ALIASES: dict[str, str] = {"settings/tags": "reportingtags"}
