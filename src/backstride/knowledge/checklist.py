"""The seed-claims checklist: every topic the product must cover, as a stable tag.

Content records name the topics they cover in their `topics` field. `uncovered_topics`
and `unknown_topics` let a test (and `backstride kb validate`) prove that every topic is
covered by at least one record and that no record uses a tag outside this list.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from backstride.knowledge.model import KnowledgeBase, Record

#: Topics of the specification's seed claims: tag -> one line saying what it covers.
SEED_TOPICS: Mapping[str, str] = {
    # Who is affected
    "prevalence-in-runners": "How common low back pain is among runners (up to about a fifth).",
    "duration-classes": "Acute, subacute and chronic pain, and what the duration means.",
    # What the lower back is
    "anatomy": "Vertebrae, sacrum, discs, facet and SI joints, ligaments, muscles, nerve roots.",
    "strain-vs-sprain": "Muscle strain versus ligament sprain: same symptoms, same care.",
    # Causes and risk factors
    "muscle-imbalance": "Weak or tight glutes and hamstrings, tight hip flexors, weak core.",
    "running-form": "Forward lean, looking down, overstriding, heavy heel landing, bounce.",
    "hard-surfaces": "Running on concrete or asphalt as a supposed cause.",
    "worn-shoes": "Unsupportive or worn-out shoes.",
    "overtraining": "Training without recovery and sudden increases in frequency or intensity.",
    "lumbar-strain-sprain": "Lumbar strain or sprain, the most common cause.",
    "disc-herniation": "Disc herniation irritating a nerve root.",
    "degenerative-disc": "Degenerative disc disease and age-related disc changes.",
    "sacroiliac-pain": "Pain from the sacroiliac joint.",
    "spinal-misalignment": "The claim that pain comes from a 'misaligned' spine.",
    "leg-length-difference": "Uneven leg length.",
    "late-run-fatigue": "Muscle fatigue late in a run when core strength is lacking.",
    "long-standing": "Back pain after standing for a long time.",
    "deadlift-pain": "Back pain from deadlifts and lifting form.",
    # Treatment
    "relative-rest": "A short break from running when pain is severe.",
    "bed-rest": "Prolonged bed rest is not recommended.",
    "staying-active": "Keep moving: daily activities and walking.",
    "ice-and-heat": "Ice and heat, and which has the better evidence.",
    "otc-medicines": "Over-the-counter medicines (NSAIDs, paracetamol) in general terms.",
    "gentle-stretches": "Gentle stretching as part of self-care.",
    "stretch-childs-pose": "Child's pose.",
    "stretch-cat-cow": "Cat-cow.",
    "stretch-hip-flexor": "Hip-flexor stretch.",
    "stretch-legs": "Stretches for the legs (hamstrings, buttocks).",
    "backward-extension-break": "Backward extension breaks from long sitting or bending.",
    "yoga": "Yoga.",
    "core-drawing-in": "Deep-abdominal (transverse abdominis) drawing-in.",
    "plank": "Planks.",
    "glute-bridge": "Glute bridges.",
    "donkey-kick": "Donkey kicks.",
    "deadlift-neutral-spine": "Deadlifts with a neutral spine.",
    "back-extensors": "Back-extensor strengthening.",
    "hip-pelvic-muscles": "Hip and pelvic muscle strengthening.",
    "avoid-crunches": "Why crunches are left out, and what to do instead.",
    "strength-frequency": "Strength work at least once or twice a week, progressed over months.",
    "massage": "Massage.",
    "spinal-manipulation": "Spinal manipulation.",
    "physiotherapy": "Physiotherapy.",
    "imaging": "Imaging only when indicated.",
    "spine-physician": "Evaluation by a spine physician for persistent pain after workouts.",
    "radiofrequency-denervation": "Radiofrequency ablation (denervation) of spinal nerves.",
    "tens": "TENS and similar electrotherapy.",
    "expected-course": "Typical course: a strain usually improves over one to three weeks.",
    # Prevention
    "warm-up": "A dynamic warm-up before runs.",
    "cool-down": "A cool-down after runs.",
    "form-cues": "Running-form cues: posture, landing, bounce.",
    "cadence": "Shorter stride and higher cadence, from the runner's own baseline.",
    "footwear": "Shoes fitted to the foot and comfortable.",
    "barefoot-running": "Barefoot or minimalist running, and how to try it safely.",
    "surfaces": "Choice and variety of running surfaces.",
    "load-management": "Dialling back frequency and intensity; avoiding sudden jumps.",
    "recovery-days": "Recovery days between hard sessions.",
    "cross-training": "Swimming, cycling, elliptical, stair climber, pool running and more.",
    "core-hip-strength": "Core and hip strength for prevention.",
    "posture": "Posture when standing and sitting; moving often.",
    "lifting-technique": "Lifting: hinge at the hips, bend the knees, neutral spine.",
    # When to seek professional help
    "seek-help-not-improving": "Self-care not helping within a few weeks.",
    "seek-help-leg-symptoms": "Severe leg pain (sciatica), numbness, tingling or weakness.",
    "seek-help-pain-after-every-run": "Steady pain after every workout.",
    "seek-help-chronic": "Pain lasting beyond three months.",
    "red-flags": "Guideline danger signs: cauda equina, fever, cancer history, trauma, ...",
}

#: Further topics from the clinical and training references that records may also carry.
EXTRA_TOPICS: Mapping[str, str] = {
    "pain-not-damage": "Pain is a protective signal and not a measure of damage.",
    "runners-discs": "Runners tend to have healthier discs than non-runners.",
    "sleep": "Sleep and resting positions with back pain.",
    "pacing": "Pacing activity with a pain-monitoring rule.",
    "ten-percent-rule": "The ten-percent rule and what a trial found.",
    "acwr": "The acute:chronic workload ratio and why its bands are contested.",
    "single-run-spike": "A single run much longer than recent ones.",
    "shoe-mileage": "Fixed shoe-replacement mileage versus inspection.",
    "medicines": "Prescription medicines and injections in general terms.",
    "psychological-care": "Psychologically informed care and CBT approaches.",
    "devices": "Belts, orthotics, traction and other devices.",
    "surgery": "Surgery and spinal injections.",
}

KNOWN_TOPICS: frozenset[str] = frozenset(SEED_TOPICS) | frozenset(EXTRA_TOPICS)


def topics_of(record: Record) -> tuple[str, ...]:
    """The topic tags a record carries (empty for kinds without a `topics` field)."""
    value = getattr(record, "topics", ())
    return tuple(value) if isinstance(value, (list, tuple)) else ()


def coverage(kb: KnowledgeBase) -> dict[str, list[str]]:
    """Seed topic -> ids of the records that cover it, sorted."""
    found: dict[str, list[str]] = {tag: [] for tag in SEED_TOPICS}
    for record in kb.records.values():
        for tag in topics_of(record):
            if tag in found:
                found[tag].append(record.id)
    return {tag: sorted(ids) for tag, ids in found.items()}


def uncovered_topics(kb: KnowledgeBase) -> list[str]:
    """Seed topics no record covers, in checklist order."""
    return [tag for tag, ids in coverage(kb).items() if not ids]


def unknown_topics(records: Iterable[Record]) -> list[tuple[str, str]]:
    """(record id, tag) for every topic tag that is not on the checklist."""
    return [
        (record.id, tag)
        for record in records
        for tag in topics_of(record)
        if tag not in KNOWN_TOPICS
    ]
