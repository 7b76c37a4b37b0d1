"""Write rules of bank rules, base-currency adjustments and opening balances (bank-rules.yml,
base-currency-adjustment.yml, opening-balance.yml).

Choices (README "Bank rules, base-currency adjustments"):

* A bank rule belongs to a bank account (``target_account_id``; ``account_id`` is the account it
  records to); its ``rule_order`` is its place among that account's rules. Every write re-applies
  the account's rules to its uncategorized transactions: one a rule's criteria match is marked
  ``is_rule_exist`` with the rule in ``rule_details`` (the first matching rule by order).
* A base-currency adjustment revalues the open invoices (receivable) and bills (payable) in the
  currency at the new rate: per account, ``bcy_balance`` (at the documents' rates),
  ``fcy_balance``, ``adjusted_balance`` (at the new rate) and their difference ``gain_or_loss``;
  ``account_ids`` (query) picks accounts, none means all. The currency's exchange rate list gains
  the rate on the adjustment date.
* Opening balances are one record per org, kept beside the records (``books:{org}:_openingbalance``:
  no id in any path, so not a listed resource): ``POST`` when there is none (else code 1001),
  ``PUT`` / ``GET`` / ``DELETE`` when there is one (else 1002).
"""
from __future__ import annotations

import copy
from typing import Any, Mapping

from ..http import invalid_value
from .fields import default_for
from .module_fields import OPENING_BALANCE_FIELDS
from .rules import WriteContext, WriteRules, check, check_rows, ledger_side, one_of

APPLY_TO = ("deposits", "withdrawals", "refunds", "all")
RECORD_AS = ("deposit", "expense", "transfer_fund", "card_payment", "owner_contribution", "sales_without_invoices",
             "refund", "owner_drawings", "interest_income", "other_income", "customer_payment", "vendor_payment")
CRITERIA_FIELDS = ("payee", "description", "reference_number", "amount", "transaction_type")
COMPARATORS = ("is", "is_not", "contains", "not_contains", "starts_with", "ends_with", "greater_than",
               "greater_than_or_equals", "less_than", "less_than_or_equals", "is_empty", "is_not_empty", "equals")


def _money(x: float) -> float:
    return round(float(x) + 0.0, 2)


# ---- bank rules -------------------------------------------------------------------------------------
def matches(criterion: Mapping[str, Any], txn: Mapping[str, Any]) -> bool:
    """One criterion against one bank transaction (text comparisons ignore case)."""
    field, op, want = criterion.get("field"), criterion.get("comparator"), str(criterion.get("value") or "")
    got = txn.get(field)
    if field == "amount":
        try:
            have, limit = float(got or 0), float(want or 0)
        except ValueError:
            return False
        return {"greater_than": have > limit, "greater_than_or_equals": have >= limit, "less_than": have < limit,
                "less_than_or_equals": have <= limit, "is": have == limit, "equals": have == limit,
                "is_not": have != limit}.get(op, False)
    have, want = str(got or "").lower(), want.lower()
    return {"is": have == want, "equals": have == want, "is_not": have != want, "contains": want in have,
            "not_contains": want not in have, "starts_with": have.startswith(want), "ends_with": have.endswith(want),
            "is_empty": not have, "is_not_empty": bool(have)}.get(op, False)


def rule_applies(rule: Mapping[str, Any], txn: Mapping[str, Any]) -> bool:
    kind = rule.get("apply_to")
    if kind == "deposits" and txn.get("debit_or_credit") != "debit":
        return False
    if kind == "withdrawals" and txn.get("debit_or_credit") != "credit":
        return False
    tests = [matches(c, txn) for c in rule.get("criterion") or []]
    return bool(tests) and (all(tests) if rule.get("criteria_type") != "or" else any(tests))


def reapply_rules(ctx: WriteContext, account_id: str | None) -> None:
    """Mark the account's uncategorized transactions that a rule matches (and unmark the rest)."""
    if not account_id:
        return
    rules = sorted((r for r in ctx.backend.records(ctx.org_id, "bankrules") if r.get("target_account_id") == account_id),
                   key=lambda r: (r.get("rule_order") or 0, r["rule_id"]))
    for txn in ctx.backend.records(ctx.org_id, "banktransactions"):
        if txn.get("account_id") != account_id or txn.get("status") != "uncategorized":
            continue
        rule = next((r for r in rules if rule_applies(r, txn)), None)
        details = [{"rule_id": rule["rule_id"], "rule_name": rule["rule_name"]}] if rule else []
        if bool(txn.get("is_rule_exist")) != bool(rule) or (txn.get("rule_details") or []) != details:
            txn = copy.deepcopy(txn)
            txn["is_rule_exist"], txn["rule_details"] = bool(rule), details
            ctx.put("banktransactions", txn)


def rule_tax_names(ctx: WriteContext, rec: dict[str, Any], data: dict[str, Any]) -> None:
    """The tax authority and exemption a rule names (bank-rules.yml): their name and code are the org's
    records' (code 2 naming the id when there is none); "" clears them. A code or name in the body is
    never taken as is."""
    data.pop("tax_exemption_code", None)
    data.pop("tax_authority_name", None)
    if "tax_authority_id" in data:
        authority = ctx.referenced("taxauthorities", data["tax_authority_id"], "tax_authority_id") \
            if data["tax_authority_id"] else {}
        rec["tax_authority_name"] = authority.get("tax_authority_name", "")
    if "tax_exemption_id" in data:
        exemption = ctx.referenced("taxexemptions", data["tax_exemption_id"], "tax_exemption_id") \
            if data["tax_exemption_id"] else {}
        rec["tax_exemption_code"] = exemption.get("tax_exemption_code", "")


class BankRuleRules(WriteRules):
    schema = {"rule_name": "str", "target_account_id": "id", "apply_to": "str", "criteria_type": "str",
              "criterion": "list", "record_as": "str", "account_id": "id", "customer_id": "id", "tax_id": "id",
              "reference_number": "str", "payment_mode": "str", "tax_authority_id": "id", "tax_exemption_id": "id"}
    required = ("rule_name", "target_account_id", "apply_to", "criteria_type", "criterion", "record_as")

    def apply(self, ctx, rec, data, existing):
        one_of(data, "apply_to", APPLY_TO)
        one_of(data, "criteria_type", ("and", "or"))
        one_of(data, "record_as", RECORD_AS)
        if "target_account_id" in data and ctx.get("bankaccounts", data["target_account_id"]) is None:
            raise invalid_value("target_account_id")
        for key, resource, name in (("account_id", "chartofaccounts", "account_name"),
                                    ("customer_id", "contacts", "customer_name")):
            if data.get(key):
                found = ctx.get(resource, data[key])
                if found is None:
                    raise invalid_value(key)
                rec[name] = found.get("account_name") or found.get("contact_name")
        if data.get("tax_id") and ctx.get("taxes", data["tax_id"]) is None:
            raise invalid_value("tax_id")
        rule_tax_names(ctx, rec, data)
        if "criterion" in data:
            rows = check_rows("criterion", data["criterion"], {"field": "str", "comparator": "str", "value": "str"})
            if not rows:
                raise invalid_value("criterion")
            for row in rows:
                one_of(row, "field", CRITERIA_FIELDS)
                one_of(row, "comparator", COMPARATORS)
                row["criteria_id"] = ctx.backend.new_id(ctx.org_id)
            data["criterion"] = rows
        super().apply(ctx, rec, data, existing)
        if existing is None or "target_account_id" in data:
            rec["rule_order"] = sum(1 for r in ctx.backend.records(ctx.org_id, "bankrules")
                                    if r.get("target_account_id") == rec["target_account_id"]
                                    and r.get("rule_id") != rec.get("rule_id"))

    def after_write(self, ctx, old, new):
        reapply_rules(ctx, new.get("target_account_id"))
        if old and old.get("target_account_id") != new.get("target_account_id"):
            reapply_rules(ctx, old.get("target_account_id"))

    def after_delete(self, ctx, rec):
        reapply_rules(ctx, rec.get("target_account_id"))


# ---- base-currency adjustments ------------------------------------------------------------------
def revaluation(ctx: WriteContext, currency_id: str, rate: float, account_ids: set[str] | None) -> list[dict[str, Any]]:
    """Per receivable/payable account, the open documents in the currency revalued at ``rate``."""
    sides = (("invoices", "accounts_receivable", "Accounts Receivable", 5),
             ("bills", "accounts_payable", "Accounts Payable", 6))
    accounts = {a.get("account_type"): a for a in ctx.backend.records(ctx.org_id, "chartofaccounts")}
    rows = []
    for resource, kind, label, gl in sides:
        docs = [d for d in ctx.backend.records(ctx.org_id, resource)
                if d.get("currency_id") == currency_id and d.get("status") not in ("draft", "void")
                and float(d.get("balance") or 0) > 0]
        account = accounts.get(kind) or {}
        aid = account.get("account_id") or ""
        if not docs or (account_ids and aid not in account_ids):
            continue
        fcy = _money(sum(float(d["balance"]) for d in docs))
        bcy = _money(sum(float(d["balance"]) * float(d.get("exchange_rate") or 1) for d in docs))
        adjusted = _money(fcy * rate)
        gain = _money(adjusted - bcy) if resource == "invoices" else _money(bcy - adjusted)
        rows.append({"account_id": aid, "account_name": account.get("account_name") or label, "bcy_balance": bcy,
                     "fcy_balance": fcy, "adjusted_balance": adjusted, "gain_or_loss": gain, "gl_specific_type": gl})
    return rows


class BaseCurrencyAdjustmentRules(WriteRules):
    schema = {"currency_id": "id", "adjustment_date": "date", "exchange_rate": "num", "notes": "str",
              "account_ids": "str"}
    required = ("currency_id", "adjustment_date", "exchange_rate", "notes")

    def apply(self, ctx, rec, data, existing):
        currency = ctx.get("currencies", data.get("currency_id"))
        if currency is None or currency.get("is_base_currency"):
            raise invalid_value("currency_id")
        if data["exchange_rate"] <= 0:
            raise invalid_value("exchange_rate")
        wanted = {x.strip() for x in (data.pop("account_ids", "") or "").split(",") if x.strip()} or None
        super().apply(ctx, rec, data, existing)
        rec["currency_code"] = currency.get("currency_code")
        rec["accounts"] = revaluation(ctx, currency["currency_id"], float(data["exchange_rate"]), wanted)
        if not rec["accounts"]:
            raise invalid_value("account_ids")  # nothing open in that currency to adjust (our choice)
        rec["gain_or_loss"] = _money(sum(a["gain_or_loss"] for a in rec["accounts"]))

    def after_write(self, ctx, old, new):
        """The currency's rate on the adjustment date becomes the adjustment's."""
        currency = copy.deepcopy(ctx.get("currencies", new["currency_id"]))
        rates = [r for r in currency.get("_exchange_rates") or [] if r.get("effective_date") != new["adjustment_date"]]
        rates.append({"exchange_rate_id": ctx.backend.new_id(ctx.org_id), "currency_id": currency["currency_id"],
                      "currency_code": currency.get("currency_code"), "effective_date": new["adjustment_date"],
                      "rate": new["exchange_rate"]})
        currency["_exchange_rates"] = sorted(rates, key=lambda r: str(r.get("effective_date")))
        ctx.put("currencies", currency)


def adjustment_preview(ctx: WriteContext, args: Mapping[str, str]) -> dict[str, Any]:
    """``GET /basecurrencyadjustment/accounts``: what an adjustment with these values would post."""
    data = check(args, {"currency_id": "id", "adjustment_date": "date", "exchange_rate": "num", "notes": "str"})
    for name in ("currency_id", "adjustment_date", "exchange_rate"):
        if not data.get(name):
            raise invalid_value(name)
    currency = ctx.get("currencies", data["currency_id"])
    if currency is None or currency.get("is_base_currency"):
        raise invalid_value("currency_id")
    if data["exchange_rate"] <= 0:
        raise invalid_value("exchange_rate")
    return {"adjustment_date": data["adjustment_date"], "exchange_rate": data["exchange_rate"],
            "currency_id": data["currency_id"], "currency_code": currency.get("currency_code"),
            "notes": data.get("notes") or "",
            "accounts": revaluation(ctx, data["currency_id"], float(data["exchange_rate"]), None)}


BANK_RULE_RULES = BankRuleRules()
BCY_ADJUSTMENT_RULES = BaseCurrencyAdjustmentRules()
BCY_ADJUSTMENT_MESSAGE = "The adjustment has been made. The account balances will now reflect the adjustment."


# ---- opening balances: one record per org -----------------------------------------------------------
OPENING_BALANCE_NS = "_openingbalance"  # books:{org}:_openingbalance -> "current"


class OpeningBalanceRules(WriteRules):
    """The org's opening balances (opening-balance.yml): a date and account lines whose debits equal
    their credits (code 2 naming ``accounts`` otherwise, as journals); ``total`` is the debit side."""

    schema = {"date": "date", "accounts": "list"}
    required = ("date",)

    def fresh(self, ctx):
        return {f: default_for(f) for f in OPENING_BALANCE_FIELDS}

    def apply(self, ctx, rec, data, existing):
        super().apply(ctx, rec, data, existing)
        if "accounts" in data:
            rows = check_rows("accounts", data["accounts"], {
                "account_id": "id", "debit_or_credit": "str", "exchange_rate": "num", "currency_id": "id",
                "amount": "num", "location_id": "id"})
            debit = credit = 0.0
            out = []
            for row in rows:
                account = ledger_side(ctx, row)
                rate = float(row.get("exchange_rate") or 1)
                if rate <= 0:
                    raise invalid_value("exchange_rate")
                amount = _money(row["amount"])
                bcy = _money(amount * rate)
                debit += bcy if row["debit_or_credit"] == "debit" else 0
                credit += bcy if row["debit_or_credit"] == "credit" else 0
                out.append({"acount_split_id": ctx.backend.new_id(ctx.org_id), "account_id": account["account_id"],
                            "account_name": account.get("account_name"), "debit_or_credit": row["debit_or_credit"],
                            "exchange_rate": rate, "currency_id": row.get("currency_id") or ctx.org.get("currency_id"),
                            "currency_code": ctx.org.get("currency_code"), "bcy_amount": bcy, "amount": amount,
                            "location_id": row.get("location_id") or "", "location_name": ""})
            if abs(debit - credit) > 0.005:
                raise invalid_value("accounts")
            rec["accounts"], rec["total"] = out, _money(debit)
        if existing is None:
            rec["opening_balance_id"] = ctx.backend.new_id(ctx.org_id)
            rec["price_precision"] = ctx.org.get("price_precision") or 2


OPENING_BALANCE_RULES = OpeningBalanceRules()
OPENING_BALANCE_SAVED_MESSAGE = "The opening balances are saved!"
OPENING_BALANCE_DELETED_MESSAGE = "The entered opening balances have been deleted."
