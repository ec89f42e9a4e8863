"""Rule-based conversion of NDT dependency trees to Universal Dependencies trees (Norwegian).

Usage: python nlp/scripts/ndt2ud.py NORNE_DIR [-v]   (-v: also print the main disagreements)

With a NorNE copy as argument it aligns the NDT sentences of the dev split with the UD dev files
(nob and nno) by sentence text and prints how well converted NDT trees agree with the gold UD
trees (UAS/LAS, token level, punctuation included), as a two-fold estimate: the label table is
learned on one half of the aligned dev sentences and scored on the other, and vice versa.
Only the DEV files are read; the test files are never touched.

API (e.g. for convert.py):
    table = learn(pairs)                    # pairs: [(ndt_sentence, ud_sentence), ...] (dev only)
    tree = convert_tree(sent, table)        # [(ud_head, ud_label), ...], heads 1-based, 0 = root

The structure is rule based, in the spirit of the Øvrelid & Hohle (2016) conversion: content
words become heads. A function word F (auxiliary with an INFV complement, copula 'være/vere'
with an SPRED complement, preposition with a PUTFYLL complement, infinitive marker 'å' with its
verb) hands its position in the tree to its complement C: C takes F's head, F attaches to C, and
F's other dependents move to C. Chains (har -> vært -> i -> huset) collapse to the last content
word. Labels come from a back-off table learned from aligned pairs, with fixed defaults.
"""

from __future__ import annotations

import collections
import glob
import os
import sys

# Verbs that are auxiliaries in UD when they take an INFV (non-finite verb) complement.
AUX_LEMMAS = {
    "ha",
    "kunne",
    "skulle",
    "måtte",
    "ville",
    "vilje",
    "bli",
    "verte",
    "være",
    "vere",
    "få",
    "burde",
    "tørre",
}
# Copula verbs: their SPRED (predicative) becomes the head of the clause.
COP_LEMMAS = {"være", "vere"}
CLOSED_POS = {"det", "pron", "sbu", "prep", "adv", "konj", "inf-merke"}
PUNCT_POS = {"clb", "<komma>", "<anf>", "<parentes-beg>", "<parentes-slutt>", "<strek>"}

# Default labels when the learned table has nothing (or no table is given).
FUNC_DEFAULT = {"aux": "aux", "cop": "cop", "case": "case", "mark": "mark"}
DEP_DEFAULT = {
    "SUBJ": "nsubj",
    "DOBJ": "obj",
    "IOBJ": "iobj",
    "FOBJ": "obj",
    "POBJ": "obj",
    "PSUBJ": "nsubj",
    "SPRED": "xcomp",
    "OPRED": "xcomp",
    "DET": "det",
    "KONJ": "cc",
    "KOORD": "conj",
    "KOORD-ELL": "conj",
    "IK": "punct",
    "IP": "punct",
    "FLAT": "flat:name",
    "ATR": "amod",
    "ADV": "advmod",
    "SBU": "mark",
    "APP": "appos",
    "INFV": "xcomp",
    "PUTFYLL": "obl",
    "PAR": "parataxis",
    "FRAG": "root",
    "FINV": "root",
    "INTERJ": "discourse",
    "VOK": "vocative",
}


# ---------------------------------------------------------------- structure


def _children(sent) -> dict[int, list[int]]:
    kids: dict[int, list[int]] = collections.defaultdict(list)
    for t in sent:
        kids[_head(t, len(sent))].append(int(t[0]))
    return kids


def _head(t, n: int) -> int:
    """NDT head of a token, 0 when missing or out of range."""
    try:
        h = int(t[6])
    except ValueError:
        return 0
    return h if 0 <= h <= n and h != int(t[0]) else 0


def _complements(sent) -> dict[int, tuple[int, str]]:
    """Function word -> (complement token, kind of function word)."""
    kids = _children(sent)
    comp: dict[int, tuple[int, str]] = {}
    for t in sent:
        i, lemma, pos = int(t[0]), t[2].lower(), t[3]
        by_rel: dict[str, list[int]] = collections.defaultdict(list)
        for k in kids.get(i, []):
            by_rel[sent[k - 1][7]].append(k)
        if pos == "prep" and by_rel["PUTFYLL"]:
            comp[i] = (by_rel["PUTFYLL"][0], "case")
        elif pos == "inf-merke" and by_rel["INFV"]:
            comp[i] = (by_rel["INFV"][0], "mark")
        elif pos == "verb" and lemma in AUX_LEMMAS and by_rel["INFV"]:
            comp[i] = (by_rel["INFV"][0], "aux")
        elif pos == "verb" and lemma in COP_LEMMAS and by_rel["SPRED"]:
            comp[i] = (by_rel["SPRED"][0], "cop")
    return comp


def analyse(sent):
    """The converted structure of an NDT sentence, before labelling.

    Returns (heads, info): heads[i] is the UD head of token i+1; info[i] describes the token:
    ("F", kind, top) for a function word that handed its position to a complement, or
    ("C", top, chain_kinds) for a content word that takes the position of `top` (itself if
    nothing was promoted), chain_kinds being the kinds of the function words above it.
    """
    n = len(sent)
    comp = _complements(sent)
    is_comp = {c for c, _ in comp.values()}

    def chain(x: int) -> list[int]:
        out, seen = [x], {x}
        while out[-1] in comp and comp[out[-1]][0] not in seen:
            out.append(comp[out[-1]][0])
            seen.add(out[-1])
        return out

    rep = {}
    for i in range(1, n + 1):
        rep[i] = chain(i)[-1]
    heads = [0] * n
    info: list = [None] * n
    for x in range(1, n + 1):
        if x in is_comp and _head(sent[x - 1], n) in comp and comp[_head(sent[x - 1], n)][0] == x:
            continue  # x is inside the chain of its head
        ch = chain(x)
        r = ch[-1]
        h = _head(sent[x - 1], n)
        heads[r - 1] = rep[h] if h else 0
        kinds = tuple(comp[f][1] for f in ch[:-1])
        info[r - 1] = ("C", x, kinds)
        for f in ch[:-1]:
            heads[f - 1] = r
            info[f - 1] = ("F", comp[f][1], x)
    for i in range(n):  # tokens never reached (only with broken input): keep NDT head
        if info[i] is None:
            info[i] = ("C", i + 1, ())
            heads[i] = _head(sent[i], n)
    return _repair(heads), info


def _repair(heads: list[int]) -> list[int]:
    """Make a valid tree: heads in range, exactly one root, no cycles."""
    n = len(heads)
    heads = [h if 0 <= h <= n and h != i + 1 else 0 for i, h in enumerate(heads)]
    roots = [i + 1 for i, h in enumerate(heads) if h == 0]
    root = roots[0] if roots else 1
    heads[root - 1] = 0
    for r in roots[1:]:
        heads[r - 1] = root
    # Break cycles: walk up from every token; a token on a cycle is attached to the root.
    for i in range(1, n + 1):
        seen, x = set(), i
        while x and x not in seen:
            seen.add(x)
            x = heads[x - 1]
        if x:  # came back to a token already seen: cycle through x
            heads[x - 1] = root if x != root else 0
    return heads


# ---------------------------------------------------------------- labels


def _feats(t) -> str:
    f = set(t[5].split("|"))
    keep = ("prop", "pass", "inf", "perf-part", "pres-part", "imp", "pres", "pret", "poss", "kvant")
    return "+".join(x for x in keep if x in f)


def label_keys(sent, heads, info) -> list[list[tuple]]:
    """Back-off keys, most specific first, for the UD label of each token."""
    kids = collections.defaultdict(list)
    for i, h in enumerate(heads):
        kids[h].append(i + 1)
    out = []
    for i, t in enumerate(sent):
        h = heads[i]
        hpos = sent[h - 1][3] if h else "ROOT"
        if info[i][0] == "F":
            kind, lemma = info[i][1], t[2].lower()
            topdep = sent[info[i][2] - 1][7]
            rpos = hpos  # a function word hangs on its content word
            # The whole chain (e.g. case+mark+cop+case: a preposition taking a clause).
            chain = "+".join(info[h - 1][2]) if h and info[h - 1][0] == "C" else ""
            kinds = info[h - 1][2] if h and info[h - 1][0] == "C" else ()
            clausal = rpos == "verb" or any(k in ("cop", "aux", "mark") for k in kinds)
            out.append(
                [
                    ("F", kind, lemma, topdep, rpos, chain, _feats(sent[h - 1]) if h else ""),
                    ("F", kind, lemma, topdep, rpos, chain),
                    ("F", kind, lemma, chain),
                    ("F", kind, lemma, clausal),
                    ("F", kind, clausal, topdep),
                    ("F", kind, clausal),
                    ("F", kind),
                ]
            )
            continue
        top = sent[info[i][1] - 1]
        dep, kinds = top[7], "+".join(info[i][2])
        direction = "L" if h and h > i + 1 else "R"
        # NDT relation of the phrase the UD head stands for (e.g. SPRED for a cleft's focus).
        hdep = sent[info[h - 1][1] - 1][7] if h and info[h - 1][0] == "C" else "ROOT"
        hlemma = sent[h - 1][2].lower() if h else ""
        # What the UD head already has (for 'som' as subject/object of a relative clause).
        sib = (
            tuple(
                sorted(
                    {
                        sent[info[k - 1][1] - 1][7]
                        for k in kids[h]
                        if k != i + 1
                        and info[k - 1][0] == "C"
                        and sent[info[k - 1][1] - 1][7] in ("SUBJ", "DOBJ", "FSUBJ", "IOBJ")
                    }
                )
            )
            if h
            else ()
        )
        # Clause-level signals on the content word: subordinator / subject / passive.
        marks = "+".join(
            sorted(
                {
                    sent[k - 1][2].lower()
                    for k in kids[i + 1]
                    if sent[k - 1][7] == "SBU" or sent[k - 1][3] == "sbu"
                }
            )
        )
        has_subj = any(sent[k - 1][7] == "SUBJ" for k in kids[i + 1])
        passive = "pass" in t[5].split("|") or any(
            info[k - 1][0] == "F" and sent[k - 1][2].lower() in ("bli", "verte")
            for k in kids[i + 1]
        )
        h_passive = bool(h) and (
            "pass" in sent[h - 1][5].split("|")
            or any(
                info[k - 1][0] == "F"
                and info[k - 1][1] == "aux"
                and sent[k - 1][2].lower() in ("bli", "verte")
                and "perf-part" in sent[h - 1][5]
                for k in kids[h]
            )
        )
        pos, feats, lemma = t[3], _feats(t), t[2].lower()
        if any(c.isdigit() for c in t[1]):
            lemma = "<num>"
        keys = []
        if pos in CLOSED_POS:
            keys += [
                ("CL0", dep, pos, lemma, feats, hpos, kinds, sib, h_passive, hdep),
                ("CL1", dep, pos, lemma, feats, hpos, kinds, sib),
                ("CL2", dep, pos, lemma, hpos, kinds),
            ]
        if pos == "prep" and not kinds:
            keys.append(("CP", dep, lemma, hlemma))
        if pos == "verb":
            keys.append(("CVL", dep, feats, hlemma, kinds, bool(marks)))
            keys.append(("CV", dep, hpos, hdep, kinds, bool(marks), h_passive))
        out.append(
            keys
            + [
                (
                    "C0",
                    dep,
                    pos,
                    feats,
                    hpos,
                    kinds,
                    direction,
                    marks,
                    has_subj,
                    h_passive,
                    passive,
                    hdep,
                ),
                ("C1", dep, pos, feats, hpos, kinds, direction, bool(marks), has_subj, h_passive),
                ("C1L", dep, pos, lemma, hpos, kinds),
                ("C2", dep, pos, hpos, kinds, direction, bool(marks), has_subj, h_passive),
                ("C3", dep, pos, hpos, kinds, bool(marks), has_subj),
                ("C4", dep, pos, hpos, kinds),
                ("C5", dep, pos, kinds),
                ("C6", dep, kinds),
                ("C7", dep),
            ]
        )
    return out


def _default_label(sent, heads, info, i: int) -> str:
    """Label of a content word when the learned table has no entry (plain rules)."""
    dep, pos = sent[info[i][1] - 1][7], sent[i][3]
    h = heads[i]
    hpos = sent[h - 1][3] if h else "ROOT"
    if pos in PUNCT_POS:
        return "punct"
    if dep in ("KOORD", "KOORD-ELL", "KONJ", "FLAT", "SBU", "DET", "IK", "IP"):
        return DEP_DEFAULT[dep]
    if "case" in info[i][2]:
        return "nmod" if hpos in ("subst", "pron") else "obl"
    if dep == "ATR":
        return {"adj": "amod", "verb": "acl", "det": "det"}.get(pos, "nmod")
    return DEP_DEFAULT.get(dep, "dep")


def learn(pairs) -> dict:
    """Label table from aligned (NDT sentence, UD sentence) pairs (use the DEV alignment only)."""
    counts: dict = collections.defaultdict(collections.Counter)
    for ndt, ud in pairs:
        heads, info = analyse(ndt)
        for keys, u in zip(label_keys(ndt, heads, info), ud):
            for k in keys:
                counts[k][u[7]] += 1
    return {k: c.most_common(1)[0][0] for k, c in counts.items()}


def convert_tree(sent, table: dict | None = None) -> list[tuple[int, str]]:
    """UD (head, label) for every token of an NDT sentence (list of column lists)."""
    if not sent:
        return []
    heads, info = analyse(sent)
    table = table or {}
    out = []
    for i, keys in enumerate(label_keys(sent, heads, info)):
        if heads[i] == 0:
            out.append((0, "root"))
            continue
        for k in keys:
            if k in table:
                lab = table[k]
                break
        else:
            if info[i][0] == "F":
                lab = FUNC_DEFAULT[info[i][1]]
            else:
                lab = _default_label(sent, heads, info, i)
        if lab == "root":  # only the root token may carry it
            lab = "dep"
        out.append((heads[i], lab))
    return out


# ---------------------------------------------------------------- measurement on dev


def align_dev(norne: str, lang: str) -> list[tuple[list, list]]:
    """(NDT sentence, UD dev sentence) pairs with the same text, from NDT dev-split files.

    An NDT file counts as dev when most of its sentences are UD dev sentences (for nob this is
    the DATA.md dev range). Test files are never opened.
    """
    from convert import LANGS, key, read_conllu, read_ndt

    ud = read_conllu(f"{norne}/ud/{lang}/{LANGS[lang]}-ud-dev.conllu")
    by_key = {key(s): s for s in ud}
    pairs, seen = [], set()
    for path in sorted(glob.glob(f"{norne}/ndt/{lang}/*.conll")):
        sents = read_ndt(path)
        if sum(key(s) in by_key for s in sents) <= len(sents) / 2:
            continue
        for s in sents:
            k = key(s)
            if k in by_key and k not in seen:
                seen.add(k)
                pairs.append((s, by_key[k]))
    return pairs


def score(pairs, table, confusion=None) -> dict:
    tok = uas = las = 0
    for ndt, ud in pairs:
        for i, ((h, lab), u) in enumerate(zip(convert_tree(ndt, table), ud)):
            tok += 1
            hit = h == int(u[6])
            uas += hit
            las += hit and lab == u[7]
            if confusion is not None and not (hit and lab == u[7]):
                t = ndt[i]
                what = "head" if not hit else "label"
                confusion[(what, t[7], t[3], lab, u[7])] += 1
    return {"sentences": len(pairs), "tokens": tok, "uas": uas / tok, "las": las / tok}


def two_fold(pairs, confusion=None) -> dict:
    halves = (pairs[0::2], pairs[1::2])
    tok = uas = las = 0
    for a, b in ((0, 1), (1, 0)):
        r = score(halves[b], learn(halves[a]), confusion)
        tok += r["tokens"]
        uas += r["uas"] * r["tokens"]
        las += r["las"] * r["tokens"]
    return {"sentences": len(pairs), "tokens": tok, "uas": uas / tok, "las": las / tok}


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__)
        return 0 if len(argv) > 1 else 2
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    verbose = "-v" in argv
    for lang in ("nob", "nno"):
        pairs = align_dev(argv[1], lang)
        conf: collections.Counter = collections.Counter()
        r = two_fold(pairs, conf)
        print(
            f"{lang} dev (two-fold): {r['sentences']} sentences, {r['tokens']} tokens, "
            f"UAS {r['uas']:.4f}, LAS {r['las']:.4f}"
        )
        r0 = score(pairs, None)
        print(
            f"{lang} dev (rules + default labels, no table): UAS {r0['uas']:.4f}, LAS {r0['las']:.4f}"
        )
        if verbose:
            for k, c in conf.most_common(40):
                print(f"   {c:5d}  {k}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
