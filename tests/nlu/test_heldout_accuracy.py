"""The trained model understands messages it never saw: intent accuracy and macro F1 floors."""
import asyncio
import json
from pathlib import Path

import pytest

from scripts.eval_nlu import evaluate

pytestmark = pytest.mark.model

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "barnekoordinator.tar.gz"
HELDOUT = ROOT / "tests" / "nlu" / "heldout.yml"
# Floors a little under the measured figures (README, "Figures"), so a real regression fails.
ACCURACY_FLOOR = 0.85
MACRO_F1_FLOOR = 0.85


@pytest.fixture(scope="module")
def result():
    if not MODEL.exists():
        pytest.fail("no trained model: run `make train`")
    res = asyncio.run(evaluate(MODEL, HELDOUT))
    out = ROOT / "results" / "nlu_heldout.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(res, ensure_ascii=False, indent=2), encoding="utf-8")
    return res


def test_intent_accuracy_on_heldout(result):
    assert result["n"] >= 150
    assert result["accuracy"] >= ACCURACY_FLOOR, result["errors"]


def test_macro_f1_on_heldout(result):
    assert result["macro_f1"] >= MACRO_F1_FLOOR
