"""The short commands' store: one transaction through the database driver alone.

See `storage.direct`: SQLite through the standard library, PostgreSQL through psycopg, the
schema the migrations' own. The acting account is the one `acting` holds.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from backstride.config import Settings
from backstride.errors import StorageError
from backstride.services.acting import acting_user_id, known_runner_id
from backstride.storage import direct


@contextmanager
def direct_store(settings: Settings) -> Iterator[direct.Store]:
    """One transaction on the configured database through its driver alone; a database not
    yet at the migrations' heads is opened (and migrated) the usual way first."""
    url = settings.resolved_database_url
    try:
        settings.home.mkdir(parents=True, exist_ok=True)
        store = direct.connect(url)
        if not direct.at_heads(store):
            store.connection.close()
            from backstride.services.store import open_store

            open_store(settings)
            store = direct.connect(url)
    except StorageError:
        raise
    except Exception as exc:  # any driver/OS failure becomes one clear message
        raise StorageError(f"cannot open the database at {url}: {exc}") from exc
    with direct.transaction(store):
        yield store


def acting_runner_id(store: direct.Store, settings: Settings) -> int:
    """The runner of the account the use case acts for (the owner's unless set)."""
    known = known_runner_id()
    if known is not None:
        return known
    user_id = acting_user_id()
    if user_id is None:
        user_id = direct.owner_id(store)
    runner_id = None if user_id is None else direct.runner_of_user(store, user_id)
    if runner_id is not None:
        return runner_id
    # First use (no owner account or runner yet), or an account that is gone: the store's
    # own rules create it or say what is wrong.
    from backstride.services.store import local_runner, store_session

    with store_session(settings) as session:
        return local_runner(session).id
