"""Interactive prompts in a real terminal (pexpect): bad numbers, typos and out-of-range
picks are refused with one plain message and asked again; no safety answer is lost."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pexpect
import pytest

from tests.conftest import run_backstride


def _spawn(home: Path, *args: str) -> pexpect.spawn:
    env = {**os.environ, "BACKSTRIDE_HOME": str(home), "COLUMNS": "100", "PYTHONHASHSEED": "0"}
    env.pop("BACKSTRIDE_DATABASE_URL", None)
    child = pexpect.spawn(
        sys.executable, ["-m", "backstride", *args], env=env, encoding="utf-8", timeout=90
    )
    child.delaybeforesend = 0.05
    return child


def _answer(child: pexpect.spawn, prompt: str, text: str) -> None:
    child.expect_exact(prompt)
    child.sendline(text)


def _refused(child: pexpect.spawn, message: str, retry: str) -> None:
    child.expect_exact(message)
    child.sendline(retry)


@pytest.mark.covers("cauda_equina")
def test_diary_add_refuses_bad_answers_and_keeps_every_red_flag_picked(home: Path) -> None:
    child = _spawn(home, "diary", "add")
    _answer(child, "Date (YYYY-MM-DD)", "2026-13-40")
    _refused(child, "Please enter a date as YYYY-MM-DD", "2026-03-04")
    _answer(child, "Pain now (0-10)", "11")
    _refused(child, "Please enter a whole number from 0 to 10.", "five")
    _refused(child, "Please enter a whole number from 0 to 10.", "5")
    _answer(child, "Worst pain today", "7x")
    _refused(child, "Please enter a whole number from 0 to 10.", "7")
    _answer(child, "Pain during your last run", "")
    _answer(child, "Pain the morning after that run", "")
    _answer(child, "Numbers, comma separated (Enter to skip)", "2, 99")
    _refused(child, "Not understood: 99.", "2")
    _answer(child, "Pain, numbness or tingling in a leg?", "maybe")
    _refused(child, "invalid input", "n")
    _answer(child, "Numbers, comma separated (Enter for none)", "1x, 14, 2")
    _refused(child, "Not understood: 1x, 14.", "1, 2")
    _answer(child, "Note (Enter to skip)", "")
    child.expect_exact("GET EMERGENCY CARE NOW")
    child.expect_exact("Saved diary entry")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    (entry,) = json.loads(run_backstride("diary", "list", "--format", "json").stdout)
    assert entry["new_red_flags"] == ["bladder_change", "bowel_change"]
    assert (entry["pain_now"], entry["pain_worst"], entry["locations"]) == (
        5,
        7,
        ["low_back_central"],
    )


CHECKLIST = "Numbers separated by commas, or Enter for none of these"


@pytest.mark.covers("cauda_equina")
def test_a_warning_sign_typed_again_after_a_typo_stops_the_interview(home: Path) -> None:
    child = _spawn(home, "assess", "--format", "json")
    _answer(child, CHECKLIST, "1x, 14")
    _refused(child, "Please answer with numbers from 1 to 8, or press Enter.", "1")
    child.expect_exact("Stopping here")
    child.expect(pexpect.EOF)
    output = child.before
    child.close()
    assert child.exitstatus == 0
    assert '"urgency": "emergency"' in output
    assert '"cauda_equina"' in output


def test_the_assessment_interview_refuses_bad_answers_and_asks_again(home: Path) -> None:
    child = _spawn(home, "assess", "--format", "json")
    _answer(child, CHECKLIST, "1x, 14")
    _refused(child, "Please answer with numbers from 1 to 8, or press Enter.", "")
    _answer(child, CHECKLIST, "")
    _answer(child, "How old are you", "abc")
    _refused(child, "Please enter a whole number.", "130")
    _refused(child, "Please enter a value from 0 to 120.", "35")
    _answer(child, "How bad is the pain now", "eleven")
    _refused(child, "Please enter a whole number.", "4")
    _answer(child, "at its worst", "")
    _answer(child, "How many days ago", "10")
    _answer(child, "How did it start?", "1x")
    _refused(child, "Please answer with the numbers shown.", "9")
    _refused(child, "Please answer with the numbers shown.", "1")
    _answer(child, "Where do you feel the pain?", "1x, 99")
    _refused(child, "Please answer with the numbers shown.", "1")
    child.expect_exact("numbness")  # the next question came: each refused answer was asked again
    child.terminate(force=True)
    child.close()
