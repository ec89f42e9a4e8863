"""How long the final NER run on train+dev trains: the selection run's best step, scaled by data.

Usage: python nlp/scripts/final_steps.py [--json] NER_LOG TRAIN_SPACY DEV_SPACY

NER_LOG is the console log of the NER run on the training files alone (nlp/training/ner.log),
whose checkpoints were scored on dev. The final run sees train + dev, so it needs
proportionally more steps for the same number of passes over the data: best step x
(words in train + dev) / (words in train). Prints that number; with --json also the best step
and its dev NER F, for the report.
"""

from __future__ import annotations

import json
import re
import sys

# spaCy's console logger: epoch, step, loss, ENTS_F, ENTS_P, ENTS_R, SCORE.
ROW = re.compile(r"^\s*(\d+)\s+(\d+)\s+[\d.]+\s+([\d.]+)\s+[\d.]+\s+[\d.]+\s+[\d.]+\s*$")


def best(log_text: str) -> tuple[float, int]:
    """(dev ENTS_F, step) of the best checkpoint (the latest of equal scores, as spaCy keeps it)."""
    rows = [
        (float(m.group(3)), int(m.group(2))) for m in map(ROW.match, log_text.splitlines()) if m
    ]
    rows = [r for r in rows if r[1] > 0]
    if not rows:
        raise ValueError("no evaluation rows in the NER log")
    return max(rows)


def best_step(log_text: str) -> int:
    return best(log_text)[1]


def scaled(step: int, train_words: int, dev_words: int) -> int:
    return round(step * (train_words + dev_words) / train_words)


def words(path: str) -> int:
    import spacy
    from spacy.tokens import DocBin

    return sum(len(d) for d in DocBin().from_disk(path).get_docs(spacy.blank("nb").vocab))


def main(argv) -> int:
    as_json = "--json" in argv
    argv = [a for a in argv if a != "--json"]
    if len(argv) != 4 or argv[1] in ("-h", "--help"):
        print(__doc__)
        return 0 if len(argv) > 1 and argv[1] in ("-h", "--help") else 2
    with open(argv[1], encoding="utf8") as fh:
        dev_f, step = best(fh.read())
    steps = scaled(step, words(argv[2]), words(argv[3]))
    if as_json:
        print(
            json.dumps(
                {"best_step": step, "best_dev_ents_f": round(dev_f / 100, 4), "steps": steps}
            )
        )
    else:
        print(steps)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
