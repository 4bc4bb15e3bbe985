"""The pain diary and recovery progress: pages and API (the same services as the CLI)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.datastructures import FormData

from backstride.errors import BackstrideError
from backstride.services.accounts import Credential
from backstride.services.sharing import audit
from backstride.web.deps import SettingsDep, SignedIn, TemplatesDep, scoped
from backstride.web.models import DiaryEntryOut, DiaryIn, DiaryList, DiaryPatch, Document, Id

router = APIRouter()
DiaryRead = Annotated[Credential, Depends(scoped("diary:read"))]
DiaryWrite = Annotated[Credential, Depends(scoped("diary:write"))]
ProgressRead = Annotated[Credential, Depends(scoped("progress:read"))]
#: Diary form fields that carry numbers 0–10 (blank means not answered).
SCORES = ("pain_now", "pain_worst", "pain_during_run", "pain_next_morning", "stiffness")


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


@router.get("/diary", response_class=HTMLResponse)
def diary_page(request: Request, templates: TemplatesDep, _user: SignedIn) -> Response:
    return diary(request, templates)


@router.post("/diary", response_class=HTMLResponse)
async def diary_add(
    request: Request, settings: SettingsDep, templates: TemplatesDep, _user: SignedIn
) -> Response:
    from backstride.services.tracking import add_diary_entry, parse_diary_form

    form = await request.form()
    try:
        entry = parse_diary_form(diary_values(form))
    except BackstrideError as exc:
        return diary(request, templates, error=str(exc), status=422)
    outcome = add_diary_entry(settings, entry, now=datetime.now(UTC))
    if outcome.escalation is not None:
        context = {"escalation": outcome.escalation}
        return templates.TemplateResponse(request, "escalation.html.j2", context)
    return RedirectResponse("/progress", status_code=303)


@router.get("/progress", response_class=HTMLResponse)
def progress_page(
    request: Request, settings: SettingsDep, templates: TemplatesDep, _user: SignedIn
) -> Response:
    from backstride.progress.status import status_dict
    from backstride.services.tracking import progress_status

    status = status_dict(progress_status(settings, today=date.today()))
    context = {"status": status, "sparkline": sparkline(status["rolling_7d"])}
    return templates.TemplateResponse(request, "progress.html.j2", context)


def diary_values(form: FormData) -> dict[str, Any]:
    """The diary form as the tracking service's raw values (blank fields left out)."""
    values: dict[str, Any] = {"on": form.get("on") or date.today().isoformat()}
    for name in SCORES:
        raw = form.get(name)
        if isinstance(raw, str) and raw.strip():
            values[name] = _whole(name, raw)
    values["locations"] = tuple(str(v) for v in form.getlist("locations"))
    values["red_flags"] = tuple(str(v) for v in form.getlist("red_flags"))
    values["leg_symptoms"] = form.get("leg_symptoms") == "yes"
    note = form.get("note")
    if isinstance(note, str) and note.strip():
        values["note"] = note.strip()
    return values


def _whole(name: str, raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise BackstrideError(f"{name}: expected a whole number 0–10, got {raw!r}") from None


def diary(
    request: Request, templates: Jinja2Templates, *, error: str | None = None, status: int = 200
) -> Response:
    from backstride.knowledge import load_knowledge_base
    from backstride.progress.questions import DIARY_LOCATIONS, red_flag_questions
    from backstride.services.reviews import standing_now
    from backstride.services.tracking import list_entries

    recent = list_entries(request.app.state.settings, last=14)
    context = {"entries": list(reversed(recent)), "locations": DIARY_LOCATIONS,
               "questions": red_flag_questions(load_knowledge_base()),
               "today": date.today().isoformat(),
               "standing": standing_now(request.app.state.settings),
               "error": error}  # fmt: skip
    return templates.TemplateResponse(request, "diary.html.j2", context, status_code=status)


def sparkline(points: list[dict[str, Any]], *, width: int = 560, height: int = 120) -> str:
    """An inline SVG polyline of 7-day mean pain (0–10, higher is worse); empty if < 2 points."""
    values = [float(p["mean_pain"]) for p in points if p.get("mean_pain") is not None]
    if len(values) < 2:
        return ""
    step = width / (len(values) - 1)
    coords = " ".join(
        f"{i * step:.1f},{height - v / 10 * height:.1f}" for i, v in enumerate(values)
    )
    return (
        f'<svg class="spark" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="7-day mean pain over {len(values)} days (0 to 10)">'
        f'<polyline fill="none" stroke="#1f6feb" stroke-width="3" points="{coords}"/></svg>'
    )
