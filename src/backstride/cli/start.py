"""`backstride start`: the guided welcome that leads into the assessment."""

from __future__ import annotations

import typer

from backstride import INTENDED_PURPOSE

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)

WELCOME = (
    "Welcome to backstride.\n\n"
    "We start with a few safety questions, then ask about your pain and your running. "
    "It takes about five minutes. You can stop at any time with Ctrl+C.\n"
)


@app.command()
def start(
    interactive: bool = typer.Option(
        True, "--interactive/--no-interactive", help="Run the questionnaire after the welcome."
    ),
) -> None:
    """Show what backstride is for, then run the assessment questionnaire."""
    typer.echo(WELCOME)
    typer.echo(INTENDED_PURPOSE + "\n")
    if not interactive:
        typer.echo("Run `backstride assess` when you are ready.")
        return
    from backstride.cli.assess import run_interactive

    run_interactive()


command = typer.main.get_command(app)
