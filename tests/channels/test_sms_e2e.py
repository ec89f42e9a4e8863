"""End to end: signed SMS webhooks (real twilio RequestValidator) against the running assistant."""

from __future__ import annotations

import random
import sqlite3
import uuid
import xml.etree.ElementTree as ET
from typing import Dict, List, Optional

import pytest
import requests
from twilio.request_validator import RequestValidator

from actions.knowledge import load_knowledge, load_profile
from bot.channels.privacy_texts import sms_notice
from bot.channels.sms import STOP_TEXT, sender_id_for
from bot.channels.sms_text import count_segments, markdown_to_sms
from tests.conftest import TEST_SERVER_ENV

pytestmark = pytest.mark.e2e

MAX_SEGMENTS = 3


def first_line(text: str) -> str:
    return markdown_to_sms(text).splitlines()[0]


class SmsPhone:
    """One phone talking to the assistant through the SMS webhook, the way Twilio posts."""

    def __init__(self, assistant, number: Optional[str] = None) -> None:
        self.url = f"{assistant.rasa_url}/webhooks/sms/webhook"
        # +47 0... is not a Norwegian subscriber range: clearly a test number, never a real phone.
        self.number = number or "+4700" + "".join(random.choice("0123456789") for _ in range(6))
        self.token = TEST_SERVER_ENV["SMS_AUTH_TOKEN"]

    @property
    def sender_id(self) -> str:
        return sender_id_for(self.number, TEST_SERVER_ENV["SMS_SENDER_KEY"].encode())

    def post(self, body: Optional[str], sid: Optional[str] = None, token: Optional[str] = None,
             sign: bool = True) -> requests.Response:
        form: Dict[str, str] = {"From": self.number, "To": "+4700000000",
                                "MessageSid": sid or f"SM{uuid.uuid4().hex}", "AccountSid": "ACtest"}
        if body is not None:
            form["Body"] = body
        headers = {}
        if sign:
            validator = RequestValidator(token or self.token)
            headers["X-Twilio-Signature"] = validator.compute_signature(self.url, form)
        return requests.post(self.url, data=form, headers=headers, timeout=60)

    def say(self, body: str, sid: Optional[str] = None) -> str:
        response = self.post(body, sid)
        assert response.status_code == 200, response.text
        assert response.headers["Content-Type"].startswith("text/xml")
        root = ET.fromstring(response.content)
        assert root.tag == "Response"
        text = "\n".join(m.text or "" for m in root.findall("Message"))
        # Every reply, in every test, must fit the segment budget; the first reply of a
        # conversation has one more segment, for the storage notice.
        budget = MAX_SEGMENTS + (count_segments(sms_notice()).segments
                                 if text.startswith(sms_notice()) else 0)
        assert count_segments(text).segments <= budget, text
        return text


def user_texts(assistant, sender_id: str) -> List[str]:
    """What the tracker store recorded as said by this conversation's user."""
    import json

    with sqlite3.connect(assistant.tracker_db) as db:
        rows = db.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' ORDER BY id",
            (sender_id,),
        ).fetchall()
    return [json.loads(data).get("text") for (data,) in rows]


@pytest.fixture
def phone(assistant) -> SmsPhone:
    return SmsPhone(assistant)


def test_a_question_is_answered_in_twiml(phone):
    knowledge = load_knowledge()
    reply = phone.say("Koster det noe å ha barnekoordinator?")
    assert first_line(knowledge.render("cost")) in reply


def test_forged_or_missing_signature_is_rejected_and_not_processed(assistant, phone):
    assert phone.post("Hei", sign=False).status_code == 403
    assert phone.post("Hei", token="a-guessed-token").status_code == 403
    assert user_texts(assistant, phone.sender_id) == []


def test_missing_body_is_a_clear_400(assistant, phone):
    response = phone.post(None)
    assert response.status_code == 400 and "Body" in response.text
    assert user_texts(assistant, phone.sender_id) == []


def test_whole_eligibility_check_answered_with_digits(assistant, phone):
    knowledge = load_knowledge()
    questions = knowledge.eligibility["questions"]
    asked_age = phone.say("Sjekk om dere kan ha rett")
    assert first_line(questions["child_status"]["text"]) in asked_age
    asked_condition = phone.say("5")
    assert first_line(questions["serious_condition"]["text"]) in asked_condition
    assert "Svar 1 for Ja, 2 for Nei eller 3 for Vet ikke." in asked_condition
    asked_needs = phone.say("1")
    assert first_line(questions["long_term_needs"]["text"]) in asked_needs
    outcome = phone.say("1")
    assert first_line(knowledge.text(knowledge.eligibility["outcomes"], "likely")) in outcome
    assert user_texts(assistant, phone.sender_id) == ["Sjekk om dere kan ha rett", "5", "Ja", "Ja"]


def test_retried_message_sid_is_processed_once(assistant, phone):
    first = phone.say("Hvem kan få barnekoordinator?", sid="SMretry-e2e-1")
    again = phone.say("Hvem kan få barnekoordinator?", sid="SMretry-e2e-1")
    assert again == first
    assert user_texts(assistant, phone.sender_id) == ["Hvem kan få barnekoordinator?"]


def test_norwegian_letters_round_trip(assistant, phone):
    text = "Hva gjør en barnekoordinator? Æ Ø Å æ ø å"
    reply = phone.say(text)
    assert user_texts(assistant, phone.sender_id) == [text]
    assert any(ch in reply for ch in "æøå")
    assert count_segments(reply).encoding == "GSM-7"


def test_hjelp_gives_the_human_contact(phone):
    reply = phone.say("HJELP")
    profile = load_profile()
    assert profile["contact_phone"] in reply and profile["contact_email"] in reply


def test_stopp_in_the_check_stops_the_check_not_the_subscription(phone):
    el = load_knowledge().eligibility
    phone.say("Sjekk om dere kan ha rett")
    phone.say("5")
    reply = phone.say("stopp")
    assert reply != STOP_TEXT
    assert first_line(el["outcomes"]["stopped"]) in reply
    # The check is over: the next message is an ordinary question, answered as one.
    assert "gratis" in phone.say("Koster det noe?").lower()


def test_avbryt_in_the_check_stops_it_like_on_the_web(phone):
    el = load_knowledge().eligibility
    phone.say("Sjekk om dere kan ha rett")
    assert first_line(el["outcomes"]["stopped"]) in phone.say("avbryt")


def test_hjelp_in_the_check_gives_the_contact_and_says_the_check_ended(phone):
    el = load_knowledge().eligibility
    phone.say("Sjekk om dere kan ha rett")
    phone.say("5")  # the yes/no question is open, with "Svar 1 for Ja ..."
    reply = phone.say("HJELP")
    assert load_profile()["contact_phone"] in reply
    assert first_line(el["outcomes"]["stopped_for_handoff"]) in reply
    # The numbered choices of the question are gone: "1" is no "Ja" to a question.
    assert first_line(el["questions"]["long_term_needs"]["text"]) not in phone.say("1")


def test_ny_in_the_check_starts_the_check_over(phone):
    el = load_knowledge().eligibility
    phone.say("Sjekk om dere kan ha rett")
    phone.say("5")
    assert first_line(el["questions"]["child_status"]["text"]) in phone.say("NY")


def test_stopp_confirms_and_ny_starts_over(assistant, phone):
    phone.say("Hva gjør en barnekoordinator?")
    assert phone.say("Stopp") == STOP_TEXT
    greeting = phone.say("NY")
    assert "Svar med et tall:" in greeting or "Svar 1 for" in greeting
    # The greeting's choices work: 2 is "Sjekk om dere kan ha rett".
    asked_age = phone.say("2")
    questions = load_knowledge().eligibility["questions"]
    assert first_line(questions["child_status"]["text"]) in asked_age


def test_a_verdict_given_at_once_in_the_first_sms_is_not_pushed_behind_mer(phone):
    # The first reply of a conversation starts with the storage notice; a check concluded at
    # once ("han er 21") still shows the whole verdict and the contact, not "MER" mid-verdict.
    knowledge = load_knowledge()
    profile = load_profile()
    reply = phone.say("har sonnen min rett paa barnekoordinator? han er 21")
    assert reply.startswith(sms_notice())
    assert first_line(knowledge.text(knowledge.eligibility["outcomes"], "adult")) in reply
    assert profile["contact_phone"] in reply


def test_long_answer_is_cut_with_mer_and_mer_sends_the_rest(phone):
    knowledge = load_knowledge()
    first = phone.say("Hva gjør en barnekoordinator?")
    assert first_line(knowledge.render("what_does")) in first
    assert "Svar MER" in first
    rest = phone.say("MER")
    assert rest and rest != first


def test_phone_number_is_never_stored_in_clear_text(assistant):
    phone = SmsPhone(assistant)
    phone.say("Hei")
    phone.say("Hvem kan få barnekoordinator?")
    national = phone.number[3:]
    for path in assistant.tracker_db.parent.glob("*.db*"):
        content = path.read_bytes()
        for form in (phone.number, phone.number[1:], national, "+47 " + national):
            assert form.encode() not in content, f"{form} found in {path.name}"
    assert user_texts(assistant, phone.sender_id)  # the conversation itself was stored

