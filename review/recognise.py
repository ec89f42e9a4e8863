"""Recognise what happened in a conversation from Rasa's events: one table of names, pure functions.

When the dialogue gets a new response that means fallback, handoff or an eligibility outcome,
add its name to the sets below; nothing else needs to change (then run `make review-rebuild`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional, Set

# Input channel of user events -> the label staff see. Unknown channels are shown as they are.
CHANNELS: Dict[str, str] = {"socketio": "widget", "sms": "sms", "rest": "rest"}

FALLBACK_INTENTS: Set[str] = {"nlu_fallback"}
FALLBACK_ACTIONS: Set[str] = {"action_fallback", "action_default_fallback", "action_two_stage_fallback"}
# Responses that mean "the assistant did not understand" even without a fallback intent.
FALLBACK_RESPONSES: Set[str] = {"utter_default", "utter_rephrase", "utter_rephrase_long",
                                 "utter_after_two_fallbacks"}
HANDOFF_RESPONSES: Set[str] = {"utter_handoff"}
# Response name -> eligibility outcome. Early conclusions get their own names here.
OUTCOME_RESPONSES: Dict[str, str] = {
    "utter_eligibility_likely": "likely",
    "utter_eligibility_likely_not": "likely_not",
    # A child aged 18 or over, concluded at once (the right lasts until 18).
    "utter_eligibility_adult": "likely_not",
    "utter_eligibility_unclear": "unclear",
}
ELIGIBILITY_FORMS: Set[str] = {"eligibility_form"}
FEEDBACK_SLOT = "feedback"
# Outcomes and the special value for a check started and never finished.
ABANDONED = "abandoned"


def channel_label(input_channel: Optional[str]) -> str:
    return CHANNELS.get(input_channel or "", input_channel or "ukjent")


def topic_of(parse_data: Dict[str, Any]) -> Optional[str]:
    """The FAQ topic the response selector chose, e.g. "faq/cost"."""
    selector = parse_data.get("response_selector") or {}
    for key, value in selector.items():
        if key == "all_retrieval_intents" or not isinstance(value, dict):
            continue
        response = value.get("response") or {}
        if response.get("intent_response_key"):
            return response["intent_response_key"]
    return None


def message_label(parse_data: Dict[str, Any]) -> tuple:
    """(intent or topic, confidence) of one family message: the topic and the response
    selector's confidence for FAQ questions, otherwise the intent and its confidence."""
    intent = parse_data.get("intent") or {}
    name = intent.get("name")
    confidence = intent.get("confidence")
    selector = parse_data.get("response_selector") or {}
    # The selector runs on every message; its topic counts only when the intent is its own.
    topic = topic_of(parse_data) if name in selector and name != "all_retrieval_intents" else None
    if topic:
        selector = parse_data["response_selector"]
        for key, value in selector.items():
            if isinstance(value, dict) and (value.get("response") or {}).get("intent_response_key") == topic:
                confidence = value["response"].get("confidence", confidence)
        return topic, confidence
    return name, confidence


def feedback_of(value: Any) -> Optional[str]:
    """"up" or "down" from the widget's feedback slot value."""
    if isinstance(value, dict):
        value = value.get("value")
    return value if value in ("up", "down") else None


@dataclass
class Facts:
    """What the list and the filters need to know about one conversation."""

    channel: Optional[str] = None
    first_ts: Optional[float] = None
    last_ts: Optional[float] = None
    user_messages: int = 0
    first_question: Optional[str] = None
    fallback: bool = False
    handoff: bool = False
    feedback_up: int = 0
    feedback_down: int = 0
    min_confidence: Optional[float] = None
    intents: Set[str] = field(default_factory=set)
    outcome: Optional[str] = None
    abandoned: bool = False
    texts: List[str] = field(default_factory=list)


def derive(events: Iterable[Dict[str, Any]]) -> Facts:
    """Facts of one conversation from its events (Rasa's event dicts, oldest first).

    Texts are collected as they are; the caller masks them.
    """
    facts = Facts()
    check_open = False
    ratings: Dict[str, str] = {}
    for ev in events:
        kind = ev.get("event")
        ts = ev.get("timestamp")
        if ts is not None:
            facts.first_ts = ts if facts.first_ts is None else min(facts.first_ts, ts)
            facts.last_ts = ts if facts.last_ts is None else max(facts.last_ts, ts)
        if kind == "user":
            facts.user_messages += 1
            if facts.channel is None and ev.get("input_channel"):
                facts.channel = channel_label(ev.get("input_channel"))
            text = ev.get("text") or ""
            if facts.first_question is None and text.strip():
                facts.first_question = text
            facts.texts.append(text)
            parse = ev.get("parse_data") or {}
            intent = (parse.get("intent") or {}).get("name")
            if intent in FALLBACK_INTENTS:
                facts.fallback = True
            label, confidence = message_label(parse)
            if intent:
                facts.intents.add(intent)
            if label:
                facts.intents.add(label)
            if isinstance(confidence, (int, float)):
                facts.min_confidence = (confidence if facts.min_confidence is None
                                        else min(facts.min_confidence, confidence))
        elif kind == "action":
            if ev.get("name") in FALLBACK_ACTIONS:
                facts.fallback = True
        elif kind == "bot":
            utter = (ev.get("metadata") or {}).get("utter_action")
            if ev.get("text"):
                facts.texts.append(ev["text"])
            if utter in FALLBACK_RESPONSES:
                facts.fallback = True
            if utter in HANDOFF_RESPONSES:
                facts.handoff = True
            if utter in OUTCOME_RESPONSES:
                facts.outcome = OUTCOME_RESPONSES[utter]
                check_open = False
        elif kind == "active_loop":
            if ev.get("name") in ELIGIBILITY_FORMS:
                if check_open:
                    facts.abandoned = True  # started again without an outcome
                check_open = True
        elif kind == "slot" and ev.get("name") == FEEDBACK_SLOT:
            value = feedback_of(ev.get("value"))
            if value:
                raw = ev.get("value") if isinstance(ev.get("value"), dict) else {}
                key = raw.get("message_id")
                if key is None:
                    key = raw.get("message_index", len(ratings))
                ratings[str(key)] = value  # a family may change its mind: the newest counts
    if check_open:
        facts.abandoned = True
    facts.feedback_up = sum(1 for v in ratings.values() if v == "up")
    facts.feedback_down = sum(1 for v in ratings.values() if v == "down")
    return facts
