"""Keep scheme facts away from questions about other services (the pure rule; the Rasa component
is bot/components/scope.py).

The classifiers only know the scheme's topics, so "Hvor mye er kontantstøtten?" lands on the
cost topic. The component runs last in the NLU pipeline: when a question the classifiers gave
to the scheme (faq, check_eligibility) or did not understand names another kommune or NAV
service (knowledge/scope.yml) and nothing of the scheme, its intent becomes out_of_scope.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional

import yaml

SCOPE_FILE = Path(__file__).resolve().parents[1] / "knowledge" / "scope.yml"
OUT_OF_SCOPE = "out_of_scope"
# Intents that would answer with scheme facts (or a "rephrase") where another service is meant.
OVERRIDDEN_INTENTS = frozenset({"faq", "check_eligibility", "nlu_fallback"})
_FOLD = str.maketrans({"æ": "e", "ø": "o", "å": "a", "é": "e", "ä": "a", "ö": "o"})


def fold(text: str) -> str:
    """Lower case with æøå folded, so "kontantstotte" and "kontantstøtte" are the same word."""
    return (text or "").lower().translate(_FOLD)


def _pattern(terms: Iterable[str]) -> re.Pattern:
    stems = sorted({re.escape(fold(t)) for t in terms}, key=len, reverse=True)
    return re.compile(r"(?<![\w])(" + "|".join(stems) + r")", re.UNICODE)


class Scope:
    """The scope rule with its term lists."""

    def __init__(self, other_services: Iterable[str], scheme_terms: Iterable[str]) -> None:
        self._other = _pattern(other_services)
        self._scheme = _pattern(scheme_terms)

    def other_service(self, text: str) -> Optional[str]:
        """The other service a message is about, or None if it names none or names the scheme."""
        folded = fold(text)
        if self._scheme.search(folded):
            return None
        m = self._other.search(folded)
        return m.group(1) if m else None

    def intent_for(self, text: str, intent: Optional[str]) -> Optional[str]:
        """out_of_scope where the classifiers would answer another service's question."""
        if intent in OVERRIDDEN_INTENTS and self.other_service(text):
            return OUT_OF_SCOPE
        return None


@lru_cache(maxsize=4)
def load_scope(path: str = str(SCOPE_FILE)) -> Scope:
    with open(path, encoding="utf-8") as f:
        raw = yaml.safe_load(f)
    return Scope(raw["other_services"], raw["scheme_terms"])
