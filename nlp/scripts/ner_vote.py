"""A named-entity component that lets several NER models vote.

The members are ordinary spaCy NER models of the same architecture, trained on the same data
with different random seeds. Each one reads the text on its own; an entity is kept when more
than half of the members found exactly that span with that label. Members disagree mostly on
names none of them saw in training, so the vote removes more wrong entities than right ones.

Members are stored with 16-bit weights (half the size on disk; the dev scores are the same to
the fourth decimal) and computed with 32-bit weights after loading. Shipped inside the package
(spaCy's packager copies this file and imports it, which registers the `ner_vote` factory).
"""

from __future__ import annotations

import collections
from pathlib import Path
from typing import Iterable, Sequence

import numpy
import srsly
from spacy.language import Language
from spacy.scorer import get_ner_prf
from spacy.tokens import Doc, Span
from spacy.util import minibatch

MEMBERS_FILE = "members.json"


def vote(predictions: Sequence[Iterable[tuple[int, int, str]]]) -> list[tuple[int, int, str]]:
    """The (start, end, label) entities that more than half of the predictions contain,
    sorted by position. With a strict majority two chosen entities cannot overlap (some member
    would have had to find both), but overlaps are dropped anyway if members ever share a
    token between two of their own entities."""
    need = len(predictions) // 2 + 1
    counts = collections.Counter(ent for pred in predictions for ent in set(pred))
    chosen, end = [], -1
    for start, stop, label in sorted(e for e, n in counts.items() if n >= need):
        if start >= end:
            chosen.append((start, stop, label))
            end = stop
    return chosen


def _cast_params(model_bytes: bytes, dtype: str) -> bytes:
    """A thinc model's serialized weights with every float array cast to dtype."""
    msg = srsly.msgpack_loads(model_bytes)
    for params in msg["params"]:
        for name, value in params.items():
            if isinstance(value, numpy.ndarray) and value.dtype.kind == "f":
                params[name] = value.astype(dtype)
    return srsly.msgpack_dumps(msg)


class NerVote:
    def __init__(self, nlp: Language, name: str = "ner"):
        self.nlp = nlp
        self.name = name
        self.members: list = []
        self.member_configs: list[dict] = []

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(sorted({lab for m in self.members for lab in m.labels}))

    def add_member(self, pipe, config: dict) -> None:
        """Add a trained NER component; config is its block from the training config
        (factory and model), used to rebuild it when the pipeline is loaded."""
        for label in pipe.labels:  # a member trained in another pipeline brings its labels
            self.nlp.vocab.strings.add(label)
        self.members.append(pipe)
        self.member_configs.append(dict(config))

    def _predict(self, docs: list[Doc]) -> list[list[tuple[int, int, str]]]:
        if not self.members:
            raise ValueError(f"{self.name}: no NER members; add them with add_member()")
        per_member = []
        for member in self.members:
            copies = member.pipe([d.copy() for d in docs], batch_size=len(docs))
            per_member.append([[(e.start, e.end, e.label_) for e in c.ents] for c in copies])
        return [vote([m[i] for m in per_member]) for i in range(len(docs))]

    def _set(self, doc: Doc, ents: list[tuple[int, int, str]]) -> None:
        doc.set_ents([Span(doc, s, e, label=lab) for s, e, lab in ents], default="outside")

    def __call__(self, doc: Doc) -> Doc:
        self._set(doc, self._predict([doc])[0])
        return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128):
        for batch in minibatch(stream, size=batch_size):
            for doc, ents in zip(batch, self._predict(batch)):
                self._set(doc, ents)
                yield doc

    def score(self, examples, **kwargs):
        return get_ner_prf(examples, **kwargs)

    def to_disk(self, path, exclude=tuple()):
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / MEMBERS_FILE, self.member_configs)
        for i, member in enumerate(self.members):
            mdir = path / f"member{i}"
            member.to_disk(mdir, exclude=["vocab", "model"])
            (mdir / "model").write_bytes(_cast_params(member.model.to_bytes(), "float16"))

    def from_disk(self, path, exclude=tuple()):
        path = Path(path)
        self.members, self.member_configs = [], []
        for i, config in enumerate(srsly.read_json(path / MEMBERS_FILE)):
            cfg = {k: v for k, v in config.items() if k != "factory"}
            member = self.nlp.create_pipe(config["factory"], name=f"{self.name}_{i}", config=cfg)
            mdir = path / f"member{i}"
            member.from_disk(mdir, exclude=["vocab", "model"])
            member._resize()  # as spaCy's own from_disk does: output layer sized to the labels
            member.model.from_bytes(_cast_params((mdir / "model").read_bytes(), "float32"))
            self.add_member(member, config)
        return self


def make_ner_vote(nlp, name: str):
    return NerVote(nlp, name)


# Register once: a process may import both this file (nlp/scripts) and the copy inside the
# installed package; both are the same code (tests/nlp/test_pipeline.py checks it).
if not Language.has_factory("ner_vote"):
    Language.factory("ner_vote")(make_ner_vote)
