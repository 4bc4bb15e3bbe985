"""Findings on synthetic histories: each rule fires when, and only when, it should."""

from __future__ import annotations

import re
from typing import get_args

import numpy as np
import pytest

from backstride.analytics import findings as engine
from backstride.analytics.equipment import Shoe
from backstride.analytics.form import run_form
from backstride.domain.activity import Samples
from backstride.domain.finding import FindingId
from backstride.knowledge import load_knowledge_base
from tests.analytics.history_builders import RULES, day, run
from tests.defaults import SHOE_INSPECTION_KM
from tests.provenance import assert_produced


def build_findings(history, **options) -> list:
    """The engine's findings, at the default inspection distance unless a test sets one."""
    return engine.build_findings(history, **{"shoe_inspection_km": SHOE_INSPECTION_KM, **options})


def ids(findings) -> list[str]:
    return [f.id for f in findings]


def every_other_day(first: int, last: int, km: float, **extra) -> list:
    return [run(d, km, **extra) for d in range(first, last + 1, 2)]


def test_seven_identical_days_give_high_monotony_and_no_rest_days():
    history = every_other_day(0, 27, 6.0) + [run(d, 5.0) for d in range(28, 35)]
    found = ids(build_findings(history, today=day(34), since=day(28), rules=RULES))
    assert "high_monotony" in found
    assert "no_rest_days" in found


def test_a_varied_week_with_rest_days_gives_neither():
    history = [*every_other_day(0, 27, 6.0), run(29, 4.0), run(31, 10.0), run(33, 6.0)]
    found = ids(build_findings(history, today=day(34), since=day(28), rules=RULES))
    assert "high_monotony" not in found
    assert "no_rest_days" not in found


@pytest.mark.parametrize(("streak", "fires"), [(6, False), (7, True), (12, True)])
def test_no_rest_days_fires_from_seven_days_in_a_row(streak, fires):
    history = [run(d, 5.0 + (d % 3)) for d in range(10, 10 + streak)]
    found = build_findings(history, today=day(30), since=day(0), rules=RULES)
    assert ("no_rest_days" in ids(found)) is fires


def test_acwr_rising_is_shown_with_its_method_and_marked_as_contested():
    history = every_other_day(0, 41, 6.0) + [run(d, 10.0) for d in range(42, 49)]
    found = [
        f
        for f in build_findings(history, today=day(48), since=day(42), rules=RULES)
        if f.id == "acwr_rising"
    ]
    assert len(found) == 1
    assert "EWMA 7/28 days" in found[0].evidence
    assert "contested" in found[0].evidence
    assert found[0].metrics["acwr_ewma"] > 1.3
    assert {"lolli-2019", "impellizzeri-2020", "impellizzeri-2021"} <= set(found[0].sources)


def test_a_steady_history_never_shows_a_rising_ratio():
    history = [run(d, 6.0) for d in range(0, 90, 2)]
    assert "acwr_rising" not in ids(
        build_findings(history, today=day(89), since=day(0), rules=RULES)
    )


def test_a_ratio_is_never_shown_before_28_days_of_history():
    history = [run(d, 2.0) for d in range(0, 10, 2)] + [run(d, 12.0) for d in range(10, 20)]
    assert "acwr_rising" not in ids(
        build_findings(history, today=day(19), since=day(0), rules=RULES)
    )


@pytest.mark.parametrize(
    ("start_km", "retired", "fires"),
    [(587.0, False, False), (588.0, False, True), (900.0, True, False)],
)
def test_shoe_inspection_is_a_soft_flag_at_the_configured_distance(start_km, retired, fires):
    history = [run(5, 12.0, shoe="Daily trainer")]
    shoes = [Shoe("Daily trainer", start_km=start_km, retired=retired)]
    found = build_findings(
        history, today=day(6), since=day(0), shoes=shoes, shoe_inspection_km=600, rules=RULES
    )
    assert ("shoe_inspection_due" in ids(found)) is fires


def test_switching_most_of_a_week_to_trail_is_flagged_as_new_load():
    history = [
        *every_other_day(0, 27, 6.0, sub_sport="street"),
        run(28, 8.0, sub_sport="trail"),
        run(30, 8.0, sub_sport="trail"),
        run(32, 4.0, sub_sport="street"),
    ]
    found = [
        f
        for f in build_findings(history, today=day(34), since=day(28), rules=RULES)
        if f.id == "surface_change"
    ]
    assert len(found) == 1
    assert "trail" in found[0].title
    assert found[0].metrics["share_before"] == 0.0
    assert len(found[0].runs) == 2


def test_a_tag_the_runner_chose_counts_as_a_surface_and_unknown_ones_do_not():
    quiet = every_other_day(0, 34, 6.0)  # no sub_sport, no tag: unknown surface
    assert "surface_change" not in ids(
        build_findings(quiet, today=day(34), since=day(0), rules=RULES)
    )
    tagged = [*every_other_day(0, 27, 6.0, surface_tag="road"), run(29, 9.0, surface_tag="Grass")]
    found = [
        f
        for f in build_findings(tagged, today=day(34), since=day(28), rules=RULES)
        if f.id == "surface_change"
    ]
    assert [f.title for f in found] == ["Switch to grass in the week of 2024-01-29"]


def _form(offset: int, cadence: float, *, vo_mm: float = 85.0):
    n = 1200
    stamps = np.datetime64("2024-01-01T07:00:00", "ms") + np.arange(n) * np.timedelta64(1, "s")
    samples = Samples(
        timestamp=stamps,
        channels={
            "speed_mps": np.full(n, 3.0),
            "cadence_spm": np.full(n, cadence),
            "vertical_oscillation_mm": np.full(n, vo_mm),
        },
    )
    return run_form(samples, key=f"form-{offset}", day=day(offset), sampling=RULES.params.form)


@pytest.mark.parametrize(("recent_spm", "fires"), [(165.0, False), (164.9, True), (160.0, True)])
def test_cadence_drop_compares_the_last_four_weeks_with_the_twelve_before(recent_spm, fires):
    forms = [_form(d, 170.0) for d in range(0, 84, 3)] + [
        _form(d, recent_spm) for d in range(84, 112, 3)
    ]
    found = build_findings([], today=day(111), since=day(84), forms=forms, rules=RULES)
    assert ("cadence_drop" in ids(found)) is fires


def test_low_cadence_is_context_and_suggests_five_to_ten_percent_of_the_runners_own():
    forms = [_form(d, 158.0) for d in range(0, 28, 2)]
    found = [
        f
        for f in build_findings([], today=day(27), since=day(0), forms=forms, rules=RULES)
        if f.id == "low_cadence_for_speed"
    ]
    assert len(found) == 1
    assert found[0].severity == "info"
    assert "not an injury threshold" in found[0].evidence
    assert "180" in found[0].evidence
    assert found[0].metrics["target_low_spm"] == pytest.approx(165.9)


def test_an_ordinary_cadence_gives_no_low_cadence_finding():
    forms = [_form(d, 168.0) for d in range(0, 28, 2)]
    assert "low_cadence_for_speed" not in ids(
        build_findings([], today=day(27), since=day(0), forms=forms, rules=RULES)
    )


@pytest.mark.parametrize(("vo_mm", "fires"), [(80.0, False), (104.0, True)])
def test_high_vertical_oscillation_is_judged_against_the_labelled_population_band(vo_mm, fires):
    forms = [_form(d, 176.0, vo_mm=vo_mm) for d in range(0, 28, 2)]
    found = build_findings([], today=day(27), since=day(0), forms=forms, rules=RULES)
    assert ("high_vertical_oscillation" in ids(found)) is fires


def _busy_history():
    history = every_other_day(0, 41, 6.0, sub_sport="street", shoe="Old")
    history += [run(d, 9.0, sub_sport="trail", shoe="Old") for d in range(42, 49)]
    history += [run(49, 25.0, sub_sport="trail", shoe="Old")]
    forms = [_form(d, 170.0, vo_mm=110.0) for d in range(0, 24, 2)] + [
        _form(d, 160.0, vo_mm=110.0) for d in range(24, 50, 2)
    ]
    return build_findings(
        history,
        today=day(49),
        since=day(42),
        forms=forms,
        shoes=[Shoe("Old", start_km=700)],
        rules=RULES,
    )


@pytest.mark.covers(*(f"finding.{f}" for f in get_args(FindingId)))
def test_a_busy_history_produces_every_kind_of_finding_in_a_stable_order():
    found = _busy_history()
    assert set(ids(found)) == set(get_args(FindingId))
    assert_produced(found, *(f"finding.{f}" for f in get_args(FindingId)))
    assert found == _busy_history()
    assert [f.on for f in found] == sorted(f.on for f in found)


def test_no_finding_states_an_injury_risk_in_percent_and_every_one_cites_known_sources():
    known = set(load_knowledge_base().sources)
    for finding in _busy_history():
        text = f"{finding.title} {finding.evidence}".lower()
        assert not re.search(r"%\s*(injury\s*)?risk|risk of \d", text)
        assert finding.sources
        assert set(finding.sources) <= known
        assert "consider" in text or finding.severity == "info"


def test_findings_outside_the_reporting_window_are_left_out():
    history = [run(0, 5.0), run(10, 12.0)]
    assert ids(build_findings(history, today=day(40), since=day(20), rules=RULES)) == []
    assert ids(build_findings(history, today=day(40), since=day(0), rules=RULES)) == [
        "weekly_distance_jump",
        "single_run_spike",
    ]


def test_cycling_days_count_for_coverage_but_never_print_an_undefined_ratio():
    rides = [run(d, 30.0, sport="cycling") for d in range(0, 49)]
    runs = [run(d, 8.0) for d in (*range(0, 11), *range(42, 49))]  # no run on days 11-41
    found = build_findings(rides + runs, today=day(48), since=day(42), rules=RULES)
    acwr = [f for f in found if f.id == "acwr_rising"]
    assert len(acwr) == 1
    assert "acwr_uncoupled" not in acwr[0].metrics  # its chronic window held no running
    assert "uncoupled" not in acwr[0].evidence
    assert all("nan" not in f.evidence for f in found)
