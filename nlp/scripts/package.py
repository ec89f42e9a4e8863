"""Build the installable wheel of the trained pipeline and copy it to nlp/packages/.

Usage: python nlp/scripts/package.py MODEL_DIR BUILD_DIR PACKAGES_DIR [METRICS_JSON]

Writes the package metadata (name, version, description, sources, license, test figures from
METRICS_JSON when given), runs spaCy's packager (setup.py bdist_wheel) and replaces any older
wheel of the same package in PACKAGES_DIR.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import sys

LANG = "nb"
NAME = "barnekoordinator_sm"
VERSION = "0.4.0"
PACKAGE = f"{LANG}_{NAME}"


def main(argv):
    if len(argv) not in (4, 5) or argv[1] in ("-h", "--help"):
        print(__doc__)
        return 0 if len(argv) > 1 and argv[1] in ("-h", "--help") else 2
    from pathlib import Path

    from spacy.cli.package import package

    model_dir, build_dir, packages_dir = (Path(a) for a in argv[1:4])
    staged = build_dir / "model"
    if staged.exists():
        shutil.rmtree(staged)
    shutil.copytree(model_dir, staged)
    meta = json.loads((staged / "meta.json").read_text(encoding="utf8"))
    meta.update(
        {
            "name": NAME,
            "version": VERSION,
            "description": (
                "Norwegian (Bokmål and Nynorsk) CPU pipeline for the barnekoordinator assistant: "
                "tok2vec, morphologizer (UPOS + UD features), trainable lemmatizer with a lookup "
                "of unambiguous training-data forms, dependency "
                "parser (UD relations; also sentence boundaries), NER (NorNE labels; models "
                "trained with different random seeds vote on each entity). Trained on "
                "the NorNE train split of Bokmål and Nynorsk."
            ),
            "author": "barnekoordinator project",
            "license": "CC0-1.0 (annotations of NorNE/NDT); see the project's nlp/README.md",
            "sources": [
                {
                    "name": "NorNE (Norwegian Dependency Treebank with named entities)",
                    "url": "https://github.com/ltgoslo/norne",
                    "license": "CC0-1.0 (annotations)",
                }
            ],
        }
    )
    meta.pop("performance", None)  # dev-set figures from training; test figures go below
    if len(argv) == 5:
        metrics = json.loads(Path(argv[4]).read_text(encoding="utf8"))
        meta["performance"] = {
            lang: {
                k: v
                for k, v in metrics[lang].items()
                if k not in ("ents_per_type", "morph_per_feat", "load_average")
            }
            for lang in ("nob", "nno")
        }
    (staged / "meta.json").write_text(
        json.dumps(meta, indent=2, ensure_ascii=False), encoding="utf8"
    )
    out = build_dir / "package"
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    here = Path(__file__).resolve().parent
    package(
        staged,
        out,
        code_paths=[here / "lemma_lookup.py", here / "ner_vote.py"],
        create_sdist=False,
        create_wheel=True,
        force=True,
        silent=True,
    )
    wheels = glob.glob(str(out / "*" / "dist" / f"{PACKAGE}-{VERSION}-*.whl"))
    if len(wheels) != 1:
        raise SystemExit(f"expected one wheel, found {wheels}")
    packages_dir.mkdir(parents=True, exist_ok=True)
    for old in glob.glob(str(packages_dir / f"{PACKAGE}-*.whl")):
        os.remove(old)
    target = packages_dir / os.path.basename(wheels[0])
    shutil.copy(wheels[0], target)
    size = os.path.getsize(target)
    print(f"{target} {size / 1e6:.1f} MB")
    if size > 20e6:
        raise SystemExit("the wheel is over 20 MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
