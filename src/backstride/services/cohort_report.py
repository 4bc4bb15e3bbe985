"""`cohort report`: the cohort view a coach or researcher reads, worded from the knowledge base.

Reads the Parquet tables and summary.json that `cohort analyze` wrote, computes the cohort
questions (cohort_stats) and returns the lines to print; with a chart path it also draws
the band counts and the per-runner pain differences. Every sentence is a `cohort_text`
record of the knowledge base, filled with the cohort's own counts; each line (and the
chart) carries the ids of the records that worded it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from backstride.analytics.rules import FindingRules
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


@dataclass(frozen=True)
class ReportLine:
    """One printed line and the ids of the cohort texts that worded it (none when blank)."""

    text: str
    records: tuple[str, ...] = ()

    def __add__(self, other: ReportLine) -> ReportLine:
        return ReportLine(self.text + other.text, self.records + other.records)


@dataclass(frozen=True)
class CohortReport:
    """The report's lines, and the chart's titles and labels (none without a chart)."""

    lines: tuple[ReportLine, ...]
    chart: tuple[ReportLine, ...] = ()

    def text_lines(self) -> list[str]:
        """The lines as printed."""
        return [line.text for line in self.lines]


_BLANK = ReportLine("")
_INDENT = ReportLine("  ")


class _Texts:
    """The cohort wording of the knowledge base, by id without the `cohort.` prefix."""

    def __init__(self) -> None:
        kb = load_knowledge_base()
        self.records = {t.id.removeprefix("cohort."): t for t in kb.of(CohortText)}

    def __call__(self, key: str, *parts: ReportLine, **values: object) -> ReportLine:
        """The text `key` filled with `values`, and with `parts` (their records go along)."""
        record = self.records[key]
        filled = record.fill(**values)
        return ReportLine(filled, (record.id, *(r for part in parts for r in part.records)))

    def parameter(self, key: str, name: str) -> float:
        return self.records[key].parameters[name]


def cohort_report(out: Path, *, chart: Path | None = None) -> CohortReport:
    """The report's lines (and, with `chart`, the chart file) for a cohort output folder."""
    if chart is not None and chart.suffix.lower() not in {".png", ".svg"}:
        raise InputError(f"--out must end in .png or .svg, got {chart.name!r}")
    summary = read_summary(out)
    text = _Texts()
    weeks = read_table(out, "athlete_weeks").to_pylist()
    days = read_table(out, "athlete_days").to_pylist()
    findings = read_table(out, "findings").to_pylist()
    window = int(text.parameter("pain-after-spike.heading", "window_days"))
    rule = FindingRules.from_kb(load_knowledge_base()).spike
    weekly, spikes = weekly_change_bands(weeks, rule), spike_bands(days, rule)
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
    lines += [_BLANK, text("weekly-change.heading")]
    lines += [_band_line(c, text, "weekly") for c in weekly]
    lines += [_BLANK, text("spikes.heading", lookback_days=rule.lookback_days)] + [
        _band_line(c, text, "spikes") for c in spikes
    ]
    lines += [_BLANK, text("findings.heading"), *_finding_lines(findings, summary, text)]
    lines += [_BLANK, text("pain-after-spike.heading", days=window), *_pain_lines(pain, text)]
    lines += [_BLANK, text("association-note")]
    drawn = _draw(chart, weekly, spikes, pain, text) if chart is not None else ()
    return CohortReport(tuple(lines), drawn)


def _failed(summary: dict[str, Any], text: _Texts) -> list[ReportLine]:
    names = sorted({f["athlete"] for f in summary["failures"] if not f["file"]})
    return [text("failed-runners", count=len(names), names=", ".join(names))] if names else []


def _band_label(bucket: str, text: _Texts, kind: str) -> ReportLine:
    if kind == "weekly" and bucket == NO_BAND:
        return text("weekly-change.none")
    if kind == "weekly" and bucket == NO_REFERENCE:
        return text("weekly-change.no-reference")
    return text("weekly-change.band" if kind == "weekly" else "spikes.band", band=bucket)


def _band_line(count: BandCount, text: _Texts, kind: str) -> ReportLine:
    label = _band_label(count.bucket, text, kind)
    return _INDENT + text(
        "count-line", label, label=label.text, count=count.count, runners=count.runners
    )


def _finding_lines(
    findings: list[dict[str, Any]], summary: dict[str, Any], text: _Texts
) -> list[ReportLine]:
    total = summary["runners"] - summary["failed"]
    labels = {c.bucket: text(f"finding.{c.bucket}") for c in finding_counts(findings)}
    return [
        _INDENT
        + text(
            "finding-line",
            labels[c.bucket],
            label=labels[c.bucket].text,
            runners=c.runners,
            total=total,
            count=c.count,
        )
        for c in finding_counts(findings)
    ]


def _pain_lines(pain: PainComparison, text: _Texts) -> list[ReportLine]:
    if pain.runners == 0 or pain.median is None:
        return [_INDENT + text("pain-after-spike.none")]
    return [
        _INDENT
        + text(
            "pain-after-spike.counts",
            runners=pain.runners,
            spike_days=pain.spike_days,
            other_days=pain.other_days,
        ),
        _INDENT
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
) -> tuple[ReportLine, ...]:
    """Three panels: weekly change by band, spikes by band, pain differences per runner.

    Returns the titles and labels drawn."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(13, 4), constrained_layout=True)
    panels = (
        (axes[0], weekly, "chart.weekly", "weekly"),
        (axes[1], spikes, "chart.spikes", "spikes"),
    )
    used: list[ReportLine] = []
    for ax, counts, title, kind in panels:
        labels = [_band_label(c.bucket, text, kind) for c in counts]
        used += [*labels, text(title)]
        ax.barh([label.text for label in labels], [c.count for c in counts])
        ax.set_title(used[-1].text)
        ax.invert_yaxis()
    used.append(text("chart.pain"))
    axes[2].set_title(used[-1].text)
    if pain.differences:
        axes[2].hist(pain.differences, bins=min(20, max(3, len(pain.differences))))
        axes[2].axvline(0.0, color="black", linewidth=1)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return tuple(used)
