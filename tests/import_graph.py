"""A package's imports read from its source with ast: the walk the architecture tests share.

``package_imports`` lists every import statement with the absolute names it loads;
``import_graph`` turns them into module-level edges between the package's own modules
(``TYPE_CHECKING`` blocks left out: they never run) plus the imports made inside functions (the
dodge an import circle needs); ``circles`` finds the strongly connected components.
Used by tests/test_architecture.py (mock_zoho) and tests/harness/test_harness_architecture.py.
"""
from __future__ import annotations

import ast
import importlib.util
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Import", "package_modules", "package_imports", "import_graph", "circles"]


@dataclass(frozen=True)
class Import:
    """One import statement of ``module``: ``names`` are what it loads, absolute (``from a import b``
    gives ``a.b``; ``import a.b`` gives ``a.b``), ``base`` the module it imports from."""

    module: str
    base: str
    names: tuple[str, ...]
    line: int
    in_function: bool
    type_checking: bool


def package_modules(package: str, root: Path) -> dict[str, Path]:
    """Every module of ``package`` (its directory is ``root``) by dotted name; a package by its own name."""
    out = {}
    for path in root.rglob("*.py"):
        parts = (package, *path.relative_to(root).with_suffix("").parts)
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def package_imports(modules: dict[str, Path]) -> list[Import]:
    """Every import statement of every module, wherever it stands (module level, function, ``TYPE_CHECKING``)."""
    found: list[Import] = []
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        is_package = path.name == "__init__.py"
        in_function: set[int] = set()
        type_checking: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                type_checking |= {id(n) for n in ast.walk(node)}
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                in_function |= {id(n) for n in ast.walk(node)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = tuple(a.name for a in node.names)
                base = names[0]
            elif isinstance(node, ast.ImportFrom):
                package = module if is_package else module.rpartition(".")[0]
                base = (importlib.util.resolve_name("." * node.level + (node.module or ""), package)
                        if node.level else node.module or "")
                names = tuple(f"{base}.{a.name}" for a in node.names)
            else:
                continue
            found.append(Import(module, base, names, node.lineno, id(node) in in_function, id(node) in type_checking))
    return found


def _targets(imp: Import, modules: dict[str, Path], package: str) -> list[str]:
    """The package's modules an import loads (the module itself for ``from module import name``)."""
    found = set()
    for name in (imp.base, *imp.names):
        while name and name not in modules:
            name = name.rpartition(".")[0]
        if name and name.startswith(package):
            found.add(name)
    return sorted(found)


def import_graph(package: str, modules: dict[str, Path]) -> tuple[dict[str, set[str]], list[tuple[str, str, int]]]:
    """Module-level import edges between the package's modules (``TYPE_CHECKING`` blocks left out),
    and every import of one of its modules made inside a function, as (module, target, line)."""
    edges: dict[str, set[str]] = {m: set() for m in modules}
    local: list[tuple[str, str, int]] = []
    for imp in package_imports(modules):
        for target in _targets(imp, modules, package):
            if imp.in_function:
                local.append((imp.module, target, imp.line))
            elif not imp.type_checking and target != imp.module:
                edges[imp.module].add(target)
    # Importing pkg.a.b runs pkg/a/__init__ first: a subpackage's __init__ is an edge.
    # The root package's is not: it is imported before anything else and holds no logic.
    for module in list(edges):
        edges[module].discard(package)
        for target in list(edges[module]):
            parent = target.rpartition(".")[0]
            while parent.startswith(package + ".") and parent != module and not module.startswith(parent + "."):
                edges[module].add(parent)
                parent = parent.rpartition(".")[0]
    return edges, local


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
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
