"""harness's structure, read from the source with ast (tests/import_graph.py walks it): no import
circle, no dodge of one inside a function, and the emulator reached only through mock_zoho.testing."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import harness
from tests.import_graph import circles, import_graph, package_imports, package_modules

PACKAGE = "harness"
ROOT = Path(harness.__file__).resolve().parent
MODULES = package_modules(PACKAGE, ROOT)
# Function-local imports of harness modules that are allowed. The pytest plugin loads in every pytest
# run of the project, so it imports the connector and the scenario items only in the hooks that need
# them. Kept explicit so a new one is a decision.
CHEAP_PLUGIN_PATH = {("harness.pytest_plugin", "harness.connector.settings"),
                     ("harness.pytest_plugin", "harness.scenarios.pytest_items")}
# What a step or check module is: it registers itself with the registry when imported.
STEP_MODULES = {"harness.scenarios.steps_zoho", "harness.scenarios.steps_portal",
                "harness.scenarios.checks_zoho", "harness.scenarios.checks_portal"}
EMULATOR_API = "mock_zoho.testing"


def _graph() -> tuple[dict[str, set[str]], list[tuple[str, str, int]]]:
    return import_graph(PACKAGE, MODULES)


def test_the_walk_sees_the_package():
    edges, _ = _graph()
    assert STEP_MODULES <= edges["harness.scenarios.vocabulary"]
    assert "harness.connector" in edges["harness.portal.platform"]


def test_no_import_circle():
    edges, _ = _graph()
    assert circles(edges) == []


def test_a_circle_and_a_forbidden_import_would_be_found(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from .sub import b\n")
    (pkg / "sub" / "b.py").write_text("from ..a import thing\nfrom mock_zoho.storage import MemoryStore\n")
    (pkg / "c.py").write_text("def f():\n    from pkg.a import thing\n")
    modules = package_modules("pkg", pkg)
    edges, local = import_graph("pkg", modules)
    assert circles(edges) == [["pkg.a", "pkg.sub.b"]]
    assert local == [("pkg.c", "pkg.a", 2)]
    assert _reaching_past_testing(modules) == ["pkg.sub.b:2 imports mock_zoho.storage.MemoryStore"]


def test_no_function_local_import_of_harness_modules():
    """A function-local import of our own modules is the dodge of a circle, bar the plugin's cheap path."""
    _, local = _graph()
    dodges = [f"{m}:{line} imports {t}" for m, t, line in local if (m, t) not in CHEAP_PLUGIN_PATH]
    assert dodges == []


def _reaching_past_testing(modules: dict[str, Path]) -> list[str]:
    return [f"{imp.module}:{imp.line} imports {name}" for imp in package_imports(modules) for name in imp.names
            if name.split(".")[0] == "mock_zoho" and name != EMULATOR_API and not name.startswith(EMULATOR_API + ".")]


def test_harness_reaches_the_emulator_only_through_mock_zoho_testing():
    """The rule of the house: the same harness code must run against the real Zoho."""
    assert _reaching_past_testing(MODULES) == []


def test_steps_register_themselves_and_only_the_vocabulary_imports_them():
    """One direction: registry <- steps and checks <- vocabulary <- loader, runner, schema."""
    edges, _ = _graph()
    assert edges["harness.scenarios.registry"] == set()
    importers = {m for m, targets in edges.items() if targets & STEP_MODULES} - STEP_MODULES
    assert importers == {"harness.scenarios.vocabulary"}


def test_the_pytest_plugin_stays_cheap_to_import():
    """It loads in every pytest run of the project: no web framework, HTTP client, schema or emulator."""
    heavy = ("flask", "requests", "jsonschema", "yaml", "rich", "mock_zoho", "harness.connector", "harness.portal")
    code = ("import sys, harness.pytest_plugin; "
            f"print(' '.join(m for m in {heavy!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == ""


def test_the_plugins_mistake_names_are_the_connectors():
    from harness.connector.settings import MISTAKES
    from harness.pytest_plugin import MISTAKE_NAMES
    assert MISTAKE_NAMES == MISTAKES
