"""PDF: a record as ``application/pdf`` (``GET /<path>/{id}?accept=pdf``) and bulk ``/<path>/pdf|print``.

Zoho's documents give the single record's format as the ``accept`` query parameter (json, pdf,
html); that is what is served (an ``Accept`` header alone keeps JSON: the documents do not name it,
and a replayed answer is keyed by the query). ``accept=html`` answers the same text as a page. The
bulk calls take ``<id_field>s`` (at most 25, each existing) and answer one PDF with a page per
record (sales orders document no ids: without them, the 25 newest). The PDF shows the record's number, dates, party, addresses, lines, totals and balance.
"""
from __future__ import annotations

import html
from typing import Any, Mapping

from flask import Response, request

from ... import literals as L
from ...errors import invalid_value
from .base import Call, content_disposition, id_list, number_of, party
from .options import Pdf
from .pdfdoc import Line, render


PDF_TYPE = "application/pdf"
HTML_TYPE = "text/html;charset=UTF-8"
FORMATS = ("json", "pdf", "html")


def wanted_format() -> str:
    """The ``accept`` query parameter: json (default), pdf or html; anything else is code 2."""
    value = (request.args.get("accept") or "json").lower()
    if value not in FORMATS:
        raise invalid_value("accept")
    return value


def _money(value: Any, symbol: str) -> str:
    return f"{symbol}{float(value or 0):,.2f}"


def _address(title: str, addr: Mapping[str, Any] | None) -> list[Line]:
    parts = [str(addr.get(k) or "") for k in ("attention", "address", "street2", "city", "state", "zip", "country")] \
        if addr else []
    parts = [p for p in parts if p.strip()]
    return [Line(title, bold=True)] + [Line(p) for p in parts] if parts else []


def document_lines(call: Call, rec: Mapping[str, Any]) -> list[Line]:
    """The text of one record, top to bottom."""
    spec, org = call.spec, call.org or {}
    symbol = rec.get("currency_symbol") or org.get("currency_symbol") or ""
    who = party(spec)
    lines = [Line(str(org.get("name", "")), bold=True, size=14), Line(spec.label.upper(), bold=True, size=18),
             Line(f"{spec.label}#: {number_of(spec, rec)}", bold=True)]
    for key, title in (("date", "Date"), ("due_date", "Due Date"), ("expiry_date", "Expiry Date"),
                       ("shipment_date", "Shipment Date"), ("reference_number", "Reference#"), ("status", "Status")):
        if rec.get(key):
            lines.append(Line(f"{title}: {rec[key]}"))
    if who:
        lines += [Line(""), Line("Bill To" if who == "customer" else "Vendor", bold=True),
                  Line(str(rec.get(f"{who}_name", "")))]
    lines += _address("Billing Address", rec.get("billing_address")) + _address("Shipping Address", rec.get("shipping_address"))
    lines += [Line(""), Line("#   Item                                   Qty        Rate        Amount", bold=True)]
    for n, li in enumerate(rec.get("line_items") or [], 1):
        name = str(li.get("name") or li.get("description") or li.get("account_name") or "")[:36]
        amount = li.get("item_total", float(li.get("rate") or 0) * float(li.get("quantity") or 0))
        lines.append(Line(f"{n:<3} {name:<36} {float(li.get('quantity') or 0):>6g} {_money(li.get('rate'), symbol):>12}"
                          f" {_money(amount, symbol):>13}"))
    lines.append(Line(""))
    for key, title in (("sub_total", "Sub Total"), ("tax_total", "Tax"), ("total", "Total"), ("balance", "Balance Due")):
        if key in rec:
            lines.append(Line(f"{title}: {_money(rec.get(key), symbol)}", bold=key in ("total", "balance")))
    for key, title in (("notes", "Notes"), ("terms", "Terms & Conditions")):
        if rec.get(key):
            lines += [Line(""), Line(title, bold=True), Line(str(rec[key]))]
    return lines


def _pdf_response(body: bytes, file_name: str, *, inline: bool = True) -> Response:
    resp = Response(body, 200, content_type=PDF_TYPE)
    resp.headers["Content-Disposition"] = content_disposition(inline, file_name)
    resp.headers["Server"] = L.SERVER_HEADER
    return resp


def record_answer(call: Call, rec: Mapping[str, Any], fmt: str) -> Response:
    """The detail route's answer for ``accept=pdf`` or ``accept=html``."""
    number = number_of(call.spec, rec)
    lines = document_lines(call, rec)
    if fmt == "html":
        body = "".join(f"<p>{'<b>' if ln.bold else ''}{html.escape(ln.text)}{'</b>' if ln.bold else ''}</p>" for ln in lines)
        page = f"<!DOCTYPE html><html><head><title>{html.escape(number)}</title></head><body>{body}</body></html>"
        resp = Response(page, 200, content_type=HTML_TYPE)
        resp.headers["Server"] = L.SERVER_HEADER
        return resp
    return _pdf_response(render(f"{call.spec.label} {number}", [lines]), f"{number}.pdf")


def h_bulk(call: Call, facet: Pdf) -> Response:
    spec = call.spec
    param = f"{spec.id_field}s"
    if not facet.ids_required and not request.args.get(param):
        newest = sorted(call.backend.records(call.org_id, spec.name), key=lambda r: (r.get("_ct", 0), r[spec.id_field]),
                        reverse=True)
        wanted = [r[spec.id_field] for r in newest[:facet.max_records]]
    else:
        wanted = id_list(call, param, facet.max_records)
    recs = [call.backend.get_record(call.org_id, spec.name, rid) for rid in wanted]
    if any(r is None for r in recs):
        raise invalid_value(f"{spec.id_field}s")
    pages = [document_lines(call, r) for r in recs if r is not None]
    return _pdf_response(render(spec.report_name or spec.label, pages), f"{spec.name}.pdf")
