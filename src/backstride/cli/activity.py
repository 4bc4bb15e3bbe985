"""`backstride activity summary FILE`: read one activity file without storing it."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from backstride.config import load_settings
from backstride.services.activities import summarize_file

app = typer.Typer(
    add_completion=False,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    help="Inspect one activity file without storing it.",
)


class OutputFormat(StrEnum):
    """How the summary is printed."""

    text = "text"
    json = "json"


@app.callback()
def activity() -> None:
    """Inspect one activity file without storing it."""


@app.command()
def summary(
    file: Annotated[Path, typer.Argument(help="A FIT, GPX or TCX file (may be .gz or .zip).")],
    output: Annotated[
        OutputFormat, typer.Option("--format", help="Print as text or JSON.")
    ] = OutputFormat.text,
) -> None:
    """Print the sport, start, duration, distance and averages of one file."""
    result = summarize_file(load_settings(), file).as_json()
    if output is OutputFormat.json:
        typer.echo(json.dumps(result, indent=2))
        return
    for key, value in result.items():
        typer.echo(f"{key}: {'-' if value is None else value}")


command = typer.main.get_command(app)
