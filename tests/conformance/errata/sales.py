"""Errata of Zoho's documents on the sales side (invoices, estimates, sales orders, credit notes, customer
payments and debit notes, retainer and recurring invoices, contacts, contact persons, items).

Each says what the document says, what the live API does, and the evidence (the document's own
examples, another Zoho document, Zoho's HTML pages, a live client's schema)."""
from __future__ import annotations

from typing import Any, Callable

from ..oas import EDITION_KEY, Operation
from .base import Erratum, container, props_of

Schema = dict[str, Any]


def _node(schema: Schema | None, path: str) -> Schema | None:
    """The schema of a response field named by a dotted path (``retainerinvoice.line_items[].x``)."""
    node: Any = schema
    for part in path.split("."):
        name, rows = (part[:-2], True) if part.endswith("[]") else (part, False)
        node = props_of(node).get(name)
        if rows and isinstance(node, dict):
            node = node.get("items")
        if not isinstance(node, dict):
            return None
    return node


def _parent_and_name(schema: Schema | None, path: str) -> tuple[Schema | None, str]:
    parent, _, name = path.rpartition(".")
    return (_node(schema, parent) if parent else schema), name


def retype(module: str, operations: tuple[str, ...], fields: dict[str, Schema]) -> Callable[[Operation], bool]:
    """The response fields at ``fields``' paths (under any record wrapper the operation answers) of those
    operations of ``module`` are typed as given."""
    def patch(op: Operation) -> bool:
        if op.module != module or op.operation_id not in operations:
            return False
        changed = False
        for path, kind in fields.items():
            parent, name = _parent_and_name(op.response_schema, path)
            props = props_of(parent)
            if name in props and {k: v for k, v in props[name].items() if k in kind} != kind:
                keep = {k: v for k, v in props[name].items() if k in ("description",) or k.startswith("x-")}
                props[name] = {**keep, **kind}
                changed = True
        return changed
    return patch


def gate(module: str, paths: tuple[str, ...], editions: tuple[str, ...],
         kind: Schema | None = None) -> Callable[[Operation], bool]:
    """Response fields of every operation of ``module`` that Zoho serves in ``editions`` only (and, when
    given, their type)."""
    def patch(op: Operation) -> bool:
        if op.module != module:
            return False
        changed = False
        for path in paths:
            parent, name = _parent_and_name(op.response_schema, path)
            node = props_of(parent).get(name)
            if isinstance(node, dict) and node.get(EDITION_KEY) != list(editions):
                node[EDITION_KEY] = list(editions)
                node.update(kind or {})
                changed = True
        return changed
    return patch


def _debit_notes_listed_as_invoices(op: Operation) -> bool:
    """GET /invoices of customer-debit-notes.yml: its rows are invoices' list rows under ``invoices``."""
    if (op.module, op.method, op.path) != ("customer-debit-notes", "GET", "/invoices"):
        return False
    props = props_of(op.response_schema)
    rows = props.pop("debit_notes", None)
    if rows is None:
        return False
    item = dict(rows.get("items") or {})
    item["properties"] = {k: v for k, v in props_of(item).items() if k not in _DEBIT_NOTE_DETAIL_ONLY}
    props["invoices"] = {**rows, "items": item}
    return True


# customer-debit-notes.yml gives each row of its list the whole record of its get answer; invoices.yml's
# list of the same path gives list rows without these (the detail carries them).
_DEBIT_NOTE_DETAIL_ONLY = ("line_items", "reference_invoice")

_RETAINER_READS = ("list_retainer_invoices", "get_retainer_invoice")

ERRATA: tuple[Erratum, ...] = (
    Erratum("vat_reg_no_uk_only", "invoices.yml and credit-notes.yml document a record's vat_reg_no for every "
            "edition; contacts.yml, bills.yml and recurring-bills.yml document the same field as UK (and Avalara) "
            "only, and a document's VAT number is its UK contact's: gated to the UK edition (the emulator serves "
            "it there, editions.py)",
            lambda op: any([gate("invoices", ("invoice.vat_reg_no",), ("uk",))(op),
                            gate("credit-notes", ("creditnote.vat_reg_no",), ("uk",))(op)])),
    Erratum("creditnote_serial_numbers_list", "credit-notes.yml types a line's serial_numbers as a string while "
            "describing it as the serial numbers of the items (several); bills.yml and vendor-credits.yml type "
            "the same line field as an array of strings: a list",
            retype("credit-notes", ("get_credit_note", "create_credit_note", "update_credit_note"),
                   {"creditnote.line_items[].serial_numbers": {"type": "array", "items": {"type": "string"}}})),
    Erratum("retainer_is_pre_gst_india", "retainer-invoices.yml documents is_pre_gst (\"applicable for transactions "
            "before July 1, 2017\", India's GST start) for every edition and as a string whose example is false; "
            "invoices.yml, credit-notes.yml, estimates.yml, bills.yml, purchase-order.yml and "
            "recurring-invoices.yml gate it to India, and all but recurring invoices type it a boolean: an India "
            "flag (served in the India edition)",
            gate("retainer-invoices", ("retainerinvoice.is_pre_gst",), ("in",), {"type": "boolean"})),
    Erratum("retainer_viewed_time_and_emailed", "retainer-invoices.yml types client_viewed_time a boolean (example "
            "true) and is_emailed a string (example false); invoices.yml types client_viewed_time a string "
            "(example \"\", a time once viewed: estimates.yml's example 2016-06-19T05:49:12-0500) and invoices.yml, "
            "sales-order.yml and purchase-order.yml type is_emailed a boolean, as the retainer's own example is",
            retype("retainer-invoices", _RETAINER_READS + ("create_retainer_invoice", "update_retainer_invoice"), {
                **{f"{w}.client_viewed_time": {"type": "string"} for w in ("retainerinvoice", "retainerinvoices[]")},
                **{f"{w}.is_emailed": {"type": "boolean"} for w in ("retainerinvoice", "retainerinvoices[]")}})),
    Erratum("retainer_email_senders", "retainer-invoices.yml's email content types from_emails[].selected and "
            "to_contacts[].selected strings (example false) and from_emails[].user_name an array whose example is "
            "one name ('John Smith'); the email contents of invoices.yml, estimates.yml, credit-notes.yml, "
            "sales-order.yml, contacts.yml (statement) and vendor-payments.yml type selected a boolean and "
            "user_name a string",
            retype("retainer-invoices", ("get_retainer_invoice_email",), {
                "from_emails[].selected": {"type": "boolean"}, "to_contacts[].selected": {"type": "boolean"},
                "from_emails[].user_name": {"type": "string"}})),
    Erratum("contactperson_update_object", "contact-persons.yml documents the update answer's contact_person as an "
            "array; its get answer (and the create answer, erratum contactperson_create_object) is one object, "
            "the person updated", container("/contacts/contactpersons/{contact_person_id}", "PUT", "object")),
    Erratum("debit_notes_listed_as_invoices", "customer-debit-notes.yml lists GET /invoices under debit_notes, "
            "each row the whole record of its get answer; invoices.yml documents the same GET /invoices under "
            "invoices with list rows (no line_items, no reference_invoice), and customer-debit-notes.yml itself "
            "wraps one debit note under invoice, not debit_note: a debit note is an invoice of type debit_note, "
            "listed as invoices are (our pick where the two documents conflict: README choices table)",
            _debit_notes_listed_as_invoices),
)
