"""`backstride cohort`: the analysis over every runner of a club, clinic or study (Dask)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from backstride.config import load_settings
from backstride.services.activities import limits_from
from backstride.services.cohort import ClusterChoice, CohortSummary, analyze_cohort
from backstride.services.cohort_report import cohort_report

app = typer.Typer(
    add_completion=False,
    pretty_exceptions_enable=False,
    help="Analyse many runners at once (clubs, clinics, research cohorts) on Dask.",
    no_args_is_help=True,
)


@app.command()
def analyze(
    source: Annotated[Path, typer.Argument(help="A folder with one subfolder per runner.")],
    out: Annotated[Path, typer.Option("--out", help="Output folder (Parquet + summary.json).")],
    workers: Annotated[
        int, typer.Option("--workers", help="Worker processes of the local cluster.")
    ] = 2,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Address of a running Dask scheduler (tcp://host:8786)."),
    ] = None,
) -> None:
    """Analyse every runner folder; unchanged runners are skipped, bad files are reported."""
    settings = load_settings()
    console = Console(stderr=True)
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("runners", total=None)
        summary = analyze_cohort(
            source,
            out,
            cluster=ClusterChoice(workers=workers, scheduler=scheduler),
            limits=limits_from(settings),
            shoe_inspection_km=settings.shoe_inspection_km,
            on_progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    _print_summary(summary, out)


def _print_summary(summary: CohortSummary, out: Path) -> None:
    typer.echo(f"runners: {summary.runners}")
    typer.echo(f"analysed: {summary.analysed}")
    typer.echo(f"unchanged: {summary.unchanged}")
    typer.echo(f"failed: {summary.failed}")
    typer.echo(f"activities: {summary.activities}")
    for failure in summary.failures:
        where = f" {failure['file']}" if failure["file"] else ""
        typer.echo(f"failed {failure['athlete']}{where}: {failure['reason']}")
    typer.echo(f"written to {out}")


@app.command()
def report(
    outdir: Annotated[Path, typer.Argument(help="The output folder of `cohort analyze`.")],
    chart: Annotated[
        Path | None, typer.Option("--out", help="Also draw the cohort chart (.png or .svg).")
    ] = None,
) -> None:
    """Print the cohort view: weekly change and spikes by band, findings, pain after spikes."""
    for line in cohort_report(outdir, chart=chart):
        typer.echo(line)


command = typer.main.get_command(app)
