"""Keep review_conversations up to date from new event ids only.

Each refresh reads the ids above the last one seen, finds the conversations they belong to, and
derives those conversations' facts again from their own events (an indexed read per
conversation). The list and the filters then query the summary table, never the events.
"""
from __future__ import annotations

import json
import time
from datetime import datetime
from typing import Any, Dict, Iterable, List, Optional, Sequence
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from review import db, masking, recognise

# Raise when the derived facts or the masking change: the next refresh rebuilds everything.
SUMMARY_VERSION = "2"
BATCH = 400
# Ids re-read below the last one seen: with several Rasa servers on PostgreSQL a lower id can
# commit after a higher one.
OVERLAP = 100


def _get_state(conn: Connection, key: str) -> Optional[str]:
    return conn.execute(sa.select(db.state.c.value).where(db.state.c.key == key)).scalar()


def _set_state(conn: Connection, key: str, value: str) -> None:
    if conn.execute(sa.update(db.state).where(db.state.c.key == key).values(value=value)).rowcount == 0:
        conn.execute(sa.insert(db.state).values(key=key, value=value))


def parse_event(data: Optional[str]) -> Dict[str, Any]:
    try:
        value = json.loads(data or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def conversation_events(conn: Connection, sender_id: str) -> List[Dict[str, Any]]:
    """All events of one conversation, oldest first, each with its row id as "_id"."""
    rows = conn.execute(sa.select(db.events.c.id, db.events.c.data)
                        .where(db.events.c.sender_id == sender_id).order_by(db.events.c.id))
    out = []
    for row in rows:
        ev = parse_event(row.data)
        ev["_id"] = row.id
        out.append(ev)
    return out


def summary_row(sender_id: str, events: Sequence[Dict[str, Any]], tz: ZoneInfo) -> Optional[Dict[str, Any]]:
    facts = recognise.derive(events)
    if facts.last_ts is None:
        return None
    masked = [masking.mask(t) for t in facts.texts]
    return {
        "sender_id": sender_id,
        "channel": facts.channel,
        "first_ts": facts.first_ts,
        "last_ts": facts.last_ts,
        "day": datetime.fromtimestamp(facts.last_ts, tz).strftime("%Y-%m-%d"),
        "user_messages": facts.user_messages,
        "first_question": masking.mask(facts.first_question)[:300] if facts.first_question else None,
        "fallback": facts.fallback,
        "handoff": facts.handoff,
        "feedback_up": facts.feedback_up,
        "feedback_down": facts.feedback_down,
        "min_confidence": facts.min_confidence,
        "outcome": facts.outcome,
        "abandoned": facts.abandoned,
        "search_text": "\n".join(masked).lower(),
        "last_event_id": max(ev["_id"] for ev in events),
        "_intents": sorted(facts.intents),
    }


def _rebuild_senders(conn: Connection, senders: Sequence[str], tz: ZoneInfo) -> None:
    rows = conn.execute(sa.select(db.events.c.id, db.events.c.sender_id, db.events.c.data)
                        .where(db.events.c.sender_id.in_(list(senders)))
                        .order_by(db.events.c.sender_id, db.events.c.id))
    grouped: Dict[str, List[Dict[str, Any]]] = {s: [] for s in senders}
    for row in rows:
        ev = parse_event(row.data)
        ev["_id"] = row.id
        grouped[row.sender_id].append(ev)
    conn.execute(sa.delete(db.conversation_intents).where(db.conversation_intents.c.sender_id.in_(list(senders))))
    conn.execute(sa.delete(db.conversations).where(db.conversations.c.sender_id.in_(list(senders))))
    summaries, intents = [], []
    for sender, evs in grouped.items():
        row = summary_row(sender, evs, tz) if evs else None
        if row is None:
            continue
        intents.extend({"sender_id": sender, "name": n} for n in row.pop("_intents"))
        summaries.append(row)
    if summaries:
        conn.execute(sa.insert(db.conversations), summaries)
    if intents:
        conn.execute(sa.insert(db.conversation_intents), intents)


def refresh(engine: Engine, tz_name: str = "Europe/Oslo") -> int:
    """Bring the summary up to date; returns how many conversations were derived again."""
    if not db.has_events_table(engine):
        return 0
    tz = ZoneInfo(tz_name)
    with engine.begin() as conn:
        if _get_state(conn, "summary_version") != SUMMARY_VERSION:
            conn.execute(sa.delete(db.conversation_intents))
            conn.execute(sa.delete(db.conversations))
            _set_state(conn, "last_event_id", "0")
            _set_state(conn, "summary_version", SUMMARY_VERSION)
        last = int(_get_state(conn, "last_event_id") or 0)
        top = conn.execute(sa.select(sa.func.max(db.events.c.id))).scalar() or 0
    if top <= last:
        return 0
    with engine.connect() as conn:
        senders = [r[0] for r in conn.execute(
            sa.select(db.events.c.sender_id).where(db.events.c.id > max(0, last - OVERLAP),
                                                  db.events.c.id <= top).distinct())]
    for i in range(0, len(senders), BATCH):
        with engine.begin() as conn:
            _rebuild_senders(conn, senders[i:i + BATCH], tz)
    with engine.begin() as conn:
        _set_state(conn, "last_event_id", str(top))
    return len(senders)


def prune(engine: Engine) -> int:
    """Drop summary rows of conversations whose events are gone (deleted outside the app)."""
    if not db.has_events_table(engine):
        return 0
    with engine.begin() as conn:
        gone = sa.select(db.conversations.c.sender_id).where(~sa.exists().where(
            db.events.c.sender_id == db.conversations.c.sender_id))
        ids = [r[0] for r in conn.execute(gone)]
        if ids:
            forget(conn, ids)
        return len(ids)


def forget(conn: Connection, senders: Iterable[str]) -> None:
    """Remove the derived rows and staff data of conversations (after they were deleted)."""
    senders = list(senders)
    for table in (db.conversation_intents, db.conversations, db.marks, db.tags, db.notes, db.corrections):
        conn.execute(sa.delete(table).where(table.c.sender_id.in_(senders)))


class Refresher:
    """Refresh at most every `interval` seconds (called before pages that list conversations)."""

    def __init__(self, engine: Engine, tz_name: str, interval: float) -> None:
        self.engine, self.tz_name, self.interval = engine, tz_name, interval
        self._last = 0.0
        self._last_prune = 0.0

    def maybe_refresh(self) -> None:
        now = time.monotonic()
        if now - self._last < self.interval:
            return
        self._last = now
        refresh(self.engine, self.tz_name)
        if now - self._last_prune > 60:
            self._last_prune = now
            prune(self.engine)
