"""The SQLite tracker store keeps conversations like Rasa's SQL store, in the same file format."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import read_endpoint_config

from bot.tracker_store import SQLiteTrackerStore

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = Domain.from_yaml("""
version: "3.1"
intents: [greet]
slots:
  child_status: {type: text, mappings: [{type: custom}]}
""")


def _conversation(sender: str) -> DialogueStateTracker:
    tracker = DialogueStateTracker(sender, DOMAIN.slots)
    tracker.update(ActionExecuted("action_listen"))
    tracker.update(UserUttered("Koster det noe?", {"name": "greet", "confidence": 1.0}))
    tracker.update(SlotSet("child_status", "under_18"))
    return tracker


async def test_a_saved_conversation_comes_back_and_grows(tmp_path: Path) -> None:
    store = SQLiteTrackerStore(DOMAIN, db=str(tmp_path / "t.db"))
    tracker = _conversation("family-1")
    await store.save(tracker)
    tracker.update(UserUttered("takk", {"name": "greet", "confidence": 1.0}))
    await store.save(tracker)
    back = await store.retrieve("family-1")
    assert [e.as_dict()["event"] for e in back.events] == ["action", "user", "slot", "user"]
    assert back.get_slot("child_status") == "under_18"
    assert await store.retrieve("someone-else") is None


async def test_the_file_is_in_wal_mode_and_rasas_own_store_reads_it(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    await SQLiteTrackerStore(DOMAIN, db=str(db)).save(_conversation("family-2"))
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    stock = SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(db))
    back = await stock.retrieve("family-2")
    assert back.get_slot("child_status") == "under_18"


def test_a_wrong_sync_level_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_SQLITE_SYNCHRONOUS", "sometimes")
    with pytest.raises(ValueError, match="TRACKER_SQLITE_SYNCHRONOUS"):
        SQLiteTrackerStore(DOMAIN, db=str(tmp_path / "t.db"))


def test_bot_endpoints_load_this_store_not_rasas_in_memory_fallback(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "tracker.db"))
    monkeypatch.setenv("ACTION_ENDPOINT_URL", "http://127.0.0.1:1/webhook")
    config = read_endpoint_config(str(ROOT / "bot" / "endpoints.yml"), "tracker_store")
    store = TrackerStore.create(config, DOMAIN)
    inner = getattr(store, "_tracker_store", store)
    inner = getattr(inner, "_tracker_store", inner)
    assert isinstance(inner, SQLiteTrackerStore)
    assert Path(inner.engine.url.database) == tmp_path / "tracker.db"
