"""A "ja" to a message that offered the eligibility check starts the check.

`utter_offer_check` offers it, and so do the topic answers whose next step is the check
(knowledge/topics/*.yml, `next_step`, with the same button). An offer is recognised by that
button: the first button of `utter_offer_check`, read from the domain, so the wording lives in
one place. The rules in data/rules/eligibility.yml branch on the slot this action sets.
"""
from __future__ import annotations

from typing import Any, Dict, List, Sequence, Set, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.eligibility import YES, opening_yes_no

OFFER_RESPONSE = "utter_offer_check"
OFFER_ACCEPTED_SLOT = "offer_accepted"


def check_payloads(domain: Dict[str, Any]) -> Set[str]:
    """The payload of the button that starts the check (the first of utter_offer_check's)."""
    variants = (domain.get("responses") or {}).get(OFFER_RESPONSE) or []
    return {v["buttons"][0]["payload"] for v in variants if v.get("buttons")}


def offered_check(event: Dict[str, Any], payloads: Set[str]) -> bool:
    """Whether a bot message carries the button that starts the check."""
    buttons = ((event.get("data") or {}).get("buttons")) or []
    return any(b.get("payload") in payloads for b in buttons)


def bot_messages_before_latest(events: Sequence[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The bot messages between the previous user message and the latest one, in order."""
    users = [i for i, e in enumerate(events) if e.get("event") == "user"]
    if not users:
        return []
    start = users[-2] + 1 if len(users) >= 2 else 0
    return [e for e in events[start:users[-1]] if e.get("event") == "bot"]


def accepts_offer(events: Sequence[Dict[str, Any]], payloads: Set[str]) -> bool:
    """Whether the latest user message answers a bot message that offered the check."""
    return any(offered_check(e, payloads) for e in bot_messages_before_latest(events))


def accepts_with_details(text: str) -> bool:
    """Details about the child after a topic answer that offered the check accept it only when
    they open with a yes ("ja, sykehuset sier hun må opereres ..."); details alone ("Dottera mi
    har ein sjeldan muskelsjukdom.") get the offer asked first."""
    return opening_yes_no(text) == YES


class ActionReadYesToTopic(Action):
    """After a topic answer: was the family's "ja" (or "ja, ..." with details) a yes to the
    check it offered?"""

    def name(self) -> Text:
        return "action_read_yes_to_topic"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        bot = bot_messages_before_latest(tracker.events)
        accepted = bool(bot) and offered_check(bot[-1], check_payloads(domain))
        message = tracker.latest_message or {}
        if accepted and (message.get("intent") or {}).get("name") == "inform":
            accepted = accepts_with_details(message.get("text") or "")
        return [SlotSet(OFFER_ACCEPTED_SLOT, accepted)]
