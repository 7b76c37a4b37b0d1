"""Client portal: ``POST /contacts/{id}/portal/enable`` with ``{"contact_persons": [{"contact_person_id"}]}``.

Each listed person of the contact gets ``enable_portal`` and ``is_added_in_portal``; a person the
contact does not have, or an empty list, is code 2 naming ``contact_person_id`` / ``contact_persons``.
"""
from __future__ import annotations


from flask import Response

from ...errors import invalid_value
from ..rules import check, check_rows
from .base import Call, add_history, message, save, writable_record
from .options import Portal



def h_enable(call: Call, facet: Portal) -> Response:
    data = check(call.body(), {"contact_persons": "list"})
    rows = check_rows("contact_persons", data.get("contact_persons") or [], {"contact_person_id": "id"})
    if not rows:
        raise invalid_value("contact_persons")
    with call.writing():
        rec = writable_record(call)
        persons = {str(p.get("contact_person_id")): p for p in rec.get("contact_persons") or []}
        for row in rows:
            person = persons.get(row.get("contact_person_id") or "")
            if person is None:
                raise invalid_value("contact_person_id")
            person["enable_portal"] = person["is_added_in_portal"] = True
        add_history(call, rec, "Client portal enabled")
        save(call, rec)
    return message(call, facet.message)
