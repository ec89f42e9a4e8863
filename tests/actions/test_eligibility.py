"""The eligibility rule and the readers of the family's answers, as tables of cases."""
import pytest

from actions.eligibility import (
    ADULT, EXPECTING, NO, UNDER_18, UNKNOWN, YES, Outcome, assess, parse_child_status, parse_yes_no,
)


@pytest.mark.parametrize("child, serious, long_term, expected", [
    (UNDER_18, YES, YES, Outcome.LIKELY),
    (EXPECTING, YES, YES, Outcome.LIKELY),
    (ADULT, YES, YES, Outcome.LIKELY_NOT),
    (UNDER_18, NO, YES, Outcome.LIKELY_NOT),
    (UNDER_18, YES, NO, Outcome.LIKELY_NOT),
    (EXPECTING, NO, NO, Outcome.LIKELY_NOT),
    (UNKNOWN, YES, YES, Outcome.UNCLEAR),
    (UNDER_18, UNKNOWN, YES, Outcome.UNCLEAR),
    (UNDER_18, YES, UNKNOWN, Outcome.UNCLEAR),
    (UNKNOWN, UNKNOWN, UNKNOWN, Outcome.UNCLEAR),
    # One clear "no" decides even when other answers are unknown.
    (UNKNOWN, NO, UNKNOWN, Outcome.LIKELY_NOT),
    (ADULT, UNKNOWN, UNKNOWN, Outcome.LIKELY_NOT),
    # A missing answer (the family stopped answering) never reads as entitled.
    (None, YES, YES, Outcome.UNCLEAR),
    (UNDER_18, None, YES, Outcome.UNCLEAR),
])
def test_assess(child, serious, long_term, expected):
    assert assess(child, serious, long_term) is expected


@pytest.mark.parametrize("text, expected", [
    ("hun er 5", UNDER_18),
    ("fem år", UNDER_18),
    ("14 måneder", UNDER_18),
    ("blir 3 i mai", UNDER_18),
    ("5", UNDER_18),
    ("Han er 17 år gammel", UNDER_18),
    ("2 og et halvt", UNDER_18),
    ("et halvt år", UNDER_18),
    ("nyfødt", UNDER_18),
    ("8 uker", UNDER_18),
    ("ho er seks", UNDER_18),
    ("sønnen min er sju", UNDER_18),
    ("han er en gutt på 7", UNDER_18),
    ("she is 5", UNDER_18),
    ("19 år", ADULT),
    ("han fyller 19 snart", ADULT),
    ("vi venter barn", EXPECTING),
    ("Vi venter barn", EXPECTING),
    ("jeg er gravid", EXPECTING),
    ("vi er i en adopsjonsprosess", EXPECTING),
    ("Vet ikke", UNKNOWN),
    ("veit ikkje", UNKNOWN),
])
def test_child_status_understood(text, expected):
    assert parse_child_status(text).value == expected


@pytest.mark.parametrize("text, problem", [
    ("250", "impossible"),
    ("-3", "impossible"),
    ("200 år", "impossible"),
    ("banan", "not_understood"),
    ("", "not_understood"),
    ("hun er liten", "not_understood"),
])
def test_child_status_reasks(text, problem):
    status = parse_child_status(text)
    assert status.value is None
    assert status.problem == problem


@pytest.mark.parametrize("text, intent, expected", [
    ("Ja", None, YES), ("jaa", None, YES), ("ja, det har hun", None, YES), ("yes", None, YES),
    ("Nei", None, NO), ("nope", None, NO), ("Vet ikke", None, UNKNOWN), ("kanskje", None, UNKNOWN),
    ("usikker", None, UNKNOWN), ("det tror jeg nok", "affirm", YES), ("egentlig ikke", "deny", NO),
    ("hmm", "dont_know", UNKNOWN), ("banan", None, None), ("hun har autisme", "inform", None),
])
def test_yes_no(text, intent, expected):
    assert parse_yes_no(text, intent) == expected
