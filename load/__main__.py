"""``python -m load``: bounded, loopback-only locust runs of the load profiles, and their verdicts.

    python -m load run                      # profile "limits": 100 orgs, 60 s, own emulator (make load)
    python -m load run ceiling --locust-workers 2
    python -m load verify --host URL --run-id ID --out DIR   # after a locust run you started yourself
"""
from __future__ import annotations

import ipaddress
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlsplit

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from mock_zoho import testing
from mock_zoho.testing import stop_process

from .chart import ceiling_chart, limits_chart, read_history, stages
from .options import parse_counts, parse_dcs, parse_run_time, parse_steps
from .tally import final_tally
from .verify import RunReport, collect, read_locust_total

ROOT = Path(__file__).resolve().parents[1]
LOCUSTFILES = {name: ROOT / f"load/locustfiles/{name}.py" for name in ("limits", "ceiling", "connector")}
JOURNAL_ENTRIES = 400_000  # the run's every call must stay in the journal for the verdict
STOP_TIMEOUT_S = 10
console = Console()


def _is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    try:
        return all(ipaddress.ip_address(info[4][0]).is_loopback
                   for info in socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP))
    except (socket.gaierror, ValueError):
        return False


def _seconds(run_time: str) -> int:
    try:
        return parse_run_time(run_time)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--run-time") from None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _profile_args(profile: str, opts: dict[str, object]) -> list[str]:
    args = ["--run-id", str(opts["run_id"]), "--dcs", str(opts["dcs"]), "--records", str(opts["records"]),
            "--budget", str(opts["budget"]), "--per-minute", str(opts["per_minute"]),
            "--poll-vmin", str(opts["poll_vmin"]), "--writes", str(opts["writes"]), "--refresh", str(opts["refresh"])]
    return args + (["--steps", str(opts["steps"])] if profile == "ceiling" else [])


def locust_commands(profile: str, host: str, out: Path, users: int, spawn_rate: float, run_time: str,
                    locust_workers: int, opts: dict[str, object]) -> tuple[list[str], list[list[str]]]:
    """The master (or single) locust command and its local workers' commands."""
    base = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILES[profile])]
    main = [*base, "--headless", "--host", host, "--run-time", run_time, "--stop-timeout", str(STOP_TIMEOUT_S),
            "--csv", str(out / "locust"), "--csv-full-history", "--html", str(out / "locust.html"),
            "--json-file", str(out / "locust_stats"),
            "--exit-code-on-error", "0", "--only-summary", "--tally-out", str(out / "tally.json"),
            *_profile_args(profile, opts)]
    if profile != "ceiling":
        main += ["--users", str(users), "--spawn-rate", str(spawn_rate)]
    workers: list[list[str]] = []
    if locust_workers:
        port = _free_port()
        main += ["--master", "--master-bind-host", "127.0.0.1", "--master-bind-port", str(port),
                 "--expect-workers", str(locust_workers), "--expect-workers-max-wait", "60"]
        workers = [[*base, "--worker", "--master-host", "127.0.0.1", "--master-port", str(port)]
                   for _ in range(locust_workers)]
    return main, workers


def run_locust(main: list[str], workers: list[list[str]], out: Path, seconds: int) -> int:
    """Start the workers and the master, show progress until the master ends; kill what overstays."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    with ExitStack() as stack:
        procs = []
        for i, cmd in enumerate(workers):
            log = stack.enter_context((out / f"locust-worker-{i + 1}.log").open("w"))
            procs.append(subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT))
        log = stack.enter_context((out / "locust.log").open("w"))
        master = subprocess.Popen(main, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
        deadline = time.monotonic() + seconds + STOP_TIMEOUT_S + 90
        with Progress(TextColumn("[bold]locust[/]"), BarColumn(), TextColumn("{task.completed:.0f}/{task.total} s"),
                      TimeRemainingColumn(), console=console, transient=True) as bar:
            task = bar.add_task("run", total=seconds)
            started = time.monotonic()
            while master.poll() is None and time.monotonic() < deadline:
                bar.update(task, completed=min(seconds, time.monotonic() - started))
                time.sleep(0.5)
        for p in [master, *procs]:
            stop_process(p, timeout=20)
        return master.returncode


def _emulator(host: str | None, allow_remote: bool, emulator_workers: int, store: str, time_scale: float):
    """The target: an emulator the run starts itself (``serve --workers``), or one at ``--host``."""
    if host:
        if not _is_loopback(host) and not allow_remote:
            raise click.BadParameter(f"{host} is not a loopback address; load runs target this machine unless "
                                     "--allow-remote is given", param_hint="--host")
        target = testing.remote(host)
    else:
        target = testing.workers(emulator_workers, store=store)
    # the scale as a setting, not POST /__admin/clock: under --workers a later config change makes the
    # other workers take server.time_scale again (see load/README.md)
    target.admin.set_config({"server.time_scale": time_scale, "journal.max_entries": JOURNAL_ENTRIES})
    return target


def print_report(report: RunReport, out: Path, extra: list[dict[str, object]] | None = None) -> None:
    t = report.totals
    table = Table(title=f"load run {report.run_id} ({report.profile}), {report.virtual_minutes:.1f} virtual minutes")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for key in ("orgs", "books_calls", "admitted", "token_calls", "rate_limited", "server_errors",
                "connection_errors", "max_calls_per_org_rolling_minute", "mean_calls_per_org_minute", "overshoot",
                "writes", "lost_writes", "records_synced", "records_per_virtual_hour", "locust_requests",
                "tally_requests", "late_worker_calls"):
        table.add_row(key.replace("_", " "), str(t.get(key)))
    console.print(table)
    if extra:
        stage_table = Table(title="throughput by load stage")
        for col in ("users", "rps", "p50_ms", "p95_ms"):
            stage_table.add_column(col, justify="right")
        for row in extra:
            stage_table.add_row(*(str(row[c]) for c in ("users", "rps", "p50_ms", "p95_ms")))
        console.print(stage_table)
    for failure in report.failures[:20]:
        console.print(f"[red]FAIL[/] {failure}")
    verdict = "[green]PASS[/]" if report.ok else "[red]FAIL[/]"
    console.print(f"{verdict}  reports in {out}: locust.html, locust_stats.csv, locust_stats.json, chart.png, "
                  "verdict.json")


def locust_exceptions(path: Path) -> int:
    """Exceptions locust users raised (its ``_exceptions.csv``: Count column), 0 when none or absent."""
    if not path.exists():
        return 0
    import csv

    with path.open(newline="") as f:
        return sum(int(row.get("Count") or 0) for row in csv.DictReader(f))


def verify_and_report(target, run_id: str, profile: str, out: Path) -> RunReport:
    tally_path = out / "tally.json"
    tally, received = final_tally(tally_path)
    report, series = collect(target, run_id, profile, tally, read_locust_total(out / "locust_stats"),
                             received_total=received)
    if tally is None:
        report.failures.append(f"no {tally_path}: locust did not finish (see {out / 'locust.log'})")
    exceptions = locust_exceptions(out / "locust_exceptions.csv")
    if exceptions:
        report.failures.append(f"locust users raised {exceptions} exception(s): see {out / 'locust_exceptions.csv'}")
    extra = None
    if profile == "ceiling":
        history = read_history(out / "locust")
        extra = stages(history)
        ceiling_chart(history, out / "chart.png", f"Run {run_id} (ceiling): throughput and latency at rising load")
        limits_chart(report, series, out / "limits-chart.png")
    else:
        limits_chart(report, series, out / "chart.png")
    payload = json.loads(report.to_json())
    payload["stages"] = extra
    (out / "verdict.json").write_text(json.dumps(payload, indent=1))
    print_report(report, out, extra)
    return report


def _checked(parse):
    """A click callback running one of load.options' parsers (their errors name the option)."""
    def callback(ctx: click.Context, param: click.Parameter, value: str) -> str:
        try:
            parse(value)
        except ValueError as exc:
            raise click.BadParameter(str(exc).split(": ", 1)[-1]) from None
        return value
    return callback


PROFILE_OPTIONS = [
    click.option("--dcs", default="us,eu,in,au,jp,ca,sa,uk", show_default=True, callback=_checked(parse_dcs),
                 help="Data centers the orgs spread over."),
    click.option("--records", default="contacts=30,invoices=90", show_default=True, callback=_checked(parse_counts),
                 help="Records seeded per org and synced (contacts, invoices, items, bills)."),
    click.option("--per-minute", default=0, show_default=True, type=click.IntRange(0),
                 help="Override each org's per-minute limit (0: Zoho's 100)."),
    click.option("--budget", default=0.9, show_default=True, type=click.FloatRange(0, 1),
                 help="Share of the per-minute limit the integration allows itself (0: no pacing)."),
    click.option("--poll-vmin", default=2.0, show_default=True, type=click.FloatRange(0),
                 help="Virtual minutes between an org's sync jobs."),
    click.option("--writes", default=1, show_default=True, type=click.IntRange(0), help="Contacts created per job."),
    click.option("--refresh", type=click.Choice(["job", "cached"]), default="job", show_default=True,
                 help="Refresh the access token at each job (job) or when it runs out (cached)."),
    click.option("--steps", default="4:10,8:10,16:10", show_default=True, callback=_checked(parse_steps),
                 help="ceiling: users:seconds stages of rising load."),
]


def profile_options(f):
    for option in reversed(PROFILE_OPTIONS):
        f = option(f)
    return f


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Load tests of a Zoho Books integration against the emulator (locust)."""


@main.command()
@click.argument("profile", type=click.Choice(sorted(LOCUSTFILES)), default="limits")
@click.option("--host", help="Emulator base URL (loopback). Default: start `serve --workers` on a free port.")
@click.option("--allow-remote", is_flag=True, help="Allow a --host that is not on this machine.")
@click.option("--users", default=100, show_default=True, type=click.IntRange(1, 2000),
              help="Simulated organisations (one locust user each); ceiling: see --steps.")
@click.option("--spawn-rate", default=25.0, show_default=True, type=click.FloatRange(0, min_open=True))
@click.option("--run-time", default="60s", show_default=True, help="Bounded run time (locust syntax: 60s, 2m).")
@click.option("--time-scale", default=10.0, show_default=True, type=click.FloatRange(0, min_open=True),
              help="Virtual seconds per real second on the emulator (10: a Zoho minute lasts 6 s).")
@click.option("--locust-workers", default=0, show_default=True, type=click.IntRange(0, 16),
              help="Distributed mode: one master and N local workers (0: one process).")
@click.option("--emulator-workers", default=2, show_default=True, type=click.IntRange(1, 32),
              help="Processes of the emulator this run starts (without --host).")
@click.option("--store", default="auto", show_default=True, help="Store of the emulator this run starts.")
@click.option("--out", type=click.Path(file_okay=False), help="Report folder (default reports/load/<profile>-<time>).")
@profile_options
def run(profile: str, host: str | None, allow_remote: bool, users: int, spawn_rate: float, run_time: str,
        time_scale: float, locust_workers: int, emulator_workers: int, store: str, out: str | None,
        **opts: object) -> None:
    """Run one load profile for a bounded time, then check the run against the emulator's journal."""
    seconds = _seconds(run_time)
    if profile == "ceiling":
        try:
            seconds = int(sum(s for _, s in parse_steps(str(opts["steps"])))) + 2
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--steps") from None
        run_time = f"{seconds}s"
    folder = Path(out or ROOT / "reports" / "load" / f"{profile}-{time.strftime('%Y%m%d-%H%M%S')}")
    folder.mkdir(parents=True, exist_ok=True)
    opts["run_id"] = uuid.uuid4().hex[:8]
    with _emulator(host, allow_remote, emulator_workers, store, time_scale) as target:
        console.print(f"emulator {target.base} (time scale {time_scale:g}x), run {opts['run_id']}, "
                      f"{'steps ' + str(opts['steps']) if profile == 'ceiling' else f'{users} orgs'}, {run_time}, "
                      f"{'%d locust workers' % locust_workers if locust_workers else 'one locust process'}")
        main_cmd, worker_cmds = locust_commands(profile, target.base, folder, users, spawn_rate, run_time,
                                                locust_workers, opts)
        rc = run_locust(main_cmd, worker_cmds, folder, seconds)
        report = verify_and_report(target, str(opts["run_id"]), profile, folder)
    if rc not in (0, None):
        console.print(f"[red]locust exited with {rc}[/] (see {folder / 'locust.log'})")
    sys.exit(0 if report.ok and rc == 0 else 1)


@main.command()
@click.option("--host", required=True, help="The emulator the run targeted.")
@click.option("--run-id", required=True, help="The --run-id given to the locust master.")
@click.option("--out", required=True, type=click.Path(file_okay=False),
              help="The folder holding the run's locust CSV (locust_*.csv) and tally.json.")
@click.option("--profile", type=click.Choice(sorted(LOCUSTFILES)), default="limits", show_default=True)
def verify(host: str, run_id: str, out: str, profile: str) -> None:
    """Check a run you started with locust yourself (e.g. distributed over machines) and chart it."""
    report = verify_and_report(testing.remote(host), run_id, profile, Path(out))
    sys.exit(0 if report.ok else 1)


if __name__ == "__main__":
    main()
