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
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Callable, Mapping

from .. import literals as L
from ..http import BooksAPIError, invalid_value
from . import calc
from .dates import parse_date
from .fields import (ADDRESS_FIELDS, CONTACT_PERSON_EMBEDDED, CONTACT_PERSON_LIST, EDITION_DEFAULTS, INVOICE_LINE,
                     default_for)

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

    def build(self, ctx: WriteContext, body: Mapping[str, Any], existing: dict[str, Any] | None) -> dict[str, Any]:
        data = check(body, self.schema_for(ctx))
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
        "owner_id": "id", "status": "str",
    }
    required = ("contact_name",)

    def apply(self, ctx, rec, data, existing):
        one_of(data, "contact_type", ("customer", "vendor"))
        one_of(data, "customer_sub_type", ("individual", "business"))
        one_of(data, "status", ("active", "inactive"))
        name = data.get("contact_name")
        if name:
            for other in ctx.backend.records(ctx.org_id, "contacts"):
                if other.get("contact_name", "").lower() == name.lower() and other.get("contact_id") != rec.get("contact_id"):
                    raise BooksAPIError(L.ALREADY_EXISTS, label="Contact", value=name)
        for key in ("billing_address", "shipping_address"):
            if key in data:
                data[key] = address(data[key])
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
                         ("bills", "vendor_id"), ("vendorpayments", "vendor_id")):
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
        for res in ("invoices", "creditnotes", "bills", "estimates", "salesorders", "purchaseorders"):
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
    sent = bool(rec.get("_sent")) or rec.get("status") not in ("draft", None)
    return calc.invoice_status(rec["total"], rec["balance"], rec.get("due_date") or rec.get("date"), ctx.today, sent,
                               viewed=bool(rec.get("is_viewed_by_client")))


def bill_status(ctx: WriteContext, rec: dict[str, Any]) -> str:
    """Bills have no draft."""
    return calc.bill_status(rec["total"], rec["balance"], rec.get("due_date") or rec.get("date"), ctx.today)


def credit_status(ctx: WriteContext, rec: dict[str, Any]) -> str:
    return calc.credit_status(rec["total"], rec["balance"])


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
                 status_actions: Mapping[str, Callable[[dict[str, Any]], None]] | None = None) -> None:
        self.party = party
        self.status = status
        self.initial_status = initial_status
        self.number_required = number_required
        self.settled_by = settled_by
        self.line_defaults = dict(line_defaults or {})
        self.status_actions = dict(status_actions or {})

    def schema_for(self, ctx):
        number = {ctx.spec.number_field: "str"} if ctx.spec.number_field else {}
        return {**super().schema_for(ctx), **number, f"{self.party}_id": "id"}

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
                item = ctx.get("items", row["item_id"])
                if item is None:
                    raise invalid_value("item_id")
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
                account = ctx.get("chartofaccounts", line["account_id"])
                if account is None:
                    raise invalid_value("account_id")
                line["account_name"] = account.get("account_name")
            if not line.get("line_item_id") or line["line_item_id"] not in old_ids:
                line["line_item_id"] = ctx.backend.new_id(ctx.org_id)
            line["item_order"] = row.get("item_order") or n
            line["bcy_rate"] = line["rate"]
            line["discount"] = line.get("discount") or 0
            line["tags"] = line.get("tags") or []
            out.append(line)
        return out

    def totals(self, ctx, rec) -> None:
        taxes = {t["tax_id"]: t for t in ctx.backend.records(ctx.org_id, "taxes") if t.get("tax_id")}
        result = calc.document_totals(
            rec.get("line_items") or [], taxes_by_id=taxes, discount=rec.get("discount") or 0,
            is_discount_before_tax=rec.get("is_discount_before_tax", True) is not False,
            is_inclusive_tax=bool(rec.get("is_inclusive_tax")), shipping_charge=rec.get("shipping_charge") or 0,
            adjustment=rec.get("adjustment") or 0, precision=rec.get("price_precision") or 2)
        rec["line_items"] = [{k: v for k, v in li.items() if k != "line_tax_amount"} for li in result["line_items"]]
        for key in ("sub_total", "tax_total", "taxes", "total"):
            rec[key] = result[key]
        if max(abs(rec["sub_total"]), abs(rec["total"])) >= MAX_AMOUNT:
            raise invalid_value("total")
        self.derive_balance(ctx, rec)

    def derive_balance(self, ctx, rec) -> None:
        paid = float(rec.get("payment_made") or 0) + float(rec.get("credits_applied") or 0) + float(rec.get("vendor_credits_applied") or 0)
        if paid > rec["total"] + 1e-9:
            raise invalid_value("total")
        if self.settled_by:
            applied = sum(float(i.get("amount") or 0) for i in rec.get(self.settled_by) or [])
            rec["balance"] = _money(rec["total"] - applied)
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
        if float(rec.get("payment_made") or 0) > 0 or float(rec.get("credits_applied") or 0) > 0:
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
    if contact.get("outstanding_receivable_amount") != outstanding or contact.get("has_transaction") != has_txn:
        contact = copy.deepcopy(contact)
        contact["outstanding_receivable_amount"] = outstanding
        contact["outstanding_receivable_amount_bcy"] = outstanding
        contact["has_transaction"] = has_txn
        contact["_has_overdue"] = any(i.get("status") == "overdue" for i in open_)
        ctx.put("contacts", contact)


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

    def __init__(self, *, party: str, target: str, target_rules: DocumentRules) -> None:
        self.party = party
        self.target = target
        self.target_rules = target_rules
        self.target_id = f"{target[:-1]}_id"  # invoice_id, bill_id
        self.target_number = f"{target[:-1]}_number"

    def schema_for(self, ctx):
        return {**super().schema_for(ctx), f"{self.party}_id": "id", self.target: "list"}

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
        if "amount" in data and data["amount"] <= 0:
            raise invalid_value("amount")
        allocations = data.pop(self.target, None)
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
        applied = sum(a["amount_applied"] for a in rec[self.target])
        if applied > float(rec["amount"]) + 1e-9:
            raise invalid_value("amount")
        rec["bcy_amount"] = rec["amount"]
        numbers = ", ".join(a[self.target_number] for a in rec[self.target] if a.get(self.target_number))
        if self.party == "customer":
            rec["unused_amount"] = _money(float(rec["amount"]) - applied)
            rec["invoice_number"] = numbers
        else:
            rec["balance"] = rec["bcy_balance"] = _money(float(rec["amount"]) - applied)
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
            return {"bill_payment_id": ctx.backend.new_id(ctx.org_id), "bill_id": target["bill_id"],
                    "bill_number": target.get("bill_number"), "amount_applied": amount, "tax_amount_withheld": 0.0}
        return {"invoice_id": target["invoice_id"], "invoice_number": target.get("invoice_number"),
                "date": target.get("date"), "invoice_amount": target.get("total"), "amount_applied": amount,
                "balance_amount": _money(float(target.get("balance") or 0) - amount)}

    def after_write(self, ctx, old, new):
        self.settle(ctx, old, -1)
        self.settle(ctx, new, +1)
        refresh_contact(ctx, new.get(f"{self.party}_id"))

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
            if sign > 0:
                target["_sent"] = True
            self.target_rules.refresh_status(ctx, target)
            ctx.touch(target)
            ctx.put(self.target, target)


# ---- journals ---------------------------------------------------------------------------------
class JournalRules(WriteRules):
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
                "customer_id": "id", "tax_id": "id", "tags": "list", "line_id": "id"})
            if len(rows) < 2:
                raise invalid_value("line_items")
            lines, debit, credit = [], 0.0, 0.0
            for row in rows:
                account = ctx.get("chartofaccounts", row.get("account_id"))
                if account is None:
                    raise invalid_value("account_id")
                if row.get("debit_or_credit") not in ("debit", "credit"):
                    raise invalid_value("debit_or_credit")
                if row.get("amount") is None or row["amount"] < 0:
                    raise invalid_value("amount")
                customer = ctx.get("contacts", row.get("customer_id"))
                if row.get("customer_id") and customer is None:
                    raise invalid_value("customer_id")
                amount = _money(row["amount"])
                debit += amount if row["debit_or_credit"] == "debit" else 0
                credit += amount if row["debit_or_credit"] == "credit" else 0
                lines.append({"line_id": row.get("line_id") or ctx.backend.new_id(ctx.org_id),
                              "account_id": row["account_id"], "account_name": account.get("account_name"),
                              "customer_id": row.get("customer_id") or "",
                              "customer_name": (customer or {}).get("contact_name", ""),
                              "description": row.get("description") or "", "debit_or_credit": row["debit_or_credit"],
                              "amount": amount, "bcy_amount": amount, "tax_id": "", "tax_name": "",
                              "tax_percentage": 0, "tags": row.get("tags") or [], "location_id": "", "project_id": ""})
            if abs(debit - credit) > 0.005:
                raise BooksAPIError(L.JOURNAL_UNBALANCED)
            rec["line_items"] = lines
            rec["total"] = rec["bcy_total"] = rec["line_item_total"] = _money(debit)


# ---- contact persons (embedded in their contact) ----------------------------------------------------
class ContactPersonRules(WriteRules):
    schema = PERSON_SCHEMA
    required = ("first_name",)
