"""Every analytic parameter is read from its record: change the record in a copy of the
knowledge base and the numbers, decisions and sentences change with it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from backstride.analytics.analysis import analyze_training
from backstride.analytics.findings import findings_from
from backstride.analytics.form import RunForm, population_position, run_form
from backstride.analytics.load import banister_trimp
from backstride.analytics.params import AnalysisParams
from backstride.analytics.rules import FindingRules
from backstride.assess.intake import Running
from backstride.domain.activity import Samples
from backstride.domain.diary import DiaryEntry
from backstride.errors import BackstrideError
from backstride.knowledge import load_knowledge_base
from backstride.knowledge.model import KnowledgeBase
from backstride.plan.personal import profile_signals
from backstride.progress.change import ProgressSummary, change_rule, summarise_progress
from backstride.report.clinician_report import ReportData, render_html, report_context
from backstride.services.analysis import current_metrics
from tests.analytics.history_builders import RULES, day, run
from tests.defaults import SHOE_INSPECTION_KM
from tests.kb_copy import Edit, edited, setting
from tests.progress.limits import RMDQ_POINTS, RMDQ_RECOVERED_MAX


def analysed(rules: FindingRules, history: list[Any], *, days: int, forms: Any = ()) -> Any:
    """The analysis of `history` up to `days` after the start, with `rules`' parameters."""
    return analyze_training(
        history,
        today=day(days),
        since=day(0),
        forms=forms,
        params=rules.params,
        shoe_inspection_km=SHOE_INSPECTION_KM,
    )


def daily_runs(last: int, km: float = 6.0, *, skip: range = range(0)) -> list[Any]:
    return [run(d, km) for d in range(last + 1) if d not in skip]


# load.windows: the ratio windows, their coverage rule, the monotony cap, the method sentence


def test_the_acute_window_and_the_method_sentence_follow_the_record(tmp_path: Path) -> None:
    kb = edited(
        tmp_path, "load_windows.yaml", "load.windows", setting(acute_days=14, min_active_blocks=2)
    )
    history = daily_runs(20) + [run(d, 12.0) for d in range(21, 40)]
    packaged = analysed(RULES, history, days=39)
    changed = analysed(FindingRules.from_kb(kb), history, days=39)
    assert packaged.acwr_method.startswith("EWMA 7/28 days")
    assert changed.acwr_method.startswith("EWMA 14/28 days")
    assert changed.acwr["ewma"][-1] != pytest.approx(packaged.acwr["ewma"][-1], abs=1e-3)
    assert current_metrics(changed)["acwr_method"] == changed.acwr_method


def test_the_coverage_a_ratio_needs_follows_the_record(tmp_path: Path) -> None:
    kb = edited(tmp_path, "load_windows.yaml", "load.windows", setting(min_active_blocks=4))
    history = daily_runs(30, skip=range(10, 17))  # one of the four weeks before day 30 empty
    assert np.isfinite(analysed(RULES, history, days=30).acwr["ewma"][-1])
    assert np.isnan(analysed(FindingRules.from_kb(kb), history, days=30).acwr["ewma"][-1])


def test_the_monotony_cap_follows_the_record(tmp_path: Path) -> None:
    kb = edited(tmp_path, "load_windows.yaml", "load.windows", setting(monotony_cap=4))
    rules = FindingRules.from_kb(kb)
    history = daily_runs(13)  # the same distance every day: SD 0, monotony capped
    assert analysed(RULES, history, days=13).monotony[-1] == 10.0
    changed = analysed(rules, history, days=13)
    assert changed.monotony[-1] == 4.0
    monotony = [f for f in findings_from(changed, rules) if f.id == "high_monotony"]
    assert monotony
    assert all(f.metrics["monotony"] == 4.0 for f in monotony)


def test_windows_that_do_not_nest_stop_the_load(tmp_path: Path) -> None:
    from backstride.errors import KnowledgeBaseError

    with pytest.raises(KnowledgeBaseError, match=r"load\.windows.*chronic_days"):
        edited(tmp_path, "load_windows.yaml", "load.windows", setting(acute_days=10))


# load.impulse_response: TRIMP coefficients and the fitness/fatigue time constants


def test_the_fitness_time_constant_and_its_sentence_follow_the_record(tmp_path: Path) -> None:
    kb = edited(
        tmp_path, "impulse_response.yaml", "load.impulse_response", setting(fitness_days=21)
    )
    history = daily_runs(40)
    packaged = analysed(RULES, history, days=40)
    changed = analysed(FindingRules.from_kb(kb), history, days=40)
    assert changed.fitness.fitness[-1] > packaged.fitness.fitness[-1]  # a shorter rise
    assert changed.fitness.fatigue[-1] == pytest.approx(packaged.fitness.fatigue[-1])
    assert "N = 42 and 7 days" in current_metrics(packaged)["fitness_fatigue_convention"]
    assert "N = 21 and 7 days" in current_metrics(changed)["fitness_fatigue_convention"]


def test_the_trimp_coefficients_are_the_records(tmp_path: Path) -> None:
    def double_a(record: dict[str, Any]) -> None:
        record["trimp_women"]["a"] *= 2

    kb = edited(tmp_path, "impulse_response.yaml", "load.impulse_response", double_a)
    hr, dt = np.full(1800, 130.0), np.ones(1800)
    before = banister_trimp(
        hr, dt, hr_rest_bpm=40, hr_max_bpm=200, coefficients=RULES.params.impulse.trimp_women
    )
    after = banister_trimp(
        hr, dt, hr_rest_bpm=40, hr_max_bpm=200,
        coefficients=AnalysisParams.from_kb(kb).impulse.trimp_women,
    )  # fmt: skip
    assert before == pytest.approx(37.129, abs=1e-3)
    assert after == pytest.approx(2 * before)


# form.sampling: what counts as running, the speed bands, the periods compared


def _samples(speed_mps: float, cadence_spm: float, n: int = 1200) -> Samples:
    stamps = np.datetime64("2024-01-01T07:00:00", "ms") + np.arange(n) * np.timedelta64(1, "s")
    return Samples(
        timestamp=stamps,
        channels={"speed_mps": np.full(n, speed_mps), "cadence_spm": np.full(n, cadence_spm)},
    )


def test_the_running_speed_and_band_width_follow_the_record(tmp_path: Path) -> None:
    kb = edited(
        tmp_path, "form_params.yaml", "form.sampling",
        setting(min_run_speed_mps=3.5, band_width_mps=0.5),
    )  # fmt: skip
    changed = AnalysisParams.from_kb(kb).form
    samples = _samples(3.0, 170.0)
    assert run_form(samples, key="a", day=day(0), sampling=RULES.params.form) is not None
    assert run_form(samples, key="a", day=day(0), sampling=changed) is None
    faster = run_form(_samples(3.6, 170.0), key="b", day=day(0), sampling=changed)
    assert faster is not None
    assert faster.band_lo_mps.tolist() == [3.5]  # 0.5 m/s bands: 3.5-4.0


def test_the_recent_form_period_follows_the_record(tmp_path: Path) -> None:
    kb = edited(tmp_path, "form_params.yaml", "form.sampling", setting(recent_days=14))
    rules = FindingRules.from_kb(kb)
    forms: list[RunForm] = []
    for d in range(0, 28, 2):
        form = run_form(_samples(3.0, 150.0), key=f"f{d}", day=day(d), sampling=rules.params.form)
        assert form is not None
        forms.append(form)

    def low_cadence(r: FindingRules) -> Any:
        analysis = analysed(r, [], days=27, forms=forms)
        return next(f for f in findings_from(analysis, r) if f.id == "low_cadence_for_speed")

    assert "last 28 days" in low_cadence(RULES).evidence
    changed = low_cadence(rules)
    assert "last 14 days" in changed.evidence
    assert len(changed.runs) == 7  # the runs of the last 14 days only


# form.population_middle: the bands shown as context and the note that names them


def test_the_population_band_and_its_note_follow_the_record(tmp_path: Path) -> None:
    def widen(record: dict[str, Any]) -> None:
        record["bands"]["cadence_spm"]["low"] = 150
        record["note"] = "{position} most users ({low:g}-{high:g} {unit})"

    kb = edited(tmp_path, "population_bands.yaml", "form.population_middle", widen)
    assert population_position("cadence_spm", 160.0, RULES.params.population)[0] == "below"
    position, note = population_position(
        "cadence_spm", 160.0, AnalysisParams.from_kb(kb).population
    )
    assert (position, note) == ("within", "within most users (150-173 spm)")


def test_a_low_cadence_is_one_below_the_population_bands_lower_edge(tmp_path: Path) -> None:
    def lower(record: dict[str, Any]) -> None:
        record["bands"]["cadence_spm"]["low"] = 150

    edge = RULES.params.population.bands["cadence_spm"].low
    assert (RULES.is_low_cadence(edge - 0.1), RULES.is_low_cadence(edge)) == (True, False)
    kb = edited(tmp_path, "population_bands.yaml", "form.population_middle", lower)
    changed = FindingRules.from_kb(kb)
    assert (changed.is_low_cadence(149.9), changed.is_low_cadence(edge - 0.1)) == (True, False)
    packaged = load_knowledge_base()
    running = Running.model_validate({"cadence_spm": 155})
    assert "signal.cadence" in dict(
        profile_signals(running, packaged, shoe_inspection_km=SHOE_INSPECTION_KM)
    )
    assert "signal.cadence" not in dict(
        profile_signals(running, kb, shoe_inspection_km=SHOE_INSPECTION_KM)
    )


def test_a_population_record_without_a_cadence_band_stops_the_load(tmp_path: Path) -> None:
    def drop(record: dict[str, Any]) -> None:
        del record["bands"]["cadence_spm"]

    with pytest.raises(BackstrideError, match="cadence_spm"):
        edited(tmp_path, "population_bands.yaml", "form.population_middle", drop)


# finding.surface_change: the surface-change rule's thresholds


def _surface_history() -> list[Any]:
    return [
        *[run(d, 6.0, sub_sport="street") for d in range(0, 28, 2)],
        run(28, 8.0, sub_sport="trail"),
        run(30, 8.0, sub_sport="trail"),
        run(32, 4.0, sub_sport="street"),
    ]


def _surface_findings(rules: FindingRules) -> list[Any]:
    analysis = analyze_training(
        _surface_history(),
        today=day(34),
        since=day(28),
        params=rules.params,
        shoe_inspection_km=SHOE_INSPECTION_KM,
    )
    return [f for f in findings_from(analysis, rules) if f.id == "surface_change"]


def _thresholds(**values: float) -> Edit:
    return lambda record: record["thresholds"].update(values)


def test_the_surface_change_distance_follows_the_record(tmp_path: Path) -> None:
    kb = edited(tmp_path, "findings.yaml", "finding.surface_change", _thresholds(min_km=20))
    assert len(_surface_findings(RULES)) == 1
    assert _surface_findings(FindingRules.from_kb(kb)) == []


def test_the_surface_change_baseline_weeks_are_applied_and_named(tmp_path: Path) -> None:
    kb = edited(tmp_path, "findings.yaml", "finding.surface_change", _thresholds(baseline_weeks=2))
    [packaged] = _surface_findings(RULES)
    [changed] = _surface_findings(FindingRules.from_kb(kb))
    assert "in the 4 weeks before" in packaged.evidence
    assert "in the 2 weeks before" in changed.evidence


# rule.meaningful_change: the window of "this week" in the pain diary


def _summary(kb: KnowledgeBase, pains: list[int]) -> ProgressSummary:
    start = day(0)
    entries = [
        DiaryEntry(at=datetime(start.year, start.month, start.day, 8) + timedelta(days=i),
                   pain_now=p)
        for i, p in enumerate(pains)
    ]  # fmt: skip
    return summarise_progress(
        entries, [], today=day(len(pains) - 1), rule=change_rule(kb),
        rmdq_points=RMDQ_POINTS, recovered_rmdq_max=RMDQ_RECOVERED_MAX,
    )  # fmt: skip


def test_the_diary_window_follows_the_change_record(tmp_path: Path) -> None:
    kb = edited(tmp_path, "change.yaml", "rule.meaningful_change", setting(window_days=3))
    pains = [6] * 10 + [2, 2, 2]
    packaged, changed = _summary(load_knowledge_base(), pains), _summary(kb, pains)
    assert (packaged.window_entries, changed.window_entries) == (7, 3)
    assert packaged.current_pain == pytest.approx((4 * 6 + 3 * 2) / 7, abs=1e-3)
    assert changed.current_pain == 2.0
    assert changed.window_start == day(10)
    assert dict(changed.rolling)[day(12)] == 2.0


# report.spans: what the clinician report covers


def test_the_clinician_report_spans_follow_the_record(tmp_path: Path) -> None:
    kb = edited(
        tmp_path, "report_spans.yaml", "report.spans",
        setting(clinician_training_weeks=3),
    )  # fmt: skip
    today = day(70)
    runs_ = [_run_load(d, 5.0) for d in range(0, 70, 3)]
    data = ReportData(
        generated_on=today, assessments=(), summary=_summary(kb, [3] * 5), escalations=(),
        run_checks=(), associations=(), rmdq=(), runs=runs_, new_red_flags=(),
        plan_phase=None, plan_created=None,
    )  # fmt: skip
    assert len(report_context(data, load_knowledge_base())["training"]) == 8
    assert len(report_context(data, kb)["training"]) == 3


def test_the_clinician_report_notes_state_the_limits_applied(tmp_path: Path) -> None:
    """The notes under the pain table and the chart are filled from the change rule, the
    RMDQ thresholds and the chart's span: change a limit, the sentence follows."""
    data = ReportData(
        generated_on=day(70), assessments=(), summary=_summary(load_knowledge_base(), [3] * 5),
        escalations=(), run_checks=(), associations=(), rmdq=(), runs=(), new_red_flags=(),
        plan_phase=None, plan_created=None,
    )  # fmt: skip
    packaged = report_context(data, load_knowledge_base())
    assert "2 points or 30 % on the 0–10 scale, 5 points on the RMDQ" in packaged["change_note"]
    assert "RMDQ 2 or less" in packaged["change_note"]
    assert "last 12 weeks" in packaged["chart_note"]
    assert "its 7-day mean" in packaged["chart_note"]
    kb = edited(tmp_path, "change.yaml", "rule.meaningful_change",
                setting(pain_points=3, fraction=0.4, window_days=5))  # fmt: skip
    changed = report_context(data, kb)
    assert "3 points or 40 % on the 0–10 scale" in changed["change_note"]
    assert "its 5-day mean" in changed["chart_note"]
    assert changed["change_note"] in render_html(data, kb)


def _run_load(offset: int, km: float) -> Any:
    from backstride.progress.association import RunLoad

    start = datetime.combine(day(offset), datetime.min.time(), UTC)
    return RunLoad(f"r{offset}", start, km * 1000, km * 360)


# finding.shoe_inspection_due: the weeks over which shoes in rotation are counted


def test_the_shoe_rotation_weeks_follow_the_record(tmp_path: Path) -> None:
    from backstride.analytics.equipment import Shoe

    kb = edited(
        tmp_path, "findings.yaml", "finding.shoe_inspection_due", _thresholds(rotation_weeks=1)
    )
    history = [run(d, 6.0, shoe="Old") for d in range(0, 21, 2)] + [run(27, 6.0, shoe="New")]
    shoes = [Shoe("Old", start_km=700.0), Shoe("New")]

    def shoe_finding(rules: FindingRules) -> Any:
        analysis = analyze_training(
            history,
            today=day(27),
            since=day(0),
            shoes=shoes,
            params=rules.params,
            shoe_inspection_km=SHOE_INSPECTION_KM,
        )
        return next(f for f in findings_from(analysis, rules) if f.id == "shoe_inspection_due")

    packaged, changed = shoe_finding(RULES), shoe_finding(FindingRules.from_kb(kb))
    assert packaged.metrics["shoes_in_rotation"] == 2.0
    assert "2 pair(s) in the last 8 weeks" in packaged.evidence
    assert changed.metrics["shoes_in_rotation"] == 1.0
    assert "1 pair(s) in the last 1 weeks" in changed.evidence
