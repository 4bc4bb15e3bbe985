"""Plan phases, walk-run stages and templates are data the loader checks and the plan reads."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import get_args

import pytest

from backstride.assess.result import StartBackScore
from backstride.errors import KnowledgeBaseError
from backstride.knowledge import load_knowledge_base
from backstride.knowledge.content import Phase
from backstride.knowledge.load import data_dir
from backstride.knowledge.plan_texts import (
    WALK_RUN_ID,
    EducationPriority,
    PlanPhase,
    WalkRunTemplate,
)
from backstride.plan import build_plan
from tests.defaults import SHOE_INSPECTION_KM
from tests.plan.builders import case, result
from tests.provenance import assert_produced

KB = load_knowledge_base()


def test_every_phase_has_exactly_one_record() -> None:
    assert sorted(p.phase for p in KB.of(PlanPhase)) == sorted(get_args(Phase))


@pytest.mark.covers("phase.settle", "phase.restore", "phase.strengthen", "walk_run.template")
def test_the_plan_shows_each_phase_and_walk_run_stage_as_its_record_says() -> None:
    plan = build_plan(
        result(KB),
        case(),
        [],
        [],
        date(2026, 11, 23),
        KB,
        weeks=10,
        shoe_inspection_km=SHOE_INSPECTION_KM,
    )
    for block in plan.phases:
        record = KB.one(PlanPhase, f"phase.{block.phase}")
        assert (block.title, block.goal, block.entry, block.exit) == (
            record.name,
            record.goal,
            record.entry,
            record.exit,
        )
    stages = KB.one(WalkRunTemplate, WALK_RUN_ID).stages
    assert_produced(plan.phases, "phase.settle", "phase.restore", "phase.strengthen")
    assert_produced(plan.phases, "walk_run.template")
    runs = [d.run for d in plan.days if d.run is not None]
    assert runs[0].stage_label == stages[0].label
    assert {r.stage for r in runs} >= {s.stage for s in stages}


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("monitoring.yaml", "{pain_during}/10, above", "{pain_now}/10, above", "pain_now"),
        ("findings.yaml", "{min_increase_pct:g} % or more", "{limit:g} % or more", "limit"),
        ("findings.yaml", "{monotony_high: 2.0}", "{monotony_max: 2.0}", "thresholds"),
        ("change.yaml", "flaring_runs: 3", "flaring_runs: 0", "flaring_runs"),
        ("signals.yaml", "prevention: load-longest-run", "prevention: nope", "nope"),
        ("walk_run.yaml", "{stage: 2,", "{stage: 3,", "stages"),
        ("exercises.yaml", "harder: [dead-bug]", "harder: [edu-pacing]", "not of kind exercise"),
        ("exercises.yaml", "harder: [dead-bug]", "harder: [heel-slides]", "not itself"),
        ("exercises.yaml", "harder: [dead-bug]", "harder: [dead-bugs]", "unknown record id"),
    ],
)
def test_a_broken_template_or_limit_stops_the_load_naming_the_field(
    tmp_path: Path, file: str, old: str, new: str, message: str
) -> None:
    for path in data_dir().glob("*.yaml"):
        shutil.copy(path, tmp_path)
    target = tmp_path / file
    text = target.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match=message):
        load_knowledge_base(tmp_path)


@pytest.mark.covers(
    "education.first.start_back_raised",
    "education.first.start_back_high",
    "education.first.radicular",
    "education.first.sacroiliac",
    "education.first.inflammatory",
)
@pytest.mark.parametrize(
    ("overrides", "record_id"),
    [
        ({"start_back": StartBackScore(5, 2, "medium")}, "education.first.start_back_raised"),
        ({"start_back": StartBackScore(7, 5, "high")}, "education.first.start_back_high"),
        ({"patterns": ("radicular",)}, "education.first.radicular"),
        ({"patterns": ("sacroiliac",)}, "education.first.sacroiliac"),
        ({"patterns": ("inflammatory",)}, "education.first.inflammatory"),
    ],
)
def test_education_starts_with_the_topics_the_priority_record_names(
    overrides: dict[str, object], record_id: str
) -> None:
    plan = build_plan(
        result(KB, **overrides),
        case(),
        [],
        [],
        date(2026, 11, 23),
        KB,
        shoe_inspection_km=SHOE_INSPECTION_KM,
    )
    first = KB.one(EducationPriority, record_id).first
    shown = list(dict.fromkeys(d.education_id for d in plan.days))
    assert shown[: len(first)] == list(first)
    assert_produced(plan.education[: len(first)], record_id)
