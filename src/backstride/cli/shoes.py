"""`backstride shoes`: add, list, assign and retire shoes; distance per pair."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from backstride.cli.dates import parse_day
from backstride.config import load_settings
from backstride.errors import InputError
from backstride.services import analysis as service

app = typer.Typer(
    add_completion=False, pretty_exceptions_enable=False, help="Track shoes and their distance."
)


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
    typer.echo(f"Added shoe {name!r}.")


@app.command("list")
def list_(output: str = typer.Option("text", "--format", help="text or json.")) -> None:
    """List shoes with their distance and the soft inspection flag."""
    if output not in ("text", "json"):
        raise InputError(f"--format must be text or json, got {output!r}")
    listing = service.list_shoes(load_settings(), today=date.today())
    if output == "json":
        typer.echo(json.dumps(_as_json(listing), indent=2, ensure_ascii=False))
        return
    if not listing.shoes:
        typer.echo("No shoes yet. Add one with `backstride shoes add NAME`.")
        return
    table = Table(title=f"Shoes (inspect at {listing.inspection_km:.0f} km, a soft reminder)")
    for column in ("name", "km", "runs", "status"):
        table.add_column(column, justify="right" if column in ("km", "runs") else "left")
    for shoe in listing.shoes:
        status = "retired" if shoe.retired else "inspect now" if shoe.inspection_due else "in use"
        table.add_row(shoe.name, f"{shoe.distance_km:.0f}", str(shoe.runs), status)
    console = Console(highlight=False)
    console.print(table)
    console.print(f"Pairs used in the last 8 weeks: {listing.in_rotation_8_weeks}")


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
    typer.echo(f"Assigned {name!r} to {count} activit{'y' if count == 1 else 'ies'}.")


@app.command("retire")
def retire(
    name: str = typer.Argument(..., help="The shoe's name."),
    undo: bool = typer.Option(False, "--undo", help="Put a retired shoe back in use."),
) -> None:
    """Retire a pair (it keeps its history but no longer gets inspection reminders)."""
    service.retire_shoe(load_settings(), name=name, retired=not undo)
    typer.echo(f"{'Un-retired' if undo else 'Retired'} shoe {name!r}.")


command = typer.main.get_command(app)
