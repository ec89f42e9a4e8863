"""The widget's socket.io channel: unit checks, then end-to-end with a real Socket.IO client."""
from __future__ import annotations

import json
import queue
import sqlite3
import time
import uuid
from typing import Any, Dict, List, Optional

import pytest

from bot.channels.socketio import ReplyCache, feedback_payload, valid_session_id

# --- pure parts -------------------------------------------------------------------------------


def test_feedback_payload_accepts_only_up_or_down():
    assert feedback_payload({"value": "up", "message": "Svar", "message_index": 2})["value"] == "up"
    assert feedback_payload({"value": "down"})["value"] == "down"
    for bad in ("", "UP", "1", None, 1, "like"):
        assert feedback_payload({"value": bad}) is None


def test_feedback_payload_cleans_and_bounds_what_the_client_sends():
    p = feedback_payload(
        {"value": "up", "message": "/restart\x00" + "x" * 2000, "message_index": True, "message_id": "<script>"}
    )
    assert not p["message"].startswith("/") and "\x00" not in p["message"]
    assert len(p["message"]) <= 500
    assert p["message_index"] is None  # a bool is not an index
    assert p["message_id"] is None


def test_only_random_hex_session_ids_are_valid():
    assert valid_session_id(uuid.uuid4().hex)
    for bad in ("+4790991784", "default", "", None, uuid.uuid4().hex.upper(), "../" + "a" * 29):
        assert not valid_session_id(bad)


def test_reply_cache_forgets_the_oldest_first():
    cache = ReplyCache(size=2)
    cache.start("s", "m1")
    cache.start("s", "m2")
    cache.start("s", "m3")
    assert cache.get("s", "m1") is None
    assert cache.get("s", "m3") is not None


class _Processor:
    def __init__(self, store) -> None:
        self.store = store

    async def get_tracker(self, sender_id):
        return await self.store.get_or_create_tracker(sender_id)


def _agent():
    from types import SimpleNamespace

    from rasa.core.lock_store import InMemoryLockStore
    from rasa.core.tracker_store import InMemoryTrackerStore
    from rasa.shared.core.domain import Domain

    domain = Domain.from_dict(
        {"slots": {"feedback": {"type": "any", "influence_conversation": False, "mappings": [{"type": "custom"}]}}}
    )
    store = InMemoryTrackerStore(domain)
    return SimpleNamespace(
        domain=domain, tracker_store=store, lock_store=InMemoryLockStore(), processor=_Processor(store)
    )


async def test_store_feedback_appends_one_slot_event_and_caps_the_number():
    from rasa.shared.core.events import BotUttered, SlotSet, UserUttered

    from bot.channels.socketio import MAX_FEEDBACK_PER_CONVERSATION, store_feedback

    agent = _agent()
    payload = feedback_payload({"value": "up", "message": "Svar"})
    assert await store_feedback(agent, "s1", payload) is False  # nothing answered yet

    tracker = await agent.tracker_store.get_or_create_tracker("s1")
    tracker.update(UserUttered("Koster det noe?"))
    tracker.update(BotUttered("Det er gratis."))
    await agent.tracker_store.save(tracker)

    assert await store_feedback(agent, "s1", payload) is True
    events = list((await agent.tracker_store.retrieve("s1")).events)
    assert events[-1] == SlotSet("feedback", payload)
    assert [type(e) for e in events[-3:]] == [UserUttered, BotUttered, SlotSet]  # no new turn

    for _ in range(MAX_FEEDBACK_PER_CONVERSATION - 1):
        assert await store_feedback(agent, "s1", payload) is True
    assert await store_feedback(agent, "s1", payload) is False
    stored = [e for e in (await agent.tracker_store.retrieve("s1")).events if isinstance(e, SlotSet)]
    assert len(stored) == MAX_FEEDBACK_PER_CONVERSATION


# --- end-to-end against the real Rasa server --------------------------------------------------

socketio = pytest.importorskip("socketio")


class WidgetClient:
    """Speaks to the Rasa server the way the widget does."""

    def __init__(self, rasa_url: str) -> None:
        self.sio = socketio.Client(reconnection=False)
        self.replies: "queue.Queue[Dict[str, Any]]" = queue.Queue()
        self.confirms: "queue.Queue[str]" = queue.Queue()
        self.sio.on("bot_uttered", self.replies.put)
        self.sio.on("session_confirm", self.confirms.put)
        self.sio.connect(rasa_url, socketio_path="/socket.io", transports=["websocket"], wait_timeout=20)

    def start(self, session_id: Optional[str] = None) -> str:
        self.sio.emit("session_request", {"session_id": session_id})
        return self.confirms.get(timeout=20)

    def say(self, text: str, message_id: Optional[str] = None, timeout: float = 60) -> Dict[str, Any]:
        data = {"message": text}
        if message_id:
            data["message_id"] = message_id
        return self.sio.call("user_uttered", data, timeout=timeout)

    def rate(self, value: Any, message: str = "", index: int = 0) -> Dict[str, Any]:
        return self.sio.call("feedback", {"value": value, "message": message, "message_index": index}, timeout=30)

    def drain(self, settle: float = 0.3) -> List[Dict[str, Any]]:
        time.sleep(settle)
        out = []
        while not self.replies.empty():
            out.append(self.replies.get_nowait())
        return out

    def close(self) -> None:
        self.sio.disconnect()


def events(tracker_db, sender_id: str) -> List[tuple]:
    with sqlite3.connect(tracker_db) as db:
        rows = db.execute(
            "SELECT type_name, data FROM events WHERE sender_id = ? ORDER BY id", (sender_id,)
        ).fetchall()
    return [(t, json.loads(d)) for t, d in rows]


@pytest.fixture
def client(assistant):
    c = WidgetClient(assistant.rasa_url)
    yield c
    c.close()


@pytest.mark.e2e
def test_replies_reach_a_persistent_session(client):
    session_id = client.start()
    assert valid_session_id(session_id)
    ack = client.say("Koster det noe?")
    assert ack == {"ok": True}
    replies = client.drain()
    assert any("gratis" in r.get("text", "") for r in replies)
    assert all(r["id"] and r["reply_to"] for r in replies)


@pytest.mark.e2e
def test_a_new_connection_with_the_session_id_continues_the_conversation(assistant, client):
    session_id = client.start()
    client.say("Koster det noe?")
    client.close()
    again = WidgetClient(assistant.rasa_url)
    try:
        assert again.start(session_id) == session_id
        again.say("Hva gjør en barnekoordinator?")
        assert again.drain()
    finally:
        again.close()
    users = [d["text"] for t, d in events(assistant.tracker_db, session_id) if t == "user"]
    assert users == ["Koster det noe?", "Hva gjør en barnekoordinator?"]


@pytest.mark.e2e
def test_a_session_id_that_rasa_did_not_hand_out_is_replaced(client):
    # An SMS conversation is keyed by phone number; a web client must not be able to join it.
    confirmed = client.start("+4790991784")
    assert confirmed != "+4790991784" and valid_session_id(confirmed)


@pytest.mark.e2e
def test_a_resent_message_is_answered_once(assistant, client):
    session_id = client.start()
    first = client.say("Koster det noe?", message_id="m" + uuid.uuid4().hex)
    replies = client.drain()
    message_id = replies[0]["reply_to"]
    again = client.say("Koster det noe?", message_id=message_id)
    assert first == {"ok": True} and again == {"ok": True, "duplicate": True}
    assert [r["id"] for r in client.drain()] == [r["id"] for r in replies]
    users = [d for t, d in events(assistant.tracker_db, session_id) if t == "user"]
    assert len(users) == 1


@pytest.mark.e2e
def test_a_slash_command_cannot_force_an_intent(assistant, client):
    session_id = client.start()
    client.say("/restart")
    client.drain()
    users = [d for t, d in events(assistant.tracker_db, session_id) if t == "user"]
    assert users[0]["text"] == "\u2044restart"  # reads the same, but is not a command


@pytest.mark.e2e
def test_a_too_long_message_is_refused(client):
    client.start()
    assert client.say("a" * 1001) == {"ok": False, "error": "too_long"}
    assert client.drain() == []


@pytest.mark.e2e
def test_feedback_is_stored_with_the_conversation_and_is_not_a_turn(assistant, client):
    session_id = client.start()
    client.say("Koster det noe?")
    answer = client.drain()[0]["text"]
    before = events(assistant.tracker_db, session_id)

    assert client.rate("down", message=answer, index=0) == {"ok": True}

    after = events(assistant.tracker_db, session_id)
    added = after[len(before):]
    assert [t for t, _ in added] == ["slot"]
    assert added[0][1]["name"] == "feedback"
    assert added[0][1]["value"]["value"] == "down"
    assert added[0][1]["value"]["message"] == answer[:500]
    assert client.drain() == []  # no reply to a rating
    # The dialogue carries on as if nothing happened.
    client.say("Koster det noe?")
    assert any("gratis" in r.get("text", "") for r in client.drain())


@pytest.mark.e2e
def test_feedback_is_refused_when_invalid_or_nothing_was_answered(assistant, client):
    assert client.rate("up") == {"ok": False}  # no session yet
    session_id = client.start()
    assert client.rate("up") == {"ok": False}  # nothing answered in this conversation
    client.say("Koster det noe?")
    client.drain()
    assert client.rate("super") == {"ok": False}
    assert not [d for t, d in events(assistant.tracker_db, session_id) if t == "slot" and d["name"] == "feedback"]
