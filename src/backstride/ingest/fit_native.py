"""The optional compiled FIT core (`_fitcore`, C) and what it needs from the profile.

The package build compiles `_fitcore.c` when a C compiler is present. Its `activity`
call does all of fit.read_fit in one step, from the bytes to the Activity (fit.py sets it
up with what it reads from the Python modules: classes, enum names, channel tables,
warning texts, the read plan); it declines (None) on what it was not made for, and the
Python steps run. Its `decode` does the work of fit_scan, fit_columns and the
per-definition merge for decode_fit, and separate calls do the later numeric steps (strap
heart rate, compressed-header times, relative-time shifts, compressed speed/distance);
each of these declines on input it was not made for, and numpy runs. Without it
(`CORE is None`) the pure-Python decoder runs; both are tested to agree on every corpus
file and on damaged copies.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from types import ModuleType
from typing import Any

import numpy as np

from backstride.ingest.fit_profile import (
    FIT_EPOCH_S,
    MAX_FIT_SECONDS,
    MESSAGE_NUMBERS,
    MESSAGES,
    RELATIVE_LIMIT_S,
)


def _load() -> ModuleType | None:
    try:
        core = importlib.import_module("backstride.ingest._fitcore")
    except ImportError:
        return None
    spec = {
        num: [
            (number, field.name, field.scale, field.offset, field.is_time)
            for number, field in profile.fields.items()
        ]
        for num, profile in MESSAGES.items()
    }
    core.init(spec, np.empty, (FIT_EPOCH_S, MAX_FIT_SECONDS, RELATIVE_LIMIT_S))
    return core


#: the compiled core, or None when the build had no C compiler
CORE: ModuleType | None = _load()

#: message number -> field numbers wanted (None: every field); see fit_decode.decode_fit
Plan = dict[int, frozenset[int] | None]
_PLANS: dict[int, tuple[object, Plan]] = {}


def plan_of(wanted: Mapping[str, frozenset[str] | None]) -> Plan:
    """Wanted messages and field names as numbers (cached per mapping: read_fit uses one)."""
    cached = _PLANS.get(id(wanted))
    if cached is not None and cached[0] is wanted:
        return cached[1]
    plan: Plan = {}
    for message, names in wanted.items():
        num = MESSAGE_NUMBERS[message]
        fields = MESSAGES[num].fields
        plan[num] = (
            None
            if names is None
            else frozenset(n for n, field in fields.items() if field.name in names)
        )
    _PLANS[id(wanted)] = (wanted, plan)
    return plan


def decode(data: bytes, plan: Plan | None) -> tuple[Any, ...]:
    """The core's raw result: (error kind, message), or (0, tables, raw groups, warnings,
    n_files, n_messages, located, times converted); string columns come back as object arrays,
    date_time columns as datetime64[ms] when `times converted` (no time to move)."""
    assert CORE is not None
    result: tuple[Any, ...] = CORE.decode(data, plan)
    return result
