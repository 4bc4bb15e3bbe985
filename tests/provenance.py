"""`assert_produced`: a test's proof that a knowledge-base record produced an engine output.

`backstride kb trace` counts a record as covered only by tests that call this on the
output of an engine run (assessment, plan, progress, analytics). With the environment
variable BACKSTRIDE_TRACE_LOG set to a file, each passing check appends one JSON line
`{"record", "test"}` that `backstride kb trace --log FILE` reads.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from backstride.knowledge import load_knowledge_base
from backstride.knowledge.trace import produced_ids, record_of

LOG_VARIABLE = "BACKSTRIDE_TRACE_LOG"


def assert_produced(output: object, *record_ids: str) -> None:
    """Fail unless every id (a record, or an id nested in one) is in the output's provenance."""
    kb = load_knowledge_base()
    carried = produced_ids(output)
    owners = {record_of(i, kb) for i in carried} | carried
    missing = [r for r in record_ids if r not in owners]
    assert not missing, f"{missing} not in the output's provenance {sorted(carried)}"
    log = os.environ.get(LOG_VARIABLE)
    if log:
        test = os.environ.get("PYTEST_CURRENT_TEST", "?").rsplit(" ", 1)[0]
        with Path(log).open("a", encoding="utf-8") as handle:
            for record_id in record_ids:
                owner = record_of(record_id, kb) or record_id
                handle.write(json.dumps({"record": owner, "test": test}) + "\n")
