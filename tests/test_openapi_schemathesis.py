"""schemathesis over the emulator's own description: zero server errors, zero answers outside it.

The emulator runs as a real threaded server on a free port (``mock_zoho.testing.server()``), with a
user, a token and a small seeded organisation; Books operations are sent with that token and org so
that handlers run past authentication. Bounded: a few seeded, derandomised examples per operation,
positive data only, limits off (a 429 would hide the handlers), destructive admin operations last.
"""
from __future__ import annotations

import time
from typing import Any, Iterator

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed (pip install 'schemathesis>=4.0')")

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import response_schema_conformance  # noqa: E402

from mock_zoho import Emulator, testing  # noqa: E402

EXAMPLES_PER_OPERATION = 4
SEED_COUNTS = {"contacts": 2, "invoices": 2, "bills": 2, "items": 2}
# Operations that change the world for every later operation; they run last, in this order.
LAST = ("admin_config_set", "admin_clock_set", "admin_org_delete", "admin_client_delete", "admin_reset")
# Findings: operations that answered a 500 (request, answer), excluded until fixed (issue 14 report).
KNOWN_SERVER_ERRORS: dict[str, str] = {}


@pytest.fixture(scope="module")
def fuzz_world() -> Iterator[dict[str, Any]]:
    with testing.server(Emulator(demo=False, seed=14)) as zoho:
        zoho.admin.set_config({"limits.enabled": False})
        user = zoho.admin.create_user("fuzz@example.com", dc="us")
        org = zoho.admin.create_org("Fuzz Ltd", users=[user], edition="uk", counts=SEED_COUNTS)
        grant = zoho.token(user)
        yield {"zoho": zoho, "org_id": org["organization_id"], "token": grant.access_token,
               "description": zoho.session.get(f"{zoho.admin_url}/openapi.json", timeout=60).json()}


def _ordered(operations: list[Any]) -> list[Any]:
    last = {name: i for i, name in enumerate(LAST)}
    return sorted(operations, key=lambda op: last.get(op.definition.raw.get("operationId"), -1))


def test_schemathesis_finds_no_server_error_and_nothing_outside_the_description(fuzz_world):
    zoho = fuzz_world["zoho"]
    schema = schemathesis.openapi.from_dict(fuzz_world["description"])
    operations = [r.ok() for r in schema.get_all_operations()]
    operations = [op for op in operations if op.definition.raw.get("operationId") not in KNOWN_SERVER_ERRORS]
    auth = {"Authorization": f"Zoho-oauthtoken {fuzz_world['token']}",
            "X-com-zoho-books-organizationid": fuzz_world["org_id"]}
    failures: list[str] = []
    calls = 0
    started = time.perf_counter()
    for op in _ordered(operations):
        op_id = op.definition.raw.get("operationId")

        @settings(max_examples=EXAMPLES_PER_OPERATION, derandomize=True, database=None, deadline=None,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        @given(case=op.as_strategy())
        def run(case) -> None:
            nonlocal calls
            headers = dict(auth) if op.path.startswith("/books/") else {}
            response = case.call(base_url=zoho.base, headers=headers, timeout=30)
            calls += 1
            try:
                case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
            except Exception as exc:  # a check failed: keep the request and the answer, go on
                failures.append(f"{op_id}: {case.method} {response.request.url} -> {response.status_code} "
                                f"{response.text[:300]!r}\n  {str(exc).splitlines()[0] if str(exc) else exc!r}")

        run()
    print(f"schemathesis: {len(operations)} operations, {calls} calls, {time.perf_counter() - started:.1f} s")
    assert not failures, f"{len(failures)} failing answers:\n" + "\n".join(failures[:20])
