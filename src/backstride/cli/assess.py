"""`backstride assess`: the danger-sign screen and assessment, from a case file or interactively.

A plain click command rather than a Typer app: `assess --format json` must start fast
from cold, and Typer's import costs about a tenth of a second it does not need. Rich is
imported only to render for a person in the terminal.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from backstride.assess.intake import Case
    from backstride.assess.interview import Answers, Question
    from backstride.assess.result import AssessmentResult


@click.command(
    "assess", context_settings={"help_option_names": ["-h", "--help"]}, no_args_is_help=False
)
@click.option(
    "--input", "-i", "source", help="Case file (.yaml/.yml/.json), or - for JSON on stdin."
)
@click.option(
    "--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text",
    show_default=True, help="text for a person, json for programs.",
)  # fmt: skip
@click.option("--save", "save", help="Save the answers as a case file (.yaml or .json).")
@click.option("--sources", "all_sources", is_flag=True, help="List every source behind the result.")
def command(source: str | None, fmt: str, save: str | None, all_sources: bool) -> None:
    """Screen for danger signs and assess your back pain (interactive without --input)."""
    if source is None:
        _interview(fmt=fmt, save=save, all_sources=all_sources)
        return
    from backstride.services.assessment import assess_case, save_case

    case = read_case_input(source)
    result = assess_case(case)
    if save:
        save_case(case, save)
    _show(result, fmt, all_sources=all_sources)


def read_case_input(source: str) -> Case:
    """The case in file `source`, or JSON on standard input for "-"."""
    from backstride.services.assessment import case_from_json, read_case_file

    if source == "-":
        return case_from_json(sys.stdin.read(), name="stdin")
    return read_case_file(source)


def run_interactive(*, all_sources: bool = False) -> tuple[Case | None, AssessmentResult]:
    """Run the interactive questionnaire and show the result for a person.

    Returns the finished case and its result; the case is None when an emergency answer
    ended the questionnaire early.
    """
    return _interview(fmt="text", save=None, all_sources=all_sources)


def _show(result: AssessmentResult, fmt: str, *, all_sources: bool = False) -> None:
    if fmt == "json":
        sys.stdout.write(result.to_json())
    else:
        _render(result, all_sources=all_sources)


def _interview(
    *, fmt: str, save: str | None, all_sources: bool = False
) -> tuple[Case | None, AssessmentResult]:
    from backstride.assess.interview import questions, record, to_case
    from backstride.cli.flow import Flow, is_checklist
    from backstride.services.assessment import (
        assess_case,
        knowledge_base,
        save_case,
        screen_answers,
    )

    answers: Answers = {}
    section = ""
    kb = knowledge_base()
    click.echo(_say(kb, "intro"), err=True)
    flow = Flow(list(questions(kb)), kb)
    while True:
        group = flow.next(answers)
        if not group:
            break
        if group[0].section != section:
            section = group[0].section
            _section(section)
        if is_checklist(group):
            picked = _ask_checklist(group, kb)
            for question in group:
                record(answers, question, question in picked)
        elif len(group) == 2:  # a list with a yes/no as its last choice
            values, extra = _ask_with_extra(group[0], group[1], kb)
            record(answers, group[0], values)
            record(answers, group[1], extra)
        else:
            record(answers, group[0], _ask(group[0], kb))
        early = screen_answers(_case_fields(answers))
        if early.urgency == "emergency":
            click.echo(f"\n{_say(kb, 'stop_emergency')}\n", err=True)
            if save:
                click.echo(_say(kb, "not_saved"), err=True)
            _show(early, fmt, all_sources=all_sources)
            return None, early
    case = to_case(answers)
    if save:
        click.echo(_say(kb, "saved", path=save_case(case, save)), err=True)
    result = assess_case(case)
    _show(result, fmt, all_sources=all_sources)
    return case, result


def _case_fields(answers: Answers) -> dict[str, Any]:
    from backstride.assess.interview import case_answers

    return case_answers(answers)


def _section(section: str) -> None:
    """A section heading; a questionnaire's notice and instructions as lines below it."""
    from backstride.cli.flow import wrap

    title, *notes = section.split("\n")
    click.echo(f"\n== {title} ==", err=True)
    for note in notes:
        click.echo(wrap(note), err=True)


def _say(kb: Any, name: str, **values: object) -> str:
    """One sentence of the questionnaire's screen (`text.interview`)."""
    from backstride.knowledge.texts import screen_text

    return screen_text(kb, "interview", name, **values)


def _ask_checklist(group: list[Question], kb: Any) -> list[Question]:
    """Warning signs as one list: the numbers of those that apply, Enter for none."""
    from backstride.cli.flow import wrap

    click.echo(_say(kb, "checklist_intro"), err=True)
    for number, question in enumerate(group, start=1):
        click.echo(wrap(question.text, indent=f"  {number:2d}. "), err=True)
    while True:
        raw = click.prompt(_say(kb, "checklist_prompt"),
                           default="", show_default=False, err=True).replace(" ", "")  # fmt: skip
        parts = [p for p in raw.split(",") if p]
        if all(p.isdigit() and 1 <= int(p) <= len(group) for p in parts):
            return [group[int(p) - 1] for p in parts]
        click.echo(_say(kb, "checklist_refused", count=len(group)), err=True)


def _ask_with_extra(question: Question, extra: Question, kb: Any) -> tuple[Any, bool]:
    """A multiple-choice question whose last choice answers a yes/no question."""
    from backstride.assess.flow import choice_labels
    from backstride.cli.flow import wrap

    labels = list(choice_labels(kb, question))
    for number, label in enumerate([*labels, extra.text], start=1):
        click.echo(wrap(label, indent=f"  {number:2d}. "), err=True)
    count = len(labels) + 1
    while True:
        raw = click.prompt(wrap(f"{question.text} [{_say(kb, 'hint_many')}]"),
                           default="", show_default=False, err=True).replace(" ", "")  # fmt: skip
        parts = [p for p in raw.split(",") if p]
        if all(p.isdigit() and 1 <= int(p) <= count for p in parts):
            picked = sorted({int(p) for p in parts})
            chosen = tuple(question.choices[n - 1] for n in picked if n < count)
            return chosen, count in picked
        click.echo(_say(kb, "checklist_refused", count=count), err=True)


def _ask(question: Question, kb: Any) -> Any:
    from backstride.assess.flow import choice_labels
    from backstride.cli.flow import wrap

    text = wrap(question.text + (f" {_say(kb, 'optional')}" if question.optional else ""))
    if question.kind == "yes_no":
        return click.confirm(text, default=None, err=True)
    if question.kind in ("integer", "number"):
        return _ask_number(question, text, kb)
    labels = choice_labels(kb, question)
    for number, label in enumerate(labels, start=1):
        click.echo(wrap(label, indent=f"  {number:2d}. "), err=True)
    if question.kind == "choice":
        hint = _say(kb, "hint_one_optional" if question.optional else "hint_one")
        return _ask_picks(question, f"{text} [{hint}]", kb, many=False)
    return _ask_picks(question, f"{text} [{_say(kb, 'hint_many')}]", kb, many=True)


def _ask_number(question: Question, text: str, kb: Any) -> int | float | None:
    while True:
        raw = click.prompt(text, default="" if question.optional else None, show_default=False,
                           err=True).strip()  # fmt: skip
        if not raw and question.optional:
            return None
        try:
            value: int | float = int(raw) if question.kind == "integer" else float(raw)
        except ValueError:
            refused = "whole_number_refused" if question.kind == "integer" else "number_refused"
            click.echo(_say(kb, refused), err=True)
            continue
        if (
            question.low is not None
            and question.high is not None
            and not question.low <= value <= question.high
        ):
            click.echo(_say(kb, "range_refused", low=question.low, high=question.high), err=True)
            continue
        return value


def _ask_picks(question: Question, text: str, kb: Any, *, many: bool) -> Any:
    allow_empty = many or question.optional
    while True:
        raw = click.prompt(text, default="" if allow_empty else None, show_default=False,
                           err=True).strip()  # fmt: skip
        if not raw:
            return () if many else None
        picks = [p.strip() for p in raw.split(",") if p.strip()] if many else [raw]
        chosen = [_pick(question.choices, p) for p in picks]
        if None in chosen or (not many and len(chosen) != 1):
            click.echo(_say(kb, "pick_refused"), err=True)
            continue
        values = tuple(dict.fromkeys(c for c in chosen if c is not None))
        return values if many else values[0]


def _pick(choices: tuple[str, ...], raw: str) -> str | None:
    if raw.isdigit() and 1 <= int(raw) <= len(choices):
        return choices[int(raw) - 1]
    return raw if raw in choices else None


def _render(result: AssessmentResult, *, all_sources: bool = False) -> None:
    """The result for a person: the action first; for emergency and urgent, only the signs.

    Nothing competes with an emergency or urgent action (no likely pattern, no scores);
    every other result carries the safety net straight after its action.
    """
    from rich.console import Console
    from rich.markup import escape
    from rich.panel import Panel

    from backstride.knowledge.texts import intended_purpose, screen_text
    from backstride.report.plain import key_sources, more_sources_line
    from backstride.report.plan_view import source_line
    from backstride.services.assessment import knowledge_base

    kb = knowledge_base()

    def say(name: str, **values: object) -> str:
        return escape(screen_text(kb, "assess_result", name, **values))

    console = Console(highlight=False)
    style = {"emergency": "bold red", "urgent": "bold yellow"}.get(result.urgency, "bold green")
    console.print(
        Panel(escape(result.action), title=_title(kb, result.urgency), border_style=style)
    )
    flagged = result.urgency in ("emergency", "urgent")
    if not flagged:
        _render_safety_net(console, result)
    console.print(f"[bold]{say('found')}[/bold]")
    for line in _findings(result, kb, flagged=flagged):
        console.print(f"  {escape(line)}")
    console.print(f"  [dim]{say('because')}[/dim]")
    for reason in result.reasons:
        if flagged and reason.rule.split(".", 1)[0] not in result.red_flags:
            continue
        console.print(f"  • {escape(reason.text)}")
    if flagged and result.safety_net:
        _render_safety_net(console, result)
    cited = _urgency_sources(result, kb) + [s for p in result.safety_net for s in p.sources]
    shown, more = key_sources(kb, cited, all_sources=all_sources)
    console.print(f"\n[bold]{say('sources')}[/bold]")
    for source in shown:
        console.print(f"  {source_line(source, kb)}", markup=False)
    if more:
        console.print(f"  [dim]{escape(more_sources_line(kb, more))}[/dim]")
    console.print(f"\n[dim]{escape(intended_purpose(kb))}[/dim]")
    console.print(
        f"[dim]{say('kb', version=result.kb_version, digest=result.kb_digest[:12])}[/dim]"
    )


def _render_safety_net(console: Any, result: AssessmentResult) -> None:
    from rich.markup import escape
    from rich.panel import Panel

    from backstride.report.plan_view import safety_net_view
    from backstride.services.assessment import knowledge_base

    view = safety_net_view(result.safety_net, knowledge_base())
    if view is None:
        return
    lines = [escape(view.intro)]
    for part in view.lists:
        lines.append(f"[bold]{escape(part.heading)}:[/bold]")
        lines += [f"  • {escape(item)}" for item in part.items]
    console.print(Panel("\n".join(lines), title=escape(view.title), border_style="red"))


def _title(kb: Any, level: str) -> str:
    """The urgency heading with its level in capitals ("URGENT: see a doctor today")."""
    from backstride.knowledge.urgency import heading

    first, _, rest = heading(kb, level).partition(":")
    return f"{first.upper()}:{rest}" if rest else first.upper()


def _urgency_sources(result: AssessmentResult, kb: Any) -> list[str]:
    """The sources behind the result's urgency first, then those behind each reason."""
    from backstride.knowledge.rules import TriageRule

    level = [r for r in kb.of(TriageRule) if r.reason is None and r.urgency == result.urgency]
    first = [s for r in level for s in r.sources]
    return [*first, *(s for r in result.reasons for s in r.sources)]


def _findings(result: AssessmentResult, kb: Any, *, flagged: bool) -> list[str]:
    from backstride.knowledge.texts import screen_text
    from backstride.report.plain import (
        duration_words,
        pattern_names,
        red_flag_names,
        referral_texts,
        weak_flag_texts,
    )

    def say(name: str, **values: object) -> str:
        return screen_text(kb, "assess", name, **values)

    lines = []
    if result.red_flags:
        lines.append(say("warning_signs", signs="; ".join(red_flag_names(kb, result.red_flags))))
    if flagged:  # nothing competes with an emergency or urgent action
        return lines
    lines += [say("referral", reason=t) for t in referral_texts(kb, result.referral_reasons)]
    if result.patterns:
        lines.append(say("likely", patterns=", then ".join(pattern_names(kb, result.patterns))))
    if result.duration:
        lines.append(say("how_long", duration=duration_words(kb, result.duration)))
    if result.start_back:
        sb = result.start_back
        lines.append(say("start_back", risk=sb.risk, total=sb.total, psychosocial=sb.psychosocial))
    if result.rmdq_score is not None:
        lines.append(say("rmdq", score=result.rmdq_score))
    if result.weak_flags:
        lines.append(say("weak_flags", signs="; ".join(weak_flag_texts(kb, result.weak_flags))))
    return lines or [say("no_warning_signs")]
