"""Cited advice drawn from the knowledge base: relief, treatments, prevention, referrals."""

from __future__ import annotations

from collections.abc import Sequence

from backstride.assess.result import AssessmentResult
from backstride.knowledge.content import EducationTopic, PreventionItem, Treatment
from backstride.knowledge.model import KnowledgeBase
from backstride.plan.model import PlanItem

STATUS_ORDER = (
    "recommended",
    "optional_comfort",
    "clinician_only",
    "insufficient_evidence",
    "not_recommended",
)


def settle_items(kb: KnowledgeBase) -> tuple[PlanItem, ...]:
    """Relative rest, staying active, heat, optional ice and medicines in general terms.

    References: nice-ng59, acp-2017, lancet-2018-foster
    """
    return (
        _advice(
            "settle.relative_rest",
            "advice",
            "Relative rest from running",
            "Pause running (or cut it right down) while the pain settles, usually for "
            "days rather than weeks. Keep walking and doing your daily activities: "
            "moving helps recovery. Do not rest in bed.",
            _matching(kb, "advice", ("active", "bed", "rest")),
            ("nice-ng59", "acp-2017"),
        ),
        _advice(
            "settle.heat",
            "relief",
            "Superficial heat",
            "A warm (not hot) heat pack or wrap over the sore area for up to about 20 "
            "minutes at a time can ease pain in the first weeks. Protect the skin.",
            _matching(kb, "relief", ("heat",)),
            ("acp-2017",),
        ),
        _advice(
            "settle.ice",
            "relief",
            "Ice, if you find it comforting",
            "Ice after a run is popular, but there is not enough evidence that it helps "
            "back pain. Use it only as optional comfort, wrapped, for 10–20 minutes.",
            _matching(kb, "relief", ("ice", "cold")),
            ("acp-2017", "nice-ng59"),
        ),
        _advice(
            "settle.medicines",
            "medicine",
            "Pain medicines: ask a pharmacist or doctor",
            "If you want to use a pain medicine, ask a pharmacist or doctor which one is "
            "suitable for you and for how long, especially if you have stomach, kidney or "
            "heart problems. Guidelines favour anti-inflammatory medicines for a short "
            "time over paracetamol alone; this plan gives no doses.",
            _matching(kb, "medicine", ()),
            ("nice-ng59",),
        ),
    )


def treatment_items(kb: KnowledgeBase) -> tuple[PlanItem, ...]:
    """Every treatment in the knowledge base with its status, recommended first."""
    treatments = sorted(
        kb.of(Treatment),
        key=lambda t: STATUS_ORDER.index(t.status) if t.status in STATUS_ORDER else 99,
    )
    return tuple(
        PlanItem(
            key=f"treatment.{t.id}",
            kind="treatment",
            title=t.name,
            text=f"{t.summary} {t.reason}".strip(),
            records=(t.id,),
            sources=_unique((*t.sources, *(p.source for p in t.positions))),
            status=t.status,
        )
        for t in treatments
    )


def prevention_items(kb: KnowledgeBase) -> tuple[PlanItem, ...]:
    """Every prevention record as a maintenance item (cue appended for form cues)."""
    return tuple(
        PlanItem(
            key=f"prevention.{p.id}",
            kind="prevention",
            title=p.title,
            text=p.advice if p.cue is None else f"{p.advice} Cue: “{p.cue}”.",
            records=(p.id,),
            sources=p.sources,
        )
        for p in kb.of(PreventionItem)
    )


def education_order(kb: KnowledgeBase, assessment: AssessmentResult) -> tuple[EducationTopic, ...]:
    """Education topics, the ones closest to this person's assessment first."""
    words: set[str] = set(assessment.patterns)
    if assessment.start_back is not None and assessment.start_back.risk != "low":
        words |= {"fear", "reassur", "pain", "myth"}
    if "radicular" in words:
        words.add("sciatica")
    topics = kb.of(EducationTopic)

    def relevance(topic: EducationTopic) -> int:
        hay = " ".join((topic.id, topic.title, *topic.topics)).lower()
        return -sum(w in hay for w in words)

    return tuple(sorted(topics, key=relevance))


def start_back_item(assessment: AssessmentResult) -> PlanItem | None:
    """Matched care for the STarT Back risk group.

    References: hill-2011-startback, keele-startback
    """
    sb = assessment.start_back
    if sb is None:
        return None
    text = {
        "low": "Your STarT Back answers suggest a low risk of a slow recovery. Back pain like "
        "yours usually settles with the self-management in this plan; you are unlikely to "
        "need more treatment.",
        "medium": "Your STarT Back answers suggest a medium risk. A course of physiotherapy "
        "alongside this plan is likely to help.",
        "high": "Your STarT Back answers suggest worry, low mood or fear of movement may be "
        "slowing recovery. That is common and treatable: physiotherapy that includes "
        "psychological support works best. Ask your GP or a physiotherapist for it. Meanwhile, "
        "gentle movement is safe, and pain during movement does not mean harm.",
    }[sb.risk]
    return PlanItem(
        f"start_back.{sb.risk}",
        "referral" if sb.risk == "high" else "advice",
        f"STarT Back: {sb.risk} risk",
        text,
        (),
        ("hill-2011-startback", "keele-startback"),
    )


def reason_items(assessment: AssessmentResult) -> tuple[PlanItem, ...]:
    """The assessment's reasons as cited items."""
    return tuple(
        PlanItem(f"reason.{r.rule}", "advice", r.rule.replace("_", " "), r.text, (), r.sources)
        for r in assessment.reasons
    )


def _advice(
    key: str,
    kind: str,
    title: str,
    text: str,
    records: tuple[Treatment, ...],
    sources: tuple[str, ...],
) -> PlanItem:
    all_sources = _unique((*sources, *(s for r in records for s in r.sources)))
    return PlanItem(key, kind, title, text, tuple(r.id for r in records), all_sources)  # type: ignore[arg-type]


def _matching(kb: KnowledgeBase, category: str, words: tuple[str, ...]) -> tuple[Treatment, ...]:
    """Treatment records of a category whose id or name mentions one of `words`."""
    pool = [t for t in kb.of(Treatment) if t.category == category]
    if not words:
        return tuple(pool)
    return tuple(t for t in pool if any(w in f"{t.id} {t.name}".lower() for w in words))


def _unique(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))
