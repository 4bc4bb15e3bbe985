"""Commands that behave: no empty charts, no binary on a terminal, progress that explains
itself, and the plan a person was shown kept for the clinician report."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pexpect

from tests.activity_files import gpx_bytes, straight_run
from tests.cli.test_plan_cli import FIXED, SELF_CARE
from tests.conftest import run_backstride

# straight_run's points start on 2021-05-02 (the GPX fixture's first timestamp).
RUN_DAY = "2021-05-02"


def test_a_load_chart_of_a_period_without_runs_says_so_and_why(home: Path, tmp_path: Path) -> None:
    run = tmp_path / "run.gpx"
    run.write_bytes(gpx_bytes([straight_run(600)]))
    assert run_backstride("import", str(run), env={"TZ": "UTC"}).code == 0
    out = tmp_path / "load.png"
    args = ("chart", "load", "--out", str(out), "--since", "2026-01-01", "--as-of", "2026-06-30")
    result = run_backstride(*args, env={"TZ": "UTC"})
    assert result.code == 2
    assert result.stderr.strip() == (
        "backstride: error: no runs between 2026-01-01 and 2026-06-30, so there is no load to "
        f"draw (your imported runs are from {RUN_DAY} to {RUN_DAY}): "
        "choose that period with --since and --as-of"
    )
    assert not out.exists()
    inside = run_backstride(
        "chart", "load", "--out", str(out), "--since", RUN_DAY, "--as-of", RUN_DAY,
        env={"TZ": "UTC"},
    )  # fmt: skip
    assert inside.code == 0, inside.stderr
    assert out.read_bytes().startswith(b"\x89PNG")


def test_a_pdf_plan_is_refused_on_a_terminal_and_written_to_a_pipe(home: Path) -> None:
    args = ["-m", "backstride", "plan", "--input", SELF_CARE, "--format", "pdf", *FIXED]
    child = pexpect.spawn(sys.executable, args, env=dict(os.environ), timeout=60)
    child.expect(pexpect.EOF)
    child.close()
    text = child.before.decode()
    assert child.exitstatus == 2
    assert "%PDF" not in text
    assert "backstride: error: --format pdf makes a file, not text for the terminal" in text
    piped = subprocess.run([sys.executable, *args], capture_output=True, timeout=120, check=False)
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout.startswith(b"%PDF-")


def test_the_plan_a_person_was_shown_is_in_the_clinician_report(home: Path, tmp_path: Path) -> None:
    assert run_backstride("plan", "--input", SELF_CARE, *FIXED).code == 0
    out = tmp_path / "report.html"
    assert run_backstride("report", "--format", "html", "--out", str(out)).code == 0
    html = out.read_text(encoding="utf-8")
    assert "No plan has been stored." not in html


def _log(pains: list[int], first: date) -> date:
    for offset, pain in enumerate(pains):
        day = (first + timedelta(days=offset)).isoformat()
        added = run_backstride("diary", "add", "--date", day, "--pain", str(pain))
        assert added.code == 0, added.stderr
    return first + timedelta(days=len(pains) - 1)


def test_progress_from_four_entries_shows_the_change_since_the_first_and_explains_it(
    home: Path,
) -> None:
    last = _log([5, 4, 4, 3], date(2026, 3, 2))
    result = run_backstride("progress", "--today", last.isoformat())
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "Pain at the start: 5.0 (your first diary entry, on 2026-03-02)" in lines
    assert "Pain now: 4.0 (the average of the 4 diary day(s) from 2026-02-27 to 2026-03-05)" in (
        lines
    )
    assert (
        "Change: -1.0 points (better, not yet a meaningful change: a drop of 2 points or "
        "30 % counts)" in lines
    )
    assert "Trend: getting better" in lines


def test_a_long_diary_compares_its_first_week_with_the_last(home: Path) -> None:
    last = _log([6] * 7 + [5] * 7 + [3] * 7, date(2026, 3, 2))
    result = run_backstride("progress", "--today", last.isoformat())
    assert "Pain at the start: 6.0 (the average of your first diary week, from 2026-03-02)" in (
        result.stdout
    )
    assert "Change: -3.0 points (a meaningful improvement" in result.stdout
