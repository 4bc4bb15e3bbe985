"""`backstride shoes`: add, list, assign and retire shoes; distance per pair."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from backstride.cli.dates import parse_day
from backstride.cli.words import check_text_or_json, screen
from backstride.config import load_settings
from backstride.services import analysis as service

app = typer.Typer(
    add_completion=False, pretty_exceptions_enable=False, help="Track shoes and their distance."
)
_say = screen("shoes")
#: The list's columns (their headings: `text.shoes`, column_<name>).
COLUMNS = ("name", "km", "runs", "status")


@app.command("add")
def add(
    name: str = typer.Argument(..., help="A name you will recognise, e.g. 'Blue trainers'."),
    brand: str = typer.Option(None, "--brand", help="Brand, optional."),
    model: str = typer.Option(None, "--model", help="Model, optional."),
    start_km: float = typer.Option(0.0, "--start-km", help="Distance already on the shoe."),
) -> None:
    """Register a pair of shoes."""
    service.add_shoe(
        load_settings(), name=name, brand=brand, model=model, start_km=start_km, today=date.today()
    )
    typer.echo(_say("added", name=name))


@app.command("list")
def list_(output: str = typer.Option("text", "--format", help="text or json.")) -> None:
    """List shoes with their distance and the soft inspection flag."""
    check_text_or_json(output)
    listing = service.list_shoes(load_settings(), today=date.today())
    if output == "json":
        typer.echo(json.dumps(_as_json(listing), indent=2, ensure_ascii=False))
        return
    if not listing.shoes:
        typer.echo(_say("empty"))
        return
    table = Table(title=_say("title", km=listing.inspection_km))
    for column in COLUMNS:
        right = column in ("km", "runs")
        table.add_column(_say(f"column_{column}"), justify="right" if right else "left")
    for shoe in listing.shoes:
        status = "retired" if shoe.retired else "inspect" if shoe.inspection_due else "in_use"
        table.add_row(
            shoe.name, f"{shoe.distance_km:.0f}", str(shoe.runs), _say(f"status_{status}")
        )
    console = Console(highlight=False)
    console.print(table)
    console.print(_say("in_rotation", pairs=listing.in_rotation_8_weeks))


def _as_json(listing: service.ShoeList) -> dict[str, object]:
    return {
        "inspection_km": listing.inspection_km,
        "in_rotation_8_weeks": listing.in_rotation_8_weeks,
        "shoes": [
            {
                "name": s.name,
                "brand": s.brand,
                "model": s.model,
                "distance_km": round(s.distance_km, 1),
                "runs": s.runs,
                "retired": s.retired,
                "added_on": s.added_on.isoformat(),
                "inspection_due": s.inspection_due,
            }
            for s in listing.shoes
        ],
    }


@app.command("assign")
def assign(
    name: str = typer.Argument(..., help="The shoe's name."),
    activity_ids: Annotated[list[int] | None, typer.Argument(help="Activity ids.")] = None,
    since: str = typer.Option(None, "--since", help="Also every run from this day, YYYY-MM-DD."),
    until: str = typer.Option(None, "--until", help="... up to this day, YYYY-MM-DD."),
) -> None:
    """Record the shoe for ACTIVITY_IDS (see `backstride analyze`) or all runs in a range."""
    count = service.assign_shoe(
        load_settings(),
        name=name,
        activity_ids=activity_ids or (),
        since=parse_day(since, "--since"),
        until=parse_day(until, "--until"),
    )
    typer.echo(_say("assigned_one", name=name) if count == 1 else
               _say("assigned_many", name=name, count=count))  # fmt: skip


@app.command("retire")
def retire(
    name: str = typer.Argument(..., help="The shoe's name."),
    undo: bool = typer.Option(False, "--undo", help="Put a retired shoe back in use."),
) -> None:
    """Retire a pair (it keeps its history but no longer gets inspection reminders)."""
    service.retire_shoe(load_settings(), name=name, retired=not undo)
    typer.echo(_say("unretired" if undo else "retired", name=name))


command = typer.main.get_command(app)
