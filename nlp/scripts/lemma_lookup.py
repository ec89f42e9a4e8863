"""A lemma lookup component: training-data lemmas for word forms the corpus spells unambiguously.

Runs after the trainable lemmatizer. It guesses the written standard of the text (Bokmål or
Nynorsk, from frequent marker words; Bokmål when unsure). For a token whose (lower-case form,
predicted UPOS), or form alone, was seen in that standard's training data at least twice and
at least 97 % of the time with the same lemma, it sets that lemma; otherwise the edit-tree
lemmatizer's lemma stays. Proper nouns keep their written form (see propn_lemma). Shipped inside the package (spaCy's
packager copies this file and imports it, which registers the factory).
"""

from __future__ import annotations

import collections
from pathlib import Path

import srsly
from spacy.language import Language

SKIP_POS = {"PROPN", "PUNCT", "NUM", "X", "SYM"}


def propn_lemma(form: str, predicted: str) -> str:
    """UD keeps a proper noun as it is written, except for the genitive -s ("NATOs" -> "NATO").
    The edit-tree lemmatizer sometimes treats names as common nouns ("Regjeringen" ->
    "regjering"); keep the form unless it predicted exactly the genitive."""
    if len(form) > 2 and form[-1] in "s'" and predicted.lower() == form[:-1].lower():
        return form[:-1]
    return form


# Frequent words that differ between the two written standards: Nynorsk / Bokmål.
NYNORSK_MARKERS = {
    "ikkje",
    "eg",
    "ein",
    "eit",
    "frå",
    "kva",
    "kven",
    "korleis",
    "kvifor",
    "korfor",
    "ho",
    "dei",
    "dykk",
    "berre",
    "mykje",
    "noko",
    "nokon",
    "vere",
    "vore",
    "heile",
    "då",
    "no",
    "fekk",
    "me",
    "vart",
    "sjølv",
    "kvar",
    "òg",
    "enno",
}
BOKMAL_MARKERS = {
    "ikke",
    "jeg",
    "en",
    "et",
    "fra",
    "hva",
    "hvem",
    "hvordan",
    "hvorfor",
    "hun",
    "de",
    "dere",
    "bare",
    "mye",
    "noe",
    "noen",
    "være",
    "vært",
    "hele",
    "da",
    "nå",
    "fikk",
    "vi",
    "ble",
    "selv",
    "hver",
    "fortsatt",
    "enda",
}


def standard(doc) -> str:
    """'nno' when a text has more Nynorsk than Bokmål marker words, else 'nob'."""
    words = [t.lower_ for t in doc]
    nn = sum(w in NYNORSK_MARKERS for w in words)
    bm = sum(w in BOKMAL_MARKERS for w in words)
    return "nno" if nn > bm else "nob"


class LemmaLookup:
    def __init__(self, nlp, name: str = "lemma_lookup"):
        self.name = name
        self.tables: dict[str, dict[str, str]] = {"nob": {}, "nno": {}}

    @staticmethod
    def key(form: str, pos: str) -> str:
        return f"{form.lower()}\t{pos}"

    def __call__(self, doc):
        table = self.tables.get(standard(doc), {})
        for tok in doc:
            if tok.pos_ == "PROPN":
                tok.lemma_ = propn_lemma(tok.text, tok.lemma_)
                continue
            if tok.pos_ in SKIP_POS:
                continue
            lemma = table.get(self.key(tok.text, tok.pos_))
            if lemma is None:
                lemma = table.get(self.key(tok.text, "*"))
            if lemma is not None:
                tok.lemma_ = lemma
        return doc

    def build(self, corpora: dict, min_count: int = 2, min_share: float = 0.97) -> int:
        """corpora: {"nob": docs, "nno": docs}. One table per written standard, because a
        shared form can have different lemmas (Bokmål "søkte" -> "søke", Nynorsk -> "søkje")."""
        self.tables = {}
        for lang, docs in corpora.items():
            counts: dict = collections.defaultdict(collections.Counter)
            for doc in docs:
                for tok in doc:
                    if tok.pos_ not in SKIP_POS and tok.lemma_:
                        counts[self.key(tok.text, tok.pos_)][tok.lemma_] += 1
                        counts[self.key(tok.text, "*")][tok.lemma_] += 1
            table = {}
            for k, c in counts.items():
                lemma, n = c.most_common(1)[0]
                total = sum(c.values())
                if total >= min_count and n / total >= min_share:
                    table[k] = lemma
            self.tables[lang] = table
        return sum(len(t) for t in self.tables.values())

    def to_disk(self, path, exclude=tuple()):
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_msgpack(path / "tables.msgpack", self.tables)

    def from_disk(self, path, exclude=tuple()):
        self.tables = srsly.read_msgpack(Path(path) / "tables.msgpack")
        return self


def make_lemma_lookup(nlp, name: str):
    return LemmaLookup(nlp, name)


# Register once: a process may import both this file (nlp/scripts) and the copy inside the
# installed package; both are the same code (tests/nlp/test_pipeline.py checks it).
if not Language.has_factory("lemma_lookup"):
    Language.factory("lemma_lookup")(make_lemma_lookup)
