"""`backstride activity list` and `activity tag`: the runner names a run's surface."""

from __future__ import annotations

import re
from pathlib import Path

from tests.activity_files import gpx_bytes, straight_run
from tests.conftest import run_backstride


def _one_stored_run(tmp_path: Path) -> int:
    run = tmp_path / "easy.gpx"
    run.write_bytes(gpx_bytes([straight_run(600)]))
    assert run_backstride("import", str(run)).code == 0
    listed = run_backstride("activity", "list")
    assert listed.code == 0
    found = re.search(r"#(\d+) ", listed.stdout)
    assert found, listed.stdout
    return int(found.group(1))


def test_an_empty_store_lists_no_activity_and_says_how_to_import(home: Path) -> None:
    result = run_backstride("activity", "list")
    assert result.code == 0
    assert "backstride import" in result.stdout


def test_a_tagged_surface_is_listed_and_can_be_cleared(home: Path, tmp_path: Path) -> None:
    activity_id = _one_stored_run(tmp_path)
    assert run_backstride("activity", "tag", str(activity_id), "--surface", "trail").code == 0
    assert "surface: trail" in run_backstride("activity", "list").stdout
    assert run_backstride("activity", "tag", str(activity_id), "--clear").code == 0
    assert "surface: trail" not in run_backstride("activity", "list").stdout


def test_an_unknown_surface_or_id_is_one_line_and_exit_2(home: Path, tmp_path: Path) -> None:
    activity_id = _one_stored_run(tmp_path)
    bad_surface = run_backstride("activity", "tag", str(activity_id), "--surface", "lava")
    assert bad_surface.code == 2
    assert "--surface" in bad_surface.stderr
    assert len(bad_surface.stderr.strip().splitlines()) == 1
    missing = run_backstride("activity", "tag", "99999", "--surface", "trail")
    assert missing.code == 2
    assert "99999" in missing.stderr
    assert "Traceback" not in missing.stderr
