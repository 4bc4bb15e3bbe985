"""The root command works through the real entry point."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from backstride import __version__
from backstride.cli.app import COMMANDS, main
from tests.conftest import run_backstride


def test_version_prints_the_package_version(home: Path) -> None:
    result = run_backstride("--version")
    assert result.code == 0
    assert __version__ in result.stdout


def test_help_lists_every_command_group(home: Path) -> None:
    result = run_backstride("--help")
    assert result.code == 0
    for name in ("assess", "plan", "import", "analyze", "diary", "progress", "kb"):
        assert f"  {name} " in result.stdout


def test_unknown_command_is_a_usage_error_without_traceback(home: Path) -> None:
    result = run_backstride("no-such-command")
    assert result.code == 2
    assert "Traceback" not in result.stderr
    assert "no-such-command" in result.stderr


def test_start_without_questionnaire_states_the_intended_purpose(home: Path) -> None:
    result = run_backstride("start", "--no-interactive")
    assert result.code == 0
    assert "not diagnose" in result.stdout


@click.command("exit-three")
def _exit_three() -> None:
    raise click.exceptions.Exit(3)


commands = {"exit-three": _exit_three}  # found by the lazy root through COMMANDS below


def test_an_exit_code_raised_by_a_command_reaches_the_shell(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(COMMANDS, "exit-three", ("tests.cli.test_root", "exits with 3"))
    with pytest.raises(SystemExit) as exited:
        main(["exit-three"])
    assert exited.value.code == 3


def test_declining_forget_keeps_data_and_does_not_exit_zero(home: Path) -> None:
    result = run_backstride("forget", input_text="n\n")
    assert result.code != 0
    assert "Traceback" not in result.stderr
