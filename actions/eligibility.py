"""Pure rules for the eligibility check: read the family's answers and assess the likely outcome."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum
from typing import Optional

# Slot values the form stores (categories only: the exact age is not kept).
UNDER_18 = "under_18"
EXPECTING = "expecting"
ADULT = "18_or_over"
YES = "yes"
NO = "no"
UNKNOWN = "unknown"

MAX_PLAUSIBLE_AGE_YEARS = 120


class Outcome(str, Enum):
    LIKELY = "likely"
    LIKELY_NOT = "likely_not"
    UNCLEAR = "unclear"


@dataclass(frozen=True)
class ChildStatus:
    """What the first answer said: a category, or why it could not be read."""

    value: Optional[str]  # UNDER_18, EXPECTING, ADULT, UNKNOWN; None when not understood
    problem: Optional[str] = None  # "not_understood" or "impossible"


_NUMBER_WORDS = {
    "null": 0, "en": 1, "ett": 1, "én": 1, "ein": 1, "eitt": 1, "ei": 1, "one": 1,
    "to": 2, "two": 2, "tre": 3, "three": 3, "fire": 4, "four": 4, "fem": 5, "five": 5,
    "seks": 6, "six": 6, "sju": 7, "syv": 7, "seven": 7, "åtte": 8, "atte": 8, "eight": 8,
    "ni": 9, "nine": 9, "ti": 10, "ten": 10, "elleve": 11, "eleven": 11, "tolv": 12,
    "twelve": 12, "tretten": 13, "fjorten": 14, "femten": 15, "seksten": 16, "sytten": 17,
    "atten": 18, "nitten": 19, "tjue": 20, "tyve": 20,
}
_EXPECTING = re.compile(
    r"\b(venter|ventar|gravid|svanger|termin|adopsjon\w*|adoptere\w*|adopter\w*|ufødt\w*|"
    r"expecting|pregnan\w*|adopt\w*|unborn|due date)\b"
)
_NEWBORN = re.compile(r"\b(nyfødt|nyfodd|nyfødd|newborn|baby)\b")
_DONT_KNOW = re.compile(
    r"^(vet ikke|veit ikkje|veit ikke|vet ikkje|vetikke|aner ikke|ikke sikker|usikker|"
    r"vet ikke helt|ingen anelse|kanskje|don'?t know|dont know|not sure|idk|unsure|\?+)$"
)
_UNIT_MONTHS = r"(måneder|måned|mnd|mån|månader|månad|months?|mths?)"
_UNIT_WEEKS = r"(uker|uke|veker|veke|weeks?)"
_UNIT_DAYS = r"(dager|dag|dagar|days?)"


def normalise(text: str) -> str:
    """Lowercase, NFC, strip punctuation at the ends and fold white space."""
    text = unicodedata.normalize("NFC", text or "").lower()
    text = re.sub(r"\s+", " ", text).strip()
    return text.strip(" .,!;:")


def _to_number(token: str) -> Optional[float]:
    token = token.replace(",", ".")
    try:
        return float(token)
    except ValueError:
        return _NUMBER_WORDS.get(token)


_WORDS = "|".join(sorted(map(re.escape, _NUMBER_WORDS), key=len, reverse=True))
_NUM = r"(-?\d+(?:[.,]\d+)?|" + _WORDS + r")"
# An age given in a smaller unit, and how many of that unit make a year.
_UNITS_PER_YEAR = ((_UNIT_MONTHS, 12), (_UNIT_WEEKS, 52), (_UNIT_DAYS, 365))


def age_in_years(text: str) -> Optional[float]:
    """The age a message states, in years, or None when it states none.

    Understands "5", "hun er 5", "fem år", "14 måneder", "8 uker", "blir 3 i mai",
    "2 og et halvt", "et halvt år", "nyfødt" and simple English ("she is 5").
    """
    t = normalise(text)
    if _NEWBORN.search(t):
        return 0.0
    if re.search(r"\b(et|eit|ett|a) halvt? (år|year)", t) or t in {"et halvt år", "halvt år"}:
        return 0.5
    for unit, per_year in _UNITS_PER_YEAR:
        m = re.search(_NUM + r"\s*" + unit + r"\b", t)
        if m:
            return _to_number(m.group(1)) / per_year
    # "blir 3 i mai": turns 3 soon, so is 2 now.
    m = re.search(r"\b(blir|fyller|turns?)\s+" + _NUM + r"\b", t)
    if m:
        return max(_to_number(m.group(2)) - 1, 0)
    # A bare number: digits anywhere ("hun er 5"), number words only before "år" or at the end
    # ("fem år", "ho er seks"), since "en", "ei" and "to" are ordinary words too.
    half = 0.5 if re.search(r"og (et|eit) halvt", t) else 0.0
    m = re.search(r"(?<![\w-])(-?\d+(?:[.,]\d+)?)(?!\w)", t)
    if m:
        return float(m.group(1).replace(",", ".")) + half
    m = re.search(r"\b(" + _WORDS + r")\s*(år|ar|years?|yrs?|og (et|eit) halvt)\b", t) or re.search(
        r"\b(" + _WORDS + r")$", t)
    if m:
        return _NUMBER_WORDS[m.group(1)] + half
    return None


def parse_child_status(text: str) -> ChildStatus:
    """Read the answer to "how old is the child, or are you expecting?"."""
    t = normalise(text)
    if not t:
        return ChildStatus(None, "not_understood")
    if _DONT_KNOW.match(t):
        return ChildStatus(UNKNOWN)
    if _EXPECTING.search(t):
        return ChildStatus(EXPECTING)
    years = age_in_years(t)
    if years is None:
        return ChildStatus(None, "not_understood")
    if years < 0 or years > MAX_PLAUSIBLE_AGE_YEARS:
        return ChildStatus(None, "impossible")
    return ChildStatus(UNDER_18 if years < 18 else ADULT)


_YES = re.compile(
    r"^(ja|jaa+|jepp|japp|jo|joda|ja da|jada|ja takk|stemmer|det stemmer|riktig|korrekt|"
    r"definitivt|absolutt|sikkert|ja,? det (har|gjør|vil) (hun|han|barnet|den|det)|"
    r"yes|yep|yeah|yup|y|true)\b"
)
_NO = re.compile(
    r"^(nei|neii+|nope|nei takk|nei da|neida|ikke|nei,? (det|hun|han|barnet) (har|gjør|vil)|"
    r"no|nah|n|false)\b"
)


def parse_yes_no(text: str, intent: Optional[str] = None) -> Optional[str]:
    """YES, NO or UNKNOWN from a button, a word or the NLU intent; None when unclear."""
    t = normalise(text)
    if _DONT_KNOW.match(t) or intent == "dont_know":
        return UNKNOWN
    if _YES.match(t):
        return YES
    if _NO.match(t):
        return NO
    if intent == "affirm":
        return YES
    if intent == "deny":
        return NO
    return None


def assess(child_status: Optional[str], serious_condition: Optional[str],
           long_term_needs: Optional[str]) -> Outcome:
    """Combine the three criteria (source 000, «Hvem kan få barnekoordinator?»).

    All three must hold for the right. One clear "no" means likely not entitled; otherwise any
    "don't know" (or a missing answer) means the kommune has to judge: unclear.
    """
    answers = [
        None if child_status is None else (YES if child_status in (UNDER_18, EXPECTING)
                                           else NO if child_status == ADULT else UNKNOWN),
        serious_condition,
        long_term_needs,
    ]
    if NO in answers:
        return Outcome.LIKELY_NOT
    if all(a == YES for a in answers):
        return Outcome.LIKELY
    return Outcome.UNCLEAR
