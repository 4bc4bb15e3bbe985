"""The phases of the plan: goals, entry and exit criteria, and the advice each carries.

Everything a phase says is its `plan_phase` record; its items are plan texts or
prevention records named by id.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from backstride.knowledge.content import Exercise, Phase, PreventionItem
from backstride.knowledge.model import KnowledgeBase
from backstride.knowledge.plan_texts import WALK_RUN_ID, PlanText, phase_record
from backstride.plan.model import PhaseBlock, PlanItem
from backstride.plan.schedule import Block

LEG_WAIT_ID = "text.leg.running_waits"


def phase_blocks(
    blocks: Sequence[Block],
    exercises: Mapping[Phase, tuple[Exercise, ...]],
    start: date,
    *,
    kb: KnowledgeBase,
    leg_wait: bool,
) -> tuple[PhaseBlock, ...]:
    """A PhaseBlock per scheduled block, with dates, criteria and cited items."""
    out = []
    for b in blocks:
        record = phase_record(kb, b.phase)
        extra = (LEG_WAIT_ID,) if leg_wait and b is blocks[-1] else ()
        out.append(
            PhaseBlock(
                phase=b.phase,
                title=record.name,
                goal=record.goal,
                start=start + timedelta(days=b.first),
                end=start + timedelta(days=b.first + b.length - 1),
                entry=record.entry,
                exit=record.exit,
                items=tuple(plan_item(kb, ref) for ref in (*record.items, *extra)),
                exercise_ids=tuple(e.id for e in exercises.get(b.phase, ())),
                records=(record.id, *((WALK_RUN_ID,) if b.phase == "return_to_run" else ())),
            )
        )
    return tuple(out)


def plan_item(kb: KnowledgeBase, record_id: str) -> PlanItem:
    """A plan text or a prevention record, by id, as a cited plan item."""
    record = kb.get(record_id)
    if isinstance(record, PreventionItem):
        p = record
        return PlanItem(f"routine.{p.id}", "prevention", p.title, p.advice, (p.id,), p.sources)
    text = kb.one(PlanText, record_id)
    drawn = [kb.get(r) for r in text.records]
    sources = tuple(dict.fromkeys((*text.sources, *(s for r in drawn for s in r.sources))))
    key = text.id.removeprefix("text.")
    return PlanItem(key, text.kind, text.title, text.text, (text.id, *text.records), sources)
