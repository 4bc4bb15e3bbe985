"""Specific content claims: guideline positions, cautions, and what key records say."""

from __future__ import annotations

import pytest

from backstride.knowledge import load_knowledge_base
from backstride.knowledge.content import EducationTopic, Exercise, PreventionItem, Treatment

KB = load_knowledge_base()


@pytest.mark.parametrize(
    ("treatment_id", "status", "positions"),
    [
        pytest.param(t, s, p, id=t, marks=pytest.mark.covers(t))
        for t, s, p in [
            ("staying-active", "recommended", {"nice-ng59": "recommended"}),
            ("relative-rest", "recommended", {"nice-ng59": "recommended"}),
            ("bed-rest", "not_recommended", {"dahm-2010-cochrane": "not_recommended"}),
            ("superficial-heat", "recommended", {"acp-2017": "recommended"}),
            ("ice", "optional_comfort", {"acp-2017": "insufficient_evidence"}),
            ("nsaids", "consider", {"nice-ng59": "consider"}),
            ("nsaids-long-runs", "not_recommended", {"lipman-2017": "not_recommended"}),
            ("oral-steroids-sciatica", "not_recommended", {"nice-ng59": "not_recommended"}),
            ("benzodiazepines-sciatica", "not_recommended", {"nice-ng59": "not_recommended"}),
            ("paracetamol-alone", "not_recommended", {"nice-ng59": "not_recommended"}),
            ("opioids", "not_recommended", {"nice-ng59": "not_recommended"}),
            ("gabapentinoids-sciatica", "not_recommended", {"nice-ng59": "not_recommended"}),
            (
                "antidepressants-for-back-pain",
                "not_recommended",
                {"nice-ng59": "not_recommended", "acp-2017": "clinician_only"},
            ),
            ("structured-exercise", "recommended", {"owen-2020": "recommended"}),
            ("pilates", "recommended", {"owen-2020": "recommended"}),
            ("yoga-therapy", "recommended", {"acp-2017": "recommended"}),
            ("massage", "consider", {"nice-ng59": "consider"}),
            ("spinal-manipulation", "consider", {"nice-ng59": "consider"}),
            ("cbt-informed-care", "recommended", {"hill-2011-startback": "recommended"}),
            ("lumbar-belts", "not_recommended", {"nice-ng59": "not_recommended"}),
            ("foot-orthotics", "not_recommended", {"nice-ng59": "not_recommended"}),
            ("traction", "not_recommended", {"nice-ng59": "not_recommended"}),
            ("tens", "not_recommended", {"nice-ng59": "not_recommended"}),
            ("therapeutic-ultrasound", "not_recommended", {"nice-ng59": "not_recommended"}),
            ("interferential-therapy", "not_recommended", {"nice-ng59": "not_recommended"}),
            (
                "acupuncture",
                "not_recommended",
                {"nice-ng59": "not_recommended", "acp-2017": "recommended"},
            ),
            ("radiofrequency-denervation", "clinician_only", {"nice-ng59": "clinician_only"}),
            ("spinal-injections", "not_recommended", {"nice-ng59": "not_recommended"}),
            ("spinal-surgery", "clinician_only", {"nice-ng59": "clinician_only"}),
            ("routine-imaging", "not_recommended", {"nice-ng59": "not_recommended"}),
            ("physiotherapy", "recommended", {"hill-2011-startback": "recommended"}),
            ("spine-physician-evaluation", "recommended", {"nice-ng59": "recommended"}),
        ]
    ],
)
def test_treatment_status_and_guideline_positions_match_the_guidelines(
    treatment_id: str, status: str, positions: dict[str, str]
) -> None:
    treatment = KB.one(Treatment, treatment_id)
    assert treatment.status == status
    recorded = {p.source: p.status for p in treatment.positions}
    for source, expected in positions.items():
        assert recorded[source] == expected
        assert source in treatment.sources or source in {p.source for p in treatment.positions}


@pytest.mark.covers("radiofrequency-denervation")
def test_radiofrequency_denervation_states_its_conditions() -> None:
    reason = KB.one(Treatment, "radiofrequency-denervation").reason
    assert "medial-branch block" in reason
    assert "non-surgical care has failed" in reason


@pytest.mark.covers("ice", "superficial-heat", "myth-ice-first")
def test_ice_is_optional_comfort_and_heat_has_the_better_evidence() -> None:
    assert "Heat has the better evidence" in KB.one(Treatment, "ice").summary
    myth = KB.one(EducationTopic, "myth-ice-first")
    assert "heat" in (myth.evidence or "")


@pytest.mark.parametrize(
    ("exercise_id", "must_have", "must_not_have"),
    [
        pytest.param(v0, v1, v2, id=v0, marks=pytest.mark.covers(v0))
        for v0, v1, v2 in [
            ("knee-to-chest", {"worse_bending_forward", "radicular"}, set()),
            ("childs-pose", {"worse_bending_forward"}, set()),
            ("prone-press-up", {"worse_bending_backward"}, {"worse_bending_forward"}),
            ("standing-extension", {"worse_bending_backward"}, {"worse_bending_forward"}),
            ("hamstring-stretch", {"radicular", "leg_symptoms"}, set()),
            ("deadlift-neutral-spine", {"acute_severe", "osteoporosis", "worse_lifting"}, set()),
            ("prone-back-extension", {"worse_bending_backward"}, set()),
            ("yoga-flow", {"worse_bending_forward", "worse_bending_backward"}, set()),
            ("single-leg-bridge", {"sacroiliac"}, set()),
        ]
    ],
)
def test_exercises_carry_the_cautions_their_movement_implies(
    exercise_id: str, must_have: set[str], must_not_have: set[str]
) -> None:
    cautions = set(KB.one(Exercise, exercise_id).cautions)
    assert must_have <= cautions
    assert not must_not_have & cautions


@pytest.mark.parametrize(
    "exercise_id",
    [
        pytest.param(name, id=name, marks=pytest.mark.covers(name))
        for name in (
            "walking",
            "abdominal-drawing-in",
            "pelvic-tilt",
            "cat-cow",
            "glute-bridge",
            "bird-dog",
            "dead-bug",
            "clamshell",
            "front-plank",
            "side-plank",
            "mcgill-curl-up",
            "hip-hinge-dowel",
            "donkey-kick",
        )
    ],
)
def test_core_exercises_are_open_to_every_pattern(exercise_id: str) -> None:
    assert KB.one(Exercise, exercise_id).cautions == ()


@pytest.mark.parametrize(
    ("record_id", "source", "phrases"),
    [
        pytest.param(v0, v1, v2, id=v0, marks=pytest.mark.covers(v0))
        for v0, v1, v2 in [
            ("edu-prevalence-in-runners", "maselli-2020", ["20.2 %"]),
            ("edu-runners-discs", "belavy-2017", ["healthier discs"]),
            ("edu-duration-classes", "acp-2017", ["less than 4 weeks", "more than 12 weeks"]),
            (
                "edu-anatomy",
                "nice-cks-lbp",
                ["L1", "L5", "SACRUM", "disc", "facet", "nerve", "sacroiliac"],
            ),
            ("edu-strain-vs-sprain", "nice-cks-lbp", ["treated the same way"]),
            ("edu-typical-course", "costa-2012-prognosis", ["one to", "three weeks"]),
            ("edu-pacing", "silbernagel-2007", ["next morning"]),
            (
                "edu-when-to-seek-help",
                "girft-cauda-equina",
                ["emergency", "both legs", "three months", "after every run"],
            ),
            ("myth-ten-percent-rule", "buist-2008", ["did not lower injuries"]),
            ("myth-acwr-sweet-spot", "lolli-2019", ["trend"]),
            ("myth-cadence-180", "heiderscheit-2011", ["5-10 %", "same pace"]),
            ("myth-bend-at-waist", "mcgill-2016", ["hip hinge", "bent knees"]),
            ("myth-shoe-mileage", "malisoux-2015", ["No study shows a fixed"]),
            ("myth-imaging", "chou-2009-imaging", ["danger signs"]),
            (
                "form-cadence-increase",
                "heiderscheit-2011",
                ["own step rate", "5-10 %", "never with a\nfixed number"],
            ),
            ("load-longest-run", "frandsen-2025", ["previous 30 days"]),
            ("load-weekly-jumps", "nielsen-2014", ["30 %", "10 % rule"]),
            ("shoes-rotation", "malisoux-2015", ["more than one pair"]),
            ("shoes-inspect", "malisoux-2015", ["distance you can set", "600 km"]),
            ("posture-sitting", "lancet-2018-foster", ["20-30 minutes", "footrest"]),
            ("lifting-hinge", "mcgill-2016", ["hinge at the hips", "bend the knees"]),
            (
                "cross-training",
                "owen-2020",
                [
                    "swimming",
                    "cycling",
                    "elliptical",
                    "stair climber",
                    "pool running",
                    "rowing",
                    "yoga",
                    "Pilates",
                ],
            ),
        ]
    ],
)
def test_records_say_what_their_source_supports(
    record_id: str, source: str, phrases: list[str]
) -> None:
    record = KB.get(record_id)
    assert source in record.sources
    text = _all_text(record)
    for phrase in phrases:
        assert " ".join(phrase.split()) in text, phrase


def _all_text(record: object) -> str:
    if isinstance(record, EducationTopic):
        parts = [
            record.title,
            record.summary,
            *record.body,
            record.myth or "",
            record.evidence or "",
        ]
    elif isinstance(record, PreventionItem):
        parts = [record.title, record.advice, record.cue or ""]
    else:
        parts = [str(record)]
    return " ".join(" ".join(parts).split())


@pytest.mark.parametrize(
    ("record_id", "source", "phrases"),
    [
        pytest.param(rid, src, phr, id=rid, marks=pytest.mark.covers(rid))
        for rid, src, phr in [
            ("edu-causes", "lancet-2018-foster", ["non-specific", "sacroiliac"]),
            ("edu-pain-not-damage", "lancet-2018-foster", ["not damaged", "next morning"]),
            ("edu-running-form", "heiderscheit-2011", ["Overstriding", "bounce", "step rate"]),
            ("edu-sleep", "nice-cks-lbp", ["pillow between the knees"]),
            ("edu-standing-and-lifting", "mcgill-2016", ["Shift your weight", "hinge at the hips"]),
            ("edu-staying-active", "dahm-2010-cochrane", ["walking", "safe"]),
            ("myth-back-belts", "van-duijvenbode-2008-cochrane", ["no benefit"]),
            ("myth-barefoot", "nielsen-2014", ["new load", "walking barefoot"]),
            ("myth-crunches", "mcgill-2016", ["curl-up", "not proven to harm", "preference"]),
            ("myth-bad-posture", "slater-2019", ["No posture is proven", "change position"]),
            ("myth-hard-surfaces", "maselli-2020", ["sudden change"]),
            ("myth-paracetamol-first", "nice-ng59", ["no better than a placebo", "pharmacist"]),
            ("myth-spinal-misalignment", "lancet-2018-foster", ["does not move bones"]),
            ("form-land-under-body", "heiderscheit-2011", ["overstriding"]),
            ("form-less-bounce", "folland-2017", ["vertical bounce"]),
            ("form-tall-relaxed", "folland-2017", ["eyes", "little direct evidence"]),
            ("lifting-deadlift-form", "mcgill-2016", ["long back", "lift from blocks"]),
            ("load-dial-back", "silbernagel-2007", ["5 out of 10", "next morning"]),
            ("posture-standing", "lancet-2018-foster", ["Shift your weight", "low step"]),
            ("prev-cool-down", "van-hooren-2018", ["does not prevent injury"]),
            ("prev-dynamic-warm-up", "fradkin-2010", ["leg swings", "not proven"]),
            ("recovery-days", "trials-2023-walkrun", ["rest day"]),
            ("shoes-barefoot-transition", "nielsen-2014", ["walk barefoot first"]),
            ("shoes-fit-comfort", "nigg-2015", ["comfortable", "no shoe type"]),
            ("strength-core-hips", "steffens-2016", ["once or twice a week"]),
            ("surface-change-is-load", "nielsen-2014", ["gradually"]),
            ("surface-variety", "maselli-2020", ["hard surfaces cause back pain is weak"]),
        ]
    ],
)
def test_education_and_prevention_records_state_their_point(
    record_id: str, source: str, phrases: list[str]
) -> None:
    record = KB.get(record_id)
    assert source in record.sources
    text = _all_text(record)
    for phrase in phrases:
        assert phrase in text, phrase


@pytest.mark.parametrize(
    ("exercise_id", "category", "target", "phase"),
    [
        pytest.param(eid, cat, tgt, ph, id=eid, marks=pytest.mark.covers(eid))
        for eid, cat, tgt, ph in [
            ("abdominal-drawing-in", "motor_control", "transverse abdominis", "settle"),
            ("crook-lying-breathing", "motor_control", "diaphragm", "settle"),
            ("heel-slides", "motor_control", "deep abdominals", "settle"),
            ("pelvic-tilt", "mobility", "pelvic control", "settle"),
            ("lower-trunk-rotation", "mobility", "lumbar spine mobility", "settle"),
            ("cat-cow", "mobility", "lumbar and thoracic spine mobility", "settle"),
            ("hip-flexor-stretch", "stretch", "iliopsoas", "restore"),
            ("piriformis-stretch", "stretch", "piriformis", "restore"),
            ("hip-hinge-dowel", "motor_control", "hip hinge pattern", "restore"),
            ("clamshell", "strength", "gluteus medius", "restore"),
            ("dead-bug", "motor_control", "transverse abdominis", "restore"),
            ("pilates-leg-circles", "motor_control", "deep abdominals", "restore"),
            ("bird-dog", "motor_control", "back extensors", "strengthen"),
            ("mcgill-curl-up", "strength", "rectus abdominis", "strengthen"),
            ("side-lying-hip-abduction", "strength", "gluteus medius", "strengthen"),
            ("suitcase-carry", "strength", "quadratus lumborum", "strengthen"),
            ("side-plank", "strength", "obliques", "return_to_run"),
            ("pallof-press", "strength", "obliques", "return_to_run"),
            ("split-squat", "strength", "quadriceps", "return_to_run"),
            ("step-up", "strength", "gluteus medius", "return_to_run"),
            ("calf-raise", "strength", "soleus", "return_to_run"),
            ("thoracic-open-book", "mobility", "thoracic rotation", "prevent"),
        ]
    ],
)
def test_exercises_are_classified_by_what_they_train_and_when(
    exercise_id: str, category: str, target: str, phase: str
) -> None:
    exercise = KB.one(Exercise, exercise_id)
    assert exercise.category == category
    assert target in exercise.targets
    assert phase in exercise.phases
