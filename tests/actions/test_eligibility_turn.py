"""What one family message does inside the eligibility check (actions/eligibility_turn.py)."""
from datetime import date

import pytest

from actions.eligibility import ADULT, EXPECTING, NO, UNDER_18, UNKNOWN, YES
from actions.eligibility_turn import Turn, next_question, prefill, read_turn

TODAY = date(2026, 12, 1)


@pytest.mark.parametrize("text, open_question, intent, filled", [
    # An answer is an answer, whatever topic the classifier also hears.
    ("Ja, hun er 8 år", "child_status", "faq", {"child_status": UNDER_18}),
    ("jada, ho e 11", "child_status", "faq", {"child_status": UNDER_18}),
    ("ja, hun er 17, men fyller 18 neste uke", "child_status", "faq", {"child_status": UNDER_18}),
    ("Ja, han fikk en alvorlig ryggmargsskade i en ulykke i fjor", "serious_condition", "faq",
     {"serious_condition": YES}),
    ("ja, han har mange tjenester fra kommunen", "long_term_needs", "faq", {"long_term_needs": YES}),
    ("hun går på SFO og har assistent og fysio", "long_term_needs", "out_of_scope",
     {"long_term_needs": YES}),
    ("Vi venter barn", "child_status", "inform", {"child_status": EXPECTING}),
    ("nei", "serious_condition", "stop", {"serious_condition": NO}),
    ("det tror jeg nok", "long_term_needs", "affirm", {"long_term_needs": YES}),
    ("vet ikke", "child_status", "dont_know", {"child_status": UNKNOWN}),
    # Two answers in one message.
    ("hun er 6 og har cerebral parese", "child_status", "inform",
     {"child_status": UNDER_18, "serious_condition": YES}),
    # A correction of an earlier answer while a later question is open.
    ("nei vent, hun er 7", "serious_condition", "deny", {"child_status": UNDER_18}),
    ("sorry, han er 19", "long_term_needs", "inform", {"child_status": ADULT}),
    ("orsak, eg skreiv feil, han er 4", "long_term_needs", "inform", {"child_status": UNDER_18}),
    # Set 22: "nei" opening a correction of the age is no "no" to the open question.
    ("nei unnskyld, hun ble 6 forrige uke", "serious_condition", "deny", {"child_status": UNDER_18}),
    ("nei orsak, han er 4, han hadde bursdag i går", "serious_condition", "deny",
     {"child_status": UNDER_18}),
    ("nei feil, 4 aar", "serious_condition", "deny", {"child_status": UNDER_18}),
    # Trøndersk "næi" and "itj".
    ("næi, han e itj sjuk, det e mest at han slit på skolen", "serious_condition", "deny",
     {"serious_condition": NO}),
    # After a clear yes, "kanskje" before one service hedges that service, not the answer.
    ("Ja, hun trenger BUP, skolehelsetjeneste, tilrettelegging på skolen og kanskje avlastning, "
     "og det kommer til å vare lenge.", "long_term_needs", "affirm", {"long_term_needs": YES}),
    ("ja, kanskje", "long_term_needs", "affirm", {"long_term_needs": UNKNOWN}),
    ("wait, actually no, it's not serious, I misread the question, sorry", "long_term_needs",
     "deny", {"serious_condition": NO}),
    # English number words.
    ("he's nineteen", "child_status", "inform", {"child_status": ADULT}),
    ("she is fifteen", "child_status", "inform", {"child_status": UNDER_18}),
])
def test_answers_fill_the_open_question(text, open_question, intent, filled):
    turn = read_turn(text, open_question, intent, 0.9, today=TODAY)
    assert not turn.interrupted and turn.problem is None
    assert turn.slots == filled


@pytest.mark.parametrize("text, open_question, intent", [
    ("Hvor lenge varer det?", "serious_condition", "faq"),
    ("Må hun ha en diagnose?", "serious_condition", "faq"),
    ("Er SFO gratis?", "long_term_needs", "out_of_scope"),
    ("koster det noe", "child_status", "faq"),
    ("avbryt", "serious_condition", "stop"),
    # A stop command wins over the "no" a short message also holds.
    ("never mind, stop", "serious_condition", "stop"),
    ("nei, avbryt", "long_term_needs", "stop"),
    ("glæm det, vi tar det sæinar", "serious_condition", "stop"),
    ("jeg vil snakke med et menneske", "child_status", "request_human"),
    ("er du en robot?", "long_term_needs", "bot_challenge"),
])
def test_new_questions_and_requests_interrupt(text, open_question, intent):
    turn = read_turn(text, open_question, intent, 0.9, today=TODAY)
    assert turn.interrupted and not turn.slots


@pytest.mark.parametrize("text, open_question, intent, problem", [
    ("banan", "child_status", "nlu_fallback", "child_status"),
    ("hun er liten", "child_status", "inform", "child_status"),
    ("250", "child_status", "inform", "child_status_impossible"),
    ("2 barn, den eldste er 20", "child_status", "inform", "which_child"),
    ("hun liker å tegne", "serious_condition", "inform", "yes_no"),
    ("C", "child_status", "faq", "child_status"),
    ("banan", "child_status", "faq", "child_status"),
    ("fotballtrening", "serious_condition", "out_of_scope", "yes_no"),
    ("k", "long_term_needs", "faq", "yes_no"),
])
def test_unreadable_answers_are_asked_again(text, open_question, intent, problem):
    turn = read_turn(text, open_question, intent, 0.9, today=TODAY)
    assert not turn.interrupted and not turn.slots
    assert turn.problem == problem


def test_an_answer_with_a_scheme_question_gets_both():
    turn = read_turn("ja, men hvor lenge varer det?", "long_term_needs", "faq", 0.9, 0.9)
    assert turn.slots == {"long_term_needs": YES} and turn.faq_too


@pytest.mark.parametrize("slots, question", [
    ({}, "child_status"),
    ({"child_status": UNDER_18}, "serious_condition"),
    ({"child_status": UNDER_18, "serious_condition": YES}, "long_term_needs"),
    ({"child_status": UNKNOWN, "serious_condition": UNKNOWN}, "long_term_needs"),
    # The outcome is known early: no more questions.
    ({"child_status": ADULT}, None),
    ({"child_status": UNDER_18, "serious_condition": NO}, None),
    ({"child_status": EXPECTING, "serious_condition": YES, "long_term_needs": NO}, None),
])
def test_next_question(slots, question):
    assert next_question(slots) == question


@pytest.mark.parametrize("texts, slots, problem", [
    (["Vi er midt i en adopsjonsprosess og lurer på om vi kan få barnekoordinator"],
     {"child_status": EXPECTING}, None),
    (["sønnen vår er 19, har vi rett?"], {"child_status": ADULT}, None),
    (["Vi venter barn og lurer på om vi har rett"], {"child_status": EXPECTING}, None),
    (["ja", "Vi har en jente på 4 med autisme"], {"child_status": UNDER_18, "serious_condition": YES},
     None),
    (["vi har to barn, kan du sjekke?"], {}, "which_child"),
    (["Sjekk om dere kan ha rett"], {}, None),
    (["Kan du sjekke om vi har rett?"], {}, None),
    # Set 15: a general question before an accepted offer answers nothing about this family.
    (["ja", "Må barnet ha en diagnose for å få barnekoordinator?"], {}, None),
    (["ja", "Gjeld retten til barnekoordinator òg når ein ventar barn?"], {}, None),
    (["sonnen min 9 ar har cp, har fysio ergo og assistent og det blir sann i mange ar. har vi "
      "rett pa barnekoordinator?"],
     {"child_status": UNDER_18, "serious_condition": YES, "long_term_needs": YES}, None),
    # Set 22: not knowing what happens after the birth is no "don't know" about expecting.
    (["God kveld. Vi venter barn i februar, og på rutineultralyden ble det oppdaget at babyen har "
      "en alvorlig misdannelse i hjernen. Vi skal følges opp på sykehuset, men vi vet ikke hva som "
      "skjer etter fødselen. Kan du sjekke om vi har rett på barnekoordinator?"],
     {"child_status": EXPECTING, "serious_condition": YES}, None),
])
def test_answers_in_the_starting_message_are_kept(texts, slots, problem):
    turn = prefill(texts, today=TODAY)
    assert turn.slots == slots and turn.problem == problem


@pytest.mark.parametrize("text, open_question, intent, filled", [
    # A correction that sounds frustrated is still a correction.
    ("Nei vent, jeg misforsto spørsmålet. Han har ingen alvorlig sykdom, bare litt astma.",
     "long_term_needs", "frustration", {"serious_condition": NO}),
    # After "which child?": naming the oldest is an answer, not several children again.
    ("det er den eldste, hun er 19", "child_status", "inform", {"child_status": ADULT}),
    # An answer that ends as a question ("holder ikke det?") states facts: it is an answer.
    ("Hun har jo både avlastning, støttekontakt og spesialundervisning, holder ikke det?",
     "long_term_needs", "faq", {"long_term_needs": YES}),
])
def test_answers_that_look_like_something_else(text, open_question, intent, filled):
    turn = read_turn(text, open_question, intent, 0.9, today=TODAY)
    assert not turn.interrupted and turn.slots == filled


def test_question_marks_alone_are_asked_again():
    turn = read_turn("??", "child_status", "nlu_fallback", 0.9)
    assert not turn.interrupted and turn.problem == "child_status"


def test_dont_know_the_classifier_took_for_frustration_is_an_answer():
    # Set 17: the first words answer; the rest tells why.
    turn = read_turn("ingen anelse, vi har akkurat begynt med alt dette", "long_term_needs",
                     "frustration", 0.8, today=TODAY)
    assert turn.slots == {"long_term_needs": UNKNOWN} and not turn.interrupted


def test_a_calm_no_the_classifier_took_for_frustration_is_an_answer():
    # Set 21: handed off to a person instead of concluding.
    turn = read_turn("det trur eg ikkje, ho har berre lett dysleksi", "serious_condition",
                     "frustration", 0.8, today=TODAY)
    assert turn.slots == {"serious_condition": NO} and not turn.interrupted
    worn_out = read_turn("nei, jeg orker ikke mer av dette", "serious_condition", "frustration",
                         0.8, today=TODAY)
    assert worn_out.interrupted


def test_a_longer_dont_know_first_sentence_is_an_answer_too():
    turn = read_turn("Det er vanskelig å si. Legene vet ikke hvordan dette utvikler seg, så jeg "
                     "vet rett og slett ikke.", "long_term_needs", "frustration", 0.8, today=TODAY)
    assert turn.slots == {"long_term_needs": UNKNOWN}


def test_asking_to_be_checked_in_the_check_asks_the_open_question_again():
    # Set 18: "we are expecting" at question 2 (already known) looped when it rejected the form.
    turn = read_turn("we are expecting", "serious_condition", "check_eligibility", 0.4, today=TODAY)
    assert turn == Turn()


def test_the_older_one_picks_among_the_ages_given_before():
    # Set 18: "one" is no age of 1 here.
    turn = read_turn("the older one", "child_status", today=TODAY,
                     earlier=["We have two kids, 15 and 19. Can we get a child coordinator?"])
    assert turn.slots == {"child_status": ADULT}


def test_a_long_answer_the_classifier_took_for_stop_is_an_answer():
    turn = read_turn("ja, det blir nok mykje hjelp frå fleire stader i lang tid", "long_term_needs",
                     "stop", 0.8)
    assert not turn.interrupted and turn.slots == {"long_term_needs": YES}


def test_a_hypothetical_question_is_no_answer():
    turn = read_turn("Kan koordinatoren sørge for at vi får avlastning fortere?", "long_term_needs",
                     "faq", 0.9)
    assert turn.interrupted and not turn.slots


@pytest.mark.parametrize("text", ["??", "...", "?!"])
def test_punctuation_alone_is_asked_again(text):
    turn = read_turn(text, "child_status", "faq", 0.6)
    assert not turn.interrupted and turn.problem == "child_status"


def test_the_youngest_of_two_children_named_in_the_starting_message():
    earlier = ["Vi har to barn på 4 og 9. Kan du sjekke om vi har rett på barnekoordinator?"]
    turn = read_turn("det gjelder den yngste", "child_status", "faq", 0.7, 0.7, today=TODAY,
                     earlier=earlier)
    assert turn.slots == {"child_status": UNDER_18} and not turn.interrupted


def test_hmm_at_a_yes_no_question_is_asked_again_even_if_heard_as_dont_know():
    turn = read_turn("hmm", "serious_condition", "dont_know", 0.9)
    assert not turn.slots and turn.problem == "yes_no"


def test_a_condition_with_services_but_no_duration_leaves_the_last_question_open():
    turn = read_turn("ja, han har en alvorlig utviklingshemming og går på skole med assistent og fysio",
                     "serious_condition", "inform", 0.9)
    assert turn.slots == {"serious_condition": YES}


def test_a_dont_know_after_a_lead_in_about_the_question_is_an_answer():
    # Set 23: the lead-in names the question; the first clause after it says "hard to say".
    turn = read_turn("Når det gjelder spørsmålet ditt, så er det vanskelig å si. Vi har fått litt "
                     "hjelp, men ikke mye.", "long_term_needs", "frustration", 0.8, today=TODAY)
    assert turn.slots == {"long_term_needs": UNKNOWN} and not turn.interrupted


@pytest.mark.parametrize("text", ["Jeg vet ikke hva vi skal gjøre",
                                  "jeg orker ikke mer, kanskje vi bare skal gi opp"])
def test_being_lost_or_worn_out_still_leaves_the_check(text):
    assert read_turn(text, "long_term_needs", "frustration", 0.8, today=TODAY).interrupted


def test_a_dont_know_with_egentlig_heard_as_a_no_is_dont_know():
    turn = read_turn("Det vet jeg egentlig ikke", "serious_condition", "deny", 0.8, today=TODAY)
    assert turn.slots == {"serious_condition": UNKNOWN}


def test_a_hospital_stay_told_with_the_age_leaves_question_2_to_be_asked():
    # Set 27: "mye innlagt" says nothing yet of how serious; the family expects question 2.
    turn = read_turn("Det gjelder minstemann vår, han er snart 2. Han har vært mye innlagt siden "
                     "han ble født.", "child_status", "inform", 0.8, today=TODAY)
    assert turn.slots == {"child_status": UNDER_18}
    turn = read_turn("han er 2 og har en alvorlig hjertefeil", "child_status", "inform", 0.8, today=TODAY)
    assert turn.slots == {"child_status": UNDER_18, "serious_condition": YES}


def test_the_check_stops_on_every_stop_command_the_routing_knows():
    # One list (knowledge/scope.yml): a short "nei, <command>" leaves the check, not a no.
    import yaml
    from actions.knowledge import knowledge_dir
    commands = yaml.safe_load((knowledge_dir() / "scope.yml").read_text(encoding="utf-8"))["stop_commands"]
    for command in commands:
        turn = read_turn(f"nei, {command}", "serious_condition", "stop", 0.9, today=TODAY)
        assert turn.interrupted and not turn.slots, command
