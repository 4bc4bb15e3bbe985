"""The API through real HTTP against a running uvicorn server: sign-in, parallel imports by
several accounts, a PDF that blocks no one, and schemathesis over /api/v1/openapi.json."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from backstride.config import Settings
from tests.activity_files import gpx_bytes, straight_run
from tests.web.conftest import PASSWORD, serve

CASE = {"age": 35, "pain": {"intensity": 3, "started_days_ago": 5}}


_OPEN: list[httpx.Client] = []


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    yield
    while _OPEN:
        _OPEN.pop().close()


def client_for(base: str, **options: Any) -> httpx.Client:
    """An HTTP client closed after the test."""
    client = httpx.Client(base_url=base, timeout=60, **options)
    _OPEN.append(client)
    return client


def signed_in(base: str, email: str) -> httpx.Client:
    """An HTTP client with an account registered and signed in (CSRF header set)."""
    client = client_for(base)
    client.post("/api/v1/auth/register", json={"email": email, "password": PASSWORD})
    login = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert login.status_code == 200, login.text
    client.headers["X-CSRF-Token"] = login.json()["csrf_token"]
    return client


def wait(client: httpx.Client, job_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 120
    while True:
        job: dict[str, Any] = client.get(f"/api/v1/jobs/{job_id}").json()
        if job["state"] in ("done", "failed"):
            return job
        assert time.monotonic() < deadline
        time.sleep(0.1)


def test_the_api_works_over_http_with_a_session_and_with_a_token(live_server: str) -> None:
    client = signed_in(live_server, "ann@example.org")
    assert client.get("/api/v1/me").json()["email"] == "ann@example.org"
    created = client.post("/api/v1/assessments", json=CASE)
    assert created.status_code == 201
    assert created.json()["urgency"] == "self_care"
    assert client.get("/api/v1/plan").json()["weeks"] == 6
    token = client.post("/api/v1/tokens", json={"name": "phone", "scopes": ["activities:write"]})
    device = client_for(live_server, headers={"Authorization": f"Bearer {token.json()['token']}"})
    run = ("files", ("run.gpx", gpx_bytes([straight_run(300)]), "application/gpx+xml"))
    upload = device.post("/api/v1/activities", files=[run])
    assert upload.status_code == 202
    job = wait(client, upload.json()["job"])
    assert [r["outcome"] for r in job["results"]] == ["imported"]
    assert device.get("/api/v1/jobs/" + upload.json()["job"]).status_code == 200
    assert client_for(live_server).get("/api/v1/me").status_code == 401


def test_parallel_imports_by_several_accounts_all_succeed(live_server: str) -> None:
    clients = [signed_in(live_server, f"runner{i}@example.org") for i in range(4)]
    outcomes: dict[int, list[str]] = {}

    def upload(index: int, client: httpx.Client) -> None:
        runs = [gpx_bytes([straight_run(300, start_s=86400 * k + 3600 * index)]) for k in range(3)]
        files = [
            ("files", (f"run{k}.gpx", run, "application/gpx+xml")) for k, run in enumerate(runs)
        ]
        job_id = client.post("/api/v1/activities", files=files).json()["job"]
        outcomes[index] = [r["outcome"] for r in wait(client, job_id)["results"]]

    for _round in range(2):
        threads = [threading.Thread(target=upload, args=(i, c)) for i, c in enumerate(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=180)
        assert len(outcomes) == 4
        assert all(o in (["imported"] * 3, ["duplicate"] * 3) for o in outcomes.values()), outcomes
    for client in clients:
        assert len(client.get("/api/v1/activities").json()["activities"]) == 3


def test_a_pdf_being_rendered_does_not_hold_up_other_requests(live_server: str) -> None:
    """Pages keep being answered while a plan PDF is laid out in the PDF worker.

    The check is relative, so a busy machine cannot fail it: had the render run on the
    server's event loop, the first page asked for after it began would have waited for the
    whole render. Here several pages come back before the PDF does, each in well under half
    of the render's time. The second PDF is of a changed plan, so it is laid out afresh (the
    worker keeps rendered PDFs by their HTML).
    """
    client = signed_in(live_server, "ann@example.org")
    client.post("/api/v1/assessments", json=CASE)
    first = client.get("/api/v1/plan.pdf")  # starts and warms the PDF worker process
    client.post("/api/v1/assessments", json={**CASE, "age": 52, "pain": {"intensity": 5}})
    started = threading.Event()
    result: dict[str, Any] = {}

    def pdf() -> None:
        started.set()
        began = time.perf_counter()
        result["pdf"] = client.get("/api/v1/plan.pdf")
        result["seconds"] = time.perf_counter() - began
        result["done"] = time.perf_counter()

    thread = threading.Thread(target=pdf)
    thread.start()
    started.wait()
    other = client_for(live_server)
    answered: list[float] = []
    while "done" not in result and len(answered) < 200:
        answered.append(_timed(other, "/"))
    thread.join(timeout=120)
    assert result["pdf"].content.startswith(b"%PDF")
    assert result["pdf"].content != first.content, "the changed plan was rendered again"
    assert len(answered) >= 3, f"only {len(answered)} pages answered during the render"
    assert max(answered) < result["seconds"] / 2, (answered, result["seconds"])


def _timed(client: httpx.Client, path: str) -> float:
    start = time.perf_counter()
    assert client.get(path).status_code == 200
    return time.perf_counter() - start


# ---- schemathesis ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def api_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home: Path = tmp_path_factory.mktemp("schema") / "home"
    yield from serve(Settings(home=home, registration="open"))


@pytest.fixture(scope="module")
def api_session(api_server: str) -> Iterator[Any]:
    import requests

    session = requests.Session()
    session.post(f"{api_server}/api/v1/auth/register",
                 json={"email": "fuzz@example.org", "password": PASSWORD})  # fmt: skip
    login = session.post(f"{api_server}/api/v1/auth/login",
                         json={"email": "fuzz@example.org", "password": PASSWORD})  # fmt: skip
    session.headers["X-CSRF-Token"] = login.json()["csrf_token"]
    session.post(f"{api_server}/api/v1/assessments", json=CASE)
    yield session
    session.close()


#: Operations that end the fuzzing session's own sign-in (each is tested by name elsewhere).
SESSION_ENDING = {
    "POST /api/v1/auth/logout", "POST /api/v1/auth/logout-everywhere",
    "POST /api/v1/auth/password", "DELETE /api/v1/me",
}  # fmt: skip


def test_no_generated_request_makes_the_server_fail(api_server: str, api_session: Any) -> None:
    """Schemathesis generates requests for every operation in /api/v1/openapi.json (a bounded
    number each); not one may get a server error."""
    from hypothesis import given
    from schemathesis.checks import not_a_server_error

    schema = schemathesis.openapi.from_url(f"{api_server}/api/v1/openapi.json")
    tried = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.label in SESSION_ENDING:
            continue

        @given(case=operation.as_strategy())
        @settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck),
                  database=None)  # fmt: skip
        def check(case: Any) -> None:
            case.call_and_validate(base_url=api_server, session=api_session,
                                   checks=[not_a_server_error])  # fmt: skip

        check()
        tried += 1
    assert tried >= 30
