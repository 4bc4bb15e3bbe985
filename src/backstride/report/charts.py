"""Static charts of the training analysis (matplotlib, Agg canvas; PNG or SVG by suffix).

Axes carry units, findings are marked where they fire, population bands are labelled as
context, and the ACWR panel names its method and that it is contested.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # never open a window: charts are files

import numpy as np
from matplotlib.axes import Axes
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure

from backstride.analytics.analysis import TrainingAnalysis
from backstride.analytics.form import RunForm
from backstride.analytics.load import ewma
from backstride.analytics.rules import FindingRules
from backstride.domain.finding import Finding, FindingId
from backstride.knowledge import load_knowledge_base
from backstride.knowledge.analytics_params import Band

COLORS = {"attention": "#b2182b", "consider": "#ef8a62", "info": "#4393c3"}
MARKERS: dict[FindingId, str] = {
    "single_run_spike": "^",
    "weekly_distance_jump": "s",
    "high_monotony": "D",
    "acwr_rising": "o",
    "no_rest_days": "P",
    "surface_change": "X",
}


def _rules() -> FindingRules:
    """The finding records: plain labels and the thresholds the findings applied."""
    return FindingRules.from_kb(load_knowledge_base())


def _dates(analysis: TrainingAnalysis, lo: int, hi: int) -> list[date]:
    return [analysis.series.first_day + timedelta(days=i) for i in range(lo, hi)]


def _date_axis(ax: Axes) -> None:
    locator = AutoDateLocator()  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    ax.grid(True, alpha=0.3)


def _save(fig: Figure, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=120, bbox_inches="tight")


def _finding_strip(ax: Axes, analysis: TrainingAnalysis, findings: Sequence[Finding]) -> None:
    """One row per kind of dated load finding, a marker on each day it fires."""
    rows = list(MARKERS)
    for finding in findings:
        if finding.on is None or finding.id not in MARKERS or finding.on < analysis.since:
            continue
        y = rows.index(finding.id)
        ax.scatter(
            np.array([finding.on], dtype="datetime64[D]"),
            np.array([y]),
            marker=MARKERS[finding.id],
            s=60,
            zorder=5,
            color=COLORS[finding.severity],
            edgecolor="black",
            linewidth=0.5,
        )
        if finding.id == "single_run_spike":
            pct = finding.metrics.get("increase_pct", 0.0)
            ax.annotate(
                f"+{pct:.0f} %",
                (finding.on, y),
                xytext=(6, -3),
                textcoords="offset points",
                fontsize=7,
            )
    labels = _rules().records
    ax.set_yticks(range(len(rows)), [labels[r].label.lower() for r in rows], fontsize=7)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_title("findings (colour: red attention, orange consider, blue info)", fontsize=8)


def load_chart(analysis: TrainingAnalysis, findings: Sequence[Finding], out: Path) -> None:
    """Daily running distance with acute/chronic averages (7/28 days), findings, and the EWMA
    ACWR."""
    lo = max(0, analysis.series.index_of(analysis.since))
    hi = len(analysis.series)
    days = np.array(_dates(analysis, lo, hi), dtype="datetime64[D]")
    km = analysis.series.distance_km
    acute, chronic = analysis.params.load.acute_days, analysis.params.load.chronic_days
    fig = Figure(figsize=(11, 8))
    top, strip, bottom = fig.subplots(3, 1, sharex=True, height_ratios=(3, 1.4, 2))
    if len(days) <= 190:
        top.bar(days, km[lo:hi], color="#92c5de", width=0.9, label="daily distance")
    else:  # one polygon instead of thousands of bars for long histories
        top.fill_between(days, km[lo:hi], step="mid", color="#92c5de", label="daily distance")
    top.plot(days, ewma(km, span_days=acute)[lo:hi], color="#d6604d", label=f"{acute}-day EWMA")
    top.plot(days, ewma(km, span_days=chronic)[lo:hi], color="#2166ac", label=f"{chronic}-day EWMA")
    top.set_ylabel("running distance (km/day)")
    top.legend(loc="upper left", fontsize=8)
    top.set_title(f"Training load {analysis.since} – {analysis.today}")
    _finding_strip(strip, analysis, findings)
    ratio = analysis.acwr["ewma"][lo:hi]
    low = _rules().value("acwr_rising", "acwr_low")
    high = _rules().value("acwr_rising", "acwr_high")
    band = f"{low:g}–{high:g}: often quoted range (contested)"
    bottom.axhspan(low, high, color="#e0e0e0", label=band)
    bottom.plot(days, ratio, color="#542788", label="acute:chronic ratio")
    bottom.axhline(1.0, color="black", linewidth=0.6)
    bottom.set_ylabel("ACWR (ratio)")
    bottom.set_title(
        f"ACWR — {analysis.acwr_method}; a trend, not a risk figure; "
        f"blank until {chronic} days are covered",
        fontsize=8,
    )
    bottom.legend(loc="upper left", fontsize=8)
    bottom.set_xlabel("date")
    for ax in (top, strip, bottom):
        _date_axis(ax)
    _save(fig, out)


def _form_points(
    forms: Sequence[RunForm], metric: str, since: date
) -> tuple[list[date], list[float]]:
    pairs = [(f.day, getattr(f, metric)) for f in forms if f.day >= since]
    kept = [(d, float(v)) for d, v in pairs if v is not None]
    return [d for d, _ in kept], [v for _, v in kept]


def _population_band(ax: Axes, band: Band) -> None:
    ax.axhspan(
        band.low,
        band.high,
        color="#fee090",
        alpha=0.5,
        label=f"Garmin population middle band {band.low:g}–{band.high:g} {band.unit} "
        "(context only)",
    )


def _require(points: Sequence[object], what: str) -> None:
    from backstride.errors import InputError

    if not points:
        raise InputError(f"no runs with {what} in this period: nothing to chart")


def cadence_chart(analysis: TrainingAnalysis, findings: Sequence[Finding], out: Path) -> None:
    """Median cadence per run over time, coloured by the run's median speed."""
    forms = [f for f in analysis.forms if f.day >= analysis.since and f.cadence_spm is not None]
    _require(forms, "cadence")
    fig = Figure(figsize=(11, 5))
    ax = fig.subplots()
    _population_band(ax, analysis.params.population.bands["cadence_spm"])
    points = ax.scatter(
        np.array([f.day for f in forms], dtype="datetime64[D]"),
        np.array([f.cadence_spm for f in forms], dtype=np.float64),
        c=[f.speed_mps or np.nan for f in forms],
        cmap="viridis",
        s=36,
        zorder=3,
    )
    fig.colorbar(points, ax=ax, label="median speed (m/s)")
    flagged = [f for f in findings if f.id in {"cadence_drop", "low_cadence_for_speed"}]
    for finding in flagged:
        if finding.id == "cadence_drop":
            for key, style in (("baseline_spm", ":"), ("recent_spm", "--")):
                value = finding.metrics[key]
                ax.axhline(
                    value,
                    color=COLORS[finding.severity],
                    linestyle=style,
                    label=f"{key.split('_')[0]} at matched speed: {value:.0f} spm",
                )
    ax.set_ylabel("cadence (steps/min, both feet)")
    ax.set_xlabel("date — compare yourself with your own runs at the same speed")
    ax.set_title("\n".join(["Cadence per run", *(f"{f.severity}: {f.title}" for f in flagged)]))
    ax.legend(loc="best", fontsize=8)
    _date_axis(ax)
    _save(fig, out)


FORM_PANELS = (
    ("vertical_oscillation_mm", "vertical oscillation (mm)"),
    ("vertical_ratio_pct", "vertical ratio (%)"),
    ("stance_time_ms", "ground contact (ms)"),
    ("step_length_m", "step length (m)"),
)


def form_chart(analysis: TrainingAnalysis, findings: Sequence[Finding], out: Path) -> None:
    """Running dynamics per run: oscillation, vertical ratio, ground contact, step length."""
    series = {m: _form_points(analysis.forms, m, analysis.since) for m, _ in FORM_PANELS}
    _require([m for m, (d, _) in series.items() if d], "running dynamics")
    fig = Figure(figsize=(11, 9))
    axes = fig.subplots(len(FORM_PANELS), 1, sharex=True)
    bands: dict[str, Band] = {str(k): v for k, v in analysis.params.population.bands.items()}
    for ax, (metric, label) in zip(axes, FORM_PANELS, strict=True):
        if metric in bands:
            _population_band(ax, bands[metric])
        days, values = series[metric]
        ax.plot(days, values, "o-", markersize=4, color="#2166ac")
        ax.set_ylabel(label, fontsize=9)
        if metric in bands:
            ax.legend(loc="best", fontsize=7)
        if not days:
            ax.text(0.5, 0.5, "no data from this device", transform=ax.transAxes, ha="center")
        _date_axis(ax)
    flagged = [f.title for f in findings if f.id == "high_vertical_oscillation"]
    axes[0].set_title("Running form per run" + (f" — {flagged[0]}" if flagged else ""))
    axes[-1].set_xlabel("date")
    _save(fig, out)


def shoes_chart(analysis: TrainingAnalysis, findings: Sequence[Finding], out: Path) -> None:
    """Distance per shoe against the runner's soft inspection distance."""
    if not analysis.shoes:
        from backstride.errors import InputError

        raise InputError("no shoes registered: add one with `backstride shoes add NAME`")
    fig = Figure(figsize=(9, 1.2 + 0.5 * len(analysis.shoes)))
    ax = fig.subplots()
    names = [s.name + (" (retired)" if s.retired else "") for s in analysis.shoes]
    colors = [COLORS["consider"] if s.inspection_due else "#92c5de" for s in analysis.shoes]
    ax.barh(
        names,
        [s.distance_km for s in analysis.shoes],
        color=colors,
        hatch=["//" if s.retired else "" for s in analysis.shoes],
    )
    ax.axvline(
        analysis.shoe_inspection_km,
        color="black",
        linestyle="--",
        label=f"inspect at {analysis.shoe_inspection_km:.0f} km (soft, your setting)",
    )
    ax.set_xlabel("distance (km)")
    weeks = analysis.params.rotation_weeks
    ax.set_title(f"Shoes — {analysis.shoes_in_rotation} pair(s) used in the last {weeks} weeks")
    ax.legend(loc="lower right", fontsize=8)
    ax.invert_yaxis()
    _save(fig, out)


ChartFunction = Callable[[TrainingAnalysis, Sequence[Finding], Path], None]
CHARTS: dict[str, ChartFunction] = {
    "load": load_chart,
    "cadence": cadence_chart,
    "form": form_chart,
    "shoes": shoes_chart,
}
