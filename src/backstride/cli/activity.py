"""`backstride activity`: summarise one file (nothing stored), list stored runs, tag surfaces."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from backstride.cli.dates import parse_day
from backstride.cli.limits import file_limits
from backstride.services.activities import list_history, summarize_file, tag_surface

app = typer.Typer(
    add_completion=False,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    help="Inspect an activity file, list stored activities, tag a run's surface.",
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
    result = summarize_file(file, limits=file_limits()).as_json()
    if output is OutputFormat.json:
        typer.echo(json.dumps(result, indent=2))
        return
    legs: list[dict[str, object]] = result.pop("legs")  # type: ignore[assignment]
    warnings: list[str] = result.pop("warnings")  # type: ignore[assignment]
    for key, value in result.items():
        label, unit = FIELD_WORDS.get(key, (key.replace("_", " "), ""))
        shown = "-" if value is None else f"{value}{unit}"
        typer.echo(f"{label}: {'yes' if value is True else 'no' if value is False else shown}")
    for number, leg in enumerate(legs, start=1):
        parts = ", ".join(
            f"{FIELD_WORDS.get(k, (k.replace('_', ' '), ''))[0].lower()} {'-' if v is None else v}"
            for k, v in leg.items()
        )
        typer.echo(f"leg {number}: {parts}")
    for warning in warnings:
        typer.echo(f"warning: {warning}")


#: The summary's JSON keys (ids, units in names) as a person reads them.
FIELD_WORDS = {
    "sport": ("Sport", ""),
    "start_time": ("Start", ""),
    "duration_s": ("Duration", " s"),
    "distance_m": ("Distance", " m"),
    "records": ("Samples", ""),
    "avg_hr_bpm": ("Average heart rate", " bpm"),
    "avg_cadence_spm": ("Average cadence", " steps/min"),
    "avg_cadence_rpm": ("Average cadence", " rpm"),
    "avg_speed_mps": ("Average speed", " m/s"),
    "has_running_dynamics": ("Running dynamics recorded", ""),
}


@app.command("list")
def list_activities(
    since: Annotated[str | None, typer.Option(help="First day, YYYY-MM-DD.")] = None,
) -> None:
    """List stored activities with their id, day, sport, distance, shoe and surface."""
    from backstride.config import load_settings  # pydantic: only for the store's commands

    rows = list_history(load_settings(), since=parse_day(since, "--since"))
    if not rows:
        typer.echo("No activities stored yet: `backstride import PATH` brings them in.")
    for row in rows:
        km = "-" if row.distance_m is None else f"{row.distance_m / 1000:.2f} km"
        surface = row.surface or row.sub_sport or "-"
        typer.echo(f"#{row.id}  {row.start_time:%Y-%m-%d %H:%M}  {row.sport:<10} {km:>10}  "
                   f"shoe: {row.shoe_name or '-'}  surface: {surface}")  # fmt: skip


@app.command()
def tag(
    activity_id: Annotated[int, typer.Argument(help="The id `activity list` shows.")],
    surface: Annotated[
        str | None, typer.Option(help="road, asphalt, concrete, trail, grass, track, ...")
    ] = None,
    clear: Annotated[bool, typer.Option(help="Remove the tag.")] = False,
) -> None:
    """Tag the surface a run was on (analytics flags a sudden change of surface)."""
    if (surface is None) == (not clear):
        raise typer.BadParameter("give either --surface SURFACE or --clear")
    from backstride.config import load_settings

    tag_surface(load_settings(), activity_id=activity_id, surface=None if clear else surface)
    typer.echo(f"Activity #{activity_id}: surface {'cleared' if clear else surface}.")


command = typer.main.get_command(app)
