"""Rasa actions for the eligibility check: start it, read the answers, ask, announce the outcome.

Thin adapters: the rules are pure functions in actions/eligibility_turn.py and
actions/eligibility.py. The form's slots use custom mappings, so only `validate_eligibility_form`
decides what a message answers; when it returns no slot, Rasa's form rejects and the rules for
interruptions (data/rules/eligibility.yml) answer, then the form asks again.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.eligibility import ADULT, YES, assess
from actions.eligibility_turn import QUESTIONS, next_question, prefill, read_turn
from actions.offer import accepts_offer, check_payloads

FORM = "eligibility_form"
PROBLEM_SLOT = "eligibility_problem"
REQUESTED_SLOT = "requested_slot"
START_ACTION = "action_start_eligibility"


def _intent(message: Dict[str, Any]) -> tuple:
    intent = message.get("intent") or {}
    return intent.get("name"), float(intent.get("confidence") or 0.0)


def _faq(message: Dict[str, Any]) -> tuple:
    """The scheme topic the response selector chose, and its confidence."""
    response = ((message.get("response_selector") or {}).get("faq") or {}).get("response") or {}
    return response.get("intent_response_key"), float(response.get("confidence") or 0.0)


def _slots(tracker: Tracker) -> Dict[str, Optional[str]]:
    return {slot: tracker.get_slot(slot) for slot in QUESTIONS}


def _texts_that_started(tracker: Tracker, domain: DomainDict) -> List[str]:
    """The message that started the check, and the one before it if it accepted an offer
    (utter_offer_check, or a topic answer with the check's button)."""
    users = [e for e in tracker.events if e.get("event") == "user"]
    if not users:
        return []
    texts = [users[-1].get("text") or ""]
    if len(users) >= 2 and accepts_offer(tracker.events, check_payloads(domain)):
        texts.append(users[-2].get("text") or "")
    return texts


def _earlier_texts(tracker: Tracker) -> List[str]:
    """The family's messages before the latest one, back to the one that started the check
    ("Vi har to barn på 4 og 9. Kan du sjekke ...?" is read again for "den yngste")."""
    texts: List[str] = []
    started = False
    for event in reversed(tracker.events):
        if event.get("event") == "action" and event.get("name") == START_ACTION:
            started = True
        elif event.get("event") == "user":
            texts.append(event.get("text") or "")
            if started:
                break
    return list(reversed(texts[1:]))


def from_story_response(slots: Dict[str, Any]) -> Optional[str]:
    """The response that tells which questions the family's story already answered with a yes
    (so the check does not ask them), or None."""
    taken = [slot for slot in ("serious_condition", "long_term_needs") if slots.get(slot) == YES]
    if not taken:
        return None
    return "utter_eligibility_from_story_" + ("both" if len(taken) == 2 else taken[0])


class ActionStartEligibility(Action):
    """Forget earlier answers and take the answers the starting message already gave; say how
    the check works unless those answers already decide it ("sønnen er 19": no question comes,
    and on SMS the outcome must not be pushed behind "MER" by an intro)."""

    def name(self) -> Text:
        return START_ACTION

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        turn = prefill(_texts_that_started(tracker, domain))
        if next_question(turn.slots) is not None:
            dispatcher.utter_message(response="utter_eligibility_intro")
            taken = from_story_response(turn.slots)
            if taken:
                dispatcher.utter_message(response=taken)
        events = [SlotSet(slot, turn.slots.get(slot)) for slot in QUESTIONS]
        return events + [SlotSet(PROBLEM_SLOT, turn.problem)]


class ValidateEligibilityForm(Action):
    """Decide what the latest message answers; no slot set means "not an answer: interrupt"."""

    def name(self) -> Text:
        return "validate_eligibility_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        requested = tracker.get_slot(REQUESTED_SLOT)
        slots = _slots(tracker)
        if requested is None:  # activation: only the answers prefilled at the start count
            return [SlotSet(REQUESTED_SLOT, next_question(slots))]
        message = tracker.latest_message or {}
        intent, confidence = _intent(message)
        faq_key, faq_confidence = _faq(message)
        turn = read_turn(message.get("text") or "", requested, intent, confidence, faq_confidence,
                         earlier=_earlier_texts(tracker))
        if turn.interrupted:
            return []
        if turn.faq_too and faq_key:
            dispatcher.utter_message(response=f"utter_{faq_key}")
        slots.update(turn.slots)
        events: List[EventType] = [SlotSet(slot, value) for slot, value in turn.slots.items()]
        events.append(SlotSet(PROBLEM_SLOT, turn.problem))
        events.append(SlotSet(REQUESTED_SLOT, next_question(slots)))
        return events


class _AskSlot(Action):
    """Ask one question: in full the first time, briefly after an interruption, or re-ask."""

    slot = ""

    def name(self) -> Text:
        return f"action_ask_{self.slot}"

    def _asked_before(self, tracker: Tracker) -> bool:
        """Whether this check already asked the question (the form runs the ask action inside
        itself, so only the bot message, with its response name, is in the events)."""
        asked = {f"utter_ask_{self.slot}", f"utter_ask_{self.slot}_again"}
        for event in reversed(tracker.events):
            if event.get("event") == "bot" and (event.get("metadata") or {}).get("utter_action") in asked:
                return True
            if event.get("event") == "action" and event.get("name") == START_ACTION:
                return False
        return False

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        problem = tracker.get_slot(PROBLEM_SLOT)
        if problem == "which_child":
            dispatcher.utter_message(response="utter_ask_which_child")
        elif problem:
            dispatcher.utter_message(response=f"utter_reask_{problem}")
        elif self._asked_before(tracker):
            dispatcher.utter_message(response=f"utter_ask_{self.slot}_again")
        else:
            dispatcher.utter_message(response=f"utter_ask_{self.slot}")
        return [SlotSet(PROBLEM_SLOT, None)]


class ActionAskChildStatus(_AskSlot):
    slot = "child_status"


class ActionAskSeriousCondition(_AskSlot):
    slot = "serious_condition"


class ActionAskLongTermNeeds(_AskSlot):
    slot = "long_term_needs"


class ActionAssessEligibility(Action):
    """Say the likely outcome, that the kommune decides, and whom to contact."""

    def name(self) -> Text:
        return "action_assess_eligibility"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        slots = _slots(tracker)
        if slots["child_status"] == ADULT:
            # Said at once: the right ends at 18, whatever the other answers would be.
            dispatcher.utter_message(response="utter_eligibility_adult")
        else:
            outcome = assess(*(slots[slot] for slot in QUESTIONS))
            dispatcher.utter_message(response=f"utter_eligibility_{outcome.value}")
        dispatcher.utter_message(response="utter_eligibility_disclaimer")
        return []
