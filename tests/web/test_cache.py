"""Kept results (progress, analysis, history) follow every write, whoever makes it."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient

from backstride.config import Settings
from backstride.services import cache
from backstride.services.versions import kept_dir
from tests.conftest import run_backstride
from tests.web.conftest import page_cache, sign_up

CASE = {"age": 35, "pain": {"intensity": 3, "started_days_ago": 5}}


def forget_everything(client: TestClient) -> None:
    """Forget every kept result and page (in memory and in files), as a fresh install would."""
    cache.clear()
    settings = client.app.state.settings  # type: ignore[attr-defined]
    shutil.rmtree(kept_dir(settings.home), ignore_errors=True)
    page_cache(client).pages.clear()


def _progress(client: TestClient) -> dict[str, Any]:
    response = client.get("/api/v1/progress")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _kept(client: TestClient) -> None:
    client.post("/api/v1/assessments", json=CASE).raise_for_status()
    for back in (3, 2):
        day = (date.today() - timedelta(days=back)).isoformat()
        client.post("/api/v1/diary", json={"date": day, "pain": 6}).raise_for_status()


def test_a_kept_progress_is_served_again_until_the_diary_changes(client: TestClient) -> None:
    _kept(client)
    first = _progress(client)
    assert _progress(client) == first
    assert any(key[2][0] == "progress" for key in cache._entries)
    client.post("/api/v1/diary", json={"date": date.today().isoformat(), "pain": 1})
    after = _progress(client)
    assert after["days_tracked"] == first["days_tracked"] + 1
    assert after["current_pain"] < first["current_pain"]


def test_changing_an_entry_in_place_changes_the_kept_progress(client: TestClient) -> None:
    _kept(client)
    entry = client.post("/api/v1/diary", json={"date": date.today().isoformat(), "pain": 6})
    before = _progress(client)
    client.patch(f"/api/v1/diary/{entry.json()['id']}", json={"pain": 0}).raise_for_status()
    assert _progress(client)["current_pain"] < before["current_pain"]
    client.delete(f"/api/v1/diary/{entry.json()['id']}").raise_for_status()
    assert _progress(client)["days_tracked"] == before["days_tracked"] - 1


def test_a_red_flag_written_by_another_process_leads_the_kept_progress(
    settings: Settings, anon: TestClient
) -> None:
    sign_up(anon, "ann@example.org")  # the first account is the owner, whom the CLI acts for
    _kept(anon)
    assert (_progress(anon)["escalation"] or {}).get("urgency") != "emergency"
    env = {"BACKSTRIDE_HOME": str(settings.home), "BACKSTRIDE_DATABASE_URL": str(
        settings.resolved_database_url)}  # fmt: skip
    done = run_backstride("--user", "ann@example.org", "diary", "add", "--pain", "4",
                          "--red-flag", "bladder_change", env=env)  # fmt: skip
    assert done.code == 0, done.stderr
    escalation = _progress(anon)["escalation"]
    assert escalation is not None
    assert escalation["urgency"] == "emergency"


def test_one_runners_write_leaves_another_runners_kept_progress_alone(
    anon: TestClient, settings: Settings
) -> None:
    sign_up(anon, "ann@example.org")
    _kept(anon)
    _progress(anon)
    other = TestClient(anon.app, base_url=str(anon.base_url))
    sign_up(other, "bob@example.org")
    other.post("/api/v1/assessments", json=CASE).raise_for_status()
    kept = dict(cache._entries)
    other.post("/api/v1/diary", json={"date": date.today().isoformat(), "pain": 2})
    ann_key = next(k for k in kept if k[2][0] == "progress")
    folder = settings.home / "versions"
    assert cache._version(folder, str(ann_key[1])) == kept[ann_key][0][:3]


def test_rows_written_without_a_session_forget_every_kept_result(
    client: TestClient, settings: Settings
) -> None:
    from backstride.services.store import open_store, store_session

    _kept(client)
    _progress(client)
    _url, runner_id, key = next(k for k in cache._entries if k[2][0] == "progress")
    with store_session(settings) as session:
        assert cache.slot(session, runner_id, key).hit
    cache.rows_replaced(open_store(settings))  # as a restore or a wipe does
    with store_session(settings) as session:
        assert not cache.slot(session, runner_id, key).hit


def _snapshots(settings: Settings) -> int:
    from sqlalchemy import func, select

    from backstride.services.store import store_session
    from backstride.storage.tracking import PlanSnapshotRow

    with store_session(settings) as session:
        return int(session.scalar(select(func.count()).select_from(PlanSnapshotRow)) or 0)


def test_a_kept_plan_is_only_ever_its_own_runners(anon: TestClient) -> None:
    sign_up(anon, "ann@example.org")
    anon.post("/api/v1/assessments", json=CASE).raise_for_status()
    ann_plan = anon.get("/api/v1/plan").json()
    ann_page = anon.get("/plan").text
    other = TestClient(anon.app, base_url=str(anon.base_url))
    sign_up(other, "bob@example.org")
    worse = {"age": 52, "pain": {"intensity": 8, "started_days_ago": 40}}
    other.post("/api/v1/assessments", json=worse).raise_for_status()
    bob_plan = other.get("/api/v1/plan").json()
    assert bob_plan != ann_plan
    assert other.get("/plan").text != ann_page
    assert anon.get("/api/v1/plan").json() == ann_plan  # Ann's kept plan is still hers
    runners = {key[1] for key in cache._entries if key[2][0] == "plan"}
    assert len(runners) == 2
    forget_everything(anon)  # built afresh, each plan is what was kept
    assert other.get("/api/v1/plan").json() == bob_plan
    assert anon.get("/api/v1/plan").json() == ann_plan


def test_the_plan_given_is_kept_once_and_again_when_it_changes(
    client: TestClient, settings: Settings
) -> None:
    client.post("/api/v1/assessments", json=CASE).raise_for_status()
    first = client.get("/plan").text
    for path in ("/", "/plan", "/api/v1/plan", "/"):
        assert client.get(path).status_code == 200
    assert client.get("/plan").text == first
    assert _snapshots(settings) == 1  # every view showed the same plan: one snapshot
    forget_everything(client)  # built again from the data: still one snapshot
    assert client.get("/plan").text == first
    assert _snapshots(settings) == 1
    worse = {"age": 52, "pain": {"intensity": 8, "started_days_ago": 40}}
    client.post("/api/v1/assessments", json=worse).raise_for_status()
    assert client.get("/plan").text != first  # a new check: the kept plan is not served
    assert _snapshots(settings) == 2


KEPT_PAGES = ("/", "/diary", "/progress", "/plan", "/training", "/api/v1/plan",
              "/api/v1/activities")  # fmt: skip


def test_kept_pages_are_each_runners_own_and_as_built_afresh(anon: TestClient) -> None:
    sign_up(anon, "ann@example.org")
    _kept(anon)
    note = {"date": date.today().isoformat(), "pain": 7, "note": "Ann's own words"}
    anon.post("/api/v1/diary", json=note).raise_for_status()
    other = TestClient(anon.app, base_url=str(anon.base_url))
    sign_up(other, "bob@example.org")
    other.post("/api/v1/assessments", json=CASE).raise_for_status()
    seen = {}
    for path in KEPT_PAGES:
        ann = anon.get(path)
        assert ann.status_code == 200, path
        bob = other.get(path)  # Ann's results are kept now
        assert bob.status_code == 200, path
        assert "own words" not in bob.text, path
        assert "ann@example.org" not in bob.text, path
        seen[path] = (ann.text, bob.text)
    assert "Ann&#39;s own words" in seen["/diary"][0]
    assert len({key[1] for key in cache._entries if key[2][0] == "diary-page"}) == 2
    forget_everything(anon)
    for path in KEPT_PAGES:  # built afresh (Bob first this time), each is what was kept
        assert other.get(path).text == seen[path][1], path
        assert anon.get(path).text == seen[path][0], path


def test_a_remembered_sign_in_ends_with_a_sign_out_or_change_anywhere(
    settings: Settings, anon: TestClient
) -> None:
    from backstride.services.accounts import sign_out_everywhere
    from backstride.web import deps

    me = sign_up(anon, "ann@example.org")
    other = TestClient(anon.app, base_url=str(anon.base_url))
    sign_up(other, "bob@example.org")
    assert anon.get("/api/v1/me").json()["roles"] == ["admin", "owner", "runner"]
    assert other.get("/api/v1/me").status_code == 200
    remembered = [k for k in deps._sessions if k[0] == settings.resolved_database_url]
    assert len(remembered) == 2  # both sessions are remembered now
    env = {"BACKSTRIDE_HOME": str(settings.home), "BACKSTRIDE_DATABASE_URL": str(
        settings.resolved_database_url)}  # fmt: skip
    done = run_backstride("user", "role", "bob@example.org", "clinician", env=env)
    assert done.code == 0, done.stderr  # another process changed Bob's account
    assert "clinician" in other.get("/api/v1/me").json()["roles"]
    sign_out_everywhere(settings, user_id=me["id"])  # as another worker would
    assert anon.get("/api/v1/me").status_code == 401
    assert other.get("/api/v1/me").status_code == 200
    other.post("/api/v1/auth/logout").raise_for_status()
    assert other.get("/api/v1/me").status_code == 401
