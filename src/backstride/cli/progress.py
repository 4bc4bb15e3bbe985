"""`backstride progress`: recovery so far, the run rule's advice and any escalation."""

from __future__ import annotations

import json
from datetime import date, timedelta

import typer

from backstride.cli.dates import parse_day
from backstride.config import load_settings
from backstride.errors import InputError
from backstride.knowledge import load_knowledge_base
from backstride.knowledge.care import ChangeRule
from backstride.knowledge.labels import plain
from backstride.progress.change import WINDOW_DAYS, ProgressSummary
from backstride.progress.status import ProgressStatus, status_dict
from backstride.services import tracking

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)

TREND_WORDS = {"improving": "improving", "same": "about the same", "worse": "getting worse"}


@app.command()
def progress(
    output: str = typer.Option("text", "--format", help="text or json."),
    today: str = typer.Option(None, "--today", help="Evaluate as of this day, YYYY-MM-DD."),
) -> None:
    """Show recovery progress against your baseline and any reason to seek care."""
    if output not in ("text", "json"):
        raise InputError(f"--format must be text or json, got {output!r}")
    day = parse_day(today, "--today") or date.today()
    status = tracking.progress_status(load_settings(), today=day)
    if output == "json":
        typer.echo(json.dumps(status_dict(status), indent=2))
        return
    render_summary(status)


def render_summary(status: ProgressStatus) -> None:
    """Progress for a person: any escalation first, then the change since the start."""
    for escalation in status.escalations:  # the most urgent first, before anything else
        typer.secho(f"{escalation.label.upper()}: {escalation.action}", fg="red", bold=True)
        typer.echo(f"  Why: {escalation.text}")
    s = status.summary
    if s.days_tracked == 0:
        typer.echo("No diary entries yet. Add one with `backstride diary add`.")
        return
    typer.echo(f"Days logged: {s.days_tracked}")
    typer.echo(f"Pain at the start: {_num(s.baseline_pain)} ({_baseline_words(status)})")
    start = status.today - timedelta(days=WINDOW_DAYS - 1)
    typer.echo(
        f"Pain now: {_num(s.current_pain)} (the average of the {s.window_entries} diary "
        f"day(s) from {start} to {status.today})"
    )
    if s.change is not None and status.change_rule is not None:
        typer.echo(f"Change: {s.change:+.1f} points ({_change_words(s, status.change_rule)})")
    if s.current_rmdq is not None:
        typer.echo(f"Disability (RMDQ): {s.baseline_rmdq} at first, {s.current_rmdq} now")
    typer.echo(f"Trend: {TREND_WORDS[s.trend]}")
    rmdq_max = status.recovered_rmdq_max
    typer.echo(
        f"Recovered (pain 0 and RMDQ {rmdq_max} or less): " + ("yes" if s.recovered else "not yet")
    )
    if status.run_checks:
        last = status.run_checks[-1]
        advice = plain(load_knowledge_base(), "run_advice", last.advice)
        typer.echo(f"Last run ({last.on}): {advice} - {last.reason}")
    for association in status.associations[:3]:
        typer.echo(f"Hypothesis: {association.hypothesis}")


def _baseline_words(status: ProgressStatus) -> str:
    s = status.summary
    if s.baseline_from == "assessment" and status.assessments:
        return f"your pain at the check on {status.assessments[0].created_at.date()}"
    first = s.daily[0].on if s.daily else status.today
    if s.baseline_from == "first_week":
        return f"the average of your first diary week, from {first}"
    return f"your first diary entry, on {first}"


def _change_words(s: ProgressSummary, rule: ChangeRule) -> str:
    """What the change means, in the words of the meaningful-change record."""
    counts = rule.say("change_counts")
    if s.meaningful_improvement:
        return rule.say("improved", counts=counts)
    if s.meaningful_worsening:
        return rule.say("worsened")
    if s.change is not None and s.change < 0:
        return rule.say("better_not_yet", counts=counts)
    return rule.say("not_better_yet", counts=counts)


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


command = typer.main.get_command(app)
