"""The web's sentences are records: every sentence a page or form message reads exists in
its page's record, every sentence of those records is read, and a sentence with a link
escapes what it is filled with."""

from __future__ import annotations

import re
from pathlib import Path

from backstride.knowledge.texts import SCREENS
from backstride.web import words

WEB = Path(words.__file__).parent
CALL = re.compile(r"\bsay(?:_marked)?\(\s*\"(\w+)\",\s*")
#: A sentence name in the argument (not a value it is compared with, as in `x == "integer"`).
LITERAL = re.compile(r"(?<!== )(f?)\"(\w+)(\{?)")


def _name_argument(source: str, start: int) -> str:
    """The text of the call's second argument (up to the first keyword or the call's end)."""
    depth, end = 0, start
    while end < len(source):
        char = source[end]
        if char in "([":
            depth += 1
        elif char in ")]":
            if depth == 0:
                break
            depth -= 1
        elif char == "," and depth == 0:
            break
        end += 1
    return source[start:end]


def _reads() -> set[tuple[str, str]]:
    """(record id, sentence name or `prefix*`) of every call in the templates and modules."""
    found = set()
    files = [*WEB.glob("*.py"), *(WEB / "templates").glob("*.j2")]
    for path in files:
        source = path.read_text(encoding="utf-8")
        for call in CALL.finditer(source):
            page = f"text.web_{call.group(1)}"
            for f, name, brace in LITERAL.findall(_name_argument(source, call.end())):
                found.add((page, f"{name}*" if f and brace else name))
    return found


def _web_sentences() -> set[tuple[str, str]]:
    return {(page, name) for page in SCREENS if page.startswith("text.web_")
            for name in SCREENS[page]}  # fmt: skip


def test_every_sentence_a_page_reads_is_in_its_record() -> None:
    sentences = _web_sentences()
    reads = _reads()
    assert reads, "no say() call found: the scan is broken"
    for page, name in reads:
        if name.endswith("*"):
            assert any(p == page and n.startswith(name[:-1]) for p, n in sentences), name
        else:
            assert (page, name) in sentences, f"{page}: {name}"


def test_every_sentence_of_the_web_records_is_read_somewhere() -> None:
    reads = _reads()
    prefixes = {(page, name[:-1]) for page, name in reads if name.endswith("*")}
    unread = {
        (page, name) for page, name in _web_sentences()
        if (page, name) not in reads
        and not any(p == page and name.startswith(prefix) for p, prefix in prefixes)
    }  # fmt: skip
    assert unread == set()


def test_a_marked_sentence_escapes_its_words_and_values_and_keeps_only_its_links() -> None:
    marked = words.say_marked(
        "diary", "step_goal", checkin=words.link("/checkin", "<check-in>"), steps="<b>8000</b>"
    )
    assert '<a href="/checkin">&lt;check-in&gt;</a>' in marked
    assert "&lt;b&gt;8000&lt;/b&gt;" in marked
    assert "<b>" not in marked
    assert marked.striptags().startswith("Your daily step goal from this week")


def test_every_audit_action_has_its_words_on_the_settings_page() -> None:
    from backstride.services.sharing import AUDIT_ACTIONS

    assert {f"action_{a}" for a in AUDIT_ACTIONS} | {"action_other"} == {
        name for name in SCREENS["text.web_settings"] if name.startswith("action_")
    }
