"""``zoho-harness``: run the scenario library and say plainly what passed, what failed and why.

``run`` is a thin layer over pytest (in this process, with the project's pytest plugin), adding
live progress on the terminal (rich: a bar, the scenario running) and a summary table at the end;
``list`` and ``validate`` read the files only; ``serve`` starts an emulator and a portal together
for a person to click through; ``schema`` prints the scenario JSON Schema for editors.
"""
from __future__ import annotations

import contextlib
import importlib.util
import io
import sys
from pathlib import Path
from typing import Sequence

import click
import pytest
from rich.console import Console
from rich.table import Table

from harness.connector.settings import MISTAKES
from harness.scenarios.loader import load_many
from harness.scenarios.progress import Progress
from harness.scenarios.schema import SCHEMA_FILE, editor_schema_text, reference_markdown
from harness.scenarios.serve import serve_forever

EXIT_FAILED = 1


def default_library() -> Path:
    """``./scenarios`` when there is one, else the library shipped beside the package."""
    here = Path.cwd() / "scenarios"
    return here if here.is_dir() else Path(__file__).resolve().parents[1] / "scenarios"


def _paths(paths: Sequence[str]) -> list[str]:
    return list(paths) or [str(default_library())]


def _mistakes_help() -> str:
    return f"switch a connector mistake on for the whole run (repeatable): {', '.join(MISTAKES)}"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Run setup-and-link scenarios against an emulated (or the real) Zoho Books."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("-k", "keyword", metavar="EXPR", help="only scenarios whose name or tags match (pytest -k)")
@click.option("-m", "markexpr", metavar="EXPR", help="only scenarios whose tags match (pytest -m)")
@click.option("-n", "workers", default="auto", show_default=True, metavar="N",
              help="scenarios in parallel (pytest-xdist): a number, auto, or 0 for one process")
@click.option("--target", default="inprocess", show_default=True, metavar="URL",
              help="inprocess (an emulator per scenario, no port), an emulator URL, or live")
@click.option("--connector-mistake", "mistakes", multiple=True, metavar="NAME", help=_mistakes_help())
@click.option("--report", "report_dir", default="reports/latest", show_default=True, type=click.Path(),
              help="where report.json, report.html and junit.xml go")
@click.option("--quiet", "-q", is_flag=True, help="no live progress (CI logs)")
@click.option("--pytest-arg", "extra", multiple=True, metavar="ARG", help="passed to pytest as is (repeatable)")
def run(paths: tuple[str, ...], keyword: str | None, markexpr: str | None, workers: str, target: str,
        mistakes: tuple[str, ...], report_dir: str, quiet: bool, extra: tuple[str, ...]) -> None:
    """Run scenarios (default: the whole library) and write the reports."""
    for m in mistakes:
        if m not in MISTAKES:
            raise click.BadParameter(f"{m!r} is not a connector mistake (known: {', '.join(MISTAKES)})",
                                     param_hint="--connector-mistake")
    if target not in ("inprocess", "live") and not target.startswith(("http://", "https://")):
        raise click.BadParameter("inprocess, live, or an emulator URL such as http://127.0.0.1:8080",
                                 param_hint="--target")
    if workers not in ("0", "1") and importlib.util.find_spec("xdist") is None:
        click.echo("note: pytest-xdist is not installed, so scenarios run one at a time", err=True)
        workers = "0"
    if target not in ("inprocess", "live") and workers not in ("0", "1"):
        click.echo(f"note: one remote emulator is shared, so scenarios run one at a time (-n {workers} ignored)",
                   err=True)
        workers = "0"
    _check_files(_paths(paths))
    report = Path(report_dir)
    args = [*_paths(paths), "-p", "no:cacheprovider", "--zoho-target", target, "--scenario-report", str(report),
            f"--junitxml={report / 'junit.xml'}", "-o", "junit_suite_name=zoho-harness",
            "--rootdir", str(Path.cwd()), "-o", "addopts=", "--capture=sys", "--tb=short"]
    if workers not in ("0", "1"):
        args += ["-n", workers]
    else:
        args += ["-p", "no:xdist"]
    for m in mistakes:
        args += ["--connector-mistake", m]
    if keyword:
        args += ["-k", keyword]
    if markexpr:
        args += ["-m", markexpr]
    args += list(extra)
    progress = Progress(quiet=quiet, mistakes=mistakes)
    swallowed = io.StringIO()
    with progress, contextlib.redirect_stdout(swallowed):
        code = pytest.main(args, plugins=[progress])
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED, pytest.ExitCode.NO_TESTS_COLLECTED):
        click.echo(swallowed.getvalue()[-4000:], err=True)
    progress.summary(report)
    sys.exit(0 if code == pytest.ExitCode.OK else EXIT_FAILED if code == pytest.ExitCode.TESTS_FAILED else int(code))


def _check_files(paths: list[str]) -> None:
    """Print every malformed file before running (they fail alone; the others still run)."""
    _, bad = load_many(paths)
    for err in bad:
        click.secho(f"invalid scenario: {err}", fg="red", err=True)


@main.command("list")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
def list_(paths: tuple[str, ...]) -> None:
    """List scenarios with their one-line purpose, tags and the mistakes they guard against."""
    good, bad = load_many(_paths(paths))
    table = Table(title=f"{len(good)} scenarios", show_lines=False)
    table.add_column("#", justify="right")
    table.add_column("name", no_wrap=True)
    table.add_column("purpose", ratio=1)
    table.add_column("tags")
    table.add_column("guards")
    for s in sorted(good, key=lambda s: (s.catalogue is None, s.catalogue or 0, s.name)):
        purpose = s.title + (f" [dim](skipped: {s.skip})[/dim]" if s.skip else "")
        table.add_row(str(s.catalogue or ""), s.name, purpose, " ".join(s.tags), " ".join(s.guards))
    console = Console()
    console.print(table)
    for err in bad:
        console.print(f"[red]invalid[/red] {err}", markup=True, highlight=False)
    sys.exit(EXIT_FAILED if bad else 0)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
def validate(paths: tuple[str, ...]) -> None:
    """Check scenario files (YAML, schema, step names and arguments, aliases); runs nothing."""
    good, bad = load_many(_paths(paths))
    for err in bad:
        click.secho(str(err), fg="red", err=True)
    click.echo(f"{len(good)} valid, {len(bad)} invalid")
    sys.exit(EXIT_FAILED if bad else 0)


@main.command()
@click.option("--check", is_flag=True, help="exit 1 if the committed schema file is out of date")
def schema(check: bool) -> None:
    """Print the scenario JSON Schema (what editors validate YAML with)."""
    text = editor_schema_text()
    if check:
        current = SCHEMA_FILE.read_text(encoding="utf-8") if SCHEMA_FILE.exists() else ""
        if current != text:
            click.secho(f"{SCHEMA_FILE} is out of date: run `zoho-harness schema > {SCHEMA_FILE}`", fg="red", err=True)
            sys.exit(EXIT_FAILED)
        click.echo(f"{SCHEMA_FILE} is up to date")
        return
    click.echo(text, nl=False)


@main.command()
def steps() -> None:
    """Print every step and check with its arguments (a Markdown table)."""
    click.echo(reference_markdown(), nl=False)


@main.command()
@click.option("--port", default=0, type=click.IntRange(0, 65535), help="portal port (default: a free one)")
@click.option("--zoho", "zoho_url", default=None, metavar="URL",
              help="use an emulator already running at URL (default: start one with the demo world)")
@click.option("--seed", default=1234, type=int, show_default=True, help="the started emulator's seed")
def serve(port: int, zoho_url: str | None, seed: int) -> None:
    """Start an emulator (demo world) and a portal with its keys saved, for a person to click through."""
    serve_forever(port=port, zoho_url=zoho_url, seed=seed)


if __name__ == "__main__":  # pragma: no cover
    main()
