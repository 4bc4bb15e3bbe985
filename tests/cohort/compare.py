"""A runner's cohort rows put in the shape of `backstride analyze --format json`, to compare."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from backstride.services.cohort_tables import read_table


def rounded(value: float | None, digits: int) -> float | None:
    return None if value is None or math.isnan(value) else round(value, digits)


def cohort_weeks(out: Path, athlete: str) -> list[dict[str, Any]]:
    rows = read_table(out, "athlete_weeks", [athlete]).to_pylist()
    return [
        {
            "week_start": row["week_start"].isoformat(),
            "distance_km": round(row["distance_km"], 3),
            "longest_run_km": round(row["longest_run_km"], 3),
            "long_run_share": rounded(row["long_run_share"], 4),
            "change_pct": row["change_pct"],
        }
        for row in rows
        if row["distance_km"] > 0
    ]


def cohort_findings(out: Path, athlete: str) -> list[dict[str, Any]]:
    rows = read_table(out, "findings", [athlete]).to_pylist()
    fixed = {"finding", "rule", "date", "severity", "runs", "sources", "athlete"}
    return [
        {
            "id": row["finding"],
            "rule": row["rule"],
            "severity": row["severity"],
            "on": row["date"].isoformat() if row["date"] else None,
            "runs": row["runs"],
            "metrics": {k: v for k, v in sorted(row.items()) if k not in fixed and v is not None},
            "sources": row["sources"],
        }
        for row in rows
    ]


def json_findings(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": f["id"],
            "rule": f["rule"],
            "severity": f["severity"],
            "on": f["on"],
            "runs": [run["key"] for run in f["runs"]],
            "metrics": f["metrics"],
            "sources": f["sources"],
        }
        for f in document["findings"]
    ]


def last_day_metrics(out: Path, athlete: str) -> dict[str, Any]:
    days = read_table(out, "athlete_days", [athlete]).to_pylist()
    last = days[-1]
    return {
        "last_7_days_km": round(sum(d["distance_km"] for d in days[-7:]), 3),
        "ewma": rounded(last["acwr_ewma"], 4),
        "monotony_7_days": rounded(last["monotony"], 4),
        "fitness": rounded(last["fitness"], 4),
        "fatigue": rounded(last["fatigue"], 4),
    }
