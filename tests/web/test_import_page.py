"""Uploading activity files through the web app: limits first, one bad file never stops the rest."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from backstride.config import Settings
from backstride.web.app import create_app
from tests.ingest.test_gpx import gpx_bytes, straight_run


def _small_limits(tmp_path: Path, **limits: int) -> Iterator[TestClient]:
    settings = Settings(home=tmp_path / "home", **limits)  # type: ignore[arg-type]
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def tight(tmp_path: Path) -> Iterator[TestClient]:
    """An app whose single-file limit is 2 kB and request limit 1 MB."""
    yield from _small_limits(tmp_path, max_file_bytes=2048, max_upload_bytes=1024 * 1024)


def test_a_good_run_is_imported_and_a_junk_file_is_listed_as_failed(client: TestClient) -> None:
    files = [
        ("files", ("morning.gpx", gpx_bytes([straight_run(300)]), "application/gpx+xml")),
        ("files", ("notes.txt", b"this is not an activity", "text/plain")),
    ]
    page = client.post("/import", files=files)
    assert page.status_code == 200
    assert "Imported 1, already there 0, failed 1." in page.text
    assert "morning.gpx" in page.text
    assert "notes.txt" in page.text
    assert "backstride-upload-" not in page.text  # no server paths shown


def test_uploading_the_same_run_again_is_a_duplicate(client: TestClient) -> None:
    run = ("files", ("run.gpx", gpx_bytes([straight_run(300)]), "application/gpx+xml"))
    client.post("/import", files=[run])
    again = client.post("/import", files=[run])
    assert "Imported 0, already there 1, failed 0." in again.text


def test_a_file_over_the_per_file_limit_is_refused_with_one_clear_message(
    tight: TestClient,
) -> None:
    big = ("files", ("long.gpx", gpx_bytes([straight_run(400)]), "application/gpx+xml"))
    page = tight.post("/import", files=[big])
    assert page.status_code == 413
    assert "long.gpx: larger than the" in page.text
    assert "Traceback" not in page.text


def test_a_request_over_the_upload_limit_is_refused_before_it_is_read(tight: TestClient) -> None:
    body = b"x" * (2 * 1024 * 1024)
    page = tight.post(
        "/import", content=body,
        headers={"content-type": "multipart/form-data; boundary=zzz"},
    )  # fmt: skip
    assert page.status_code == 413
    assert "per request" in page.text


def test_posting_no_file_asks_for_one(client: TestClient) -> None:
    page = client.post("/import", data={"nothing": "here"})
    assert page.status_code == 422
    assert "choose at least one" in page.text
