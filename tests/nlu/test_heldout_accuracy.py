"""The trained model understands messages it never saw: intent accuracy and macro F1 floors.

Test sets: heldout.yml (written with the training data, later used once for error analysis),
heldout_blind.yml and blind_questions.yml (written by people who never saw the training data;
blind_questions.yml's misses were looked at once, by category), blind_questions_2.yml to _8.yml
(written later, each by a helper who saw only the sources and a behaviour brief). The misses of
sets 2 to 7 were read once on 2 December 2026, each after its figures were taken, to extend the
list of other services, fix readers and add training examples; set 8 was read once on 3
December 2026, after its figures were taken. Set 9, written last, was measured several times while
the out-of-scope rules (bot/scope.py, rules 4 to 6) were built; its misses were seen by category,
not read message by message. Sets 10 and 11 were written after that, and measured only as
figures. The blind_questions sets hold questions about other kommune
services too: none of them may get scheme facts.
"""
import asyncio
import json
from pathlib import Path

import pytest

from scripts.eval_nlu import evaluate

pytestmark = pytest.mark.model

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "barnekoordinator.tar.gz"
# Floors a little under the measured figures (README, "Figures"), so a real regression fails.
FLOORS = {
    # Measured 2 December 2026 (make quality), after the misses of sets 2 to 7 were read once:
    # heldout 0.937 / 0.944, heldout_blind 0.964 / 0.964, set 1 0.964 / 0.968 (none of 47
    # out-of-scope questions given scheme facts), set 2 0.990 / 0.990 (none of 36), set 3
    # 0.950 / 0.957 (none of 42), set 4 0.953 / 0.954 (none of 38), set 5 0.935 / 0.941 (none
    # of 27), set 6 0.957 / 0.960 (1 of 42), set 7 0.971 / 0.971 (1 of 59). README, "Figures";
    # the targets are 0.97 and none.
    "heldout.yml": {"min_n": 150, "accuracy": 0.90, "macro_f1": 0.90, "scheme_facts": 0},
    "heldout_blind.yml": {"min_n": 150, "accuracy": 0.93, "macro_f1": 0.93, "scheme_facts": 0},
    "blind_questions.yml": {"min_n": 150, "accuracy": 0.94, "macro_f1": 0.94, "scheme_facts": 1},
    "blind_questions_2.yml": {"min_n": 120, "accuracy": 0.96, "macro_f1": 0.97, "scheme_facts": 1},
    "blind_questions_3.yml": {"min_n": 150, "accuracy": 0.92, "macro_f1": 0.93, "scheme_facts": 1},
    "blind_questions_4.yml": {"min_n": 150, "accuracy": 0.93, "macro_f1": 0.93, "scheme_facts": 1},
    "blind_questions_5.yml": {"min_n": 150, "accuracy": 0.91, "macro_f1": 0.92, "scheme_facts": 1},
    "blind_questions_6.yml": {"min_n": 250, "accuracy": 0.93, "macro_f1": 0.93, "scheme_facts": 2},
    "blind_questions_7.yml": {"min_n": 250, "accuracy": 0.94, "macro_f1": 0.94, "scheme_facts": 2},
    # Set 8, written after the misses of sets 6 and 7 were read, never analysed: 0.939 / 0.956
    # with 6 of 42.
    "blind_questions_8.yml": {"min_n": 200, "accuracy": 0.91, "macro_f1": 0.93, "scheme_facts": 7},
    # Set 9, written from the sources alone: 0.858 / 0.905 with 13 of 65 on main before rules 4 to
    # 6 and the out-of-scope training data; 0.933 / 0.933 with 3 of 65 after them (3 December).
    "blind_questions_9.yml": {"min_n": 250, "accuracy": 0.91, "macro_f1": 0.91, "scheme_facts": 4},
    # Set 10, written from the sources alone on 3 December 2026 (six messages equal to training
    # lines dropped): 0.943 / 0.932 with 1 of 64 when it arrived; 0.946 / 0.939 with 1 of 64 after
    # the readers and letter folding that set 9's conversations led to.
    "blind_questions_10.yml": {"min_n": 250, "accuracy": 0.92, "macro_f1": 0.91, "scheme_facts": 2},
    # Set 11, written from the sources alone on 3 December 2026 (six messages equal to training
    # lines dropped): 0.932 / 0.939 with 0 of 67 when it arrived.
    "blind_questions_11.yml": {"min_n": 280, "accuracy": 0.91, "macro_f1": 0.92, "scheme_facts": 1},
}


@pytest.fixture(scope="module", params=sorted(FLOORS))
def scored(request, nlu_agent):
    name = request.param
    res = asyncio.run(evaluate(MODEL, ROOT / "tests" / "nlu" / name, nlu_agent))
    out = ROOT / "results" / f"nlu_{Path(name).stem}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(res, ensure_ascii=False, indent=2), encoding="utf-8")
    return FLOORS[name], res


def test_intent_accuracy(scored):
    floor, result = scored
    assert result["n"] >= floor["min_n"]
    assert result["accuracy"] >= floor["accuracy"], result["errors"]


def test_macro_f1(scored):
    floor, result = scored
    assert result["macro_f1"] >= floor["macro_f1"]


def test_out_of_scope_questions_get_no_scheme_facts(scored):
    floor, result = scored
    assert len(result["out_of_scope"]["given_scheme_facts"]) <= floor["scheme_facts"], \
        result["out_of_scope"]["given_scheme_facts"]
