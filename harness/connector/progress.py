"""A ``rich`` progress display for ``SyncEngine(progress=...)``: one line per data type with its
records, calls and waits, so a person watching a rate-limited sync sees why it is slow."""
from __future__ import annotations

import threading
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from .engine import SyncProgress

__all__ = ["RichSyncProgress"]


class RichSyncProgress:
    """Use as a context manager; pass the instance as the engine's ``progress`` callback."""

    def __init__(self, console: Console | None = None) -> None:
        self.progress = Progress(SpinnerColumn(), TextColumn("[bold]{task.fields[data_type]:<18}"),
                                 TextColumn("{task.fields[status]:<14}"), BarColumn(),
                                 TextColumn("{task.fields[records]:>6} records  {task.fields[calls]:>5} calls  "
                                            "{task.fields[waits]}"), TimeElapsedColumn(),
                                 console=console, transient=False)
        self._tasks: dict[str, Any] = {}
        self._lock = threading.Lock()

    def __enter__(self) -> "RichSyncProgress":
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def __call__(self, p: SyncProgress) -> None:
        if not p.data_type:
            return
        with self._lock:
            task = self._tasks.get(p.data_type)
            if task is None:
                task = self._tasks[p.data_type] = self.progress.add_task(
                    p.data_type, total=None, data_type=p.data_type, status="", records=0, calls=0, waits="")
            done = p.status not in ("Queued", "Fetching")
            total = p.detail_total or None
            waits = f"{p.waits} waits ({p.waited_s:.0f} s)" if p.waits else ""
            if p.status == "Queued" and p.note:
                waits = p.note
            self.progress.update(task, status=p.status, records=p.records, calls=p.calls, waits=waits,
                                 total=1 if done else total, completed=1 if done else p.detail_done)
