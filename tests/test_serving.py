"""``serve --server granian`` (the default with ``--workers``): the fast server runs the same emulator,
in one process, or in several sharing memory (LMDB) or Redis; ``--server gunicorn`` for a real reset."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from mock_zoho.serving.ports import free_port
from mock_zoho.storage.redis import local_redis_server
from tests.books_helpers import Books, get_token, make_org, make_user
from tests.conftest import Target, wait_until_serving


def _serve(*args: str, server: str = "granian") -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "mock_zoho", "serve", "--server", server, "--port", str(port),
                             "--no-demo", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    wait_until_serving(proc, base, f"serve --server {server}")
    return proc, base


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


def _books(base: str) -> Books:
    zoho = Target("server", None, base)  # type: ignore[arg-type]
    user = make_user(zoho, "eu")
    org = make_org(zoho, [user], "uk", counts={"contacts": 5, "invoices": 30})
    return Books(zoho, get_token(zoho, user), "eu", org["organization_id"])


def test_granian_one_process_serves_the_whole_flow():
    proc, base = _serve()
    try:
        books = _books(base)
        page = books.call("GET", "invoices", params={"per_page": 10})
        assert page.status_code == 200 and page.headers["Server"] == "ZGS"
        assert len(page.json()["invoices"]) == 10 and page.json()["page_context"]["has_more_page"] is True
        assert int(page.headers["X-Rate-Limit-Remaining"]) == 5000 - 1
        with ThreadPoolExecutor(8) as pool:  # request threads overlap and the counters stay exact
            statuses = list(pool.map(lambda _: books.call("GET", "invoices").status_code, range(40)))
        assert statuses == [200] * 40
        assert requests.get(f"{base}/__admin/limits/{books.org_id}").json()["limit"]["daily"]["used"] == 41
        assert books.call("GET", "invoices/1").json()["code"] == 1002
    finally:
        _stop(proc)


def _two_workers_are_one_zoho(*store_args: str) -> None:
    proc, base = _serve("--workers", "2", *store_args)
    try:
        books = _books(base)
        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(lambda _: books.call("GET", "contacts").status_code, range(60)))
        assert statuses == [200] * 60
        limits = requests.get(f"{base}/__admin/limits/{books.org_id}").json()
        assert limits["limit"]["daily"]["used"] == 60  # counted once across both processes
        journal = requests.get(f"{base}/__admin/requests", params={"organization_id": books.org_id}).json()
        assert len(journal["requests"]) == 60  # one journal
    finally:
        _stop(proc)


def test_granian_two_workers_share_memory_by_default():
    _two_workers_are_one_zoho()


@pytest.mark.redis
def test_granian_two_workers_on_redis_are_one_zoho():
    with local_redis_server() as url:
        if url is None:
            pytest.skip("redis-server is not installed (make test installs it)")
        _two_workers_are_one_zoho("--store", url)


def test_workers_on_the_in_process_memory_store_are_refused_with_a_reason():
    out = subprocess.run([sys.executable, "-m", "mock_zoho", "serve", "--workers", "2", "--store", "memory"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode != 0 and "needs a store shared by the worker processes" in out.stderr
    assert re.search(r"Traceback", out.stderr) is None


def test_werkzeug_with_workers_is_refused_with_a_reason():
    out = subprocess.run([sys.executable, "-m", "mock_zoho", "serve", "--server", "werkzeug", "--workers", "2",
                          "--store", "redis://127.0.0.1:1/0"], capture_output=True, text=True, timeout=60)
    assert out.returncode != 0 and "--server werkzeug runs one process" in out.stderr
    assert re.search(r"Traceback", out.stderr) is None


@pytest.mark.parametrize("server", ["gunicorn", "granian"])
def test_connection_faults_with_workers_on_each_server(server):
    """gunicorn: a reset is no response at all, a truncation a body cut short. granian closes the
    connection on its own terms: either fault ends it early, with no response or a body cut short
    (never a clean body)."""
    dropped = (requests.exceptions.ConnectionError,)
    cut = (requests.exceptions.ChunkedEncodingError,)
    if server == "granian":
        dropped = cut = dropped + cut
    proc, base = _serve("--workers", "2", server=server)
    try:
        books = _books(base)
        rule = requests.post(f"{base}/__admin/faults", json={"path": "*/contacts", "action": "reset", "count": 1}).json()["fault"]
        with pytest.raises(dropped):
            books.call("GET", "contacts")
        assert books.call("GET", "contacts").status_code == 200  # count 1: the next call is untouched
        requests.post(f"{base}/__admin/faults", json={"path": "*/contacts", "action": "truncate", "count": 1})
        with pytest.raises(cut):
            books.call("GET", "contacts")
        hits = requests.get(f"{base}/__admin/requests", params={"fault": rule["id"]}).json()["requests"]
        assert len(hits) == 1 and hits[0]["status"] is None
    finally:
        _stop(proc)


def test_workers_by_default_overlap_slow_calls_under_one_concurrency_limit():
    """``serve --workers 2`` as it comes (granian, 4 request threads a worker): four calls held by an
    injected latency run at once, wherever they land, and the org's limit of 2 sees them all."""
    proc, base = _serve("--workers", "2", server="auto")
    try:
        books = _books(base)
        assert requests.patch(f"{base}/__admin/limits/{books.org_id}", json={"concurrency": 2}).status_code == 200
        rule = {"path": "*/contacts", "action": {"type": "latency", "ms": 1500}}
        assert requests.post(f"{base}/__admin/faults", json=rule).status_code == 201
        barrier = threading.Barrier(4)

        def call(_: int) -> requests.Response:
            s = requests.Session()
            barrier.wait()
            return s.get(f"{books.base}/contacts", params={"organization_id": books.org_id}, headers=books.headers())

        with ThreadPoolExecutor(4) as pool:
            answers = list(pool.map(call, range(4)))
        assert sorted(a.status_code for a in answers) == [200, 200, 429, 429]
        assert all(a.json()["code"] == 1070 for a in answers if a.status_code == 429)
        limits = requests.get(f"{base}/__admin/limits/{books.org_id}").json()["limit"]
        assert limits["concurrency"] == {"limit": 2, "in_flight": 0}
    finally:
        _stop(proc)


def _children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        out.append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    return out


def _until(check, what: str, seconds: float = 20.0):
    """Poll a real process's progress (a worker starting, a call arriving): no virtual clock to move."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            value = check()
        except requests.RequestException:
            value = None
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.parametrize("server", ["auto", "gunicorn"])
@pytest.mark.parametrize("store", ["shared-memory", pytest.param("redis", marks=pytest.mark.redis)])
def test_a_worker_killed_mid_call_gives_its_concurrency_slot_back(server, store, request):
    """The server replaces the worker; the slot it held comes back (granian: the new worker frees
    it; gunicorn: the master does, on the worker's exit)."""
    store_args = ["--store", request.getfixturevalue("redis_store").url] if store == "redis" else []
    proc, base = _serve("--workers", "2", *store_args, server=server)
    try:
        books = _books(base)
        limits_url = f"{base}/__admin/limits/{books.org_id}"
        requests.patch(limits_url, json={"concurrency": 1})
        requests.post(f"{base}/__admin/faults", json={"path": "*/contacts", "action": {"type": "latency", "ms": 60000}})
        held = threading.Thread(target=lambda: _swallow(lambda: books.call("GET", "contacts", timeout=30)), daemon=True)
        held.start()
        _until(lambda: requests.get(limits_url).json()["limit"]["concurrency"]["in_flight"] == 1, "the held call")
        assert books.call("GET", "invoices").json()["code"] == 1070  # the one slot is taken
        workers = _children(proc.pid)
        for pid in workers:
            os.kill(pid, signal.SIGKILL)
        _until(lambda: _replaced(proc.pid, workers) and requests.get(f"{base}/__admin/health").ok,
               "the server to replace its workers")
        assert requests.get(limits_url).json()["limit"]["concurrency"]["in_flight"] == 0
        assert books.call("GET", "invoices").status_code == 200
    finally:
        _stop(proc)


def _replaced(pid: int, killed: list[int]) -> bool:
    """Every killed worker reaped by the server (a zombie still shows as its child) and new ones up."""
    now = set(_children(pid))
    return bool(now) and not now & set(killed)


def _swallow(fn) -> None:
    try:
        fn()
    except requests.RequestException:
        pass  # the worker serving it was killed


def test_the_shared_store_goes_to_dev_shm_only_when_it_has_room(monkeypatch, tmp_path):
    import tempfile

    from mock_zoho import storage

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(storage, "SHM_MIN_FREE", 0)
    assert storage.shared_memory_dir(str(tmp_path / "no-shm")).startswith(str(tmp_path / "mock-zoho-"))  # none
    shm = tmp_path / "shm"
    shm.mkdir()
    assert storage.shared_memory_dir(str(shm)).startswith(str(shm / "mock-zoho-"))  # roomy enough
    monkeypatch.setattr(storage, "SHM_MIN_FREE", 1 << 62)  # more than any machine has: Docker's 64 MB, say
    assert storage.shared_memory_dir(str(shm)).startswith(str(tmp_path / "mock-zoho-"))
