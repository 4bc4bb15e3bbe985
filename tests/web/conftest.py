"""Fixtures for the web app: an in-process client and a real server for the browser."""

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
from backstride.web.wizard import load_state, next_page


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    """The app in-process, on a scratch data directory."""
    with TestClient(create_app(Settings(home=tmp_path / "home"))) as test_client:
        yield test_client


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


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[str]:
    """The app served by uvicorn on a free loopback port, for the real browser."""
    port = free_port()
    config = uvicorn.Config(
        create_app(Settings(home=tmp_path / "home")), host="127.0.0.1", port=port,
        log_level="warning",
    )  # fmt: skip
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
