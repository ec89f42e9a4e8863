"""Put the separately trained parts together into one pipeline.

Usage: python nlp/scripts/assemble.py CORE_MODEL CORPUS_DIR OUT_DIR NER_MODEL [NER_MODEL ...]

CORE_MODEL has tok2vec, morphologizer, trainable_lemmatizer and parser (one shared tok2vec);
each NER_MODEL has an ner component with its own tok2vec, trained with its own random seed.
They are trained by nlp/train.sh, the core and the NER models on separate cores. The NER models
become the members of one `ner` component that lets them vote (ner_vote.py). The lemma lookup
(lemma_lookup.py) is built from the Bokmål and Nynorsk training corpora in CORPUS_DIR
(train-nob.spacy, train-nno.spacy) and added after the trainable lemmatizer. The result is
saved to OUT_DIR.
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lemma_lookup  # noqa: E402,F401  (registers the lemma_lookup factory)
import ner_vote  # noqa: E402,F401  (registers the ner_vote factory)


def assemble(core_model: str, corpus: str, ner_models: list[str]):
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.load(core_model)
    vote = nlp.add_pipe("ner_vote", name="ner")
    for path in ner_models:
        ner_nlp = spacy.load(path)
        vote.add_member(ner_nlp.get_pipe("ner"), ner_nlp.config["components"]["ner"])
    lookup = nlp.add_pipe("lemma_lookup", after="trainable_lemmatizer")
    n = lookup.build(
        {
            lang: DocBin().from_disk(f"{corpus}/train-{lang}.spacy").get_docs(nlp.vocab)
            for lang in ("nob", "nno")
        }
    )
    return nlp, n


def main(argv) -> int:
    if len(argv) < 5 or argv[1] in ("-h", "--help"):
        print(__doc__)
        return 0 if len(argv) > 1 and argv[1] in ("-h", "--help") else 2
    nlp, n = assemble(argv[1], argv[2], argv[4:])
    nlp.to_disk(argv[3])
    print(
        f"assembled {nlp.pipe_names} (lemma_lookup: {n} forms; "
        f"ner: {len(argv) - 4} voting members) -> {argv[3]}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
