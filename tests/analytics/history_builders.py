"""Synthetic training histories built in tests (no files, no clock)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from backstride.analytics.history import TrainingActivity
from backstride.analytics.rules import FindingRules
from backstride.knowledge import load_knowledge_base

START = date(2024, 1, 1)  # a Monday


def run(day: int, km: float, **extra: object) -> TrainingActivity:
    """A run `day` days after START, at 07:00 UTC, at 5:30 min/km."""
    moment = datetime.combine(START + timedelta(days=day), datetime.min.time(), tzinfo=UTC)
    return TrainingActivity(
        key=f"run-{day:04d}-{km:g}",
        start_time=moment + timedelta(hours=7),
        distance_m=km * 1000.0,
        duration_s=km * 330.0,
        **extra,  # type: ignore[arg-type]
    )


def day(offset: int) -> date:
    """The calendar day `offset` days after START."""
    return START + timedelta(days=offset)


#: The finding records of the packaged knowledge base (thresholds and sentences).
RULES = FindingRules.from_kb(load_knowledge_base())
#: The analysis parameters of the packaged knowledge base (windows, sampling, bands).
PARAMS = RULES.params
