"""`backstride export`, `backstride import-data` and `backstride forget`: all your data."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from backstride.cli.words import screen
from backstride.config import load_settings
from backstride.services import data_export

export_app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
import_app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
forget_app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
_say = screen("data")


@export_app.command()
def export(
    fmt: str = typer.Option("json", "--format", help="json (restorable) or fhir (FHIR R4)."),
    out: Annotated[
        Path | None, typer.Option("--out", help="Write to this file instead of stdout.")
    ] = None,
) -> None:
    """Export all your data as JSON (restorable) or as a FHIR R4 Bundle."""
    document = data_export.export_data(load_settings(), fmt=fmt, now=datetime.now(UTC))
    if out is None:
        typer.echo(document, nl=False)
        return
    out.write_text(document, encoding="utf-8")
    typer.echo(_say("exported", format=fmt, path=out), err=True)


@import_app.command("import-data")
def import_data(
    file: Annotated[Path, typer.Argument(help="A JSON file from `backstride export`.")],
) -> None:
    """Restore everything from a JSON export (into an empty store)."""
    counts = data_export.import_data(load_settings(), file)
    rows = [_say("restored_rows", count=n, what=table.replace("_", " "))
            for table, n in counts.rows.items() if n]  # fmt: skip
    what = ", ".join(rows) or _say("restored_nothing")
    typer.echo(_say("restored", what=what, files=counts.files))


@forget_app.command()
def forget(
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
) -> None:
    """Delete all your data: assessments, plans, diary, activities and shoes."""
    if not yes and not typer.confirm(_say("forget_confirm"), default=False):
        typer.echo(_say("nothing_deleted"))
        return
    counts = data_export.forget(load_settings())
    typer.echo(_say("forgotten", records=sum(counts.rows.values()), files=counts.files))


commands = {
    "export": typer.main.get_command(export_app),
    "import-data": typer.main.get_command(import_app),
    "forget": typer.main.get_command(forget_app),
}
