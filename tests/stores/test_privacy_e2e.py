"""End to end: personal data over REST, socket.io and SMS never reaches a table, a column or a log.

Runs twice: against the laptop configuration (SQLite tracker store and SMS state) and against
the production one (bot/endpoints.production.yml: PostgreSQL tracker store and SMS state,
Redis lock store; real servers from Debian started by tests/support/services.py). Each run
then checks retention (the server's own background task) and deletion ("Slett samtalen" over
socket.io, SLETT over SMS): no row of the deleted conversation anywhere, the others untouched.
"""

from __future__ import annotations

import time
import uuid
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Iterator, List

import pytest
import requests
import sqlalchemy as sa

from bot.channels.privacy_texts import sms_deleted_text
from bot.channels.sms import NO_MORE_TEXT
from tests.channels.test_sms_e2e import SmsPhone
from tests.channels.test_socketio_widget import WidgetClient
from tests.conftest import TEST_SERVER_ENV
from tests.support.pii_scan import scan
from tests.support.servers import ROOT, RunningAssistant, running_assistant

pytestmark = pytest.mark.e2e

DAY = 86400.0
RETENTION_INTERVAL_S = 2

# One family's conversation with every kind of personal data the issue names.
MESSAGES = [
    "Hei, jeg heter Kari Nordmann og sønnen min Ola har autisme.",
    "Fødselsnummeret hans er 01017012345. Du når meg på 912 34 567 eller kari.nordmann@example.no.",
    "Vi bor i Storgata 12, 9008 Tromsø. Kontonummeret mitt er 1234 56 78903.",
    "Sjekk om dere kan ha rett",
    # Taken as text into the eligibility form's first slot (child_status: from_text).
    "Ola Nordmann er 5 år og har cerebral parese",
]
RAW_VALUES = [
    "Kari Nordmann", "Kari", "Nordmann", "Ola", "autisme", "cerebral parese",
    "01017012345", "912 34 567", "91234567", "kari.nordmann@example.no", "kari.nordmann",
    "Storgata 12", "Storgata", "9008", "1234 56 78903", "12345678903", "78903",
]


@dataclass
class Backend:
    name: str
    assistant: RunningAssistant
    tracker_url: str
    sms_url: str

    def urls(self) -> List[str]:
        return sorted({self.tracker_url, self.sms_url})

    def leaks(self, values: List[str]) -> list:
        return [hit for url in self.urls() for hit in scan(url, values)]

    def rows_of(self, sender_id: str) -> int:
        """How many rows of any table of the tracker store or the SMS state name this id."""
        total = 0
        for url in self.urls():
            engine = sa.create_engine(url)
            try:
                with engine.connect() as conn:
                    for name in sa.inspect(engine).get_table_names():
                        table = sa.Table(name, sa.MetaData(), autoload_with=engine)
                        if "sender_id" in table.c:
                            total += conn.execute(
                                sa.select(sa.func.count()).select_from(table)
                                .where(table.c.sender_id == sender_id)
                            ).scalar()
            finally:
                engine.dispose()
        return total

    def user_texts(self, sender_id: str) -> List[str]:
        import json

        engine = sa.create_engine(self.tracker_url)
        try:
            with engine.connect() as conn:
                rows = conn.execute(
                    sa.text("SELECT data FROM events WHERE sender_id = :s AND type_name = 'user' ORDER BY id"),
                    {"s": sender_id},
                ).fetchall()
        finally:
            engine.dispose()
        return [json.loads(data)["text"] for (data,) in rows]

    def age(self, sender_id: str, days: float) -> None:
        """Move a conversation `days` into the past, as if nobody had written since."""
        seconds = days * DAY
        engine = sa.create_engine(self.tracker_url)
        try:
            with engine.begin() as conn:
                conn.execute(sa.text("UPDATE events SET timestamp = timestamp - :d WHERE sender_id = :s"),
                             {"d": seconds, "s": sender_id})
        finally:
            engine.dispose()
        engine = sa.create_engine(self.sms_url)
        try:
            with engine.begin() as conn:
                conn.execute(sa.text("UPDATE sms_conversations SET updated_at = updated_at - :d WHERE sender_id = :s"),
                             {"d": seconds, "s": sender_id})
                conn.execute(sa.text("UPDATE sms_messages SET created_at = created_at - :d WHERE sender_id = :s"),
                             {"d": seconds, "s": sender_id})
        finally:
            engine.dispose()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def backend(request, tmp_path_factory) -> Iterator[Backend]:
    workdir = tmp_path_factory.mktemp(f"privacy-{request.param}")
    env = {
        **TEST_SERVER_ENV,
        "LOG_LEVEL": "DEBUG",  # Rasa logs user text at debug level: the filter must catch it
        "RETENTION_DAYS": "30",
        "RETENTION_INTERVAL_SECONDS": str(RETENTION_INTERVAL_S),
    }
    with ExitStack() as stack:
        if request.param == "sqlite":
            assistant = stack.enter_context(running_assistant(workdir, env))
            yield Backend("sqlite", assistant, f"sqlite:///{assistant.tracker_db}",
                          f"sqlite:///{assistant.tracker_db.parent / 'sms_state.db'}")
            return
        from tests.support.services import running_postgres, running_redis

        pg = stack.enter_context(running_postgres())
        redis = stack.enter_context(running_redis())
        env.update({
            "DB_HOST": pg.host, "DB_PORT": str(pg.port), "DB_NAME": pg.db, "DB_USER": pg.user,
            "DB_PASSWORD": pg.password, "REDIS_HOST": redis.host, "REDIS_PORT": str(redis.port),
            "REDIS_PASSWORD": "", "SMS_STATE_DB_URL": pg.url,
        })
        assistant = stack.enter_context(
            running_assistant(workdir, env, endpoints=ROOT / "bot" / "endpoints.production.yml")
        )
        yield Backend("postgresql", assistant, pg.url, pg.url)


def new_sender(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def assert_stored_masked(backend: Backend, sender_id: str, sent: int) -> None:
    texts = backend.user_texts(sender_id)
    assert len(texts) == sent, texts  # the conversation was stored ...
    assert any("[" in t for t in texts), texts  # ... with placeholders where the data was
    assert backend.leaks(RAW_VALUES) == []


def test_rest_conversation_is_stored_without_personal_data(backend):
    sender = new_sender("rest")
    for message in MESSAGES:
        replies = backend.assistant.send(sender, message)
        assert replies and all(r.get("text") or r.get("buttons") for r in replies)
    assert_stored_masked(backend, sender, len(MESSAGES))


def test_socketio_conversation_and_feedback_are_stored_without_personal_data(backend):
    client = WidgetClient(backend.assistant.rasa_url)
    try:
        session_id = client.start()
        for message in MESSAGES:
            assert client.say(message)["ok"]
        replies = client.drain()
        assert replies
        # A rating quotes the answer; a client may put anything there.
        ack = client.rate("up", message="Svaret til Kari Nordmann, 912 34 567", index=1)
        assert ack == {"ok": True}
    finally:
        client.close()
    assert_stored_masked(backend, session_id, len(MESSAGES))


def test_sms_conversation_is_stored_without_personal_data_or_the_phone_number(backend):
    phone = SmsPhone(backend.assistant)
    first = phone.say(MESSAGES[0])
    # The first SMS of a conversation says how it is stored and how to delete it.
    assert "30 dager" in first and "SLETT" in first
    for message in MESSAGES[1:]:
        reply = phone.say(message)
        assert "30 dager" not in reply
    national = phone.number[3:]
    assert_stored_masked(backend, phone.sender_id, len(MESSAGES))
    assert backend.leaks([phone.number, phone.number[1:], national]) == []


def test_log_lines_of_both_servers_hold_no_personal_data(backend):
    sender = new_sender("log")
    backend.assistant.send(sender, MESSAGES[1])
    time.sleep(0.5)  # let the log handlers write
    rasa_log = backend.assistant.logs[1].read_text(encoding="utf-8", errors="replace")
    action_log = backend.assistant.logs[0].read_text(encoding="utf-8", errors="replace")
    assert "DEBUG" in rasa_log  # user text is logged at this level: the check means something
    assert "[FØDSELSNUMMER]" in rasa_log or "[NUMMER]" in rasa_log
    for name, log in (("rasa", rasa_log), ("actions", action_log)):
        found = [v for v in ("01017012345", "912 34 567", "kari.nordmann@example.no", "Kari Nordmann")
                 if v in log]
        assert found == [], f"{name} server log holds {found}"


def wait_until(check, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.3)
    return check()


def test_retention_deletes_idle_conversations_while_the_server_runs(backend):
    old_rest, recent_rest = new_sender("old"), new_sender("recent")
    for sender in (old_rest, recent_rest):
        backend.assistant.send(sender, "Koster det noe?")
    old_phone, recent_phone = SmsPhone(backend.assistant), SmsPhone(backend.assistant)
    for phone in (old_phone, recent_phone):
        phone.say("Hvem kan få barnekoordinator?")
    assert backend.rows_of(old_rest) > 0 and backend.rows_of(old_phone.sender_id) > 0
    backend.age(old_rest, 31)
    backend.age(old_phone.sender_id, 31)
    backend.age(recent_rest, 29)  # inside the 30 days: kept

    assert wait_until(lambda: backend.rows_of(old_rest) == 0 and backend.rows_of(old_phone.sender_id) == 0,
                      timeout=RETENTION_INTERVAL_S * 10)
    assert backend.rows_of(recent_rest) > 0
    assert backend.rows_of(recent_phone.sender_id) > 0
    assert backend.user_texts(recent_phone.sender_id) == ["Hvem kan få barnekoordinator?"]


def test_slett_over_sms_leaves_no_row_and_keeps_other_conversations(backend):
    phone, other = SmsPhone(backend.assistant), SmsPhone(backend.assistant)
    for p in (phone, other):
        p.say("Hei, jeg heter Kari")
        p.say("Hva gjør en barnekoordinator?")  # long: leaves text for MER in the SMS state
    assert backend.rows_of(phone.sender_id) > 0
    assert phone.say("SLETT") == sms_deleted_text()
    assert backend.rows_of(phone.sender_id) == 0
    assert backend.user_texts(other.sender_id) == ["Hei, jeg heter [NAVN]", "Hva gjør en barnekoordinator?"]
    assert other.say("MER") != NO_MORE_TEXT  # its SMS state is still there
    # Writing again starts a new conversation, which is told about storage again.
    again = phone.say("Koster det noe?")
    assert "30 dager" in again
    assert backend.user_texts(phone.sender_id) == ["Koster det noe?"]


def test_slett_samtalen_over_socketio_deletes_only_the_sessions_own_conversation(backend):
    one, two = WidgetClient(backend.assistant.rasa_url), WidgetClient(backend.assistant.rasa_url)
    try:
        first, second = one.start(), two.start()
        for client in (one, two):
            client.say("Koster det noe?")
            client.drain()
            assert client.rate("up", message="Det er gratis.")["ok"]
        assert backend.rows_of(first) > 0
        # Naming the other session in the event does not matter: only the own id is deleted.
        ack = one.sio.call("delete_conversation", {"session_id": second}, timeout=30)
        assert ack["ok"] is True and ack["deleted"] > 0
        assert backend.rows_of(first) == 0
        assert backend.user_texts(second) == ["Koster det noe?"]
        # The deleted session is closed: a message now needs a new session_request.
        assert one.say("Hei") == {"ok": False, "error": "no_session"}
    finally:
        one.close()
        two.close()


def test_delete_without_a_session_is_refused(backend):
    client = WidgetClient(backend.assistant.rasa_url)
    try:
        assert client.sio.call("delete_conversation", {}, timeout=30) == {"ok": False, "error": "no_session"}
    finally:
        client.close()


def test_there_is_no_http_delete(backend):
    for path in ("/conversations/x/tracker", "/webhooks/rest/webhook", "/webhooks/sms/webhook"):
        r = requests.delete(backend.assistant.rasa_url + path, timeout=10)
        assert r.status_code in (404, 405), (path, r.status_code)
