"""The final NER run on train+dev trains as long as the best dev checkpoint, scaled by data."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "nlp" / "scripts"))
from final_steps import best_step, scaled  # noqa: E402

LOG = """\
\x1b[38;5;4mℹ Pipeline: ['ner']\x1b[0m
E    #       LOSS NER  ENTS_F  ENTS_P  ENTS_R  SCORE 
---  ------  --------  ------  ------  ------  ------
  0       0    141.55    0.00    0.00    0.00    0.00
  0     500   7634.80   65.88   67.03   64.77    0.66
  1    1500   7286.79   78.10   76.12   75.14    0.78
  2    2000   5534.24   76.85   77.15   76.56    0.77
  3    2500   4469.49   78.10   77.34   76.81    0.78
  4    3000   3685.64   77.83   78.27   77.39    0.78
\x1b[38;5;2m✔ Saved pipeline to output directory\x1b[0m
"""


def test_best_step_is_the_latest_of_the_best_dev_scores():
    assert best_step(LOG) == 2500


def test_a_log_without_evaluations_is_an_error():
    with pytest.raises(ValueError, match="no evaluation rows"):
        best_step(
            "E    #       LOSS NER  ENTS_F\n  0       0    141.55    0.00    0.00    0.00    0.00\n"
        )


def test_more_data_means_proportionally_more_steps():
    assert scaled(3000, train_words=489_378, dev_words=69_650) == 3427
    assert scaled(3000, train_words=100, dev_words=0) == 3000
