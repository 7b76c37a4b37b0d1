"""Accounting fields Zoho's documents give that the emulator serves (issue 13's conformance, "acct"
share), in both modes, on seeded records and on records written through the API: a journal line's
tax authority and exemption per edition, a bank rule's tax exemption code, an imported statement
line's account and reference, a fixed asset's comments and salvage value, project comments'
``is_current_user``, a task's hours as "HH:MM" text, and the caller's role and status on an
organisation."""
from __future__ import annotations

import re

from tests.books_helpers import Books, assert_zoho_error, get_token, make_org, make_user, put_records, world

# A small world: the accounting records these tests read, none of the sales and purchase documents.
SMALL = {"invoices": 0, "creditnotes": 0, "customerpayments": 0, "bills": 0, "vendorcredits": 0, "vendorpayments": 0,
         "estimates": 0, "salesorders": 0, "purchaseorders": 0, "expenses": 0, "accounttransactions": 0,
         "recurringinvoices": 0, "recurringbills": 0, "recurringexpenses": 0, "retainerinvoices": 0,
         "salesreceipts": 0, "timeentries": 4, "tasks": 3, "projects": 1, "items": 3, "contacts": 4}
LINE_TAX = ("tax_exemption_id", "tax_exemption_code", "tax_exemption_type", "tax_authority_id", "tax_authority_name")
HOURS = re.compile(r"^\d{2,}:\d{2}$")


def _small(zoho, edition: str = "us", **counts: int) -> Books:
    return world(zoho, "eu" if edition == "uk" else edition if edition == "in" else "us", edition, {**SMALL, **counts})


def _two_sides(books: Books) -> tuple[str, str]:
    accounts = [a for a in books.ok("GET", "chartofaccounts")["chartofaccounts"]
                if a["account_type"] in ("expense", "cash", "bank", "other_current_asset", "income")]
    return accounts[0]["account_id"], accounts[1]["account_id"]


# ---- journals: a line's tax authority and exemption (journals.yml, US / AU / CA; India the exemption) ----
def test_journal_lines_carry_the_tax_exemption_and_authority_they_name(zoho):
    books = _small(zoho, journals=2)
    seeded = books.ok("GET", "journals")["journals"][0]["journal_id"]
    for line in books.ok("GET", f"journals/{seeded}")["journal"]["line_items"]:
        assert {f: line[f] for f in LINE_TAX} == dict.fromkeys(LINE_TAX, "")  # a seeded line names none
    exemption = books.ok("GET", "settings/taxexemptions")["tax_exemptions"][0]
    authority = books.ok("GET", "settings/taxauthorities")["tax_authorities"][0]
    debit, credit = _two_sides(books)
    lines = [{"account_id": debit, "debit_or_credit": "debit", "amount": 250,
              "tax_exemption_id": exemption["tax_exemption_id"], "tax_authority_id": authority["tax_authority_id"],
              "tax_exemption_code": "NOT-TAKEN"},
             {"account_id": credit, "debit_or_credit": "credit", "amount": 250}]
    created = books.ok("POST", "journals", json={"journal_date": "2026-06-01", "line_items": lines})["journal"]
    named, plain = created["line_items"]
    assert named["tax_exemption_id"] == exemption["tax_exemption_id"]
    assert (named["tax_exemption_code"], named["tax_exemption_type"]) == (exemption["tax_exemption_code"], exemption["type"])
    assert (named["tax_authority_id"], named["tax_authority_name"]) == (authority["tax_authority_id"],
                                                                        authority["tax_authority_name"])
    assert all(isinstance(named[f], str) and named[f] for f in LINE_TAX)
    assert {f: plain[f] for f in LINE_TAX} == dict.fromkeys(LINE_TAX, "")
    jid = created["journal_id"]
    assert books.ok("GET", f"journals/{jid}")["journal"]["line_items"][0] == named
    # an update names another exemption on the second line and none on the first
    other = books.ok("GET", "settings/taxexemptions")["tax_exemptions"][1]
    lines = [{**lines[0], "tax_exemption_id": "", "tax_authority_id": ""},
             {**lines[1], "tax_exemption_id": other["tax_exemption_id"]}]
    updated = books.ok("PUT", f"journals/{jid}", json={"line_items": lines})["journal"]["line_items"]
    assert updated[0]["tax_exemption_code"] == "" and updated[0]["tax_authority_name"] == ""
    assert (updated[1]["tax_exemption_code"], updated[1]["tax_exemption_id"]) == (other["tax_exemption_code"],
                                                                                  other["tax_exemption_id"])
    for field in ("tax_exemption_id", "tax_authority_id"):
        bad = [{**lines[1], field: "1234567"}, lines[0]]
        answer = assert_zoho_error(books.put(f"journals/{jid}", {"line_items": bad}), 400, 2)
        assert answer["message"] == f"Invalid value passed for {field}"


def test_journal_line_tax_fields_follow_the_edition(zoho):
    uk = _small(zoho, "uk", journals=1)
    line = uk.ok("GET", f"journals/{uk.ok('GET', 'journals')['journals'][0]['journal_id']}")["journal"]["line_items"][0]
    assert not set(LINE_TAX) & set(line)  # journals.yml gives a UK line neither
    india = _small(zoho, "in", journals=1)
    line = india.ok("GET", f"journals/{india.ok('GET', 'journals')['journals'][0]['journal_id']}")["journal"]["line_items"][0]
    assert {f: line[f] for f in ("tax_exemption_id", "tax_exemption_code", "tax_exemption_type")} == \
        dict.fromkeys(("tax_exemption_id", "tax_exemption_code", "tax_exemption_type"), "")
    assert "tax_authority_id" not in line and "tax_authority_name" not in line


# ---- bank rules: tax_exemption_code (US, India), the authority and exemption by id -------------------------
def test_bank_rule_carries_the_tax_exemption_code_it_names(zoho):
    books = _small(zoho, bankrules=2, banktransactions=6)
    seeded = books.ok("GET", "bankaccounts/rules")["rules"][0]["rule_id"]
    rule = books.ok("GET", f"bankaccounts/rules/{seeded}")["rule"]
    assert rule["tax_exemption_code"] == "" and rule["rule_id"] == seeded  # names no exemption
    bank = books.ok("GET", "bankaccounts")["bankaccounts"][0]["account_id"]
    offset = next(a for a in books.ok("GET", "chartofaccounts")["chartofaccounts"] if a["account_type"] == "income")
    exemption = books.ok("GET", "settings/taxexemptions")["tax_exemptions"][0]
    authority = books.ok("GET", "settings/taxauthorities")["tax_authorities"][0]
    body = {"rule_name": "Exempt deposits", "target_account_id": bank, "apply_to": "deposits", "criteria_type": "and",
            "criterion": [{"field": "payee", "comparator": "contains", "value": "Exempt"}], "record_as": "deposit",
            "account_id": offset["account_id"], "tax_exemption_id": exemption["tax_exemption_id"],
            "tax_authority_id": authority["tax_authority_id"], "tax_exemption_code": "NOT-TAKEN"}
    created = books.ok("POST", "bankaccounts/rules", json=body)["rule"]
    assert created["tax_exemption_code"] == exemption["tax_exemption_code"]
    assert (created["tax_authority_id"], created["tax_authority_name"]) == (authority["tax_authority_id"],
                                                                            authority["tax_authority_name"])
    rid = created["rule_id"]
    got = books.ok("GET", f"bankaccounts/rules/{rid}")["rule"]
    assert got["tax_exemption_code"] == exemption["tax_exemption_code"] and isinstance(got["tax_exemption_code"], str)
    other = books.ok("GET", "settings/taxexemptions")["tax_exemptions"][1]
    updated = books.ok("PUT", f"bankaccounts/rules/{rid}", json={"tax_exemption_id": other["tax_exemption_id"]})["rule"]
    assert updated["tax_exemption_code"] == other["tax_exemption_code"]
    cleared = books.ok("PUT", f"bankaccounts/rules/{rid}", json={"tax_exemption_id": "", "tax_authority_id": ""})["rule"]
    assert (cleared["tax_exemption_code"], cleared["tax_authority_name"]) == ("", "")
    for field in ("tax_exemption_id", "tax_authority_id"):
        answer = assert_zoho_error(books.put(f"bankaccounts/rules/{rid}", {field: "1234567"}), 400, 2)
        assert answer["message"] == f"Invalid value passed for {field}"
    uk = _small(zoho, "uk", bankrules=1, banktransactions=2)
    uk_rule = uk.ok("GET", f"bankaccounts/rules/{uk.ok('GET', 'bankaccounts/rules')['rules'][0]['rule_id']}")["rule"]
    assert "tax_exemption_code" not in uk_rule  # bank-rules.yml: US and India only
    india = _small(zoho, "in", bankrules=1, banktransactions=2)
    in_rule = india.ok("GET", f"bankaccounts/rules/{india.ok('GET', 'bankaccounts/rules')['rules'][0]['rule_id']}")["rule"]
    assert in_rule["tax_exemption_code"] == ""


# ---- bank transactions: an imported statement line's account and reference ------------------------------
def test_imported_statement_lines_carry_their_account_and_reference(zoho):
    books = _small(zoho, banktransactions=12)
    listed = books.ok("GET", "banktransactions")["banktransactions"]
    fed = [t for t in listed if t["imported_transaction_id"]]
    assert fed
    for txn in fed[:4]:
        detail = books.ok("GET", f"banktransactions/{txn['transaction_id']}")["banktransaction"]
        (row,) = detail["imported_transactions"]
        assert row["imported_transaction_id"] == txn["imported_transaction_id"]
        assert row["account_id"] == detail["account_id"] and isinstance(row["account_id"], str) and row["account_id"]
        assert row["reference_number"] == detail["reference_number"] and isinstance(row["reference_number"], str)
        assert (row["amount"], row["date"]) == (detail["amount"], detail["date"])


# ---- fixed assets: comments in the detail, salvage_value an amount -----------------------------------------
def _asset_world(zoho) -> tuple[Books, dict, list[str]]:
    books = _small(zoho, fixedassettypes=1, fixedassets=2)
    accts = put_records(zoho, books.org_id, "chartofaccounts", [
        {"account_name": "Equipment", "account_type": "fixed_asset"},
        {"account_name": "Depreciation", "account_type": "expense"},
        {"account_name": "Accumulated Depreciation", "account_type": "fixed_asset"}])
    kind = books.ok("POST", "fixedassettypes", json={
        "fixed_asset_type_name": "Vans", "expense_account_id": accts[1], "depreciation_account_id": accts[2],
        "depreciation_method": "straight_line", "depreciation_frequency": "monthly", "total_life": 24,
        "salvage_value": 0, "computation_type": "no_prorata"})["fixed_asset_type"]
    return books, kind, accts


def test_fixed_asset_detail_carries_its_comments_and_a_numeric_salvage_value(zoho):
    books, kind, accts = _asset_world(zoho)
    seeded = books.ok("GET", "fixedassets")["fixedassets"][0]
    got = books.ok("GET", f"fixedassets/{seeded['fixed_asset_id']}")["fixed_asset"]
    assert isinstance(got["salvage_value"], (int, float)) and not isinstance(got["salvage_value"], bool)
    assert [c["comment_type"] for c in got["comments"]] == ["system"]  # its history: created
    assert got["comments"][0]["description"].startswith("Fixed asset created")
    created = books.ok("POST", "fixedassets", json={
        "asset_name": "Delivery van", "fixed_asset_type_id": kind["fixed_asset_type_id"], "asset_account_id": accts[0],
        "asset_cost": 24000, "asset_purchase_date": "2026-06-01", "salvage_value": 4000})["fixed_asset"]
    assert created["salvage_value"] == 4000.0 and isinstance(created["salvage_value"], float)
    assert [c["comment_type"] for c in created["comments"]] == ["system"]
    aid = created["fixed_asset_id"]
    added = books.ok("POST", f"fixedassets/{aid}/comments", json={"description": "Keys with the driver"})["comment"]
    comments = books.ok("GET", f"fixedassets/{aid}")["fixed_asset"]["comments"]
    assert [c["description"] for c in comments][0] == "Keys with the driver"
    mine = comments[0]
    assert (mine["comment_id"], mine["comment_type"], mine["operation_type"]) == (added["comment_id"], "internal", "Added")
    assert mine["commented_by"] and mine["commented_by_id"] and re.match(r"\d{4}-\d{2}-\d{2}$", mine["date"])
    assert all(isinstance(mine[f], str) for f in ("date_description", "time", "description"))
    updated = books.ok("PUT", f"fixedassets/{aid}", json={"salvage_value": 3500})["fixed_asset"]
    assert updated["salvage_value"] == 3500.0 and updated["comments"][0]["comment_id"] == added["comment_id"]
    books.ok("DELETE", f"fixedassets/{aid}/comments/{added['comment_id']}")
    assert [c["comment_type"] for c in books.ok("GET", f"fixedassets/{aid}")["fixed_asset"]["comments"]] == ["system"]


# ---- projects: comments say whether the caller wrote them; tasks' hours are "HH:MM" text --------------------
def test_project_comments_say_whether_the_caller_wrote_them(zoho):
    owner, colleague = make_user(zoho, "us"), make_user(zoho, "us")
    org = make_org(zoho, [owner, colleague], "us", SMALL)
    mine = Books(zoho, get_token(zoho, owner), "us", org["organization_id"])
    theirs = Books(zoho, get_token(zoho, colleague), "us", org["organization_id"])
    pid = mine.ok("GET", "projects")["projects"][0]["project_id"]
    seeded = mine.ok("GET", f"projects/{pid}/comments")["comments"]
    assert [c["is_current_user"] for c in seeded] == [True]  # the owner's creation line
    assert [c["is_current_user"] for c in theirs.ok("GET", f"projects/{pid}/comments")["comments"]] == [False]
    added = theirs.ok("POST", f"projects/{pid}/comments", json={"description": "Kick-off on Monday"})["comments"][0]
    assert added["is_current_user"] is True
    rows = {c["comment_id"]: c["is_current_user"] for c in mine.ok("GET", f"projects/{pid}/comments")["comments"]}
    assert rows[added["comment_id"]] is False
    rows = {c["comment_id"]: c["is_current_user"] for c in theirs.ok("GET", f"projects/{pid}/comments")["comments"]}
    assert rows[added["comment_id"]] is True


def test_task_hours_are_hh_mm_text(zoho):
    books = _small(zoho)
    pid = books.ok("GET", "projects")["projects"][0]["project_id"]
    for task in books.ok("GET", f"projects/{pid}/tasks")["tasks"]:
        assert all(HOURS.match(task[f]) for f in ("billed_hours", "log_time", "un_billed_hours")), task
    added = books.ok("POST", f"projects/{pid}/tasks", json={"task_name": "Review", "rate": 40})["task"]
    assert (added["billed_hours"], added["log_time"], added["un_billed_hours"]) == ("00:00", "00:00", "00:00")


# ---- organisations: the caller's role and status, the logo flag --------------------------------------------
def test_organization_answers_carry_the_callers_role_status_and_logo_flag(zoho):
    owner, colleague = make_user(zoho, "us"), make_user(zoho, "us")
    org = make_org(zoho, [owner, colleague], "us", {name: 0 for name in SMALL} | {"contacts": 0, "items": 0})
    mine = Books(zoho, get_token(zoho, owner), "us", org["organization_id"])
    theirs = Books(zoho, get_token(zoho, colleague), "us", org["organization_id"])
    created = mine.ok("POST", "organizations", json={"name": "Second Ledger Inc", "currency_code": "USD"})
    new_org = created["organization"]
    assert (new_org["user_role"], new_org["user_status"], new_org["is_logo_uploaded"]) == ("admin", "active", False)
    detail = mine.ok("GET", f"organizations/{org['organization_id']}")["organization"]
    assert (detail["user_role"], detail["user_status"], detail["is_logo_uploaded"]) == ("admin", "active", False)
    their_user = theirs.ok("GET", "users/me")["user"]["user_id"]
    mine.ok("PUT", f"users/{their_user}", json={"user_role": "staff"})
    seen = theirs.ok("GET", f"organizations/{org['organization_id']}")["organization"]
    assert (seen["user_role"], seen["user_status"]) == ("staff", "active")
    assert mine.ok("GET", f"organizations/{org['organization_id']}")["organization"]["user_role"] == "admin"
    admin_view = zoho.admin.organization(org["organization_id"])
    assert "user_role" not in admin_view and "user_status" not in admin_view
