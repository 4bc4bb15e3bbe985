"""`backstride plan`: build the personal plan and show it or write it as a file."""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Annotated, cast

import typer
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from backstride.cli.dates import parse_day
from backstride.cli.words import screen
from backstride.config import load_settings
from backstride.errors import InputError
from backstride.knowledge import urgency
from backstride.knowledge.model import KnowledgeBase
from backstride.plan.model import Day, Plan, PlanItem, Prescription
from backstride.report.plain import caution_words, key_sources, more_sources_line
from backstride.report.plan_view import source_line, status_words
from backstride.services import guided, plans

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
_say = screen("plan")
_document = screen("plan_document")  # the words the plan shares with its documents

WEEK = timedelta(days=7)
FORMATS = ("text", "json", "md", "html", "pdf", "ics")
STYLE = {"warning": "red", "clinician": "red", "referral": "yellow", "action": "cyan"}


@app.command()
def plan(
    source: str = typer.Option(
        None, "--input", "-i", help="Case file (.yaml/.json, - = stdin); default: your last check."
    ),
    start: str = typer.Option(None, "--start", help="First day of the plan, YYYY-MM-DD."),
    weeks: int | None = typer.Option(
        None, "--weeks", help="Number of weeks to schedule (default: the plan's usual length)."
    ),
    fmt: str = typer.Option("text", "--format", "-f", help="text, json, md, html, pdf or ics."),
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write to this file instead of stdout.")
    ] = None,
    findings: str = typer.Option(None, "--findings", help="Findings JSON (from analyze)."),
    use_store: bool = typer.Option(
        False, "--use-store", help="Also use imported training history and your pain diary."
    ),
    as_of: str = typer.Option(
        None, "--as-of", help="Judge progress as of this day (default today)."
    ),
    reminders: bool = typer.Option(
        True, "--reminders/--no-reminders", help="ICS: a reminder alarm on each session day."
    ),
    all_sources: bool = typer.Option(
        False, "--sources", help="List every source (by default the three that matter most)."
    ),
) -> None:
    """Build your personal relief, exercise and return-to-run plan."""
    if fmt not in FORMATS:
        raise InputError(_say("format_refused", formats=", ".join(FORMATS), got=fmt))
    today = parse_day(as_of, "--as-of") or date.today()
    if source is None:  # the check kept by `backstride start`, with the stored history
        if findings:
            raise InputError(_say("findings_refused"))
        outcome = guided.plan_from_check(
            load_settings(), today=today, now=datetime.now(UTC),
            start=parse_day(start, "--start"), weeks=weeks,
        )  # fmt: skip
    else:
        from backstride.cli.assess import read_case_input
        from backstride.services.assessment import assess_case

        case = read_case_input(source)
        outcome = plans.plan_for_case(
            case, assess_case(case), settings=load_settings(), today=today,
            start=parse_day(start, "--start"), weeks=weeks,
            findings=plans.read_findings(findings) if findings else [],
            use_store=use_store, keep=True, now=datetime.now(UTC),
        )  # fmt: skip
    if fmt == "text":
        _show(outcome, today, out, all_sources=all_sources)
        return
    payload = plans.render(
        outcome, cast(plans.PlanFormat, fmt), reminders=reminders, all_sources=all_sources
    )
    _write(payload, out)


def _write(payload: str | bytes, out: Path | None) -> None:
    data = payload.encode("utf-8") if isinstance(payload, str) else payload
    if out is None and isinstance(payload, bytes) and sys.stdout.isatty():
        raise InputError(_say("pdf_refused"))
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise InputError(_say("write_refused", path=out, reason=exc.strerror)) from None
    typer.echo(_say("wrote", path=out), err=True)


def _show(outcome: plans.PlanOutcome, today: date, out: Path | None, *, all_sources: bool) -> None:
    if out is None:
        _print(Console(highlight=False), outcome, today, all_sources=all_sources)
        return
    try:
        with out.open("w", encoding="utf-8") as handle:
            console = Console(file=handle, highlight=False, width=100)
            _print(console, outcome, today, all_sources=all_sources)
    except OSError as exc:
        raise InputError(_say("write_refused", path=out, reason=exc.strerror)) from None


def _print(console: Console, outcome: plans.PlanOutcome, today: date, *, all_sources: bool) -> None:
    plan, kb = outcome.plan, outcome.kb
    console.print(_header(plan, kb, today))
    for item in plan.top:
        console.print(_panel(item))
    net = _safety_net(plan)
    if net is not None:
        console.print(net)
    if plan.status == "no_self_care":
        console.print(Text(plan.disclaimer, style="dim"))
        return
    console.print(_phases(plan))
    if plan.personal:
        console.print(_items(_say("made_for_you"), plan.personal, kb))
    console.print(_schedule(plan))
    console.print(_how_to(plan, today))
    console.print(_reading(plan, today))
    console.print(_items(_say("treatments"), plan.treatments, kb))
    print_sources(console, kb, _sources(plan), all_sources=all_sources)
    console.print(Text(plan.disclaimer, style="dim"))


def print_sources(
    console: Console, kb: KnowledgeBase, cited: list[str], *, all_sources: bool
) -> None:
    """The sources that matter most as citations (all of them with --sources)."""
    shown, more = key_sources(kb, cited, all_sources=all_sources)
    console.print(Text(_say("sources"), style="bold"))
    for source in shown:
        console.print(Text(f"  {source_line(source, kb)}", style="dim"))
    if more:
        console.print(Text(more_sources_line(kb, more), style="dim"))


def _header(plan: Plan, kb: KnowledgeBase, today: date) -> Panel:
    current = plan.current_phase(today)
    check = urgency.label(kb, plan.assessment.urgency)
    lines = [
        _say("header_start", start=plan.start.isoformat(), weeks=plan.weeks, urgency=check),
        _say("header_now", phase=current.title if current else _say("no_phase")),
    ]
    if plan.cautions:
        lines.append(_say("header_cautions", cautions=caution_words(kb, plan.cautions)))
    lines.append(_say("header_kb", version=plan.kb_version, digest=plan.kb_digest[:12]))
    return Panel("\n".join(lines), title=_say("title"), border_style="blue")


def _safety_net(plan: Plan) -> Panel | None:
    from backstride.report.plan_view import safety_net_view
    from backstride.services.assessment import knowledge_base

    view = safety_net_view(plan.safety_net, knowledge_base())
    if view is None:
        return None
    body = Text(view.intro + "\n")
    for part in view.lists:
        body.append(f"{part.heading}:\n", style="bold")
        body.append("".join(f"• {item}\n" for item in part.items))
    body.append(f"({view.cited})", style="dim")
    return Panel(body, title=view.title, border_style="red")


def _panel(item: PlanItem) -> Panel:
    return Panel(Text(item.text), title=item.title, border_style=STYLE.get(item.kind, "blue"))


def _phases(plan: Plan) -> Group:
    panels = []
    for n, block in enumerate(plan.phases, 1):
        body = Text(block.goal + "\n", style="bold")
        body.append(f"{_document('entry')}: {' '.join(block.entry)}\n")
        body.append(f"{_document('exit')}: {' '.join(block.exit)}\n")
        for item in block.items:
            body.append(f"• {item.title}: ", style="bold")
            body.append(item.text + "\n")
        title = _say("phase_title", number=n, title=block.title, start=f"{block.start:%d %b}",
                     end=f"{block.end:%d %b}")  # fmt: skip
        panels.append(Panel(body, title=title, title_align="left", border_style="green"))
    return Group(*panels)


def _items(title: str, items: tuple[PlanItem, ...], kb: KnowledgeBase) -> Table:
    table = Table(title=title, show_header=False, show_lines=True, expand=True)
    table.add_column(_say("column_what"), style="bold", ratio=1)
    table.add_column(_say("column_advice"), ratio=3)
    for item in items:
        table.add_row(item.title + status_words(kb, item.status), Text(item.text))
    return table


def _schedule(plan: Plan, *, days: list[Day] | None = None, title: str = "schedule") -> Table:
    """The days as a table; `title` names the `text.plan` sentence that heads it."""
    table = Table(title=_say(title), expand=True)
    table.add_column(_say("column_day"), no_wrap=True)
    table.add_column(_say("column_phase"), ratio=1)
    table.add_column(_say("column_session"), ratio=4)
    table.add_column(_say("column_learn"), ratio=1)
    for day in plan.days if days is None else days:
        lines = [day.title]
        if day.run:
            lines.append(day.run.text)
        lines += [f"• {p.name} {p.dose_text}" for p in day.exercises]
        if day.activity:
            lines.append(day.activity)
        table.add_row(
            f"{day.on:%a %d %b}",
            _phase_titles(plan).get(day.phase, ""),
            "\n".join(lines),
            day.education_title or "",
            end_section=day.on.weekday() == 6,
        )
    return table


def _phase_titles(plan: Plan) -> dict[str, str]:
    """Each phase's plain name, as its knowledge-base record gave it to the plan."""
    return {block.phase: block.title for block in plan.phases}


def _how_to(plan: Plan, today: date) -> Group:
    """Step lists for the exercises of the coming week (every exercise is in md/html/pdf)."""
    seen: dict[str, Prescription] = {}
    for day in plan.days:
        if 0 <= (day.on - today).days < 7 or (today < plan.start and day.on < plan.start + WEEK):
            for p in day.exercises:
                seen.setdefault(p.exercise_id, p)
    panels = []
    for p in seen.values():
        body = Text("\n".join(f"{n}. {step}" for n, step in enumerate(p.steps, 1)))
        if p.caution_text:
            body.append(f"\n{_document('caution')}: {p.caution_text}", style="yellow")
        for a in p.alternatives:
            body.append(f"\n{a.label}: {a.name}", style="dim")
        panels.append(Panel(body, title=f"{p.name} · {p.dose_text}", title_align="left"))
    return Group(Text(_say("how_to"), style="bold"), *panels)


def _reading(plan: Plan, today: date) -> Group:
    """The whole text of the education topics of the coming week (all of them in md/html)."""
    first = max(today, plan.start)
    ids = {d.education_id for d in plan.days if first <= d.on < first + WEEK}
    panels = [
        Panel(Text(item.text), title=item.title, title_align="left")
        for item in plan.education
        if item.records and item.records[0] in ids
    ]
    return Group(Text(_say("reading"), style="bold"), *panels)


def print_week(console: Console, outcome: plans.PlanOutcome, today: date) -> None:
    """The plan as `start` shows it: this week first, then the safety net."""
    plan = outcome.plan
    console.print(_header(plan, outcome.kb, today))
    for item in plan.top:
        console.print(_panel(item))
    if plan.status == "no_self_care":
        console.print(Text(plan.disclaimer, style="dim"))
        return
    first = max(today, plan.start)
    week = [d for d in plan.days if first <= d.on < first + WEEK]
    console.print(_schedule(plan, days=week, title="this_week"))
    console.print(_how_to(plan, today))
    console.print(_reading(plan, today))
    if plan.personal:
        titles = "\n".join(f"• {item.title}" for item in plan.personal)
        console.print(Panel(titles, title=_say("made_for_you"), title_align="left"))
    console.print(safety_net_panel(outcome.kb, plan.disclaimer))


def safety_net_panel(kb: KnowledgeBase, disclaimer: str) -> Panel:
    """When to stop following the plan and get help, then what the plan is not."""
    body = Text()
    for part in urgency.safety_net(kb):
        body.append(part.heading + ":\n", style="bold")
        for item in part.items:
            body.append(f"  • {item}\n")
    body.append(disclaimer, style="dim")
    return Panel(body, title=_say("safety_net"), border_style="red")


def _sources(plan: Plan) -> list[str]:
    return list(dict.fromkeys(s for item in plan.all_items() for s in item.sources))


command = typer.main.get_command(app)
