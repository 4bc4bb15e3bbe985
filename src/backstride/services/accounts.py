"""Accounts: registration, sign-in with throttling, sessions, password changes and
personal access tokens. Passwords are hashed with argon2id; secrets are kept as digests.

Every function takes `now` (services read no clock) and the settings it needs.
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from backstride.config import Settings
from backstride.errors import BackstrideError, InputError, NotFoundError
from backstride.services.store import OWNER_EMAIL, store_session
from backstride.services.texts import service_text
from backstride.services.versions import forget_runner
from backstride.storage import accounts as users_repo
from backstride.storage import credentials as repo
from backstride.storage.account_tables import UserRow

SESSION_DAYS = 14
MIN_PASSWORD_CHARS = 10
MAX_PASSWORD_CHARS = 1024
TOKEN_NAME_MAX = 200
#: Failures allowed before a key is locked, and the first lock (it doubles per failure).
ACCOUNT_FREE_FAILURES = 5
ADDRESS_FREE_FAILURES = 20
FIRST_LOCK_S = 30
MAX_LOCK_S = 15 * 60
#: What a personal access token may be allowed to do.
SCOPES = (
    "activities:read",
    "activities:write",
    "assessments:read",
    "assessments:write",
    "diary:read",
    "diary:write",
    "plan:read",
    "progress:read",
)
COMMON_PASSWORDS = frozenset(
    {"password", "password1", "password123", "1234567890", "qwertyuiop", "letmein123",
     "iloveyou12", "0123456789", "backstride", "runner1234"}
)  # fmt: skip
_hasher = PasswordHasher()  # argon2id with the library's recommended cost


class RegistrationClosedError(BackstrideError):
    """This person may not register (registration mode `first` or `invite`)."""


class EmailTakenError(BackstrideError):
    """An account with this email exists already."""


class SignInError(BackstrideError):
    """Wrong email or password (the same message either way)."""


class ThrottledError(BackstrideError):
    """Too many failed sign-ins: try again after `retry_after_s` seconds."""

    def __init__(self, message: str, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class ScopeError(BackstrideError):
    """The credential in use may not do this."""


@dataclass(frozen=True)
class Account:
    """An account as the shells see it."""

    id: int
    email: str
    name: str | None
    roles: tuple[str, ...]
    research_consent: bool


@dataclass(frozen=True)
class SignedIn:
    """The result of signing in: the account, the cookie's secret and its CSRF token."""

    account: Account
    session_secret: str
    csrf_token: str


@dataclass(frozen=True)
class Credential:
    """Who a request acts for: by session (needs CSRF) or by token (limited by scopes)."""

    account: Account
    csrf_token: str | None
    scopes: frozenset[str] | None  # None: a browser session, which may do everything
    runner_id: int | None = None  # the account's runner, read with the account
    expires_at: datetime | None = None  # when a browser session ends (None for a token)


def account_of(user: UserRow) -> Account:
    """The shell-facing view of an account row."""
    roles = tuple(sorted(set(user.roles) | {"runner"}))
    return Account(user.id, user.email, user.name, roles, bool(user.research_consent))


def check_password(password: str, *, email: str) -> None:
    """Refuse a weak password, saying why."""
    if len(password) < MIN_PASSWORD_CHARS:
        raise InputError(service_text("accounts", "password_short", least=MIN_PASSWORD_CHARS))
    if len(password) > MAX_PASSWORD_CHARS:
        raise InputError(service_text("accounts", "password_long", most=MAX_PASSWORD_CHARS))
    if len(set(password)) < 4:
        raise InputError(service_text("accounts", "password_repetitive"))
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS or lowered == email.strip().lower():
        raise InputError(service_text("accounts", "password_guessable"))


def hash_password(password: str) -> str:
    """The argon2id hash of a password."""
    return _hasher.hash(password)


def register(
    settings: Settings, *, email: str, password: str, name: str | None, now: datetime
) -> Account:
    """Create an account as the registration mode allows; the first becomes owner and admin."""
    address = users_repo.normal_email(email)
    check_password(password, email=address)
    with store_session(settings) as session:
        if users_repo.find_user(session, email=address) is not None:
            raise EmailTakenError(service_text("accounts", "email_taken", address=address))
        existing = users_repo.list_users(session)
        people = [u for u in existing if not (u.email == OWNER_EMAIL and u.password_hash is None)]
        if not people:
            return account_of(_first_account(session, existing, address, password, name, now))
        if settings.registration == "first":
            raise RegistrationClosedError(service_text("accounts", "registration_closed"))
        if settings.registration == "invite" and not users_repo.take_invitation(
            session, email=address
        ):
            raise RegistrationClosedError(service_text("accounts", "registration_invite"))
        user = users_repo.add_user(session, email=address, password_hash=hash_password(password),
                                   roles=[], now=now, name=name)  # fmt: skip
        return account_of(user)


def _first_account(
    session: Session, existing: list[UserRow], address: str, password: str, name: str | None,
    now: datetime,
) -> UserRow:  # fmt: skip
    """The first person takes over the owner account the CLI made (and its data), if any."""
    if existing:
        user = existing[0]
        user.email, user.name, user.password_hash = address, name, hash_password(password)
        user.roles = sorted(set(user.roles) | {"owner", "admin"})
        session.flush()
        return user
    return users_repo.add_user(session, email=address, password_hash=hash_password(password),
                               roles=["admin", "owner"], now=now, name=name)  # fmt: skip


def sign_in(
    settings: Settings, *, email: str, password: str, address: str, now: datetime
) -> SignedIn:
    """Check the password (throttled per account and per client address); a new session."""
    keys = (f"account:{email.strip().lower()}", f"address:{address}")
    with store_session(settings) as session:
        _refuse_if_locked(session, keys, now)
        user = users_repo.find_user(session, email=email)
        if user is None or not _verify(user, password):
            _count_failure(session, keys, now)
            failed = True
        else:
            failed = False
            for key in keys[:1]:
                repo.clear_failures(session, key)
            secret, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
            repo.add_session(session, user_id=user.id, secret=secret, csrf_token=csrf, now=now,
                             expires_at=now + timedelta(days=SESSION_DAYS))  # fmt: skip
            signed = SignedIn(account_of(user), secret, csrf)
    if failed:  # raised after the commit, so the failure is counted
        raise SignInError(service_text("accounts", "wrong_sign_in"))
    return signed


def _verify(user: UserRow, password: str) -> bool:
    if user.password_hash is None:
        return False
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _refuse_if_locked(session: Session, keys: tuple[str, str], now: datetime) -> None:
    waits = []
    for key in keys:
        row = repo.throttle_row(session, key)
        if row is not None and row.locked_until is not None:
            left = (repo.aware(row.locked_until) - now).total_seconds()
            if left > 0:
                waits.append(math.ceil(left))
    if waits:
        raise ThrottledError(service_text("accounts", "throttled"), max(waits))


def _count_failure(session: Session, keys: tuple[str, str], now: datetime) -> None:
    for key, free in zip(keys, (ACCOUNT_FREE_FAILURES, ADDRESS_FREE_FAILURES), strict=True):
        row = repo.record_failure(session, key, now=now)
        if row.failures >= free:
            lock_s = min(MAX_LOCK_S, FIRST_LOCK_S * 2 ** (row.failures - free))
            row.locked_until = now + timedelta(seconds=lock_s)


def authenticate_session(settings: Settings, *, secret: str, now: datetime) -> Credential | None:
    """The account behind a session cookie, or None when it is unknown or expired."""
    with store_session(settings) as session:
        found = repo.find_session_user(session, secret=secret, now=now)
        if found is None:
            return None
        row, user = found
        return Credential(account_of(user), row.csrf_token, None, user.runner_id,
                          repo.aware(row.expires_at))  # fmt: skip


def authenticate_token(settings: Settings, *, secret: str, now: datetime) -> Credential | None:
    """The account behind a bearer token (limited to its scopes), or None."""
    with store_session(settings) as session:
        row = repo.find_token(session, secret=secret)
        user = repo.user_for_session(session, row) if row is not None else None
        if row is None or user is None:
            return None
        if row.last_used_at is None or (now - repo.aware(row.last_used_at)).total_seconds() > 60:
            row.last_used_at = now
        return Credential(account_of(user), None, frozenset(row.scopes), user.runner_id)


def sign_out(settings: Settings, *, secret: str) -> None:
    """End this session."""
    with store_session(settings) as session:
        repo.end_session(session, secret=secret)


def sign_out_everywhere(settings: Settings, *, user_id: int) -> int:
    """End every session of the account; how many were ended."""
    with store_session(settings) as session:
        return repo.end_all_sessions(session, user_id=user_id)


def change_password(
    settings: Settings, *, user_id: int, current: str, new: str
) -> None:  # fmt: skip
    """Replace the password after checking the current one; every session ends."""
    with store_session(settings) as session:
        user = users_repo.get_user(session, user_id)
        if not _verify(user, current):
            raise SignInError(service_text("accounts", "wrong_password"))
        check_password(new, email=user.email)
        user.password_hash = hash_password(new)
        repo.end_all_sessions(session, user_id=user_id)


def create_token(
    settings: Settings, *, user_id: int, name: str, scopes: list[str], now: datetime
) -> tuple[int, str]:
    """A new personal access token: (id, the secret, shown only this once)."""
    clean = name.strip()
    if not clean or len(clean) > TOKEN_NAME_MAX:
        raise InputError(service_text("accounts", "token_name", most=TOKEN_NAME_MAX))
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown or not scopes:
        raise InputError(service_text("accounts", "token_scopes", scopes=", ".join(SCOPES)))
    secret = "bst_" + secrets.token_urlsafe(32)
    with store_session(settings) as session:
        row = repo.add_token(session, user_id=user_id, name=clean, secret=secret, scopes=scopes,
                             now=now)  # fmt: skip
        return row.id, secret


def list_tokens(settings: Settings, *, user_id: int) -> list[dict[str, object]]:
    """The account's tokens (never their secrets)."""
    with store_session(settings) as session:
        return [
            {"id": t.id, "name": t.name, "scopes": list(t.scopes),
             "created_at": repo.aware(t.created_at).isoformat(),
             "last_used_at": repo.aware(t.last_used_at).isoformat() if t.last_used_at else None}
            for t in repo.list_tokens(session, user_id=user_id)
        ]  # fmt: skip


def revoke_token(settings: Settings, *, user_id: int, token_id: int) -> None:
    """Delete one of the account's tokens (NotFoundError for anyone else's)."""
    with store_session(settings) as session:
        repo.delete_token(session, user_id=user_id, token_id=token_id)


def get_account(settings: Settings, user_id: int) -> Account:
    """The account with this id."""
    with store_session(settings) as session:
        return account_of(users_repo.get_user(session, user_id))


def find_account(settings: Settings, email: str) -> Account:
    """The account with this email; NotFoundError when there is none."""
    with store_session(settings) as session:
        user = users_repo.find_user(session, email=email)
        if user is None:
            raise NotFoundError(
                service_text("accounts", "no_account", address=email.strip().lower())
            )
        return account_of(user)


def set_research_consent(settings: Settings, *, user_id: int, consent: bool) -> None:
    """Record whether the account agrees to research use of its data."""
    with store_session(settings) as session:
        users_repo.get_user(session, user_id).research_consent = consent


# ---- administration (the `backstride user` command) ------------------------------------------


def act_as(settings: Settings, email: str | None) -> None:
    """Make every use case of this process act for the account with this email (CLI --user)."""
    from backstride.services.store import act_for_process

    act_for_process(None if email is None else find_account(settings, email).id)


def admin_add(
    settings: Settings, *, email: str, password: str | None, roles: list[str], now: datetime
) -> Account:
    """Add an account (an admin's act: any registration mode); no password: it cannot sign in
    until `reset-password` gives it one."""
    address = users_repo.normal_email(email)
    if password is not None:
        check_password(password, email=address)
    with store_session(settings) as session:
        if users_repo.find_user(session, email=address) is not None:
            raise EmailTakenError(service_text("accounts", "email_taken", address=address))
        digest = hash_password(password) if password is not None else None
        user = users_repo.add_user(session, email=address, password_hash=digest, roles=roles,
                                   now=now)  # fmt: skip
        return account_of(user)


def admin_invite(settings: Settings, *, email: str, now: datetime) -> None:
    """Let this address register when the registration mode is `invite`."""
    with store_session(settings) as session:
        users_repo.invite(session, email=email, invited_by=None, now=now)


def admin_list(settings: Settings) -> list[Account]:
    """Every account, oldest first."""
    with store_session(settings) as session:
        return [account_of(u) for u in users_repo.list_users(session)]


def admin_role(settings: Settings, *, email: str, role: str, remove: bool) -> Account:
    """Give (or take away) a role."""
    with store_session(settings) as session:
        user = users_repo.find_user(session, email=email)
        if user is None:
            raise NotFoundError(
                service_text("accounts", "no_account", address=email.strip().lower())
            )
        roles = set(user.roles) - {role} if remove else set(user.roles) | {role}
        if remove and role == "owner":
            raise InputError(service_text("accounts", "owner_stays"))
        users_repo.set_roles(session, user, sorted(roles))
        return account_of(user)


def admin_reset_password(settings: Settings, *, email: str, password: str) -> None:
    """Set a new password; every session of the account ends."""
    with store_session(settings) as session:
        user = users_repo.find_user(session, email=email)
        if user is None:
            raise NotFoundError(
                service_text("accounts", "no_account", address=email.strip().lower())
            )
        check_password(password, email=user.email)
        user.password_hash = hash_password(password)
        repo.end_all_sessions(session, user_id=user.id)


def admin_delete(settings: Settings, *, email: str) -> None:
    """Delete an account and all its data."""
    with store_session(settings) as session:
        user = users_repo.find_user(session, email=email)
        if user is None:
            raise NotFoundError(
                service_text("accounts", "no_account", address=email.strip().lower())
            )
        runner_id = user.runner_id
        users_repo.delete_user(session, user)
    if runner_id is not None:
        forget_runner(settings.home, runner_id)  # its kept results and pages go with it
