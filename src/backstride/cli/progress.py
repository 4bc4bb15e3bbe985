"""`backstride progress`: recovery so far, the run rule's advice and any escalation."""

from __future__ import annotations

import json
from datetime import date

import typer

from backstride.cli.dates import parse_day
from backstride.cli.words import check_text_or_json
from backstride.config import load_settings
from backstride.knowledge import load_knowledge_base
from backstride.knowledge.care import ChangeRule
from backstride.knowledge.labels import plain
from backstride.progress.change import ProgressSummary
from backstride.progress.status import ProgressStatus, status_dict
from backstride.services import tracking

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)


@app.command()
def progress(
    output: str = typer.Option("text", "--format", help="text or json."),
    today: str = typer.Option(None, "--today", help="Evaluate as of this day, YYYY-MM-DD."),
) -> None:
    """Show recovery progress against your baseline and any reason to seek care."""
    check_text_or_json(output)
    day = parse_day(today, "--today") or date.today()
    status = tracking.progress_status(load_settings(), today=day)
    if output == "json":
        typer.echo(json.dumps(status_dict(status), indent=2))
        return
    render_summary(status)


def render_summary(status: ProgressStatus) -> None:
    """Progress for a person: any escalation first, then the change since the start."""
    kb = load_knowledge_base()
    for escalation in status.escalations:  # the most urgent first, before anything else
        typer.secho(f"{escalation.label.upper()}: {escalation.action}", fg="red", bold=True)
        typer.echo(_say("why", text=escalation.text))
    s = status.summary
    if s.days_tracked == 0:
        typer.echo(_say("no_entries"))
        return
    typer.echo(_say("days_logged", days=s.days_tracked))
    typer.echo(_say("start", pain=_num(s.baseline_pain), baseline=_baseline_words(status)))
    start = s.window_start or status.today
    typer.echo(_say("now", pain=_num(s.current_pain), entries=s.window_entries, first=start,
                    last=status.today))  # fmt: skip
    if s.change is not None and status.change_rule is not None:
        meaning = _change_words(s, status.change_rule)
        typer.echo(_say("change", change=f"{s.change:+.1f}", meaning=meaning))
    if s.current_rmdq is not None:
        typer.echo(_say("rmdq", first=s.baseline_rmdq, now=s.current_rmdq))
    typer.echo(_say("trend", trend=plain(kb, "trend", s.trend)))
    recovered = "recovered_yes" if s.recovered else "recovered_not_yet"
    typer.echo(_say(recovered, rmdq_max=status.recovered_rmdq_max))
    if status.run_checks:
        last = status.run_checks[-1]
        advice = plain(kb, "run_advice", last.advice)
        typer.echo(_say("last_run", day=last.on, advice=advice, reason=last.reason))
    for association in status.associations[:3]:
        typer.echo(_say("hypothesis", text=association.hypothesis))


def _say(name: str, **values: object) -> str:
    """One sentence of the progress screen (`text.progress` in the knowledge base)."""
    from backstride.knowledge.texts import screen_text

    return screen_text(load_knowledge_base(), "progress", name, **values)


def _baseline_words(status: ProgressStatus) -> str:
    s = status.summary
    if s.baseline_from == "assessment" and status.assessments:
        return _say("baseline_check", day=status.assessments[0].created_at.date())
    first = s.daily[0].on if s.daily else status.today
    if s.baseline_from == "first_week":
        return _say("baseline_first_week", day=first)
    return _say("baseline_first_entry", day=first)


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
