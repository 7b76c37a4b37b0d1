"""Toggles: ``POST /<path>/{id}/active|inactive`` and ``/paymentreminder/enable|disable``.

Each sets one field of the record (``status``, ``is_active`` or ``payment_reminder_enabled``) to the
declared value, moves its last_modified_time when the value changed, and adds a history line.
Setting a value the record already has succeeds without a change (as Zoho answers it: our choice).
"""
from __future__ import annotations


from flask import Response

from .base import Call, add_history, message, save, writable_record
from .options import Toggle



def h_set(call: Call, facet: Toggle) -> Response:
    with call.writing():
        rec = writable_record(call)
        if rec.get(facet.field) != facet.value:
            rec[facet.field] = facet.value
            add_history(call, rec, facet.history)
            save(call, rec)
    return message(call, facet.message, facet.status)
