"""Per-conversation SMS state in a real database: offered choices, "MER" remainder, replies by MessageSid.

SQLite file by default, any SQLAlchemy URL (PostgreSQL in production) through `SMS_STATE_DB_URL`,
so the state survives a restart and is shared by several Rasa servers. Rows are keyed by the
hashed sender id; no phone number is ever stored here.

What is stored is the assistant's own output (choices, the rest of a long answer, the reply to
resend). Personal data the family wrote and the assistant quoted is masked before it is
written, the same way the tracker store masks it (bot/stores/event_masking.py): pass the
family's message as `user_text`. `delete` and `purge_inactive` remove a conversation's state
together with its tracker (bot/stores/retention.py).
"""

from __future__ import annotations

import json
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, List, Optional, Tuple

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from bot.channels.sms_text import Choice
from bot.stores.event_masking import CachingMasker, replace_quotes

DEFAULT_MESSAGE_RETENTION_HOURS = 48.0
# A reply still "processing" after this long belongs to a server that died mid-message.
STALE_PROCESSING_SECONDS = 300.0

# Old message ids are deleted at most this often (each server does it for all).
PURGE_INTERVAL_SECONDS = 600.0

STATUS_PROCESSING = "processing"
STATUS_DONE = "done"


def default_state_db_url() -> str:
    """`SMS_STATE_DB_URL`, else an SQLite file beside the tracker database (`TRACKER_DB`)."""
    url = os.environ.get("SMS_STATE_DB_URL", "").strip()
    if url:
        return url
    tracker_db = os.environ.get("TRACKER_DB", "var/tracker.db")
    return f"sqlite:///{Path(tracker_db).parent / 'sms_state.db'}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers and one writer (also in other processes) work at once; NORMAL
    # syncs at checkpoints instead of every commit, which is safe against a crashed process.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@dataclass
class ConversationState:
    """What the SMS channel remembers between two messages of one conversation."""

    choices: List[Choice] = field(default_factory=list)
    letters: bool = False  # choices are offered as A, B, ... because numbers are answers too
    more: str = ""  # text not yet sent; "MER" sends the next part
    # Loaded from the database (False: the conversation is new here). Not part of equality.
    stored: bool = field(default=False, compare=False)


@dataclass(frozen=True)
class Claim:
    """Result of claiming a MessageSid: new (process it), done (resend reply) or in progress."""

    status: str  # "new", "done", "processing", "stale"
    reply: Optional[str] = None


metadata = sa.MetaData()
conversations = sa.Table(
    "sms_conversations",
    metadata,
    sa.Column("sender_id", sa.String(128), primary_key=True),
    sa.Column("choices", sa.Text, nullable=False, default="[]"),
    sa.Column("letters", sa.Boolean, nullable=False, default=False),
    sa.Column("more", sa.Text, nullable=False, default=""),
    sa.Column("updated_at", sa.Float, nullable=False),
)
messages = sa.Table(
    "sms_messages",
    metadata,
    sa.Column("message_sid", sa.String(128), primary_key=True),
    sa.Column("sender_id", sa.String(128), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("reply", sa.Text, nullable=True),
    sa.Column("created_at", sa.Float, nullable=False, index=True),
)
# Deleting a conversation and retention look rows up by these (created on existing databases too).
EXTRA_INDEXES = (
    sa.Index("ix_sms_messages_sender_id", messages.c.sender_id),
    sa.Index("ix_sms_conversations_updated_at", conversations.c.updated_at),
)


class SmsStateStore:
    """Database-backed SMS state; the engine is created on first use, never at import time."""

    def __init__(
        self,
        url: Optional[str] = None,
        retention_hours: float = DEFAULT_MESSAGE_RETENTION_HOURS,
        masker: Optional[Callable[[], CachingMasker]] = None,
    ) -> None:
        self.url = url or default_state_db_url()
        # A factory, called on first use: the masking engine loads when a message needs it.
        self._masker_factory = masker
        self._masker: Optional[CachingMasker] = None
        self.retention_seconds = retention_hours * 3600.0
        self._engine: Optional[sa.engine.Engine] = None
        self._engine_lock = threading.Lock()
        self._last_purge = 0.0

    @property
    def engine(self) -> sa.engine.Engine:
        with self._engine_lock:
            if self._engine is None:
                self._engine = self._create_engine()
            return self._engine

    def _create_engine(self) -> sa.engine.Engine:
        url = sa.engine.make_url(self.url)
        kwargs = {"future": True}
        if url.get_backend_name() == "sqlite":
            if url.database and url.database != ":memory:":
                Path(url.database).parent.mkdir(parents=True, exist_ok=True)
            # Several processes may share the file; wait for a lock instead of failing.
            kwargs["connect_args"] = {"timeout": 30, "check_same_thread": False}
            # SQLAlchemy 1.4 opens a new SQLite connection per use by default; keep a few.
            kwargs["poolclass"] = sa.pool.QueuePool
        elif url.get_backend_name() == "postgresql":
            # Survive a database restart (check pooled connections before use), fail fast
            # while it is down, and stay within PostgreSQL's connection limit.
            kwargs.update(pool_pre_ping=True, pool_size=int(os.environ.get("SQL_POOL_SIZE", "5")),
                          max_overflow=int(os.environ.get("SQL_MAX_OVERFLOW", "5")),
                          pool_timeout=2, connect_args={"connect_timeout": 2})
        engine = sa.create_engine(url, **kwargs)
        if url.get_backend_name() == "sqlite":
            sa.event.listen(engine, "connect", _sqlite_pragmas)
        metadata.create_all(engine)
        for index in EXTRA_INDEXES:
            try:
                index.create(engine, checkfirst=True)
            except (sa.exc.OperationalError, sa.exc.ProgrammingError):
                pass  # another server created it at the same moment
        return engine

    # -- masking -------------------------------------------------------------------------------

    @property
    def masker(self) -> CachingMasker:
        if self._masker is None:
            if self._masker_factory is not None:
                self._masker = self._masker_factory()
            else:
                from bot.stores.privacy_masker import shared_masker

                self._masker = shared_masker()
        return self._masker

    def _protect(self, text: str, user_text: str) -> str:
        """The assistant's text with whatever it quotes from the family's message masked."""
        if not text or not user_text:
            return text
        return replace_quotes(text, self.masker.mask(user_text).quotes)

    # -- MessageSid de-duplication ------------------------------------------------------------

    def claim_message(self, message_sid: str, sender_id: str) -> Claim:
        """Register a MessageSid before processing it; tells whether it was seen before."""
        now = time.time()
        if now - self._last_purge > PURGE_INTERVAL_SECONDS:
            self._last_purge = now
            with self.engine.begin() as conn:
                conn.execute(
                    messages.delete().where(messages.c.created_at < now - self.retention_seconds)
                )
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    messages.insert().values(
                        message_sid=message_sid,
                        sender_id=sender_id,
                        status=STATUS_PROCESSING,
                        reply=None,
                        created_at=now,
                    )
                )
            return Claim("new")
        except IntegrityError:
            pass
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(messages.c.status, messages.c.reply, messages.c.created_at).where(
                    messages.c.message_sid == message_sid
                )
            ).first()
        if row is None:  # purged between insert and select: treat as seen, answer nothing
            return Claim(STATUS_PROCESSING)
        if row.status == STATUS_DONE:
            return Claim(STATUS_DONE, row.reply)
        if now - row.created_at > STALE_PROCESSING_SECONDS:
            return Claim("stale")
        return Claim(STATUS_PROCESSING)

    def finish_message(self, message_sid: str, reply: str, user_text: str = "") -> None:
        """Remember the reply (masked) so a retry of the same MessageSid gets it again."""
        reply = self._protect(reply, user_text)
        with self.engine.begin() as conn:
            conn.execute(
                messages.update()
                .where(messages.c.message_sid == message_sid)
                .values(status=STATUS_DONE, reply=reply)
            )

    # -- conversation state --------------------------------------------------------------------

    def load(self, sender_id: str) -> ConversationState:
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(conversations.c.choices, conversations.c.letters, conversations.c.more)
                .where(conversations.c.sender_id == sender_id)
            ).first()
        if row is None:
            return ConversationState()
        try:
            raw = json.loads(row.choices or "[]")
            choices = [Choice(str(c["title"]), str(c["payload"])) for c in raw]
        except (ValueError, KeyError, TypeError):
            choices = []
        return ConversationState(
            choices=choices, letters=bool(row.letters), more=row.more or "", stored=True
        )

    def save(self, sender_id: str, state: ConversationState, user_text: str = "") -> None:
        """Store the state; `user_text` is the family's message it answers (for masking)."""
        values = {
            "choices": json.dumps(
                [
                    {"title": self._protect(c.title, user_text),
                     "payload": self._protect(c.payload, user_text)}
                    for c in state.choices
                ],
                ensure_ascii=False,
            ),
            "letters": state.letters,
            "more": self._protect(state.more, user_text),
            "updated_at": time.time(),
        }
        with self.engine.begin() as conn:
            updated = conn.execute(
                conversations.update().where(conversations.c.sender_id == sender_id).values(**values)
            ).rowcount
        if updated:
            return
        try:
            with self.engine.begin() as conn:
                conn.execute(conversations.insert().values(sender_id=sender_id, **values))
        except IntegrityError:  # another server inserted it just now: last writer wins
            with self.engine.begin() as conn:
                conn.execute(
                    conversations.update()
                    .where(conversations.c.sender_id == sender_id)
                    .values(**values)
                )

    def forget(self, sender_id: str) -> None:
        """Drop what the channel remembers about a conversation (after STOPP or NY)."""
        with self.engine.begin() as conn:
            conn.execute(conversations.delete().where(conversations.c.sender_id == sender_id))

    def delete(self, sender_id: str) -> int:
        """Delete everything stored for a conversation (its state and its answered messages)."""
        with self.engine.begin() as conn:
            n = conn.execute(conversations.delete().where(conversations.c.sender_id == sender_id)).rowcount
            n += conn.execute(messages.delete().where(messages.c.sender_id == sender_id)).rowcount
        return int(n or 0)

    def purge_inactive(self, older_than_days: float, now: Optional[float] = None) -> List[str]:
        """Delete the state of conversations idle for longer than the retention period.

        Returns the sender ids whose state was deleted.
        """
        cutoff = (time.time() if now is None else now) - older_than_days * 86400.0
        with self.engine.begin() as conn:
            ids = [
                sid for (sid,) in conn.execute(
                    sa.select(conversations.c.sender_id).where(conversations.c.updated_at < cutoff)
                )
            ]
            if ids:
                conn.execute(conversations.delete().where(conversations.c.updated_at < cutoff))
            old_msgs = {
                sid for (sid,) in conn.execute(
                    sa.select(messages.c.sender_id).where(messages.c.created_at < cutoff).distinct()
                )
            }
            conn.execute(messages.delete().where(messages.c.created_at < cutoff))
        return sorted(set(ids) | old_msgs)

    def counts(self) -> Tuple[int, int]:
        """(conversations, remembered message ids), for tests and health checks."""
        with self.engine.connect() as conn:
            n_conv = conn.execute(sa.select(sa.func.count()).select_from(conversations)).scalar()
            n_msg = conn.execute(sa.select(sa.func.count()).select_from(messages)).scalar()
        return int(n_conv or 0), int(n_msg or 0)
