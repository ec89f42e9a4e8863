"""Rasa NLU component: the routing rules of bot/scope.py (another service's question gets
out_of_scope; a description of one's child with "har vi rett?" gets check_eligibility)."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message

from bot.scope import SCOPE_FILE, load_scope


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ServiceScopeClassifier(GraphComponent):
    """Rasa adapter: rewrites the intent of another service's question to out_of_scope."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"scope_file": str(SCOPE_FILE)}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._scope = load_scope(config.get("scope_file") or str(SCOPE_FILE))

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "ServiceScopeClassifier":
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = (message.get("intent") or {})
            selected = ((message.get("response_selector") or {}).get("faq") or {}).get("response") or {}
            new = self._scope.intent_for(message.get("text") or "", intent.get("name"),
                                         selected.get("intent_response_key"))
            if new:
                # A stop command is read by a rule, not guessed: full confidence.
                confidence = 1.0 if new == "stop" else float(intent.get("confidence") or 1.0)
                message.set("intent", {"name": new, "confidence": confidence}, add_to_output=True)
                ranking = [r for r in message.get("intent_ranking") or [] if r.get("name") != new]
                message.set("intent_ranking", [{"name": new, "confidence": confidence}] + ranking,
                            add_to_output=True)
        return messages
