"""The list's filters: parsed from the query string (bad values are ignored and reported) and
turned into one SQL query on the summary table."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time as dtime, timedelta
from typing import Dict, List, Mapping, Optional, Tuple
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from review import db

CHANNELS = ("widget", "sms", "rest")
OUTCOMES = ("likely", "likely_not", "unclear", "abandoned", "none")
STATUSES = ("unreviewed", "reviewed", "flagged")
MAX_QUERY = 200


@dataclass
class Filters:
    date_from: Optional[date] = None
    date_to: Optional[date] = None
    channel: Optional[str] = None
    fallback: bool = False
    handoff: bool = False
    negative: bool = False
    confidence_below: Optional[float] = None
    intent: Optional[str] = None
    outcome: Optional[str] = None
    status: Optional[str] = None
    tag: Optional[str] = None
    q: Optional[str] = None
    errors: List[str] = field(default_factory=list)

    def query_args(self) -> Dict[str, str]:
        """The filters as query-string arguments (for paging links and the CSV link)."""
        out: Dict[str, str] = {}
        for f in fields(self):
            if f.name == "errors":
                continue
            value = getattr(self, f.name)
            if value in (None, False, ""):
                continue
            out[f.name] = "1" if value is True else str(value)
        return out

    @property
    def active(self) -> bool:
        return bool(self.query_args())


def _date(value: str, label: str, errors: List[str]) -> Optional[date]:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.append(f"{label} må være en dato (åååå-mm-dd).")
        return None


def parse(args: Mapping[str, str]) -> Filters:
    errors: List[str] = []
    f = Filters(errors=errors)
    f.date_from = _date(args.get("date_from", "").strip(), "Fra-dato", errors)
    f.date_to = _date(args.get("date_to", "").strip(), "Til-dato", errors)
    if f.date_from and f.date_to and f.date_from > f.date_to:
        errors.append("Fra-dato er etter til-dato.")
    channel = args.get("channel", "")
    f.channel = channel if channel in CHANNELS else None
    for name in ("fallback", "handoff", "negative"):
        setattr(f, name, args.get(name) in ("1", "on", "true"))
    conf = args.get("confidence_below", "").strip().replace(",", ".")
    if conf:
        try:
            value = float(conf)
            if not 0 < value <= 1:
                raise ValueError
            f.confidence_below = value
        except ValueError:
            errors.append("Sikkerhet må være et tall mellom 0 og 1, for eksempel 0,6.")
    intent = args.get("intent", "").strip()
    f.intent = intent[:255] or None
    outcome = args.get("outcome", "")
    f.outcome = outcome if outcome in OUTCOMES else None
    status = args.get("status", "")
    f.status = status if status in STATUSES else None
    tag = args.get("tag", "").strip()
    f.tag = tag[:64] or None
    q = re.sub(r"\s+", " ", args.get("q", "")).strip()
    f.q = q[:MAX_QUERY] or None
    return f


def _day_bounds(d: date, tz: ZoneInfo) -> float:
    return datetime.combine(d, dtime.min, tzinfo=tz).timestamp()


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def where_clause(f: Filters, tz: ZoneInfo) -> List[sa.sql.ClauseElement]:
    c = db.conversations.c
    where: List[sa.sql.ClauseElement] = []
    if f.date_from:
        where.append(c.last_ts >= _day_bounds(f.date_from, tz))
    if f.date_to:
        where.append(c.last_ts < _day_bounds(f.date_to + timedelta(days=1), tz))
    if f.channel:
        where.append(c.channel == f.channel)
    if f.fallback:
        where.append(c.fallback == sa.true())
    if f.handoff:
        where.append(c.handoff == sa.true())
    if f.negative:
        where.append(c.feedback_down > 0)
    if f.confidence_below is not None:
        where.append(c.min_confidence < f.confidence_below)
    if f.intent:
        ci = db.conversation_intents.c
        where.append(sa.exists().where(ci.sender_id == c.sender_id, ci.name == f.intent))
    if f.outcome == "abandoned":
        where.append(c.abandoned == sa.true())
    elif f.outcome == "none":
        where.append(c.outcome.is_(None))
        where.append(c.abandoned == sa.false())
    elif f.outcome:
        where.append(c.outcome == f.outcome)
    if f.status:
        m = db.marks.c
        if f.status == "reviewed":
            where.append(sa.exists().where(m.sender_id == c.sender_id, m.reviewed == sa.true()))
        elif f.status == "flagged":
            where.append(sa.exists().where(m.sender_id == c.sender_id, m.flagged == sa.true()))
        else:
            where.append(~sa.exists().where(m.sender_id == c.sender_id, m.reviewed == sa.true()))
    if f.tag:
        t = db.tags.c
        where.append(sa.exists().where(t.sender_id == c.sender_id, t.tag == f.tag))
    if f.q:
        where.append(c.search_text.like(f"%{_like_escape(f.q.lower())}%", escape="\\"))
    return where


def list_query(f: Filters, tz: ZoneInfo, limit: int, offset: int) -> Tuple[sa.sql.Select, sa.sql.Select]:
    """(page query, count query) for the filters, newest activity first."""
    c = db.conversations.c
    where = where_clause(f, tz)
    cols = [c.sender_id, c.channel, c.last_ts, c.user_messages, c.first_question, c.fallback,
            c.handoff, c.feedback_up, c.feedback_down, c.min_confidence, c.outcome, c.abandoned]
    page = (sa.select(*cols).where(*where).order_by(c.last_ts.desc(), c.sender_id.desc())
            .limit(limit).offset(offset))
    count = sa.select(sa.func.count()).select_from(db.conversations).where(*where)
    return page, count
