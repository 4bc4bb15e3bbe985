"""`backstride checkin`: the weekly check-in that re-tailors next week's plan."""

from __future__ import annotations

from datetime import UTC, date, datetime

import typer

from backstride.cli.dates import parse_day
from backstride.cli.words import screen
from backstride.config import load_settings
from backstride.domain.checkin import CheckIn
from backstride.services import plans

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
_say = screen("checkin")


@app.command()
def checkin(
    pain: int = typer.Option(..., "--pain", help="Your usual pain this week, 0–10."),
    function: int = typer.Option(
        ..., "--function", help="How well you managed daily activities, 0–10 (10 = as usual)."
    ),
    sessions: int = typer.Option(..., "--sessions", help="Exercise sessions you did this week."),
    runs: int = typer.Option(0, "--runs", help="Runs you did this week."),
    steps: int = typer.Option(None, "--steps", help="Average daily steps, if you count them."),
    goal: str = typer.Option(None, "--goal", help="Your own goal, in your words."),
    goal_met: bool = typer.Option(None, "--goal-met/--goal-not-met", help="Did you meet it?"),
    week_end: str = typer.Option(None, "--week-end", help="Last day of the week, YYYY-MM-DD."),
) -> None:
    """Check in for the week: next week's plan is re-tailored from it, with the reason."""
    day = parse_day(week_end, "--week-end") or date.today()
    entry = CheckIn(day, pain, function, sessions, runs, steps, goal, goal_met)
    outcome = plans.record_checkin(load_settings(), entry, now=datetime.now(UTC))
    if outcome is not None:
        typer.echo(f"{outcome.item.title}\n{outcome.item.text}")
    typer.echo(_say("saved"))


command = typer.main.get_command(app)
