"""Save the core part of an already trained pipeline, so that the NER can be retrained alone.

Usage: python nlp/scripts/core_from.py PIPELINE OUT_DIR

PIPELINE is a pipeline directory or an installed package name (nb_barnekoordinator_sm). OUT_DIR
gets its tokenizer, tok2vec, morphologizer, trainable_lemmatizer and parser, the same layout
as a core run of nb_sm_core.cfg (nlp/training/core/model-best). nlp/train.sh uses it when
CORE_MODEL is set, instead of the 70-minute core training.
"""

from __future__ import annotations

import sys
from pathlib import Path

CORE = ("tok2vec", "morphologizer", "trainable_lemmatizer", "parser")


def main(argv) -> int:
    if len(argv) != 3 or argv[1] in ("-h", "--help"):
        print(__doc__)
        return 0 if len(argv) > 1 and argv[1] in ("-h", "--help") else 2
    import spacy
    from spacy.util import load_config

    source, out = argv[1], argv[2]
    if spacy.util.is_package(source):
        pipeline = spacy.util.get_package_path(source)
        pipeline = next(p for p in pipeline.iterdir() if (p / "config.cfg").is_file())
    else:
        pipeline = source
    names = load_config(f"{pipeline}/config.cfg")["nlp"]["pipeline"]
    missing = [c for c in CORE if c not in names]
    if missing:
        raise SystemExit(f"{source} has no {', '.join(missing)}: not a trained core pipeline")
    nlp = spacy.load(pipeline, exclude=[n for n in names if n not in CORE])
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out)
    print(f"core {nlp.pipe_names} of {source} -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
