"""Books accounting writes (issue 13): chart of accounts, bank accounts, bank transactions, journals,
taxes, currencies and users. Each resource walks create, read, list with a filter, update, its
documented action and delete, in both modes, with Zoho's validation and messages."""
from __future__ import annotations

from tests.books_helpers import assert_zoho_error, world

from mock_zoho import literals as L


def _world(zoho, edition: str = "us", counts: dict[str, int] | None = None):
    """An org with its currencies, chart of accounts and taxes (no documents unless ``counts`` adds them)."""
    return world(zoho, "eu" if edition == "uk" else "us", edition,
                 {"currencies": 3, "chartofaccounts": 12, "taxes": 2, **(counts or {})})


def _advance(zoho) -> None:
    zoho.admin("POST", "clock", json={"advance": 120})


def test_chart_of_accounts_walk(zoho):
    books = _world(zoho)
    created = books.ok("POST", "chartofaccounts", json={"account_name": "Notes Payable", "account_code": "2400",
                                                        "account_type": "long_term_liability",
                                                        "description": "Paid off over years"})
    assert created["message"] == "The account has been created."
    acct = created["chart_of_account"]
    aid = acct["account_id"]
    assert (acct["is_active"], acct["is_system_account"], acct["account_type"]) == (True, False, "long_term_liability")
    assert acct["currency_code"] == "USD" and acct["created_time"] and acct["last_modified_time"]
    assert books.ok("GET", f"chartofaccounts/{aid}")["chart_of_account"]["account_code"] == "2400"
    liabilities = books.ok("GET", "chartofaccounts", params={"filter_by": "AccountType.Liability"})["chartofaccounts"]
    assert aid in {a["account_id"] for a in liabilities}
    assert all(a["account_type"] != "income" for a in liabilities)
    _advance(zoho)
    updated = books.ok("PUT", f"chartofaccounts/{aid}", json={"account_name": "Long Notes"})
    assert updated["message"] == "The details of the account have been updated."
    assert updated["chart_of_account"]["account_name"] == "Long Notes"
    assert updated["chart_of_account"]["last_modified_time"] > acct["last_modified_time"]
    inactive = books.ok("POST", f"chartofaccounts/{aid}/inactive")
    assert inactive["message"] == "The account has been marked as inactive."
    assert aid in {a["account_id"] for a in books.ok("GET", "chartofaccounts",
                                                     params={"filter_by": "AccountType.Inactive"})["chartofaccounts"]}
    books.ok("POST", f"chartofaccounts/{aid}/active")
    assert books.ok("GET", f"chartofaccounts/{aid}")["chart_of_account"]["is_active"] is True
    assert books.ok("DELETE", f"chartofaccounts/{aid}")["message"] == "The account has been deleted."
    assert_zoho_error(books.get(f"chartofaccounts/{aid}"), 404, 1002)
    assert_zoho_error(books.post(f"chartofaccounts/{aid}/active"), 404, 1002)


def test_chart_of_accounts_validation(zoho):
    books = _world(zoho)
    assert_zoho_error(books.post("chartofaccounts", {"account_type": "expense"}), 400, 2)
    assert_zoho_error(books.post("chartofaccounts", {"account_name": "X", "account_type": "nonsense"}), 400, 2)
    assert_zoho_error(books.post("chartofaccounts", {"account_name": "X", "account_type": "expense",
                                                     "currency_id": "999"}), 400, 2)
    assert_zoho_error(books.post("chartofaccounts", {"account_name": "X", "account_type": "expense",
                                                     "parent_account_id": "999"}), 400, 2)
    existing = books.ok("GET", "chartofaccounts")["chartofaccounts"]
    dup = assert_zoho_error(books.post("chartofaccounts", {"account_name": existing[0]["account_name"].upper(),
                                                           "account_type": "expense"}), 400, L.ALREADY_EXISTS.code)
    assert "already exists" in dup["message"]
    system = next(a for a in existing if a["is_system_account"])
    assert_zoho_error(books.delete(f"chartofaccounts/{system['account_id']}"), 400, L.HAS_DEPENDENTS.code)
    assert_zoho_error(books.post(f"chartofaccounts/{system['account_id']}/archive"), 404, 5)
    parent = books.ok("POST", "chartofaccounts", json={"account_name": "Travel", "account_type": "expense"})
    pid = parent["chart_of_account"]["account_id"]
    child = books.ok("POST", "chartofaccounts", json={"account_name": "Flights", "account_type": "expense",
                                                      "parent_account_id": pid})["chart_of_account"]
    assert child["parent_account_id"] == pid
    listed = {a["account_id"]: a for a in books.ok("GET", "chartofaccounts")["chartofaccounts"]}
    assert listed[pid]["child_count"] == 1 and listed[child["account_id"]]["parent_account_name"] == "Travel"
    # an account with a child (or with transactions) is in use
    assert_zoho_error(books.delete(f"chartofaccounts/{pid}"), 400, L.HAS_DEPENDENTS.code)
    # a parent of another type, or a sub-account as parent (a cycle), is refused
    assert_zoho_error(books.post("chartofaccounts", {"account_name": "Odd", "account_type": "income",
                                                     "parent_account_id": pid}), 400, 2)
    assert_zoho_error(books.put(f"chartofaccounts/{pid}", {"parent_account_id": child["account_id"]}), 400, 2)
    # a bank account made in the chart is a bank account too, and stays one
    card = books.ok("POST", "chartofaccounts", json={"account_name": "Amex", "account_type": "credit_card"})
    cid = card["chart_of_account"]["account_id"]
    assert books.ok("GET", f"bankaccounts/{cid}")["bankaccount"]["account_type"] == "credit_card"
    assert_zoho_error(books.put(f"chartofaccounts/{cid}", {"account_type": "expense"}), 400, 2)
    books.ok("DELETE", f"chartofaccounts/{cid}")
    assert_zoho_error(books.get(f"bankaccounts/{cid}"), 404, 1002)


def test_bank_account_and_transaction_walk(zoho):
    books = _world(zoho, counts={"contacts": 2})
    created = books.ok("POST", "bankaccounts", json={"account_name": "Corporate Account", "account_type": "bank",
                                                     "account_number": "80000009823", "bank_name": "Xavier Bank",
                                                     "routing_number": "123456789"})
    assert created["message"] == "The account has been created."
    bank = created["bankaccount"]
    bid = bank["account_id"]
    assert (bank["balance"], bank["is_active"], bank["currency_code"], bank["currency_symbol"]) == (0, True, "USD", "$")
    # the same account in the chart
    assert books.ok("GET", f"chartofaccounts/{bid}")["chart_of_account"]["account_type"] == "bank"
    income = next(a for a in books.ok("GET", "chartofaccounts")["chartofaccounts"] if a["account_type"] == "income")
    customer = books.ok("GET", "contacts")["contacts"][0]
    txn = books.ok("POST", "banktransactions", json={
        "transaction_type": "deposit", "amount": 2000, "to_account_id": bid, "from_account_id": income["account_id"],
        "date": "2024-03-01", "customer_id": customer["contact_id"], "reference_number": "Ref-121",
        "payment_mode": "Cash"})
    assert txn["message"] == "The bank transaction has been recorded."
    t = txn["banktransaction"]
    tid = t["transaction_id"]
    assert (t["account_id"], t["to_account_name"], t["from_account_name"]) == (bid, "Corporate Account",
                                                                               income["account_name"])
    assert (t["status"], t["debit_or_credit"], t["total"], t["exchange_rate"]) == ("manually_added", "debit", 2000, 1)
    assert t["customer_name"] == customer["contact_name"]
    assert books.ok("GET", f"bankaccounts/{bid}")["bankaccount"]["balance"] == 2000
    found = books.ok("GET", "banktransactions", params={"account_id": bid, "reference_number": "ref-121"})
    assert [x["transaction_id"] for x in found["banktransactions"]] == [tid]
    by_name = books.ok("GET", "banktransactions", params={"search_text": "corporate"})["banktransactions"]
    assert [x["transaction_id"] for x in by_name] == [tid]
    assert books.ok("GET", "banktransactions", params={"account_id": bid, "amount_start": 2001})["banktransactions"] == []
    _advance(zoho)
    upd = books.ok("PUT", f"banktransactions/{tid}", json={"amount": 1500})
    assert upd["message"] == "The bank transaction has been updated."
    assert books.ok("GET", f"bankaccounts/{bid}")["bankaccount"]["balance"] == 1500
    # a withdrawal and a transfer between two bank accounts
    other = books.ok("POST", "bankaccounts", json={"account_name": "Savings", "account_type": "bank"})["bankaccount"]
    books.ok("POST", "banktransactions", json={"transaction_type": "transfer_fund", "amount": 500,
                                               "from_account_id": bid, "to_account_id": other["account_id"]})
    balances = {b["account_id"]: b["balance"] for b in books.ok("GET", "bankaccounts")["bankaccounts"]}
    assert (balances[bid], balances[other["account_id"]]) == (1000, 500)
    # a used bank account is not deleted; its transactions are
    assert_zoho_error(books.delete(f"bankaccounts/{bid}"), 400, L.HAS_DEPENDENTS.code)
    assert books.ok("DELETE", f"banktransactions/{tid}")["message"] == "The transaction has been deleted."
    assert books.ok("GET", f"bankaccounts/{bid}")["bankaccount"]["balance"] == -500
    # bank account update, inactive/active, delete (also from the chart)
    _advance(zoho)
    renamed = books.ok("PUT", f"bankaccounts/{other['account_id']}", json={"account_name": "Savings Two",
                                                                           "account_type": "bank"})
    assert renamed["message"] == "The details of the account has been updated."
    assert books.ok("GET", f"chartofaccounts/{other['account_id']}")["chart_of_account"]["account_name"] == "Savings Two"
    assert books.ok("POST", f"bankaccounts/{bid}/inactive")["message"] == "The account has been marked as inactive."
    inactive = books.ok("GET", "bankaccounts", params={"filter_by": "Status.Inactive"})["bankaccounts"]
    assert [b["account_id"] for b in inactive] == [bid]
    assert books.ok("POST", f"bankaccounts/{bid}/active")["message"] == "The account has been marked as active."
    fresh = books.ok("POST", "bankaccounts", json={"account_name": "Card", "account_type": "credit_card"})["bankaccount"]
    assert books.ok("DELETE", f"bankaccounts/{fresh['account_id']}")["message"] == "The account has been deleted."
    assert_zoho_error(books.get(f"chartofaccounts/{fresh['account_id']}"), 404, 1002)


def test_bank_validation(zoho):
    books = _world(zoho)
    assert_zoho_error(books.post("bankaccounts", {"account_name": "A"}), 400, 2)
    assert_zoho_error(books.post("bankaccounts", {"account_name": "A", "account_type": "cash"}), 400, 2)
    assert_zoho_error(books.post("bankaccounts", {"account_name": "A", "account_type": "bank",
                                                  "currency_id": "123"}), 400, 2)
    bank = books.ok("POST", "bankaccounts", json={"account_name": "A", "account_type": "bank"})["bankaccount"]
    assert_zoho_error(books.post("bankaccounts", {"account_name": "a", "account_type": "bank"}), 400,
                      L.ALREADY_EXISTS.code)
    assert_zoho_error(books.post("banktransactions", {"amount": 5, "to_account_id": bank["account_id"]}), 400, 2)
    assert_zoho_error(books.post("banktransactions", {"transaction_type": "deposit", "amount": 5,
                                                      "to_account_id": "42"}), 400, 2)
    assert_zoho_error(books.post("banktransactions", {"transaction_type": "expense", "amount": 5,
                                                      "from_account_id": bank["account_id"]}), 400, 2)
    assert_zoho_error(books.post("banktransactions", {"transaction_type": "deposit", "amount": -5,
                                                      "to_account_id": bank["account_id"]}), 400, 2)
    assert_zoho_error(books.post("banktransactions", {"transaction_type": "deposit", "amount": 5,
                                                      "to_account_id": bank["account_id"], "customer_id": "77"}), 400, 2)


def test_journal_walk_and_publish(zoho):
    books = _world(zoho)
    accounts = books.ok("GET", "chartofaccounts")["chartofaccounts"]
    a, b = accounts[0]["account_id"], accounts[1]["account_id"]
    lines = [{"account_id": a, "debit_or_credit": "debit", "amount": 100},
             {"account_id": b, "debit_or_credit": "credit", "amount": 100}]
    created = books.ok("POST", "journals", json={"journal_date": "2024-03-01", "status": "draft",
                                                  "reference_number": "J-7", "line_items": lines})
    assert created["message"] == "The journal entry has been created."
    jid = created["journal"]["journal_id"]
    assert created["journal"]["status"] == "draft"
    assert [j["journal_id"] for j in books.ok("GET", "journals", params={"reference_number": "J-7"})["journals"]] == [jid]
    _advance(zoho)
    upd = books.ok("PUT", f"journals/{jid}", json={"notes": "moved"})
    assert upd["message"] == "The journal entry has been updated."
    published = books.ok("POST", f"journals/{jid}/status/publish")
    assert published["message"] == "Journal has been published."
    assert books.ok("GET", f"journals/{jid}")["journal"]["status"] == "published"
    assert_zoho_error(books.post(f"journals/{jid}/status/publish"), 400, 2)  # already published
    # an account a journal uses cannot be deleted
    assert_zoho_error(books.delete(f"chartofaccounts/{a}"), 400, L.HAS_DEPENDENTS.code)
    assert books.ok("DELETE", f"journals/{jid}")["message"] == "The selected journal entry has been deleted."


def test_journal_lines_name_their_tax_and_the_journal_sums_it(zoho):
    books = _world(zoho)
    accounts = books.ok("GET", "chartofaccounts")["chartofaccounts"]
    a, b = accounts[0]["account_id"], accounts[1]["account_id"]
    tax = books.ok("POST", "settings/taxes", json={"tax_name": "State Tax", "tax_percentage": 8.25})["tax"]
    lines = [{"account_id": a, "debit_or_credit": "debit", "amount": 200, "tax_id": tax["tax_id"]},
             {"account_id": b, "debit_or_credit": "credit", "amount": 200}]
    journal = books.ok("POST", "journals", json={"journal_date": "2024-03-01", "line_items": lines})["journal"]
    taxed, plain = journal["line_items"]
    assert (taxed["tax_id"], taxed["tax_name"], taxed["tax_percentage"]) == (tax["tax_id"], "State Tax", 8.25)
    assert (plain["tax_id"], plain["tax_name"], plain["tax_percentage"]) == ("", "", 0)
    assert journal["taxes"] == [{"tax_name": "State Tax", "tax_amount": 16.5, "debit_or_credit": "debit",
                                 "tax_account": True}]
    assert books.ok("GET", f"journals/{journal['journal_id']}")["journal"]["taxes"] == journal["taxes"]
    unknown = [{**lines[0], "tax_id": "460000000099999"}, lines[1]]
    body = assert_zoho_error(books.post("journals", {"journal_date": "2024-03-01", "line_items": unknown}), 400, 2)
    assert "tax_id" in body["message"]


def test_tax_walk(zoho):
    books = _world(zoho, "uk")
    created = books.ok("POST", "settings/taxes", json={"tax_name": "Luxury", "tax_percentage": 17.5})
    assert created["message"] == "The tax has been added."
    tax = created["tax"]
    assert (tax["tax_type"], tax["is_value_added"], tax["country_code"]) == ("tax", True, "GB")
    assert "tax_factor" not in tax and "tax_authority_id" not in tax  # Mexico / US fields (x-node_available_in)
    tid = tax["tax_id"]
    assert tid in {t["tax_id"] for t in books.ok("GET", "settings/taxes", params={"search_text": "lux"})["taxes"]}
    _advance(zoho)
    upd = books.ok("PUT", f"settings/taxes/{tid}", json={"tax_percentage": 18, "update_draft_invoice": True})
    assert upd["message"] == "Tax information has been saved." and upd["tax"]["tax_percentage"] == 18
    assert_zoho_error(books.post("settings/taxes", {"tax_name": "luxury", "tax_percentage": 1}), 400,
                      L.ALREADY_EXISTS.code)
    assert_zoho_error(books.post("settings/taxes", {"tax_name": "Over", "tax_percentage": 101}), 400, 2)
    assert_zoho_error(books.post("settings/taxes", {"tax_percentage": 5}), 400, 2)
    assert_zoho_error(books.post("settings/taxes", {"tax_name": "T", "tax_percentage": 5, "tax_type": "x"}), 400, 2)
    # a tax an item uses cannot be deleted
    item = books.ok("POST", "items", json={"name": "Yacht", "rate": 100, "tax_id": tid})["item"]
    assert_zoho_error(books.delete(f"settings/taxes/{tid}"), 400, L.HAS_DEPENDENTS.code)
    books.ok("DELETE", f"items/{item['item_id']}")
    assert books.ok("DELETE", f"settings/taxes/{tid}")["message"] == "The record has been deleted."
    assert_zoho_error(books.get(f"settings/taxes/{tid}"), 404, 1002)


def test_currency_walk(zoho):
    books = _world(zoho)
    created = books.ok("POST", "settings/currencies", json={"currency_code": "aud", "currency_format": "1,234,567.89"})
    assert created["message"] == "The currency has been added."
    cur = created["currency"]
    cid = cur["currency_id"]
    assert (cur["currency_code"], cur["currency_name"], cur["currency_symbol"], cur["price_precision"],
            cur["is_base_currency"]) == ("AUD", "AUD- Australian Dollar", "$", 2, False)
    listed = books.ok("GET", "settings/currencies", params={"filter_by": "Currencies.ExcludeBaseCurrency"})["currencies"]
    assert cid in {c["currency_id"] for c in listed} and not any(c["is_base_currency"] for c in listed)
    paged = books.ok("GET", "settings/currencies", params={"per_page": 1, "page": 2})
    assert len(paged["currencies"]) == 1 and paged["page_context"]["page"] == 2
    _advance(zoho)
    upd = books.ok("PUT", f"settings/currencies/{cid}", json={"currency_code": "AUD", "currency_format": "1.234.567,89",
                                                              "price_precision": 3})
    assert upd["message"] == "Currency information has been saved." and upd["currency"]["price_precision"] == 3
    assert_zoho_error(books.post("settings/currencies", {"currency_code": "AUD", "currency_format": "x"}), 400,
                      L.ALREADY_EXISTS.code)
    assert_zoho_error(books.post("settings/currencies", {"currency_code": "DOLLARS", "currency_format": "x"}), 400, 2)
    assert_zoho_error(books.post("settings/currencies", {"currency_code": "NZD"}), 400, 2)
    base = next(c for c in books.ok("GET", "settings/currencies")["currencies"] if c["is_base_currency"])
    assert_zoho_error(books.delete(f"settings/currencies/{base['currency_id']}"), 400, L.HAS_DEPENDENTS.code)
    assert_zoho_error(books.put(f"settings/currencies/{base['currency_id']}",
                                {"currency_code": "EUR", "currency_format": "x"}), 400, 2)
    # a currency a contact uses cannot be deleted
    contact = books.ok("POST", "contacts", json={"contact_name": "Kanga Pty", "currency_id": cid})["contact"]
    assert_zoho_error(books.delete(f"settings/currencies/{cid}"), 400, L.HAS_DEPENDENTS.code)
    books.ok("DELETE", f"contacts/{contact['contact_id']}")
    assert books.ok("DELETE", f"settings/currencies/{cid}")["message"] == "The currency has been deleted."


def test_user_walk(zoho):
    books = _world(zoho)
    r = books.post("users", {"name": "Sujin Kumar", "email": "sujin@example.com"})
    assert r.status_code == 200  # users.yml: the create answers 200
    created = r.json()
    assert created["message"] == "Your invitation has been sent."
    user = created["user"]
    uid = user["user_id"]
    assert (user["status"], user["user_role"], user["email_ids"]) == (
        "invited", "staff", [{"email": "sujin@example.com", "is_selected": True}])
    assert isinstance(user["custom_fields"], list)
    invited = books.ok("GET", "users", params={"filter_by": "Status.Invited"})["users"]
    assert [u["user_id"] for u in invited] == [uid] and invited[0]["is_current_user"] is False
    assert_zoho_error(books.post(f"users/{uid}/active"), 400, 2)  # an invitation is not accepted by the API
    assert books.ok("POST", f"users/{uid}/invite")["message"] == "Your invitation has been sent."
    _advance(zoho)
    upd = books.ok("PUT", f"users/{uid}", json={"name": "Sujin K", "email": "sk@example.com"})
    assert upd["message"] == "The user information has been updated."
    assert upd["user"]["email_ids"][0]["email"] == "sk@example.com"
    assert_zoho_error(books.post("users", {"name": "Again", "email": "SK@example.com"}), 400, L.ALREADY_EXISTS.code)
    assert_zoho_error(books.post("users", {"name": "No mail"}), 400, 2)
    assert_zoho_error(books.post("users", {"name": "Bad", "email": "not-an-email"}), 400, 2)
    me = books.ok("GET", "users/me")["user"]
    assert_zoho_error(books.delete(f"users/{me['user_id']}"), 400, 2)  # the owner stays
    assert books.ok("POST", f"users/{me['user_id']}/inactive")["message"] == "The user has been marked as inactive."
    assert books.ok("POST", f"users/{me['user_id']}/active")["message"] == "The user has been marked as active."
    assert books.ok("DELETE", f"users/{uid}")["message"] == "The user has been removed from your organization."
    deleted = books.ok("GET", "users", params={"filter_by": "Status.Deleted"})["users"]
    assert [u["user_id"] for u in deleted] == [uid]
    assert_zoho_error(books.delete(f"users/{uid}"), 400, 2)


def test_account_transaction_delete_and_org_version(zoho):
    books = _world(zoho, counts={"contacts": 3, "invoices": 4, "accounttransactions": 5})
    rows = books.ok("GET", "chartofaccounts/transactions", params={"sort_column": "account_name",
                                                                   "filter_by": "AccountType.Active"})["transactions"]
    assert rows
    tid = rows[0]["transaction_id"]
    assert books.ok("DELETE", f"chartofaccounts/transactions/{tid}")["message"] == "The transaction has been deleted."
    after = books.ok("GET", "chartofaccounts/transactions")["transactions"]
    assert tid not in {r["transaction_id"] for r in after}
    orgs = books.ok("GET", "organizations", org=False)["organizations"]
    assert orgs[0]["version"] == "us"


def test_exchange_rates_and_bank_filters(zoho):
    books = _world(zoho, counts={"bankaccounts": 1, "banktransactions": 6})
    cur = books.ok("POST", "settings/currencies", json={"currency_code": "CHF", "currency_format": "1,234.56"})["currency"]
    path = f"settings/currencies/{cur['currency_id']}/exchangerates"
    first = books.ok("POST", path, json={"effective_date": "2024-01-01", "rate": 1.1})
    assert first["message"] == "The exchange rate has been added."
    rid = first["exchange_rate"]["exchange_rate_id"]
    books.ok("POST", path, json={"effective_date": "2024-02-01", "rate": 1.2})
    assert_zoho_error(books.post(path, {"effective_date": "2024-02-01", "rate": 1.3}), 400, L.ALREADY_EXISTS.code)
    assert_zoho_error(books.post(path, {"effective_date": "2024-03-01"}), 400, 2)
    assert_zoho_error(books.post(path, {"effective_date": "2024-03-01", "rate": 0}), 400, 2)
    assert [r["rate"] for r in books.ok("GET", path)["exchange_rates"]] == [1.2, 1.1]
    assert [r["rate"] for r in books.ok("GET", path, params={"from_date": "2024-01-15"})["exchange_rates"]] == [1.1]
    assert books.ok("GET", path, params={"is_current_date": "true"})["exchange_rates"] == []
    assert_zoho_error(books.get(path, params={"sort_column": "rate"}), 400, 2)
    listed = {c["currency_id"]: c for c in books.ok("GET", "settings/currencies")["currencies"]}
    assert (listed[cur["currency_id"]]["exchange_rate"], listed[cur["currency_id"]]["effective_date"]) == (1.2, "2024-02-01")
    upd = books.ok("PUT", f"{path}/{rid}", json={"rate": 1.15})
    assert upd["message"] == "The exchange rate has been updated." and upd["exchange_rate"]["rate"] == 1.15
    assert books.ok("GET", f"{path}/{rid}")["exchange_rate"]["effective_date"] == "2024-01-01"
    assert books.ok("DELETE", f"{path}/{rid}")["message"] == "Exchange rate successfully deleted"
    assert_zoho_error(books.get(f"{path}/{rid}"), 404, 1002)
    base = next(c for c in listed.values() if c["is_base_currency"])
    assert_zoho_error(books.post(f"settings/currencies/{base['currency_id']}/exchangerates",
                                 {"effective_date": "2024-01-01", "rate": 2}), 400, 2)
    # bank transactions: status=All filters nothing; a status narrows
    every = books.ok("GET", "banktransactions")["banktransactions"]
    assert len(books.ok("GET", "banktransactions", params={"status": "All"})["banktransactions"]) == len(every)
    some = books.ok("GET", "banktransactions", params={"transaction_status": every[0]["status"]})["banktransactions"]
    assert some and all(t["status"] == every[0]["status"] for t in some)


def test_bank_transaction_status_actions(zoho):
    books = _world(zoho)
    bank = books.ok("POST", "bankaccounts", json={"account_name": "Ops", "account_type": "bank"})["bankaccount"]
    bid = bank["account_id"]
    tid = books.ok("POST", "banktransactions", json={"transaction_type": "deposit", "amount": 80,
                                                     "to_account_id": bid})["banktransaction"]["transaction_id"]
    assert_zoho_error(books.post(f"banktransactions/{tid}/unmatch"), 400, 2)  # not matched
    moved = books.ok("POST", f"banktransactions/{tid}/uncategorize", params={"account_id": bid})
    assert moved["message"] == "Transaction(s) have been uncategorized."
    assert books.ok("GET", f"banktransactions/{tid}")["banktransaction"]["status"] == "uncategorized"
    assert_zoho_error(books.post(f"banktransactions/{tid}/exclude"), 404, 5)  # only under /uncategorized/
    excluded = books.ok("POST", f"banktransactions/uncategorized/{tid}/exclude", params={"account_id": bid})
    assert excluded["message"] == "The transaction has been excluded."
    assert books.ok("GET", f"bankaccounts/{bid}")["bankaccount"]["balance"] == 0  # an excluded line moves nothing
    assert [t["transaction_id"] for t in books.ok("GET", "banktransactions", params={
        "account_id": bid, "filter_by": "Status.Excluded"})["banktransactions"]] == [tid]
    restored = books.ok("POST", f"banktransactions/uncategorized/{tid}/restore", params={"account_id": bid})
    assert restored["message"] == "The excluded transaction(s) have been restored."
    assert books.ok("GET", f"bankaccounts/{bid}")["bankaccount"]["balance"] == 80
    assert_zoho_error(books.post(f"banktransactions/uncategorized/{tid}/restore"), 400, 2)
    # categorize: the body as on create, then categorized; the balance follows a changed amount
    income = next(a for a in books.ok("GET", "chartofaccounts")["chartofaccounts"] if a["account_type"] == "income")
    assert_zoho_error(books.post(f"banktransactions/uncategorized/{tid}/categorize", {"amount": 90}), 400, 2)
    done = books.ok("POST", f"banktransactions/uncategorized/{tid}/categorize", json={
        "transaction_type": "deposit", "amount": 90, "to_account_id": bid, "from_account_id": income["account_id"]})
    assert done["message"] == "The transaction(s) have been categorized."
    txn = books.ok("GET", f"banktransactions/{tid}")["banktransaction"]
    assert (txn["status"], txn["offset_account_name"], txn["amount"]) == ("categorized", income["account_name"], 90)
    assert books.ok("GET", f"bankaccounts/{bid}")["bankaccount"]["balance"] == 90
    assert_zoho_error(books.post(f"banktransactions/uncategorized/{tid}/categorize",
                                 {"transaction_type": "deposit", "to_account_id": bid}), 400, 2)  # not uncategorized


def test_organization_update(zoho):
    books = _world(zoho)
    path = f"organizations/{books.org_id}"
    before = books.ok("GET", path)["organization"]
    body = books.ok("PUT", path, json={"name": "Zillium Inc", "fiscal_year_start_month": "april",
                                       "time_zone": "Europe/London", "companyid_label": "EIN",
                                       "taxid_value": "12-345", "address": {"city": "Austin"}, "phone": "555-0100"})
    assert body["message"] == "success"
    org = body["organization"]
    assert (org["name"], org["fiscal_year_start_month"], org["time_zone"]) == ("Zillium Inc", "april", "Europe/London")
    assert (org["company_id_label"], org["tax_id_value"], org["phone"]) == ("EIN", "12-345", "555-0100")
    assert org["address"]["city"] == "Austin" and org["address"]["country"] == before["address"]["country"]
    assert books.ok("GET", "organizations", org=False)["organizations"][0]["name"] == "Zillium Inc"
    # timestamps follow the new zone (+0000 or +0100 in London; the US default was -0500)
    acct = books.ok("POST", "chartofaccounts", json={"account_name": "Zone", "account_type": "expense"})
    assert acct["chart_of_account"]["created_time"][-5:] in ("+0000", "+0100")
    assert books.ok("PUT", path, json={"time_zone": "PST"})["organization"]["time_zone"] == "PST"  # the example's
    for bad in ({"name": ""}, {"fiscal_year_start_month": "smarch"}, {"time_zone": "Mars/Olympus"}, {"time_zone": None},
                {"email": "nope"}, {"currency_id": "1"}, {"address": "Main St"}):
        assert_zoho_error(books.put(path, bad), 400, 2)
    assert_zoho_error(books.post(path, {"name": "x"}), 405, 37)


def test_tax_authorities_exemptions_and_groups(zoho):
    books = _world(zoho)  # US: the seeder gives authorities, exemptions and a group
    seeded = books.ok("GET", "settings/taxauthorities")["tax_authorities"]
    assert seeded and all(set(a) == {"tax_authority_id", "tax_authority_name", "description"} for a in seeded)
    taxes = books.ok("GET", "settings/taxes")["taxes"]
    assert {t["tax_authority_id"] for t in taxes} <= {a["tax_authority_id"] for a in seeded}
    created = books.ok("POST", "settings/taxauthorities", json={"tax_authority_name": "Ohio Department of Taxation"})
    assert created["message"] == "Tax Authority has been added."
    auth = created["tax_authority"]
    tax = books.ok("POST", "settings/taxes", json={"tax_name": "OH Local", "tax_percentage": 1.25,
                                                   "tax_authority_id": auth["tax_authority_id"]})["tax"]
    assert tax["tax_authority_name"] == "Ohio Department of Taxation"
    renamed = books.ok("PUT", f"settings/taxauthorities/{auth['tax_authority_id']}",
                       json={"tax_authority_name": "Ohio Tax"})
    assert renamed["message"] == "Tax Authority information has been updated."
    assert books.ok("GET", f"settings/taxes/{tax['tax_id']}")["tax"]["tax_authority_name"] == "Ohio Tax"
    assert_zoho_error(books.delete(f"settings/taxauthorities/{auth['tax_authority_id']}"), 400, L.HAS_DEPENDENTS.code)
    assert_zoho_error(books.post("settings/taxauthorities", {"description": "no name"}), 400, 2)
    assert_zoho_error(books.post("settings/taxes", {"tax_name": "Z", "tax_percentage": 1, "tax_authority_id": "9"}),
                      400, 2)
    # exemptions
    ex = books.ok("POST", "settings/taxexemptions", json={"tax_exemption_code": "EDU", "type": "customer",
                                                          "description": "Schools"})
    assert ex["message"] == "Tax Exemption has been added."
    eid = ex["tax_exemption"]["tax_exemption_id"]
    assert_zoho_error(books.post("settings/taxexemptions", {"tax_exemption_code": "edu", "type": "item"}), 400,
                      L.ALREADY_EXISTS.code)
    assert_zoho_error(books.post("settings/taxexemptions", {"tax_exemption_code": "X", "type": "vendor"}), 400, 2)
    assert books.ok("PUT", f"settings/taxexemptions/{eid}", json={"type": "item"})["tax_exemption"]["type"] == "item"
    assert books.ok("DELETE", f"settings/taxexemptions/{eid}")["message"] == "Tax exemption has been deleted successfully."
    # groups: ids comma-separated; the percentage adds up and follows its taxes
    other = next(t for t in taxes if t["tax_percentage"])
    group = books.ok("POST", "settings/taxgroups", json={"tax_group_name": "OH Combined",
                                                        "taxes": f"{tax['tax_id']},{other['tax_id']}"})["tax_group"]
    assert group["tax_group_percentage"] == round(1.25 + other["tax_percentage"], 2)
    books.ok("PUT", f"settings/taxes/{tax['tax_id']}", json={"tax_percentage": 2})
    again = books.ok("GET", f"settings/taxgroups/{group['tax_group_id']}")["tax_group"]
    assert again["tax_group_percentage"] == round(2 + other["tax_percentage"], 2)
    assert_zoho_error(books.delete(f"settings/taxes/{tax['tax_id']}"), 400, L.HAS_DEPENDENTS.code)  # in a group
    assert_zoho_error(books.post("settings/taxgroups", {"tax_group_name": "None", "taxes": ","}), 400, 2)
    assert_zoho_error(books.post("settings/taxgroups", {"tax_group_name": "Bad", "taxes": "123"}), 400, 2)
    deleted = books.ok("DELETE", f"settings/taxgroups/{group['tax_group_id']}")
    assert deleted["message"] == "The tax group has been deleted."
    books.ok("DELETE", f"settings/taxes/{tax['tax_id']}")
    assert books.ok("DELETE", f"settings/taxauthorities/{auth['tax_authority_id']}")["message"] == \
        "Tax authority has been deleted."


def test_null_values_are_refused_not_crashing(zoho):
    books = _world(zoho)
    assert_zoho_error(books.post("settings/currencies", {"currency_code": "NOK", "currency_format": "0",
                                                         "price_precision": None}), 400, 2)
    assert_zoho_error(books.put(f"organizations/{books.org_id}", {"time_zone": ""}), 400, 2)
    assert books.ok("PUT", f"organizations/{books.org_id}", json={"address": None})["message"] == "success"


def test_a_statement_line_categorized_as_an_expense_or_a_payment(zoho):
    from tests.books_helpers import put_records
    books = _world(zoho)
    bid = books.ok("POST", "bankaccounts", json={"account_name": "Ops", "account_type": "bank"})["bankaccount"]["account_id"]
    rent = books.ok("POST", "chartofaccounts", json={"account_name": "Rent", "account_type": "expense"})["chart_of_account"]
    lines = put_records(zoho, books.org_id, "banktransactions", [
        {"status": "uncategorized", "account_id": bid, "amount": 25, "date": "2026-11-02", "debit_or_credit": "debit"},
        {"status": "uncategorized", "account_id": bid, "amount": 40, "date": "2026-11-03", "debit_or_credit": "credit"}])
    done = books.ok("POST", f"banktransactions/uncategorized/{lines[0]}/categorize/expenses",
                    json={"account_id": rent["account_id"]})
    assert done["message"] == "The transaction(s) have been categorized"
    line = books.ok("GET", f"banktransactions/{lines[0]}")["banktransaction"]
    assert (line["status"], line["transaction_type"]) == ("categorized", "expense")
    made = [e for e in books.ok("GET", "expenses")["expenses"] if e["account_name"] == "Rent"]
    assert [(e["total"], e["date"], e["paid_through_account_name"]) for e in made] == [(25, "2026-11-02", "Ops")]
    assert_zoho_error(books.post(f"banktransactions/uncategorized/{lines[0]}/categorize/expenses",
                                 {"account_id": rent["account_id"]}), 400, 2)  # categorized already
    customer = books.ok("POST", "contacts", json={"contact_name": "Bob Ltd"})["contact"]["contact_id"]
    books.ok("POST", f"banktransactions/uncategorized/{lines[1]}/categorize/customerpayments",
             json={"customer_id": customer, "payment_mode": "banktransfer"})
    paid = [p for p in books.ok("GET", "customerpayments")["customerpayments"] if p["customer_id"] == customer]
    assert [p["amount"] for p in paid] == [40]
