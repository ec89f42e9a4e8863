"""Evaluate a trained pipeline on the Bokmål and Nynorsk test splits and measure its speed.

Usage: python nlp/scripts/evaluate.py MODEL CORPUS_DIR OUT_JSON

MODEL is a pipeline directory or an installed package name; CORPUS_DIR is the output of
convert.py. Everything (tokens, POS, morphology, lemmas, UAS/LAS, sentences, entities) is
scored against the UD test files as published, with raw text in. Speed is words per second of the whole pipeline over the test texts, one process.
"""

from __future__ import annotations

import json
import os
import sys
import time

KEYS = [
    "token_acc",
    "pos_acc",
    "morph_acc",
    "lemma_acc",
    "dep_uas",
    "dep_las",
    "sents_f",
    "ents_p",
    "ents_r",
    "ents_f",
]


def load_docs(nlp, path):
    from spacy.tokens import DocBin

    return list(DocBin().from_disk(path).get_docs(nlp.vocab))


def examples(nlp, docs):
    """Gold docs paired with fresh docs from their raw text (nlp.evaluate runs the pipeline)."""
    from spacy.training import Example

    return [Example(nlp.make_doc(d.text), d) for d in docs]


def speed(nlp, texts, n_words, repeats=2) -> float:
    """Best of `repeats` passes over the texts, after one warm-up batch."""
    list(nlp.pipe(texts[:20]))
    best = 0.0
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=64):
            pass
        best = max(best, n_words / (time.perf_counter() - start))
    return best


def size_on_disk(path: str) -> int:
    total = 0
    for root, _, files in os.walk(path):
        total += sum(os.path.getsize(os.path.join(root, f)) for f in files)
    return total


def main(argv):
    if len(argv) != 4 or argv[1] in ("-h", "--help"):
        print(__doc__)
        return 0 if len(argv) > 1 and argv[1] in ("-h", "--help") else 2
    import spacy

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import lemma_lookup  # noqa: F401  (registers the lemma_lookup factory)
    import ner_vote  # noqa: F401  (registers the ner_vote factory)

    model, corpus, out = argv[1:]
    nlp = spacy.load(model)
    result = {
        "model": model,
        "meta": {k: nlp.meta.get(k) for k in ("lang", "name", "version")},
        "pipeline": nlp.pipe_names,
    }
    result["size_bytes"] = size_on_disk(str(nlp.path))
    for lang in ("nob", "nno"):
        docs = load_docs(nlp, f"{corpus}/test-{lang}-ud.spacy")
        scores = nlp.evaluate(examples(nlp, docs))
        res = {k: scores[k] for k in KEYS}
        res["ents_per_type"] = scores["ents_per_type"]
        if "lemma_lookup" in nlp.pipe_names:  # what the lookup adds to the edit-tree lemmatizer
            with nlp.select_pipes(disable=["lemma_lookup"]):
                no_lookup = nlp.evaluate(examples(nlp, docs))
                res["lemma_acc_without_lookup"] = no_lookup["lemma_acc"]
        res["morph_per_feat"] = {k: v["f"] for k, v in (scores.get("morph_per_feat") or {}).items()}
        res["sentences"] = sum(len(list(d.sents)) for d in docs)
        res["words"] = sum(len(d) for d in docs)
        texts = [d.text for d in docs]
        res["words_per_second"] = round(speed(nlp, texts, res["words"]))
        try:
            res["load_average"] = os.getloadavg()[0]
        except OSError:
            pass
        result[lang] = res
        print(
            lang,
            json.dumps(
                {k: v for k, v in res.items() if k not in ("ents_per_type", "morph_per_feat")}
            ),
        )
    with open(out, "w", encoding="utf8") as fh:
        json.dump(result, fh, indent=2, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
