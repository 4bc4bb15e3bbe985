"""Every exercise has its own picture, drawn from its pose data, in the position it names."""

from __future__ import annotations

import math
import re
from html import unescape

import pytest

from backstride.knowledge import load_knowledge_base
from backstride.knowledge.content import Exercise, Pose
from backstride.report.exercise_figure import TOUCH, Figure, exercise_svg, figure_points
from backstride.report.html import plan_html
from tests.plan.report_plans import plan_for

KB = load_knowledge_base()
EXERCISES = KB.of(Exercise)


def position_of(figure: Figure) -> str:
    """The body position the drawn figure is in, judged only from what touches the floor."""
    touching = figure.touching()
    knees = sum(1 for _, y in figure.knees if y < TOUCH)
    hands = bool({"hand", "elbow"} & touching)
    dx, dy = figure.shoulder[0] - figure.hip[0], figure.shoulder[1] - figure.hip[1]
    flat = math.degrees(math.atan2(abs(dy), abs(dx))) <= 35
    lying = ("hip" in touching and {"back", "head", "elbow", "hand"} & touching) or {
        "back", "foot"} <= touching  # fmt: skip
    if flat and lying:
        up = math.sin(math.radians(figure.face))
        return "supine" if up > 0.4 else "prone" if up < -0.4 else "side_lying"
    if knees and hands:
        return "quadruped" if figure.hip[1] > 15 else "kneeling"
    if knees:
        return "kneeling" if knees == 2 else "half_kneeling"
    if hands and "foot" in touching and figure.hip[1] > 5:
        return "plank"
    if "hip" in touching:
        return "sitting"
    return "standing" if touching == {"foot"} else f"unclear: {sorted(touching)}"


def _poses(exercise: Exercise) -> list[Pose]:
    assert exercise.picture is not None
    return [p for p in (exercise.picture.start, exercise.picture.end) if p is not None]


def test_every_exercise_has_a_picture_with_a_plain_description() -> None:
    missing = [e.id for e in EXERCISES if e.picture is None]
    assert missing == []
    for exercise in EXERCISES:
        svg = exercise_svg(exercise)
        label = unescape(re.search(r'aria-label="([^"]+)"', svg).group(1))  # type: ignore[union-attr]
        assert svg.startswith("<svg")
        assert 'role="img"' in svg
        assert label.startswith(exercise.name)
        assert f"<title>{svg.split('<title>')[1]}" in svg
        assert not re.search(r"\b[a-z]+_[a-z_]+\b", label), label  # no ids in what people read


def test_no_two_exercises_share_a_picture() -> None:
    drawings: dict[str, str] = {}
    for exercise in EXERCISES:
        body = re.sub(r"<title>.*?</title>|aria-label=\"[^\"]*\"", "", exercise_svg(exercise))
        assert body not in drawings, f"{exercise.id} looks exactly like {drawings.get(body)}"
        drawings[body] = exercise.id
    assert len(drawings) == len(EXERCISES)


@pytest.mark.parametrize("exercise", EXERCISES, ids=[e.id for e in EXERCISES])
def test_each_drawn_pose_is_in_the_position_the_knowledge_base_names(exercise: Exercise) -> None:
    for pose in _poses(exercise):
        assert position_of(figure_points(pose)) == pose.position


@pytest.mark.parametrize(
    ("exercise_id", "position"),
    [("bird-dog", "quadruped"), ("hip-hinge-dowel", "standing"), ("cat-cow", "quadruped"),
     ("glute-bridge", "supine"), ("prone-press-up", "prone"), ("side-lying-hip-abduction",
     "side_lying"), ("hip-flexor-stretch", "half_kneeling"), ("walking", "standing")],
)  # fmt: skip
def test_known_exercises_are_drawn_the_way_they_are_done(exercise_id: str, position: str) -> None:
    exercise = KB.one(Exercise, exercise_id)
    assert [p.position for p in _poses(exercise)] == [position] * len(_poses(exercise))


def test_a_misdrawn_pose_is_caught() -> None:
    lying = Pose(position="quadruped", torso=180, head=155, face=90, arm=(0, 0),
                 forearm=(0, 0), thigh=(55, 55), shin=(300, 300))  # fmt: skip
    assert position_of(figure_points(lying)) == "supine"


def test_start_and_end_differ_and_the_plan_shows_each_exercise_its_own_picture() -> None:
    for exercise in EXERCISES:
        poses = _poses(exercise)
        assert len(poses) == 1 or poses[0] != poses[1], exercise.id
    plan = plan_for("self_care_runner")
    html = plan_html(plan, KB)
    shown = {p.exercise_id for day in plan.days for p in day.exercises}
    assert shown
    for exercise_id in shown:
        block = html.split(f'id="ex-{exercise_id}"')[1].split('class="exercise"')[0]
        assert exercise_svg(KB.one(Exercise, exercise_id)) in block
