"""Training: the import page with its progress bar, and the activities, jobs and analysis API.

Uploads stream to disk under the limits; the import then runs as a background job whose
state any request can poll (`/api/v1/jobs/{id}`), so no other request waits for it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.datastructures import FormData

from backstride.errors import BackstrideError, InputError, NotFoundError
from backstride.services.accounts import Credential
from backstride.services.sharing import audit
from backstride.web.deps import SettingsDep, SignedIn, TemplatesDep, scoped
from backstride.web.models import (
    ActivityList,
    ActivityOut,
    Document,
    Id,
    JobCreated,
    JobOut,
)

router = APIRouter()
#: The training page: findings and charts over this many days; at most this many runs listed.
WINDOW_DAYS, LIST_MAX = 182, 60
#: Points drawn per chart of one run; slower than this (m/s) is standing, not a pace.
SAMPLE_POINTS, PACE_FLOOR_MPS = 600, 0.5
ActivitiesRead = Annotated[Credential, Depends(scoped("activities:read"))]
ActivitiesWrite = Annotated[Credential, Depends(scoped("activities:write"))]
UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {"multipart/form-data": {"schema": {
            "type": "object", "required": ["files"],
            "properties": {"files": {"type": "array",
                                     "items": {"type": "string", "format": "binary"}}}}}},
    }
}  # fmt: skip


async def start_import_job(request: Request, user: Credential) -> str:
    """Receive the uploaded files and queue their import; the job's id."""
    from backstride.services.jobs import start_import
    from backstride.web.uploads import receive_uploads

    settings = request.app.state.settings
    received = await receive_uploads(request, settings)
    if user.scopes is not None:
        audit(settings, user_id=user.account.id, actor="access token", action="device_upload",
              at=datetime.now(UTC))  # fmt: skip
    return start_import(settings, user_id=user.account.id, scratch=received.scratch,
                        files=received.paths, names=received.names, refused=[],
                        now=datetime.now(UTC))  # fmt: skip


@router.post("/api/v1/activities", status_code=202, openapi_extra=UPLOAD_BODY)
async def api_activities_upload(request: Request, user: ActivitiesWrite) -> JobCreated:
    """Upload activity files (multipart `files`); the import runs as a job."""
    return JobCreated(job=await start_import_job(request, user))


@router.get("/api/v1/jobs/{job_id}")
def api_job(job_id: str, settings: SettingsDep, user: SignedIn) -> JobOut:
    """A job's state, progress and per-file results."""
    from backstride.services.jobs import job_status

    return JobOut.model_validate(job_status(settings, user_id=user.account.id, job_id=job_id))


@router.get("/api/v1/activities")
def api_activities(settings: SettingsDep, _user: ActivitiesRead) -> ActivityList:
    """The stored activities, oldest first."""
    from backstride.services.activities import list_history
    from backstride.services.runner_data import activity_json

    rows = [activity_json(_Summary(row)) for row in list_history(settings)]
    return ActivityList(activities=[ActivityOut.model_validate(r) for r in rows])


class _Summary:
    """An activity summary seen through the names `activity_json` reads."""

    def __init__(self, row: Any) -> None:
        self.__dict__.update({k: getattr(row, k, None) for k in (
            "id", "sport", "start_time", "duration_s", "distance_m", "avg_hr_bpm",
            "avg_cadence_spm", "device", "name", "surface")})  # fmt: skip


@router.get("/api/v1/activities/{activity_id}")
def api_activity(activity_id: Id, settings: SettingsDep, _user: ActivitiesRead) -> ActivityOut:
    """One stored activity's summary."""
    from backstride.services.runner_data import get_activity

    return ActivityOut.model_validate(get_activity(settings, activity_id))


@router.delete("/api/v1/activities/{activity_id}", status_code=204)
def api_activity_delete(activity_id: Id, settings: SettingsDep, _user: ActivitiesWrite
                        ) -> Response:  # fmt: skip
    """Remove a stored activity and its samples."""
    from backstride.services.runner_data import delete_activity

    delete_activity(settings, activity_id)
    return Response(status_code=204)


@router.get("/api/v1/analysis", response_model=Document)
def api_analysis(settings: SettingsDep, _user: ActivitiesRead) -> dict[str, Any]:
    """The same object as `backstride analyze --format json`."""
    from backstride.services.analysis import analyze, report_json

    return report_json(analyze(settings, as_of=datetime.now(UTC).date()))


# ---- pages ---------------------------------------------------------------------------------


@router.get("/import", response_class=HTMLResponse)
def import_page(request: Request, templates: TemplatesDep, _user: SignedIn) -> Response:
    return templates.TemplateResponse(request, "import.html.j2", {"job": None})


@router.post("/import", response_class=HTMLResponse)
async def import_upload(request: Request, user: SignedIn) -> Response:
    """Receive the files and show the job's page (its progress bar polls the job)."""
    job_id = await start_import_job(request, user)
    return RedirectResponse(f"/import/jobs/{job_id}", status_code=303)


@router.get("/import/jobs/{job_id}", response_class=HTMLResponse)
def import_job_page(
    job_id: str, request: Request, settings: SettingsDep, templates: TemplatesDep, user: SignedIn
) -> Response:
    from backstride.services.jobs import job_status

    job = job_status(settings, user_id=user.account.id, job_id=job_id)
    return templates.TemplateResponse(request, "import.html.j2", {"job": job})


@router.get("/training", response_class=HTMLResponse)
def training_page(
    request: Request, settings: SettingsDep, templates: TemplatesDep, _user: SignedIn
) -> Response:
    """Runs, weekly distance and daily load, shoes and the findings in plain words."""
    from backstride.services.activities import list_history
    from backstride.services.analysis import analyze

    today = datetime.now(UTC).date()
    rows = list_history(settings)
    report = analyze(settings, since=today - timedelta(days=WINDOW_DAYS - 1), as_of=today)
    context = {"runs": list(reversed(rows))[:LIST_MAX], "total": len(rows),
               "report": None if report.empty else report,
               "charts": [] if report.empty else _load_charts(report.analysis)}  # fmt: skip
    return templates.TemplateResponse(request, "training.html.j2", context)


def _load_charts(analysis: Any) -> list[Any]:
    from backstride.web.charts import Chart, Line, Panel, day_seconds, render

    weeks = [w for w in analysis.weeks if analysis.in_window(w.week_start + timedelta(days=6))]
    weekly = render(Chart("Running distance per week", day_seconds([w.week_start for w in weeks]),
                          "date", (Panel("km per week", (Line("Distance", [round(w.distance_km, 1)
                                   for w in weeks], bars=True),), 0),)))  # fmt: skip
    series = analysis.series
    first = series.first_day
    days = [first + timedelta(days=i) for i in range(len(series))]
    keep = [i for i, d in enumerate(days) if analysis.in_window(d)]
    daily = Line("Running distance", [round(float(series.distance_km[i]), 2) for i in keep],
                 bars=True)  # fmt: skip
    load = render(Chart("Daily load (running distance)", day_seconds([days[i] for i in keep]),
                        "date", (Panel("km per day", (daily,), 0),)))  # fmt: skip
    return [weekly, load]


@router.get("/training/activities/{activity_id}", response_class=HTMLResponse)
def activity_page(
    activity_id: Id, request: Request, settings: SettingsDep, templates: TemplatesDep,
    _user: SignedIn,
) -> Response:  # fmt: skip
    """One run: its route from its own coordinates, and pace, heart rate and cadence."""
    from backstride.services.activities import activity_with_samples
    from backstride.web.charts import route

    summary, samples = activity_with_samples(settings, activity_id)
    drawn = None
    lat = None if samples is None else samples.get("lat_deg")
    lon = None if samples is None else samples.get("lon_deg")
    if lat is not None and lon is not None:
        drawn = route(lat.tolist(), lon.tolist(), label="The route of this run, north up; "
                      "green is the start, red the finish")  # fmt: skip
    context = {"run": summary, "route": drawn, "chart": _sample_chart(samples),
               "shoes": _wearable(settings, summary.shoe_name)}  # fmt: skip
    return templates.TemplateResponse(request, "activity.html.j2", context)


@router.post("/training/activities/{activity_id}/shoe", response_class=HTMLResponse)
async def activity_shoe(
    activity_id: Id, request: Request, settings: SettingsDep, _user: SignedIn
) -> Response:
    """Record which pair this run was in."""
    from backstride.services.analysis import assign_shoe
    from backstride.services.runner_data import get_activity

    try:
        get_activity(settings, activity_id)  # someone else's run: 404 before anything
    except NotFoundError:
        raise NotFoundError("There is no such run in your account.") from None
    chosen = (await request.form()).get("shoe_id")
    if not isinstance(chosen, str) or not chosen.isdigit():
        raise InputError("Please choose the shoes you ran in.")
    shoe = _own_shoe(settings, int(chosen))
    assign_shoe(settings, name=shoe.name, activity_ids=[activity_id])
    return RedirectResponse(f"/training/activities/{activity_id}", status_code=303)


def _wearable(settings: Any, current: str | None) -> list[Any]:
    """The pairs a run can be recorded in: those in use, and the one it already names."""
    from backstride.services.analysis import list_shoes

    shoes = list_shoes(settings, today=date.today()).shoes
    return [s for s in shoes if not s.retired or s.name == current]


def _sample_chart(samples: Any) -> Any:
    """Pace, heart rate and cadence over the run's minutes (what the file recorded)."""
    import numpy as np

    from backstride.web.charts import Chart, Line, Panel, render

    if samples is None or len(samples) < 2:
        return None
    step = max(1, len(samples) // SAMPLE_POINTS)
    seconds = samples.timestamp.astype("datetime64[s]").astype(np.int64)[::step].astype(float)
    panels = []
    speed = samples.get("speed_mps")
    if speed is not None:
        pace = [round(1000 / v / 60, 2) if v > PACE_FLOOR_MPS else None for v in speed[::step]]
        panels.append(Panel("pace, min per km", (Line("Pace", pace),)))
    for channel, unit, label in (("hr_bpm", "beats per minute", "Heart rate"),
                                 ("cadence_spm", "steps per minute", "Cadence")):  # fmt: skip
        values = samples.get(channel)
        if values is not None:
            clean = [None if v != v else round(float(v), 1) for v in values[::step]]
            panels.append(Panel(unit, (Line(label, clean),)))
    if not panels:
        return None
    return render(Chart("This run, minute by minute", seconds.tolist(), "minutes", tuple(panels)))


# ---- shoes ---------------------------------------------------------------------------------
#: Longest shoe name, brand or model; most distance a pair may already have (km).
TEXT_MAX, START_KM_MAX = 200, 5000
#: How long ago a pair may first have been worn, or a range of runs start.
OLDEST_SHOE = timedelta(days=20 * 366)
SHOE_FIELDS = {"name": "The name", "brand": "The brand", "model": "The model"}


@router.get("/training/shoes", response_class=HTMLResponse)
def shoes_page(request: Request, templates: TemplatesDep, _user: SignedIn) -> Response:
    """The runner's shoes with their distance, and a form to add a pair."""
    return _shoes(request, templates)


@router.post("/training/shoes", response_class=HTMLResponse)
async def shoes_add(
    request: Request, settings: SettingsDep, templates: TemplatesDep, _user: SignedIn
) -> Response:
    from backstride.services.analysis import add_shoe

    form = await request.form()
    today = date.today()
    try:
        values = _shoe_values(form, settings=settings, shoe_id=None)
        add_shoe(settings, **values, today=today, added_on=_shoe_day(
            form.get("first_worn"), today, "The day you first wore them"))  # fmt: skip
    except BackstrideError as exc:
        return _shoes(request, templates, error=str(exc), typed=form, status=422)
    return RedirectResponse("/training/shoes", status_code=303)


@router.get("/training/shoes/{shoe_id}", response_class=HTMLResponse)
def shoe_page(
    shoe_id: Id, request: Request, settings: SettingsDep, templates: TemplatesDep,
    _user: SignedIn,
) -> Response:  # fmt: skip
    """Change, retire or put back in use one pair, and record it for a range of runs."""
    return _shoe(request, templates, _own_shoe(settings, shoe_id))


@router.post("/training/shoes/{shoe_id}", response_class=HTMLResponse)
async def shoe_edit(
    shoe_id: Id, request: Request, settings: SettingsDep, templates: TemplatesDep,
    _user: SignedIn,
) -> Response:  # fmt: skip
    from backstride.services.analysis import edit_shoe

    shoe = _own_shoe(settings, shoe_id)  # someone else's pair: 404 before anything
    form = await request.form()
    try:
        values = _shoe_values(form, settings=settings, shoe_id=shoe.id)
        edit_shoe(settings, shoe_id=shoe.id, **values, retired=form.get("retired") == "yes")
    except BackstrideError as exc:
        typed = dict(form) | {"retired": form.get("retired") or ""}
        return _shoe(request, templates, shoe, error=str(exc), typed=typed, status=422)
    return RedirectResponse("/training/shoes", status_code=303)


@router.post("/training/shoes/{shoe_id}/runs", response_class=HTMLResponse)
async def shoe_runs(
    shoe_id: Id, request: Request, settings: SettingsDep, templates: TemplatesDep,
    _user: SignedIn,
) -> Response:  # fmt: skip
    """Record the pair for every run between two days."""
    from backstride.services.analysis import assign_shoe

    shoe = _own_shoe(settings, shoe_id)
    form = await request.form()
    today = date.today()
    try:
        since = _shoe_day(form.get("since"), today, "The first day")
        until = _shoe_day(form.get("until"), today, "The last day")
        if until < since:
            raise InputError("The last day cannot be before the first day; please swap them.")
        count = assign_shoe(settings, name=shoe.name, since=since, until=until)
    except BackstrideError as exc:
        return _shoe(request, templates, shoe, error=str(exc), typed=form, status=422)
    return _shoe(request, templates, _own_shoe(settings, shoe_id), assigned=count)


def _own_shoe(settings: Any, shoe_id: int) -> Any:
    """One of this account's shoes, or a plain not-found page."""
    from backstride.services.analysis import list_shoes

    found = [s for s in list_shoes(settings, today=date.today()).shoes if s.id == shoe_id]
    if not found:
        raise NotFoundError("There are no such shoes in your account.")
    return found[0]


def _shoe_values(form: FormData, *, settings: Any, shoe_id: int | None) -> dict[str, Any]:
    """Name, brand, model and starting distance from the form, checked in plain words."""
    from backstride.services.analysis import list_shoes

    values: dict[str, Any] = {}
    for field, words in SHOE_FIELDS.items():
        raw = form.get(field)
        text = raw.strip() if isinstance(raw, str) else ""
        if len(text) > TEXT_MAX:
            raise InputError(f"{words} can be at most {TEXT_MAX} characters; please shorten it.")
        values[field] = text or None
    if values["name"] is None:
        raise InputError("Please give the shoes a name you will recognise, e.g. Blue trainers.")
    taken = [s for s in list_shoes(settings, today=date.today()).shoes
             if s.name.lower() == values["name"].lower() and s.id != shoe_id]  # fmt: skip
    if taken:
        raise InputError(f"You already have shoes named “{taken[0].name}”; please pick "
                         "another name.")  # fmt: skip
    values["start_km"] = _start_km(form.get("start_km"))
    return values


def _start_km(raw: Any) -> float:
    text = raw.strip().replace(",", ".") if isinstance(raw, str) else ""
    if not text:
        return 0.0
    message = (f"The distance already on them needs a number of kilometres from 0 to "
               f"{START_KM_MAX}; you typed “{raw.strip()}”.")  # fmt: skip
    try:
        value = float(text)
    except ValueError:
        raise InputError(message) from None
    if not 0 <= value <= START_KM_MAX:
        raise InputError(message)
    return value


def _shoe_day(raw: Any, today: date, words: str) -> date:
    """A day from the form: a real date, not in the future, not decades ago."""
    if not isinstance(raw, str) or not raw.strip():
        return today
    try:
        day = date.fromisoformat(raw.strip())
    except ValueError:
        raise InputError(f"{words}: “{raw}” is not a date; please pick one.") from None
    if day > today:
        raise InputError(f"{words} cannot be in the future; please pick today or earlier.")
    if day < today - OLDEST_SHOE:
        raise InputError(f"{words} must be on or after {today - OLDEST_SHOE:%d %B %Y}.")
    return day


def _shoes(
    request: Request, templates: Jinja2Templates, *, error: str | None = None,
    typed: Any = None, status: int = 200,
) -> Response:  # fmt: skip
    from backstride.services.analysis import list_shoes

    today = date.today()
    context = {"listing": list_shoes(request.app.state.settings, today=today),
               "typed": dict(typed) if typed is not None else {}, "error": error,
               "today": today.isoformat(), "earliest": (today - OLDEST_SHOE).isoformat(),
               "start_km_max": START_KM_MAX}  # fmt: skip
    return templates.TemplateResponse(request, "shoes.html.j2", context, status_code=status)


def _shoe(
    request: Request, templates: Jinja2Templates, shoe: Any, *, error: str | None = None,
    typed: Any = None, status: int = 200, assigned: int | None = None,
) -> Response:  # fmt: skip
    today = date.today()
    stored = {"name": shoe.name, "brand": shoe.brand or "", "model": shoe.model or "",
              "start_km": f"{shoe.start_km:g}",
              "retired": "yes" if shoe.retired else ""}  # fmt: skip
    context = {"shoe": shoe, "typed": stored | (dict(typed) if typed is not None else {}),
               "error": error, "assigned": assigned, "today": today.isoformat(),
               "earliest": (today - OLDEST_SHOE).isoformat(),
               "start_km_max": START_KM_MAX}  # fmt: skip
    return templates.TemplateResponse(request, "shoe.html.j2", context, status_code=status)
