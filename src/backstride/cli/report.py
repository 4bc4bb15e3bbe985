"""`backstride report`: the report to hand to a clinician (PDF or HTML)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from backstride.cli.dates import parse_day
from backstride.cli.words import screen
from backstride.config import load_settings
from backstride.services import tracking

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
_say = screen("report")


@app.command()
def report(
    fmt: str = typer.Option("pdf", "--format", help="pdf or html."),
    out: Annotated[Path | None, typer.Option("--out", help="The file to write.")] = None,
    today: str = typer.Option(None, "--today", help="Report as of this day, YYYY-MM-DD."),
) -> None:
    """Write the clinician report: assessments, flags, scores over time, pain chart, training."""
    day = parse_day(today, "--today") or date.today()
    content = tracking.clinician_report(load_settings(), fmt=fmt, today=day)
    target = out or Path(f"backstride-report.{fmt}")
    target.write_bytes(content)
    typer.echo(_say("written", path=target))


command = typer.main.get_command(app)
