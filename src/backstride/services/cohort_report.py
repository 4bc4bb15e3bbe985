"""`cohort report`: the cohort view a coach or researcher reads, worded from the knowledge base.

Reads the Parquet tables and summary.json that `cohort analyze` wrote, computes the cohort
questions (cohort_stats) and returns the lines to print; with a chart path it also draws
the band counts and the per-runner pain differences. Every sentence is a `cohort_text`
record of the knowledge base, filled with the cohort's own counts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from backstride.errors import InputError
from backstride.knowledge import load_knowledge_base
from backstride.knowledge.cohort import CohortText
from backstride.services.cohort import read_summary
from backstride.services.cohort_stats import (
    NO_BAND,
    NO_REFERENCE,
    BandCount,
    PainComparison,
    finding_counts,
    pain_after_spikes,
    spike_bands,
    weekly_change_bands,
)
from backstride.services.cohort_tables import read_table


class _Texts:
    """The cohort wording of the knowledge base, by id without the `cohort.` prefix."""

    def __init__(self) -> None:
        kb = load_knowledge_base()
        self.records = {t.id.removeprefix("cohort."): t for t in kb.of(CohortText)}

    def __call__(self, key: str, **values: object) -> str:
        return self.records[key].fill(**values)

    def parameter(self, key: str, name: str) -> float:
        return self.records[key].parameters[name]


def cohort_report(out: Path, *, chart: Path | None = None) -> list[str]:
    """The report's lines (and, with `chart`, the chart file) for a cohort output folder."""
    if chart is not None and chart.suffix.lower() not in {".png", ".svg"}:
        raise InputError(f"--out must end in .png or .svg, got {chart.name!r}")
    summary = read_summary(out)
    text = _Texts()
    weeks = read_table(out, "athlete_weeks").to_pylist()
    days = read_table(out, "athlete_days").to_pylist()
    findings = read_table(out, "findings").to_pylist()
    window = int(text.parameter("pain-after-spike.heading", "window_days"))
    weekly, spikes = weekly_change_bands(weeks), spike_bands(days)
    pain = pain_after_spikes(days, window_days=window)
    lines = [
        text(
            "heading",
            runners=summary["runners"],
            activities=summary["activities"],
            weeks=sum(1 for w in weeks if w["distance_km"] > 0),
        )
    ]
    lines += _failed(summary, text)
    lines += ["", text("weekly-change.heading")] + [_band_line(c, text, "weekly") for c in weekly]
    lines += ["", text("spikes.heading")] + [_band_line(c, text, "spikes") for c in spikes]
    lines += ["", text("findings.heading"), *_finding_lines(findings, summary, text)]
    lines += ["", text("pain-after-spike.heading", days=window), *_pain_lines(pain, text)]
    lines += ["", text("association-note")]
    if chart is not None:
        _draw(chart, weekly, spikes, pain, text)
    return lines


def _failed(summary: dict[str, Any], text: _Texts) -> list[str]:
    names = sorted({f["athlete"] for f in summary["failures"] if not f["file"]})
    return [text("failed-runners", count=len(names), names=", ".join(names))] if names else []


def _band_label(bucket: str, text: _Texts, kind: str) -> str:
    if kind == "weekly" and bucket == NO_BAND:
        return text("weekly-change.none")
    if kind == "weekly" and bucket == NO_REFERENCE:
        return text("weekly-change.no-reference")
    return text("weekly-change.band" if kind == "weekly" else "spikes.band", band=bucket)


def _band_line(count: BandCount, text: _Texts, kind: str) -> str:
    label = _band_label(count.bucket, text, kind)
    return "  " + text("count-line", label=label, count=count.count, runners=count.runners)


def _finding_lines(
    findings: list[dict[str, Any]], summary: dict[str, Any], text: _Texts
) -> list[str]:
    total = summary["runners"] - summary["failed"]
    return [
        "  "
        + text(
            "finding-line",
            label=text(f"finding.{c.bucket}"),
            runners=c.runners,
            total=total,
            count=c.count,
        )
        for c in finding_counts(findings)
    ]


def _pain_lines(pain: PainComparison, text: _Texts) -> list[str]:
    if pain.runners == 0 or pain.median is None:
        return ["  " + text("pain-after-spike.none")]
    return [
        "  "
        + text(
            "pain-after-spike.counts",
            runners=pain.runners,
            spike_days=pain.spike_days,
            other_days=pain.other_days,
        ),
        "  "
        + text(
            "pain-after-spike.direction",
            higher=pain.higher,
            lower=pain.lower,
            same=pain.same,
            median=pain.median,
        ),
    ]


def _draw(
    path: Path,
    weekly: list[BandCount],
    spikes: list[BandCount],
    pain: PainComparison,
    text: _Texts,
) -> None:
    """Three panels: weekly change by band, spikes by band, pain differences per runner."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(13, 4), constrained_layout=True)
    panels = (
        (axes[0], weekly, "chart.weekly", "weekly"),
        (axes[1], spikes, "chart.spikes", "spikes"),
    )
    for ax, counts, title, kind in panels:
        ax.barh([_band_label(c.bucket, text, kind) for c in counts], [c.count for c in counts])
        ax.set_title(text(title))
        ax.invert_yaxis()
    axes[2].set_title(text("chart.pain"))
    if pain.differences:
        axes[2].hist(pain.differences, bins=min(20, max(3, len(pain.differences))))
        axes[2].axvline(0.0, color="black", linewidth=1)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
