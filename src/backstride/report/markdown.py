"""The personal plan as Markdown (readable as plain text, renders anywhere)."""

from __future__ import annotations

from datetime import date

from backstride.knowledge.model import KnowledgeBase
from backstride.plan.model import PhaseBlock, Plan, PlanItem
from backstride.report.plain import (
    caution_words,
    duration_words,
    more_sources_line,
    pattern_names,
)
from backstride.report.plan_view import (
    STATUS_WORDS,
    PlanView,
    day_summary,
    phase_words,
    plan_view,
    source_line,
)


def plan_markdown(
    plan: Plan, kb: KnowledgeBase, *, today: date | None = None, all_sources: bool = False
) -> str:
    """The whole plan as a Markdown document (the key sources; all with `all_sources`)."""
    view = plan_view(plan, kb, today=today, all_sources=all_sources)
    parts = [_header(view), _items("First", plan.top), _safety_net(view)]
    if plan.status != "no_self_care":
        parts += [
            _assessment(view, kb),
            "\n".join(_phase(p) for p in plan.phases),
            _items("Your personal plan", plan.personal),
            _schedule(view, phase_words(kb)),
            _reading(plan),
            _exercises(view),
            _items("Treatment options and what the evidence says", plan.treatments),
            _items("Staying well: prevention", plan.prevention),
        ]
    parts += [_sources(view, kb), f"_{plan.disclaimer}_\n"]
    return "\n".join(p for p in parts if p)


def _header(view: PlanView) -> str:
    plan = view.plan
    return (
        f"# Your back and running plan\n\n"
        f"- Start: {plan.start.isoformat()} ({plan.weeks} weeks)\n"
        f"- Assessment: {plan.urgency_heading}\n"
        f"- Knowledge base: version {plan.kb_version}, digest {plan.kb_digest[:12]}\n"
    )


def _safety_net(view: PlanView) -> str:
    net = view.safety_net
    if net is None:
        return ""
    lines = [f"## {net.title}\n", f"{net.intro}\n"]
    for part in net.lists:
        lines.append(f"**{part.heading}:**\n")
        lines += [f"- {item}" for item in part.items]
        lines.append("")
    lines.append(f"Sources: {net.cited}")
    return "\n".join(lines) + "\n"


def _cite(item: PlanItem) -> str:
    """Items carry their record and source ids for programs (JSON); people get plain text."""
    return ""


def _items(title: str, items: tuple[PlanItem, ...]) -> str:
    if not items:
        return ""
    lines = [f"## {title}\n"]
    for item in items:
        status = f" ({STATUS_WORDS.get(item.status, item.status)})" if item.status else ""
        lines.append(f"- **{item.title}**{status}: {item.text}{_cite(item)}")
    return "\n".join(lines) + "\n"


def _assessment(view: PlanView, kb: KnowledgeBase) -> str:
    a = view.plan.assessment
    lines = ["## Your assessment\n"]
    if a.patterns:
        lines.append(f"- Most likely (not a diagnosis): {', '.join(pattern_names(kb, a.patterns))}")
    if a.duration:
        lines.append(f"- How long: {duration_words(kb, a.duration)}")
    if a.start_back_risk:
        lines.append(f"- STarT Back: {a.start_back_total}/9, {a.start_back_risk} risk")
    if view.plan.cautions:
        lines.append(f"- Exercises left out because of: {caution_words(kb, view.plan.cautions)}")
    return "\n".join(lines) + "\n"


def _phase(block: PhaseBlock) -> str:
    lines = [
        f"## {block.title} ({block.start.isoformat()} to {block.end.isoformat()})\n",
        f"{block.goal}\n",
        "Start when: " + " ".join(block.entry),
        "",
        "Move on when: " + " ".join(block.exit),
        "",
    ]
    lines += [f"- **{i.title}**: {i.text}{_cite(i)}" for i in block.items]
    return "\n".join(lines) + "\n"


def _schedule(view: PlanView, phases: dict[str, str]) -> str:
    lines = ["## Day by day\n"]
    for week in view.weeks:
        lines += [
            f"### Week {week.number}\n",
            "| Day | Phase | Session | Learn |",
            "|---|---|---|---|",
        ]
        for day in week.days:
            what = f"**{day.title}**: {day_summary(day)}"
            if day.activity and (day.exercises or day.run):
                what += f" · {day.activity}"
            learn = day.education_title or ""
            lines.append(f"| {day.on:%a %d %b} | {phases[day.phase]} | {what} | {learn} |")
        lines.append("")
    return "\n".join(lines)


def _reading(plan: Plan) -> str:
    """The education topics of the schedule, each with its whole text."""
    if not plan.education:
        return ""
    lines = ["## What to read: the topics in your plan\n"]
    for item in plan.education:
        lines += [f"### {item.title}\n", f"{item.text}\n"]
    return "\n".join(lines)


def _exercises(view: PlanView) -> str:
    if not view.exercises:
        return ""
    lines = ["## How to do the exercises\n"]
    for p in view.exercises:
        lines.append(f"### {p.name}\n")
        lines.append(f"First dose in your plan: {p.dose_text}\n")
        lines += [f"{n}. {step}" for n, step in enumerate(p.steps, 1)]
        if p.caution_text:
            lines.append(f"\n> Caution: {p.caution_text}")
        for a in p.alternatives:
            lines.append(f"\n{a.label}: **{a.name}**\n")
            lines += [f"   {n}. {step}" for n, step in enumerate(a.steps, 1)]
        lines.append("")
    return "\n".join(lines)


def _sources(view: PlanView, kb: KnowledgeBase) -> str:
    lines = ["## Sources\n"]
    lines += [f"- {source_line(s, kb)}" for s in view.sources]
    if view.more_sources:
        lines.append(f"\n{more_sources_line(view.more_sources)}")
    return "\n".join(lines) + "\n"
