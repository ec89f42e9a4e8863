"""The review app's list and filters on PostgreSQL (Debian's server, started here), with the
events of real conversations that the running assistant wrote."""
from __future__ import annotations

import json
import time
from typing import Dict, Iterator, Tuple

import pytest
import sqlalchemy as sa

from review import db
from tests.support.review import (PERSONAL_NAME, PERSONAL_PHONE, Filled, ReviewClient, RunningReview,
                                  fill_tracker, running_review)
from tests.support.services import running_postgres

pytestmark = pytest.mark.e2e


def copy_conversations(sqlite_path, pg_url: str, senders) -> int:
    """Copy the conversations' events, oldest first, into Rasa's own schema on PostgreSQL."""
    from rasa.core.tracker_store import SQLTrackerStore

    src = sa.create_engine(f"sqlite:///{sqlite_path}")
    dst = sa.create_engine(pg_url)
    SQLTrackerStore.Base.metadata.create_all(dst)
    with src.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(
            sa.select(db.events).where(db.events.c.sender_id.in_(list(senders))).order_by(db.events.c.id))]
    for r in rows:
        r.pop("id")
    with dst.begin() as conn:
        conn.execute(sa.insert(db.events), rows)
    return len(rows)


@pytest.fixture(scope="module")
def pg_review(assistant, tmp_path_factory) -> Iterator[Tuple[RunningReview, Filled, ReviewClient, str]]:
    filled = fill_tracker(assistant)
    with running_postgres(db="tracker") as pg:
        assert copy_conversations(assistant.tracker_db, pg.url, filled.senders.values()) > 50
        with running_review(pg.url, tmp_path_factory.mktemp("review-pg")) as app:
            app.add_user("pg-admin", "admin")
            yield app, filled, app.client("pg-admin"), pg.url


def test_the_list_on_postgres_is_newest_first(pg_review):
    app, filled, client, url = pg_review
    ids = client.listed()
    assert set(ids) == set(filled.senders.values())
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        last = dict(conn.execute(sa.select(db.events.c.sender_id, sa.func.max(db.events.c.timestamp))
                                 .group_by(db.events.c.sender_id)).all())
    assert ids == sorted(ids, key=lambda s: last[s], reverse=True)
    assert ids[0] == filled.senders["widget_down"]


@pytest.mark.parametrize("params,kind", [
    ({"fallback": "1"}, "fallback"),
    ({"negative": "1"}, "widget_down"),
    ({"handoff": "1"}, "handoff"),
    ({"q": "ASDKJH"}, "fallback"),
    ({"outcome": "likely"}, "likely"),
    ({"outcome": "abandoned"}, "abandoned"),
    ({"intent": "faq/cost"}, "cost"),
    ({"channel": "widget"}, "widget_down"),
])
def test_each_filter_on_postgres(pg_review, params: Dict[str, str], kind: str):
    app, filled, client, _ = pg_review
    ids = client.listed(**params)
    assert filled.senders[kind] in ids
    assert filled.senders["personal"] not in ids
    if kind != "fallback":  # other conversations may also hold a message it did not understand
        assert len(ids) == 1, ids


def test_filters_combine_and_nothing_matches_both(pg_review):
    app, filled, client, _ = pg_review
    assert client.listed(q="asdkjh", negative="1") == []
    assert client.listed(channel="rest", negative="1") == []
    assert filled.senders["fallback"] in client.listed(q="asdkjh", channel="rest", confidence_below="0.9")


def test_new_events_on_postgres_appear_without_a_restart(pg_review):
    app, filled, client, url = pg_review
    engine = sa.create_engine(url)
    now = time.time()
    event = {"event": "user", "timestamp": now, "text": "En helt ny samtale om tannlegen", "input_channel": "sms",
             "parse_data": {"intent": {"name": "nlu_fallback", "confidence": 0.4}}}
    with engine.begin() as conn:
        conn.execute(sa.insert(db.events).values(sender_id="sms-new", type_name="user", timestamp=now,
                                                 intent_name="nlu_fallback", data=json.dumps(event)))
    ids = client.listed(channel="sms", q="tannlegen")
    assert ids == ["sms-new"]
    assert client.listed()[0] == "sms-new"


def test_text_is_masked_on_postgres_too(pg_review):
    app, filled, client, _ = pg_review
    page = client.get("/samtale", id=filled.senders["personal"]).text
    assert "Hvem har rett?" in page
    assert PERSONAL_NAME.split()[1] not in page and PERSONAL_PHONE not in page
