"""Where each resource keeps its refunds: the facet (``facets/refunds.py``) and the seeder both read this.

Outside the facets package on purpose: the seeder (imported by the repository, ``models``) must not
import the facet handlers, which import the repository.
"""
from __future__ import annotations

from dataclasses import dataclass

# The name field each account field of a refund row comes with.
ACCOUNT_NAME = {"from_account_id": "from_account_name", "account_id": "account_name", "to_account_id": "to_account_name"}


@dataclass(frozen=True)
class RefundRows:
    key: str  # the record's list of refunds (creditnote_refunds)
    row_id: str  # creditnote_refund_id
    parent_field: str  # the record's id as each row names it (creditnote_id, vendorpayment_id)
    account: str = "from_account_id"  # the account the money leaves from (or returns to: to_account_id)
    refunded: str = ""  # the record's visible running total of refunds (total_refunded_amount)
    number_field: str = ""  # the record's number each listed row repeats (creditnote_number)
    name_field: str = ""  # the record's party name each row repeats as customer_name


REFUND_ROWS: dict[str, RefundRows] = {
    "creditnotes": RefundRows("creditnote_refunds", "creditnote_refund_id", "creditnote_id",
                              refunded="total_refunded_amount", number_field="creditnote_number",
                              name_field="customer_name"),
    "vendorcredits": RefundRows("vendor_credit_refunds", "vendor_credit_refund_id", "vendor_credit_id",
                                account="account_id", refunded="total_refunded_amount",
                                number_field="vendor_credit_number", name_field="vendor_name"),
    "customerpayments": RefundRows("payment_refunds", "payment_refund_id", "payment_id", refunded="amount_refunded",
                                   number_field="payment_number", name_field="customer_name"),
    "vendorpayments": RefundRows("vendorpayment_refunds", "vendorpayment_refund_id", "vendorpayment_id",
                                 account="to_account_id"),
}
