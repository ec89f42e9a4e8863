"""The one linear classifier for intents and FAQ topics (bot/components/linear_classifier.py).

Trained here on a few messages, saved and loaded again through Rasa's model storage: what
the assistant does with a message (which intent, which FAQ answer) must not change on the
way, and the output must have the shape `utter_faq` and the review app read.
"""
from __future__ import annotations

import numpy as np
import pytest

from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.linear_classifier import (LinearIntentClassifier, folded, summed_by_intent,
                                              topics_within)
from bot.components.question_focus import last_question

EXAMPLES = {
    "greet": ["hei", "hallo", "god morgen", "heisann"],
    "faq/cost": ["hva koster det", "er det gratis", "må vi betale for barnekoordinator",
                 "kostar det noko"],
    "faq/duration": ["hvor lenge varer det", "til hvilken alder har vi koordinator",
                     "når slutter ordningen", "kor lenge har vi rett"],
    "request_human": ["kan jeg snakke med et menneske", "ring meg", "jeg vil snakke med noen",
                      "sett meg over til en person"],
    "check_eligibility": ["har vi rett på barnekoordinator", "kan du sjekke om vi har rett",
                          "sjekk om vi kan få barnekoordinator", "har familien vår krav på det",
                          "kan du sjekke om familien min har rett på barnekoordinator"],
    "inform": ["sønnen min har cerebral parese og epilepsi", "datteren vår er 6 og har autisme",
               "vi har fysioterapeut, avlastning og spesialpedagog i barnehagen",
               "han har en sjelden muskelsykdom og vi er mye på sykehuset",
               "hun er født for tidlig og har sonde"],
}


def _message(label: str, text: str) -> Message:
    intent, _, topic = label.partition("/")
    data = {"text": text, "intent": intent}
    if topic:
        data["intent_response_key"] = label
    return Message(data=data)


@pytest.fixture
def storage(tmp_path):
    (tmp_path / "storage").mkdir()
    return LocalModelStorage(tmp_path / "storage")


def _context():
    return ExecutionContext(GraphSchema({}), "test")


def _trained(storage):
    resource = Resource("linear")
    component = LinearIntentClassifier.create({}, storage, resource, _context())
    data = TrainingData([_message(label, t) for label, texts in EXAMPLES.items() for t in texts])
    component.train(data)
    return component, resource


def _parse(component, text):
    message = Message(data={"text": text})
    component.process([message])
    return message.as_dict(only_output_properties=True)


def test_a_topic_question_gets_the_faq_intent_and_that_topics_answer(storage):
    component, _ = _trained(storage)
    parsed = _parse(component, "hva koster en barnekoordinator")
    assert parsed["intent"]["name"] == "faq"
    response = parsed["response_selector"]["faq"]["response"]
    assert response["intent_response_key"] == "faq/cost"
    assert response["utter_action"] == "utter_faq/cost"
    assert parsed["response_selector"]["all_retrieval_intents"] == ["faq"]


def test_a_plain_intent_is_not_summed_into_a_topic(storage):
    component, _ = _trained(storage)
    parsed = _parse(component, "jeg vil snakke med et menneske")
    assert parsed["intent"]["name"] == "request_human"
    names = [r["name"] for r in parsed["intent_ranking"]]
    assert "faq/cost" not in names and "faq" in names


def test_loaded_model_answers_exactly_as_the_trained_one(storage):
    component, resource = _trained(storage)
    loaded = LinearIntentClassifier.load({}, storage, resource, _context())
    for text in ["hei hei", "kor lenge varer ordninga", "gratis?", "ring meg nå", "xyz"]:
        a, b = _parse(component, text), _parse(loaded, text)
        assert a["intent"]["name"] == b["intent"]["name"]
        assert a["intent"]["confidence"] == pytest.approx(b["intent"]["confidence"])
        assert (a["response_selector"]["faq"]["response"]["intent_response_key"]
                == b["response_selector"]["faq"]["response"]["intent_response_key"])


def test_untrained_model_loads_and_leaves_messages_alone(storage):
    loaded = LinearIntentClassifier.load({}, storage, Resource("never_trained"), _context())
    message = Message(data={"text": "hei"})
    loaded.process([message])
    assert message.get("intent") is None


def test_probabilities_of_topics_add_up_into_their_intent():
    labels = ["faq/cost", "faq/duration", "greet"]
    ranking = summed_by_intent(labels, np.array([0.3, 0.3, 0.4]))
    assert ranking[0] == ("faq", pytest.approx(0.6))
    assert ranking[1] == ("greet", pytest.approx(0.4))
    topics = topics_within("faq", labels, [0.45, 0.15, 0.4])
    assert topics[0] == ("faq/cost", pytest.approx(0.75))
    assert topics[1] == ("faq/duration", pytest.approx(0.25))


STORY = ("Sønnen vår er 6 og har en sjelden muskelsykdom, og vi er mye på sykehuset. "
         "Vi har fysioterapeut og avlastning. ")


def test_a_long_message_that_tells_first_and_asks_last_gets_the_answer_to_its_question(storage):
    component, _ = _trained(storage)
    assert _parse(component, STORY)["intent"]["name"] == "inform"  # the story alone: details
    parsed = _parse(component, STORY + "Hvor lenge varer det?")
    assert parsed["intent"]["name"] == "faq"
    assert parsed["response_selector"]["faq"]["response"]["intent_response_key"] == "faq/duration"


def test_details_with_a_question_that_is_itself_about_the_child_stay_details(storage):
    component, _ = _trained(storage)
    parsed = _parse(component, STORY + "Hun har også autisme og epilepsi?")
    assert parsed["intent"]["name"] == "inform"


CHECK_STORY = "Kan du sjekke om familien min har rett på barnekoordinator? "


@pytest.mark.parametrize("focus_intents, expected", [
    (["inform", "check_eligibility"], "faq"),
    (["inform"], "check_eligibility"),  # without the focus on check requests: the check
])
def test_a_check_request_that_ends_in_a_topic_question_gets_the_answer(storage, focus_intents,
                                                                         expected):
    component, _ = _trained(storage)
    component.config["focus_intents"] = focus_intents
    assert _parse(component, CHECK_STORY)["intent"]["name"] == "check_eligibility"
    parsed = _parse(component, CHECK_STORY + "Hva koster det?")
    assert parsed["intent"]["name"] == expected


@pytest.mark.parametrize("text, question", [
    ("Han er 16. Har vi koordinatoren til han blir 18?", "Har vi koordinatoren til han blir 18?"),
    ("Hei! Vi har to barn. Hva koster det? Og hvor lenge varer det?", "Og hvor lenge varer det?"),
    ("hva koster det?", None),  # one sentence: read as it is
    ("Han er 16 og har en muskelsykdom. Vi trenger hjelp.", None),  # no question
])
def test_the_last_question_of_a_message(text, question):
    assert last_question(text) == question


@pytest.mark.parametrize("text", ["xq zzv plonk", "qwrt zxcv brrp", "Czy mamy prawo?"])
def test_a_message_of_unknown_words_is_not_understood(storage, text):
    # The biggest class would otherwise take it; with every confidence 0 the
    # FallbackClassifier says "not understood" and offers a person.
    component, _ = _trained(storage)
    parsed = _parse(component, text)
    assert parsed["intent"]["confidence"] == 0.0
    assert all(r["confidence"] == 0.0 for r in parsed["intent_ranking"])


@pytest.mark.parametrize("text", ["heisann hei", "hva kosta det", "6", "😀", "ring meg"])
def test_known_words_misspelt_words_and_messages_without_words_are_read(storage, text):
    component, _ = _trained(storage)
    assert _parse(component, text)["intent"]["confidence"] > 0.0


@pytest.mark.parametrize("spelt, written", [
    ("hvordan faar vi det da?", "hvordan får vi det da?"),
    ("naar kan vi faa barnekoordinator", "når kan vi få barnekoordinator"),
    ("kan vi fa det", "kan vi få det"),
])
def test_a_spelt_out_or_missing_aa_reads_as_the_letter(spelt, written):
    assert folded(spelt) == folded(written)


def test_a_greeting_before_a_question_gets_the_answer_to_the_question(storage):
    # Set 32: "Hei! Har vi rett?" was greeted back, and the family had to ask again.
    component, _ = _trained(storage)
    assert _parse(component, "Hei! Har vi rett?")["intent"]["name"] == "check_eligibility"
    parsed = _parse(component, "heisann, hva koster")
    assert parsed["response_selector"]["faq"]["response"]["intent_response_key"] == "faq/cost"
    assert _parse(component, "hei hei")["intent"]["name"] == "greet"
    assert _parse(component, "god morgen")["intent"]["name"] == "greet"

