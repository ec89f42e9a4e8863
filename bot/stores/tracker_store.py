"""Rasa's SQL tracker store, with personal data masked before it is written and a way to delete.

Configured in bot/endpoints*.yml as `type: bot.stores.tracker_store.MaskingTrackerStore` with
the same options as Rasa's `SQL` store (dialect, url, port, db, username, password, ...).

- `save` masks every new event (bot/stores/event_masking.py) before it is written. The
  tracker in memory keeps the raw text for the rest of the turn, so NLU and the actions see
  what the family wrote; the next turn reads the masked events back. Rasa appends by counting
  the events stored since the session start; masking keeps one row per event, so the count
  stays right.
- `delete(sender_id)` removes a conversation; `purge_inactive(older_than_days)` removes every
  conversation whose last event is older (retention, bot/stores/retention.py).

The masking engine is injected (`masker=`); by default it is bot/privacy/masking.py. If that
cannot be loaded the store refuses to start: it never stores unmasked text.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence, Text

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME, REQUESTED_SLOT
from rasa.shared.core.events import ActionExecuted, Event, UserUttered
from rasa.shared.core.slots import BooleanSlot, CategoricalSlot, FloatSlot
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot.stores.event_masking import CachingMasker, Masker, Quote, mask_events
from bot.stores.sqlite_tuning import keep_sqlite_connection

logger = logging.getLogger(__name__)

SECONDS_PER_DAY = 86400.0
# Conversations are deleted in batches, so one purge never holds a huge IN list or lock.
DELETE_BATCH = 200


@dataclass(frozen=True)
class DeletedConversation:
    """One conversation removed by retention: its id, when it was last active, how many events."""

    sender_id: str
    last_activity: float
    events: int


def default_masker() -> CachingMasker:
    """The project's masking engine (bot/privacy/masking.py), one per process."""
    from bot.stores.privacy_masker import shared_masker

    return shared_masker()


class MaskingTrackerStore(SQLTrackerStore):
    """SQLTrackerStore that masks personal data before writing and can delete conversations."""

    def __init__(self, domain: Any = None, masker: Optional[Masker] = None, **kwargs: Any) -> None:
        # Load the masker first: without it nothing may be written.
        engine = masker if masker is not None else default_masker()
        self.masker = engine if isinstance(engine, CachingMasker) else CachingMasker(engine)
        super().__init__(domain=domain, **kwargs)
        keep_sqlite_connection(self)  # SQLite only: a kept connection and WAL (docs/performance.md)
        self._create_indexes()

    # -- schema --------------------------------------------------------------------------------

    def _create_indexes(self) -> None:
        """Indexes for retention: last activity per conversation and "anything newer than"."""
        table = self.SQLEvent.__table__
        wanted = {"ix_events_sender_id_timestamp": (table.c.sender_id, table.c.timestamp),
                  "ix_events_timestamp": (table.c.timestamp,)}
        # An Index on the table's columns attaches itself to Rasa's shared table metadata, so
        # a second store in the same process must reuse it: a duplicate would make every later
        # `metadata.create_all` issue the same CREATE INDEX twice.
        attached = {index.name: index for index in table.indexes}
        for name, columns in wanted.items():
            index = attached.get(name) or sa.Index(name, *columns)
            try:
                index.create(self.engine, checkfirst=True)
            except (sa.exc.OperationalError, sa.exc.ProgrammingError) as error:
                # Another server created it at the same moment.
                logger.debug("index %s not created: %s", index.name, error)

    # -- masking -------------------------------------------------------------------------------

    def _keep_slot_value(self, name: str, value: Any) -> bool:
        """Slot values that cannot hold what a family wrote: booleans, numbers, listed categories."""
        if value is None or isinstance(value, (bool, int, float)):
            return True
        if name == REQUESTED_SLOT:
            return isinstance(value, str) and any(s.name == value for s in self.domain.slots)
        slot = next((s for s in self.domain.slots if s.name == name), None)
        if isinstance(slot, (BooleanSlot, FloatSlot)):
            return not isinstance(value, str)
        if isinstance(slot, CategoricalSlot) and isinstance(value, str):
            return value.lower() in {str(v).lower() for v in slot.values}
        return False

    def _earlier_quotes(self, tracker: DialogueStateTracker, new_events: int) -> List[Quote]:
        """Raw spans of the turn's user message when an earlier save of the turn stored it.

        Only the current turn: a user message before the last `action_listen` belongs to a
        finished turn, was read back from the database and is masked already.
        """
        stored = list(tracker.events)[: len(tracker.events) - new_events]
        for event in reversed(stored):
            if isinstance(event, UserUttered):
                return self.masker_quotes(event.as_dict())
            if isinstance(event, ActionExecuted) and event.action_name == ACTION_LISTEN_NAME:
                return []
        return []

    def masker_quotes(self, event: Dict[str, Any]) -> List[Quote]:
        text = event.get("text")
        return list(self.masker.mask(text).quotes) if isinstance(text, str) and text else []

    def mask_events(
        self, events: Sequence[Event], earlier_quotes: Sequence[Quote] = ()
    ) -> List[Dict[str, Any]]:
        """The serialised events as they are written (also used by the event broker stream)."""
        return mask_events(
            [event.as_dict() for event in events],
            self.masker,
            quotes=earlier_quotes,
            keep_slot_value=self._keep_slot_value,
        )

    # -- Rasa's interface ----------------------------------------------------------------------

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Write the events not yet stored, masked."""
        await self.stream_events(tracker)

        with self.session_scope() as session:
            events = list(self._additional_events(session, tracker))
            if events:
                masked = self.mask_events(events, self._earlier_quotes(tracker, len(events)))
                for event, data in zip(events, masked):
                    intent = (data.get("parse_data") or {}).get("intent", {}).get(INTENT_NAME_KEY)
                    session.add(
                        self.SQLEvent(
                            sender_id=tracker.sender_id,
                            type_name=event.type_name,
                            timestamp=data.get("timestamp"),
                            intent_name=intent,
                            action_name=data.get("name"),
                            data=json.dumps(data),
                        )
                    )
                session.commit()

        logger.debug(f"Tracker with sender_id '{tracker.sender_id}' stored to database (masked)")

    async def _stream_new_events(self, event_broker: Any, new_events: List[Event], sender_id: Text) -> None:
        """An event broker gets the same masked events as the database."""
        for data in self.mask_events(new_events):
            event_broker.publish({"sender_id": sender_id, **data})

    # -- deleting ------------------------------------------------------------------------------

    async def delete(self, sender_id: Text) -> int:
        """Delete every event of one conversation; returns how many rows went."""
        return await asyncio.get_running_loop().run_in_executor(None, self.delete_sync, sender_id)

    def delete_sync(self, sender_id: Text) -> int:
        table = self.SQLEvent.__table__
        with self.engine.begin() as conn:
            deleted = conn.execute(table.delete().where(table.c.sender_id == sender_id)).rowcount
        logger.info("tracker store: deleted a conversation (%d events)", deleted)
        return int(deleted or 0)

    async def purge_inactive(
        self, older_than_days: float, now: Optional[float] = None
    ) -> List[DeletedConversation]:
        """Delete conversations whose last activity is more than `older_than_days` ago."""
        return await asyncio.get_running_loop().run_in_executor(
            None, self.purge_inactive_sync, older_than_days, now
        )

    def purge_inactive_sync(
        self, older_than_days: float, now: Optional[float] = None
    ) -> List[DeletedConversation]:
        cutoff = (time.time() if now is None else now) - older_than_days * SECONDS_PER_DAY
        table = self.SQLEvent.__table__
        last = sa.func.coalesce(sa.func.max(table.c.timestamp), 0.0)
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(table.c.sender_id, last.label("last"), sa.func.count().label("n"))
                .group_by(table.c.sender_id)
                .having(last < cutoff)
            ).fetchall()
        candidates = [DeletedConversation(r.sender_id, float(r.last), int(r.n)) for r in rows]
        deleted: List[DeletedConversation] = []
        recent = sa.select(table.c.sender_id).where(table.c.timestamp >= cutoff)
        for start in range(0, len(candidates), DELETE_BATCH):
            batch = candidates[start : start + DELETE_BATCH]
            ids = [c.sender_id for c in batch]
            with self.engine.begin() as conn:
                # A conversation that came back to life since the select is kept.
                still_old = {
                    sid
                    for (sid,) in conn.execute(
                        sa.select(table.c.sender_id)
                        .where(table.c.sender_id.in_(ids))
                        .where(table.c.sender_id.not_in(recent))
                        .distinct()
                    )
                }
                if still_old:
                    conn.execute(table.delete().where(table.c.sender_id.in_(sorted(still_old))))
            deleted.extend(c for c in batch if c.sender_id in still_old)
        if deleted:
            logger.info("tracker store: retention deleted %d conversations", len(deleted))
        return deleted

    def last_activity(self, sender_id: Text) -> Optional[float]:
        """Timestamp of the newest event of a conversation, None if there is none."""
        table = self.SQLEvent.__table__
        with self.engine.connect() as conn:
            value = conn.execute(
                sa.select(sa.func.max(table.c.timestamp)).where(table.c.sender_id == sender_id)
            ).scalar()
        return None if value is None else float(value)


def find_masking_store(store: Any) -> Optional[MaskingTrackerStore]:
    """Our store inside Rasa's wrappers (FailSafeTrackerStore, AwaitableTrackerStore, ...)."""
    seen = 0
    while store is not None and seen < 10:
        if isinstance(store, MaskingTrackerStore):
            return store
        store = getattr(store, "_tracker_store", None) or getattr(store, "tracker_store", None)
        seen += 1
    return None
