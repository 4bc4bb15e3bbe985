"""Exercise pictures: each exercise's start and end pose (knowledge base) drawn as SVG.

A pose gives every body segment's direction; the figure is built joint by joint from the
hip, set down so its lowest point rests on the floor line, and scaled into its panel.
The same geometry (`figure_points`) says which body parts touch the floor.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from backstride.knowledge.content import Exercise, Picture, Pose

#: Segment lengths in drawing units (an adult's proportions, roughly).
TORSO, NECK, HEAD_R, UPPER_ARM, FOREARM, THIGH, SHIN, FOOT = 30, 6, 5.5, 15, 14, 21, 20, 6
PANEL_W, PANEL_H, FLOOR_Y, GAP = 120, 100, 94, 24
TOUCH = 2.5  # a part this close to the floor touches it
NEAR, FAR = "#1f4f78", "#8fa9c2"
Point = tuple[float, float]


@dataclass(frozen=True, slots=True)
class Figure:
    """A pose's joints (y up, the floor at y = 0), near side first in each pair."""

    hip: Point
    shoulder: Point
    head: Point
    elbows: tuple[Point, Point]
    wrists: tuple[Point, Point]
    knees: tuple[Point, Point]
    ankles: tuple[Point, Point]
    toes: tuple[Point, Point]
    spine: float
    face: float

    def touching(self) -> frozenset[str]:
        """The body parts on the floor: hand, elbow, knee, foot, hip, back, head."""
        parts = {"hand": self.wrists, "elbow": self.elbows, "knee": self.knees,
                 "foot": (*self.ankles, *self.toes), "hip": (self.hip,),
                 "back": (self.shoulder,),
                 "head": ((self.head[0], self.head[1] - HEAD_R),)}  # fmt: skip
        return frozenset(
            name for name, points in parts.items() if any(y < TOUCH for _, y in points)
        )

    def points(self) -> tuple[Point, ...]:
        return (self.hip, self.shoulder, self.head, *self.elbows, *self.wrists, *self.knees,
                *self.ankles, *self.toes)  # fmt: skip


def _step(start: Point, angle: float, length: float) -> Point:
    rad = math.radians(angle)
    return (start[0] + length * math.cos(rad), start[1] + length * math.sin(rad))


def _foot(shin: float) -> float:
    """The foot's direction: at a right angle to the shin, or pointed when the shin lies flat."""
    return shin if 135 <= shin % 360 <= 225 else shin + 90


def figure_points(pose: Pose) -> Figure:
    """The pose's joints, moved up so the lowest point (head included) is on the floor."""
    hip = (0.0, 0.0)
    shoulder = _step(hip, pose.torso, TORSO)
    head = _step(shoulder, pose.torso if pose.head is None else pose.head, NECK + HEAD_R)
    elbows = tuple(_step(shoulder, a, UPPER_ARM) for a in pose.arm)
    wrists = tuple(_step(e, a, FOREARM) for e, a in zip(elbows, pose.forearm, strict=True))
    knees = tuple(_step(hip, a, THIGH) for a in pose.thigh)
    ankles = tuple(_step(k, a, SHIN) for k, a in zip(knees, pose.shin, strict=True))
    toes = tuple(_step(k, _foot(a), FOOT) for k, a in zip(ankles, pose.shin, strict=True))
    every = (hip, shoulder, *elbows, *wrists, *knees, *ankles, *toes)
    low = min(min(y for _, y in every), head[1] - HEAD_R)

    def up(p: Point) -> Point:
        return (p[0], p[1] - low)

    def pair(ps: tuple[Point, ...]) -> tuple[Point, Point]:
        return (up(ps[0]), up(ps[1]))

    return Figure(up(hip), up(shoulder), up(head), pair(elbows), pair(wrists), pair(knees),
                  pair(ankles), pair(toes), pose.spine, pose.face)  # fmt: skip


def _panel(figure: Figure, left: float, prop: str | None) -> str:
    """One figure in its panel: centred, scaled down if it would not fit, on the floor."""
    xs = [x for x, _ in figure.points()]
    top = max(y for _, y in figure.points()) + HEAD_R
    scale = min(1.0, (FLOOR_Y - 4) / top, (PANEL_W - 8) / (max(xs) - min(xs) + 2 * HEAD_R))
    middle = (max(xs) + min(xs)) / 2

    def at(p: Point) -> str:
        return f"{left + PANEL_W / 2 + (p[0] - middle) * scale:.1f} {FLOOR_Y - p[1] * scale:.1f}"

    def line(*ps: Point) -> str:
        return "M" + " L".join(at(p) for p in ps)

    parts = []
    for side, colour in ((1, FAR), (0, NEAR)):
        leg = (figure.hip, figure.knees[side], figure.ankles[side], figure.toes[side])
        limbs = [line(figure.shoulder, figure.elbows[side], figure.wrists[side]), line(*leg)]
        parts.append(f'<path d="{" ".join(limbs)}" stroke="{colour}"/>')
        if side == 1:
            parts.append(_back(figure, at))
    neck = _step(figure.head, _towards(figure.head, figure.shoulder), HEAD_R)
    parts.append(f'<path d="{line(figure.shoulder, neck)}" stroke="{NEAR}"/>')
    head = at(figure.head).split()
    nose = at(_step(figure.head, figure.face, HEAD_R + 2.5))
    parts.append(f'<circle cx="{head[0]}" cy="{head[1]}" r="{HEAD_R * scale:.1f}" '
                 f'stroke="{NEAR}"/><path d="M{at(_step(figure.head, figure.face, HEAD_R))} '
                 f'L{nose}" stroke="{NEAR}"/>')  # fmt: skip
    if prop == "step":
        foot = figure.ankles[0]
        corner = at((foot[0] - 10, foot[1])).split()
        parts.insert(0, f'<rect x="{corner[0]}" y="{corner[1]}" width="{22 * scale:.1f}" '
                        f'height="{FLOOR_Y - float(corner[1]):.1f}" fill="#dfe7ef"/>')  # fmt: skip
    elif prop == "weight":
        hand = at(figure.wrists[0]).split()
        parts.append(f'<circle cx="{hand[0]}" cy="{hand[1]}" r="3.5" fill="{NEAR}"/>')
    elif prop == "dowel":  # a stick held along the back, from behind the hips past the head
        back = math.degrees(math.atan2(figure.shoulder[1] - figure.hip[1],
                                       figure.shoulder[0] - figure.hip[0]))  # fmt: skip
        ends = (_step(figure.hip, back + 180, 5), _step(figure.shoulder, back, 16))
        parts.append(f'<path d="{line(*ends)}" stroke="#a0522d" stroke-width="2"/>')
    return "".join(parts)


def _towards(start: Point, end: Point) -> float:
    return math.degrees(math.atan2(end[1] - start[1], end[0] - start[0]))


def _back(figure: Figure, at: Callable[[Point], str]) -> str:
    """The back from hip to shoulder, bent by `spine` (a curve bulging to the figure's back)."""
    (hx, hy), (sx, sy) = figure.hip, figure.shoulder
    length = math.hypot(sx - hx, sy - hy) or 1.0
    normal = (-(sy - hy) / length, (sx - hx) / length)  # to the left of hip -> shoulder
    bend = figure.spine * 1.5
    control = ((hx + sx) / 2 + normal[0] * bend, (hy + sy) / 2 + normal[1] * bend)
    return (f'<path d="M{at(figure.hip)} Q{at(control)} {at(figure.shoulder)}" '
            f'stroke="{NEAR}"/>')  # fmt: skip


def picture_body(picture: Picture) -> str:
    """The drawing without its label: the start pose, an arrow and the end pose."""
    floor = f'<path d="M2 {FLOOR_Y + 1} H{2 * PANEL_W + GAP - 2}" stroke="#9fb3c8"/>'
    if picture.end is None:  # a hold: one figure in the middle
        return floor + _panel(figure_points(picture.start), (PANEL_W + GAP) / 2, picture.prop)
    start = _panel(figure_points(picture.start), 0, picture.prop)
    mid, y = PANEL_W + GAP / 2, PANEL_H / 2
    arrow = (f'<path d="M{mid - 8} {y} H{mid + 8} M{mid + 3} {y - 5} L{mid + 8} {y} '
             f'L{mid + 3} {y + 5}" stroke="#9fb3c8"/>')  # fmt: skip
    return floor + start + arrow + _panel(figure_points(picture.end), PANEL_W + GAP, picture.prop)


def exercise_svg(exercise: Exercise) -> str:
    """The exercise's picture as inline SVG with its plain-words description, or ''."""
    picture = exercise.picture
    if picture is None:
        return ""
    width = 2 * PANEL_W + GAP
    label = escape(f"{exercise.name}: {picture.alt}")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="exercise-picture" '
        f'viewBox="0 0 {width} {PANEL_H}" role="img" aria-label="{label}"><title>{label}</title>'
        f'<g fill="none" stroke-width="3" stroke-linecap="round" stroke-linejoin="round">'
        f"{picture_body(picture)}</g></svg>"
    )
