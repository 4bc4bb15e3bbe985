"""`backstride analyze`: modifiable factors in the imported training history."""

from __future__ import annotations

import json
from datetime import date

import typer
from rich.console import Console
from rich.table import Table

from backstride.cli.dates import parse_day
from backstride.cli.words import check_text_or_json
from backstride.config import load_settings
from backstride.knowledge import load_knowledge_base
from backstride.knowledge.citations import cite_line
from backstride.knowledge.texts import screen_text
from backstride.services import analysis as service

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)

#: How each finding's severity is marked (its word: `text.analyze`, badge_<severity>).
BADGE_STYLES = {"attention": "bold red", "consider": "yellow", "info": "cyan"}
#: The weeks table's columns (their headings: `text.analyze`, column_<name>).
COLUMNS = ("week", "km", "longest", "share", "change")


@app.command()
def analyze(
    since: str = typer.Option(
        None, "--since", help="First day to report on (default: 28 days back)."
    ),
    as_of: str = typer.Option(None, "--as-of", help="Last day to report on (default: today)."),
    output: str = typer.Option("text", "--format", help="text or json."),
) -> None:
    """Find modifiable factors (load spikes, monotony, form, shoes, surfaces) in your runs."""
    check_text_or_json(output)
    report = service.analyze(
        load_settings(),
        since=parse_day(since, "--since"),
        as_of=parse_day(as_of, "--as-of") or date.today(),
    )
    if output == "json":
        typer.echo(json.dumps(service.report_json(report), indent=2, ensure_ascii=False))
        return
    render(report, Console(highlight=False))


def render(report: service.AnalysisReport, console: Console) -> None:
    """The analysis as Rich text: period, load now, weeks, then each finding with sources."""
    a = report.analysis
    if report.empty:
        console.print(_say("no_runs"))
        return
    console.print(f"[bold]{_say('title', since=a.since, today=a.today)}[/]")
    first, last = report.first_day, report.last_day
    console.print(_say("history", runs=len(a.runs.keys), first=first, last=last))
    if last is not None and last < a.since:
        gap = _say("no_recent", since=a.since, today=a.today, last=last, first=first)
        console.print(f"[yellow]{gap}[/]")
    _metrics(report, console)
    _weeks(report, console)
    _findings(report, console)
    console.print(f"[dim]{_say('not_associations')}[/]")


def _say(name: str, **values: object) -> str:
    """One sentence of the analysis page (`text.analyze` in the knowledge base)."""
    return screen_text(load_knowledge_base(), "analyze", name, **values)


def _metrics(report: service.AnalysisReport, console: Console) -> None:
    m = service.current_metrics(report.analysis)
    acwr = m["acwr"]
    windows = report.analysis.params.load
    shown = _say("acwr_not_shown", chronic_days=windows.chronic_days,
                 min_weeks=windows.min_active_blocks, of_weeks=windows.blocks)  # fmt: skip
    if acwr["ewma"] is not None:
        others = ", ".join(
            _say("acwr_rolling", method=name, value=acwr[name])
            for name in ("coupled", "uncoupled")
            if acwr[name] is not None
        )
        shown = f"{acwr['ewma']:.2f}" + (f" ({others})" if others else "")
    console.print(_say("last_7_days", km=m["last_7_days_km"]))
    console.print(_say("acwr", today=report.analysis.today, shown=shown))
    console.print(f"[dim]{_say('acwr_method', method=m['acwr_method'], note=m['acwr_note'])}[/]")
    if m["monotony_7_days"] is not None:
        console.print(_say("monotony", value=m["monotony_7_days"], high=m["monotony_high"]))


def _weeks(report: service.AnalysisReport, console: Console) -> None:
    a = report.analysis
    weeks = [w for w in a.weeks if (w.week_start - a.since).days > -7 and w.distance_km > 0]
    if not weeks:
        return
    table = Table(title=_say("weeks_title"), title_justify="left")
    for column in COLUMNS:
        table.add_column(_say(f"column_{column}"), justify="left" if column == "week" else "right")
    for w in weeks[-12:]:
        change = "—" if w.change_pct is None else f"{w.change_pct:+.0f} %"
        share = f"{w.long_run_share * 100:.0f} %" if w.long_run_share is not None else "—"
        table.add_row(
            str(w.week_start), f"{w.distance_km:.1f}", f"{w.longest_run_km:.1f}", share, change
        )
    console.print(table)


def _findings(report: service.AnalysisReport, console: Console) -> None:
    if not report.findings:
        console.print(_say("no_findings"))
        return
    console.print(f"[bold]{_say('findings_title', count=len(report.findings))}[/]")
    for finding in report.findings:
        style = BADGE_STYLES[finding.severity]
        console.print(f"[{style}]{_say(f'badge_{finding.severity}')}[/] {finding.title}")
        console.print(f"  {finding.evidence}", soft_wrap=False)
        runs = [report.labels[k] for k in finding.runs if k in report.labels]
        if runs:
            shown = ", ".join(f"#{r.activity_id} {r.day} {r.distance_km:.1f} km" for r in runs[:5])
            more = _say("more_runs", count=len(runs) - 5) if len(runs) > 5 else ""
            console.print(f"[dim]{_say('runs', shown=shown, more=more)}[/]")
        cited = cite_line(load_knowledge_base(), finding.sources)
        console.print(f"[dim]{_say('sources', sources=cited)}[/]")


command = typer.main.get_command(app)
