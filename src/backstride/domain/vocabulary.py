"""Vocabularies shared by the case file, the interview and the pain diary."""

from __future__ import annotations

from typing import Literal, get_args

#: Where pain or symptoms are felt (spec/assessment-contract.md).
Location = Literal[
    "low_back_central", "low_back_left", "low_back_right", "buttock_left", "buttock_right",
    "sacroiliac_left", "sacroiliac_right", "thigh_left", "thigh_right", "below_knee_left",
    "below_knee_right", "groin", "thoracic", "abdomen", "flank",
]  # fmt: skip
LOCATIONS: tuple[str, ...] = get_args(Location)
LEG_LOCATIONS: tuple[str, ...] = (
    "thigh_left",
    "thigh_right",
    "below_knee_left",
    "below_knee_right",
)

#: Surfaces a runner reports running on (the case file's running profile).
Surface = Literal["asphalt", "concrete", "trail", "grass", "track", "treadmill", "sand"]
#: Surfaces a run may be tagged with: the case file's surfaces plus road.
SURFACE_TAGS: tuple[str, ...] = ("road", *get_args(Surface))
#: Hard roads (the plan suggests mixing in softer surfaces when these are all there is).
HARD_SURFACES: frozenset[str] = frozenset({"asphalt", "concrete"})
