"""Run one scenario: set up its world, walk its steps and checks with timings, and record the result.

Every step and check is timed; the first failing step stops the scenario (later steps would only
fail for the same reason), while every check in ``expect`` runs so one report lists all that is
wrong. A failure carries the emulator-journal entries that explain it.
"""
from __future__ import annotations

import time
import traceback
from typing import Any

from harness.clock import iso
from harness.redact import redact

from .errors import NotAvailable, ScenarioFailure
from .model import Call, Scenario
from .result import OrgTraffic, ScenarioResult, StepResult
from .setup import DEFAULT_SEED, build_emulator, open_target, register_client, start_portal
from .vocabulary import VOCABULARY
from .world import Run, RunOptions

__all__ = ["run_scenario"]

JOURNAL_FIELDS = ("id", "time", "method", "host", "path", "status", "code", "dc", "organization_id", "grant_type",
                  "error", "fault", "area")


def _elapsed_ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 2)


def _journal_rows(run: Run, spec: Any) -> list[dict[str, Any]]:
    """The journal entries a failure points at (a filter or a list), trimmed and redacted."""
    try:
        entries = run.select(spec) if isinstance(spec, dict) else list(spec or [])
        if not entries:
            run.changed()
            entries = run.journal()[-15:]
    except Exception:  # noqa: BLE001  (a report must not fail because the emulator is gone)
        return []
    rows = []
    for e in entries[-20:]:
        row = {k: e.get(k) for k in JOURNAL_FIELDS if e.get(k) not in (None, "")}
        if "time" in row:
            row["time"] = iso(row["time"])
        rows.append(row)
    return redact(rows)


def _traffic(run: Run) -> list[OrgTraffic]:
    """Calls per virtual minute and 429s for every organisation our client called."""
    out = []
    try:
        run.changed()
        entries = [e for e in run.journal() if e.get("area") == "books" and e.get("organization_id")
                   and e.get("client_id") == run.client.get("client_id")]
    except Exception:  # noqa: BLE001
        return out
    for org_id in dict.fromkeys(e["organization_id"] for e in entries):
        mine = [e for e in entries if e["organization_id"] == org_id]
        start = mine[0]["time"] // 60 * 60
        minutes = int((mine[-1]["time"] - start) // 60) + 1
        calls, rejected = [0] * minutes, [0] * minutes
        for e in mine:
            i = int((e["time"] - start) // 60)
            calls[i] += 1
            rejected[i] += e.get("status") == 429
        try:
            limit = run.admin.limits(org_id)["per_minute"]["limit"]
        except Exception:  # noqa: BLE001
            limit = 100
        out.append(OrgTraffic(run.org_alias(org_id) or org_id, org_id, limit, start, calls, rejected))
    return out


def _do(run: Run, call: Call, kind: str, index: int) -> tuple[StepResult, ScenarioFailure | None]:
    """Run one step or check, timed; a failure is returned with its result, not raised."""
    entry = VOCABULARY[call.name]
    start = time.perf_counter()
    try:
        detail = entry.fn(run, **call.args)
    except ScenarioFailure as exc:
        return StepResult(index, kind, call.name, call.line, call.label(), "failed", _elapsed_ms(start),
                          error=redact(str(exc))), exc
    finally:
        run.changed()
    return StepResult(index, kind, call.name, call.line, call.label(), "passed", _elapsed_ms(start),
                      redact(str(detail or ""))), None


def run_scenario(scenario: Scenario, options: RunOptions | None = None) -> ScenarioResult:
    """Run ``scenario`` in a world of its own; never raises for a scenario's own failure."""
    options = options or RunOptions()
    result = ScenarioResult(scenario.name, scenario.title, str(scenario.path), "passed", catalogue=scenario.catalogue,
                            tags=scenario.tags, guards=scenario.guards, target=options.target,
                            mistakes=list(options.mistakes))
    if scenario.skip:
        result.status, result.message = "skipped", scenario.skip
        return result
    if options.target == "live" and not scenario.live:
        result.status, result.message = "skipped", "needs the emulator (its admin API sets up the world)"
        return result
    began = time.perf_counter()
    run: Run | None = None
    index = 0
    current: Call | None = None
    try:
        setup_start = time.perf_counter()
        seed = scenario.setup.get("emulator", {}).get("seed", DEFAULT_SEED)
        target = open_target(options, seed)
        run = Run(scenario, options, target)
        run.closers.append(target.close)
        build_emulator(run)
        if scenario.needs_portal:
            start_portal(run)
        else:
            register_client(run)
        result.steps.append(StepResult(0, "setup", "setup", 1, "setup", "passed", _elapsed_ms(setup_start),
                                       f"{len(run.users)} users, {len(run.orgs)} organisations"))
        for kind, calls in (("step", scenario.steps), ("check", scenario.expect)):
            for call in calls:
                index += 1
                current = call
                done, exc = _do(run, call, "check" if VOCABULARY[call.name].kind == "check" else kind, index)
                result.steps.append(done)
                if exc is not None:
                    result.status = "failed"
                    result.message = result.message or f"line {call.line}, {call.name}: {redact(str(exc))}"
                    result.failed_line = result.failed_line or call.line
                    result.journal = result.journal or _journal_rows(run, exc.journal)
                    if kind == "step":
                        break
            if result.status == "failed":
                break
    except NotAvailable as exc:
        result.status, result.message = "skipped", str(exc)
    except Exception as exc:  # noqa: BLE001  (an error of the harness or the portal is reported, not raised)
        where = f"line {current.line}, {current.name}: " if current else "setup: "
        result.status = "error"
        result.message = redact(f"{where}{type(exc).__name__}: {exc}")
        result.failed_line = current.line if current else None
        result.notes.append(redact("".join(traceback.format_exception(exc))[-4000:]))
        if run is not None:
            result.journal = _journal_rows(run, None)
    finally:
        if run is not None:
            result.orgs = _traffic(run)
            result.notes.extend(redact(run.notes))
            run.close()
        result.duration_s = round(time.perf_counter() - began, 3)
    return result
