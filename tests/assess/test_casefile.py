"""Reading case files strictly: every bad value is one line naming the field and expectation."""

from __future__ import annotations

import json

import pytest

from backstride.assess.casefile import parse_case_text
from backstride.errors import InputError

BASE = {"age": 38, "pain": {"intensity": 5}}


def _with(section: str | None, key: str, value: object) -> str:
    data = json.loads(json.dumps(BASE))
    target = data if section is None else data.setdefault(section, {})
    target[key] = value
    return json.dumps(data)


#: Bad JSON case files and the start of the one line each gives.
BAD_JSON = [
    (_with(None, "age", "38"), 'age: must be an integer 0–120, got "38"'),
    (_with(None, "age", 121), "age: must be an integer 0–120, got 121"),
    (_with(None, "age", 38.0), "age: must be an integer 0–120, got 38.0"),
    (_with("pain", "intensity", 14), "pain.intensity: must be an integer 0–10, got 14"),
    (_with("pain", "intensity", 5.5), "pain.intensity: must be an integer 0–10, got 5.5"),
    (_with("pain", "intensity", True), "pain.intensity: must be an integer 0–10, got true"),
    (_with("general", "fever", "yes"), 'general.fever: must be true or false, got "yes"'),
    (_with("general", "fever", 1), "general.fever: must be true or false, got 1"),
    (_with("pain", "onset", "jogging"), "pain.onset: must be one of: after_run, during_run"),
    (_with("pain", "locations", ["knee"]), "pain.locations[0]: must be one of: low_back"),
    (
        _with("pain", "started_days_ago", -1),
        "pain.started_days_ago: must be an integer 0–43800",
    ),
    (_with("running", "weekly_km", 600), "running.weekly_km: must be a number 0–500, got 600"),
    (_with("running", "cadence_spm", "fast"), "running.cadence_spm: must be a number 60–260"),
    (_with("pain", "intensty", 3), "pain.intensty: unknown key (expected one of: intensity"),
    (_with(None, "agee", 3), "agee: unknown key (expected one of: age, sex, pain"),
    (_with(None, "rmdq", [3, 3]), "rmdq: each RMDQ statement number may appear once"),
    (_with(None, "rmdq", [25]), "rmdq[0]: must be an integer 1–24, got 25"),
    (_with(None, "start_back", [True]), "start_back: must be a list of 8 true/false"),
    (_with(None, "start_back", [True] * 9), "start_back[8]: must be a list of 8 true/false"),
    (json.dumps({"age": 38}), "pain: required, must be a mapping with keys: intensity"),
    (json.dumps({"age": 38, "pain": {}}), "pain.intensity: required, must be an integer 0–10"),
    (json.dumps([1, 2]), "case file: expected a mapping of fields"),
    ("{bad", "case.json: invalid JSON at line 1, column 2"),
]
#: Bad YAML case files and the start of the one line each gives.
BAD_YAML = [
    ("age: [\n", "case.yaml: invalid YAML at line 2, column 1"),
    ("age: 38\npain: {intensity: 5}\nseen: 2024-01-01\n", "seen: unsupported value"),
    ("age: 38\npain: {intensity: .nan}\n", "pain.intensity: unsupported value nan"),
    ("age: 38\npain: {intensity: '5'}\n", "pain.intensity: must be an integer 0–10"),
    ("- 1\n- 2\n", "case file: expected a mapping"),
    ("", "case file: expected a mapping"),
]


@pytest.mark.parametrize(
    ("fmt", "text", "message"),
    [("json", *row) for row in BAD_JSON] + [("yaml", *row) for row in BAD_YAML],
)
def test_bad_case_files_give_one_line_naming_the_field(fmt: str, text: str, message: str) -> None:
    with pytest.raises(InputError) as error:
        parse_case_text(text, fmt=fmt, name=f"case.{fmt}")
    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)


def test_the_contract_example_case_file_is_accepted_in_full() -> None:
    text = """
age: 38
sex: female
pain: {intensity: 5, worst_24h: 7, started_days_ago: 9, onset: after_run,
       locations: [low_back_central], leg_pain_worse_than_back: false,
       worse_with: [running, sitting], better_with: [movement], night_pain_unrelieved: false,
       wakes_second_half_of_night: false, morning_stiffness_minutes: 10}
neuro: {numbness_or_tingling: [], leg_weakness: none, saddle_numbness: false,
        bladder_change: false, bowel_change: false, sexual_dysfunction_new: false,
        gait_disturbance: false}
general: {fever: false, unexplained_weight_loss: false, history_of_cancer: false,
          osteoporosis: false, long_term_steroids: false, immunosuppressed: false,
          iv_drug_use: false, recent_bacterial_infection: false,
          collapse_or_pulsatile_mass: false, chest_pain: false,
          urinary_symptoms_with_flank_pain: false, family_history_spondyloarthritis: false,
          psoriasis_or_arthritis_or_enthesitis: false}
history: {self_care_weeks: 2, trend: improving, previous_episodes: 1, pain_after_every_run: false}
start_back: [true, false, false, false, false, false, false, false, slightly]
rmdq: [3, 7, 12]
running: {weekly_km: 40, weekly_km_prior: 28, runs_per_week: 4, longest_run_km: 21,
          longest_run_prior_30d_km: 14, surfaces: [asphalt, treadmill],
          surface_changed_recently: false, shoe_km: 750, shoe_pairs_in_rotation: 1,
          cadence_spm: 158, warm_up: false, cool_down: false, strength_sessions_per_week: 0,
          sitting_hours_per_day: 9, cross_training: [cycling], deadlifts: false,
          standing_hours_per_day: 2}
"""
    case = parse_case_text(text, fmt="yaml", name="case.yaml")
    assert case.pain.locations == ("low_back_central",)
    assert case.start_back is not None
    assert case.start_back[8] == "slightly"
    assert case.running.cadence_spm == 158


def test_whole_numbers_are_accepted_where_a_decimal_is_expected() -> None:
    case = parse_case_text(_with("history", "self_care_weeks", 2), fmt="json", name="c")
    assert case.history.self_care_weeks == 2.0
