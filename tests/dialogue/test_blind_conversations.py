"""The eligibility check end to end, on conversations written by people who never saw the
training data or the code, over REST and SMS.

blind_conversations.yml was used once for error analysis (its misses showed which readers to
make more general); blind_conversations_2.yml and _3.yml, written later by other helpers, were read once on
2 December 2026 (their misses: a "no" about the diagnosis only, a one-letter SMS answer, a
yes to a topic answer that offered the check, "15, ikke 5", "nja, ikkje eigentleg");
blind_conversations_4.yml was read once later that day (a tired parent with no overview, "glem
det, jeg tar det en annen gang", "absolutely not, he is healthy", cystisk fibrose, "sjekk
barnekoordinator for oss"), then _5.yml (a bare "hmm" at the age question), _6.yml ("he's
nineteen", "never mind, stop") and _7.yml ("glem det, jeg må hente i barnehagen", "sykehus" is
no illness, "vet faktisk ikke", "ok. nei, ..."); _8.yml was read once on 3 December 2026, after
its figures were taken, and _9.yml on 3 December after its figures were taken ("kan vi fa
barnekoordinator" without å, "det tror jeg ikke", "den yngste" after "which child?", a story
with services but no duration); _10.yml and _11.yml, written from the sources alone, were only
measured; _12.yml was measured once and its two misses read; _13.yml and _14.yml were written
as dev sets and read; _15.yml, _17.yml, _18.yml, _20.yml and _21.yml were measured when they arrived, then read. Each conversation is
played against the real servers; the run fails below floors set from the measured figures
(README, "Figures"). Details of every miss: results/<set>.json.
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
MIN_CONVERSATIONS = 40
# Floors a little under the measured figures, so a real regression fails the run:
# share of conversations with the right outcome, share of turns with the expected reply.
# Measured 2 December 2026, after the misses of sets 2 to 7 were read once: 60 of 61 and 248 of
# 253; 48 of 48 and 175 of 176; 45 of 45 and 158 of 159; 50 of 50 and 182 of 182; 32 of 33 and
# 114 of 117; 53 of 53 and 191 of 191; 61 of 62 and 217 of 219. The target is all. (Set 5's
# one miss and set 7's are judgements: details given before the check answer its questions;
# the writers expected the questions anyway.)
FLOORS = {
    "blind_conversations.yml": {"right_outcome": 0.95, "turns_right": 0.96},
    "blind_conversations_2.yml": {"right_outcome": 0.95, "turns_right": 0.97},
    "blind_conversations_3.yml": {"right_outcome": 0.95, "turns_right": 0.97},
    "blind_conversations_4.yml": {"right_outcome": 0.95, "turns_right": 0.97},
    # Set 5 is smaller (33 conversations instead of at least 40).
    "blind_conversations_5.yml": {"right_outcome": 0.93, "turns_right": 0.95, "min_conversations": 30},
    "blind_conversations_6.yml": {"right_outcome": 0.95, "turns_right": 0.97},
    "blind_conversations_7.yml": {"right_outcome": 0.95, "turns_right": 0.97},
    # Set 8, measured before it was read: 50 of 51 and 175 of 177.
    "blind_conversations_8.yml": {"right_outcome": 0.94, "turns_right": 0.96},
    # Set 9: 67 of 73 and 238 of 250 before the out-of-scope rules 4 to 6 and training data; 65
    # of 73 and 229 of 250 after them; 72 of 73 and 249 of 250 after its misses were read
    # (letter folding, readers; 3 December 2026).
    "blind_conversations_9.yml": {"right_outcome": 0.95, "turns_right": 0.97},
    # Set 10, only measured: 64 of 69 and 223 of 238 when it arrived, 68 of 69 and 236 of 238
    # after the changes set 9's misses led to.
    "blind_conversations_10.yml": {"right_outcome": 0.95, "turns_right": 0.97},
    # Set 11, only measured: 72 of 73 and 246 of 249 when it arrived.
    "blind_conversations_11.yml": {"right_outcome": 0.95, "turns_right": 0.97},
    # Set 12, measured once on the final model of 3 December 2026: 71 of 72 and 246 of 248; its
    # two misses (Nynorsk "orsak, eg skreiv feil", English "wait, actually no ... I misread the
    # question") were then read and the correction reader extended: 72 of 72, 248 of 248.
    "blind_conversations_12.yml": {"right_outcome": 0.95, "turns_right": 0.97},
    # Dev sets 13 and 14 (written the same way, read to generalise readers and routing): 71 of 80
    # and 66 of 79 when they arrived; 79 of 80, 243 of 247 and 77 of 79, 236 of 242 after.
    "blind_conversations_13.yml": {"right_outcome": 0.95, "turns_right": 0.96},
    "blind_conversations_14.yml": {"right_outcome": 0.94, "turns_right": 0.96},
    # Set 15, measured once when it arrived (89 of 99, 248 of 266), then read: 96 of 99, 263 of
    # 266. Set 17, measured when it arrived (72 of 82, 209 of 225) and after set 15's changes
    # (73 of 82, 212 of 225, its misses still unread), then read: 81 of 82, 224 of 225.
    "blind_conversations_15.yml": {"right_outcome": 0.95, "turns_right": 0.97},
    "blind_conversations_17.yml": {"right_outcome": 0.95, "turns_right": 0.97},
    # Set 18, measured once when it arrived (86 of 92, 234 of 248), then read: 91 of 92, 243 of
    # 248 (the one left asks for a sister's child in dialect: "Har dem rett ... for gutten?").
    "blind_conversations_18.yml": {"right_outcome": 0.95, "turns_right": 0.96},
    # Set 20, written last, measured once when it arrived on the model of set 18's changes (88 of
    # 90, 246 of 249), then read: 89 of 90, 248 of 249; 90 of 90, 249 of 249 once the storage
    # notice got a segment of its own (the SMS verdict no longer falls behind "MER").
    "blind_conversations_20.yml": {"right_outcome": 0.95, "turns_right": 0.97},
    # Set 21, measured once when it arrived on the model of set 20's changes (77 of 80, 221 of
    # 231), then read ("halvannet år", "dottera vår på åtte", "type 1 diabetes"): 80 of 80, 228
    # of 231.
    "blind_conversations_21.yml": {"right_outcome": 0.95, "turns_right": 0.96},
    # Set 22, measured once when it arrived (49 of 60, 194 of 214), then read: 54 of 60, 208 of
    # 214 (the 6 left expect "vet ikke" to question 2 to conclude at once; the brief left it
    # open). Sets 23 and 24, never read, measured once on that model: 54 of 60 (229 of 240) and
    # 56 of 60 (226 of 238).
    "blind_conversations_22.yml": {"right_outcome": 0.9, "turns_right": 0.96},
    "blind_conversations_23.yml": {"right_outcome": 0.9, "turns_right": 0.95},
    "blind_conversations_24.yml": {"right_outcome": 0.93, "turns_right": 0.94},
    # After their misses were read (4 December 2026: "aner ikke egentlig", a stop clause after a
    # lead-in, "fem, ikkje fire", "husker jeg feil"): 23 and 24 end right in 60 of 60 (238 of 240,
    # 237 of 238). Sets 25 and 26 (set-24 brief), never read, measured once on that model: 59 of
    # 60 (225 of 228) and 60 of 60 (227 of 228).
    "blind_conversations_25.yml": {"right_outcome": 0.95, "turns_right": 0.97},
    "blind_conversations_26.yml": {"right_outcome": 0.95, "turns_right": 0.97},
    # Set 25's miss ("my daughter is 110") then read: 60 of 60, 228 of 228. Set 27 (same brief),
    # never read, measured once on the model of 4 December 2026 (two training lines equal to its
    # messages dropped first): 59 of 60, 232 of 236.
    "blind_conversations_27.yml": {"right_outcome": 0.95, "turns_right": 0.97},
    # Set 28 (same brief), never read, measured once on the model of 4 December 2026 after set
    # 27's changes (one training line equal to its messages dropped first): 57 of 60, 229 of 234;
    # then read ("den midterste", "... Avbryt." as the last sentence): 59 of 60, 233 of 234. The one
    # left answers the SMS age question with "2" meaning "vet ikke": the brief numbered that
    # question's choices, but the SMS question asks for the age and letters its choices (A, B),
    # so "2" is an age of 2.
    "blind_conversations_28.yml": {"right_outcome": 0.95, "turns_right": 0.97},
    # Set 29 (a new brief, written again on 4 December 2026 after the earlier one was lost),
    # never read, measured once on the model of 9ec1ed3: 56 of 60, 202 of 215 (three training
    # lines equal to its messages were still in training then; dropped after). Three of the four
    # misses follow from a gap in the brief: after the offer, a story that already said the
    # child is ill ("cerebral parese") answers question 2, so the check skips it, while the
    # writer expected it to be asked.
    "blind_conversations_29.yml": {"right_outcome": 0.90, "turns_right": 0.92},
    # Sets 31 and 32 (the set-29 brief), each measured once when it arrived: 51 of 60, 196 of
    # 221 on the model of a5bef70 (three training lines equal to its turns were still in
    # training; dropped after) and 55 of 60, 193 of 216 on the model of b5025aa. Then read: 56 /
    # 205 and 57 / 198 (a greeting before the question, "legene vet ikke hvorfor" after a yes,
    # "naeh", an own-right question as the last clause). Most of what is left is the same gap
    # in the brief as in set 29: a story told before the offer answers question 2.
    "blind_conversations_31.yml": {"right_outcome": 0.88, "turns_right": 0.90},
    "blind_conversations_32.yml": {"right_outcome": 0.90, "turns_right": 0.89},
}


@pytest.fixture(scope="module", params=sorted(FLOORS))
def scored(request, assistant):
    reader = ReplyReader(load_responses())
    rest = RestClient(assistant.rasa_url)
    sms = SmsClient(assistant.rasa_url, TEST_SERVER_ENV["SMS_AUTH_TOKEN"])
    conversations = load_conversations(ROOT / "tests" / "dialogue" / request.param)
    report = summary([play(c, rest, sms, reader) for c in conversations])
    out = ROOT / "results" / request.param.replace(".yml", ".json")
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    report["floors"] = FLOORS[request.param]
    return report


def test_the_set_covers_every_outcome_and_channel(scored):
    assert scored["conversations"] >= scored["floors"].get("min_conversations", MIN_CONVERSATIONS)
    for key in ("outcome:likely", "outcome:likely_not", "outcome:unclear", "outcome:stopped",
                "outcome:handoff", "channel:sms", "channel:rest"):
        assert scored["groups"][key]["n"] >= 3, key


def test_conversations_end_with_the_right_outcome(scored):
    share = scored["right_outcome"] / scored["conversations"]
    assert share >= scored["floors"]["right_outcome"], [f["id"] for f in scored["failures"]]


def test_every_turn_gets_the_expected_reply(scored):
    share = scored["turns_right"] / scored["turns"]
    failures = json.dumps(scored["failures"], ensure_ascii=False)[:4000]
    assert share >= scored["floors"]["turns_right"], failures
