"""An SQLite tracker store file with one kept connection and WAL journaling.

Rasa's SQLTrackerStore opens a new SQLite connection for every load and every save (SQLAlchemy
1.4 gives file databases a NullPool) and commits in the default rollback-journal mode (two
fsyncs per message). keep_sqlite_connection keeps one connection per thread and switches the file to WAL
with synchronous=NORMAL: a commit survives a crash of the server; after a power cut the last
messages before it may be lost, never the file. Same table, same events, same queries, so a
file written by either class reads with the other. Figures: docs/performance.md.

MaskingTrackerStore (bot/stores/tracker_store.py) applies it when its dialect is sqlite.
TRACKER_SQLITE_SYNCHRONOUS (default NORMAL; FULL for Rasa's durability) sets the sync level.
"""
from __future__ import annotations

import os
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore

SYNCHRONOUS_LEVELS = {"OFF", "NORMAL", "FULL", "EXTRA"}


def synchronous_level() -> str:
    level = os.environ.get("TRACKER_SQLITE_SYNCHRONOUS", "NORMAL").strip().upper()
    if level not in SYNCHRONOUS_LEVELS:
        raise ValueError(f"TRACKER_SQLITE_SYNCHRONOUS must be one of {sorted(SYNCHRONOUS_LEVELS)}, not {level!r}")
    return level


def keep_sqlite_connection(store: SQLTrackerStore) -> None:
    """Give an SQLTrackerStore on an SQLite file one kept connection per thread and WAL."""
    if store.engine.dialect.name != "sqlite":
        return
    level = synchronous_level()
    url = store.engine.url
    store.engine.dispose()
    # One connection per thread, kept open (Rasa calls the store from the event loop thread).
    store.engine = sa.create_engine(url, poolclass=sa.pool.SingletonThreadPool)

    @sa.event.listens_for(store.engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={level}")
        cursor.close()

    store.sessionmaker = sa.orm.session.sessionmaker(bind=store.engine)
