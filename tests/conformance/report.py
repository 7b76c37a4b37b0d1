"""The conformance report: how much of Zoho's documented Books API the emulator serves, and how well.

    python -m tests.conformance.report                 # summary, per-module table, reports/conformance.json
    python -m tests.conformance.report --module invoices --violations
    python -m tests.conformance.report --by-module      # violations grouped by module, fields named
    python -m tests.conformance.report --write-known   # rewrite known_violations.json from this run

Summary line: ``served N of 515 operations; V schema violations (K listed); filters F of P honoured``.
Verdicts are measured, never assumed: every run sends every operation again (issue 13, issue 16).
"""
from __future__ import annotations

import collections
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import click

from .errata import ERRATA
from .filters import FilterResult
from .oas import REPO_ROOT, load_documents, oas_dir
from .run import ModuleRun, OpResult, Violation, run_document

HERE = Path(__file__).parent
KNOWN_FILE = HERE / "known_violations.json"
CHOICES_FILE = HERE / "filter_choices.json"
REPORT_FILE = REPO_ROOT / "reports" / "conformance.json"


def _entries(path: Path, section: str) -> dict[str, str]:
    if not path.exists():
        return {}
    return dict(json.loads(path.read_text()).get(section) or {})


def known_violations() -> dict[str, str]:
    """Listed emulator violations (schema and filters): key -> why it is still there."""
    return _entries(KNOWN_FILE, "violations")


def filter_choices() -> dict[str, str]:
    """Documented parameters accepted with semantics Zoho does not document (README's choices table):
    ``"<operation_id> <param>"`` or ``"* <param>"`` -> the choice."""
    return _entries(CHOICES_FILE, "choices")


def is_choice(result: FilterResult, choices: dict[str, str]) -> bool:
    return f"{result.operation_id} {result.param}" in choices or f"* {result.param}" in choices


@dataclass
class Conformance:
    runs: list[ModuleRun]
    seconds: float
    known: dict[str, str] = field(default_factory=known_violations)
    choices: dict[str, str] = field(default_factory=filter_choices)

    @property
    def operations(self) -> list[OpResult]:
        return [r for run in self.runs for r in run.operations]

    @property
    def filters(self) -> list[FilterResult]:
        return [f for run in self.runs for f in run.filters]

    @property
    def violations(self) -> list[Violation]:
        return [v for r in self.operations for v in r.violations]

    def filter_failures(self) -> list[FilterResult]:
        """Documented parameters of served lists neither honoured nor a documented choice."""
        return [f for f in self.filters if f.verdict != "honoured" and not is_choice(f, self.choices)]

    def failure_keys(self) -> dict[str, str]:
        """Everything the known list must account for: key -> what happened."""
        out = {v.key: v.message for v in self.violations}
        out.update({f.key: f"{f.verdict}: {f.detail}" for f in self.filter_failures()})
        return out

    def new(self) -> dict[str, str]:
        return {k: v for k, v in self.failure_keys().items() if k not in self.known}

    def stale(self) -> list[str]:
        return sorted(set(self.known) - set(self.failure_keys()))

    def summary(self) -> str:
        served = sum(r.served for r in self.operations)
        listed = sum(v.key in self.known for v in self.violations)
        honoured = sum(f.verdict == "honoured" for f in self.filters)
        chosen = sum(f.verdict != "honoured" and is_choice(f, self.choices) for f in self.filters)
        return (f"served {served} of {len(self.operations)} operations; {len(self.violations)} schema violations "
                f"({listed} listed); filters {honoured} of {len(self.filters)} honoured ({chosen} documented choices)")

    def per_module(self) -> list[dict[str, Any]]:
        out = []
        for run in self.runs:
            out.append({"module": run.module, "operations": len(run.operations),
                        "served": sum(r.served for r in run.operations),
                        "violations": sum(len(r.violations) for r in run.operations),
                        "filters": len(run.filters), "honoured": sum(f.verdict == "honoured" for f in run.filters)})
        return out

    def by_kind(self) -> dict[str, int]:
        return dict(collections.Counter(v.kind for v in self.violations).most_common())

    def grouped(self) -> dict[str, str]:
        """Per module, most violations first: counts by kind and the fields concerned (for handing out)."""
        by_module: dict[str, list[Violation]] = collections.defaultdict(list)
        for r in self.operations:
            by_module[r.module] += r.violations
        for f in self.filter_failures():
            by_module[next(r.module for r in self.operations if r.operation_id == f.operation_id)].append(
                Violation(f.operation_id, "filter", f.param, f.detail))
        out = {}
        for module, found in sorted(by_module.items(), key=lambda kv: -len(kv[1])):
            if found:
                kinds = collections.Counter(v.kind for v in found)
                fields = {kind: sorted({v.path for v in found if v.kind == kind}) for kind in kinds}
                out[module] = "; ".join(f"{kind} {n}: {', '.join(fields[kind])}" for kind, n in kinds.most_common())
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "summary": self.summary(), "seconds": round(self.seconds, 2),
            "served": sum(r.served for r in self.operations), "operations": len(self.operations),
            "violations_by_kind": self.by_kind(),
            "filters_by_verdict": dict(collections.Counter(f.verdict for f in self.filters)),
            "errata": {e.name: e.says for e in ERRATA},
            "modules": self.per_module(), "by_module": self.grouped(),
            "unserved": [f"{r.method} {r.path}" for r in self.operations if not r.served],
            "results": [r.as_dict() for r in self.operations],
            "filter_results": [f.as_dict() for f in self.filters],
            "new": self.new(), "stale": self.stale(),
        }


def measure(modules: Iterable[str] = (), progress: bool = False) -> Conformance:
    """Run every operation of every document (or of ``modules``); raises if the documents are absent."""
    where, why = oas_dir()
    if where is None:
        raise FileNotFoundError(why)
    docs = [d for d in load_documents(where) if not modules or d.module in modules]
    start = time.perf_counter()
    if progress:
        from rich.progress import track

        runs = [run_document(d) for d in track(docs, description="modules")]
    else:
        runs = [run_document(d) for d in docs]
    return Conformance(runs, time.perf_counter() - start)


def default_reason(key: str, what: str) -> str:
    kind = key.split(" ")[1]
    if kind == "missing":
        return "documented field the emulator does not serve yet (issue 13: detail and list field sets)"
    if kind == "filter":
        return f"documented list parameter not honoured yet (issue 13: filters): {what}"
    if kind == "refused":
        return f"the emulator refuses the documented example request: {what}"
    return f"answer differs from the documented schema (issue 13: type conflicts; fix it or prove an erratum): {what}"


def write_known(result: Conformance) -> int:
    """Rewrite the known list from this run, keeping the reasons of entries still there."""
    failures = result.failure_keys()
    kept = {k: result.known.get(k) or default_reason(k, v) for k, v in sorted(failures.items())}
    about = json.loads(KNOWN_FILE.read_text()).get("_about") if KNOWN_FILE.exists() else None
    KNOWN_FILE.write_text(json.dumps({"_about": about or ABOUT, "violations": kept}, indent=1) + "\n")
    return len(kept)


ABOUT = ("Emulator violations of Zoho's Books OpenAPI documents (errata applied) that the conformance test "
         "expects, each with why: '<operation_id> <kind> <json path>' for answers, '<operation_id> filter <param>' "
         "for documented list parameters. A new violation fails the test, and so does a listed one that no "
         "longer happens: remove it here when you fix it.")


def _print(result: Conformance, show: bool, grouped: bool = False) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table("module", "served", "violations", "filters honoured")
    for m in result.per_module():
        table.add_row(m["module"], f"{m['served']}/{m['operations']}", str(m["violations"]),
                      f"{m['honoured']}/{m['filters']}")
    console.print(table)
    console.print("violations by kind: " + ", ".join(f"{k} {n}" for k, n in result.by_kind().items()))
    if show:
        for key, what in sorted(result.failure_keys().items()):
            console.print(f"  {key}: {what}", markup=False, highlight=False)
    if grouped:
        for module, lines in result.grouped().items():
            console.print(f"{module}: {lines}", markup=False, highlight=False)
    for key, what in sorted(result.new().items()):
        console.print(f"NEW {key}: {what}", markup=False, highlight=False)
    for key in result.stale():
        console.print(f"GONE (remove from known_violations.json) {key}", markup=False, highlight=False)
    click.echo(result.summary())  # one line, never wrapped: scripts read it


@click.command()
@click.option("--module", "modules", multiple=True, help="Only this document (its stem, e.g. invoices); repeatable.")
@click.option("--violations", "show", is_flag=True, help="Print every violation and filter failure.")
@click.option("--json-out", type=click.Path(dir_okay=False, path_type=Path), default=REPORT_FILE, show_default=True,
              help="Where to write the JSON report.")
@click.option("--by-module", "grouped", is_flag=True, help="Print the violations grouped by module, with their fields.")
@click.option("--write-known", "rewrite", is_flag=True,
              help="Rewrite known_violations.json from this run (keeps existing reasons; review the diff).")
def cli(modules: tuple[str, ...], show: bool, json_out: Path, grouped: bool, rewrite: bool) -> None:
    """Send every operation of Zoho's Books OpenAPI documents (../shared/zoho-oas or ZOHO_OAS_DIR) to an
    in-process emulator; print the summary and per-module counts and write a JSON report."""
    try:
        result = measure(modules, progress=True)
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc))
    if rewrite:
        click.echo(f"known_violations.json: {write_known(result)} entries written")
        result.known = known_violations()
    _print(result, show, grouped)
    json_out.parent.mkdir(parents=True, exist_ok=True)
    json_out.write_text(json.dumps(result.as_dict(), indent=1) + "\n")
    click.echo(f"report: {json_out}")


if __name__ == "__main__":
    cli()
