"""The world builder: before an operation whose record must be in a given state (approve needs a
submitted record, write-off an unpaid sent invoice, a refund's read a refund...), the run puts one
there through the API, as a client would, and sends the operation to it.

One declarative table per kind of need:

* ``FRESH``: how a client makes a new record of a collection (the minimal valid create, with the
  world's real customer, vendor, item and accounts);
* ``STEPS`` and ``PRIOR``: the record actions that bring a fresh record to the state an action needs,
  per resource (``creditnotes status/draft`` needs ``status/void``) and per action word (``approve``
  needs what ``submit`` needs, then ``submit``);
* ``SUB_RECORDS``: the sub-record a read, change or delete of ``/<collection>/{id}/<sub>/{sub_id}``
  needs (a comment the run added, a refund it made, a credit it applied, a file it uploaded);
* ``SINGLES``: operation ids whose need has no generic form (a running timer, an opening balance,
  a base-currency adjustment, a custom-module record, an uncategorized statement line...);
* ``NAMED``: collections whose update renames a record (sent to the record holding the example's
  name), and a delete of a record of a collection the run made none of goes to a fresh one.

A sub-record the run's own documented POST made (``world.created``) is preferred to one made for the
operation, and a read of what a POST to the same path makes (a record's file, the opening balance:
``READS_AFTER_MAKE``) is sent right after that POST (``run.order``).

A preparation answers which path ids (and body or query fields) the operation takes; the records it
makes are not the run's ``world.created`` (those stay the documented creates' own). A preparation
whose step is refused raises ``Unprepared``: the operation is then sent as before, the note says why.
"""
from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from .oas import Operation
from .requests_gen import PATH_ID_ALIASES, body_for
from .world import EPOCH, Answer, World, records_of

TODAY = dt.datetime.fromtimestamp(EPOCH, dt.timezone.utc).date().isoformat()
AMOUNT = 100.0  # a fresh document's total: one line of one unit
# A record refunded from: enough left that the documented refund examples (amounts up to 450) fit.
REFUNDABLE = AMOUNT * 10
UPLOAD_NAME, UPLOAD_BYTES = "conformance.pdf", b"%PDF-1.4\n% conformance upload\n%%EOF\n"  # every file the run sends
FILE = (UPLOAD_NAME, UPLOAD_BYTES, "application/pdf")
_SERIAL = itertools.count(1)


class Unprepared(Exception):
    """A step of a preparation was refused: the world could not be put in the state the action needs."""


@dataclass
class Prepared:
    """What the operation takes from the records prepared for it."""

    ids: dict[str, str] = field(default_factory=dict)  # path parameter -> id
    body: dict[str, Any] = field(default_factory=dict)  # top-level body fields laid over the example's
    query: dict[str, Any] = field(default_factory=dict)  # query parameters laid over the documented ones

    def fill(self, template: str) -> str:
        for name, value in self.ids.items():
            template = template.replace("{%s}" % name, str(value))
        return template


@dataclass
class Builder:
    """One preparation's calls: each must succeed, or the preparation stops (``Unprepared``)."""

    world: World

    def ok(self, method: str, path: str, json: Any = None, params: dict[str, Any] | None = None,
           files: Any = None) -> dict[str, Any]:
        answer: Answer = self.world.call(method, path, params, json=json, files=files)
        if not 200 <= answer.status < 300:
            raise Unprepared(f"{method} {path}: {answer.status} code {answer.code} {answer.message[:80]}")
        return answer.body if isinstance(answer.body, dict) else {}

    def first(self, path: str, test: Callable[[dict[str, Any]], bool] = lambda r: True) -> dict[str, Any]:
        for record in self.world.records(path):
            if test(record):
                return record
        raise Unprepared(f"no record of {path} fits")

    # ---- the world's parties, items and accounts --------------------------------------------------------
    def customer(self) -> str:
        return self.first("/contacts", lambda r: r.get("contact_type") == "customer")["contact_id"]

    def vendor(self) -> str:
        return self.first("/contacts", lambda r: r.get("contact_type") == "vendor")["contact_id"]

    def account(self, kind: str) -> str:
        return self.first("/chartofaccounts", lambda r: r.get("account_type") == kind)["account_id"]

    def bank(self) -> str:
        return self.first("/bankaccounts", lambda r: r.get("account_type") == "bank")["account_id"]

    def lines(self) -> list[dict[str, Any]]:
        return [{"item_id": self.first("/items")["item_id"], "quantity": 1, "rate": AMOUNT}]

    # ---- records -------------------------------------------------------------------------------------
    def fresh(self, collection: str, amount: float = AMOUNT) -> str:
        """A new record of ``collection`` made by its documented create (of ``amount``); its id."""
        make = FRESH.get(collection)
        if make is None:
            raise Unprepared(f"no way to make a record of /{collection}")
        body = self.ok("POST", f"/{collection}", json=scaled(make(self), amount))
        return created_id(body)

    def act(self, collection: str, rid: str, action: str, json: Any = None) -> None:
        self.ok("POST", f"/{collection}/{rid}/{action}", json=json)

    def in_state(self, collection: str, action: str) -> str:
        """A fresh record of ``collection`` taken through the steps ``action`` needs first."""
        rid = self.fresh(collection)
        for step in steps(collection, action):
            self.act(collection, rid, step)
        return rid


def scaled(body: dict[str, Any], amount: float) -> dict[str, Any]:
    """A create body of ``amount``: its payment amount or its one line's rate."""
    if "amount" in body:
        body["amount"] = amount
    for line in body.get("line_items") or []:
        if "rate" in line:
            line["rate"] = amount
    return body


def created_id(body: dict[str, Any]) -> str:
    """The id of the record an answer carries (its wrapper's first ``*_id``; a list's first record)."""
    for key, value in body.items():
        if key in ("code", "message"):
            continue
        record = value[0] if isinstance(value, list) and value else value
        if isinstance(record, dict):
            found = next((str(v) for k, v in record.items() if k.endswith("_id") and v), None)
            if found:
                return found
    raise Unprepared(f"no id in the answer: {list(body)}")


def _unique(prefix: str) -> str:
    return f"{prefix} {next(_SERIAL)}"


# ---- FRESH: the minimal create a client sends, per collection ----------------------------------------------
def _sale(b: Builder) -> dict[str, Any]:
    return {"customer_id": b.customer(), "date": TODAY, "line_items": b.lines()}


def _purchase(b: Builder) -> dict[str, Any]:
    return {"vendor_id": b.vendor(), "date": TODAY, "line_items": b.lines()}


FRESH: dict[str, Callable[[Builder], dict[str, Any]]] = {
    "invoices": _sale, "creditnotes": _sale, "salesorders": _sale, "estimates": _sale,
    "vendorcredits": _purchase, "purchaseorders": _purchase,
    "bills": lambda b: {**_purchase(b), "bill_number": _unique("CONF-BILL").replace(" ", "-")},
    "customerpayments": lambda b: {"customer_id": b.customer(), "payment_mode": "cash", "amount": AMOUNT,
                                   "date": TODAY, "account_id": b.bank()},
    "vendorpayments": lambda b: {"vendor_id": b.vendor(), "payment_mode": "cash", "amount": AMOUNT, "date": TODAY,
                                 "paid_through_account_id": b.bank()},
    "journals": lambda b: {"journal_date": TODAY, "status": "draft", "line_items": [
        {"account_id": b.account("expense"), "debit_or_credit": "debit", "amount": AMOUNT},
        {"account_id": b.account("cash"), "debit_or_credit": "credit", "amount": AMOUNT}]},
    "fixedassets": lambda b: {"asset_name": _unique("Conformance asset"), "asset_cost": AMOUNT * 10,
                              # the type of the org's first asset: one already used (a type the run makes stays free)
                              "fixed_asset_type_id": b.first("/fixedassets")["fixed_asset_type_id"],
                              "asset_account_id": b.account("fixed_asset"), "asset_purchase_date": TODAY,
                              "salvage_value": 0},
    "users": lambda b: {"name": _unique("Conformance user"), "email": f"conformance{next(_SERIAL)}@example.com"},
    "chartofaccounts": lambda b: {"account_name": _unique("Conformance account"), "account_type": "other_expense"},
    "projects": lambda b: {"project_name": _unique("Conformance project"), "customer_id": b.customer(),
                           "billing_type": "based_on_project_hours", "rate": AMOUNT,
                           "user_id": b.first("/users")["user_id"]},
}

# ---- STEPS / PRIOR: the record actions an action needs first ------------------------------------------------
# Per resource: from a fresh record (credit and vendor credits are created open, the rest draft).
STEPS: dict[tuple[str, str], tuple[str, ...]] = {
    ("creditnotes", "status/draft"): ("status/void",),
    ("creditnotes", "status/open"): ("status/void", "status/draft"),
    ("creditnotes", "submit"): ("status/void", "status/draft"),
    ("vendorcredits", "status/open"): ("status/void",),
    ("invoices", "writeoff"): ("status/sent",),
    ("invoices", "paymentreminder"): ("status/sent",),
    ("fixedassets", "status/cancel"): ("status/active",),
    ("fixedassets", "status/draft"): ("status/active",),
}
# Per action word, for every resource: it needs what the prior action needs, then the prior action.
PRIOR: dict[str, str] = {"approve": "submit", "reject": "submit", "writeoff/cancel": "writeoff"}
# Actions sent to a fresh record of their collection (no steps: the fresh record is in the state).
FRESH_ACTIONS: frozenset[tuple[str, str]] = frozenset({
    ("salesorders", "status/open"), ("vendorcredits", "status/void"), ("journals", "status/publish"),
    ("users", "invite"),
})
# Action words every resource takes on a fresh record (a submitted record is not submitted again, and the
# first listed record stays as seeded for the run's other actions).
FRESH_WORDS: frozenset[str] = frozenset({"submit"})


def steps(collection: str, action: str) -> tuple[str, ...]:
    prior = PRIOR.get(action)
    if prior is not None:
        return steps(collection, prior) + (prior,)
    return STEPS.get((collection, action), ())


def needs_fresh(collection: str, action: str) -> bool:
    """Whether ``action`` is sent to a fresh record (one the run can make: else to the listed ones)."""
    return collection in FRESH and ((collection, action) in STEPS or (collection, action) in FRESH_ACTIONS
                                    or action in PRIOR or action in FRESH_WORDS)


# ---- SUB_RECORDS: the sub-record an operation on /<collection>/{id}/<sub>/{sub_id} needs ----------------------
# Each maker takes the collection and its id parameter's name, and answers (record id, sub-record id).
def _own_comment(b: Builder, collection: str, param: str) -> tuple[str, str]:
    """A comment the run adds (a user's, ``internal``), not a history line."""
    rid = first_id(b, collection, param)
    added = b.ok("POST", f"/{collection}/{rid}/comments",
                 json={"description": "Conformance note", "show_comment_to_clients": False})
    echoed = added.get("comment")  # bills and vendor credits answer the comment added, journals a list of it
    rows = [echoed] if isinstance(echoed, dict) else echoed if isinstance(echoed, list) else \
        b.ok("GET", f"/{collection}/{rid}/comments").get("comments") or []
    comment = next((c for c in rows if c.get("comment_type") == "internal"), None)
    if comment is None:
        raise Unprepared(f"no comment of the run's under /{collection}/{rid}")
    return rid, str(comment["comment_id"])


def _own_refund(b: Builder, collection: str, param: str) -> tuple[str, str]:
    """A refund the run makes from a fresh credit or payment (all of it left)."""
    rid = b.fresh(collection, REFUNDABLE)
    bank = b.bank()  # the account the money leaves (credits, customer payments) or returns to (vendor payments)
    body = {"date": TODAY, "amount": AMOUNT / 10, "refund_mode": "cash", "from_account_id": bank,
            "account_id": bank, "to_account_id": bank}
    return rid, created_id(b.ok("POST", f"/{collection}/{rid}/refunds", json=body))


def _applied_credit(b: Builder, collection: str, param: str) -> tuple[str, str]:
    """A fresh credit note applied to a fresh sent invoice of the same customer; the application's id."""
    invoice = b.in_state("invoices", "writeoff")  # sent, unpaid
    credit = b.fresh("creditnotes")
    b.act("creditnotes", credit, "invoices", {"invoices": [{"invoice_id": invoice, "amount_applied": AMOUNT}]})
    rows = b.ok("GET", f"/invoices/{invoice}/creditsapplied").get("credits") or []
    if not rows:
        raise Unprepared(f"/invoices/{invoice}/creditsapplied lists nothing")
    return invoice, str(rows[0]["creditnotes_invoice_id"])


def _bill_payment(b: Builder, collection: str, param: str) -> tuple[str, str]:
    """A fresh bill paid by a vendor payment; the payment row's ``bill_payment_id``."""
    bill = b.fresh("bills")
    body = {**FRESH["vendorpayments"](b), "bills": [{"bill_id": bill, "amount_applied": AMOUNT}]}
    b.ok("POST", "/vendorpayments", json=body)
    rows = b.ok("GET", f"/bills/{bill}/payments").get("payments") or []
    if not rows:
        raise Unprepared(f"/bills/{bill}/payments lists nothing")
    return bill, str(rows[0]["bill_payment_id"])


def _uploaded_document(b: Builder, collection: str, param: str) -> tuple[str, str]:
    """A file the run attaches to the collection's first record; the record's document id for it."""
    rid = _attached(b, collection, param)
    answer = b.ok("GET", f"/{collection}/{rid}")
    record = next((v for v in answer.values() if isinstance(v, dict)), {})
    documents = record.get("documents") or []
    if not documents:
        raise Unprepared(f"/{collection}/{rid} shows no documents")
    return rid, str(documents[-1]["document_id"])


def _project_user(b: Builder, collection: str, param: str) -> tuple[str, str]:
    """A user the run invites to the first project (no time logged: a user with time is kept)."""
    pid = first_id(b, collection, param)
    body = {"user_name": _unique("Conformance member"), "email": f"member{next(_SERIAL)}@example.com"}
    return pid, created_id(b.ok("POST", f"/{collection}/{pid}/users/invite", json=body))


SUB_RECORDS: dict[str, Callable[[Builder, str, str], tuple[str, str]]] = {
    "comments": _own_comment, "refunds": _own_refund, "creditsapplied": _applied_credit,
    "payments": _bill_payment, "documents": _uploaded_document, "users": _project_user,
}
# Which operations on a sub-record need one (a comment's read is of any; its change or delete, the run's own).
SUB_METHODS: dict[str, tuple[str, ...]] = {
    "comments": ("PUT", "DELETE"), "refunds": ("GET", "PUT", "DELETE"), "creditsapplied": ("DELETE",),
    "payments": ("DELETE",), "documents": ("GET", "DELETE"), "users": ("DELETE",),
}
# Sub-records whose maker serves only some collections (every collection otherwise).
SUB_COLLECTIONS: dict[str, tuple[str, ...]] = {"payments": ("bills",), "users": ("projects",)}


def run_created(world: World, op: Operation) -> Prepared | None:
    """The sub-record the run's own documented POST made under a record (``world.created``), for a read,
    change or delete of ``/<collection>/{id}/<sub>/{sub_id}``: preferred to one made for the operation."""
    segs = op.segments
    pattern = re.compile("/" + "/".join("([^/]+)" if s.startswith("{") else re.escape(s) for s in segs[:-1]))
    params = [s[1:-1] for s in segs[:-1] if s.startswith("{")]
    for collection, ids in reversed(list(world.created.items())):
        found = pattern.fullmatch(collection)
        if found and ids:
            return Prepared({**dict(zip(params, found.groups())), segs[-1][1:-1]: ids[-1]})
    return None


# ---- attachments: a read of a record's file needs one uploaded --------------------------------------------
def _attached(b: Builder, collection: str, param: str, field_name: str = "attachment") -> str:
    """The collection's first record, a file attached to it (in the field a client sends it in)."""
    rid = first_id(b, collection, param)
    b.ok("POST", f"/{collection}/{rid}/{field_name}", files={field_name: FILE})
    return rid


def first_id(b: Builder, collection: str, param: str) -> str:
    """The id of the collection's first listed record: its field named as the path parameter (or the
    list's name for it, ``PATH_ID_ALIASES``), else its first id."""
    record = b.first(f"/{collection}")
    value = record.get(param) or record.get(PATH_ID_ALIASES.get(param, param)) or \
        next((v for k, v in record.items() if k.endswith("_id") and v), None)
    if not value:
        raise Unprepared(f"no id in /{collection}'s first record")
    return str(value)


# ---- SINGLES: needs with no generic form ------------------------------------------------------------------
def _opening_balance(b: Builder, op: Operation) -> Prepared:
    """The org's opening balance, made (balanced) when it has none."""
    if b.world.call("GET", "/settings/openingbalances").status == 404:
        lines = [{"account_id": b.account("cash"), "debit_or_credit": "debit", "amount": AMOUNT},
                 {"account_id": b.account("equity"), "debit_or_credit": "credit", "amount": AMOUNT}]
        b.ok("POST", "/settings/openingbalances", json={"date": "2026-01-01", "accounts": lines})
    return Prepared()


def _base_currency_adjustment(b: Builder, op: Operation) -> Prepared:
    """An adjustment of a foreign currency the org has open documents in (else there is nothing to adjust)."""
    for currency in b.world.records("/settings/currencies"):
        if currency.get("is_base_currency"):
            continue
        query = {"currency_id": currency["currency_id"], "adjustment_date": TODAY, "exchange_rate": 2.5,
                 "notes": "Conformance revaluation"}
        if b.ok("GET", "/basecurrencyadjustment/accounts", params=query).get("data", {}).get("accounts"):
            made = b.ok("POST", "/basecurrencyadjustment", json=query)
            return Prepared({"base_currency_adjustment_id": str(made["data"]["base_currency_adjustment_id"])})
    raise Unprepared("no foreign currency with open documents to adjust")


def _module_record(b: Builder, op: Operation) -> Prepared:
    """A record of the documented example's module (its body's record ids then name one of the module)."""
    module = next((p.get("example") or (p.get("schema") or {}).get("example") for p in op.path_params
                   if p.get("name") == "module_name"), None) or "cm_conformance"
    made = b.ok("POST", f"/{module}", json={"record_name": _unique("Conformance record")})
    return Prepared({"module_name": module, "module_id": created_id(made)})


def _running_timer(b: Builder, op: Operation) -> Prepared:
    """The caller's timer running (on the first time entry): one is read or stopped only while it runs."""
    entry = b.first("/projects/timeentries")["time_entry_id"]
    b.ok("POST", f"/projects/timeentries/{entry}/timer/start")
    return Prepared()


def _uncategorized_line(b: Builder, op: Operation) -> Prepared:
    """A statement line of the bank account that is uncategorized: one the run adds, then uncategorizes."""
    body = {"from_account_id": b.bank(), "transaction_type": "owner_drawings", "amount": AMOUNT / 4, "date": TODAY}
    tid = created_id(b.ok("POST", "/banktransactions", json=body))
    b.ok("POST", f"/banktransactions/{tid}/uncategorize")
    return Prepared({"transaction_id": tid})


def _applied_to_invoice(b: Builder, op: Operation) -> Prepared:
    """A fresh credit note and a fresh sent invoice of its customer: the credit applied in full."""
    invoice = b.in_state("invoices", "writeoff")
    credit = b.fresh("creditnotes")
    return Prepared(_record_id(op, credit), body={"invoices": [{"invoice_id": invoice, "amount_applied": AMOUNT}]})


def _applied_to_bill(b: Builder, op: Operation) -> Prepared:
    """A fresh vendor credit and a fresh bill of its vendor (both open): the credit applied in full."""
    bill = b.fresh("bills")
    credit = b.fresh("vendorcredits")
    return Prepared(_record_id(op, credit), body={"bills": [{"bill_id": bill, "amount_applied": AMOUNT}]})


def _bulk_reminder(b: Builder, op: Operation) -> Prepared:
    """A sent, unpaid invoice named in ``invoice_ids`` (a draft, paid or void one cannot be reminded)."""
    return Prepared(query={"invoice_ids": b.in_state("invoices", "paymentreminder")})


def _expense_receipt(b: Builder, op: Operation) -> Prepared:
    """An expense holding a receipt (``DELETE /invoices/expenses/{expense_id}/receipt`` takes it away)."""
    return Prepared({"expense_id": _attached(b, "expenses", "expense_id", "receipt")})


def _name_holder(b: Builder, op: Operation) -> Prepared:
    """A rename to the documented example's name: sent to the record holding that name (the run's own
    create or clone took it), else to a fresh record; renaming another record to it is a duplicate (1001)."""
    collection = op.segments[0]
    name_field = NAMED[collection]
    example = (body_for(op.request_schema, b.world) or {}).get(name_field)
    id_field = next(s for s in op.segments if s.startswith("{"))[1:-1]
    listed = b.ok("GET", f"/{collection}", params={"per_page": 200})
    holder = next((r for r in records_of(listed) if example and r.get(name_field) == example), None)
    return Prepared(_record_id(op, str(holder[id_field]) if holder else b.fresh(collection)))


# Collections whose records have a unique name (the field a documented update renames).
NAMED: dict[str, str] = {"projects": "project_name"}


def _fresh_record(b: Builder, op: Operation) -> Prepared:
    """A change or delete of a record the run made (not a seeded one with transactions or a taken name)."""
    collection = op.segments[0]
    return Prepared(_record_id(op, b.fresh(collection)))


def _record_id(op: Operation, rid: str) -> dict[str, str]:
    name = next(s for s in op.segments if s.startswith("{"))[1:-1]
    return {name: rid}


SINGLES: dict[str, Callable[[Builder, Operation], Prepared]] = {
    "get_opening_balance": _opening_balance, "update_opening_balance": _opening_balance,
    "delete_opening_balance": _opening_balance,
    "get_base_currency_adjustment": _base_currency_adjustment,
    "delete_base_currency_adjustment": _base_currency_adjustment,
    "get_custom_module_record_details": _module_record, "update_custom_module_record": _module_record,
    "delete_custom_module_record": _module_record,
    "get_running_timer": _running_timer, "stop_entry_timer": _running_timer,
    "categorize_bank_transaction_as_expense": _uncategorized_line,
    "categorize_bank_transaction_as_vendor_payment": _uncategorized_line,
    "apply_credit_note_to_invoice": _applied_to_invoice, "apply_credits_to_a_bill": _applied_to_bill,
    "bulk_invoice_reminder": _bulk_reminder, "delete_invoice_expense_receipt": _expense_receipt,
}
# Reads of a record's file: the file the run uploads first (the field a client sends it in).
UPLOAD_READS: dict[str, str] = {"attachment": "attachment", "receipt": "receipt"}
# Reads of what a POST to the same path makes: the run sends them right after that POST (run.order).
READS_AFTER_MAKE: frozenset[str] = frozenset({*UPLOAD_READS, "openingbalances"})


def preparation(op: Operation) -> Callable[[Builder], Prepared | None] | None:
    """How the world is prepared for ``op`` (None: it needs nothing prepared). In order: an operation of
    its own (``SINGLES``); an action on a record (``/<collection>/{id}/<action>``) that needs a fresh
    record in a state; a read of a record's file; a read, change or delete of a sub-record; a change of a
    record to a unique name; a delete of a record when the run made none of that collection."""
    if op.operation_id in SINGLES:
        single = SINGLES[op.operation_id]
        return lambda b: single(b, op)
    segs = op.segments
    if len(segs) < 2 or not segs[1].startswith("{") or segs[0].startswith("{"):
        return None
    collection, param, tail = segs[0], segs[1][1:-1], segs[2:]
    action = "/".join(tail)
    if not tail:
        if op.method == "PUT" and collection in NAMED:
            return lambda b: _name_holder(b, op)
        if op.method == "DELETE" and collection in FRESH:
            return lambda b: None if b.world.created.get(f"/{collection}") else _fresh_record(b, op)
        return None
    if op.method == "POST" and not any(s.startswith("{") for s in tail) and needs_fresh(collection, action):
        return lambda b: Prepared({param: b.in_state(collection, action)})
    if op.method == "GET" and action in UPLOAD_READS:
        return lambda b: Prepared({param: _attached(b, collection, param, UPLOAD_READS[action])})
    sub = tail[0]
    if len(tail) == 2 and tail[1].startswith("{") and sub in SUB_RECORDS and op.method in SUB_METHODS[sub] \
            and collection in SUB_COLLECTIONS.get(sub, (collection,)):
        def sub_record(b: Builder) -> Prepared:
            own = run_created(b.world, op)
            if own is not None:
                return own
            rid, sid = SUB_RECORDS[sub](b, collection, param)
            return Prepared({param: rid, tail[1][1:-1]: sid})
        return sub_record
    if len(tail) == 2 and tail[1].startswith("{") and op.method in ("GET", "PUT", "DELETE"):
        return lambda b: run_created(b.world, op)
    return None


def prepare(op: Operation, world: World) -> Prepared | None:
    """Put the world in the state ``op`` needs; the ids (body, query) it takes. The records made here
    are not the run's ``created`` ones (a documented change or delete of its own creates stays so)."""
    how = preparation(op)
    if how is None:
        return None
    created = {k: list(v) for k, v in world.created.items()}
    try:
        return how(Builder(world)) or None
    finally:
        world.created = created
