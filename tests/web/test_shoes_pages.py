"""Shoes on the web: add a pair, change or retire it and record it for a range of runs, with
the same service as `backstride shoes`; bad answers are refused in plain words and kept."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

from backstride.errors import NotFoundError
from backstride.services import analysis, store
from tests.web.conftest import BASE, sign_up, wait_for_job
from tests.web.ui_world import loop_gpx


def _shoe_ids(client: TestClient) -> dict[str, str]:
    """The listed pairs: name -> id."""
    page = client.get("/training/shoes").text
    found = re.findall(r'href="/training/shoes/(\d+)"><strong>([^<]+)</strong>', page)
    return {html.unescape(name): shoe_id for shoe_id, name in found}


def _add(client: TestClient, **data: str) -> str:
    response = client.post("/training/shoes", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text
    return _shoe_ids(client)[data["name"]]


def test_a_pair_added_on_the_page_is_the_one_the_command_line_lists(
    client: TestClient,
) -> None:
    _add(client, name="Blue trainers", brand="Acme", model="Glide 3", start_km="42.5",
         first_worn=(date.today() - timedelta(days=30)).isoformat())  # fmt: skip
    page = client.get("/training/shoes").text
    assert "Blue trainers" in page
    assert "Acme Glide 3" in page
    assert "42 km" in page
    (line,) = analysis.list_shoes(client.app.state.settings, today=date.today()).shoes  # type: ignore[attr-defined]
    assert (line.name, line.brand, line.model, line.start_km) == ("Blue trainers", "Acme",
                                                                  "Glide 3", 42.5)  # fmt: skip
    assert line.added_on == date.today() - timedelta(days=30)
    assert 'href="/training/shoes"' in client.get("/training").text  # found from training


@pytest.mark.parametrize(
    ("data", "said"),
    [({"name": "  "}, "Please give the shoes a name"),
     ({"name": "Red", "start_km": "lots"}, "you typed “lots”"),
     ({"name": "Red", "start_km": "-5"}, "from 0 to 5000"),
     ({"name": "Red", "first_worn": "9999-01-01"}, "cannot be in the future"),
     ({"name": "Red", "first_worn": "1900-01-01"}, "must be on or after"),
     ({"name": "Red", "first_worn": "someday"}, "is not a date"),
     ({"name": "blue TRAINERS"}, "You already have shoes named “Blue trainers”"),
     ({"name": "Red", "brand": "x" * 201}, "The brand can be at most 200 characters")],
)  # fmt: skip
def test_a_bad_answer_is_refused_in_plain_words_and_what_was_typed_stays(
    client: TestClient, data: dict[str, str], said: str
) -> None:
    _add(client, name="Blue trainers")
    response = client.post("/training/shoes", data={"model": "Kept model"} | data)
    assert response.status_code == 422
    assert said in html.unescape(response.text)
    assert 'value="Kept model"' in response.text
    assert "start_km" not in re.sub(r"<[^>]+>", "", response.text)  # no internal field names
    assert list(_shoe_ids(client)) == ["Blue trainers"]  # nothing was added


def test_a_pair_can_be_renamed_retired_and_put_back_in_use(client: TestClient) -> None:
    shoe_id = _add(client, name="Old road", start_km="100")
    form = {"name": "Old road shoes", "brand": "", "model": "", "start_km": "150",
            "retired": "yes"}  # fmt: skip
    assert client.post(f"/training/shoes/{shoe_id}", data=form).status_code == 200
    (line,) = analysis.list_shoes(client.app.state.settings, today=date.today()).shoes  # type: ignore[attr-defined]
    assert (line.name, line.start_km, line.retired) == ("Old road shoes", 150.0, True)
    assert "retired" in client.get("/training/shoes").text
    back = form | {"retired": ""}
    client.post(f"/training/shoes/{shoe_id}", data=back)
    (line,) = analysis.list_shoes(client.app.state.settings, today=date.today()).shoes  # type: ignore[attr-defined]
    assert not line.retired


def test_a_bad_change_keeps_what_was_typed_and_changes_nothing(client: TestClient) -> None:
    shoe_id = _add(client, name="Trail")
    _add(client, name="Road")
    typed = {"name": "road", "brand": "Typed brand", "start_km": "3"}
    response = client.post(f"/training/shoes/{shoe_id}", data=typed)
    assert response.status_code == 422
    assert "You already have shoes named “Road”" in html.unescape(response.text)
    assert 'value="Typed brand"' in response.text
    assert 'value="road"' in response.text
    assert list(_shoe_ids(client)) == ["Trail", "Road"]


def test_recording_a_pair_for_a_range_of_runs_adds_their_distance(client: TestClient) -> None:
    today = date.today()
    files = [("files", (f"run{back}.gpx", loop_gpx(today - timedelta(days=back), km=5,
              minutes=30), "application/gpx+xml")) for back in (2, 9, 40)]  # fmt: skip
    wait_for_job(client, client.post("/api/v1/activities", files=files).json()["job"])
    shoe_id = _add(client, name="Daily")
    since = (today - timedelta(days=14)).isoformat()
    response = client.post(f"/training/shoes/{shoe_id}/runs",
                           data={"since": since, "until": today.isoformat()})  # fmt: skip
    assert response.status_code == 200
    assert "Recorded for 2 runs." in response.text
    (line,) = analysis.list_shoes(client.app.state.settings, today=today).shoes  # type: ignore[attr-defined]
    runs = client.get("/api/v1/activities").json()["activities"]
    in_range = [r["distance_m"] for r in runs if r["start_time"][:10] >= since]
    assert line.runs == 2
    assert line.distance_km == pytest.approx(sum(in_range) / 1000)
    wrong = client.post(f"/training/shoes/{shoe_id}/runs",
                        data={"since": today.isoformat(), "until": since})  # fmt: skip
    assert wrong.status_code == 422
    assert "cannot be before the first day" in wrong.text
    assert f'value="{since}"' in wrong.text
    assert 'value="Daily"' in wrong.text


def test_the_shoe_forms_refuse_a_write_without_the_csrf_token(client: TestClient) -> None:
    shoe_id = _add(client, name="Guarded")
    token = client.headers.pop("X-CSRF-Token")
    sneaky = {"name": "Sneaky", "retired": "yes"}
    for path, data in (("/training/shoes", sneaky), (f"/training/shoes/{shoe_id}", sneaky)):
        assert client.post(path, data=data, follow_redirects=False).status_code == 403
    client.headers["X-CSRF-Token"] = token
    assert list(_shoe_ids(client)) == ["Guarded"]


def _one_run(client: TestClient) -> str:
    run = loop_gpx(date.today() - timedelta(days=1), km=5, minutes=30)
    job = client.post(
        "/api/v1/activities", files=[("files", ("r.gpx", run, "application/gpx+xml"))]
    )
    return str(wait_for_job(client, job.json()["job"])["results"][0]["activity_id"])


def test_a_run_is_given_its_shoes_on_its_own_page(client: TestClient) -> None:
    activity_id = _one_run(client)
    assert "Add your shoes" in client.get(f"/training/activities/{activity_id}").text
    shoe_id = _add(client, name="Racers")
    page = client.get(f"/training/activities/{activity_id}").text
    assert "Which shoes did you run in?" in page
    saved = client.post(f"/training/activities/{activity_id}/shoe", data={"shoe_id": shoe_id})
    assert saved.status_code == 200
    assert "<dd>Racers</dd>" in saved.text
    (line,) = analysis.list_shoes(client.app.state.settings, today=date.today()).shoes  # type: ignore[attr-defined]
    assert line.runs == 1


def test_another_runners_run_or_shoes_cannot_be_paired(client: TestClient) -> None:
    mine = _one_run(client)
    my_shoe = _add(client, name="Mine")
    settings = client.app.state.settings  # type: ignore[attr-defined]
    with TestClient(client.app, base_url=BASE) as other:
        them = sign_up(other, "other@example.org")
        their_shoe = _add(other, name="Theirs")
        assert other.post(f"/training/activities/{mine}/shoe",
                          data={"shoe_id": their_shoe}).status_code == 404  # fmt: skip
        theirs = _one_run(other)
        assert client.post(f"/training/activities/{theirs}/shoe",
                           data={"shoe_id": my_shoe}).status_code == 404  # fmt: skip
        assert client.post(f"/training/activities/{mine}/shoe",
                           data={"shoe_id": their_shoe}).status_code == 404  # fmt: skip
    with store.acting_as(int(them["id"])), pytest.raises(NotFoundError):
        analysis.assign_shoe(settings, name="Theirs", activity_ids=[int(mine)])
    assert all(s.runs == 0 for s in analysis.list_shoes(settings, today=date.today()).shoes)
