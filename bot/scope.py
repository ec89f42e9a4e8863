"""Routing rules the classifiers cannot learn well (pure; the Rasa component is
bot/components/scope.py, the terms are in knowledge/scope.yml).

1. Other services get no scheme facts. The classifiers only know the scheme's topics, so
   "Hvor mye er kontantstøtten?" lands on the cost topic. A message the classifiers gave to the
   scheme (faq, check_eligibility) or did not understand, that names another kommune or NAV
   service and nothing of the scheme, is out_of_scope. When it also describes the family's own
   child, the service must be what is asked for ("vi må søke om spesialpedagogisk hjelp, hvordan
   gjør vi det?", "hvor mange omsorgsdager har jeg krav på?"), not one of the services the
   child gets ("han har PPT og avlastning, har vi rett?"). Details that ask for another
   service ("... hvordan søker vi om stønad til bil?") or end in a question about one ("kva tid er
   juleferien?") are out_of_scope too, and so is a question about complaining in a message that
   names another service ("ho fekk ikkje logoped, korleis klagar me?": the decision complained
   about is that service's). Not a question the classifiers heard as what the coordinator
   cannot do that asks to speed up a queue or to decide on a service ("kan hun presse på så vi
   slipper ventelista til ergoterapeuten?", "kan hun bestemme at vi får avlastning?"): that topic
   answers it. A right asked for in a clause that names another service is that service's ("har
   ongan rett på gratis logoped, eller må vi betale sjølv?"), and a coordinator of another
   service is no scheme word ("Har dere koordinator for eldre?", `other_coordinators`).
2. A family that describes its own child and asks about the right ("datteren min på 4 har CP,
   har vi rett?") is asking to be checked: check_eligibility, so the check starts with the
   answers it already gave. Not when it asks when the right begins ("kan vi få det allerede
   før fødselen?"): the expecting topic answers that, unless the family also told what the
   child has and asks in words of the right ("... de fant en alvorlig hjertefeil. Har vi rett
   allerede nå?").
3. A message that opens with "glem det", "avbryt", "never mind" ... is a request to stop, even
   when the rest names a school or a nurse the classifiers hear as another topic. So is one whose
   stop command stands as a clause of its own among the first few, after short lead-ins only
   ("eigentleg, gløym det. eg orkar ikkje no", "Du, vet du hva, glem det for nå.";
   STOP_CLAUSE_WITHIN, STOP_LEAD_IN_WORDS), or as the last sentence alone ("... vi tar resten en
   annen dag. Avbryt."); a stop word inside a sentence deep in a story does not stop.
4. A question that names the scheme, or a story that asks to be checked, is about the scheme ("kan barnekoordinatoren hjelpe oss med
   barnehageplass?"), even when the classifiers, which learnt many questions about other
   services, put it out of scope: it gets the best label of the scheme instead. Not when its
   last clause asks about the other service alone ("Koordinatoren vår er syk. Hvordan søker vi
   om pleiepenger?" names the scheme outside its question). A message that names the scheme and
   no other service at all is about the scheme too ("hvordan faa barnekoord? soknad?").
5. The classifiers' out_of_scope for a message that names no other service is taken only when
   they hold it more likely than not (out_of_scope_min_confidence, bot/config.yml): "nope" or
   "how do I appeal a rejection?" get the best label of the scheme instead; when that label is
   a guess too (below the fallback threshold: "xq zzv plonk"), the message was not understood.
6. A family that tells about its own child and asks nothing ("Alt er kaos. Sønnen vår har CP,
   og NAV, skolen og BUP snakker ikke sammen.") is not out of scope, whatever services it names:
   it gets the best label of the scheme (usually the details that make the assistant offer the
   check).
   Rules 4 and 6 also hold where the classifiers were unsure (nlu_fallback) because out_of_scope
   stood first or second: without it, the best label of the scheme answers.
7. Unsure between two labels that are both not out_of_scope ("rett pa barnekoord?": the check
   or who is entitled), the classifiers' first choice answers, when it reaches the fallback
   threshold: either is an answer about the scheme, and "say it another way" helps nobody. With
   out_of_scope one of the two, the message stays not understood (no scheme facts on a guess).
8. A message put out of scope that opens with a yes or a no and asks nothing ("ja. BPA, skolen,
   NAV, alt mulig") answers what the assistant asked: affirm or deny.
9. A message whose question asks to talk to a person ("Jeg har prøvd i en time. ... Kan jeg bare få
   snakke med en person?", `person_terms`) is a request for a person, whatever the story before
   it sounds like. A story about the own child with no question and no request to be checked
   ("My son is 7 and has severe autism and ADHD.") gets the offer of the check, even when the
   classifiers heard a request to be checked.
10. A message that asks in so many words to be checked ("Please check if we have the right") or
   asks, with nothing else, whether the family has the right ("Hei, har me krav på en
   barnekoordinator eller?", "I want to know if we have a right to a barnekoordinator") is the
   check, even when the classifiers heard who is entitled or
   how to get one, or an acknowledgement the classifiers heard as a yes ("ok, do we have that
   right?"). A story the classifiers heard as a complaint that asks for a verdict ("... En
   venninne sa at vi kanskje har rett på barnekoordinator. Har vi det?") is the check too, unless
   it names a complaint (`complaint_terms`). Not a question with a condition ("har vi rett hvis
   hun er 18?", "kan vi få det når vi flytter?"), which the topic answers.
11. A message about an adult and no child ("Kan min mann på 45 få koordinator? Han har MS.",
   `adult_terms`, `child_terms`) is out of scope: the scheme is for children, and a coordinator
   for adults is another service. Not "min mann og jeg lurer på ...": there the adult is the one
   who asks, with the other parent.
12. A story that names the scheme but asks, in its last question (or, in one sentence, its
   last clause), how to complain about or apply for another service, or how much, when or what
   it costs ("... Vi har ikke søkt om barnekoordinator. Hvordan klager vi på
   avslaget på avlastning?") is about that service, as long as the question names no scheme
   word and asks no help of the coordinator ("Hvordan kan hun hjelpe oss å klage?").
13. A short question about an illness itself that the classifiers heard as details about the
   child ("Er autisme arvelig?": no family, no child, no scheme word) is out of scope when they
   had out_of_scope among their first three: it tells nothing about the own child.
14. A question the classifiers heard as what the coordinator cannot do that asks whether it
   can help with something ("kan barnekoordinatoren hjelpe oss å få plass i barnehage?", no
   `cannot_do_terms` such as "raskere" or "bestemme") gets what the coordinator does: the
   returned label is a topic (`faq/what_does`), which bot/components/scope.py sets as the answer.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping, Optional, Sequence

import yaml

from actions.eligibility import NO, YES, describes_own_child, is_question, opening_yes_no
from actions.eligibility_turn import prefill
from bot.components.question_focus import last_question, question_in_context, sentences

SCOPE_FILE = Path(__file__).resolve().parents[1] / "knowledge" / "scope.yml"
OUT_OF_SCOPE = "out_of_scope"
CHECK = "check_eligibility"
STOP = "stop"
FALLBACK = "nlu_fallback"
# Intents that would answer with scheme facts (or a "rephrase") where another service is meant.
# "help" too: "kan du hjelpe meg å søke om pleiepenger?" is about pleiepenger, and the answer to it
# says what the assistant helps with and where to ask instead.
OVERRIDDEN_INTENTS = frozenset({"faq", "check_eligibility", "nlu_fallback", "help"})
# Intents a description of one's own child plus "har vi rett?" is often given; any FAQ topic
# too ("do we have the right ...? my daughter is 7" sounds like the law topic, "... Er det noe
# vi kan få?" like what a coordinator does), except those whose question presupposes the right
# or asks how long it lasts ("Han er 17, kan vi få det etter 18?").
CHECK_INSTEAD_OF = frozenset({"inform", "nlu_fallback"})
# Topics a plain request to be checked is often heard as (rule 10).
# "ok, do we have that right?" after a topic is no "ok".
PLAIN_CHECK_INSTEAD_OF = frozenset({"faq/who_is_entitled", "faq/how_to_get", "faq/law", "affirm"})
# Labels a story that ends by asking for a person is often given (rule 9).
PERSON = "request_human"
PERSON_INSTEAD_OF = frozenset({"faq", "inform", "check_eligibility", "out_of_scope", "nlu_fallback",
                               "frustration", "help"})
TOPICS_KEPT_BESIDE_A_STORY = frozenset({"faq/duration", "faq/complaint", "faq/not_working"})
# A story about the own child with no question ("Eg er so sliten. Sonen vår har vore innlagd
# tre gonger ...") asks for no topic: it gets the details' label (the offer of the check),
# unless it asks in other words ("lurer på hva ...").
STATEMENT = "inform"
# "Vi vil gjerne sjekke barnekoordinator for datteren vår, ...": a request to be checked though
# it asks nothing.
_CHECK_WORD = re.compile(r"\b(sjekk\w*|sjekka|check\w*)\b")
_ASKS_INDIRECTLY = re.compile(r"\b(lure\w*|lura\w*|wonder\w*|vil (gjerne )?vite|ville vite|"
                              r"gjerne vite|fortell|forklar|tell me|explain|spør|spor|ask)\b")
# Words of a family speaking of itself, after fold() (so "vår" is "var").
_OWN_FAMILY = re.compile(r"\b(vi|me|var|vart|vare|oss|min|mi|mitt|mine|sonn\w*|son|datter\w*|"
                         r"dotter\w*|gutten|guten|jenta|ungen|we|our|us|my|gravid|pregnant)\b")
_FOLD = str.maketrans({"æ": "e", "ø": "o", "å": "a", "é": "e", "ä": "a", "ö": "o"})
# A service is what is asked for when a request word and the service's name stand at most this
# many words apart in one clause ("søke om spesialpedagogisk hjelp", "omsorgsdager har jeg krav på").
REQUEST_WINDOW_WORDS = 3
# A question that opens with one of these asks for information ("Hvordan får vi ...?"), not for a
# verdict on the family ("Kan vi få ...?"), after fold().
_WH_QUESTION = re.compile(r"^\W*(hva|hvem|hvordan|hvor|hvilke\w*|hvorfor|kva|kven|korleis|kor|"
                          r"ka|kem|koss|kossen|what|who|how|where|which|why)\b")
# Rule 10: a yes/no question about the family's own right, and the words that make it conditional.
_OWN_RIGHT_QUESTION = re.compile(r"^\W*(?:(?:hei|hallo|hi|hello|heisann|god \w+|ok|okay|okei|greit|"
                                 r"takk|thanks|sa|so|og|and|men|but)\W+)*"
                                 r"(?:(?:har|far|kan|do|can|could|are)\s+(?:vi|me|we|jeg|eg|i)|"
                                 r"(?:am i|are we|er vi|er me|er jeg|er eg)\s+(?:entitled|eligible|"
                                 r"qualified|berettig\w*|kvalifisert))\b")
# "fylte 18 i oktober", "turned 18", "er 19": an age reached already, after fold() ("blir 18",
# "til han er 18" and "når ho fyller 18" are ages to come).
_ADULT_NOW = re.compile(r"(?<!til han )(?<!til hun )(?<!til ho )(?<!until he )(?<!until she )"
                        r"\b(fylte|fylde|turned|ble|vart|er|e|is|was)\s+(\d{2})\b")
# "Hello, I want to know if we have a right to a barnekoordinator": the same, asked indirectly.
_OWN_RIGHT_INDIRECT = re.compile(r"^\W*(?:(?:hei|hallo|hi|hello|heisann|god \w+|ok|okay|okei)\W+)*"
                                 r"(?:jeg|eg|i|vi|me|we)\s+(?:lurer|lurar|lure|wonder\w*|want to know|"
                                 r"would like to know|vil gjerne vite|vil vite|ville vite|onsker a vite)"
                                 r"\s+(?:pa\s+)?(?:om|if|whether)\s+(?:vi|me|we)\b")
_CONDITION = re.compile(r"\b(hvis|dersom|viss|nar|naar|when|if|unless|uten|utan|without|etter|"
                        r"after|selv|sjolv|even|alle|all|andre|other|flytt\w*|move\w*)\b")
# A question that points back at the story before it ("Er dette noe som gir rett ...?", "Does
# this qualify?"), and words that make it a question about others too, after fold().
_REFERS_BACK = re.compile(r"\b(dette|detta|det|this|that|it|slikt|sant|sånt)\b")
_IN_GENERAL = re.compile(r"\b(alle|all|andre|other|others|every\w*|generelt|general)\b")
_CLAUSE = re.compile(r"[.,;:!?]+|\s(?:og|men|and|but)\s")
# Rule 3: a stop command as a clause of its own, among the first clauses, after lead-ins of at
# most this many words each ("eigentleg", "du, vet du hva").
_STOP_CLAUSE_SPLIT = re.compile(r"[,.!;:?–]+|\s-\s")
STOP_CLAUSE_WITHIN = 3
# Rule 14: "kan barnekoordinatoren hjelpe oss å ...?", "can the coordinator help us with ...?".
_CAN_IT_HELP = re.compile(r"\b(kan|can|could|vil|will|would)\s+(\w+\s+){0,2}(hjelpe|hjelpa|help|bista|assist)\w*")
# ... not "Hvorfor kan ikke koordinatoren hjelpe oss?" (why it does not); a "not" later in the
# story ("... han får ikke den hjelpen han trenger") is no matter.
_NEGATED = re.compile(r"^\W*(hvorfor|kvifor|korfor|why)\b|\b(kan|can|could|vil|will|would)\s+(\w+\s+){0,2}"
                      r"(ikke|ikkje|itte|itj|not|never|aldri)\b|\b(cannot|can't|couldn't|won't)\b")
CANNOT_DO = "faq/cannot_do"
WHAT_DOES = "faq/what_does"
# Rule 13: a question about an illness itself is short ("Er epilepsi arvelig?"), but more than a
# fragment ("epilepsi?" asks whether it counts), and is not about "hun"/"han".
ILLNESS_QUESTION_WORDS = 6
MIN_ILLNESS_QUESTION_WORDS = 3
# "Er epilepsi alvorlig nok?", "Teller ADHD?": whether an illness counts is about the scheme.
_COUNTS = re.compile(r"\b(nok|enough|tell\w*|count\w*|gjeld\w*|holder|holde|qualif\w*|kvalifiser\w*|"
                     r"rett|krav|right|entitled|eligible)\b")
_CHILD_PRONOUN = re.compile(r"\b(hun|han|ho|he|she|henne|ham|honom|her|him)\b")
STOP_LEAD_IN_WORDS = 4


_SPELT_OUT = re.compile(r"aa|oe|ae")
# Rule 11: "barnekoordinator" names no child; the adult is the one described when what follows
# its name tells what the adult has, needs or may get ("min mann på 45 få", "mor mi har",
# "my husband has"), after fold().
# "... på samme måte som barn får?": children in general are no child of the family.
_CHILDREN_IN_GENERAL = re.compile(r"\b(som|like|as|for|andre|other)\s+(barn|born|children|kids)\b")
# "a coordinator for my elderly father", "koordinator til mor mi": the adult is who it is for.
_FOR_SOMEONE = re.compile(r"\b(for|til|to)\s+((my|our|min|mi|mitt|var)\s+)?$")
_SCHEME_NAME = re.compile(r"\bbarne?koord\w*|\bbarnekordinator\w*")
_ADULT_DESCRIBED = re.compile(r"\W*(pa \d+\s+(ar\s+)?|\(?\d+\s+ar\)?\s+)?(har|trenger|treng|fikk|fekk|far|"
                              r"fa|lider|er \d+|has|needs|need|got|gets|get|suffers|is \d+)\b")
# Rule 12: "lurer på hvor mye ..." asks as "hvor mye ...?" does; how much, a deadline, opening
# hours or a price are facts of the service asked about.
_INDIRECT_LEAD = re.compile(r"^((jeg|eg|vi|me|i|we)\s+)?(lurer|lurar|lure|wonder\w*)\s+(pa\s+)?")
_SERVICE_FACT = re.compile(r"\b(hvor mye|kor mykje|ka mykje|how much|frist\w*|deadline|apent|opent|open|"
                           r"apningstid\w*|opening hours|pris\w*|price|koster|kostar|cost)\b")
# Rule 12: "Når er fristen for å søke skoleskyss?" asks about the service too.
_WHEN_QUESTION = re.compile(r"^\W*(nar|kva tid|ka tid|kor tid|when)\b")
# Rule 12: a question that asks the coordinator for help is about the scheme.
_ASKS_FOR_HELP = re.compile(r"\b(hjelp\w*|help\w*|bista\w*|assist\w*)\b")


def fold(text: str) -> str:
    """Lower case with æøå folded, so "kontantstotte", "kontantstoette" and "kontantstøtte" are
    the same word."""
    return _SPELT_OUT.sub(lambda m: m.group(0)[0], (text or "").lower().translate(_FOLD))


def _pattern(terms: Iterable[str]) -> re.Pattern:
    stems = sorted({re.escape(fold(t)) for t in terms}, key=len, reverse=True)
    return re.compile(r"(?<![\w])(" + "|".join(stems) + r")", re.UNICODE)


class _SchemeWords:
    """The scheme's words, not counting "koordinator" in the name of another service's
    coordinator ("koordinator for eldre", `other_coordinators`)."""

    def __init__(self, scheme_terms: Iterable[str], other_coordinators: Iterable[str]) -> None:
        self._scheme = _pattern(scheme_terms)
        others = list(other_coordinators)
        self._others = _pattern(others) if others else None

    def search(self, folded: str) -> Optional[re.Match]:
        return self._scheme.search(self._others.sub(" ", folded) if self._others else folded)


class Scope:
    """The scope rule with its term lists."""

    def __init__(self, other_services: Iterable[str], scheme_terms: Iterable[str],
                 check_request_terms: Iterable[str] = (), service_request_terms: Iterable[str] = (),
                 when_terms: Iterable[str] = (), right_terms: Iterable[str] = (),
                 stop_commands: Iterable[str] = (),
                 complaint_terms: Iterable[str] = (), cannot_do_terms: Iterable[str] = (),
                 person_terms: Iterable[str] = (), other_coordinators: Iterable[str] = (),
                 adult_terms: Iterable[str] = (), child_terms: Iterable[str] = ()) -> None:
        self._other = _pattern(list(other_services) + list(other_coordinators))
        self._scheme = _SchemeWords(scheme_terms, other_coordinators)
        self._asks_right = _pattern(check_request_terms) if check_request_terms else None
        self._requests = _pattern(service_request_terms) if service_request_terms else None
        self._when = _pattern(when_terms) if when_terms else None
        self._right = _pattern(right_terms) if right_terms else None
        self._complaint = _pattern(complaint_terms) if complaint_terms else None
        self._cannot_do = _pattern(cannot_do_terms) if cannot_do_terms else None
        self._person = _pattern(person_terms) if person_terms else None
        self._adult = _pattern(adult_terms) if adult_terms else None
        self._child = _pattern(child_terms) if child_terms else None
        stops = sorted({re.escape(fold(t)) for t in stop_commands}, key=len, reverse=True)
        self._stop = (re.compile(r"^\W*(" + "|".join(stops) + r")\s*([,.!;:–-]|$)")
                      if stops else None)
        # "eigentleg, gløym det. eg orkar ikkje no": the command as a clause of its own.
        self._stop_clause = (re.compile(r"(" + "|".join(stops) + r")(\s+(for\s+)?(na|no|now|i dag|idag))?")
                             if stops else None)

    def other_service(self, text: str) -> Optional[str]:
        """The other service a message is about, or None if it names none or names the scheme."""
        folded = fold(text)
        if self._scheme.search(folded):
            return None
        m = self._other.search(folded)
        return m.group(1) if m else None

    def asks_for_service(self, text: str) -> bool:
        """A request word stands next to another service's name in one clause: the family applies
        for it, complains about it or asks what it may get of it."""
        if self._requests is None:
            return False
        for clause in _CLAUSE.split(fold(text)):
            services = [len(clause[:m.start()].split()) for m in self._other.finditer(clause)]
            requests = [len(clause[:m.start()].split()) for m in self._requests.finditer(clause)]
            if any(abs(a - b) <= REQUEST_WINDOW_WORDS for a in services for b in requests):
                return True
        return False

    def about_other_service(self, text: str) -> bool:
        """The message asks about another service, not about the scheme (rule 1)."""
        if not self.other_service(text):
            return False
        if not describes_own_child(text):
            # "Kan du sjekke om vi har rett? ... vi har bup og ppt": the services are the child's.
            return not self.asks_about_the_right(text)
        question = last_question(text)
        if self._complaint and self._complaint.search(fold(question or text)):
            return True  # "Vi fikk nei til avlastning. Hvordan klager vi?"
        if question is None:
            return self.asks_for_service(text)
        question = fold(question)
        if self._last_clause_names_service(question):
            return True  # "... Kan foreldrepengene forlenges hos NAV?", "... må skolen henvise?"
        if not self.asks_for_service(text):
            return False
        # "... vi har søkt om avlastning. Har vi rett?": the last question asks about the right.
        return not (self._right and not self._other.search(question)
                    and self._right.search(question))

    def about_an_adult(self, text: str) -> bool:
        """Rule 11: the message tells what an adult has, needs or may get ("min mann på 45 få
        koordinator", "mor mi har demens") and speaks of no child; not "min mann og jeg ..." or
        "mannen min mener ...", where the adult is a parent who asks or thinks."""
        if self._adult is None:
            return False
        folded = _SCHEME_NAME.sub(" ", fold(text))
        if self._child is not None and self._child.search(_CHILDREN_IN_GENERAL.sub(" ", folded)):
            return False
        return any(_ADULT_DESCRIBED.match(folded[m.end():]) or _FOR_SOMEONE.search(folded[:m.start()])
                   for m in self._adult.finditer(folded))

    def asks_it_to_help(self, text: str) -> bool:
        """Rule 14: the question asks whether the coordinator can help with something ("kan
        barnekoordinatoren hjelpe oss å få plass i barnehage?"), not why it does not."""
        asked = fold(last_question(text) or text)
        return bool(_CAN_IT_HELP.search(asked)) and not _NEGATED.search(asked)

    def asks_about_an_illness_only(self, text: str) -> bool:
        """Rule 13: a short question about an illness itself ("Er autisme arvelig?"), with no
        family, no child and no scheme word in it: no details about the own child."""
        folded = fold(text)
        words = len(folded.split())
        return (is_question(text) and MIN_ILLNESS_QUESTION_WORDS <= words <= ILLNESS_QUESTION_WORDS
                and not _OWN_FAMILY.search(folded) and not _CHILD_PRONOUN.search(folded)
                and not _COUNTS.search(folded)
                and not self._scheme.search(folded)
                and not (self._child and self._child.search(_SCHEME_NAME.sub(" ", folded)))
                and not describes_own_child(text))

    def asks_of_another_service_only(self, text: str) -> bool:
        """Rule 12: the last question asks how to complain about or apply for another service,
        names no scheme word and asks no help of the coordinator."""
        question = last_question(text)
        if question is None:
            # "vi har barnekoordinator allerede men lurer på hvor mye pleiepenger man får": one
            # sentence, whose last clause asks.
            question = _CLAUSE.split(text.strip())[-1]
        folded = _INDIRECT_LEAD.sub("", fold(question).strip())
        if (not (_WH_QUESTION.search(folded) or _WHEN_QUESTION.search(folded)) or self._scheme.search(folded)
                or _ASKS_FOR_HELP.search(folded) or not self._last_clause_names_service(folded)):
            return False
        return (self.names_complaint(question) or self.asks_for_service(question)
                or bool(_SERVICE_FACT.search(folded)))

    def _last_clause_names_service(self, question: str) -> bool:
        """The last clause of a story's last question (folded) names another service and no
        scheme word; "Hun går i barnehage og har PPT, har vi rett?" ends in "har vi rett"."""
        clauses = [c for c in _CLAUSE.split(question) if c.strip()]
        return bool(clauses and self._other.search(clauses[-1]) and not self._scheme.search(clauses[-1]))

    def asks_about_the_right(self, text: str) -> bool:
        """The message's question asks whether the family has the right ("kan du sjekke om vi
        har rett?"), and its last clause names no other service ("har vi rett på
        kontantstøtte?" asks about kontantstøtte)."""
        question = fold(last_question(text) or text)
        if not (self._asks_right and self._asks_right.search(question) and _OWN_FAMILY.search(question)):
            return False
        if self._last_clause_names_service(question):
            return False
        # "har ongan rett på gratis logoped, eller må vi betale sjølv?": the right asked about
        # is to the service its own clause names.
        clauses = [c for c in _CLAUSE.split(question) if self._asks_right.search(c)]
        if clauses and all(_WH_QUESTION.search(c.strip()) for c in clauses):
            return False  # "fastlegen vår har sluttet, hvem får vi nå" asks who, not for the right
        return not any(self._other.search(c) and not self._scheme.search(c) for c in clauses)

    def _asks_for_a_verdict(self, text: str) -> bool:
        """A story that asks to be checked in words of the right itself ("... kan du sjekke om
        vi har rett?"), not "kan vi få tilskudd fra Husbanken?", which the classifiers rightly
        put out of scope though no list names Husbanken."""
        question = fold(question_in_context(text) or text)
        return bool(self._right and self._right.search(question)) and self.asks_to_be_checked(text)

    def _adult_now_and_asks_to_get_it(self, text: str) -> bool:
        """The child is 18 or over already ("fylte 18 i oktober", "turned 18 last month") and the
        family asks whether it can get the scheme ("kan vi fortsatt få ...?"); not "han fyller
        18 i mars, er det for sent?", which asks how long the right lasts."""
        asked = fold(question_in_context(text) or text)
        if not (self._asks_right and self._asks_right.search(asked)):
            return False
        return any(int(m.group(2)) >= 18 for m in _ADULT_NOW.finditer(fold(text)))

    def names_complaint(self, text: str) -> bool:
        """The message speaks of complaining ("klage", "appeal")."""
        return bool(self._complaint and self._complaint.search(fold(text)))

    def asks_when(self, text: str) -> bool:
        """The message asks when the right begins ("allerede nå", "før fødselen")."""
        return bool(self._when and self._when.search(fold(text)))

    def _expecting_and_asks_for_a_verdict(self, text: str) -> bool:
        """ "Gravid i uke 22, de fant en alvorlig hjertefeil. Har vi rett allerede nå?": the
        family tells what its child has and asks for a verdict in words of the right, which the
        check gives (with the answers already given); "... kan vi få det allerede nå?" asks when
        it begins."""
        return self._asks_for_a_verdict(text) and "serious_condition" in prefill([text]).slots

    def asks_to_be_checked(self, text: str) -> bool:
        """The message tells about the family's own child and asks about the right (not "har
        alle familier med et sykt barn rett?", which asks who is entitled)."""
        # In a message of several sentences, the last question is what is asked: "Hva er
        # kriteriene?" after a story asks for the rule, "Har vi rett?" for a verdict.
        # A short last question is read with the sentence before it ("... at vi kanskje har
        # rett på barnekoordinator. Har vi det?").
        asked = fold(question_in_context(text) or text)
        # "<story about the own child> Er dette noe som gir rett til barnekoordinator?": the
        # question points back at the story instead of naming the family.
        own = _OWN_FAMILY.search(asked) or (
            _REFERS_BACK.search(asked) and not _IN_GENERAL.search(asked) and describes_own_child(text))
        return bool(self._asks_right and self._asks_right.search(asked)
                    and own and not _WH_QUESTION.search(asked)
                    and prefill([text]).slots)

    def asks_plainly_to_be_checked(self, text: str) -> bool:
        """Rule 10: "Please check if we have the right", "har me krav på barnekoordinator?"."""
        if not self._asks_right:
            return False
        parts = sentences(fold(text))
        for at, sentence in enumerate(parts):
            # An SMS often leaves the "?" out: "am i entitled to a child coordinator".
            asks = sentence.endswith("?") or at == len(parts) - 1
            if not self._asks_right.search(sentence):
                continue
            # "ka e det her med barnekoordinator, har vi krav på det?": the question may be the
            # last clause; "am i entitled ...?" names the family by its pronoun.
            last_clause = sentence.rsplit(",", 1)[-1].strip()
            own_question = next((c for c in (sentence, last_clause) if _OWN_RIGHT_QUESTION.search(c)
                                 and self._asks_right.search(c)), None)
            if not (_OWN_FAMILY.search(sentence) or own_question):
                continue
            if _CHECK_WORD.search(sentence):
                return True
            if asks and own_question and not _CONDITION.search(sentence):
                return True
            indirect = _OWN_RIGHT_INDIRECT.search(sentence)
            if indirect and not _CONDITION.search(sentence[indirect.end():]):
                return True  # its own "if" ("I want to know if we ...") is no condition
        return False

    def asks_for_a_person(self, text: str) -> bool:
        """The message's question (or the whole message) asks to talk to a person ("... Kan jeg
        bare få snakke med en person?"), whatever topic the story before it sounds like."""
        asked = fold(last_question(text) or text)
        return bool(self._person and self._person.search(asked))

    def begins_with_stop(self, text: str) -> bool:
        """The message opens with a request to stop (rule 3): its first words, or a clause of its
        own after a few words ("Du, vet du hva, glem det for nå.")."""
        if not self._stop:
            return False
        folded = fold(text).strip()
        if self._stop.search(folded):
            return True
        clauses = [c.strip() for c in _STOP_CLAUSE_SPLIT.split(folded)]
        for at, clause in enumerate(clauses[:STOP_CLAUSE_WITHIN + 1]):
            if self._stop_clause.fullmatch(clause):
                return all(len(c.split()) <= STOP_LEAD_IN_WORDS for c in clauses[:at])
        # "... så vi tar resten en annen dag. Avbryt.": the command as the last sentence, alone.
        parts = sentences(folded)
        return len(parts) > 1 and bool(self._stop_clause.fullmatch(parts[-1].strip(" .!")))

    def asks_about_scheme(self, text: str) -> bool:
        """The message's question names the scheme (rule 4): the last question of a message of
        several sentences, else the whole message, unless its last clause names another service
        and no scheme word."""
        folded = fold(text)
        if self._scheme.search(folded) and not self._other.search(folded):
            return True
        question = fold(last_question(text) or text)
        return bool(self._scheme.search(question)) and not self._last_clause_names_service(question)

    def intent_for(self, text: str, intent: Optional[str],
                   faq_key: Optional[str] = None,
                   ranking: Sequence[str] = (), confidence: float = 1.0,
                   out_of_scope_min_confidence: float = 0.0,
                   confidences: Optional[Mapping[str, float]] = None,
                   fallback_threshold: float = 0.0) -> Optional[str]:
        """The intent the message should have instead, or None to keep the classifiers'.
        ranking: the classifiers' intents, best first; confidence: that of `intent` (rules 4, 5);
        confidences: those of the ranking; fallback_threshold: below it, a label from further
        down the ranking is a guess (rule 5 then says the message was not understood)."""
        if self.begins_with_stop(text):
            return STOP  # also when the classifiers guessed stop with little confidence
        if intent == OUT_OF_SCOPE:
            answer = _opening_answer(text)
            if answer is not None:
                return answer
        about_scheme = (intent in (OUT_OF_SCOPE, FALLBACK)
                        and (self.asks_about_scheme(text) or self._asks_for_a_verdict(text)
                             or (describes_own_child(text) and not is_question(text))))
        unsure_between = [r for r in ranking if r != FALLBACK][:2]
        if ((intent == OUT_OF_SCOPE and (about_scheme or (
                confidence < out_of_scope_min_confidence and not self.other_service(text))))
                or (intent == FALLBACK and about_scheme and OUT_OF_SCOPE in unsure_between)):
            instead = next((r for r in ranking if r not in (OUT_OF_SCOPE, FALLBACK)), None)
            if instead is None:
                return None
            if not about_scheme and (confidences or {}).get(instead, 1.0) < fallback_threshold:
                # "xq zzv plonk": unsure it is out of scope, and no better guess either.
                return FALLBACK
            # The rules below see the label the scheme gives ("... Do we have the right?" is a
            # check, not the "inform" the ranking had next).
            return self.intent_for(text, instead, faq_key) or instead
        unsure_first = unsure_between[0] if unsure_between else None
        if (intent == FALLBACK and len(unsure_between) == 2 and OUT_OF_SCOPE not in unsure_between
                and (confidences or {}).get(unsure_first, 0.0) >= fallback_threshold > 0.0):
            return self.intent_for(text, unsure_first, faq_key) or unsure_first
        label = faq_key if intent == "faq" and faq_key else intent
        asks_what_it_cannot_do = (label == "faq/cannot_do" and self._cannot_do is not None
                                  and bool(self._cannot_do.search(fold(text))))
        if intent in OVERRIDDEN_INTENTS and not asks_what_it_cannot_do and (
                self.about_other_service(text) or self.asks_of_another_service_only(text)):
            return OUT_OF_SCOPE
        if intent in OVERRIDDEN_INTENTS | {STATEMENT} and self.about_an_adult(text):
            return OUT_OF_SCOPE
        if intent == STATEMENT and "?" in text and self.about_other_service(text):
            return OUT_OF_SCOPE
        if intent == STATEMENT and self.asks_about_an_illness_only(text) and OUT_OF_SCOPE in ranking[:3]:
            return OUT_OF_SCOPE
        if label == CANNOT_DO and not asks_what_it_cannot_do and self.asks_it_to_help(text):
            return WHAT_DOES
        if (label == "faq/expecting" and self.asks_when(text)
                and not self._expecting_and_asks_for_a_verdict(text)):
            return None
        if intent in PERSON_INSTEAD_OF and self.asks_for_a_person(text):
            return PERSON
        # "... Nå er han 18. Har vi rett på det?" asks for a verdict, which the check gives; "...
        # han fyller 18 i mars, er det for sent?" asks how long the right lasts.
        # "... En venninne sa at vi kanskje har rett på barnekoordinator. Har vi det?" asks for
        # a verdict too, though the story sounds like a complaint.
        kept = label in TOPICS_KEPT_BESIDE_A_STORY and not (
            (label == "faq/duration" or (label == "faq/complaint" and not self.names_complaint(text)))
            and self._asks_for_a_verdict(text))
        if label == "faq/duration" and self._adult_now_and_asks_to_get_it(text):
            # "datteren min fylte 18 i oktober. kan vi fortsatt få barnekoordinator?": the check
            # says at once that the right lasts until 18, and what may help instead.
            return CHECK
        if ((label in CHECK_INSTEAD_OF or (intent == "faq" and not kept))
                and self.asks_to_be_checked(text)):
            return CHECK
        if label in PLAIN_CHECK_INSTEAD_OF and self.asks_plainly_to_be_checked(text):
            return CHECK
        if intent in ("faq", CHECK) and describes_own_child(text) and not is_question(text):
            folded = fold(text)
            if not (_ASKS_INDIRECTLY.search(folded)
                    or (self._asks_right and self._asks_right.search(folded))
                    or (intent == CHECK and _CHECK_WORD.search(folded))):
                return STATEMENT
        return None


def _opening_answer(text: str) -> Optional[str]:
    """Rule 8: a message that opens with a yes or a no and asks nothing ("ja. hjemmesykepleie,
    BPA, skolen, nav. alt mulig", after "Vil du at jeg sjekker ...?") answers what it was asked;
    the services it lists are the child's, not a question about them: affirm or deny."""
    return {YES: "affirm", NO: "deny"}.get(opening_yes_no(text))


@lru_cache(maxsize=4)
def load_scope(path: str = str(SCOPE_FILE)) -> Scope:
    with open(path, encoding="utf-8") as f:
        raw = yaml.safe_load(f)
    return Scope(raw["other_services"], raw["scheme_terms"], raw.get("check_request_terms") or (),
                 raw.get("service_request_terms") or (), raw.get("when_terms") or (),
                 raw.get("right_terms") or (), raw.get("stop_commands") or (),
                 raw.get("complaint_terms") or (), raw.get("cannot_do_terms") or (), raw.get("person_terms") or (),
                 raw.get("other_coordinators") or (), raw.get("adult_terms") or (),
                 raw.get("child_terms") or ())
