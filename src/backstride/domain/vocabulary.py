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
