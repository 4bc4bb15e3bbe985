"""The accounts repository: users, their runner, invitations, roles and research consent.

Functions take a `Session` and never commit. Emails are stored lower-cased and trimmed, so
one address is one account whatever its spelling.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backstride.errors import InputError, NotFoundError
from backstride.storage.account_tables import InvitationRow, UserRow
from backstride.storage.tables import RunnerRow

#: Roles an account may hold; `owner` is the first account of an install.
ROLES = ("owner", "admin", "runner", "clinician")


def normal_email(email: str) -> str:
    """The address as stored: trimmed and lower-case; refused when it is not an address."""
    clean = email.strip().lower()
    local, at, domain = clean.partition("@")
    if not at or not local or not domain or " " in clean or len(clean) > 320:
        raise InputError(f"email: expected an address like name@example.org, got {email!r}")
    return clean


def add_user(
    session: Session,
    *,
    email: str,
    password_hash: str | None,
    roles: list[str],
    now: datetime,
    name: str | None = None,
) -> UserRow:
    """A new account with its own (empty) runner; refused when the email is taken."""
    address = normal_email(email)
    if find_user(session, email=address) is not None:
        raise InputError(f"email: an account for {address} already exists")
    unknown = sorted(set(roles) - set(ROLES))
    if unknown:
        raise InputError(f"role: expected one of {', '.join(ROLES)}, got {unknown[0]!r}")
    runner = RunnerRow(name=name or address, created_at=now, profile={})
    session.add(runner)
    session.flush()
    user = UserRow(email=address, name=name, password_hash=password_hash, roles=sorted(roles),
                   research_consent=False, runner_id=runner.id, created_at=now)  # fmt: skip
    session.add(user)
    session.flush()
    return user


def find_user(session: Session, *, email: str) -> UserRow | None:
    """The account with this email (any spelling), or None."""
    address = email.strip().lower()
    return session.scalars(select(UserRow).where(UserRow.email == address)).first()


def get_user(session: Session, user_id: int) -> UserRow:
    """The account with this id; NotFoundError when there is none."""
    user = session.get(UserRow, user_id)
    if user is None:
        raise NotFoundError(f"account: no account with id {user_id}")
    return user


def list_users(session: Session) -> list[UserRow]:
    """Every account, oldest first."""
    return list(session.scalars(select(UserRow).order_by(UserRow.id)))


def count_users(session: Session) -> int:
    """How many accounts exist."""
    return int(session.scalar(select(func.count()).select_from(UserRow)) or 0)


def owner(session: Session) -> UserRow | None:
    """The install's owner account (the oldest account holding the owner role), or None."""
    for user in list_users(session):
        if "owner" in user.roles:
            return user
    return None


def runner_of(session: Session, user: UserRow) -> RunnerRow:
    """The runner whose data this account owns (created if it was ever missing)."""
    if user.runner_id is not None:
        runner = session.get(RunnerRow, user.runner_id)
        if runner is not None:
            return runner
    runner = RunnerRow(name=user.name or user.email, created_at=user.created_at, profile={})
    session.add(runner)
    session.flush()
    user.runner_id = runner.id
    session.flush()
    return runner


def user_of_runner(session: Session, runner_id: int) -> UserRow | None:
    """The account owning this runner, or None for a runner no account owns yet."""
    return session.scalars(select(UserRow).where(UserRow.runner_id == runner_id)).first()


def consenting_users(session: Session) -> list[UserRow]:
    """Accounts that agreed to have their data used for research, oldest first."""
    query = select(UserRow).where(UserRow.research_consent.is_(True)).order_by(UserRow.id)
    return list(session.scalars(query))


def set_roles(session: Session, user: UserRow, roles: list[str]) -> None:
    """Replace the account's roles (validated against ROLES)."""
    unknown = sorted(set(roles) - set(ROLES))
    if unknown:
        raise InputError(f"role: expected one of {', '.join(ROLES)}, got {unknown[0]!r}")
    user.roles = sorted(set(roles))
    session.flush()


def invite(session: Session, *, email: str, invited_by: int | None, now: datetime) -> None:
    """Record an invitation for this address (a second invitation changes nothing)."""
    address = normal_email(email)
    found = session.scalars(select(InvitationRow).where(InvitationRow.email == address)).first()
    if found is None:
        session.add(InvitationRow(email=address, invited_by=invited_by, created_at=now))
        session.flush()


def take_invitation(session: Session, *, email: str) -> bool:
    """Use up the invitation for this address; False when there is none."""
    address = email.strip().lower()
    found = session.scalars(select(InvitationRow).where(InvitationRow.email == address)).first()
    if found is None:
        return False
    session.delete(found)
    session.flush()
    return True


def delete_user(session: Session, user: UserRow) -> None:
    """Remove the account and its runner: every runner-owned row goes with it (cascade)."""
    runner_id = user.runner_id
    session.delete(user)
    session.flush()
    if runner_id is not None:
        runner = session.get(RunnerRow, runner_id)
        if runner is not None:
            session.delete(runner)
            session.flush()
