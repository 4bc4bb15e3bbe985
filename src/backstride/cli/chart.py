"""`backstride chart`: draw load, cadence, form or shoe charts as PNG or SVG."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from backstride.cli.dates import parse_day
from backstride.cli.words import screen
from backstride.config import load_settings
from backstride.services import analysis as service

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
_say = screen("chart")


@app.command()
def chart(
    kind: Annotated[str, typer.Argument(help="load, cadence, form or shoes.")],
    out: Annotated[Path, typer.Option("--out", help="Where to write: FILE.png or FILE.svg.")],
    since: str = typer.Option(None, "--since", help="First day to draw (default: 26 weeks back)."),
    as_of: str = typer.Option(None, "--as-of", help="Last day to draw (default: today)."),
) -> None:
    """Draw a KIND chart (load, cadence, form or shoes) of your training as PNG or SVG."""
    written = service.draw_chart(
        load_settings(),
        kind,
        out,
        since=parse_day(since, "--since"),
        as_of=parse_day(as_of, "--as-of") or date.today(),
    )
    typer.echo(_say("written", kind=kind, path=written))


command = typer.main.get_command(app)
