"""The pain-monitoring rule per run: advance, hold or step back."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backstride.domain.diary import DiaryEntry
from backstride.knowledge import load_knowledge_base
from backstride.progress.monitoring import check_run, check_runs, monitoring_rule

DAY = date(2026, 3, 10)
RULE = monitoring_rule(load_knowledge_base())


@pytest.mark.parametrize(
    ("before", "during", "morning", "rising", "leg", "advice"),
    [
        (3.0, 3, 3, False, False, "advance"),  # within 5 and settled by the morning
        (3.0, 5, 2, False, False, "advance"),  # 5/10 during is still acceptable
        (3.0, 6, 3, False, False, "step_back"),  # above 5 during
        (3.0, 4, 6, False, False, "step_back"),  # above 5 next morning
        (3.0, 4, 4, False, False, "hold"),  # not settled to the usual level
        (3.0, 4, 3, True, False, "hold"),  # rising week to week
        (3.0, 4, None, False, False, "hold"),  # no morning answer yet
        (3.0, 2, 2, False, True, "step_back"),  # new leg symptoms stop progression
    ],
)
def test_the_rule_gives_the_expected_advice(
    before: float, during: int, morning: int | None, rising: bool, leg: bool, advice: str
) -> None:
    check = check_run(
        RULE,
        on=DAY,
        pain_before=before,
        pain_during=during,
        pain_next_morning=morning,
        week_rising=rising,
        new_leg_symptoms=leg,
    )
    assert check.advice == advice
    assert "silbernagel-2007" in check.sources


def test_next_morning_pain_is_read_from_the_next_days_entry() -> None:
    entries = [
        DiaryEntry(at=datetime(2026, 3, 9, 8), pain_now=3),
        DiaryEntry(at=datetime(2026, 3, 10, 19), pain_now=4, pain_during_run=4),
        DiaryEntry(at=datetime(2026, 3, 11, 7), pain_now=3),
    ]
    (check,) = check_runs(entries, RULE)
    assert check.pain_next_morning == 3
    assert check.advice == "advance"


def test_only_entries_with_run_pain_are_checked() -> None:
    entries = [DiaryEntry(at=datetime(2026, 3, d, 8), pain_now=2) for d in range(1, 6)]
    assert check_runs(entries, RULE) == ()


@given(
    st.lists(
        st.tuples(
            st.integers(0, 30),
            st.integers(0, 23),
            st.integers(0, 10),
            st.none() | st.integers(0, 10),
            st.none() | st.integers(0, 10),
            st.booleans(),
        ),
        max_size=60,
    )
)
def test_every_logged_run_gets_exactly_one_verdict(
    rows: list[tuple[int, int, int, int | None, int | None, bool]],
) -> None:
    entries = [
        DiaryEntry(
            at=datetime(2026, 3, 1, hour) + timedelta(days=day),
            pain_now=pain,
            pain_during_run=during,
            pain_next_morning=morning,
            leg_symptoms=leg,
        )
        for day, hour, pain, during, morning, leg in rows
    ]
    checks = check_runs(entries, RULE)
    assert len(checks) == sum(1 for e in entries if e.pain_during_run is not None)
    for check in checks:
        assert check.advice in ("advance", "hold", "step_back")
        if check.pain_during is not None and check.pain_during > RULE.max_pain:
            assert check.advice == "step_back"
