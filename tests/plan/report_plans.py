"""Plans for renderer tests, built through the real assessor from the plan test cases."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from backstride.assess.casefile import case_from_data
from backstride.assess.triage import assess
from backstride.knowledge import KnowledgeBase, load_knowledge_base
from backstride.plan import Plan, build_plan
from tests.defaults import SHOE_INSPECTION_KM
from tests.plan.builders import START

CASES = Path(__file__).resolve().parents[1] / "plan" / "data"
KB: KnowledgeBase = load_knowledge_base()


@cache
def plan_for(name: str, *, weeks: int = 6) -> Plan:
    """The plan for tests/plan/data/<name>.yaml starting on START."""
    data = yaml.safe_load((CASES / f"{name}.yaml").read_text(encoding="utf-8"))
    case = case_from_data(data)
    return build_plan(
        assess(case, KB),
        case,
        [],
        [],
        START,
        KB,
        weeks=weeks,
        shoe_inspection_km=SHOE_INSPECTION_KM,
    )
