"""Write rules: validation and derived fields of the writable resources, one object per resource.

Each writable ``ResourceSpec`` carries its rules (``ResourceSpec(..., rules=DocumentRules(...))``,
see ``resources.py``); the generic handlers call ``spec.rules`` and never branch on a resource name.
A rules object turns a request body (and the stored record, on update) into the full stored record:
checks types and references Zoho-style (400, code 2, ``Invalid value passed for <field>``),
numbers the document (calc.next_number), totals it (calc.document_totals), derives balance and
status, and keeps related records (invoice balances under payments, contact outstanding amounts)
consistent through calc.settle, the arithmetic the seeder uses too. Unknown body keys are ignored,
as Zoho generally does (our choice).
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field as dc_field
from datetime import date, timedelta
from typing import Any, Callable, Mapping

from .. import literals as L
from ..errors import InvalidInput
from ..http import BooksAPIError, invalid_value
from . import calc, checks
from .custom_field_rows import custom_field_rows, known_fields
from .dates import parse_date
from .editions import EDITIONS, MONTHS
from .fakedata import CURRENCIES
from .line_tax import LINE_TAX_SCHEMA, journal_line_tax
from .fields import (ADDRESS_FIELDS, CONTACT_PERSON_ASSOCIATED, CONTACT_PERSON_DETAILS, CONTACT_PERSON_EMBEDDED,
                     CONTACT_PERSON_LIST, DEFAULT_TEMPLATE_KEYS, DELIVERY_ADDRESS, EDITION_DEFAULTS, EXPENSE_LINE,
                     INVOICE_LINE, PO_TEMPLATE_PAGE, TAX_GROUP_MEMBER, TEMPLATE_NAME, default_for)

# ---- body type checking ---------------------------------------------------------------------------
Kind = str  # "str" | "id" | "num" | "int" | "bool" | "date" | "list" | "dict" | "discount"


def kind_of(name: str) -> Kind:
    """The write type of a field the write rules do not list (edition-only fields), read from what
    it renders as when missing: a flag takes true/false, a list a list, an object an object."""
    default = EDITION_DEFAULTS.get(name, default_for(name))
    return {bool: "bool", list: "list", dict: "dict", int: "num"}.get(type(default), "str")

# Zoho's bounds are undocumented; ours (code 2 naming the field beyond them): amounts and rates
# below 10^14 in magnitude (cents stay exact in a double), integers within Java's 32-bit int (Zoho
# runs on the JVM), day counts and orders never negative, and every date arithmetic within year 9999.
MAX_AMOUNT = 10 ** 14
INT_MIN, INT_MAX = -(2 ** 31), 2 ** 31 - 1
NON_NEGATIVE = frozenset({"payment_terms", "item_order", "quantity", "exchange_rate", "bank_charges"})
REFUNDED = "_refunded"  # what refunds took out of a credit or payment (facets/refunds.py), never rendered


def coerce(field: str, kind: Kind, value: Any) -> Any:
    """Zoho-like leniency: numbers may arrive as numeric strings, ids as ints; anything else is code 2."""
    if value is None:
        return None
    if kind == "str":
        if isinstance(value, bool) or isinstance(value, (list, dict)):
            raise invalid_value(field)
        return value if isinstance(value, str) else str(value)
    if kind == "id":
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise invalid_value(field)
        value = str(value).strip()
        if value and not value.isdigit():
            raise invalid_value(field)
        return value
    if kind in ("num", "int"):
        if isinstance(value, bool):
            raise invalid_value(field)
        if isinstance(value, str):
            try:
                value = float(value.strip()) if value.strip() else 0.0
            except ValueError:
                raise invalid_value(field) from None
        if not isinstance(value, (int, float)) or value != value or value in (float("inf"), float("-inf")):
            raise invalid_value(field)
        if (field in NON_NEGATIVE and value < 0) or abs(value) >= MAX_AMOUNT:
            raise invalid_value(field)
        if kind == "int":
            if float(value) != int(value) or not INT_MIN <= value <= INT_MAX:
                raise invalid_value(field)
            return int(value)
        return float(value) if isinstance(value, float) else value
    if kind == "discount":  # an amount, or a percentage written "12.5%"
        if isinstance(value, str) and value.strip().endswith("%"):
            pct = coerce(field, "num", value.strip()[:-1])
            if not 0 <= pct <= 100:
                raise invalid_value(field)
            return value.strip()
        return coerce(field, "num", value)
    if kind == "bool":
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        if not isinstance(value, bool):
            raise invalid_value(field)
        return value
    if kind == "date":
        if value == "":
            return ""
        if not isinstance(value, str):
            raise invalid_value(field)
        return parse_date(value, field)
    if kind == "list":
        if not isinstance(value, list):
            raise invalid_value(field)
        return value
    if kind == "dict":
        if not isinstance(value, dict):
            raise invalid_value(field)
        return value
    raise AssertionError(kind)


def check(body: Mapping[str, Any], schema: Mapping[str, Kind]) -> dict[str, Any]:
    """The known fields of ``body``, coerced; unknown keys are dropped (Zoho ignores them)."""
    return {k: coerce(k, kind, body[k]) for k, kind in schema.items() if k in body}


def one_of(data: Mapping[str, Any], field: str, allowed: tuple[str, ...]) -> None:
    """A field that takes one of a few values, when given: anything else is code 2."""
    if field in data and data[field] not in allowed:
        raise invalid_value(field)


def check_rows(field: str, rows: list, schema: Mapping[str, Kind]) -> list[dict[str, Any]]:
    out = []
    for row in rows:
        if not isinstance(row, dict):
            raise invalid_value(field)
        out.append(check(row, schema))
    return out


ADDRESS_SCHEMA = {f: "str" for f in ADDRESS_FIELDS}
LINE_SCHEMA: dict[str, Kind] = {
    "line_item_id": "id", "item_id": "id", "name": "str", "description": "str", "item_order": "int", "rate": "num",
    "quantity": "num", "unit": "str", "discount": "discount", "tax_id": "id", "account_id": "id", "tags": "list",
    "product_type": "str", "project_id": "id", "location_id": "id", "customer_id": "id",
    "time_entry_ids": "list",  # an invoice line billing time entries (module_rules.TimeBillingRules)
}
# Typed defaults of a record created through the API (every other key takes fields.default_for).
FIELD_DEFAULTS: dict[str, Any] = {
    "is_emailed": False, "has_attachment": False, "is_viewed_by_client": False, "ach_payment_initiated": False,
    "reminders_sent": 0, "write_off_amount": 0.0, "shipping_charge": 0.0, "adjustment": 0.0, "discount": 0.0,
    "is_discount_before_tax": True, "discount_type": "entity_level", "is_inclusive_tax": False,
    "price_precision": 2, "exchange_rate": 1.0, "payment_made": 0.0, "credits_applied": 0.0,
    "tax_amount_withheld": 0.0, "allow_partial_payments": False, "can_send_in_mail": True,
    "payment_reminder_enabled": True, "adjustment_description": "Adjustment", "notes": "", "terms": "",
    "reference_number": "", "is_tds_applied": False, "is_abn_quoted": False, "vendor_credits_applied": 0.0,
    "outstanding_receivable_amount": 0.0, "unused_credits_receivable_amount": 0.0,
    "outstanding_receivable_amount_bcy": 0.0, "unused_credits_receivable_amount_bcy": 0.0,
    "is_linked_with_zohocrm": False, "has_transaction": False, "is_taxable": True, "amount_refunded": 0.0,
    "bank_charges": 0.0, "unused_amount": 0.0, "is_paid_via_print_check": False, "is_ach_payment": False,
    "balance": 0.0, "bcy_balance": 0.0, "description": "", "journal_type": "both", "entity_type": "journal",
    "payment_options": {"payment_gateways": []},
}


@dataclass
class WriteContext:
    """What a rule may touch: the backend (store, ids, clock), the org and the resource."""

    backend: Any
    org: Mapping[str, Any]
    spec: Any  # a ResourceSpec (resources imports this module, so it is not imported here)

    @property
    def org_id(self) -> str:
        return self.org["organization_id"]

    @property
    def today(self) -> str:
        return self.backend.today(self.org)

    def get(self, resource: str, rid: str | None) -> dict[str, Any] | None:
        return self.backend.get_record(self.org_id, resource, rid) if rid else None

    def referenced(self, resource: str, rid: str | None, field: str) -> dict[str, Any]:
        """The record a body field names, which must exist (code 2 naming ``field`` otherwise)."""
        rec = self.get(resource, rid)
        if rec is None:
            raise invalid_value(field)
        return rec

    def put(self, resource: str, rec: dict[str, Any]) -> None:
        self.backend.put_record(self.org_id, resource, rec)

    def touch(self, rec: dict[str, Any]) -> None:
        now = self.backend.now()
        rec["_lmt"] = now
        if "last_modified_time" in rec or "last_modified_time" in self.spec.list_fields:
            rec["last_modified_time"] = self.backend.timestamp(self.org, now)


class WriteRules:
    """Base: a schema, required fields on create, numbering, and no side effects."""

    schema: dict[str, Kind] = {}
    required: tuple[str, ...] = ()
    number_required: bool = False  # the caller numbers the document (bills); never numbered for it
    status_actions: Mapping[str, Callable[[dict[str, Any]], None]] = {}  # POST .../{id}/status/<action>
    status_messages: Mapping[str, str] = {}  # action -> Zoho's answer when not literals.STATUS_MESSAGE
    status_codes: Mapping[str, int] = {}  # action -> Zoho's HTTP status when not 200 (sales orders: 201)
    # other documented POST .../{id}/<word> (active, submit, approve, email, a vendor credit's bills): objects
    # with a message ({label} filled in), an http_status and run(ctx, rules, record, body) -> what the
    # answer adds (Transition, ApplyCredits, RecordAction)
    actions: Mapping[str, Any] = {}
    # Zoho's documented answer to a write where it is not the generic one ("Purchase Order has been
    # added."), keyed by the generic template (literals.CREATED_MESSAGE / UPDATED_MESSAGE / DELETED_MESSAGE)
    messages: Mapping[str, str] = {}

    create_status: int = 201  # the HTTP status of a create (users.yml and a tax exemption's answer 200)

    def message_for(self, template: str, rec: Mapping[str, Any] | None) -> str | None:
        """Zoho's documented answer to a write of ``rec`` where it is not the generic one."""
        return self.messages.get(template)

    def tombstone(self, ctx: WriteContext, rec: dict[str, Any]) -> dict[str, Any] | None:
        """What a delete leaves behind: None removes the record (users stay, marked deleted)."""
        return None

    def build(self, ctx: WriteContext, body: Mapping[str, Any], existing: dict[str, Any] | None) -> dict[str, Any]:
        data = check(body, self.schema_for(ctx))
        if data.get("custom_fields"):
            data["custom_fields"] = written_custom_fields(ctx, data["custom_fields"])
        if existing is None:
            for name in self.required:
                if data.get(name) in (None, "", []):
                    raise invalid_value(name)
            rec = self.fresh(ctx)
        else:
            for name in self.required:
                if name in data and data[name] in (None, "", []):
                    raise invalid_value(name)
            rec = copy.deepcopy(existing)
        self.apply(ctx, rec, data, existing)
        self.number(ctx, rec, data, existing)
        return rec

    def schema_for(self, ctx: WriteContext) -> dict[str, Kind]:
        extra = {f: kind_of(f) for f in ctx.spec.edition_fields(ctx.org.get("_edition", ""))}
        return {**extra, **self.schema}

    def fresh(self, ctx: WriteContext) -> dict[str, Any]:
        return fresh_record(ctx)

    def apply(self, ctx: WriteContext, rec: dict[str, Any], data: dict[str, Any], existing: dict[str, Any] | None) -> None:
        rec.update({k: v for k, v in data.items() if k != "line_items"})

    def number(self, ctx: WriteContext, rec: dict[str, Any], data: dict[str, Any], existing: dict[str, Any] | None) -> None:
        spec = ctx.spec
        if not spec.number_field or not spec.number_series or self.number_required:
            return
        wanted = data.get(spec.number_field)
        if wanted:
            for other in ctx.backend.records(ctx.org_id, spec.name):
                if other.get(spec.number_field) == wanted and other.get(spec.id_field) != rec.get(spec.id_field):
                    raise BooksAPIError(L.ALREADY_EXISTS, label=spec.label + " number", value=wanted)
            rec[spec.number_field] = wanted
        elif existing is None or not rec.get(spec.number_field):
            series, prefix = spec.number_series
            taken = {r.get(spec.number_field) for r in ctx.backend.records(ctx.org_id, spec.name)}
            while True:
                candidate = calc.next_number(ctx.backend.store, ctx.org_id, series, prefix)
                if candidate not in taken:
                    break
            rec[spec.number_field] = candidate

    def after_write(self, ctx: WriteContext, old: dict[str, Any] | None, new: dict[str, Any]) -> None:
        """Keep related records consistent (payments move invoice balances)."""

    def check_delete(self, ctx: WriteContext, rec: dict[str, Any]) -> None:
        """Raise when Zoho would refuse the delete."""

    def after_delete(self, ctx: WriteContext, rec: dict[str, Any]) -> None:
        """Undo what ``after_write`` did."""

    def refresh_status(self, ctx: WriteContext, rec: dict[str, Any]) -> None:
        """Derive the status from the numbers (documents); nothing for other records."""

    def after_status(self, ctx: WriteContext, rec: dict[str, Any], action: str) -> None:
        """After a status action moved the status: what follows from it (derived status, dates)."""
        self.refresh_status(ctx, rec)


def written_custom_fields(ctx: WriteContext, rows: list) -> list[dict[str, Any]]:
    """Custom field rows of a write, each completed from the resource's field it names (custom_field_rows.py)."""
    fields = known_fields(ctx.backend.records(ctx.org_id, ctx.spec.name))
    return custom_field_rows(rows, fields, lambda: ctx.backend.new_id(ctx.org_id))


@dataclass(frozen=True)
class RecordAction:
    """A documented ``POST /<path>/{id}/<word>`` that changes the stored record (active, inactive, invite,
    email, write-off, payment reminders, a bank line's exclude): ``do(ctx, record, body)`` (raising when
    Zoho refuses it), then its status derived again where the rules derive one; Zoho's answer (message,
    ``{label}`` filled in, and HTTP status)."""

    do: Callable[["WriteContext", dict[str, Any], dict[str, Any]], None]
    message: str
    http_status: int = 200
    under: str = ""  # a fixed segment before the id: POST /banktransactions/uncategorized/{id}/exclude
    answer_keys: tuple[str, ...] = ()  # nothing beside code and message

    def run(self, ctx: "WriteContext", rules: "WriteRules", rec: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        self.do(ctx, rec, body)
        rules.refresh_status(ctx, rec)
        return {}


@dataclass(frozen=True)
class Transition:
    """A documented status action (``POST /<path>/{id}/status/open``, ``/submit``): the statuses it may
    leave (any other is refused, code 2 naming ``status``; our choice of code), the status it sets, an
    optional ``guard`` (false: refused, e.g. voiding a bill that has payments), whether the status is
    then derived from the numbers (a void bill reopened is open, overdue or partially paid), and
    Zoho's documented answer (message and HTTP status)."""

    to: str
    allowed_from: tuple[str, ...]
    message: str
    http_status: int = 201
    guard: Callable[[Mapping[str, Any]], bool] | None = None
    derive: bool = False
    sets: Mapping[str, Any] = dc_field(default_factory=dict)  # other fields the action sets
    answer_keys: tuple[str, ...] = ()  # as a record action: nothing beside code and message

    def __call__(self, rec: dict[str, Any]) -> None:
        if rec.get("status") not in self.allowed_from or (self.guard is not None and not self.guard(rec)):
            raise invalid_value("status")
        rec.update(copy.deepcopy(dict(self.sets)))
        rec["status"] = self.to

    def run(self, ctx: WriteContext, rules: "WriteRules", rec: dict[str, Any],
            body: Mapping[str, Any]) -> dict[str, Any]:
        """As a record action (``POST /<path>/{id}/submit``): the body is not read; nothing to add to the answer."""
        self(rec)
        if self.derive:
            rules.refresh_status(ctx, rec)
        return {}


def address(value: dict[str, Any] | None) -> dict[str, Any]:
    """An address as stored: every address field, strings only; null clears it (our choice)."""
    return {**{f: "" for f in ADDRESS_FIELDS}, **{k: v or "" for k, v in check(value or {}, ADDRESS_SCHEMA).items()}}


def due_date(issued: str, days: int, field: str = "payment_terms") -> str:
    """``issued`` plus ``days``; code 2 naming ``field`` past the last date a calendar holds."""
    try:
        return (date.fromisoformat(issued) + timedelta(days=days)).isoformat()
    except OverflowError:
        raise invalid_value(field) from None


def fresh_record(ctx: WriteContext) -> dict[str, Any]:
    """A new record of ``ctx.spec``: every list and detail key (and the org edition's) with its default."""
    spec, edition = ctx.spec, ctx.org.get("_edition", "")
    fields = dict.fromkeys(spec.list_fields + spec.detail_keys(edition))
    rec = {f: copy.deepcopy(FIELD_DEFAULTS[f]) if f in FIELD_DEFAULTS else default_for(f) for f in fields}
    for f in spec.edition_fields(edition):
        rec[f] = EDITION_DEFAULTS.get(f, "")
    return rec


def _money(x: float) -> float:
    return round(float(x) + 0.0, 2)


# ---- contacts and contact persons -------------------------------------------------------------------
PERSON_SCHEMA: dict[str, Kind] = {
    "contact_person_id": "id", "salutation": "str", "first_name": "str", "last_name": "str", "email": "str",
    "phone": "str", "mobile": "str", "designation": "str", "department": "str", "skype": "str",
    "is_primary_contact": "bool", "enable_portal": "bool", "communication_preference": "dict",
}


def normalise_person(ctx: WriteContext, person: dict[str, Any], base: dict[str, Any] | None = None) -> dict[str, Any]:
    out = dict(base or {})
    for f in set(CONTACT_PERSON_LIST) | set(CONTACT_PERSON_EMBEDDED):
        out.setdefault(f, default_for(f))
    out.update(person)
    if not out.get("contact_person_id"):
        out["contact_person_id"] = ctx.backend.new_id(ctx.org_id)
    out["is_primary_contact"] = bool(out.get("is_primary_contact"))
    out["enable_portal"] = bool(out.get("enable_portal"))
    out["is_added_in_portal"] = bool(out.get("is_added_in_portal") or out["enable_portal"])
    if out.get("communication_preference") is None:
        out["communication_preference"] = {"is_sms_enabled": False, "is_whatsapp_enabled": False}
    return out


def sync_primary(contact: dict[str, Any]) -> None:
    """The list's first_name/last_name/email/phone/mobile are the primary person's, flattened (§6.3)."""
    persons = contact.get("contact_persons") or []
    if persons and not any(p.get("is_primary_contact") for p in persons):
        persons[0]["is_primary_contact"] = True
    primary = next((p for p in persons if p.get("is_primary_contact")), None)
    for f in ("first_name", "last_name", "email", "phone", "mobile"):
        contact[f] = (primary or {}).get(f) or ""
    contact["primary_contact_id"] = (primary or {}).get("contact_person_id") or ""


class ContactRules(WriteRules):
    schema = {
        "contact_name": "str", "company_name": "str", "contact_type": "str", "customer_sub_type": "str",
        "payment_terms": "int", "payment_terms_label": "str", "currency_id": "id", "credit_limit": "num",
        "website": "str", "notes": "str", "contact_number": "str", "is_taxable": "bool", "tax_id": "id",
        "billing_address": "dict", "shipping_address": "dict", "contact_persons": "list", "custom_fields": "list",
        "facebook": "str", "twitter": "str", "payment_reminder_enabled": "bool", "pricebook_id": "id",
        "owner_id": "id", "status": "str", "contact_salutation": "str", "ignore_auto_number_generation": "bool",
        "is_portal_enabled": "bool", "language_code": "str",
    }
    required = ("contact_name",)

    def apply(self, ctx, rec, data, existing):
        one_of(data, "contact_type", ("customer", "vendor"))
        one_of(data, "customer_sub_type", ("individual", "business"))
        one_of(data, "status", ("active", "inactive"))
        unique(ctx, ("contacts",), "contact_name", data.get("contact_name"), rec.get("contact_id"), "Contact")
        for key in ("billing_address", "shipping_address"):
            if key in data:
                data[key] = address(data[key])
        if data.get("currency_id"):
            require_currency(ctx, data["currency_id"])
        persons = data.pop("contact_persons", None)
        super().apply(ctx, rec, data, existing)
        if existing is None:
            rec.setdefault("contact_type", "customer")
            rec["contact_type"] = rec.get("contact_type") or "customer"
            rec["customer_sub_type"] = rec.get("customer_sub_type") or "business"
            rec["status"] = rec.get("status") or "active"
            rec["currency_id"] = rec.get("currency_id") or ctx.org.get("currency_id")
            rec["currency_code"] = ctx.org.get("currency_code")
            rec["currency_symbol"] = ctx.org.get("currency_symbol")
            rec["payment_terms"] = rec.get("payment_terms") or 0
            rec["company_name"] = rec.get("company_name") or ""
            for key in ("billing_address", "shipping_address"):
                if not rec.get(key):
                    rec[key] = {f: "" for f in ADDRESS_FIELDS}
            rec["contact_persons"] = []
            rec["default_templates"] = dict.fromkeys(DEFAULT_TEMPLATE_KEYS, "")
        if "payment_terms" in data and "payment_terms_label" not in data:
            rec["payment_terms_label"] = "Due on Receipt" if not rec["payment_terms"] else f"Net {rec['payment_terms']}"
        elif not rec.get("payment_terms_label"):
            rec["payment_terms_label"] = "Due on Receipt"
        if persons is not None:
            old = {p.get("contact_person_id"): p for p in rec.get("contact_persons") or []}
            rows = check_rows("contact_persons", persons, PERSON_SCHEMA)
            rec["contact_persons"] = [normalise_person(ctx, p, old.get(p.get("contact_person_id"))) for p in rows]
        sync_primary(rec)

    def check_delete(self, ctx, rec):
        cid = rec.get("contact_id")
        for res, key in (("invoices", "customer_id"), ("creditnotes", "customer_id"), ("customerpayments", "customer_id"),
                         ("bills", "vendor_id"), ("vendorpayments", "vendor_id"), ("estimates", "customer_id"),
                         ("salesorders", "customer_id"), ("purchaseorders", "vendor_id"), ("vendorcredits", "vendor_id"),
                         ("expenses", "vendor_id"), ("expenses", "customer_id")):
            if any(r.get(key) == cid for r in ctx.backend.records(ctx.org_id, res)):
                raise BooksAPIError(L.HAS_DEPENDENTS, label="Contact")


# ---- items --------------------------------------------------------------------------------------
class ItemRules(WriteRules):
    schema = {
        "name": "str", "rate": "num", "description": "str", "unit": "str", "sku": "str", "tax_id": "id",
        "product_type": "str", "item_type": "str", "account_id": "id", "purchase_rate": "num",
        "purchase_description": "str", "purchase_account_id": "id", "status": "str", "custom_fields": "list",
        "hsn_or_sac": "str",
    }
    required = ("name", "rate")

    def apply(self, ctx, rec, data, existing):
        name = data.get("name")
        if name:
            for other in ctx.backend.records(ctx.org_id, "items"):
                if other.get("name", "").lower() == name.lower() and other.get("item_id") != rec.get("item_id"):
                    raise BooksAPIError(L.ALREADY_EXISTS, label="Item", value=name)
        one_of(data, "product_type", ("goods", "service", "digital_service"))
        one_of(data, "status", ("active", "inactive"))
        super().apply(ctx, rec, data, existing)
        if existing is None:
            rec["status"] = rec.get("status") or "active"
            rec["product_type"] = rec.get("product_type") or "goods"
            rec["item_type"] = rec.get("item_type") or "sales"
        if "tax_id" in data:
            apply_tax(ctx, rec, data["tax_id"], "tax_id")

    def check_delete(self, ctx, rec):
        iid = rec.get("item_id")
        for res in ("invoices", "creditnotes", "bills", "estimates", "salesorders", "purchaseorders", "vendorcredits"):
            for doc in ctx.backend.records(ctx.org_id, res):
                if any(li.get("item_id") == iid for li in doc.get("line_items") or []):
                    raise BooksAPIError(L.HAS_DEPENDENTS, label="Item")


def apply_tax(ctx: WriteContext, rec: dict[str, Any], tax_id: str | None, field: str) -> None:
    if not tax_id:
        rec.update({"tax_id": "", "tax_name": "", "tax_percentage": 0, "tax_type": ""})
        return
    tax = ctx.get("taxes", tax_id)
    if tax is None:
        raise invalid_value(field)
    rec.update({"tax_id": tax_id, "tax_name": tax.get("tax_name"), "tax_percentage": tax.get("tax_percentage"),
                "tax_type": tax.get("tax_type")})


# ---- documents with lines (invoices, credit notes, bills) -------------------------------------------
# Status rules: the status of a document from its numbers (void stays void).
def invoice_status(ctx: WriteContext, rec: dict[str, Any]) -> str:
    if rec.get("status") in AWAITING_SEND and not rec.get("_sent"):
        return rec["status"]  # in the approval workflow: the numbers do not move it
    sent = bool(rec.get("_sent")) or rec.get("status") not in ("draft", None)
    return calc.invoice_status(rec["total"], rec["balance"], rec.get("due_date") or rec.get("date"), ctx.today, sent,
                               viewed=bool(rec.get("is_viewed_by_client")))


def bill_status(ctx: WriteContext, rec: dict[str, Any]) -> str:
    """Bills have no draft."""
    return calc.bill_status(rec["total"], rec["balance"], rec.get("due_date") or rec.get("date"), ctx.today)


def credit_status(ctx: WriteContext, rec: dict[str, Any]) -> str:
    return calc.credit_status(rec["total"], rec["balance"])


def vendor_credit_status(ctx: WriteContext, rec: dict[str, Any]) -> str:
    """A vendor credit in draft (or awaiting approval) stays so until marked open; then open or closed."""
    if rec.get("status") in ("draft", "pending_approval"):
        return rec["status"]
    return calc.credit_status(rec["total"], rec["balance"])


def held_status(ctx: WriteContext, rec: dict[str, Any]) -> str:
    """Purchase orders: the status moves only by status actions (draft, open, billed, cancelled)."""
    return rec.get("status") or "draft"


class DocumentRules(WriteRules):
    """Documents with lines: sales documents (customer_*) and purchase documents (vendor_*).

    ``status`` derives the status from the numbers; ``settled_by`` names the allocation list a
    credit carries (credit notes: ``invoices``), whose amounts make its balance, where payments
    and credits applied make an invoice's or bill's (calc.open_balance). ``line_defaults`` are
    extra keys of each line (a bill line's expense account).
    """

    schema = {
        "date": "date", "due_date": "date", "reference_number": "str", "line_items": "list", "discount": "discount",
        "is_discount_before_tax": "bool", "discount_type": "str", "is_inclusive_tax": "bool",
        "shipping_charge": "num", "adjustment": "num", "adjustment_description": "str", "notes": "str",
        "terms": "str", "payment_terms": "int", "payment_terms_label": "str", "exchange_rate": "num",
        "custom_fields": "list", "salesperson_name": "str", "location_id": "id", "template_id": "id",
        "billing_address": "dict", "shipping_address": "dict", "payment_expected_date": "date",
        "allow_partial_payments": "bool",
    }

    def __init__(self, *, party: str, status: Callable[[WriteContext, dict[str, Any]], str],
                 initial_status: str = "draft", number_required: bool = False, settled_by: str | None = None,
                 line_defaults: Mapping[str, Any] | None = None,
                 status_actions: Mapping[str, Callable[[dict[str, Any]], None]] | None = None,
                 actions: Mapping[str, Any] | None = None, messages: Mapping[str, str] | None = None,
                 extra_schema: Mapping[str, Kind] | None = None) -> None:
        self.party = party
        self.extra_schema = dict(extra_schema or {})  # fields this resource takes beyond the common ones
        self.status = status
        self.initial_status = initial_status
        self.number_required = number_required
        self.settled_by = settled_by
        self.line_defaults = dict(line_defaults or {})
        self.taxes_name_their_tax = False
        self.status_actions = dict(status_actions or {})
        self.actions = dict(actions or {})
        self.messages = dict(messages or {})

    def schema_for(self, ctx):
        number = {ctx.spec.number_field: "str"} if ctx.spec.number_field else {}
        return {**super().schema_for(ctx), **self.extra_schema, **number, f"{self.party}_id": "id",
                "contact_persons": "list", "contact_persons_associated": "list"}

    @property
    def required(self):  # type: ignore[override]
        return (f"{self.party}_id", "line_items")

    def apply(self, ctx, rec, data, existing):
        party_key = f"{self.party}_id"
        if self.number_required and existing is None and not data.get(ctx.spec.number_field):
            raise invalid_value(ctx.spec.number_field)
        if party_key in data:
            contact = ctx.get("contacts", data[party_key])
            if contact is None:
                raise invalid_value(party_key)
            rec[f"{self.party}_name"] = contact.get("contact_name")
            for f in ctx.spec.edition_fields(ctx.org.get("_edition", "")):
                if f not in data and contact.get(f) not in (None, ""):
                    rec[f] = contact[f]
            if existing is None:
                rec["currency_id"] = contact.get("currency_id") or ctx.org.get("currency_id")
                rec["currency_code"] = contact.get("currency_code") or ctx.org.get("currency_code")
                if "billing_address" in rec and not data.get("billing_address"):
                    rec["billing_address"] = copy.deepcopy(contact.get("billing_address") or {})
                if "shipping_address" in rec and not data.get("shipping_address"):
                    rec["shipping_address"] = copy.deepcopy(contact.get("shipping_address") or {})
                if "payment_terms" not in data:
                    data["payment_terms"] = contact.get("payment_terms") or 0
        one_of(data, "discount_type", ("entity_level", "item_level"))
        persons = data.pop("contact_persons", None)
        rows = data.pop("contact_persons_associated", None)  # invoices.yml's payload form: [{contact_person_id}]
        if persons is None and rows is not None:
            persons = [row.get("contact_person_id") if isinstance(row, dict) else None for row in rows]
        if existing is not None and "date" in data and not data["date"]:
            raise invalid_value("date")
        for key in ("billing_address", "shipping_address"):
            if key in data:
                data[key] = address(data[key])
        super().apply(ctx, rec, data, existing)
        if "currency_symbol" in rec:
            rec["currency_symbol"] = ctx.org.get("currency_symbol")
        if existing is None:
            rec["date"] = rec.get("date") or ctx.today
            rec["status"] = self.initial_status
        if "payment_terms" in rec:
            terms = rec.get("payment_terms") or 0
            rec["payment_terms_label"] = data.get("payment_terms_label") or ("Due on Receipt" if not terms else f"Net {terms}")
        if "due_date" in rec and (existing is None or "date" in data or "payment_terms" in data) and not data.get("due_date"):
            rec["due_date"] = due_date(rec["date"], int(rec.get("payment_terms") or 0))
        if "due_date" in rec and rec.get("due_date") and rec["due_date"] < rec["date"]:
            raise invalid_value("due_date")
        if "line_items" in data:
            rec["line_items"] = self.lines(ctx, data["line_items"], existing)
        elif existing is None:
            raise invalid_value("line_items")
        if "contact_persons_associated" in rec and (persons is not None or existing is None or party_key in data):
            associate_persons(ctx, rec, rec.get(party_key), persons)
        self.totals(ctx, rec)

    def lines(self, ctx, rows, existing) -> list[dict[str, Any]]:
        if not rows:
            raise invalid_value("line_items")
        rows = check_rows("line_items", rows, LINE_SCHEMA)
        old_ids = {li.get("line_item_id") for li in (existing or {}).get("line_items") or []}
        out = []
        for n, row in enumerate(rows, 1):
            line = {f: default_for(f) for f in INVOICE_LINE}
            line.update(self.line_defaults)
            if row.get("item_id"):
                item = ctx.referenced("items", row["item_id"], "item_id")
                line.update({"name": item.get("name"), "description": item.get("description") or "",
                             "rate": item.get("purchase_rate") if self.party == "vendor" and item.get("purchase_rate") else item.get("rate"),
                             "unit": item.get("unit") or "", "product_type": item.get("product_type"),
                             "tax_id": item.get("tax_id") or ""})
            if row.get("rate") is None and not row.get("item_id"):
                raise invalid_value("rate")
            line.update({k: v for k, v in row.items() if v is not None})
            if not any(line.get(k) for k in ("name", "description", "item_id", "account_id")):
                raise invalid_value("line_items")
            line["quantity"] = 1 if row.get("quantity") is None else row["quantity"]
            if line["quantity"] < 0:
                raise invalid_value("quantity")
            if abs(float(line.get("rate") or 0) * float(line["quantity"])) >= MAX_AMOUNT:
                raise invalid_value("line_items")  # each within bounds, their product not
            if line.get("tax_id") and ctx.get("taxes", line["tax_id"]) is None:
                raise invalid_value("tax_id")
            if line.get("account_id"):
                account = ctx.referenced("chartofaccounts", line["account_id"], "account_id")
                line["account_name"] = account.get("account_name")
            if not line.get("line_item_id") or line["line_item_id"] not in old_ids:
                line["line_item_id"] = ctx.backend.new_id(ctx.org_id)
            line["item_order"] = row.get("item_order") or n
            line["bcy_rate"] = line["rate"]
            line["discount"] = line.get("discount") or 0
            line["tags"] = line_tags(ctx, line.get("tags"))
            if "type" in self.line_defaults:  # a credit note line's type: 1 goods, 2 services (credit-notes.yml)
                line["type"] = 1 if line.get("product_type") == "goods" else 2
            out.append(line)
        return out

    def totals(self, ctx, rec) -> None:
        taxes = {t["tax_id"]: t for t in ctx.backend.records(ctx.org_id, "taxes") if t.get("tax_id")}
        result = calc.document_totals(
            rec.get("line_items") or [], taxes_by_id=taxes, discount=rec.get("discount") or 0,
            is_discount_before_tax=rec.get("is_discount_before_tax", True) is not False,
            is_inclusive_tax=bool(rec.get("is_inclusive_tax")), shipping_charge=rec.get("shipping_charge") or 0,
            adjustment=rec.get("adjustment") or 0, precision=rec.get("price_precision") or 2)
        for li in result["line_items"]:
            if "item_total_inclusive_of_tax" in li:  # purchase lines carry their total with tax
                li["item_total_inclusive_of_tax"] = _money(float(li.get("item_total") or 0)
                                                           + float(li.get("line_tax_amount") or 0))
        rec["line_items"] = [{k: v for k, v in li.items() if k != "line_tax_amount"} for li in result["line_items"]]
        for key in ("sub_total", "tax_total", "taxes", "total"):
            rec[key] = result[key]
        if self.taxes_name_their_tax:  # credit-notes.yml and sales-order.yml: taxes[] rows carry tax_id
            ids = {li.get("tax_name"): li.get("tax_id") or "" for li in rec["line_items"] if li.get("tax_name")}
            rec["taxes"] = [{"tax_id": ids.get(t["tax_name"], ""), **t} for t in rec["taxes"]]
        if max(abs(rec["sub_total"]), abs(rec["total"])) >= MAX_AMOUNT:
            raise invalid_value("total")
        self.derive_balance(ctx, rec)

    def derive_balance(self, ctx, rec) -> None:
        paid = float(rec.get("payment_made") or 0) + float(rec.get("credits_applied") or 0) + float(rec.get("vendor_credits_applied") or 0)
        if paid > rec["total"] + 1e-9:
            raise invalid_value("total")
        if self.settled_by:  # less what was refunded (facets/refunds.py keeps ``_refunded``)
            applied = sum(float(i.get("amount") or 0) for i in rec.get(self.settled_by) or [])
            rec["balance"] = _money(rec["total"] - applied - float(rec.get(REFUNDED) or 0))
        else:
            rec["balance"] = calc.open_balance(rec)
        self.refresh_status(ctx, rec)

    def refresh_status(self, ctx, rec) -> None:
        """Status from totals and dates; void stays void; ``due_days`` follows (none once paid)."""
        if rec.get("status") == "void":
            return
        rec["status"] = self.status(ctx, rec)
        if "due_days" in rec:
            rec["due_days"] = calc.due_days_text(rec.get("due_date"), ctx.today) if rec["status"] != "paid" else ""

    def after_write(self, ctx, old, new):
        refresh_contact(ctx, new.get(f"{self.party}_id"))
        if old and old.get(f"{self.party}_id") != new.get(f"{self.party}_id"):
            refresh_contact(ctx, old.get(f"{self.party}_id"))

    def check_delete(self, ctx, rec):
        if float(rec.get("payment_made") or 0) > 0 or float(rec.get("credits_applied") or 0) > 0 \
                or (self.settled_by and rec.get(self.settled_by)) \
                or float(rec.get(REFUNDED) or 0) > 0:  # a credit note applied to invoices, or refunded
            raise BooksAPIError(L.HAS_DEPENDENTS, label=ctx.spec.label)

    def after_delete(self, ctx, rec):
        refresh_contact(ctx, rec.get(f"{self.party}_id"))


def refresh_contact(ctx: WriteContext, contact_id: str | None) -> None:
    """A customer's outstanding receivable is the balance of its open invoices."""
    contact = ctx.get("contacts", contact_id)
    if contact is None:
        return
    invoices = [i for i in ctx.backend.records(ctx.org_id, "invoices") if i.get("customer_id") == contact_id]
    open_ = [i for i in invoices if i.get("status") not in ("draft", "void")]
    outstanding = _money(sum(float(i.get("balance") or 0) for i in open_))
    has_txn = bool(invoices) or any(b.get("vendor_id") == contact_id for b in ctx.backend.records(ctx.org_id, "bills"))
    payable, unused_payable = payables(ctx, contact_id)
    unused = unused_credits(ctx, contact_id)
    if contact.get("outstanding_receivable_amount") != outstanding or contact.get("has_transaction") != has_txn \
            or (contact.get("outstanding_payable_amount"), contact.get("unused_credits_payable_amount")) \
            != (payable, unused_payable) or contact.get("unused_credits_receivable_amount") != unused:
        contact = copy.deepcopy(contact)
        contact["outstanding_receivable_amount"] = outstanding
        contact["outstanding_receivable_amount_bcy"] = outstanding
        contact["has_transaction"] = has_txn
        contact["_has_overdue"] = any(i.get("status") == "overdue" for i in open_)
        contact["outstanding_payable_amount"], contact["unused_credits_payable_amount"] = payable, unused_payable
        contact["unused_credits_receivable_amount"] = contact["unused_credits_receivable_amount_bcy"] = unused
        ctx.put("contacts", contact)


def unused_credits(ctx: WriteContext, contact_id: str) -> float:
    """A customer's unused credits: its open credit notes' balances and its payments' unused amounts."""
    credits = sum(float(c.get("balance") or 0) for c in ctx.backend.records(ctx.org_id, "creditnotes")
                  if c.get("customer_id") == contact_id and c.get("status") == "open")
    return _money(credits + sum(float(p.get("unused_amount") or 0)
                                for p in ctx.backend.records(ctx.org_id, "customerpayments")
                                if p.get("customer_id") == contact_id))


def payables(ctx: WriteContext, contact_id: str) -> tuple[float, float]:
    """A vendor's outstanding payable (its open bills' balances) and unused credits (its open vendor
    credits' and its vendor payments' unused balances), as the seeder derives them."""
    sums = [0.0, 0.0]
    for resource, slot, open_ in (("bills", 0, ("open", "overdue", "partially_paid")),
                                  ("vendorcredits", 1, ("open",)), ("vendorpayments", 1, None)):
        for rec in ctx.backend.records(ctx.org_id, resource):
            if rec.get("vendor_id") == contact_id and (open_ is None or rec.get("status") in open_):
                sums[slot] += float(rec.get("balance") or 0)
    return _money(sums[0]), _money(sums[1])


# ---- payments ---------------------------------------------------------------------------------
class PaymentRules(WriteRules):
    """Customer payments settle invoices; vendor payments settle bills. Allocations live in the detail.

    ``target`` is the settled resource, ``target_rules`` its rules (for the status a payment moves).
    """

    schema = {
        "payment_mode": "str", "amount": "num", "date": "date", "reference_number": "str", "description": "str",
        "bank_charges": "num", "account_id": "id", "custom_fields": "list", "exchange_rate": "num",
        "paid_through_account_id": "id", "payment_number": "str", "location_id": "id",
    }

    def __init__(self, *, party: str, target: str, target_rules: DocumentRules,
                 messages: Mapping[str, str] | None = None) -> None:
        self.messages = dict(messages or {})
        self.party = party
        self.target = target
        self.target_rules = target_rules
        self.target_id = f"{target[:-1]}_id"  # invoice_id, bill_id
        self.target_number = f"{target[:-1]}_number"

    def schema_for(self, ctx):
        extra: dict[str, Kind] = {"check_details": "list"} if self.party == "vendor" else {}
        return {**super().schema_for(ctx), f"{self.party}_id": "id", self.target: "list", **extra}

    @property
    def required(self):  # type: ignore[override]
        return (f"{self.party}_id", "amount")

    def apply(self, ctx, rec, data, existing):
        party_key = f"{self.party}_id"
        if party_key in data:
            contact = ctx.get("contacts", data[party_key])
            if contact is None:
                raise invalid_value(party_key)
            rec[f"{self.party}_name"] = contact.get("contact_name")
            if "email" in rec:
                rec["email"] = contact.get("email") or ""
            if "billing_address" in rec:  # a vendor payment carries its vendor's billing address
                rec["billing_address"] = copy.deepcopy(contact.get("billing_address") or {})
        if "amount" in data and data["amount"] <= 0:
            raise invalid_value("amount")
        if data.get("paid_through_account_id") and "paid_through_account_name" in rec:
            account = ctx.get("chartofaccounts", data["paid_through_account_id"])
            if account is None:  # the account paid from must exist (vendor payments)
                raise invalid_value("paid_through_account_id")
            rec["paid_through_account_name"] = account.get("account_name")
            rec["paid_through_account_type"] = account.get("account_type")
        allocations = data.pop(self.target, None)
        given_check = data.pop("check_details", None)
        super().apply(ctx, rec, data, existing)
        if existing is None:
            rec["date"] = rec.get("date") or ctx.today
            rec["payment_mode"] = rec.get("payment_mode") or "cash"
            rec["currency_code"] = ctx.org.get("currency_code")
            rec["currency_symbol"] = ctx.org.get("currency_symbol")
            if "currency_id" in rec:
                rec["currency_id"] = ctx.org.get("currency_id")
            if "status" in rec:
                rec["status"] = "paid"
            rec[self.target] = []
        if allocations is not None:
            rec[self.target] = self.allocate(ctx, rec, allocations, existing)
        self.derive_balance(ctx, rec)
        if "check_details" in rec:  # vendor payments: one check object, empty when not paid by check
            rec["check_details"] = checks.check_details(rec, lambda: ctx.backend.new_id(ctx.org_id), given_check)
        if self.party == "customer":
            if "account_id" in data:
                account = ctx.get("chartofaccounts", data["account_id"]) if data["account_id"] else {}
                if account is None:
                    raise invalid_value("account_id")
                rec["account_name"] = account.get("account_name") or ""

    def derive_balance(self, ctx, rec) -> None:
        """What is left of the payment (customer: unused_amount, vendor: balance): its amount less what it
        settles and what was refunded (``_refunded``, facets/refunds.py); more than the amount: code 2."""
        applied = sum(a["amount_applied"] for a in rec[self.target])
        left = float(rec["amount"]) - applied - float(rec.get(REFUNDED) or 0)
        if left < -1e-9:
            raise invalid_value("amount")
        rec["bcy_amount"] = rec["amount"]
        numbers = ", ".join(a[self.target_number] for a in rec[self.target] if a.get(self.target_number))
        if self.party == "customer":
            rec["unused_amount"] = _money(left)
            rec["invoice_number"] = rec["invoice_numbers"] = numbers
            rec["bcy_unused_amount"] = _money(rec["unused_amount"] * float(rec.get("exchange_rate") or 1))
        else:
            rec["balance"] = rec["bcy_balance"] = _money(left)
            rec["bill_numbers"] = numbers

    def allocate(self, ctx, rec, rows, existing) -> list[dict[str, Any]]:
        rows = check_rows(self.target, rows, {self.target_id: "id", "amount_applied": "num"})
        previous = {a[self.target_id]: a["amount_applied"] for a in (existing or {}).get(self.target) or []}
        out = []
        for row in rows:
            tid = row.get(self.target_id)
            target = ctx.get(self.target, tid)
            if target is None or target.get(f"{self.party}_id") != rec.get(f"{self.party}_id"):
                raise invalid_value(self.target_id)
            amount = row.get("amount_applied")
            if amount is None or amount <= 0:
                raise invalid_value("amount_applied")
            if target.get("status") == "void":
                raise invalid_value(self.target_id)
            available = float(target.get("balance") or 0) + previous.get(tid, 0)
            if amount > available + 1e-9:
                raise BooksAPIError(L.OVER_APPLIED)
            out.append(self.allocation(ctx, target, amount))
        return out

    def allocation(self, ctx, target, amount) -> dict[str, Any]:
        """One row of the payment's ``invoices`` (customer) or ``bills`` (vendor) list."""
        if self.party == "vendor":
            return calc.bill_allocation(target, ctx.backend.new_id(ctx.org_id), amount)
        return {"invoice_payment_id": ctx.backend.new_id(ctx.org_id),
                "invoice_id": target["invoice_id"], "invoice_number": target.get("invoice_number"),
                "date": target.get("date"), "invoice_amount": target.get("total"), "amount_applied": amount,
                "balance_amount": _money(float(target.get("balance") or 0) - amount)}

    def after_write(self, ctx, old, new):
        self.settle(ctx, old, -1)
        self.settle(ctx, new, +1)
        refresh_contact(ctx, new.get(f"{self.party}_id"))

    @staticmethod
    def bill_payment_rows(bill: dict[str, Any], payment: Mapping[str, Any], alloc: Mapping[str, Any],
                          sign: int) -> None:
        """Add (sign > 0) or drop a vendor payment's row in the bill's ``payments`` (the seeder's shape)."""
        rows = [r for r in bill.get("payments") or [] if r.get("bill_payment_id") != alloc.get("bill_payment_id")]
        if sign > 0:
            rows.append({
                "payment_id": payment.get("payment_id"), "bill_id": bill.get("bill_id"),
                "bill_payment_id": alloc.get("bill_payment_id"), "payment_mode": payment.get("payment_mode"),
                "payment_number": payment.get("payment_number"), "description": payment.get("description") or "",
                "date": payment.get("date"), "reference_number": payment.get("reference_number") or "",
                "exchange_rate": payment.get("exchange_rate") or 1.0, "amount": alloc.get("amount_applied"),
                "paid_through_account_id": payment.get("paid_through_account_id") or "",
                "paid_through_account_name": payment.get("paid_through_account_name") or "",
                "is_single_bill_payment": len(payment.get("bills") or []) == 1, "is_ach_payment": False,
                "ach_payment_status": "", "ach_gw_transaction_id": ""})
        bill["payments"] = rows

    def check_delete(self, ctx, rec):
        """A payment with refunds is not deleted (the refunds go first: our choice, as for vendor credits)."""
        if float(rec.get(REFUNDED) or 0) > 0:
            raise BooksAPIError(L.HAS_DEPENDENTS, label=ctx.spec.label)

    def after_delete(self, ctx, rec):
        self.settle(ctx, rec, -1)
        refresh_contact(ctx, rec.get(f"{self.party}_id"))

    def settle(self, ctx, payment, sign: int) -> None:
        if not payment:
            return
        for alloc in payment.get(self.target) or []:
            target = ctx.get(self.target, alloc.get(self.target_id))
            if target is None:
                continue
            target = copy.deepcopy(target)
            calc.settle(target, sign * float(alloc["amount_applied"]), paid_on=payment.get("date"))
            if self.party == "vendor":  # a bill lists the payments made on it (bills.yml payments[])
                self.bill_payment_rows(target, payment, alloc, sign)
            if sign > 0:
                target["_sent"] = True
            self.target_rules.refresh_status(ctx, target)
            ctx.touch(target)
            ctx.put(self.target, target)


# ---- journals ---------------------------------------------------------------------------------
class JournalRules(WriteRules):
    # a draft journal is published; publishing a published one is refused (code 2, status)
    status_actions = {"publish": Transition(to="published", allowed_from=("draft",),
                                            message="Journal has been published.")}
    messages = {L.CREATED_MESSAGE: "The journal entry has been created.",
                L.UPDATED_MESSAGE: "The journal entry has been updated.",
                L.DELETED_MESSAGE: "The selected journal entry has been deleted."}
    schema = {"journal_date": "date", "reference_number": "str", "notes": "str", "journal_type": "str",
              "line_items": "list", "currency_id": "id", "exchange_rate": "num", "status": "str",
              "custom_fields": "list", "entry_number": "str"}
    required = ("journal_date", "line_items")

    def apply(self, ctx, rec, data, existing):
        one_of(data, "journal_type", ("cash", "both"))
        one_of(data, "status", ("draft", "published"))
        super().apply(ctx, rec, data, existing)
        if existing is None:
            rec["status"] = rec.get("status") or "published"
            rec["currency_id"] = rec.get("currency_id") or ctx.org.get("currency_id")
            rec["currency_code"] = ctx.org.get("currency_code")
            rec["currency_symbol"] = ctx.org.get("currency_symbol")
        if "line_items" in data:
            rows = check_rows("line_items", data["line_items"], {
                "account_id": "id", "debit_or_credit": "str", "amount": "num", "description": "str",
                "customer_id": "id", "tax_id": "id", "tags": "list", "line_id": "id", **LINE_TAX_SCHEMA})
            if len(rows) < 2:
                raise invalid_value("line_items")
            lines, debit, credit = [], 0.0, 0.0
            for row in rows:
                account = ledger_side(ctx, row)
                customer = ctx.get("contacts", row.get("customer_id"))
                if row.get("customer_id") and customer is None:
                    raise invalid_value("customer_id")
                amount = _money(row["amount"])
                debit += amount if row["debit_or_credit"] == "debit" else 0
                credit += amount if row["debit_or_credit"] == "credit" else 0
                line = {"line_id": row.get("line_id") or ctx.backend.new_id(ctx.org_id),
                        "account_id": row["account_id"], "account_name": account.get("account_name"),
                        "customer_id": row.get("customer_id") or "",
                        "customer_name": (customer or {}).get("contact_name", ""),
                        "description": row.get("description") or "", "debit_or_credit": row["debit_or_credit"],
                        "amount": amount, "bcy_amount": amount, "tags": line_tags(ctx, row.get("tags")),
                        "location_id": "", "location_name": "", "project_id": "", "project_name": "",
                        **journal_line_tax(ctx, row)}
                apply_tax(ctx, line, row.get("tax_id"), "tax_id")  # an unknown tax: code 2 naming tax_id
                lines.append(line)
            if abs(debit - credit) > 0.005:
                raise BooksAPIError(L.JOURNAL_UNBALANCED)
            rec["line_items"] = lines
            rec["taxes"] = journal_taxes(lines)
            rec["total"] = rec["bcy_total"] = rec["line_item_total"] = _money(debit)


def journal_taxes(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The journal's tax summary (journals.yml: taxes[] of tax_name, tax_amount, debit_or_credit and
    tax_account, a flag "Account for recording Tax"): each tax named on a line, on that line's side, at its
    percentage of the line's amount (the amount taken as before tax: our choice, Zoho does not say)."""
    totals: dict[tuple[str, str], float] = {}
    for line in lines:
        if line.get("tax_id"):
            key = (line["tax_name"], line["debit_or_credit"])
            totals[key] = totals.get(key, 0.0) + float(line["amount"]) * float(line.get("tax_percentage") or 0) / 100
    return [{"tax_name": name, "tax_amount": _money(amount), "debit_or_credit": side, "tax_account": True}
            for (name, side), amount in totals.items()]


# ---- contact persons (embedded in their contact) ----------------------------------------------------
class ContactPersonRules(WriteRules):
    schema = PERSON_SCHEMA
    required = ("first_name",)


# ---- the purchase side: purchase orders, vendor credits, expenses --------------------------------------
class PurchaseOrderRules(DocumentRules):
    """Purchase orders: vendor documents whose status moves only by status actions; the delivery address
    defaults to the organisation's (our choice, as the seeder does); one billed by a bill is not deleted."""

    def apply(self, ctx, rec, data, existing):
        if "delivery_address" in data:
            data["delivery_address"] = delivery_address(data["delivery_address"])
        if data.get("delivery_customer_id") and ctx.get("contacts", data["delivery_customer_id"]) is None:
            raise invalid_value("delivery_customer_id")
        super().apply(ctx, rec, data, existing)
        document_currency(ctx, rec, data)
        if existing is None:
            if not data.get("delivery_address"):
                rec["delivery_address"] = delivery_address({"address": ctx.org.get("name", ""),
                                                            "country": ctx.org.get("country", "")})
            rec.update(PO_TEMPLATE_PAGE)
            rec["template_name"] = rec.get("template_name") or TEMPLATE_NAME
            rec["can_send_in_mail"] = True
        if "delivery_date" in data and "expected_delivery_date" not in data:
            rec["expected_delivery_date"] = rec["delivery_date"]
        if rec.get("delivery_date") and rec["delivery_date"] < rec["date"]:
            raise invalid_value("delivery_date")
        rec["can_mark_as_bill"] = rec.get("status") == "open"

    def check_delete(self, ctx, rec):
        pid = rec.get("purchaseorder_id")
        if any(pid in (b.get("purchaseorder_ids") or []) for b in ctx.backend.records(ctx.org_id, "bills")):
            raise BooksAPIError(L.HAS_DEPENDENTS, label=ctx.spec.label)


def document_currency(ctx: WriteContext, rec: dict[str, Any], data: Mapping[str, Any]) -> None:
    """A purchase document's ``currency_id`` when the request names one (else the vendor's): it must be
    one of the organisation's currencies (code 2 naming it); code and symbol follow."""
    if not data.get("currency_id"):
        return
    cur = ctx.referenced("currencies", data["currency_id"], "currency_id")
    rec["currency_code"] = cur.get("currency_code")
    if "currency_symbol" in rec:
        rec["currency_symbol"] = cur.get("currency_symbol")


def delivery_address(value: Mapping[str, Any] | None) -> dict[str, Any]:
    """A purchase order's delivery address as stored: every documented key, flags as flags."""
    value = dict(value or {})
    flags = {f for f in DELIVERY_ADDRESS if f.startswith("is_")}
    out = {f: (False if f in flags else "") for f in DELIVERY_ADDRESS}
    for k, v in value.items():
        if k in out:
            out[k] = coerce(k, "bool" if k in flags else ("id" if k.endswith("_id") else "str"), v)
    return out


class VendorCreditRules(DocumentRules):
    """Vendor credits: settled by the bills they credit; ``comments`` is a list of comment rows; a credit
    applied to bills or refunded is neither deleted nor voided (the applications go first)."""

    def fresh(self, ctx):
        rec = super().fresh(ctx)
        rec["comments"] = []
        return rec

    def apply(self, ctx, rec, data, existing):
        super().apply(ctx, rec, data, existing)
        document_currency(ctx, rec, data)

    def check_delete(self, ctx, rec):
        if rec.get("bills_credited") or rec.get("vendor_credit_refunds"):
            raise BooksAPIError(L.HAS_DEPENDENTS, label=ctx.spec.label)


def nothing_applied(rec: Mapping[str, Any]) -> bool:
    return not rec.get("bills_credited") and not rec.get("vendor_credit_refunds")


def nothing_paid(rec: Mapping[str, Any]) -> bool:
    return not float(rec.get("payment_made") or 0) and not float(rec.get("vendor_credits_applied") or 0)


class ExpenseRules(WriteRules):
    """An expense: one amount on one expense account, paid through a bank, cash or card account, with an
    optional tax (exclusive unless ``is_inclusive_tax``), billable to a customer. Totals, names and the
    status (unbilled / non-billable; invoiced stays) are derived; an invoiced expense is not deleted."""

    schema = {
        "account_id": "id", "date": "date", "amount": "num", "tax_id": "id", "is_inclusive_tax": "bool",
        "is_billable": "bool", "reference_number": "str", "description": "str", "customer_id": "id",
        "currency_id": "id", "exchange_rate": "num", "project_id": "id", "paid_through_account_id": "id",
        "vendor_id": "id", "custom_fields": "list", "location_id": "id", "mileage_type": "str",
        "mileage_unit": "str", "mileage_rate": "num", "start_reading": "num", "end_reading": "num",
        "is_personal": "bool",
    }
    required = ("date", "account_id", "amount", "paid_through_account_id")
    create_status = 200  # expenses.yml's create answer (users and tax exemptions answer 200 too)
    messages = {L.CREATED_MESSAGE: "The expense has been recorded.",
                L.UPDATED_MESSAGE: "Expense information has been updated."}

    def apply(self, ctx, rec, data, existing):
        one_of(data, "mileage_type", ("non_mileage", "mileage"))
        if "amount" in data and data["amount"] <= 0:
            raise invalid_value("amount")
        for key, resource, name_key in (("account_id", "chartofaccounts", "account_name"),
                                        ("paid_through_account_id", "chartofaccounts", "paid_through_account_name"),
                                        ("customer_id", "contacts", "customer_name"),
                                        ("vendor_id", "contacts", "vendor_name")):
            if data.get(key):
                ref = ctx.get(resource, data[key])
                if ref is None:
                    raise invalid_value(key)
                rec[name_key] = ref.get("account_name" if resource == "chartofaccounts" else "contact_name")
            elif key in data:
                rec[name_key] = ""
        if data.get("currency_id") and ctx.get("currencies", data["currency_id"]) is None:
            raise invalid_value("currency_id")
        if data.get("is_billable") and not (data.get("customer_id") or rec.get("customer_id")):
            raise invalid_value("customer_id")
        base = data.get("amount")
        if base is None and existing is not None:
            base = existing.get("total") if existing.get("is_inclusive_tax") else existing.get("sub_total")
        super().apply(ctx, rec, data, existing)
        if existing is None:
            rec["currency_id"] = rec.get("currency_id") or ctx.org.get("currency_id")
            rec["currency_code"] = ctx.org.get("currency_code")
            rec["exchange_rate"] = rec.get("exchange_rate") or 1.0
            rec.update(expense_type="non-mileage", mileage_type=rec.get("mileage_type") or "non_mileage",
                       transaction_type="expense", is_itemized_expense=False)
        if "currency_id" in data:
            cur = ctx.get("currencies", rec["currency_id"])
            rec["currency_code"] = (cur or {}).get("currency_code") or ctx.org.get("currency_code")
        if "tax_id" in data:
            apply_tax(ctx, rec, data["tax_id"], "tax_id")
        self.totals(rec, float(base or 0))
        if rec.get("status") != "invoiced":
            rec["status"] = "unbilled" if rec.get("is_billable") else "non-billable"

    @staticmethod
    def totals(rec: dict[str, Any], base: float) -> None:
        pct = float(rec.get("tax_percentage") or 0) / 100
        if rec.get("is_inclusive_tax"):
            total = _money(base)
            sub = _money(base / (1 + pct))
        else:
            sub = _money(base)
            total = _money(base * (1 + pct))
        if total >= MAX_AMOUNT:
            raise invalid_value("amount")
        xr = float(rec.get("exchange_rate") or 1)
        rec.update(sub_total=sub, total_without_tax=sub, tax_amount=_money(total - sub), total=total, amount=total,
                   bcy_total=_money(total * xr), bcy_total_without_tax=_money(sub * xr))
        line = dict(rec.get("line_item") or {})
        line.update({f: rec.get(f, default_for(f)) for f in ("account_id", "account_name", "description", "tax_id",
                                                            "tax_name", "tax_type", "tax_percentage", "tax_amount",
                                                            "location_id")})
        line.update(item_total=sub, amount=total, item_order=1)
        rec["line_item"] = {f: line.get(f, default_for(f)) for f in EXPENSE_LINE}

    def after_write(self, ctx, old, new):
        if not new.get("transaction_id"):  # the expense's own transaction (as seeded): its id
            new = copy.deepcopy(new)
            new["transaction_id"] = new["expense_id"]
            if not new["line_item"].get("line_item_id"):
                new["line_item"]["line_item_id"] = ctx.backend.new_id(ctx.org_id)
            ctx.put("expenses", new)

    def check_delete(self, ctx, rec):
        if rec.get("status") == "invoiced":
            raise BooksAPIError(L.HAS_DEPENDENTS, label=ctx.spec.label)


class BillRules(DocumentRules):
    """Bills: vendor documents numbered by the caller. ``purchaseorder_ids`` name the vendor's purchase
    orders the bill bills (each must exist, be the vendor's and be open or billed already; a draft is opened
    first, as in Zoho's "convert to bill"): they are marked billed, and
    reopened when the bill is deleted or no longer names them. The due counts and the vendor's unused
    credits follow every write (due_by_days / due_in_days, unused_credits_payable_amount)."""

    def apply(self, ctx, rec, data, existing):
        super().apply(ctx, rec, data, existing)
        document_currency(ctx, rec, data)
        if "purchaseorder_ids" in data:
            ids = [coerce("purchaseorder_ids", "id", x) for x in data["purchaseorder_ids"]]
            rows = []
            for pid in dict.fromkeys(ids):
                po = ctx.get("purchaseorders", pid)
                if po is None or po.get("vendor_id") != rec.get("vendor_id") \
                        or po.get("status") not in ("open", "billed"):
                    raise invalid_value("purchaseorder_ids")
                rows.append({"purchaseorder_id": pid, "purchaseorder_number": po.get("purchaseorder_number"),
                             "purchaseorder_date": po.get("date"), "purchaseorder_status": "billed"})
            rec["purchaseorder_ids"] = [r["purchaseorder_id"] for r in rows]
            rec["purchaseorders"] = rows
        rec["unused_credits_payable_amount"] = vendor_unused_credits(ctx, rec.get("vendor_id"))

    def refresh_status(self, ctx, rec):
        super().refresh_status(ctx, rec)
        settled = rec.get("status") in ("paid", "void")
        rec["due_by_days"], rec["due_in_days"] = ("", 0) if settled else calc.due_counts(rec.get("due_date"), ctx.today)

    def after_write(self, ctx, old, new):
        super().after_write(ctx, old, new)
        before = set((old or {}).get("purchaseorder_ids") or [])
        after = set(new.get("purchaseorder_ids") or [])
        self._mark_orders(ctx, after - before, "billed")
        self._mark_orders(ctx, before - after, "open")

    def after_delete(self, ctx, rec):
        super().after_delete(ctx, rec)
        self._mark_orders(ctx, set(rec.get("purchaseorder_ids") or []), "open")

    @staticmethod
    def _mark_orders(ctx: WriteContext, ids: set[str], status: str) -> None:
        for pid in sorted(ids):
            po = ctx.get("purchaseorders", pid)
            if po is None or po.get("status") == status:
                continue
            po = copy.deepcopy(po)
            po.update(status=status, can_mark_as_bill=status == "open", can_mark_as_unbill=status == "billed")
            ctx.touch(po)
            ctx.put("purchaseorders", po)


def vendor_unused_credits(ctx: WriteContext, vendor_id: str | None) -> float:
    """What a vendor has left to apply: its open vendor credits' and its payments' unused balances."""
    if not vendor_id:
        return 0.0
    credits = sum(float(v.get("balance") or 0) for v in ctx.backend.records(ctx.org_id, "vendorcredits")
                  if v.get("vendor_id") == vendor_id and v.get("status") == "open")
    paid = sum(float(p.get("balance") or 0) for p in ctx.backend.records(ctx.org_id, "vendorpayments")
               if p.get("vendor_id") == vendor_id)
    return _money(credits + paid)


@dataclass(frozen=True)
class ApplyCredits:
    """``POST /vendorcredits/{id}/bills`` ``{"bills": [{"bill_id", "amount_applied"}]}``: apply an open
    credit to its vendor's bills. Each bill must be the vendor's and not void, each amount positive and
    within the bill's balance, their sum within the credit's balance (else code 2). The bills' balances,
    statuses and ``vendor_credits`` rows move with it (``target_rules``: the bills' rules), and so do the
    credit's ``bills_credited``, balance and status (closed once used up)."""

    target_rules: Any  # DocumentRules of the bills
    message: str
    http_status: int = 201
    answer_keys: tuple[str, ...] = ("bills",)  # what the answer carries beside code and message

    def run(self, ctx: WriteContext, rules: WriteRules, rec: dict[str, Any],
            body: Mapping[str, Any]) -> dict[str, Any]:
        if rec.get("status") != "open":
            raise invalid_value("status")
        rows = body.get("bills")
        if not isinstance(rows, list) or not rows:
            raise invalid_value("bills")
        rows = check_rows("bills", rows, {"bill_id": "id", "amount_applied": "num"})
        if sum(float(r.get("amount_applied") or 0) for r in rows) > float(rec.get("balance") or 0) + 1e-9:
            raise BooksAPIError(L.OVER_APPLIED)
        applied = []
        for row in rows:
            bill = ctx.get("bills", row.get("bill_id"))
            if bill is None or bill.get("vendor_id") != rec.get("vendor_id") or bill.get("status") == "void":
                raise invalid_value("bill_id")
            amount = row.get("amount_applied")
            if amount is None or amount <= 0:
                raise invalid_value("amount_applied")
            if amount > float(bill.get("balance") or 0) + 1e-9:
                raise BooksAPIError(L.OVER_APPLIED)
            link = ctx.backend.new_id(ctx.org_id)
            bill = copy.deepcopy(bill)
            calc.settle(bill, amount, applied="vendor_credits_applied")
            bill.setdefault("vendor_credits", []).append({
                "vendor_credit_id": rec["vendor_credit_id"], "vendor_credit_bill_id": link,
                "vendor_credit_number": rec.get("vendor_credit_number"), "date": ctx.today, "amount": amount})
            self.target_rules.refresh_status(ctx, bill)
            ctx.touch(bill)
            ctx.put("bills", bill)
            rec.setdefault("bills_credited", []).append({
                "vendor_credit_id": rec["vendor_credit_id"], "bill_id": bill["bill_id"], "vendor_credit_bill_id": link,
                "date": ctx.today, "bill_number": bill.get("bill_number"), "amount": amount})
            applied.append({"bill_id": bill["bill_id"], "amount_applied": amount})
        rec["total_credits_used"] = _money(sum(float(b.get("amount") or 0) for b in rec["bills_credited"]))
        rules.derive_balance(ctx, rec)
        return {"bills": applied}


# ---- sales side (issue 13): references, status moves, quotes and orders ------------------------------
def require_currency(ctx: WriteContext, currency_id: str) -> None:
    """A currency_id must name one of the org's currencies (as an unknown customer_id is refused: code 2)."""
    if currency_id != ctx.org.get("currency_id") and ctx.get("currencies", currency_id) is None:
        raise invalid_value("currency_id")


def move_to(status: str, *allowed_from: str) -> Callable[[dict[str, Any]], None]:
    """A status action: ``status`` from one of ``allowed_from``; from any other status code 2 naming
    ``status`` (our choice of code, as for an action on a void document)."""
    def move(rec: dict[str, Any]) -> None:
        if rec.get("status") not in allowed_from:
            raise invalid_value("status")
        rec["status"] = status
    return move


AWAITING_SEND = ("pending_approval", "approved")  # the approval workflow's statuses before a document goes out


def approved_first(move: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    """A move refused (code 2 naming status) while the document awaits approval."""
    def guarded(rec: dict[str, Any]) -> None:
        if rec.get("status") == "pending_approval":
            raise invalid_value("status")
        move(rec)
    return guarded


def write_off(ctx: WriteContext, rec: dict[str, Any], body: dict[str, Any]) -> None:
    """POST /invoices/{id}/writeoff: what is left to pay is written off (the invoice is then paid); only
    an invoice sent and not yet paid has anything to write off (else code 2 naming status)."""
    if rec.get("status") in ("draft", "void", "paid", *AWAITING_SEND) or float(rec.get("balance") or 0) <= 0:
        raise invalid_value("status")
    rec["write_off_amount"] = _money(float(rec.get("write_off_amount") or 0) + float(rec["balance"]))
    rec["balance"] = calc.open_balance(rec)


def cancel_write_off(ctx: WriteContext, rec: dict[str, Any], body: dict[str, Any]) -> None:
    """POST /invoices/{id}/writeoff/cancel: the written-off amount is owed again (none: code 2 naming status)."""
    if not float(rec.get("write_off_amount") or 0):
        raise invalid_value("status")
    rec["write_off_amount"] = 0.0
    rec["balance"] = calc.open_balance(rec)


def credit_applier(target_rules: WriteRules) -> Callable[[WriteContext, dict[str, Any], dict[str, Any]], None]:
    """POST /creditnotes/{id}/invoices {"invoices": [{invoice_id, amount_applied}]}: an open credit note
    settles open invoices of its customer (each amount within the invoice's balance and, all together,
    the credit's: else code 2 naming amount_applied); the invoices' credits_applied, balances and
    statuses (``target_rules``) move, the credit's balance and total_credits_used follow."""
    def apply(ctx: WriteContext, rec: dict[str, Any], body: dict[str, Any]) -> None:
        if rec.get("status") != "open":
            raise invalid_value("status")
        rows = check(body, {"invoices": "list"}).get("invoices")
        if not rows:
            raise invalid_value("invoices")
        left = float(rec.get("balance") or 0)
        for row in check_rows("invoices", rows, {"invoice_id": "id", "amount_applied": "num"}):
            invoice = ctx.get("invoices", row.get("invoice_id"))
            if invoice is None or invoice.get("customer_id") != rec.get("customer_id") \
                    or invoice.get("status") in ("draft", "void", *AWAITING_SEND):
                raise invalid_value("invoice_id")
            amount = row.get("amount_applied")
            if amount is None or amount <= 0:
                raise invalid_value("amount_applied")
            if amount > float(invoice.get("balance") or 0) + 1e-9 or amount > left + 1e-9:
                raise BooksAPIError(L.OVER_APPLIED)
            left -= amount
            invoice = copy.deepcopy(invoice)
            calc.settle(invoice, amount, applied="credits_applied")
            target_rules.refresh_status(ctx, invoice)
            ctx.touch(invoice)
            ctx.put("invoices", invoice)
            rec.setdefault("invoices", []).append({"invoice_id": invoice["invoice_id"],
                                                   "invoice_number": invoice.get("invoice_number"), "amount": amount})
            add_link_meta(rec, "invoices", {"creditnote_invoice_id": ctx.backend.new_id(ctx.org_id), "date": ctx.today})
        used = sum(float(i.get("amount") or 0) for i in rec["invoices"])
        rec["total_credits_used"] = _money(used)
        rec["balance"] = _money(float(rec["total"]) - used)
    return apply


CREDIT_LINKS = "_invoice_links"  # a credit note's creditnote_invoice_id and date of each ``invoices`` row, in order


def add_link_meta(rec: dict[str, Any], rows: str, meta: dict[str, Any]) -> None:
    """Note the id and date of the row just appended to ``rec[rows]`` (credit notes: their documented
    ``invoices`` rows show neither), aligned with the rows; older rows without one stay without."""
    metas = rec.setdefault(CREDIT_LINKS, [])
    metas.extend([{}] * (len(rec.get(rows) or []) - 1 - len(metas)))
    metas.append(meta)


def keeps_draft(status: Callable[[WriteContext, dict[str, Any]], str]) -> Callable[[WriteContext, dict[str, Any]], str]:
    """A numbers-derived status that leaves a draft a draft (a credit note marked draft stays one), and one
    in the approval workflow where it is."""
    def derived(ctx: WriteContext, rec: dict[str, Any]) -> str:
        return rec["status"] if rec.get("status") in ("draft",) + AWAITING_SEND else status(ctx, rec)
    return derived


def order_status(ctx: WriteContext, rec: dict[str, Any]) -> str:
    """Quotes and orders: the status the actions set; a sent estimate past its expiry date is expired
    and an open sales order past its shipment date overdue (as the seeder has them)."""
    status = rec.get("status") or "draft"
    if status == "draft" and rec.get("_sent"):
        status = "sent"
    if status == "sent" and rec.get("expiry_date") and rec["expiry_date"] < ctx.today:
        return "expired"
    if status == "open" and rec.get("shipment_date") and rec["shipment_date"] < ctx.today:
        return "overdue"
    return status



def associated_person(person: Mapping[str, Any]) -> dict[str, Any]:
    """A contact person as a document's contact_persons_associated row (invoices.yml)."""
    row = {f: person.get(f, default_for(f)) for f in CONTACT_PERSON_ASSOCIATED}
    row["contact_person_name"] = f"{person.get('first_name') or ''} {person.get('last_name') or ''}".strip()
    row["contact_person_email"] = person.get("email") or ""
    row["communication_preference"] = {"is_email_enabled": bool(person.get("email")),
                                       **(person.get("communication_preference") or {})}
    return row


def associate_persons(ctx: WriteContext, rec: dict[str, Any], contact_id: str | None, ids: list | None) -> None:
    """A sales document's persons: ``ids`` (the body's contact_persons, each one of the customer's, else
    code 2 naming contact_persons), by default the customer's primary person; rendered as
    contact_persons (ids), contact_persons_associated and an invoice's contact_persons_details."""
    contact = ctx.get("contacts", contact_id) or {}
    people = {p.get("contact_person_id"): p for p in contact.get("contact_persons") or []}
    if ids is None:
        chosen = [p for p in people.values() if p.get("is_primary_contact")][:1]
    else:
        chosen = []
        for pid in ids:
            person = people.get(str(pid)) if isinstance(pid, (str, int)) and not isinstance(pid, bool) else None
            if person is None:
                raise invalid_value("contact_persons")
            chosen.append(person)
    if "contact_persons" in rec:
        rec["contact_persons"] = [p["contact_person_id"] for p in chosen]
    rec["contact_persons_associated"] = [associated_person(p) for p in chosen]
    if "contact_persons_details" in rec:
        rec["contact_persons_details"] = [{f: p.get(f) or "" for f in CONTACT_PERSON_DETAILS} for p in chosen]


class OrderRules(DocumentRules):
    """Estimates and sales orders: customer documents with lines and totals but no balance, whose
    status only the status actions move (``order_status``). ``dates`` are the date fields beyond
    ``date`` (expiry, shipment: never before the date); ``stamped`` the date an action records
    (an accepted estimate's accepted_date); ``contact_persons`` (ids of the customer's persons) pick
    the associated persons, by default the customer's primary one."""

    def __init__(self, *, dates: tuple[str, ...], extra_schema: Mapping[str, Kind],
                 status_actions: Mapping[str, Callable[[dict[str, Any]], None]],
                 status_messages: Mapping[str, str], stamped: Mapping[str, str] | None = None,
                 line_extra: tuple[str, ...] = ()) -> None:
        super().__init__(party="customer", status=order_status, status_actions=status_actions,
                         line_defaults={f: default_for(f) for f in line_extra})
        self.dates = dates
        self.extra_schema = {**{d: "date" for d in dates}, **extra_schema, "contact_persons": "list"}
        self.status_messages = dict(status_messages)
        self.stamped = dict(stamped or {})

    def schema_for(self, ctx):
        return {**super().schema_for(ctx), **self.extra_schema}

    def apply(self, ctx, rec, data, existing):
        super().apply(ctx, rec, data, existing)
        for line in rec.get("line_items") or []:
            if "item_total_inclusive_of_tax" in line:
                line["item_total_inclusive_of_tax"] = calc.inclusive_total(line)
        for field in self.dates:
            if rec.get(field) and rec[field] < rec["date"]:
                raise invalid_value(field)
        if "shipment_days" in rec and rec.get("shipment_date"):
            rec["shipment_days"] = (date.fromisoformat(rec["shipment_date"]) - date.fromisoformat(rec["date"])).days
        if "bcy_total" in rec:
            rec["bcy_total"] = _money(float(rec["total"]) * float(rec.get("exchange_rate") or 1))
        if existing is None and "orientation" in rec:  # a sales order: its template's page, as a purchase order's
            rec.update(PO_TEMPLATE_PAGE, can_send_in_mail=True, price_precision=ctx.org.get("price_precision") or 2)
            rec["template_name"] = rec.get("template_name") or TEMPLATE_NAME
        if "project" in rec and (existing is None or "project_id" in data):  # estimates.yml's project object
            project = ctx.get("projects", rec.get("project_id")) if rec.get("project_id") else None
            if rec.get("project_id") and project is None:
                raise invalid_value("project_id")
            rec["project"] = {"project_id": (project or {}).get("project_id", ""),
                              "project_name": (project or {}).get("project_name", "")}

    def derive_balance(self, ctx, rec) -> None:
        """No balance: quotes and orders are not settled."""
        rec.pop("balance", None)
        self.refresh_status(ctx, rec)

    def after_status(self, ctx, rec, action):
        if action in self.stamped:
            rec[self.stamped[action]] = ctx.today
        super().after_status(ctx, rec, action)

    def check_delete(self, ctx, rec):
        """Nothing settles a quote or an order: any may be deleted (our choice)."""


# ---- accounting: chart of accounts, bank accounts, bank transactions, taxes, currencies, users --------
def _values_at(rec: Mapping[str, Any], path: str) -> list[Any]:
    """A record's values at ``field`` or ``list.field`` (every row), for reference scans."""
    head, _, tail = path.partition(".")
    value = rec.get(head)
    if not tail:
        return [value]
    rows = value if isinstance(value, list) else [value] if isinstance(value, dict) else []
    return [row.get(tail) for row in rows if isinstance(row, dict)]


def referenced(ctx: WriteContext, rid: str, places: tuple[tuple[str, str], ...]) -> bool:
    """Whether any record of ``places`` ((resource, path), ...) points at ``rid``."""
    return any(rid in _values_at(r, path) for resource, path in places
               for r in ctx.backend.records(ctx.org_id, resource))


def line_tags(ctx: WriteContext, tags: list | None) -> list[dict[str, Any]]:
    """A line's reporting tags as Zoho answers them: each ``{tag_id, tag_option_id}`` of the body with
    its tag's and option's names and whether the tag is mandatory; an unknown tag or option is code 2
    naming ``tag_id`` / ``tag_option_id``."""
    out = []
    for row in check_rows("tags", tags or [], {"tag_id": "id", "tag_option_id": "id"}):
        tag = ctx.referenced("reportingtags", row.get("tag_id"), "tag_id")
        option = next((o for o in tag.get("options") or [] if o.get("option_id") == row.get("tag_option_id")), None)
        if option is None:
            raise invalid_value("tag_option_id")
        out.append({"tag_id": tag["tag_id"], "tag_option_id": option["option_id"], "tag_name": tag.get("tag_name", ""),
                    "tag_option_name": option.get("option_name", ""), "is_tag_mandatory": bool(tag.get("is_mandatory"))})
    return out


def ledger_side(ctx: WriteContext, row: Mapping[str, Any]) -> dict[str, Any]:
    """One debit or credit row (a journal's line, an opening balance's account): its account, which must
    exist, a side and an amount of at least 0 (code 2 naming the field otherwise)."""
    account = ctx.referenced("chartofaccounts", row.get("account_id"), "account_id")
    if row.get("debit_or_credit") not in ("debit", "credit"):
        raise invalid_value("debit_or_credit")
    if row.get("amount") is None or row["amount"] < 0:
        raise invalid_value("amount")
    return account


def unique(ctx: WriteContext, resources: tuple[str, ...], field: str, value: str | None, rid: Any, label: str) -> None:
    """``field`` is unique (case-insensitive) across ``resources``: Zoho's "already exists" otherwise."""
    if not value:
        return
    for resource in resources:
        for other in ctx.backend.records(ctx.org_id, resource):
            if str(other.get(field) or "").lower() == value.lower() and other.get(ctx.spec.id_field) != rid:
                raise BooksAPIError(L.ALREADY_EXISTS, label=label, value=value)


def _currency(ctx: WriteContext, rec: dict[str, Any], data: Mapping[str, Any],
              existing: Mapping[str, Any] | None) -> None:
    """currency_id (or currency_code) must name a currency of the org; a new record takes the base one."""
    if data.get("currency_id"):
        cur = ctx.referenced("currencies", data["currency_id"], "currency_id")
    elif data.get("currency_code"):
        cur = next((c for c in ctx.backend.records(ctx.org_id, "currencies")
                    if c.get("currency_code") == data["currency_code"]), None)
        if cur is None:
            raise invalid_value("currency_code")
    elif existing is None:
        cur = ctx.get("currencies", ctx.org.get("currency_id")) or {
            "currency_id": ctx.org.get("currency_id"), "currency_code": ctx.org.get("currency_code"),
            "currency_symbol": ctx.org.get("currency_symbol"), "price_precision": 2}
    else:
        return
    rec["currency_id"], rec["currency_code"] = cur.get("currency_id"), cur.get("currency_code")
    for key in ("currency_symbol", "price_precision"):
        if key in rec:
            rec[key] = cur.get(key, rec[key])


def _flag(field: str, value: Any, *, refuse_from: tuple[Any, ...] = ()) -> Callable[..., None]:
    """An action that sets ``field`` to ``value``; code 2 (status) when the record is in ``refuse_from``."""
    def apply(ctx: WriteContext, rec: dict[str, Any], body: Any) -> None:
        if rec.get(field) in refuse_from:
            raise invalid_value("status")
        rec[field] = value
    return apply


BANK_ACCOUNT_TYPES = ("bank", "credit_card")  # chart accounts that are bank accounts too
# Where an account may be used: a used account cannot be deleted (L.HAS_DEPENDENTS).
ACCOUNT_USES: tuple[tuple[str, str], ...] = (
    ("accounttransactions", "account_id"), ("banktransactions", "account_id"), ("banktransactions", "from_account_id"),
    ("banktransactions", "to_account_id"), ("journals", "line_items.account_id"), ("items", "account_id"),
    ("items", "purchase_account_id"), ("expenses", "account_id"), ("expenses", "paid_through_account_id"),
    ("customerpayments", "account_id"), ("vendorpayments", "paid_through_account_id"),
    ("invoices", "line_items.account_id"), ("bills", "line_items.account_id"), ("creditnotes", "line_items.account_id"),
    ("chartofaccounts", "parent_account_id"))


class AccountRules(WriteRules):
    """The chart of accounts: a named, typed account, unique by name; a bank or card account is also a
    bank account (one account_id, as the seeder makes them); a used or system account is never deleted."""

    schema = {"account_name": "str", "account_code": "str", "account_type": "str", "currency_id": "id",
              "description": "str", "show_on_dashboard": "bool", "can_show_in_ze": "bool", "custom_fields": "list",
              "parent_account_id": "id"}
    required = ("account_name", "account_type")
    messages = {L.UPDATED_MESSAGE: "The details of the account have been updated."}

    def __init__(self, account_types: frozenset[str]) -> None:
        self.account_types = account_types

    def apply(self, ctx, rec, data, existing):
        if "account_type" in data and data["account_type"] not in self.account_types:
            raise invalid_value("account_type")
        if existing is not None and existing.get("is_system_account") and \
                data.get("account_type", existing.get("account_type")) != existing.get("account_type"):
            raise invalid_value("account_type")  # a system account keeps its type
        if existing is not None and data.get("account_type") not in (None, *BANK_ACCOUNT_TYPES) and \
                ctx.get("bankaccounts", existing.get("account_id")) is not None:
            raise invalid_value("account_type")  # a bank or card account stays one
        unique(ctx, ("chartofaccounts",), "account_name", data.get("account_name"), rec.get("account_id"), "Account")
        parent_id = data.pop("parent_account_id", None)
        super().apply(ctx, rec, data, existing)
        _currency(ctx, rec, data, existing)
        if existing is None:
            rec.update(is_user_created=True, is_system_account=False, is_active=True, is_standalone_account=False,
                       is_involved_in_transaction=False, current_balance=0.0, closing_balance=0.0,
                       can_show_in_ze=rec.get("can_show_in_ze") is True, is_child_present=False, child_count=0,
                       depth=0)
        if parent_id is not None:
            parent = ctx.get("chartofaccounts", parent_id) if parent_id else None
            if parent_id and (parent is None or parent.get("account_type") != rec.get("account_type")
                              or self._below(ctx, parent, rec.get("account_id"))):
                raise invalid_value("parent_account_id")  # unknown, of another type, or a cycle
            rec["parent_account_id"] = parent_id
            rec["parent_account_name"] = (parent or {}).get("account_name", "")
            rec["depth"] = int((parent or {}).get("depth") or 0) + 1 if parent else 0

    @staticmethod
    def _below(ctx: WriteContext, account: Mapping[str, Any], aid: str | None) -> bool:
        """Whether ``account`` is ``aid`` or one of its sub-accounts (a parent there would make a cycle)."""
        seen: set[str] = set()
        while account is not None and aid and account.get("account_id") not in seen:
            if account.get("account_id") == aid:
                return True
            seen.add(account.get("account_id"))
            account = ctx.get("chartofaccounts", account.get("parent_account_id"))
        return False

    def after_write(self, ctx, old, new):
        if old and old.get("parent_account_id") != new.get("parent_account_id"):
            self._recount(ctx, old.get("parent_account_id"))
        self._recount(ctx, new.get("parent_account_id"))
        bank = ctx.get("bankaccounts", new.get("account_id"))
        if bank is None and new.get("account_type") in BANK_ACCOUNT_TYPES:  # a new bank or card account
            bank = fresh_record(WriteContext(ctx.backend, ctx.org, _spec_of(ctx, "bankaccounts")))
            cur = ctx.get("currencies", new.get("currency_id")) or {}
            bank.update(account_id=new["account_id"], balance=0.0, bank_balance=0.0, bcy_balance=0.0,
                        currency_symbol=cur.get("currency_symbol", ctx.org.get("currency_symbol")),
                        price_precision=cur.get("price_precision", 2), _ct=new.get("_ct"))
        if bank is not None:  # the same account seen from banking
            bank = copy.deepcopy(bank)
            bank.update({k: new.get(k) for k in ("account_name", "account_code", "account_type", "is_active",
                                                 "description", "currency_id", "currency_code")})
            ctx.touch(bank)
            ctx.put("bankaccounts", bank)

    def _recount(self, ctx: WriteContext, parent_id: str | None) -> None:
        parent = ctx.get("chartofaccounts", parent_id)
        if parent is None:
            return
        count = sum(1 for a in ctx.backend.records(ctx.org_id, "chartofaccounts")
                    if a.get("parent_account_id") == parent_id)
        if (parent.get("child_count"), parent.get("is_child_present")) != (count, count > 0):
            parent = dict(parent, child_count=count, is_child_present=count > 0)
            ctx.put("chartofaccounts", parent)

    def check_delete(self, ctx, rec):
        if rec.get("is_system_account") or rec.get("is_involved_in_transaction") or \
                referenced(ctx, rec["account_id"], ACCOUNT_USES):
            raise BooksAPIError(L.HAS_DEPENDENTS, label="Account")

    def after_delete(self, ctx, rec):
        if ctx.get("bankaccounts", rec["account_id"]) is not None:
            ctx.backend.delete_record(ctx.org_id, "bankaccounts", rec["account_id"])
        self._recount(ctx, rec.get("parent_account_id"))


class BankAccountRules(WriteRules):
    """Bank and credit card accounts: each is also an account of the chart (same account_id)."""

    schema = {"account_name": "str", "account_type": "str", "account_number": "str", "account_code": "str",
              "currency_id": "id", "currency_code": "str", "description": "str", "bank_name": "str",
              "routing_number": "str", "is_primary_account": "bool", "is_paypal_account": "bool",
              "paypal_type": "str", "paypal_email_address": "str"}
    required = ("account_name", "account_type")
    messages = {L.CREATED_MESSAGE: "The account has been created.",
                L.UPDATED_MESSAGE: "The details of the account has been updated.",
                L.DELETED_MESSAGE: "The account has been deleted."}

    def apply(self, ctx, rec, data, existing):
        one_of(data, "account_type", BANK_ACCOUNT_TYPES)
        one_of(data, "paypal_type", ("standard", "express"))
        unique(ctx, ("chartofaccounts",), "account_name", data.get("account_name"), rec.get("account_id"), "Account")
        super().apply(ctx, rec, data, existing)
        _currency(ctx, rec, data, existing)
        if existing is None:
            rec.update(is_active=True, balance=0.0, bank_balance=0.0, bcy_balance=0.0, uncategorized_transactions=0,
                       total_unprinted_checks=0, is_feeds_subscribed=False, is_feeds_active=False,
                       is_system_account=False, is_show_warning_for_feeds_refresh=False)

    def after_write(self, ctx, old, new):
        aid = new["account_id"]
        account = copy.deepcopy(ctx.get("chartofaccounts", aid) or fresh_record(
            WriteContext(ctx.backend, ctx.org, _spec_of(ctx, "chartofaccounts"))))
        if old is None and not ctx.get("chartofaccounts", aid):
            account.update(account_id=aid, is_user_created=True, is_system_account=False, is_active=True,
                           can_show_in_ze=True, current_balance=0.0, closing_balance=0.0,
                           created_time=new.get("created_time"), _ct=new.get("_ct"))
        account.update({k: new.get(k) for k in ("account_name", "account_code", "account_type", "is_active",
                                                "description", "currency_id", "currency_code")})
        account["_role"] = "bank"
        ctx.touch(account)
        ctx.put("chartofaccounts", account)
        if new.get("is_primary_account") and not (old or {}).get("is_primary_account"):
            for other in ctx.backend.records(ctx.org_id, "bankaccounts"):
                if other.get("account_id") != aid and other.get("is_primary_account"):
                    ctx.put("bankaccounts", dict(other, is_primary_account=False))

    def check_delete(self, ctx, rec):
        if referenced(ctx, rec["account_id"], ACCOUNT_USES):
            raise BooksAPIError(L.HAS_DEPENDENTS, label="Account")

    def after_delete(self, ctx, rec):
        if ctx.get("chartofaccounts", rec["account_id"]) is not None:
            ctx.backend.delete_record(ctx.org_id, "chartofaccounts", rec["account_id"])


def _spec_of(ctx: WriteContext, name: str) -> Any:
    """Another resource's description (resources imports this module: looked up at run time)."""
    return ctx.backend.spec(name)


# Bank transactions a client may create (bank-transactions.yml): +1 puts money into the bank account
# (to_account_id), -1 takes it out (from_account_id). The seeder's BANK_TYPES uses the same signs.
BANK_TXN_DIRECTIONS: dict[str, int] = {
    "deposit": 1, "sales_without_invoices": 1, "expense_refund": 1, "owner_contribution": 1, "interest_income": 1,
    "other_income": 1, "refund": -1, "transfer_fund": -1, "card_payment": -1, "owner_drawings": -1,
    "sales_return": -1}


class BankTransactionRules(WriteRules):
    """A manually added bank transaction: money into or out of a bank account, the other side any account
    of the chart (another bank account for a transfer); balances follow every write and delete."""

    schema = {"from_account_id": "id", "to_account_id": "id", "transaction_type": "str", "amount": "num",
              "payment_mode": "str", "exchange_rate": "num", "date": "date", "customer_id": "id",
              "reference_number": "str", "description": "str", "currency_id": "id", "tax_id": "id",
              "is_inclusive_tax": "bool", "tags": "list", "bank_charges": "num", "custom_fields": "list"}
    required = ("transaction_type", "amount")
    messages = {L.CREATED_MESSAGE: "The bank transaction has been recorded.",
                L.UPDATED_MESSAGE: "The bank transaction has been updated."}

    def apply(self, ctx, rec, data, existing):
        if "transaction_type" in data and data["transaction_type"] not in BANK_TXN_DIRECTIONS:
            raise invalid_value("transaction_type")
        if "amount" in data and data["amount"] <= 0:
            raise invalid_value("amount")
        super().apply(ctx, rec, data, existing)
        sign = BANK_TXN_DIRECTIONS.get(rec.get("transaction_type") or "")
        if sign is None:  # expenses, payments ... are written through their own modules
            raise invalid_value("transaction_type")
        ours, theirs = ("to_account_id", "from_account_id") if sign > 0 else ("from_account_id", "to_account_id")
        bank = ctx.get("bankaccounts", rec.get(ours))
        if bank is None:
            raise invalid_value(ours)
        other = ctx.get("chartofaccounts", rec.get(theirs)) if rec.get(theirs) else None
        if rec.get(theirs) and other is None:
            raise invalid_value(theirs)
        if rec.get(theirs) == rec.get(ours):
            raise invalid_value(theirs)
        rec[ours.replace("_id", "_name")] = bank.get("account_name")
        rec[theirs.replace("_id", "_name")] = (other or {}).get("account_name", "")
        customer = ctx.get("contacts", rec.get("customer_id")) if rec.get("customer_id") else None
        if rec.get("customer_id") and customer is None:
            raise invalid_value("customer_id")
        if "tax_id" in data:
            if data["tax_id"] and ctx.get("taxes", data["tax_id"]) is None:
                raise invalid_value("tax_id")
        tax = ctx.get("taxes", rec.get("tax_id")) if rec.get("tax_id") else None
        if existing is None:
            rec.update(date=rec.get("date") or ctx.today, status="manually_added", source="manual",
                       exchange_rate=rec.get("exchange_rate") or 1.0, payment_mode=rec.get("payment_mode") or "",
                       is_rule_exist=False, is_offsetaccount_matched=False, imported_transaction_id="")
            if "is_paid_via_print_check" in rec:  # an edition field: a flag, never the "" of a new field
                rec["is_paid_via_print_check"] = False
        if "currency_id" in data and data["currency_id"] and ctx.get("currencies", data["currency_id"]) is None:
            raise invalid_value("currency_id")
        cur = ctx.get("currencies", rec.get("currency_id") or bank.get("currency_id")) or {}
        rec.update(account_id=bank["account_id"], account_name=bank.get("account_name"),
                   account_type=bank.get("account_type"), currency_id=cur.get("currency_id", bank.get("currency_id")),
                   currency_code=cur.get("currency_code", bank.get("currency_code")),
                   currency_symbol=cur.get("currency_symbol", ctx.org.get("currency_symbol")),
                   price_precision=cur.get("price_precision", 2), debit_or_credit="debit" if sign > 0 else "credit",
                   offset_account_name=(other or {}).get("account_name", ""),
                   customer_name=(customer or {}).get("contact_name", ""),
                   payee=(customer or {}).get("contact_name", "") or rec.get("payee") or "",
                   tax_name=(tax or {}).get("tax_name", ""), tax_percentage=(tax or {}).get("tax_percentage", 0))
        amount, pct = float(rec["amount"]), float((tax or {}).get("tax_percentage") or 0)
        tax_amount = _money(amount * pct / (100 + pct)) if rec.get("is_inclusive_tax") else _money(amount * pct / 100)
        rec["tax_amount"] = tax_amount
        rec["sub_total"] = _money(amount - tax_amount) if rec.get("is_inclusive_tax") else _money(amount)
        rec["total"] = _money(rec["sub_total"] + tax_amount)
        rec["bcy_total"] = _money(rec["total"] * float(rec.get("exchange_rate") or 1))

    def after_write(self, ctx, old, new):
        self.move(ctx, old, -1)
        self.move(ctx, new, +1)

    def after_delete(self, ctx, rec):
        self.move(ctx, rec, -1)

    def move(self, ctx: WriteContext, txn: Mapping[str, Any] | None, sign: int) -> None:
        """Add (or take back) a transaction's amount to the balances of the bank accounts it touches."""
        if not txn or txn.get("status") == "excluded":
            return
        direction = BANK_TXN_DIRECTIONS.get(txn.get("transaction_type") or "", 0)
        ours, theirs = ("to_account_id", "from_account_id") if direction > 0 else ("from_account_id", "to_account_id")
        for key, side in ((ours, direction), (theirs, -direction)):  # a transfer moves both bank accounts
            bank = ctx.get("bankaccounts", txn.get(key))
            if bank is None:
                continue
            delta = sign * side * float(txn.get("amount") or 0)
            bank = dict(bank)
            for f in ("balance", "bank_balance", "bcy_balance"):
                bank[f] = _money(float(bank.get(f) or 0) + delta)
            ctx.touch(bank)
            ctx.put("bankaccounts", bank)
            account = ctx.get("chartofaccounts", bank["account_id"])
            if account is not None:
                ctx.put("chartofaccounts", dict(account, current_balance=bank["balance"],
                                                closing_balance=bank["balance"], is_involved_in_transaction=True))


def _status_move(to: str, allowed_from: tuple[str, ...]) -> Callable[..., None]:
    """A bank transaction's status action: from ``allowed_from`` only (else code 2, status); leaving the
    categorized states drops the offset account (as the seeder's uncategorized ones have none)."""
    def apply(ctx: WriteContext, rec: dict[str, Any], body: Any) -> None:
        if rec.get("status") not in allowed_from:
            raise invalid_value("status")
        rec["status"] = to
        if to == "uncategorized":
            rec["offset_account_name"] = ""
            rec["is_offsetaccount_matched"] = False
    return apply


@dataclass(frozen=True)
class Categorize:
    """POST /banktransactions/uncategorized/{id}/categorize: an uncategorized line written as the body says
    (the create's fields and checks: transaction_type required, the bank side a bank account), then
    categorized; any other status is refused (code 2, status)."""

    message: str = "The transaction(s) have been categorized."
    http_status: int = 201
    under: str = "uncategorized"
    answer_keys: tuple[str, ...] = ()

    @staticmethod
    def uncategorized(rec: Mapping[str, Any]) -> None:
        """Only an uncategorized line is categorized (code 2 naming status otherwise)."""
        if rec.get("status") != "uncategorized":
            raise invalid_value("status")

    def run(self, ctx: WriteContext, rules: WriteRules, rec: dict[str, Any],
            body: Mapping[str, Any]) -> dict[str, Any]:
        self.uncategorized(rec)
        if not body.get("transaction_type"):
            raise invalid_value("transaction_type")
        written = rules.build(ctx, body, rec)
        written["status"] = "categorized"
        rec.clear()
        rec.update(written)
        return {}


def insert_new(ctx: WriteContext, spec: Any, rec: dict[str, Any]) -> dict[str, Any]:
    """A record the write rules made (a recurring profile's document, a categorized bank line's payment)
    stored as a create stores it: a new id, created and modified now, then its rules' after_write."""
    now = ctx.backend.now()
    rec[spec.id_field] = ctx.backend.new_id(ctx.org_id)
    rec["_ct"] = rec["_lmt"] = now
    for f in ("created_time", "last_modified_time"):
        if f in rec:
            rec[f] = ctx.backend.timestamp(ctx.org, now)
    ctx.put(spec.name, rec)
    if spec.rules is not None:
        spec.rules.after_write(WriteContext(ctx.backend, ctx.org, spec), None, rec)
    return rec


@dataclass(frozen=True, kw_only=True)
class CategorizeAs(Categorize):
    """POST /banktransactions/uncategorized/{id}/categorize/<expenses|customerpayments|vendorpayments>: the
    statement line becomes a new record of that resource, made by its own write rules from the body (the
    line's date and amount, and its bank account on ``account_field``, unless the body says otherwise),
    and the line is categorized as it; a line not uncategorized: code 2 naming status."""

    resource: str
    transaction_type: str
    account_field: str
    message: str = "The transaction(s) have been categorized"  # without the plain categorize's full stop

    def run(self, ctx: WriteContext, rules: WriteRules, rec: dict[str, Any],
            body: Mapping[str, Any]) -> dict[str, Any]:
        self.uncategorized(rec)
        spec = ctx.backend.spec(self.resource)
        data = {"date": rec.get("date"), "amount": rec.get("amount"), self.account_field: rec.get("account_id"), **body}
        made = insert_new(ctx, spec, spec.rules.build(WriteContext(ctx.backend, ctx.org, spec), data, None))
        rec.update(status="categorized", transaction_type=self.transaction_type,
                   offset_account_name=made.get("account_name") or made.get("customer_name")
                   or made.get("vendor_name") or "")
        return {}


BankTransactionRules.actions = {
    "categorize": Categorize(),
    **{f"categorize/{resource}": CategorizeAs(resource=resource, transaction_type=kind, account_field=field)
       for resource, kind, field in (
        ("expenses", "expense", "paid_through_account_id"), ("customerpayments", "customer_payment", "account_id"),
        ("vendorpayments", "vendor_payment", "paid_through_account_id"))},
    "unmatch": RecordAction(_status_move("uncategorized", ("matched",)), "The transaction has been unmatched.", 201),
    "uncategorize": RecordAction(_status_move("uncategorized", ("categorized", "manually_added")),
                                 "Transaction(s) have been uncategorized.", 201),
    "exclude": RecordAction(_status_move("excluded", ("uncategorized",)), "The transaction has been excluded.", 201,
                            under="uncategorized"),
    "restore": RecordAction(_status_move("uncategorized", ("excluded",)),
                            "The excluded transaction(s) have been restored.", 201, under="uncategorized"),
}


# Where a tax may be used: a used tax cannot be deleted.
TAX_USES: tuple[tuple[str, str], ...] = (
    ("items", "tax_id"), ("contacts", "tax_id"), ("expenses", "tax_id"), ("banktransactions", "tax_id"),
    ("invoices", "line_items.tax_id"), ("creditnotes", "line_items.tax_id"), ("bills", "line_items.tax_id"),
    ("estimates", "line_items.tax_id"), ("salesorders", "line_items.tax_id"), ("purchaseorders", "line_items.tax_id"),
    ("vendorcredits", "line_items.tax_id"), ("taxgroups", "taxes.tax_id"))


class TaxRules(WriteRules):
    """A tax rate, unique by name, 0-100 %; the edition's country fields; a used tax is never deleted."""

    schema = {"tax_name": "str", "tax_percentage": "num", "tax_type": "str", "tax_authority_name": "str",
              "tax_authority_id": "id", "is_value_added": "bool", "is_editable": "bool", "country_code": "str",
              "tax_specific_type": "str", "purchase_tax_expense_account_id": "id",
              **{f"update_{x}": "bool" for x in ("recurring_invoice", "recurring_expense", "draft_invoice",
                                                 "recurring_bills", "draft_so", "subscription", "project")}}
    required = ("tax_name", "tax_percentage")
    messages = {L.CREATED_MESSAGE: "The tax has been added.", L.UPDATED_MESSAGE: "Tax information has been saved.",
                L.DELETED_MESSAGE: "The record has been deleted."}

    def apply(self, ctx, rec, data, existing):
        one_of(data, "tax_type", ("tax", "compound_tax"))
        if "tax_percentage" in data and not 0 <= data["tax_percentage"] <= 100:
            raise invalid_value("tax_percentage")
        unique(ctx, ("taxes",), "tax_name", data.get("tax_name"), rec.get("tax_id"), "Tax")
        if data.get("purchase_tax_expense_account_id") and ctx.get(
                "chartofaccounts", data["purchase_tax_expense_account_id"]) is None:
            raise invalid_value("purchase_tax_expense_account_id")
        if data.get("tax_authority_id"):
            authority = ctx.referenced("taxauthorities", data["tax_authority_id"], "tax_authority_id")
            data.setdefault("tax_authority_name", authority.get("tax_authority_name"))
        flags = {k for k in data if k.startswith("update_")}
        super().apply(ctx, rec, {k: v for k, v in data.items() if k not in flags}, existing)
        for k in flags:
            rec.pop(k, None)
        if existing is None:
            rec["tax_type"] = rec.get("tax_type") or "tax"
            rec["is_editable"] = rec.get("is_editable", True) is not False
            rec["is_default_tax"] = False
            if "is_value_added" not in data:
                rec["is_value_added"] = _tax_model(ctx) in ("vat", "gst")
            for key in ("country", "country_code"):
                if key in rec and not rec.get(key):
                    rec[key] = _edition_value(ctx, key)

    def after_write(self, ctx, old, new):
        """The groups holding this tax show its name and rate, and add them up."""
        if old is None:
            return
        for group in ctx.backend.records(ctx.org_id, "taxgroups"):
            if any(m.get("tax_id") == new["tax_id"] for m in group.get("taxes") or []):
                group = copy.deepcopy(group)
                for member in group["taxes"]:
                    if member.get("tax_id") == new["tax_id"]:
                        member.update({k: new.get(k, member.get(k)) for k in member if k != "tax_id"})
                group["tax_group_percentage"] = _money(sum(float(m.get("tax_percentage") or 0) for m in group["taxes"]))
                ctx.touch(group)
                ctx.put("taxgroups", group)

    def check_delete(self, ctx, rec):
        if referenced(ctx, rec["tax_id"], TAX_USES):
            raise BooksAPIError(L.HAS_DEPENDENTS, label="Tax")


def _tax_model(ctx: WriteContext) -> str:
    return EDITIONS[ctx.org.get("_edition") or "global"].tax_model


def _edition_value(ctx: WriteContext, key: str) -> str:
    return getattr(EDITIONS[ctx.org.get("_edition") or "global"], key)


# Where a currency may be used: a used currency (and the base currency) cannot be deleted.
CURRENCY_USES: tuple[tuple[str, str], ...] = tuple(
    (r, "currency_id") for r in ("contacts", "invoices", "creditnotes", "bills", "customerpayments", "vendorpayments",
                                 "vendorcredits", "journals", "bankaccounts", "banktransactions", "expenses",
                                 "salesorders", "purchaseorders", "estimates", "chartofaccounts"))
CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")


class CurrencyRules(WriteRules):
    """A currency of the org: an ISO code (unique), its format and precision; the base currency keeps its
    code and is never deleted, nor is a currency a contact or a transaction uses."""

    schema = {"currency_code": "str", "currency_symbol": "str", "price_precision": "int", "currency_format": "str",
              "currency_name": "str"}
    required = ("currency_code", "currency_format")
    messages = {L.CREATED_MESSAGE: "The currency has been added.",
                L.UPDATED_MESSAGE: "Currency information has been saved."}

    def apply(self, ctx, rec, data, existing):
        code = data.get("currency_code")
        if code is not None:
            code = data["currency_code"] = code.strip().upper()
            if not CURRENCY_CODE.match(code):
                raise invalid_value("currency_code")
            if existing is not None and existing.get("is_base_currency") and code != existing.get("currency_code"):
                raise invalid_value("currency_code")
        unique(ctx, ("currencies",), "currency_code", code, rec.get("currency_id"), "Currency")
        if "price_precision" in data and (data["price_precision"] is None or not 0 <= data["price_precision"] <= 3):
            raise invalid_value("price_precision")
        super().apply(ctx, rec, data, existing)
        known = CURRENCIES.get(rec["currency_code"])
        if existing is None or (code and code != existing.get("currency_code")):
            if not data.get("currency_name"):
                rec["currency_name"] = f"{rec['currency_code']}- {known[0]}" if known else rec["currency_code"]
            if not data.get("currency_symbol"):
                rec["currency_symbol"] = known[1] if known else rec["currency_code"]
        if existing is None:
            rec.update(is_base_currency=False, exchange_rate=0.0, effective_date="", _exchange_rates=[])
            if "price_precision" not in data:
                rec["price_precision"] = 2

    def check_delete(self, ctx, rec):
        if rec.get("is_base_currency") or rec.get("currency_id") == ctx.org.get("currency_id") or \
                referenced(ctx, rec["currency_id"], CURRENCY_USES):
            raise BooksAPIError(L.HAS_DEPENDENTS, label="Currency")


EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
USER_ROLES = ("admin", "staff", "timesheetstaff", "staff_assigned", "accountant")


class UserRules(WriteRules):
    """Users of the org: invited by name and email (unique among users not deleted); the owner stays;
    a deleted user is kept with status deleted (the list's Status.Deleted shows them)."""

    schema = {"name": "str", "email": "str", "role_id": "id", "cost_rate": "num", "user_role": "str"}
    required = ("name", "email")
    create_status = 200
    messages = {L.CREATED_MESSAGE: "Your invitation has been sent.",
                L.UPDATED_MESSAGE: "The user information has been updated.",
                L.DELETED_MESSAGE: "The user has been removed from your organization."}
    actions = {
        "active": RecordAction(_flag("status", "active", refuse_from=("invited", "deleted")),
                               "The user has been marked as active."),
        "inactive": RecordAction(_flag("status", "inactive", refuse_from=("invited", "deleted")),
                                 "The user has been marked as inactive."),
    }

    def apply(self, ctx, rec, data, existing):
        one_of(data, "user_role", USER_ROLES)
        if "email" in data:
            data["email"] = data["email"].strip()
            if not EMAIL.match(data["email"]):
                raise invalid_value("email")
            for other in ctx.backend.records(ctx.org_id, "users"):
                if other.get("email", "").lower() == data["email"].lower() and other.get("status") != "deleted" \
                        and other.get("user_id") != rec.get("user_id"):
                    raise BooksAPIError(L.ALREADY_EXISTS, label="User", value=data["email"])
        if existing is not None and existing.get("status") == "deleted":
            raise invalid_value("user_id")
        super().apply(ctx, rec, data, existing)
        if "email" in data:
            rec["email_ids"] = [{"email": data["email"], "is_selected": True}]
        if existing is None:
            rec.update(status="invited", user_role=rec.get("user_role") or "staff", user_type="zoho",
                       is_customer_segmented=False, is_vendor_segmented=False, is_employee=False, photo_url="",
                       role_id=rec.get("role_id") or self._role_id(ctx, rec.get("user_role") or "staff"),
                       cost_rate=rec.get("cost_rate") or 0)

    @staticmethod
    def _role_id(ctx: WriteContext, role: str) -> str:
        """The id of ``role`` as another user holds it, else a new one."""
        for other in ctx.backend.records(ctx.org_id, "users"):
            if other.get("user_role") == role and other.get("role_id"):
                return other["role_id"]
        return ctx.backend.new_id(ctx.org_id)

    def check_delete(self, ctx, rec):
        if rec.get("_owner") or rec.get("status") == "deleted":
            raise invalid_value("user_id")

    def tombstone(self, ctx, rec):
        return dict(copy.deepcopy(rec), status="deleted")


# ---- exchange rates (kept inside their currency, under _exchange_rates) --------------------------------
EXCHANGE_RATE_SCHEMA: dict[str, Kind] = {"effective_date": "date", "rate": "num"}
EXCHANGE_RATE_MESSAGES = {"create": "The exchange rate has been added.",  # currency.yml, verbatim
                          "update": "The exchange rate has been updated.",
                          "delete": "Exchange rate successfully deleted"}


def exchange_rate_row(ctx: WriteContext, currency: Mapping[str, Any], body: Mapping[str, Any],
                      existing: Mapping[str, Any] | None) -> dict[str, Any]:
    """A currency's exchange rate from a request body: a date and a positive rate, one rate per date; the
    base currency has none (code 2, currency_id)."""
    if currency.get("is_base_currency"):
        raise invalid_value("currency_id")
    data = check(body, EXCHANGE_RATE_SCHEMA)
    for name in EXCHANGE_RATE_SCHEMA:
        if (existing is None or name in data) and data.get(name) in (None, ""):
            raise invalid_value(name)
    if "rate" in data and data["rate"] <= 0:
        raise invalid_value("rate")
    row = dict(existing or {"exchange_rate_id": ctx.backend.new_id(ctx.org_id)})
    row.update(data, currency_id=currency["currency_id"], currency_code=currency.get("currency_code"))
    for other in currency.get("_exchange_rates") or []:
        if other.get("effective_date") == row["effective_date"] and \
                other["exchange_rate_id"] != row["exchange_rate_id"]:
            raise BooksAPIError(L.ALREADY_EXISTS, label="Exchange rate for", value=row["effective_date"])
    return row


def refresh_current_rate(ctx: WriteContext, currency: dict[str, Any]) -> None:
    """The list's exchange_rate and effective_date: the latest rate in effect today (none: 0 and "")."""
    if currency.get("is_base_currency"):
        return
    rows = [r for r in currency.get("_exchange_rates") or [] if str(r.get("effective_date")) <= ctx.today]
    latest = max(rows, key=lambda r: str(r["effective_date"])) if rows else None
    currency["exchange_rate"] = latest["rate"] if latest else 0.0
    currency["effective_date"] = latest["effective_date"] if latest else ""


# ---- organisations (PUT /organizations/{id}) ---------------------------------------------------------
# The update body names three labels differently from the organisation it answers (organizations.yml).
ORG_BODY_NAMES = {"companyid_label": "company_id_label", "companyid_value": "company_id_value",
                  "taxid_label": "tax_id_label", "taxid_value": "tax_id_value"}
ORG_ADDRESS_FIELDS = ("street_address1", "street_address2", "city", "state", "country", "zip")
# Zone abbreviations a client may send (organizations.yml's example is "PST"): the zone whose offset the
# org then renders; the org keeps the name it was given. Any other name must be an IANA zone.
ZONE_ABBREVIATIONS = {"PST": "America/Los_Angeles", "MST": "America/Denver", "CST": "America/Chicago",
                      "EST": "America/New_York", "GMT": "Etc/GMT", "UTC": "Etc/UTC", "BST": "Europe/London",
                      "CET": "Europe/Paris", "IST": "Asia/Kolkata", "AEST": "Australia/Sydney"}


class OrganizationRules(WriteRules):
    """An organisation's settings: names, contact, address, fiscal year, time zone (an IANA name, which
    moves every timestamp the org renders), date format. Its base currency stays (code 2 otherwise)."""

    schema = {"name": "str", "fiscal_year_start_month": "str", "is_logo_uploaded": "bool", "time_zone": "str",
              "date_format": "str", "field_separator": "str", "language_code": "str", "org_address": "str",
              "remit_to_address": "str", "address": "dict", "contact_name": "str", "phone": "str", "fax": "str",
              "website": "str", "email": "str", "currency_id": "id", "custom_fields": "list", "industry_type": "str",
              "industry_size": "str", **{name: "str" for name in ORG_BODY_NAMES}}
    required = ("name",)
    messages = {L.UPDATED_MESSAGE: "success"}  # organizations.yml answers the update with the plain "success"

    def apply(self, ctx, rec, data, existing):
        one_of(data, "fiscal_year_start_month", MONTHS)
        if data.get("email") and not EMAIL.match(data["email"]):
            raise invalid_value("email")
        if data.get("currency_id") and data["currency_id"] != (existing or {}).get("currency_id"):
            raise invalid_value("currency_id")
        if "time_zone" in data:
            if not data["time_zone"]:
                raise invalid_value("time_zone")
            try:
                zone = ZONE_ABBREVIATIONS.get(data["time_zone"], data["time_zone"])
                rec["_utc_offset"] = ctx.backend.zone_offset(zone)
            except InvalidInput:
                raise invalid_value("time_zone") from None
        if "address" in data:
            address_in = check(data["address"] or {}, {f: "str" for f in ORG_ADDRESS_FIELDS})  # null: unchanged
            data["address"] = {**{f: "" for f in ORG_ADDRESS_FIELDS}, **(rec.get("address") or {}), **address_in}
        for body_name, name in ORG_BODY_NAMES.items():
            if body_name in data:
                data[name] = data.pop(body_name)
        data.pop("is_logo_uploaded", None)
        super().apply(ctx, rec, data, existing)


# ---- tax authorities, tax exemptions, tax groups (taxes.yml) -----------------------------------------
class TaxAuthorityRules(WriteRules):
    """A tax authority (US, Canada), unique by name; one a tax or a contact names is never deleted."""

    schema = {"tax_authority_name": "str", "description": "str", "registration_number": "str",
              "registration_number_label": "str"}
    required = ("tax_authority_name",)
    messages = {L.CREATED_MESSAGE: "Tax Authority has been added.",
                L.UPDATED_MESSAGE: "Tax Authority information has been updated.",
                L.DELETED_MESSAGE: "Tax authority has been deleted."}

    def apply(self, ctx, rec, data, existing):
        unique(ctx, ("taxauthorities",), "tax_authority_name", data.get("tax_authority_name"),
                rec.get("tax_authority_id"), "Tax authority")
        super().apply(ctx, rec, data, existing)

    def after_write(self, ctx, old, new):
        if old and old.get("tax_authority_name") != new.get("tax_authority_name"):  # taxes show its name
            for tax in ctx.backend.records(ctx.org_id, "taxes"):
                if tax.get("tax_authority_id") == new["tax_authority_id"]:
                    ctx.put("taxes", dict(tax, tax_authority_name=new["tax_authority_name"]))

    def check_delete(self, ctx, rec):
        if referenced(ctx, rec["tax_authority_id"], (("taxes", "tax_authority_id"), ("contacts", "tax_authority_id"),
                                                     ("banktransactions", "tax_authority_id"))):
            raise BooksAPIError(L.HAS_DEPENDENTS, label="Tax authority")


class TaxExemptionRules(WriteRules):
    """A tax exemption (US): a code, unique, for customers or items; one a contact uses stays."""

    schema = {"tax_exemption_code": "str", "description": "str", "type": "str"}
    required = ("tax_exemption_code", "type")
    create_status = 200
    messages = {L.CREATED_MESSAGE: "Tax Exemption has been added.",
                L.UPDATED_MESSAGE: "Tax Exemption has been updated.",
                L.DELETED_MESSAGE: "Tax exemption has been deleted successfully."}

    def apply(self, ctx, rec, data, existing):
        one_of(data, "type", ("customer", "item"))
        unique(ctx, ("taxexemptions",), "tax_exemption_code", data.get("tax_exemption_code"),
                rec.get("tax_exemption_id"), "Tax exemption")
        super().apply(ctx, rec, data, existing)

    def check_delete(self, ctx, rec):
        if referenced(ctx, rec["tax_exemption_id"], (("contacts", "tax_exemption_id"),
                                                     ("banktransactions", "tax_exemption_id"))):
            raise BooksAPIError(L.HAS_DEPENDENTS, label="Tax exemption")


class TaxGroupRules(WriteRules):
    """A tax group: a name and simple taxes (``taxes``: their ids, comma-separated, as documented; the
    documented example names one); its percentage is theirs added up."""

    schema = {"tax_group_name": "str", "taxes": "str"}
    required = ("tax_group_name", "taxes")
    messages = {L.CREATED_MESSAGE: "success", L.UPDATED_MESSAGE: "success",
                L.DELETED_MESSAGE: "The tax group has been deleted."}

    def apply(self, ctx, rec, data, existing):
        unique(ctx, ("taxgroups",), "tax_group_name", data.get("tax_group_name"), rec.get("tax_group_id"),
                "Tax group")
        ids = data.pop("taxes", None)
        super().apply(ctx, rec, data, existing)
        if ids is None:
            return
        wanted = list(dict.fromkeys(x.strip() for x in ids.split(",") if x.strip()))
        members = [ctx.get("taxes", tid) for tid in wanted]
        if not members or any(m is None or m.get("tax_type") == "compound_tax" for m in members):
            raise invalid_value("taxes")
        rec["taxes"] = [{f: m.get(f, default_for(f)) for f in TAX_GROUP_MEMBER} for m in members]
        rec["tax_group_percentage"] = _money(sum(float(m.get("tax_percentage") or 0) for m in members))
