"""Adding a diary entry: the form, the entry, its runs and any escalation it raises.

This runs on the direct store path (no SQLAlchemy: `diary add` is a short command), in one
transaction, and bumps the runner's data version afterwards as every committed write does.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from backstride.config import Settings
from backstride.domain.diary import SCORE_RANGE, STEPS_RANGE, DiaryEntry
from backstride.errors import InputError
from backstride.knowledge import load as kb_load
from backstride.progress.association import RunLoad
from backstride.progress.escalation import Escalation, red_flag_escalation
from backstride.progress.questions import check_locations, check_red_flag_ids
from backstride.services.direct_store import acting_runner_id, direct_store
from backstride.services.standing import standing_from
from backstride.services.versions import bump, versions_dir
from backstride.storage import direct

Score = Annotated[int, Field(ge=SCORE_RANGE[0], le=SCORE_RANGE[1])]


class DiaryForm(BaseModel):
    """One diary entry as typed or scripted (the boundary model: ranges checked here)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    on: date
    at_time: time | None = None
    pain_now: Score
    pain_worst: Score | None = None
    pain_during_run: Score | None = None
    pain_next_morning: Score | None = None
    stiffness: Score | None = None
    locations: tuple[str, ...] = ()
    leg_symptoms: bool = False
    red_flags: tuple[str, ...] = ()
    exercises_done: tuple[str, ...] = ()
    sleep_hours: Annotated[float, Field(ge=0, le=24)] | None = None
    rmdq_items: tuple[Annotated[int, Field(ge=1, le=24)], ...] | None = None
    note: Annotated[str, Field(max_length=4000)] | None = None
    run_keys: tuple[str, ...] = ()
    steps: Annotated[int, Field(ge=STEPS_RANGE[0], le=STEPS_RANGE[1])] | None = None
    link_runs: bool = True


@dataclass(frozen=True, slots=True)
class DiaryOutcome:
    """What adding an entry did: its id, linked runs and any immediate escalation."""

    entry_id: int
    entry: DiaryEntry
    escalation: Escalation | None


def parse_diary_form(values: dict[str, Any]) -> DiaryForm:
    """Validate raw diary values; the first problem becomes an InputError naming the field."""
    try:
        form = DiaryForm.model_validate(values)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "entry"
        raise InputError(f"diary {where}: {first['msg']} (got {first.get('input')!r})") from exc
    check_locations(form.locations)
    check_red_flag_ids(form.red_flags, kb_load.load_knowledge_base())
    if form.rmdq_items is not None and len(set(form.rmdq_items)) != len(form.rmdq_items):
        raise InputError("diary rmdq: each statement number 1-24 may appear once")
    return form


def add_diary_entry(settings: Settings, form: DiaryForm, *, now: datetime) -> DiaryOutcome:
    """Store one diary entry (and its RMDQ); new red flags re-run triage at once."""
    with direct_store(settings) as store:
        runner_id = acting_runner_id(store, settings)
        run_keys = link_runs(form, run_loads(direct.list_runs(store, runner_id=runner_id)))
        entry = entry_from(form, now=now, run_keys=run_keys)
        entry_id = direct.add_diary_entry(store, runner_id=runner_id, entry=entry, created_at=now)
        if form.rmdq_items is not None:
            direct.add_rmdq(
                store, runner_id=runner_id, on=form.on, items=form.rmdq_items, created_at=now
            )
        escalation = _escalation(store, runner_id)
    bump(versions_dir(settings.home), str(runner_id))
    return DiaryOutcome(entry_id, entry, escalation)


def _escalation(store: direct.Store, runner_id: int) -> Escalation | None:
    """The runner's standing red-flag escalation, read inside this transaction."""
    user_id = direct.user_of_runner(store, runner_id)
    standing = standing_from(
        [entry for _id, entry in direct.list_diary_entries(store, runner_id=runner_id)],
        direct.list_assessments(store, runner_id=runner_id),
        reviewed_at=None if user_id is None else direct.latest_review_at(store, user_id=user_id),
        kb=kb_load.load_knowledge_base(),
    )
    return red_flag_escalation(standing.urgency, standing.signs, kb_load.load_knowledge_base())


def run_loads(rows: Iterable[direct.RunRow]) -> list[RunLoad]:
    """Stored runs as load summaries (numpy is imported only when there are runs)."""
    found = list(rows)
    if not found:
        return []
    from backstride.analytics.history import surface_of

    return [
        RunLoad(
            key=row.source_hash,
            start=row.start_time.astimezone(),  # the runner's local day
            distance_m=float(row.distance_m or 0.0),
            duration_s=float(row.duration_s or 0.0),
            cadence_spm=row.avg_cadence_spm,
            surface=surface_of(row.sub_sport, row.surface),  # the runner's tag wins
        )
        for row in found
    ]


def link_runs(form: DiaryForm, runs: Iterable[RunLoad]) -> tuple[str, ...]:
    """Explicit run keys (checked to exist) plus, by default, every run on the entry's day."""
    known = {run.key: run for run in runs}
    for key in form.run_keys:
        if key not in known:
            raise InputError(f"diary run: no imported activity with key {key!r}")
    keys = list(form.run_keys)
    if form.link_runs:
        keys += [k for k, r in known.items() if r.start.date() == form.on and k not in keys]
    return tuple(keys)


def entry_from(form: DiaryForm, *, now: datetime, run_keys: tuple[str, ...]) -> DiaryEntry:
    """The diary entry a form describes (the time of day now, or noon for another day)."""
    at_time = form.at_time
    if at_time is None:
        at_time = now.time() if form.on == now.date() else time(12, 0)
    return DiaryEntry(
        at=datetime.combine(form.on, at_time.replace(microsecond=0, tzinfo=None)),
        pain_now=form.pain_now,
        pain_worst=form.pain_worst,
        pain_during_run=form.pain_during_run,
        pain_next_morning=form.pain_next_morning,
        stiffness=form.stiffness,
        locations=check_locations(form.locations),
        leg_symptoms=form.leg_symptoms,
        new_red_flags=check_red_flag_ids(form.red_flags, kb_load.load_knowledge_base()),
        exercises_done=tuple(x.strip() for x in form.exercises_done if x.strip()),
        sleep_hours=form.sleep_hours,
        rmdq_score=None if form.rmdq_items is None else len(form.rmdq_items),
        note=form.note,
        run_keys=run_keys,
        steps=form.steps,
    )
