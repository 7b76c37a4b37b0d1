"""The package's structure: no import circle between mock_zoho's modules, and no import of a
mock_zoho module inside a function (the dodge a circle needs); read from the source with ast."""
from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest

import mock_zoho

PACKAGE = "mock_zoho"
ROOT = Path(mock_zoho.__file__).resolve().parent
# Function-local imports of our own modules that are allowed: each defers a heavy optional
# dependency (lmdb, redis) until its store is asked for. Kept explicit so a new one is a decision.
DEFERRED_FOR_OPTIONAL_DEPS = {("mock_zoho.storage", "mock_zoho.storage.lmdb"), ("mock_zoho.storage", "mock_zoho.storage.redis")}


def _modules() -> dict[str, Path]:
    out = {}
    for path in ROOT.rglob("*.py"):
        parts = (PACKAGE, *path.relative_to(ROOT).with_suffix("").parts)
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


MODULES = _modules()


def _resolve(module: str, is_package: bool, node: ast.ImportFrom | ast.Import) -> list[str]:
    """The mock_zoho modules an import statement loads (its package's ``__init__`` included)."""
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    else:
        base = importlib.util.resolve_name("." * node.level + (node.module or ""), module if is_package else
                                           module.rpartition(".")[0]) if node.level else (node.module or "")
        names = [base] + [f"{base}.{a.name}" for a in node.names]
    found = set()
    for name in names:
        while name and name not in MODULES:
            name = name.rpartition(".")[0]
        if name and name.startswith(PACKAGE):
            found.add(name)
    return sorted(found)


def _graph() -> tuple[dict[str, set[str]], list[tuple[str, str, int]]]:
    """Module-level import edges (``TYPE_CHECKING`` blocks left out: they never run), and every
    import of one of our modules made inside a function."""
    edges: dict[str, set[str]] = {m: set() for m in MODULES}
    local: list[tuple[str, str, int]] = []
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        is_package = path.name == "__init__.py"
        skip: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                skip |= {id(n) for n in ast.walk(node)}
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for inner in ast.walk(node):
                    if isinstance(inner, (ast.Import, ast.ImportFrom)):
                        skip.add(id(inner))
                        for target in _resolve(module, is_package, inner):
                            local.append((module, target, inner.lineno))
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)) and id(node) not in skip:
                for target in _resolve(module, is_package, node):
                    if target != module:
                        edges[module].add(target)
    # Importing mock_zoho.a.b runs mock_zoho/a/__init__ first: a subpackage's __init__ is an edge.
    # The root package's is not: it is imported before anything else and holds no logic.
    for module in list(edges):
        edges[module].discard(PACKAGE)
        for target in list(edges[module]):
            parent = target.rpartition(".")[0]
            while parent.startswith(PACKAGE + ".") and parent != module and not module.startswith(parent + "."):
                edges[module].add(parent)
                parent = parent.rpartition(".")[0]
    return edges, local


def _circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in edges:
        if v not in index:
            visit(v)
    return found


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
