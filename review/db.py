"""Database access: Rasa's `events` table (read, and delete on an admin's request) and the app's own tables."""
from __future__ import annotations

import logging
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)

metadata = sa.MetaData()

# Rasa's table, described here only to read it; the app never creates or alters it.
events = sa.Table(
    "events", sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False),
    sa.Column("type_name", sa.String(255), nullable=False),
    sa.Column("timestamp", sa.Float),
    sa.Column("intent_name", sa.String(255)),
    sa.Column("action_name", sa.String(255)),
    sa.Column("data", sa.Text),
)

# One row per conversation, derived from its events (review/summary.py). Masked text only.
conversations = sa.Table(
    "review_conversations", metadata,
    sa.Column("sender_id", sa.String(255), primary_key=True),
    sa.Column("channel", sa.String(32), index=True),
    sa.Column("first_ts", sa.Float),
    sa.Column("last_ts", sa.Float, nullable=False, index=True),
    sa.Column("day", sa.String(10), index=True),  # local date of the last activity
    sa.Column("user_messages", sa.Integer, nullable=False, default=0),
    sa.Column("first_question", sa.Text),
    sa.Column("fallback", sa.Boolean, nullable=False, default=False, index=True),
    sa.Column("handoff", sa.Boolean, nullable=False, default=False, index=True),
    sa.Column("feedback_up", sa.Integer, nullable=False, default=0),
    sa.Column("feedback_down", sa.Integer, nullable=False, default=0, index=True),
    sa.Column("min_confidence", sa.Float, index=True),
    sa.Column("outcome", sa.String(32), index=True),
    sa.Column("abandoned", sa.Boolean, nullable=False, default=False, index=True),
    sa.Column("search_text", sa.Text),  # masked, lower-cased text of the whole conversation
    sa.Column("last_event_id", sa.Integer, nullable=False),
)

conversation_intents = sa.Table(
    "review_conversation_intents", metadata,
    sa.Column("name", sa.String(255), primary_key=True),
    sa.Column("sender_id", sa.String(255), primary_key=True, index=True),
)

state = sa.Table(
    "review_state", metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text),
)

users = sa.Table(
    "review_users", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("username", sa.String(64), nullable=False, unique=True),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("failed_logins", sa.Integer, nullable=False, default=0),
    sa.Column("locked_until", sa.Float),
    # Raised on logout and password change: older session cookies stop working.
    sa.Column("session_version", sa.Integer, nullable=False, default=0),
    sa.Column("active", sa.Boolean, nullable=False, default=True),
    sa.Column("created_at", sa.Float, nullable=False),
)

marks = sa.Table(
    "review_marks", metadata,
    sa.Column("sender_id", sa.String(255), primary_key=True),
    sa.Column("reviewed", sa.Boolean, nullable=False, default=False, index=True),
    sa.Column("flagged", sa.Boolean, nullable=False, default=False, index=True),
    sa.Column("updated_by", sa.String(64)),
    sa.Column("updated_at", sa.Float),
)

tags = sa.Table(
    "review_tags", metadata,
    sa.Column("tag", sa.String(64), primary_key=True),
    sa.Column("sender_id", sa.String(255), primary_key=True, index=True),
    sa.Column("created_by", sa.String(64)),
    sa.Column("created_at", sa.Float),
)

notes = sa.Table(
    "review_notes", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False, index=True),
    sa.Column("author", sa.String(64), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
)

corrections = sa.Table(
    "review_corrections", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False, index=True),
    sa.Column("event_id", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),  # masked
    sa.Column("predicted", sa.String(255)),
    sa.Column("corrected", sa.String(255), nullable=False),
    sa.Column("author", sa.String(64), nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("undone_by", sa.String(64)),
    sa.Column("undone_at", sa.Float, index=True),
)

audit = sa.Table(
    "review_audit", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("ts", sa.Float, nullable=False, index=True),
    sa.Column("username", sa.String(64), nullable=False),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("sender_id", sa.String(255), index=True),
    sa.Column("detail", sa.Text),
)

sa.Index("ix_review_conversations_order", conversations.c.last_ts, conversations.c.sender_id)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = sa.engine.make_url(url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)  # a fresh checkout has no var/
        engine = sa.create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @sa.event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record) -> None:  # WAL lets Rasa write while staff read
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    return sa.create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)


def create_tables(engine: Engine) -> None:
    """Create the app's own tables (never Rasa's); on PostgreSQL a trigram index for the search."""
    metadata.create_all(engine)
    if engine.dialect.name == "postgresql":
        try:
            with engine.begin() as conn:
                conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
                conn.execute(sa.text("CREATE INDEX IF NOT EXISTS ix_review_conversations_search "
                                     "ON review_conversations USING gin (search_text gin_trgm_ops)"))
        except sa.exc.DBAPIError as exc:  # no pg_trgm: the search still works, by scanning
            log.warning("text search without a trigram index: %s", exc.orig)


def has_events_table(engine: Engine) -> bool:
    return sa.inspect(engine).has_table("events")
