"""What the pages read and write: users, transcripts, marks, tags, notes, corrections, audit."""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, datetime, time as dtime, timedelta
from typing import Any, Dict, List, Optional
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from review import auth, db, masking, recognise, summary


# ---- users ---------------------------------------------------------------------------------

def upsert_user(engine: Engine, username: str, role: str, password: str) -> str:
    """Create the user or set a new role and password; returns "created" or "updated"."""
    if role not in auth.ROLES:
        raise ValueError(f"role must be one of {auth.ROLES}")
    problem = auth.password_problem(password)
    if problem:
        raise ValueError(problem)
    if not username or len(username) > 64 or not username.replace("-", "").replace(".", "").replace("_", "").isalnum():
        raise ValueError("Brukernavnet kan ha bokstaver, tall, punktum, bindestrek og understrek (høyst 64 tegn).")
    hashed = auth.hash_password(password)
    u = db.users.c
    with engine.begin() as conn:
        row = conn.execute(sa.select(u.id, u.session_version).where(u.username == username)).first()
        if row:
            conn.execute(sa.update(db.users).where(u.id == row.id).values(
                role=role, password_hash=hashed, failed_logins=0, locked_until=None, active=True,
                session_version=row.session_version + 1))
            return "updated"
        conn.execute(sa.insert(db.users).values(username=username, role=role, password_hash=hashed,
                                                failed_logins=0, session_version=0, active=True,
                                                created_at=time.time()))
        return "created"


def get_user(conn: Connection, user_id: int) -> Optional[sa.engine.Row]:
    return conn.execute(sa.select(db.users).where(db.users.c.id == user_id)).first()


def list_users(engine: Engine) -> List[sa.engine.Row]:
    with engine.connect() as conn:
        return list(conn.execute(sa.select(db.users).order_by(db.users.c.username)))


@dataclass
class LoginResult:
    user: Optional[sa.engine.Row]
    locked: bool = False


def login(engine: Engine, username: str, password: str, lockout_after: int, lockout_minutes: int) -> LoginResult:
    u = db.users.c
    with engine.begin() as conn:
        row = conn.execute(sa.select(db.users).where(u.username == username)).first()
        if row is None or not row.active:
            auth.verify_password(password, auth.DUMMY_HASH)
            return LoginResult(None)
        if auth.locked(row.locked_until):
            return LoginResult(None, locked=True)
        if auth.verify_password(password, row.password_hash):
            conn.execute(sa.update(db.users).where(u.id == row.id).values(failed_logins=0, locked_until=None))
            return LoginResult(row)
        failed, until = auth.after_failure(row.failed_logins, lockout_after, lockout_minutes)
        conn.execute(sa.update(db.users).where(u.id == row.id).values(failed_logins=failed, locked_until=until))
        if until:
            conn.execute(sa.insert(db.audit).values(ts=time.time(), username=username, action="lockout",
                                                    detail=f"{lockout_after} feil passord"))
        return LoginResult(None, locked=until is not None)


def end_sessions(engine: Engine, user_id: int) -> None:
    with engine.begin() as conn:
        conn.execute(sa.update(db.users).where(db.users.c.id == user_id)
                     .values(session_version=db.users.c.session_version + 1))


def set_active(engine: Engine, user_id: int, active: bool) -> None:
    with engine.begin() as conn:
        conn.execute(sa.update(db.users).where(db.users.c.id == user_id).values(
            active=active, session_version=db.users.c.session_version + 1))


def unlock(engine: Engine, user_id: int) -> None:
    with engine.begin() as conn:
        conn.execute(sa.update(db.users).where(db.users.c.id == user_id).values(failed_logins=0, locked_until=None))


# ---- audit ---------------------------------------------------------------------------------

def log(conn: Connection, username: str, action: str, sender_id: Optional[str] = None,
        detail: Optional[str] = None) -> None:
    conn.execute(sa.insert(db.audit).values(ts=time.time(), username=username, action=action,
                                            sender_id=sender_id, detail=detail))


def audit_page(engine: Engine, limit: int, offset: int) -> tuple:
    with engine.connect() as conn:
        rows = list(conn.execute(sa.select(db.audit).order_by(db.audit.c.id.desc()).limit(limit).offset(offset)))
        total = conn.execute(sa.select(sa.func.count()).select_from(db.audit)).scalar()
    return rows, total


# ---- one conversation ----------------------------------------------------------------------

@dataclass
class Turn:
    event_id: int
    who: str  # "family", "assistant", "feedback", "session"
    ts: Optional[float]
    text: str = ""
    label: Optional[str] = None
    confidence: Optional[float] = None
    buttons: Optional[List[str]] = None
    feedback: Optional[str] = None
    marker: Optional[str] = None  # "fallback", "handoff", an outcome


def transcript(events: List[Dict[str, Any]]) -> List[Turn]:
    """Readable turns of one conversation, masked."""
    turns: List[Turn] = []
    for ev in events:
        kind = ev.get("event")
        if kind == "user":
            parse = ev.get("parse_data") or {}
            label, conf = recognise.message_label(parse)
            intent = (parse.get("intent") or {}).get("name")
            turns.append(Turn(ev["_id"], "family", ev.get("timestamp"), masking.mask(ev.get("text")),
                              label, conf, marker="fallback" if intent in recognise.FALLBACK_INTENTS else None))
        elif kind == "bot":
            meta = ev.get("metadata") or {}
            utter = meta.get("utter_action")
            buttons = [masking.mask(b.get("title") or b.get("payload") or "")
                       for b in ((ev.get("data") or {}).get("buttons") or []) if isinstance(b, dict)]
            marker = None
            if utter in recognise.HANDOFF_RESPONSES:
                marker = "handoff"
            elif utter in recognise.FALLBACK_RESPONSES:
                marker = "fallback"
            elif utter in recognise.OUTCOME_RESPONSES:
                marker = recognise.OUTCOME_RESPONSES[utter]
            turns.append(Turn(ev["_id"], "assistant", ev.get("timestamp"), masking.mask(ev.get("text")),
                              utter, buttons=buttons, marker=marker))
        elif kind == "action" and ev.get("name") in recognise.FALLBACK_ACTIONS:
            if turns and turns[-1].who == "family":
                turns[-1].marker = "fallback"
        elif kind == "slot" and ev.get("name") == recognise.FEEDBACK_SLOT:
            value = ev.get("value")
            fb = recognise.feedback_of(value)
            if fb:
                answer = value.get("message") if isinstance(value, dict) else ""
                turns.append(Turn(ev["_id"], "feedback", ev.get("timestamp"), masking.mask(answer), feedback=fb))
        elif kind == "session_started" and turns:
            turns.append(Turn(ev["_id"], "session", ev.get("timestamp")))
    return turns


def conversation(engine: Engine, sender_id: str) -> Optional[Dict[str, Any]]:
    with engine.connect() as conn:
        if not db.has_events_table(engine):
            return None
        events = summary.conversation_events(conn, sender_id)
        if not events:
            return None
        row = conn.execute(sa.select(db.conversations).where(db.conversations.c.sender_id == sender_id)).first()
        mark = conn.execute(sa.select(db.marks).where(db.marks.c.sender_id == sender_id)).first()
        tag_rows = list(conn.execute(sa.select(db.tags.c.tag).where(db.tags.c.sender_id == sender_id)
                                     .order_by(db.tags.c.tag)))
        note_rows = list(conn.execute(sa.select(db.notes).where(db.notes.c.sender_id == sender_id)
                                      .order_by(db.notes.c.id)))
        corr = {r.event_id: r for r in conn.execute(
            sa.select(db.corrections).where(db.corrections.c.sender_id == sender_id,
                                            db.corrections.c.undone_at.is_(None)))}
    return {"sender_id": sender_id, "turns": transcript(events), "summary": row, "mark": mark,
            "tags": [r.tag for r in tag_rows], "notes": note_rows, "corrections": corr}


def set_mark(engine: Engine, sender_id: str, username: str, reviewed: Optional[bool] = None,
             flagged: Optional[bool] = None) -> None:
    m = db.marks.c
    with engine.begin() as conn:
        row = conn.execute(sa.select(db.marks).where(m.sender_id == sender_id)).first()
        values = {"updated_by": username, "updated_at": time.time()}
        if reviewed is not None:
            values["reviewed"] = reviewed
        if flagged is not None:
            values["flagged"] = flagged
        if row:
            conn.execute(sa.update(db.marks).where(m.sender_id == sender_id).values(**values))
        else:
            conn.execute(sa.insert(db.marks).values(sender_id=sender_id, reviewed=bool(reviewed),
                                                    flagged=bool(flagged), updated_by=username,
                                                    updated_at=values["updated_at"]))


def add_tag(engine: Engine, sender_id: str, tag: str, username: str) -> None:
    t = db.tags.c
    with engine.begin() as conn:
        if not conn.execute(sa.select(t.tag).where(t.sender_id == sender_id, t.tag == tag)).first():
            conn.execute(sa.insert(db.tags).values(sender_id=sender_id, tag=tag, created_by=username,
                                                   created_at=time.time()))


def remove_tag(engine: Engine, sender_id: str, tag: str) -> None:
    with engine.begin() as conn:
        conn.execute(sa.delete(db.tags).where(db.tags.c.sender_id == sender_id, db.tags.c.tag == tag))


def all_tags(engine: Engine) -> List[str]:
    with engine.connect() as conn:
        return [r[0] for r in conn.execute(sa.select(db.tags.c.tag).distinct().order_by(db.tags.c.tag))]


def add_note(engine: Engine, sender_id: str, text: str, username: str) -> None:
    with engine.begin() as conn:
        conn.execute(sa.insert(db.notes).values(sender_id=sender_id, text=masking.mask(text), author=username,
                                                created_at=time.time()))


def add_correction(engine: Engine, sender_id: str, event_id: int, corrected: str, username: str) -> bool:
    """Record the right intent for one family message; False when the message is not in the store."""
    with engine.begin() as conn:
        row = conn.execute(sa.select(db.events.c.data).where(
            db.events.c.id == event_id, db.events.c.sender_id == sender_id,
            db.events.c.type_name == "user")).first()
        if row is None:
            return False
        ev = summary.parse_event(row.data)
        text = " ".join(masking.mask(ev.get("text")).split())
        if not text:
            return False
        predicted, _ = recognise.message_label(ev.get("parse_data") or {})
        c = db.corrections.c
        conn.execute(sa.update(db.corrections).where(c.event_id == event_id, c.undone_at.is_(None))
                     .values(undone_at=time.time(), undone_by=username))
        conn.execute(sa.insert(db.corrections).values(sender_id=sender_id, event_id=event_id, text=text,
                                                      predicted=predicted, corrected=corrected,
                                                      author=username, created_at=time.time()))
        log(conn, username, "correct", sender_id, f"{predicted} -> {corrected}")
    return True


def undo_correction(engine: Engine, correction_id: int, username: str) -> bool:
    c = db.corrections.c
    with engine.begin() as conn:
        row = conn.execute(sa.select(db.corrections).where(c.id == correction_id, c.undone_at.is_(None))).first()
        if row is None:
            return False
        conn.execute(sa.update(db.corrections).where(c.id == correction_id)
                     .values(undone_at=time.time(), undone_by=username))
        log(conn, username, "undo_correction", row.sender_id, f"{row.predicted} -> {row.corrected}")
    return True


def corrections_list(engine: Engine, include_undone: bool = True) -> List[sa.engine.Row]:
    c = db.corrections.c
    q = sa.select(db.corrections).order_by(c.id.desc())
    if not include_undone:
        q = q.where(c.undone_at.is_(None))
    with engine.connect() as conn:
        return list(conn.execute(q))


def delete_conversation(engine: Engine, sender_id: str, username: str) -> int:
    """Delete every event of the conversation from the tracker store and the app's data about it."""
    with engine.begin() as conn:
        n = conn.execute(sa.delete(db.events).where(db.events.c.sender_id == sender_id)).rowcount
        summary.forget(conn, [sender_id])
        log(conn, username, "delete", sender_id, f"{n} hendelser slettet")
    return n


# ---- overview ------------------------------------------------------------------------------

def overview(engine: Engine, date_from: date, date_to: date, tz: ZoneInfo) -> Dict[str, Any]:
    c = db.conversations.c
    lo = datetime.combine(date_from, dtime.min, tzinfo=tz).timestamp()
    hi = datetime.combine(date_to + timedelta(days=1), dtime.min, tzinfo=tz).timestamp()
    period = [c.last_ts >= lo, c.last_ts < hi]
    with engine.connect() as conn:
        per_day = dict(conn.execute(sa.select(c.day, sa.func.count()).where(*period).group_by(c.day)).all())
        totals = conn.execute(sa.select(
            sa.func.count(),
            sa.func.sum(sa.case((c.fallback == sa.true(), 1), else_=0)),
            sa.func.sum(sa.case((c.handoff == sa.true(), 1), else_=0)),
            sa.func.sum(c.feedback_up), sa.func.sum(c.feedback_down),
        ).where(*period)).first()
        ci = db.conversation_intents.c
        topics = conn.execute(
            sa.select(ci.name, sa.func.count()).select_from(db.conversation_intents.join(
                db.conversations, ci.sender_id == c.sender_id))
            .where(ci.name.like("faq/%"), *period).group_by(ci.name)
            .order_by(sa.func.count().desc(), ci.name).limit(10)).all()
        outcomes = dict(conn.execute(sa.select(c.outcome, sa.func.count()).where(
            *period, c.outcome.isnot(None)).group_by(c.outcome)).all())
        abandoned = conn.execute(sa.select(sa.func.count()).where(*period, c.abandoned == sa.true())).scalar()
    days = []
    d = date_from
    while d <= date_to:
        days.append((d.isoformat(), per_day.get(d.isoformat(), 0)))
        d += timedelta(days=1)
    total = totals[0] or 0
    return {
        "days": days,
        "total": total,
        "fallback": totals[1] or 0,
        "handoff": totals[2] or 0,
        "feedback_up": totals[3] or 0,
        "feedback_down": totals[4] or 0,
        "topics": [(name, n) for name, n in topics],
        "outcomes": [(k, outcomes.get(k, 0)) for k in ("likely", "likely_not", "unclear")] + [("abandoned", abandoned or 0)],
    }
