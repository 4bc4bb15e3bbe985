"""`backstride progress`: recovery so far, the run rule's advice and any escalation."""

from __future__ import annotations

import json
from datetime import date

import typer

from backstride.cli.dates import parse_day
from backstride.config import load_settings
from backstride.errors import InputError
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
    _render(status)


def _render(status: ProgressStatus) -> None:
    for escalation in status.escalations:  # the most urgent first, before anything else
        typer.secho(f"{escalation.label.upper()}: {escalation.action}", fg="red", bold=True)
        typer.echo(f"  Why: {escalation.text}  [{', '.join(escalation.sources)}]")
    s = status.summary
    if s.days_tracked == 0:
        typer.echo("No diary entries yet. Add one with `backstride diary add`.")
        return
    typer.echo(f"Days logged: {s.days_tracked}")
    typer.echo(
        f"Pain at baseline: {_num(s.baseline_pain)}  now (7-day mean): {_num(s.current_pain)}"
    )
    if s.change is not None:
        mark = "a meaningful improvement" if s.meaningful_improvement else "not yet meaningful"
        counts = status.change_rule.say("change_counts") if status.change_rule else ""
        typer.echo(f"Change: {s.change:+.1f} points ({mark}; {counts})")
    if s.current_rmdq is not None:
        typer.echo(f"Disability (RMDQ): {s.baseline_rmdq} at first, {s.current_rmdq} now")
    typer.echo(f"Trend: {TREND_WORDS[s.trend]}")
    rmdq_max = status.recovered_rmdq_max
    typer.echo(
        f"Recovered (pain 0 and RMDQ {rmdq_max} or less): " + ("yes" if s.recovered else "not yet")
    )
    if status.run_checks:
        last = status.run_checks[-1]
        typer.echo(f"Last run ({last.on}): {last.advice.replace('_', ' ')} - {last.reason}")
    for association in status.associations[:3]:
        typer.echo(f"Hypothesis: {association.hypothesis}")


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


command = typer.main.get_command(app)
