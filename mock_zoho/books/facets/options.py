"""The facet kinds: what a resource declares it offers, and the routes each declaration yields.

A facet is a sub-operation Zoho repeats across modules (comments, email, attachment, approval,
active/inactive, custom fields, addresses, templates, PDF). Each kind here is a frozen dataclass
holding only what differs between modules in Zoho's documents (the success message, the HTTP
status, the list key, which of the operations the module has); its handlers live in the module
named by ``module`` (``facets/<module>.py``) and are shared by every resource. ``routes`` turns one
declaration into (path pattern, method, operation) triples under the resource's path; the
declaration table itself is ``declare.FACETS``. Nothing here imports the gateway (``views``), so the
route table can be built while ``views`` is being imported.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

ID = "{id}"
Pattern = tuple[str, ...]
RouteSpec = tuple[Pattern, str, str]  # (pattern relative to the resource path, HTTP method, operation)


def _ops(text: str) -> frozenset[str]:
    return frozenset(text.split())


@dataclass(frozen=True)
class Facet:
    """Base of the facet kinds: ``module`` holds the handlers ``h_<operation>(call, facet)``."""

    module: ClassVar[str]

    def routes(self) -> list[RouteSpec]:
        raise NotImplementedError

    def path(self, spec_path: str) -> Pattern:
        """Where the facet's patterns start (the resource's path; customfields use a singular)."""
        return tuple(spec_path.split("/"))

    def status_of(self, op: str) -> int:
        """The HTTP status of the operation's success answer (what the journal records with its write)."""
        return 200


@dataclass(frozen=True)
class Comments(Facet):
    """``/<path>/{id}/comments[/{comment_id}]``: user comments and the record's history."""

    module: ClassVar[str] = "comments"
    ops: frozenset[str] = _ops("list add delete")  # of: list add update delete
    list_key: str = "comments"
    list_message: str = "success"
    paged: bool = False  # contacts: page and per_page, with a page_context
    record_fields: tuple[str, ...] = ()  # record fields each row repeats (contacts: contact_name)
    entity_flag: bool = False  # rows carry is_entity_deleted (contacts)
    added: str = "Comments added."
    added_status: int = 200
    echo: str = ""  # the added/updated comment in the answer: "" (none), "comment", "comment[]"
    updated: str = "Comment has been updated."
    update_echo: str = ""  # the updated comment in the answer, as ``echo``
    deleted: str = "The comment has been deleted."
    current_user_flag: bool = False  # rows carry is_current_user: the caller wrote it (projects)
    in_detail: bool = False  # the record's detail carries its rows as ``comments`` (fixed assets)

    def status_of(self, op: str) -> int:
        return self.added_status if op == "add" else 200

    def routes(self) -> list[RouteSpec]:
        one = {"list": ("GET", ()), "add": ("POST", ())}
        sub = {"update": ("PUT", ("{comment_id}",)), "delete": ("DELETE", ("{comment_id}",))}
        return [((ID, "comments") + tail, method, op) for op, (method, tail) in {**one, **sub}.items() if op in self.ops]


@dataclass(frozen=True)
class Email(Facet):
    """``GET/POST /<path>/{id}/<sub>``: the email content, and sending it (outbox, marks the record sent)."""

    module: ClassVar[str] = "email"
    sent: str = ""  # message of a sent email
    sent_status: int = 200
    ops: frozenset[str] = _ops("content send")  # of: content send bulk history
    sub: Pattern = ("email",)  # contacts: ("statements", "email")
    content_wrap: str = ""  # invoices wrap the content in "data" (credit notes: "data[]", a one-item array)
    marks: str = ""  # status a draft moves to when sent ("": the rules' "sent" action, else no change)
    bulk_sent: str = ""  # message of POST /<path>/email?<id>s=...
    bulk_status: int = 200
    kind: str = "document"  # "document" (a record's), "reminder" (a payment reminder), "statement", "contact", "invite"

    def status_of(self, op: str) -> int:
        return {"send": self.sent_status, "bulk": self.bulk_status}.get(op, 200)

    def routes(self) -> list[RouteSpec]:
        out: list[RouteSpec] = []
        if "content" in self.ops:
            out.append(((ID,) + self.sub, "GET", "content"))
        if "send" in self.ops:
            out.append(((ID,) + self.sub, "POST", "send"))
        if "bulk" in self.ops:
            out.append((self.sub, "POST", "bulk"))
        if "history" in self.ops:
            out.append(((ID, "emailhistory"), "GET", "history"))
        return out


@dataclass(frozen=True)
class Attachment(Facet):
    """``/<path>/{id}/attachment`` (expenses: ``receipt``): files stored and answered byte for byte."""

    module: ClassVar[str] = "attachment"
    ops: frozenset[str] = _ops("get add update delete")
    sub: str = "attachment"
    added: str = "The document has been attached."
    added_status: int = 200
    updated: str = ""
    deleted: str = "The attachment has been deleted."
    extensions: tuple[str, ...] = ("gif", "png", "jpeg", "jpg", "bmp", "pdf")  # Zoho's documented list
    echo_documents: bool = False  # expenses' POST attachment answers the documents

    def status_of(self, op: str) -> int:
        return self.added_status if op == "add" else 200

    def routes(self) -> list[RouteSpec]:
        methods = {"get": "GET", "add": "POST", "update": "PUT", "delete": "DELETE"}
        return [((ID, self.sub), methods[op], op) for op in sorted(self.ops)]


@dataclass(frozen=True)
class Documents(Facet):
    """``GET/DELETE /<path>/{id}/documents/{document_id}``: one attached file by its id."""

    module: ClassVar[str] = "attachment"
    ops: frozenset[str] = _ops("document_get document_delete")
    deleted: str = "The document has been deleted successfully."

    def routes(self) -> list[RouteSpec]:
        methods = {"document_get": "GET", "document_delete": "DELETE"}
        return [((ID, "documents", "{document_id}"), methods[op], op) for op in sorted(self.ops)]


@dataclass(frozen=True)
class Approval(Facet):
    """``POST /<path>/{id}/submit`` and ``/approve``: draft -> pending_approval -> approved."""

    module: ClassVar[str] = "approval"
    submitted: str = ""
    approved: str = ""
    submittable: tuple[str, ...] = ("draft",)  # statuses a record may be submitted from
    approved_status: str = "approved"  # "": the status the rules derive from the numbers

    def routes(self) -> list[RouteSpec]:
        return [((ID, "submit"), "POST", "submit"), ((ID, "approve"), "POST", "approve")]


@dataclass(frozen=True)
class Toggle(Facet):
    """``POST /<path>/{id}/<sub>`` sets one field: active/inactive, payment reminders on/off."""

    module: ClassVar[str] = "toggle"
    sub: Pattern = ()
    field: str = ""
    value: object = None
    message: str = ""
    status: int = 200
    history: str = ""  # the history line ("Contact marked as active")

    def status_of(self, op: str) -> int:
        return self.status

    def routes(self) -> list[RouteSpec]:
        return [((ID,) + self.sub, "POST", "set")]


def active_pair(field: str, label: str, status: int = 200, *, flag: bool = False) -> tuple[Toggle, Toggle]:
    """``/active`` and ``/inactive`` of a record whose ``field`` is "active"/"inactive" (or a flag)."""
    return tuple(Toggle(sub=(word,), field=field, value=(word == "active") if flag else word, status=status,  # type: ignore[return-value]
                        message=f"The {label} has been marked as {word}.", history=f"Marked as {word}")
                 for word in ("active", "inactive"))


@dataclass(frozen=True)
class CustomFields(Facet):
    """``PUT /<singular>/{id}/customfields``: a list of ``{customfield_id, value}`` merged into the record."""

    module: ClassVar[str] = "customfields"
    singular: str = ""
    message: str = "Custom Fields Updated Successfully"

    def path(self, spec_path: str) -> Pattern:
        return (self.singular,)

    def routes(self) -> list[RouteSpec]:
        return [((ID, "customfields"), "PUT", "update")]


@dataclass(frozen=True)
class Address(Facet):
    """``PUT /<path>/{id}/address/billing|shipping``: the record's own copy of an address."""

    module: ClassVar[str] = "address"
    kinds: tuple[str, ...] = ("billing", "shipping")
    period: bool = False  # "Billing address updated." (bills, purchase and sales orders) or without the period
    echo: bool = False  # bills answer the updated billing_address

    def routes(self) -> list[RouteSpec]:
        return [((ID, "address", kind), "PUT", "update") for kind in self.kinds]


@dataclass(frozen=True)
class AddressBook(Facet):
    """``/contacts/{id}/address[/{address_id}]``: a contact's additional addresses."""

    module: ClassVar[str] = "addressbook"
    created: str = "The address has been created."
    updated: str = "The address has been updated."
    deleted: str = "The address has been deleted."

    def routes(self) -> list[RouteSpec]:
        return [((ID, "address"), "GET", "list"), ((ID, "address"), "POST", "add"),
                ((ID, "address", "{address_id}"), "PUT", "update"), ((ID, "address", "{address_id}"), "DELETE", "delete")]


@dataclass(frozen=True)
class Portal(Facet):
    """``POST /contacts/{id}/portal/enable``: the listed contact persons get the client portal."""

    module: ClassVar[str] = "portal"
    message: str = "Client Portal preferences have been updated"

    def routes(self) -> list[RouteSpec]:
        return [((ID, "portal", "enable"), "POST", "enable")]


@dataclass(frozen=True)
class Template(Facet):
    """``PUT /<path>/{id}/templates/{template_id}``: the record's PDF template, one the org has."""

    module: ClassVar[str] = "templates"
    message: str = ""

    def routes(self) -> list[RouteSpec]:
        return [((ID, "templates", "{template_id}"), "PUT", "update")]


@dataclass(frozen=True)
class Pdf(Facet):
    """``GET /<path>/{id}?accept=pdf`` (served by the detail route) and bulk ``/<path>/pdf|print``."""

    module: ClassVar[str] = "pdf"
    bulk: tuple[str, ...] = ()  # of: "pdf", "print"
    max_records: int = 25  # "Maximum of 25 invoices can be printed."
    ids_required: bool = True  # sales orders document no ids: without them, the first 25 of the list

    def routes(self) -> list[RouteSpec]:
        return [((word,), "GET", "bulk") for word in self.bulk]


# ---- settlement: refunds, credits applied and payment rows (facets/refunds.py, facets/applied.py) ----------
Fields = tuple[tuple[str, str], ...]  # (answer field, where it comes from: see applied.value_of)


@dataclass(frozen=True)
class Refunds(Facet):
    """``/<path>/{id}/refunds[/{refund_id}]``: money paid back out of a credit or a payment, which moves
    what is left of it (``balance``: a credit's balance, a payment's unused amount); rows stored in the
    record under ``key`` (what ``GET /<path>/refunds`` lists where the resource has a refunds_key)."""

    module: ClassVar[str] = "refunds"
    key: str = ""  # the record's list of refunds (creditnote_refunds)
    row_id: str = ""  # creditnote_refund_id
    parent_field: str = ""  # the record's id as each row names it (creditnote_id, vendorpayment_id)
    one_key: str = ""  # the wrapper of one refund (creditnote_refund)
    one_in_list: bool = False  # customer and vendor payments answer one refund in a one-item array
    account: str = "from_account_id"  # the account the money leaves from (or returns to: to_account_id)
    account_required: bool = True
    balance: str = "balance"  # what the refund takes from (customer payments: unused_amount)
    companions: tuple[str, ...] = ()  # fields equal to ``balance`` in the base currency (bcy_balance)
    refunded: str = ""  # the record's visible running total of refunds (total_refunded_amount)
    refundable: tuple[str, ...] = ()  # statuses refunds are taken from (empty: any)
    number_field: str = ""  # the record's number each listed row repeats (creditnote_number)
    name_field: str = ""  # the record's party name each row repeats as customer_name
    list_fields: tuple[str, ...] = ()
    detail_fields: tuple[str, ...] = ()
    report_name: str = ""  # a page_context with this report name ("": no page_context)
    listed: str = "success"
    got: str = "success"
    added: str = ""
    added_status: int = 200
    updated: str = "The refund information has been saved."
    deleted: str = "The refund has been deleted."

    def status_of(self, op: str) -> int:
        return self.added_status if op == "add" else 200

    def routes(self) -> list[RouteSpec]:
        one = (ID, "refunds", "{refund_id}")
        return [((ID, "refunds"), "GET", "list"), ((ID, "refunds"), "POST", "add"), (one, "GET", "get"),
                (one, "PUT", "update"), (one, "DELETE", "delete")]


@dataclass(frozen=True)
class Applied(Facet):
    """``GET /<path>/{id}/<sub>`` and ``DELETE /<path>/{id}/<sub>/{link_id}``: the rows of one settlement link
    (``links.LINKS``: a credit note's invoices, a vendor payment's bills), seen from the record's ``side``
    ("source": the credit or payment, "target": the invoice or bill); a delete takes the amount back."""

    module: ClassVar[str] = "applied"
    link: str = ""
    side: str = "source"
    sub: str = ""
    ops: frozenset[str] = _ops("list delete")
    list_key: str = ""
    fields: Fields = ()
    deleted: str = ""

    def routes(self) -> list[RouteSpec]:
        out: list[RouteSpec] = []
        if "list" in self.ops:
            out.append(((ID, self.sub), "GET", "list"))
        if "delete" in self.ops:
            out.append(((ID, self.sub, "{link_id}"), "DELETE", "delete"))
        return out


@dataclass(frozen=True)
class ApplyFrom(Facet):
    """``POST /<path>/{id}/credits``: settle the record (an invoice or bill) from its party's credits and
    payments; ``sources`` is (body key, link name, the source's id field in each row)."""

    module: ClassVar[str] = "applied"
    sources: tuple[tuple[str, str, str], ...] = ()
    message: str = ""
    status: int = 200

    def status_of(self, op: str) -> int:
        return self.status

    def routes(self) -> list[RouteSpec]:
        return [((ID, "credits"), "POST", "apply")]


@dataclass(frozen=True)
class BulkDelete(Facet):
    """``DELETE /<path>?<param>=1,2,3&bulk_delete=true``: each record deleted as its own delete would."""

    module: ClassVar[str] = "bulkdelete"
    param: str = ""
    message: str = ""
    limit: int = 25  # our choice: the most ids one call takes (as bulk email and PDF)

    def routes(self) -> list[RouteSpec]:
        return [((), "DELETE", "delete")]
