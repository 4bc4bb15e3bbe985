"""The weekly check-in page: pain, function and what was done re-tailor next week's plan."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.datastructures import FormData

from backstride.domain.checkin import CHECKIN_BOUNDS, GOAL_MAX_CHARS
from backstride.domain.dates import read_day
from backstride.errors import BackstrideError, InputError
from backstride.web.deps import SettingsDep, SignedIn, TemplatesDep
from backstride.web.words import say

router = APIRouter()
#: The form's whole-number fields (plain names: the page's record): lowest, highest, required.
NUMBERS = {
    name: (low, high, name in ("pain", "function", "sessions_done"))
    for name, (low, high) in CHECKIN_BOUNDS.items()
}
#: How far back a check-in's week may end.
OLDEST_WEEK = timedelta(days=28)


@router.get("/checkin", response_class=HTMLResponse)
def checkin_page(request: Request, templates: TemplatesDep, _user: SignedIn) -> Response:
    return page(request, templates)


@router.post("/checkin", response_class=HTMLResponse)
async def checkin_add(
    request: Request, settings: SettingsDep, templates: TemplatesDep, _user: SignedIn
) -> Response:
    from backstride.services.plans import record_checkin

    form = await request.form()
    try:
        outcome = record_checkin(settings, checkin_of(form, today=date.today()),
                                 now=datetime.now(UTC))  # fmt: skip
    except BackstrideError as exc:
        return page(request, templates, error=str(exc), typed=form, status=422)
    return page(request, templates, outcome=outcome, saved=True)


def checkin_of(form: FormData, *, today: date) -> Any:
    """The submitted form as a check-in; a bad value is an InputError in plain words."""
    from backstride.domain.checkin import CheckIn

    values = {name: _number(form, name) for name in NUMBERS}
    goal = form.get("goal")
    goal_text = goal.strip() if isinstance(goal, str) and goal.strip() else None
    if goal_text is not None and len(goal_text) > GOAL_MAX_CHARS:
        raise InputError(say("checkin", "goal_too_long", most=GOAL_MAX_CHARS))
    met = form.get("goal_met")
    goal_met = {"yes": True, "no": False}.get(met) if isinstance(met, str) else None
    return CheckIn(
        week_end=_week_end(form.get("week_end"), today), pain=values["pain"] or 0,
        function=values["function"] or 0, sessions_done=values["sessions_done"] or 0,
        runs_done=values["runs_done"] or 0, steps_per_day=values["steps_per_day"],
        goal=goal_text, goal_met=goal_met,
    )  # fmt: skip


def _number(form: FormData, name: str) -> int | None:
    low, high, required = NUMBERS[name]
    words = say("checkin", f"field_{name}")
    raw = form.get(name)
    text = raw.strip() if isinstance(raw, str) else ""
    if not text:
        if required:
            raise InputError(say("checkin", "number_missing", field=words, low=low, high=high))
        return None
    message = say("checkin", "number_refused", field=words, low=low, high=high, raw=text)
    try:
        value = int(text)
    except ValueError:
        raise InputError(message) from None
    if not low <= value <= high:
        raise InputError(message)
    return value


def _week_end(raw: Any, today: date) -> date:
    if not isinstance(raw, str) or not raw.strip():
        return today
    try:
        day = read_day(raw.strip(), "the last day of the week")
    except InputError:
        raise InputError(say("checkin", "not_a_date", raw=raw)) from None
    if day > today:
        raise InputError(say("checkin", "in_future"))
    if day < today - OLDEST_WEEK:
        raise InputError(say("checkin", "too_early", earliest=today - OLDEST_WEEK))
    return day


def page(
    request: Request, templates: Jinja2Templates, *, error: str | None = None,
    typed: Any = None, outcome: Any = None, saved: bool = False, status: int = 200,
) -> Response:  # fmt: skip
    from backstride.services.plans import list_checkins

    today = date.today()
    context = {
        "checkins": list(reversed(list_checkins(request.app.state.settings)))[:8],
        "typed": dict(typed) if typed is not None else {}, "error": error,
        "outcome": outcome, "saved": saved, "today": today.isoformat(),
        "earliest": (today - OLDEST_WEEK).isoformat(), "limits": NUMBERS,
        "goal_max": GOAL_MAX_CHARS,
    }  # fmt: skip
    return templates.TemplateResponse(request, "checkin.html.j2", context, status_code=status)
