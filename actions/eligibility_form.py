"""Rasa actions for the eligibility check: start it, validate the answers, announce the outcome."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.eligibility import assess, parse_child_status, parse_yes_no

FORM_SLOTS = ("child_status", "serious_condition", "long_term_needs")


def _latest_intent(tracker: Tracker) -> Optional[str]:
    return (tracker.latest_message.get("intent") or {}).get("name")


class ActionResetEligibility(Action):
    """Forget earlier answers so a new check starts from the first question."""

    def name(self) -> Text:
        return "action_reset_eligibility"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        return [SlotSet(slot, None) for slot in FORM_SLOTS]


class ValidateEligibilityForm(FormValidationAction):
    """Turn the family's words into answer categories; re-ask clearly when they don't fit."""

    def name(self) -> Text:
        return "validate_eligibility_form"

    async def validate_child_status(self, value: Any, dispatcher: CollectingDispatcher,
                                    tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if value is None:  # cleared by action_reset_eligibility: nothing was answered yet
            return {"child_status": None}
        status = parse_child_status(str(value))
        if status.value is None:
            response = ("utter_reask_child_status_impossible" if status.problem == "impossible"
                        else "utter_reask_child_status")
            dispatcher.utter_message(response=response)
            return {"child_status": None}
        return {"child_status": status.value}

    def _yes_no(self, slot: str, value: Any, dispatcher: CollectingDispatcher,
                tracker: Tracker) -> Dict[Text, Any]:
        if value is None:  # cleared by action_reset_eligibility: nothing was answered yet
            return {slot: None}
        answer = parse_yes_no(str(value), _latest_intent(tracker))
        if answer is None:
            dispatcher.utter_message(response="utter_reask_yes_no")
        return {slot: answer}

    async def validate_serious_condition(self, value: Any, dispatcher: CollectingDispatcher,
                                         tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        return self._yes_no("serious_condition", value, dispatcher, tracker)

    async def validate_long_term_needs(self, value: Any, dispatcher: CollectingDispatcher,
                                       tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        return self._yes_no("long_term_needs", value, dispatcher, tracker)


class ActionAssessEligibility(Action):
    """Say the likely outcome, that the kommune decides, and whom to contact."""

    def name(self) -> Text:
        return "action_assess_eligibility"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        outcome = assess(*(tracker.get_slot(slot) for slot in FORM_SLOTS))
        dispatcher.utter_message(response=f"utter_eligibility_{outcome.value}")
        dispatcher.utter_message(response="utter_eligibility_disclaimer")
        return []
