"""Routing rules the classifiers cannot learn well (pure; the Rasa component is
bot/components/scope.py, the terms are in knowledge/scope.yml).

1. Other services get no scheme facts. The classifiers only know the scheme's topics, so
   "Hvor mye er kontantstøtten?" lands on the cost topic. A message the classifiers gave to the
   scheme (faq, check_eligibility) or did not understand, that names another kommune or NAV
   service, nothing of the scheme and does not describe the family's own child, is out_of_scope.
2. A family that describes its own child and asks about the right ("datteren min på 4 har CP,
   har vi rett?") is asking to be checked: check_eligibility, so the check starts with the
   answers it already gave.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional

import yaml

from actions.eligibility import describes_own_child
from actions.eligibility_turn import prefill

SCOPE_FILE = Path(__file__).resolve().parents[1] / "knowledge" / "scope.yml"
OUT_OF_SCOPE = "out_of_scope"
CHECK = "check_eligibility"
# Intents that would answer with scheme facts (or a "rephrase") where another service is meant.
# "help" too: "kan du hjelpe meg å søke om pleiepenger?" is about pleiepenger, and the answer to it
# says what the assistant helps with and where to ask instead.
OVERRIDDEN_INTENTS = frozenset({"faq", "check_eligibility", "nlu_fallback", "help"})
# Intents (and FAQ topics) a description of one's own child plus "har vi rett?" is often given.
CHECK_INSTEAD_OF = frozenset({"inform", "nlu_fallback", "faq/who_is_entitled", "faq/how_to_get",
                              "faq/expecting", "faq/diagnosis"})
# Words of a family speaking of itself, after fold() (so "vår" is "var").
_OWN_FAMILY = re.compile(r"\b(vi|me|var|vart|vare|oss|min|mi|mitt|mine|sonn\w*|son|datter\w*|"
                         r"dotter\w*|gutten|guten|jenta|ungen|we|our|us|my|gravid|pregnant)\b")
_FOLD = str.maketrans({"æ": "e", "ø": "o", "å": "a", "é": "e", "ä": "a", "ö": "o"})


def fold(text: str) -> str:
    """Lower case with æøå folded, so "kontantstotte" and "kontantstøtte" are the same word."""
    return (text or "").lower().translate(_FOLD)


def _pattern(terms: Iterable[str]) -> re.Pattern:
    stems = sorted({re.escape(fold(t)) for t in terms}, key=len, reverse=True)
    return re.compile(r"(?<![\w])(" + "|".join(stems) + r")", re.UNICODE)


class Scope:
    """The scope rule with its term lists."""

    def __init__(self, other_services: Iterable[str], scheme_terms: Iterable[str],
                 check_request_terms: Iterable[str] = ()) -> None:
        self._other = _pattern(other_services)
        self._scheme = _pattern(scheme_terms)
        self._asks_right = _pattern(check_request_terms) if check_request_terms else None

    def other_service(self, text: str) -> Optional[str]:
        """The other service a message is about, or None if it names none or names the scheme."""
        folded = fold(text)
        if self._scheme.search(folded):
            return None
        m = self._other.search(folded)
        return m.group(1) if m else None

    def asks_to_be_checked(self, text: str) -> bool:
        """The message tells about the family's own child and asks about the right (not "har
        alle familier med et sykt barn rett?", which asks who is entitled)."""
        folded = fold(text)
        return bool(self._asks_right and self._asks_right.search(folded)
                    and _OWN_FAMILY.search(folded) and prefill([text]).slots)

    def intent_for(self, text: str, intent: Optional[str],
                   faq_key: Optional[str] = None) -> Optional[str]:
        """The intent the message should have instead, or None to keep the classifiers'."""
        if intent in OVERRIDDEN_INTENTS and self.other_service(text) and not describes_own_child(text):
            return OUT_OF_SCOPE
        label = faq_key if intent == "faq" and faq_key else intent
        if label in CHECK_INSTEAD_OF and self.asks_to_be_checked(text):
            return CHECK
        return None


@lru_cache(maxsize=4)
def load_scope(path: str = str(SCOPE_FILE)) -> Scope:
    with open(path, encoding="utf-8") as f:
        raw = yaml.safe_load(f)
    return Scope(raw["other_services"], raw["scheme_terms"], raw.get("check_request_terms") or ())
