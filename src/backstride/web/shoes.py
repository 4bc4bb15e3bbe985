"""Shoes on the web: add a pair, change or retire it, record it for runs (the same service
as `backstride shoes`), with plain-word errors that keep what was typed and bounded days."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.datastructures import FormData

from backstride.domain.dates import read_day
from backstride.errors import BackstrideError, InputError, NotFoundError
from backstride.web.deps import SettingsDep, SignedIn, TemplatesDep
from backstride.web.models import Id
from backstride.web.words import say

router = APIRouter()
#: Longest shoe name, brand or model; most distance a pair may already have (km).
TEXT_MAX, START_KM_MAX = 200, 5000
#: How long ago a pair may first have been worn, or a range of runs start.
OLDEST_SHOE = timedelta(days=20 * 366)
SHOE_FIELDS = ("name", "brand", "model")  # plain names: the page's record


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
            form.get("first_worn"), today, "first_worn"))  # fmt: skip
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
        since = _shoe_day(form.get("since"), today, "since")
        until = _shoe_day(form.get("until"), today, "until")
        if until < since:
            raise InputError(say("shoes", "days_swapped"))
        count = assign_shoe(settings, name=shoe.name, since=since, until=until)
    except BackstrideError as exc:
        return _shoe(request, templates, shoe, error=str(exc), typed=form, status=422)
    return _shoe(request, templates, _own_shoe(settings, shoe_id), assigned=count)


def _own_shoe(settings: Any, shoe_id: int) -> Any:
    """One of this account's shoes, or a plain not-found page."""
    from backstride.services.analysis import list_shoes

    found = [s for s in list_shoes(settings, today=date.today()).shoes if s.id == shoe_id]
    if not found:
        raise NotFoundError(say("shoes", "no_such_shoes"))
    return found[0]


def _shoe_values(form: FormData, *, settings: Any, shoe_id: int | None) -> dict[str, Any]:
    """Name, brand, model and starting distance from the form, checked in plain words."""
    from backstride.services.analysis import list_shoes

    values: dict[str, Any] = {}
    for field in SHOE_FIELDS:
        raw = form.get(field)
        text = raw.strip() if isinstance(raw, str) else ""
        if len(text) > TEXT_MAX:
            words = say("shoes", f"field_{field}")
            raise InputError(say("shoes", "too_long", field=words, most=TEXT_MAX))
        values[field] = text or None
    if values["name"] is None:
        raise InputError(say("shoes", "no_name"))
    taken = [s for s in list_shoes(settings, today=date.today()).shoes
             if s.name.lower() == values["name"].lower() and s.id != shoe_id]  # fmt: skip
    if taken:
        raise InputError(say("shoes", "name_taken", shoe=taken[0].name))
    values["start_km"] = _start_km(form.get("start_km"))
    return values


def _start_km(raw: Any) -> float:
    text = raw.strip().replace(",", ".") if isinstance(raw, str) else ""
    if not text:
        return 0.0
    message = say("shoes", "start_km_refused", most=START_KM_MAX, raw=raw.strip())
    try:
        value = float(text)
    except ValueError:
        raise InputError(message) from None
    if not 0 <= value <= START_KM_MAX:
        raise InputError(message)
    return value


def _shoe_day(raw: Any, today: date, field: str) -> date:
    """A day from the form: a real date, not in the future, not decades ago."""
    if not isinstance(raw, str) or not raw.strip():
        return today
    words = say("shoes", f"field_{field}")
    try:
        day = read_day(raw.strip(), words)
    except InputError:
        raise InputError(say("shoes", "not_a_date", field=words, raw=raw)) from None
    if day > today:
        raise InputError(say("shoes", "in_future", field=words))
    if day < today - OLDEST_SHOE:
        raise InputError(say("shoes", "too_early", field=words, earliest=today - OLDEST_SHOE))
    return day


def _shoes(
    request: Request, templates: Jinja2Templates, *, error: str | None = None,
    typed: Any = None, status: int = 200,
) -> Response:  # fmt: skip
    from backstride.services.analysis import list_shoes, rotation_weeks

    today = date.today()
    context = {"listing": list_shoes(request.app.state.settings, today=today),
               "rotation_weeks": rotation_weeks(),
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
        raise NotFoundError(say("shoes", "no_such_run")) from None
    chosen = (await request.form()).get("shoe_id")
    if not isinstance(chosen, str) or not chosen.isdigit():
        raise InputError(say("shoes", "choose_shoes"))
    shoe = _own_shoe(settings, int(chosen))
    assign_shoe(settings, name=shoe.name, activity_ids=[activity_id])
    return RedirectResponse(f"/training/activities/{activity_id}", status_code=303)


def wearable(settings: Any, current: str | None) -> list[Any]:
    """The pairs a run can be recorded in: those in use, and the one it already names."""
    from backstride.services.analysis import list_shoes

    shoes = list_shoes(settings, today=date.today()).shoes
    return [s for s in shoes if not s.retired or s.name == current]
