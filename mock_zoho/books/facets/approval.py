"""Approval: ``POST /<path>/{id}/submit`` (draft -> pending_approval) and ``/approve``.

Approving moves the record to the declared ``approved_status`` ("approved" for sales documents,
which an email then moves to sent) or, when none is declared, to the status its rules derive from
its numbers (bills, vendor credits and credit notes become open). A record can be submitted only
from the declared statuses and approved only while pending: anything else is code 2 naming
``status`` (our choice of code; Zoho's is undocumented). Each step adds a history line.
"""
from __future__ import annotations


from flask import Response

from ...errors import invalid_value
from .base import Call, add_history, message, save, writable_record
from .options import Approval


PENDING = "pending_approval"


def h_submit(call: Call, facet: Approval) -> Response:
    with call.writing():
        rec = writable_record(call)
        if rec.get("status") not in facet.submittable or float(rec.get("payment_made") or 0) > 0:
            raise invalid_value("status")
        rec["status"] = PENDING
        add_history(call, rec, f"{call.spec.label} submitted for approval")
        save(call, rec)
    return message(call, facet.submitted)


def h_approve(call: Call, facet: Approval) -> Response:
    with call.writing():
        rec = writable_record(call)
        if rec.get("status") != PENDING:
            raise invalid_value("status")
        if facet.approved_status:
            rec["status"] = facet.approved_status
        else:
            rec["status"] = "open"
            if call.spec.rules is not None:
                call.spec.rules.refresh_status(call.wctx(), rec)
        add_history(call, rec, f"{call.spec.label} approved")
        save(call, rec)
    return message(call, facet.approved)
