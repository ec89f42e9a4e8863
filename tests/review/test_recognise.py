"""What the review app recognises in Rasa's events, checked on events a real assistant wrote."""
from __future__ import annotations

import json
from pathlib import Path

from review import recognise

REAL = json.loads((Path(__file__).parent / "data" / "rest_conversations.json").read_text(encoding="utf-8"))


def test_faq_questions_give_channel_topics_and_the_selector_confidence():
    f = recognise.derive(REAL["faq_cost_and_what_does"])
    assert f.channel == "rest"
    assert f.user_messages == 3 and f.first_question == "Hei"
    assert {"faq/cost", "faq/what_does", "greet"} <= f.intents
    assert not f.fallback and not f.handoff and f.outcome is None and not f.abandoned
    # FAQ confidence is the response selector's (about 0.997), not the retrieval intent's 1.0.
    assert 0 < f.min_confidence < 1


def test_fallback_and_handoff():
    f = recognise.derive(REAL["fallback_then_handoff"])
    assert f.fallback and f.handoff
    assert "nlu_fallback" in f.intents and "request_human" in f.intents
    # The selector's guess for a message it did not understand is not a topic of the conversation.
    assert not any(i.startswith("faq/") for i in f.intents)


def test_eligibility_outcomes_and_a_stopped_check():
    assert recognise.derive(REAL["check_likely"]).outcome == "likely"
    assert not recognise.derive(REAL["check_likely"]).abandoned
    assert recognise.derive(REAL["check_likely_not"]).outcome == "likely_not"
    stopped = recognise.derive(REAL["check_stopped"])
    assert stopped.outcome is None and stopped.abandoned


def test_feedback_counts_the_newest_rating_of_each_answer():
    events = list(REAL["faq_cost_and_what_does"])
    for value in ("up", "down"):  # the family changed its mind about the same answer
        events.append({"event": "slot", "name": "feedback", "timestamp": 2e9,
                       "value": {"value": value, "message": "Svar", "message_index": 0, "message_id": None}})
    events.append({"event": "slot", "name": "feedback", "timestamp": 2e9 + 1,
                   "value": {"value": "up", "message": "Annet svar", "message_index": 1, "message_id": None}})
    f = recognise.derive(events)
    assert (f.feedback_up, f.feedback_down) == (1, 1)
    assert f.last_ts == 2e9 + 1


def test_new_response_names_are_one_line_in_the_table(monkeypatch):
    monkeypatch.setitem(recognise.OUTCOME_RESPONSES, "utter_eligibility_early_likely_not", "likely_not")
    events = [{"event": "user", "timestamp": 1, "text": "sjekk", "input_channel": "socketio",
               "parse_data": {"intent": {"name": "check_eligibility", "confidence": 0.9}}},
              {"event": "active_loop", "timestamp": 2, "name": "eligibility_form"},
              {"event": "bot", "timestamp": 3, "text": "Nei", "metadata": {"utter_action": "utter_eligibility_early_likely_not"}}]
    f = recognise.derive(events)
    assert f.outcome == "likely_not" and not f.abandoned and f.channel == "widget"
