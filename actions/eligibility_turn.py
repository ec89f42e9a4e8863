"""Pure dialogue rules of the eligibility check: what one family message does to the open question.

Inside the check, an answer is an answer: the readers in actions/eligibility.py run first, and the
NLU intent only decides what an unreadable message was (a new question that interrupts, or an
answer that must be asked again). The Rasa adapters are in actions/eligibility_form.py.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Dict, Iterable, List, Optional, Sequence

import yaml

from actions.knowledge import knowledge_dir
from actions.eligibility import (
    ADULT, NO, UNKNOWN, YES, chosen_child_age, concluded, condition_ahead_of_question,
    condition_from_description, is_correction, is_question, needs_ahead_of_question, normalise, parse_child_status, parse_condition,
    parse_needs, parse_yes_no, states_facts, status_of_age, thinks_aloud,
)

QUESTIONS = ("child_status", "serious_condition", "long_term_needs")

# Intents that end or leave the check whatever the message also says.
LEAVING_INTENTS = frozenset({"stop", "request_human", "frustration", "restart"})
# Intents that, when the message is no answer, mean a new question or remark: the check pauses,
# the matching rule answers, and the open question is asked again.
INTERRUPTING_INTENTS = frozenset({
    "faq", "out_of_scope", "bot_challenge", "help", "greet", "thanks", "goodbye",
})
# Asking to be checked while in the check ("we are expecting", "har vi rett?") is no new
# question: the open question is asked again, briefly ("Tilbake til sjekken: ..."). Rejecting
# the form for it looped, since the rule for it runs the form again.
CHECK_AGAIN = "check_eligibility"
LEAVING_CONFIDENCE = 0.5
# Topics and "out of scope" that the classifier gives to a word or two that is no question
# ("banan" at the age question) are guesses: at least this many words make a statement.
GUESSED_INTENTS = frozenset({"faq", "out_of_scope"})
MIN_WORDS_OF_A_STATEMENT = 3
# A message of at most this many letters or digits that answers nothing is asked again, never
# taken as a new question (the classifier guesses wildly on one letter).
SHORT_NO_ANSWER_CHARS = 2
# Stopping and asking for a person leave the check only when the words say so; a long answer
# the classifier mistook for "stop" ("ja, det blir nok mykje hjelp ...") is still an answer.
LEAVING_WORDS = {
    # Besides the stop commands (STOP_COMMAND, below): words of being done or worn out.
    "stop": re.compile(r"\b(stopp\w*|avbryt\w*|avslutt\w*|slutt|ferdig|gidder|orker|"
                       r"orkar|gider|enough|nok nå|nok no)\b"),
    "request_human": re.compile(r"\b(menneske\w*|person\w*|saksbehandler\w*|ringe?|ringje|"
                                r"snakke|snakka|prate|human|someone|somebody|real|ekte|noen|nokon|"
                                r"kontakt\w*|hjelp)\b"),
}
# A message this short that reads as yes/no is an answer even if the classifier hears "stop".
SHORT_ANSWER_WORDS = 3
# Words that are a command to stop the check even in a short message that also reads as "no".
# The list is the routing rule's (knowledge/scope.yml, `stop_commands`), whole words with their
# endings ("avbryte", "stoppe").


def _stop_command_pattern() -> re.Pattern:
    with open(knowledge_dir() / "scope.yml", encoding="utf-8") as f:
        terms = yaml.safe_load(f)["stop_commands"]
    words = sorted({re.escape(normalise(t)) for t in terms}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(" + "|".join(words) + r")(e|er|et|es|a|ar)?(?!\w)")


STOP_COMMAND = _stop_command_pattern()
# An FAQ question inside an answer ("ja, men hvor lenge varer det?") is answered too.
FAQ_IN_ANSWER_CONFIDENCE = 0.6

# Problems the next question must explain (the ask action turns them into a re-ask).
PROBLEM_REASK = {"child_status": "child_status", "serious_condition": "yes_no",
                 "long_term_needs": "yes_no"}


@dataclass
class Turn:
    """What one message did: slots it filled, a problem to explain, or an interruption."""

    slots: Dict[str, Optional[str]] = field(default_factory=dict)
    problem: Optional[str] = None  # "child_status", "child_status_impossible", "which_child", "yes_no"
    interrupted: bool = False
    faq_too: bool = False  # the answer also asked a scheme question: answer it as well


def _leaves(text: str, intent: Optional[str], confidence: float) -> bool:
    if intent not in LEAVING_INTENTS or confidence < LEAVING_CONFIDENCE:
        return False
    t = normalise(text)
    if intent == "stop" and STOP_COMMAND.search(t):
        return True  # "never mind, stop", "nei, avbryt": the command wins over the "no" in it
    if intent in LEAVING_WORDS and not LEAVING_WORDS[intent].search(t):
        return False
    if intent == "frustration" and _opens_with_dont_know(text):
        return False  # "ingen anelse, vi har akkurat begynt med alt dette" answers the question
    if intent == "frustration" and _opens_with_a_calm_no(text):
        return False  # "det trur eg ikkje, ho har berre lett dysleksi" answers it too
    short = len(t.split()) <= SHORT_ANSWER_WORDS
    return not (short and parse_yes_no(text) is not None and intent != "restart")


# "Det er vanskelig å si. Legene vet ikke ...", "Når det gjelder spørsmålet ditt, så er det
# helt ærlig vanskelig å si. ...": a short clause of the first sentence answers, however tired
# the rest. Not "jeg vet ikke hva vi skal gjøre" (lost, not an answer).
OPENING_ANSWER_WORDS = 8
_LOST = re.compile(r"\b(vet|veit|aner|know)\s+(ikke|ikkje|itte|not)\s+(hva|hvordan|hvor|hvem|kva|"
                   r"korleis|kor|kven|ka|what|how|where|who)\b")


# A lead-in that points at the question ("Når det gjelder spørsmålet ditt, ...").
_LEAD_IN = re.compile(r"\b(spørsmål\w*|spursmål\w*|sporsmal\w*|question)\b")


# Words of being worn out or angry: with them, a "no" may be "no more", and the family is
# offered a person.
_WORN_OUT = re.compile(r"\b(orke\w*|orka\w*|orker|sliten|slitne|utslit\w*|lei|frustrer\w*|"
                       r"fortvil\w*|gir opp|gi opp|gidder|gider|håpløs\w*|elendig\w*|ubrukelig\w*|"
                       r"dårlig\w*|dårleg\w*|dum|dumme|faen|helvete|jævl\w*|drit\w*|tired|exhausted|"
                       r"fed up|useless|stupid|hate|give up|sick of|kaos|grin\w*|gråt\w*|gråte|"
                       r"desperat\w*|fortvila|redd|overveld\w*|overwhelm\w*|cry\w*|tåler|klarer ikke|"
                       r"klarar ikkje|mer enn nok|no more|robot\w*|maskin\w*|chat\w*|bot)\b")


def _first_clauses(text: str) -> List[str]:
    """The clauses of the message's first sentence (normalised), split at "," ":" ";"."""
    first = re.split(r"[.!?]", normalise(text), maxsplit=1)[0]
    return [c for c in re.split(r"[,:;]", first) if c.strip()]


def _opens_with_a_calm_no(text: str) -> bool:
    """The first clause answers no ("det trur eg ikkje", "nei, ..."), and nothing in the message
    speaks of being worn out or angry."""
    opening = next(iter(_first_clauses(text)), "")
    return (len(opening.split()) <= OPENING_ANSWER_WORDS and parse_yes_no(opening) == NO
            and not _WORN_OUT.search(normalise(text)))


def _opens_with_dont_know(text: str) -> bool:
    clauses = _first_clauses(text)
    while len(clauses) > 1 and _LEAD_IN.search(clauses[0]):
        clauses.pop(0)
    opening = clauses[0] if clauses else ""
    return (len(opening.split()) <= OPENING_ANSWER_WORDS and not _LOST.search(opening)
            and parse_yes_no(opening) == UNKNOWN)


def _read(slot: str, text: str, today: Optional[date], earlier: Sequence[str] = ()) -> Turn:
    """Read the message as an answer to `slot`; slots stays empty when it is none. `earlier`:
    the family's messages since the check started ("den yngste" picks among their ages)."""
    if slot == "child_status":
        # "the older one" picks among the ages given before ("one" is no age here).
        chosen = chosen_child_age(text, earlier, today)
        status = status_of_age(chosen) if chosen is not None else parse_child_status(text, today)
        if status.value is not None:
            filled = {"child_status": status.value}
            # Question 2 has not been asked yet: a hospital stay alone is no answer to it.
            described = condition_ahead_of_question(text)
            if described is not None and status.value != ADULT:
                filled["serious_condition"] = described
            return Turn(filled)
        if status.problem == "impossible":
            return Turn(problem="child_status_impossible")
        if status.problem == "several_children":
            return Turn(problem="which_child")
        return Turn()
    if slot == "serious_condition":
        # A question that only names a condition ("må hun ha en diagnose?") is no answer.
        answer = _in_question(text, parse_condition) if is_question(text) else parse_condition(text)
        if answer is None:
            return Turn()
        filled = {"serious_condition": answer}
        if answer == YES and needs_ahead_of_question(text) == YES:
            filled["long_term_needs"] = YES
        return Turn(filled)
    answer = _in_question(text, parse_needs) if is_question(text) else parse_needs(text)
    return Turn({"long_term_needs": answer}) if answer is not None else Turn()


def _in_question(text: str, reader) -> Optional[str]:
    """An answer inside a question: yes/no words, or a clear yes/no from a statement about the
    child ("hun har jo både avlastning og PPT, holder ikke det?"); never "unknown" from a
    hypothetical ("kan koordinatoren sørge for at vi får avlastning fortere?")."""
    answer = parse_yes_no(text)
    if answer is not None:
        return answer
    if not states_facts(text):
        return None
    answer = reader(text)
    return answer if answer in (YES, NO) else None


def _correction(text: str, requested: str, today: Optional[date]) -> Optional[Turn]:
    """ "nei vent, hun er 7": a new answer to an earlier question while a later one is open."""
    if not is_correction(text):
        return None
    status = parse_child_status(text, today)
    if requested != "child_status" and status.value is not None:
        return Turn({"child_status": status.value})
    if requested == "long_term_needs":
        answer = condition_from_description(text)
        if answer is not None:
            return Turn({"serious_condition": answer})
    return None


def read_turn(text: str, requested: Optional[str], intent: Optional[str] = None,
              confidence: float = 0.0, faq_confidence: float = 0.0,
              today: Optional[date] = None, intent_answer: bool = True,
              earlier: Sequence[str] = ()) -> Turn:
    """What a message does while the check asks `requested` (None: the check is starting).
    `earlier`: the family's messages before this one since the check started."""
    if requested is None:
        return Turn()
    if not re.search(r"\w", text or ""):  # "??", "..." : confusion, ask again
        return Turn(problem=PROBLEM_REASK[requested])
    # "Nei vent, jeg misforsto ..." may sound frustrated; a correction that reads is an answer.
    corrected = _correction(text, requested, today)
    if corrected is not None:
        return corrected
    if _leaves(text, intent, confidence):
        return Turn(interrupted=True)
    turn = _read(requested, text, today, earlier)
    if not turn.slots and requested != "child_status" and intent_answer and not thinks_aloud(text):
        # The classifier heard yes/no/don't know in words the readers do not know.
        answer = parse_yes_no("", intent) if intent in ("affirm", "deny", "dont_know") else None
        if answer is not None and confidence >= LEAVING_CONFIDENCE:
            turn = Turn({requested: answer})
    if turn.slots or turn.problem:
        turn.faq_too = (bool(turn.slots) and intent == "faq" and is_question(text)
                        and faq_confidence >= FAQ_IN_ANSWER_CONFIDENCE)
        return turn
    if intent == CHECK_AGAIN:
        return Turn()
    if len(re.sub(r"\W", "", text)) <= SHORT_NO_ANSWER_CHARS:
        # "C" to a question whose choices are A and B, "k": too short to be a question.
        return Turn(problem=PROBLEM_REASK[requested])
    if is_question(text) or (intent in INTERRUPTING_INTENTS and not _guessed_topic(text, intent)):
        return Turn(interrupted=True)
    return Turn(problem=PROBLEM_REASK[requested])


def _guessed_topic(text: str, intent: Optional[str]) -> bool:
    """A word or two that is no question ("banan") given a topic: the classifier's guess, not a
    new question, so the open question is asked again."""
    return intent in GUESSED_INTENTS and len(normalise(text).split()) < MIN_WORDS_OF_A_STATEMENT


def next_question(slots: Dict[str, Optional[str]]) -> Optional[str]:
    """The next question to ask, or None when the outcome is known."""
    if concluded(slots.get("child_status"), slots.get("serious_condition")):
        return None
    return next((q for q in QUESTIONS if slots.get(q) is None), None)


def prefill(texts: Iterable[str], today: Optional[date] = None) -> Turn:
    """Answers already given in the message(s) that started the check ("vi venter barn og ...")."""
    turn = Turn()
    for text in texts:
        status = parse_child_status(text, today)
        if status.value is not None and status.value != "unknown":
            turn.slots.setdefault("child_status", status.value)
        elif status.problem == "several_children" and turn.problem is None:
            turn.problem = "which_child"
        condition = condition_ahead_of_question(text)
        if condition is not None:
            turn.slots.setdefault("serious_condition", condition)
        needs = needs_ahead_of_question(text)
        if needs is not None:
            turn.slots.setdefault("long_term_needs", needs)
    if "child_status" in turn.slots:
        turn.problem = None
    return turn
