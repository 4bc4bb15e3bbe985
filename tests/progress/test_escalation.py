"""Escalation from the diary: a new red flag leads; stalled or worsening recovery -> soon."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backstride.domain.diary import DiaryEntry
from backstride.progress.escalation import URGENCY_RANK, escalations
from tests.progress.limits import CHANGE, summarise

START = date(2026, 3, 2)


def summary_for(pains: list[int], *, assessed: int | None = None):  # type: ignore[no-untyped-def]
    entries = [
        DiaryEntry(at=datetime.combine(START + timedelta(days=i), datetime.min.time()), pain_now=p)
        for i, p in enumerate(pains)
    ]
    return summarise(
        entries, [], today=START + timedelta(days=len(pains) - 1), assessed_pain=assessed
    )


def test_three_weeks_without_meaningful_improvement_is_not_recovering() -> None:
    found = escalations(
        summary_for([5] * 22, assessed=5),
        retriage_urgency=None,
        new_red_flags=(),
        self_care_days=21,
        pain_days=30,
        rule=CHANGE,
    )
    assert [(e.urgency, e.reason) for e in found] == [("soon", "not_recovering")]


def test_two_weeks_without_improvement_is_not_yet_an_escalation() -> None:
    found = escalations(
        summary_for([5] * 14, assessed=5),
        retriage_urgency=None,
        new_red_flags=(),
        self_care_days=14,
        pain_days=20,
        rule=CHANGE,
    )
    assert found == ()


def test_meaningful_improvement_by_three_weeks_is_no_escalation() -> None:
    found = escalations(
        summary_for([6] * 7 + [4] * 7 + [3] * 8, assessed=6),
        retriage_urgency=None,
        new_red_flags=(),
        self_care_days=22,
        pain_days=30,
        rule=CHANGE,
    )
    assert found == ()


def test_worsening_pain_is_a_soon_referral() -> None:
    found = escalations(
        summary_for([3] * 7 + [6] * 7, assessed=3),
        retriage_urgency=None,
        new_red_flags=(),
        self_care_days=10,
        pain_days=12,
        rule=CHANGE,
    )
    assert ("soon", "worsening") in [(e.urgency, e.reason) for e in found]


def test_pain_beyond_twelve_weeks_is_noted_as_chronic() -> None:
    found = escalations(
        summary_for([4] * 7, assessed=5),
        retriage_urgency=None,
        new_red_flags=(),
        self_care_days=5,
        pain_days=90,
        rule=CHANGE,
    )
    assert [e.reason for e in found] == ["chronic"]


def test_a_new_red_flag_leads_everything_else() -> None:
    found = escalations(
        summary_for([3] * 7 + [6] * 15, assessed=3),
        retriage_urgency="emergency",
        new_red_flags=("bladder_change",),
        self_care_days=40,
        pain_days=100,
        rule=CHANGE,
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
    found = escalations(
        summary_for(pains),
        retriage_urgency=urgency,
        new_red_flags=("fever",),
        self_care_days=self_care,
        pain_days=pain_days,
        rule=CHANGE,
    )
    ranks = [URGENCY_RANK[e.urgency] for e in found]
    assert ranks == sorted(ranks, reverse=True)
    if urgency in ("emergency", "urgent"):
        assert found[0].urgency == urgency
        assert found[0].reason == "new_red_flag"


@pytest.mark.parametrize("urgency", ["self_care", None])
def test_a_red_flag_triage_calls_self_care_does_not_escalate_on_its_own(
    urgency: str | None,
) -> None:
    found = escalations(
        summary_for([2] * 5),
        retriage_urgency=urgency,
        new_red_flags=("fever",),
        self_care_days=3,
        pain_days=5,
        rule=CHANGE,
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
    found = escalations(
        summary_for([3] * 10, assessed=3),
        retriage_urgency=None,
        new_red_flags=(),
        self_care_days=10,
        pain_days=12,
        run_advice=advice,
        week_advice=advice[-1],
        rule=CHANGE,
    )
    assert (("soon", "not_recovering") in [(e.urgency, e.reason) for e in found]) is escalates
