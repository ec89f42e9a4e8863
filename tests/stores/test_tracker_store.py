"""MaskingTrackerStore on a real SQLite file with real Rasa events (masker injected)."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.utils.endpoints import read_endpoint_config

from bot.stores.tracker_store import MaskingTrackerStore, find_masking_store
from tests.support.fake_masker import FakeMasker
from tests.support.pii_scan import scan

ROOT = Path(__file__).resolve().parents[2]

DOMAIN = Domain.from_yaml(
    """
version: "3.1"
intents: [greet, inform]
entities: [PER]
slots:
  feedback: {type: any, influence_conversation: false, mappings: [{type: custom}]}
  child_status: {type: text, influence_conversation: false, mappings: [{type: custom}]}
  answer: {type: categorical, values: [yes, no], influence_conversation: false, mappings: [{type: custom}]}
  checked: {type: bool, influence_conversation: false, mappings: [{type: custom}]}
responses:
  utter_greet: [{text: "Hei"}]
"""
)

RAW = "Jeg heter Kari Nordmann, fnr 01017012345, tlf 912 34 567, kari@example.no, sønnen Ola har autisme"
RAW_VALUES = ["Kari Nordmann", "Kari", "01017012345", "912 34 567", "kari@example.no", "Ola", "autisme"]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "tracker.db"


@pytest.fixture
def store(db: Path) -> MaskingTrackerStore:
    return MaskingTrackerStore(DOMAIN, masker=FakeMasker(), dialect="sqlite", db=str(db))


def user(text: str, **kwargs) -> UserUttered:
    parse_data = {
        "text": text,
        "intent": {"name": "inform", "confidence": 0.9},
        "intent_ranking": [{"name": "inform", "confidence": 0.9}],
        "entities": [{"entity": "PER", "start": 10, "end": 23, "value": "Kari Nordmann",
                      "extractor": "SpacyEntityExtractor"}],
    }
    return UserUttered(text, parse_data["intent"], parse_data["entities"], parse_data,
                       input_channel="rest", metadata={"note": "ring 912 34 567"}, **kwargs)


async def one_turn(store: MaskingTrackerStore, sender: str, text: str = RAW):
    tracker = await store.get_or_create_tracker(sender)
    tracker.update(user(text))
    tracker.update(SlotSet("child_status", text))
    tracker.update(SlotSet("answer", "yes"))
    tracker.update(SlotSet("checked", True))
    tracker.update(ActionExecuted("utter_greet"))
    tracker.update(BotUttered("Takk, Kari Nordmann. Ring oss på 90 99 17 84."))
    tracker.update(SlotSet("feedback", {"value": "up", "message": "Hei Ola, 01017012345"}))
    await store.save(tracker)
    return tracker


async def test_nothing_personal_reaches_the_database_file(store, db):
    tracker = await one_turn(store, "conv-1")
    # The turn itself still sees the raw text (NLU, actions).
    assert tracker.latest_message.text == RAW
    assert scan(f"sqlite:///{db}", RAW_VALUES) == []
    # Not even in the file's bytes (journal, free pages included).
    raw_bytes = b"".join(p.read_bytes() for p in db.parent.glob("tracker.db*"))
    for value in RAW_VALUES:
        assert value.encode() not in raw_bytes


async def test_stored_events_are_masked_and_the_dialogue_state_survives(store):
    await one_turn(store, "conv-1")
    stored = await store.retrieve("conv-1")
    assert stored.latest_message.text == (
        "Jeg heter [NAVN], fnr [FØDSELSNUMMER], tlf [TELEFON], [E-POST], sønnen [NAVN] har [HELSE]"
    )
    assert stored.latest_message.parse_data["text"] == stored.latest_message.text
    assert stored.latest_message.intent["name"] == "inform"
    assert [e["value"] for e in stored.latest_message.entities] == ["[NAVN]"]
    assert stored.latest_message.entities[0]["entity"] == "PER"
    assert stored.get_slot("child_status") == stored.latest_message.text
    assert stored.get_slot("answer") == "yes" and stored.get_slot("checked") is True
    # The bot quoted the user's name: masked. Its own contact number is the kommune's: kept.
    bot = [e for e in stored.events if isinstance(e, BotUttered)][-1]
    assert bot.text == "Takk, [NAVN]. Ring oss på 90 99 17 84."
    assert stored.get_slot("feedback") == {"value": "up", "message": "Hei [NAVN], [FØDSELSNUMMER]"}
    user_event = stored.latest_message
    assert user_event.metadata == {"note": "ring [TELEFON]"}


async def test_saving_again_appends_only_new_events_in_order(store, db):
    tracker = await one_turn(store, "conv-1")
    n_first = len(tracker.events)
    await store.save(tracker)  # Rasa saves the same tracker more than once per turn
    tracker.update(user("Og e-post ola@example.no"))
    tracker.update(BotUttered("Notert, ola@example.no"))
    await store.save(tracker)
    with sqlite3.connect(db) as conn:
        types = [t for (t,) in conn.execute("SELECT type_name FROM events ORDER BY id")]
    assert len(types) == n_first + 2
    assert types[-2:] == ["user", "bot"]
    stored = await store.retrieve("conv-1")
    assert len(stored.events) == n_first + 2
    assert stored.events[-1].text == "Notert, [E-POST]"


async def test_a_later_save_in_the_same_turn_still_masks_quotes_of_the_user(store):
    tracker = await store.get_or_create_tracker("conv-q")
    tracker.update(user("Jeg heter Kari"))
    await store.save(tracker)  # the user message is stored first ...
    tracker.update(BotUttered("Hei Kari!"))  # ... the quoting answer in a later save
    await store.save(tracker)
    stored = await store.retrieve("conv-q")
    assert stored.events[-1].text == "Hei [NAVN]!"


async def test_delete_removes_one_conversation_and_keeps_the_others(store, db):
    await one_turn(store, "conv-1")
    await one_turn(store, "conv-2")
    deleted = await store.delete("conv-1")
    assert deleted > 0
    assert await store.retrieve("conv-1") is None
    assert (await store.retrieve("conv-2")) is not None
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM events WHERE sender_id='conv-1'").fetchone() == (0,)
    assert await store.delete("conv-1") == 0  # deleting twice is fine


async def test_purge_inactive_deletes_only_conversations_idle_longer_than_the_limit(store):
    now = time.time()
    old = await store.get_or_create_tracker("old")
    old.update(SessionStarted(timestamp=now - 40 * 86400))
    old.update(UserUttered("hei", timestamp=now - 31 * 86400))
    await store.save(old)
    # Started long ago but active yesterday: kept.
    mixed = await store.get_or_create_tracker("mixed")
    mixed.update(UserUttered("hei", timestamp=now - 45 * 86400))
    mixed.update(UserUttered("igjen", timestamp=now - 86400))
    await store.save(mixed)
    await one_turn(store, "recent")
    # get_or_create_tracker stamped "old"'s first event now: make it old too.
    with store.engine.begin() as conn:
        conn.exec_driver_sql(
            "UPDATE events SET timestamp = ? WHERE sender_id = 'old' AND timestamp > ?",
            (now - 35 * 86400, now - 86400),
        )
    deleted = await store.purge_inactive(30, now=now)
    assert [d.sender_id for d in deleted] == ["old"]
    assert deleted[0].events == 3 and deleted[0].last_activity < now - 30 * 86400
    assert await store.retrieve("old") is None
    assert await store.retrieve("mixed") is not None
    assert await store.retrieve("recent") is not None
    assert await store.purge_inactive(30, now=now) == []


def test_retention_indexes_exist(store, db):
    with sqlite3.connect(db) as conn:
        names = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {"ix_events_sender_id_timestamp", "ix_events_timestamp"} <= names


def test_endpoints_files_name_this_store(monkeypatch, tmp_path):
    for var in ("ACTION_ENDPOINT_URL", "DB_HOST", "DB_PORT", "DB_NAME", "DB_USER", "DB_PASSWORD",
                "REDIS_HOST", "REDIS_PORT", "REDIS_PASSWORD"):
        monkeypatch.setenv(var, "1")
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "t.db"))
    for name in ("endpoints.yml", "endpoints.production.yml"):
        config = read_endpoint_config(str(ROOT / "bot" / name), "tracker_store")
        assert config.type == "bot.stores.tracker_store.MaskingTrackerStore", name
    # Rasa builds it from the laptop configuration (a wrong module path would silently give
    # an in-memory store: this catches it).
    config = read_endpoint_config(str(ROOT / "bot" / "endpoints.yml"), "tracker_store")
    monkeypatch.setattr("bot.stores.tracker_store.default_masker", FakeMasker)
    created = TrackerStore.create(config, DOMAIN)
    assert isinstance(find_masking_store(created), MaskingTrackerStore)


def test_without_a_masking_engine_the_store_refuses_to_start(monkeypatch, tmp_path):
    def missing():
        raise ImportError("no masking engine")

    monkeypatch.setattr("bot.stores.tracker_store.default_masker", missing)
    with pytest.raises(ImportError):
        MaskingTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "x.db"))
    assert not (tmp_path / "x.db").exists()


def test_two_stores_in_one_process_leave_rasas_schema_creatable(tmp_path):
    # Each index must be attached to Rasa's table once, or create_all creates it twice.
    import sqlalchemy as sa
    from rasa.core.tracker_store import SQLTrackerStore

    for name in ("a.db", "b.db"):
        MaskingTrackerStore(DOMAIN, masker=FakeMasker(), dialect="sqlite", db=str(tmp_path / name))
    names = [index.name for index in SQLTrackerStore.SQLEvent.__table__.indexes]
    assert len(names) == len(set(names))
    SQLTrackerStore.Base.metadata.create_all(sa.create_engine(f"sqlite:///{tmp_path / 'c.db'}"))
