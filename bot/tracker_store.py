"""Rasa's SQL tracker store for one SQLite file, with one kept connection and WAL journaling.

Rasa's SQLTrackerStore opens a new SQLite connection for every load and every save (SQLAlchemy
1.4 gives file databases a NullPool) and commits in the default rollback-journal mode (two
fsyncs per message). This class keeps one connection per thread and switches the file to WAL
with synchronous=NORMAL: a commit survives a crash of the server; after a power cut the last
messages before it may be lost, never the file. Same table, same events, same queries, so a
file written by either class reads with the other. Figures: docs/performance.md.

bot/endpoints.yml: `tracker_store: {type: bot.tracker_store.SQLiteTrackerStore, db: ...}`.
TRACKER_SQLITE_SYNCHRONOUS (default NORMAL; FULL for Rasa's durability) sets the sync level.
"""
from __future__ import annotations

import os
from typing import Any, Optional, Text

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain

SYNCHRONOUS_LEVELS = {"OFF", "NORMAL", "FULL", "EXTRA"}


def synchronous_level() -> str:
    level = os.environ.get("TRACKER_SQLITE_SYNCHRONOUS", "NORMAL").strip().upper()
    if level not in SYNCHRONOUS_LEVELS:
        raise ValueError(f"TRACKER_SQLITE_SYNCHRONOUS must be one of {sorted(SYNCHRONOUS_LEVELS)}, not {level!r}")
    return level


class SQLiteTrackerStore(SQLTrackerStore):
    """SQLTrackerStore on an SQLite file: pooled connection, WAL journal."""

    def __init__(
        self,
        domain: Optional[Domain] = None,
        db: Text = "rasa.db",
        event_broker: Optional[EventBroker] = None,
        **kwargs: Any,
    ) -> None:
        for key in ("host", "dialect", "port", "username", "password", "login_db", "query"):
            kwargs.pop(key, None)
        level = synchronous_level()
        super().__init__(domain=domain, dialect="sqlite", db=db, event_broker=event_broker, **kwargs)
        url = self.engine.url
        self.engine.dispose()
        # One connection per thread, kept open (Rasa calls the store from the event loop thread).
        self.engine = sa.create_engine(url, poolclass=sa.pool.SingletonThreadPool)

        @sa.event.listens_for(self.engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA synchronous={level}")
            cursor.close()

        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
