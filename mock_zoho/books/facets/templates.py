"""Templates: ``PUT /<path>/{id}/templates/{template_id}`` switches a record's PDF template.

An org's templates of a resource are those its records use (``GET /<path>/templates`` lists the
same; the seeder gives each org one, "Standard Template"): any other id is 1002 "Template does
not exist.". The record's ``template_id`` and ``template_name`` change and its last_modified_time moves.
"""
from __future__ import annotations


from flask import Response

from ..fields import TEMPLATE_NAME
from ..models import not_found
from .base import Call, add_history, message, save, writable_record
from .options import Template



def org_templates(call: Call) -> dict[str, str]:
    """template_id -> template_name of the resource's records in this org."""
    seen: dict[str, str] = {}
    for rec in call.backend.records(call.org_id, call.spec.name):
        if rec.get("template_id"):
            seen.setdefault(str(rec["template_id"]), rec.get("template_name") or TEMPLATE_NAME)
    return seen


def h_update(call: Call, facet: Template) -> Response:
    wanted = call.params[1]
    with call.writing():
        known = org_templates(call)
        if wanted not in known:
            raise not_found("Template")
        rec = writable_record(call)
        rec["template_id"], rec["template_name"] = wanted, known[wanted]
        add_history(call, rec, f"Template changed to {known[wanted]}")
        save(call, rec)
    return message(call, facet.message)
