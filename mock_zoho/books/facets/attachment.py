"""Attachments: ``/<path>/{id}/attachment`` (expenses also ``/receipt``), files kept byte for byte.

``POST`` takes a multipart file (form field ``attachment``, or ``receipt``; any single file part is
accepted), checks its extension against Zoho's documented list and its size against
``books.attachment_max_bytes`` (and the record's file count against ``books.attachment_max_files``),
stores the bytes in ``books:{org}:documents`` and lists the file in the record's ``documents``
(``has_attachment``, ``attachment_name`` follow). ``GET`` answers the last attached file with its
content type, ``PUT`` sets ``can_send_in_mail``, ``DELETE`` removes the last one: Zoho's "last
attached attachment" semantics.
"""
from __future__ import annotations

import base64
import mimetypes
from typing import Any

from flask import Response, request
from werkzeug.datastructures import FileStorage

from ... import literals as L
from ...errors import invalid_value
from ..keys import documents_ns
from ..models import not_found
from .base import Call, add_history, content_disposition, flag, message, save, writable_record
from .options import Attachment, Documents


MULTIPART_SLACK = 64 * 1024  # boundaries and headers around the file in a multipart body


def _size_text(n: int) -> str:
    return f"{n / 1024:.1f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


def _upload(call: Call, facet: Attachment) -> tuple[FileStorage, bytes]:
    limit = int(call.config["books.attachment_max_bytes"])
    if request.content_length is not None and request.content_length > limit + MULTIPART_SLACK:
        raise invalid_value(facet.sub)
    if request.mimetype != "multipart/form-data":
        raise invalid_value(facet.sub)
    files = request.files
    upload = files.get(facet.sub) or files.get("attachment") or (next(iter(files.values())) if len(files) == 1 else None)
    if upload is None or not upload.filename:
        raise invalid_value(facet.sub)
    data = upload.read(limit + 1)
    ext = upload.filename.rsplit(".", 1)[-1].lower() if "." in upload.filename else ""
    if not data or len(data) > limit or ext not in facet.extensions:
        raise invalid_value(facet.sub)
    return upload, data


def safe_name(raw: str) -> str:
    """The file's own name: no folders, no control characters or quotes (it goes into a header)."""
    base = raw.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in base if ch.isprintable() and ch not in '"').strip()


def _content_type(upload: FileStorage) -> str:
    given = (upload.mimetype or "").lower()
    if given and given != "application/octet-stream":
        return given
    return mimetypes.guess_type(upload.filename or "")[0] or "application/octet-stream"


def _summary(rec: dict[str, Any]) -> None:
    docs = rec.get("documents") or []
    rec["has_attachment"] = bool(docs)
    rec["attachment_name"] = docs[-1]["file_name"] if docs else ""


def h_add(call: Call, facet: Attachment) -> Response:
    upload, data = _upload(call, facet)
    can_send = flag("can_send_in_mail")
    name = safe_name(upload.filename or "")
    if not name:
        raise invalid_value(facet.sub)
    with call.writing():
        rec = writable_record(call)
        docs = list(rec.get("documents") or [])
        if len(docs) >= int(call.config["books.attachment_max_files"]):
            raise invalid_value(facet.sub)
        doc_id = call.backend.new_id(call.org_id)
        call.backend.put_doc(documents_ns(call.org_id), doc_id, {
            "document_id": doc_id, "file_name": name, "content_type": _content_type(upload), "size": len(data),
            "created_time": call.backend.timestamp(call.org), "data": base64.b64encode(data).decode("ascii")})
        docs.append({"document_id": doc_id, "file_name": name, "file_type": name.rsplit(".", 1)[-1].lower(),
                     "file_size": len(data), "file_size_formatted": _size_text(len(data)),
                     "attachment_order": len(docs) + 1, "document_type": "attachment"})
        rec["documents"] = docs
        _summary(rec)
        if can_send is not None:
            rec["can_send_in_mail"] = can_send
        add_history(call, rec, f"File {name} attached", operation="Added")
        save(call, rec)
    extra = {"documents": [docs[-1]]} if facet.echo_documents else {}
    return message(call, facet.added, facet.added_status, **extra)


def _last(call: Call, rec: dict[str, Any]) -> dict[str, Any]:
    docs = rec.get("documents") or []
    if not docs:
        raise not_found("Attachment")
    return docs[-1]


def _file_response(doc: dict[str, Any], inline: bool) -> Response:
    resp = Response(base64.b64decode(doc["data"]), 200, content_type=doc["content_type"])
    resp.headers["Content-Disposition"] = content_disposition(inline, doc["file_name"])
    resp.headers["Server"] = L.SERVER_HEADER
    return resp


def _stored(call: Call, document_id: str) -> dict[str, Any]:
    doc = call.backend.get_doc(documents_ns(call.org_id), document_id)
    if doc is None:
        raise not_found("Attachment")
    return doc


def h_get(call: Call, facet: Attachment) -> Response:
    """The last attached file, byte for byte (``preview`` answers the file too: no thumbnails here)."""
    flag("preview")
    inline = flag("inline", False)
    rec = call.backend.require(call.org_id, call.spec, call.params[0])
    return _file_response(_stored(call, _last(call, rec)["document_id"]), bool(inline))


def _listed(call: Call, rec: dict[str, Any]) -> dict[str, Any]:
    for entry in rec.get("documents") or []:
        if entry.get("document_id") == call.params[1]:
            return entry
    raise not_found("Document")


def h_document_get(call: Call, facet: Documents) -> Response:
    """The file (``responseformat`` pdf, jpeg, png or none), or its description (``responseformat=json``)."""
    fmt = (request.args.get("responseformat") or "").lower()
    if fmt not in ("", "json", "pdf", "html", "jpeg", "jpg", "png"):
        raise invalid_value("responseformat")
    rec = call.backend.require(call.org_id, call.spec, call.params[0])
    _listed(call, rec)
    doc = _stored(call, call.params[1])
    if fmt != "json":
        return _file_response(doc, True)
    return call.answer({"document": {
        "document_id": doc["document_id"], "document_name": doc["file_name"], "file_name": doc["file_name"],
        "file_size": doc["size"], "file_type": doc["content_type"], "document_url": request.base_url,
        "created_time": doc.get("created_time", ""), "last_modified_time": doc.get("created_time", "")}})


def h_document_delete(call: Call, facet: Documents) -> Response:
    with call.writing():
        rec = writable_record(call)
        entry = _listed(call, rec)
        call.backend.put_doc(documents_ns(call.org_id), entry["document_id"], None)
        rec["documents"] = [d for d in rec["documents"] if d is not entry]
        _summary(rec)
        add_history(call, rec, f"File {entry['file_name']} removed")
        save(call, rec)
    return message(call, facet.deleted)


def h_update(call: Call, facet: Attachment) -> Response:
    can_send = flag("can_send_in_mail")
    if can_send is None:
        raise invalid_value("can_send_in_mail")
    with call.writing():
        rec = writable_record(call)
        rec["can_send_in_mail"] = can_send
        save(call, rec)
    return message(call, facet.updated)


def h_delete(call: Call, facet: Attachment) -> Response:
    with call.writing():
        rec = writable_record(call)
        last = _last(call, rec)
        call.backend.put_doc(documents_ns(call.org_id), last["document_id"], None)
        rec["documents"] = rec["documents"][:-1]
        _summary(rec)
        add_history(call, rec, f"File {last['file_name']} removed")
        save(call, rec)
    return message(call, facet.deleted)
