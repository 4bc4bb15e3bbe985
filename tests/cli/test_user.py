"""`backstride user`: accounts managed from the CLI in the same database as the web app."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_backstride

PASSWORD = "a long enough secret 42\n"


def test_an_admin_adds_lists_gives_roles_resets_and_deletes_accounts(home: Path) -> None:
    added = run_backstride("user", "add", "dr@example.org", "--role", "clinician",
                           "--password-stdin", input_text=PASSWORD)  # fmt: skip
    assert added.code == 0, added.stderr
    assert "clinician" in added.stdout
    run_backstride("user", "add", "ann@example.org", "--password-stdin", input_text=PASSWORD)
    listed = run_backstride("user", "list")
    assert "dr@example.org" in listed.stdout
    assert "ann@example.org" in listed.stdout
    role = run_backstride("user", "role", "ann@example.org", "admin")
    assert "admin" in role.stdout
    weak = run_backstride("user", "reset-password", "ann@example.org", "--password-stdin",
                          input_text="short\n")  # fmt: skip
    assert weak.code == 2
    assert "at least 10" in weak.stderr
    reset = run_backstride("user", "reset-password", "ann@example.org", "--password-stdin",
                           input_text="another long secret 43\n")  # fmt: skip
    assert reset.code == 0
    gone = run_backstride("user", "delete", "ann@example.org", "--yes")
    assert gone.code == 0
    assert "ann@example.org" not in run_backstride("user", "list").stdout


def test_the_cli_acts_as_the_owner_unless_told_another_account(home: Path) -> None:
    run_backstride("user", "add", "ann@example.org", "--password-stdin", input_text=PASSWORD)
    mine = run_backstride("diary", "add", "--pain", "4", "--date", "2026-01-02")
    assert mine.code == 0, mine.stderr
    hers = run_backstride("--user", "ann@example.org", "diary", "list")
    assert "empty" in hers.stdout
    owner = run_backstride("diary", "list")
    assert "2026-01-02" in owner.stdout
    assert "owner@localhost" in run_backstride("user", "list").stdout
    unknown = run_backstride("--user", "nobody@example.org", "diary", "list")
    assert unknown.code == 2
    assert "no account" in unknown.stderr


def test_forget_and_export_refuse_a_database_that_holds_other_peoples_accounts(
    home: Path,
) -> None:
    mine = run_backstride("diary", "add", "--pain", "4", "--date", "2026-01-02")
    assert mine.code == 0, mine.stderr
    run_backstride("user", "add", "ann@example.org", "--password-stdin", input_text=PASSWORD)
    hers = run_backstride("--user", "ann@example.org", "diary", "add", "--pain", "2",
                          "--date", "2026-01-03")  # fmt: skip
    assert hers.code == 0, hers.stderr
    for command in (["forget", "--yes"], ["export"]):
        refused = run_backstride(*command)
        assert refused.code == 2
        assert "holds 2 accounts" in refused.stderr
        assert refused.stdout == ""
    still = run_backstride("--user", "ann@example.org", "diary", "list", "--format", "json")
    assert [entry["pain_now"] for entry in json.loads(still.stdout)] == [2]
