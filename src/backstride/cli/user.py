"""`backstride user`: manage the accounts of the web app (same database as the CLI)."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import Annotated

import typer

from backstride.cli.words import screen
from backstride.config import load_settings
from backstride.errors import InputError
from backstride.services import accounts

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, no_args_is_help=True,
                  help="Manage the web app's accounts.")  # fmt: skip
_say = screen("user")
ROLE_HELP = "owner, admin, runner or clinician."


def _password(from_stdin: bool, *, confirm: bool = True) -> str:
    """The new password: one line of stdin, or asked twice without echo."""
    if from_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise InputError(_say("password_missing"))
        return line
    value: str = typer.prompt(_say("password_prompt"), hide_input=True, confirmation_prompt=confirm)
    return value


@app.command("add")
def add(
    email: str = typer.Argument(..., help="The account's email address."),
    role: Annotated[list[str] | None, typer.Option("--role", help="A role to give.")] = None,
    password_stdin: bool = typer.Option(False, "--password-stdin",
                                        help="Read the password from standard input."),
    no_password: bool = typer.Option(False, "--no-password",
                                     help="No password yet (set one with reset-password)."),
    invite: bool = typer.Option(False, "--invite",
                                help="Only invite the address (it registers itself)."),
) -> None:  # fmt: skip
    """Add an account (or invite an address to register)."""
    settings, now = load_settings(), datetime.now(UTC)
    if invite:
        accounts.admin_invite(settings, email=email, now=now)
        typer.echo(_say("invited", email=email.strip().lower()))
        return
    password = None if no_password else _password(password_stdin)
    account = accounts.admin_add(
        settings, email=email, password=password, roles=role or [], now=now
    )
    typer.echo(_say("added", email=account.email, roles=", ".join(account.roles)))


@app.command("list")
def list_accounts() -> None:
    """List every account with its roles."""
    for account in accounts.admin_list(load_settings()):
        consent = _say("row_consent") if account.research_consent else ""
        roles = ", ".join(account.roles)
        typer.echo(_say("row", id=account.id, email=account.email, roles=roles, consent=consent))


@app.command("role")
def role(
    email: str = typer.Argument(..., help="The account's email address."),
    name: str = typer.Argument(..., help=f"The role ({ROLE_HELP})"),
    remove: bool = typer.Option(False, "--remove", help="Take the role away instead."),
) -> None:
    """Give an account a role (or take it away with --remove)."""
    account = accounts.admin_role(load_settings(), email=email, role=name, remove=remove)
    typer.echo(_say("roles", email=account.email, roles=", ".join(account.roles)))


@app.command("reset-password")
def reset_password(
    email: str = typer.Argument(..., help="The account's email address."),
    password_stdin: bool = typer.Option(False, "--password-stdin",
                                        help="Read the password from standard input."),
) -> None:  # fmt: skip
    """Set a new password for an account (it is signed out everywhere)."""
    accounts.admin_reset_password(load_settings(), email=email,
                                  password=_password(password_stdin))  # fmt: skip
    typer.echo(_say("password_changed", email=email.strip().lower()))


@app.command("consent")
def consent(
    email: str = typer.Argument(..., help="The account's email address."),
    answer: str = typer.Argument(..., help="yes or no."),
) -> None:
    """Record whether the account agrees to research use of its data."""
    if answer not in ("yes", "no"):
        raise InputError(_say("consent_refused", answer=answer))
    settings = load_settings()
    account = accounts.find_account(settings, email)
    accounts.set_research_consent(settings, user_id=account.id, consent=answer == "yes")
    typer.echo(_say("consent", email=account.email, answer=answer))


@app.command("delete")
def delete(
    email: str = typer.Argument(..., help="The account's email address."),
    yes: bool = typer.Option(False, "--yes", help="Do not ask first."),
) -> None:
    """Delete an account and all its data."""
    if not yes:
        typer.confirm(_say("delete_confirm", email=email), abort=True)
    accounts.admin_delete(load_settings(), email=email)
    typer.echo(_say("deleted", email=email.strip().lower()))


command = typer.main.get_command(app)
