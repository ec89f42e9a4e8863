"""The word lists masking reads: names, places, allow-list, health terms (loaded once, lazily)."""
from __future__ import annotations

import gzip
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, FrozenSet, List, Tuple

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_KNOWLEDGE_DIR = Path(__file__).resolve().parents[2] / "knowledge"

# Name flags in data/names.tsv.gz (scripts/build_name_lists.py).
FIRST, SURNAME, COMMON = "F", "S", "C"


def knowledge_dir() -> Path:
    return Path(os.environ.get("KNOWLEDGE_DIR", DEFAULT_KNOWLEDGE_DIR))


def fold(word: str) -> str:
    """Lower case without accents, ø/æ/å spelt out, for lists typed without them."""
    word = word.lower().replace("ø", "o").replace("æ", "ae").replace("å", "a")
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _read_lines_gz(path: Path) -> List[str]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [line.rstrip("\n") for line in fh if line.strip()]


def _read_word_file(path: Path) -> List[str]:
    words: List[str] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        words.extend(w.lower() for w in raw.split("#", 1)[0].split())
    return words


@dataclass(frozen=True, eq=False)
class HealthTerms:
    stems: Tuple[str, ...]          # normalised, single words
    phrases: Tuple[Tuple[str, ...], ...]  # normalised multi-word stems, word by word
    words: FrozenSet[str]           # whole words, any case
    capitals: FrozenSet[str]        # whole words, only when written in capitals
    fuzzy: Dict[str, str]           # deletion neighbourhood of long stems -> stem
    suffixes: Tuple[str, ...] = ()  # compounds ending with these (tarmsykdom)


@dataclass(frozen=True, eq=False)
class Lexicon:
    names: Dict[str, str]           # lower-case name -> flags
    folded_names: Dict[str, str]    # folded name -> flags (Bjorn for Bjørn)
    places: FrozenSet[str]          # lower case
    common_words: FrozenSet[str]    # lower-case ordinary Norwegian words
    ambiguous_names: FrozenSet[str]  # names that are words: masked in lower case after "heter"
    protected_words: FrozenSet[str]  # single lower-case words never taken for a name
    protected_phrases: Tuple[Tuple[str, ...], ...]  # lower-case multi-word names
    role_mailboxes: FrozenSet[str]
    allowed_emails: FrozenSet[str]
    public_domains: Tuple[str, ...]
    public_numbers: FrozenSet[str]  # digits only
    health: HealthTerms

    def name_flags(self, word: str) -> str:
        low = word.lower()
        flags = self.names.get(low)
        if flags is None:
            flags = self.folded_names.get(fold(low), "")
        return flags


def normalise_health(word: str) -> str:
    """Lower case, accents folded except ø/æ/å, dots dropped (a.d.h.d -> adhd)."""
    word = word.lower().replace(".", "")
    out = []
    for ch in unicodedata.normalize("NFC", word):
        if ch in "øæå":
            out.append(ch)
            continue
        decomposed = unicodedata.normalize("NFKD", ch)
        out.append("".join(c for c in decomposed if not unicodedata.combining(c)))
    return "".join(out)


def _deletions(word: str) -> List[str]:
    return [word[:i] + word[i + 1:] for i in range(len(word))]


def _health_terms(raw: dict) -> HealthTerms:
    stems: List[str] = []
    phrases: List[Tuple[str, ...]] = []
    for stem in raw.get("stems") or []:
        parts = tuple(normalise_health(p) for p in str(stem).split())
        if len(parts) == 1:
            stems.append(parts[0])
        else:
            phrases.append(parts)
    capitals = frozenset(normalise_health(w) for w in raw.get("capitals_only") or [])
    words = frozenset(normalise_health(str(w)) for w in raw.get("words") or []) - capitals
    fuzzy: Dict[str, str] = {}
    for stem in stems:
        if len(stem) >= 7:
            fuzzy.setdefault(stem, stem)
            for d in _deletions(stem):
                fuzzy.setdefault(d, stem)
    # Longest stems first, so the most specific one decides.
    stems.sort(key=len, reverse=True)
    suffixes = tuple(normalise_health(str(x)) for x in raw.get("suffixes") or [])
    return HealthTerms(tuple(stems), tuple(phrases), words, capitals, fuzzy, suffixes)


def _profiles(root: Path) -> List[dict]:
    out = []
    for path in sorted((root / "kommuner").glob("*.yml")):
        with open(path, encoding="utf-8") as fh:
            out.append(yaml.safe_load(fh) or {})
    return out


@lru_cache(maxsize=4)
def load_lexicon(root: str = "") -> Lexicon:
    kdir = Path(root) if root else knowledge_dir()
    names: Dict[str, str] = {}
    for line in _read_lines_gz(DATA_DIR / "names.tsv.gz"):
        name, _, flags = line.partition("\t")
        names[name] = flags
    folded: Dict[str, str] = {}
    for name, flags in names.items():
        f = fold(name)
        if f != name and f not in names:
            # A folded form that is also an ordinary word stays one (ma, la, sa).
            folded[f] = flags
    places = set(_read_lines_gz(DATA_DIR / "places.txt.gz"))

    with open(kdir / "privacy" / "allow_list.yml", encoding="utf-8") as fh:
        allow = yaml.safe_load(fh) or {}
    single: set = set()
    phrases: List[Tuple[str, ...]] = []
    for key in ("institutions", "services", "places", "words"):
        for entry in allow.get(key) or []:
            words = tuple(w.lower() for w in re.findall(r"[\wÀ-ɏ.'’-]+", str(entry)))
            if len(words) == 1:
                single.add(words[0])
            elif words:
                phrases.append(words)
            if key == "places":
                places.add(str(entry).lower())
    for entry in allow.get("places") or []:
        places.add(str(entry).lower())

    emails = set()
    numbers = {re.sub(r"\D", "", str(n)) for n in allow.get("public_numbers") or []}
    for profile in _profiles(kdir):
        contact = profile.get("contact") or {}
        if contact.get("email"):
            emails.add(str(contact["email"]).lower())
        if contact.get("phone"):
            numbers.add(re.sub(r"\D", "", str(contact["phone"])))
        for key in ("name",):
            if profile.get(key):
                words = tuple(w.lower() for w in str(profile[key]).split())
                phrases.append(words) if len(words) > 1 else single.add(words[0])
        if contact.get("name"):
            phrases.append(tuple(w.lower() for w in str(contact["name"]).split()))

    with open(kdir / "privacy" / "health_terms.yml", encoding="utf-8") as fh:
        health = _health_terms(yaml.safe_load(fh) or {})

    return Lexicon(
        names=names,
        folded_names=folded,
        places=frozenset(places),
        common_words=frozenset(_read_lines_gz(DATA_DIR / "common_words.txt.gz")),
        ambiguous_names=frozenset(_read_word_file(DATA_DIR / "ambiguous_names.txt")),
        protected_words=frozenset(single),
        protected_phrases=tuple(sorted(set(phrases), key=len, reverse=True)),
        role_mailboxes=frozenset(str(m).lower() for m in allow.get("role_mailboxes") or []),
        allowed_emails=frozenset(emails),
        public_domains=tuple(str(d).lower() for d in allow.get("public_domains") or []),
        public_numbers=frozenset(n for n in numbers if n),
        health=health,
    )
