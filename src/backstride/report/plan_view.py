"""What every plan renderer shows, gathered once: weeks, exercise pages, cited sources."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from backstride.assess.result import SafetyNetList
from backstride.knowledge.citations import cite_line
from backstride.knowledge.labels import plain
from backstride.knowledge.model import KnowledgeBase, Source
from backstride.knowledge.plan_texts import PlanPhase
from backstride.knowledge.rules import SafetyText
from backstride.plan.model import Day, Plan, Prescription
from backstride.report.plain import KEY_SOURCES

#: The schedule's columns, by the name of their heading in `text.plan` (`column_<name>`).
COLUMNS = ("day", "phase", "session", "learn")


def status_words(kb: KnowledgeBase, status: str | None) -> str:
    """' (Recommended)' after an item with a treatment status, in its label's words; ''."""
    return f" ({plain(kb, 'treatment_status', status)})" if status else ""


@dataclass(frozen=True, slots=True)
class Row:
    """Consecutive days with the same session, shown once, with each day's topic."""

    first: date
    last: date
    day: Day
    topics: tuple[str, ...]

    @property
    def when(self) -> str:
        """'Mon 23 Nov' or 'Mon 23 – Fri 27 Nov'."""
        if self.first == self.last:
            return f"{self.first:%a %d %b}"
        return f"{self.first:%a %d} – {self.last:%a %d %b}"


@dataclass(frozen=True, slots=True)
class Week:
    """Seven (or fewer) consecutive days of the schedule."""

    number: int
    days: tuple[Day, ...]

    @property
    def rows(self) -> tuple[Row, ...]:
        """The week's days, runs of identical sessions merged into one row."""
        rows: list[Row] = []
        for day in self.days:
            topic = (day.education_title,) if day.education_title else ()
            last = rows[-1] if rows else None
            if last is not None and _same_session(last.day, day):
                rows[-1] = Row(last.first, day.on, last.day, last.topics + topic)
            else:
                rows.append(Row(day.on, day.on, day, topic))
        return tuple(rows)


def _same_session(a: Day, b: Day) -> bool:
    return (a.phase, a.kind, a.title, a.exercises, a.run, a.activity) == (
        b.phase,
        b.kind,
        b.title,
        b.exercises,
        b.run,
        b.activity,
    )


@dataclass(frozen=True, slots=True)
class PlanView:
    """A plan plus the lookups renderers need."""

    plan: Plan
    weeks: tuple[Week, ...]
    exercises: tuple[Prescription, ...]  # each exercise once, at its first prescription
    sources: tuple[Source, ...]  # the sources shown, in first-cited order
    current_phase: str | None
    safety_net: SafetyNetView | None = None
    more_sources: int = 0  # cited sources left out (shown with --sources)


def plan_view(
    plan: Plan, kb: KnowledgeBase, *, today: date | None = None, all_sources: bool = False
) -> PlanView:
    """Group the schedule into weeks, list exercises once and resolve cited sources."""
    weeks = tuple(Week(i // 7 + 1, plan.days[i : i + 7]) for i in range(0, len(plan.days), 7))
    seen: dict[str, Prescription] = {}
    for day in plan.days:
        for p in day.exercises:
            seen.setdefault(p.exercise_id, p)
    current = plan.current_phase(today or plan.start)
    cited = tuple(kb.sources[s] for s in cited_sources(plan) if s in kb.sources)
    shown = cited if all_sources else cited[:KEY_SOURCES]  # the advice on what to do now first
    return PlanView(
        plan=plan,
        weeks=weeks,
        exercises=tuple(seen.values()),
        sources=shown,
        current_phase=current.title if current else None,
        more_sources=len(cited) - len(shown),
        safety_net=safety_net_view(plan.safety_net, kb),
    )


def phase_words(kb: KnowledgeBase) -> dict[str, str]:
    """Each phase's plain name from its knowledge-base record."""
    return {p.phase: p.name for p in kb.of(PlanPhase)}


def cited_sources(plan: Plan) -> tuple[str, ...]:
    """Every source id the plan cites, in order of first citation."""
    ids: list[str] = [s for item in plan.all_items() for s in item.sources]
    ids += [s for part in plan.safety_net for s in part.sources]
    if plan.decision is not None:
        ids += plan.decision.sources
    for day in plan.days:
        ids += [s for p in day.exercises for s in p.sources]
        if day.run is not None:
            ids += day.run.sources
    return tuple(dict.fromkeys(ids))


def source_line(source: Source, kb: KnowledgeBase) -> str:
    """'Authors (year). Title. Venue. Kind of evidence.' for a reference list, with how far
    it is borrowed when the source is about another condition or group of people."""
    kind = plain(kb, "evidence", source.evidence)
    line = f"{source.authors} ({source.year}). {source.title}. {source.venue}. {kind}."
    return line if source.extrapolated is None else f"{line} {source.extrapolated}"


def day_summary(day: Day) -> str:
    """One line saying what the day holds."""
    if day.run is not None:
        return day.run.text
    if day.exercises:
        return ", ".join(f"{p.name} {p.dose_text}" for p in day.exercises)
    return day.activity or day.title


@dataclass(frozen=True, slots=True)
class SafetyNetView:
    """The safety net as every renderer shows it: a title, a line, and the two lists."""

    title: str
    intro: str
    lists: tuple[SafetyNetList, ...]
    sources: tuple[str, ...]
    #: the sources as a person reads them ("NICE 2016; GIRFT 2023"); the ids are for programs
    cited: str
    #: the record whose title and line head the safety net (for programs and tests)
    records: tuple[str, ...] = ()


def safety_net_view(lists: tuple[SafetyNetList, ...], kb: KnowledgeBase) -> SafetyNetView | None:
    """The safety net with its title from the knowledge base; None when there is none."""
    if not lists:
        return None
    note = kb.one(SafetyText, "safety.net_title")
    sources = tuple(dict.fromkeys(s for part in lists for s in part.sources))
    cited = cite_line(kb, sources)
    return SafetyNetView(note.title, note.text, lists, sources, cited, records=(note.id,))


def safety_net_text(lists: tuple[SafetyNetList, ...], kb: KnowledgeBase) -> str:
    """The safety net as plain text lines (terminal, calendar descriptions, plain text)."""
    view = safety_net_view(lists, kb)
    if view is None:
        return ""
    lines = [f"{view.title}. {view.intro}"]
    for part in view.lists:
        lines.append(f"{part.heading}:")
        lines += [f"- {item}" for item in part.items]
    lines.append(f"({view.cited})")
    return "\n".join(lines)
