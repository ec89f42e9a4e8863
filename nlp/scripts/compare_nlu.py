"""Compare the assistant's intent classification with a blank Norwegian spaCy pipeline vs ours.

Usage (from the project root):
  .venv/bin/python nlp/scripts/compare_nlu.py [--ours nb_barnekoordinator_sm]
      [--blank models/spacy-nb-blank] [--out nlp/nlu_comparison.json]
      [--workdir nlp/build/nlu-compare] [--only blank|ours]

Trains two NLU-only Rasa models from bot/config.yml that differ only in SpacyNLP's `model`,
tests both on tests/nlu/heldout.yml (`rasa test nlu`) and writes intent accuracy, macro F1
and weighted F1 to --out (nlp/scripts/report.py puts them into nlp/EVALUATION.md).
Each variant's figures are also kept in WORKDIR/row-NAME.json; --only runs one variant (for
running them at different times) and writes --out once both rows exist.
Takes a few minutes per model; runs at nice 10.
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import json
import os
import subprocess
import sys
import time

import yaml


SEED = None  # --seed: overrides the classifiers' random_seed (a second run to see the spread)


def inputs_hash(root):
    """Hash of the NLU data, held-out set and config, so rows from different inputs never mix."""
    h = hashlib.sha256()
    paths = sorted(glob.glob(os.path.join(root, "data", "nlu", "**", "*.yml"), recursive=True))
    paths += [os.path.join(root, "tests", "nlu", "heldout.yml")]
    paths += [os.path.join(root, "bot", "config.yml")]
    for path in paths:
        with open(path, "rb") as fh:
            h.update(fh.read())
    return h.hexdigest()[:16]


def train_and_test(root, name, spacy_model, workdir, env):
    with open(os.path.join(root, "bot", "config.yml"), encoding="utf8") as fh:
        config = yaml.safe_load(fh)
    for comp in config["pipeline"]:
        if comp.get("name") == "SpacyNLP":
            comp["model"] = spacy_model
        if SEED is not None and "random_seed" in comp:
            comp["random_seed"] = SEED
    config.pop("policies", None)
    cfg = os.path.join(workdir, f"config-{name}.yml")
    with open(cfg, "w", encoding="utf8") as fh:
        yaml.safe_dump(config, fh, allow_unicode=True, sort_keys=False)
    # Rasa's training cache keys on the training data, not on the spaCy model, so without this
    # the second variant silently reuses the first one's featurizers and classifiers.
    env = dict(
        env, RASA_MAX_CACHE_SIZE="0", RASA_CACHE_DIRECTORY=os.path.join(workdir, f"cache-{name}")
    )
    rasa = [os.path.join(root, ".venv", "bin", "rasa")]
    nice = ["nice", "-n", os.environ.get("NICE", "10")]
    start = time.time()
    subprocess.run(
        nice
        + rasa
        + [
            "train",
            "nlu",
            "-c",
            cfg,
            "-u",
            "data/nlu",
            "--domain",
            "bot/domain",
            "--out",
            os.path.join(workdir, "models"),
            "--fixed-model-name",
            name,
        ],
        cwd=root,
        env=env,
        check=True,
    )
    train_s = time.time() - start
    results = os.path.join(workdir, f"results-{name}")
    subprocess.run(
        nice
        + rasa
        + [
            "test",
            "nlu",
            "-u",
            "tests/nlu/heldout.yml",
            "-m",
            os.path.join(workdir, "models", f"{name}.tar.gz"),
            "--out",
            results,
            "--no-plot",
        ],
        cwd=root,
        env=env,
        check=True,
    )
    with open(os.path.join(results, "intent_report.json"), encoding="utf8") as fh:
        rep = json.load(fh)
    return {
        "name": name,
        "spacy_model": spacy_model,
        "accuracy": rep["accuracy"],
        "macro_f1": rep["macro avg"]["f1-score"],
        "weighted_f1": rep["weighted avg"]["f1-score"],
        "support": rep["macro avg"]["support"],
        "train_s": round(train_s),
    }


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ours", default="nb_barnekoordinator_sm")
    ap.add_argument("--blank", default="models/spacy-nb-blank")
    ap.add_argument("--out", default="nlp/nlu_comparison.json")
    ap.add_argument("--workdir", default="nlp/build/nlu-compare")
    ap.add_argument("--only", choices=("blank", "ours"), default=None)
    ap.add_argument("--seed", type=int, default=None)
    args = ap.parse_args(argv)
    global SEED
    SEED = args.seed
    root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    env = dict(os.environ, PYTHONPATH=root, TF_CPP_MIN_LOG_LEVEL="3", OMP_NUM_THREADS="1")
    if not os.path.exists(os.path.join(root, args.blank)):
        subprocess.run(
            [
                os.path.join(root, ".venv", "bin", "python"),
                "scripts/make_blank_spacy.py",
                args.blank,
            ],
            cwd=root,
            check=True,
        )
    workdir = os.path.join(root, args.workdir)
    os.makedirs(workdir, exist_ok=True)
    variants = (("blank", args.blank), ("ours", args.ours))
    for name, model in variants:
        if args.only in (None, name):
            row = train_and_test(root, name, model, workdir, env)
            row["inputs"] = inputs_hash(root)
            with open(os.path.join(workdir, f"row-{name}.json"), "w", encoding="utf8") as fh:
                json.dump(row, fh)
    rows = []
    for name, _ in variants:
        path = os.path.join(workdir, f"row-{name}.json")
        if not os.path.exists(path):
            print(f"{name}: not measured yet; run with --only {name}")
            return 0
        with open(path, encoding="utf8") as fh:
            rows.append(json.load(fh))
    blank, ours = rows
    if blank.get("inputs") != ours.get("inputs") or ours.get("inputs") != inputs_hash(root):
        print("the two rows were measured on different NLU data or config; rerun both")
        return 1
    n = blank["support"]
    d_acc, d_f1 = ours["accuracy"] - blank["accuracy"], ours["macro_f1"] - blank["macro_f1"]
    helps = d_acc > 0 and d_f1 > 0
    rows[0]["name"] = f"blank `nb` (`{args.blank}`: tokenizer only)"
    rows[1]["name"] = f"ours (`{args.ours}`: lemmas as CountVectors features)"
    result = {
        "measured": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "intro": (
            f"Same `bot/config.yml` NLU pipeline, only SpacyNLP's `model` differs; trained "
            f"on `data/nlu/`, tested on the held-out set `tests/nlu/heldout.yml` "
            f"({n} messages, so one message is {100 / n:.1f} points of accuracy). "
            f"Command: `.venv/bin/python nlp/scripts/compare_nlu.py`."
        ),
        "rows": rows,
        "conclusion": (
            f"Ours minus blank: accuracy {d_acc * 100:+.1f} points, macro F1 "
            f"{d_f1 * 100:+.1f} points. "
            + (
                "Our pipeline helps intent classification on this set."
                if helps
                else "Our pipeline does not improve intent classification on this set; keep it for "
                "what it is good at (lemmas, names for masking) and choose the NLU model on "
                "these figures."
            )
        ),
    }
    with open(os.path.join(root, args.out), "w", encoding="utf8") as fh:
        json.dump(result, fh, indent=2, ensure_ascii=False)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
