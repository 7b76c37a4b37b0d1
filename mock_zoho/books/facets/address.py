"""Addresses: ``PUT /<path>/{id}/address/billing|shipping`` updates the record's own copy.

The given fields (``address, street2, city, state, zip, country, fax, attention, phone``...) are
merged into the record's ``billing_address`` or ``shipping_address`` (a field left out keeps its
value; our choice); ``is_update_customer: true`` also writes it to the party's contact. The
record's last_modified_time moves.
"""
from __future__ import annotations


from flask import Response

from ..resources import SPECS
from ..rules import ADDRESS_SCHEMA, check, coerce
from .base import Call, add_history, message, party, save, writable_record
from .options import Address



def h_update(call: Call, facet: Address) -> Response:
    kind = call.route.pattern[-1]
    body = call.body()
    given = {k: v or "" for k, v in check(body, ADDRESS_SCHEMA).items()}  # {} (every field left out): no change
    update_contact = coerce("is_update_customer", "bool", body.get("is_update_customer")) or False
    key = f"{kind}_address"
    with call.writing():
        rec = writable_record(call)
        merged = {**{f: "" for f in ADDRESS_SCHEMA}, **(rec.get(key) or {}), **given}
        rec[key] = merged
        add_history(call, rec, f"{kind.title()} address updated")
        save(call, rec)
        who = party(call.spec)
        if update_contact and who:
            ctx = call.wctx()
            contact = ctx.get("contacts", rec.get(f"{who}_id"))
            if contact is not None:
                contact = {**contact, key: {**(contact.get(key) or {}), **given}}
                call.wctx(SPECS["contacts"]).touch(contact)
                ctx.put("contacts", contact)
    text = f"{kind.title()} address updated" + ("." if facet.period else "")
    return message(call, text, 200, **({key: merged} if facet.echo else {}))
