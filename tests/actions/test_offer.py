"""A "ja" after a topic answer starts the check only when that answer offered it (actions/offer.py)."""
import asyncio

import yaml

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.offer import (ActionReadYesToTopic, accepts_offer, bot_messages_before_latest,
                           check_payloads)
from tests.support.conversations import DOMAIN_DIR


def _domain():
    responses = {}
    for path in sorted(DOMAIN_DIR.glob("*.yml")):
        responses.update(yaml.safe_load(path.read_text(encoding="utf-8")).get("responses") or {})
    return {"responses": responses}


def _bot(response):
    """A bot event as Rasa stores it: the response's text and buttons, from the domain."""
    variant = _domain()["responses"][response][0]
    return {"event": "bot", "text": variant["text"], "data": {"buttons": variant.get("buttons")},
            "metadata": {"utter_action": response}}


def _run(events):
    tracker = Tracker("t", {}, {"text": "ja"}, events, False, None, {}, "")
    return asyncio.run(ActionReadYesToTopic().run(CollectingDispatcher(), tracker, _domain()))


def _user(text):
    return {"event": "user", "text": text}


def test_yes_after_the_who_is_entitled_answer_accepts_its_offer():
    events = _run([_user("hvem har rett?"), _bot("utter_faq/who_is_entitled"), _user("ja")])
    assert events == [{"event": "slot", "timestamp": None, "name": "offer_accepted", "value": True}]


def test_yes_after_the_cost_answer_accepts_nothing():
    events = _run([_user("koster det noe?"), _bot("utter_faq/cost"), _user("ja")])
    assert events[0]["value"] is False


def test_only_the_bot_message_right_before_the_yes_counts():
    events = [_user("hvem har rett?"), _bot("utter_faq/who_is_entitled"), _user("ok"),
              _bot("utter_faq/cost"), _user("ja")]
    assert [e["metadata"]["utter_action"] for e in bot_messages_before_latest(events)] == ["utter_faq/cost"]
    assert _run(events)[0]["value"] is False


def test_the_check_button_comes_from_the_offer_response():
    assert check_payloads(_domain()) == {"Sjekk om dere kan ha rett"}


def test_the_offer_itself_is_an_offer_and_an_answer_after_it_counts():
    payloads = check_payloads(_domain())
    assert accepts_offer([_user("sønnen min har CP"), _bot("utter_offer_check"), _user("ja")], payloads)
    assert not accepts_offer([_user("hei"), _bot("utter_faq/cost"), _user("ja")], payloads)


def _run_inform(events, text):
    tracker = Tracker("t", {}, {"text": text, "intent": {"name": "inform", "confidence": 0.9}},
                      events, False, None, {}, "")
    return asyncio.run(ActionReadYesToTopic().run(CollectingDispatcher(), tracker, _domain()))


def test_details_that_open_with_yes_accept_the_offer_of_a_topic():
    text = "ja, sykehuset sier hun må opereres flere ganger"
    events = [_user("gjelder det når vi venter barn?"), _bot("utter_faq/expecting"), _user(text)]
    assert _run_inform(events, text)[0]["value"] is True


def test_details_alone_after_a_topic_accept_nothing_yet():
    # Set 17: the family tells about the child; the assistant offers the check first.
    text = "Dotter mi har ein sjeldan muskelsjukdom."
    events = [_user("hvem har rett?"), _bot("utter_faq/who_is_entitled"), _user(text)]
    assert _run_inform(events, text)[0]["value"] is False
