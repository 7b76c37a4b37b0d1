"""The limiter through its Python API (memory store): exactness, windows, resets, headers, overrides."""
from __future__ import annotations

import threading

import pytest

from mock_zoho import literals as L
from mock_zoho.http import BooksAPIError
from tests.limits_world import START, frozen_emulator, org


def try_admit(emu, o) -> tuple[int, dict[str, str]]:
    try:
        a = emu.limits.admit(o)
    except BooksAPIError as exc:
        return exc.code, exc.headers
    a.release()
    return 0, a.headers


def hammer(emu, o, threads: int = 50, each: int = 4) -> list[int]:
    codes: list[int] = []
    lock = threading.Lock()
    barrier = threading.Barrier(threads)

    def work() -> None:
        barrier.wait()
        for _ in range(each):
            code, _ = try_admit(emu, o)
            with lock:
                codes.append(code)

    ts = [threading.Thread(target=work) for _ in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return codes


def test_fifty_threads_get_exactly_the_per_minute_limit():
    emu, _ = frozen_emulator()
    o = org()
    emu.limits.set_overrides(o["organization_id"], {"concurrency": 1000})  # per minute alone decides
    codes = hammer(emu, o)
    assert codes.count(0) == 100
    assert set(codes) == {0, L.PER_MINUTE_EXCEEDED.code}
    status = emu.limits.status(o["organization_id"])
    assert status["per_minute"]["used"] == 100
    assert status["daily"]["used"] == 100  # rejected calls consumed nothing
    assert status["concurrency"]["in_flight"] == 0


def test_advancing_61_seconds_restores_the_per_minute_budget():
    emu, _ = frozen_emulator()
    o = org()
    assert hammer(emu, o, threads=10, each=11).count(0) == 100
    emu.clock.advance(59)
    assert try_admit(emu, o)[0] == L.PER_MINUTE_EXCEEDED.code
    emu.clock.advance(2)
    assert hammer(emu, o, threads=10, each=11).count(0) == 100


def test_rolling_window_frees_calls_as_they_age():
    emu, _ = frozen_emulator()
    o = org()
    for _ in range(50):
        assert try_admit(emu, o)[0] == 0
    emu.clock.advance(30)
    for _ in range(50):
        assert try_admit(emu, o)[0] == 0
    assert try_admit(emu, o)[0] == 44
    emu.clock.advance(30)  # the first 50 are exactly 60 s old: out of the window
    for _ in range(50):
        assert try_admit(emu, o)[0] == 0
    assert try_admit(emu, o)[0] == 44


def test_fixed_window_resets_on_the_minute():
    emu, _ = frozen_emulator(**{"limits.per_minute_window": "fixed", "limits.per_minute": 3})
    o = org()
    emu.clock.set(START + 58)  # START is on a minute boundary
    assert [try_admit(emu, o)[0] for _ in range(4)] == [0, 0, 0, 44]
    emu.clock.advance(2)
    assert [try_admit(emu, o)[0] for _ in range(4)] == [0, 0, 0, 44]


def test_block_after_a_breach():
    emu, _ = frozen_emulator(**{"limits.per_minute": 2, "limits.per_minute_block_s": 300, "books.retry_after": True})
    o = org()
    assert [try_admit(emu, o)[0] for _ in range(3)] == [0, 0, 44]
    emu.clock.advance(61)
    code, headers = try_admit(emu, o)
    assert code == 44 and headers["Retry-After"] == "239"
    emu.clock.advance(240)
    assert try_admit(emu, o)[0] == 0


def test_daily_quota_by_plan_and_midnight_reset():
    emu, _ = frozen_emulator()
    o = org(plan="free")
    emu.limits.set_daily_used(o["organization_id"], 999)
    assert try_admit(emu, o)[0] == 0
    with pytest.raises(BooksAPIError) as info:
        emu.limits.admit(o)
    assert info.value.code == 45 and info.value.status == 429
    assert info.value.message == "The API call for this organization has exceeded the maximum call rate limit of 1,000"
    assert info.value.headers[L.RATE_LIMIT_REMAINING] == "0"
    emu.clock.advance(START // 86400 * 86400 + 86400 - START + 1)  # one second past UTC midnight
    code, headers = try_admit(emu, o)
    assert code == 0 and headers[L.RATE_LIMIT_REMAINING] == "999"


def test_daily_doc_message_style():
    emu, _ = frozen_emulator(**{"limits.daily_message_style": "doc"})
    o = org(plan="free")
    emu.limits.set_daily_used(o["organization_id"], 1000)
    with pytest.raises(BooksAPIError) as info:
        emu.limits.admit(o)
    assert info.value.message.endswith("limit of 1000.")


@pytest.mark.parametrize("plan,daily,conc", [("free", 1000, 5), ("standard", 2000, 10), ("professional", 5000, 10),
                                               ("premium", 10000, 10), ("elite", 10000, 10), ("ultimate", 10000, 10)])
def test_plan_table(plan, daily, conc):
    emu, _ = frozen_emulator()
    code, headers = try_admit(emu, org(plan=plan))
    assert code == 0 and headers[L.RATE_LIMIT_LIMIT] == str(daily)
    assert emu.limits.policy(org(plan=plan), START).concurrency == conc


def test_org_midnight_follows_the_org_time_zone():
    emu, _ = frozen_emulator(**{"limits.daily_reset": "org_midnight"})
    o = org(plan="free", time_zone="Asia/Kolkata")  # +05:30: local midnight is 18:30 UTC
    emu.limits.set_daily_used(o["organization_id"], 1000)
    assert try_admit(emu, o)[0] == 45
    utc_day = START // 86400 * 86400
    emu.clock.set(utc_day + 18 * 3600 + 29 * 60)
    code, headers = try_admit(emu, o)
    assert code == 45 and headers[L.RATE_LIMIT_RESET] == "60"
    emu.clock.advance(61)
    assert try_admit(emu, o)[0] == 0


def test_org_midnight_falls_back_to_the_edition_offset():
    emu, _ = frozen_emulator(**{"limits.daily_reset": "org_midnight"})
    o = {"organization_id": "700000009", "plan": "free", "edition": "us"}  # -0500, no time_zone
    utc_day = START // 86400 * 86400
    emu.clock.set(utc_day + 5 * 3600 - 10)
    assert try_admit(emu, o)[1][L.RATE_LIMIT_RESET] == "10"


def test_rolling_24h():
    emu, _ = frozen_emulator(**{"limits.daily_reset": "rolling_24h", "limits.daily_by_plan": {"free": 3}})
    o = org(plan="free")
    assert try_admit(emu, o)[0] == 0
    emu.clock.advance(3600)
    assert try_admit(emu, o)[0] == 0
    assert try_admit(emu, o)[0] == 0
    code, headers = try_admit(emu, o)
    assert code == 45 and headers[L.RATE_LIMIT_RESET] == str(86400 - 3600)
    emu.clock.advance(86400 - 3600)  # the first call ages out
    assert try_admit(emu, o)[0] == 0
    assert try_admit(emu, o)[0] == 45


def test_a_rejection_consumes_no_other_limit():
    emu, _ = frozen_emulator()
    o = org(plan="free")
    oid = o["organization_id"]
    emu.limits.set_overrides(oid, {"per_minute": 5})
    emu.limits.set_daily_used(oid, 1000)
    for _ in range(3):
        assert try_admit(emu, o)[0] == 45
    assert emu.limits.status(oid)["per_minute"]["used"] == 0
    emu.limits.set_daily_used(oid, 0)
    assert [try_admit(emu, o)[0] for _ in range(7)] == [0] * 5 + [44, 44]
    assert emu.limits.status(oid)["daily"]["used"] == 5
    held = [emu.limits.admit(org("700000002", plan="free")) for _ in range(5)]
    assert try_admit(emu, org("700000002", plan="free"))[0] == 1070
    st = emu.limits.status("700000002")
    assert (st["per_minute"]["used"], st["daily"]["used"], st["concurrency"]["in_flight"]) == (5, 5, 5)
    for a in held:
        a.release()
        a.release()  # idempotent
    assert emu.limits.status("700000002")["concurrency"]["in_flight"] == 0


def test_count_rejected_charges_the_daily_quota():
    emu, _ = frozen_emulator(**{"limits.per_minute": 1, "limits.count_rejected": True})
    o = org()
    assert [try_admit(emu, o)[0] for _ in range(3)] == [0, 44, 44]
    assert emu.limits.status(o["organization_id"])["daily"]["used"] == 3


def test_concurrency_limit_and_soft_extra():
    emu, _ = frozen_emulator(**{"limits.concurrency_soft_extra": 2})
    o = org(plan="free")
    held = [emu.limits.admit(o) for _ in range(7)]
    with pytest.raises(BooksAPIError) as info:
        emu.limits.admit(o)
    assert info.value.code == 1070 and info.value.message == L.CONCURRENCY_EXCEEDED.message
    held.pop().release()
    held.append(emu.limits.admit(o))
    for a in held:
        a.release()


def test_concurrency_exact_under_threads():
    emu, _ = frozen_emulator()
    o = org(plan="free")
    gate = threading.Event()
    results: list[int] = []
    lock = threading.Lock()

    def work() -> None:
        try:
            a = emu.limits.admit(o)
        except BooksAPIError as exc:
            with lock:
                results.append(exc.code)
            return
        with lock:
            results.append(0)
        gate.wait()
        a.release()

    ts = [threading.Thread(target=work) for _ in range(30)]
    for t in ts:
        t.start()
    while len(results) < 30:
        threading.Event().wait(0.001)
    gate.set()
    for t in ts:
        t.join()
    assert results.count(0) == 5 and results.count(1070) == 25


def test_headers_values_and_real_seconds():
    emu, _ = frozen_emulator(scale=60)
    o = org(plan="standard")
    code, headers = try_admit(emu, o)
    until_midnight = START // 86400 * 86400 + 86400 - START
    assert headers == {L.RATE_LIMIT_LIMIT: "2000", L.RATE_LIMIT_REMAINING: "1999",
                       L.RATE_LIMIT_RESET: str(int(-(-until_midnight // 60)))}
    emu.limits.set_daily_used(o["organization_id"], 2500)
    assert try_admit(emu, o)[1][L.RATE_LIMIT_REMAINING] == "0"  # never negative


def test_retry_after_only_when_configured():
    emu, _ = frozen_emulator(**{"limits.per_minute": 2})
    o = org()
    try_admit(emu, o)
    emu.clock.advance(10)
    try_admit(emu, o)
    code, headers = try_admit(emu, o)
    assert code == 44 and "Retry-After" not in headers
    emu.config.update({"books.retry_after": True})
    code, headers = try_admit(emu, o)
    assert headers["Retry-After"] == "50"  # the oldest call leaves the window in 50 s
    emu.clock.set_scale(60)
    assert try_admit(emu, o)[1]["Retry-After"] == "1"


def test_rate_headers_off():
    emu, _ = frozen_emulator(**{"books.rate_headers": False, "limits.per_minute": 1})
    o = org()
    assert try_admit(emu, o) == (0, {})
    assert try_admit(emu, o) == (44, {})


def test_limits_disabled_admits_everything_with_headers():
    emu, _ = frozen_emulator(**{"limits.enabled": False, "limits.per_minute": 1})
    o = org()
    for _ in range(5):
        code, headers = try_admit(emu, o)
        assert code == 0 and headers[L.RATE_LIMIT_LIMIT] == "5000"
    assert emu.limits.rate_headers(o)[L.RATE_LIMIT_REMAINING] == "5000"


def test_overrides_and_resets():
    emu, _ = frozen_emulator()
    o = org(plan="free")
    oid = o["organization_id"]
    emu.limits.set_overrides(oid, {"per_minute": 2, "daily": 7, "concurrency": 1})
    held = emu.limits.admit(o)
    assert held.headers[L.RATE_LIMIT_LIMIT] == "7"
    assert try_admit(emu, o)[0] == 1070
    held.release()
    assert try_admit(emu, o)[0] == 0
    assert try_admit(emu, o)[0] == 44
    emu.limits.reset_org(oid)
    assert try_admit(emu, o)[0] == 0
    emu.limits.set_overrides(oid, {"per_minute": None, "daily": None, "concurrency": None})
    assert emu.limits.status(oid)["overrides"] == {}
    assert emu.limits.status(oid)["daily"]["limit"] == 1000
    emu.reset(demo=False)
    assert emu.limits.status(oid)["daily"]["used"] == 0
