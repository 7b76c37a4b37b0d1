"""PNG charts of a run (matplotlib, no display): calls per org per rolling minute against the limit
with 429s over time (every profile), and throughput and latency at rising load (``ceiling``)."""
from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from .verify import WINDOW_S, RunReport  # noqa: E402


def rolling_counts(starts: list[float], grid: np.ndarray, window_s: float = WINDOW_S) -> np.ndarray:
    """Calls in the rolling window ending at each grid instant (``starts`` sorted)."""
    arr = np.asarray(starts, dtype=float)
    return np.searchsorted(arr, grid, side="right") - np.searchsorted(arr, grid - window_s, side="right")


def limits_chart(report: RunReport, series: dict[str, list[float]], path: Path) -> Path:
    """Top: each org's admitted calls in the rolling minute at each instant (thin lines), the busiest
    org's at each instant (bold) and the limit (dashed). Bottom: 429s per virtual minute, by code."""
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(11, 7.5), sharex=True, height_ratios=[3, 1.4])
    limit = max((o.limit for o in report.orgs), default=100)
    end = max((s[-1] for s in series.values() if s), default=0.0) + WINDOW_S
    grid = np.linspace(0.0, end, 600)
    busiest = np.zeros_like(grid)
    for starts in series.values():
        if starts:
            counts = rolling_counts(starts, grid)
            busiest = np.maximum(busiest, counts)
            top.plot(grid / 60.0, counts, linewidth=0.5, alpha=0.3)
    top.plot(grid / 60.0, busiest, color="black", linewidth=1.4, label="busiest org at each instant")
    top.axhline(limit, color="red", linestyle="--", linewidth=1.4, label=f"Zoho limit ({limit} calls/min/org)")
    t = report.totals
    top.set_title(f"Run {report.run_id} ({report.profile}): {t['orgs']} orgs, {t['books_calls']} Books calls, "
                  f"max {t['max_calls_per_org_rolling_minute']}/min per org, overshoot {t['overshoot']}", fontsize=10)
    top.set_ylabel("calls per org in the rolling minute")
    top.set_ylim(0, max(limit * 1.15, float(busiest.max(initial=0)) * 1.1))
    top.legend(loc="upper right", fontsize=8)
    top.grid(alpha=0.3)
    minutes = [m["minute"] for m in report.minutes]
    codes = sorted({k for m in report.minutes for k in m if k.startswith("429_")})
    base = [0] * len(minutes)
    for code, color in zip(codes, ("tab:orange", "tab:red", "tab:purple")):
        values = [m.get(code, 0) for m in report.minutes]
        bottom.bar([x + 0.5 for x in minutes], values, width=0.9, bottom=base, color=color,
                   label=f"429 code {code[4:]}")
        base = [a + b for a, b in zip(base, values)]
    if not codes:
        bottom.text(0.5, 0.5, "no 429s", transform=bottom.transAxes, ha="center", va="center", color="green")
    else:
        bottom.legend(fontsize=8)
    bottom.set_ylabel("429s per minute")
    bottom.set_xlabel(f"virtual minutes since the run's first call (time scale {report.scale:g}x)")
    bottom.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def read_history(csv_prefix: Path) -> list[dict[str, Any]]:
    """Locust's ``<prefix>_stats_history.csv``, Aggregated rows only, as numbers; ``rps`` is each
    row's throughput since the row before (locust's own Requests/s column is a moving average)."""
    path = Path(f"{csv_prefix}_stats_history.csv")
    if not path.exists():
        return []
    rows = []
    with path.open(newline="") as f:
        for row in csv.DictReader(f):
            if row.get("Name") != "Aggregated":
                continue
            try:
                rows.append({"t": int(row["Timestamp"]), "users": int(row["User Count"]),
                             "total": int(row["Total Request Count"]), "p50": float(row["50%"] or 0),
                             "p95": float(row["95%"] or 0)})
            except (KeyError, ValueError):  # locust writes "N/A" before the first request
                continue
    for before, row in zip([None, *rows], rows):  # throughput of each second, from the running total
        span = row["t"] - before["t"] if before else 0
        row["rps"] = (row["total"] - before["total"]) / span if before and span > 0 else 0.0
    return rows


def stages(history: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One line per user count: its mean throughput and its worst p95 (the ceiling's table)."""
    by_users: dict[int, list[dict[str, Any]]] = {}
    for row in history:
        by_users.setdefault(row["users"], []).append(row)
    return [{"users": u, "rps": round(sum(r["rps"] for r in rows) / len(rows), 1),
             "p50_ms": max(r["p50"] for r in rows), "p95_ms": max(r["p95"] for r in rows)}
            for u, rows in sorted(by_users.items()) if u]


def ceiling_chart(history: list[dict[str, Any]], path: Path, title: str) -> Path:
    """Requests per second and latency (p50, p95) over the run, with the user count stepping up."""
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(11, 7), sharex=True)
    if history:
        t0 = history[0]["t"]
        xs = [r["t"] - t0 for r in history]
        top.plot(xs, [r["rps"] for r in history], color="tab:blue", label="requests/s")
        users = top.twinx()
        users.step(xs, [r["users"] for r in history], color="gray", where="post", label="users (orgs)")
        users.set_ylabel("users")
        bottom.plot(xs, [r["p50"] for r in history], label="p50")
        bottom.plot(xs, [r["p95"] for r in history], label="p95")
    top.set_ylabel("requests per second")
    top.set_title(title, fontsize=10)
    top.grid(alpha=0.3)
    bottom.set_ylabel("latency (ms)")
    bottom.set_xlabel("seconds since start")
    bottom.legend(fontsize=8)
    bottom.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
