"""Sources as a person reads them in running text: "Hill et al. 2011", "NICE 2016".

Record ids and source ids are for programs (JSON, the clinician report); a page a runner
reads names a source by its authors and year, and lists the full reference where it has room.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from backstride.knowledge.model import KnowledgeBase, Source

#: "Surname AB": a person's name in a Vancouver-style author list
_PERSON = re.compile(r"^(?P<surname>.+?) (?P<initials>[A-Z]{1,4})$")
#: "(GIRFT)": an organisation's short name given in brackets after its full name
_ACRONYM = re.compile(r"\(([A-Z][A-Za-z]{1,11})\)")


def short_citation(source: Source) -> str:
    """The source's first author (or organisation) and year."""
    if source.short is not None:
        return f"{source.short} {source.year}"
    people = [part.strip() for part in source.authors.split(",")]
    first = _PERSON.match(people[0])
    if first is None:
        acronym = _ACRONYM.search(source.authors)
        who = acronym.group(1) if acronym else people[0]
    else:
        named = [p for p in people if _PERSON.match(p)]
        more = len(named) > 2 or "et al" in source.authors
        if len(named) == 2 and not more:
            second = _PERSON.match(named[1])
            assert second is not None
            who = f"{first['surname']} & {second['surname']}"
        else:
            who = first["surname"] + (" et al." if more else "")
    return f"{who} {source.year}"


def cite_line(kb: KnowledgeBase, source_ids: Iterable[str]) -> str:
    """Several sources in one bracket's words, each once, in the order given."""
    seen: dict[str, None] = dict.fromkeys(source_ids)
    return "; ".join(short_citation(kb.sources[i]) for i in seen if i in kb.sources)
