"""Assessment use cases: read a case file, assess it against the knowledge base, save answers.

No database is involved, so this module imports neither storage nor settings: the
`assess --format json` path stays fast from a cold start.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from backstride.assess.casefile import CaseFormat, parse_case_text
from backstride.assess.intake import Case
from backstride.assess.result import AssessmentResult
from backstride.assess.triage import assess, assess_answers
from backstride.errors import InputError
from backstride.knowledge import KnowledgeBase, load_knowledge_base

_FORMATS: dict[str, CaseFormat] = {".yaml": "yaml", ".yml": "yaml", ".json": "json"}
#: Results of cases assessed lately, by the case's content and the knowledge base's version
#: and digest (the assessment is a pure function of both), at most ASSESSED_MAX of them.
ASSESSED_MAX = 256
_assessed: OrderedDict[tuple[str, str, str], AssessmentResult] = OrderedDict()
_assessed_lock = threading.Lock()


def knowledge_base() -> KnowledgeBase:
    """The packaged knowledge base (parsed once per process)."""
    return load_knowledge_base()


def case_from_json(text: str, *, name: str) -> Case:
    """The case in JSON `text`; `name` labels the input in error messages."""
    return parse_case_text(text, fmt="json", name=name)


def read_case_file(source: str) -> Case:
    """The case in file `source` (YAML or JSON by extension)."""
    path = Path(source)
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(
            f"--input: expected a .yaml, .yml or .json file (or - for JSON on stdin), got {source}"
        )
    try:
        text = path.read_text(encoding="utf-8-sig")  # tolerate a byte-order mark
    except FileNotFoundError:
        raise InputError(f"--input: file not found: {source}") from None
    except IsADirectoryError:
        raise InputError(f"--input: expected a file, got a directory: {source}") from None
    except UnicodeDecodeError:
        raise InputError(f"--input: {source} is not UTF-8 text") from None
    except OSError as exc:
        raise InputError(f"--input: cannot read {source}: {exc.strerror}") from None
    return parse_case_text(text, fmt=fmt, name=path.name)


def assess_case(case: Case) -> AssessmentResult:
    """Assess a case already validated (from the questionnaire).

    The same case answered again against the same knowledge base gets the result the
    engine gave it (an immutable value: nothing in it can go stale while both are the same).
    """
    kb = knowledge_base()
    key = (case.model_dump_json(), kb.version, kb.digest)
    with _assessed_lock:
        found = _assessed.get(key)
        if found is not None:
            _assessed.move_to_end(key)
            return found
    result = assess(case, kb)
    with _assessed_lock:
        _assessed[key] = result
        while len(_assessed) > ASSESSED_MAX:
            _assessed.popitem(last=False)
    return result


def screen_answers(answers: Mapping[str, Any]) -> AssessmentResult:
    """The red-flag screen over the questionnaire's answers so far."""
    return assess_answers(answers, knowledge_base())


def case_document(case: Case) -> dict[str, Any]:
    """The case as a case-file mapping, leaving out answers that are only defaults."""
    return case.model_dump(mode="json", exclude_defaults=True)


def save_case(case: Case, target: str) -> Path:
    """Write the case as a case file (YAML, or JSON for a .json name)."""
    path = Path(target)
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"--save: expected a .yaml, .yml or .json file name, got {target}")
    document = case_document(case)
    if fmt == "json":
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    else:
        import yaml

        text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"--save: cannot write {target}: {exc.strerror}") from None
    return path
