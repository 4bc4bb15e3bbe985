"""Sharing with a clinician, the clinician's pages, the runner's audit log and settings
(export everything, delete the account)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from backstride.services import accounts, sharing
from backstride.web.deps import SessionOnly, SettingsDep, TemplatesDep, cookie_name
from backstride.web.models import (
    AuditEvent,
    AuditOut,
    DeleteMeIn,
    Document,
    Id,
    IdOut,
    ReviewIn,
    RunnerList,
    RunnerOut,
    ShareIn,
    ShareList,
    ShareOut,
)
from backstride.web.words import say

router = APIRouter()
JSON = "application/json"


@router.post("/api/v1/shares", status_code=201)
def api_share(body: ShareIn, settings: SettingsDep, user: SessionOnly) -> IdOut:
    """Let a clinician read this account's data (read-only) until revoked."""
    now = datetime.now(UTC)
    share_id = sharing.share(
        settings, user_id=user.account.id, clinician_email=body.clinician_email, now=now
    )
    return IdOut(id=share_id)


@router.get("/api/v1/shares")
def api_shares(settings: SettingsDep, user: SessionOnly) -> ShareList:
    rows = sharing.list_shares(settings, user_id=user.account.id)
    return ShareList(shares=[ShareOut.model_validate(r) for r in rows])


@router.delete("/api/v1/shares/{share_id}", status_code=204)
def api_share_revoke(share_id: Id, settings: SettingsDep, user: SessionOnly) -> Response:
    """Revoke a share at once."""
    sharing.revoke(settings, user_id=user.account.id, share_id=share_id, now=datetime.now(UTC))
    return Response(status_code=204)


@router.get("/api/v1/clinician/runners")
def api_runners(settings: SettingsDep, user: SessionOnly) -> RunnerList:
    """The runners who share with this clinician."""
    rows = sharing.shared_runners(settings, clinician_id=user.account.id, roles=user.account.roles)
    return RunnerList(
        runners=[
            RunnerOut(id=r.id, email=r.email, name=r.name, shared_since=r.since.isoformat())
            for r in rows
        ]
    )


@router.get("/api/v1/clinician/runners/{runner_id}", response_model=Document)
def api_runner(runner_id: Id, settings: SettingsDep, user: SessionOnly) -> Response:
    """A shared runner's summary: escalation first, then assessment, progress, diary, training."""
    summary = sharing.runner_summary(settings, clinician_id=user.account.id,
                                     roles=user.account.roles, runner_id=runner_id,
                                     today=date.today(), now=datetime.now(UTC))  # fmt: skip
    return Response(json.dumps(summary, default=str), media_type=JSON)


@router.post("/api/v1/clinician/runners/{runner_id}/reviews", status_code=201)
def api_review(runner_id: Id, body: ReviewIn, settings: SettingsDep, user: SessionOnly) -> IdOut:
    """Record a review of a shared runner (it ends a standing red-flag escalation)."""
    review_id = sharing.add_review(settings, clinician_id=user.account.id,
                                   roles=user.account.roles, runner_id=runner_id,
                                   note=body.note, now=datetime.now(UTC))  # fmt: skip
    return IdOut(id=review_id)


@router.get("/api/v1/audit")
def api_audit(settings: SettingsDep, user: SessionOnly) -> AuditOut:
    """Who saw or changed this account's data, and when (newest first)."""
    rows = sharing.audit_log(settings, user_id=user.account.id)
    return AuditOut(events=[AuditEvent.model_validate(r) for r in rows])


@router.get("/api/v1/export", response_model=Document)
def api_export(settings: SettingsDep, user: SessionOnly) -> Response:
    """Everything of this account as one JSON document."""
    from backstride.services.runner_data import account_export

    now = datetime.now(UTC)
    document = account_export(settings, now=now)
    sharing.audit(settings, user_id=user.account.id, actor=user.account.email, action="exported",
                  at=now)  # fmt: skip
    headers = {"Content-Disposition": 'attachment; filename="backstride-export.json"'}
    return Response(json.dumps(document, indent=1), media_type=JSON, headers=headers)


@router.delete("/api/v1/me", status_code=204)
def api_delete_me(body: DeleteMeIn, settings: SettingsDep, user: SessionOnly) -> Response:
    """Delete the account and all its data (the password confirms it)."""
    from backstride.services.runner_data import delete_account

    delete_account(settings, user_id=user.account.id, password=body.password)
    response = Response(status_code=204)
    response.delete_cookie(cookie_name(settings), path="/")
    return response


# ---- pages ---------------------------------------------------------------------------------


def _action_words(action: str) -> str:
    """What an audit entry's action was, in the settings page's words."""
    known = action in sharing.AUDIT_ACTIONS
    return say("settings", f"action_{action}") if known else say("settings", "action_other")


@router.get("/settings", response_class=HTMLResponse)
def settings_page(
    request: Request, settings: SettingsDep, templates: TemplatesDep, user: SessionOnly,
    error: str | None = None,
) -> Response:  # fmt: skip
    audit = [e | {"words": _action_words(str(e["action"]))}
             for e in sharing.audit_log(settings, user_id=user.account.id)[:100]]  # fmt: skip
    context = {"shares": sharing.list_shares(settings, user_id=user.account.id), "audit": audit,
               "me": accounts.get_account(settings, user.account.id), "error": error,
               "least_password_chars": accounts.MIN_PASSWORD_CHARS}  # fmt: skip
    return templates.TemplateResponse(request, "settings.html.j2", context)


@router.post("/settings/consent")
def settings_consent(
    settings: SettingsDep, user: SessionOnly,
    research_consent: Annotated[str | None, Form(max_length=10)] = None,
) -> Response:  # fmt: skip
    accounts.set_research_consent(settings, user_id=user.account.id,
                                  consent=research_consent == "yes")  # fmt: skip
    return RedirectResponse("/settings", status_code=303)


@router.post("/settings/share")
def settings_share(
    settings: SettingsDep, user: SessionOnly,
    clinician_email: Annotated[str, Form(max_length=320)],
) -> Response:  # fmt: skip
    sharing.share(settings, user_id=user.account.id, clinician_email=clinician_email,
                  now=datetime.now(UTC))  # fmt: skip
    return RedirectResponse("/settings", status_code=303)


@router.post("/settings/shares/{share_id}/revoke")
def settings_revoke(share_id: Id, settings: SettingsDep, user: SessionOnly) -> Response:
    sharing.revoke(settings, user_id=user.account.id, share_id=share_id, now=datetime.now(UTC))
    return RedirectResponse("/settings", status_code=303)


@router.post("/settings/password")
def settings_password(
    settings: SettingsDep, user: SessionOnly,
    current_password: Annotated[str, Form(max_length=1024)],
    new_password: Annotated[str, Form(max_length=1024)],
) -> Response:  # fmt: skip
    accounts.change_password(settings, user_id=user.account.id, current=current_password,
                             new=new_password)  # fmt: skip
    return RedirectResponse("/signin", status_code=303)


@router.post("/settings/signout-everywhere")
def settings_signout_everywhere(settings: SettingsDep, user: SessionOnly) -> Response:
    accounts.sign_out_everywhere(settings, user_id=user.account.id)
    return RedirectResponse("/signin", status_code=303)


@router.post("/settings/delete")
def settings_delete(
    settings: SettingsDep, user: SessionOnly, password: Annotated[str, Form(max_length=1024)]
) -> Response:
    from backstride.services.runner_data import delete_account

    delete_account(settings, user_id=user.account.id, password=password)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(cookie_name(settings), path="/")
    return response


@router.get("/clinician", response_class=HTMLResponse)
def clinician_page(
    request: Request, settings: SettingsDep, templates: TemplatesDep, user: SessionOnly
) -> Response:
    runners = sharing.shared_runners(settings, clinician_id=user.account.id,
                                     roles=user.account.roles)  # fmt: skip
    return templates.TemplateResponse(request, "clinician.html.j2", {"runners": runners})


@router.get("/clinician/runners/{runner_id}", response_class=HTMLResponse)
def clinician_runner_page(
    runner_id: Id, request: Request, settings: SettingsDep, templates: TemplatesDep,
    user: SessionOnly,
) -> Response:  # fmt: skip
    summary = sharing.runner_summary(settings, clinician_id=user.account.id,
                                     roles=user.account.roles, runner_id=runner_id,
                                     today=date.today(), now=datetime.now(UTC))  # fmt: skip
    return templates.TemplateResponse(request, "runner.html.j2", _with_safety_net(summary))


def _with_safety_net(summary: dict[str, Any]) -> dict[str, Any]:
    """The summary and the safety net the runner is given (none when an emergency leads)."""
    from backstride.knowledge import urgency as urgency_table
    from backstride.knowledge.rules import SafetyText
    from backstride.services.assessment import knowledge_base

    kb = knowledge_base()
    leading = (summary.get("escalation") or {}).get("urgency")
    nets = () if leading == "emergency" else urgency_table.safety_net(kb)
    cited = list(dict.fromkeys(s for net in nets for s in net.sources))
    return {"summary": summary, "nets": nets, "net_sources": cited,
            "net_text": kb.one(SafetyText, "safety.net_title")}  # fmt: skip


@router.post("/clinician/runners/{runner_id}/reviews")
def clinician_review_submit(
    runner_id: Id, settings: SettingsDep, user: SessionOnly,
    note: Annotated[str, Form(max_length=5000)],
) -> Response:  # fmt: skip
    sharing.add_review(settings, clinician_id=user.account.id, roles=user.account.roles,
                       runner_id=runner_id, note=note, now=datetime.now(UTC))  # fmt: skip
    return RedirectResponse(f"/clinician/runners/{runner_id}", status_code=303)
