"""Put the separately trained parts together into one pipeline.

Usage: python nlp/scripts/assemble.py CORE_MODEL NER_MODEL CORPUS_DIR OUT_DIR

CORE_MODEL has tok2vec, morphologizer, trainable_lemmatizer and parser (one shared tok2vec);
NER_MODEL has the ner component with its own tok2vec. Both are trained by nlp/train.sh, at the
same time on separate cores. The lemma lookup (lemma_lookup.py) is built from the Bokmål and
Nynorsk training corpora in CORPUS_DIR (train-nob.spacy, train-nno.spacy) and added after the
trainable lemmatizer. The result is saved to OUT_DIR.
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lemma_lookup  # noqa: E402,F401  (registers the lemma_lookup factory)


def assemble(core_model: str, ner_model: str, corpus: str):
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.load(core_model)
    ner_nlp = spacy.load(ner_model)
    nlp.add_pipe("ner", source=ner_nlp)
    lookup = nlp.add_pipe("lemma_lookup", after="trainable_lemmatizer")
    n = lookup.build(
        {
            lang: DocBin().from_disk(f"{corpus}/train-{lang}.spacy").get_docs(nlp.vocab)
            for lang in ("nob", "nno")
        }
    )
    return nlp, n


def main(argv) -> int:
    if len(argv) != 5 or argv[1] in ("-h", "--help"):
        print(__doc__)
        return 0 if len(argv) > 1 and argv[1] in ("-h", "--help") else 2
    nlp, n = assemble(argv[1], argv[2], argv[3])
    nlp.to_disk(argv[4])
    print(f"assembled {nlp.pipe_names} (lemma_lookup: {n} forms) -> {argv[4]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
