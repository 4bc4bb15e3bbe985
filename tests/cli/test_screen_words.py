"""The terminal says what the `text.<screen>` records say: each command below is run for
real and its answer compared with the record's sentence, read from the knowledge base."""

from __future__ import annotations

import io
import sys
import warnings
from pathlib import Path

import pytest

from backstride.knowledge import load_knowledge_base
from backstride.knowledge.served import records_served
from backstride.knowledge.texts import intended_purpose, screen_text
from tests.conftest import run_backstride
from tests.provenance import assert_said

KB = load_knowledge_base()

#: (command line, standard input, screen, sentence, its fields, where it is said, exit code)
ANSWERS = [
    (["activity", "list"], None, "activity", "empty", {}, "stdout", 0),
    (["shoes", "list"], None, "shoes", "empty", {}, "stdout", 0),
    (["shoes", "add", "Blue trainers"], None, "shoes", "added", {"name": "Blue trainers"},
     "stdout", 0),
    (["forget"], "n\n", "data", "nothing_deleted", {}, "stdout", 0),
    (["activity", "tag", "1"], None, "activity", "tag_refused", {}, "stderr", 2),
    (["shoes", "list", "--format", "yaml"], None, "app", "format_refused", {"got": "yaml"},
     "stderr", 2),
    (["kb", "show", "nowhere"], None, "kb", "not_found", {"id": "nowhere"}, "stderr", 2),
    (["user", "consent", "someone@example.org", "maybe"], None, "user", "consent_refused",
     {"answer": "maybe"}, "stderr", 2),
    (["plan", "--findings", "findings.json"], None, "plan", "findings_refused", {}, "stderr", 2),
    (["cohort", "analyze", "--out", "out"], None, "cohort", "source_refused", {}, "stderr", 2),
]  # fmt: skip


@pytest.mark.parametrize(
    ("argv", "stdin", "screen", "name", "values", "stream", "code"),
    ANSWERS,
    ids=[f"{' '.join(row[0][:2])} {row[3]}" for row in ANSWERS],
)
def test_a_command_answers_in_the_words_of_its_screen_record(
    home: Path,
    argv: list[str],
    stdin: str | None,
    screen: str,
    name: str,
    values: dict[str, object],
    stream: str,
    code: int,
) -> None:
    result = run_backstride(*argv, input_text=stdin)
    assert result.code == code, result.stderr
    said = result.stdout if stream == "stdout" else result.stderr
    sentence = screen_text(KB, screen, name, **values)
    if stream == "stderr":  # a refusal: one line, the program's prefix, then the sentence
        (line,) = said.strip().splitlines()
        assert line.startswith("backstride: error: ")
        assert sentence in line
    else:
        assert sentence in said.splitlines()[-1]


def test_the_welcome_states_the_intended_purpose_from_its_record(home: Path) -> None:
    result = run_backstride("start", "--no-interactive")
    assert result.code == 0, result.stderr
    purpose = intended_purpose(KB)
    assert "does not diagnose" in purpose
    assert purpose in result.stdout
    assert result.stdout.index(purpose) < result.stdout.index(
        screen_text(KB, "start", "not_interactive")
    )


def test_a_restore_counts_what_it_restored_in_plain_words(home: Path, tmp_path: Path) -> None:
    from tests.cli.test_plain_words import ids_in

    assert run_backstride("shoes", "add", "Blue trainers").code == 0
    week = ("--pain", "3", "--function", "7", "--sessions", "2", "--week-end", "2026-11-29")
    assert run_backstride("checkin", *week).code == 0  # a table named in two words
    export = tmp_path / "export.json"
    assert run_backstride("export", "--out", str(export)).code == 0
    assert run_backstride("forget", "--yes").code == 0
    result = run_backstride("import-data", str(export))
    assert result.code == 0, result.stderr
    assert "1 shoe" in result.stdout
    assert "1 weekly checkin" in result.stdout
    assert ids_in(result.stdout) == []


@pytest.mark.parametrize("row", ANSWERS, ids=[f"{' '.join(r[0][:2])} {r[3]}" for r in ANSWERS])
def test_the_sentence_shown_was_read_from_its_record(
    home: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    row: tuple[list[str], str | None, str, str, dict[str, object], str, int],
) -> None:
    """The same commands run in this process while the sentence lookups are watched: the
    record was looked up for this very answer (what `kb trace` counts as produced)."""
    from backstride.cli.app import main

    argv, stdin, screen, name, values, stream, code = row
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin or ""))
    with warnings.catch_warnings():  # typer uses click names click deprecates
        warnings.simplefilter("ignore", DeprecationWarning)
        with records_served() as served, pytest.raises(SystemExit) as exit_info:
            main(argv)
    assert exit_info.value.code == code
    said = capsys.readouterr()
    assert_said(said.out if stream == "stdout" else said.err, served, screen, name, **values)
