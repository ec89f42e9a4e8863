"""Retention and the SMS state's privacy: real SQLite files, real Rasa events, injected masker."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from rasa.shared.core.events import UserUttered

from bot.channels.sms_state import ConversationState, SmsStateStore
from bot.channels.sms_text import Choice
from bot.stores import retention
from bot.stores.event_masking import CachingMasker
from bot.stores.tracker_store import MaskingTrackerStore
from tests.stores.test_tracker_store import DOMAIN
from tests.support.fake_masker import FakeMasker
from tests.support.pii_scan import scan

DAY = 86400.0


@pytest.fixture
def store(tmp_path: Path) -> MaskingTrackerStore:
    return MaskingTrackerStore(DOMAIN, masker=FakeMasker(), dialect="sqlite", db=str(tmp_path / "t.db"))


@pytest.fixture
def sms(tmp_path: Path) -> SmsStateStore:
    masker = CachingMasker(FakeMasker())
    return SmsStateStore(f"sqlite:///{tmp_path / 'sms.db'}", masker=lambda: masker)


async def conversation(store: MaskingTrackerStore, sender: str, when: float) -> None:
    tracker = store.init_tracker(sender)
    tracker.update(UserUttered("hei", timestamp=when))
    await store.save(tracker)


def test_sms_state_masks_what_the_assistant_quotes(sms, tmp_path):
    said = "Jeg heter Kari Nordmann, nummeret er 912 34 567"
    state = ConversationState(
        choices=[Choice("Ja, Kari Nordmann", "/affirm"), Choice("Nei", "/deny")],
        more="... og vi ringer deg på 912 34 567. Kontakt oss på 90 99 17 84.",
    )
    sms.save("sms-1", state, said)
    sms.claim_message("SM1", "sms-1")
    sms.finish_message("SM1", "Takk, Kari Nordmann.", said)
    assert scan(sms.url, ["Kari Nordmann", "Kari", "912 34 567"]) == []
    loaded = sms.load("sms-1")
    assert loaded.stored
    assert loaded.more == "... og vi ringer deg på [TELEFON]. Kontakt oss på 90 99 17 84."
    assert [c.title for c in loaded.choices] == ["Ja, [NAVN]", "Nei"]
    assert sms.claim_message("SM1", "sms-1").reply == "Takk, [NAVN]."
    assert not sms.load("sms-new").stored


def test_sms_state_delete_removes_state_and_message_ids_of_one_conversation(sms):
    for sender in ("sms-1", "sms-2"):
        sms.save(sender, ConversationState(more="rest"))
        sms.claim_message(f"SM-{sender}", sender)
    assert sms.delete("sms-1") == 2
    assert scan(sms.url, ["sms-1"]) == []
    assert sms.load("sms-2").more == "rest"
    assert sms.counts() == (1, 1)


async def test_purge_deletes_idle_conversations_everywhere_and_keeps_recent_ones(store, sms, monkeypatch):
    now = time.time()
    await conversation(store, "sms-old", now - 31 * DAY)
    await conversation(store, "web-old", now - 40 * DAY)
    await conversation(store, "sms-recent", now - 29 * DAY)
    for sender in ("sms-old", "sms-recent"):
        sms.save(sender, ConversationState(more="rest"))
        sms.claim_message(f"SM-{sender}", sender)
    # SMS state is stamped with the real clock; the tracker decides what is old.
    monkeypatch.setenv("RETENTION_DAYS", "30")
    report = await retention.purge(store, [sms], now=now)
    assert sorted(c.sender_id for c in report.conversations) == ["sms-old", "web-old"]
    assert report.sms_states == ["sms-old"]
    assert await store.retrieve("sms-old") is None and await store.retrieve("web-old") is None
    assert await store.retrieve("sms-recent") is not None
    assert scan(sms.url, ["sms-old"]) == [] and sms.load("sms-recent").stored
    text = "\n".join(report.lines())
    assert "deleted 2 conversation(s)" in text and "sms-old" in text and "sms-recent" not in text


def test_sms_state_purge_on_its_own_clock(sms):
    sms.save("sms-a", ConversationState(more="x"))
    assert sms.purge_inactive(30, now=time.time() + 31 * DAY) == ["sms-a"]
    assert sms.counts() == (0, 0)


@pytest.mark.parametrize("value", ["0", "-3", "abc", "1.5"])
def test_a_bad_retention_days_is_refused(monkeypatch, value):
    monkeypatch.setenv("RETENTION_DAYS", value)
    with pytest.raises(ValueError, match="RETENTION_DAYS"):
        retention.retention_days()


def test_retention_days_default_is_30(monkeypatch):
    monkeypatch.delenv("RETENTION_DAYS", raising=False)
    assert retention.retention_days() == 30


async def test_the_background_loop_purges_again_and_again(store, sms):
    now = time.time()
    await conversation(store, "first-old", now - 31 * DAY)
    task = asyncio.ensure_future(retention.retention_loop(lambda: (store, [sms]), interval=0.2, days=30))
    try:
        for _ in range(50):
            await asyncio.sleep(0.1)
            if await store.retrieve("first-old") is None:
                break
        assert await store.retrieve("first-old") is None
        await conversation(store, "later-old", now - 31 * DAY)
        for _ in range(50):
            await asyncio.sleep(0.1)
            if await store.retrieve("later-old") is None:
                break
        assert await store.retrieve("later-old") is None
    finally:
        task.cancel()


def test_make_purge_prints_what_it_deleted(tmp_path, monkeypatch, capsys):
    db = tmp_path / "tracker.db"
    store = MaskingTrackerStore(DOMAIN, masker=FakeMasker(), dialect="sqlite", db=str(db))
    asyncio.run(conversation(store, "old-conv", time.time() - 31 * DAY))
    asyncio.run(conversation(store, "new-conv", time.time()))
    monkeypatch.setenv("TRACKER_DB", str(db))
    monkeypatch.setenv("SMS_STATE_DB_URL", f"sqlite:///{tmp_path / 'sms.db'}")
    monkeypatch.delenv("RETENTION_DAYS", raising=False)
    assert retention.main(["--endpoints", "bot/endpoints.yml"]) == 0
    out = capsys.readouterr().out
    assert "deleted 1 conversation(s)" in out and "old-conv" in out and "new-conv" not in out
    assert asyncio.run(store.retrieve("new-conv")) is not None
