"""Concrete requests for documented operations: path ids of the org's real records (the parent
collection listed first), query values and bodies from the documented examples, ids replaced by real
ones (an id the org has no record for is left out unless the body requires it).

The documented example is then fitted to the world as a client would send it (``fit_to_records``):
payments within what is open, contact persons of the body's own contact, unique names and numbers made
unique, and, per operation, fields taken from records that fit what it does (``FIELD_SOURCES``: a bank
account for a deposit, a foreign currency for a revaluation, a month ahead for a link's expiry...).
Where the first listed record cannot take an operation, ``PATH_PICKERS`` picks one that can, or makes
it through the API first (an invoice marked sent, a payment on account, a file attached, an order
submitted). Look-ups made to fit a request do not harvest ids (``World.call(remember=False)``)."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Callable

from .oas import Operation, gated_out
from .world import EDITION, World, records_of

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
    picker = PATH_PICKERS.get((op.method, op.path))
    picked = picker(world) if picker else None
    if picked:
        return picked
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


def query_for(op: Operation, world: World, sent: str = "") -> dict[str, Any]:
    """Required query parameters: a real id for ids, else the documented example (the fields of
    ``FIELD_SOURCES`` from records that fit the operation)."""
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
    documented = {p["name"] for p in op.query_params}
    for name, source in FIELD_SOURCES.get(op.path, {}).items():
        if name in out or name in documented:
            value = source(world, out, sent)
            if value is not None:
                out[name] = value
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
                 "account_name", "location_name", "tax_group_name", "tax_exemption_code", "name")
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
    _fit_unique(body, world, op)
    if op is not None:
        for name, source in FIELD_SOURCES.get(op.path, {}).items():
            if name in body:
                value = source(world, body, sent)
                if value is None:
                    body.pop(name, None)
                else:
                    body[name] = value
    return body


def _fit_payments(body: dict[str, Any], world: World) -> None:
    """The documented example of a payment applies a fixed amount to some document; fitted to the org's
    records it pays half of what an open document of that payer owes (Zoho refuses more than the
    balance, or another customer's invoice; half leaves some for the run's next payment). Balances are
    read afresh: the run's own payments move them."""
    for key, (collection, id_field, payer) in APPLIED_TO.items():
        lines = body.get(key)
        if not (isinstance(lines, list) and lines and isinstance(lines[0], dict) and "amount_applied" in lines[0]):
            continue
        open_doc = _open_document(world, collection, id_field)
        if open_doc is None:
            continue
        share = max(round(float(open_doc["balance"]) / 2, 2), 0.01)
        body[key] = [{k: v for k, v in {**lines[0], id_field: open_doc[id_field], "amount_applied": share}.items()
                      if not k.endswith("_payment_id")}]  # a new payment has no payment row yet
        body[payer] = open_doc.get(payer, body.get(payer))
        body["amount"] = share
        for extra in (id_field, "amount_applied"):  # top-level copies the example repeats
            if extra in body:
                body[extra] = body[key][0][extra]


def payable(record: dict[str, Any]) -> bool:
    """A document that still owes something and takes payments (not void)."""
    return float(record.get("balance") or 0) > 0 and record.get("status") not in ("void", "paid")


def _open_document(world: World, collection: str, id_field: str) -> dict[str, Any] | None:
    """A document of ``collection`` with a balance left, as it is now: the run's own first, then listed ones."""
    ids = list(world.created.get(collection) or []) + [r[id_field] for r in world.records(collection)
                                                         if r.get(id_field) and payable(r)]
    for rid in dict.fromkeys(ids):
        current = _fresh(world, f"{collection}/{rid}")
        if current and payable(current):
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
    if isinstance(rows, list) and rows and all(isinstance(r, dict) for r in rows):
        if own:
            body["contact_persons_associated"] = [{**rows[0], "contact_person_id": own[0]}]
        else:
            body.pop("contact_persons_associated")


def _fit_unique(body: dict[str, Any], world: World, op: Operation | None) -> None:
    """A unique name or number the run has sent before, or that a record of the collection holds, is made
    new (``Monthly Rental 2``)."""
    if op is not None and op.method in ("POST", "PUT"):
        world.records(op.path.split("/{", 1)[0])  # the collection written to: its records' names are taken
    for key in UNIQUE_FIELDS:
        value = body.get(key)
        if not isinstance(value, str) or not value.strip():
            continue
        fresh, n = value, 1
        taken = world.sent_unique | {str(r.get(key)).lower() for records in world.lists.values() for r in records
                                     if r.get(key)}
        while fresh.lower() in taken:
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
    """A base-currency adjustment revalues a foreign currency of the org (never the base one): one with
    open documents to revalue, else one the run gives a customer and a sent invoice."""
    foreign = [c["currency_id"] for c in world.records("/settings/currencies")
               if c.get("currency_id") and not c.get("is_base_currency")]
    for currency in foreign:
        if _revalued(world, currency):
            return currency
    if foreign and _foreign_invoice(world, foreign[0]):
        return foreign[0]
    return foreign[0] if foreign else None


def _revalued(world: World, currency: str) -> list[str]:
    answer = world.call("GET", "/basecurrencyadjustment/accounts", remember=False, params={
        "currency_id": currency, "adjustment_date": world.today().isoformat(), "exchange_rate": 1.5,
        "notes": "conformance"})
    data = (answer.body or {}).get("data") if answer.status == 200 else None
    return [a["account_id"] for a in (data or {}).get("accounts") or [] if a.get("account_id")]


def _foreign_invoice(world: World, currency: str) -> str | None:
    """A customer billed in ``currency`` and a sent invoice of theirs, as a client records them."""
    answer = world.call("POST", "/contacts", remember=False, json={
        "contact_name": f"Conformance foreign {currency}", "contact_type": "customer", "currency_id": currency})
    contact = next((v for v in (answer.body or {}).values() if isinstance(v, dict)), {}) if answer.status == 201 else {}
    return contact.get("contact_id") and _new_document(world, "invoices", "customer_id", contact["contact_id"], 250.0,
                                                       exchange_rate=1.2)


def same_type_parent(world: World, body: dict[str, Any], sent: str) -> Any:
    """A sub-account's parent has the sub-account's type (left out when the chart has none)."""
    return _first(world.records("/chartofaccounts"), "account_id",
                  lambda a: a.get("account_type") == body.get("account_type") and not a.get("parent_account_id"))


def org_tax_ids(world: World, body: dict[str, Any], sent: str) -> Any:
    """A tax group's ``taxes``: comma-separated ids of two of the org's taxes (not groups)."""
    ids = [t["tax_id"] for t in world.records("/settings/taxes")
           if t.get("tax_id") and t.get("tax_type", "tax") != "tax_group"][:2]
    return ",".join(ids) or None


def a_month_ahead(world: World, body: dict[str, Any], sent: str) -> Any:
    """An expiry a client sets: a month after the run's day (the example's 2024 date has passed)."""
    return (world.today() + dt.timedelta(days=30)).isoformat()


def _fresh(world: World, path: str) -> dict[str, Any]:
    """The record at ``path`` as it is now (its wrapper object), {} when it cannot be read."""
    answer = world.call("GET", path, remember=False)
    return next((v for v in (answer.body or {}).values() if isinstance(v, dict)), {}) if answer.status == 200 else {}


def _fresh_records(world: World, collection: str, id_field: str, keep: Callable[[dict[str, Any]], bool],
                   limit: int = 40) -> Any:
    """The first listed record of ``collection`` that, read afresh, ``keep`` accepts."""
    for record in world.records(collection)[:limit]:
        if record.get(id_field) and keep(record):
            current = _fresh(world, f"{collection}/{record[id_field]}")
            if current and keep(current):
                return current
    return None


OPEN = ("sent", "overdue", "partially_paid", "open", "unpaid")  # a document that is owed and can be paid


def sent_invoice(world: World, body: dict[str, Any], sent: str) -> Any:
    """A payment link is for an invoice the customer owes."""
    record = _fresh_records(world, "/invoices", "invoice_id",
                            lambda r: r.get("status") in OPEN and float(r.get("balance") or 0) > 0)
    if record:
        return record["invoice_id"]
    customer = _first(world.records("/contacts"), "contact_id", lambda c: c.get("contact_type") == "customer")
    return _new_document(world, "invoices", "customer_id", customer, 100.0)


def an_open_order(world: World, body: dict[str, Any], sent: str) -> Any:
    """A bill is made from an issued purchase order (open, not yet billed)."""
    return _first(world.records("/purchaseorders"), "purchaseorder_id", lambda r: r.get("status") == "open")


def a_confirmed_sales_order(world: World, body: dict[str, Any], sent: str) -> Any:
    """An invoice is made from a confirmed sales order (open, not yet invoiced)."""
    record = _fresh_records(world, "/salesorders", "salesorder_id", lambda r: r.get("status") in ("open", "overdue"))
    return record and record["salesorder_id"]


def created_vendor_payments(world: World, body: dict[str, Any], sent: str) -> Any:
    """A bulk delete names payments the run recorded for it (deleting seeded history would break later reads)."""
    made = [_overpaid_vendor_payment(world) for _ in range(2)]
    return ",".join(m for m in made if m) or None


def unbilled_time_entries(world: World, body: dict[str, Any], sent: str) -> Any:
    """Time entries, as they are now, that no invoice has billed yet (a billed one stays)."""
    answer = world.call("GET", "/projects/timeentries", {"per_page": 200}, remember=False)
    ids = [r["time_entry_id"] for r in records_of(answer.body)
           if r.get("time_entry_id") and r.get("billed_status") != "billed" and not r.get("timer_started_at")][:2]
    return ",".join(ids) or None


def offered_email_template(world: World, body: dict[str, Any], sent: str) -> Any:
    """One of the templates the estimate's email offers (GET .../email lists them in emailtemplates)."""
    answer = world.call("GET", sent, remember=False) if sent else None
    templates = (answer.body or {}).get("emailtemplates") if answer and answer.status == 200 else None
    return _first(templates or [], "email_template_id")


def revalued_accounts(world: World, body: dict[str, Any], sent: str) -> Any:
    """The accounts a base-currency adjustment lists for that currency."""
    return ",".join(_revalued(world, foreign_currency(world, body, sent))) or None


def _path_id(sent: str) -> str:
    return sent.strip("/").split("/")[1] if sent.count("/") >= 2 else ""


def _party_open(world: World, collection: str, id_field: str, party: str, party_id: str) -> list[dict[str, Any]]:
    """Records of ``collection`` of one party with something left (balance or unused amount), read afresh."""
    out = []
    for record in world.records(collection)[:40]:
        if str(record.get(party)) != party_id or not record.get(id_field):
            continue
        current = _fresh(world, f"{collection}/{record[id_field]}")
        left = float(current.get("unused_amount", current.get("balance")) or 0)
        if left > 0 and current.get("status") not in ("draft", "void"):
            out.append(current)
    return out


def _credits(world: World, sent: str, doc: str, party: str, collection: str, id_field: str,
             use_first: bool) -> Any:
    """Rows applying what the party has left (payments first, then credits) to the document, within its
    balance: None when the party has none of that kind."""
    document = _fresh(world, f"/{doc}/{_path_id(sent)}")
    balance = float(document.get("balance") or 0)
    sources = _party_open(world, collection, id_field, party, str(document.get(party)))
    if not sources or balance <= 0:
        return None
    source = sources[0]
    left = float(source.get("unused_amount", source.get("balance")) or 0)
    share = round(min(left, balance / 2 if use_first else balance), 2)
    return [{id_field: source[id_field], "amount_applied": share}]


def invoice_payment_rows(world: World, body: dict[str, Any], sent: str) -> Any:
    return _credits(world, sent, "invoices", "customer_id", "/customerpayments", "payment_id", True)


def credit_note_rows(world: World, body: dict[str, Any], sent: str) -> Any:
    return _credits(world, sent, "invoices", "customer_id", "/creditnotes", "creditnote_id", True)


def bill_payment_rows(world: World, body: dict[str, Any], sent: str) -> Any:
    return _credits(world, sent, "bills", "vendor_id", "/vendorpayments", "payment_id", True)


def vendor_credit_rows(world: World, body: dict[str, Any], sent: str) -> Any:
    return _credits(world, sent, "bills", "vendor_id", "/vendorcredits", "vendor_credit_id", True)


def refundable_amount(world: World, body: dict[str, Any], sent: str) -> Any:
    """A refund within what the payment has unused (the example's 500 or less)."""
    payment = _fresh(world, sent.rsplit("/refunds", 1)[0])
    left = float(payment.get("balance") or 0)
    return min(float(body.get("amount") or left), left) if left > 0 else body.get("amount")


def invoice_line(world: World, body: dict[str, Any], sent: str) -> Any:
    """The line of the body's invoice that sells the asset (the invoice's first line)."""
    invoice = _fresh(world, f"/invoices/{body.get('invoice_id')}") if body.get("invoice_id") else {}
    return _first(invoice.get("line_items") or [], "line_item_id") or body.get("line_item_id")


FIELD_SOURCES: dict[str, dict[str, Source]] = {
    "/banktransactions": {"to_account_id": bank_account, "from_account_id": other_account},
    "/banktransactions/{bank_transaction_id}": {"to_account_id": bank_account, "from_account_id": other_account},
    "/banktransactions/uncategorized/{transaction_id}/categorize": {"to_account_id": bank_account,
                                                                     "from_account_id": other_account},
    "/basecurrencyadjustment": {"currency_id": foreign_currency, "account_ids": revalued_accounts},
    "/chartofaccounts": {"parent_account_id": same_type_parent},
    "/chartofaccounts/{account_id}": {"parent_account_id": same_type_parent},
    "/settings/taxgroups": {"taxes": org_tax_ids},
    "/basecurrencyadjustment/accounts": {"currency_id": foreign_currency},
    "/share/paymentlink": {"expiry_time": a_month_ahead, "transaction_id": sent_invoice},
    "/bills/editpage/frompurchaseorders": {"purchaseorder_ids": an_open_order},
    "/invoices/fromsalesorder": {"salesorder_id": a_confirmed_sales_order},
    "/vendorpayments": {"vendorpayment_id": created_vendor_payments},
    "/projects/timeentries": {"time_entry_ids": unbilled_time_entries},
    "/estimates/{estimate_id}/email": {"email_template_id": offered_email_template},
    "/invoices/{invoice_id}/credits": {"invoice_payments": invoice_payment_rows, "apply_creditnotes": credit_note_rows},
    "/bills/{bill_id}/credits": {"bill_payments": bill_payment_rows, "apply_vendor_credits": vendor_credit_rows},
    "/vendorpayments/{payment_id}/refunds": {"amount": refundable_amount},
    "/fixedassets/{fixed_asset_id}/sell": {"line_item_id": invoice_line},
    "/settings/taxgroups/{tax_group_id}": {"taxes": org_tax_ids},
}


# ---- path pickers: the record an operation acts on, where the first listed one cannot take it --------------
def _uncategorized_last(world: World) -> str | None:
    """Categorize the last uncategorized statement line: the first stays for exclude, restore and the
    other categorize actions."""
    answer = world.call("GET", "/banktransactions", {"status": "uncategorized", "per_page": 200}, remember=False)
    used = world.an_id("transaction_id")  # what the other uncategorized actions are sent to
    last = _first(list(reversed(records_of(answer.body))), "transaction_id",
                  lambda r: r.get("status") == "uncategorized" and r["transaction_id"] != used)
    return last and f"/banktransactions/uncategorized/{last}/categorize"


def _payable_with_credits(doc: str, party: str, collections: tuple[tuple[str, str], ...]) -> Callable[[World], Any]:
    """An open document whose party has a payment or credit with something left to apply: one listed,
    else one the run makes for such a party (an invoice is marked sent, as a client sends it)."""
    def pick(world: World) -> str | None:
        id_field = f"{doc[:-1]}_id"
        for record in world.records(f"/{doc}")[:60]:
            if record.get("status") not in OPEN or float(record.get("balance") or 0) <= 0:
                continue
            if any(_party_open(world, c, f, party, str(record.get(party))) for c, f in collections):
                return f"/{doc}/{record[id_field]}/credits"
        for collection, source_id in collections:
            source = _fresh_records(world, collection, source_id, _has_left)
            if source:
                made = _new_document(world, doc, party, str(source[party]), 2 * _left(source))
                return made and f"/{doc}/{made}/credits"
        return None
    return pick


def _left(record: dict[str, Any]) -> float:
    return float(record.get("unused_amount", record.get("balance")) or 0)


def _has_left(record: dict[str, Any]) -> bool:
    return _left(record) > 0 and record.get("status") not in ("draft", "void")


def _new_document(world: World, doc: str, party: str, party_id: str, amount: float, **extra: Any) -> str | None:
    """An invoice (marked sent) or a bill (open) of ``amount`` for the party, made as a client makes one."""
    item = world.an_id("item_id")
    body = {party: party_id, "line_items": [{"item_id": item, "rate": round(amount, 2), "quantity": 1}], **extra}
    if doc == "bills":
        body["bill_number"] = f"CONF-{len(world.created.get('/bills') or []) + 1}"
    answer = world.call("POST", f"/{doc}", json=body, remember=False)
    record = next((v for v in (answer.body or {}).values() if isinstance(v, dict)), {}) if answer.status == 201 else {}
    rid = record.get(f"{doc[:-1]}_id")
    if rid and doc == "invoices":
        world.call("POST", f"/invoices/{rid}/status/sent", remember=False)
    return rid


def _overpaid_vendor_payment(world: World) -> str | None:
    """A vendor payment with an excess (paid on account, applied to no bill), made as a client records one."""
    vendor = _first(world.records("/contacts"), "contact_id", lambda c: c.get("contact_type") == "vendor")
    account = bank_account(world, {}, "")
    answer = world.call("POST", "/vendorpayments", json={"vendor_id": vendor, "amount": 600.0, "payment_mode": "cash",
                                                         "paid_through_account_id": account}, remember=False)
    record = next((v for v in (answer.body or {}).values() if isinstance(v, dict)), {}) if answer.status == 201 else {}
    return record.get("payment_id")


def _vendor_payment_with_unused(world: World) -> str | None:
    """A refund of an excess payment needs a payment with something unused: a listed one, else one the
    run records on account."""
    record = _fresh_records(world, "/vendorpayments", "payment_id", lambda r: float(r.get("balance") or 0) > 0)
    payment = record["payment_id"] if record else _overpaid_vendor_payment(world)
    return payment and f"/vendorpayments/{payment}/refunds"


def _order_taking_sub_status(world: World) -> str | None:
    """A sub-status goes on an order that is neither draft nor void."""
    record = _fresh_records(world, "/salesorders", "salesorder_id", lambda r: r.get("status") not in ("void", "draft"))
    return record and f"/salesorders/{record['salesorder_id']}/substatus/cs_openshi"


def _template_switch(collection: str, id_field: str) -> Callable[[World], str | None]:
    """A template switch names one of the org's templates for that kind of record (those its records use):
    the run's own record (else the first listed) and a template a record of the collection holds."""
    def pick(world: World) -> str | None:
        ids = list(world.created.get(collection) or []) + [r[id_field] for r in world.records(collection)
                                                            if r.get(id_field)]
        records = [_fresh(world, f"{collection}/{rid}") for rid in dict.fromkeys(ids[:10])]
        template = _first(records, "template_id")
        target = _first(records, id_field)
        return template and target and f"{collection}/{target}/templates/{template}"
    return pick


UPLOAD = ("conformance.pdf", b"%PDF-1.4\n% conformance attachment\n%%EOF\n", "application/pdf")


def _first_record(world: World, collection: str, id_field: str) -> str | None:
    return _first(world.records(collection), id_field)


def _attached(collection: str, id_field: str, then: str) -> Callable[[World], str | None]:
    """A record holding a file the run attached first (a read or delete of an attachment needs one):
    ``then`` is the path after the record, ``{document_id}`` the attached file's."""
    def pick(world: World) -> str | None:
        rid = _first_record(world, collection, id_field)
        if not rid:
            return None
        world.call("POST", f"{collection}/{rid}/attachment", files={"attachment": UPLOAD}, remember=False)
        documents = _fresh(world, f"{collection}/{rid}").get("documents") or []
        document = _first(list(reversed(documents)), "document_id")
        return document and f"{collection}/{rid}/" + then.replace("{document_id}", document)
    return pick


def _own_comment(collection: str, id_field: str) -> Callable[[World], str | None]:
    """A comment the run added (a system history line is neither edited nor deleted)."""
    def pick(world: World) -> str | None:
        rid = _first_record(world, collection, id_field)
        if not rid:
            return None
        world.call("POST", f"{collection}/{rid}/comments", json={"description": "Conformance note"}, remember=False)
        answer = world.call("GET", f"{collection}/{rid}/comments", remember=False)
        comment = _first(records_of(answer.body), "comment_id", lambda c: c.get("comment_type") != "system")
        return comment and f"{collection}/{rid}/comments/{comment}"
    return pick


def _order_pending_approval(world: World) -> str | None:
    """Only an order pending approval is rejected: a draft order of the org (else one the run makes for a
    vendor), submitted first."""
    order = _fresh_records(world, "/purchaseorders", "purchaseorder_id", lambda r: r.get("status") == "draft")
    if order is None:
        vendor = _first(world.records("/contacts"), "contact_id", lambda c: c.get("contact_type") == "vendor")
        answer = world.call("POST", "/purchaseorders", remember=False, json={
            "vendor_id": vendor, "line_items": [{"item_id": world.an_id("item_id"), "rate": 50, "quantity": 2}]})
        order = next((v for v in (answer.body or {}).values() if isinstance(v, dict)), None) \
            if answer.status == 201 else None
    if not order:
        return None
    world.call("POST", f"/purchaseorders/{order['purchaseorder_id']}/submit", remember=False)
    return f"/purchaseorders/{order['purchaseorder_id']}/reject"


PATH_PICKERS: dict[tuple[str, str], Callable[[World], str | None]] = {
    ("GET", "/retainerinvoices/{retainerinvoice_id}/attachment"): _attached(
        "/retainerinvoices", "retainerinvoice_id", "attachment"),
    ("DELETE", "/retainerinvoices/{retainerinvoice_id}/documents/{document_id}"): _attached(
        "/retainerinvoices", "retainerinvoice_id", "documents/{document_id}"),
    ("PUT", "/retainerinvoices/{retainerinvoice_id}/comments/{comment_id}"): _own_comment(
        "/retainerinvoices", "retainerinvoice_id"),
    ("DELETE", "/retainerinvoices/{retainerinvoice_id}/comments/{comment_id}"): _own_comment(
        "/retainerinvoices", "retainerinvoice_id"),
    ("POST", "/purchaseorders/{purchaseorder_id}/reject"): _order_pending_approval,
    ("PUT", "/recurringinvoices/{recurring_invoice_id}/templates/{template_id}"): _template_switch(
        "/recurringinvoices", "recurring_invoice_id"),
    ("PUT", "/retainerinvoices/{retainerinvoice_id}/templates/{template_id}"): _template_switch(
        "/retainerinvoices", "retainerinvoice_id"),
    ("POST", "/banktransactions/uncategorized/{transaction_id}/categorize"): _uncategorized_last,
    ("POST", "/invoices/{invoice_id}/credits"): _payable_with_credits(
        "invoices", "customer_id", (("/customerpayments", "payment_id"), ("/creditnotes", "creditnote_id"))),
    ("POST", "/bills/{bill_id}/credits"): _payable_with_credits(
        "bills", "vendor_id", (("/vendorpayments", "payment_id"), ("/vendorcredits", "vendor_credit_id"))),
    ("POST", "/vendorpayments/{payment_id}/refunds"): _vendor_payment_with_unused,
    ("POST", "/salesorders/{salesorder_id}/substatus/{status_code}"): _order_taking_sub_status,
}
