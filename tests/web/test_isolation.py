"""Isolation: every route, walked from the router's own list, as another account with the
first account's ids (404 or the not-found page) and anonymously (401 or sign-in)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from backstride.config import Settings
from backstride.services import accounts
from backstride.web.app import create_app
from tests.activity_files import gpx_bytes, straight_run
from tests.web.conftest import BASE, sign_up, wait_for_job
from tests.web.routes import api_routes

SECRET = "ANN-PRIVATE-NOTE"
CASE = {"age": 35, "pain": {"intensity": 3, "started_days_ago": 5}}
PUBLIC = {
    ("GET", "/"), ("GET", "/signin"), ("POST", "/signin"), ("GET", "/register"),
    ("POST", "/register"), ("POST", "/api/v1/auth/register"), ("POST", "/api/v1/auth/login"),
    ("GET", "/api/v1/health"), ("GET", "/api/health"), ("GET", "/manifest.webmanifest"),
    ("GET", "/sw.js"), ("GET", "/offline"), ("GET", "/offline/saved"),
}  # fmt: skip
#: What each route is sent (its body); a new route fails the walk until it is added here.
REQUESTS: dict[tuple[str, str], dict[str, Any]] = {
    ("GET", "/"): {}, ("GET", "/signin"): {}, ("GET", "/register"): {},
    ("POST", "/signin"): {"data": {"email": "x@example.org", "password": "wrong password"}},
    ("POST", "/register"): {"data": {"email": "y@example.org", "password": "p"}},
    ("POST", "/api/v1/auth/register"): {"json": {"email": "z@example.org", "password": "p"}},
    ("POST", "/api/v1/auth/login"): {"json": {"email": "x@example.org", "password": "nope"}},
    ("GET", "/api/v1/health"): {}, ("GET", "/api/health"): {},
    ("GET", "/api/v1/me"): {}, ("PATCH", "/api/v1/me"): {"json": {"research_consent": False}},
    ("POST", "/api/v1/tokens"): {"json": {"name": "watch", "scopes": ["activities:write"]}},
    ("GET", "/api/v1/tokens"): {}, ("DELETE", "/api/v1/tokens/{token_id}"): {},
    ("POST", "/api/v1/assessments"): {"json": CASE}, ("GET", "/api/v1/assessments/current"): {},
    ("GET", "/api/v1/plan"): {}, ("GET", "/api/v1/plan.pdf"): {}, ("GET", "/api/v1/plan.ics"): {},
    ("POST", "/api/assess"): {"json": CASE}, ("POST", "/api/plan"): {"json": CASE},
    ("GET", "/api/kb/{record_id}"): {},
    ("GET", "/api/v1/diary"): {},
    ("POST", "/api/v1/diary"): {"json": {"date": "2026-01-02", "pain": 2}},
    ("PATCH", "/api/v1/diary/{entry_id}"): {"json": {"pain": 1}},
    ("DELETE", "/api/v1/diary/{entry_id}"): {}, ("GET", "/api/v1/progress"): {},
    ("POST", "/api/v1/activities"): {"files": [("files", ("x.txt", b"junk", "text/plain"))]},
    ("GET", "/api/v1/jobs/{job_id}"): {}, ("GET", "/api/v1/activities"): {},
    ("GET", "/api/v1/activities/{activity_id}"): {},
    ("DELETE", "/api/v1/activities/{activity_id}"): {}, ("GET", "/api/v1/analysis"): {},
    ("POST", "/api/v1/shares"): {"json": {"clinician_email": "dr@example.org"}},
    ("GET", "/api/v1/shares"): {}, ("DELETE", "/api/v1/shares/{share_id}"): {},
    ("GET", "/api/v1/clinician/runners"): {}, ("GET", "/api/v1/clinician/runners/{runner_id}"): {},
    ("POST", "/api/v1/clinician/runners/{runner_id}/reviews"): {"json": {"note": "seen"}},
    ("GET", "/api/v1/audit"): {}, ("GET", "/api/v1/export"): {},
    ("GET", "/check"): {}, ("POST", "/check"): {"data": {"state": ""}},
    ("POST", "/plan"): {"data": {"case": '{"age": 35, "pain": {"intensity": 3}}', "format": "ics"}},
    ("POST", "/keep"): {"data": {"case": '{"age": 35, "pain": {"intensity": 3}}'}},
    ("GET", "/diary"): {}, ("POST", "/diary"): {"data": {"pain_now": "2"}},
    ("GET", "/diary/{entry_id}"): {}, ("POST", "/diary/{entry_id}"): {"data": {"pain_now": "1"}},
    ("POST", "/diary/{entry_id}/delete"): {}, ("GET", "/together"): {}, ("GET", "/training"): {},
    ("GET", "/training/activities/{activity_id}"): {},
    ("POST", "/training/activities/{activity_id}/shoe"): {"data": {"shoe_id": "1"}},
    ("GET", "/training/shoes"): {}, ("POST", "/training/shoes"): {"data": {"name": "Bob's"}},
    ("GET", "/training/shoes/{shoe_id}"): {},
    ("POST", "/training/shoes/{shoe_id}"): {"data": {"name": "Renamed", "retired": "yes"}},
    ("POST", "/training/shoes/{shoe_id}/runs"): {"data": {"since": "2026-01-01"}},
    ("GET", "/progress"): {}, ("GET", "/import"): {},
    ("GET", "/plan"): {},
    ("GET", "/checkin"): {},
    ("POST", "/checkin"): {"data": {"pain": "2", "function": "8", "sessions_done": "3"}},
    ("GET", "/manifest.webmanifest"): {}, ("GET", "/sw.js"): {}, ("GET", "/offline"): {},
    ("GET", "/offline/saved"): {},
    ("POST", "/import"): {"files": [("files", ("x.txt", b"junk", "text/plain"))]},
    ("GET", "/import/jobs/{job_id}"): {}, ("GET", "/settings"): {},
    ("POST", "/settings/consent"): {"data": {"research_consent": "no"}},
    ("POST", "/settings/share"): {"data": {"clinician_email": "dr@example.org"}},
    ("POST", "/settings/shares/{share_id}/revoke"): {},
    ("GET", "/clinician"): {}, ("GET", "/clinician/runners/{runner_id}"): {},
    ("POST", "/clinician/runners/{runner_id}/reviews"): {"data": {"note": "seen"}},
    # These end the caller's own session or account, so the walk sends them last.
    ("POST", "/settings/password"): {"data": {"current_password": "x", "new_password": "y"}},
    ("POST", "/api/v1/auth/password"): {"json": {"current_password": "x", "new_password": "y"}},
    ("POST", "/api/v1/auth/logout-everywhere"): {}, ("POST", "/settings/signout-everywhere"): {},
    ("POST", "/settings/delete"): {"data": {"password": "wrong password"}},
    ("DELETE", "/api/v1/me"): {"json": {"password": "wrong password"}},
    ("POST", "/signout"): {}, ("POST", "/api/v1/auth/logout"): {},
}  # fmt: skip
LAST = list(REQUESTS)[-8:]


@pytest.fixture
def world(settings: Settings) -> Iterator[tuple[TestClient, TestClient, dict[str, str]]]:
    """Ann with data of every kind, and Bob (a clinician Ann does not share with)."""
    app = create_app(settings)
    with TestClient(app, base_url=BASE) as ann, TestClient(app, base_url=BASE) as bob:
        ids = _ann_data(ann, settings)
        sign_up(bob, "bob@example.org")
        accounts.admin_role(settings, email="bob@example.org", role="clinician", remove=False)
        sign_up(bob, "bob@example.org")  # sign in again: the role is read at sign-in
        yield ann, bob, ids


def _ann_data(ann: TestClient, settings: Settings) -> dict[str, str]:
    me = sign_up(ann, "ann@example.org")
    sign_up(TestClient(ann.app, base_url=BASE), "dr@example.org")
    accounts.admin_role(settings, email="dr@example.org", role="clinician", remove=False)
    assert ann.post("/api/v1/assessments", json=CASE).status_code == 201
    entry = ann.post("/api/v1/diary", json={"date": "2026-01-01", "pain": 3, "note": SECRET})
    run = ("files", ("ann.gpx", gpx_bytes([straight_run(300)]), "application/gpx+xml"))
    job_id = ann.post("/api/v1/activities", files=[run]).json()["job"]
    job = wait_for_job(ann, job_id)
    token = ann.post("/api/v1/tokens", json={"name": "ann's watch", "scopes": ["diary:read"]})
    share = ann.post("/api/v1/shares", json={"clinician_email": "dr@example.org"})
    activity_id = job["results"][0]["activity_id"]
    shoe_id = _add_shoe(ann)
    return {"shoe_id": shoe_id,"entry_id": str(entry.json()["id"]), "activity_id": str(activity_id),
            "job_id": job_id, "token_id": str(token.json()["id"]),
            "share_id": str(share.json()["id"]), "runner_id": str(me["id"]),
            "record_id": "nice-ng59"}  # fmt: skip


def _add_shoe(ann: TestClient) -> str:
    """Ann's pair of shoes, added on the shoes page; its id."""
    added = ann.post("/training/shoes", data={"name": SECRET, "start_km": "10"})
    assert added.status_code == 200, added.text  # the list, after the redirect
    found = re.search(r'href="/training/shoes/(\d+)"', added.text)
    assert found, "the new pair is not listed"
    return found.group(1)


def _call(client: TestClient, method: str, path: str, ids: dict[str, str]) -> Any:
    url = path.format(**{k: v for k, v in ids.items() if "{" + k + "}" in path})
    return client.request(method, url, follow_redirects=False, **REQUESTS[(method, path)])


def test_every_route_is_listed_in_the_walk(settings: Settings) -> None:
    routes = set(api_routes(create_app(settings))) - {("HEAD", p) for _m, p in REQUESTS}
    served = {r for r in routes if not r[1].startswith(("/api/docs", "/docs", "/api/v1/openapi"))}
    assert served - set(REQUESTS) == set(), "add the new route to REQUESTS"
    assert set(REQUESTS) - served == set()


def test_another_account_gets_not_found_for_every_route_with_the_first_accounts_ids(
    world: tuple[TestClient, TestClient, dict[str, str]],
) -> None:
    ann, bob, ids = world
    routes = sorted(REQUESTS, key=lambda r: (r in LAST, LAST.index(r) if r in LAST else 0))
    for method, path in routes:
        response = _call(bob, method, path, ids)
        where = f"{method} {path}"
        assert response.status_code < 500, where
        assert SECRET not in response.text, where
        assert "ann@example.org" not in response.text, where
        if "{" in path and "record_id" not in path:
            assert response.status_code == 404, where
            if not path.startswith("/api/"):
                assert "There is no" in response.text or "no " in response.text, where
    after = ann.get("/api/v1/diary").json()["entries"]  # nothing of Ann's was touched
    assert [e["note"] for e in after] == [SECRET]
    assert ann.get(f"/api/v1/activities/{ids['activity_id']}").status_code == 200
    mine = ann.get(f"/training/shoes/{ids['shoe_id']}").text  # neither renamed nor retired
    assert SECRET in mine
    assert 'value="yes" checked' not in mine


def test_anonymous_requests_get_401_from_the_api_and_sign_in_from_pages(
    world: tuple[TestClient, TestClient, dict[str, str]],
) -> None:
    _ann, _bob, ids = world
    anonymous = TestClient(_ann.app, base_url=BASE)
    for method, path in sorted(set(REQUESTS) - PUBLIC):
        response = _call(anonymous, method, path, ids)
        where = f"{method} {path}"
        if path.startswith("/api/"):
            assert response.status_code == 401, where
            assert response.headers["content-type"] == "application/problem+json", where
        else:
            assert response.status_code == 303, where
            assert response.headers["location"].startswith("/signin"), where
