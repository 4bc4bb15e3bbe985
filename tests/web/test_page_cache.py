"""Kept results shared between processes, and whole pages kept per session: each is only
ever its own account's, and a change of data (in any process) is never served stale."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient

from backstride.config import Settings
from backstride.services import cache
from backstride.services.versions import kept_dir
from backstride.web.pagecache import KEPT_PATHS
from tests.conftest import run_backstride
from tests.web.conftest import PASSWORD, page_cache, sign_up

CASE = {"age": 35, "pain": {"intensity": 3, "started_days_ago": 5}}
PAGES = ("/", "/diary", "/progress", "/plan", "/training", "/settings", "/api/v1/progress")

#: Another process: acts for the account, reads its progress and says how often the
#: progress was computed there (0: it read what the first process kept).
READ_ELSEWHERE = """
import json, sys
from datetime import date
from backstride.config import Settings
from backstride.services import tracking
from backstride.services.store import act_for_process
from backstride.progress.status import status_dict

calls = []
real = tracking._progress
tracking._progress = lambda *a, **k: calls.append(1) or real(*a, **k)
settings = Settings(home=sys.argv[1], database_url=sys.argv[2])
act_for_process(int(sys.argv[3]))
status = status_dict(tracking.progress_status(settings, today=date.fromisoformat(sys.argv[4])))
print(json.dumps({"computed": len(calls), "days_tracked": status["days_tracked"]}))
"""


def _env(settings: Settings) -> dict[str, str]:
    return {"BACKSTRIDE_HOME": str(settings.home),
            "BACKSTRIDE_DATABASE_URL": settings.resolved_database_url}  # fmt: skip


def _read_elsewhere(settings: Settings, user_id: int, today: date) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", READ_ELSEWHERE, str(settings.home),
         settings.resolved_database_url, str(user_id), today.isoformat()],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def _kept(client: TestClient, note: str) -> None:
    client.post("/api/v1/assessments", json=CASE).raise_for_status()
    for back in (3, 2):
        day = (date.today() - timedelta(days=back)).isoformat()
        client.post("/api/v1/diary", json={"date": day, "pain": 6, "note": note})


def test_a_result_built_in_one_process_is_read_in_another_until_the_data_changes(
    settings: Settings, anon: TestClient
) -> None:
    me = sign_up(anon, "ann@example.org")  # the first account: the owner the CLI acts for
    _kept(anon, "first")
    today = date.today()
    built = anon.get("/api/v1/progress").json()
    assert list(kept_dir(settings.home).rglob("*.pickle"))
    elsewhere = _read_elsewhere(settings, me["id"], today)
    assert elsewhere == {"computed": 0, "days_tracked": built["days_tracked"]}
    done = run_backstride("diary", "add", "--pain", "2", env=_env(settings))
    assert done.code == 0, done.stderr  # a third process changes the data
    fresh = _read_elsewhere(settings, me["id"], today)
    assert fresh == {"computed": 1, "days_tracked": built["days_tracked"] + 1}
    assert anon.get("/api/v1/progress").json()["days_tracked"] == built["days_tracked"] + 1


def test_a_kept_result_carries_the_code_stamp_and_is_not_read_for_other_settings(
    settings: Settings,
) -> None:
    from backstride.services import versions

    stamp = versions.runner_stamp(settings.home, 7)
    assert versions.code_stamp() in stamp
    slot = versions.slot_at(settings.home, "sqlite://", 7, ("k",))
    slot.keep({"answer": 1})
    cache.clear()
    assert versions.slot_at(settings.home, "sqlite://", 7, ("k",)).value == {"answer": 1}
    cache.clear()
    versions.register_config(settings.home, "other settings")
    try:
        assert not versions.slot_at(settings.home, "sqlite://", 7, ("k",)).hit
    finally:
        versions._configs.pop(settings.home, None)


def _csrf(page: str) -> set[str]:
    return set(re.findall(r'name="csrf_token" value="([^"]+)"', page))


def test_kept_pages_are_each_sessions_own_across_two_accounts(anon: TestClient) -> None:
    ann = sign_up(anon, "ann@example.org")
    _kept(anon, "Ann's own words")
    bob_client = TestClient(anon.app, base_url=str(anon.base_url))
    bob = sign_up(bob_client, "bob@example.org")
    _kept(bob_client, "Bob's own words")
    for path in PAGES:
        for _round in range(3):  # built, then served as kept
            mine, theirs = anon.get(path), bob_client.get(path)
            assert mine.status_code == theirs.status_code == 200, path
            for word in ("Bob&#39;s own words", "bob@"):
                assert word not in mine.text, path
            for word in ("Ann&#39;s own words", "ann@"):
                assert word not in theirs.text, path
            assert "Content-Security-Policy" in mine.headers, path
        assert _csrf(mine.text) <= {ann["csrf_token"]}, path  # a page's forms: its session's
        assert _csrf(theirs.text) <= {bob["csrf_token"]}, path
        if path in ("/", "/diary", "/settings"):
            assert _csrf(mine.text), path
            assert _csrf(theirs.text), path
    kept = page_cache(anon).pages
    assert len(kept) == 2 * len(PAGES)
    assert {key[2] for key in kept} <= KEPT_PATHS


def test_a_second_session_of_the_same_account_gets_its_own_page(anon: TestClient) -> None:
    first = sign_up(anon, "ann@example.org")
    anon.get("/diary")
    again = TestClient(anon.app, base_url=str(anon.base_url))
    second = sign_up(again, "ann@example.org")
    for _round in range(2):
        assert _csrf(anon.get("/diary").text) == {first["csrf_token"]}
        assert _csrf(again.get("/diary").text) == {second["csrf_token"]}


def test_a_kept_page_follows_every_change_of_what_it_shows(
    settings: Settings, anon: TestClient
) -> None:
    sign_up(anon, "ann@example.org")
    _kept(anon, "first words")
    for _round in range(2):
        assert "second words" not in anon.get("/diary").text
    today = date.today().isoformat()
    anon.post("/api/v1/diary", json={"date": today, "pain": 3, "note": "second words"})
    assert "second words" in anon.get("/diary").text  # a write in this process
    done = run_backstride("diary", "add", "--pain", "1", "--note", "third words",
                          env=_env(settings))  # fmt: skip
    assert done.code == 0, done.stderr
    assert "third words" in anon.get("/diary").text  # a write in another process
    signed_in = anon.get("/settings").text.count("<tr><td>")
    assert anon.get("/settings").text.count("<tr><td>") == signed_in
    other = TestClient(anon.app, base_url=str(anon.base_url))
    sign_up(other, "ann@example.org")  # a sign-in is written to Ann's audit log
    assert anon.get("/settings").text.count("<tr><td>") == signed_in + 1


def test_a_kept_page_is_not_served_once_the_session_ends(anon: TestClient) -> None:
    sign_up(anon, "ann@example.org")
    for _round in range(2):
        assert anon.get("/diary").status_code == 200
    cookies = dict(anon.cookies)
    anon.post("/api/v1/auth/logout").raise_for_status()
    anon.cookies.update(cookies)  # the ended session's cookie sent again
    assert anon.get("/diary", follow_redirects=False).status_code in (303, 307, 401)
    assert anon.get("/api/v1/progress").status_code == 401


def test_a_kept_page_answers_its_etag_with_not_modified(anon: TestClient) -> None:
    sign_up(anon, "ann@example.org")
    for _round in range(2):  # the account's runner is made, the session remembered
        anon.get("/progress")
    first = anon.get("/progress")
    second = anon.get("/progress")
    assert first.headers["etag"] == second.headers["etag"]
    assert second.headers["cache-control"] == "private, no-cache"
    again = anon.get("/progress", headers={"If-None-Match": second.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["x-frame-options"] == "DENY"
    anon.post("/api/v1/diary", json={"date": date.today().isoformat(), "pain": 2})
    changed = anon.get("/progress", headers={"If-None-Match": second.headers["etag"]})
    assert changed.status_code == 200
    assert changed.headers["etag"] != second.headers["etag"]


def test_a_bearer_token_request_is_never_answered_from_a_kept_page(anon: TestClient) -> None:
    sign_up(anon, "ann@example.org")
    token = anon.post("/api/v1/tokens", json={"name": "watch", "scopes": ["activities:read"]})
    secret = token.json()["token"]
    for _round in range(2):
        assert anon.get("/api/v1/activities").status_code == 200
    device = TestClient(anon.app, base_url=str(anon.base_url))
    with_token = device.get("/api/v1/activities", headers={"Authorization": f"Bearer {secret}"})
    assert with_token.status_code == 200
    assert "etag" not in with_token.headers
    bad = device.get("/api/v1/activities", headers={"Authorization": "Bearer not-a-token"})
    assert bad.status_code == 401


def test_each_kept_assessment_answers_with_its_own_id_and_becomes_current(
    anon: TestClient,
) -> None:
    sign_up(anon, "ann@example.org")
    ids = []
    for case in (CASE, {**CASE, "age": 52}, CASE):
        created = anon.post("/api/v1/assessments", json=case)
        assert created.status_code == 201, created.text
        ids.append(created.json()["id"])
        current = anon.get("/api/v1/assessments/current").json()
        assert current["id"] == ids[-1]
        assert current["case"]["age"] == case["age"]
    assert len(set(ids)) == 3


def test_the_same_case_gets_the_engines_result_again_and_an_emergency_still_leads(
    anon: TestClient,
) -> None:
    from backstride.assess.casefile import case_from_data
    from backstride.assess.triage import assess
    from backstride.services.assessment import assess_case, knowledge_base

    urgent = {**CASE, "neuro": {"bladder_change": True}}
    for data in (CASE, urgent):
        first = assess_case(case_from_data(data))
        assert assess_case(case_from_data(data)) is first  # reused: the same case and base
        assert first == assess(case_from_data(data), knowledge_base())  # as computed afresh
    assert assess_case(case_from_data(urgent)).urgency == "emergency"
    sign_up(anon, "ann@example.org")
    for _round in range(2):
        answer = anon.post("/api/v1/assessments", json=urgent).json()
        assert answer["urgency"] == "emergency"


def test_a_page_kept_by_one_worker_is_served_by_another_and_follows_a_change(
    settings: Settings, anon: TestClient
) -> None:
    from backstride.web.app import create_app

    sign_up(anon, "ann@example.org")
    _kept(anon, "first words")
    for _round in range(3):
        built = anon.get("/diary")
    assert "etag" in built.headers
    with TestClient(create_app(settings), base_url=str(anon.base_url)) as other_worker:
        other_worker.cookies.update(dict(anon.cookies))
        served = other_worker.get("/diary")
        assert served.text == built.text
        assert served.headers["etag"] == built.headers["etag"]
        assert len(page_cache(other_worker).pages) == 1  # read from the first worker's file
        today = date.today().isoformat()
        anon.post("/api/v1/diary", json={"date": today, "pain": 3, "note": "second words"})
        assert "second words" in other_worker.get("/diary").text


def test_deleting_an_account_removes_its_kept_results_and_pages(
    settings: Settings, anon: TestClient
) -> None:
    from backstride.services.accounts import admin_delete

    sign_up(anon, "ann@example.org")
    bob_client = TestClient(anon.app, base_url=str(anon.base_url))
    sign_up(bob_client, "bob@example.org")
    runners = []
    for client in (anon, bob_client):
        _kept(client, "words")
        for path in PAGES:
            client.get(path)
        folders = [f for f in kept_dir(settings.home).iterdir() if f.is_dir()]
        runners.append(next(f for f in folders if f not in runners))
        assert list(runners[-1].rglob("*.pickle"))
        assert list((runners[-1] / "pages").glob("*.pickle"))
    ann_folder, bob_folder = runners
    anon.request("DELETE", "/api/v1/me", json={"password": PASSWORD}).raise_for_status()
    assert not ann_folder.exists()
    admin_delete(settings, email="bob@example.org")
    assert not bob_folder.exists()


def test_forgetting_everything_removes_every_kept_result_and_page(
    settings: Settings, client: TestClient
) -> None:
    from backstride.services.data_export import forget

    _kept(client, "words")
    for path in PAGES:
        client.get(path)
    assert list(kept_dir(settings.home).rglob("*.pickle"))
    forget(settings)
    assert not kept_dir(settings.home).exists()
