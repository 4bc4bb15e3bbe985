"""A plan for every assessment vignette, through the real assessor, holding the invariants."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from backstride.assess.casefile import case_from_data
from backstride.assess.triage import assess
from backstride.knowledge import load_knowledge_base
from backstride.knowledge.content import Exercise
from backstride.knowledge.plan_rules import plan_dosing
from backstride.plan import build_plan
from backstride.plan.cautions import case_cautions
from backstride.plan.stage import start_rule
from tests.defaults import SHOE_INSPECTION_KM
from tests.plan.builders import START

KB = load_knowledge_base()
HERE = Path(__file__).parent
VIGNETTES = HERE.parent / "assess" / "vignettes.yaml"


def _cases() -> list[Any]:
    """The assessment vignettes (when present) plus this folder's own case files."""
    params = [
        pytest.param(yaml.safe_load(p.read_text(encoding="utf-8")), id=p.stem)
        for p in sorted((HERE / "data").glob("*.yaml"))
    ]
    if VIGNETTES.is_file():
        document = yaml.safe_load(VIGNETTES.read_text(encoding="utf-8"))
        listed = document["vignettes"] if isinstance(document, dict) else document
        for vignette in listed:
            params.append(pytest.param(vignette["case"], id=str(vignette["id"])))
    return params


@pytest.mark.parametrize("data", _cases())
def test_every_vignette_gets_a_plan_that_matches_its_urgency(data: dict[str, Any]) -> None:
    case = case_from_data(data)
    assessment = assess(case, KB)
    plan = build_plan(assessment, case, [], [], START, KB, shoe_inspection_km=SHOE_INSPECTION_KM)
    if (
        assessment.urgency in ("emergency", "urgent")
        or case.age < 16
        or ("thoracic_pain" in assessment.referral_reasons)
    ):
        assert plan.status == "no_self_care"
        assert not plan.has_exercise_content
        assert plan.top[0].text == assessment.action
        return
    assert len(plan.days) == 42
    if assessment.urgency == "soon":
        assert plan.status == "interim"
        assert plan.top[1].kind == "referral"
    if start_rule(case, assessment, KB).running == "after_leg_symptoms":
        assert all(d.run is None for d in plan.days), "with leg symptoms the diary starts runs"
    cautions = case_cautions(assessment, case, severe_pain=plan_dosing(KB).severe_pain)
    for day in plan.days:
        for p in day.exercises:
            assert not set(KB.one(Exercise, p.exercise_id).cautions) & cautions
    for item in plan.all_items():
        assert item.sources
        assert set(item.sources) <= set(KB.sources)
