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


def test_declining_forget_keeps_data_says_so_and_exits_zero(home: Path) -> None:
    result = run_backstride("forget", input_text="n\n")
    assert result.code == 0
    assert result.stdout.strip().endswith("Nothing was deleted.")
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("plan", "--weeks", "many"), "'many' is not a valid integer"),
        (("no-such-command",), "No such command 'no-such-command'"),
        (("diary", "add", "--pain", "eleven"), "'eleven' is not a valid integer"),
        (("progress", "--no-such-option"), "--no-such-option"),
        (("chart",), "Missing argument 'KIND'"),
    ],
)
def test_every_usage_error_is_one_plain_line_with_exit_code_two(
    home: Path, args: tuple[str, ...], needle: str
) -> None:
    result = run_backstride(*args)
    assert result.code == 2
    assert result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("backstride: error: ")
    assert needle in line
    assert "--help" in line
    assert "Traceback" not in result.stderr


def test_a_plan_without_a_case_file_or_a_kept_check_says_what_to_do(home: Path) -> None:
    result = run_backstride("plan")
    assert result.code == 2
    assert result.stderr == (
        "backstride: error: no check has been kept yet: run `backstride start` "
        "(or pass --input case.yaml)\n"
    )
