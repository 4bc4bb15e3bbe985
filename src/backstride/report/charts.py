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


def _say(name: str, /, **values: object) -> str:
    """One of the charts' words (`text.charts`), filled with the values drawn."""
    from backstride.knowledge.texts import screen_text

    return screen_text(load_knowledge_base(), "charts", name, **values)


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
    ax.set_title(_say("findings_strip"), fontsize=8)


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
        top.bar(days, km[lo:hi], color="#92c5de", width=0.9, label=_say("daily_distance"))
    else:  # one polygon instead of thousands of bars for long histories
        top.fill_between(days, km[lo:hi], step="mid", color="#92c5de", label=_say("daily_distance"))
    top.plot(
        days, ewma(km, span_days=acute)[lo:hi], color="#d6604d", label=_say("ewma", days=acute)
    )
    top.plot(
        days, ewma(km, span_days=chronic)[lo:hi], color="#2166ac", label=_say("ewma", days=chronic)
    )
    top.set_ylabel(_say("distance_axis"))
    top.legend(loc="upper left", fontsize=8)
    top.set_title(_say("load_title", since=analysis.since, today=analysis.today))
    _finding_strip(strip, analysis, findings)
    ratio = analysis.acwr["ewma"][lo:hi]
    low = _rules().value("acwr_rising", "acwr_low")
    high = _rules().value("acwr_rising", "acwr_high")
    band = _say("acwr_band", low=low, high=high)
    bottom.axhspan(low, high, color="#e0e0e0", label=band)
    bottom.plot(days, ratio, color="#542788", label=_say("acwr_line"))
    bottom.axhline(1.0, color="black", linewidth=0.6)
    bottom.set_ylabel(_say("acwr_axis"))
    bottom.set_title(
        _say("acwr_title", method=analysis.acwr_method, days=chronic),
        fontsize=8,
    )
    bottom.legend(loc="upper left", fontsize=8)
    bottom.set_xlabel(_say("date"))
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
        label=_say("population_band", low=band.low, high=band.high, unit=band.unit),
    )


def _require(points: Sequence[object], what: str) -> None:
    from backstride.errors import InputError

    if not points:
        raise InputError(_say("no_runs_with", what=what))


def cadence_chart(analysis: TrainingAnalysis, findings: Sequence[Finding], out: Path) -> None:
    """Median cadence per run over time, coloured by the run's median speed."""
    forms = [f for f in analysis.forms if f.day >= analysis.since and f.cadence_spm is not None]
    _require(forms, _say("cadence_what"))
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
    fig.colorbar(points, ax=ax, label=_say("speed_scale"))
    flagged = [f for f in findings if f.id in {"cadence_drop", "low_cadence_for_speed"}]
    for finding in flagged:
        if finding.id == "cadence_drop":
            for key, style in (("baseline_spm", ":"), ("recent_spm", "--")):
                value = finding.metrics[key]
                ax.axhline(
                    value,
                    color=COLORS[finding.severity],
                    linestyle=style,
                    label=_say(key.removesuffix("_spm"), value=value),
                )
    ax.set_ylabel(_say("cadence_axis"))
    ax.set_xlabel(_say("cadence_date_axis"))
    ax.set_title(
        "\n".join(
            [
                _say("cadence_title"),
                *(_say("flagged", severity=f.severity, title=f.title) for f in flagged),
            ]
        )
    )
    ax.legend(loc="best", fontsize=8)
    _date_axis(ax)
    _save(fig, out)


#: The running-dynamics panels, top to bottom (each one's axis words: `text.charts`).
FORM_PANELS = ("vertical_oscillation_mm", "vertical_ratio_pct", "stance_time_ms", "step_length_m")


def form_chart(analysis: TrainingAnalysis, findings: Sequence[Finding], out: Path) -> None:
    """Running dynamics per run: oscillation, vertical ratio, ground contact, step length."""
    series = {m: _form_points(analysis.forms, m, analysis.since) for m in FORM_PANELS}
    _require([m for m, (d, _) in series.items() if d], _say("dynamics_what"))
    fig = Figure(figsize=(11, 9))
    axes = fig.subplots(len(FORM_PANELS), 1, sharex=True)
    bands: dict[str, Band] = {str(k): v for k, v in analysis.params.population.bands.items()}
    for ax, metric in zip(axes, FORM_PANELS, strict=True):
        if metric in bands:
            _population_band(ax, bands[metric])
        days, values = series[metric]
        ax.plot(days, values, "o-", markersize=4, color="#2166ac")
        ax.set_ylabel(_say(metric), fontsize=9)
        if metric in bands:
            ax.legend(loc="best", fontsize=7)
        if not days:
            ax.text(0.5, 0.5, _say("no_device_data"), transform=ax.transAxes, ha="center")
        _date_axis(ax)
    flagged = [f.title for f in findings if f.id == "high_vertical_oscillation"]
    axes[0].set_title(
        _say("form_title_flagged", finding=flagged[0]) if flagged else _say("form_title")
    )
    axes[-1].set_xlabel(_say("date"))
    _save(fig, out)


def shoes_chart(analysis: TrainingAnalysis, findings: Sequence[Finding], out: Path) -> None:
    """Distance per shoe against the runner's soft inspection distance."""
    if not analysis.shoes:
        from backstride.errors import InputError

        raise InputError(_say("no_shoes"))
    fig = Figure(figsize=(9, 1.2 + 0.5 * len(analysis.shoes)))
    ax = fig.subplots()
    names = [_say("retired", name=s.name) if s.retired else s.name for s in analysis.shoes]
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
        label=_say("inspect_at", km=analysis.shoe_inspection_km),
    )
    ax.set_xlabel(_say("shoe_axis"))
    weeks = analysis.params.rotation_weeks
    ax.set_title(_say("shoes_title", pairs=analysis.shoes_in_rotation, weeks=weeks))
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
