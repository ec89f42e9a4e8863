"""Find and mask personal data in free text: names, fødselsnummer, phone, e-mail, addresses...

`mask_text(text)` replaces each personal datum with a Norwegian placeholder ([NAVN],
[FØDSELSNUMMER], [TELEFON], [E-POST], [NETTADRESSE], [ADRESSE], [NUMMER], [HELSE]);
`find_spans` says where they are; `mask_value` masks every string inside dicts and lists.
Deterministic and pure apart from two lazy, cached loads: the word lists (bot/privacy/lexicon.py)
and the spaCy NER (bot/privacy/ner.py), which is asked only about capitalised words the lists
do not know. Nothing heavy happens at import time.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable, List, Optional, Sequence, Tuple

from bot.privacy import ner
from bot.privacy.lexicon import (
    COMMON, FIRST, SURNAME, HealthTerms, Lexicon, load_lexicon, normalise_health,
)
from bot.privacy.settings import (
    ADRESSE, EPOST, FODSELSNUMMER, HELSE, NAVN, NETTADRESSE, NUMMER, TELEFON, MaskingSettings,
    current,
)

__all__ = ["Span", "PLACEHOLDERS", "find_spans", "mask_text", "mask_value"]

PLACEHOLDERS = {c: f"[{c}]" for c in (NAVN, FODSELSNUMMER, TELEFON, EPOST, NETTADRESSE,
                                      ADRESSE, NUMMER, HELSE)}
# When two candidates cover exactly as much text, the more specific category wins.
_PRIORITY = {EPOST: 0, NETTADRESSE: 1, FODSELSNUMMER: 2, TELEFON: 3, ADRESSE: 4, NUMMER: 5,
             HELSE: 6, NAVN: 7}


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    category: str


# --------------------------------------------------------------------------- patterns

_PLACEHOLDER_RE = re.compile(r"\[(?:%s)\]" % "|".join(re.escape(c) for c in PLACEHOLDERS))
_EMAIL_RE = re.compile(
    r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}"
    r"|(?<![\w.+-])[\w.+-]+\s?(?:\(at\)|\[at\]|\(a\)|\[a\]|\s(?:at|krøllalfa)\s)\s?[\w-]+"
    r"(?:\s?(?:\.|\(dot\)|\[dot\]|\s(?:dot|punktum)\s)\s?[\w-]+)*"
    r"\s?(?:\.|\(dot\)|\[dot\]|\s(?:dot|punktum)\s)\s?(?:no|com|net|org|se|dk|nu|io|eu)\b",
    re.IGNORECASE)
_URL_RE = re.compile(
    r"(?:https?://|www\.)[^\s<>\"'«»]+"
    r"|(?<![@\w.-])(?:[\w-]+\.)+(?:no|com|net|org|se|dk|nu|io|eu|info|me|ly|app|page)"
    r"(?:/[^\s<>\"'«»]*)?(?![\w@])",
    re.IGNORECASE)
_URL_TRAIL = ".,;:!?)]»\"'"
_SOCIAL_HOSTS = ("facebook.com", "fb.com", "instagram.com", "linkedin.com", "tiktok.com",
                 "twitter.com", "x.com", "snapchat.com", "youtube.com", "youtu.be",
                 "drive.google.com", "docs.google.com", "dropbox.com", "onedrive.live.com",
                 "wetransfer.com", "vimeo.com", "github.com", "m.me", "wa.me", "t.me")

# A run of digits, groups joined by one separator ("912 34 567", "010170 12345",
# "1234.56.78903", "2024/123456"), with an optional international prefix.
_DIGITS_RE = re.compile(r"(?<![\d+])(?:\+\s?|00)?\d+(?:[ \u00a0.\-/]\d+)*(?!\d)")
_DATE_RE = re.compile(r"^(0?[1-9]|[12]\d|3[01])[./-](0?[1-9]|1[0-2])[./-](\d{2}|\d{4})$")
_YEAR_RANGE_RE = re.compile(r"^(19|20)\d\d\s?[-/]\s?((19|20)?\d\d)$")
_TIME_RANGE_RE = re.compile(r"^([01]?\d|2[0-3])[.:][0-5]\d\s?-\s?([01]?\d|2[0-3])[.:][0-5]\d$")
_AMOUNT_RE = re.compile(r"^\d{1,3}(?:[ \u00a0.]\d{3})+$")
_BIRTH_CONTEXT_RE = re.compile(r"(født|fødd|fødselsdato|fødselsdag|f\.|bursdag|dob)\W{0,3}$",
                               re.IGNORECASE)
_MONEY_AFTER_RE = re.compile(r"^\s?(kr\b|kroner|nok\b|,-)", re.IGNORECASE)
_MONEY_BEFORE_RE = re.compile(r"(kr\.?|nok)\s?$", re.IGNORECASE)
_ID_KEYWORD_RE = re.compile(
    r"\b(?:nr|nummer|saksnr|saksnummer|sak|ref|referanse|referansenummer|kundenr|"
    r"kundenummer|journalnr|journalnummer|id|pasientnr|vedtak|arkivnr|arkivsak)\.?\s?[:#]?\s?$",
    re.IGNORECASE)

_STREET_SUFFIX = (
    r"gata|gate|gaten|gt\.?|veien|vegen|vei|veg|vn\.?|stien|stigen|stig|plassen|plass|"
    r"allé|alle|alléen|bakken|svingen|brekka|brekke|lia|lien|haugen|jordet|tunet|ringen|"
    r"kroken|løkka|løkken|torget|torg|kaia|kaien|brygga|bryggen|vollen|åsen|moen|myra|dalen|"
    r"lunden|hagen|tangen|skogen|sletta|marka|vika|berget|toppen|enga|engen|feltet|parken|"
    r"høgda|kleiva|vangen|holmen|nesset|neset|gården|garden|grenda|hølet|lykkja|kollen"
)
_UNIT_AFTER = re.compile(
    r"^\s?(år|åra|års|måned|måneder|mnd|uke|uker|veke|veker|dag|dager|dagar|døgn|time|timer|"
    r"min|minutt|minutter|kr|kroner|%|prosent|barn|ganger|gonger|stk|klasse|klassetrinn|"
    r"trinn|kg|cm|mg)\b", re.IGNORECASE)
_STREET_RE = re.compile(
    r"(?<![\w-])("
    r"(?:[A-ZÆØÅ][\w.'’-]*\s+){1,3}(?:gate|gata|vei|veg|allé|alle|plass|torg)"  # Kong Oscars gate
    r"|[A-ZÆØÅa-zæøåÁáČčŊŋŠšŦŧŽž][\wæøå'’-]*?(?:" + _STREET_SUFFIX + r")"     # Storgata
    r")\s+(\d{1,4}(?:[A-Za-z]|\s[A-Ha-h])?(?![\wæøå])(?:\s?-\s?\d{1,4})?)"
    r"((?:,?\s*(?:[HhUuKk]\d{4}|leil(?:ighet)?\.?\s?\d+))?"
    r"(?:,?\s+\d{4}\s+[A-ZÆØÅ][\wæøå-]+(?:\s[A-ZÆØÅ][\wæøå-]+)?)?)")
_POSTCODE_RE = re.compile(r"(?<![\d\w])\d{4}\s+([^\W\d_][\w-]*)(?:\s([A-ZÆØÅ][\wæøå-]+))?")
# "vi bor i Storgata" (no number): a street after a verb of living there
_LIVES_IN_RE = re.compile(
    r"\b(?:bor|bur|bodde|budde|flytter|flytta|flyttet|flyttar|flytte)\s(?:nå\s|no\s|også\s)?"
    r"(?:i|på|til)\s([^\W\d_][\w-]*(?:gata|gaten|gate|veien|vegen|vei|veg|stien|allé|alléen|"
    r"plassen|bakken|svingen|brekka|ringen|kroken|løkka|tunet|jordet))(?![\w-])", re.IGNORECASE)
_POSTBOX_RE = re.compile(r"\b(?:postboks|postb\.|pb\.?|boks)\s?\d{1,5}\b", re.IGNORECASE)
_POSTNR_KEYWORD_RE = re.compile(r"\b(?:postnummer|postnr\.?|postnr)\s?:?\s?(\d{4})\b",
                                re.IGNORECASE)
_ADDRESS_KEYWORD_RE = re.compile(
    r"\b(?:adressen|adressa|adresse)(?:\s(?:min|vår|mi|hans|hennes|til\s\w+))?(?:\s(?:er|e))?"
    r"\s?:?\s", re.IGNORECASE)

# "diabetes type 1", "Downs syndrom", "SMA type 2"
_HEALTH_TAIL_RE = re.compile(r"\s+(?:type\s?(?:[12]|I{1,2}|en|to)\b|syndrom\w*|sykdom\w*|lidelse\w*)",
                             re.IGNORECASE)
_TOKEN_RE = re.compile(r"[^\W\d_](?:[^\W\d_]|['’\-](?=[^\W\d_]))*")
_HEALTH_TOKEN_RE = re.compile(r"\w(?:\w|[./-](?=\w))*")

_SENTENCE_END = ".!?\n:;…"
_OPENERS = " \t\"'«(-–—•*>[{"
# A capitalised ordinary word at the start of a sentence is a name when a verb follows it
# ("Liv har autisme").
_NAME_VERBS = frozenset(
    "har hadde er var går gikk får fikk skal kan vil må trenger treng sliter bor heter heiter "
    "blir ble vart fyller begynner begynte liker elsker tar gjør gjer sier seier sa lurer "
    "sover søv spiser et gråter klarer bruker ønsker ville kunne skulle måtte fekk gjekk "
    "trives her sin si sitt sine".split())
# Never a name at the start of a sentence, whatever the name lists say.
_FUNCTION_WORDS = frozenset(
    "jeg du han hun vi dere de den det dette disse denne min mi mitt mine din di ditt dine sin "
    "si sitt sine hans hennes vår vårt våre deres noen ingen alle hver hvem hva hvor hvordan "
    "hvorfor når som kva kven kor korleis kvifor eg ho me dei dykk ein ei eit en et ja nei da så "
    "nå no her der også bare kanskje men og eller at om for til med på i av fra frå etter før "
    "under over mot ved hos uten utan mamma pappa mor far foreldre barn barnet sønn datter gutt "
    "jente hei takk kan skal vil må er har ikke ikkje litt mye mange hele alt noe nokon nokre "
    "begge selv sjølv unnskyld beklager kjære dere hallo heisann god".split())
_COORD = frozenset({"og", "eller", "&"})
# Words after which the next name-like word is a name even if it is also an ordinary word.
_TRIGGERS = (
    re.compile(r"\b(?:heter|het|heiter|hette|kalles|kallast|kalt|kalla|kaller\s\w+)\s$",
               re.IGNORECASE),
    re.compile(r"\bnavn(?:et)?(?:\s(?:mitt|hans|hennes|hens|vårt|til\s\w+))?\s(?:er\s)?:?\s?$",
               re.IGNORECASE),
    re.compile(r"\bnamn(?:et)?(?:\s(?:mitt|hans|hennar|vårt))?\s(?:er\s)?:?\s?$",
               re.IGNORECASE),
    re.compile(
        r"\b(?:sønnen|sonen|datteren|dattera|dottera|gutten|guten|jenta|jenten|barnet|"
        r"mannen|kona|kone|samboeren|sambuaren|broren|bror|søsteren|søstera|systera|"
        r"lillebror|lillesøster|storebror|storesøster|veslebror|vesleesøster|eleven)"
        r"(?:\s(?:min|mi|mitt|vår|vårt|våre|hans|hennes|vi har|som heter))?\s?,?\s$",
        re.IGNORECASE),
    re.compile(r"\b(?:min|mi|vår)\s(?:sønn|son|datter|dotter|gutt|jente|mann|kone|samboer|"
               r"bror|søster|syster)\s?,?\s$", re.IGNORECASE),
    re.compile(r"\b(?:mvh|hilsen|helsing|vennlig hilsen|hilsen fra|helsing frå)\s?,?\s$",
               re.IGNORECASE),
)
# Weaker contexts: the next word is a name only if it is capitalised (or not a word at all).
_WEAK_TRIGGERS = (
    re.compile(r"\b(?:mamma|pappa|mor|far|mormor|morfar|farmor|farfar|bestemor|bestefar|tante|"
               r"onkel|fru|frue|herr|lege|legen|doktor|dr\.?|lærer|læreren|kontaktlærer|"
               r"kontaktlæreren|rektor|sykepleier|helsesykepleier|saksbehandler|saksbehandleren|"
               r"koordinator|koordinatoren|barnekoordinator|barnekoordinatoren|psykolog|"
               r"assistent|assistenten|fastlege|fastlegen|spesialpedagog|ergoterapeut|"
               r"fysioterapeut|logoped|støttekontakt|avlaster|hjelpepleier)\s$", re.IGNORECASE),
    re.compile(r"\b(?:my\s(?:son|daughter|child|boy|girl|husband|wife|partner|name\sis)|"
               r"(?:his|her|their)\sname\sis|i\sam|i'm|called|named|this\sis)\s$",
               re.IGNORECASE),
    re.compile(r"\b(?:jeg|eg|je)\s(?:er|e)\s$", re.IGNORECASE),
)


# --------------------------------------------------------------------------- numbers

def _digit_spans(text: str, lex: Lexicon) -> List[Tuple[int, int, str]]:
    out: List[Tuple[int, int, str]] = []
    for m in _DIGITS_RE.finditer(text):
        raw = m.group(0)
        start, end = m.start(), m.end()
        # A trailing separator-free match; trim a leading "+ " that belongs to nothing.
        digits = re.sub(r"\D", "", raw)
        n = len(digits)
        intl = raw.startswith("+") or raw.startswith("00")
        if digits in lex.public_numbers or (intl and digits[2:] in lex.public_numbers):
            continue
        before = text[max(0, start - 16):start]
        after = text[end:end + 8]
        if n >= 8 and intl:
            cat = TELEFON if _valid_phone(raw) else NUMMER
            out.append((start, end, FODSELSNUMMER if n == 11 and not _valid_phone(raw) else cat))
            continue
        if _DATE_RE.match(raw):
            if _BIRTH_CONTEXT_RE.search(before):
                out.append((start, end, NUMMER))
            continue
        if _YEAR_RANGE_RE.match(raw) or _TIME_RANGE_RE.match(raw):
            continue
        if _AMOUNT_RE.match(raw) and (_MONEY_AFTER_RE.match(after) or _MONEY_BEFORE_RE.search(before)):
            continue
        if n == 11:
            out.append((start, end, _eleven_digit_category(digits, raw)))
        elif n == 8 and _valid_phone(raw):
            out.append((start, end, TELEFON))
        elif n >= 6:
            out.append((start, end, NUMMER))
        elif n >= 4 and _ID_KEYWORD_RE.search(before):
            out.append((start, end, NUMMER))
    return out


def _eleven_digit_category(digits: str, raw: str) -> str:
    from stdnum.no import fodselsnummer, kontonr

    if fodselsnummer.is_valid(digits):
        return FODSELSNUMMER
    # Written as an account number (4.2.5) and valid as one: an account number.
    if re.fullmatch(r"\d{4}[ .]\d{2}[ .]\d{5}", raw) and kontonr.is_valid(digits):
        return NUMMER
    # Any other 11-digit run is treated as a fødselsnummer with a typo.
    return FODSELSNUMMER


def _valid_phone(raw: str) -> bool:
    import phonenumbers

    try:
        number = phonenumbers.parse(raw, "NO")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number)


def _phone_spans(text: str, lex: Lexicon) -> List[Tuple[int, int, str]]:
    """Formats the digit runs miss: "(+47) 41 23 45 67", "+46 70-123 45 67"."""
    import phonenumbers

    out = []
    for match in phonenumbers.PhoneNumberMatcher(text, "NO",
                                                  leniency=phonenumbers.Leniency.VALID):
        digits = re.sub(r"\D", "", match.raw_string)
        if len(digits) < 8 or digits in lex.public_numbers:
            continue
        out.append((match.start, match.end, TELEFON))
    return out


# --------------------------------------------------------------------------- e-mail, web

def _email_spans(text: str, lex: Lexicon) -> List[Tuple[int, int, str]]:
    out = []
    for m in _EMAIL_RE.finditer(text):
        value = m.group(0).lower()
        local = re.split(r"@|\(at\)|\[at\]|\(a\)|\[a\]|\sat\s|\skrøllalfa\s", value)[0].strip()
        domain = value.rsplit("@", 1)[-1] if "@" in value else ""
        public = any(domain == d or domain.endswith("." + d) for d in lex.public_domains)
        if value in lex.allowed_emails or (public and local in lex.role_mailboxes):
            continue
        out.append((m.start(), m.end(), EPOST))
    return out


def _url_spans(text: str, lex: Lexicon) -> List[Tuple[int, int, str]]:
    out = []
    for m in _URL_RE.finditer(text):
        start, end = m.start(), m.end()
        while end > start and text[end - 1] in _URL_TRAIL:
            end -= 1
        url = text[start:end]
        if _url_is_personal(url, lex):
            out.append((start, end, NETTADRESSE))
    return out


def _url_is_personal(url: str, lex: Lexicon) -> bool:
    bare = re.sub(r"^(?:https?://)?(?:www\.)?", "", url, flags=re.IGNORECASE)
    host, _, rest = bare.partition("/")
    host = host.lower().split(":")[0]
    rest = rest.strip("/")
    has_query = "?" in url or "#" in url
    if not rest and not has_query:
        return False  # a bare site name: nav.no, www.tromso.kommune.no
    if any(host == h or host.endswith("." + h) for h in _SOCIAL_HOSTS):
        return True
    public = any(host == d or host.endswith("." + d) for d in lex.public_domains)
    if not public:
        return True
    if has_query or "@" in rest or re.search(r"\d{4}", rest):
        return True
    for word in re.split(r"[/\-_.]+", rest):
        flags = lex.name_flags(word)
        if flags and COMMON not in flags and word.lower() not in lex.protected_words:
            return True
    return False


# --------------------------------------------------------------------------- addresses

def _address_spans(text: str, lex: Lexicon) -> List[Tuple[int, int, str]]:
    out = []
    for m in _STREET_RE.finditer(text):
        street = m.group(1)
        if _UNIT_AFTER.match(text[m.end(2):m.end(2) + 12]) and not m.group(3):
            continue
        last = street.split()[-1].lower()
        if (last in lex.protected_words and last not in lex.places) or \
                (street.lower() in lex.protected_words and street.lower() not in lex.places):
            continue
        if len(street) < 4:
            continue
        out.append((m.start(1), m.end(), ADRESSE))
    for m in _POSTCODE_RE.finditer(text):
        word = m.group(1)
        low = word.lower()
        if low not in lex.places:
            if not word[0].isupper() or word.isupper() or low in lex.protected_words \
                    or low in lex.common_words:
                continue
        end = m.end(1)
        second = m.group(2)
        if second and (second.lower() in lex.places or second.lower() not in lex.common_words):
            end = m.end(2)
        out.append((m.start(), end, ADRESSE))
    for m in _LIVES_IN_RE.finditer(text):
        if m.group(1).lower() not in lex.protected_words:
            out.append((m.start(1), m.end(1), ADRESSE))
    for m in _POSTBOX_RE.finditer(text):
        out.append((m.start(), m.end(), ADRESSE))
    for m in _POSTNR_KEYWORD_RE.finditer(text):
        out.append((m.start(1), m.end(1), ADRESSE))
    for m in _ADDRESS_KEYWORD_RE.finditer(text):
        # "adressen min er Fjellheim, 9100 Kvaløysletta": up to the end of the clause.
        rest = text[m.end():]
        stop = re.search(r"[.!?\n]|\s(?:og|men|så)\s", rest)
        chunk = rest[: stop.start() if stop else len(rest)]
        if 0 < len(chunk.strip()) <= 60 and (re.search(r"\d", chunk) or chunk[:1].isupper()):
            out.append((m.end(), m.end() + len(chunk.rstrip(" ,")), ADRESSE))
    return out


# --------------------------------------------------------------------------- health

def _health_spans(text: str, lex: Lexicon) -> List[Tuple[int, int, str]]:
    terms = lex.health
    out = []
    tokens = [(m.start(), m.end(), m.group(0)) for m in _HEALTH_TOKEN_RE.finditer(text)]
    norms = [normalise_health(t[2].rstrip("./")) for t in tokens]
    i = 0
    while i < len(tokens):
        start, end, raw = tokens[i]
        n = norms[i]
        matched_to = -1
        for phrase in _phrases_for(terms, n):
            k = len(phrase)
            if i + k <= len(tokens) and all(
                    _near(norms[i + j], phrase[j]) for j in range(k - 1)) and \
                    _near_prefix(norms[i + k - 1], phrase[-1]):
                matched_to = i + k - 1
                break
        if matched_to < 0 and _is_health_word(raw, n, lex):
            matched_to = i
        if matched_to >= 0:
            span_end = tokens[matched_to][1]
            # "diabetes type 1", "SMA type 2"
            tail = _HEALTH_TAIL_RE.match(text[span_end:])
            if tail:
                span_end += tail.end()
            out.append((start, span_end, HELSE))
            i = matched_to + 1
            continue
        i += 1
    return out


def _phrases_for(terms: HealthTerms, first: str) -> Tuple[Tuple[str, ...], ...]:
    """The multi-word terms whose first word is `first` or one letter off it."""
    index = _phrase_index(terms)
    found = list(index.get(first, ()))
    if len(first) >= 5:
        for j in range(len(first)):
            found.extend(index.get(first[:j] + first[j + 1:], ()))
    return tuple(dict.fromkeys(p for p in found if _near(first, p[0])))


@lru_cache(maxsize=4)
def _phrase_index(terms: HealthTerms) -> dict:
    """First word (and its one-letter deletions) -> the phrases starting with it."""
    index: dict = {}
    for phrase in terms.phrases:
        first = phrase[0]
        keys = {first} | ({first[:j] + first[j + 1:] for j in range(len(first))}
                          if len(first) >= 6 else set())
        for key in keys:
            index.setdefault(key, []).append(phrase)
    return index


def _near(word: str, target: str) -> bool:
    """Equal, or one letter off (wrong, missing, extra) when the target has 6+ letters."""
    if word == target:
        return True
    if len(target) < 6 or abs(len(word) - len(target)) > 1:
        return False
    if len(word) == len(target):
        return sum(a != b for a, b in zip(word, target)) == 1
    short, long_ = sorted((word, target), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def _near_prefix(word: str, stem: str) -> bool:
    """`word` starts with `stem`, allowing one letter off ("pares", "parece" for "parese")."""
    if word.startswith(stem):
        return True
    return any(_near(word[:k], stem) for k in (len(stem) - 1, len(stem), len(stem) + 1)
               if k >= 5)


def _is_health_word(raw: str, n: str, lex: Lexicon) -> bool:
    return _health_word(lex, raw.isupper() and len(raw) >= 2, n)


@lru_cache(maxsize=65536)
def _health_word(lex: Lexicon, upper: bool, n: str) -> bool:
    terms = lex.health
    head = n.split("-")[0]
    if upper and (n in terms.capitals or head in terms.capitals):
        return True
    if n in terms.words or head in terms.words:
        return True
    prefix_re, inner_re, lengths = _health_patterns(terms)
    if prefix_re.match(n) or inner_re.search(n):  # inner: barneastma, blodkreft
        return True
    if len(n) >= 6 and n not in lex.common_words:
        fuzzy = terms.fuzzy
        for k in lengths:
            for p in (n[:k], n[:k + 1], n[:k - 1]):
                if len(p) < 5:
                    continue
                if p in fuzzy:
                    return True
                for j in range(len(p)):
                    if p[:j] + p[j + 1:] in fuzzy:
                        return True
    return False


@lru_cache(maxsize=4)
def _health_patterns(terms: HealthTerms) -> Tuple["re.Pattern[str]", "re.Pattern[str]", Tuple[int, ...]]:
    prefix = re.compile("|".join(re.escape(s) for s in terms.stems))
    if terms.suffixes:
        endings = "|".join(re.escape(s) for s in terms.suffixes)
        prefix = re.compile(prefix.pattern + r"|[^\W\d_]{3,}(?:" + endings +
                            r")(?:men|mer|mene|en|er|ene|et|a|ar|ane|n|e)?$")
    inner = re.compile("|".join(re.escape(s) for s in terms.stems if len(s) >= 7))
    lengths = tuple(sorted({len(s) for s in terms.fuzzy.values()}))
    return prefix, inner, lengths


# --------------------------------------------------------------------------- names

@dataclass
class _Tok:
    start: int
    end: int
    text: str
    low: str
    cap: bool          # First letter upper, not all capitals
    caps: bool         # all capitals, 2+ letters
    sent_start: bool
    flags: str
    protected: bool


def _is_sentence_start(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in _OPENERS:
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END


def _protected_ranges(text: str, lex: Lexicon, low_text: str) -> List[Tuple[int, int]]:
    ranges = [(m.start(), m.end()) for m in _PLACEHOLDER_RE.finditer(text)]
    ranges.extend((m.start(), m.end()) for m in _phrase_pattern(lex).finditer(low_text))
    return ranges


@lru_cache(maxsize=4)
def _phrase_pattern(lex: Lexicon) -> "re.Pattern[str]":
    """One pattern for every protected phrase ("helse nord", "st. olavs"), longest first."""
    alternatives = [r"\s+".join(re.escape(w) for w in phrase) for phrase in lex.protected_phrases]
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives or ["(?!)"]) + r")(?!\w)")


def _name_flags(lex: Lexicon, word: str) -> str:
    flags = lex.name_flags(word)
    if flags:
        return flags
    low = word.lower()
    if "-" in low:
        parts = [p for p in low.split("-") if p]
        part_flags = [lex.name_flags(p) for p in parts]
        if parts and all(part_flags) and any(COMMON not in f for f in part_flags):
            return "".join(sorted(set("".join(part_flags)) - {COMMON}))
    # Genitive: Karis, Olas, Ahmeds, Kari's, Hans'
    if len(low) > 3 and low not in lex.common_words:
        for suffix in ("'s", "’s", "s", "'", "’"):
            if low.endswith(suffix):
                base = lex.name_flags(low[: -len(suffix)])
                if base and COMMON not in base:
                    return base
    return ""


def _tokens(text: str, lex: Lexicon, protected: Sequence[Tuple[int, int]]) -> List[_Tok]:
    toks = []
    for m in _TOKEN_RE.finditer(text):
        word = m.group(0)
        low = word.lower()
        first = word[0]
        caps = len(word) >= 2 and word.isupper()
        cap = first.isupper() and not caps
        in_protected = any(s <= m.start() and m.end() <= e for s, e in protected)
        # one letter ("Prop. 100 L", "A og B") is never taken for a name
        prot = in_protected or low in lex.protected_words or len(word) == 1
        toks.append(_Tok(m.start(), m.end(), word, low, cap, caps,
                         _is_sentence_start(text, m.start()), _name_flags(lex, word), prot))
    return toks


def _after_trigger(text: str, tok: _Tok) -> int:
    """2 after a strong name context ("heter"), 1 after a weak one ("mamma"), else 0."""
    before = text[max(0, tok.start - 40):tok.start]
    if any(p.search(before) for p in _TRIGGERS):
        return 2
    if any(p.search(before) for p in _WEAK_TRIGGERS):
        return 1
    return 0


def _list_name_spans(text: str, lex: Lexicon, toks: List[_Tok]) -> Tuple[List[Tuple[int, int, str]], List[bool]]:
    is_name = [False] * len(toks)
    for i, t in enumerate(toks):
        if t.protected:
            continue
        flags = t.flags
        listed = FIRST in flags or SURNAME in flags
        common = COMMON in flags or (not listed and t.low in lex.common_words)
        place = t.low in lex.places
        if not (listed or t.cap or t.caps) and t.low in lex.common_words:
            continue  # an ordinary lower-case word: never a name, whatever precedes it
        trigger = _after_trigger(text, t)
        if trigger == 1:
            if (t.cap or t.caps) and not place and (listed or t.low not in lex.common_words) \
                    and t.low not in _FUNCTION_WORDS:
                is_name[i] = True
                continue
        elif trigger == 2 and not (t.low in _FUNCTION_WORDS and not t.cap):
            if listed and (not common or t.cap or t.low in lex.ambiguous_names):
                is_name[i] = True
            elif not listed and (t.cap or t.caps or t.low not in lex.common_words) and not place:
                is_name[i] = True
            elif t.cap and place:
                is_name[i] = True
            continue
        if place and listed and t.cap and not t.sent_start:
            # Berg, Haugen, Lund, Bergen: a surname unless a place word is on either side
            prev = toks[i - 1].low if i > 0 else ""
            nxt = toks[i + 1].low if i + 1 < len(toks) else ""
            if prev not in _PLACE_BEFORE and nxt not in _PLACE_AFTER:
                is_name[i] = True
            continue
        if not listed and t.cap and not t.sent_start and _SURNAME_END.search(t.low) \
                and t.low not in lex.common_words and not place:
            is_name[i] = True  # Fjellstadsen, Petrović, Andersson, Sigurðardóttir
            continue
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        adjacent = nxt is not None and text[t.end:nxt.start].strip() == ""
        if t.cap and not place and t.low not in _FUNCTION_WORDS and (
                listed or t.low not in lex.common_words):
            # "Kåre har", "Solan har", "Vilja her", "Vetle sin", "Liv (12)"
            if (adjacent and nxt.low in _NAME_VERBS) or re.match(r"\s?\(\d", text[t.end:]):
                is_name[i] = True
                continue
        if not listed or place:
            continue
        if not common:
            if t.cap or (t.caps and len(t.text) >= 3) or (t.text.islower() and len(t.text) >= 3):
                is_name[i] = True
            continue
        # Listed, and also an ordinary word: capitalisation and context decide.
        if t.cap and not t.sent_start:
            is_name[i] = True

    # Neighbours of a name: "Kari Nordmann", "Ola Xyzson", "Anne-Lise Berg"; "Stig og Kari".
    changed = True
    while changed:
        changed = False
        for i, t in enumerate(toks):
            if is_name[i] or t.protected:
                continue
            if t.cap and t.low not in lex.places and t.low not in _FUNCTION_WORDS and (
                    FIRST in t.flags or SURNAME in t.flags or t.low not in lex.common_words):
                for j, k in ((i + 2, i + 1), (i - 2, i - 1)):
                    if 0 <= j < len(toks) and is_name[j] and toks[k].low in _COORD:
                        is_name[i] = changed = True
                        break
                if is_name[i]:
                    continue
            for j in (i - 1, i + 1):
                if not (0 <= j < len(toks)) or not is_name[j]:
                    continue
                a, b = (toks[j], t) if j < i else (t, toks[j])
                if text[a.end:b.start] not in (" ", "-"):
                    continue
                flags = t.flags
                if t.caps and toks[j].caps and (flags or t.low not in lex.common_words):
                    is_name[i] = changed = True  # KARI NORDMANN
                elif t.cap and (j < i or not t.sent_start or flags) and t.low not in lex.places:
                    if j < i or t.low not in lex.common_words or flags:
                        is_name[i] = changed = True
                elif t.cap and t.low in lex.places and SURNAME in flags and j < i:
                    is_name[i] = changed = True
                elif not t.cap and SURNAME in flags and COMMON not in flags and j < i:
                    is_name[i] = changed = True
                break
    spans = [(t.start, t.end, NAVN) for t, yes in zip(toks, is_name) if yes]
    return spans, is_name


_PLACE_BEFORE = frozenset(
    "i på fra til mot ved nær rundt utenfor over gjennom bor bur bodde budde flytte flytta "
    "flyttet reise reiste kjøre kjørte nord sør øst vest".split())
_PLACE_AFTER = frozenset(
    "kommune kommunes kommuner sentrum sykehus sjukehus stasjon fylke by havn lufthavn "
    "barnehage skole skule universitet".split())
_SURNAME_END = re.compile(r"(?:[^s]sen|ssen|sson|sdottir|sdóttir|dóttir|ović|ovic|ević|evic|"
                          r"enko|chuk|czyk|ski|ska|sky|poulos|oğlu|oglu)$")


def _is_compound(lex: Lexicon, low: str) -> bool:
    """An ordinary compound: Kontonummer, Fødselsnummeret, ADHD-utredning, NAV-søknaden."""
    if "-" in low:
        parts = [p for p in low.split("-") if p]
        return bool(parts) and all(
            p in lex.common_words or p in lex.protected_words or len(p) <= 4 or
            _is_compound(lex, p) for p in parts[1:])
    for k in range(3, len(low) - 3):
        head, tail = low[:k], low[k:]
        if tail in lex.common_words and len(tail) >= 4 and (
                head in lex.common_words or head[:-1] in lex.common_words):
            return True
    return False


def _needs_ner(lex: Lexicon, toks: List[_Tok], is_name: List[bool],
               covered: Sequence[Tuple[int, int]] = ()) -> bool:
    """Whether some capitalised word is unknown to every list: only then is the NER asked."""
    for t, yes in zip(toks, is_name):
        if yes or t.protected or not (t.cap or t.caps):
            continue
        if t.low in lex.common_words or t.low in lex.places:
            continue
        if t.caps and len(t.text) <= 4:
            continue  # abbreviations: NAV, PPT, SFO
        if any(s <= t.start and t.end <= e for s, e in covered):
            continue  # already an address, a diagnosis, an e-mail address...
        if (t.sent_start or "-" in t.low) and _is_compound(lex, t.low):
            continue
        return True
    return False


def _ner_name_spans(text: str, lex: Lexicon, toks: List[_Tok]) -> List[Tuple[int, int, str]]:
    out = []
    for start, end in ner.person_spans(text):
        inside = [t for t in toks if t.start >= start and t.end <= end]
        keep = [t for t in inside
                if not t.protected and t.low not in lex.places
                and not (t.low in lex.common_words and not t.flags and (t.sent_start or not t.cap))
                and not (t.text.islower() and t.low in lex.common_words)]
        if not keep:
            continue
        out.append((keep[0].start, keep[-1].end, NAVN))
    return out


def _name_spans(text: str, lex: Lexicon, use_ner: bool = True,
                covered: Sequence[Tuple[int, int]] = ()) -> List[Tuple[int, int, str]]:
    protected = _protected_ranges(text, lex, text.lower())
    toks = _tokens(text, lex, protected)
    spans, is_name = _list_name_spans(text, lex, toks)
    if use_ner and _needs_ner(lex, toks, is_name, covered):
        spans.extend(_ner_name_spans(text, lex, toks))
    return spans


# --------------------------------------------------------------------------- resolution

def _resolve(cands: Iterable[Tuple[int, int, str]]) -> List[Span]:
    chosen: List[Tuple[int, int, str]] = []
    for start, end, cat in sorted(cands, key=lambda c: (-(c[1] - c[0]), _PRIORITY[c[2]], c[0])):
        if end <= start:
            continue
        if any(start < e and s < end for s, e, _ in chosen):
            continue
        chosen.append((start, end, cat))
    chosen.sort()
    return [Span(s, e, c) for s, e, c in chosen]


def _merge(text: str, spans: List[Span]) -> List[Span]:
    out: List[Span] = []
    for span in spans:
        gap = text[out[-1].end:span.start] if out else ""
        if out and out[-1].category == span.category and (
                re.fullmatch(r"[\s\-]*", gap)
                or (span.category == ADRESSE and re.fullmatch(r"\s*,?\s*", gap))):
            out[-1] = Span(out[-1].start, span.end, span.category)
        else:
            out.append(span)
    return out


def find_spans(text: str, settings: Optional[MaskingSettings] = None,
               use_ner: bool = True) -> List[Span]:
    """Non-overlapping spans of personal data in `text`, in order; the longest candidate wins.

    `use_ner=False` finds names from the lists and contexts only (no spaCy).
    """
    settings = settings or current()
    active = settings.active
    if not text or not active:
        return []
    lex = load_lexicon()
    cands: List[Tuple[int, int, str]] = []
    has_digit = any(ch.isdigit() for ch in text)
    if EPOST in active and ("@" in text or " at " in text or "(a" in text or "[a" in text):
        cands += _email_spans(text, lex)
    if NETTADRESSE in active and "." in text:
        cands += _url_spans(text, lex)
    if has_digit:
        cands += _digit_spans(text, lex)
        if sum(ch.isdigit() for ch in text) >= 8:
            cands += _phone_spans(text, lex)
        cands += _address_spans(text, lex)
    elif ADRESSE in active:
        cands += [c for c in _address_spans(text, lex)]
    if HELSE in active:
        cands += _health_spans(text, lex)
    if NAVN in active:
        covered = [(c[0], c[1]) for c in cands]
        cands += _name_spans(text, lex, use_ner, covered)
    placeholders = [(m.start(), m.end()) for m in _PLACEHOLDER_RE.finditer(text)]
    # Candidates of inactive categories still take part (so a phone number is not half
    # masked as NUMMER when only NUMMER is on), but are not masked.
    spans = _resolve(c for c in cands
                     if not any(c[0] < e and s < c[1] for s, e in placeholders))
    return _merge(text, [s for s in spans if s.category in active])


def mask_text(text: str, settings: Optional[MaskingSettings] = None,
              use_ner: bool = True) -> str:
    """`text` with every personal datum replaced by its placeholder ([NAVN], [TELEFON], ...)."""
    if not isinstance(text, str) or not text:
        return text
    spans = find_spans(text, settings, use_ner)
    if not spans:
        return text
    parts = []
    pos = 0
    for span in spans:
        parts.append(text[pos:span.start])
        parts.append(PLACEHOLDERS[span.category])
        pos = span.end
    parts.append(text[pos:])
    return "".join(parts)


def mask_value(obj: Any, settings: Optional[MaskingSettings] = None) -> Any:
    """A copy of `obj` with every string inside (dict values, list items) masked; keys kept."""
    if isinstance(obj, str):
        return mask_text(obj, settings)
    if isinstance(obj, dict):
        return {k: mask_value(v, settings) for k, v in obj.items()}
    if isinstance(obj, list):
        return [mask_value(v, settings) for v in obj]
    if isinstance(obj, tuple):
        return tuple(mask_value(v, settings) for v in obj)
    return obj
