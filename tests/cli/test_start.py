"""`backstride start` driven end to end through a real terminal (a pty), as a person would."""

from __future__ import annotations

import os
import sqlite3
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pexpect
import pytest
import yaml

from backstride.knowledge import load_knowledge_base
from tests.activity_files import gpx_bytes, straight_run
from tests.cli.interview_driver import interview

VIGNETTES = Path(__file__).resolve().parents[1] / "assess" / "vignettes.yaml"
#: A self-care runner who gave running answers: a 24 km long run after 16 km, 600 km shoes.
RUNNER: dict[str, Any] = {
    "age": 35,
    "pain": {"intensity": 4, "started_days_ago": 10, "onset": "after_run",
             "locations": ["low_back_central"], "worse_with": ["running"]},
    "running": {"weekly_km": 40, "longest_run_km": 24, "longest_run_prior_30d_km": 16,
                "shoe_km": 600},
}  # fmt: skip


def _spawn(home: Path) -> pexpect.spawn:
    env = {**os.environ, "BACKSTRIDE_HOME": str(home), "COLUMNS": "120", "TERM": "dumb"}
    env.pop("BACKSTRIDE_DATABASE_URL", None)
    return pexpect.spawn(
        sys.executable, ["-m", "backstride", "start"], env=env, timeout=60,
        dimensions=(40, 120), encoding="utf-8",
    )  # fmt: skip


def _answer_check(child: pexpect.spawn, case: dict[str, Any]) -> None:
    for turn in interview(case, load_knowledge_base()):
        child.expect_exact(turn.prompt)
        child.expect(r"\]?: ")
        child.sendline(turn.typed)


def _rows(home: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(home / "backstride.sqlite3") as db:
        return db.execute(sql).fetchall()


@pytest.fixture
def runner_home(tmp_path: Path) -> Path:
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


def test_a_new_runner_goes_from_the_check_to_a_saved_plan_and_training_files(
    runner_home: Path, tmp_path: Path
) -> None:
    run = tmp_path / "run.gpx"  # run yesterday: recent training the plan must take in
    yesterday = datetime.combine(date.today() - timedelta(days=1), datetime.min.time(), UTC)
    run.write_bytes(gpx_bytes([straight_run(900)], start=yesterday.replace(hour=7)))
    child = _spawn(runner_home)
    child.expect_exact("Welcome to backstride.")
    _answer_check(child, RUNNER)
    child.expect_exact("Make your plan now?")
    child.sendline("y")
    for text in ("Your back and running plan", "This week", "Made for you", "Safety net"):
        child.expect_exact(text)
    child.expect_exact("Path to a file, folder or export (Enter to skip)")
    child.sendline(str(tmp_path / "nowhere.fit"))
    child.expect_exact("There is no file or folder at")
    child.expect_exact("(Enter to skip)")
    child.sendline(str(run))
    child.expect(r"took in .*run\.gpx - \d{4}-\d\d-\d\d running \d+\.\d km")
    child.expect_exact("Your plan is re-tailored to your training")
    child.expect_exact("backstride diary add")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    (case_json,) = _rows(runner_home, 'select "case" from assessment')[0:1]
    assert '"longest_run_km": 24' in case_json[0]
    (profile,) = _rows(runner_home, "select profile from runner")[0]
    assert '"shoe_km": 600' in profile
    plans = _rows(runner_home, "select plan from plan_snapshot")
    # The plan re-derived after the import is the same plan (one easy 3 km run changes none of
    # it), and the same plan given again adds no snapshot: the runner's plan as given stays.
    assert len(plans) == 1
    assert "One run much longer than usual" in plans[0][0]  # 24 km after 16 km
    assert "Check your shoes" in plans[0][0]  # 600 km on them


def test_coming_back_gives_a_check_in_instead_of_a_new_check(
    runner_home: Path,
) -> None:
    first = _spawn(runner_home)
    _answer_check(first, RUNNER)
    first.expect_exact("Make your plan now?")
    first.sendline("n")
    first.expect(pexpect.EOF)
    first.close()
    again = _spawn(runner_home)
    again.expect_exact("Do a quick check-in instead of a new check?")
    again.sendline("")
    again.expect_exact("How bad is the pain now")
    again.sendline("eleven")
    again.expect_exact("How bad is the pain now")
    again.sendline("2")
    again.expect_exact("Numbers separated by commas (Enter for none)")
    again.sendline("99")
    again.expect_exact("Please answer with numbers from 1 to")
    again.sendline("")
    again.expect_exact("Saved in your diary.")
    again.expect_exact("Pain at the start: 4.0 (your pain at the check on")
    again.expect_exact("Change: -2.0 points")
    again.expect(pexpect.EOF)
    again.close()
    assert again.exitstatus == 0
    assert _rows(runner_home, "select pain_now from diary_entry") == [(2,)]


def test_an_emergency_answer_ends_start_with_what_to_do_now(runner_home: Path) -> None:
    vignettes = yaml.safe_load(VIGNETTES.read_text(encoding="utf-8"))["vignettes"]
    case = next(v["case"] for v in vignettes if v["id"] == "cauda_equina_bladder")
    child = _spawn(runner_home)
    _answer_check(child, case)
    child.expect_exact("EMERGENCY")
    child.expect(pexpect.EOF)
    child.close()
    assert "Make your plan now?" not in (child.before or "")
    assert _rows(runner_home, "select count(*) from plan_snapshot") == [(0,)]
