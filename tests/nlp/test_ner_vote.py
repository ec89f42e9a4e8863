"""The NER vote (nlp/scripts/ner_vote.py): an entity is kept when most member models found it."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "nlp" / "scripts"))

from ner_vote import vote  # noqa: E402

PER, LOC = (0, 2, "PER"), (5, 6, "GPE_LOC")


def test_an_entity_most_members_found_is_kept():
    assert vote([[PER, LOC], [PER], [LOC, PER]]) == [PER, LOC]


def test_an_entity_only_one_member_found_is_dropped():
    assert vote([[PER, (3, 4, "ORG")], [PER], [PER]]) == [PER]


def test_same_span_with_different_labels_does_not_add_up():
    # Two members say ORG, one says PER: ORG wins; three different labels: nothing.
    assert vote([[(0, 1, "ORG")], [(0, 1, "ORG")], [(0, 1, "PER")]]) == [(0, 1, "ORG")]
    assert vote([[(0, 1, "ORG")], [(0, 1, "PER")], [(0, 1, "GPE_ORG")]]) == []


def test_different_boundaries_do_not_add_up():
    assert vote([[(0, 2, "PER")], [(0, 1, "PER")], [(1, 2, "PER")]]) == []


def test_one_member_is_passed_through_and_two_must_agree():
    assert vote([[LOC, PER]]) == [PER, LOC]
    assert vote([[PER, LOC], [PER]]) == [PER]
    assert vote([]) == []


def test_chosen_entities_never_overlap():
    # Not possible with members that each give non-overlapping entities, but a member with a
    # repeated entity must not count twice and the result must stay valid for doc.ents.
    assert vote([[(0, 2, "PER"), (0, 2, "PER")], [(1, 3, "PER")], [(0, 2, "PER")]]) == [
        (0, 2, "PER")
    ]


TRAIN = [
    ("Kari Hansen bor i Bergen .", [(0, 2, "PER"), (4, 5, "GPE_LOC")]),
    ("Ola Nilsen flyttet til Tromsø i fjor .", [(0, 2, "PER"), (4, 5, "GPE_LOC")]),
    ("Vi møtte Per Olsen i Oslo .", [(2, 4, "PER"), (5, 6, "GPE_LOC")]),
    ("Barnet går på skole i Bodø .", [(5, 6, "GPE_LOC")]),
    ("Anne Berg jobber i Stavanger .", [(0, 2, "PER"), (4, 5, "GPE_LOC")]),
]


def _trained_member(seed: int):
    """A tiny NER trained for a few seconds: enough to find the names it was taught."""
    import spacy
    from spacy.tokens import Doc, Span
    from spacy.training import Example
    from thinc.api import fix_random_seed

    fix_random_seed(seed)
    random.seed(seed)
    nlp = spacy.blank("nb")
    ner = nlp.add_pipe(
        "ner",
        config={
            "model": {
                "@architectures": "spacy.TransitionBasedParser.v2",
                "state_type": "ner",
                "hidden_width": 32,
                "maxout_pieces": 2,
                "use_upper": True,
                "tok2vec": {
                    "@architectures": "spacy.HashEmbedCNN.v2",
                    "pretrained_vectors": None,
                    "width": 32,
                    "depth": 2,
                    "embed_size": 500,
                    "window_size": 1,
                    "maxout_pieces": 2,
                    "subword_features": True,
                },
            }
        },
    )
    examples = []
    for text, ents in TRAIN:
        ref = Doc(nlp.vocab, words=text.split())
        ref.ents = [Span(ref, s, e, label=lab) for s, e, lab in ents]
        examples.append(Example(Doc(nlp.vocab, words=text.split()), ref))
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(40):
        random.shuffle(examples)
        nlp.update(examples, sgd=optimizer, drop=0.0)
    return nlp, ner


@pytest.fixture(scope="module")
def voting_nlp():
    import spacy

    nlp = spacy.blank("nb")
    v = nlp.add_pipe("ner_vote", name="ner")
    for seed in (0, 1, 2):
        member_nlp, member = _trained_member(seed)
        v.add_member(member, member_nlp.config["components"]["ner"])
    return nlp


def _ents(nlp, text):
    return [(e.text, e.label_) for e in nlp(text).ents]


def test_voting_pipeline_finds_the_names_its_members_agree_on(voting_nlp):
    v = voting_nlp.get_pipe("ner")
    doc = voting_nlp.make_doc("Kari Hansen bor i Bergen .")
    per_member = [[(e.start, e.end, e.label_) for e in m(doc.copy()).ents] for m in v.members]
    expected = vote(per_member)
    assert expected, per_member  # the members learned something to vote on
    assert [(e.start, e.end, e.label_) for e in voting_nlp(doc.text).ents] == expected
    assert set(v.labels) == {"PER", "GPE_LOC"}


def test_saved_with_16_bit_weights_and_loads_with_the_same_answers(voting_nlp, tmp_path):
    import numpy
    import spacy
    import srsly

    texts = [t for t, _ in TRAIN] + ["Mamma ringte Kari i Tromsø .", "", "   "]
    before = [_ents(voting_nlp, t) for t in texts]
    voting_nlp.to_disk(tmp_path / "pipe")
    member_file = tmp_path / "pipe" / "ner" / "member0" / "model"
    weights = [
        v for p in srsly.msgpack_loads(member_file.read_bytes())["params"] for v in p.values()
    ]
    assert {w.dtype for w in weights if isinstance(w, numpy.ndarray)} == {numpy.dtype("float16")}
    loaded = spacy.load(tmp_path / "pipe")
    assert loaded.pipe_names == ["ner"]
    assert len(loaded.get_pipe("ner").members) == 3
    assert [_ents(loaded, t) for t in texts] == before
    # The same through nlp.pipe (batches) as one text at a time.
    assert [[(e.text, e.label_) for e in d.ents] for d in loaded.pipe(texts, batch_size=3)] == before


def test_entities_set_before_the_vote_are_kept(voting_nlp):
    from spacy.tokens import Span

    doc = voting_nlp.make_doc("Barnet går på skole i Bodø .")
    doc.ents = [Span(doc, 0, 1, label="PER")]  # as an entity ruler before the NER would
    doc = voting_nlp.get_pipe("ner")(doc)
    assert ("Barnet", "PER") in [(e.text, e.label_) for e in doc.ents]


def test_a_vote_without_members_says_so():
    import spacy

    nlp = spacy.blank("nb")
    nlp.add_pipe("ner_vote", name="ner")
    with pytest.raises(ValueError, match="no NER members"):
        nlp("Kari bor i Bergen.")
    with pytest.raises(ValueError, match="no NER members"):
        list(nlp.pipe(["Kari bor i Bergen."]))
