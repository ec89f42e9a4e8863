"""Train the pipeline with spaCy's trainer (the `spacy` CLI entry point is not usable here).

Usage: python nlp/scripts/train.py CONFIG OUTPUT_DIR [--section.key=value ...]
Run from nlp/ so the relative corpus paths in the config resolve.
"""

import sys


def main(argv):
    if len(argv) < 3 or argv[1] in ("-h", "--help"):
        print(__doc__)
        return 0 if len(argv) > 1 else 2
    from spacy.cli._util import parse_config_overrides
    from spacy.cli.train import train

    overrides = parse_config_overrides(argv[3:])
    train(argv[1], argv[2], overrides=overrides)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
