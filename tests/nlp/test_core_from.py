"""`CORE_MODEL=... nlp/train.sh` retrains only the NER: core_from.py takes the core of a pipeline."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "nlp" / "scripts" / "core_from.py"


def run(*args):
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=300
    )


def test_takes_the_core_of_the_installed_package(tmp_path):
    spacy = pytest.importorskip("spacy")
    out = tmp_path / "core" / "model-best"  # parent folders are made as nlp/train.sh needs
    done = run("nb_barnekoordinator_sm", str(out))
    assert done.returncode == 0, done.stderr
    core = spacy.load(out)
    assert core.pipe_names == ["tok2vec", "morphologizer", "trainable_lemmatizer", "parser"]
    doc = core("Barna har fått hjelp fra kommunen.")
    assert doc[0].pos_ == "NOUN" and doc[2].dep_ == "ROOT"


def test_a_pipeline_without_a_core_is_refused(tmp_path):
    spacy = pytest.importorskip("spacy")
    ner_only = tmp_path / "ner-only"
    nlp = spacy.blank("nb")
    nlp.add_pipe("ner")
    nlp.initialize()
    nlp.to_disk(ner_only)
    done = run(str(ner_only), str(tmp_path / "out"))
    assert done.returncode != 0
    assert "not a trained core pipeline" in done.stderr
    assert not (tmp_path / "out").exists()
