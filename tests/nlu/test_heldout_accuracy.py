"""The trained model understands messages it never saw: intent accuracy and macro F1 floors.

Test sets: heldout.yml (written with the training data, later used once for error analysis),
heldout_blind.yml and blind_questions.yml (written by people who never saw the training data;
blind_questions.yml's misses were looked at once, by category), blind_questions_2.yml and
blind_questions_3.yml to _6.yml (written later; the misses of sets 2 and 3, then of set 4 and
set 5, were read once on 2 December 2026 to extend the list of other services, fix readers and
add training examples; set 6, written last, was never looked at message by message). The blind_questions sets hold questions
about other kommune services too: none of them may get scheme facts.
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
    # Measured 2 December 2026 (make quality) with one linear classifier and the question focus
    # for long messages, after the misses of blind sets 2 to 5 were read once: 0.928 / 0.933,
    # 0.958 / 0.957, 0.955 / 0.958 with none of 47 out-of-scope questions given scheme facts,
    # 0.990 / 0.994 with none of 36, 0.950 / 0.956 with none of 42, set 4 0.949 / 0.946 with
    # none of 38, set 5 0.924 / 0.928 with none of 27 (README, "Figures"; the targets are 0.97
    # and none).
    "heldout.yml": {"min_n": 150, "accuracy": 0.90, "macro_f1": 0.90, "scheme_facts": 0},
    "heldout_blind.yml": {"min_n": 150, "accuracy": 0.93, "macro_f1": 0.93, "scheme_facts": 0},
    "blind_questions.yml": {"min_n": 150, "accuracy": 0.92, "macro_f1": 0.93, "scheme_facts": 1},
    "blind_questions_2.yml": {"min_n": 120, "accuracy": 0.96, "macro_f1": 0.97, "scheme_facts": 1},
    "blind_questions_3.yml": {"min_n": 150, "accuracy": 0.92, "macro_f1": 0.93, "scheme_facts": 1},
    "blind_questions_4.yml": {"min_n": 150, "accuracy": 0.92, "macro_f1": 0.92, "scheme_facts": 1},
    "blind_questions_5.yml": {"min_n": 150, "accuracy": 0.90, "macro_f1": 0.90, "scheme_facts": 1},
    # Set 6, written after the question focus was built, never analysed: 0.900 / 0.915 with 5
    # of 42.
    "blind_questions_6.yml": {"min_n": 250, "accuracy": 0.88, "macro_f1": 0.89, "scheme_facts": 6},
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
