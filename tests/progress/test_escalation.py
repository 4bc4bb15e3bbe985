"""Escalation from the diary: a new red flag leads; stalled or worsening recovery -> soon."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backstride.assess.result import urgency_rank
from backstride.domain.diary import DiaryEntry
from backstride.knowledge import load_knowledge_base
from backstride.progress.escalation import Escalation, escalations
from tests.progress.limits import CHANGE, summarise

KB = load_knowledge_base()

START = date(2026, 3, 2)


def summary_for(pains: list[int], *, assessed: int | None = None):  # type: ignore[no-untyped-def]
    entries = [
        DiaryEntry(at=datetime.combine(START + timedelta(days=i), datetime.min.time()), pain_now=p)
        for i, p in enumerate(pains)
    ]
    return summarise(
        entries, [], today=START + timedelta(days=len(pains) - 1), assessed_pain=assessed
    )


def _escalations(
    pains: list[int], *, assessed: int | None = None, **given: Any
) -> tuple[Escalation, ...]:
    """`escalations` for a diary of these daily pains (no new warning sign unless given)."""
    values: dict[str, Any] = {"retriage_urgency": None, "new_red_flags": ()} | given
    return escalations(summary_for(pains, assessed=assessed), **values, rule=CHANGE, kb=KB)


@pytest.mark.parametrize(
    ("pains", "assessed", "self_care_days", "pain_days", "expected"),
    [
        # Three weeks without a meaningful improvement: not recovering.
        ([5] * 22, 5, 21, 30, [("soon", "not_recovering")]),
        # Two weeks without improvement is not yet an escalation.
        ([5] * 14, 5, 14, 20, []),
        # A meaningful improvement by three weeks is no escalation.
        ([6] * 7 + [4] * 7 + [3] * 8, 6, 22, 30, []),
        # Pain beyond twelve weeks is noted as chronic.
        ([4] * 7, 5, 5, 90, [("soon", "chronic")]),
    ],
)
def test_the_diary_course_escalates_only_when_recovery_stalls_or_lasts(
    pains: list[int],
    assessed: int,
    self_care_days: int,
    pain_days: int,
    expected: list[tuple[str, str]],
) -> None:
    found = _escalations(
        pains, assessed=assessed, self_care_days=self_care_days, pain_days=pain_days
    )
    assert [(e.urgency, e.reason) for e in found] == expected


def test_worsening_pain_is_a_soon_referral() -> None:
    found = _escalations([3] * 7 + [6] * 7, assessed=3, self_care_days=10, pain_days=12)
    assert ("soon", "worsening") in [(e.urgency, e.reason) for e in found]


def test_a_new_red_flag_leads_everything_else() -> None:
    found = _escalations(
        [3] * 7 + [6] * 15,
        assessed=3,
        retriage_urgency="emergency",
        new_red_flags=("bladder_change",),
        self_care_days=40,
        pain_days=100,
    )
    assert (found[0].urgency, found[0].reason) == ("emergency", "new_red_flag")
    assert {e.reason for e in found[1:]} == {"worsening", "not_recovering", "chronic"}


@given(
    st.sampled_from(["emergency", "urgent", "soon", "self_care", None]),
    st.integers(0, 60),
    st.integers(0, 200),
    st.lists(st.integers(0, 10), min_size=1, max_size=30),
)
def test_escalations_come_most_urgent_first(
    urgency: str | None, self_care: int, pain_days: int, pains: list[int]
) -> None:
    found = _escalations(
        pains,
        retriage_urgency=urgency,
        new_red_flags=("fever",),
        self_care_days=self_care,
        pain_days=pain_days,
    )
    ranks = [urgency_rank(e.urgency) for e in found]
    assert ranks == sorted(ranks, reverse=True)
    if urgency in ("emergency", "urgent"):
        assert found[0].urgency == urgency
        assert found[0].reason == "new_red_flag"


@pytest.mark.parametrize("urgency", ["self_care", None])
def test_a_red_flag_triage_calls_self_care_does_not_escalate_on_its_own(
    urgency: str | None,
) -> None:
    found = _escalations(
        [2] * 5, retriage_urgency=urgency, new_red_flags=("fever",), self_care_days=3, pain_days=5
    )
    assert found == ()


@pytest.mark.parametrize(
    ("advice", "escalates"),
    [
        (("advance", "step_back", "step_back", "step_back"), True),
        (("step_back", "step_back", "hold"), False),
        (("step_back", "step_back"), False),
    ],
)
def test_pain_flaring_after_every_recent_run_is_not_recovering(
    advice: tuple[str, ...], escalates: bool
) -> None:
    found = _escalations(
        [3] * 10,
        assessed=3,
        self_care_days=10,
        pain_days=12,
        run_advice=advice,
        week_advice=advice[-1],
    )
    assert (("soon", "not_recovering") in [(e.urgency, e.reason) for e in found]) is escalates
