"""Concrete requests for documented operations: path ids of the org's real records (the parent
collection listed first), query values and bodies from the documented examples, ids replaced by real
ones (an id the org has no record for is left out unless the body requires it)."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .oas import Operation, gated_out
from .world import EDITION, World

DEFAULT_FOR_TYPE = {"string": "conformance", "integer": 1, "number": 1.0, "boolean": False}
_DATE = re.compile(r"(^|_)date$|_date_|^date_")
# Path parameters whose records sit under a differently named field of the parent list's items.
PATH_ID_ALIASES = {"customer_payment_id": "payment_id", "reatinerinvoice_id": "retainerinvoice_id",
                   "vendorpayment_refund_id": "refund_id", "creditnote_refund_id": "refund_id",
                   "vendor_credit_refund_id": "refund_id", "purchase_order_id": "purchaseorder_id",
                   "customer_id": "contact_id", "vendor_id": "contact_id"}
# Body ids that name a contact of one kind, or another resource's record.
BODY_ID_ALIASES = {"customer_id": ("customer_id", "contact_id"), "vendor_id": ("vendor_id", "contact_id"),
                   "paid_through_account_id": ("paid_through_account_id", "account_id"),
                   "account_id": ("account_id",), "from_account_id": ("from_account_id", "account_id"),
                   "to_account_id": ("to_account_id", "account_id"),
                   "contact_persons": ("contact_person_id",)}
# A customer debit note names the invoice it adds to (customer-debit-notes.yml): a real one of the org.
BODY_ID_ALIASES["reference_invoice_id"] = ("reference_invoice_id", "invoice_id")


class Unresolved(Exception):
    """No real record to put in a path parameter."""


def path_for(op: Operation, world: World) -> str:
    """``op.path`` with each ``{param}`` replaced by the id of a real record: the collection before it
    is listed and its first record taken (the records' own field of that name, else their first id)."""
    segments = op.segments
    out: list[str] = []
    for i, seg in enumerate(segments):
        if not (seg.startswith("{") and seg.endswith("}")):
            out.append(seg)
            continue
        name = seg[1:-1]
        value = None
        collection = "/" + "/".join(out)
        if name == "organization_id":
            value = world.org_id
        elif op.method in ("PUT", "DELETE") and i == len(segments) - 1 and world.created.get(collection):
            value = world.created[collection][-1]  # change or delete what this run created, not seeded data
        elif i > 0 and not segments[i - 1].startswith("{"):
            records = world.records("/" + "/".join(out))
            wanted = PATH_ID_ALIASES.get(name, name)
            for record in records:
                value = record.get(name) or record.get(wanted)
                if value is None:
                    value = next((v for k, v in record.items() if k.endswith("_id") and v), None)
                if value:
                    break
        if not value:
            value = world.an_id(name) or world.an_id(PATH_ID_ALIASES.get(name, name)) or _example(op, name)
        if not value:
            raise Unresolved(f"no record for {{{name}}} (listed /{'/'.join(out)})")
        out.append(str(value))
    return "/" + "/".join(out)


def _example(op: Operation, name: str) -> Any:
    for p in op.path_params:
        if p.get("name") == name:
            return p.get("example") or (p.get("schema") or {}).get("example")
    return None


def query_for(op: Operation, world: World) -> dict[str, Any]:
    """Required query parameters: a real id for ids, else the documented example."""
    out: dict[str, Any] = {}
    for p in op.query_params:
        if not p.get("required"):
            continue
        name = p["name"]
        value = world.an_id(name) if name.endswith("_id") else world.an_id(name[:-1]) if name.endswith("_ids") else None
        if value is None:
            value = p.get("example", (p.get("schema") or {}).get("example"))
        if value is None or value == "":
            value = DEFAULT_FOR_TYPE.get((p.get("schema") or {}).get("type", "string"), "conformance")
        out[name] = plain(value)
    return out


def headers_for(op: Operation) -> dict[str, str]:
    """Every documented header parameter with its example (an upsert's key, value and X-Upsert: true)."""
    out = {}
    for p in op.header_params:
        value = p.get("example", (p.get("schema") or {}).get("example"))
        if value is not None:
            out[p["name"]] = str(value).lower() if isinstance(value, bool) else str(value)
    return out


def plain(value: Any) -> Any:
    """A documented example as JSON: YAML reads an unquoted 2013-11-17 as a date."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def real_id(name: str, world: World) -> str | None:
    """A real id for a field: its own harvested values, else those of the resource it names."""
    for candidate in BODY_ID_ALIASES.get(name, (name,)):
        value = world.an_id(candidate)
        if value:
            return value
    return None


def body_for(schema: dict[str, Any] | None, world: World, name: str = "", required: bool = True) -> Any:
    """The documented example of a request body: every field with an example (other editions'
    fields left out), ids replaced by real ones; None for a field to leave out."""
    if not schema:
        return None
    if gated_out(schema, EDITION):
        return None
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        needed = set(schema.get("required") or [])
        out = {}
        for key, sub in (schema.get("properties") or {}).items():
            value = body_for(sub, world, key, key in needed)
            if value is not None:
                out[key] = value
        return out if out or required else None
    if kind == "array":
        if name == "contact_persons" and (schema.get("items") or {}).get("type") == "string" \
                and world.an_id("contact_person_id"):
            return [world.an_id("contact_person_id")]
        example = schema.get("example")
        if isinstance(example, list) and example and all(isinstance(x, str) and "@" in x for x in example):
            return list(example)  # addresses (to_mail_ids): the documented ones, not record ids
        item = body_for(schema.get("items") or {}, world, name, required)
        if item in (None, {}, ""):
            return [] if required else None
        if schema.get("x-conformance-balanced") and isinstance(item, dict):  # errata: a journal's two sides
            return [{**item, "debit_or_credit": "debit"}, {**item, "debit_or_credit": "credit"}]
        return [item]
    if name.endswith("_id") or name.endswith("_ids"):
        real = real_id(name[:-1] if name.endswith("_ids") else name, world)
        if real is not None:
            return real
        return schema.get("example") if required else None
    example = schema.get("example")
    if example is None and "enum" in schema:
        example = schema["enum"][0]
    if example is None or example == "":
        if not required:
            return None
        example = "2024-01-15" if _DATE.search(name) else DEFAULT_FOR_TYPE.get(kind or "string", "conformance")
    example = plain(example)
    if kind == "boolean" and isinstance(example, str):
        example = example.lower() == "true"
    return example


# Documents a payment applies to: body list key -> (collection, its id field, the payer's field).
APPLIED_TO = {"invoices": ("/invoices", "invoice_id", "customer_id"), "bills": ("/bills", "bill_id", "vendor_id")}


def fit_to_records(body: Any, world: World) -> Any:
    """The documented example of a payment applies a fixed amount to some document; fitted to the org's
    records it pays an open document of that payer, its balance exactly (Zoho refuses more than the
    balance, or another customer's invoice)."""
    if not isinstance(body, dict):
        return body
    for key, (collection, id_field, payer) in APPLIED_TO.items():
        lines = body.get(key)
        if not (isinstance(lines, list) and lines and isinstance(lines[0], dict) and "amount_applied" in lines[0]):
            continue
        open_doc = next((r for r in world.records(collection) if float(r.get("balance") or 0) > 0), None)
        if open_doc is None:
            continue
        balance = float(open_doc["balance"])
        body[key] = [{**lines[0], id_field: open_doc[id_field], "amount_applied": balance}]
        body[payer] = open_doc.get(payer, body.get(payer))
        body["amount"] = balance
        for extra in (id_field, "amount_applied"):  # top-level copies the example repeats
            if extra in body:
                body[extra] = body[key][0][extra]
    return body
