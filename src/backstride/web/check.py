"""The check: start page, assessment wizard, result, plan downloads, keeping the result."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any, cast

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from backstride.errors import BackstrideError
from backstride.web.deps import SettingsDep, SignedIn, TemplatesDep
from backstride.web.wizard import WizardState, apply_page, current_page, load_state
from backstride.web.words import say

router = APIRouter()
#: Plan formats a person can fetch from the result page: media type and download name.
DOWNLOADS: dict[str, tuple[str, str | None]] = {
    "html": ("text/html; charset=utf-8", None),
    "pdf": ("application/pdf", "backstride-plan.pdf"),
    "ics": ("text/calendar; charset=utf-8", "backstride-plan.ics"),
}


def text(value: Any) -> str | None:
    """A form value when it is text (not a file)."""
    return value if isinstance(value, str) else None


@router.get("/check", response_class=HTMLResponse)
def check_start(request: Request, templates: TemplatesDep, _user: SignedIn) -> Response:
    return wizard_page(request, templates, WizardState(()))


@router.post("/check", response_class=HTMLResponse)
async def check_step(request: Request, templates: TemplatesDep, _user: SignedIn) -> Response:
    from backstride.services.assessment import knowledge_base

    form = await request.form()
    state = load_state(text(form.get("state")))
    page = current_page(knowledge_base(), state)
    fields = {key: form.getlist(key) if len(form.getlist(key)) > 1 else form.get(key)
              for key in form if key != "csrf_token"}  # fmt: skip
    try:
        state = apply_page(state, page, fields)
    except BackstrideError as exc:
        return wizard_page(request, templates, state, error=str(exc), typed=fields, status=422)
    return _after_page(request, templates, state)


@router.post("/plan", response_class=HTMLResponse)
async def plan_page(request: Request, settings: SettingsDep, _user: SignedIn) -> Response:
    """The plan for the checked case as a page, a PDF (rendered off the server's loop) or ICS."""
    from backstride.services.assessment import assess_case, case_from_json
    from backstride.services.jobs import render_case_pdf
    from backstride.services.plans import PlanFormat, plan_for_case, render

    form = await request.form()
    fmt = text(form.get("format")) or "html"
    if fmt not in DOWNLOADS:
        raise BackstrideError(f"format: expected html, pdf or ics, got {fmt!r}")
    case = case_from_json(text(form.get("case")) or "", name="case")
    if fmt == "pdf":
        content = await render_case_pdf(case, settings=settings, today=date.today())
    else:
        outcome = plan_for_case(case, assess_case(case), settings=settings,
                                today=date.today(), lead_with_store=True)  # fmt: skip
        body = render(outcome, cast("PlanFormat", fmt))  # checked against DOWNLOADS above
        content = body.encode("utf-8") if isinstance(body, str) else body
    media, filename = DOWNLOADS[fmt]
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'} if filename else {}
    return Response(content, media_type=media, headers=headers)


@router.post("/keep", response_class=HTMLResponse)
async def keep_assessment(request: Request, settings: SettingsDep, _user: SignedIn) -> Response:
    """Store the finished check as the diary's starting point (the person asked to)."""
    from backstride.services.assessment import case_from_json
    from backstride.services.tracking import store_assessment

    case_json = (await request.form()).get("case")
    if not isinstance(case_json, str) or not case_json:
        raise BackstrideError(say("result", "nothing_to_keep"))
    case = case_from_json(case_json, name="case")
    store_assessment(settings, case, now=datetime.now(UTC))
    return RedirectResponse("/diary", status_code=303)


def wizard_page(
    request: Request, templates: Jinja2Templates, state: WizardState, *,
    error: str | None = None, typed: dict[str, Any] | None = None, status: int = 200,
) -> Response:  # fmt: skip
    from backstride.services.assessment import knowledge_base

    kb = knowledge_base()
    page = current_page(kb, state)
    context = {"page": page, "heading": _heading(kb, page.questions), "state": state.dump(),
               "error": error, "typed": typed or {}, "step": len(state.steps) + 1,
               "choices": {q.key: _choices(kb, q) for q in page.questions}}  # fmt: skip
    return templates.TemplateResponse(request, "check.html.j2", context, status_code=status)


def _heading(kb: Any, group: list[Any]) -> list[str]:
    """The page's title and notes: a questionnaire's own name, copyright and instructions."""
    from backstride.assess.questionnaires import STARTBACK_ID
    from backstride.knowledge.rules import Questionnaire

    if group and group[0].key.startswith("start_back."):
        tool = kb.one(Questionnaire, STARTBACK_ID)
        return [tool.name, tool.instructions, tool.copyright]
    return group[0].section.splitlines() if group else ["Check"]


def _choices(kb: Any, question: Any) -> list[tuple[str, str]]:
    """(value, plain words) of each answer, in the order the person sees them."""
    from backstride.assess.flow import choice_labels
    from backstride.assess.questionnaires import STARTBACK_ID
    from backstride.knowledge.rules import Questionnaire

    if question.kind == "yes_no" and question.key.startswith("start_back."):
        disagree, agree = kb.one(Questionnaire, STARTBACK_ID).answer_labels
        return [("no", disagree), ("yes", agree)]
    if question.kind == "yes_no":
        return [("yes", "Yes"), ("no", "No")]
    return list(zip(question.choices, choice_labels(kb, question), strict=True))


def _after_page(request: Request, templates: Jinja2Templates, state: WizardState) -> Response:
    """Stop at an emergency; otherwise the next page, or the result when none is left."""
    from backstride.assess.interview import case_answers, to_case
    from backstride.services.assessment import (
        assess_case,
        case_document,
        knowledge_base,
        screen_answers,
    )

    page = current_page(knowledge_base(), state)
    early = screen_answers(case_answers(page.answers))
    if early.urgency == "emergency":
        return result_page(request, templates, early.to_dict(), case_json=None, stopped_early=True)
    if page.questions:
        return wizard_page(request, templates, state)
    case = to_case(page.answers)
    case_json = json.dumps(case_document(case), sort_keys=True)
    return result_page(request, templates, assess_case(case).to_dict(), case_json=case_json)


def result_page(
    request: Request, templates: Jinja2Templates, result: dict[str, Any], *,
    case_json: str | None, stopped_early: bool = False,
) -> Response:  # fmt: skip
    from backstride.knowledge import urgency as urgency_table
    from backstride.knowledge.rules import SafetyText
    from backstride.services.assessment import knowledge_base

    kb = knowledge_base()
    net = result.get("safety_net") or {}
    cited = sorted({s for reason in result["reasons"] for s in reason["sources"]}
                   | {s for part in net.values() for s in part["sources"]})  # fmt: skip
    sources = [kb.sources[s] for s in cited if s in kb.sources]
    context = {"result": result, "case_json": case_json, "stopped_early": stopped_early,
               "sources": sources, "label": urgency_table.label(kb, result["urgency"]),
               "net_text": kb.one(SafetyText, "safety.net_title"),
               "flag_names": [urgency_table.flag_name(kb, f) for f in result["red_flags"]],
               "pattern_names": _pattern_names(kb, result.get("patterns") or []),
               "call": _call_text(kb, result, request.app.state.settings.emergency_number),
               }  # fmt: skip
    return templates.TemplateResponse(request, "result.html.j2", context)


def _call_text(kb: Any, result: dict[str, Any], number: str) -> tuple[str, str] | None:
    """The call button's words and what to say on the call (signs in plain words)."""
    from backstride.knowledge import urgency as urgency_table
    from backstride.knowledge.rules import SafetyText

    if result["urgency"] != "emergency":
        return None
    signs = [urgency_table.flag_summary(kb, f) for f in result["red_flags"]]
    call = kb.one(SafetyText, "safety.emergency_call")
    return call.title.format(number=number), call.text.format(signs="; ".join(signs))


def _pattern_names(kb: Any, patterns: list[str]) -> list[str]:
    """The likely patterns' plain names, most likely first."""
    from backstride.knowledge.rules import Pattern

    names = {p.pattern: p.name for p in kb.of(Pattern)}
    return [names.get(p, p.replace("_", " ")) for p in patterns]
