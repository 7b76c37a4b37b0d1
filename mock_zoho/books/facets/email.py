"""Email: the content Zoho would send (``GET``), sending it (``POST``), bulk sends and the history.

Sending stores the message in the org's outbox (``outbox.py``), adds a history line to the record
and, for a document still in draft (or approved), marks it sent: the rules' ``sent`` status action
where the resource has one (invoices: then the status follows the numbers, e.g. overdue), else the
declared ``marks`` status (estimates "sent", sales and purchase orders and credit notes "open").
``is_emailed`` becomes true. A payment reminder counts in ``reminders_sent``. Subjects and bodies
follow the wording of Zoho's examples, filled from the record and the organisation.
"""
from __future__ import annotations

from typing import Any, Mapping

from flask import Response, request

from ... import ids
from ...errors import invalid_value
from ..dates import parse_date
from ..rules import check
from .base import Call, add_history, caller, id_list, message, number_of, party, save, writable_record
from .options import Email
from .outbox import outbox_ns, public


BODY = {"to_mail_ids": "list", "cc_mail_ids": "list", "bcc_mail_ids": "list", "subject": "str", "body": "str",
        "send_from_org_email_id": "bool", "from_address_id": "str", "email_template_id": "str"}
SENDABLE = ("draft", "approved")  # statuses an email moves to "sent"
NOT_REMINDABLE = ("draft", "void", "paid", "pending_approval", "approved")
REMINDERS_SENT = "The reminders were successfully sent"  # invoices.yml's bulk reminder answer
BULK_MAX = 25  # as for bulk PDF and print: "Maximum of 25 ... can be printed."


def template_id(org_id: str) -> str:
    """The org's one email template ("Default"): a fixed id no record counter ever reaches."""
    return ids.record_id(int(org_id), 0)


def _money(rec: Mapping[str, Any], org: Mapping[str, Any], key: str = "total") -> str:
    symbol = rec.get("currency_symbol") or org.get("currency_symbol") or ""
    return f"{symbol}{float(rec.get(key) or 0):,.2f}"


def _contact_of(call: Call, facet: Email, rec: Mapping[str, Any]) -> Mapping[str, Any]:
    """Whom the message goes to: the contact itself (statements, contact emails) or the record's party."""
    who = party(call.spec)
    if facet.kind in ("statement", "contact", "invite") or not who:
        return rec
    return call.backend.get_record(call.org_id, "contacts", rec.get(f"{who}_id") or "") or {}


def to_contacts(contact: Mapping[str, Any]) -> list[dict[str, Any]]:
    persons = [p for p in contact.get("contact_persons") or [] if p.get("email")]
    if not persons and contact.get("email"):
        persons = [{"first_name": contact.get("first_name", ""), "last_name": contact.get("last_name", ""),
                    "email": contact["email"], "is_primary_contact": True}]
    return [{"first_name": p.get("first_name", ""), "last_name": p.get("last_name", ""), "email": p["email"],
             "phone": p.get("phone", ""), "mobile": p.get("mobile", ""), "salutation": p.get("salutation", ""),
             "contact_person_id": p.get("contact_person_id", ""), "selected": bool(p.get("is_primary_contact"))}
            for p in persons]


def _statement_period() -> tuple[str, str]:
    start = request.args.get("start_date") or ""
    end = request.args.get("end_date") or ""
    return (parse_date(start, "start_date") if start else ""), (parse_date(end, "end_date") if end else "")


# kind -> (subject, body, attached file name), after the wording of Zoho's examples
TEXTS: dict[str, tuple[str, str, str]] = {
    "document": ("{label} from {org} ({label}#: {number})",
                 "Dear {dear},<br><br>Thanks for your business.<br><br>The {lower} {number} is attached with this email."
                 "<br><br>Here's an overview of the {lower} for your reference.<br><br>{label} Overview:<br>"
                 "{label} : {number}<br>Date : {date}<br>Amount : {total}<br><br>Regards<br>{org}<br>",
                 "{number}.pdf"),
    "reminder": ("Payment reminder for {label} {number}",
                 "<br>Dear {dear},&nbsp;<br><br>You might have missed the payment date and the {lower} is now overdue."
                 "<br><br><h2>{label}# : {number} </h2>Dated : {date}<br><b>Due Date : {due_date}</b><br>"
                 "<b>Amount : {balance}</b><br><br>If you have already paid, please accept our apologies and kindly "
                 "ignore this payment reminder.<br><br>Regards,<br>{org}<br>",
                 "{number}.pdf"),
    "statement": ("Statement of transactions with {org}",
                  "Dear {dear},<br/>We have attached with this email a list of all your transactions with us{period}. "
                  "You can write to us or call us if you need any assistance or clarifications.<br/>Thanks for your "
                  "business.<br/>Regards<br/>{org}",
                  "statement_{number}.pdf"),
    "contact": ("Welcome to {org} .", "Dear {dear},<br/>Thanks for your business.<br/>Regards<br/>{org}", ""),
    "invite": ("Invitation to join {org} in Zoho Books",
               "Dear {dear},<br/>You have been invited to join {org} in Zoho Books.<br/>Regards<br/>{org}", ""),
}


def _dear(who: Mapping[str, Any]) -> str:
    return str(who.get("contact_name") or who.get("name") or "Customer")


def compose(call: Call, facet: Email, rec: Mapping[str, Any]) -> dict[str, str]:
    """Subject, body and attached file name of the message the facet sends for ``rec``."""
    org, spec = call.org or {}, call.spec
    start, end = _statement_period() if facet.kind == "statement" else ("", "")
    fields = {"org": org.get("name", ""), "label": spec.label, "lower": spec.label.lower(),
              "number": number_of(spec, rec), "dear": _dear(_contact_of(call, facet, rec)),
              "date": rec.get("date", ""), "due_date": rec.get("due_date", ""), "total": _money(rec, org),
              "balance": _money(rec, org, "balance"),
              "period": f" for the period {start} to {end}" if start or end else ""}
    subject, body, file_name = TEXTS[facet.kind]
    return {"subject": subject.format(**fields), "body": body.format(**fields), "file_name": file_name.format(**fields)}


def h_content(call: Call, facet: Email) -> Response:
    rec = call.backend.require(call.org_id, call.spec, call.params[0])
    text = compose(call, facet, rec)
    user_id, name, email = caller(call)
    contact = _contact_of(call, facet, rec)
    tid = template_id(call.org_id)
    wanted = request.args.get("email_template_id")
    if wanted and wanted != tid:
        raise invalid_value("email_template_id")
    people = to_contacts(contact)
    data: dict[str, Any] = {
        **text, "to_contacts": people,
        "from_emails": [{"user_name": name, "selected": True, "email": email, "is_org_email_id": False,
                         "organization_contact_id": user_id}],
        "emailtemplates": [{"selected": True, "name": "Default", "email_template_id": tid}],
        "email_template_id": tid, "attach_pdf": bool(text["file_name"]), "attachment_name": text["file_name"],
        "file_name_without_extension": text["file_name"].removesuffix(".pdf"), "error_list": [],
        "deprecated_placeholders_used": [], "gateways_configured": False, "gateways_associated": False,
        "entity_id": rec[call.spec.id_field], "to_mails_str": ", ".join(p["email"] for p in people if p["selected"]),
        "cc_mails_str": "", "bcc_mails_str": "", "bcc_mails": [], "cc_mails_list": [], "from_email": email,
        "from_address": email, "documents": [], "emailtemplate_documents": [],
    }
    who = party(call.spec)
    if who:
        data[f"{who}_id"] = rec.get(f"{who}_id", "")
        data[f"{who}_name"] = rec.get(f"{who}_name", "")
    if facet.kind == "statement":
        data["contact_id"] = rec.get("contact_id", "")
        data["start_date"], data["end_date"] = _statement_period()
    if not facet.content_wrap:
        return call.answer(data)
    key = facet.content_wrap.removesuffix("[]")
    return call.answer({key: [data] if facet.content_wrap.endswith("[]") else data})


def _addresses(data: Mapping[str, Any], name: str) -> list[str]:
    out = []
    for value in data.get(name) or []:
        if not isinstance(value, str) or value.count("@") != 1 or " " in value.strip() or value.strip().startswith("@"):
            raise invalid_value(name)
        out.append(value.strip())
    return out


def _send_one(call: Call, facet: Email, rec: dict[str, Any], data: Mapping[str, Any]) -> dict[str, Any]:
    """Send for one record inside a write: validate, mark, add history and the outbox entry."""
    spec = call.spec
    if facet.kind == "reminder" and (rec.get("status") in NOT_REMINDABLE or float(rec.get("balance") or 0) <= 0):
        raise invalid_value("status")
    if facet.kind == "invite" and rec.get("status") != "invited":  # only a pending invitation is sent again
        raise invalid_value("status")
    if facet.kind == "document" and rec.get("status") in ("void", "pending_approval"):  # never sent (our choice)
        raise invalid_value("status")
    text = compose(call, facet, rec)
    to = _addresses(data, "to_mail_ids") or [c["email"] for c in to_contacts(_contact_of(call, facet, rec)) if c["selected"]]
    if not to:
        raise invalid_value("to_mail_ids")
    _, name, email = caller(call)
    entry = {"email_id": call.backend.new_id(call.org_id), "organization_id": call.org_id, "resource": spec.name,
             "record_id": rec[spec.id_field], "record_number": number_of(spec, rec), "kind": facet.kind,
             "from_name": name, "from_address": email or (call.org or {}).get("email", ""), "to_mail_ids": to,
             "cc_mail_ids": _addresses(data, "cc_mail_ids"), "bcc_mail_ids": _addresses(data, "bcc_mail_ids"),
             "subject": data.get("subject") or text["subject"], "body": data.get("body") or text["body"],
             "attachments": [text["file_name"]] if text["file_name"] else [],
             "sent_time": call.backend.timestamp(call.org), "_at": call.backend.now()}
    call.backend.put_doc(outbox_ns(call.org_id), entry["email_id"], entry)
    touch = _mark(call, facet, rec)
    what = {"reminder": "Payment reminder", "statement": "Statement", "invite": "Invitation"}.get(facet.kind, spec.label)
    add_history(call, rec, f"{what} emailed to {', '.join(to)}", operation="Added",
                extra={"transaction_id": entry["email_id"], "transaction_type": "email"})
    save(call, rec, touch=touch)
    return entry


def _mark(call: Call, facet: Email, rec: dict[str, Any]) -> bool:
    """Move what sending moves; True when the record's data changed (its lmt moves)."""
    if facet.kind == "reminder":
        rec["reminders_sent"] = int(rec.get("reminders_sent") or 0) + 1
        rec["last_reminder_sent_date"] = call.backend.today(call.org)
        return True
    if facet.kind != "document":
        return False
    rules = call.spec.rules
    if rec.get("status") in SENDABLE:
        name = facet.marks or "sent"  # the rules' own status action of that name, where they have one
        action = rules.status_actions.get(name) if rules is not None else None
        allowed = getattr(action, "allowed_from", None)
        if action is not None and (allowed is None or rec.get("status") in allowed):
            action(rec)
            if name == "sent" or getattr(action, "derive", False):
                rules.refresh_status(call.wctx(), rec)
        elif action is None and facet.marks:
            rec["status"] = facet.marks
    if "is_emailed" in rec or "is_emailed" in call.spec.list_fields:
        rec["is_emailed"] = True
    return True


def _body(call: Call) -> dict[str, Any]:
    data = check(call.body(), BODY)
    for name in ("to_mail_ids", "cc_mail_ids", "bcc_mail_ids"):
        _addresses(data, name)
    return data


def h_send(call: Call, facet: Email) -> Response:
    data = _body(call)
    if facet.kind == "document" and not data.get("to_mail_ids"):  # documented as required (bulk sends default)
        raise invalid_value("to_mail_ids")
    if facet.kind == "statement":
        _statement_period()
    with call.writing():
        _send_one(call, facet, writable_record(call), data)
    return message(call, facet.sent, facet.sent_status)


def h_bulk(call: Call, facet: Email) -> Response:
    """``POST /<path>/email?<id>s=...``: each record to its party's primary address, all or none."""
    call.body()  # Zoho's body picks contacts by email/snail mail; ours sends every record by email
    wanted = id_list(call, f"{call.spec.id_field}s", BULK_MAX)
    with call.writing():
        for rid in wanted:
            if call.backend.get_record(call.org_id, call.spec.name, rid) is None:
                raise invalid_value(f"{call.spec.id_field}s")
            _send_one(call, facet, writable_record(call, rid), {})
    payload = {"info": bulk_reminder_info(len(wanted))} if facet.kind == "reminder" else {}
    return message(call, facet.bulk_sent, facet.bulk_status, **payload)


def bulk_reminder_info(sent: int) -> dict[str, Any]:
    """invoices.yml's ``info`` of a bulk reminder: what was sent and what failed. All or none are sent
    here (an invoice that cannot be reminded refuses the request), so no errors and code 0."""
    return {"code": 0, "email_errors_info": [],
            "email_success_info": {"message": REMINDERS_SENT, "sent_count": sent}}


def h_history(call: Call, facet: Email) -> Response:
    rec = call.backend.require(call.org_id, call.spec, call.params[0])
    rid = rec[call.spec.id_field]
    rows = [public(e) for e in call.backend.store.values(outbox_ns(call.org_id))
            if e.get("resource") == call.spec.name and e.get("record_id") == rid]
    rows.sort(key=lambda e: e["email_id"], reverse=True)
    history = [{"mailhistory_id": e["email_id"], "from": e["from_address"], "to_mail_ids": e["to_mail_ids"],
                "subject": e["subject"], "date": e["sent_time"][:10]} for e in rows]
    return call.answer({"email_history": history})

