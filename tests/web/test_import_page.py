"""Uploading activity files: limits while streaming, a background job, abuse refused."""

from __future__ import annotations

import gzip
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from backstride.config import Settings
from backstride.web.app import create_app
from tests.activity_files import gpx_bytes, straight_run
from tests.web.conftest import BASE, sign_up, wait_for_job

GPX = "application/gpx+xml"


def _client(tmp_path: Path, **limits: int) -> Iterator[TestClient]:
    settings = Settings(home=tmp_path / "home", **limits)  # type: ignore[arg-type]
    with TestClient(create_app(settings), base_url=BASE) as test_client:
        sign_up(test_client, "ann@example.org")
        yield test_client


@pytest.fixture
def tight(tmp_path: Path) -> Iterator[TestClient]:
    """An app whose single-file limit is 2 kB and request limit 1 MB."""
    yield from _client(tmp_path, max_file_bytes=2048, max_upload_bytes=1024 * 1024)


def _upload(client: TestClient, files: list[tuple[str, tuple[str, bytes, str]]]) -> dict:
    response = client.post("/api/v1/activities", files=files)
    assert response.status_code == 202, response.text
    return wait_for_job(client, response.json()["job"])


def test_a_good_run_is_imported_and_a_junk_file_is_listed_as_failed(client: TestClient) -> None:
    files = [
        ("files", ("morning.gpx", gpx_bytes([straight_run(300)]), GPX)),
        ("files", ("notes.txt", b"this is not an activity", "text/plain")),
    ]
    token = client.headers["X-CSRF-Token"]
    page = client.post(f"/import?csrf_token={token}", files=files, headers={"X-CSRF-Token": ""})
    assert page.status_code == 200  # followed to the job's page
    job_id = page.url.path.rsplit("/", 1)[-1]
    wait_for_job(client, job_id)
    done = client.get(f"/import/jobs/{job_id}").text
    assert "Imported 1, already there 0, failed 1." in done
    assert "morning.gpx" in done
    assert "notes.txt" in done
    assert "backstride-upload-" not in done  # no server paths shown
    assert 'src="/static/job.js"' in done  # the progress bar polls from a static script


def test_uploading_the_same_run_again_is_a_duplicate(client: TestClient) -> None:
    run = ("files", ("run.gpx", gpx_bytes([straight_run(300)]), GPX))
    first = _upload(client, [run])
    again = _upload(client, [run])
    assert [r["outcome"] for r in first["results"]] == ["imported"]
    assert [r["outcome"] for r in again["results"]] == ["duplicate"]
    activity_id = first["results"][0]["activity_id"]
    assert client.get(f"/api/v1/activities/{activity_id}").json()["sport"] == "running"


def test_a_file_over_the_per_file_limit_is_refused_with_one_clear_message(
    tight: TestClient,
) -> None:
    big = ("files", ("long.gpx", gpx_bytes([straight_run(400)]), GPX))
    page = tight.post("/api/v1/activities", files=[big])
    assert page.status_code == 413
    assert "long.gpx: larger than the" in page.json()["detail"]
    assert "Traceback" not in page.text


def test_a_request_declaring_more_than_the_upload_limit_is_refused_before_it_is_read(
    tight: TestClient,
) -> None:
    page = tight.post(
        "/api/v1/activities", content=b"x" * (2 * 1024 * 1024),
        headers={"content-type": "multipart/form-data; boundary=zzz"},
    )  # fmt: skip
    assert page.status_code == 413
    assert "at most 1 MB" in page.json()["detail"]


def test_a_chunked_upload_without_a_length_is_cut_off_at_the_limit(tight: TestClient) -> None:
    boundary = b"zzz"

    def body() -> Iterator[bytes]:  # no Content-Length: sent chunked
        yield b'--zzz\r\nContent-Disposition: form-data; name="files"; filename="a.fit"\r\n\r\n'
        for _ in range(64):
            yield b"\0" * (64 * 1024)  # 4 MB in total against a 1 MB request limit

    page = tight.post(
        "/api/v1/activities", content=body(),
        headers={"content-type": f"multipart/form-data; boundary={boundary.decode()}"},
    )  # fmt: skip
    assert page.status_code == 413


def test_posting_no_file_asks_for_one(client: TestClient) -> None:
    page = client.post("/api/v1/activities", files=[("other", ("x.txt", b"x", "text/plain"))])
    assert page.status_code == 422
    assert "choose at least one" in page.json()["detail"]


@pytest.mark.parametrize("name", ["../../etc/passwd.gpx", "..\\..\\boot.ini", "/abs/run.gpx"])
def test_a_file_name_with_folders_never_becomes_a_path(client: TestClient, name: str) -> None:
    job = _upload(client, [("files", (name, gpx_bytes([straight_run(300)]), GPX))])
    assert [r["outcome"] for r in job["results"]] == ["imported"]
    shown = job["results"][0]["file"]
    assert "/" not in shown
    assert "\\" not in shown


def test_two_hundred_files_in_one_upload_are_each_reported(client: TestClient) -> None:
    files = [("files", (f"junk-{i}.txt", b"not an activity", "text/plain")) for i in range(200)]
    job = _upload(client, files)
    assert job["state"] == "done"
    assert len(job["results"]) == 200
    assert {r["outcome"] for r in job["results"]} == {"failed"}


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("huge.gpx", b"\0" * (150 * 1024 * 1024))
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "payload"),
    [("bomb.gpx.gz", lambda: gzip.compress(b"\0" * (150 * 1024 * 1024), 9)),
     ("bomb.zip", _zip_bomb)],
)  # fmt: skip
def test_a_decompression_bomb_is_refused_by_name(client: TestClient, name: str, payload) -> None:  # type: ignore[no-untyped-def]
    job = _upload(client, [("files", (name, payload(), "application/octet-stream"))])
    assert job["results"][0]["outcome"] == "failed"
    assert "decompression bomb" in job["results"][0]["reason"]
