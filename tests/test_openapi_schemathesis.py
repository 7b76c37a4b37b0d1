"""schemathesis over the emulator's own description: zero server errors, zero answers outside it.

The emulator runs as a real threaded server on a free port (``mock_zoho.testing.server()``), with a
user, a token and a small seeded organisation; Books operations are sent with that token and org so
that handlers run past authentication, and half the generated cases use ids that exist (taken from
the emulator's own lists) so that detail, update and delete handlers run too. Bounded: a few
derandomised examples per operation, positive data only, limits off (a 429 would hide the handlers);
reads first, then writes, deletes, and the operations that change the world for everything after.
"""
from __future__ import annotations

import re
import time
from typing import Any, Iterator

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed (pip install 'schemathesis>=4.0')")

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.errors import Unsatisfiable  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (content_type_conformance, response_schema_conformance,  # noqa: E402
                                               status_code_conformance)

# Zero server errors, and nothing outside the description: status, content type and body.
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

from mock_zoho import Emulator, testing  # noqa: E402

EXAMPLES_PER_OPERATION = 4  # positive data: what the description allows
NEGATIVE_EXAMPLES = 2  # negative data (wrong types, missing required fields): must be refused, never a 500
SEED_COUNTS = {"contacts": 2, "invoices": 2, "bills": 2, "items": 2, "vendorcredits": 1}
# Operations that change the world for every later operation; they run last, in this order.
LAST = ("admin_config_set", "admin_clock_set", "admin_org_delete", "admin_client_delete", "admin_reset")
METHOD_ORDER = {"get": 0, "post": 1, "put": 2, "patch": 3, "delete": 4}
# Findings: operations that answered a 500, excluded until the emulator is fixed (request -> answer).
KNOWN_SERVER_ERRORS: dict[str, str] = {}  # issue 9 fixed the clock and organization-id 500s
PARAM = re.compile(r"\{([^}]+)\}")


@pytest.fixture(scope="module")
def fuzz_world() -> Iterator[dict[str, Any]]:
    with testing.server(Emulator(demo=False, seed=14)) as zoho:
        zoho.admin.set_config({"limits.enabled": False})
        user = zoho.admin.create_user("fuzz@example.com", dc="us")
        org = zoho.admin.create_org("Fuzz Ltd", users=[user], edition="uk", counts=SEED_COUNTS)
        grant = zoho.token(user)
        auth = {"Authorization": f"Zoho-oauthtoken {grant.access_token}",
                "X-com-zoho-books-organizationid": org["organization_id"]}
        admin_ids = {"org_id": org["organization_id"], "user_id": user["user_id"],
                     "client_id": grant.client["client_id"], "resource": "contacts"}
        yield {"zoho": zoho, "auth": auth, "admin_ids": admin_ids,
               "description": zoho.session.get(f"{zoho.admin_url}/openapi.json", timeout=60).json()}


class RealIds:
    """Ids that exist, for a path template: each ``{x}`` is taken from the list one level up
    (``/books/v3/contacts/{contact_id}/contactpersons/{contact_person_id}`` lists contacts, then
    that contact's persons). Admin path parameters come from the world the fixture built."""

    def __init__(self, zoho, auth: dict[str, str], admin_ids: dict[str, str]) -> None:
        self.zoho, self.auth, self.admin_ids = zoho, auth, admin_ids
        self.cache: dict[str, Any] = {}

    def _first(self, list_path: str, id_field: str) -> str | None:
        if list_path not in self.cache:
            r = self.zoho.session.get(f"{self.zoho.base}{list_path}", headers=self.auth, timeout=30)
            body = r.json() if r.status_code == 200 else {}
            lists = [v for k, v in body.items() if isinstance(v, list) and v and isinstance(v[0], dict)]
            self.cache[list_path] = lists[0] if lists else []
        for item in self.cache[list_path]:
            if id_field in item:
                return str(item[id_field])
        return None

    def for_path(self, template: str) -> dict[str, str] | None:
        if template.startswith("/__admin/"):
            names = PARAM.findall(template)
            known = {n: self.admin_ids[n] for n in names if n in self.admin_ids}
            return known if len(known) == len(names) else None
        out: dict[str, str] = {}
        segments = template.split("/")
        for i, seg in enumerate(segments):
            match = PARAM.fullmatch(seg)
            if not match:
                continue
            name = match.group(1)
            if name == "action":
                continue
            list_path = "/".join(segments[:i]).format(**out)
            value = self._first(list_path, name)
            if value is None:
                return None
            out[name] = value
        return out


def _order(op) -> tuple[int, int, int]:
    op_id = op.definition.raw.get("operationId")
    if op_id in LAST:
        return (2, LAST.index(op_id), 0)
    is_delete = op.method.lower() == "delete"
    return (1 if is_delete else 0, METHOD_ORDER.get(op.method.lower(), 5), 0)


def _describe(case, response, exc: BaseException) -> str:
    """One failing answer: the request as sent and the answer, then the check's first lines."""
    lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip() and not ln.strip().startswith("-")]
    body = str(case.body)[:200] if isinstance(case.body, (dict, list, str)) else "-"
    answer = f"{response.status_code} {response.text[:300]!r}" if response is not None else "no answer"
    return (f"{case.operation.definition.raw.get('operationId')}: {case.method} {case.formatted_path} "
            f"query={case.query} body={body} -> {answer}\n  {' | '.join(lines[1:4])}")


def test_schemathesis_finds_no_server_error_and_nothing_outside_the_description(fuzz_world):
    zoho, auth = fuzz_world["zoho"], fuzz_world["auth"]
    schema = schemathesis.openapi.from_dict(fuzz_world["description"])
    operations = [r.ok() for r in schema.get_all_operations()]
    operations = [op for op in operations if op.definition.raw.get("operationId") not in KNOWN_SERVER_ERRORS]
    ids = RealIds(zoho, auth, fuzz_world["admin_ids"])
    failures: list[str] = []
    statuses: dict[int, int] = {}
    started = time.perf_counter()

    def fuzz(op, strategy, examples: int) -> None:
        headers = dict(auth) if op.path.startswith("/books/") else {}

        @settings(max_examples=examples, derandomize=True, database=None, deadline=None,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        @given(case=strategy)
        def run(case) -> None:
            response = None
            try:
                response = case.call(base_url=zoho.base, headers=headers, timeout=30)
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                case.validate_response(response, checks=CHECKS)
            except (Exception, BaseExceptionGroup) as exc:  # a check failed: keep request and answer, go on
                failures.append(_describe(case, response, exc))

        try:
            run()
        except Unsatisfiable:  # negative data for an operation with nothing to negate
            pass

    for op in sorted(operations, key=_order):
        real = ids.for_path(op.path) if PARAM.search(op.path) else None
        fixed = {"path_parameters": real} if real else {}
        positive = st.one_of(op.as_strategy(**fixed), op.as_strategy()) if real else op.as_strategy()
        fuzz(op, positive, EXAMPLES_PER_OPERATION)
        fuzz(op, op.as_strategy(generation_mode=GenerationMode.NEGATIVE, **fixed), NEGATIVE_EXAMPLES)
    calls = sum(statuses.values())
    print(f"schemathesis: {len(operations)} operations, {calls} calls {dict(sorted(statuses.items()))}, "
          f"{time.perf_counter() - started:.1f} s")
    assert not failures, f"{len(failures)} failing answers:\n" + "\n".join(failures[:20])
    assert statuses.get(200, 0) + statuses.get(201, 0) > calls // 5, "most calls never reached a handler"
