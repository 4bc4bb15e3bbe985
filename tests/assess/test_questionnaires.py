"""STarT Back and RMDQ: exact published wording, copyright line and scoring boundaries."""

from __future__ import annotations

import pytest

from backstride.assess.questionnaires import StartBackAnswers, score_rmdq, score_start_back
from backstride.knowledge import KnowledgeBase
from backstride.knowledge.rules import Questionnaire

KEELE_ITEMS = (
    "My back pain has spread down my leg(s) at some time in the last 2 weeks",
    "I have had pain in the shoulder or neck at some time in the last 2 weeks",
    "I have only walked short distances because of my back pain",
    "In the last 2 weeks, I have dressed more slowly than usual because of back pain",
    "It’s not really safe for a person with a condition like mine to be physically active",
    "Worrying thoughts have been going through my mind a lot of the time",
    "I feel that my back pain is terrible and it’s never going to get any better",
    "In general I have not enjoyed all the things I used to enjoy",
    "Overall, how bothersome has your back pain been in the last 2 weeks?",
)


def _answers(agree: set[int], bother: str = "not_at_all") -> StartBackAnswers:
    flags = [n in agree for n in range(1, 9)]
    return (*flags, bother)  # type: ignore[return-value]


@pytest.mark.covers("startback")
def test_start_back_items_are_keele_wording_with_the_copyright_line(kb: KnowledgeBase) -> None:
    tool = kb.one(Questionnaire, "startback")
    assert tuple(item.text for item in tool.items) == KEELE_ITEMS
    assert tool.copyright == "© Keele University 01/08/07"
    assert tool.items[8].answers == (
        "Not at all",
        "Slightly",
        "Moderately",
        "Very much",
        "Extremely",
    )
    assert "non-commercial" in tool.licence
    assert "permission" in tool.licence


@pytest.mark.covers("startback")
@pytest.mark.parametrize(
    ("agree", "bother", "total", "subscale", "risk"),
    [
        (set(), "not_at_all", 0, 0, "low"),
        ({1, 2, 3}, "extremely", 4, 1, "medium"),  # total 4 via item 9: medium
        ({1, 2, 3}, "moderately", 3, 0, "low"),  # total 3: low
        ({1, 2, 3, 4}, "slightly", 4, 0, "medium"),  # total 4, subscale 0
        ({5, 6, 7}, "slightly", 3, 3, "low"),  # total 3 with subscale 3: low
        ({1, 5, 6, 7}, "not_at_all", 4, 3, "medium"),  # subscale 3: not high
        ({5, 6, 7}, "very_much", 4, 4, "high"),  # subscale 4: high
        ({5, 6, 7, 8}, "moderately", 4, 4, "high"),
        ({1, 2, 3, 4, 5, 6, 7, 8}, "extremely", 9, 5, "high"),
    ],
)
def test_start_back_scores_and_risk_groups_at_every_boundary(
    agree: set[int], bother: str, total: int, subscale: int, risk: str, kb: KnowledgeBase
) -> None:
    score = score_start_back(_answers(agree, bother), kb)
    assert (score.total, score.psychosocial, score.risk) == (total, subscale, risk)


@pytest.mark.covers("startback")
@pytest.mark.parametrize(
    ("bother", "point"),
    [("not_at_all", 0), ("slightly", 0), ("moderately", 0), ("very_much", 1), ("extremely", 1)],
)
def test_only_very_much_or_extremely_bothersome_scores_a_point(
    bother: str, point: int, kb: KnowledgeBase
) -> None:
    assert score_start_back(_answers(set(), bother), kb).total == point


@pytest.mark.covers("rmdq")
def test_rmdq_has_the_24_original_statements(kb: KnowledgeBase) -> None:
    tool = kb.one(Questionnaire, "rmdq")
    assert [item.number for item in tool.items] == list(range(1, 25))
    texts = [item.text for item in tool.items]
    assert texts[0] == "I stay at home most of the time because of my back."
    assert texts[15] == (
        "I have trouble putting on my socks (or stockings) because of the pain in my back."
    )
    assert texts[23] == "I stay in bed most of the time because of my back."
    assert len(set(texts)) == 24


@pytest.mark.covers("rmdq")
@pytest.mark.parametrize(
    ("ticked", "score"),
    [((), 0), ((3, 7, 12), 3), (tuple(range(1, 25)), 24), ((24,), 1), ((1,), 1)],
)
def test_rmdq_score_counts_the_ticked_statements(
    ticked: tuple[int, ...], score: int, kb: KnowledgeBase
) -> None:
    assert score_rmdq(ticked, kb) == score


@pytest.mark.covers("rmdq")
@pytest.mark.parametrize("ticked", [(0,), (25,), (1, 99)])
def test_rmdq_rejects_statement_numbers_outside_1_to_24(
    ticked: tuple[int, ...], kb: KnowledgeBase
) -> None:
    with pytest.raises(ValueError, match="1-24"):
        score_rmdq(ticked, kb)
