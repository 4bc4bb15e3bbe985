"""`assert_produced`: a test's proof that a knowledge-base record produced an engine output.

`backstride kb trace` counts a record as covered only by tests that call this on the
output of an engine run (assessment, plan, progress, analytics). With the environment
variable BACKSTRIDE_TRACE_LOG set to a file, each passing check appends one JSON line
`{"record", "test"}` that `backstride kb trace --log FILE` reads.

Plain-word labels and screen sentences carry no provenance field (an output shows their
words, not their id): `assert_labelled` and `assert_said` count one as produced when its
lookup served it while the output was rendered (`records_served`) and the rendered text
shows its words.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

from backstride.knowledge import load_knowledge_base
from backstride.knowledge.labels import PlainLabel
from backstride.knowledge.templates import fill
from backstride.knowledge.texts import ScreenTexts
from backstride.knowledge.trace import produced_ids, record_of

LOG_VARIABLE = "BACKSTRIDE_TRACE_LOG"


def assert_produced(output: object, *record_ids: str) -> None:
    """Fail unless every id (a record, or an id nested in one) is in the output's provenance."""
    kb = load_knowledge_base()
    carried = produced_ids(output)
    owners = {record_of(i, kb) for i in carried} | carried
    missing = [r for r in record_ids if r not in owners]
    assert not missing, f"{missing} not in the output's provenance {sorted(carried)}"
    _log(record_of(record_id, kb) or record_id for record_id in record_ids)


def assert_labelled(rendered: str, served: set[str], *label_ids: str) -> None:
    """Fail unless the label lookup served each label while `rendered` was made (`served`
    from `records_served`) and the rendered text shows the label's words."""
    kb = load_knowledge_base()
    shown = " ".join(rendered.split())
    for label_id in label_ids:
        assert label_id in served, f"{label_id} was not looked up; served {sorted(served)}"
        words = kb.one(PlainLabel, label_id).words
        assert " ".join(words.split()) in shown, f"{words!r} ({label_id}) not in {shown!r}"
    _log(label_ids)


def assert_said(
    rendered: str, served: set[str], screen: str, name: str, /, **values: object
) -> None:
    """Fail unless the screen's sentences (`text.<screen>`) were looked up while `rendered`
    was made and it shows the sentence `name` filled with `values`."""
    record = load_knowledge_base().one(ScreenTexts, f"text.{screen}")
    assert record.id in served, f"{record.id} was not looked up; served {sorted(served)}"
    sentence = " ".join(fill(record.texts[name], values).split())
    assert sentence in " ".join(rendered.split()), f"{sentence!r} ({record.id}) not shown"
    _log((record.id,))


def _log(record_ids: Iterable[str]) -> None:
    """One `{"record", "test"}` line per record in the run log, when one is asked for."""
    log = os.environ.get(LOG_VARIABLE)
    if log:
        test = os.environ.get("PYTEST_CURRENT_TEST", "?").rsplit(" ", 1)[0]
        with Path(log).open("a", encoding="utf-8") as handle:
            for record_id in record_ids:
                handle.write(json.dumps({"record": record_id, "test": test}) + "\n")
