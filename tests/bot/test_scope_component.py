"""The Rasa adapter of the routing rules (bot/components/scope.py): which intent and confidence
the dialogue sees."""
from rasa.shared.nlu.training_data.message import Message

from bot.components.scope import ServiceScopeClassifier


def _classified(text, ranking, faq_key="faq/what_does"):
    message = Message(data={"text": text})
    message.set("intent", dict(ranking[0]))
    message.set("intent_ranking", [dict(r) for r in ranking])
    message.set("response_selector", {"faq": {"response": {"intent_response_key": faq_key}}})
    ServiceScopeClassifier({}).process([message])
    return message.get("intent")


def test_a_question_naming_the_scheme_gets_the_scheme_label_with_its_own_confidence():
    intent = _classified("kan barnekoordinatoren hjelpe oss med barnehageplass?",
                         [{"name": "out_of_scope", "confidence": 0.6},
                          {"name": "faq", "confidence": 0.35}, {"name": "greet", "confidence": 0.05}])
    assert intent == {"name": "faq", "confidence": 0.35}


def test_another_services_question_goes_out_of_scope_with_the_classifiers_confidence():
    intent = _classified("Hvor mye er kontantstøtten fra NAV nå?",
                         [{"name": "faq", "confidence": 0.7},
                          {"name": "out_of_scope", "confidence": 0.2}], "faq/cost")
    assert intent == {"name": "out_of_scope", "confidence": 0.7}


def test_a_stop_command_is_certain():
    intent = _classified("glem det, jeg må hente i barnehagen",
                         [{"name": "faq", "confidence": 0.4}, {"name": "stop", "confidence": 0.3}])
    assert intent == {"name": "stop", "confidence": 1.0}


def test_an_unsure_out_of_scope_that_names_no_service_gives_way_to_the_next_label():
    intent = _classified("nope", [{"name": "out_of_scope", "confidence": 0.38},
                                  {"name": "deny", "confidence": 0.3}])
    assert intent == {"name": "deny", "confidence": 0.3}


def test_asking_whether_the_coordinator_can_help_gets_what_it_does():
    # Rule 14 (sets 29, 31, 32): "can it help with X?" heard as what it cannot do.
    message = Message(data={"text": "kan barnekoordinatoren hjelpe oss å få plass i barnehage?"})
    message.set("intent", {"name": "faq", "confidence": 0.8})
    message.set("intent_ranking", [{"name": "faq", "confidence": 0.8}])
    message.set("response_selector", {"faq": {"response": {"intent_response_key": "faq/cannot_do",
                                                           "utter_action": "utter_faq/cannot_do"}}})
    ServiceScopeClassifier({}).process([message])
    response = message.get("response_selector")["faq"]["response"]
    assert response["intent_response_key"] == "faq/what_does"
    assert response["utter_action"] == "utter_faq/what_does"
    assert message.get("intent") == {"name": "faq", "confidence": 0.8}


def test_asking_it_to_speed_things_up_keeps_what_it_cannot_do():
    message = Message(data={"text": "kan barnekoordinatoren hjelpe oss å få avlastning raskere?"})
    message.set("intent", {"name": "faq", "confidence": 0.8})
    message.set("intent_ranking", [{"name": "faq", "confidence": 0.8}])
    message.set("response_selector", {"faq": {"response": {"intent_response_key": "faq/cannot_do"}}})
    ServiceScopeClassifier({}).process([message])
    assert message.get("response_selector")["faq"]["response"]["intent_response_key"] == "faq/cannot_do"
