"""Fixtures that run one test against both modes: a real server on a free port, and in-process.

``zoho`` is a ``Target``: its URLs follow the mode (server: ``http://127.0.0.1:<port>/dc/<dc>``;
in-process: Zoho's real hostnames), so a test written once proves both.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

import pytest
import requests

from mock_zoho import Emulator
from mock_zoho.dc import DATA_CENTERS
from mock_zoho.inprocess import InProcess
from mock_zoho.serving.werkzeug import start_in_thread


@dataclass
class Target:
    mode: str
    emulator: Emulator
    base: str  # the local-style base (server URL, or the in-process local base)
    session: requests.Session = field(default_factory=requests.Session)

    @property
    def admin_url(self) -> str:
        return f"{self.base}/__admin"

    def accounts_url(self, location: str = "us") -> str:
        if self.mode == "inprocess":
            return DATA_CENTERS[location].accounts_url
        return f"{self.base}/dc/{location}"

    def api_url(self, location: str = "us") -> str:
        if self.mode == "inprocess":
            return DATA_CENTERS[location].api_url
        return f"{self.base}/dc/{location}"

    def books_url(self, location: str = "us") -> str:
        return f"{self.api_url(location)}/books/v3"

    def admin(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return self.session.request(method, f"{self.admin_url}/{path.lstrip('/')}", **kwargs)


def _target(mode: str, emulator: Emulator) -> Iterator[Target]:
    if mode == "server":
        handle = start_in_thread(emulator)
        try:
            yield Target("server", emulator, handle.url)
        finally:
            handle.stop()
    else:
        with InProcess(emulator) as ip:
            yield Target("inprocess", emulator, ip.local_base)


@pytest.fixture(params=["server", "inprocess"])
def zoho(request: pytest.FixtureRequest) -> Iterator[Target]:
    """A fresh emulator with no demo world, reached over HTTP in the parametrised mode."""
    yield from _target(request.param, Emulator(demo=False, seed=1234))


@pytest.fixture(params=["server", "inprocess"])
def zoho_demo(request: pytest.FixtureRequest) -> Iterator[Target]:
    """A fresh emulator with the demo world seeded (see ``mock_zoho.demo``)."""
    yield from _target(request.param, Emulator(seed=1234))


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
    """Poll a child ``serve`` process until its admin health answers (no virtual clock to advance
    here); fail with the end of its stderr if it dies or never answers."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        try:
            if requests.get(f"{base}/__admin/health", timeout=1).status_code == 200:
                return
        except requests.exceptions.ConnectionError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            err = proc.stderr.read() if proc.stderr else ""
            err = err.decode() if isinstance(err, bytes) else err
            pytest.fail(f"{what} did not start: {err[-2000:]}")
        time.sleep(0.05)
