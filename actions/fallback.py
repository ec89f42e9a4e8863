"""Fallback: ask to rephrase with topic buttons; after two misunderstandings in a row, hand off."""
from __future__ import annotations

from typing import Any, Dict, Iterable, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

FALLBACK_INTENT = "nlu_fallback"
HANDOFF_AFTER = 2
LONG_MESSAGE_CHARS = 400


def consecutive_fallbacks(events: Iterable[Dict[str, Any]]) -> int:
    """How many of the latest user messages in a row the assistant did not understand."""
    count = 0
    for event in reversed(list(events)):
        if event.get("event") == "restart":
            break
        if event.get("event") != "user":
            continue
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if intent != FALLBACK_INTENT:
            break
        count += 1
    return count


class ActionFallback(Action):
    def name(self) -> Text:
        return "action_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        if consecutive_fallbacks(tracker.events) >= HANDOFF_AFTER:
            dispatcher.utter_message(response="utter_after_two_fallbacks")
            dispatcher.utter_message(response="utter_handoff")
        elif len(tracker.latest_message.get("text") or "") > LONG_MESSAGE_CHARS:
            dispatcher.utter_message(response="utter_rephrase_long")
        else:
            dispatcher.utter_message(response="utter_rephrase")
        return []
