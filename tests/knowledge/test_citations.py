"""Sources as a person reads them: authors and year, never the source's id."""

from __future__ import annotations

import pytest

from backstride.knowledge import load_knowledge_base
from backstride.knowledge.citations import cite_line, short_citation

KB = load_knowledge_base()


@pytest.mark.parametrize(
    ("source_id", "expected"),
    [
        ("nice-ng59", "NICE 2016"),  # an organisation by its short name from the data
        ("roland-morris-1983", "Roland & Morris 1983"),  # two authors
        ("hill-2008-startback", "Hill et al. 2008"),  # "et al." in the list
        ("kamper-2010", "Kamper et al. 2010"),  # six authors, no "et al."
        ("edwards-1993", "Edwards 1993"),  # one author
        ("girft-cauda-equina", "GIRFT 2023"),  # the bracketed short name after the full one
    ],
)
def test_a_source_reads_as_its_authors_and_year(source_id: str, expected: str) -> None:
    assert short_citation(KB.sources[source_id]) == expected


def test_every_source_reads_in_plain_words_with_its_year() -> None:
    for source in KB.sources.values():
        words = short_citation(source)
        assert source.id not in words, source.id
        assert words.endswith(f" {source.year}"), (source.id, words)
        assert len(words) <= 40, (source.id, words)


def test_several_sources_are_named_once_each_in_the_order_given() -> None:
    line = cite_line(KB, ["nice-ng59", "girft-cauda-equina", "nice-ng59", "not-a-source"])
    assert line == "NICE 2016; GIRFT 2023"
