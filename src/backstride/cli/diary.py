"""`backstride diary`: log pain, runs, exercises and the weekly RMDQ; list the diary."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Annotated, Any

import typer

from backstride.cli.dates import parse_day
from backstride.cli.words import check_text_or_json
from backstride.config import load_settings
from backstride.errors import InputError
from backstride.knowledge import load_knowledge_base
from backstride.progress.escalation import Escalation
from backstride.progress.questions import DIARY_LOCATIONS, red_flag_questions
from backstride.services import diary as entries

app = typer.Typer(
    add_completion=False, pretty_exceptions_enable=False, help="Log pain and runs in your diary."
)


def _day(text: str | None) -> date:
    return parse_day(text, "--date") or date.today()


def _items(text: str | None) -> tuple[int, ...] | None:
    if text is None:
        return None
    try:
        return tuple(int(part) for part in text.replace(" ", "").split(",") if part)
    except ValueError as exc:
        raise InputError(f"--rmdq must be statement numbers like 3,7,12, got {text!r}") from exc


@app.command("add")
def add(
    on: str = typer.Option(None, "--date", help="Day of the entry, YYYY-MM-DD (default today)."),
    at: str = typer.Option(None, "--time", help="Time of the entry, HH:MM."),
    pain: int = typer.Option(None, "--pain", help="Pain now, 0-10."),
    worst: int = typer.Option(None, "--worst", help="Worst pain today, 0-10."),
    during_run: int = typer.Option(None, "--during-run", help="Pain during the last run, 0-10."),
    morning: int = typer.Option(None, "--morning", help="Pain the next morning, 0-10."),
    stiffness: int = typer.Option(None, "--stiffness", help="Stiffness, 0-10."),
    where: Annotated[
        list[str] | None, typer.Option("--where", help="Where it hurts (repeat).")
    ] = None,
    leg: bool = typer.Option(False, "--leg-symptoms", help="Pain, numbness or tingling in a leg."),
    red_flag: Annotated[
        list[str] | None, typer.Option("--red-flag", help="A NEW warning sign (repeat).")
    ] = None,
    exercise: Annotated[
        list[str] | None, typer.Option("--exercise", help="Exercise done (repeat).")
    ] = None,
    sleep: float = typer.Option(None, "--sleep", help="Hours slept."),
    steps: int = typer.Option(None, "--steps", help="Steps walked today (against the step goal)."),
    rmdq: str = typer.Option(None, "--rmdq", help="RMDQ statements ticked, e.g. 3,7,12."),
    note: str = typer.Option(None, "--note", help="A free note."),
    run: Annotated[
        list[str] | None, typer.Option("--run", help="Link an imported run by key (repeat).")
    ] = None,
    link_runs: bool = typer.Option(True, "--link-runs/--no-link-runs", help="Link the day's runs."),
    output: str = typer.Option("text", "--format", help="text or json."),
) -> None:
    """Add a diary entry (asks the questions when called without --pain)."""
    check_text_or_json(output)
    values: dict[str, Any]
    if pain is None:
        values = _ask(_day(on))
    else:
        values = {
            "on": _day(on),
            "at_time": at,
            "pain_now": pain,
            "pain_worst": worst,
            "pain_during_run": during_run,
            "pain_next_morning": morning,
            "stiffness": stiffness,
            "locations": tuple(where or ()),
            "leg_symptoms": leg,
            "red_flags": tuple(red_flag or ()),
            "exercises_done": tuple(exercise or ()),
            "sleep_hours": sleep,
            "steps": steps,
            "rmdq_items": _items(rmdq),
            "note": note,
            "run_keys": tuple(run or ()),
            "link_runs": link_runs,
        }
    form = entries.parse_diary_form(values)
    outcome = entries.add_diary_entry(load_settings(), form, now=datetime.now().astimezone())
    if output == "json":
        typer.echo(json.dumps(_outcome_json(outcome), indent=2))
        return
    if outcome.escalation is not None:
        _show_escalation(outcome.escalation)
    at = f"{outcome.entry.at:%Y-%m-%d %H:%M}"
    count = len(outcome.entry.run_keys)
    name = "saved_linked" if count else "saved"
    typer.echo(_say(name, id=outcome.entry_id, at=at, count=count))


def _outcome_json(outcome: entries.DiaryOutcome) -> dict[str, Any]:
    escalation = outcome.escalation
    return {
        "id": outcome.entry_id,
        "at": outcome.entry.at.isoformat(),
        "run_keys": list(outcome.entry.run_keys),
        "escalation": None
        if escalation is None
        else {"urgency": escalation.urgency, "reason": escalation.reason, "text": escalation.text},
    }


def _show_escalation(escalation: Escalation) -> None:
    typer.secho(f"{escalation.label.upper()}: {escalation.action}", fg="red", bold=True)
    typer.echo(_say("why", text=escalation.text))


def _ask(default_day: date) -> dict[str, Any]:
    """The interactive diary questions (safety check included); bad answers are asked again."""
    from backstride.cli.prompts import ask_date, ask_int, ask_picks, ask_yes_no

    values: dict[str, Any] = {"on": ask_date(_say("date_prompt"), default=default_day)}
    values["pain_now"] = ask_int(_say("pain_now_prompt"), low=0, high=10)
    for key in ("pain_worst", "pain_during_run", "pain_next_morning"):
        values[key] = ask_int(_say(f"{key}_prompt"), low=0, high=10, optional=True)
    typer.echo(_say("where_title"), err=True)
    places = ask_picks(_say("where_prompt"), _place_labels())
    values["locations"] = tuple(DIARY_LOCATIONS[i] for i in places)
    values["leg_symptoms"] = ask_yes_no(_say("leg_prompt"), default=False)
    questions = red_flag_questions(load_knowledge_base())
    typer.echo(_say("new_signs_title"), err=True)
    picked = ask_picks(_say("new_signs_prompt"), [q.text for q in questions])
    values["red_flags"] = tuple(questions[i].id for i in picked)
    values["note"] = typer.prompt(_say("note_prompt"), default="", show_default=False) or None
    return values


def _say(name: str, **values: object) -> str:
    """One sentence of the diary's screens (`text.diary` in the knowledge base)."""
    from backstride.knowledge.texts import screen_text

    return screen_text(load_knowledge_base(), "diary", name, **values)


def _place_labels() -> list[str]:
    from backstride.knowledge.labels import plain

    kb = load_knowledge_base()
    return [plain(kb, "location", place) for place in DIARY_LOCATIONS]


@app.command("list")
def list_entries(
    since: str = typer.Option(None, "--since", help="Only entries from this day, YYYY-MM-DD."),
    output: str = typer.Option("text", "--format", help="text or json."),
) -> None:
    """List diary entries, oldest first."""
    from backstride.services import tracking

    stored = tracking.list_entries(load_settings(), since=None if since is None else _day(since))
    if output == "json":
        typer.echo(json.dumps([_entry_json(s) for s in stored], indent=2))
        return
    if not stored:
        typer.echo(_say("empty"))
    signs = {q.id: q.text for q in red_flag_questions(load_knowledge_base())}
    for item in stored:
        e = item.entry
        parts = [_say("line", at=f"{e.at:%Y-%m-%d %H:%M}", pain=e.pain_now)]
        parts += [
            _say(name, value=value)
            for name, value in (
                ("line_worst", e.pain_worst),
                ("line_run", e.pain_during_run),
                ("line_morning", e.pain_next_morning),
            )
            if value is not None
        ]
        if e.new_red_flags:
            shown = "; ".join(signs.get(flag, flag) for flag in e.new_red_flags)
            parts.append(_say("line_new", signs=shown))
        typer.echo(f"{item.id:5d}  " + "  ".join(parts))
        if e.note:
            typer.echo(f"       {e.note}")


def _entry_json(item: Any) -> dict[str, Any]:
    from backstride.domain.diary import entry_fields

    return {"id": item.id, **entry_fields(item.entry), "at": item.entry.at.isoformat()}


@app.command("rmdq")
def rmdq(
    items: str = typer.Option(..., "--items", help="Statements ticked, e.g. 3,7,12 ('' for none)."),
    on: str = typer.Option(None, "--date", help="Day, YYYY-MM-DD (default today)."),
) -> None:
    """Record the weekly Roland-Morris questionnaire (the numbers of the statements ticked)."""
    from backstride.services import tracking

    ticked = _items(items) or ()
    tracking.add_rmdq(load_settings(), on=_day(on), items=ticked, now=datetime.now().astimezone())
    typer.echo(f"Saved RMDQ score {len(ticked)}/24.")


@app.command("delete")
def delete(entry_id: int = typer.Argument(..., help="The entry id `diary list` shows.")) -> None:
    """Delete one diary entry."""
    from backstride.services import tracking

    tracking.delete_entry(load_settings(), entry_id)
    typer.echo(_say("deleted", id=entry_id))


@app.command("assessment")
def assessment(
    source: str = typer.Option(..., "--input", "-i", help="Case file (.yaml/.json), - for stdin."),
) -> None:
    """Assess a case file and store it as the baseline your progress is measured from."""
    from backstride.cli.assess import read_case_input
    from backstride.services import tracking

    result = tracking.store_assessment(
        load_settings(), read_case_input(source), now=datetime.now(UTC)
    )
    from backstride.knowledge.urgency import label

    urgency = label(load_knowledge_base(), result.urgency)
    typer.echo(_say("assessment_stored", urgency=urgency, action=result.action))


@app.command("questions")
def questions() -> None:
    """List the warning-sign ids for --red-flag and the places for --where."""
    typer.echo("Warning signs (--red-flag):")
    for question in red_flag_questions(load_knowledge_base()):
        typer.echo(f"  {question.id:34s} {question.text}")
    typer.echo("Places (--where): " + ", ".join(DIARY_LOCATIONS))


command = typer.main.get_command(app)
