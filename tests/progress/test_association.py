"""Pain and load: lagged within-person association, shown only with enough days."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from backstride.analytics.rules import FindingRules
from backstride.knowledge import load_knowledge_base
from backstride.knowledge.care import AssociationWords
from backstride.progress.association import (
    WORDS_ID,
    RunLoad,
    daily_load,
    pain_load_associations,
    pearson,
)
from tests.provenance import assert_produced

START = date(2026, 3, 1)
WORDS = load_knowledge_base().one(AssociationWords, WORDS_ID)
#: the spike ratio's window is the spike rule's own
WINDOW = FindingRules.from_kb(load_knowledge_base()).spike.lookback_days


def run(
    day: int, km: float, *, surface: str | None = None, cadence: float | None = None
) -> RunLoad:
    start = datetime.combine(START + timedelta(days=day), datetime.min.time(), tzinfo=UTC)
    return RunLoad(f"r{day}", start.replace(hour=7), km * 1000, km * 360, cadence, surface)


def test_next_day_pain_that_follows_distance_shows_a_strong_positive_link() -> None:
    kms = [0, 5, 0, 12, 0, 8, 3, 0, 15, 0, 6, 0, 10, 2]
    runs = [run(d, km) for d, km in enumerate(kms) if km]
    pain = {START + timedelta(days=d + 1): 1 + km / 3 for d, km in enumerate(kms)}
    found = {
        a.feature: a for a in pain_load_associations(pain, runs, words=WORDS, lookback_days=WINDOW)
    }
    assert found["distance_km"].correlation > 0.99
    # day 0 has no run and comes before the first run: it cannot count as a rest day yet
    assert found["distance_km"].days == len(kms) - 1
    assert f"{len(kms) - 1} days" in found["distance_km"].hypothesis
    assert "not proof" in found["distance_km"].hypothesis
    assert "a strong link" in found["distance_km"].hypothesis  # r above the record's strong_r
    assert_produced(found["distance_km"], WORDS_ID)


def test_too_few_days_show_no_association() -> None:
    runs = [run(d, 5 + d) for d in range(4)]
    pain = {START + timedelta(days=d + 1): float(d) for d in range(4)}
    assert pain_load_associations(pain, runs, words=WORDS, lookback_days=WINDOW) == ()


def test_spike_ratio_compares_with_the_longest_run_of_the_previous_thirty_days() -> None:
    features = daily_load([run(0, 10), run(5, 8), run(10, 15)], words=WORDS, lookback_days=WINDOW)
    assert "spike_ratio" not in features[START]
    assert features[START + timedelta(days=10)]["spike_ratio"] == 1.5


def test_the_spike_ratio_window_is_the_spike_rule_s_own() -> None:
    assert WINDOW == 30  # finding.single_run_spike: Frandsen's 30 days
    features = daily_load([run(0, 10), run(WINDOW, 15)], words=WORDS, lookback_days=WINDOW)
    assert features[START + timedelta(days=WINDOW)]["spike_ratio"] == 1.5  # day 0 is inside
    features = daily_load([run(0, 10), run(WINDOW + 1, 15)], words=WORDS, lookback_days=WINDOW)
    assert "spike_ratio" not in features[START + timedelta(days=WINDOW + 1)]  # now outside


def test_surface_shares_and_cadence_are_distance_and_time_weighted() -> None:
    features = daily_load(
        [run(0, 6, surface="trail", cadence=160), run(0, 2, surface="treadmill", cadence=180)],
        words=WORDS,
        lookback_days=WINDOW,
    )
    day = features[START]
    assert day["trail_share"] == 0.75
    assert day["treadmill_share"] == 0.25
    assert day["cadence_spm"] == 165.0


def test_pearson_is_undefined_for_a_constant_series() -> None:
    assert pearson([1, 1, 1], [1, 2, 3]) is None
    assert pearson([1, 2, 3], [3, 2, 1]) == -1.0


@given(
    st.lists(st.floats(0, 40, allow_nan=False), min_size=7, max_size=40),
    st.lists(st.floats(0, 10, allow_nan=False), min_size=7, max_size=40),
)
def test_every_association_is_a_correlation_between_minus_one_and_one(
    kms: list[float], pains: list[float]
) -> None:
    runs = [run(d, km) for d, km in enumerate(kms) if km > 0]
    pain = {START + timedelta(days=d + 1): p for d, p in enumerate(pains)}
    for association in pain_load_associations(pain, runs, words=WORDS, lookback_days=WINDOW):
        assert -1.0 <= association.correlation <= 1.0
        assert association.days >= 7
