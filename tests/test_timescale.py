"""Time scale: windows follow the virtual clock, and a client that waits the real seconds the headers
say loses no calls. Real time is a hand-driven fake, so no test sleeps or depends on machine speed."""
from __future__ import annotations

import pytest

from mock_zoho import literals as L
from tests.limits_world import START, books_get, frozen_emulator, target, token_and_org


@pytest.fixture(params=["server", "inprocess"])
def scaled(request):
    emu, real = frozen_emulator(scale=60, **{"books.retry_after": True, "oauth.access_token_ttl_s": 30 * 86400})
    for zoho in target(request.param, emu):
        token, org_id = token_and_org(zoho)
        yield zoho, real, token, org_id


def test_client_waiting_retry_after_loses_no_calls(scaled):
    zoho, real, token, org_id = scaled
    done, rejections, waited_then_rejected = 0, 0, 0
    just_waited = False
    while done < 350:
        r = books_get(zoho, token, org_id)
        real.sleep(0.001)  # each call takes a real millisecond
        if r.status_code == 200:
            done += 1
            just_waited = False
            continue
        assert r.status_code == 429 and r.json()["code"] == 44
        rejections += 1
        waited_then_rejected += just_waited
        wait = int(r.headers["Retry-After"])
        assert 1 <= wait <= 1  # a virtual minute is one real second at scale 60
        real.sleep(wait)
        just_waited = True
    assert waited_then_rejected == 0  # every wait the header asked for was enough
    assert rejections == 3  # 350 calls at 100 per virtual minute: three waits


def test_client_sleeping_reset_when_remaining_is_zero(scaled):
    zoho, real, token, org_id = scaled
    assert zoho.admin("PATCH", f"limits/{org_id}", json={"daily": 5}).status_code == 200
    done = 0
    while done < 12:
        r = books_get(zoho, token, org_id)
        assert r.status_code == 200, r.text  # the tap's rule: never a 45 if it sleeps Reset at Remaining 0
        done += 1
        if r.headers[L.RATE_LIMIT_REMAINING] == "0":
            real.sleep(int(r.headers[L.RATE_LIMIT_RESET]))
    assert done == 12


def test_reset_header_is_real_seconds(scaled):
    zoho, real, token, org_id = scaled
    r = books_get(zoho, token, org_id)
    until_midnight = START // 86400 * 86400 + 86400 - START
    assert r.headers[L.RATE_LIMIT_RESET] == str(int(-(-until_midnight // 60)))
    real.sleep(until_midnight / 60)  # a real 16 minutes later it is virtual midnight
    assert zoho.emulator.clock.now() == START + until_midnight
    r = books_get(zoho, token, org_id)
    assert r.headers[L.RATE_LIMIT_REMAINING] == "4999" and r.headers[L.RATE_LIMIT_RESET] == "1440"


def test_admin_clock_advance_moves_every_window(scaled):
    zoho, real, token, org_id = scaled
    assert zoho.admin("PATCH", f"limits/{org_id}", json={"per_minute": 1}).status_code == 200
    assert books_get(zoho, token, org_id).status_code == 200
    assert books_get(zoho, token, org_id).status_code == 429
    assert zoho.admin("POST", "clock", json={"advance": 61}).status_code == 200
    assert books_get(zoho, token, org_id).status_code == 200


def test_clock_scale_is_the_setting_and_survives_a_config_patch_on_workers():
    from mock_zoho import testing

    with testing.workers(2) as zoho:
        zoho.admin.set_clock(scale=10)
        assert zoho.admin.config()["server.time_scale"] == 10.0
        zoho.admin.set_config({"limits.per_minute": 99})
        assert {zoho.admin.clock()["scale"] for _ in range(20)} == {10.0}
        zoho.admin.set_config({"server.time_scale": 2})
        assert {zoho.admin.clock()["scale"] for _ in range(20)} == {2.0}
