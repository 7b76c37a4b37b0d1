"""Generic record facets: comments & history, email and the outbox, attachments, approval, toggles,
custom fields, addresses, templates and PDF, in both modes, through the Books gateway."""
from __future__ import annotations

import re

from tests.books_helpers import assert_zoho_error, put_records, world

from mock_zoho.books.facets.attachment import safe_name
from mock_zoho.books.facets.declare import AWAITING_MODULE, FACETS
from mock_zoho.books.resources import SPECS

PNG = bytes(range(256)) * 3 + b"\x89PNG\r\n\x1a\n\x00\x00end"  # every byte value, NULs included


def _setup(zoho):
    books = world(zoho)
    tax_id = put_records(zoho, books.org_id, "taxes", [{"tax_name": "Sales Tax", "tax_percentage": 10, "tax_type": "tax"}])[0]
    contact = books.ok("POST", "contacts", json={
        "contact_name": "Bowman & Co", "contact_persons": [{"first_name": "Will", "email": "will@bowman.example"}]})["contact"]
    vendor = books.ok("POST", "contacts", json={"contact_name": "Acme Supplies", "contact_type": "vendor",
                                                "contact_persons": [{"first_name": "Ann", "email": "ann@acme.example"}]})["contact"]
    inv = books.ok("POST", "invoices", json={"customer_id": contact["contact_id"], "date": "2024-03-01",
                                             "line_items": [{"name": "Desk", "rate": 120, "quantity": 2, "tax_id": tax_id}]})["invoice"]
    return books, contact, vendor, inv


def _detail(books, path):
    return books.ok("GET", path)


def test_comments_listed_with_history(zoho):
    books, _, _, inv = _setup(zoho)
    iid = inv["invoice_id"]
    added = books.ok("POST", f"invoices/{iid}/comments", json={"description": "Call before delivery",
                                                                "show_comment_to_clients": True})
    assert added["message"] == "Comments added." and set(added) == {"code", "message"}
    entry = zoho.admin.requests(limit=1)[0]  # journaled with its write, under the status the caller saw
    assert (entry["status"], entry["writes"]) == (200, {"invoices": [iid]})
    listed = books.ok("GET", f"invoices/{iid}/comments")["comments"]
    assert [c["description"] for c in listed] == ["Call before delivery", "Invoice created for $264.00"]
    assert listed[1]["comment_id"] == iid and listed[1]["comment_type"] == "system"  # the creation line
    row = listed[0]
    assert row["invoice_id"] == iid and row["comment_type"] == "internal" and row["operation_type"] == "Added"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["date"]) and re.fullmatch(r"\d{1,2}:\d{2} [AP]M", row["time"])
    updated = books.ok("PUT", f"invoices/{iid}/comments/{row['comment_id']}", json={"description": "Call first"})
    assert updated["comment"]["description"] == "Call first"
    # the history shows what other facets did, newest first
    books.ok("POST", f"invoices/{iid}/email", json={"to_mail_ids": ["ap@bowman.example"]})
    listed = books.ok("GET", f"invoices/{iid}/comments")["comments"]
    assert listed[0]["comment_type"] == "system" and "ap@bowman.example" in listed[0]["description"]
    assert listed[1]["description"] == "Call first"
    assert_zoho_error(books.put(f"invoices/{iid}/comments/{iid}", {"description": "x"}), 400, 2)
    assert_zoho_error(books.delete(f"invoices/{iid}/comments/{listed[0]['comment_id']}"), 400, 2)  # history stays
    assert books.ok("DELETE", f"invoices/{iid}/comments/{row['comment_id']}")["message"] == "The comment has been deleted."
    assert [c["comment_type"] for c in books.ok("GET", f"invoices/{iid}/comments")["comments"]] == ["system", "system"]
    # errors: unknown record, unknown comment, no description
    assert_zoho_error(books.get("invoices/460000000000001/comments"), 404, 1002)
    body = assert_zoho_error(books.delete(f"invoices/{iid}/comments/123"), 404, 1002)
    assert body["message"] == "Comment does not exist."
    assert_zoho_error(books.post(f"invoices/{iid}/comments", {"description": "  "}), 400, 2)
    # echo shapes per module: bills answer the comment (201), journals a list
    bill = books.ok("POST", "bills", json={"vendor_id": _vendor(books), "bill_number": "B-1",
                                          "line_items": [{"name": "Paper", "rate": 5}]})["bill"]
    r = books.post(f"bills/{bill['bill_id']}/comments", {"description": "Checked"})
    assert r.status_code == 201 and r.json()["comment"]["bill_id"] == bill["bill_id"]
    assert zoho.admin.requests(limit=1)[0]["status"] == 201


def _vendor(books):
    return next(c["contact_id"] for c in books.ok("GET", "contacts")["contacts"] if c["contact_type"] == "vendor")


def test_email_marks_sent_and_fills_the_outbox(zoho):
    books, contact, _, inv = _setup(zoho)
    iid = inv["invoice_id"]
    content = books.ok("GET", f"invoices/{iid}/email")["data"]
    assert content["subject"] == f"Invoice from {books.org['name']} (Invoice#: {inv['invoice_number']})"
    assert inv["invoice_number"] in content["body"] and content["file_name"] == f"{inv['invoice_number']}.pdf"
    assert [c["email"] for c in content["to_contacts"]] == ["will@bowman.example"]
    assert content["customer_id"] == contact["contact_id"]
    assert books.ok("POST", f"invoices/{iid}/email", json={"to_mail_ids": ["will@bowman.example"], "cc_mail_ids": ["boss@bowman.example"]})["message"] == \
        "Your invoice has been sent."
    after = books.ok("GET", f"invoices/{iid}")["invoice"]
    assert after["status"] in ("sent", "overdue") and after["is_emailed"] is True
    assert after["last_modified_time"] >= inv["last_modified_time"]
    outbox = zoho.admin.outbox(books.org_id)
    assert len(outbox) == 1 and outbox[0]["to_mail_ids"] == ["will@bowman.example"]
    assert outbox[0]["cc_mail_ids"] == ["boss@bowman.example"] and outbox[0]["record_id"] == iid
    assert outbox[0]["subject"] == content["subject"] and outbox[0]["attachments"] == [content["file_name"]]
    # a payment reminder on the sent invoice: counted, and newest first in the outbox
    assert books.ok("POST", f"invoices/{iid}/paymentreminder")["message"] == "Your payment reminder has been sent."
    assert books.ok("GET", f"invoices/{iid}")["invoice"]["reminders_sent"] == 1
    assert [e["kind"] for e in zoho.admin.outbox(books.org_id)] == ["reminder", "document"]
    # bulk: every listed invoice, all or none
    second = books.ok("POST", "invoices", json={"customer_id": contact["contact_id"],
                                                "line_items": [{"name": "Chair", "rate": 40}]})["invoice"]
    assert_zoho_error(books.post("invoices/email", {}, params={"invoice_ids": f"{second['invoice_id']},123"}), 400, 2)
    assert books.ok("GET", f"invoices/{second['invoice_id']}")["invoice"]["status"] == "draft"
    books.ok("POST", "invoices/email", json={}, params={"invoice_ids": second["invoice_id"]})
    assert books.ok("GET", f"invoices/{second['invoice_id']}")["invoice"]["status"] != "draft"
    assert zoho.admin.clear_outbox(books.org_id) == 3 and zoho.admin.outbox(books.org_id) == []
    # errors: a bad address, an unknown record, a draft cannot be reminded
    assert_zoho_error(books.post(f"invoices/{iid}/email", {"to_mail_ids": ["not-an-address"]}), 400, 2)
    assert_zoho_error(books.post("invoices/460000000000001/email", {"to_mail_ids": ["a@b.example"]}), 404, 1002)
    draft = books.ok("POST", "invoices", json={"customer_id": contact["contact_id"],
                                               "line_items": [{"name": "Lamp", "rate": 9}]})["invoice"]
    assert_zoho_error(books.post(f"invoices/{draft['invoice_id']}/paymentreminder", {}), 400, 2)
    assert zoho.admin.outbox(books.org_id) == []


def test_email_of_documents_without_write_rules_and_history(zoho):
    books, contact, vendor, _ = _setup(zoho)
    est = put_records(zoho, books.org_id, "estimates", [{"customer_id": contact["contact_id"], "customer_name": "Bowman & Co",
                                                        "estimate_number": "EST-000001", "status": "draft", "total": 50}])[0]
    r = books.post(f"estimates/{est}/email", {"to_mail_ids": ["x@bowman.example"]})
    assert r.status_code == 200 and r.json()["message"] == "Your estimate has been sent."
    assert books.ok("GET", f"estimates/{est}")["estimate"]["status"] == "sent"
    po = put_records(zoho, books.org_id, "purchaseorders", [{"vendor_id": vendor["contact_id"], "status": "draft",
                                                            "purchaseorder_number": "PO-00001"}])[0]
    assert_zoho_error(books.post(f"purchaseorders/{po}/email", {}), 400, 2)  # to_mail_ids: required, as documented
    r = books.post(f"purchaseorders/{po}/email", {"to_mail_ids": ["ann@acme.example"]})
    assert r.status_code == 201 and books.ok("GET", f"purchaseorders/{po}")["purchaseorder"]["status"] == "open"
    assert zoho.admin.outbox(books.org_id)[0]["to_mail_ids"] == ["ann@acme.example"]
    cn = books.ok("POST", "creditnotes", json={"customer_id": contact["contact_id"],
                                               "line_items": [{"name": "Refund", "rate": 10}]})["creditnote"]
    content = books.ok("GET", f"creditnotes/{cn['creditnote_id']}/email")["data"]  # a one-item array, as documented
    assert len(content) == 1 and cn["creditnote_number"] in content[0]["subject"]
    books.ok("POST", f"creditnotes/{cn['creditnote_id']}/email", json={"to_mail_ids": ["will@bowman.example"]})
    history = books.ok("GET", f"creditnotes/{cn['creditnote_id']}/emailhistory")["email_history"]
    assert len(history) == 1 and history[0]["to_mail_ids"] == ["will@bowman.example"]
    # contacts: a statement and a plain email, no status moved
    statement = books.ok("GET", f"contacts/{contact['contact_id']}/statements/email",
                         params={"start_date": "2024-01-01", "end_date": "2024-03-31"})["data"]
    assert "2024-01-01" in statement["body"] and statement["contact_id"] == contact["contact_id"]
    assert books.ok("POST", f"contacts/{contact['contact_id']}/statements/email", json={})["message"] == \
        "Statement has been sent to the Customer."
    assert books.ok("POST", f"contacts/{contact['contact_id']}/email", json={})["message"] == "Email has been sent."
    assert [e["kind"] for e in zoho.admin.outbox(books.org_id)][:2] == ["contact", "statement"]
    comments = books.ok("GET", f"contacts/{contact['contact_id']}/comments")
    assert len(comments["contact_comments"]) == 3 and comments["page_context"]["has_more_page"] is False
    assert comments["contact_comments"][-1]["description"] == "Contact created"
    assert comments["contact_comments"][0]["contact_name"] == "Bowman & Co"
    paged = books.ok("GET", f"contacts/{contact['contact_id']}/comments", params={"page": 2, "per_page": 1})
    assert len(paged["contact_comments"]) == 1 and paged["contact_comments"][0]["description"].startswith("Statement")
    assert_zoho_error(books.get(f"contacts/{contact['contact_id']}/comments", params={"per_page": "x"}), 400, 2)
    assert_zoho_error(books.get(f"contacts/{contact['contact_id']}/statements/email", params={"start_date": "2024-13-01"}),
                      400, 2)


def test_attachment_byte_for_byte(zoho):
    books, _, _, inv = _setup(zoho)
    path = f"invoices/{inv['invoice_id']}/attachment"
    r = books.call("POST", path, files={"attachment": ("scan.png", PNG, "image/png")}, params={"can_send_in_mail": "true"})
    assert r.status_code == 200, r.text
    assert r.json()["message"] == "Your file has been successfully attached to the invoice."
    got = books.get(path)
    assert got.status_code == 200 and got.content == PNG and got.headers["Content-Type"] == "image/png"
    assert books.get(path).content == PNG  # a repeated read (replayed) is the same bytes
    detail = books.ok("GET", f"invoices/{inv['invoice_id']}")["invoice"]
    assert detail["has_attachment"] is True and detail["attachment_name"] == "scan.png" and detail["can_send_in_mail"] is True
    assert detail["documents"][0]["file_size"] == len(PNG)
    assert books.ok("GET", "invoices")["invoices"][0]["has_attachment"] is True
    assert books.ok("PUT", path, params={"can_send_in_mail": "false"})["message"] == "Invoice information has been updated."
    assert books.ok("GET", f"invoices/{inv['invoice_id']}")["invoice"]["can_send_in_mail"] is False
    assert_zoho_error(books.put(path), 400, 2)  # can_send_in_mail is required
    # one file by its document id: the bytes, or its description; deleting it leaves the others
    books.call("POST", path, files={"attachment": ("note.pdf", b"%PDF-1.4 note", "application/pdf")})
    first, second = books.ok("GET", f"invoices/{inv['invoice_id']}")["invoice"]["documents"]
    one = books.get(f"invoices/{inv['invoice_id']}/documents/{first['document_id']}")
    assert one.content == PNG and one.headers["Content-Type"] == "image/png"
    described = books.ok("GET", f"invoices/{inv['invoice_id']}/documents/{second['document_id']}",
                         params={"responseformat": "json"})["document"]
    assert (described["file_name"], described["file_size"], described["file_type"]) == ("note.pdf", 13, "application/pdf")
    assert books.ok("DELETE", f"invoices/{inv['invoice_id']}/documents/{second['document_id']}")["message"] == \
        "The document has been deleted successfully."
    assert_zoho_error(books.get(f"invoices/{inv['invoice_id']}/documents/{second['document_id']}"), 404, 1002)
    assert books.ok("DELETE", path)["message"] == "Your file is no longer attached to the invoice."
    assert_zoho_error(books.get(path), 404, 1002)
    assert books.ok("GET", f"invoices/{inv['invoice_id']}")["invoice"]["has_attachment"] is False
    # a name beyond Latin-1 travels in the header as RFC 5987 UTF-8; folders and control characters go
    books.call("POST", path, files={"attachment": ("reçu €.pdf", b"%PDF-1.4 x", "application/pdf")})
    got = books.get(path)
    assert got.content == b"%PDF-1.4 x" and "filename*=UTF-8''re%C3%A7u%20%E2%82%AC.pdf" in got.headers["Content-Disposition"]
    assert books.ok("GET", f"invoices/{inv['invoice_id']}")["invoice"]["attachment_name"] == "reçu €.pdf"
    books.ok("DELETE", path)
    assert safe_name('C:\\scans\\re"port\r\n.pdf') == "report.pdf"
    # bad attachments: a disallowed extension, no file, an empty file, over the size limit
    assert_zoho_error(books.call("POST", path, files={"attachment": ("run.exe", b"MZ", "application/octet-stream")}), 400, 2)
    assert_zoho_error(books.call("POST", path, data={"x": "1"}), 400, 2)
    assert_zoho_error(books.call("POST", path, files={"attachment": ("a.pdf", b"", "application/pdf")}), 400, 2)
    zoho.admin.set_config({"books.attachment_max_bytes": 100})
    assert_zoho_error(books.call("POST", path, files={"attachment": ("big.pdf", b"%PDF" + b"0" * 200, "application/pdf")}),
                      400, 2)
    assert_zoho_error(books.call("POST", "invoices/460000000000001/attachment",
                                 files={"attachment": ("a.pdf", b"%PDF", "application/pdf")}), 404, 1002)
    # an expense receipt (its own field name and wider extension list)
    exp = put_records(zoho, books.org_id, "expenses", [{"description": "Taxi", "total": 12}])[0]
    zoho.admin.set_config({"books.attachment_max_bytes": 1024 * 1024})
    r = books.call("POST", f"expenses/{exp}/receipt", files={"receipt": ("taxi.xlsx", b"PK\x03\x04xl", "")})
    assert r.json()["message"] == "The expense receipt has been attached."
    got = books.get(f"expenses/{exp}/receipt")
    assert got.content == b"PK\x03\x04xl" and "spreadsheetml" in got.headers["Content-Type"]


def test_a_deleted_record_takes_its_attached_files_with_it(zoho):
    """Zoho deletes a record's attachments with it: the stored bytes go in the same write."""
    from mock_zoho.books.keys import documents_ns

    books, _, _, inv = _setup(zoho)
    path = f"invoices/{inv['invoice_id']}/attachment"
    for name in ("scan.png", "note.pdf"):
        assert books.call("POST", path, files={"attachment": (name, PNG, "image/png")}).status_code == 200
    kept = books.ok("POST", "invoices", json={"customer_id": inv["customer_id"], "line_items": [{"name": "Lamp", "rate": 9}]})
    kept_path = f"invoices/{kept['invoice']['invoice_id']}/attachment"
    assert books.call("POST", kept_path, files={"attachment": ("keep.pdf", PNG, "application/pdf")}).status_code == 200
    store = zoho.emulator.store
    assert len(store.values(documents_ns(books.org_id))) == 3
    books.ok("DELETE", f"invoices/{inv['invoice_id']}")
    assert [d["file_name"] for d in store.values(documents_ns(books.org_id))] == ["keep.pdf"]
    assert books.get(kept_path).content == PNG
    assert_zoho_error(books.get(path), 404, 1002)


def _pdf_ok(body: bytes) -> None:
    """A well-formed PDF: header, trailer, and every xref offset pointing at its object."""
    assert body.startswith(b"%PDF-1.4") and body.rstrip().endswith(b"%%EOF")
    start = int(re.search(rb"startxref\n(\d+)", body).group(1))
    assert body[start:start + 4] == b"xref"
    count = int(re.search(rb"xref\n0 (\d+)", body).group(1))
    offsets = re.findall(rb"(\d{10}) 00000 n", body[start:])
    assert len(offsets) == count - 1
    for n, off in enumerate(offsets, 1):
        assert body[int(off):].startswith(b"%d 0 obj" % n)


def test_pdf_of_a_record_and_bulk(zoho):
    books, _, _, inv = _setup(zoho)
    iid = inv["invoice_id"]
    r = books.get(f"invoices/{iid}", params={"accept": "pdf"})
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/pdf"
    _pdf_ok(r.content)
    for text in (inv["invoice_number"], "Bowman & Co", "Desk", "264.00"):
        assert text.encode() in r.content, text
    assert books.get(f"invoices/{iid}", params={"accept": "pdf"}).content == r.content  # replayed: identical
    assert books.get(f"invoices/{iid}").headers["Content-Type"].startswith("application/json")
    assert "Bowman &amp; Co" in books.get(f"invoices/{iid}", params={"accept": "html"}).text
    assert_zoho_error(books.get(f"invoices/{iid}", params={"accept": "xml"}), 400, 2)
    second = books.ok("POST", "invoices", json={"customer_id": inv["customer_id"],
                                                "line_items": [{"name": "Chair", "rate": 40}]})["invoice"]
    for word in ("pdf", "print"):
        bulk = books.get(f"invoices/{word}", params={"invoice_ids": f"{iid},{second['invoice_id']}"})
        assert bulk.status_code == 200 and bulk.headers["Content-Type"] == "application/pdf"
        _pdf_ok(bulk.content)
        assert bulk.content.count(b"/Type /Page ") == 2 and second["invoice_number"].encode() in bulk.content
    assert_zoho_error(books.get("invoices/pdf", params={"invoice_ids": f"{iid},123"}), 400, 2)
    assert_zoho_error(books.get("invoices/pdf"), 400, 2)
    so = put_records(zoho, books.org_id, "salesorders", [{"salesorder_number": "SO-1", "total": 3}])[0]
    assert b"SO-1" in books.get("salesorders/pdf").content  # ids undocumented there: the newest ones
    assert books.get(f"salesorders/{so}", params={"accept": "pdf"}).headers["Content-Type"] == "application/pdf"
    assert_zoho_error(books.get("invoices/pdf", params={"invoice_ids": ",".join(["1"] * 26 + [iid])}), 400, 2)


def test_approval_moves_the_status(zoho):
    books, _, vendor, inv = _setup(zoho)
    iid = inv["invoice_id"]
    assert_zoho_error(books.post(f"invoices/{iid}/approve"), 400, 2)  # not submitted
    assert books.ok("POST", f"invoices/{iid}/submit")["message"] == "The invoice has been submitted for approval successfully."
    assert books.ok("GET", f"invoices/{iid}")["invoice"]["status"] == "pending_approval"
    assert_zoho_error(books.post(f"invoices/{iid}/submit"), 400, 2)
    assert books.ok("POST", f"invoices/{iid}/approve")["message"] == "You have approved the invoice."
    assert books.ok("GET", f"invoices/{iid}")["invoice"]["status"] == "approved"
    books.ok("POST", f"invoices/{iid}/email", json={"to_mail_ids": ["ap@bowman.example"]})
    assert books.ok("GET", f"invoices/{iid}")["invoice"]["status"] in ("sent", "overdue")
    history = [c["description"] for c in books.ok("GET", f"invoices/{iid}/comments")["comments"]]
    assert history[1:] == ["Invoice approved", "Invoice submitted for approval", "Invoice created for $264.00"]
    bill = books.ok("POST", "bills", json={"vendor_id": vendor["contact_id"], "bill_number": "B-7", "due_date": "2999-01-01",
                                          "line_items": [{"name": "Ink", "rate": 30}]})["bill"]
    books.ok("POST", f"bills/{bill['bill_id']}/submit")
    assert books.ok("GET", f"bills/{bill['bill_id']}")["bill"]["status"] == "pending_approval"
    assert books.ok("POST", f"bills/{bill['bill_id']}/approve")["message"] == "success"
    assert books.ok("GET", f"bills/{bill['bill_id']}")["bill"]["status"] == "open"
    assert_zoho_error(books.post("bills/460000000000001/submit"), 404, 1002)


def test_active_inactive_and_reminder_toggles(zoho):
    books, contact, _, inv = _setup(zoho)
    cid = contact["contact_id"]
    zoho.admin.advance(60)
    assert books.ok("POST", f"contacts/{cid}/inactive")["message"] == "The contact has been marked as inactive."
    after = books.ok("GET", f"contacts/{cid}")["contact"]
    assert after["status"] == "inactive" and after["last_modified_time"] > contact["last_modified_time"]
    listed = books.ok("GET", "contacts", params={"filter_by": "Status.Inactive"})["contacts"]
    assert [c["contact_id"] for c in listed] == [cid]
    books.ok("POST", f"contacts/{cid}/active")
    assert books.ok("GET", f"contacts/{cid}")["contact"]["status"] == "active"
    books.ok("POST", f"contacts/{cid}/paymentreminder/disable")
    assert books.ok("GET", f"contacts/{cid}")["contact"]["payment_reminder_enabled"] is False
    assert books.ok("POST", f"invoices/{inv['invoice_id']}/paymentreminder/disable")["message"] == "Reminders stopped."
    assert books.ok("GET", f"invoices/{inv['invoice_id']}")["invoice"]["payment_reminder_enabled"] is False
    acct = put_records(zoho, books.org_id, "chartofaccounts", [{"account_name": "Rent", "account_type": "expense",
                                                               "is_active": True}])[0]
    r = books.post(f"chartofaccounts/{acct}/inactive")
    assert r.status_code == 201 and r.json()["message"] == "The account has been marked as inactive."
    assert books.ok("GET", f"chartofaccounts/{acct}")["chart_of_account"]["is_active"] is False
    invited = put_records(zoho, books.org_id, "users", [{"name": "Ann Lee", "email": "ann@bowman.example",
                                                       "status": "invited"}])[0]
    assert books.ok("POST", f"users/{invited}/invite")["message"] == "Your invitation has been sent."
    assert zoho.admin.outbox(books.org_id)[0]["to_mail_ids"] == ["ann@bowman.example"]
    me = books.ok("GET", "users/me")["user"]["user_id"]
    assert_zoho_error(books.post(f"users/{me}/invite"), 400, 2)  # active: nothing to invite to
    item = books.ok("POST", "items", json={"name": "Widget", "rate": 3})["item"]
    books.ok("POST", f"items/{item['item_id']}/inactive")
    assert books.ok("GET", f"items/{item['item_id']}")["item"]["status"] == "inactive"
    assert_zoho_error(books.post("items/460000000000001/active"), 404, 1002)
    assert_zoho_error(books.get(f"items/{item['item_id']}/active"), 405, 37)


def test_contact_address_book_portal_and_1099(zoho):
    books, contact, vendor, _ = _setup(zoho)
    cid = contact["contact_id"]
    assert books.ok("GET", f"contacts/{cid}/address")["addresses"] == []
    made = books.ok("POST", f"contacts/{cid}/address", json={"attention": "Mr.John", "address": "4900 Hopyard Rd",
                                                             "city": "Pleasanton", "zip": 94588})
    assert made["message"] == "The address has been created." and made["address_info"]["zip"] == "94588"
    aid = made["address_info"]["address_id"]
    upd = books.ok("PUT", f"contacts/{cid}/address/{aid}", json={"city": "Dublin"})["address_info"]
    assert (upd["city"], upd["address"]) == ("Dublin", "4900 Hopyard Rd")
    assert [a["city"] for a in books.ok("GET", f"contacts/{cid}/address")["addresses"]] == ["Dublin"]
    assert_zoho_error(books.post(f"contacts/{cid}/address", {"city": ""}), 400, 2)
    assert books.ok("DELETE", f"contacts/{cid}/address/{aid}")["message"] == "The address has been deleted."
    assert_zoho_error(books.delete(f"contacts/{cid}/address/{aid}"), 404, 1002)
    # the client portal for one of the contact's persons
    person = books.ok("GET", f"contacts/{cid}")["contact"]["contact_persons"][0]
    r = books.ok("POST", f"contacts/{cid}/portal/enable", json={"contact_persons": [
        {"contact_person_id": person["contact_person_id"]}]})
    assert r["message"] == "Client Portal preferences have been updated"
    assert books.ok("GET", f"contacts/{cid}/contactpersons/{person['contact_person_id']}")["contact_person"][
        "is_added_in_portal"] is True
    assert books.ok("GET", f"contacts/{cid}")["contact"]["contact_persons"][0]["enable_portal"] is True
    assert_zoho_error(books.post(f"contacts/{cid}/portal/enable", {"contact_persons": [{"contact_person_id": "1"}]}), 400, 2)
    assert_zoho_error(books.post(f"contacts/{cid}/portal/enable", {}), 400, 2)
    # 1099 tracking of a vendor
    assert books.ok("POST", f"contacts/{vendor['contact_id']}/track1099")["message"] == "1099 tracking is enabled."
    assert books.ok("POST", f"contacts/{vendor['contact_id']}/untrack1099")["message"] == "1099 tracking is disabled."
    history = [c["description"] for c in books.ok("GET", f"contacts/{vendor['contact_id']}/comments")["contact_comments"]]
    assert history[:2] == ["1099 tracking disabled", "1099 tracking enabled"]


def test_custom_fields_addresses_and_templates(zoho):
    books, _, vendor, inv = _setup(zoho)
    iid = inv["invoice_id"]
    zoho.admin.advance(60)
    r = books.ok("PUT", f"invoice/{iid}/customfields", json=[{"customfield_id": "46000000012845", "value": "Normal",
                                                             "label": "Priority"}])
    assert r["message"] == "Custom Fields Updated Successfully"
    after = books.ok("GET", f"invoices/{iid}")["invoice"]
    assert [(f["customfield_id"], f["value"], f["label"]) for f in after["custom_fields"]] == \
        [("46000000012845", "Normal", "Priority")]
    assert after["last_modified_time"] > inv["last_modified_time"]
    books.ok("PUT", f"invoice/{iid}/customfields", json=[{"customfield_id": 46000000012845, "value": "High"}])
    assert [f["value"] for f in books.ok("GET", f"invoices/{iid}")["invoice"]["custom_fields"]] == ["High"]
    books.ok("PUT", f"invoice/{iid}/customfields", json={"custom_fields": [{"label": "Priority", "value": "Low"}]})
    assert [f["value"] for f in books.ok("GET", f"invoices/{iid}")["invoice"]["custom_fields"]] == ["Low"]
    assert_zoho_error(books.put(f"invoice/{iid}/customfields", [{"value": "x"}]), 400, 2)
    assert_zoho_error(books.put(f"invoice/{iid}/customfields", []), 400, 2)
    assert_zoho_error(books.put("invoice/460000000000001/customfields", [{"customfield_id": "1", "value": 1}]), 404, 1002)
    # addresses
    r = books.ok("PUT", f"invoices/{iid}/address/billing", json={"address": "4900 Hopyard Rd", "city": "Pleasanton",
                                                                 "zip": 94588})
    assert r["message"] == "Billing address updated"
    billing = books.ok("GET", f"invoices/{iid}")["invoice"]["billing_address"]
    assert (billing["address"], billing["city"], billing["zip"]) == ("4900 Hopyard Rd", "Pleasanton", "94588")
    assert books.ok("PUT", f"invoices/{iid}/address/shipping", json={"city": "Beijing"})["message"] == "Shipping address updated"
    assert_zoho_error(books.put(f"invoices/{iid}/address/billing", {"city": ["x"]}), 400, 2)
    bill = books.ok("POST", "bills", json={"vendor_id": vendor["contact_id"], "bill_number": "B-9",
                                          "line_items": [{"name": "Ink", "rate": 30}]})["bill"]
    r = books.ok("PUT", f"bills/{bill['bill_id']}/address/billing", json={"city": "Austin", "is_update_customer": True})
    assert r["message"] == "Billing address updated." and r["billing_address"]["city"] == "Austin"
    assert books.ok("GET", f"contacts/{vendor['contact_id']}")["contact"]["billing_address"]["city"] == "Austin"
    assert_zoho_error(books.put(f"bills/{bill['bill_id']}/address/shipping", {"city": "x"}), 404, 5)  # undocumented
    # templates: the org's are those its records use
    put_records(zoho, books.org_id, "invoices", [{"invoice_id": iid, "template_id": "982000000000143",
                                                  "template_name": "Service - Classic"}])
    other = books.ok("POST", "invoices", json={"customer_id": inv["customer_id"],
                                               "line_items": [{"name": "Chair", "rate": 40}]})["invoice"]
    r = books.ok("PUT", f"invoices/{other['invoice_id']}/templates/982000000000143")
    assert r["message"] == "Invoice information has been updated."
    assert books.ok("GET", f"invoices/{other['invoice_id']}")["invoice"]["template_name"] == "Service - Classic"
    body = assert_zoho_error(books.put(f"invoices/{other['invoice_id']}/templates/123"), 404, 1002)
    assert body["message"] == "Template does not exist."


def test_scopes_apply_to_facets(zoho):
    reader = world(zoho, scopes=("ZohoBooks.invoices.READ",))
    iid = put_records(zoho, reader.org_id, "invoices", [{"invoice_number": "INV-9", "status": "draft", "total": 5}])[0]
    assert [c["description"] for c in reader.ok("GET", f"invoices/{iid}/comments")["comments"]] == \
        ["Invoice created for $5.00"]
    assert_zoho_error(reader.post(f"invoices/{iid}/comments", {"description": "x"}), 401, 57)
    assert_zoho_error(reader.put(f"invoice/{iid}/customfields", [{"customfield_id": "1", "value": 1}]), 401, 57)
    assert_zoho_error(reader.post(f"invoices/{iid}/email", {}), 401, 57)
    journal = zoho.admin.requests(limit=3)
    assert any(e.get("path", "").endswith(f"invoices/{iid}/email") and e.get("status") == 401 for e in journal), journal


def test_every_declared_facet_is_on_a_served_resource_or_awaits_its_module():
    for resource in FACETS:
        assert (resource in SPECS) != (resource in AWAITING_MODULE), resource
