"""What a filter check needs that the seeded world lacks, made through the API as a client would, right
before the list is read (issue 13: every documented filter of a served list tried with real values).

Each setup takes the world and the concrete path the run listed, makes what the list needs (two refunds
of a credit, two adjustments, a second user, ...) and answers the path to check: the same one, or the
same list of another record in the state it needs (a credit note with money left to refund, a contact
with a retainer payment undrawn), as the run's state actions do. A setup that cannot make its records
leaves the path as it was: the check then says why it is untested.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any, Callable

from .world import World, records_of

SETUP_REFUND = 1.0  # each refund a setup makes: small enough for any open credit or unused payment


def _today(world: World) -> str:
    """The org's date (the virtual clock's day: the run's epoch is noon UTC, the same day in the US)."""
    return datetime.fromtimestamp(float(world.target.clock.now()), timezone.utc).date().isoformat()


def _keep_ids(world: World, make: Callable[[], Any]) -> Any:
    """Run ``make`` without offering the ids it reads to the module's later requests."""
    seen = {k: list(v) for k, v in world.ids.items()}
    try:
        return make()
    finally:
        world.ids = seen


def _listed(world: World, path: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    answer = world.call("GET", path, {"per_page": 200, **(params or {})})
    return records_of(answer.body) if answer.status == 200 else []


def _bank_account(world: World) -> str | None:
    return next((str(a["account_id"]) for a in _listed(world, "/bankaccounts") if a.get("account_id")), None)


# -- refunds: two small refunds of a credit (or payment) with money left ------------------------------------
REFUNDABLE = {  # collection -> (id field, what is left to refund, account field of a refund)
    "/creditnotes": ("creditnote_id", "balance", "from_account_id"),
    "/vendorcredits": ("vendor_credit_id", "balance", "account_id"),
    "/customerpayments": ("payment_id", "unused_amount", "from_account_id"),
    "/vendorpayments": ("payment_id", "balance", "to_account_id"),
}


def _refund_twice(world: World, collection: str, record: dict[str, Any]) -> bool:
    id_field, _, account = REFUNDABLE[collection]
    bank = _bank_account(world)
    body = {"date": _today(world), "refund_mode": "cash", "amount": SETUP_REFUND, "reference_number": "RF-SETUP",
            "description": "Refund of the unused amount", **({account: bank} if bank else {})}
    made = [world.call("POST", f"{collection}/{record[id_field]}/refunds", json=body) for _ in range(2)]
    return all(200 <= a.status < 300 for a in made)


def _refundable(world: World, collection: str, first: str | None = None) -> list[dict[str, Any]]:
    """Records of ``collection`` with at least two refunds' worth left (the one the run listed first)."""
    id_field, left, _ = REFUNDABLE[collection]
    records = [r for r in _listed(world, collection) if float(r.get(left) or 0) >= 2 * SETUP_REFUND
               and r.get("status") not in ("draft", "void", "pending_approval", "approved")]
    return sorted(records, key=lambda r: str(r.get(id_field)) != first)


# Payments with nothing applied: a payment in advance, to refund from (collection -> party field, account field).
ADVANCES = {"/customerpayments": ("customer_id", "account_id", "customer"),
            "/vendorpayments": ("vendor_id", "paid_through_account_id", "vendor")}


def _advance(world: World, collection: str) -> list[dict[str, Any]]:
    """An advance payment of a contact of the payment's kind (all its amount unused), as a one-record list."""
    party, account, kind = ADVANCES[collection]
    contact = next((c for c in _listed(world, "/contacts") if c.get("contact_type") == kind), None)
    bank = _bank_account(world)
    if contact is None or bank is None:
        return []
    answer = world.call("POST", collection, json={party: contact["contact_id"], "amount": 50.0, "date": _today(world),
                                                  account: bank, "payment_mode": "Bank Transfer",
                                                  "description": "Advance payment"})
    made = next((v for k, v in (answer.body or {}).items() if isinstance(v, dict)), None) \
        if 200 <= answer.status < 300 else None
    return [made] if made else []


def refunds(world: World, path: str) -> str:
    """``/<credits>/refunds`` or ``/<credits>/{id}/refunds``: two refunds of one record (the listed one if it
    has money left, else another's path)."""
    parts = path.strip("/").split("/")
    collection = "/" + parts[0]
    record_id = parts[1] if len(parts) == 3 else None
    if record_id and len(_listed(world, path)) >= 2:
        return path

    def make() -> str:
        candidates = _refundable(world, collection, record_id)
        for record in candidates or (_advance(world, collection) if collection in ADVANCES else []):
            if _refund_twice(world, collection, record):
                rid = record[REFUNDABLE[collection][0]]
                return f"{collection}/{rid}/refunds" if record_id else path
        return path
    return _keep_ids(world, make)


def contact_refunds(world: World, path: str) -> str:
    """``/contacts/{id}/refunds``: a customer with a credit note refunded twice."""
    def make() -> str:
        for note in _refundable(world, "/creditnotes"):
            if _refund_twice(world, "/creditnotes", note):
                return f"/contacts/{note['customer_id']}/refunds"
        return path
    return _keep_ids(world, make) if len(_listed(world, path)) < 2 else path


# -- sub-records the seeded world has none of --------------------------------------------------------------
def adjustments(world: World, path: str) -> str:
    """Two base-currency adjustments of a foreign currency the org has open documents in (a client revalues
    at month end): each on its own date, at the currency's latest rate and a little above."""
    if len(_listed(world, path)) >= 2:
        return path

    def make() -> str:
        for currency in _listed(world, "/settings/currencies"):
            if currency.get("is_base_currency") or not currency.get("currency_id"):
                continue
            cid = currency["currency_id"]
            rates = _listed(world, f"/settings/currencies/{cid}/exchangerates")
            rate = float((rates[0] if rates else {}).get("rate") or currency.get("exchange_rate") or 1.0)
            made = 0
            today = _today(world)
            month_end = (date.fromisoformat(today).replace(day=1) - timedelta(days=1)).isoformat()
            for day, factor in ((today, 1.02), (month_end, 1.01)):
                answer = world.call("POST", path, json={"currency_id": cid, "adjustment_date": day,
                                                        "exchange_rate": round(rate * factor, 6),
                                                        "notes": "Month-end revaluation"})
                made += 200 <= answer.status < 300
            if made:
                return path
        return path
    return _keep_ids(world, make)


def project_invoices(world: World, path: str) -> str:
    """``/projects/{id}/invoices``: two invoices to the project's customer with a line for the project."""
    if len(_listed(world, path)) >= 2:
        return path
    project_id = path.strip("/").split("/")[1]

    def make() -> str:
        project = world.call("GET", f"/projects/{project_id}").body.get("project") or {}
        for rate in (450.0, 300.0):
            world.call("POST", "/invoices", json={
                "customer_id": project.get("customer_id"), "date": _today(world),
                "line_items": [{"name": "Consulting hours", "rate": rate, "quantity": 2, "project_id": project_id}]})
        return path
    return _keep_ids(world, make)


def second_user(world: World, path: str) -> str:
    """``/users``: a colleague invited to the org (an org has its owner only when seeded)."""
    if len(_listed(world, path)) < 2:
        _keep_ids(world, lambda: world.call("POST", path, json={"name": "Dana Whitfield",
                                                               "email": "dana.whitfield@example.com",
                                                               "user_role": "staff"}))
    return path


def todays_rate(world: World, path: str) -> str:
    """``/settings/currencies/{id}/exchangerates``: today's rate recorded (is_current_date finds it), at the
    latest rate."""
    rates = _listed(world, path)
    today = _today(world)
    if rates and not any(r.get("effective_date") == today for r in rates):
        latest = max(rates, key=lambda r: str(r.get("effective_date")))
        _keep_ids(world, lambda: world.call("POST", path, json={"effective_date": today, "rate": latest["rate"]}))
    return path


def retainer_payments(world: World, path: str) -> str:
    """``/contacts/{id}/receivables/unusedretainerpayments``: a customer whose paid retainer is not drawn yet."""
    if _listed(world, path):
        return path

    def find() -> str:
        for retainer in _listed(world, "/retainerinvoices", {"filter_by": "Status.Paid"}):
            other = f"/contacts/{retainer['customer_id']}/receivables/unusedretainerpayments"
            if _listed(world, other):
                return other
        return path
    return _keep_ids(world, find)


def contact_history(world: World, path: str) -> str:
    """``/contacts/{id}/comments``: an address added to the contact (a second history line)."""
    if len(_listed(world, path)) < 2:
        contact_id = path.strip("/").split("/")[1]
        _keep_ids(world, lambda: world.call("POST", f"/contacts/{contact_id}/address", json={
            "attention": "Accounts Payable", "address": "4900 Hopyard Rd", "city": "Pleasanton", "state": "CA",
            "zip": "94588", "country": "U.S.A"}))
    return path


SETUPS: dict[str, Callable[[World, str], str]] = {
    "list_credit_note_refunds": refunds, "list_vendor_credit_refunds": refunds,
    "list_customer_payment_refunds": refunds, "list_vendor_payment_refunds": refunds,
    "list_contact_refunds": contact_refunds, "list_base_currency_adjustments": adjustments,
    "list_project_invoices": project_invoices, "list_users": second_user, "list_exchange_rates": todays_rate,
    "get_unused_retainer_payments": retainer_payments, "list_contact_comments": contact_history,
}


def prepared(operation_id: str, world: World, path: str) -> str:
    """The path to check, once what its check needs is made (the same path when nothing is needed)."""
    setup = SETUPS.get(operation_id)
    return setup(world, path) if setup else path
