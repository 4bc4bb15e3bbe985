"""Honest evidence: every source says what kind of evidence it is, borrowed advice says so in
plain words, and the medicine advice follows NICE NG59 1.2.18-1.2.27 in general terms."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import get_args

import pytest
import yaml

from backstride.assess.casefile import case_from_data
from backstride.assess.triage import assess
from backstride.errors import KnowledgeBaseError
from backstride.knowledge import load_knowledge_base
from backstride.knowledge.content import EducationTopic, PreventionItem, Treatment
from backstride.knowledge.load import data_dir
from backstride.knowledge.model import EvidenceKind
from backstride.knowledge.plan_texts import PlanText
from backstride.plan import build_plan
from tests.defaults import SHOE_INSPECTION_KM

KB = load_knowledge_base()
SOURCE_FILES = sorted(data_dir().glob("sources*.yaml"))


def _raw_sources() -> list[dict[str, object]]:
    return [r for f in SOURCE_FILES for r in yaml.safe_load(f.read_text("utf-8"))["records"]]


@pytest.mark.parametrize("record", _raw_sources(), ids=lambda r: str(r["id"]))
def test_every_source_record_states_its_kind_of_evidence(record: dict[str, object]) -> None:
    assert record.get("evidence") in get_args(EvidenceKind)


def test_a_source_without_its_kind_of_evidence_does_not_load(tmp_path: Path) -> None:
    folder = tmp_path / "kb"
    shutil.copytree(data_dir(), folder, ignore=shutil.ignore_patterns("__*"))
    path = folder / "sources_safety.yaml"
    document = yaml.safe_load(path.read_text("utf-8"))
    del document["records"][0]["evidence"]
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="evidence"):
        load_knowledge_base(folder)


@pytest.mark.parametrize(
    ("source_id", "kind", "words"),
    [
        ("silbernagel-2007", "trial", ("Achilles", "extrapolation")),
        ("trials-2023-walkrun", "trial_protocol", ("protocol", "knee", "soldiers")),
        ("malisoux-2015", "cohort", ("not of back pain",)),
        ("foster-1998", "cohort", ("monotony", "rest days")),
        ("nice-ng59", "guideline", ()),
        ("lipman-2017", "trial", ()),
    ],
)
def test_the_named_sources_are_stated_as_what_they_are(
    source_id: str, kind: str, words: tuple[str, ...]
) -> None:
    source = KB.sources[source_id]
    assert source.evidence == kind
    for word in words:
        assert word in (source.extrapolated or ""), word


def _people_read() -> list[str]:
    texts = [f"{t.reason} {t.summary}" for t in KB.of(Treatment)]
    texts += [" ".join((e.summary, *e.body)) for e in KB.of(EducationTopic)]
    texts += [p.advice for p in KB.of(PreventionItem)] + [t.text for t in KB.of(PlanText)]
    return texts


def test_no_text_calls_nsaids_recommended_or_claims_what_ng59_does_not_say() -> None:
    assert KB.one(Treatment, "nsaids").status == "consider"
    assert {p.source: p.status for p in KB.one(Treatment, "nsaids").positions}["nice-ng59"] == (
        "consider"
    )
    for text in _people_read():
        assert "not used when nerve signs" not in text
    manipulation = KB.one(Treatment, "spinal-manipulation")
    assert "with or without sciatica" in manipulation.reason


def test_borrowed_advice_says_so_where_people_read_it() -> None:
    pacing = " ".join(KB.one(EducationTopic, "edu-pacing").body)
    assert "Achilles" in pacing
    assert "not back pain" in pacing
    rule = KB.one(PlanText, "text.return_to_run.rule").text
    assert "no trial has tested" in rule
    assert "knee" in rule
    rest = KB.one(PreventionItem, "recovery-days")
    assert "monotony" in rest.advice  # what Foster 1998 measured, not rest days as such


@pytest.mark.covers("nsaids", "nsaids-long-runs", "oral-steroids-sciatica",
                    "benzodiazepines-sciatica", "opioids", "gabapentinoids-sciatica")  # fmt: skip
def test_the_ng59_medicine_additions_reach_the_plans_relief_advice() -> None:
    case = case_from_data({"age": 40, "pain": {"intensity": 5, "started_days_ago": 6,
                                               "locations": ["low_back_central"]}})  # fmt: skip
    plan = build_plan(
        assess(case, KB),
        case,
        [],
        [],
        date(2026, 11, 23),
        KB,
        shoe_inspection_km=SHOE_INSPECTION_KM,
    )
    items = [i for block in plan.phases for i in block.items if i.kind == "medicine"]
    assert items, "the settle phase carries the medicine advice"
    medicine = items[0]
    for record in ("nsaids-long-runs", "oral-steroids-sciatica", "benzodiazepines-sciatica"):
        assert record in medicine.records
    for words in ("long or hot run", "protects the stomach", "steroid tablets",
                  "benzodiazepines", "epilepsy medicines", "opioids once sciatica"):  # fmt: skip
        assert words in medicine.text, words
    assert "lipman-2017" in medicine.sources
    assert "mg" not in medicine.text.split()  # general terms: never a dose
    shown = {t.records[0] for t in plan.treatments}
    assert {"nsaids-long-runs", "oral-steroids-sciatica", "benzodiazepines-sciatica"} <= shown


def test_citations_say_what_kind_of_evidence_and_what_is_borrowed() -> None:
    from backstride.report.markdown import plan_markdown
    from tests.plan.report_plans import plan_for

    text = plan_markdown(plan_for("self_care_runner"), KB, all_sources=True)
    achilles = KB.sources["silbernagel-2007"].extrapolated
    assert f"Randomised trial. {achilles}" in text
    assert "Published plan of a trial (no results)." in text
    assert "Clinical guideline." in text


def test_no_text_leaves_the_level_of_care_to_the_person() -> None:
    """No output may say "contact a doctor today (or emergency services if it is one of the
    emergency signs)": every output names the level (GIRFT 2023)."""
    root = Path(__file__).parents[2] / "src" / "backstride"
    for path in root.rglob("*"):
        if path.suffix in {".py", ".yaml", ".j2", ".md", ".toml"}:
            assert "emergency services if" not in path.read_text("utf-8"), path
