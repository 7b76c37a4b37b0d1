"""Inline SVG charts for the HTML report, drawn here (no chart library, no CDN: the file opens offline).

``calls_chart`` draws an organisation's Books calls per virtual minute as bars against its
per-minute limit (a dashed line) with the 429 answers of each minute in red on top.
"""
from __future__ import annotations

from html import escape

from harness.clock import iso

from .result import OrgTraffic

WIDTH, HEIGHT, PAD_L, PAD_B, PAD_T, PAD_R = 640, 200, 44, 28, 14, 10


IDLE_GAP = 10  # minutes without a call shown as one break (a day's pause would hide the rest)


def _slots(org: OrgTraffic) -> list[tuple[int, int, int]]:
    """(calls, 429s, idle minutes) per slot: minutes as they are, long idle stretches as one break."""
    out: list[tuple[int, int, int]] = []
    idle = 0
    for c, r in zip(org.calls, org.rejected_429):
        if c == 0:
            idle += 1
            continue
        if idle >= IDLE_GAP:
            out.append((0, 0, idle))
        else:
            out.extend([(0, 0, 0)] * idle)
        idle = 0
        out.append((c, r, 0))
    return out


def calls_chart(org: OrgTraffic, max_slots: int = 240) -> str:
    """An SVG of calls (blue) and 429s (red) per minute, with the limit as a dashed line; an idle
    stretch of 10 minutes or more is drawn as one labelled break."""
    slots = _slots(org)[:max_slots]
    calls, rejected = [c for c, _, _ in slots], [r for _, r, _ in slots]
    n = max(len(slots), 1)
    top = max(max(calls, default=0), org.per_minute_limit, 1) * 1.1
    plot_w, plot_h = WIDTH - PAD_L - PAD_R, HEIGHT - PAD_T - PAD_B
    bar_w = plot_w / n

    def y(v: float) -> float:
        return PAD_T + plot_h - v / top * plot_h

    parts = [f'<svg class="chart" role="img" xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
             f'viewBox="0 0 {WIDTH} {HEIGHT}"><title>{escape(org.alias)}: Books calls per minute</title>',
             f'<rect x="{PAD_L}" y="{PAD_T}" width="{plot_w}" height="{plot_h}" fill="#fafafa" stroke="#ccc"/>']
    for i, (c, r, idle) in enumerate(slots):
        x = PAD_L + i * bar_w
        w = max(bar_w - 1, 0.5)
        if idle:
            parts.append(f'<line class="gap" x1="{x + bar_w / 2:.1f}" x2="{x + bar_w / 2:.1f}" y1="{PAD_T}" '
                         f'y2="{y(0):.1f}" stroke="#999" stroke-dasharray="2 3"><title>{idle} min without a call'
                         f'</title></line>')
            parts.append(f'<text x="{x + bar_w / 2 + 3:.1f}" y="{PAD_T + 24}" font-size="10" fill="#777">'
                         f'{idle // 60} h {idle % 60} min idle</text>')
            continue
        ok = c - r
        parts.append(f'<rect class="bar-calls" x="{x:.1f}" y="{y(ok):.1f}" width="{w:.1f}" '
                     f'height="{y(0) - y(ok):.1f}" fill="#6b8fb8"><title>minute {i}: {c} calls, {r} 429</title></rect>')
        if r:
            parts.append(f'<rect class="bar-429" x="{x:.1f}" y="{y(c):.1f}" width="{w:.1f}" '
                         f'height="{y(ok) - y(c):.1f}" fill="#d9534f"/>')
    ly = y(org.per_minute_limit)
    parts.append(f'<line class="limit" x1="{PAD_L}" x2="{WIDTH - PAD_R}" y1="{ly:.1f}" y2="{ly:.1f}" '
                 f'stroke="#c0392b" stroke-dasharray="6 4"/>')
    parts.append(f'<text x="{WIDTH - PAD_R - 4}" y="{ly - 4:.1f}" text-anchor="end" font-size="11" fill="#c0392b">'
                 f'limit {org.per_minute_limit}/min</text>')
    for v in (0, round(top / 1.1 / 2), round(top / 1.1)):
        parts.append(f'<text x="{PAD_L - 6}" y="{y(v) + 4:.1f}" text-anchor="end" font-size="11">{v}</text>')
    parts.append(f'<text x="{PAD_L}" y="{HEIGHT - 8}" font-size="11">{escape(iso(org.start))}</text>')
    parts.append(f'<text x="{WIDTH - PAD_R}" y="{HEIGHT - 8}" text-anchor="end" font-size="11">'
                 f'{len(org.calls)} min (virtual){" (first " + str(max_slots) + " shown)" if len(slots) >= max_slots else ""}</text>')
    parts.append("</svg>")
    return "".join(parts)
