"""Accounts: sign-in and registration pages, and the API's auth, me and token routes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from backstride.errors import BackstrideError
from backstride.services import accounts
from backstride.services.sharing import audit
from backstride.web.deps import (
    OptionalCredential,
    SessionOnly,
    SettingsDep,
    SignedIn,
    TemplatesDep,
    cookie_name,
)
from backstride.web.models import (
    AccountOut,
    CountOut,
    LoginIn,
    LoginOut,
    MeOut,
    MePatch,
    PasswordIn,
    RegisterIn,
    TokenCreated,
    TokenIn,
    TokenList,
    TokenOut,
)

router = APIRouter()


def client_address(request: Request) -> str:
    """The client's address (behind a proxy, uvicorn's --proxy-headers sets it)."""
    return request.client.host if request.client else "unknown"


def set_session_cookie(response: Response, request: Request, secret: str) -> None:
    """The session cookie: HttpOnly, SameSite=Lax, Secure when the public URL is https."""
    settings = request.app.state.settings
    https = (settings.public_url or "").lower().startswith("https://")
    response.set_cookie(cookie_name(settings), secret, max_age=accounts.SESSION_DAYS * 86400,
                        httponly=True, samesite="lax", secure=https, path="/")  # fmt: skip


def _me(credential: accounts.Credential) -> MeOut:
    a = credential.account
    return MeOut(id=a.id, email=a.email, name=a.name, roles=list(a.roles),
                 research_consent=a.research_consent)  # fmt: skip


@router.post("/api/v1/auth/register", status_code=201)
def api_register(body: RegisterIn, settings: SettingsDep) -> AccountOut:
    """Create an account (as the server's registration mode allows)."""
    account = accounts.register(settings, email=body.email, password=body.password,
                                name=body.name, now=datetime.now(UTC))  # fmt: skip
    return AccountOut(id=account.id, email=account.email)


@router.post("/api/v1/auth/login")
def api_login(body: LoginIn, request: Request, response: Response, settings: SettingsDep
              ) -> LoginOut:  # fmt: skip
    """Sign in: a session cookie and the CSRF token for writes."""
    now = datetime.now(UTC)
    signed = accounts.sign_in(settings, email=body.email, password=body.password,
                              address=client_address(request), now=now)  # fmt: skip
    set_session_cookie(response, request, signed.session_secret)
    audit(settings, user_id=signed.account.id, actor=signed.account.email, action="signed_in",
          at=now)  # fmt: skip
    return LoginOut(id=signed.account.id, email=signed.account.email, csrf_token=signed.csrf_token)


@router.post("/api/v1/auth/logout", status_code=204)
def api_logout(request: Request, settings: SettingsDep, _user: SignedIn) -> Response:
    """End this session."""
    secret = request.cookies.get(cookie_name(settings))
    if secret:
        accounts.sign_out(settings, secret=secret)
    response = Response(status_code=204)
    response.delete_cookie(cookie_name(settings), path="/")
    return response


@router.post("/api/v1/auth/logout-everywhere")
def api_logout_everywhere(settings: SettingsDep, user: SessionOnly) -> CountOut:
    """End every session of this account (on every device)."""
    ended = accounts.sign_out_everywhere(settings, user_id=user.account.id)
    audit(settings, user_id=user.account.id, actor=user.account.email,
          action="signed_out_everywhere", at=datetime.now(UTC))  # fmt: skip
    return CountOut(ended=ended)


@router.post("/api/v1/auth/password", status_code=204)
def api_password(body: PasswordIn, settings: SettingsDep, user: SessionOnly) -> Response:
    """Change the password; every session ends (sign in again)."""
    accounts.change_password(settings, user_id=user.account.id, current=body.current_password,
                             new=body.new_password)  # fmt: skip
    audit(settings, user_id=user.account.id, actor=user.account.email,
          action="password_changed", at=datetime.now(UTC))  # fmt: skip
    return Response(status_code=204)


@router.get("/api/v1/me")
def api_me(user: SignedIn) -> MeOut:
    """The signed-in account."""
    return _me(user)


@router.patch("/api/v1/me")
def api_me_patch(body: MePatch, settings: SettingsDep, user: SessionOnly) -> MeOut:
    """Change the account's settings (research consent)."""
    if body.research_consent is not None:
        accounts.set_research_consent(settings, user_id=user.account.id,
                                      consent=body.research_consent)  # fmt: skip
    return _me(accounts.Credential(accounts.get_account(settings, user.account.id), None, None))


@router.post("/api/v1/tokens", status_code=201)
def api_token_create(body: TokenIn, settings: SettingsDep, user: SessionOnly) -> TokenCreated:
    """A new personal access token (shown once; only its digest is kept)."""
    now = datetime.now(UTC)
    token_id, secret = accounts.create_token(settings, user_id=user.account.id, name=body.name,
                                             scopes=body.scopes, now=now)  # fmt: skip
    audit(settings, user_id=user.account.id, actor=user.account.email, action="token_created",
          at=now)  # fmt: skip
    return TokenCreated(id=token_id, token=secret)


@router.get("/api/v1/tokens")
def api_tokens(settings: SettingsDep, user: SessionOnly) -> TokenList:
    """The account's tokens (never their secrets)."""
    rows = accounts.list_tokens(settings, user_id=user.account.id)
    return TokenList(tokens=[TokenOut.model_validate(row) for row in rows])


@router.delete("/api/v1/tokens/{token_id}", status_code=204)
def api_token_delete(token_id: int, settings: SettingsDep, user: SessionOnly) -> Response:
    """Revoke a token at once."""
    accounts.revoke_token(settings, user_id=user.account.id, token_id=token_id)
    audit(settings, user_id=user.account.id, actor=user.account.email, action="token_revoked",
          at=datetime.now(UTC))  # fmt: skip
    return Response(status_code=204)


# ---- pages ---------------------------------------------------------------------------------


def _safe_next(target: str | None) -> str:
    """Only a path on this site (never another origin) after signing in."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@router.get("/signin", response_class=HTMLResponse)
def signin_page(request: Request, templates: TemplatesDep, next: str | None = None) -> Response:
    return templates.TemplateResponse(request, "signin.html.j2", {"next": _safe_next(next)})


@router.post("/signin", response_class=HTMLResponse)
def signin_submit(
    request: Request, settings: SettingsDep, templates: TemplatesDep,
    email: Annotated[str, Form(max_length=320)], password: Annotated[str, Form(max_length=1024)],
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:  # fmt: skip
    """Sign in from the page (no CSRF token yet: the password is the proof)."""
    now = datetime.now(UTC)
    try:
        signed = accounts.sign_in(settings, email=email, password=password,
                                  address=client_address(request), now=now)  # fmt: skip
    except (accounts.SignInError, accounts.ThrottledError) as exc:
        status = 429 if isinstance(exc, accounts.ThrottledError) else 401
        context = {"next": _safe_next(next), "error": str(exc), "email": email}
        return templates.TemplateResponse(request, "signin.html.j2", context, status_code=status)
    audit(settings, user_id=signed.account.id, actor=signed.account.email, action="signed_in",
          at=now)  # fmt: skip
    response = RedirectResponse(_safe_next(next), status_code=303)
    set_session_cookie(response, request, signed.session_secret)
    return response


@router.get("/register", response_class=HTMLResponse)
def register_page(request: Request, templates: TemplatesDep) -> Response:
    return templates.TemplateResponse(request, "register.html.j2", {})


@router.post("/register", response_class=HTMLResponse)
def register_submit(
    request: Request, settings: SettingsDep, templates: TemplatesDep,
    email: Annotated[str, Form(max_length=320)], password: Annotated[str, Form(max_length=1024)],
    name: Annotated[str | None, Form(max_length=200)] = None,
) -> Response:  # fmt: skip
    """Create the account, then sign in."""
    now = datetime.now(UTC)
    try:
        accounts.register(settings, email=email, password=password, name=name or None, now=now)
        signed = accounts.sign_in(settings, email=email, password=password,
                                  address=client_address(request), now=now)  # fmt: skip
    except BackstrideError as exc:
        context = {"error": str(exc), "email": email}
        return templates.TemplateResponse(request, "register.html.j2", context, status_code=422)
    response = RedirectResponse("/", status_code=303)
    set_session_cookie(response, request, signed.session_secret)
    return response


@router.post("/signout")
def signout_submit(request: Request, settings: SettingsDep, _user: SignedIn) -> Response:
    secret = request.cookies.get(cookie_name(settings))
    if secret:
        accounts.sign_out(settings, secret=secret)
    response = RedirectResponse("/signin", status_code=303)
    response.delete_cookie(cookie_name(settings), path="/")
    return response


def page_context(credential: OptionalCredential) -> dict[str, object]:
    """What every page's header needs: the account and the CSRF token for its forms."""
    if credential is None:
        return {"account": None, "csrf_token": ""}
    return {"account": credential.account, "csrf_token": credential.csrf_token or ""}


PageContext = Annotated[dict[str, object], Depends(page_context)]
