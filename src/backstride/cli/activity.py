"""`backstride activity`: summarise one file (nothing stored), list stored runs, tag surfaces.

A plain click group rather than a Typer app: `activity summary` is the one command run
on a single file from scripts and must start fast (Typer's import is a fifth of it).
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from backstride.cli.dates import parse_day
from backstride.cli.limits import file_limits
from backstride.cli.words import screen
from backstride.services.activities import list_history, summarize_file, tag_surface

_say = screen("activity")  # not for `summary`: it must start without the knowledge base


@click.group(
    "activity",
    no_args_is_help=True,
    help="Inspect an activity file, list stored activities, tag a run's surface.",
    context_settings={"help_option_names": ["-h", "--help"]},
)
def command() -> None:
    """Inspect one activity file without storing it."""


@command.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Print as text or JSON.")  # fmt: skip
def summary(file: Path, output: str) -> None:
    """Print the sport, start, duration, distance and averages of one file.

    FILE is a FIT, GPX or TCX file (may be .gz or .zip).
    """
    result = summarize_file(file, limits=file_limits()).as_json()
    if output == "json":
        click.echo(json.dumps(result, indent=2))
        return
    legs: list[dict[str, object]] = result.pop("legs")  # type: ignore[assignment]
    warnings: list[str] = result.pop("warnings")  # type: ignore[assignment]
    # One cadence line: steps per minute for running, the other sports' own unit otherwise.
    rpm = result.get("avg_cadence_rpm")
    rows = [
        ("avg_cadence_rpm", rpm) if key == "avg_cadence_spm" and value is None and rpm is not None
        else (key, value)
        for key, value in result.items() if key != "avg_cadence_rpm"
    ]  # fmt: skip
    for key, value in rows:
        label, unit = FIELD_WORDS.get(key, (key.replace("_", " "), ""))
        shown = "-" if value is None else f"{value}{unit}"
        click.echo(f"{label}: {'yes' if value is True else 'no' if value is False else shown}")
    for number, leg in enumerate(legs, start=1):
        parts = ", ".join(
            f"{FIELD_WORDS.get(k, (k.replace('_', ' '), ''))[0].lower()} {'-' if v is None else v}"
            for k, v in leg.items()
        )
        click.echo(f"leg {number}: {parts}")
    for warning in warnings:
        click.echo(f"warning: {warning}")


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


@command.command("list")
@click.option("--since", default=None, help="First day, YYYY-MM-DD.")
def list_activities(since: str | None) -> None:
    """List stored activities with their id, day, sport, distance, shoe and surface."""
    from backstride.config import load_settings  # pydantic: only for the store's commands

    rows = list_history(load_settings(), since=parse_day(since, "--since"))
    if not rows:
        click.echo(_say("empty"))
    for row in rows:
        km = "-" if row.distance_m is None else f"{row.distance_m / 1000:.2f} km"
        surface = row.surface or row.sub_sport or "-"
        click.echo(_say("row", id=row.id, start=f"{row.start_time:%Y-%m-%d %H:%M}",
                        sport=row.sport, distance=km, shoe=row.shoe_name or "-",
                        surface=surface))  # fmt: skip


@command.command()
@click.argument("activity_id", type=int)
@click.option("--surface", default=None, help="road, asphalt, concrete, trail, grass, track, ...")
@click.option("--clear", is_flag=True, help="Remove the tag.")
def tag(activity_id: int, surface: str | None, clear: bool) -> None:
    """Tag the surface a run was on (analytics flags a sudden change of surface).

    ACTIVITY_ID is the id `activity list` shows.
    """
    if (surface is None) == (not clear):
        raise click.BadParameter(_say("tag_refused"))
    from backstride.config import load_settings

    tag_surface(load_settings(), activity_id=activity_id, surface=None if clear else surface)
    click.echo(_say("cleared", id=activity_id) if clear else
               _say("tagged", id=activity_id, surface=surface))  # fmt: skip
