"""The home dashboard after sign-in, and pain and training together on one time axis."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from backstride.errors import NotFoundError
from backstride.web.deps import OptionalCredential, SettingsDep, SignedIn, TemplatesDep
from backstride.web.words import say

router = APIRouter()
#: Days the pain-and-training view shows.
TOGETHER_DAYS = 90


@router.get("/", response_class=HTMLResponse)
def index(
    request: Request, settings: SettingsDep, templates: TemplatesDep, user: OptionalCredential
) -> Response:
    """The start page; once signed in, the dashboard."""
    if user is None:
        return templates.TemplateResponse(request, "index.html.j2", {})
    from backstride.services.runner_data import kept_for_runner

    today = date.today()
    context = kept_for_runner(settings, ("home", today), lambda: _home(settings, today))
    return templates.TemplateResponse(request, "home.html.j2", dict(context))


def _home(settings: Any, today: date) -> dict[str, Any]:
    """What the dashboard shows today (kept until the runner's data changes)."""
    plan_days = _plan_days(settings, today)
    return {"today": plan_days.get(today), "has_plan": bool(plan_days), "today_on": today,
            "week": _week(settings, today, plan_days), "pains": list(range(11))}  # fmt: skip


def _plan_days(settings: Any, today: date) -> dict[date, Any]:
    """The plan's days by date (empty before a check is kept)."""
    from backstride.services.runner_data import current_plan

    try:
        # the plan /plan shows, kept once; the web is the shell, so it reads the clock
        outcome = current_plan(settings, today=today, now=datetime.now(UTC))
    except NotFoundError:
        return {}
    return {day.on: day for day in outcome.plan.days}


def _week(settings: Any, today: date, plan_days: dict[date, Any]) -> list[dict[str, Any]]:
    """Monday to Sunday of this week: the plan's session, the diary's pain, the runs."""
    from backstride.services.activities import list_history
    from backstride.services.tracking import list_entries

    monday = today - timedelta(days=today.weekday())
    pain: dict[date, list[int]] = defaultdict(list)
    for stored in list_entries(settings, since=monday):
        pain[stored.entry.at.date()].append(stored.entry.pain_now)
    km: dict[date, float] = defaultdict(float)
    for run in list_history(settings, since=monday):
        km[run.start_time.date()] += (run.distance_m or 0) / 1000
    days = [monday + timedelta(days=i) for i in range(7)]
    return [{"on": d, "is_today": d == today, "plan": plan_days.get(d),
             "pain": max(pain[d]) if pain.get(d) else None,
             "km": km.get(d)} for d in days]  # fmt: skip


@router.get("/together", response_class=HTMLResponse)
def together_page(
    request: Request, settings: SettingsDep, templates: TemplatesDep, _user: SignedIn
) -> Response:
    """Daily pain over daily running load and runs, on one time axis."""
    from backstride.services.activities import list_history
    from backstride.services.tracking import list_entries
    from backstride.web.charts import Chart, Line, Panel, day_seconds, render

    today = date.today()
    first = today - timedelta(days=TOGETHER_DAYS - 1)
    days = [first + timedelta(days=i) for i in range(TOGETHER_DAYS)]
    pain: dict[date, list[int]] = defaultdict(list)
    for stored in list_entries(settings, since=first):
        pain[stored.entry.at.date()].append(stored.entry.pain_now)
    km: dict[date, float] = defaultdict(float)
    runs: dict[date, int] = defaultdict(int)
    for run in list_history(settings, since=first):
        if run.sport == "running":
            km[run.start_time.date()] += (run.distance_m or 0) / 1000
            runs[run.start_time.date()] += 1
    pain_line = Line(say("together", "pain_line"), [max(pain[d]) if pain.get(d) else None
                                                    for d in days])  # fmt: skip
    load = Line(say("together", "load_line"), [round(km.get(d, 0.0), 2) for d in days],
                bars=True)  # fmt: skip
    count = Line(say("together", "runs_line"), [runs.get(d, 0) for d in days], bars=True)
    chart = render(Chart(say("together", "chart_title", days=TOGETHER_DAYS), day_seconds(days),
                         "date", (Panel(say("diary", "chart_unit"), (pain_line,), 0, 10),
                                  Panel(say("training", "km_per_day"), (load,), 0),
                                  Panel(say("together", "runs_per_day"), (count,), 0)),
                         ))  # fmt: skip
    entries = sum(len(v) for v in pain.values())
    context = {"chart": chart, "entries": entries, "runs": sum(runs.values()),
               "km": sum(km.values()), "days": TOGETHER_DAYS}  # fmt: skip
    return templates.TemplateResponse(request, "together.html.j2", context)
