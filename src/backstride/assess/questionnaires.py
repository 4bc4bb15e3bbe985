"""Scoring the STarT Back Screening Tool and the Roland-Morris Disability Questionnaire."""

from __future__ import annotations

from collections.abc import Sequence

from backstride.assess.result import StartBackRisk, StartBackScore
from backstride.knowledge.model import KnowledgeBase
from backstride.knowledge.rules import Questionnaire

STARTBACK_ID = "startback"
RMDQ_ID = "rmdq"

StartBackAnswers = tuple[bool, bool, bool, bool, bool, bool, bool, bool, str]


def answer_code(label: str) -> str:
    """The case-file code of a published answer label ("Very much" -> "very_much")."""
    return label.lower().replace(" ", "_")


def score_start_back(answers: StartBackAnswers, kb: KnowledgeBase) -> StartBackScore:
    """Total (items 1-9), psychosocial subscale (items 5-9) and risk group.

    References: hill-2008-startback, keele-startback
    """
    tool = kb.one(Questionnaire, STARTBACK_ID)
    points = _item_points(answers, tool)
    total = sum(points)
    subscale = sum(points[n - 1] for n in tool.subscale_items)
    risk: StartBackRisk
    if subscale >= tool.thresholds["high_subscale_min"]:
        risk = "high"
    elif total <= tool.thresholds["low_total_max"]:
        risk = "low"
    else:
        risk = "medium"
    return StartBackScore(total=total, psychosocial=subscale, risk=risk)


def _item_points(answers: StartBackAnswers, tool: Questionnaire) -> list[int]:
    points: list[int] = []
    for item, answer in zip(tool.items, answers, strict=True):
        if item.answers:
            scoring = {answer_code(label) for label in item.scoring_answers}
            points.append(int(answer in scoring))
        else:
            points.append(int(answer is True))
    return points


def score_rmdq(ticked: Sequence[int], kb: KnowledgeBase) -> int:
    """The RMDQ score: the number of distinct statements ticked (0-24).

    References: roland-morris-1983, roland-fairbank-2000
    """
    numbers = {item.number for item in kb.one(Questionnaire, RMDQ_ID).items}
    unknown = sorted(set(ticked) - numbers)
    if unknown:
        raise ValueError(f"RMDQ statement numbers must be 1-{max(numbers)}, got {unknown}")
    return len(set(ticked))
