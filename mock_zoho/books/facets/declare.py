"""Which facets each served resource offers, exactly as Zoho's Books v3 documents list them.

One entry per resource (the ``SPECS`` name); each value is the tuple of its facet declarations
(``options.py``), with the success messages and HTTP statuses of Zoho's examples for that module
(typos included: "Sales Oder Updated Successfully." is Zoho's). Email content is wrapped in
``data`` where the documents wrap it (``data[]``: in a one-item array, as the credit note and sales
order documents show it). A resource named here but not
served (no ``ResourceSpec``) gets no route. ``facet_routes`` turns the table into the gateway's
extra routes; ``views._routes`` appends them after its own, so no facet route shadows another.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict
from typing import Iterator, Mapping

from ..refund_rows import REFUND_ROWS
from .options import (Address, AddressBook, Applied, ApplyFrom, Approval, Attachment, BulkDelete, Comments,
                      CustomFields, Documents, Email, Facet, Pattern, Pdf, Portal, Refunds, Template, Toggle, _ops,
                      active_pair)

_ALL = _ops("list add update delete")
_EXPENSE_FILES = ("gif", "png", "jpeg", "jpg", "bmp", "pdf", "xls", "xlsx", "doc", "docx")

FACETS: dict[str, tuple[Facet, ...]] = {
    "invoices": (
        Comments(ops=_ALL, updated="success", update_echo="comment"),
        Email(sent="Your invoice has been sent.", ops=_ops("content send bulk"), content_wrap="data",
              bulk_sent="Your mails are scheduled to be sent in a few minutes. We will notify you once it is done."),
        Email(sub=("paymentreminder",), kind="reminder", ops=_ops("content send bulk"), content_wrap="data",
              sent="Your payment reminder has been sent.", bulk_sent="success", bulk_status=201),
        Toggle(sub=("paymentreminder", "enable"), field="payment_reminder_enabled", value=True,
               message="Reminders enabled.", history="Payment reminders enabled"),
        Toggle(sub=("paymentreminder", "disable"), field="payment_reminder_enabled", value=False,
               message="Reminders stopped.", history="Payment reminders stopped"),
        Attachment(added="Your file has been successfully attached to the invoice.",
                   updated="Invoice information has been updated.",
                   deleted="Your file is no longer attached to the invoice."),
        Documents(),
        Approval(submitted="The invoice has been submitted for approval successfully.",
                 approved="You have approved the invoice."),
        CustomFields(singular="invoice"),
        Address(),
        Template(message="Invoice information has been updated."),
        Pdf(bulk=("pdf", "print")),
    ),
    "estimates": (
        Comments(ops=_ALL, added="Comments added", updated="Comment has been updated successfully.", update_echo="comment"),
        Email(sent="Your estimate has been sent.", ops=_ops("content send bulk"), marks="sent",
              bulk_sent="Mission accomplished! We've sent all the estimates."),
        Approval(submitted="The estimate has been successfully submitted for approval",
                 approved="You have approved the estimate."),
        CustomFields(singular="estimate"),
        Address(),
        Template(message="Estimate information has been updated."),
        Pdf(bulk=("pdf", "print")),
    ),
    "salesorders": (
        Comments(ops=_ALL, echo="comment[]", update_echo="comment[]"),
        Email(sent="Your Sales Order has been sent.", sent_status=201, marks="open", content_wrap="data[]"),
        Approval(submitted="The Sales Order has been successfully submitted for approval.",
                 approved="You have approved the Sales Order."),
        Attachment(added="Your file has been successfully attached to the sales order.", added_status=201,
                   updated="Sales Oder Updated Successfully.", deleted="Your file is no longer attached to the sales order."),
        CustomFields(singular="salesorder"),
        Address(period=True),
        Template(message="Sales Order Updated Successfully."),
        Pdf(bulk=("pdf", "print"), ids_required=False),
    ),
    "purchaseorders": (
        Comments(ops=_ALL, added_status=201, echo="comment", update_echo=""),  # submit/approve: the rules' actions
        Email(sent="Your purchase order has been sent.", sent_status=201, marks="open"),
        Attachment(added_status=201, updated="Purchase Order has been updated."),
        CustomFields(singular="purchaseorder"),
        Address(kinds=("billing",), period=True),
        Template(message="Purchase Order has been updated."),
    ),
    "creditnotes": (
        Comments(list_message="Comments of the credit note are displayed successfully."),
        Email(sent="Your creditnote has been sent.", ops=_ops("content send history"), marks="open",
              content_wrap="data[]"),
        Approval(submitted="The Credit Note has been successfully submitted for approval.",
                 approved="You have approved the Credit Note.", approved_status=""),
        Address(),
        Template(message="The credit note has been updated."),
    ),
    "bills": (
        Comments(added_status=201, echo="comment"),
        Attachment(ops=_ops("get add delete"), added_status=201),
        Approval(submitted="The bill has been submitted for approval successfully.", approved="success",
                 submittable=("draft", "open"), approved_status=""),
        CustomFields(singular="bill"),
        Address(kinds=("billing",), period=True, echo=True),
    ),
    "vendorcredits": (Comments(added_status=201, echo="comment"),),  # submit/approve: the write rules' actions
    "expenses": (
        Comments(ops=_ops("list")),
        Attachment(sub="receipt", ops=_ops("get add delete"), added="The expense receipt has been attached.",
                   deleted="The attached expense receipt has been deleted.", extensions=_EXPENSE_FILES),
        Attachment(ops=_ops("add"), added="The expense attachment has been attached.", extensions=_EXPENSE_FILES,
                   echo_documents=True),
    ),
    "journals": (
        Comments(ops=_ops("add delete"), added="Journal comment has been added successfully.", echo="comment[]",
                 deleted="The selected journal comment entries have been deleted."),
        Attachment(ops=_ops("add"), added="Your file has been successfully attached to the journal.", added_status=201),
    ),
    "customerpayments": (CustomFields(singular="customerpayment"),),
    "vendorpayments": (Email(sent="Your vendor payment receipt has been sent."),),
    "contacts": (
        *active_pair("status", "contact"),
        Toggle(sub=("paymentreminder", "enable"), field="payment_reminder_enabled", value=True,
               message="All reminders associated with this contact have been enabled.",
               history="Payment reminders enabled"),
        Toggle(sub=("paymentreminder", "disable"), field="payment_reminder_enabled", value=False,
               message="All reminders associated with this contact have been stopped.",
               history="Payment reminders stopped"),
        Email(kind="contact", ops=_ops("send"), sent="Email has been sent."),
        Email(kind="statement", sub=("statements", "email"), sent="Statement has been sent to the Customer.",
              content_wrap="data"),
        Comments(ops=_ops("list"), list_key="contact_comments", paged=True, record_fields=("contact_name",),
                 entity_flag=True),
        AddressBook(),
        Portal(),
        Toggle(sub=("track1099",), field="track_1099", value=True, message="1099 tracking is enabled.",
               history="1099 tracking enabled"),
        Toggle(sub=("untrack1099",), field="track_1099", value=False, message="1099 tracking is disabled.",
               history="1099 tracking disabled"),
    ),
    "items": (*active_pair("status", "item"), CustomFields(singular="item")),
    "chartofaccounts": active_pair("is_active", "account", 201, flag=True),
    "bankaccounts": active_pair("is_active", "account", 201, flag=True),
    # users: active/inactive are the write rules' actions (an invitation is not accepted by the API)
    "users": (Email(kind="invite", sub=("invite",), ops=_ops("send"), sent="Your invitation has been sent."),),
    # Issue 16's modules (books/module_*.py): the facets they share with the other documents
    "retainerinvoices": (
        Comments(ops=_ALL, updated="The comment has been updated.", update_echo="comment"),
        Email(sent="Your retainer invoice has been sent.", marks="sent"),
        Attachment(ops=_ops("get add"), added="Your file has been attached."),
        Documents(ops=_ops("document_delete"), deleted="Your file is no longer attached to the invoice."),
        Template(message="Retainer Invoice information has been updated."),
    ),
    # projects, locations, fixed assets: active/inactive and statuses are their write rules' actions; retainer
    # invoices' submit/approve and billing address too (books/module_*.py)
    "projects": (
        Comments(added_status=201, echo="comments[]", current_user_flag=True),
    ),
    "fixedassets": (
        Comments(ops=_ops("add delete"), added="Comment has been added", echo="comment",
                 deleted="Fixed asset comment has been deleted", in_detail=True),
    ),
    "recurringinvoices": (
        Comments(ops=_ops("list"), list_message="The complete history and comments of a recurring invoice are "
                                                "displayed successfully."),
        Template(message="The template of the recurring invoice has been updated."),
    ),
    "recurringbills": (Comments(ops=_ops("list")),),
    "recurringexpenses": (Comments(ops=_ops("list")),),
    "salesreceipts": (Email(ops=_ops("send"), sent="Your Sales Receipt has been sent.", sent_status=201),),
}
# Settlement (refunds, credits applied, payment rows, bulk deletes of payments): appended after each
# resource's other facets, so the handler names of those stay what they were.
_CREDITED_ON_INVOICE = (("creditnote_id", "source.creditnote_id"), ("creditnotes_invoice_id", "link"),
                        ("creditnotes_number", "source.creditnote_number"), ("credited_date", "row.date|source.date"),
                        ("amount_applied", "amount"))
_INVOICES_CREDITED = (("creditnote_id", "source.creditnote_id"), ("invoice_id", "row.invoice_id"),
                      ("creditnote_invoice_id", "link"), ("date", "row.date|source.date"),
                      ("invoice_number", "row.invoice_number|target.invoice_number"),
                      ("creditnote_number", "source.creditnote_number"), ("credited_amount", "amount"))
_BILL_PAYMENTS = (("payment_id", "source.payment_id"), ("bill_id", "target.bill_id"), ("bill_payment_id", "link"),
                  ("vendor_id", "source.vendor_id"), ("vendor_name", "source.vendor_name"),
                  ("payment_mode", "source.payment_mode"), ("description", "source.description"),
                  ("date", "source.date"), ("reference_number", "source.reference_number"),
                  ("exchange_rate", "source.exchange_rate"), ("amount", "amount"),
                  ("paid_through", "source.paid_through_account_name"), ("is_single_bill_payment", "single"))
_REFUND_ROW = ("date", "refund_mode", "reference_number")
SETTLEMENT: dict[str, tuple[Facet, ...]] = {
    "invoices": (
        Applied(link="creditnote_invoice", side="target", sub="creditsapplied", list_key="credits",
                fields=_CREDITED_ON_INVOICE, deleted="Credits applied to an invoice have been deleted."),
        Applied(link="invoice_payment", side="target", sub="payments", ops=_ops("delete"),
                deleted="The payment has been deleted."),  # GET .../payments: views.h_invoice_payments
        ApplyFrom(sources=(("invoice_payments", "invoice_payment", "payment_id"),
                           ("apply_creditnotes", "creditnote_invoice", "creditnote_id")),
                  message="Credits have been applied to the invoice(s)."),
    ),
    "bills": (
        Applied(link="bill_payment", side="target", sub="payments", list_key="payments", fields=_BILL_PAYMENTS,
                deleted="The payment has been deleted."),
        # bills.yml's message ends in a stray quote ("...bill(s).\""): the vendor credits' own apply answers without
        ApplyFrom(sources=(("bill_payments", "bill_payment", "payment_id"),
                           ("apply_vendor_credits", "vendorcredit_bill", "vendor_credit_id")),
                  message="Credits have been applied to the bill(s).", status=201),
    ),
    "creditnotes": (
        Applied(link="creditnote_invoice", side="source", sub="invoices", list_key="invoices_credited",
                fields=_INVOICES_CREDITED, deleted="Credits applied to an invoice have been deleted."),
        Refunds(**asdict(REFUND_ROWS["creditnotes"]), one_key="creditnote_refund", account_required=False,
                refundable=("open",),
                list_fields=("creditnote_refund_id", "creditnote_id", *_REFUND_ROW[:2], "payment_form",
                             "reference_number", "creditnote_number", "customer_name", "description", "amount_bcy",
                             "amount_fcy"),
                detail_fields=("creditnote_refund_id", "creditnote_id", *_REFUND_ROW[:2], "payment_form",
                               "reference_number", "amount", "customer_name", "description"),
                report_name="Credit Notes Refund",
                listed="The refunds of the existing credit note are displayed successfully.",
                got="The refund of the credit note is displayed successfully.",
                added="The credit note amount is refunded successfully.",
                updated="The credit note refund is updated successfully.",
                deleted="The refund has been successfully deleted."),
    ),
    "vendorcredits": (
        Applied(link="vendorcredit_bill", side="source", sub="bills", ops=_ops("delete"),
                deleted="Credits applied to the bill have been deleted."),  # GET .../bills: views.h_bills_credited
        Refunds(**asdict(REFUND_ROWS["vendorcredits"]), one_key="vendor_credit_refund", refundable=("open",),
                list_fields=("vendor_credit_refund_id", "vendor_credit_id", *_REFUND_ROW, "amount",
                             "vendor_credit_number", "customer_name", "description", "amount_bcy", "amount_fcy"),
                detail_fields=("vendor_credit_refund_id", "vendor_credit_id", *_REFUND_ROW, "amount", "exchange_rate",
                               "account_id", "account_name", "description", "imported_transactions"),
                added="The refund information for this vendor credit has been saved.", added_status=201,
                deleted="The refund has been successfully deleted."),
    ),
    "customerpayments": (
        Refunds(**asdict(REFUND_ROWS["customerpayments"]), one_key="payment_refunds", one_in_list=True,
                balance="unused_amount", companions=("bcy_unused_amount",),
                list_fields=("payment_refund_id", "payment_id", *_REFUND_ROW, "payment_number", "customer_name",
                             "amount_bcy", "amount_fcy"),
                detail_fields=("payment_refund_id", "payment_id", *_REFUND_ROW, "amount", "exchange_rate",
                               "payment_form", "description"),
                report_name="Customer Payments Refund",
                listed="The list of refunds of the customer is displayed successfully.",
                got="The details of the refund are displayed successfully.",
                added="The refund information for this payment has been saved."),
        BulkDelete(param="payment_id", message="The selected customer payments have been deleted."),
    ),
    "vendorpayments": (
        Refunds(**asdict(REFUND_ROWS["vendorpayments"]), one_key="vendorpayment_refund", one_in_list=True,
                companions=("bcy_balance",),
                list_fields=("vendorpayment_refund_id", *_REFUND_ROW, "description", "amount_bcy", "amount_fcy"),
                detail_fields=("vendorpayment_refund_id", "vendorpayment_id", *_REFUND_ROW, "amount", "exchange_rate",
                               "to_account_id", "to_account_name", "description"),
                added="Vendor Payment Refunded successfully", added_status=201),
        BulkDelete(param="vendorpayment_id", message="The selected vendor payments have been deleted."),
    ),
}
for _name, _extra in SETTLEMENT.items():
    FACETS[_name] = FACETS.get(_name, ()) + _extra
# Resources declared here before their module is served (none now: issue 16's modules are in).
AWAITING_MODULE: frozenset[str] = frozenset()


def facets_of(resource: str) -> tuple[Facet, ...]:
    return FACETS.get(resource, ())


def handler_name(resource: str, index: int, op: str) -> str:
    """The gateway's handler name for one operation of one declared facet."""
    return f"facet:{resource}:{index}:{op}"


def facet_routes(specs: Mapping[str, object]) -> Iterator[tuple[Pattern, str, dict[str, str], dict[str, int]]]:
    """(pattern, resource name, {method: handler name}, {method: success status}) for every declared
    facet of a served resource; the operations of several facets on one pattern (GET and POST
    .../email) share one route."""
    for resource, facets in FACETS.items():
        spec = specs.get(resource)
        if spec is None:
            continue
        grouped: dict[Pattern, dict[str, str]] = defaultdict(dict)
        statuses: dict[Pattern, dict[str, int]] = defaultdict(dict)
        for index, facet in enumerate(facets):
            base = facet.path(spec.path)  # type: ignore[attr-defined]
            for tail, method, op in facet.routes():
                grouped[base + tail][method] = handler_name(resource, index, op)
                statuses[base + tail][method] = facet.status_of(op)
        for pattern, handlers in grouped.items():
            yield pattern, resource, handlers, statuses[pattern]


_PDF: dict[str, Pdf] = {name: f for name, facets in FACETS.items() for f in facets if isinstance(f, Pdf)}


def pdf_facet(resource: str) -> Pdf | None:
    """The resource's PDF facet: its records also answer ``GET /<path>/{id}?accept=pdf``."""
    return _PDF.get(resource)
