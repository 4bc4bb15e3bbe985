"""Browser and account security: CSRF, the Host allowlist, headers, cookies, throttling,
registration modes, tokens and their scopes, password change and signing out everywhere."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from backstride.config import Settings
from backstride.web.app import create_app
from tests.web.conftest import BASE, PASSWORD, sign_up

CSP_PARTS = ("script-src 'self'", "frame-ancestors 'none'", "object-src 'none'")


def _app(tmp_path: Path, **values: object) -> Iterator[TestClient]:
    settings = Settings(home=tmp_path / "home", **values)  # type: ignore[arg-type]
    with TestClient(create_app(settings), base_url=BASE) as test_client:
        yield test_client


@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [("POST", "/api/v1/diary", {"json": {"date": "2026-01-01", "pain": 9, "red_flags": []}}),
     ("POST", "/diary", {"data": {"pain_now": "9", "red_flags": "bladder_change"}}),
     ("POST", "/keep", {"data": {"case": '{"age": 40, "pain": {"intensity": 2}}'}}),
     ("POST", "/api/v1/tokens", {"json": {"name": "x", "scopes": ["diary:read"]}}),
     ("DELETE", "/api/v1/diary/1", {}),
     ("PATCH", "/api/v1/me", {"json": {"research_consent": True}})],
)  # fmt: skip
@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_a_cookie_authenticated_write_without_the_csrf_token_is_refused(
    client: TestClient, method: str, path: str, kwargs: dict[str, object], token: str | None
) -> None:
    headers = {"X-CSRF-Token": token or ""}
    response = client.request(method, path, headers=headers, follow_redirects=False, **kwargs)  # type: ignore[arg-type]
    assert response.status_code == 403
    assert client.get("/api/v1/diary").json()["entries"] == []  # nothing was written


def test_a_form_carrying_the_csrf_token_is_accepted(client: TestClient) -> None:
    token = client.headers.pop("X-CSRF-Token")
    response = client.post("/diary", data={"pain_now": "3", "csrf_token": token},
                           follow_redirects=False)  # fmt: skip
    assert response.status_code == 303
    assert len(client.get("/api/v1/diary").json()["entries"]) == 1


@pytest.mark.parametrize("host", ["evil.example", "localhost.evil.example", "127.0.0.2", ""])
def test_an_unknown_host_header_gets_400(client: TestClient, host: str) -> None:
    response = client.get("/api/v1/me", headers={"host": host})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("host", ["localhost", "localhost:8000", "127.0.0.1:1234", "[::1]:80"])
def test_the_loopback_hosts_are_allowed(client: TestClient, host: str) -> None:
    assert client.get("/api/v1/me", headers={"host": host}).status_code == 200


def test_every_response_carries_the_security_headers(client: TestClient) -> None:
    for path in ("/", "/diary", "/api/v1/me", "/no-such-page", "/static/style.css"):
        headers = client.get(path).headers
        assert all(part in headers["content-security-policy"] for part in CSP_PARTS), path
        assert "unsafe-inline" not in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "same-origin"
        assert "camera=()" in headers["permissions-policy"]
        assert "strict-transport-security" not in headers  # plain http: no HSTS


def test_no_template_holds_inline_script_or_style() -> None:
    templates = Path(__file__).parents[2] / "src" / "backstride" / "web" / "templates"
    for page in templates.glob("*.j2"):
        text = page.read_text(encoding="utf-8")
        assert "<script>" not in text, page.name
        assert " on" + "click=" not in text, page.name
        assert "style=" not in text, page.name


def test_behind_https_the_cookie_is_secure_and_hsts_is_sent(tmp_path: Path) -> None:
    for app in _app(tmp_path, public_url="https://back.example.org", registration="open"):
        app.base_url = "https://back.example.org"  # type: ignore[assignment]
        app.post("/api/v1/auth/register", json={"email": "a@example.org", "password": PASSWORD})
        login = app.post(
            "/api/v1/auth/login", json={"email": "a@example.org", "password": PASSWORD}
        )
        cookie = login.headers["set-cookie"]
        assert cookie.startswith("__Host-backstride_session=")
        for flag in ("HttpOnly", "Secure", "SameSite=lax", "Path=/"):
            assert flag.lower() in cookie.lower()
        assert "max-age=31536000" in login.headers["strict-transport-security"]


def test_the_session_cookie_is_http_only_and_same_site_lax(anon: TestClient) -> None:
    anon.post("/api/v1/auth/register", json={"email": "a@example.org", "password": PASSWORD})
    login = anon.post("/api/v1/auth/login", json={"email": "a@example.org", "password": PASSWORD})
    cookie = login.headers["set-cookie"]
    assert "httponly" in cookie.lower()
    assert "samesite=lax" in cookie.lower()
    assert "secure" not in cookie.lower()


def test_wrong_credentials_say_the_same_whether_or_not_the_email_exists(client: TestClient) -> None:
    known = client.post(
        "/api/v1/auth/login", json={"email": "ann@example.org", "password": "x" * 12}
    )
    unknown = client.post(
        "/api/v1/auth/login", json={"email": "no@example.org", "password": "x" * 12}
    )
    assert known.status_code == unknown.status_code == 401
    assert known.json()["detail"] == unknown.json()["detail"]


def test_repeated_failures_lock_the_account_with_retry_after(client: TestClient) -> None:
    codes = [client.post("/api/v1/auth/login", json={"email": "ann@example.org",
                                                     "password": f"wrong {i:08d}"}).status_code
             for i in range(7)]  # fmt: skip
    assert codes[:5] == [401] * 5
    assert codes[5:] == [429, 429]
    locked = client.post(
        "/api/v1/auth/login", json={"email": "ann@example.org", "password": PASSWORD}
    )
    assert locked.status_code == 429  # even the right password waits
    assert int(locked.headers["retry-after"]) > 0


def test_failures_from_one_address_are_limited_across_accounts(client: TestClient) -> None:
    codes = [client.post("/api/v1/auth/login", json={"email": f"u{i}@example.org",
                                                     "password": "wrong password"}).status_code
             for i in range(22)]  # fmt: skip
    assert 429 in codes[19:]


@pytest.mark.parametrize(("mode", "second"), [("first", 403), ("invite", 403), ("open", 201)])
def test_registration_modes_decide_who_may_register(tmp_path: Path, mode: str, second: int) -> None:
    for app in _app(tmp_path, registration=mode):
        first = app.post(
            "/api/v1/auth/register", json={"email": "a@example.org", "password": PASSWORD}
        )
        assert first.status_code == 201
        again = app.post(
            "/api/v1/auth/register", json={"email": "b@example.org", "password": PASSWORD}
        )
        assert again.status_code == second
        taken = app.post(
            "/api/v1/auth/register", json={"email": "A@example.org", "password": PASSWORD}
        )
        assert taken.status_code == 409


def test_an_invited_address_may_register_in_invite_mode(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from backstride.services.accounts import admin_invite

    for app in _app(tmp_path, registration="invite"):
        app.post("/api/v1/auth/register", json={"email": "a@example.org", "password": PASSWORD})
        admin_invite(app.app.state.settings, email="b@example.org", now=datetime.now(UTC))  # type: ignore[attr-defined]
        ok = app.post(
            "/api/v1/auth/register", json={"email": "b@example.org", "password": PASSWORD}
        )
        assert ok.status_code == 201


@pytest.mark.parametrize(
    ("password", "why"),
    [("short", "at least 10"), ("aaaaaaaaaaaa", "different"), ("password123", "easy to guess")],
)
def test_a_weak_password_is_refused_saying_why(anon: TestClient, password: str, why: str) -> None:
    response = anon.post(
        "/api/v1/auth/register", json={"email": "a@example.org", "password": password}
    )
    assert response.status_code == 422
    assert why in response.json()["detail"]


def test_passwords_are_stored_as_argon2id_hashes(client: TestClient) -> None:
    from sqlalchemy import select

    from backstride.services.store import store_session
    from backstride.storage.account_tables import UserRow

    with store_session(client.app.state.settings) as session:  # type: ignore[attr-defined]
        digest = session.scalars(select(UserRow.password_hash)).first()
    assert digest is not None
    assert digest.startswith("$argon2id$")
    assert PASSWORD not in digest


def test_a_token_does_only_what_its_scopes_allow_and_needs_no_csrf(client: TestClient) -> None:
    created = client.post("/api/v1/tokens", json={"name": "watch", "scopes": ["diary:write"]})
    assert created.status_code == 201
    secret = created.json()["token"]
    device = TestClient(client.app, base_url=BASE, headers={"Authorization": f"Bearer {secret}"})
    added = device.post("/api/v1/diary", json={"date": "2026-01-01", "pain": 2})
    assert added.status_code == 201  # no CSRF token needed with a bearer token
    assert device.get("/api/v1/diary").status_code == 403  # no diary:read scope
    assert device.get("/api/v1/tokens").status_code == 403  # tokens cannot manage tokens
    assert device.request("DELETE", "/api/v1/me", json={"password": PASSWORD}).status_code == 403
    listed = client.get("/api/v1/tokens").json()["tokens"]
    assert [t["name"] for t in listed] == ["watch"]
    assert secret not in client.get("/api/v1/tokens").text  # shown once, stored hashed
    assert client.delete(f"/api/v1/tokens/{listed[0]['id']}").status_code == 204
    assert device.post("/api/v1/diary", json={"date": "2026-01-01", "pain": 2}).status_code == 401


def test_changing_the_password_and_signing_out_everywhere_end_sessions(anon: TestClient) -> None:
    sign_up(anon, "a@example.org")
    other = TestClient(anon.app, base_url=BASE)
    sign_up(other, "a@example.org")
    assert other.get("/api/v1/me").status_code == 200
    ended = anon.post("/api/v1/auth/logout-everywhere")
    assert ended.json()["ended"] == 2
    assert other.get("/api/v1/me").status_code == 401
    sign_up(anon, "a@example.org")
    new = "another long secret 43"
    changed = anon.post("/api/v1/auth/password", json={"current_password": PASSWORD,
                                                       "new_password": new})  # fmt: skip
    assert changed.status_code == 204
    assert anon.get("/api/v1/me").status_code == 401
    sign_up(anon, "a@example.org", password=new)
    assert anon.post("/api/v1/auth/logout").status_code == 204
    assert anon.get("/api/v1/me").status_code == 401


def test_pages_redirect_to_sign_in_and_back(anon: TestClient) -> None:
    response = anon.get("/progress", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/signin?next=/progress"
    anon.post("/api/v1/auth/register", json={"email": "a@example.org", "password": PASSWORD})
    form = {"email": "a@example.org", "password": PASSWORD, "next": "//evil.example/x"}
    back = anon.post("/signin", data=form, follow_redirects=False)
    assert back.headers["location"] == "/"  # never to another site


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [("POST", "/api/v1/assessments", "[" * 1000 + "]" * 1000),
     ("POST", "/api/assess", '{"a":' * 1000 + "1" + "}" * 1000),
     ("POST", "/api/v1/diary", "[" * 1000 + "]" * 1000),
     ("POST", "/api/v1/shares", '{"a":' * 1000 + "1" + "}" * 1000),
     ("POST", "/api/v1/assessments", " " * (300 * 1024))],
)  # fmt: skip
def test_deep_or_huge_json_gets_413_or_422_never_500(
    client: TestClient, method: str, path: str, body: str
) -> None:
    response = client.request(method, path, content=body,
                              headers={"content-type": "application/json"})  # fmt: skip
    assert response.status_code in (413, 422)
    assert response.headers["content-type"] == "application/problem+json"


def test_a_plan_starting_at_the_end_of_time_is_422(client: TestClient) -> None:
    case = {"age": 35, "pain": {"intensity": 3}}
    response = client.post("/api/plan?start=9999-12-31", json=case)
    assert response.status_code == 422
    assert "start" in response.json()["detail"]


def test_errors_never_show_a_path_sql_or_traceback(client: TestClient) -> None:
    for response in (client.get("/api/v1/activities/999"), client.get("/nope"),
                     client.post("/api/v1/diary", json={"date": "x", "pain": 99})):  # fmt: skip
        for leak in ("Traceback", "/tmp/", "SELECT", "sqlite", "home/"):
            assert leak not in response.text
