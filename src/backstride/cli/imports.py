"""`backstride import PATH...`: import activity files, folders, zips and exports."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TimeElapsedColumn

from backstride.cli.words import screen
from backstride.config import load_settings
from backstride.services.imports import FileOutcome, ImportReport, import_paths

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
_say = screen("import")  # the summary's lines (the progress bar's word: `text.imports`)


class OutputFormat(StrEnum):
    """How the summary is printed."""

    text = "text"
    json = "json"


@app.command(name="import")
def import_command(
    paths: Annotated[
        list[Path], typer.Argument(help="Activity files (FIT/GPX/TCX, .gz, .zip) or folders.")
    ],
    output: Annotated[
        OutputFormat, typer.Option("--format", help="Summary as text or JSON.")
    ] = OutputFormat.text,
) -> None:
    """Import activities; files already imported are skipped, bad files are reported."""
    with _ProgressBar() as bar:
        report = import_paths(load_settings(), paths, now=datetime.now(UTC), on_progress=bar.update)
    if output is OutputFormat.json:
        typer.echo(json.dumps(report.as_json(), indent=2))
    else:
        _print_text(report)
    if not any(o.status in ("imported", "duplicate") for o in report.outcomes):
        # Nothing usable was found or every file failed. (typer.Exit would be swallowed by
        # the root's non-standalone click main, so exit directly.)
        sys.exit(1)


def _print_text(report: ImportReport) -> None:
    counts = {"imported": report.count("imported"), "duplicates": report.count("duplicate"),
              "failed": report.count("failed")}  # fmt: skip
    typer.echo(_say("counts", **counts))
    for outcome in report.outcomes:
        typer.echo(outcome_line(outcome))


def outcome_line(outcome: FileOutcome) -> str:
    """One file: what was taken in (day, sport, distance), or why it was skipped."""
    if outcome.status == "failed":
        return _say("failed", label=outcome.label, detail=outcome.detail)
    what = _activity_words(outcome)
    if outcome.status == "duplicate":
        return _say("duplicate", label=outcome.label, what=what, detail=outcome.detail)
    note = _say("note", detail=outcome.detail) if outcome.detail else ""
    return _say("imported", label=outcome.label, what=what) + note


def _activity_words(outcome: FileOutcome) -> str:
    if outcome.started is None:
        return ""
    parts = [f"{outcome.started.astimezone():%Y-%m-%d}", (outcome.sport or "").replace("_", " ")]
    if outcome.distance_m:
        parts.append(f"{outcome.distance_m / 1000:.1f} km")
    return " - " + " ".join(p for p in parts if p)


class _ProgressBar:
    """A Rich progress bar on stderr, started on the first update (after workers fork)."""

    def __init__(self) -> None:
        self.console = Console(stderr=True)
        self.progress: Progress | None = None
        self.task = TaskID(0)

    def __enter__(self) -> _ProgressBar:
        return self

    def __exit__(self, *_exc: object) -> None:
        if self.progress is not None:
            self.progress.stop()

    def update(self, done: int, total: int) -> None:
        """Show `done` of `total` files."""
        if not self.console.is_terminal:
            return  # nothing is drawn: the bar's word (a knowledge-base record) is not read
        if self.progress is None:
            self.progress = Progress(
                "[progress.description]{task.description}",
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=self.console,
                transient=True,
            )
            self.progress.start()
            self.task = self.progress.add_task(screen("imports")("progress"), total=total)
        self.progress.update(self.task, completed=done, total=total)


command = typer.main.get_command(app)
