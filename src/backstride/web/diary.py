"""The pain diary and recovery progress: pages and API (the same services as the CLI)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.datastructures import FormData

from backstride.domain.dates import read_day
from backstride.domain.diary import SCORE_RANGE, STEPS_RANGE
from backstride.errors import BackstrideError, InputError, NotFoundError
from backstride.services.accounts import Credential
from backstride.services.sharing import audit
from backstride.web.deps import SettingsDep, SignedIn, TemplatesDep, scoped
from backstride.web.models import DiaryEntryOut, DiaryIn, DiaryList, DiaryPatch, Document, Id
from backstride.web.words import say

router = APIRouter()
DiaryRead = Annotated[Credential, Depends(scoped("diary:read"))]
DiaryWrite = Annotated[Credential, Depends(scoped("diary:write"))]
ProgressRead = Annotated[Credential, Depends(scoped("progress:read"))]
#: Diary form fields that carry scores (blank means not answered).
SCORES = ("pain_now", "pain_worst", "pain_during_run", "pain_next_morning", "stiffness")
#: The lowest and highest number each numeric field takes: the checks here and the form's.
LIMITS: dict[str, tuple[int, int]] = {**dict.fromkeys(SCORES, SCORE_RANGE), "steps": STEPS_RANGE}


def device_audit(request: Request, user: Credential, action: str) -> None:
    """A write by a token (a device or script) goes into the runner's audit log."""
    if user.scopes is not None:
        audit(request.app.state.settings, user_id=user.account.id, actor="access token",
              action=action, at=datetime.now(UTC))  # fmt: skip


@router.get("/api/v1/diary")
def api_diary(
    settings: SettingsDep, _user: DiaryRead, since: date | None = None, until: date | None = None
) -> DiaryList:
    """The diary between two dates (both optional), oldest first."""
    from backstride.services.runner_data import entry_json
    from backstride.services.tracking import list_entries

    rows = [entry_json(s.id, s.entry) for s in list_entries(settings, since=since)
            if until is None or s.entry.at.date() <= until]  # fmt: skip
    return DiaryList(entries=[DiaryEntryOut.model_validate(r) for r in rows])


@router.post("/api/v1/diary", status_code=201)
def api_diary_add(
    body: DiaryIn, request: Request, settings: SettingsDep, user: DiaryWrite
) -> DiaryEntryOut:
    """Add an entry; new red flags re-run triage at once (`escalation`)."""
    from backstride.progress.status import escalation_dict
    from backstride.services.runner_data import diary_values, entry_json
    from backstride.services.tracking import add_diary_entry, parse_diary_form

    form = parse_diary_form(diary_values(body.model_dump(exclude_none=True)))
    outcome = add_diary_entry(settings, form, now=datetime.now(UTC))
    device_audit(request, user, "device_write")
    out = entry_json(outcome.entry_id, outcome.entry)
    return DiaryEntryOut.model_validate(out | {"escalation": escalation_dict(outcome.escalation)})


@router.patch("/api/v1/diary/{entry_id}")
def api_diary_patch(
    entry_id: Id, body: DiaryPatch, request: Request, settings: SettingsDep, user: DiaryWrite
) -> DiaryEntryOut:
    """Change an entry (red flags can only be added, never taken back)."""
    from backstride.progress.status import escalation_dict
    from backstride.services.runner_data import update_diary_entry

    out, escalation = update_diary_entry(settings, entry_id, body.model_dump(exclude_none=True),
                                         now=datetime.now(UTC))  # fmt: skip
    device_audit(request, user, "device_write")
    return DiaryEntryOut.model_validate(out | {"escalation": escalation_dict(escalation)})


@router.delete("/api/v1/diary/{entry_id}", status_code=204)
def api_diary_delete(entry_id: Id, settings: SettingsDep, _user: DiaryWrite) -> Response:
    """Remove an entry."""
    from backstride.services.tracking import delete_entry

    delete_entry(settings, entry_id)
    return Response(status_code=204)


@router.get("/api/v1/progress", response_model=Document)
def api_progress(settings: SettingsDep, _user: ProgressRead) -> dict[str, Any]:
    """The same object as `backstride progress --format json`."""
    from backstride.progress.status import status_dict
    from backstride.services.tracking import progress_status

    return status_dict(progress_status(settings, today=date.today()))


# ---- pages ---------------------------------------------------------------------------------
#: The diary form's fields that have a plain name in the page's record (for messages).
NAMED_FIELDS = ("on", *SCORES, "steps")


@router.get("/diary", response_class=HTMLResponse)
def diary_page(request: Request, templates: TemplatesDep, _user: SignedIn) -> Response:
    return diary(request, templates)


@router.post("/diary", response_class=HTMLResponse)
async def diary_add(
    request: Request, settings: SettingsDep, templates: TemplatesDep, _user: SignedIn
) -> Response:
    from backstride.services.tracking import add_diary_entry, parse_diary_form

    form = await request.form()
    if form.get("quick") == "yes" and form.get("new_signs") != "no":
        # a quick entry that is not sure about warning signs goes to the full form
        return diary(request, templates, typed=form, error=None if form.get("new_signs") else
                     say("diary", "new_signs_unanswered"),
                     status=200 if form.get("new_signs") else 422)  # fmt: skip
    try:
        entry = parse_diary_form(diary_values(form, settings=settings))
    except BackstrideError as exc:
        return diary(request, templates, error=plain_error(exc), typed=form, status=422)
    outcome = add_diary_entry(settings, entry, now=datetime.now(UTC))
    if outcome.escalation is not None:
        context = {"escalation": outcome.escalation}
        return templates.TemplateResponse(request, "escalation.html.j2", context)
    return RedirectResponse("/progress", status_code=303)


@router.get("/diary/{entry_id}", response_class=HTMLResponse)
def diary_edit_page(
    entry_id: Id, request: Request, settings: SettingsDep, templates: TemplatesDep,
    _user: SignedIn,
) -> Response:  # fmt: skip
    stored = _entry(settings, entry_id)
    return diary(request, templates, typed=_typed(stored), editing=stored)


@router.post("/diary/{entry_id}", response_class=HTMLResponse)
async def diary_edit(
    entry_id: Id, request: Request, settings: SettingsDep, templates: TemplatesDep,
    _user: SignedIn,
) -> Response:  # fmt: skip
    from backstride.services.runner_data import DIARY_FIELDS, update_diary_entry

    stored = _entry(settings, entry_id)  # someone else's entry: 404 before anything
    form = await request.form()
    names = {v: k for k, v in DIARY_FIELDS.items()}
    try:
        values = diary_values(form, settings=settings)
        changes = {names[k]: v for k, v in values.items() if k in names}
        _out, escalation = update_diary_entry(settings, entry_id, changes, now=datetime.now(UTC))
    except BackstrideError as exc:
        return diary(request, templates, error=plain_error(exc), typed=form, editing=stored,
                     status=422)  # fmt: skip
    if escalation is not None:
        return templates.TemplateResponse(request, "escalation.html.j2",
                                          {"escalation": escalation})  # fmt: skip
    return RedirectResponse("/diary", status_code=303)


@router.post("/diary/{entry_id}/delete")
def diary_delete(entry_id: Id, settings: SettingsDep, _user: SignedIn) -> Response:
    from backstride.services.tracking import delete_entry

    _entry(settings, entry_id)
    delete_entry(settings, entry_id)
    return RedirectResponse("/diary", status_code=303)


def _entry(settings: Any, entry_id: int) -> dict[str, Any]:
    """One of this account's diary entries, or a plain not-found page."""
    from backstride.services.runner_data import diary_entry

    try:
        return diary_entry(settings, entry_id)
    except NotFoundError:
        raise NotFoundError(say("diary", "no_such_entry")) from None


@router.get("/progress", response_class=HTMLResponse)
def progress_page(
    request: Request, settings: SettingsDep, templates: TemplatesDep, _user: SignedIn
) -> Response:
    from backstride.services.runner_data import kept_for_runner

    today = date.today()
    context = kept_for_runner(settings, ("progress-page", today),
                              lambda: _progress_context(settings, today))  # fmt: skip
    return templates.TemplateResponse(request, "progress.html.j2", dict(context))


def _progress_context(settings: Any, today: date) -> dict[str, Any]:
    """What the progress page shows (kept until the runner's data changes)."""
    from backstride.knowledge import load_knowledge_base
    from backstride.knowledge.labels import plain
    from backstride.progress.change import change_rule
    from backstride.progress.status import status_dict
    from backstride.services.tracking import progress_status

    status = status_dict(progress_status(settings, today=today))
    kb = load_knowledge_base()
    trend = plain(kb, "trend", str(status["trend"]))
    return {"status": status, "chart": progress_chart(status["rolling_7d"]),
            "trend_words": trend, "window_days": change_rule(kb).window_days}  # fmt: skip


def diary_values(form: FormData, *, settings: Any = None) -> dict[str, Any]:
    """The diary form as the tracking service's raw values (blank fields left out)."""
    values: dict[str, Any] = {"on": _day(form.get("on"), settings)}
    for name in SCORES:
        raw = form.get(name)
        if isinstance(raw, str) and raw.strip():
            values[name] = _whole(name, raw)
    values["locations"] = tuple(str(v) for v in form.getlist("locations"))
    values["red_flags"] = tuple(str(v) for v in form.getlist("red_flags"))
    values["leg_symptoms"] = form.get("leg_symptoms") == "yes"
    steps = form.get("steps")
    if isinstance(steps, str) and steps.strip():
        values["steps"] = _whole("steps", steps)
    note = form.get("note")
    if isinstance(note, str) and note.strip():
        values["note"] = note.strip()
    return values


def _day(raw: Any, settings: Any) -> date:
    """The entry's day: a real date, not in the future, not long before the first check."""
    from backstride.services.tracking import diary_date_window, diary_days_before_first_check

    today = date.today()
    if not isinstance(raw, str) or not raw.strip():
        return today
    try:
        day = read_day(raw.strip(), "the day")
    except InputError:
        raise InputError(say("diary", "not_a_date", raw=raw)) from None
    earliest, latest = (diary_date_window(settings, today=today) if settings is not None
                        else (date.min, today))  # fmt: skip
    if day > latest:
        raise InputError(say("diary", "in_future"))
    if day < earliest:
        days = diary_days_before_first_check()
        raise InputError(say("diary", "too_early", earliest=earliest, days=days))
    return day


def _whole(name: str, raw: str) -> int:
    low, high = LIMITS[name]
    field = say("diary", f"field_{name}" if name in NAMED_FIELDS else "field_other")
    message = say("diary", "score_refused", field=field, low=low, high=high, raw=raw.strip())
    try:
        value = int(raw.strip())
    except ValueError:
        raise InputError(message) from None
    if not low <= value <= high:
        raise InputError(message)
    return value


def plain_error(exc: BackstrideError) -> str:
    """The service's message without its internal field name."""
    text = str(exc)
    if text.startswith("diary "):
        return say("diary", "check_entry", detail=text.partition(": ")[2])
    return text


def _typed(stored: dict[str, Any]) -> dict[str, Any]:
    """A stored entry as the values its edit form shows."""
    return {"on": stored["date"], "pain_now": stored["pain"], "pain_worst": stored["worst"],
            "pain_during_run": stored["during"], "pain_next_morning": stored["morning"],
            "stiffness": stored["stiffness"], "locations": stored["locations"],
            "steps": stored["steps"], "red_flags": stored["red_flags"],
            "note": stored["note"] or "",
            "leg_symptoms": "yes" if stored["leg_symptoms"] else "no"}  # fmt: skip


def diary(
    request: Request, templates: Jinja2Templates, *, error: str | None = None, status: int = 200,
    typed: Any = None, editing: dict[str, Any] | None = None,
) -> Response:  # fmt: skip
    from backstride.services.runner_data import kept_for_runner

    settings = request.app.state.settings
    today = date.today()
    kept = kept_for_runner(settings, ("diary-page", today), lambda: _diary_context(settings, today))
    context = kept | {
        "limits": LIMITS,
        "editing": editing,
        "typed": _as_dict(typed),
        "error": error,
    }
    return templates.TemplateResponse(request, "diary.html.j2", context, status_code=status)


def _diary_context(settings: Any, today: date) -> dict[str, Any]:
    """The diary page's recent entries and form choices (kept until the data changes)."""
    from backstride.assess.flow import VOCABULARY
    from backstride.knowledge import load_knowledge_base
    from backstride.knowledge.labels import plain
    from backstride.progress.questions import DIARY_LOCATIONS, red_flag_questions
    from backstride.services.plans import step_goal
    from backstride.services.tracking import diary_date_window, list_entries

    kb = load_knowledge_base()
    recent = list_entries(settings, last=14)
    earliest, today = diary_date_window(settings, today=today)
    return {"entries": list(reversed(recent)),
            "locations": [(v, plain(kb, VOCABULARY["pain.locations"], v))
                          for v in DIARY_LOCATIONS],
            "questions": red_flag_questions(kb), "today": today.isoformat(),
            "earliest": earliest.isoformat(),
            "step_goal": step_goal(settings, today=today)}  # fmt: skip


def _as_dict(typed: Any) -> dict[str, Any]:
    """Submitted or stored values by field (lists for the tick boxes)."""
    if typed is None:
        return {}
    if isinstance(typed, FormData):
        return {k: typed.getlist(k) if k in ("locations", "red_flags") else typed.get(k)
                for k in typed}  # fmt: skip
    return dict(typed)


def progress_chart(points: list[dict[str, Any]]) -> Any:
    """7-day mean pain per day (0–10) as a chart with dates; None with fewer than 2 days."""
    from backstride.knowledge import load_knowledge_base
    from backstride.progress.change import change_rule
    from backstride.web.charts import Chart, Line, Panel, day_seconds, render

    days = [p for p in points if p.get("mean_pain") is not None]
    if len(days) < 2:
        return None
    x = day_seconds([date.fromisoformat(str(p["date"])[:10]) for p in days])
    window_days = change_rule(load_knowledge_base()).window_days
    pain = Line(say("diary", "chart_line", days=window_days), [float(p["mean_pain"]) for p in days])
    return render(Chart(say("diary", "chart_title"), x, "date",
                        (Panel(say("diary", "chart_unit"), (pain,), 0, 10),)))  # fmt: skip
