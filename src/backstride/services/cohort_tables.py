"""A runner's analysis as Parquet tables, written atomically into a hive-partitioned cohort.

Each table lives in `OUTDIR/<table>/athlete=<id>/part.parquet`: one file per runner and
table, so one runner's rows are read alone and a re-run replaces exactly that runner's
files. A file is written under a hidden temporary name in its folder and renamed over the
old one (`os.replace`), so a reader or a killed worker never leaves a half-written part.
The partition column `athlete` is in the path, not in the file. pyarrow is imported here
only, when a cohort is written or read.
"""

from __future__ import annotations

import math
import os
import uuid
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np

from backstride.analytics.load import monotony_strain
from backstride.analytics.rules import FindingRules
from backstride.analytics.spikes import frandsen_band
from backstride.errors import InputError
from backstride.knowledge import load_knowledge_base
from backstride.services.cohort_runner import RunnerAnalysis

TABLES = ("athlete_weeks", "athlete_days", "findings", "pain_load")
PART = "part.parquet"
TMP_PREFIX = ".tmp-"


def pyarrow_modules() -> tuple[Any, Any]:
    """(pyarrow, pyarrow.parquet), or one clear error when the cohort extra is missing."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError(
            "cohort analysis needs the cohort extra: pip install 'backstride[cohort]'"
        ) from None
    return pa, pq


def partition(out: Path, table: str, athlete: str) -> Path:
    """The folder holding one runner's part of one table."""
    return out / table / f"athlete={athlete}"


def write_runner(out: Path, athlete: str, result: RunnerAnalysis) -> dict[str, int]:
    """Write every table of one runner atomically; returns the row count of each."""
    pa, _ = pyarrow_modules()
    tables = {
        "athlete_weeks": pa.Table.from_pylist(week_rows(result), schema=_weeks_schema(pa)),
        "athlete_days": pa.Table.from_pydict(day_columns(result), schema=_days_schema(pa)),
        "findings": _findings_table(pa, finding_rows(result)),
        "pain_load": pa.Table.from_pylist(association_rows(result), schema=_pain_schema(pa)),
    }
    for name, table in tables.items():
        write_atomically(partition(out, name, athlete), table)
    return {name: table.num_rows for name, table in tables.items()}


def remove_runner(out: Path, athlete: str) -> None:
    """Delete one runner's parts (its inputs no longer yield an analysis)."""
    for name in TABLES:
        (partition(out, name, athlete) / PART).unlink(missing_ok=True)


def write_atomically(folder: Path, table: Any) -> Path:
    """Write `table` to `folder/part.parquet` via a temporary name and a rename."""
    _, pq = pyarrow_modules()
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f"{TMP_PREFIX}{uuid.uuid4().hex}.parquet"
    try:
        pq.write_table(table, tmp, compression="zstd")
        os.replace(tmp, folder / PART)
    finally:
        tmp.unlink(missing_ok=True)
    return folder / PART


def remove_temporaries(out: Path) -> int:
    """Delete temporary files a killed worker left behind; returns how many."""
    removed = 0
    for name in TABLES:
        for tmp in (out / name).glob(f"athlete=*/{TMP_PREFIX}*"):
            tmp.unlink(missing_ok=True)
            removed += 1
    return removed


def _finite(value: float) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


def week_rows(result: RunnerAnalysis) -> list[dict[str, Any]]:
    """One row per calendar week from the first to the last day of the history."""
    a = result.report.analysis
    series = a.series
    rows = []
    for week in a.weeks:
        lo = max(series.index_of(week.week_start), 0)
        hi = min(series.index_of(week.week_start + timedelta(days=7)), len(series))
        complete = series.index_of(week.week_start) >= 0 and hi - lo == 7
        cap = a.params.load.monotony_cap
        load = monotony_strain(series.distance_km[lo:hi], cap=cap) if complete else None
        rows.append(
            {
                "week_start": week.week_start,
                "distance_km": week.distance_km,
                "runs": int(series.runs[lo:hi].sum()),
                "longest_run_km": week.longest_run_km,
                "duration_min": float(series.duration_min[lo:hi].sum()),
                "load": week.distance_km,  # the load unit: running distance in km
                "long_run_share": week.long_run_share,
                "change_pct": week.change_pct,
                "monotony": load.monotony if load else None,
                "strain": load.strain if load else None,
            }
        )
    return rows


def day_columns(result: RunnerAnalysis) -> dict[str, Any]:
    """One row per calendar day: load metrics, the day's largest spike and diary pain."""
    a = result.report.analysis
    series = a.series
    n = len(series)
    spike_pct: list[float | None] = [None] * n
    spike_band: list[str | None] = [None] * n
    rule = FindingRules.from_kb(load_knowledge_base()).spike
    for spike in a.spikes:  # the largest spike of a day stands for that day
        band = frandsen_band(spike.increase_pct, rule)
        current = spike_pct[spike.day_index]
        if band is not None and (current is None or spike.increase_pct > current):
            spike_pct[spike.day_index] = spike.increase_pct
            spike_band[spike.day_index] = band
    pain: list[float | None] = [None] * n
    for day in result.pain:
        index = series.index_of(day.on)
        if 0 <= index < n:
            pain[index] = day.mean_pain
    return {
        "day": [series.day_at(i) for i in range(n)],
        "distance_km": series.distance_km,
        "duration_min": series.duration_min,
        "runs": series.runs,
        "longest_run_km": series.longest_run_km,
        "recorded": series.recorded,
        "acwr_ewma": _nullable(a.acwr["ewma"]),
        "monotony": _nullable(a.monotony),
        "fitness": a.fitness.fitness,
        "fatigue": a.fitness.fatigue,
        "spike_pct": spike_pct,
        "spike_band": spike_band,
        "pain": pain,
    }


def _nullable(values: np.ndarray[Any, Any]) -> list[float | None]:
    return [None if math.isnan(v) else v for v in values.tolist()]


def finding_rows(result: RunnerAnalysis) -> list[dict[str, Any]]:
    """One row per finding: id, day, severity, the runs and sources, each metric a column."""
    return [
        {
            "finding": f.id,
            "rule": f.rule,
            "date": f.on,
            "severity": f.severity,
            "runs": list(f.runs),
            "sources": list(f.sources),
            **{name: float(value) for name, value in f.metrics.items()},
        }
        for f in result.report.findings
    ]


def association_rows(result: RunnerAnalysis) -> list[dict[str, Any]]:
    """One row per lagged pain-load association of the runner's diary."""
    return [
        {
            "feature": a.feature,
            "lag_days": a.lag_days,
            "correlation": a.correlation,
            "days": a.days,
        }
        for a in result.associations
    ]


def _weeks_schema(pa: Any) -> Any:
    floats = ("distance_km", "longest_run_km", "duration_min", "load", "long_run_share")
    return pa.schema(
        [("week_start", pa.date32())]
        + [(name, pa.float64()) for name in floats]
        + [("runs", pa.int64())]
        + [(name, pa.float64()) for name in ("change_pct", "monotony", "strain")]
    )


def _days_schema(pa: Any) -> Any:
    floats = ("distance_km", "duration_min", "longest_run_km", "acwr_ewma", "monotony")
    return pa.schema(
        [("day", pa.date32())]
        + [(name, pa.float64()) for name in floats]
        + [("runs", pa.int64()), ("recorded", pa.bool_())]
        + [(name, pa.float64()) for name in ("fitness", "fatigue", "spike_pct")]
        + [("spike_band", pa.string()), ("pain", pa.float64())]
    )


def _pain_schema(pa: Any) -> Any:
    return pa.schema(
        [
            ("feature", pa.string()),
            ("lag_days", pa.int64()),
            ("correlation", pa.float64()),
            ("days", pa.int64()),
        ]
    )


FINDING_COLUMNS = ("finding", "rule", "date", "severity", "runs", "sources")


def _findings_table(pa: Any, rows: list[dict[str, Any]]) -> Any:
    metrics = sorted({k for row in rows for k in row} - set(FINDING_COLUMNS))
    fields = [
        ("finding", pa.string()),
        ("rule", pa.string()),
        ("date", pa.date32()),
        ("severity", pa.string()),
        ("runs", pa.list_(pa.string())),
        ("sources", pa.list_(pa.string())),
    ] + [(name, pa.float64()) for name in metrics]
    return pa.Table.from_pylist(rows, schema=pa.schema(fields))


def read_table(out: Path, table: str, athletes: Iterable[str] | None = None) -> Any:
    """One cohort table (all runners, or only `athletes`) with `athlete` as a column.

    Finding metrics differ between runners, so the schema is the union of the parts'.
    """
    pa, pq = pyarrow_modules()
    root = out / table
    if not root.is_dir():
        raise InputError(f"{out} has no {table} table: run `backstride cohort analyze` first")
    chosen = None if athletes is None else set(athletes)
    parts = []
    for folder in sorted(root.glob("athlete=*")):
        athlete = folder.name.removeprefix("athlete=")
        if (chosen is None or athlete in chosen) and (folder / PART).is_file():
            part = pq.read_table(folder / PART)
            parts.append(part.append_column("athlete", pa.array([athlete] * part.num_rows)))
    if not parts:
        return pa.table({"athlete": pa.array([], pa.string())})
    return pa.concat_tables(parts, promote_options="default")
