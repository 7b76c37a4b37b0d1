"""Errata that concern every document (wrappers, page_context, money and id types) and the project's
choices shared with the contract snapshots."""
from __future__ import annotations

import re
from typing import Any

from tests.contract.snapshot_tool import AMOUNT, FIELD_ERRATA, TEXT

from ..oas import Operation
from .base import Erratum, container, fix_examples, props_of, rename_key, walk_fields, wrap_record


def _page_context_object(op: Operation) -> bool:
    page = props_of(op.response_schema).get("page_context")
    if not page or page.get("type") != "array":
        return False
    op.response_schema["properties"]["page_context"] = page.get("items") or {"type": "object"}
    return True


_MONEY_WORD = re.compile(r"(^|_)(total|amount|balance|price|rate|tax|discount|charges?)(_|$)")


def _money(node: dict[str, Any], name: str) -> bool:
    """Money, rates and counts documented as ``integer`` or ``string`` (the contract suite's amount
    pattern, a money word in the name, or a decimal example) are decimals on the wire."""
    name = name.rstrip("[]")
    if node.get("type") not in ("integer", "string") or "enum" in node or TEXT.search(name):
        return False
    example = node.get("example")
    if name == "discount" and isinstance(example, str) and example.strip().endswith("%"):
        node["type"] = ["number", "string"]  # documented "either in % or in amount. E.g: 12.5% or 190"
        return True
    decimal_example = isinstance(example, float) and node.get("type") == "string"
    if not (AMOUNT.search(name) or (node.get("type") == "integer" and _MONEY_WORD.search(name)) or decimal_example):
        return False
    node["type"] = "number"
    return True


def _ids_are_text(node: dict[str, Any], name: str) -> bool:
    """Ids and document numbers documented as ``integer`` (tag ids, payment numbers) are strings."""
    if node.get("type") in ("integer", "number") and TEXT.search(name.rstrip("[]")):
        node["type"] = "string"
        return True
    return False


_FIELD_KIND = {**{name: "array" if isinstance(fixed, list) else fixed for name, (fixed, _) in FIELD_ERRATA.items()},
               "fiscal_year_start_month": "string"}


def _field_types(node: dict[str, Any], name: str) -> bool:
    """The contract suite's field errata (tests/contract/snapshot_tool.FIELD_ERRATA): custom fields and
    documents are arrays, ``is_child_present`` a flag, ``fiscal_year_start_month`` a month name."""
    kind = _FIELD_KIND.get(name)
    if kind is None or node.get("type") in (None, kind):
        return False
    node.clear()
    node.update({"type": kind} if kind != "array" else {"type": "array"})
    return True


def _money_decimals(op: Operation) -> bool:
    return walk_fields(op.response_schema, _money)


def _ids_text(op: Operation) -> bool:
    return walk_fields(op.response_schema, _ids_are_text)


def _contract_field_types(op: Operation) -> bool:
    return walk_fields(op.response_schema, _field_types)


def _fasle(op: Operation) -> bool:
    return op.module == "credit-notes" and fix_examples(op.request_schema, "is_inclusive_tax", "fasle", False)


def _balanced_journal(op: Operation) -> bool:
    """One debit line documented; a journal needs its credit: the request example gets both sides."""
    if (op.method, op.path) not in (("POST", "/journals"), ("PUT", "/journals/{journal_id}")):
        return False
    lines = props_of(op.request_schema).get("line_items")
    if not lines or not isinstance(lines.get("items"), dict):
        return False
    lines["x-conformance-balanced"] = True  # the request builder writes a debit and a credit line
    return True


_DOWNLOAD = re.compile(r"/(pdf|print|attachment|receipt)$|/documents/\{[^}]+\}$")


def _file_downloads(op: Operation) -> bool:
    if op.method != "GET" or not _DOWNLOAD.search(op.path):
        return False
    op.file_answer = True
    return True


def _binary(node: Any) -> bool:
    return isinstance(node, dict) and node.get("format") == "binary"


def _binary_as_multipart(op: Operation) -> bool:
    """Files documented as ``format: binary`` query parameters or JSON body fields go as multipart parts."""
    if op.method not in ("POST", "PUT"):
        return False
    in_query = [p["name"] for p in op.query_params if _binary(p.get("schema"))]
    in_body = [k for k, v in props_of(op.request_schema).items() if _binary(v)]
    if not in_query and not in_body or op.request_media == "multipart/form-data":
        return False
    if len(props_of(op.request_schema)) > len(in_body) + 1:  # a record with a file beside it: the JSON
        for name in in_body:  # record is sent, the file left out (it would need a multipart JSONString)
            del op.request_schema["properties"][name]
        op.query_params = [p for p in op.query_params if p["name"] not in in_query]
        return True
    op.upload_fields = in_query + in_body
    op.query_params = [p for p in op.query_params if p["name"] not in in_query]
    op.request_schema, op.request_media = None, "multipart/form-data"
    return True


def _tax_write_object(op: Operation) -> bool:
    """The tax create and update answers carry the same wrapper as the tax detail: one object."""
    return any(container(path, method, "object")(op) for path, method in
               (("/settings/taxes", "POST"), ("/settings/taxes/{tax_id}", "PUT")))


def _exchange_rate_object(op: Operation) -> bool:
    """One exchange rate (create, get, update) is documented as a bare number under ``exchange_rate``; the
    emulator answers the rate as the list documents each row (exchange_rate_id, currency_id, ..., rate)."""
    if "/exchangerates" not in op.path or op.method not in ("GET", "POST", "PUT") or op.path.endswith("exchangerates") \
            and op.method == "GET":
        return False
    props = props_of(op.response_schema)
    if (props.get("exchange_rate") or {}).get("type") not in ("number", "integer"):
        return False
    props["exchange_rate"] = {"type": "object", "properties": {
        f: {"type": "string"} for f in ("exchange_rate_id", "currency_id", "currency_code", "effective_date")}}
    props["exchange_rate"]["properties"]["rate"] = {"type": "number"}
    return True


ERRATA: tuple[Erratum, ...] = (
    Erratum("page_context_object", "page_context is documented as an array (invoices, expenses, estimates); "
            "it is an object", _page_context_object),
    Erratum("customerpayments_list_key", "the customer payments list key is documented as customer_payments; "
            "it is customerpayments", rename_key("customer_payments", "customerpayments")),
    Erratum("vendorcredits_list_key", "/vendorcredits is documented to list under vendorcredits; it lists under "
            "vendor_credits (independent clients read that)", rename_key("vendorcredits", "vendor_credits")),
    Erratum("creditnotes_list_array", "the credit notes list wrapper is documented as an object; it is an array",
            container("/creditnotes", "GET", "array")),
    Erratum("tax_detail_object", "the tax detail wrapper is documented as an array; it is one object",
            container("/settings/taxes/{tax_id}", "GET", "object")),
    Erratum("tax_write_object", "the tax create and update answers are documented as arrays, like the tax detail; "
            "each is one object", _tax_write_object),
    Erratum("exchange_rate_object", "one exchange rate (create, get, update) is documented as a bare number; it is "
            "the rate object the exchange rate list documents (our judgment: a number carries no id or date)",
            _exchange_rate_object),
    Erratum("salesorder_detail_object", "the sales order detail wrapper is documented as an array; it is one "
            "object", container("/salesorders/{salesorder_id}", "GET", "object")),
    Erratum("contactperson_create_object", "the contact person create response is documented as an array; it is "
            "one object", container("/contacts/contactpersons", "POST", "object")),
    Erratum("vendorpayment_create_wrapper", "the vendor payment create response is documented without its "
            "vendorpayment wrapper", wrap_record("POST", "/vendorpayments", "vendorpayment")),
    Erratum("money_decimals", "money fields (amounts, rates, counts) are documented loosely as integer or string; "
            "the API sends decimals", _money_decimals),
    # The project's own errata, shared with the contract snapshots (tests/contract/snapshot_tool.py).
    Erratum("ids_are_strings", "ids and document numbers documented as integer are strings on the wire "
            "(contract suite, reference section 7)", _ids_text),
    Erratum("contract_field_types", "; ".join(note for _, note in FIELD_ERRATA.values())
            + "; fiscal_year_start_month: a month name (documented as a number)", _contract_field_types),
    Erratum("coa_detail_wrapper_choice", "the chart of accounts detail is documented at the top level; the "
            "emulator's documented choice (README, books.coa_detail_key) wraps it in chart_of_account",
            wrap_record("GET", "/chartofaccounts/{account_id}", "chart_of_account")),
    Erratum("file_downloads", "downloads (pdf, print, attachment, receipt, document) are documented as a JSON "
            "{code, message}; Zoho answers the file itself (issue 16: a real application/pdf, the attachment's bytes)",
            _file_downloads),
    Erratum("binary_as_multipart", "files are documented as binary query parameters or JSON body fields; they are "
            "sent as multipart/form-data parts", _binary_as_multipart),
    Erratum("creditnote_example_fasle", 'the credit note create example has "is_inclusive_tax": "fasle"', _fasle),
    Erratum("journal_example_balanced", "the journal create example has a single, unbalanced line",
            _balanced_journal),
)
