"""Charts for pages: a server-drawn SVG (works with scripts off) and the same numbers as
JSON for the vendored uPlot, which `static/charts.js` draws over it when scripts run.

A chart is panels stacked on one time axis (daily pain over daily load, say); each panel
has its own value axis with its unit. Every chart has axes, dates (or elapsed minutes)
and units. A route is drawn from the activity's own coordinates (no map tiles).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Literal

from markupsafe import Markup, escape

WIDTH, PANEL_H, LEFT, RIGHT, TOP, BOTTOM = 640, 150, 48, 12, 14, 30
COLOURS = ("#1f5fbf", "#b3261e", "#2e7d32", "#8a4b00")
XKind = Literal["date", "minutes"]


@dataclass(frozen=True)
class Line:
    """One series: its name, values (None where missing) and whether drawn as bars."""

    label: str
    values: Sequence[float | None]
    bars: bool = False


@dataclass(frozen=True)
class Panel:
    """A band of the chart with one value axis (`unit` names it)."""

    unit: str
    lines: tuple[Line, ...]
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class Chart:
    """Panels over one x axis: days (epoch seconds of each day) or minutes from the start."""

    title: str
    x: Sequence[float]
    kind: XKind
    panels: tuple[Panel, ...] = field(default_factory=tuple)


def day_seconds(days: Sequence[date]) -> list[float]:
    """Each day as epoch seconds at midnight UTC (uPlot's time axis)."""
    return [datetime(d.year, d.month, d.day, tzinfo=UTC).timestamp() for d in days]


def render(chart: Chart) -> Markup:
    """The chart as a figure: SVG fallback plus its numbers for the interactive chart."""
    data = {"title": chart.title, "kind": chart.kind, "x": list(chart.x),
            "panels": [{"unit": p.unit, "low": p.low, "high": p.high,
                        "lines": [{"label": s.label, "values": list(s.values), "bars": s.bars}
                                  for s in p.lines]} for p in chart.panels]}  # fmt: skip
    payload = json.dumps(data, allow_nan=False).replace("</", "<\\/")
    svg = _svg(chart)
    legend = "".join(
        f'<li><span class="swatch swatch-{i % len(COLOURS)}"></span>'
        f"{escape(s.label)} ({escape(p.unit)})</li>"
        for p in chart.panels for i, s in enumerate(p.lines)
    )  # fmt: skip
    return Markup(
        f'<figure class="chart" data-chart><figcaption>{escape(chart.title)}</figcaption>'
        f'<div class="chart-plot">{svg}</div><ul class="legend">{legend}</ul>'
        f'<script type="application/json">{payload}</script></figure>'
    )


def _svg(chart: Chart) -> str:
    n = len(chart.panels)
    height = n * PANEL_H + BOTTOM
    parts = [f'<svg class="chart-svg" viewBox="0 0 {WIDTH} {height}" role="img" '
             f'aria-label="{escape(_summary(chart))}">']  # fmt: skip
    x0, x1 = (min(chart.x), max(chart.x)) if chart.x else (0.0, 1.0)
    span = (x1 - x0) or 1.0
    for i, panel in enumerate(chart.panels):
        parts.append(_panel(panel, chart.x, x0, span, i * PANEL_H))
    parts.append(_x_axis(chart, x0, span, n * PANEL_H))
    parts.append("</svg>")
    return "".join(parts)


def _summary(chart: Chart) -> str:
    what = "; ".join(f"{s.label} in {p.unit}" for p in chart.panels for s in p.lines)
    return f"{chart.title}: {what}, over {len(chart.x)} points"


def _panel(panel: Panel, xs: Sequence[float], x0: float, span: float, top: float) -> str:
    values = [v for s in panel.lines for v in s.values if v is not None]
    low = panel.low if panel.low is not None else min([0.0, *values])
    high = panel.high if panel.high is not None else max([1.0, *values])
    inner = PANEL_H - TOP - 10
    plot_w = WIDTH - LEFT - RIGHT

    def y(v: float) -> float:
        return top + TOP + inner - (v - low) / ((high - low) or 1.0) * inner

    def x(v: float) -> float:
        return LEFT + (v - x0) / span * plot_w

    out = [f'<text class="unit" x="4" y="{top + 10}">{escape(panel.unit)}</text>']
    for tick in _ticks(low, high):
        out.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" '
                   f'y2="{y(tick):.1f}"/><text class="tick" x="{LEFT - 6}" y="{y(tick) + 4:.1f}" '
                   f'text-anchor="end">{tick:g}</text>')  # fmt: skip
    bar_w = max(1.5, plot_w / max(len(xs), 1) * 0.7)
    for i, line in enumerate(panel.lines):
        colour = COLOURS[i % len(COLOURS)]
        pts = [(x(xv), y(v)) for xv, v in zip(xs, line.values, strict=True) if v is not None]
        if line.bars:
            out += [
                f'<rect x="{px - bar_w / 2:.1f}" y="{py:.1f}" width="{bar_w:.1f}" '
                f'height="{max(y(low) - py, 0):.1f}" fill="{colour}"/>'
                for px, py in pts
            ]
        elif pts:
            coords = " ".join(f"{px:.1f},{py:.1f}" for px, py in pts)
            out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" '
                       f'points="{coords}"/>')  # fmt: skip
    return "".join(out)


def _x_axis(chart: Chart, x0: float, span: float, top: float) -> str:
    plot_w = WIDTH - LEFT - RIGHT
    out = [f'<line class="axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{top}" y2="{top}"/>']
    for value in _ticks(x0, x0 + span, count=5):
        px = LEFT + (value - x0) / span * plot_w
        out.append(f'<text class="tick" x="{px:.1f}" y="{top + 18}" text-anchor="middle">'
                   f"{escape(_x_label(chart.kind, value, x0))}</text>")  # fmt: skip
    return "".join(out)


def _x_label(kind: XKind, value: float, x0: float) -> str:
    if kind == "minutes":
        return f"{(value - x0) / 60:.0f} min"
    return datetime.fromtimestamp(value, UTC).strftime("%d %b %Y")


def _ticks(low: float, high: float, *, count: int = 4) -> list[float]:
    """Round tick values from low to high (about `count` of them)."""
    span = high - low
    if span <= 0:
        return [low]
    raw = span / count
    step = 10 ** math.floor(math.log10(raw))
    step *= next(m for m in (1, 2, 5, 10) if step * m >= raw)
    first = math.ceil(low / step) * step
    return [first + i * step for i in range(int((high - first) / step) + 1)]


def route(lat: Sequence[float], lon: Sequence[float], *, label: str) -> Markup:
    """The route as an SVG line from its own coordinates (north up), start and finish marked."""
    pts = [(a, b) for a, b in zip(lat, lon, strict=True) if math.isfinite(a) and math.isfinite(b)]
    if len(pts) < 2:
        return Markup("")
    mid = math.cos(math.radians(sum(a for a, _ in pts) / len(pts)))
    xs = [b * mid for _, b in pts]
    ys = [a for a, _ in pts]
    size = max(max(xs) - min(xs), max(ys) - min(ys)) or 1e-9
    scale = 300 / size
    coords = [
        ((x - min(xs)) * scale + 10, (max(ys) - y) * scale + 10)
        for x, y in zip(xs, ys, strict=True)
    ]
    w, h = max(c[0] for c in coords) + 10, max(c[1] for c in coords) + 10
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords[:: max(1, len(coords) // 800)])
    (sx, sy), (ex, ey) = coords[0], coords[-1]
    return Markup(
        f'<svg class="route" viewBox="0 0 {w:.0f} {h:.0f}" role="img" aria-label="{escape(label)}">'
        f'<polyline fill="none" stroke="#1f5fbf" stroke-width="3" points="{line}"/>'
        f'<circle cx="{sx:.1f}" cy="{sy:.1f}" r="6" fill="#2e7d32"/>'
        f'<circle cx="{ex:.1f}" cy="{ey:.1f}" r="6" fill="#b3261e"/></svg>'
    )
