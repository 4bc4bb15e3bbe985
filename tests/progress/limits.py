"""The packaged meaningful-change and RMDQ limits, and `summarise` with them applied."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from backstride.domain.diary import DiaryEntry
from backstride.knowledge import load_knowledge_base
from backstride.knowledge.rules import Questionnaire
from backstride.progress.change import ProgressSummary, RmdqPoint, change_rule, summarise_progress

KB = load_knowledge_base()
CHANGE = change_rule(KB)
_RMDQ = KB.one(Questionnaire, "rmdq").thresholds
RMDQ_POINTS = float(_RMDQ["meaningful_change_points"])
RMDQ_RECOVERED_MAX = int(_RMDQ["recovered_max"])


def summarise(
    entries: Sequence[DiaryEntry],
    rmdq: Sequence[RmdqPoint],
    *,
    today: date,
    assessed_pain: float | None = None,
    assessed_rmdq: int | None = None,
) -> ProgressSummary:
    """`summarise_progress` with the knowledge base's limits, as the service calls it."""
    return summarise_progress(
        entries,
        rmdq,
        today=today,
        assessed_pain=assessed_pain,
        assessed_rmdq=assessed_rmdq,
        rule=CHANGE,
        rmdq_points=RMDQ_POINTS,
        recovered_rmdq_max=RMDQ_RECOVERED_MAX,
    )
