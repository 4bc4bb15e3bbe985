"""`backstride review add`: record that a clinician has reviewed a warning sign."""

from __future__ import annotations

from datetime import datetime

import typer

from backstride.cli.words import screen
from backstride.config import load_settings
from backstride.services import reviews

app = typer.Typer(
    add_completion=False,
    pretty_exceptions_enable=False,
    help="Record a clinician's review of a warning sign.",
)
_say = screen("review")


@app.command("add")
def add(
    note: str = typer.Option(..., "--note", help="What the clinician reviewed or advised."),
    reviewer: str = typer.Option("clinician", "--reviewer", help="Who reviewed it."),
) -> None:
    """Record a clinician's review; warning signs logged before it stop leading your pages."""
    review = reviews.add_review(
        load_settings(), note=note, reviewer=reviewer, now=datetime.now().astimezone()
    )
    typer.echo(_say("recorded", reviewer=review.reviewer, at=f"{review.at:%Y-%m-%d %H:%M}"))


@app.callback()
def main() -> None:
    """Clinician reviews."""


command = typer.main.get_command(app)
