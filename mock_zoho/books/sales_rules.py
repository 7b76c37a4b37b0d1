"""Write rules of three sales documents beyond what every document with lines does (issue 13):

- invoices: an invoice line names its item (``item_name``, customer-debit-notes.yml); a customer debit
  note is an invoice written with ``type: debit_note`` and the ``reference_invoice_id`` of an invoice of
  the same customer that it adds charges to, answered with that invoice as ``reference_invoice``
  (number, status and amount), numbered in its own series (DN-000001); a plain invoice's
  ``reference_invoice`` is empty, and an invoice a debit note names is not deleted (code 1040). A debit
  note without a real invoice of its customer is code 2 naming ``reference_invoice_id``; an invoice
  cannot change type (code 2 naming ``type``; our choice).
- estimates: ``project_id`` names a project of the customer, answered as ``project`` (id and name);
  an unknown project or another customer's is code 2 naming ``project_id``.
- sales orders: each line says whether it is taxed (``is_taxable``: it carries a tax); a US line may
  name an item tax exemption (``product_exemption_id``, its code answered beside it), an unknown one or
  a customer exemption is code 2 naming ``product_exemption_id``.
"""
from __future__ import annotations

from typing import Any

from .. import literals as L
from ..http import BooksAPIError, invalid_value
from . import calc
from .editions import LINE_EDITION_FIELDS
from .fields import default_for
from .module_rules import TimeBillingRules
from .rules import OrderRules, one_of

DEBIT_NOTE, INVOICE = "debit_note", "invoice"
TYPE_KEY = "type"  # stored, never rendered (invoices.yml answers no type): what filter_by=Type.DebitNote reads
NUMBER_KEY = "debit_note_number"  # stored, never rendered: what sort_column=debit_note_number reads
# customer-debit-notes.yml's answers to a debit note's create and update
DEBIT_NOTE_MESSAGES = {L.CREATED_MESSAGE: "The debit note has been created.",
                       L.UPDATED_MESSAGE: "The debit note has been updated."}
DEBIT_NOTE_SERIES = ("debitnotes", "DN-")  # (number series, prefix) of debit notes the caller does not number
EXEMPTION_ID, EXEMPTION_CODE = "product_exemption_id", "product_exemption_code"


class InvoiceRules(TimeBillingRules):
    """Invoices and customer debit notes (module docstring)."""

    def schema_for(self, ctx):
        return {**super().schema_for(ctx), "type": "str", "reference_invoice_id": "id", "reference_invoice_type": "str"}

    def apply(self, ctx, rec, data, existing):
        kind = data.pop("type", None)
        ref_id = data.pop("reference_invoice_id", None)
        data.pop("reference_invoice_type", None)
        one_of({"type": kind} if kind else {}, "type", (INVOICE, DEBIT_NOTE))
        was = (existing or {}).get(TYPE_KEY, INVOICE)
        if existing is not None and kind and kind != was:
            raise invalid_value("type")
        super().apply(ctx, rec, data, existing)
        if (kind or was) == DEBIT_NOTE:
            rec[TYPE_KEY] = DEBIT_NOTE
            self.reference(ctx, rec, ref_id)
        elif "reference_invoice" in ctx.spec.detail_fields:
            rec["reference_invoice"] = default_for("reference_invoice")

    @staticmethod
    def reference(ctx, rec: dict[str, Any], ref_id: str | None) -> None:
        """The invoice a debit note adds to (the one named, else the one it named before)."""
        ref_id = ref_id or (rec.get("reference_invoice") or {}).get("reference_invoice_id")
        target = ctx.get("invoices", ref_id) if ref_id else None
        if target is None or target.get(TYPE_KEY) == DEBIT_NOTE or target.get("customer_id") != rec.get("customer_id") \
                or target.get("invoice_id") == rec.get("invoice_id"):
            raise invalid_value("reference_invoice_id")
        rec["reference_invoice"] = {"reference_invoice_id": target["invoice_id"],
                                    "reference_invoice_number": target.get("invoice_number") or "",
                                    "reference_invoice_status": target.get("status") or "",
                                    "reference_invoice_amount": target.get("total") or 0.0}

    def check_delete(self, ctx, rec):
        """An invoice a debit note adds to is not deleted while the note names it (code 1040)."""
        super().check_delete(ctx, rec)
        if any((r.get("reference_invoice") or {}).get("reference_invoice_id") == rec.get("invoice_id")
               for r in ctx.backend.records(ctx.org_id, "invoices") if r.get(TYPE_KEY) == DEBIT_NOTE):
            raise BooksAPIError(L.HAS_DEPENDENTS, label=ctx.spec.label)

    def message_for(self, template, rec):
        if (rec or {}).get(TYPE_KEY) == DEBIT_NOTE and template in DEBIT_NOTE_MESSAGES:
            return DEBIT_NOTE_MESSAGES[template]
        return super().message_for(template, rec)

    def lines(self, ctx, rows, existing):
        lines = super().lines(ctx, rows, existing)
        for line in lines:
            line["item_name"] = line.get("name") or ""
        return lines

    def number(self, ctx, rec, data, existing):
        """A debit note not numbered by the caller takes the next of its own series (DN-000001,
        customer-debit-notes.yml's DN-00001), unique among the org's invoices."""
        if rec.get(TYPE_KEY) != DEBIT_NOTE or existing is not None or data.get("invoice_number"):
            super().number(ctx, rec, data, existing)
        else:
            taken = {r.get("invoice_number") for r in ctx.backend.records(ctx.org_id, "invoices")}
            candidate = calc.next_number(ctx.backend.store, ctx.org_id, *DEBIT_NOTE_SERIES)
            while candidate in taken:
                candidate = calc.next_number(ctx.backend.store, ctx.org_id, *DEBIT_NOTE_SERIES)
            rec["invoice_number"] = candidate
        if rec.get(TYPE_KEY) == DEBIT_NOTE:
            rec[NUMBER_KEY] = rec["invoice_number"]


class EstimateRules(OrderRules):
    """Estimates (module docstring)."""

    def apply(self, ctx, rec, data, existing):
        project_id = data.pop("project_id", None)
        super().apply(ctx, rec, data, existing)
        if project_id is not None:
            if not project_id:
                rec["project"] = default_for("project")
                return
            project = ctx.referenced("projects", project_id, "project_id")
            if project.get("customer_id") != rec.get("customer_id"):
                raise invalid_value("project_id")
            rec["project"] = {"project_id": project["project_id"], "project_name": project.get("project_name") or ""}
        elif existing is None:
            rec["project"] = default_for("project")


class SalesOrderRules(OrderRules):
    """Sales orders (module docstring)."""

    def lines(self, ctx, rows, existing):
        edition_keys = LINE_EDITION_FIELDS.get(ctx.org.get("_edition", ""), {}).get(ctx.spec.name, ())
        named = [row.get(EXEMPTION_ID) if isinstance(row, dict) else None for row in rows or []]
        lines = super().lines(ctx, rows, existing)
        for line, exemption_id in zip(lines, named):
            line["is_taxable"] = bool(line.get("tax_id"))
            if EXEMPTION_ID not in edition_keys:
                continue
            line[EXEMPTION_ID] = line[EXEMPTION_CODE] = ""
            if exemption_id not in (None, ""):
                exemption = ctx.get("taxexemptions", str(exemption_id))
                if exemption is None or exemption.get("type") != "item" or line["is_taxable"]:
                    raise invalid_value(EXEMPTION_ID)
                line[EXEMPTION_ID] = exemption["tax_exemption_id"]
                line[EXEMPTION_CODE] = exemption["tax_exemption_code"]
        return lines
