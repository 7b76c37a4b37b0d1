"""A contact's unused retainer payments (contacts.yml ``get_unused_retainer_payments``), read from its
retainer invoices: the emulator keeps a retainer's payment on the retainer invoice itself (``payment_made``,
of which ``payment_drawn`` has been drawn onto invoices), so each retainer invoice with money not yet drawn
is one row: its id and number stand for the payment's (our choice), its last payment date, what was paid and
what is left. Oldest first; ``currency_id`` keeps one currency's.
"""
from __future__ import annotations

from typing import Any, Mapping

UNUSED_RETAINER_FIELDS = ("payment_id", "payment_number", "date", "amount", "unused_amount", "currency_id",
                          "currency_code", "currency_symbol", "reference_number", "payment_mode", "description")


def unused_retainer_payments(retainers: list[Mapping[str, Any]], org: Mapping[str, Any], contact_id: str,
                             currency_id: str = "") -> list[dict[str, Any]]:
    rows = []
    for rec in retainers:
        paid = float(rec.get("payment_made") or 0)
        unused = round(paid - float(rec.get("payment_drawn") or 0), 2)
        if rec.get("customer_id") != contact_id or rec.get("status") == "void" or unused <= 0:
            continue
        if currency_id and str(rec.get("currency_id") or "") != currency_id:
            continue
        rows.append({"payment_id": rec.get("retainerinvoice_id"), "payment_number": rec.get("retainerinvoice_number"),
                     "date": rec.get("last_payment_date") or rec.get("date") or "", "amount": paid,
                     "unused_amount": unused, "currency_id": rec.get("currency_id") or "",
                     "currency_code": rec.get("currency_code") or "",
                     "currency_symbol": rec.get("currency_symbol") or org.get("currency_symbol") or "",
                     "reference_number": rec.get("reference_number") or "", "payment_mode": rec.get("payment_mode") or "",
                     "description": f"Retainer payment for {rec.get('retainerinvoice_number')}"})
    rows.sort(key=lambda r: (str(r["date"]), str(r["payment_id"])))
    return rows
