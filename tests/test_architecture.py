"""The package's structure: no import circle between mock_zoho's modules, and no import of a
mock_zoho module inside a function (the dodge a circle needs); read from the source with ast."""
from __future__ import annotations

from pathlib import Path

import pytest

import mock_zoho
from tests.import_graph import circles, import_graph, package_modules

PACKAGE = "mock_zoho"
ROOT = Path(mock_zoho.__file__).resolve().parent
# Function-local imports of our own modules that are allowed: each defers a heavy optional
# dependency (lmdb, redis) until its store is asked for. Kept explicit so a new one is a decision.
DEFERRED_FOR_OPTIONAL_DEPS = {("mock_zoho.storage", "mock_zoho.storage.lmdb"), ("mock_zoho.storage", "mock_zoho.storage.redis")}


MODULES = package_modules(PACKAGE, ROOT)


def _graph() -> tuple[dict[str, set[str]], list[tuple[str, str, int]]]:
    """Module-level import edges (``TYPE_CHECKING`` blocks left out: they never run), and every
    import of one of our modules made inside a function (tests/import_graph.py walks them)."""
    return import_graph(PACKAGE, MODULES)


_circles = circles


def test_the_walk_sees_the_package():
    edges, _ = _graph()
    assert "mock_zoho.emulator" in edges and "mock_zoho.storage.base" in edges["mock_zoho.limits.models"]


def test_no_import_circle():
    edges, _ = _graph()
    assert _circles(edges) == []


def test_a_circle_would_be_found():
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_function_local_import_of_our_own_modules():
    _, local = _graph()
    dodges = [f"{m}:{line} imports {t}" for m, t, line in local
              if (m, t) not in DEFERRED_FOR_OPTIONAL_DEPS]
    assert dodges == []


@pytest.mark.parametrize("module", ["mock_zoho.limits.engine", "mock_zoho.errors"])
def test_the_rules_and_the_domain_errors_need_no_web_framework(module):
    """The limiter's rules and the domain errors import no Flask, directly or not: models and
    storage use them without a request."""
    edges, _ = _graph()
    seen, todo = set(), [module]
    while todo:
        m = todo.pop()
        if m not in seen:
            seen.add(m)
            todo.extend(edges[m])
    for m in seen:
        assert "from flask" not in MODULES[m].read_text(encoding="utf-8"), m


def test_storage_and_models_never_read_the_request():
    """Only the HTTP edge (views, admin routes, the serving stack, the request context) reads Flask's request."""
    readers = sorted(m for m, path in MODULES.items() if "flask" in path.read_text(encoding="utf-8")
                     and (m.startswith("mock_zoho.storage") or m.endswith((".models", ".engine")) or m == "mock_zoho.errors"))
    assert readers == []


def test_store_capabilities_are_declared():
    """What a backend does beyond the Store interface is a declared protocol, not a guessed attribute."""
    from mock_zoho.storage import MemoryStore
    from mock_zoho.storage.base import AtomicReplay, ScriptedLimits
    from mock_zoho.storage.lmdb import LmdbStore
    from mock_zoho.storage.redis import RedisStore

    assert [issubclass(s, ScriptedLimits) for s in (MemoryStore, LmdbStore, RedisStore)] == [False, False, True]
    assert [issubclass(s, AtomicReplay) for s in (MemoryStore, LmdbStore, RedisStore)] == [False, True, True]
    assert [s.shared for s in (MemoryStore, LmdbStore, RedisStore)] == [False, True, True]
