"""The SMS channel over real HTTP with a stand-in assistant: signatures, choices, keywords, retries."""

from __future__ import annotations

import asyncio
import socket
import uuid
import xml.etree.ElementTree as ET
from typing import Any, Dict, List, Optional

import aiohttp
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rasa.core.channels.channel import UserMessage
from sanic import Sanic
from twilio.request_validator import RequestValidator

from actions.knowledge import load_knowledge, load_profile
from bot.channels.privacy_texts import sms_notice
from bot.channels.replies import no_answer_text
from bot.channels.sanitize import MAX_MESSAGE_CHARS
from bot.channels.sms import (
    EMPTY_TEXT,
    NO_MORE_TEXT,
    STOP_TEXT,
    TOO_LONG_TEXT,
    _wants_letters as sms_module_wants_letters,
    SenderLocks,
    SmsInput,
    sender_id_for,
)
from bot.channels.sms_gateway import twiml
from bot.channels.sms_state import SmsStateStore
from bot.channels.sms_text import MORE_HINT, count_segments, markdown_to_sms

TOKEN = "unit-test-token"
KEY = b"unit-test-sender-key"
PHONE = "+4712345678"


class StandInAssistant:
    """Answers like the real assistant would, with texts from knowledge/, and records messages."""

    def __init__(self) -> None:
        self.received: List[UserMessage] = []
        self.step: Dict[str, int] = {}
        self.slow: Optional[asyncio.Event] = None
        knowledge = load_knowledge()
        self.questions = knowledge.eligibility["questions"]
        self.handoff = knowledge.text(knowledge.handoff, "handoff")
        self.long_answer = max(
            (knowledge.render(t) for t in knowledge.topics), key=lambda text: len(text)
        )

    async def __call__(self, message: UserMessage) -> None:
        self.received.append(message)
        out, sender = message.output_channel, message.sender_id
        intent = (message.parse_data or {}).get("intent", {}).get("name")
        if message.text == "krasj":
            raise RuntimeError("the assistant broke")
        if message.text == "treg" and self.slow is not None:
            await self.slow.wait()
        if intent == "restart":
            self.step.pop(sender, None)
            return
        if intent == "greet":
            await out.send_response(sender, {"text": "Hei!", "buttons": [
                {"title": "Sjekk om dere kan ha rett", "payload": "Sjekk om dere kan ha rett"}]})
            return
        if intent == "request_human":
            await out.send_response(sender, {"text": self.handoff})
            return
        if message.text == "lang":
            await out.send_response(sender, {"text": self.long_answer})
            return
        if message.text == "Sjekk om dere kan ha rett":
            self.step[sender] = 0
        elif sender in self.step:
            self.step[sender] += 1
        else:
            await out.send_response(sender, {"text": f"Du skrev: {message.text}"})
            return
        names = ["child_status", "serious_condition", "long_term_needs"]
        if self.step[sender] >= len(names):
            del self.step[sender]
            await out.send_response(sender, {"text": "Ferdig med sjekken."})
            return
        name = names[self.step[sender]]
        question = self.questions[name]
        await out.send_response(sender, {
            "text": question["text"],
            "buttons": [{"title": b, "payload": b} for b in question["buttons"]],
            "utter_action": f"utter_ask_{name}",
        })

    def texts(self) -> List[str]:
        return [m.text for m in self.received]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Webhook:
    def __init__(self, url: str, session: aiohttp.ClientSession) -> None:
        self.url, self.session = url, session
        self.n = 0

    async def post(self, body: Optional[str], sid: Optional[str] = None, phone: str = PHONE,
                   sign: bool = True, token: str = TOKEN, drop: tuple = ()) -> aiohttp.ClientResponse:
        self.n += 1
        form = {"From": phone, "To": "+4700000000", "Body": body,
                "MessageSid": sid or f"SM{uuid.uuid4().hex}"}
        form = {k: v for k, v in form.items() if v is not None and k not in drop}
        headers = {}
        if sign:
            headers["X-Twilio-Signature"] = RequestValidator(token).compute_signature(self.url, form)
        response = await self.session.post(self.url, data=form, headers=headers)
        await response.read()
        return response

    async def say(self, body: str, **kwargs: Any) -> str:
        response = await self.post(body, **kwargs)
        assert response.status == 200, await response.text()
        return reply_text(await response.text())


def reply_text(twiml: str) -> str:
    root = ET.fromstring(twiml.encode("utf-8"))
    assert root.tag == "Response"
    return without_notice("\n".join(m.text or "" for m in root.findall("Message")))


def without_notice(reply: Optional[str]) -> Optional[str]:
    """The reply without the storage notice that starts the first SMS of a conversation
    (test_the_first_reply_of_a_conversation_starts_with_the_storage_notice checks it)."""
    notice = sms_notice()
    if reply and reply.startswith(notice):
        return reply[len(notice):].lstrip("\n")
    return reply


@pytest.fixture(autouse=True)
def sanic_test_mode(monkeypatch):
    # Several Sanic apps in one process: skip Sanic's one-time source "touchup" of the class.
    monkeypatch.setattr(Sanic, "test_mode", True)


@pytest.fixture
async def channel_server(tmp_path):
    """Our channel's blueprint on a real Sanic server, with the stand-in assistant behind it."""
    assistant = StandInAssistant()
    state = SmsStateStore(f"sqlite:///{tmp_path / 'sms_state.db'}")
    channel = SmsInput(auth_token=TOKEN, sender_key=KEY, state=state)
    app = Sanic(f"sms_test_{uuid.uuid4().hex}")
    app.blueprint(channel.blueprint(assistant), url_prefix="/webhooks/sms")
    port = _free_port()
    server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True,
                                     access_log=False)
    await server.startup()
    async with aiohttp.ClientSession() as session:
        hook = Webhook(f"http://127.0.0.1:{port}/webhooks/sms/webhook", session)
        yield hook, assistant, channel
    server.close()
    await server.wait_closed()


async def test_missing_or_forged_signature_is_403_and_nothing_is_processed(channel_server):
    hook, assistant, _ = channel_server
    assert (await hook.post("Hei", sign=False)).status == 403
    assert (await hook.post("Hei", token="guessed-token")).status == 403
    assert assistant.received == []


async def test_missing_body_or_from_is_400_with_reason(channel_server):
    hook, assistant, _ = channel_server
    for field in ("Body", "From"):
        response = await hook.post("Hei", drop=(field,))
        assert response.status == 400
        assert field in await response.text()
    assert assistant.received == []


async def test_reply_is_twiml_and_norwegian_letters_round_trip(channel_server):
    hook, assistant, _ = channel_server
    response = await hook.post("Hvordan får vi barnekoordinator? Æ Ø Å")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/xml")
    assert reply_text(await response.text()) == "Du skrev: Hvordan får vi barnekoordinator? Æ Ø Å"


async def test_whole_eligibility_check_with_digits(channel_server):
    hook, assistant, _ = channel_server
    first = await hook.say("Sjekk om dere kan ha rett")
    # The age question takes numbers as answers, so its buttons get letters.
    assert "A for Vi venter barn eller B for Vet ikke" in first
    second = await hook.say("5")
    assert "Svar 1 for Ja, 2 for Nei eller 3 for Vet ikke." in second
    await hook.say("1")
    assert await hook.say("2") == "Ferdig med sjekken."
    assert assistant.texts() == ["Sjekk om dere kan ha rett", "5", "Ja", "Nei"]
    assert assistant.received[2].metadata == {"sms": {"choice": "1"}}


async def test_letter_picks_expecting_and_free_text_still_works(channel_server):
    hook, assistant, _ = channel_server
    await hook.say("Sjekk om dere kan ha rett")
    await hook.say("a")
    await hook.say("tror det")  # free text instead of a digit
    assert assistant.texts()[1:] == ["Vi venter barn", "tror det"]


async def test_digits_after_a_reply_without_choices_are_plain_text(channel_server):
    hook, assistant, _ = channel_server
    await hook.say("Sjekk om dere kan ha rett")
    await hook.say("5")
    await hook.say("1")
    await hook.say("1")
    assert await hook.say("3") == "Du skrev: 3"  # the check ended: no choices are open


async def test_retried_message_sid_is_processed_once(channel_server):
    hook, assistant, _ = channel_server
    first = await hook.say("Hei der", sid="SMretry1")
    again = await hook.say("Hei der", sid="SMretry1")
    assert again == first
    assert assistant.texts() == ["Hei der"]


async def test_retry_arriving_while_the_first_is_processed_is_answered_once(channel_server):
    hook, assistant, _ = channel_server
    assistant.slow = asyncio.Event()
    first = asyncio.ensure_future(hook.say("treg", sid="SMslow"))
    await asyncio.sleep(0.2)
    second = asyncio.ensure_future(hook.say("treg", sid="SMslow"))
    await asyncio.sleep(0.2)
    assistant.slow.set()
    replies = await asyncio.gather(first, second)
    assert replies[0] == replies[1] == "Du skrev: treg"
    assert assistant.texts() == ["treg"]


async def test_messages_from_one_number_are_handled_in_order(channel_server):
    hook, assistant, _ = channel_server
    assistant.slow = asyncio.Event()
    first = asyncio.ensure_future(hook.say("treg"))
    await asyncio.sleep(0.2)
    second = asyncio.ensure_future(hook.say("etterpå"))
    await asyncio.sleep(0.2)
    assert assistant.texts() == ["treg"]  # the second waits for the first
    assistant.slow.set()
    await asyncio.gather(first, second)
    assert assistant.texts() == ["treg", "etterpå"]


async def test_phone_number_becomes_a_keyed_hash(channel_server):
    hook, assistant, _ = channel_server
    await hook.say("Hei", phone="+47 123 45 678")
    await hook.say("Hei", phone="004712345678")
    await hook.say("Hei", phone="+4787654321")
    ids = [m.sender_id for m in assistant.received]
    assert ids[0] == ids[1] == sender_id_for(PHONE, KEY) != ids[2]
    assert all("12345678" not in i and "87654321" not in i for i in ids)
    assert sender_id_for(PHONE, b"another-key") != ids[0]
    assert all(PHONE not in repr(m.metadata) for m in assistant.received)


async def test_stopp_ends_and_confirms(channel_server):
    hook, assistant, channel = channel_server
    await hook.say("Sjekk om dere kan ha rett")
    assert await hook.say("STOPP") == STOP_TEXT
    stop = assistant.received[-1]
    assert stop.text == "STOPP" and stop.parse_data["intent"]["name"] == "restart"
    assert await hook.say("1") == "Du skrev: 1"  # old choices are gone


async def test_hjelp_gives_the_human_contact_from_the_kommune_profile(channel_server):
    hook, assistant, _ = channel_server
    await hook.say("Sjekk om dere kan ha rett")
    await hook.say("5")
    reply = await hook.say("hjelp")
    assert load_profile()["contact_phone"] in reply
    assert "Svar 1 for" not in reply  # the contact is not followed by old choices...
    # ...and they are gone: HJELP ends the check, so a digit is plain text again.
    await hook.say("1")
    assert assistant.texts()[-1] == "1"


async def test_ny_starts_over_and_greets(channel_server):
    hook, assistant, _ = channel_server
    await hook.say("Sjekk om dere kan ha rett")
    reply = await hook.say("Ny")
    assert reply.startswith("Hei!")
    intents = [m.parse_data["intent"]["name"] for m in assistant.received[-2:]]
    assert intents == ["restart", "greet"]
    await hook.say("1")
    assert assistant.texts()[-1] == "Sjekk om dere kan ha rett"


async def test_long_answer_is_shortened_and_mer_sends_the_rest(channel_server):
    hook, assistant, _ = channel_server
    parts = [await hook.say("lang")]
    while MORE_HINT in parts[-1]:
        parts.append(await hook.say("MER"))
        assert len(parts) < 10
    assert len(parts) >= 2
    assert all(count_segments(p).segments <= 3 for p in parts)
    joined = " ".join(" ".join(p.replace(MORE_HINT, "").split()) for p in parts)
    assert joined.split() == markdown_to_sms(assistant.long_answer).split()
    assert await hook.say("mer") == NO_MORE_TEXT
    assert assistant.texts() == ["lang"]


async def test_empty_message_gets_a_polite_answer(channel_server):
    hook, assistant, _ = channel_server
    assert await hook.say("  \x07 ") == EMPTY_TEXT
    assert await hook.say("") == EMPTY_TEXT  # a picture message: Body is there but blank
    assert assistant.received == []


async def test_a_crash_in_the_assistant_is_an_apology_not_a_500(channel_server):
    hook, _, _ = channel_server
    reply = await hook.say("krasj")
    assert reply == no_answer_text()
    assert "Beklager" in reply and load_profile()["contact_phone"] in reply  # the family gets the human contact
    assert count_segments(reply).segments <= 3


async def test_slash_commands_from_users_are_neutralised(channel_server):
    hook, assistant, _ = channel_server
    await hook.say('/request_human{"x": 1}')
    assert not assistant.received[0].text.startswith("/")
    assert assistant.received[0].parse_data is None


async def test_oversized_request_is_refused(channel_server):
    hook, assistant, _ = channel_server
    response = await hook.post("x" * 70_000)
    assert response.status == 413
    assert assistant.received == []


async def test_text_over_the_channel_limit_gets_a_polite_answer(channel_server):
    hook, assistant, _ = channel_server
    assert await hook.say("ord " * (MAX_MESSAGE_CHARS // 4 + 10)) == TOO_LONG_TEXT
    assert assistant.received == []


async def test_choices_survive_a_restart_of_the_server(tmp_path):
    url = f"sqlite:///{tmp_path / 'state.db'}"
    assistant = StandInAssistant()
    sender = sender_id_for(PHONE, KEY)
    before = SmsInput(auth_token=TOKEN, sender_key=KEY, state=SmsStateStore(url))
    await before.handle("Sjekk om dere kan ha rett", sender, "SM1", assistant)
    await before.handle("5", sender, "SM2", assistant)
    after = SmsInput(auth_token=TOKEN, sender_key=KEY, state=SmsStateStore(url))
    await after.handle("3", sender, "SM3", assistant)
    assert assistant.texts()[-1] == "Vet ikke"
    assert await after.handle("5", sender, "SM2", assistant) == (
        await before.handle("5", sender, "SM2", assistant))
    assert assistant.texts().count("5") == 1


async def test_unconfigured_channel_answers_503(tmp_path):
    channel = SmsInput(auth_token=None, sender_key=None,
                       state=SmsStateStore(f"sqlite:///{tmp_path / 's.db'}"))
    app = Sanic(f"sms_test_{uuid.uuid4().hex}")
    app.blueprint(channel.blueprint(StandInAssistant()), url_prefix="/webhooks/sms")
    port = _free_port()
    server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True,
                                     access_log=False)
    await server.startup()
    try:
        async with aiohttp.ClientSession() as session:
            hook = Webhook(f"http://127.0.0.1:{port}/webhooks/sms/webhook", session)
            assert (await hook.post("Hei")).status == 503
    finally:
        server.close()
        await server.wait_closed()


def test_production_refuses_to_start_without_sender_key(monkeypatch):
    monkeypatch.setenv("ASSISTANT_ENV", "production")
    monkeypatch.setenv("SMS_AUTH_TOKEN", TOKEN)
    monkeypatch.delenv("SMS_SENDER_KEY", raising=False)
    with pytest.raises(Exception, match="SMS_SENDER_KEY"):
        SmsInput.from_credentials({})


def test_outside_production_a_missing_key_is_derived_with_a_warning(monkeypatch, caplog, tmp_path):
    monkeypatch.delenv("ASSISTANT_ENV", raising=False)
    monkeypatch.setenv("SMS_AUTH_TOKEN", TOKEN)
    monkeypatch.delenv("SMS_SENDER_KEY", raising=False)
    monkeypatch.setenv("SMS_STATE_DB_URL", f"sqlite:///{tmp_path / 's.db'}")
    channel = SmsInput.from_credentials({})
    assert channel.configured
    assert "SMS_SENDER_KEY" in caplog.text


async def test_sender_locks_are_dropped_after_use():
    locks = SenderLocks()
    async with locks("a"):
        assert len(locks) == 1
    assert len(locks) == 0


@pytest.mark.parametrize(
    "message, letters",
    [
        ({"text": "Hvor gammel? Skriv «5 år».", "hints": {"utter_action": "utter_ask_child_status"}}, True),
        ({"text": "Har barnet en alvorlig sykdom?", "hints": {"utter_action": "utter_ask_x"}}, False),
        # An answer that happens to contain a number is not a question that takes numbers.
        ({"text": "Ring 90 99 17 84.", "hints": {"utter_action": "utter_faq/contact"}}, False),
        ({"text": "Velg", "hints": {"metadata": {"sms_choice_keys": "letters"}}}, True),
        ({"text": "Skriv 5", "hints": {"utter_action": "utter_ask_a", "sms_choice_keys": "digits"}}, False),
    ],
)
def test_letters_only_where_numbers_are_answers(message, letters):
    assert sms_module_wants_letters(message) is letters


async def test_retry_reaching_another_server_mid_processing_gets_empty_twiml(tmp_path):
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    assistant = StandInAssistant()
    assistant.slow = asyncio.Event()
    server_a = SmsInput(auth_token=TOKEN, sender_key=KEY, state=SmsStateStore(url))
    server_b = SmsInput(auth_token=TOKEN, sender_key=KEY, state=SmsStateStore(url))
    sender = sender_id_for(PHONE, KEY)
    first = asyncio.ensure_future(server_a.handle("treg", sender, "SMshared", assistant))
    await asyncio.sleep(0.2)
    assert await server_b.handle("treg", sender, "SMshared", assistant) is None
    assistant.slow.set()
    assert without_notice(await first) == "Du skrev: treg"
    assert without_notice(await server_b.handle("treg", sender, "SMshared", assistant)) == "Du skrev: treg"
    assert assistant.texts() == ["treg"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.text(max_size=400))
async def test_odd_input_always_gets_a_short_polite_reply(tmp_path, body):
    assistant = StandInAssistant()
    channel = SmsInput(auth_token=TOKEN, sender_key=KEY,
                       state=SmsStateStore(f"sqlite:///{tmp_path / 'odd.db'}"))
    reply = await channel.handle(body, sender_id_for(PHONE, KEY), None, assistant)
    assert reply and count_segments(reply).segments <= 3
    ET.fromstring(twiml(reply).encode("utf-8"))  # always valid XML
    for message in assistant.received:
        assert not message.text.startswith("/")


def test_every_way_of_asking_the_age_takes_letters_for_its_choices():
    # Over SMS "2" must mean two years, also after a re-ask or an interruption ("Tilbake til
    # sjekken: ...") and when the assistant asks which child.
    from scripts.build_domain import build_responses

    responses = build_responses(load_knowledge())
    names = ["utter_ask_child_status", "utter_ask_child_status_again", "utter_ask_which_child",
             "utter_reask_child_status", "utter_reask_child_status_impossible"]
    for name in names:
        message = {"text": responses[name][0]["text"], "hints": {"utter_action": name}}
        assert responses[name][0].get("buttons"), name
        assert sms_module_wants_letters(message), name


async def test_the_first_reply_of_a_conversation_starts_with_the_storage_notice(channel_server):
    hook, _assistant, _channel = channel_server
    first = await hook.post("Koster det noe?")
    text = "\n".join(m.text or "" for m in ET.fromstring((await first.text()).encode()).findall("Message"))
    assert text.startswith(sms_notice()) and "30 dager" in text and "SLETT" in text
    second = await hook.post("Og hvem får det?")
    assert sms_notice() not in await second.text()
    assert count_segments(text).segments <= 3


async def test_slett_outside_a_rasa_server_says_it_failed(channel_server):
    # Outside a Rasa server there is no tracker store to delete from: the family is told it failed.
    hook, _assistant, channel = channel_server
    await hook.say("Koster det noe?")
    reply = await hook.say("SLETT")
    assert reply == no_answer_text()
