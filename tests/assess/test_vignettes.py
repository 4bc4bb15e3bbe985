"""Clinical vignettes: expected urgency, red flags, referrals, patterns and duration."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, get_args

import pytest

from backstride.assess.casefile import case_from_data
from backstride.assess.result import RedFlagId, ReferralReason
from backstride.assess.triage import assess
from backstride.knowledge import KnowledgeBase
from tests.assess.conftest import load_vignettes
from tests.conftest import run_backstride
from tests.provenance import assert_produced

VIGNETTES = load_vignettes()
IDS = [v["id"] for v in VIGNETTES]

# Every record the vignettes exercise (module-wide, so `backstride kb trace` sees it).
pytestmark = pytest.mark.covers(
    "cauda_equina",
    "progressive_neuro_deficit",
    "major_trauma",
    "vascular_or_visceral_mimic",
    "metastatic_cord_compression",
    "infection",
    "renal_mimic",
    "fracture",
    "malignancy",
    "urgency.emergency",
    "urgency.urgent",
    "urgency.soon",
    "urgency.self_care",
    "referral.under_16",
    "referral.radicular",
    "referral.not_recovering",
    "referral.chronic",
    "referral.inflammatory",
    "referral.high_psychosocial_risk",
    "referral.neurogenic_claudication",
    "referral.thoracic_pain",
    "note.hla_b27",
    "duration.acute",
    "duration.subacute",
    "duration.chronic",
    "pattern.radicular",
    "pattern.inflammatory",
    "pattern.sacroiliac",
    "pattern.nonspecific",
    "startback",
    "rmdq",
)


def _outcome(result: dict[str, Any]) -> dict[str, Any]:
    return {
        "urgency": result["urgency"],
        "red_flags": result["red_flags"],
        "referral_reasons": result["referral_reasons"],
        "patterns": result["patterns"],
        "duration": result["duration"],
        "weak_flags": result["weak_flags"],
        "notes": result["notes"],
    }


def _expected(vignette: dict[str, Any]) -> dict[str, Any]:
    return {"weak_flags": [], "notes": [], **vignette["expect"]}


def test_the_vignette_table_is_large_and_every_id_is_unique() -> None:
    assert len(VIGNETTES) >= 120
    assert len(set(IDS)) == len(IDS)


def test_the_vignettes_cover_every_red_flag_urgency_pattern_referral_and_duration() -> None:
    seen = {key: set() for key in ("urgency", "red_flags", "referral_reasons", "patterns")}
    durations = set()
    for vignette in VIGNETTES:
        expect = vignette["expect"]
        seen["urgency"].add(expect["urgency"])
        for key in ("red_flags", "referral_reasons", "patterns"):
            seen[key].update(expect[key])
        durations.add(expect["duration"])
    assert seen["urgency"] == {"emergency", "urgent", "soon", "self_care"}
    assert seen["red_flags"] == set(get_args(RedFlagId))
    assert seen["referral_reasons"] == set(get_args(ReferralReason))
    assert seen["patterns"] == {"nonspecific", "radicular", "sacroiliac", "inflammatory"}
    assert durations == {"acute", "subacute", "chronic", None}


@pytest.mark.parametrize("vignette", VIGNETTES, ids=IDS)
def test_each_vignette_is_assessed_as_expected_through_the_api(
    vignette: dict[str, Any], kb: KnowledgeBase
) -> None:
    assessed = assess(case_from_data(vignette["case"]), kb)
    result = assessed.to_dict()
    assert _outcome(result) == _expected(vignette)
    assert_produced(assessed, *_records(vignette["expect"]))


def _records(expect: dict[str, Any]) -> list[str]:
    """The knowledge-base records the expected outcome comes from (shown in its reasons)."""
    ids = [*expect["red_flags"], *(f"referral.{r}" for r in expect["referral_reasons"])]
    ids += [f"pattern.{p}" for p in expect["patterns"][:1]]
    return ids + ([f"duration.{expect['duration']}"] if expect["duration"] else [])


@pytest.mark.parametrize("vignette", VIGNETTES, ids=IDS)
def test_each_vignette_is_assessed_as_expected_through_the_real_command(
    vignette: dict[str, Any], home: Path
) -> None:
    case_file = home / f"{vignette['id']}.json"
    case_file.write_text(json.dumps(vignette["case"]), encoding="utf-8")
    result = run_backstride("assess", "--input", str(case_file), "--format", "json")
    assert result.code == 0, result.stderr
    assert result.stderr == ""
    assert _outcome(json.loads(result.stdout)) == _expected(vignette)
