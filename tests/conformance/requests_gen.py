"""Concrete requests for documented operations: path ids of the org's real records (the parent
collection listed first), query values and bodies from the documented examples, ids replaced by real
ones (an id the org has no record for is left out unless the body requires it)."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Callable

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
# Names and numbers the org keeps unique (a second record with one is "already exists", code 1001): a
# body that repeats one the run has sent already gets a fresh one, as a client names a new record.
UNIQUE_FIELDS = ("contact_name", "invoice_number", "estimate_number", "salesorder_number", "purchaseorder_number",
                 "creditnote_number", "retainerinvoice_number", "bill_number", "project_name", "recurrence_name",
                 "account_name", "location_name", "tax_group_name", "name")
# The party field of a document body whose contact_persons name that contact's people.
PARTY_FIELDS = ("customer_id", "vendor_id", "contact_id")


def fit_to_records(body: Any, world: World, op: Operation | None = None, sent: str = "") -> Any:
    """The documented example fitted to the org's records as a client would send it: payments within
    what is open, contact persons of the body's own contact, unique names made unique, and the fields
    of ``FIELD_SOURCES`` taken from records that fit what the operation does."""
    if not isinstance(body, dict):
        return body
    _fit_payments(body, world)
    _fit_contact_persons(body, world)
    _fit_unique(body, world)
    if op is not None:
        for name, source in FIELD_SOURCES.get(op.path, {}).items():
            if name in body or name in REQUIRED_SOURCES.get(op.path, ()):
                value = source(world, body, sent)
                if value is None:
                    body.pop(name, None)
                else:
                    body[name] = value
    return body


def _fit_payments(body: dict[str, Any], world: World) -> None:
    """The documented example of a payment applies a fixed amount to some document; fitted to the org's
    records it pays an open document of that payer, its balance exactly (Zoho refuses more than the
    balance, or another customer's invoice). Balances are read afresh: the run's own payments move them."""
    for key, (collection, id_field, payer) in APPLIED_TO.items():
        lines = body.get(key)
        if not (isinstance(lines, list) and lines and isinstance(lines[0], dict) and "amount_applied" in lines[0]):
            continue
        open_doc = _open_document(world, collection, id_field)
        if open_doc is None:
            continue
        balance = float(open_doc["balance"])
        body[key] = [{k: v for k, v in {**lines[0], id_field: open_doc[id_field], "amount_applied": balance}.items()
                      if not k.endswith("_payment_id")}]  # a new payment has no payment row yet
        body[payer] = open_doc.get(payer, body.get(payer))
        body["amount"] = balance
        for extra in (id_field, "amount_applied"):  # top-level copies the example repeats
            if extra in body:
                body[extra] = body[key][0][extra]


def _open_document(world: World, collection: str, id_field: str) -> dict[str, Any] | None:
    """The first listed document of ``collection`` with a balance left, as it is now."""
    for record in world.records(collection):
        if float(record.get("balance") or 0) <= 0:
            continue
        answer = world.call("GET", f"{collection}/{record[id_field]}")
        current = next((v for k, v in (answer.body or {}).items() if isinstance(v, dict)), None) \
            if answer.status == 200 else None
        if current and float(current.get("balance") or 0) > 0:
            return current
    return None


def persons_of(world: World, contact_id: str) -> list[str]:
    """The ids of a contact's own contact persons."""
    return [str(p["contact_person_id"]) for p in world.records(f"/contacts/{contact_id}/contactpersons")
            if p.get("contact_person_id")]


def _fit_contact_persons(body: dict[str, Any], world: World) -> None:
    """A document's contact persons are its own contact's (Zoho lists a contact's people for it); a new
    contact's persons are new people, without ids. Without such a person the fields are left out."""
    party = next((str(body[k]) for k in PARTY_FIELDS if body.get(k)), None)
    persons = body.get("contact_persons")
    if party is None:
        if isinstance(persons, list) and "contact_name" in body:
            body["contact_persons"] = [{k: v for k, v in p.items() if k != "contact_person_id"} if isinstance(p, dict)
                                       else p for p in persons]
        return
    own = persons_of(world, party) if ("contact_persons" in body or "contact_persons_associated" in body) else []
    if isinstance(persons, list) and persons and all(isinstance(p, (str, int)) for p in persons):
        if own:
            body["contact_persons"] = own[:1]
        else:
            body.pop("contact_persons")
    rows = body.get("contact_persons_associated")
    if isinstance(rows, list) and any(isinstance(r, dict) and "contact_person_id" in r for r in rows):
        if own:
            body["contact_persons_associated"] = [{**rows[0], "contact_person_id": own[0]}]
        else:
            body.pop("contact_persons_associated")


def _fit_unique(body: dict[str, Any], world: World) -> None:
    """A unique name or number the run has sent before is made new (``Monthly Rental 2``)."""
    for key in UNIQUE_FIELDS:
        value = body.get(key)
        if not isinstance(value, str) or not value.strip():
            continue
        fresh, n = value, 1
        while fresh.lower() in world.sent_unique:
            n += 1
            fresh = f"{value} {n}" if " " in value or not value[-1].isdigit() else f"{value}-{n}"
        world.sent_unique.add(fresh.lower())
        body[key] = fresh


# ---- record pickers: a field of one operation filled from records that fit what it does -------------------
Source = Callable[[World, dict[str, Any], str], Any]


def _first(records: list[dict[str, Any]], field: str, keep: Callable[[dict[str, Any]], bool] = lambda r: True) -> Any:
    return next((r[field] for r in records if r.get(field) and keep(r)), None)


def bank_account(world: World, body: dict[str, Any], sent: str) -> Any:
    """A deposit goes into a bank account of the org (bank-transactions.yml: to_account_id)."""
    return _first(world.records("/bankaccounts"), "account_id")


def other_account(world: World, body: dict[str, Any], sent: str) -> Any:
    """The other side of a deposit: an income account of the chart."""
    return _first(world.records("/chartofaccounts"), "account_id", lambda a: a.get("account_type") == "income")


def foreign_currency(world: World, body: dict[str, Any], sent: str) -> Any:
    """A base-currency adjustment revalues a foreign currency of the org (never the base one)."""
    return _first(world.records("/settings/currencies"), "currency_id", lambda c: not c.get("is_base_currency"))


def same_type_parent(world: World, body: dict[str, Any], sent: str) -> Any:
    """A sub-account's parent has the sub-account's type (left out when the chart has none)."""
    return _first(world.records("/chartofaccounts"), "account_id",
                  lambda a: a.get("account_type") == body.get("account_type") and not a.get("parent_account_id"))


def org_tax_ids(world: World, body: dict[str, Any], sent: str) -> Any:
    """A tax group's ``taxes``: comma-separated ids of two of the org's taxes (not groups)."""
    ids = [t["tax_id"] for t in world.records("/settings/taxes")
           if t.get("tax_id") and t.get("tax_type", "tax") != "tax_group"][:2]
    return ",".join(ids) or None


FIELD_SOURCES: dict[str, dict[str, Source]] = {
    "/banktransactions": {"to_account_id": bank_account, "from_account_id": other_account},
    "/banktransactions/{transaction_id}": {"to_account_id": bank_account, "from_account_id": other_account},
    "/banktransactions/uncategorized/{transaction_id}/categorize": {"to_account_id": bank_account,
                                                                     "from_account_id": other_account},
    "/basecurrencyadjustment": {"currency_id": foreign_currency},
    "/basecurrencyadjustment/accounts": {"currency_id": foreign_currency},
    "/chartofaccounts": {"parent_account_id": same_type_parent},
    "/chartofaccounts/{account_id}": {"parent_account_id": same_type_parent},
    "/settings/taxgroups": {"taxes": org_tax_ids},
    "/settings/taxgroups/{tax_group_id}": {"taxes": org_tax_ids},
}
# Fields a source fills even when the example left them out (no real id to put there).
REQUIRED_SOURCES: dict[str, tuple[str, ...]] = {}
