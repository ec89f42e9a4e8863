"""Convert NorNE (NDT + UD files) into spaCy DocBin corpora for training and evaluation.

Usage: python nlp/scripts/convert.py NORNE_DIR OUT_DIR

NORNE_DIR is a copy of the public NorNE repository (GitHub: ltgoslo/norne) with
ndt/{nob,nno}/*.conll and ud/{nob,nno}/*-ud-{dev,test}.conllu. Nothing of it is copied into git.

What it writes to OUT_DIR (gitignored):
  train.spacy          NDT train files (also split by language: train-nob/nno.spacy), Bokmål + Nynorsk, with POS/morphology mapped to UD
                       and dependency trees converted to UD (ndt2ud.py; both mappings learned
                       from the DEV alignment only), NDT lemmas (identical to UD lemmas),
                       NorNE entities.
  dev.spacy            NDT dev files, converted the same way (model selection).
  test-{nob,nno}-ud.spacy   the UD test files as they are (everything is evaluated against these).
  stats.json           split, overlap check and mapping accuracy figures.
"""

from __future__ import annotations

import collections
import glob
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ndt2ud  # noqa: E402

LANGS = {"nob": "no_bokmaal", "nno": "no_nynorsk"}
SENTS_PER_DOC = 10

# The standard Bokmål split from DATA.md (NDT file stems, inclusive ranges).
NOB_TEST = [
    ("ap014_0003", "ap015_0002"),
    ("bt005_0006", "bt006_0001"),
    ("db014_0003", "db014_0007"),
    ("kk007_0001", "kk008_0000"),
    ("sp-bm003_0000", "sp-bm003_0001"),
    ("vg002_0005", "vg002_0005"),
    ("blogg-bm003_0003", "blogg-bm003_0004"),
    ("nou004_0002", "nou004_0002"),
    ("st005_0003", "st005_0004"),
]
NOB_DEV = [
    ("ap012_0003", "ap014_0002"),
    ("bt005_0002", "bt005_0005"),
    ("db013_0005", "db014_0002"),
    ("kk006_0000", "kk007_0000"),
    ("sp-bm002_0000", "sp-bm002_0001"),
    ("vg002_0004", "vg002_0004"),
    ("blogg-bm003_0001", "blogg-bm003_0002"),
    ("nou004_0001", "nou004_0001"),
    ("st005_0001", "st005_0002"),
]

# NDT POS -> UPOS, the last back-off of the learned mapping.
POS_FALLBACK = {
    "subst": "NOUN",
    "verb": "VERB",
    "adj": "ADJ",
    "adv": "ADV",
    "prep": "ADP",
    "konj": "CCONJ",
    "sbu": "SCONJ",
    "pron": "PRON",
    "det": "DET",
    "inf-merke": "PART",
    "interj": "INTJ",
    "ukjent": "X",
    "symb": "SYM",
    "clb": "PUNCT",
    "<komma>": "PUNCT",
    "<anf>": "PUNCT",
    "<parentes-beg>": "PUNCT",
    "<parentes-slutt>": "PUNCT",
    "<strek>": "PUNCT",
}


def read_ndt(path: str) -> list[list[list[str]]]:
    """Sentences of an NDT .conll file as lists of column lists."""
    sents, cur = [], []
    with open(path, encoding="utf8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line.strip():
                if cur:
                    sents.append(cur)
                    cur = []
                continue
            cur.append(line.split("\t"))
    if cur:
        sents.append(cur)
    return sents


def read_conllu(path: str) -> list[list[list[str]]]:
    """Sentences of a CoNLL-U file (no multiword tokens in Norwegian UD)."""
    sents, cur = [], []
    with open(path, encoding="utf8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if line.startswith("#"):
                continue
            if not line.strip():
                if cur:
                    sents.append(cur)
                    cur = []
                continue
            cols = line.split("\t")
            if "-" in cols[0] or "." in cols[0]:
                continue
            cur.append(cols)
    if cur:
        sents.append(cur)
    return sents


def key(sent) -> str:
    """Sentence text used to match sentences across formats (tokens joined by spaces)."""
    return " ".join(t[1] for t in sent)


def entity_tag(misc: str) -> str:
    for part in misc.split("|"):
        if part.startswith("name="):
            return part[5:]
    return "O"


# ---------------------------------------------------------------- NDT -> UD POS/morph mapping


def mapping_keys(sent) -> list[list[tuple]]:
    """Back-off keys, most specific first, for each token of an NDT sentence."""
    sig = collections.defaultdict(set)
    for t in sent:
        head = int(t[6])
        if t[7] in ("INFV", "SPRED"):
            sig[head].add(t[7])  # auxiliary / copula heads in NDT
        if t[7] == "PUTFYLL":
            sig[head].add("P:" + t[3])  # preposition taking a clause -> SCONJ in UD
    out = []
    for i, t in enumerate(sent):
        pos, feats, lemma, dep = t[3], "|".join(sorted(t[5].split("|"))), t[2].lower(), t[7]
        cs = "+".join(sorted(sig[i + 1]))
        out.append(
            [
                (0, pos, feats, lemma, dep, cs),
                (1, pos, feats, lemma, cs),
                (2, pos, feats, lemma),
                (3, pos, feats, dep, cs),
                (4, pos, feats, cs),
                (5, pos, feats),
                (6, pos),
            ]
        )
    return out


def learn_mapping(pairs) -> dict:
    table: dict = collections.defaultdict(collections.Counter)
    for ndt, ud in pairs:
        for keys, u in zip(mapping_keys(ndt), ud):
            for k in keys:
                table[k][(u[3], u[5])] += 1
    return {k: c.most_common(1)[0][0] for k, c in table.items()}


def apply_mapping(table: dict, sent) -> list[tuple[str, str]]:
    res = []
    for keys, t in zip(mapping_keys(sent), sent):
        for k in keys:
            if k in table:
                res.append(table[k])
                break
        else:
            res.append((POS_FALLBACK.get(t[3], "X"), "_"))
    return res


def mapping_accuracy(pairs) -> dict:
    """Two-fold estimate on the dev alignment: learn on one half, score the other."""
    halves = (pairs[0::2], pairs[1::2])
    tot = upos = full = 0
    for a, b in ((0, 1), (1, 0)):
        table = learn_mapping(halves[a])
        for ndt, ud in halves[b]:
            for (p, f), u in zip(apply_mapping(table, ndt), ud):
                tot += 1
                upos += p == u[3]
                full += (p, f) == (u[3], u[5])
    return {"tokens": tot, "upos": round(upos / tot, 4), "upos_and_feats": round(full / tot, 4)}


# ---------------------------------------------------------------- Docs

NO_SPACE_BEFORE = {",", ".", ":", ";", "!", "?", ")", "]", "»", "%", "...", "…"}
NO_SPACE_AFTER = {"(", "[", "«"}


def ndt_spaces(words: list[str]) -> list[bool]:
    """NDT has no spacing information: reconstruct ordinary Norwegian spacing."""
    spaces = [True] * len(words)
    quote_open = False
    for i, w in enumerate(words):
        if w == '"':
            if quote_open and i > 0:
                spaces[i - 1] = False
            elif not quote_open:
                spaces[i] = False
            quote_open = not quote_open
        if w in NO_SPACE_BEFORE and i > 0:
            spaces[i - 1] = False
        if w in NO_SPACE_AFTER:
            spaces[i] = False
    return spaces


def make_doc(vocab, sents, kind: str, table=None, tree_table=None):
    """One Doc from several sentences. kind: 'ndt' (POS/features mapped with `table`, trees
    converted to UD with `tree_table`) or 'ud' (as annotated)."""
    from spacy.tokens import Doc

    words, spaces, pos, morphs, lemmas, heads, deps, ents = [], [], [], [], [], [], [], []
    for sent in sents:
        offset = len(words)
        forms = [t[1] for t in sent]
        if kind == "ndt":
            sp = ndt_spaces(forms)
            mapped = apply_mapping(table, sent)
            tree = ndt2ud.convert_tree(sent, tree_table)
        else:
            sp = ["SpaceAfter=No" not in t[9] for t in sent]
            mapped = [(t[3], t[5]) for t in sent]
            tree = [(int(t[6]), t[7]) for t in sent]
        for t, s, (p, f), (h, dep) in zip(sent, sp, mapped, tree):
            words.append(t[1])
            spaces.append(s)
            pos.append(p)
            morphs.append("" if f == "_" else f)
            lemmas.append(t[2])
            heads.append(offset + h - 1 if h else offset + int(t[0]) - 1)
            deps.append("ROOT" if h == 0 else dep)
            ents.append(entity_tag(t[9]))
    spaces[-1] = False
    # Fix entity sequences that start with I- (rare annotation slips) so Doc accepts them.
    prev = "O"
    for i, e in enumerate(ents):
        if e.startswith("I-") and (prev == "O" or prev[2:] != e[2:]):
            ents[i] = "B-" + e[2:]
        prev = ents[i]
    return Doc(
        vocab,
        words=words,
        spaces=spaces,
        pos=pos,
        morphs=morphs,
        lemmas=lemmas,
        heads=heads,
        deps=deps,
        ents=ents,
    )


def to_docbin(vocab, groups, kind, table, path, tree_table=None):
    from spacy.tokens import DocBin

    db = DocBin(store_user_data=False)
    for g in groups:
        db.add(make_doc(vocab, g, kind, table, tree_table))
    db.to_disk(path)
    return len(db)


def chunk(sents, n=SENTS_PER_DOC):
    return [sents[i : i + n] for i in range(0, len(sents), n)]


def in_ranges(stem: str, ranges) -> bool:
    return any(lo <= stem <= hi and stem[:2] == lo[:2] for lo, hi in ranges)


# ---------------------------------------------------------------- main


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[1] in ("-h", "--help"):
        print(__doc__)
        return 0 if len(argv) > 1 and argv[1] in ("-h", "--help") else 2
    norne, out = argv[1], argv[2]
    os.makedirs(out, exist_ok=True)
    import spacy

    stats: dict = {"norne_dir": os.path.abspath(norne)}
    ud = {
        (lang, split): read_conllu(f"{norne}/ud/{lang}/{pre}-ud-{split}.conllu")
        for lang, pre in LANGS.items()
        for split in ("dev", "test")
    }
    ud_keys = {k: {key(s) for s in v} for k, v in ud.items()}
    all_test = set().union(*(ud_keys[(lang, "test")] for lang in LANGS))
    all_dev = set().union(*(ud_keys[(lang, "dev")] for lang in LANGS))

    files: dict = {}
    for lang in LANGS:
        paths = sorted(glob.glob(f"{norne}/ndt/{lang}/*.conll"))
        if not paths:
            raise SystemExit(f"no NDT files in {norne}/ndt/{lang}: is NORNE_DIR a NorNE copy?")
        for path in paths:
            stem = os.path.basename(path)[:-6]
            sents = read_ndt(path)
            n_dev = sum(key(s) in ud_keys[(lang, "dev")] for s in sents)
            n_test = sum(key(s) in ud_keys[(lang, "test")] for s in sents)
            # A file belongs to dev/test when most of its sentences are in that UD file.
            by_text = (
                "test" if n_test > len(sents) / 2 else "dev" if n_dev > len(sents) / 2 else "train"
            )
            if lang == "nob":
                split = (
                    "test"
                    if in_ranges(stem, NOB_TEST)
                    else "dev"
                    if in_ranges(stem, NOB_DEV)
                    else "train"
                )
                if split != by_text:
                    print(f"warning: {stem}: DATA.md split {split}, by text {by_text}")
            else:
                split = by_text  # DATA.md gives no Nynorsk ranges; derived from the UD files
            files[(lang, stem)] = (split, sents)

    # Mapping learned from the dev alignment only.
    pairs = []
    for lang in LANGS:
        dev_by_key = {key(s): s for s in ud[(lang, "dev")]}
        for (lg, _), (split, sents) in files.items():
            if lg == lang and split == "dev":
                pairs += [
                    (s, dev_by_key[key(s)])
                    for s in sents
                    if key(s) in dev_by_key and key(s) not in all_test
                ]
    table = learn_mapping(pairs)
    tree_table = ndt2ud.learn(pairs)
    stats["mapping"] = {
        "aligned_dev_sentences": len(pairs),
        "two_fold_accuracy_on_dev": mapping_accuracy(pairs),
        "trees_two_fold_agreement_on_dev": ndt2ud.two_fold(pairs),
    }

    nlp = spacy.blank("nb")
    train, dev = [], []
    train_lang = {}  # id of a document's sentence list -> language (for per-language files)
    dropped = collections.Counter()
    split_files = collections.defaultdict(list)
    for (lang, stem), (split, sents) in sorted(files.items()):
        split_files[f"{lang}-{split}"].append(stem)
        if split == "train":
            kept = []
            for s in sents:
                if key(s) in all_test:
                    dropped["train_sentence_in_ud_test"] += 1
                elif key(s) in all_dev:
                    dropped["train_sentence_in_ud_dev"] += 1
                else:
                    kept.append(s)
            for g in chunk(kept):
                train_lang[id(g)] = lang
                train.append(g)
        elif split == "dev":
            dev += chunk([s for s in sents if key(s) not in all_test])
    random.Random(0).shuffle(train)
    random.Random(1).shuffle(dev)  # so that a dev `limit` in the config takes both languages
    # The final check DATA.md asks for: no training sentence text is a test sentence text.
    train_keys = {key(s) for g in train for s in g}
    overlap = len(train_keys & all_test)
    stats["overlap_train_test_sentences"] = overlap
    if overlap:
        raise SystemExit(f"{overlap} training sentences occur in the test set")
    stats["dropped"] = dict(dropped)
    stats["files"] = {k: len(v) for k, v in split_files.items()}
    stats["nno_heldout_files"] = {
        k: v for k, v in split_files.items() if k.startswith("nno") and not k.endswith("train")
    }
    stats["docs"] = {
        "train": to_docbin(nlp.vocab, train, "ndt", table, f"{out}/train.spacy", tree_table),
        "dev": to_docbin(nlp.vocab, dev, "ndt", table, f"{out}/dev.spacy", tree_table),
    }
    for lang in LANGS:  # the same training documents by language (for lemma_lookup.py)
        stats["docs"][f"train-{lang}"] = to_docbin(
            nlp.vocab,
            [g for g in train if train_lang[id(g)] == lang],
            "ndt",
            table,
            f"{out}/train-{lang}.spacy",
            tree_table,
        )
    stats["train_sentences"] = sum(len(g) for g in train)
    stats["train_tokens"] = sum(len(s) for g in train for s in g)
    for lang in LANGS:
        stats["docs"][f"test-{lang}-ud"] = to_docbin(
            nlp.vocab, chunk(ud[(lang, "test")]), "ud", None, f"{out}/test-{lang}-ud.spacy"
        )
        stats[f"test_{lang}_sentences"] = len(ud[(lang, "test")])
        stats[f"test_{lang}_tokens"] = sum(len(s) for s in ud[(lang, "test")])
    with open(f"{out}/stats.json", "w", encoding="utf8") as fh:
        json.dump(stats, fh, indent=2, ensure_ascii=False)
    print(json.dumps({k: v for k, v in stats.items() if k != "nno_heldout_files"}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
