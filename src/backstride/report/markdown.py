"""The personal plan as Markdown (readable as plain text, renders anywhere)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from backstride.knowledge.model import KnowledgeBase
from backstride.knowledge.texts import screen_text
from backstride.plan.model import PhaseBlock, Plan, PlanItem
from backstride.report.plain import (
    caution_words,
    duration_words,
    more_sources_line,
    pattern_names,
)
from backstride.report.plan_view import (
    COLUMNS,
    PlanView,
    day_summary,
    phase_words,
    plan_view,
    source_line,
    status_words,
)


def plan_markdown(
    plan: Plan, kb: KnowledgeBase, *, today: date | None = None, all_sources: bool = False
) -> str:
    """The whole plan as a Markdown document (the key sources; all with `all_sources`)."""
    view = plan_view(plan, kb, today=today, all_sources=all_sources)
    say = _words(kb)
    parts = [_header(view, kb, say), _items(say("first"), plan.top, kb), _safety_net(view)]
    if plan.status != "no_self_care":
        parts += [
            _assessment(view, kb, say),
            "\n".join(_phase(p, say) for p in plan.phases),
            _items(say("personal"), plan.personal, kb),
            _schedule(view, phase_words(kb), kb),
            _reading(plan, say),
            _exercises(view, say),
            _items(say("treatments"), plan.treatments, kb),
            _items(say("prevention"), plan.prevention, kb),
        ]
    parts += [_sources(view, kb), f"_{plan.disclaimer}_\n"]
    return "\n".join(p for p in parts if p)


def _words(kb: KnowledgeBase) -> Callable[..., str]:
    """The document's sentences by name (record `text.plan_document`), fields filled."""

    def say(name: str, /, **values: object) -> str:
        return screen_text(kb, "plan_document", name, **values)

    return say


def _header(view: PlanView, kb: KnowledgeBase, say: Callable[..., str]) -> str:
    plan = view.plan
    start = say("start", start=plan.start.isoformat(), weeks=plan.weeks)
    kb_line = say("kb_line", version=plan.kb_version, digest=plan.kb_digest[:12])
    return (
        f"# {screen_text(kb, 'plan', 'title')}\n\n"
        f"- {start}\n"
        f"- {say('assessment_line', urgency=plan.urgency_heading)}\n"
        f"- {kb_line}\n"
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


def _items(title: str, items: tuple[PlanItem, ...], kb: KnowledgeBase) -> str:
    if not items:
        return ""
    lines = [f"## {title}\n"]
    for item in items:
        status = status_words(kb, item.status)
        lines.append(f"- **{item.title}**{status}: {item.text}{_cite(item)}")
    return "\n".join(lines) + "\n"


def _assessment(view: PlanView, kb: KnowledgeBase, say: Callable[..., str]) -> str:
    a = view.plan.assessment
    lines = [f"## {say('assessment')}\n"]
    if a.patterns:
        likely = ", ".join(pattern_names(kb, a.patterns))
        lines.append(f"- {screen_text(kb, 'assess', 'likely', patterns=likely)}")
    if a.duration:
        how_long = duration_words(kb, a.duration)
        lines.append(f"- {screen_text(kb, 'assess', 'how_long', duration=how_long)}")
    if a.start_back_risk:
        lines.append(f"- {say('start_back', total=a.start_back_total, risk=a.start_back_risk)}")
    if view.plan.cautions:
        lines.append(f"- {say('left_out', cautions=caution_words(kb, view.plan.cautions))}")
    return "\n".join(lines) + "\n"


def _phase(block: PhaseBlock, say: Callable[..., str]) -> str:
    lines = [
        f"## {block.title} ({block.start.isoformat()} to {block.end.isoformat()})\n",
        f"{block.goal}\n",
        f"{say('entry')}: " + " ".join(block.entry),
        "",
        f"{say('exit')}: " + " ".join(block.exit),
        "",
    ]
    lines += [f"- **{i.title}**: {i.text}{_cite(i)}" for i in block.items]
    return "\n".join(lines) + "\n"


def _schedule(view: PlanView, phases: dict[str, str], kb: KnowledgeBase) -> str:
    columns = " | ".join(screen_text(kb, "plan", f"column_{c}") for c in COLUMNS)
    lines = [f"## {screen_text(kb, 'plan', 'schedule')}\n"]
    for week in view.weeks:
        lines += [
            f"### {screen_text(kb, 'plan_document', 'week', number=week.number)}\n",
            f"| {columns} |",
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


def _reading(plan: Plan, say: Callable[..., str]) -> str:
    """The education topics of the schedule, each with its whole text."""
    if not plan.education:
        return ""
    lines = [f"## {say('reading')}\n"]
    for item in plan.education:
        lines += [f"### {item.title}\n", f"{item.text}\n"]
    return "\n".join(lines)


def _exercises(view: PlanView, say: Callable[..., str]) -> str:
    if not view.exercises:
        return ""
    lines = [f"## {say('how_to')}\n"]
    for p in view.exercises:
        lines.append(f"### {p.name}\n")
        lines.append(f"{say('first_dose', dose=p.dose_text)}\n")
        lines += [f"{n}. {step}" for n, step in enumerate(p.steps, 1)]
        if p.caution_text:
            lines.append(f"\n> {say('caution')}: {p.caution_text}")
        for a in p.alternatives:
            lines.append(f"\n{a.label}: **{a.name}**\n")
            lines += [f"   {n}. {step}" for n, step in enumerate(a.steps, 1)]
        lines.append("")
    return "\n".join(lines)


def _sources(view: PlanView, kb: KnowledgeBase) -> str:
    lines = [f"## {screen_text(kb, 'plan', 'sources')}\n"]
    lines += [f"- {source_line(s, kb)}" for s in view.sources]
    if view.more_sources:
        lines.append(f"\n{more_sources_line(kb, view.more_sources)}")
    return "\n".join(lines) + "\n"
