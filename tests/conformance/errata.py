"""Known errata of Zoho's Books OpenAPI documents, written as patches on one resolved operation.

Each erratum names what the documents get wrong and how the live API behaves (verified against real
clients or Zoho's HTML pages, as the documents' own README lists them); ``apply_errata`` returns the
names of those it applied to an operation, so a report can say which corrections a verdict rests on.
The money-field rule reuses the contract suite's amount and id patterns (tests/contract/snapshot_tool).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

from tests.contract.snapshot_tool import AMOUNT, FIELD_ERRATA, TEXT

from .oas import Operation

Schema = dict[str, Any]
ENVELOPE = ("code", "message", "page_context")


@dataclass(frozen=True)
class Erratum:
    name: str
    says: str  # what the documents say, and what the live API does
    patch: Callable[[Operation], bool]  # True when it changed the operation


def _props(schema: Schema | None) -> dict[str, Any]:
    return (schema or {}).get("properties") or {}


def _page_context_object(op: Operation) -> bool:
    page = _props(op.response_schema).get("page_context")
    if not page or page.get("type") != "array":
        return False
    op.response_schema["properties"]["page_context"] = page.get("items") or {"type": "object"}
    return True


def _rename_key(documented: str, real: str) -> Callable[[Operation], bool]:
    def patch(op: Operation) -> bool:
        props = _props(op.response_schema)
        if documented not in props or op.method != "GET":
            return False
        props[real] = props.pop(documented)
        return True
    return patch


def _container(path: str, method: str, kind: str) -> Callable[[Operation], bool]:
    """The record wrapper of ``method path`` is ``kind`` ("array" for a list, "object" for one record)."""
    def patch(op: Operation) -> bool:
        if (op.method, op.path) != (method, path):
            return False
        changed = False
        for key, sub in _props(op.response_schema).items():
            if key in ENVELOPE or not isinstance(sub, dict):
                continue
            if kind == "array" and sub.get("type") == "object":
                op.response_schema["properties"][key] = {"type": "array", "items": sub}
                changed = True
            elif kind == "object" and sub.get("type") == "array":
                op.response_schema["properties"][key] = sub.get("items") or {"type": "object"}
                changed = True
        return changed
    return patch


def _wrap_vendorpayment(op: Operation) -> bool:
    if (op.method, op.path) != ("POST", "/vendorpayments"):
        return False
    props = _props(op.response_schema)
    if "vendorpayment" in props:
        return False
    record = {k: v for k, v in props.items() if k not in ENVELOPE}
    op.response_schema["properties"] = {**{k: v for k, v in props.items() if k in ENVELOPE},
                                        "vendorpayment": {"type": "object", "properties": record}}
    return True


def _walk_fields(node: Any, fix: Callable[[dict[str, Any], str], bool], name: str = "") -> bool:
    """Apply ``fix(schema, field name)`` to every field of a response schema, nested ones too."""
    changed = False
    if isinstance(node, dict):
        changed |= fix(node, name)
        for key, sub in (node.get("properties") or {}).items():
            changed |= _walk_fields(sub, fix, key)
        if isinstance(node.get("items"), dict):
            changed |= _walk_fields(node["items"], fix, f"{name}[]")
        for combo in ("allOf", "oneOf", "anyOf"):
            for sub in node.get(combo) or []:
                changed |= _walk_fields(sub, fix, name)
    return changed


_MONEY_WORD = re.compile(r"(^|_)(total|amount|balance|price|rate|tax|discount|charges?)(_|$)")


def _money(node: dict[str, Any], name: str) -> bool:
    """Money, rates and counts documented as ``integer`` or ``string`` (the contract suite's amount
    pattern, a money word in the name, or a decimal example) are decimals on the wire."""
    name = name.rstrip("[]")
    if node.get("type") not in ("integer", "string") or "enum" in node or TEXT.search(name):
        return False
    example = node.get("example")
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


def _coa_detail_wrapped(op: Operation) -> bool:
    """The project's choice (README: books.coa_detail_key, default chart_of_account; the contract
    snapshots apply the same): the account's fields sit under ``chart_of_account``."""
    if (op.method, op.path) != ("GET", "/chartofaccounts/{account_id}"):
        return False
    props = _props(op.response_schema)
    if "chart_of_account" in props:
        return False
    record = {k: v for k, v in props.items() if k not in ENVELOPE}
    op.response_schema["properties"] = {**{k: v for k, v in props.items() if k in ENVELOPE},
                                        "chart_of_account": {"type": "object", "properties": record}}
    return True


def _money_decimals(op: Operation) -> bool:
    return _walk_fields(op.response_schema, _money)


def _ids_text(op: Operation) -> bool:
    return _walk_fields(op.response_schema, _ids_are_text)


def _contract_field_types(op: Operation) -> bool:
    return _walk_fields(op.response_schema, _field_types)


def _fix_examples(node: Any, name: str, bad: Any, good: Any) -> bool:
    changed = False
    if isinstance(node, dict):
        for key, sub in (node.get("properties") or {}).items():
            if key == name and isinstance(sub, dict) and sub.get("example") == bad:
                sub["example"] = good
                changed = True
            changed |= _fix_examples(sub, name, bad, good)
        if isinstance(node.get("items"), dict):
            changed |= _fix_examples(node["items"], name, bad, good)
    return changed


def _fasle(op: Operation) -> bool:
    return op.module == "credit-notes" and _fix_examples(op.request_schema, "is_inclusive_tax", "fasle", False)


def _balanced_journal(op: Operation) -> bool:
    """One debit line documented; a journal needs its credit: the request example gets both sides."""
    if (op.method, op.path) not in (("POST", "/journals"), ("PUT", "/journals/{journal_id}")):
        return False
    lines = _props(op.request_schema).get("line_items")
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
    in_body = [k for k, v in _props(op.request_schema).items() if _binary(v)]
    if not in_query and not in_body or op.request_media == "multipart/form-data":
        return False
    if len(_props(op.request_schema)) > len(in_body) + 1:  # a record with a file beside it: the JSON
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
    return any(_container(path, method, "object")(op) for path, method in
               (("/settings/taxes", "POST"), ("/settings/taxes/{tax_id}", "PUT")))


def _exchange_rate_object(op: Operation) -> bool:
    """One exchange rate (create, get, update) is documented as a bare number under ``exchange_rate``; the
    emulator answers the rate as the list documents each row (exchange_rate_id, currency_id, ..., rate)."""
    if "/exchangerates" not in op.path or op.method not in ("GET", "POST", "PUT") or op.path.endswith("exchangerates") \
            and op.method == "GET":
        return False
    props = _props(op.response_schema)
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
            "it is customerpayments", _rename_key("customer_payments", "customerpayments")),
    Erratum("vendorcredits_list_key", "/vendorcredits is documented to list under vendorcredits; it lists under "
            "vendor_credits (independent clients read that)", _rename_key("vendorcredits", "vendor_credits")),
    Erratum("creditnotes_list_array", "the credit notes list wrapper is documented as an object; it is an array",
            _container("/creditnotes", "GET", "array")),
    Erratum("tax_detail_object", "the tax detail wrapper is documented as an array; it is one object",
            _container("/settings/taxes/{tax_id}", "GET", "object")),
    Erratum("tax_write_object", "the tax create and update answers are documented as arrays, like the tax detail; "
            "each is one object", _tax_write_object),
    Erratum("exchange_rate_object", "one exchange rate (create, get, update) is documented as a bare number; it is "
            "the rate object the exchange rate list documents (our judgment: a number carries no id or date)",
            _exchange_rate_object),
    Erratum("salesorder_detail_object", "the sales order detail wrapper is documented as an array; it is one "
            "object", _container("/salesorders/{salesorder_id}", "GET", "object")),
    Erratum("contactperson_create_object", "the contact person create response is documented as an array; it is "
            "one object", _container("/contacts/contactpersons", "POST", "object")),
    Erratum("vendorpayment_create_wrapper", "the vendor payment create response is documented without its "
            "vendorpayment wrapper", _wrap_vendorpayment),
    Erratum("money_decimals", "money fields (amounts, rates, counts) are documented loosely as integer or string; "
            "the API sends decimals", _money_decimals),
    # The project's own errata, shared with the contract snapshots (tests/contract/snapshot_tool.py).
    Erratum("ids_are_strings", "ids and document numbers documented as integer are strings on the wire "
            "(contract suite, reference section 7)", _ids_text),
    Erratum("contract_field_types", "; ".join(note for _, note in FIELD_ERRATA.values())
            + "; fiscal_year_start_month: a month name (documented as a number)", _contract_field_types),
    Erratum("coa_detail_wrapper_choice", "the chart of accounts detail is documented at the top level; the "
            "emulator's documented choice (README, books.coa_detail_key) wraps it in chart_of_account",
            _coa_detail_wrapped),
    Erratum("file_downloads", "downloads (pdf, print, attachment, receipt, document) are documented as a JSON "
            "{code, message}; Zoho answers the file itself (issue 16: a real application/pdf, the attachment's bytes)",
            _file_downloads),
    Erratum("binary_as_multipart", "files are documented as binary query parameters or JSON body fields; they are "
            "sent as multipart/form-data parts", _binary_as_multipart),
    Erratum("creditnote_example_fasle", 'the credit note create example has "is_inclusive_tax": "fasle"', _fasle),
    Erratum("journal_example_balanced", "the journal create example has a single, unbalanced line",
            _balanced_journal),
)


def apply_errata(op: Operation) -> list[str]:
    """Patch ``op`` in place with every erratum that concerns it; the names of those applied."""
    return [e.name for e in ERRATA if e.patch(op)]
