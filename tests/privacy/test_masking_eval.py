"""Masking on the blind labelled set stays at or above the measured figures (README "Personvern").

The set (tests/privacy/pii_blind.yml) was written by someone who had not seen the masking
code: 371 messages with personal data, 291 without. Measured with
`scripts/eval_masking.py` in December 2026; the floors sit a little under those figures so
that a change that loses recall fails here.
"""
from pathlib import Path

import pytest

from scripts.eval_masking import evaluate, load

ROOT_DIR = Path(__file__).resolve().parents[2]

# measured: NAVN 99.5 %, FØDSELSNUMMER/TELEFON/E-POST/NUMMER/ADRESSE/URL 100 %, HELSE 90.9 %,
# clean messages changed 3 of 291
FLOORS = {
    "NAVN": 0.985,
    "FØDSELSNUMMER": 1.0,
    "TELEFON": 1.0,
    "E-POST": 1.0,
    "NUMMER": 1.0,
    "ADRESSE": 0.97,
    "URL": 0.93,
    "HELSE": 0.88,
}
CLEAN_CHANGED_CEILING = 0.02


@pytest.fixture(scope="module")
def result():
    return evaluate(load(ROOT_DIR / "tests" / "privacy" / "pii_blind.yml"))


def test_the_set_is_as_large_as_the_issue_asks(result):
    assert result["messages_with_personal_data"] >= 300
    assert result["clean_messages"] >= 200


@pytest.mark.parametrize("category", sorted(FLOORS))
def test_recall_per_category_is_at_least_the_floor(result, category):
    row = result["per_category"][category]
    misses = [m["value"] for m in result["misses"].get(category, [])]
    assert row["recall"] >= FLOORS[category], f"{category}: {row}, missed {misses}"


def test_clean_messages_are_left_alone(result):
    changed = [c["masked"] for c in result["changed_clean"]]
    assert result["clean_changed_share"] <= CLEAN_CHANGED_CEILING, changed
