"""Rasa NLU component: the routing rules of bot/scope.py (another service's question gets
out_of_scope; a description of one's child with "har vi rett?" gets check_eligibility)."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message

from bot.scope import FALLBACK, OUT_OF_SCOPE, SCOPE_FILE, STOP, load_scope


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ServiceScopeClassifier(GraphComponent):
    """Rasa adapter: rewrites the intent of another service's question to out_of_scope."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # out_of_scope_min_confidence: below it, the classifiers' out_of_scope for a message that
        # names no other service gives way to the best label of the scheme (bot/scope.py, rule 5).
        # fallback_threshold: a label from further down the ranking below it is a guess (rule 5
        # then gives nlu_fallback); the FallbackClassifier's threshold.
        return {"scope_file": str(SCOPE_FILE), "out_of_scope_min_confidence": 0.5,
                "fallback_threshold": 0.3}

    def __init__(self, config: Dict[Text, Any]) -> None:
        config = {**self.get_default_config(), **config}
        self._scope = load_scope(config.get("scope_file") or str(SCOPE_FILE))
        self._min_oos = float(config["out_of_scope_min_confidence"])
        self._fallback_threshold = float(config["fallback_threshold"])

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "ServiceScopeClassifier":
        return cls(config)

    @staticmethod
    def _set_topic(message: Message, key: str) -> None:
        intent, _, _ = key.partition("/")
        selector = dict(message.get("response_selector") or {})
        entry = dict(selector.get(intent) or {})
        response = dict(entry.get("response") or {})
        response.update({"intent_response_key": key, "utter_action": f"utter_{key}"})
        entry["response"] = response
        selector[intent] = entry
        message.set("response_selector", selector, add_to_output=True)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = (message.get("intent") or {})
            selected = ((message.get("response_selector") or {}).get("faq") or {}).get("response") or {}
            ranked = message.get("intent_ranking") or []
            confidences = {r.get("name"): float(r.get("confidence") or 0.0) for r in ranked}
            new = self._scope.intent_for(message.get("text") or "", intent.get("name"),
                                         selected.get("intent_response_key"),
                                         [r.get("name") for r in ranked],
                                         float(intent.get("confidence") or 0.0), self._min_oos,
                                         confidences, self._fallback_threshold)
            if new and "/" in new:
                # Rule 14: another topic of the scheme answers.
                self._set_topic(message, new)
                new = new.partition("/")[0]
                if new == intent.get("name"):
                    continue
            if new:
                confidence = float(intent.get("confidence") or 1.0)
                if new == STOP:
                    confidence = 1.0  # read by a rule, not guessed
                elif intent.get("name") in (OUT_OF_SCOPE, FALLBACK) and new != OUT_OF_SCOPE:
                    # Taken from further down the ranking (rules 4 to 7): its own confidence.
                    confidence = confidences.get(new, confidence)
                message.set("intent", {"name": new, "confidence": confidence}, add_to_output=True)
                ranking = [r for r in message.get("intent_ranking") or [] if r.get("name") != new]
                message.set("intent_ranking", [{"name": new, "confidence": confidence}] + ranking,
                            add_to_output=True)
        return messages
