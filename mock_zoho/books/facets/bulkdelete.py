"""Bulk delete: ``DELETE /customerpayments?payment_id=1,2&bulk_delete=true`` (and vendor payments).

Each record is deleted as ``DELETE /<path>/{id}`` deletes it (its rules' check_delete, tombstone and
after_delete: the invoices or bills it paid owe the amount again), all in one write: a refusal of
any leaves every one in place. ``bulk_delete`` must be ``true`` and the ids 1 to ``limit`` existing
records (else code 2 naming the parameter; our choice of limit).
"""
from __future__ import annotations


from flask import Response

from ...errors import invalid_value
from .base import Call, flag, id_list, message
from .options import BulkDelete



def h_delete(call: Call, facet: BulkDelete) -> Response:
    if flag("bulk_delete") is not True:
        raise invalid_value("bulk_delete")
    ids = id_list(call, facet.param, facet.limit)
    spec, backend = call.spec, call.backend
    rules, ctx = spec.rules, call.wctx()
    with call.writing():
        for rid in ids:
            rec = backend.get_record(call.org_id, spec.name, rid)
            if rec is None:
                raise invalid_value(facet.param)
            rules.check_delete(ctx, rec)
            kept = rules.tombstone(ctx, rec)
            if kept is None:
                backend.delete_record(call.org_id, spec.name, rid)
            else:
                ctx.touch(kept)
                backend.put_record(call.org_id, spec.name, kept)
            rules.after_delete(ctx, rec)
    return message(call, facet.message)
