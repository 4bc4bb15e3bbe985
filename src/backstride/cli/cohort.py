"""`backstride cohort`: the analysis over every runner of a club, clinic or study (Dask)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TimeElapsedColumn

from backstride.cli.words import screen
from backstride.config import load_settings
from backstride.errors import InputError
from backstride.services.activities import limits_from
from backstride.services.cohort import (
    ClusterChoice,
    CohortSummary,
    analyze_accounts,
    analyze_cohort,
)
from backstride.services.cohort_report import cohort_report

app = typer.Typer(
    add_completion=False,
    pretty_exceptions_enable=False,
    help="Analyse many runners at once (clubs, clinics, research cohorts) on Dask.",
    no_args_is_help=True,
)
_say = screen("cohort")


@app.command()
def analyze(
    out: Annotated[Path, typer.Option("--out", help="Output folder (Parquet + summary.json).")],
    source: Annotated[
        Path | None, typer.Argument(help="A folder with one subfolder per runner.")
    ] = None,
    workers: Annotated[
        int, typer.Option("--workers", help="Worker processes of the local cluster.")
    ] = 2,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Address of a running Dask scheduler (tcp://host:8786)."),
    ] = None,
    from_db: Annotated[
        str | None,
        typer.Option("--from-db", help="A server's database URL: its consenting accounts."),
    ] = None,
) -> None:
    """Analyse every runner folder (or consenting account); unchanged runners are skipped."""
    if (source is None) == (from_db is None):
        raise InputError(_say("source_refused"))
    settings = load_settings()
    cluster = ClusterChoice(workers=workers, scheduler=scheduler)
    bar = _RunnerBar()
    try:
        if from_db is not None:
            database = settings.model_copy(update={"database_url": from_db})
            summary = analyze_accounts(database, out, cluster=cluster, on_progress=bar.update)
        else:
            assert source is not None
            summary = analyze_cohort(
                source,
                out,
                cluster=cluster,
                limits=limits_from(settings),
                shoe_inspection_km=settings.shoe_inspection_km,
                on_progress=bar.update,
            )
    finally:
        bar.stop()
    _print_summary(summary, out)


class _RunnerBar:
    """Runners done, as a Rich bar on stderr from the first update (a terminal only)."""

    def __init__(self) -> None:
        self.progress: Progress | None = None
        self.task = TaskID(0)

    def update(self, done: int, total: int) -> None:
        if self.progress is None:
            console = Console(stderr=True)
            self.progress = Progress(
                "[progress.description]{task.description}",
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=console,
                transient=True,
                disable=not console.is_terminal,
            )
            self.progress.start()
            self.task = self.progress.add_task(_say("progress"), total=total)
        self.progress.update(self.task, completed=done, total=total)

    def stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()


def _print_summary(summary: CohortSummary, out: Path) -> None:
    typer.echo(_say("counts", runners=summary.runners, analysed=summary.analysed,
                    unchanged=summary.unchanged, failed=summary.failed,
                    activities=summary.activities))  # fmt: skip
    for failure in summary.failures:
        where = _say("failed_file", file=failure["file"]) if failure["file"] else ""
        typer.echo(_say("failed", athlete=failure["athlete"], where=where,
                        reason=failure["reason"]))  # fmt: skip
    typer.echo(_say("written", path=out))


@app.command()
def report(
    outdir: Annotated[Path, typer.Argument(help="The output folder of `cohort analyze`.")],
    chart: Annotated[
        Path | None, typer.Option("--out", help="Also draw the cohort chart (.png or .svg).")
    ] = None,
) -> None:
    """Print the cohort view: weekly change and spikes by band, findings, pain after spikes."""
    for line in cohort_report(outdir, chart=chart).text_lines():
        typer.echo(line)


command = typer.main.get_command(app)
