"""`backstride assess` (being built: the assessment issue replaces this module)."""

from __future__ import annotations

import typer

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)


def run_interactive() -> None:
    """Run the interactive questionnaire."""
    raise typer.Exit(code=1)


@app.command()
def assess() -> None:
    """Assess your back pain."""
    run_interactive()


command = typer.main.get_command(app)
