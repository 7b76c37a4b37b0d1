"""The conformance run's world builder (``states.py``) against a real in-process emulator, without
Zoho's documents (so it runs in CI too): each state-dependent operation, as the documents give its
path, is sent by the run's own ``run_operation`` to a record the builder put in the state it needs,
and answers 2xx; the builder's tables and the run's order are checked on their own.
"""
from __future__ import annotations

import re
from typing import Any, Iterator

import pytest

from .oas import Operation
from .run import order, run_operation
from .states import TODAY, preparation, steps
from .world import World

_PARAM = re.compile(r"{([^}]+)}")


def _op(operation_id: str, method: str, path: str, body: dict[str, Any] | None = None,
        examples: dict[str, str] | None = None) -> Operation:
    """An operation as a document gives it: its path parameters (with an example where the document
    has one) and, for a body, a JSON schema whose examples are the body's values."""
    params = [{"name": n, **({"example": (examples or {})[n]} if n in (examples or {}) else {})}
              for n in _PARAM.findall(path)]
    op = Operation("world-builder", method, path, operation_id, path_params=params)
    if body is not None:
        op.request_media = "application/json"
        op.request_schema = {"type": "object", "properties": {
            k: {"type": "number" if isinstance(v, (int, float)) else "string", "example": v} for k, v in body.items()}}
    return op


REFUND = {"date": TODAY, "amount": 20, "refund_mode": "cash"}
# Each needs a record in a state the seeded org's first record is not in (or a sub-record it lacks).
CASES = [
    _op("submit_credit_note", "POST", "/creditnotes/{creditnote_id}/submit"),
    _op("approve_credit_note", "POST", "/creditnotes/{creditnote_id}/approve"),
    _op("mark_credit_note_draft", "POST", "/creditnotes/{creditnote_id}/status/draft"),
    _op("mark_credit_note_open", "POST", "/creditnotes/{creditnote_id}/status/open"),
    _op("apply_credit_note_to_invoice", "POST", "/creditnotes/{creditnote_id}/invoices", {}),
    _op("delete_credit_note", "DELETE", "/creditnotes/{creditnote_id}"),
    _op("submit_sales_order", "POST", "/salesorders/{salesorder_id}/submit"),
    _op("approve_sales_order", "POST", "/salesorders/{salesorder_id}/approve"),
    _op("mark_sales_order_as_open", "POST", "/salesorders/{salesorder_id}/status/open"),
    _op("submit_vendor_credit", "POST", "/vendorcredits/{vendor_credit_id}/submit"),
    _op("approve_vendor_credit", "POST", "/vendorcredits/{vendor_credit_id}/approve"),
    _op("mark_vendor_credit_open", "POST", "/vendorcredits/{vendor_credit_id}/status/open"),
    _op("mark_vendor_credit_void", "POST", "/vendorcredits/{vendor_credit_id}/status/void"),
    _op("apply_credits_to_a_bill", "POST", "/vendorcredits/{vendor_credit_id}/bills", {}),
    _op("reject_purchase_orders", "POST", "/purchaseorders/{purchaseorder_id}/reject"),
    _op("write_off_invoice", "POST", "/invoices/{invoice_id}/writeoff"),
    _op("cancel_write_off_invoice", "POST", "/invoices/{invoice_id}/writeoff/cancel"),
    _op("remind_customer_for_invoice_payment", "POST", "/invoices/{invoice_id}/paymentreminder", {}),
    _op("bulk_invoice_reminder", "POST", "/invoices/paymentreminder", {}),
    _op("mark_fixed_asset_cancel", "POST", "/fixedassets/{fixed_asset_id}/status/cancel"),
    _op("mark_fixed_asset_draft", "POST", "/fixedassets/{fixed_asset_id}/status/draft"),
    _op("mark_journal_published", "POST", "/journals/{journal_id}/status/publish"),
    _op("invite_user", "POST", "/users/{user_id}/invite"),
    _op("categorize_bank_transaction_as_expense", "POST",
        "/banktransactions/uncategorized/{transaction_id}/categorize/expenses", {"account_id": "1"}),
    _op("update_invoice_comment", "PUT", "/invoices/{invoice_id}/comments/{comment_id}", {"description": "Edited"}),
    _op("delete_sales_order_comment", "DELETE", "/salesorders/{salesorder_id}/comments/{comment_id}"),
    _op("get_credit_note_refund", "GET", "/creditnotes/{creditnote_id}/refunds/{creditnote_refund_id}"),
    _op("update_customer_payment_refund", "PUT", "/customerpayments/{customer_payment_id}/refunds/{refund_id}", REFUND),
    _op("delete_vendor_payment_refund", "DELETE", "/vendorpayments/{payment_id}/refunds/{vendorpayment_refund_id}"),
    _op("delete_invoice_applied_credit", "DELETE", "/invoices/{invoice_id}/creditsapplied/{creditnotes_invoice_id}"),
    _op("delete_bill_payment", "DELETE", "/bills/{bill_id}/payments/{bill_payment_id}"),
    _op("get_invoice_document_details", "GET", "/invoices/{invoice_id}/documents/{document_id}"),
    _op("delete_project_user", "DELETE", "/projects/{project_id}/users/{user_id}"),
    _op("get_bill_attachment", "GET", "/bills/{bill_id}/attachment"),
    _op("get_expense_receipt", "GET", "/expenses/{expense_id}/receipt"),
    _op("delete_invoice_expense_receipt", "DELETE", "/invoices/expenses/{expense_id}/receipt"),
    _op("get_opening_balance", "GET", "/settings/openingbalances"),
    _op("get_base_currency_adjustment", "GET", "/basecurrencyadjustment/{base_currency_adjustment_id}"),
    _op("get_custom_module_record_details", "GET", "/{module_name}/{module_id}", examples={"module_name": "cm_debtor"}),
    _op("get_running_timer", "GET", "/projects/timeentries/runningtimer/me"),
    _op("stop_entry_timer", "POST", "/projects/timeentries/timer/stop"),
]


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    opened = World.open()
    yield opened
    opened.close()


@pytest.mark.parametrize("op", CASES, ids=[op.operation_id for op in CASES])
def test_state_dependent_operation_reaches_a_record_in_its_state(op: Operation, world: World):
    assert preparation(op) is not None
    result = run_operation(op, world)
    assert 200 <= result.status < 300, (result.sent, result.status, result.code, result.note, result.violations)
    assert not result.note and "{" not in result.sent


def test_a_preparation_takes_a_fresh_record_through_the_steps_its_action_needs():
    assert steps("creditnotes", "approve") == ("status/void", "status/draft", "submit")
    assert steps("invoices", "writeoff/cancel") == ("status/sent", "writeoff")
    assert steps("salesorders", "approve") == ("submit",)
    assert preparation(_op("get_invoice", "GET", "/invoices/{invoice_id}")) is None
    assert preparation(_op("list_invoice_comments", "GET", "/invoices/{invoice_id}/comments")) is None


def test_a_read_of_what_a_post_makes_comes_right_after_that_post():
    ops = [_op("get_invoice_attachment", "GET", "/invoices/{invoice_id}/attachment"),
           _op("get_invoice", "GET", "/invoices/{invoice_id}"),
           _op("add_attachment_to_invoice", "POST", "/invoices/{invoice_id}/attachment"),
           _op("delete_invoice_attachment", "DELETE", "/invoices/{invoice_id}/attachment"),
           _op("get_opening_balance", "GET", "/settings/openingbalances"),
           _op("create_opening_balance", "POST", "/settings/openingbalances")]
    ranked = [op.operation_id for op in order(ops)]
    assert ranked.index("get_invoice") < ranked.index("add_attachment_to_invoice") \
        < ranked.index("get_invoice_attachment") < ranked.index("delete_invoice_attachment")
    assert ranked.index("create_opening_balance") < ranked.index("get_opening_balance")
