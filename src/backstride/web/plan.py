"""The API for assessments and plans (and the older stateless /api/assess and /api/plan)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from backstride.assess.intake import Case
from backstride.errors import InputError, NotFoundError
from backstride.services.accounts import Credential
from backstride.services.plans import MAX_WEEKS
from backstride.web.deps import SettingsDep, SignedIn, TemplatesDep, scoped
from backstride.web.models import CaseIn, Document
from backstride.web.words import say

router = APIRouter()
AssessWrite = Annotated[Credential, Depends(scoped("assessments:write"))]
AssessRead = Annotated[Credential, Depends(scoped("assessments:read"))]
PlanRead = Annotated[Credential, Depends(scoped("plan:read"))]
Weeks = Annotated[int | None, Query(ge=1, le=MAX_WEEKS)]  # none: the plan's own length
JSON = "application/json"


async def case_body(request: Request) -> Case:
    """The case file sent as the body (JSON text), checked by the assessment service."""
    from backstride.services.assessment import case_from_json

    body = await request.body()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("request body: expected UTF-8 JSON") from None
    return case_from_json(text, name="request body")


CaseBody = Annotated[Case, Depends(case_body)]
CASE_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": CaseIn.model_json_schema()}},
    }
}


def _now() -> datetime:
    """The shell's time, for the plan snapshot a view may store."""
    return datetime.now(UTC)


@router.post(
    "/api/v1/assessments", status_code=201, response_model=Document, openapi_extra=CASE_BODY
)
def api_assessment_create(_user: AssessWrite, settings: SettingsDep, case: CaseBody) -> Response:
    """Assess a case file and keep it as the current assessment: the result plus its id."""
    from backstride.services.tracking import keep_assessment

    result, kept_id = keep_assessment(settings, case, now=datetime.now(UTC))
    document = result.to_dict() | {"id": kept_id}
    return Response(json.dumps(document), status_code=201, media_type=JSON)


@router.get("/api/v1/assessments/current", response_model=Document)
def api_assessment_current(settings: SettingsDep, _user: AssessRead) -> Response:
    """The current assessment: id, when, the case and its result."""
    from backstride.services.runner_data import current_assessment

    return Response(json.dumps(current_assessment(settings)), media_type=JSON)


@router.get("/api/v1/plan", response_model=Document)
def api_plan_current(settings: SettingsDep, _user: PlanRead, weeks: Weeks = None) -> Response:
    """The plan for the current assessment, as JSON."""
    from backstride.services.runner_data import current_plan_as

    body = current_plan_as(settings, "json", today=date.today(), now=_now(), weeks=weeks)
    return Response(str(body), media_type=JSON)


@router.get("/api/v1/plan.pdf", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}}})  # fmt: skip
async def api_plan_pdf(settings: SettingsDep, user: PlanRead) -> Response:
    """The plan as PDF (rendered in a worker process: no other request waits for it)."""
    from backstride.services.jobs import render_plan_pdf
    from backstride.services.runner_data import current_assessment

    current_assessment(settings)  # 404 before any rendering when there is none
    body = await render_plan_pdf(settings, user_id=user.account.id, today=date.today(), now=_now())
    headers = {"Content-Disposition": 'attachment; filename="backstride-plan.pdf"'}
    return Response(body, media_type="application/pdf", headers=headers)


@router.get("/api/v1/plan.ics", response_class=Response,
            responses={200: {"content": {"text/calendar": {}}}})  # fmt: skip
def api_plan_ics(settings: SettingsDep, _user: PlanRead) -> Response:
    """The plan as an ICS calendar."""
    from backstride.services.runner_data import current_plan_as

    body = current_plan_as(settings, "ics", today=date.today(), now=_now())
    headers = {"Content-Disposition": 'attachment; filename="backstride-plan.ics"'}
    return Response(body, media_type="text/calendar; charset=utf-8", headers=headers)


@router.get("/plan", response_class=HTMLResponse)
def plan_page(
    request: Request, settings: SettingsDep, templates: TemplatesDep, _user: SignedIn
) -> Response:
    """The signed-in runner's plan as a page, with the app's links (the weekly check-in
    first); the service worker keeps it for offline use."""
    from backstride.services.runner_data import current_plan_as

    nav = templates.get_template("plan_nav.html.j2").render(request=request)
    try:
        page = current_plan_as(settings, "html", today=date.today(), now=_now(), app_nav=nav)
    except NotFoundError:
        raise NotFoundError(say("errors", "no_plan")) from None
    return HTMLResponse(str(page))


@router.post("/api/assess", response_model=Document, openapi_extra=CASE_BODY)
def api_assess(_user: SignedIn, case: CaseBody) -> Response:
    """Assess a case file without keeping it: the contract's result JSON."""
    from backstride.services.assessment import assess_case

    result = assess_case(case)
    return Response(result.to_json(), media_type=JSON)


@router.post("/api/plan", response_model=Document, openapi_extra=CASE_BODY)
def api_plan(
    _user: SignedIn, settings: SettingsDep, case: CaseBody, weeks: Weeks = None,
    start: date | None = None,
) -> Response:  # fmt: skip
    """Build the plan for a case file without keeping it; the plan as JSON."""
    from backstride.services.assessment import assess_case
    from backstride.services.plans import plan_for_case, render
    from backstride.services.runner_data import check_plan_start

    today = date.today()
    check_plan_start(start, today=today)
    outcome = plan_for_case(case, assess_case(case), settings=settings, today=today,
                            start=start, weeks=weeks)  # fmt: skip
    return Response(str(render(outcome, "json")), media_type=JSON)


@router.get("/api/kb/{record_id}", response_model=Document)
def api_kb_record(record_id: str, _user: SignedIn) -> Response:
    """One knowledge-base record or source by id."""
    from backstride.services.assessment import knowledge_base

    kb = knowledge_base()
    found: Any = kb.records.get(record_id) or kb.sources.get(record_id)
    if found is None:
        raise NotFoundError(f"knowledge base: no record or source with id {record_id!r}")
    return Response(found.model_dump_json(), media_type=JSON)
