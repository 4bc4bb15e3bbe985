"""The `backstride` command: a lazy root group so each command imports only what it needs.

Every command module exposes `command: click.Command` (usually `typer.main.get_command`
of its Typer app). Errors a user can cause (`BackstrideError`) become one line on stderr
and exit code 2; no traceback reaches the user.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from backstride import __version__
from backstride.errors import BackstrideError

#: name -> (module, one-line help). Order is the order `--help` shows. This table is the
#: composition root: it names modules by string, so `serve` (the web shell's entry point)
#: is reached without the CLI shell importing the web shell.
COMMANDS: dict[str, tuple[str, str]] = {
    "start": ("backstride.cli.start", "Guided welcome that leads into the assessment."),
    "assess": ("backstride.cli.assess", "Screen for danger signs and assess your back pain."),
    "plan": ("backstride.cli.plan", "Build your personal relief, exercise and return-to-run plan."),
    "import": ("backstride.cli.imports", "Import activity files, folders and exports."),
    "activity": ("backstride.cli.activity", "Inspect one activity file without storing it."),
    "analyze": ("backstride.cli.analyze", "Find modifiable factors in your training history."),
    "chart": ("backstride.cli.chart", "Draw load, cadence, form or shoe charts."),
    "shoes": ("backstride.cli.shoes", "Track shoes and their distance."),
    "diary": ("backstride.cli.diary", "Log pain and runs in your diary."),
    "checkin": ("backstride.cli.checkin", "Check in for the week; next week's plan follows it."),
    "progress": ("backstride.cli.progress", "Show recovery progress and any escalation."),
    "report": ("backstride.cli.report", "Write a report to hand to a clinician."),
    "review": ("backstride.cli.review", "Record a clinician's review of a warning sign."),
    "export": ("backstride.cli.data", "Export all your data as JSON or a FHIR bundle."),
    "import-data": ("backstride.cli.data", "Restore data from an export."),
    "forget": ("backstride.cli.data", "Delete all your data (asks first)."),
    "cohort": ("backstride.cli.cohort", "Analyse many runners at once (clubs, clinics, studies)."),
    "kb": ("backstride.cli.kb", "Inspect and validate the knowledge base."),
    "serve": ("backstride.web.serve", "Run the web app (assessment, plan, API) locally."),
    "user": ("backstride.cli.user", "Manage the web app's accounts (add, list, role, ...)."),
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        module = importlib.import_module(entry[0])
        found = getattr(module, "commands", {}).get(cmd_name) or getattr(module, "command", None)
        if not isinstance(found, click.Command):
            raise click.ClickException(_say("not_available", command=cmd_name))
        return found

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, help_text) for name, (_module, help_text) in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="backstride")
@click.option("--user", "user_email", envvar="BACKSTRIDE_USER", default=None, metavar="EMAIL",
              help="Act for this account (default: the owner account).")  # fmt: skip
def cli(user_email: str | None) -> None:
    """backstride: screening, self-management plans and training-history analysis for
    runners with lower back pain. Information and self-management support for adults;
    not a diagnosis."""
    from datetime import UTC, datetime

    from backstride.services.moment import started_at

    started_at(datetime.now(UTC))  # the time a row created on first use (the owner) carries
    if user_email:
        from backstride.config import load_settings
        from backstride.services.accounts import act_as

        act_as(load_settings(), user_email)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, mapping user errors to one line and exit code 2."""
    try:
        # Without standalone mode click *returns* the code of an Exit raised by a command.
        code = cli.main(args=argv, prog_name="backstride", standalone_mode=False)
    except BackstrideError as exc:
        _fail(str(exc), 2)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.UsageError as exc:
        _fail(_usage_line(exc), exc.exit_code)
    except click.ClickException as exc:
        _fail(exc.format_message(), exc.exit_code)
    except click.exceptions.Abort:
        _fail(_say("aborted"), 1)
    except KeyboardInterrupt:
        _fail(_say("interrupted"), 130)
    sys.exit(code if isinstance(code, int) else 0)


def _usage_line(exc: click.UsageError) -> str:
    """A usage error as one line that names where the options are explained."""
    message = exc.format_message().rstrip(".")
    where = exc.ctx.command_path if exc.ctx is not None else "backstride"
    return _say("usage", message=message, where=where)


def _say(name: str, **values: object) -> str:
    """One sentence of `text.app`, read only when a command fails (never for `--version`);
    when the knowledge base itself cannot load, the reason it cannot is said instead."""
    from backstride.cli.words import screen

    try:
        return screen("app")(name, **values)
    except BackstrideError as exc:
        return str(exc)


def _fail(message: str, code: int) -> Any:
    # "backstride: error: " is the program's diagnostic prefix (as Unix tools write theirs),
    # kept here so that a knowledge base that cannot load is still reported on one line.
    click.echo(f"backstride: error: {message}", err=True)
    sys.exit(code)
