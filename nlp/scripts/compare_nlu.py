"""Compare the assistant's intent classification with a blank Norwegian spaCy pipeline vs ours.

Usage (from the project root):
  .venv/bin/python nlp/scripts/compare_nlu.py [--ours nb_barnekoordinator_sm]
      [--blank models/spacy-nb-blank] [--out nlp/nlu_comparison.json]
      [--workdir nlp/build/nlu-compare] [--only blank|ours|ours_words]

Trains NLU-only Rasa models from bot/config.yml that differ only in SpacyNLP's `model` (blank
vs ours) and, in a third variant, in one added CountVectorsFeaturizer that counts the surface
words alongside the lemmas (Rasa's word featurizer counts lemmas when the spaCy model has them),
tests them on tests/nlu/heldout.yml (`rasa test nlu`) and writes intent accuracy, macro F1
and weighted F1 to --out (nlp/scripts/report.py puts them into nlp/EVALUATION.md).
Each variant's figures are also kept in WORKDIR/row-NAME.json; --only runs one variant (for
running them at different times) and writes --out once every row exists.
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


SUMMARY = (
    "Every variant was trained with Rasa's training cache disabled. With the cache on, a variant "
    "trained later silently reuses an earlier one's featurizers and classifiers (the cache keys "
    "on the training data, not on the spaCy model). One training run per variant (random_seed "
    "42); differences of a few messages are within run-to-run spread."
)
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


def package_version(name):
    """Installed version of a spaCy model package (rows must match the installed model)."""
    import importlib.metadata

    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def train_and_test(root, name, spacy_model, workdir, env, surface_words=False):
    with open(os.path.join(root, "bot", "config.yml"), encoding="utf8") as fh:
        config = yaml.safe_load(fh)
    for comp in config["pipeline"]:
        if comp.get("name") == "SpacyNLP":
            comp["model"] = spacy_model
        if SEED is not None and "random_seed" in comp:
            comp["random_seed"] = SEED
    if surface_words:  # a second word featurizer on the text as written, beside the lemmas
        names = [c.get("name") for c in config["pipeline"]]
        at = names.index("CountVectorsFeaturizer") + 1
        config["pipeline"].insert(at, {"name": "CountVectorsFeaturizer", "use_lemma": False})
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
    ap.add_argument("--only", choices=("blank", "ours", "ours_words"), default=None)
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
    variants = (("blank", args.blank), ("ours", args.ours), ("ours_words", args.ours))
    for name, model in variants:
        if args.only in (None, name):
            row = train_and_test(root, name, model, workdir, env, name == "ours_words")
            row["inputs"] = inputs_hash(root)
            if name != "blank":
                row["spacy_version"] = package_version(model)
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
    if {r.get("inputs") for r in rows} != {inputs_hash(root)}:
        print("the rows were measured on different NLU data or config; rerun them")
        return 1
    versions = {r.get("spacy_version") for r in rows[1:]}
    if versions != {package_version(args.ours)}:
        print(
            f"rows of ours were measured with {versions}, installed is "
            f"{package_version(args.ours)}; rerun them"
        )
        return 1
    blank, ours, ours_words = rows
    n = blank["support"]
    rows[0]["name"] = f"blank `nb` (`{args.blank}`: tokenizer only)"
    rows[1]["name"] = f"ours (`{args.ours}` {ours['spacy_version']}: lemmas as word features)"
    rows[2]["name"] = f"ours, lemmas and surface words (`{args.ours}` {ours['spacy_version']})"

    def delta(row):
        return row["accuracy"] - blank["accuracy"], row["macro_f1"] - blank["macro_f1"]

    (d_acc, d_f1), (w_acc, w_f1) = delta(ours), delta(ours_words)
    helps = (d_acc > 0 and d_f1 > 0) or (w_acc > 0 and w_f1 > 0)
    result = {
        "measured": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "intro": (
            f"Same `bot/config.yml` NLU pipeline, only SpacyNLP's `model` differs (the third "
            f"row also counts the words as written, in one more CountVectorsFeaturizer); trained "
            f"on `data/nlu/`, tested on the held-out set `tests/nlu/heldout.yml` "
            f"({n} messages, so one message is {100 / n:.1f} points of accuracy). "
            f"Command: `.venv/bin/python nlp/scripts/compare_nlu.py`."
        ),
        "rows": rows,
        "conclusion": (
            f"Ours minus blank: accuracy {d_acc * 100:+.1f} points, macro F1 "
            f"{d_f1 * 100:+.1f} points; with surface words beside the lemmas "
            f"{w_acc * 100:+.1f} / {w_f1 * 100:+.1f} points. "
            + (
                "Our pipeline helps intent classification on this set in at least one variant."
                if helps
                else "Our pipeline does not improve intent classification on this set; keep it for "
                "what it is good at (lemmas, names for masking) and choose the NLU model on "
                "these figures."
            )
        ),
    }
    result["summary"] = SUMMARY
    with open(os.path.join(root, args.out), "w", encoding="utf8") as fh:
        json.dump(result, fh, indent=2, ensure_ascii=False)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
