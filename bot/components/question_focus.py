"""The question a long message ends up asking, for the classifier to look at on its own.

Families often tell their situation first and ask last: "Sønnen vår er 16 og har en
muskelsykdom. Vi har hatt barnekoordinator i to år. Har vi koordinatoren så lenge vi trenger
det, eller stopper det på et tidspunkt?". Read as a whole, such a message looks like details
about a child (`inform`) and gets the offer of the check instead of an answer. The classifier
then reads the last question alone (bot/components/linear_classifier.py).
"""
from __future__ import annotations

import re
from typing import List, Optional

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def sentences(text: str) -> List[str]:
    """The message's sentences, split after ".", "!" or "?"."""
    return [s.strip() for s in _SENTENCE_END.split(text.strip()) if s.strip()]


def last_question(text: str) -> Optional[str]:
    """The last sentence ending in "?" of a message of two or more sentences, else None."""
    parts = sentences(text)
    if len(parts) < 2:
        return None
    questions = [s for s in parts if s.endswith("?")]
    return questions[-1] if questions else None


# A last question this short refers back ("Har vi det?", "Gjelder det oss?").
SHORT_QUESTION_WORDS = 4


def question_in_context(text: str) -> Optional[str]:
    """The last question, with the sentence before it when it is too short to say what it asks
    about ("... vi kanskje har rett på barnekoordinator. Har vi det?"); None as last_question."""
    question = last_question(text)
    if question is None or len(question.split()) > SHORT_QUESTION_WORDS:
        return question
    parts = sentences(text)
    at = len(parts) - 1 - parts[::-1].index(question)
    return " ".join(parts[max(at - 1, 0):at + 1])


# "Hei! Har vi rett?": a greeting before what the message asks.
_GREETING = re.compile(r"^\W*(hei\w*|hallo|hello|hi|hey|heisann|heia|morn|god (morgen|dag|kveld|ettermiddag)|"
                       r"goddag|good (morning|evening|afternoon))\b[\s,.!:;-]*", re.IGNORECASE)
# What follows the greeting is read on its own when it has at least this many words.
MIN_WORDS_AFTER_GREETING = 2


def without_greeting(text: str) -> Optional[str]:
    """The message without its opening greeting, when something of its own follows ("Har vi
    rett?"); None for a greeting alone ("hei", "hei hei") or no greeting."""
    m = _GREETING.match(text or "")
    if not m:
        return None
    rest = text[m.end():].strip()
    if len(rest.split()) < MIN_WORDS_AFTER_GREETING or _GREETING.fullmatch(rest):
        return None
    return rest
