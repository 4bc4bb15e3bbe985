"""The root command works through the real entry point."""

from __future__ import annotations

from pathlib import Path

from backstride import __version__
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
