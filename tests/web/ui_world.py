"""A runner with a kept check, six weeks of diary and runs: what the page walks look at."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient

from backstride.services import accounts, analysis, store
from tests.activity_files import gpx_bytes
from tests.web.conftest import BASE, sign_up, wait_for_job
from tests.web.routes import api_routes

EMAIL = "runner@example.org"
CASE = {
    "age": 35,
    "pain": {"intensity": 4, "started_days_ago": 20, "locations": ["low_back_central"]},
}
SHOE = "Trail shoes"
#: Pages that need more than a GET with ids (forms, downloads) or are not pages.
#: Addresses that are not pages for a person (the API, files, the app manifest and worker).
NOT_PAGES = ("/api/", "/docs", "/static", "/manifest.webmanifest", "/sw.js")


def loop_gpx(day: date, *, km: float, minutes: float) -> bytes:
    """A GPX run on `day` going round a loop, with heart rate and cadence."""
    points = int(minutes * 60 / 5)
    radius = km * 1000 / (2 * math.pi) / 111_000
    loop = []
    for i in range(points):
        angle = 2 * math.pi * i / points
        lat = 46.05 + radius * math.sin(angle) * (1 + 0.3 * math.sin(3 * angle))
        lon = 14.5 + radius * math.cos(angle) / math.cos(math.radians(46.05))
        hr, cad = 135 + 15 * math.sin(angle), 84 + 2 * math.sin(5 * angle)
        loop.append({"lat": f"{lat:.6f}", "lon": f"{lon:.6f}", "ele": 300, "t": 5 * i,
                     "hr": f"{hr:.0f}", "cad": f"{cad:.0f}"})  # fmt: skip
    start = datetime(day.year, day.month, day.day, 7, 30, tzinfo=UTC)
    return gpx_bytes([loop], creator="test", name="Morning loop", start=start)


def seed(app: FastAPI, *, today: date, email: str = EMAIL) -> dict[str, str]:
    """Register, keep a check, write 42 days of diary, import 14 runs and become the
    clinician of another runner who shares with this account; the ids the pages need."""
    with TestClient(app, base_url=BASE) as client:
        me = sign_up(client, email)
        assert client.post("/api/v1/assessments", json=CASE).status_code == 201
        entry_id = ""
        for back in range(42, -1, -1):
            pain = max(0, round(5 - back / 12 + (2 if back % 9 == 0 else 0)))
            body = {"date": (today - timedelta(days=back)).isoformat(), "pain": 5 - pain // 2}
            entry_id = str(client.post("/api/v1/diary", json=body).json()["id"])
        files = [("files", (f"run{back}.gpx", loop_gpx(today - timedelta(days=back),
                  km=5 + back % 4, minutes=30 + back % 4 * 6), "application/gpx+xml"))
                 for back in range(1, 42, 3)]  # fmt: skip
        job_id = client.post("/api/v1/activities", files=files).json()["job"]
        job = wait_for_job(client, job_id)
        activity_id = str(next(r["activity_id"] for r in job["results"] if r.get("activity_id")))
    shoe_id = _shoes(app, user_id=int(me["id"]), today=today)
    return {"entry_id": entry_id, "activity_id": activity_id, "job_id": job_id, "shoe_id": shoe_id,
            "runner_id": _sharing_runner(app, clinician=email)} | {"me": str(me["id"])}  # fmt: skip


def _shoes(app: FastAPI, *, user_id: int, today: date) -> str:
    """The runner's shoes, worn on every run of the last six weeks; their id."""
    settings = app.state.settings
    store.act_for_process(user_id)
    try:
        shoe_id = analysis.add_shoe(settings, name=SHOE, start_km=120, today=today)
        analysis.assign_shoe(settings, name=SHOE, since=today - timedelta(days=42))
        return str(shoe_id)
    finally:
        store.act_for_process(None)


def _sharing_runner(app: FastAPI, *, clinician: str) -> str:
    """Make `clinician` a clinician and have another runner share with them; that runner."""
    accounts.admin_role(app.state.settings, email=clinician, role="clinician", remove=False)
    with TestClient(app, base_url=BASE) as other:
        runner = sign_up(other, f"shares-with-{clinician}")
        other.post("/api/v1/assessments", json=CASE)
        other.post("/api/v1/diary", json={"date": date.today().isoformat(), "pain": 3})
        assert other.post("/api/v1/shares", json={"clinician_email": clinician}).status_code == 201
    return str(runner["id"])


def html_pages(app: FastAPI, ids: dict[str, str]) -> list[str]:
    """Every page the app serves by GET (read from the router's list), ids filled in."""
    pages = {
        path.format(**{k: v for k, v in ids.items() if "{" + k + "}" in path})
        for method, path in api_routes(app)
        if method == "GET" and not path.startswith(NOT_PAGES)
    }
    return sorted(pages)
