"""Training: the import page with its progress bar, and the activities, jobs and analysis API.

Uploads stream to disk under the limits; the import then runs as a background job whose
state any request can poll (`/api/v1/jobs/{id}`), so no other request waits for it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from backstride.services.accounts import Credential
from backstride.services.sharing import audit
from backstride.web import shoes
from backstride.web.deps import SettingsDep, SignedIn, TemplatesDep, scoped
from backstride.web.models import (
    ActivityList,
    ActivityOut,
    Document,
    Id,
    JobCreated,
    JobOut,
)
from backstride.web.words import say

router = APIRouter()
router.include_router(shoes.router)  # the shoe pages belong to training
#: The training page lists at most this many runs (its findings and charts cover the
#: `report.spans` record's chart days).
LIST_MAX = 60
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


@router.get("/api/v1/activities", response_model=ActivityList)
def api_activities(settings: SettingsDep, _user: ActivitiesRead) -> Response:
    """The stored activities, oldest first."""
    from backstride.services.runner_data import kept_for_runner

    body = kept_for_runner(settings, ("activities-json",), lambda: _activities_json(settings))
    return Response(body, media_type="application/json")


def _activities_json(settings: Any) -> str:
    from backstride.services.activities import list_history
    from backstride.services.runner_data import activity_json

    rows = [activity_json(_Summary(row)) for row in list_history(settings)]
    return ActivityList(activities=[ActivityOut.model_validate(r) for r in rows]).model_dump_json()


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
    from backstride.services.runner_data import kept_for_runner

    today = datetime.now(UTC).date()
    context = kept_for_runner(settings, ("training-page", today),
                              lambda: _training_context(settings, today))  # fmt: skip
    return templates.TemplateResponse(request, "training.html.j2", dict(context))


def _training_context(settings: Any, today: Any) -> dict[str, Any]:
    """What the training page shows (kept until the runner's data changes)."""
    from backstride.services.activities import list_history
    from backstride.services.analysis import analyze, report_spans

    rows = list_history(settings)
    days = report_spans().chart_days
    since = today - timedelta(days=days - 1)
    report = analyze(settings, since=since, as_of=today)
    return {"runs": list(reversed(rows))[:LIST_MAX], "total": len(rows),
            "report": None if report.empty else report, "window_weeks": days // 7,
            "charts": [] if report.empty else _load_charts(report.analysis)}  # fmt: skip


def _load_charts(analysis: Any) -> list[Any]:
    from backstride.web.charts import Chart, Line, Panel, day_seconds, render

    weeks = [w for w in analysis.weeks if analysis.in_window(w.week_start + timedelta(days=6))]
    distance = Line(say("training", "distance"), [round(w.distance_km, 1) for w in weeks],
                    bars=True)  # fmt: skip
    weekly = render(Chart(say("training", "weekly_title"),
                          day_seconds([w.week_start for w in weeks]), "date",
                          (Panel(say("training", "km_per_week"), (distance,), 0),)))  # fmt: skip
    series = analysis.series
    first = series.first_day
    days = [first + timedelta(days=i) for i in range(len(series))]
    keep = [i for i, d in enumerate(days) if analysis.in_window(d)]
    daily = Line(say("together", "load_line"),
                 [round(float(series.distance_km[i]), 2) for i in keep], bars=True)  # fmt: skip
    load = render(Chart(say("training", "daily_title"), day_seconds([days[i] for i in keep]),
                        "date", (Panel(say("training", "km_per_day"), (daily,), 0),)))  # fmt: skip
    return [weekly, load]


@router.get("/training/activities/{activity_id}", response_class=HTMLResponse)
def activity_page(
    activity_id: Id, request: Request, settings: SettingsDep, templates: TemplatesDep,
    _user: SignedIn,
) -> Response:  # fmt: skip
    """One run: its route from its own coordinates, and pace, heart rate and cadence."""
    from backstride.services.activities import activity_with_samples
    from backstride.web.charts import route
    from backstride.web.shoes import wearable

    summary, samples = activity_with_samples(settings, activity_id)
    drawn = None
    lat = None if samples is None else samples.get("lat_deg")
    lon = None if samples is None else samples.get("lon_deg")
    if lat is not None and lon is not None:
        drawn = route(lat.tolist(), lon.tolist(), label=say("training", "route_label"))
    context = {"run": summary, "route": drawn, "chart": _sample_chart(samples),
               "shoes": wearable(settings, summary.shoe_name)}  # fmt: skip
    return templates.TemplateResponse(request, "activity.html.j2", context)


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
        panels.append(Panel(say("training", "pace_unit"), (Line(say("training", "pace"), pace),)))
    for channel, unit, label in (
        ("hr_bpm", say("training", "heart_rate_unit"), say("training", "heart_rate")),
        ("cadence_spm", say("training", "cadence_unit"), say("training", "cadence")),
    ):
        values = samples.get(channel)
        if values is not None:
            clean = [None if v != v else round(float(v), 1) for v in values[::step]]
            panels.append(Panel(unit, (Line(label, clean),)))
    if not panels:
        return None
    title = say("training", "run_title")
    return render(Chart(title, seconds.tolist(), "minutes", tuple(panels)))
