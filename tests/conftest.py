"""Fixtures that run one test against both modes: a real server on a free port, and in-process.

``zoho`` is a ``mock_zoho.testing.ZohoTarget``: its URLs follow the mode (server: ``http://127.0.0.1:<port>/dc/<dc>``;
in-process: Zoho's real hostnames), so a test written once proves both.
"""
from __future__ import annotations

from typing import Any, Iterator

import pytest

from mock_zoho import Emulator, testing
from mock_zoho.testing import ZohoTarget


# Tests that start real processes, a redis-server or a browser: `pytest -m "not slow"` is the quick loop.
SLOW_MODULES = {"test_workers", "test_serving", "test_redis", "test_consent_browser", "test_lmdb",
                "test_runner_plugin", "test_runner_cli", "test_runner_reports", "test_runner_mistakes",
                "test_runner_remote"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        module = item.module.__name__.rsplit(".", 1)[-1] if getattr(item, "module", None) else ""
        if module in SLOW_MODULES or module.startswith(("test_portal_browser", "test_load", "test_docker")) \
                or "redis_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)


def Target(mode: str, emulator: Emulator | None, base: str) -> ZohoTarget:
    """A target for a server someone else started (kept for tests that build one by hand)."""
    return ZohoTarget("server" if mode == "server" else mode, base, emulator)


def _target(mode: str, emulator: Emulator) -> Iterator[ZohoTarget]:
    with (testing.server(emulator) if mode == "server" else testing.inprocess(emulator)) as target:
        yield target


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--replay-verify", choices=("on", "off"), default="on",
                     help="server.replay_verify for the test emulators: every replayed Books answer is also rendered "
                          "afresh and compared (default on; off runs the plain replay)")


@pytest.fixture
def test_config(request: pytest.FixtureRequest) -> dict[str, Any]:
    """Settings every test emulator gets: replayed answers checked against a fresh rendering."""
    return {"server.replay_verify": request.config.getoption("--replay-verify") == "on"}


@pytest.fixture(params=["server", "inprocess"])
def zoho(request: pytest.FixtureRequest, test_config: dict[str, Any]) -> Iterator[ZohoTarget]:
    """A fresh emulator with no demo world, reached over HTTP in the parametrised mode."""
    yield from _target(request.param, Emulator(test_config, demo=False, seed=1234))


@pytest.fixture(params=["server", "inprocess"])
def zoho_demo(request: pytest.FixtureRequest, test_config: dict[str, Any]) -> Iterator[ZohoTarget]:
    """A fresh emulator with the demo world seeded (see ``mock_zoho.demo``)."""
    yield from _target(request.param, Emulator(test_config, seed=1234))


# ---- Redis (make test installs redis-server; each test module run starts its own) -----------------------
@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    import shutil

    from mock_zoho.storage.redis import local_redis_server

    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (make test installs it: apt-get install redis-server)")
    with local_redis_server() as url:
        yield url.rsplit("/", 1)[0]


@pytest.fixture
def redis_store(redis_url: str, request: pytest.FixtureRequest):
    """An empty RedisStore on its own database of the module's redis-server."""
    from mock_zoho.storage.redis import RedisStore

    db = 1 + (abs(hash(request.node.nodeid)) % 14)
    s = RedisStore(f"{redis_url}/{db}")
    s.r.flushdb()
    yield s
    s.r.flushdb()


def wait_until_serving(proc, base: str, what: str, timeout: float = 60.0) -> None:
    """Poll a child ``serve`` process until its admin health answers; fail with its stderr if not."""
    try:
        testing.wait_until_serving(proc, base, timeout)
    except RuntimeError as exc:
        pytest.fail(f"{what}: {exc}")
