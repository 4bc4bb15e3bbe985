"""Fixtures for the web app: in-process clients (anonymous or signed in) and a real server."""

from __future__ import annotations

import html
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient

from backstride.assess.interview import Question
from backstride.config import Settings
from backstride.services.assessment import knowledge_base
from backstride.web.app import create_app
from backstride.web.pagecache import PageCacheMiddleware
from backstride.web.wizard import load_state, next_page

BASE = "http://localhost"
PASSWORD = "a long enough secret 42"


def sign_up(client: TestClient, email: str, password: str = PASSWORD) -> dict[str, Any]:
    """Register (if allowed) and sign in; later writes carry the CSRF token by default."""
    client.post("/api/v1/auth/register", json={"email": email, "password": password})
    response = client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    client.headers["X-CSRF-Token"] = body["csrf_token"]
    return body


def page_cache(client: TestClient) -> PageCacheMiddleware:
    """The app's page cache (the middleware stack is built on the first request)."""
    layer: Any = client.app.middleware_stack  # type: ignore[attr-defined]
    while not isinstance(layer, PageCacheMiddleware):
        layer = layer.app
    return layer


def wait_for_job(client: TestClient, job_id: str, *, timeout_s: float = 60) -> dict[str, Any]:
    """Poll a background job until it is done or failed."""
    deadline = time.monotonic() + timeout_s
    while True:
        job: dict[str, Any] = client.get(f"/api/v1/jobs/{job_id}").json()
        if job["state"] in ("done", "failed"):
            return job
        assert time.monotonic() < deadline, f"job {job_id} did not finish: {job}"
        time.sleep(0.05)


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    """Settings on a scratch data directory, once on SQLite and once on PostgreSQL."""
    return Settings(home=tmp_path / "home", database_url=database_url, registration="open")


@pytest.fixture
def anon(settings: Settings) -> Iterator[TestClient]:
    """The app in-process, nobody signed in."""
    with TestClient(create_app(settings), base_url=BASE) as test_client:
        yield test_client


@pytest.fixture
def client(anon: TestClient) -> TestClient:
    """The app in-process with the first account (the owner) signed in."""
    sign_up(anon, "ann@example.org")
    return anon


def page_state(page_html: str) -> str:
    """The hidden wizard state of a rendered page."""
    found = re.search(r'name="state" value="([^"]*)"', page_html)
    assert found, "the page has no wizard state"
    return html.unescape(found.group(1))


def page_questions(page_html: str) -> list[Question]:
    """The questions the page shows, as the server's own wizard defines them."""
    _section, questions = next_page(knowledge_base(), load_state(page_state(page_html)))
    shown = re.findall(r'data-key="([^"]+)"', page_html)
    assert [q.key for q in questions] == shown
    return questions


def calm_answer(question: Question, overrides: dict[str, Any]) -> Any:
    """A benign answer: no to every warning sign, mild pain, first choice elsewhere."""
    if question.key in overrides:
        return overrides[question.key]
    if question.kind == "yes_no":
        return "no"
    if question.kind in ("integer", "number"):
        return "" if question.optional else str(int(question.low or 0))
    return question.choices[0] if question.kind == "choice" else []


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def serve(settings: Settings) -> Iterator[str]:
    """The app served by uvicorn on a free loopback port until the generator is closed."""
    port = free_port()
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port,
                            log_level="warning")  # fmt: skip
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the web server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def live_server(settings: Settings) -> Iterator[str]:
    """A real uvicorn server on a free loopback port (for the browser and HTTP tests)."""
    yield from serve(settings)
