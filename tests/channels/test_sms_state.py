"""SMS state database: MessageSid claims, conversation state, defaults from the environment."""

import time

from bot.channels import sms_state
from bot.channels.sms_state import ConversationState, SmsStateStore, default_state_db_url
from bot.channels.sms_text import Choice


def store(tmp_path, **kwargs):
    return SmsStateStore(f"sqlite:///{tmp_path / 'state.db'}", **kwargs)


def test_a_message_sid_is_claimed_once_and_then_answers_its_reply(tmp_path):
    s = store(tmp_path)
    assert s.claim_message("SM1", "sms-a").status == "new"
    assert s.claim_message("SM1", "sms-a").status == "processing"
    s.finish_message("SM1", "Svar")
    assert (s.claim_message("SM1", "sms-a").status, s.claim_message("SM1", "sms-a").reply) == (
        "done", "Svar")


def test_a_claim_left_by_a_dead_server_becomes_stale(tmp_path, monkeypatch):
    s = store(tmp_path)
    s.claim_message("SM1", "sms-a")
    later = time.time() + sms_state.STALE_PROCESSING_SECONDS + 1
    monkeypatch.setattr(sms_state.time, "time", lambda: later)
    assert s.claim_message("SM1", "sms-a").status == "stale"


def test_old_message_ids_are_purged(tmp_path, monkeypatch):
    s = store(tmp_path, retention_hours=1)
    s.claim_message("SM1", "sms-a")
    later = time.time() + 7200
    monkeypatch.setattr(sms_state.time, "time", lambda: later)
    assert s.claim_message("SM2", "sms-a").status == "new"
    assert s.counts() == (0, 1)


def test_conversation_state_round_trips_and_is_shared_by_two_stores(tmp_path):
    one, two = store(tmp_path), store(tmp_path)
    one.save("sms-a", ConversationState([Choice("Vet ikke", "Vet ikke")], True, "resten æøå"))
    assert two.load("sms-a") == ConversationState([Choice("Vet ikke", "Vet ikke")], True, "resten æøå")
    two.forget("sms-a")
    assert one.load("sms-a") == ConversationState()


def test_default_database_sits_beside_the_tracker_database(monkeypatch):
    monkeypatch.delenv("SMS_STATE_DB_URL", raising=False)
    monkeypatch.setenv("TRACKER_DB", "/srv/data/tracker.db")
    assert default_state_db_url() == "sqlite:////srv/data/sms_state.db"
    monkeypatch.setenv("SMS_STATE_DB_URL", "postgresql://db/sms")
    assert default_state_db_url() == "postgresql://db/sms"


def test_no_engine_is_created_before_first_use(tmp_path):
    s = store(tmp_path)
    assert s._engine is None and not (tmp_path / "state.db").exists()
