"""What the load run did, counted on the client side per organisation, summed over locust workers.

Each locust process keeps one ``Tally``; workers send theirs to the master with every stats report
(locust's ``report_to_master`` / ``worker_report`` events, cumulative, so the last one wins), and the
master (or a single process) writes the sum as JSON when it quits. ``load.verify`` then holds it
against the emulator's own journal and limits.
"""
from __future__ import annotations

import json
import threading
from collections import Counter
from pathlib import Path
from typing import Any

REJECT_CODES = (44, 45, 1070)  # per-minute, daily, concurrency: not counted by Zoho (or the emulator)
TALLY_KEY = "zoho_load_tally"


class Tally:
    """Per-org counters of one process: calls, their outcome, records synced, writes made."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.orgs: dict[str, dict[str, Any]] = {}

    def org(self, org_id: str, **info: Any) -> None:
        """Register an org of this run with what verification needs (its user and DC; no secrets)."""
        with self._lock:
            self.orgs.setdefault(org_id, {"counts": Counter(), "created_ids": []}).update(info)

    def count(self, org_id: str, *keys: str, n: int = 1) -> None:
        with self._lock:
            counts = self.orgs.setdefault(org_id, {"counts": Counter(), "created_ids": []})["counts"]
            for key in keys:
                counts[key] += n

    def created(self, org_id: str, record_id: str) -> None:
        with self._lock:
            self.orgs.setdefault(org_id, {"counts": Counter(), "created_ids": []})["created_ids"].append(record_id)

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {org: {**info, "counts": dict(info["counts"]), "created_ids": list(info["created_ids"])}
                    for org, info in self.orgs.items()}


def record_call(tally: Tally, org_id: str, area: str, status: int, code: int | None) -> None:
    """Count one HTTP call the way the emulator's journal and limiter see it."""
    keys = [f"{area}_calls", f"{area}_status_{status}"]
    if area == "books":
        rejected = status == 429 and code in REJECT_CODES
        keys.append("books_rejected" if rejected else "books_admitted")
        if rejected:
            keys.append(f"books_code_{code}")
    if status == 0:
        keys.append("connection_errors")
    elif status >= 500:
        keys.append("server_errors")
    tally.count(org_id, *keys)


def final_tally(path: Path) -> tuple[dict[str, Any] | None, int | None]:
    """The run's per-org counts and the total locust's master received. Workers' own files (written
    when they quit) win over the master's sum, which may lack their last report."""
    master = json.loads(path.read_text()) if path.exists() else None
    received = None if master is None else sum(
        int(i["counts"].get("books_calls", 0)) + int(i["counts"].get("accounts_calls", 0))
        for i in master["orgs"].values())
    workers = sorted(path.parent.glob(f"{path.name}.worker-*.json"))
    if not workers:
        return master, received
    orgs = dict(master["orgs"]) if master else {}
    orgs.update(merge([json.loads(w.read_text())["orgs"] for w in workers]))
    return {"orgs": orgs}, received


def merge(snapshots: list[dict[str, Any]]) -> dict[str, Any]:
    """Sum per-process snapshots (an org lives in one process, but be safe if it did not)."""
    out: dict[str, Any] = {}
    for snap in snapshots:
        for org, info in snap.items():
            into = out.setdefault(org, {"counts": Counter(), "created_ids": []})
            into["counts"].update(info.get("counts", {}))
            into["created_ids"].extend(info.get("created_ids", []))
            into.update({k: v for k, v in info.items() if k not in ("counts", "created_ids")})
    return {org: {**info, "counts": dict(info["counts"])} for org, info in out.items()}


class TallyCollector:
    """Wires a process's ``Tally`` into locust: workers report it, the master keeps the latest per
    worker, and whoever owns the run writes the merged JSON to ``path`` when locust quits."""

    def __init__(self, environment: Any, tally: Tally, path: str | None) -> None:
        self.environment, self.tally, self.path = environment, tally, path
        self.from_workers: dict[str, dict[str, Any]] = {}
        events = environment.events
        events.report_to_master.add_listener(self._report)
        events.worker_report.add_listener(self._received)
        events.quit.add_listener(self._write)  # after the runner quit: workers' final reports are in

    def _report(self, client_id: str, data: dict[str, Any]) -> None:
        data[TALLY_KEY] = self.tally.snapshot()

    def _received(self, client_id: str, data: dict[str, Any]) -> None:
        if TALLY_KEY in data:
            self.from_workers[client_id] = data[TALLY_KEY]

    def merged(self) -> dict[str, Any]:
        return merge([self.tally.snapshot(), *self.from_workers.values()])

    def _write(self, **_: Any) -> None:
        """The master (or a single process) writes the sum it received; a worker writes its own final
        counts beside it (``<path>.worker-<n>.json``, on its machine): locust's master waits only half
        a second for the workers' last reports when it quits, and a busy worker can miss that."""
        from locust.runners import WorkerRunner

        options = self.environment.parsed_options  # a worker learns the master's options at spawn
        target = self.path or getattr(options, "tally_out", "") or ""
        if not target:
            return
        runner = self.environment.runner
        path, orgs = Path(target), self.merged()
        if isinstance(runner, WorkerRunner):
            path, orgs = Path(f"{target}.worker-{runner.worker_index}.json"), self.tally.snapshot()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"orgs": orgs}, indent=1, sort_keys=True))
