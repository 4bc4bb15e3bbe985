"""`backstride start`: the guided path, from the check to a saved plan and a next step.

New runner: welcome -> check -> result -> plan (kept and shown, this week first) ->
training files (imported, plan re-tailored) -> the diary and what happens next. A runner
with a kept check gets a short check-in instead (pain now, anything new, progress).
Every prompt asks again after an answer it cannot use.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click
import typer

if TYPE_CHECKING:
    from rich.console import Console

    from backstride.assess.intake import Case
    from backstride.assess.result import AssessmentResult
    from backstride.config import Settings

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)


@app.command()
def start(
    interactive: bool = typer.Option(
        True, "--interactive/--no-interactive", help="Run the questionnaire after the welcome."
    ),
    all_sources: bool = typer.Option(
        False, "--sources", help="List every source (by default the three that matter most)."
    ),
) -> None:
    """Welcome, then the check, your plan and your next step (or a check-in)."""
    typer.echo(_say("welcome") + "\n")
    typer.echo(_purpose() + "\n")
    if not interactive:
        typer.echo(_say("not_interactive"))
        return
    from backstride.config import load_settings
    from backstride.services import guided

    settings = load_settings()
    where = guided.standing(settings)
    if where.checked and click.confirm(_say("welcome_back", day=where.last_check_on), default=True):
        _check_in(settings)
        return
    _new_check(settings, all_sources=all_sources)


def _new_check(settings: Settings, *, all_sources: bool) -> None:
    from backstride.cli.assess import run_interactive

    case, result = run_interactive(all_sources=all_sources)
    if case is None:  # an emergency answer ended the check: nothing else comes first
        return
    from backstride.services import guided

    guided.keep_check(settings, case, result, now=datetime.now(UTC))
    typer.echo("\n" + _say("kept_here", home=settings.home))
    if result.urgency not in ("self_care", "soon"):
        typer.echo(_say("follow_advice"))
        return
    if not click.confirm("\n" + _say("make_plan"), default=True):
        typer.echo(f"\n{_say('make_later')}\n\n{_next_steps()}")
        return
    _show_plan(settings, case, result)
    _offer_import(settings)
    typer.echo("\n" + _next_steps())


def _show_plan(settings: Settings, case: Case, result: AssessmentResult) -> None:
    from backstride.cli.plan import print_week
    from backstride.services import guided

    today = date.today()
    outcome = guided.plan_from_check(settings, today=today, now=datetime.now(UTC))
    typer.echo("")
    print_week(_console(), outcome, today)
    typer.echo(_say("plan_saved"))


def _offer_import(settings: Settings) -> None:
    from backstride.cli.imports import outcome_line
    from backstride.services.imports import import_paths

    typer.echo("\n" + _say("import_offer"))
    paths = _ask_paths()
    if not paths:
        return
    report = import_paths(settings, paths, now=datetime.now(UTC))
    for file in report.outcomes:
        typer.echo("  " + outcome_line(file))
    if report.count("imported") == 0:
        typer.echo(_say("no_new_activities"))
        return
    from backstride.services import guided

    today = date.today()
    outcome = guided.plan_from_check(settings, today=today, now=datetime.now(UTC))
    typer.echo("\n" + _say("retailored"))
    for item in outcome.plan.personal:
        typer.echo(f"  • {item.title}")


def _ask_paths() -> list[Path]:
    """Paths typed by the runner (Enter for none); asks again for one that does not exist."""
    while True:
        raw = click.prompt(_say("path_prompt"), default="", show_default=False).strip()
        if not raw:
            return []
        path = Path(raw.strip("'\"")).expanduser()
        if path.exists():
            return [path]
        typer.echo(_say("no_such_path", path=path))


def _check_in(settings: Settings) -> None:
    from backstride.cli.progress import render_summary
    from backstride.knowledge.texts import question_text
    from backstride.progress.questions import red_flag_questions
    from backstride.services import tracking
    from backstride.services.assessment import knowledge_base

    kb = knowledge_base()
    questions = red_flag_questions(kb)

    pain = click.prompt(question_text(kb, "pain.intensity"), type=click.IntRange(0, 10))
    typer.echo(_say("new_since"))
    for number, question in enumerate(questions, start=1):
        typer.echo(f"  {number:2d}. {question.text}")
    picked = _ask_numbers(len(questions))
    form = tracking.parse_diary_form(
        {"on": date.today(), "pain_now": pain,
         "red_flags": tuple(questions[n - 1].id for n in picked)}
    )  # fmt: skip
    outcome = tracking.add_diary_entry(settings, form, now=datetime.now().astimezone())
    typer.echo(f"\n{_say('saved_in_diary')}\n")
    render_summary(tracking.progress_status(settings, today=date.today()))
    if outcome.escalation is None:
        typer.echo("\n" + _next_steps())


def _ask_numbers(count: int) -> list[int]:
    while True:
        raw = click.prompt(_say("numbers_prompt"), default="", show_default=False).replace(" ", "")
        parts = [p for p in raw.split(",") if p]
        if all(p.isdigit() and 1 <= int(p) <= count for p in parts):
            return sorted({int(p) for p in parts})
        typer.echo(_say("numbers_refused", count=count))


def _say(name: str, **values: object) -> str:
    """One sentence of the guided start (`text.start` in the knowledge base)."""
    from backstride.knowledge.texts import screen_text
    from backstride.services.assessment import knowledge_base

    return screen_text(knowledge_base(), "start", name, **values)


def _purpose() -> str:
    from backstride.knowledge.texts import intended_purpose
    from backstride.services.assessment import knowledge_base

    return intended_purpose(knowledge_base())


def _next_steps() -> str:
    """What happens next, ending in a blank line as the other blocks do."""
    return _say("next_steps") + "\n"


def _console() -> Console:
    from rich.console import Console

    return Console(highlight=False)


command = typer.main.get_command(app)
