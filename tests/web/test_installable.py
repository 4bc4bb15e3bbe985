"""Installable and offline: manifest, icons, service worker (app shell, today's plan, a diary
entry queued while the server is away), offline API docs and error pages, in real Chromium."""

from __future__ import annotations

import struct
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import uvicorn
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, BrowserContext, Page

from backstride.config import Settings
from backstride.web.app import create_app
from tests.web.conftest import PASSWORD, free_port

STATIC = Path(create_app.__code__.co_filename).parent / "static"
CASE = {"age": 35, "pain": {"intensity": 3, "started_days_ago": 5}}


class Server:
    """The app under uvicorn on one fixed loopback port, stopped and started again at will."""

    def __init__(self, settings: Settings) -> None:
        self.settings, self.port = settings, free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        config = uvicorn.Config(create_app(self.settings), host="127.0.0.1", port=self.port,
                                log_level="warning")  # fmt: skip
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            assert time.monotonic() < deadline, "the web server did not start"
            time.sleep(0.05)

    def stop(self) -> None:
        assert self._server is not None
        assert self._thread is not None
        self._server.should_exit = True
        self._thread.join(timeout=10)


@pytest.fixture
def server(settings: Settings) -> Iterator[Server]:
    served = Server(settings)
    served.start()
    yield served
    if served._thread is not None and served._thread.is_alive():
        served.stop()


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_manifest_names_the_app_and_points_at_real_icons(anon: TestClient) -> None:
    response = anon.get("/manifest.webmanifest")
    assert response.headers["content-type"].startswith("application/manifest+json")
    manifest = response.json()
    assert manifest["name"] == "backstride"
    assert manifest["start_url"] == "/"
    assert manifest["display"] == "standalone"
    purposes = set()
    for icon in manifest["icons"]:
        assert anon.get(icon["src"]).status_code == 200, icon["src"]
        purposes.add(icon.get("purpose", "any"))
        if icon["type"] == "image/png":
            width, height = _png_size(STATIC / icon["src"].removeprefix("/static/"))
            assert f"{width}x{height}" == icon["sizes"]
    assert {"any", "maskable"} <= purposes
    assert any(i["sizes"] == "512x512" for i in manifest["icons"])
    page = anon.get("/signin").text
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert '<script src="/static/pwa.js" defer></script>' in page


def test_the_service_worker_is_served_from_the_root_and_never_kept_stale(anon: TestClient) -> None:
    response = anon.get("/sw.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["cache-control"] == "no-cache"
    assert 'addEventListener("fetch"' in response.text
    offline = anon.get("/offline").text
    assert "No connection to backstride" in offline
    assert 'id="safety-net"' in offline  # the safety net is there without a connection too


def _signed_in(context: BrowserContext, base: str) -> str:
    request = context.request
    email = "ann@example.org"
    request.post(f"{base}/api/v1/auth/register", data={"email": email, "password": PASSWORD})
    login = request.post(f"{base}/api/v1/auth/login", data={"email": email, "password": PASSWORD})
    assert login.ok, login.text()
    token: str = login.json()["csrf_token"]
    kept = request.post(f"{base}/api/v1/assessments", data=CASE, headers={"X-CSRF-Token": token})
    assert kept.status == 201, kept.text()
    return token


OUTBOX_COUNT = """() => new Promise((done) => {
  const open = indexedDB.open("backstride-outbox", 1);
  open.onsuccess = () => {
    const count = open.result.transaction("posts").objectStore("posts").count();
    count.onsuccess = () => done(count.result);
  };
})"""


def _diary_soon(context: BrowserContext, base: str) -> list[dict[str, object]]:
    """The diary once it has an entry (the worker sends the kept one in the background)."""
    deadline = time.monotonic() + 30
    while True:
        entries: list[dict[str, object]] = context.request.get(base + "/api/v1/diary").json()[
            "entries"
        ]
        if entries or time.monotonic() > deadline:
            return entries
        time.sleep(0.1)


def _first_session(page: Page) -> str:
    return " ".join(page.locator("#schedule tbody tr").first.inner_text().split())


def test_offline_the_shell_and_todays_plan_open_and_a_diary_entry_waits_for_the_server(
    browser: Browser,
    server: Server,
) -> None:
    context = browser.new_context(service_workers="allow")
    page = context.new_page()
    try:
        _signed_in(context, server.base)
        page.goto(server.base + "/plan")
        today_online = _first_session(page)
        assert today_online
        page.goto(server.base + "/diary")
        page.wait_for_selector("html[data-offline-ready=yes]", timeout=30_000)

        server.stop()  # the server is unreachable and the browser has no network
        context.set_offline(True)
        page.goto(server.base + "/plan")
        assert _first_session(page) == today_online  # today's plan, from this device
        page.goto(server.base + "/")
        assert page.locator("a.brand").inner_text() == "backstride"
        page.goto(server.base + "/import")  # never opened: the offline page, with the safety net
        assert page.locator("h1").inner_text() == "No connection to backstride"
        assert page.locator("#safety-net li").count() > 0
        page.goto(server.base + "/diary")
        page.fill("input[name=pain_now]", "3")
        page.click("form.diary button[type=submit]")
        assert page.locator("h1").inner_text() == "Saved on this device"

        server.start()  # reachable again: the kept entry is sent
        context.set_offline(False)
        page.goto(server.base + "/diary")  # the page asks the worker to send what it kept
        assert [(e["date"], e["pain"]) for e in _diary_soon(context, server.base)] == [
            (date.today().isoformat(), 3)
        ]
        assert page.evaluate(OUTBOX_COUNT) == 0
    finally:
        context.close()


def test_the_api_docs_load_offline_from_the_servers_own_files(
    browser: Browser,
    server: Server,
) -> None:
    context = browser.new_context()
    foreign: list[str] = []

    def refuse_the_internet(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if url.startswith(server.base):
            route.continue_()  # type: ignore[attr-defined]
        else:
            foreign.append(url)
            route.abort("internetdisconnected")  # type: ignore[attr-defined]

    context.route("**/*", refuse_the_internet)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        page.goto(server.base + "/api/docs")
        page.wait_for_selector(".opblock-summary-path", timeout=30_000)
        paths = page.locator(".opblock-summary-path").all_inner_texts()
        assert "/api/v1/diary" in [p.replace("\u200b", "") for p in paths]
        assert len(paths) > 20
        assert foreign == []
        assert [e for e in errors if "Content Security Policy" in e] == []
    finally:
        context.close()


def test_an_unknown_address_is_a_page_for_browsers_and_problem_json_for_the_api(
    browser: Browser,
    server: Server,
) -> None:
    page = browser.new_page()
    try:
        response = page.goto(server.base + "/no/such/page")
        assert response is not None
        assert response.status == 404
        assert response.headers["content-type"].startswith("text/html")
        assert page.locator("h1").count() == 1
        assert "There is no page at this address." in page.locator("main").inner_text()
        api = page.request.get(server.base + "/api/v1/no-such-thing")
        assert api.status == 404
        assert api.headers["content-type"] == "application/problem+json"
        assert api.json()["status"] == 404
    finally:
        page.close()
