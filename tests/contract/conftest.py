"""Fixtures of the contract suite: ``zoho_api`` is each target in turn, the emulator and the live Zoho.

The live half runs only with ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET and ZOHO_REFRESH_TOKEN set (and
ZOHO_ACCOUNTS_SERVER outside the US DC; ZOHO_ORGANIZATION_ID to pick an org), in one process
(``-n 0``: the call budget is per process), read only, within ``CALL_BUDGET`` calls; otherwise it is
skipped, saying why. ``pytest tests/contract --record-contract -n 0`` (or ZOHO_CONTRACT_RECORD=1)
writes what the live Zoho answered, as shapes, into ``snapshots/``.
"""
from __future__ import annotations

import os
from typing import Iterator

import pytest
import requests

from mock_zoho import Emulator, testing
from mock_zoho.openapi.validate import ResponseChecker

from .targets import (CALL_BUDGET, EMULATOR_COUNTS, LIVE_ENV, RECORD_ENV, BudgetSpent, CallBudget, ContractClient,
                      live_credentials)

CLIENTS: dict[str, ContractClient] = {}  # what each target spent, for the summary line
LIVE_SKIP = (f"live Zoho: set {', '.join(LIVE_ENV)} (and ZOHO_ACCOUNTS_SERVER for a non-US account) to run the "
             f"contract suite against the real Zoho, read only, at most {CALL_BUDGET} calls")


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--record-contract`` when tests/contract is on the command line (tests/conftest.py may add
    the same option for runs from the root; then this one stands aside)."""
    try:
        parser.addoption("--record-contract", action="store_true", default=False,
                         help="live contract runs: write what the real Zoho answered (shapes only) into "
                              "tests/contract/snapshots (same as ZOHO_CONTRACT_RECORD=1)")
    except ValueError:  # already registered
        pass


def recording(config: pytest.Config) -> bool:
    try:
        option = bool(config.getoption("record_contract"))
    except ValueError:  # the option is registered only when tests/contract is on the command line
        option = False
    return option or os.environ.get(RECORD_ENV, "") not in ("", "0")


@pytest.fixture(scope="session")
def contract_emulator() -> Iterator[ContractClient]:
    """The emulator as a contract target: a US user with a refresh token and a seeded US org."""
    with testing.inprocess(Emulator(demo=False, seed=2014)) as zoho:
        user = zoho.admin.create_user("contract@example.com", dc="us")
        org = zoho.admin.create_org("Contract Inc", users=[user], edition="us", counts=EMULATOR_COUNTS)
        grant = zoho.token(user)
        checker = ResponseChecker(zoho.session.get(f"{zoho.admin_url}/openapi.json", timeout=60).json())
        client = ContractClient(
            "emulator", zoho.accounts_url("us"),
            {"client_id": grant.client["client_id"], "client_secret": grant.client["client_secret"],
             "refresh_token": grant.refresh_token or ""},
            zoho.session, check=lambda r: checker.check(r.request.method or "GET", r.url, r.status_code, r.headers,
                                                        r.content))
        client.organization_id = org["organization_id"]
        client.connect()
        CLIENTS["emulator"] = client
        yield client


@pytest.fixture(scope="session")
def contract_live() -> Iterator[ContractClient]:
    creds = live_credentials()
    if creds is None:
        pytest.skip(LIVE_SKIP)
    if os.environ.get("PYTEST_XDIST_WORKER"):
        pytest.skip("live Zoho: run the live half in one process (pytest tests/contract -n 0): the call budget "
                    "is counted per process")
    session = requests.Session()
    client = ContractClient("live", creds["accounts_server"], creds, session, CallBudget(CALL_BUDGET))
    client.organization_id = creds["organization_id"]
    CLIENTS["live"] = client
    try:
        client.connect()
    except BudgetSpent as exc:
        pytest.exit(str(exc), returncode=1)
    yield client
    session.close()


@pytest.fixture(scope="session", params=["emulator", "live"])
def zoho_api(request: pytest.FixtureRequest) -> ContractClient:
    """Each contract target in turn (the live one skipped without credentials)."""
    return request.getfixturevalue(f"contract_{request.param}")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Past the live call budget the whole run stops (the emulator's overrun fails its test)."""
    outcome = yield
    exc = outcome.excinfo[1] if outcome.excinfo else None
    if isinstance(exc, BudgetSpent) and "[live" in item.nodeid:
        pytest.exit(str(exc), returncode=1)


def pytest_terminal_summary(terminalreporter) -> None:
    if CLIENTS:
        spent = ", ".join(f"{mode} {c.budget.used}/{c.budget.limit}" for mode, c in CLIENTS.items())
        terminalreporter.write_line(f"contract calls: {spent}")
