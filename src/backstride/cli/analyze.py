"""`backstride analyze`: modifiable factors in the imported training history."""

from __future__ import annotations

import json
from datetime import date

import typer
from rich.console import Console
from rich.table import Table

from backstride.cli.dates import parse_day
from backstride.config import load_settings
from backstride.errors import InputError
from backstride.services import analysis as service

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)

BADGES = {
    "attention": "[bold red]ATTENTION[/]",
    "consider": "[yellow]CONSIDER[/]",
    "info": "[cyan]INFO[/]",
}


@app.command()
def analyze(
    since: str = typer.Option(
        None, "--since", help="First day to report on (default: 28 days back)."
    ),
    as_of: str = typer.Option(None, "--as-of", help="Last day to report on (default: today)."),
    output: str = typer.Option("text", "--format", help="text or json."),
) -> None:
    """Find modifiable factors (load spikes, monotony, form, shoes, surfaces) in your runs."""
    if output not in ("text", "json"):
        raise InputError(f"--format must be text or json, got {output!r}")
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
        console.print(
            "No runs imported yet. Import your activity files (FIT, GPX, TCX or a Strava "
            "export) with `backstride import PATH`, then run `backstride analyze` again."
        )
        return
    console.print(f"[bold]Training analysis {a.since} – {a.today}[/]")
    console.print(
        f"{len(a.runs.keys)} runs in your history ({report.first_day} – {report.last_day}); "
        "load = running distance."
    )
    if report.last_day is not None and report.last_day < a.since:
        console.print(
            f"[yellow]No activity between {a.since} and {a.today}: your latest is from "
            f"{report.last_day}. Try --since {report.first_day} --as-of {report.last_day}.[/]"
        )
    _metrics(report, console)
    _weeks(report, console)
    _findings(report, console)
    console.print(
        "[dim]These are associations in your own data to consider, not a diagnosis or an "
        "injury risk. backstride is information and self-management support for adults.[/]"
    )


def _metrics(report: service.AnalysisReport, console: Console) -> None:
    m = service.current_metrics(report.analysis)
    acwr = m["acwr"]
    shown = "not shown (needs 28 days of history with runs in 3 of 4 weeks)"
    if acwr["ewma"] is not None:
        others = ", ".join(
            f"rolling {name} {acwr[name]:.2f}"
            for name in ("coupled", "uncoupled")
            if acwr[name] is not None
        )
        shown = f"{acwr['ewma']:.2f}" + (f" ({others})" if others else "")
    console.print(f"Last 7 days: {m['last_7_days_km']:.1f} km")
    console.print(f"Acute:chronic ratio on {report.analysis.today}: {shown}")
    console.print(f"[dim]  method: {m['acwr_method']}; {m['acwr_note']}[/]")
    if m["monotony_7_days"] is not None:
        console.print(
            f"Monotony, last 7 days: {m['monotony_7_days']:.2f} "
            f"(Foster; above {m['monotony_high']:g} is high)"
        )


def _weeks(report: service.AnalysisReport, console: Console) -> None:
    a = report.analysis
    weeks = [w for w in a.weeks if (w.week_start - a.since).days > -7 and w.distance_km > 0]
    if not weeks:
        return
    table = Table(title="Weeks (Monday to Sunday)", title_justify="left")
    for column in ("week of", "km", "longest run km", "long-run share", "change"):
        table.add_column(column, justify="right" if column != "week of" else "left")
    for w in weeks[-12:]:
        change = "—" if w.change_pct is None else f"{w.change_pct:+.0f} %"
        share = f"{w.long_run_share * 100:.0f} %" if w.long_run_share is not None else "—"
        table.add_row(
            str(w.week_start), f"{w.distance_km:.1f}", f"{w.longest_run_km:.1f}", share, change
        )
    console.print(table)


def _findings(report: service.AnalysisReport, console: Console) -> None:
    if not report.findings:
        console.print(
            "No findings in this period: nothing stood out in your load, form, shoes or surfaces."
        )
        return
    console.print(f"[bold]Findings ({len(report.findings)})[/]")
    for finding in report.findings:
        console.print(f"{BADGES[finding.severity]} {finding.title}")
        console.print(f"  {finding.evidence}", soft_wrap=False)
        runs = [report.labels[k] for k in finding.runs if k in report.labels]
        if runs:
            shown = ", ".join(f"#{r.activity_id} {r.day} {r.distance_km:.1f} km" for r in runs[:5])
            more = f" and {len(runs) - 5} more" if len(runs) > 5 else ""
            console.print(f"  [dim]runs: {shown}{more}[/]")
        console.print(f"  [dim]sources: {', '.join(finding.sources)}[/]")


command = typer.main.get_command(app)
