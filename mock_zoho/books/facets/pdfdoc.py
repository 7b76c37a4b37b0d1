"""A minimal, valid PDF 1.4 writer: pages of left-aligned text lines in Helvetica (WinAnsi).

Written by hand (about 60 lines) rather than adding a dependency: a Books document as PDF is a few
lines of text per page, and the output must be byte-identical for identical input (the replay
check renders every replayed answer again and compares bytes), so there is no creation date. The
file has a catalog, a page tree, two standard fonts, one content stream per page, an ``/Info``
title and a cross-reference table with exact offsets, which any PDF reader opens.
"""
from __future__ import annotations

from dataclasses import dataclass

PAGE_W, PAGE_H = 595, 842  # A4 in points
MARGIN, LEADING = 50, 14
LINES_PER_PAGE = (PAGE_H - 2 * MARGIN) // LEADING


@dataclass(frozen=True)
class Line:
    text: str
    bold: bool = False
    size: int = 10


def _escape(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)").replace(b"\r", b"").replace(b"\n", b" ")


def _content(lines: list[Line]) -> bytes:
    out = [b"BT", f"{MARGIN} {PAGE_H - MARGIN} Td {LEADING} TL".encode()]
    for line in lines:
        out.append(f"/{'F2' if line.bold else 'F1'} {line.size} Tf".encode())
        out.append(b"(" + _escape(line.text) + b") Tj T*")
    out.append(b"ET")
    return b"\n".join(out)


def render(title: str, pages: list[list[Line]]) -> bytes:
    """One PDF: each item of ``pages`` is a document that starts on a new page (and flows on)."""
    chunks = [p[i:i + LINES_PER_PAGE] for p in pages for i in range(0, max(len(p), 1), LINES_PER_PAGE)] or [[]]
    objects: list[bytes] = []  # object n is objects[n - 1]
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(b"")  # the page tree, once the page numbers are known
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
    objects.append(b"<< /Title (" + _escape(title) + b") /Producer (mock_zoho) >>")
    kids = []
    for chunk in chunks:
        stream = _content(chunk)
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font << /F1 3 0 R "
                       b"/F2 4 0 R >> >> /Contents %d 0 R >>" % (PAGE_W, PAGE_H, len(objects)))
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids) + b"] /Count %d >>" % len(kids)
    body, offsets = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), []
    for n, obj in enumerate(objects, 1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % n + obj + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(body)
