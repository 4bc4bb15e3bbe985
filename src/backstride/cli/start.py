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

from backstride import INTENDED_PURPOSE

if TYPE_CHECKING:
    from rich.console import Console

    from backstride.assess.intake import Case
    from backstride.assess.result import AssessmentResult
    from backstride.config import Settings

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)

WELCOME = (
    "Welcome to backstride.\n\n"
    "We start with a few safety questions, then ask about your pain and your running. "
    "Only the questions that can change the answer are asked. You can stop at any time "
    "with Ctrl+C.\n"
)
NEXT_STEPS = (
    "What happens next:\n"
    "  • Each day, note your pain in the diary: `backstride diary add` asks a few short\n"
    "    questions, including a quick check for new warning signs. Or use the web app:\n"
    "    `backstride serve`, then open http://127.0.0.1:8000/ in your browser.\n"
    "  • `backstride progress` shows how you are doing against your first check.\n"
    "  • `backstride plan` shows your whole plan again (add --format pdf --out plan.pdf\n"
    "    for a file); `backstride report` writes a report for a physiotherapist or doctor.\n"
    "  • Run `backstride start` again any time for a quick check-in.\n"
)
IMPORT_OFFER = (
    "Do you have training files? A FIT, GPX or TCX file, a folder of them, or a Strava or "
    "Garmin export (.zip) lets the plan look at your real training."
)


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
    typer.echo(WELCOME)
    typer.echo(INTENDED_PURPOSE + "\n")
    if not interactive:
        typer.echo("Run `backstride start` in a terminal when you are ready.")
        return
    from backstride.config import load_settings
    from backstride.services import guided

    settings = load_settings()
    where = guided.standing(settings)
    if where.checked and click.confirm(
        f"Welcome back. Your last check was on {where.last_check_on}. "
        "Do a quick check-in instead of a new check?",
        default=True,
    ):
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
    typer.echo(f"\nYour answers are kept on this computer only ({settings.home}).")
    if result.urgency not in ("self_care", "soon"):
        typer.echo("Please follow the advice above first. Run `backstride start` again any "
                   "time for a check-in.")  # fmt: skip
        return
    if not click.confirm("\nMake your plan now?", default=True):
        typer.echo("\nYou can make it later with `backstride plan`.\n\n" + NEXT_STEPS)
        return
    _show_plan(settings, case, result)
    _offer_import(settings)
    typer.echo("\n" + NEXT_STEPS)


def _show_plan(settings: Settings, case: Case, result: AssessmentResult) -> None:
    from backstride.cli.plan import print_week
    from backstride.services import guided

    today = date.today()
    outcome = guided.plan_from_check(settings, today=today, now=datetime.now(UTC))
    typer.echo("")
    print_week(_console(), outcome, today)
    typer.echo("Your plan is saved; `backstride plan` shows all of it.")


def _offer_import(settings: Settings) -> None:
    from backstride.cli.imports import outcome_line
    from backstride.services.imports import import_paths

    typer.echo("\n" + IMPORT_OFFER)
    paths = _ask_paths()
    if not paths:
        return
    report = import_paths(settings, paths, now=datetime.now(UTC))
    for file in report.outcomes:
        typer.echo("  " + outcome_line(file))
    if report.count("imported") == 0:
        typer.echo("No new activities, so your plan stays as it is.")
        return
    from backstride.services import guided

    today = date.today()
    outcome = guided.plan_from_check(settings, today=today, now=datetime.now(UTC))
    typer.echo("\nYour plan is re-tailored to your training; the points made for you now:")
    for item in outcome.plan.personal:
        typer.echo(f"  • {item.title}")


def _ask_paths() -> list[Path]:
    """Paths typed by the runner (Enter for none); asks again for one that does not exist."""
    while True:
        raw = click.prompt(
            "Path to a file, folder or export (Enter to skip)", default="", show_default=False
        ).strip()
        if not raw:
            return []
        path = Path(raw.strip("'\"")).expanduser()
        if path.exists():
            return [path]
        typer.echo(f"There is no file or folder at {path}. Please try again.")


def _check_in(settings: Settings) -> None:
    from backstride.cli.progress import render_summary
    from backstride.progress.questions import red_flag_questions
    from backstride.services import tracking
    from backstride.services.assessment import knowledge_base

    questions = red_flag_questions(knowledge_base())

    pain = click.prompt("How bad is the pain now, 0 (none) to 10 (worst)?",
                        type=click.IntRange(0, 10))  # fmt: skip
    typer.echo("Is any of these NEW since last time?")
    for number, question in enumerate(questions, start=1):
        typer.echo(f"  {number:2d}. {question.text}")
    picked = _ask_numbers(len(questions))
    form = tracking.parse_diary_form(
        {"on": date.today(), "pain_now": pain,
         "red_flags": tuple(questions[n - 1].id for n in picked)}
    )  # fmt: skip
    outcome = tracking.add_diary_entry(settings, form, now=datetime.now().astimezone())
    typer.echo("\nSaved in your diary.\n")
    render_summary(tracking.progress_status(settings, today=date.today()))
    if outcome.escalation is None:
        typer.echo("\n" + NEXT_STEPS)


def _ask_numbers(count: int) -> list[int]:
    while True:
        raw = click.prompt("Numbers separated by commas (Enter for none)", default="",
                           show_default=False).replace(" ", "")  # fmt: skip
        parts = [p for p in raw.split(",") if p]
        if all(p.isdigit() and 1 <= int(p) <= count for p in parts):
            return sorted({int(p) for p in parts})
        typer.echo(f"Please answer with numbers from 1 to {count}, or press Enter for none.")


def _console() -> Console:
    from rich.console import Console

    return Console(highlight=False)


command = typer.main.get_command(app)
