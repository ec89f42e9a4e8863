"""Train NLU-only models for several pipeline variants and score each on the held-out set.

Each variant is bot/config.yml with some components' settings changed (see VARIANTS). Figures
are intent accuracy and macro F1 on both held-out sets, with FAQ topics counted separately
(scripts/eval_nlu.py), so they match the floor test. Usage: .venv/bin/python scripts/compare_nlu_configs.py
[variant ...] (default: all). Writes results/nlu_variants.json and prints a Markdown table.
"""
from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from scripts.eval_nlu import evaluate  # noqa: E402

TEST_SETS = ("heldout", "heldout_blind")

# name -> list of (component name, index among components of that name, settings to merge)
VARIANTS = {
    "current": [],
    "word_bigrams": [("CountVectorsFeaturizer", 0, {"min_ngram": 1, "max_ngram": 2})],
    "more_epochs": [("DIETClassifier", 0, {"epochs": 100}), ("ResponseSelector", 0, {"epochs": 100})],
    "no_char_ngrams": [("CountVectorsFeaturizer", 1, None)],
    "our_spacy": [("SpacyNLP", 0, {"model": "nb_barnekoordinator_sm"})],
    "our_spacy_bigrams": [("SpacyNLP", 0, {"model": "nb_barnekoordinator_sm"}),
                          ("CountVectorsFeaturizer", 0, {"min_ngram": 1, "max_ngram": 2})],
}


def variant_config(changes):
    config = yaml.safe_load((ROOT / "bot" / "config.yml").read_text(encoding="utf-8"))
    config.pop("policies", None)
    pipeline = config["pipeline"]
    for name, index, settings in changes:
        matches = [c for c in pipeline if c["name"] == name]
        if settings is None:
            pipeline.remove(matches[index])
        else:
            matches[index].update(settings)
    return config


def run(name, workdir):
    cfg = workdir / f"config-{name}.yml"
    cfg.write_text(yaml.safe_dump(variant_config(VARIANTS[name]), allow_unicode=True, sort_keys=False))
    # Rasa's training cache would hand one variant's trained components to the next.
    env = {**os.environ, "RASA_MAX_CACHE_SIZE": "0", "RASA_CACHE_DIRECTORY": str(workdir / f"cache-{name}")}
    start = time.monotonic()
    subprocess.run([str(ROOT / ".venv" / "bin" / "rasa"), "train", "nlu", "-c", str(cfg), "-u", "data/nlu",
                    "--domain", "bot/domain", "--out", str(workdir), "--fixed-model-name", name],
                   cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    train_s = time.monotonic() - start
    row = {"variant": name, "train_s": round(train_s)}
    for test_set in TEST_SETS:
        res = asyncio.run(evaluate(workdir / f"{name}.tar.gz", ROOT / "tests" / "nlu" / f"{test_set}.yml"))
        row[test_set] = {"accuracy": res["accuracy"], "macro_f1": res["macro_f1"], "n": res["n"]}
    return row


def main(argv):
    names = argv or list(VARIANTS)
    workdir = ROOT / "results" / "nlu-variants"
    workdir.mkdir(parents=True, exist_ok=True)
    out = ROOT / "results" / "nlu_variants.json"
    rows = json.loads(out.read_text()) if out.exists() else {}
    for name in names:
        rows[name] = run(name, workdir)
        out.write_text(json.dumps(rows, indent=2))
        print(rows[name], flush=True)
    print("| variant | held-out accuracy / macro F1 | blind accuracy / macro F1 | NLU training (s) |")
    print("| --- | --- | --- | --- |")
    for r in rows.values():
        h, b = r["heldout"], r["heldout_blind"]
        print(f"| {r['variant']} | {h['accuracy']:.3f} / {h['macro_f1']:.3f} | "
              f"{b['accuracy']:.3f} / {b['macro_f1']:.3f} | {r['train_s']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
