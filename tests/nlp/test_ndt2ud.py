"""The NDT -> UD tree converter gives UD-style trees (content words as heads) and valid trees."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "nlp" / "scripts"))

from ndt2ud import convert_tree, learn  # noqa: E402


def ndt(rows):
    """An NDT sentence from (form, lemma, pos, feats, head, deprel) rows."""
    return [
        [str(i), f, lem, pos, pos, feats, str(h), rel, "_", "name=O"]
        for i, (f, lem, pos, feats, h, rel) in enumerate(rows, start=1)
    ]


# "Hun har kjøpt boka i Oslo og Bergen ."
SENT = ndt(
    [
        ("Hun", "hun", "pron", "fem|ent|pers|3|nom", 2, "SUBJ"),
        ("har", "ha", "verb", "pres", 0, "FINV"),
        ("kjøpt", "kjøpe", "verb", "perf-part", 2, "INFV"),
        ("boka", "bok", "subst", "appell|fem|be|ent", 3, "DOBJ"),
        ("i", "i", "prep", "_", 3, "ADV"),
        ("Oslo", "Oslo", "subst", "prop", 5, "PUTFYLL"),
        ("og", "og", "konj", "<ikke-clb>", 8, "KONJ"),
        ("Bergen", "Bergen", "subst", "prop", 6, "KOORD"),
        (".", "$.", "clb", "<punkt>", 2, "IP"),
    ]
)


def assert_tree(tree):
    heads = [h for h, _ in tree]
    assert sum(h == 0 for h in heads) == 1
    assert all(0 <= h <= len(heads) for h in heads)
    for i in range(1, len(heads) + 1):  # every token reaches the root without a cycle
        seen, x = set(), i
        while x:
            assert x not in seen
            seen.add(x)
            x = heads[x - 1]


def test_auxiliary_attaches_to_main_verb():
    tree = convert_tree(SENT)
    assert tree[2] == (0, "root")  # kjøpt
    assert tree[1] == (3, "aux")  # har -> kjøpt
    assert tree[0] == (3, "nsubj")  # the subject moves to the main verb
    assert tree[3] == (3, "obj")


def test_preposition_is_case_on_its_noun():
    tree = convert_tree(SENT)
    assert tree[4] == (6, "case")  # i -> Oslo
    assert tree[5][0] == 3  # Oslo -> kjøpt
    assert tree[5][1] in ("obl", "nmod")


def test_coordination_gives_cc_and_conj():
    tree = convert_tree(SENT)
    assert tree[6] == (8, "cc")  # og -> Bergen
    assert tree[7] == (6, "conj")  # Bergen -> Oslo
    assert tree[8] == (3, "punct")


def test_copula_and_infinitive_marker():
    # "Det er lett å se ."
    sent = ndt(
        [
            ("Det", "det", "pron", "nøyt|ent|pers|3", 2, "FSUBJ"),
            ("er", "være", "verb", "pres", 0, "FINV"),
            ("lett", "lett", "adj", "nøyt|ub|ent|pos", 2, "SPRED"),
            ("å", "å", "inf-merke", "_", 2, "PSUBJ"),
            ("se", "se", "verb", "inf", 4, "INFV"),
            (".", "$.", "clb", "<punkt>", 2, "IP"),
        ]
    )
    tree = convert_tree(sent)
    assert tree[2] == (0, "root")
    assert tree[1] == (3, "cop")
    assert tree[3] == (5, "mark")
    assert tree[4][0] == 3


def test_always_a_tree_even_on_broken_input():
    broken = [
        ndt([("a", "a", "subst", "_", 2, "SUBJ"), ("b", "b", "verb", "pres", 1, "FINV")]),  # cycle
        ndt([("a", "a", "subst", "_", 0, "FRAG"), ("b", "b", "subst", "_", 0, "FRAG")]),  # 2 roots
        ndt([("a", "a", "prep", "_", 7, "ADV"), ("b", "b", "subst", "_", 1, "PUTFYLL")]),
        ndt([("a", "a", "verb", "pres", 1, "FINV")]),  # self loop
        ndt([("a", "a", "subst", "_", 0, "FRAG"), ("b", "b", "subst", "_", "x", "ATR")]),
    ]
    for sent in broken + [SENT]:
        tree = convert_tree(sent)
        assert len(tree) == len(sent)
        assert_tree(tree)
    assert convert_tree([]) == []


def test_learned_table_is_used():
    # A table learned from one aligned pair reproduces that pair's labels.
    ud = [list(t) for t in SENT]
    gold = [(3, "nsubj"), (3, "aux"), (0, "root"), (3, "obj"), (6, "case"), (3, "obl")]
    gold += [(8, "cc"), (6, "conj"), (3, "punct")]
    for t, (h, lab) in zip(ud, gold):
        t[6], t[7] = str(h), lab
    assert convert_tree(SENT, learn([(SENT, ud)])) == gold
