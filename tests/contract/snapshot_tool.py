"""Build the contract snapshots from Zoho's own Books OpenAPI documents, with the known errata applied.

    python -m tests.contract.snapshot_tool from-oas DIR      # DIR: Zoho's openapi-all.zip, unzipped
    python -m tests.contract.snapshot_tool show invoices_list

Zoho publishes one OpenAPI file per Books module (https://www.zoho.com/books/api/v3/openapi-all.zip).
Their response schemas carry one documented example per field; a snapshot keeps only the shape
(keys and JSON types) of the documented answer, never the files themselves. Errata (reference §7,
each applied one is listed in the snapshot): ``page_context`` is an object, not an array; the
customer payments list key is ``customerpayments``; vendor credits list under ``vendor_credits``;
wrapper container types (credit notes list, tax and sales order details) are fixed; money fields
documented as strings are numbers; ``fiscal_year_start_month`` is a month name; the chart of
accounts detail sits under ``chart_of_account`` (our choice). Fields Zoho marks as edition-only
(``x-node_available_in``) are left out: the emulator serves each organisation its edition's fields.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
import yaml

from .shapes import SNAPSHOT_DIR, load_snapshot, merge, write_snapshot

AMOUNT = re.compile(r"(^|_)(total|balance|amount|rate|price|charge|charges|credits|adjustment|discount|paid|"
                    r"payment_made|credits_applied|percentage|quantity|exchange_rate|bcy_[a-z_]+|count|depth|"
                    r"page|per_page)$")
TEXT = re.compile(r"(_id|_number)$")
# Fields whose documented type contradicts the rest of Zoho's own files and the live API (reference §6.3,
# §7): custom fields and documents are arrays everywhere else, flags are booleans.
FIELD_ERRATA: dict[str, tuple[Any, str]] = {
    "documents": (["any"], "documents: an array (documented as a string in some schemas, an array in others)"),
    "custom_fields": (["any"], "custom_fields: an array (documented as an object in some schemas)"),
    "custom_field": (["any"], "custom_field: an array (documented as a string)"),
    "is_child_present": ("boolean", "is_child_present: a boolean (documented as a string)"),
}


@dataclass(frozen=True)
class Target:
    """One documented answer to snapshot: which file and operation, and how to ask for it live."""

    name: str
    file: str
    path: str
    list_path: str | None = None  # detail targets: where the id comes from
    key_fix: dict[str, str] = field(default_factory=dict)  # documented wrapper key -> real key
    wrap: str | None = None  # fields documented at the top level belong under this key
    one_object: tuple[str, ...] = ()  # fields documented as an array of objects that answer one object

    def request(self) -> dict[str, Any]:
        out: dict[str, Any] = {"method": "GET", "path": self.path, "params": {}}
        if self.list_path:
            out["id_from"] = self.list_path
        return out


TARGETS: tuple[Target, ...] = (
    Target("organizations_list", "organizations.yml", "/organizations"),
    Target("organizations_detail", "organizations.yml", "/organizations/{organization_id}", "/organizations"),
    Target("contacts_list", "contacts.yml", "/contacts"),
    Target("contacts_detail", "contacts.yml", "/contacts/{contact_id}", "/contacts"),
    Target("invoices_list", "invoices.yml", "/invoices"),
    Target("invoices_detail", "invoices.yml", "/invoices/{invoice_id}", "/invoices"),
    Target("creditnotes_list", "credit-notes.yml", "/creditnotes"),
    Target("bills_list", "bills.yml", "/bills"),
    Target("bills_detail", "bills.yml", "/bills/{bill_id}", "/bills"),
    Target("items_list", "items.yml", "/items"),
    Target("items_detail", "items.yml", "/items/{item_id}", "/items"),
    Target("chartofaccounts_list", "chart-of-accounts.yml", "/chartofaccounts"),
    Target("chartofaccounts_detail", "chart-of-accounts.yml", "/chartofaccounts/{account_id}", "/chartofaccounts",
           wrap="chart_of_account"),
    Target("customerpayments_list", "customer-payments.yml", "/customerpayments",
           key_fix={"customer_payments": "customerpayments"}),
    Target("customerpayments_detail", "customer-payments.yml", "/customerpayments/{payment_id}", "/customerpayments"),
    # check_details: one object, as a live list and detail answer it (tests/conformance/errata/purchases.py)
    Target("vendorpayments_list", "vendor-payments.yml", "/vendorpayments", one_object=("check_details",)),
    Target("vendorcredits_list", "vendor-credits.yml", "/vendorcredits", key_fix={"vendorcredits": "vendor_credits"}),
    Target("journals_list", "journals.yml", "/journals"),
    Target("taxes_list", "taxes.yml", "/settings/taxes"),
    Target("currencies_list", "currency.yml", "/settings/currencies"),
    Target("bankaccounts_list", "bank-accounts.yml", "/bankaccounts"),
    Target("banktransactions_list", "bank-transactions.yml", "/banktransactions"),
    Target("expenses_list", "expenses.yml", "/expenses"),
    Target("salesorders_list", "sales-order.yml", "/salesorders"),
    Target("purchaseorders_list", "purchase-order.yml", "/purchaseorders"),
    Target("estimates_list", "estimates.yml", "/estimates"),
    Target("users_list", "users.yml", "/users"),
)


_KIND_OF = {"documents": ("array",), "custom_fields": ("array",), "custom_field": ("array",),
            "is_child_present": ("boolean",)}


# Documented answers outside the Books OpenAPI files, written from Zoho's own pages.
HANDWRITTEN: tuple[dict[str, Any], ...] = (
    {"name": "oauth_refresh",
     "source": "Zoho Accounts docs, access-token-expiry page example (refresh grant; reference §2.4)",
     "request": {"kind": "oauth_refresh"}, "status": 200, "errata_applied": [], "left_out": [],
     "shape": {"access_token": "string", "api_domain": "string", "token_type": "string", "expires_in": "number"}},
)


class Converter:
    """Schema (with per-field examples) -> shape, logging every erratum it applies."""

    def __init__(self, doc: dict[str, Any], one_object: tuple[str, ...] = ()) -> None:
        self.doc = doc
        self.errata: set[str] = set()
        self.left_out: set[str] = set()
        self.one_object = one_object

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        seen = 0
        while isinstance(node, dict) and "$ref" in node and seen < 20:
            target: Any = self.doc
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part]
            node, seen = target, seen + 1
        return node

    def shape(self, node: dict[str, Any], name: str = "") -> Any:
        raw = node
        node = self.resolve(node)
        if "x-node_available_in" in raw or "x-node_available_in" in node:
            self.left_out.add(name)
            return None
        if name in FIELD_ERRATA and node.get("type") not in _KIND_OF[name]:
            fixed, note = FIELD_ERRATA[name]
            self.errata.add(note)
            return fixed
        for combo in ("allOf", "oneOf", "anyOf"):
            if combo in node:
                parts = [s for s in (self.shape(sub, name) for sub in node[combo]) if s is not None]
                out = parts[0] if parts else "any"
                for p in parts[1:]:
                    out = merge(out, p)
                return out
        kind = node.get("type")
        if kind == "object" or "properties" in node:
            out = {}
            for key, sub in (node.get("properties") or {}).items():
                s = self.shape(sub, key)
                if s is not None:
                    out[key] = s
            return out
        if kind == "array" and name in self.one_object:
            self.errata.add(f"{name}: one object (documented as an array of objects)")
            return self.shape(node.get("items") or {}, name)
        if kind == "array":
            if name == "custom_fields":  # its rows' keys vary by org and field (the erratum must not reach them)
                return ["any"]
            item = self.shape(node.get("items") or {}, name)
            return [] if item in (None, {}) and not (node.get("items") or {}) else [item if item is not None else "any"]
        example = node.get("example")
        if name == "fiscal_year_start_month":
            self.errata.add("fiscal_year_start_month: a month name (documented as a number)")
            return "string"
        if kind == "string" and AMOUNT.search(name) and not TEXT.search(name):
            self.errata.add(f"{name}: a number (documented as a string; amounts, rates and counts are numbers)")
            return "number"
        if kind in ("integer", "number") and TEXT.search(name):
            self.errata.add(f"{name}: a string (documented as a number; ids and document numbers are strings)")
            return "string"
        if kind in ("integer", "number"):
            return "number"
        if kind in ("string", "boolean"):
            return kind
        if example is not None:
            return {bool: "boolean", int: "number", float: "number", str: "string"}.get(type(example), "any")
        return "any"


def _fix_envelope(target: Target, conv: Converter, shape: dict[str, Any]) -> dict[str, Any]:
    """Envelope errata: page_context an object, list keys, wrapper container types, the COA wrapper."""
    out = {}
    for key, sub in shape.items():
        if key in target.key_fix:
            conv.errata.add(f"list key {target.key_fix[key]} (documented as {key})")
            key = target.key_fix[key]
        if key == "page_context" and isinstance(sub, list):
            conv.errata.add("page_context: an object (documented as an array)")
            sub = sub[0] if sub else {}
        elif key not in ("code", "message", "page_context"):
            is_list = target.list_path is None
            if is_list and isinstance(sub, dict):
                conv.errata.add(f"{key}: an array of records (documented as an object)")
                sub = [sub]
            elif not is_list and isinstance(sub, list):
                conv.errata.add(f"{key}: one record (documented as an array)")
                sub = sub[0] if sub else {}
        out[key] = sub
    if target.wrap:
        conv.errata.add(f"detail under {target.wrap!r} (documented at the top level; our choice, books.coa_detail_key)")
        out = {"code": out.pop("code"), "message": out.pop("message"), target.wrap: out}
    return out


def snapshot_from_oas(target: Target, oas_dir: Path) -> dict[str, Any]:
    doc = yaml.load((oas_dir / target.file).read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    op = doc["paths"][target.path]["get"]
    schema = op["responses"]["200"]["content"]["application/json"]["schema"]
    conv = Converter(doc, target.one_object)
    shape = _fix_envelope(target, conv, conv.shape(schema))
    gated = sorted(f for f in conv.left_out if f)
    return {
        "name": target.name,
        "source": f"Zoho Books OpenAPI example, {target.file} GET {target.path} (200 schema and its field examples)",
        "request": target.request(),
        "status": 200,
        "errata_applied": sorted(conv.errata),
        "left_out": [f"edition-only fields (x-node_available_in): {', '.join(gated)}"] if gated else [],
        "shape": shape,
    }


@click.group()
def cli() -> None:
    """Contract snapshots: build them from Zoho's OpenAPI documents, or show one."""


@cli.command("from-oas")
@click.argument("oas_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=SNAPSHOT_DIR, show_default=True,
              help="Where to write the snapshot files.")
def from_oas(oas_dir: Path, out: Path) -> None:
    """Write one snapshot per documented answer in TARGETS from the OpenAPI files in OAS_DIR."""
    from rich.progress import track

    for target in track(TARGETS, description="snapshots"):
        missing = oas_dir / target.file
        if not missing.exists():
            raise click.ClickException(f"{missing} is missing: unzip Zoho's openapi-all.zip into {oas_dir}")
        write_snapshot(snapshot_from_oas(target, oas_dir), out)
    for doc in HANDWRITTEN:
        write_snapshot(doc, out)
    click.echo(f"{len(TARGETS) + len(HANDWRITTEN)} snapshots written to {out}")


@cli.command()
@click.argument("name")
def show(name: str) -> None:
    """Print one snapshot's source, errata and shape."""
    import json

    click.echo(json.dumps(load_snapshot(name), indent=1))


if __name__ == "__main__":
    cli()
