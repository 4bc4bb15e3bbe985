"""`backstride assess` through the real entry point: files, stdin, errors and the questionnaire."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from backstride.knowledge import load_knowledge_base
from backstride.knowledge.texts import intended_purpose
from tests.cli.interview_driver import interview
from tests.conftest import run_backstride

CASE = {
    "age": 38,
    "pain": {"intensity": 5, "started_days_ago": 9, "onset": "after_run",
             "locations": ["low_back_central"], "worse_with": ["running"]},
    "start_back": [True, False, False, False, False, False, False, False, "slightly"],
    "rmdq": [3, 7, 12],
}  # fmt: skip


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _interview(
    *,
    locations: tuple[str, ...] = ("low_back_central",),
    leg: bool = False,
    rmdq: bool = False,
    running: bool = False,
) -> str:
    """What a person types for a self-care runner (the driver follows the real skip logic)."""
    pain = {
        "intensity": 4,
        "started_days_ago": 10,
        "onset": "after_run",
        "locations": list(locations),
        "worse_with": ["running"],
        "better_with": ["movement"],
    }
    case: dict[str, object] = {
        "age": 35,
        "pain": pain,
        "start_back": [True, *[False] * 7, "slightly"],
    }
    if leg:
        pain["leg_pain_worse_than_back"] = True
        case["neuro"] = {"numbness_or_tingling": ["below_knee_left"]}
    if running:
        case["running"] = {"weekly_km": 42, "runs_per_week": 4, "sitting_hours_per_day": 8}
    if rmdq:
        case["rmdq"] = [3, 7, 12]
    return "\n".join(turn.typed for turn in interview(case, load_knowledge_base())) + "\n"


@pytest.mark.covers("urgency.self_care", "pattern.nonspecific", "startback", "rmdq")
def test_json_format_prints_the_contract_result_and_nothing_else(home: Path) -> None:
    case = _write(home, "case.yaml", yaml.safe_dump(CASE))
    result = run_backstride("assess", "--input", str(case), "--format", "json")
    assert result.code == 0
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert list(data)[:10] == [
        "urgency", "action", "red_flags", "referral_reasons", "duration", "patterns",
        "start_back", "rmdq", "reasons", "weak_flags",
    ]  # fmt: skip
    assert data["urgency"] == "self_care"
    assert data["start_back"] == {"total": 1, "psychosocial": 0, "risk": "low"}
    assert data["rmdq"] == {"score": 3}
    assert set(data["knowledge_base"]) == {"version", "digest"}


def test_json_on_stdin_is_read_with_a_dash(home: Path) -> None:
    result = run_backstride("assess", "--input", "-", "--format", "json",
                            input_text=json.dumps(CASE))  # fmt: skip
    assert result.code == 0
    assert json.loads(result.stdout)["duration"] == "acute"


def test_the_same_case_gives_byte_identical_json_in_two_processes(home: Path) -> None:
    case = _write(home, "case.json", json.dumps({**CASE, "general": {"fever": True}}))
    first = run_backstride("assess", "--input", str(case), "--format", "json")
    second = run_backstride("assess", "--input", str(case), "--format", "json")
    assert first.code == second.code == 0
    assert first.stdout == second.stdout


@pytest.mark.covers("infection", "urgency.urgent")
def test_terminal_output_puts_the_action_first_then_why_sources_and_purpose(home: Path) -> None:
    case = _write(home, "case.json", json.dumps({**CASE, "general": {"fever": True}}))
    result = run_backstride("assess", "--input", str(case))
    assert result.code == 0
    out = result.stdout
    first_lines = "\n".join(out.splitlines()[:3])
    assert "URGENT" in first_lines
    assert "See a doctor today" in first_lines
    assert out.index("See a doctor today") < out.index("What we found") < out.index("Sources")
    assert "National Institute for Health and Care Excellence" in out
    assert " ".join(intended_purpose(load_knowledge_base()).split()[:8]) in " ".join(out.split())


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("case.yaml", "age: [\n", "case.yaml: invalid YAML"),
        ("case.json", "{not json", "case.json: invalid JSON"),
        ("case.json", '{"age": 38, "pain": {"intensity": 14}}',
         "pain.intensity: must be an integer 0–10, got 14"),
        ("case.json", '{"age": 38, "pain": {"intensity": 5}, "painn": {}}', "painn: unknown key"),
        ("case.yaml", "age: 38\npain: {intensity: 5, onset: fell}\n", "pain.onset: must be one of"),
        ("case.json", '{"age": "38", "pain": {"intensity": 5}}',
         'age: must be an integer 0–120, got "38"'),
        ("case.json", '{"age": 38, "pain": {"intensity": 5}, "general": {"fever": "yes"}}',
         "general.fever: must be true or false"),
        ("case.json", '{"age": 38, "pain": {"intensity": 5.5}}',
         "pain.intensity: must be an integer"),
        ("case.txt", "age: 38", "--input: expected a .yaml, .yml or .json file"),
    ],
)  # fmt: skip
def test_bad_input_exits_2_with_one_line_naming_the_field_and_nothing_on_stdout(
    name: str, text: str, message: str, home: Path
) -> None:
    case = _write(home, name, text)
    result = run_backstride("assess", "--input", str(case), "--format", "json")
    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"backstride: error: {message}")
    assert "Traceback" not in result.stderr


def test_a_missing_case_file_exits_2_naming_the_file(home: Path) -> None:
    result = run_backstride("assess", "--input", str(home / "nowhere.yaml"))
    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr == f"backstride: error: --input: file not found: {home / 'nowhere.yaml'}\n"


def test_bad_json_on_stdin_exits_2(home: Path) -> None:
    result = run_backstride("assess", "--input", "-", input_text='{"age": 38}')
    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("backstride: error: pain: required")


@pytest.mark.covers("cauda_equina", "urgency.emergency")
def test_an_emergency_answer_ends_the_questionnaire_with_the_action(home: Path) -> None:
    result = run_backstride("assess", "--format", "json", input_text="1\n")  # bladder
    assert result.code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["urgency"] == "emergency"
    assert data["red_flags"] == ["cauda_equina"]
    assert "emergency department" in data["action"]
    assert "How old are you" not in result.stderr


@pytest.mark.covers("vascular_or_visceral_mimic")
def test_emergency_questions_come_before_anything_else(home: Path) -> None:
    # none of the nerve signs; then chest pain, the last of the other emergency signs
    result = run_backstride("assess", input_text="\n3\n")
    assert result.code == 0
    assert "EMERGENCY" in result.stdout.splitlines()[0]
    assert "emergency department" in result.stdout.splitlines()[1]
    assert "How old are you" not in result.stderr


@pytest.mark.covers("pattern.nonspecific", "startback", "rmdq", "urgency.self_care")
def test_a_full_questionnaire_saves_a_case_file_that_assesses_the_same(home: Path) -> None:
    saved = home / "answers.yaml"
    result = run_backstride("assess", "--format", "json", "--save", str(saved),
                            input_text=_interview(rmdq=True, running=True))  # fmt: skip
    assert result.code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["urgency"] == "self_care"
    assert data["start_back"] == {"total": 1, "psychosocial": 0, "risk": "low"}
    assert data["rmdq"] == {"score": 3}
    case = yaml.safe_load(saved.read_text(encoding="utf-8"))
    assert case["age"] == 35
    assert case["rmdq"] == [3, 7, 12]
    assert case["running"] == {"running_now": True, "weekly_km": 42.0, "runs_per_week": 4,
                               "sitting_hours_per_day": 8.0}  # fmt: skip
    again = run_backstride("assess", "--input", str(saved), "--format", "json")
    assert again.stdout == result.stdout


def test_the_questionnaire_shows_keele_wording_and_copyright_line(home: Path) -> None:
    result = run_backstride("assess", input_text=_interview())
    assert result.code == 0, result.stderr
    assert "© Keele University 01/08/07" in result.stderr
    assert "I feel that my back pain is terrible and it’s never going to get any better" in (
        result.stderr
    )
    assert " 4. Very much" in result.stderr
    assert "Roland-Morris" in result.stderr


def test_leg_questions_are_skipped_without_leg_pain(home: Path) -> None:
    result = run_backstride("assess", "--format", "json", input_text=_interview())
    assert result.code == 0, result.stderr
    assert "leg pain worse than the back pain" not in result.stderr


@pytest.mark.covers("referral.radicular", "pattern.radicular")
def test_leg_questions_are_asked_with_leg_pain_and_feed_the_assessment(home: Path) -> None:
    # pain in the low back and below the left knee; leg worse, numb below knee, no weakness
    text = _interview(locations=("low_back_central", "below_knee_left"), leg=True)
    result = run_backstride("assess", "--format", "json", input_text=text)
    assert result.code == 0, result.stderr
    assert "leg pain worse than the back pain" in result.stderr
    data = json.loads(result.stdout)
    assert data["referral_reasons"] == ["radicular"]
    assert data["patterns"][0] == "radicular"


def test_start_leads_into_the_questionnaire(home: Path) -> None:
    result = run_backstride("start", input_text="1\n")
    assert result.code == 0, result.stderr
    assert "emergency department" in result.stdout


def test_running_out_of_answers_stops_without_a_traceback(home: Path) -> None:
    result = run_backstride("assess", input_text="n\nn\n")
    assert result.code != 0
    assert "Traceback" not in result.stderr


def test_save_with_an_input_file_writes_a_case_file_that_round_trips(home: Path) -> None:
    source = _write(home, "case.json", json.dumps(CASE))
    saved = home / "copy.json"
    first = run_backstride("assess", "-i", str(source), "-f", "json", "--save", str(saved))
    assert first.code == 0, first.stderr
    assert json.loads(saved.read_text(encoding="utf-8"))["pain"]["onset"] == "after_run"
    again = run_backstride("assess", "-i", str(saved), "-f", "json")
    assert again.stdout == first.stdout


def test_pain_in_one_leg_and_numbness_in_the_other_stops_the_interview_as_an_emergency(
    home: Path,
) -> None:
    # pain below the right knee, numbness below the left knee (leg=True)
    text = _interview(locations=("low_back_central", "below_knee_right"), leg=True)
    result = run_backstride("assess", "--format", "json", input_text=text)
    assert result.code == 0, result.stderr
    assert "Stopping here" in result.stderr
    data = json.loads(result.stdout)
    assert (data["urgency"], data["red_flags"]) == ("emergency", ["cauda_equina"])
    assert data["safety_net"] is None
