"""Pure rules for the eligibility check: read the family's answers and assess the likely outcome."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Iterable, List, Optional

# Slot values the form stores (categories only: the exact age is not kept).
UNDER_18 = "under_18"
EXPECTING = "expecting"
ADULT = "18_or_over"
YES = "yes"
NO = "no"
UNKNOWN = "unknown"

# A parent is at least some 15 years older than the child and nobody is much past 115: an age
# above this is a typo ("110" for "10") and gets a re-ask, not a verdict.
MAX_PLAUSIBLE_AGE_YEARS = 100
RIGHT_ENDS_AT_AGE = 18  # source 003, «Hvor lenge kan dere ha en barnekoordinator?»


class Outcome(str, Enum):
    LIKELY = "likely"
    LIKELY_NOT = "likely_not"
    UNCLEAR = "unclear"


@dataclass(frozen=True)
class ChildStatus:
    """What the first answer said: a category, or why it could not be read."""

    value: Optional[str]  # UNDER_18, EXPECTING, ADULT, UNKNOWN; None when not understood
    problem: Optional[str] = None  # "not_understood", "impossible" or "several_children"


_NUMBER_WORDS = {
    "null": 0, "en": 1, "ett": 1, "én": 1, "ein": 1, "eitt": 1, "ei": 1, "one": 1,
    "to": 2, "two": 2, "tre": 3, "three": 3, "fire": 4, "four": 4, "fem": 5, "five": 5,
    "seks": 6, "six": 6, "sju": 7, "syv": 7, "seven": 7, "åtte": 8, "atte": 8, "eight": 8,
    "ni": 9, "nine": 9, "ti": 10, "ten": 10, "elleve": 11, "eleven": 11, "tolv": 12,
    "twelve": 12, "tretten": 13, "fjorten": 14, "femten": 15, "seksten": 16, "sytten": 17,
    "atten": 18, "nitten": 19, "tjue": 20, "tyve": 20, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
}
_MONTHS = {
    "januar": 1, "jan": 1, "january": 1, "februar": 2, "feb": 2, "february": 2, "mars": 3,
    "march": 3, "april": 4, "apr": 4, "mai": 5, "may": 5, "juni": 6, "june": 6, "juli": 7,
    "july": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9, "oktober": 10,
    "okt": 10, "october": 10, "november": 11, "nov": 11, "desember": 12, "des": 12,
    "december": 12,
}

# Pregnancy or an ongoing adoption (FACTS F5). "Venter på" alone is not enough: families wait
# for many things (an assessment, an answer, a place).
_EXPECTING = re.compile(
    r"\b(gravid\w*|svanger\w*|termin\w*|adopsjon\w*|adopter\w*|adopt\w*|ufødt\w*|ufødd\w*|"
    r"pregnan\w*|unborn|due date|expecting( a)? (baby|child)|we are expecting|expecting$|"
    r"(venter|ventar|venta|venter på|ventar på) (et |eit |ett |en |ein |ei |vårt |vår |"
    r"tvillinga?r?|tvillinger|barn|baby|unge|gutt|jente|lillesøster|lillebror|søsken)\w*|"
    r"(venter|ventar) på å få (hjem|heim)|skal få (et |eit )?barn|babyen (er |kommer|kjem)|"
    r"i (uke|veke) \d+)\b"
)
# "Gjeld retten òg når ein ventar barn?": a question about expecting in general, not the family
# saying it is expecting.
_EXPECTING_IN_GENERAL = re.compile(
    r"\b(når|nar|om|if|when|for)\s+(man|ein|en|du|you|one|people|de som|dei som|folk som)\s+"
    r"(venter|ventar|venta|er gravid|is expecting|are expecting|expects?|is pregnant|are pregnant)\b")
_NEWBORN = re.compile(r"\b(nyfødt\w*|nyfødd\w*|nyfodt\w*|nyfodd\w*|newborn|baby)\b")
_DONT_KNOW = re.compile(
    r"(^|\b)(vet ikke|vet ikkje|veit ikkje|veit ikke|vet itte|veit itj|vetikke|aner ikke|"
    r"aner ikkje|ane ikkje|ikke (helt |så |heilt |egentlig )?sikker\w*|"
    r"ikkje (heilt |so |så |eigentleg )?sikker\w*|not really sure|"
    r"ikke (helt )?godt å si|usikker\w*|uvisst|uklart|tja+|tjaa+|kanskje|kansje|muligens|"
    r"mulig(ens)?$|vanskelig å si|vanskeleg å seie|vet ikke helt|ingen anelse|vet vi ikke|"
    r"veit vi ikkje|venter på (en )?(utredning|svar|diagnose)|ventar på (utgreiing|svar)|"
    r"har ikke fått svar|ikke avklart|ikkje avklart|under utredning|utredes|"
    r"blir utredet|don'?t (really )?know|dont (really )?know|do not (really )?know|not sure|unsure|idk|maybe|perhaps|"
    r"hard to say|no idea|who knows|kan hende|kanhende|kommer an på|kjem an på|it depends|"
    r"depends|(vet|veit|vett)'?kj?e|(vet|veit|vett) ((vi|me|jeg|eg|æ|dem|de) )?((faktisk|egentlig|eigentleg|heller|jo|"
    r"nok|virkelig|verkeleg|rett og slett|ærlig talt|aerlig talt|ærleg talt|aerleg talt) )?(ikke|ikkje|itte|itj))(\b|$)"
)
_NO = re.compile(
    r"^(nei\w*|næi|nope|nææ?h?|næh|næ|naeh|naei|nah|no|neppe|ikke|ikkje|itte|itj|nei takk|nei da|neida|"
    r"absolutt ikke|absolutt ikkje|definitivt ikke|slett ikke|slett ikkje|overhodet ikke|"
    r"egentlig ikke|eigentleg ikkje|ikke egentlig|ikke i det hele tatt|ikkje i det heile|"
    r"not really|not at all|no way|never|aldri|det stemmer ikke|det stemmer ikkje|"
    r"stemmer ikke|stemmer ikkje|det er ikke (tilfelle|riktig)|feil|"
    r"(det )?(tror|trur) (jeg|eg|e|æ|i|vi|me) (ikke|ikkje|itte|itj)|"
    r"(jeg |eg |æ |i |vi |me )?(tror|trur) (ikke|ikkje|itte|itj) (det|d)|"
    r"(jeg|eg|æ|vi|me) (tror|trur) (ikke|ikkje|itte|itj)|"
    r"(i )?don'?t think so|(i )?do not think so)\b"
    r"|\b(stemmer ikke|stemmer ikkje|absolutt ikke|absolutt ikkje|definitivt ikke|"
    r"slett ikke|overhodet ikke|ikke i det hele tatt|not at all|absolutely not|definitely not|"
    r"certainly not|of course not)\b"
)
_YES = re.compile(
    r"^(ja+|jada|jaja|javisst|jaha|jass|jepp|japp|jess|jupp|jo|joda|jau|ja da|jada|ja takk|jauda|yes|yep|yeah|yup|yess|"
    r"y|sure|of course|absolutely|definitely|correct|right|true|stemmer|det stemmer|riktig|"
    r"korrekt|definitivt|absolutt|sikkert|helt sikkert|selvfølgelig|selvsagt|sjølvsagt|"
    r"sjølsagt|visst|ja visst|helt klart|heilt klart|klart|for sure|certainly|det gjør (hun|han|ho|den|det)|det har (hun|han|ho|vi)|"
    r"(jeg |eg |æ |i |vi |me )?(tror|trur) (det|d)|(det )?(tror|trur) (jeg|eg|æ|vi|me)|"
    r"(i )?think so)\b"
)


def normalise(text: str) -> str:
    """Lowercase, NFC, strip punctuation at the ends and fold white space."""
    text = unicodedata.normalize("NFC", text or "").lower()
    text = re.sub(r"\s+", " ", text).strip()
    return text.strip(" .,!;:")


def _to_number(token: str) -> Optional[float]:
    token = token.replace(",", ".")
    try:
        return float(token)
    except ValueError:
        return _NUMBER_WORDS.get(token)


_WORDS = "|".join(sorted(map(re.escape, _NUMBER_WORDS), key=len, reverse=True))
_NUM = r"(-?\d+(?:[.,]\d+)?|" + _WORDS + r")"
_UNIT_YEARS = r"(år|aar|ar|years?|yrs?|yo|y/o|åring|åringen)"
_UNIT_MONTHS = r"(måneder|måneders|måned|mnd|mån|månader|månad|maaneder|maneder|months?|mths?)"
_UNIT_WEEKS = r"(uker|ukers|uke|veker|veke|weeks?)"
_UNIT_DAYS = r"(dager|dag|dagar|days?|døgn)"
# An age given in a smaller unit, and how many of that unit make a year.
_UNITS_PER_YEAR = ((_UNIT_MONTHS, 12), (_UNIT_WEEKS, 52), (_UNIT_DAYS, 365))
_BORN = r"\b(født|fødd|fodt|fodd|born|f\.)\b"
_YEAR = r"\b(19[5-9]\d|20\d\d)\b"
# Several children in one answer: "2 barn", "to gutter", "begge", or two ages at once.
_SEVERAL = re.compile(
    r"\b((\d+|to|tre|fire|fem|two|three|four) (barn|unger|ungar|ungene|born|kids|children|"
    r"gutter|gutar|jenter|sønner|søner|døtre|døtrer|sons|daughters)|begge (barna|ungene|"
    r"borna)?|tvillingane|tvillingene|both of them|twins|"
    r"(en|ei|ein|one) (på|pa|of) \S+.*\b(og|and) (en|ei|ein|one) (på|pa|of))\b"
)


_TURNING = re.compile(r"\b(blir|fyller|fylle|fylla|fyllar|fyl|turns?|turning|snart|nesten|almost|nearly)\s+(?P<n>"
                      + _NUM[1:-1] + r")\b")
_TURNING_IN = re.compile(r"(?P<n>" + _NUM[1:-1] + r")\s*" + _UNIT_YEARS + r"?\s+om\s+(en |ei |ein |et |"
                         r"to |tre |\d+ )?(uke|uker|veke|veker|måned|måneder|mnd|dag|dager)\b")
# A number that is an age, not a count of children, times or money.
_BARE_NUMBER = re.compile(r"(?<![\w-])(-?\d+(?:[.,]\d+)?)(?!\w|\s*(barn|unger|ungar|kids|children|"
                          r"gutter|jenter|sønner|døtre|ganger|gonger|times|kr|kroner|%))")


_THIS_YEAR = re.compile(r"\b(i år|i ar|i aar|this year)\b")
_LAST_YEAR = re.compile(r"\b(i fjor|ifjor|last year)\b")


def _month_in(t: str) -> Optional[int]:
    for name, number in _MONTHS.items():
        if re.search(r"\b" + name + r"\b", t):
            return number
    return None


def _exact_age(born: date, today: date) -> float:
    """Years since a birth date, counted to the day ("født 20. desember 2008" is 17 until the
    20th)."""
    years = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return years + ((today - born).days % 365) / 366


def _birth_age(t: str, today: date) -> Optional[float]:
    """The age from a birth year or month ("født i 2019", "født mars 2020", "2019", "født
    20. desember 2008", "fodt i aug i ar")."""
    year_m = re.search(_YEAR, t)
    if not year_m:
        month = _month_in(t) if re.search(_BORN, t) else None
        last_year = bool(_LAST_YEAR.search(t))
        if month and (last_year or _THIS_YEAR.search(t)):
            return max(((12 if last_year else 0) + today.month - month) / 12, 0.0)
        return None
    born = re.search(_BORN, t)
    unit_after = re.search(_YEAR + r"\s*" + _UNIT_YEARS, t)
    if not born and (unit_after or re.search(r"\d", t.replace(year_m.group(1), ""))):
        return None  # "2019" beside other numbers is not clearly a birth year
    year = int(year_m.group(1))
    month = _month_in(t)
    day_m = re.search(r"\b(\d{1,2})\.?\s+[a-zæøå]+\.?\s+" + str(year) + r"\b", t)
    if month and day_m:
        try:
            return _exact_age(date(year, month, int(day_m.group(1))), today)
        except ValueError:
            pass
    m = re.search(r"\b(\d{1,2})[./](\d{1,2})[./]" + r"(19[5-9]\d|20\d\d)\b", t)
    if m:
        try:
            return _exact_age(date(year, int(m.group(2)), int(m.group(1))), today)
        except ValueError:
            month = int(m.group(2))
    months = (today.year - year) * 12 + ((today.month - month) if month else 0)
    return months / 12


# "har hatt leukemi i to år", "for three years", "siden 2 mnd": how long, not how old.
# Any unit of time, one alternation.
_ANY_UNIT_WORD = "|".join(u.strip("()") for u in (_UNIT_YEARS, _UNIT_MONTHS, _UNIT_WEEKS, _UNIT_DAYS))
_DURATION = re.compile(r"\b(i|for|in|siden|sidan|sia)\s+((over|nesten|snart|ca\.?|omtrent|about|almost)\s+)?"
                       + _NUM + r"\s*(" + _ANY_UNIT_WORD + r")\b")


# "født for seks uker siden", "born three months ago": an age, though "for seks uker" alone is
# how long.
_BORN_AGO = re.compile(_BORN + r"\s+(for\s+)?" + _NUM + r"\s*(?P<unit>" + _ANY_UNIT_WORD
                       + r")\s+(siden|sidan|sia|ago)\b")
_ANY_UNIT = ((_UNIT_YEARS, 1),) + _UNITS_PER_YEAR
# "type 1 diabetes", "SMA type 2": a kind of illness, no age.
_TYPE_NUMBER = re.compile(r"\b(type|typ)\s*\d+\b")
_ONE_AND_A_HALF = re.compile(r"\b(halvannet|halvanna|halvtanna|halvtannet|one and a half)\b")
# "født i uke 25", "gravid i veke 30": a week of pregnancy, no age; born in it, no expecting.
_WEEK = r"(i |in )?(uke|veke|week|svangerskapsuke)\s*\d+\b"
_BORN_IN_WEEK = re.compile(_BORN + r"\s+" + _WEEK)
_WEEK_OF_PREGNANCY = re.compile(r"\b" + _WEEK)


def _in_years(number: str, unit: str) -> float:
    per_year = next(n for u, n in _ANY_UNIT if re.fullmatch(u, unit))
    return _to_number(number) / per_year


# "Gutten e seks og har leukemi", "ein gut på fem": a number word right after the child is its
# age (not "en"/"ei", which are articles too).
_CHILD_IS_WORD = re.compile(
    r"\b(han|hun|ho|he|she|gutten|guten|gutt|gut|jenta|jenten|jente|sønnen|sonen|sønn|datteren|"
    r"dattera|datter|dottera|dotter|barnet|ungen|ongen|onga|son|daughter|girl|boy|kid|child)"
    r"(\s+(vår|vårt|var|min|mi|mitt|our|my))?\s+(er|e|é|æ|is|på|pa|of)\s+(?P<w>"
    + "|".join(sorted((re.escape(w) for w in _NUMBER_WORDS if w not in {"en", "ett", "én", "ein", "eitt", "ei", "one", "null"}),
                      key=len, reverse=True)) + r")\b")


def ages_in_years(text: str, today: Optional[date] = None) -> List[float]:
    """Every age a message states, in years (usually one)."""
    t = normalise(text)
    ago = _BORN_AGO.search(t)
    if ago:
        return [_in_years(ago.group(3), ago.group("unit"))]
    t = _DURATION.sub(" ", _WEEK_OF_PREGNANCY.sub(" ", _TYPE_NUMBER.sub(" ", t)))
    today = today or date.today()
    if _ONE_AND_A_HALF.search(t):
        return [1.5]
    if _NEWBORN.search(t):
        return [0.0]
    born = _birth_age(t, today)
    if born is not None:
        return [born]
    if re.search(r"\b(et|eit|ett|a) halvt? (år|year)", t) or t in {"et halvt år", "halvt år"}:
        return [0.5]
    # "18 år og 2 måneder": the years decide; "17 og et halvt" likewise.
    m = re.search(_NUM + r"\s*" + _UNIT_YEARS + r"\s*(og|and|,)\s*" + _NUM + r"\s*" + _UNIT_MONTHS, t)
    if m:
        return [_to_number(m.group(1)) + _to_number(m.group(4)) / 12]
    # "blir 3 i mai", "snart 18", "18 år om to uker": the age now is one less; but in
    # "17, men fyller 18 neste uke" the age stated first wins.
    m = _TURNING.search(t) or _TURNING_IN.search(t)
    if m:
        stated = _BARE_NUMBER.search(t[:m.start()])
        if stated:
            return [float(stated.group(1).replace(",", "."))]
        return [max(_to_number(m.group("n")) - 1, 0)]
    if _SEVERAL.search(t):
        # "en på 4 år og en på 10 måneder": every age, in whatever unit each is given.
        given = sorted((m.start(), _to_number(m.group(1)) / per_year) for unit, per_year in _ANY_UNIT
                       for m in re.finditer(_NUM + r"\s*" + unit + r"\b", t))
        if len(given) > 1:
            return [age for _, age in given]
    for unit, per_year in _UNITS_PER_YEAR:
        m = re.search(_NUM + r"\s*" + unit + r"\b", t)
        if m:
            return [_to_number(m.group(1)) / per_year]
    if re.search(r"\bover (18|atten)\b", t):
        return [18.0]
    if re.search(r"\bunder (18|atten)\b", t):
        return [17.0]
    # Bare numbers: digits anywhere ("hun er 5"), number words only before "år" or at the end
    # ("fem år", "ho er seks"), since "en", "ei" and "to" are ordinary words too.
    half = 0.5 if re.search(r"og (et|eit) halvt", t) else 0.0
    current = [float(m.group(1).replace(",", ".")) + half for m in _BARE_NUMBER.finditer(t)]
    if current:
        return current
    m = re.search(r"\b(?P<w>" + _WORDS + r")\s*(år|ar|years?|yrs?|og (et|eit) halvt)\b", t) \
        or re.search(r"\b(?P<w>" + _WORDS + r")$", t) or _CHILD_IS_WORD.search(t)
    if m:
        return [_NUMBER_WORDS[m.group("w")] + half]
    return []


def age_in_years(text: str, today: Optional[date] = None) -> Optional[float]:
    """The age a message states, in years, or None when it states none."""
    ages = ages_in_years(text, today)
    return ages[0] if ages else None


# "hun er 15, ikke 5", "han er fem, ikkje fire": the age taken back. Not "en", "ei", "et" ...
# ("ikke en gang"), which are words before they are numbers.
_TAKEN_BACK_WORDS = "|".join(w for w in sorted(_NUMBER_WORDS, key=len, reverse=True)
                             if w not in ("en", "ei", "ein", "et", "eit", "ett", "one"))
_AGE_TAKEN_BACK = re.compile(r"\b(ikke|ikkje|itte|itj|not)\s+(\d+|" + _TAKEN_BACK_WORDS +
                             r")(\s*(år|ar|mnd|måneder|månader|years?))?\b")


_HUM = re.compile(r"^(hm+|hmm+|mm+)\W*$")


def thinks_aloud(text: str) -> bool:
    """A bare "hmm": no answer, whatever the classifier hears in it."""
    return bool(_HUM.match(normalise(text)))


_YOUNGEST = re.compile(r"\b(yngst\w*|minst\w*|youngest|younger|little one|lillebror\w*|babyen|the baby|"
                       r"lillesøster\w*|veslebror\w*|veslesyster\w*)\b")
_OLDEST = re.compile(r"\b(eldst\w*|størst\w*|storst\w*|oldest|eldest|older|storebror\w*|"
                     r"storesøster\w*|storesyster\w*)\b")
# "den midterste" of three: the middle age (set 28).
_MIDDLE = re.compile(r"\b(midterst\w*|mellomst\w*|midtarst\w*|middle|the middle one|nummer to av tre)\b")


def chosen_child_age(text: str, earlier: Iterable[str], today: Optional[date] = None
                     ) -> Optional[float]:
    """After "which child?": the age of "den yngste", "the oldest" or (of three) "den midterste"
    among the ages the family gave before ("Vi har to barn på 4 og 9"), or None."""
    t = normalise(text)
    youngest, oldest, middle = _YOUNGEST.search(t), _OLDEST.search(t), _MIDDLE.search(t)
    if [bool(youngest), bool(oldest), bool(middle)].count(True) != 1:
        return None
    for before in reversed(list(earlier)):
        ages = sorted(set(ages_in_years(before, today)))
        if middle and len(ages) == 3:
            return ages[1]
        if len(ages) > 1 and not middle:
            return ages[0] if youngest else ages[-1]
    return None


def status_of_age(years: float) -> ChildStatus:
    """The category of an age in years."""
    if years < 0 or years > MAX_PLAUSIBLE_AGE_YEARS:
        return ChildStatus(None, "impossible")
    return ChildStatus(UNDER_18 if years < RIGHT_ENDS_AT_AGE else ADULT)


def parse_child_status(text: str, today: Optional[date] = None) -> ChildStatus:
    """Read the answer to "how old is the child, or are you expecting?"."""
    # "hun er 15, ikke 5": the age taken back is not a second child.
    t = _AGE_TAKEN_BACK.sub(" ", normalise(text))
    if not t.strip() or _HUM.match(t.strip()):
        # A bare "hmm" at the age question is thinking, not "we don't know the age".
        return ChildStatus(None, "not_understood")
    expecting = bool(_EXPECTING.search(_BORN_IN_WEEK.sub(" ", t))
                     and not _EXPECTING_IN_GENERAL.search(t))
    # "Vi venter barn i februar ... vi vet ikke hva som skjer etter fødselen": what they do not
    # know is not whether they are expecting.
    if _DONT_KNOW.search(t) and not re.search(r"\d", t) and not expecting:
        return ChildStatus(UNKNOWN)
    ages = ages_in_years(t, today)
    if _SEVERAL.search(t) and not _EXPECTING.search(t) or len(set(ages)) > 1:
        return ChildStatus(None, "several_children")
    if expecting:
        return ChildStatus(EXPECTING)
    if not ages:
        return ChildStatus(None, "not_understood")
    return status_of_age(ages[0])


_NOT_REALLY = re.compile(
    r"\b(egentlig ikke|eigentleg ikkje|ikke egentlig|ikkje eigentleg|not really)\b"
    r"(?!\s+(sikker|sikkert|sure))")
# "eg veit ikkje eigentleg": the "ikkje" belongs to not knowing.
# "Det vet jeg egentlig ikke", "aner ikke egentlig", "I don't really know": also not knowing.
_KNOW_NOT = re.compile(
    r"\b(vet|veit|vett|know|aner|ane|anar)\s+((jeg|eg|æ|e|i|vi|me|dem|de)\s+)?"
    r"((egentlig|eigentleg|faktisk|really|virkelig|verkeleg)\s+)?(ikke|ikkje|itte|itj|not)\b"
    r"|\b(don'?t|do not|dont)\s+(really\s+)?know\b")


# "ok. nei, ..." / "greit, ja": an acknowledgement of what was said before the answer itself.
_ACKNOWLEDGED = re.compile(r"^((ok(ay|ei|e)?|greit|javel|aha|ah|mm|fint|takk|tusen takk|thanks|og|and)"
                          r"[\s,.!:;-]+)+(?=\w)")
# "never mind" is no "never".
_NEVER_MIND = re.compile(r"\b(never ?mind)\b")


# "Ja, hun trenger BUP, PPT og kanskje avlastning": after a clear yes, "kanskje" before a
# service is about that one service, not a hedge on the answer.
_HEDGED_SERVICE = re.compile(r"\b(kanskje|kansje|muligens|maybe|perhaps|possibly)\s+"
                             r"(også |og |also |some )?(?=(\w+))")


# "Ja, han har mange anfall, men legene vet ikke hvorfor": after a clear yes, not knowing the
# cause is no hedge on the answer (the child need not have a diagnosis, FACTS F4).
_CAUSE_UNKNOWN = re.compile(
    r"\b(vet|veit|veid|know|knows)\s+(ikke|ikkje|ikkje enno|not)\s+(enda |ennå |enno |ennu |yet )?"
    r"(hvorfor|kvifor|korfor|årsak\w*|arsak\w*|grunnen|why|the cause|what causes (it|this))\b"
    r"|\b(do not|don't|dont|does not|doesn't)\s+know\s+(yet\s+)?(why|the cause|what causes (it|this))\b")


def _hedged_services_dropped(t: str) -> str:
    if not _YES.match(t):
        return t
    t = _CAUSE_UNKNOWN.sub(" ", t)
    return _HEDGED_SERVICE.sub(
        lambda m: " " if _SERVICE.fullmatch(m.group(3)) else m.group(0), t)


def parse_yes_no(text: str, intent: Optional[str] = None) -> Optional[str]:
    """YES, NO or UNKNOWN from a button, a word or the NLU intent; None when unclear.

    Hedges are read before negations, and negations before yes words, so "ikke helt sikker"
    is unknown and "absolutt ikke" / "det stemmer ikke" are no.
    """
    t = _NEVER_MIND.sub(" ", _ACKNOWLEDGED.sub("", normalise(text))).strip()
    if _HUM.match(t):
        return None  # "hmm" is thinking aloud, not "don't know": the question is asked again
    if _NOT_REALLY.search(t) and not _KNOW_NOT.search(t):
        return NO  # "nja, ikkje eigentleg", "tja, egentlig ikke": a soft no
    if _DONT_KNOW.search(_hedged_services_dropped(t)) or intent == "dont_know":
        return UNKNOWN
    if _NO.search(t):
        return NO
    if _YES.match(t):
        return YES
    if intent == "affirm":
        return YES
    if intent == "deny":
        return NO
    return None


# A description of the child's condition answers question 2 with yes (FACTS F4: no diagnosis
# is needed; what counts is how serious it is).
_CONDITION = re.compile(
    r"\b(syk(?!ehus|epleie|epeng|ehjem|emeld)\w*|sjuk(?!ehus|epleie|epeng|eheim|emeld)\w*|skade\w*|skadd\w*|skadet|diagnose\w*|funksjonsnedsett\w*|"
    r"funksjonsevne|funksjonshemm\w*|handikap\w*|utviklingshemm\w*|psykisk utviklings\w*|"
    r"autis\w*|adhd|epilep\w*|cerebral|parese|cp|downs?|syndrom\w*|\w*kreft\w*|leukemi|leukemia|"
    r"\w*svulst\w*|\w*sykdom\w*|\w*sjukdom\w*|duchenne|sma|tumou?r|hjertefeil|hjertesyk\w*|ryggmarg\w*|muskel\w*|kronisk\w*|alvorlig\w*|"
    r"alvorleg\w*|lam|lammet|lamma|rullestol|blind|svaksynt|døv|dov|hørselshemm\w*|"
    r"sondemat\w*|respirator|oksygen|trakeostomi|transplant\w*|spastisk\w*|misdann\w*|"
    r"genfeil|kromosom\w*|sjelden\w*|hjerneskade\w*|premature?|prematur\w*|for tidlig født|"
    r"disab\w*|illness|ill|injur\w*|condition|diagnos\w*|cancer|seizures?|disease\w*|disorder\w*|"
    r"syndrome|muscle\w*|brain damage|paraly\w*|wheelchair|deaf|blind|severe\w*|"
    r"developmental|delays?|forsinket utvikling|utviklingsforsink\w*|anfall\w*|innlagt\w*|innlagd\w*|"
    r"cystisk fibrose|fibrose|spina bifida|hydrocephal\w*|nyresvikt|hjertesvikt|leversvikt|"
    r"dystrofi\w*|dystrophy|cystic fibrosis|leukaemia|serious)\b"
)
# Several services over time answer question 3 with yes.
_SERVICE = re.compile(
    r"\b(nav|ppt|bup|habilitering\w*|habu|fysio\w*|ergo\w*|logoped\w*|avlastning\w*|"
    r"hjemmesykepleie\w*|heimesjukepleie\w*|helsesykepleier\w*|helsesøster|spesialpedagog\w*|"
    r"assistent\w*|barnehage\w*|skole\w*|skule\w*|sfo|sykehus\w*|sjukehus\w*|unn|lege\w*|"
    r"spesialist\w*|hjelpemidl\w*|hjelpemiddel\w*|støttekontakt\w*|bpa|omsorgsstønad\w*|"
    r"pleiepenger\w*|ansvarsgruppe\w*|individuell plan|tilrettelegg\w*|psykolog\w*|"
    r"ergoterapeut\w*|tjenest\w*|tenest\w*|instans\w*|etat\w*|services?|therap\w*|school|"
    r"kindergarten|hospital)\b"
)
_SERVICE_KINDS = [re.compile(alt + r"$") for alt in
                  _SERVICE.pattern[len(r"\b("):-len(r")\b")].split("|")]


def _service_kind(word: str) -> str:
    """Which entry of _SERVICE a word matched ("skoleskyss" and "skolen" are both skole)."""
    return next((k.pattern for k in _SERVICE_KINDS if k.match(word)), word)


def _service_kinds(t: str) -> set:
    """The services a (normalised) text names; one named twice ("skoleskyss ... skolen") is one."""
    return {_service_kind(m.group(1)) for m in _SERVICE.finditer(t)}


_MANY_OR_LONG = re.compile(
    r"\b(mange|flere|fleire|masse|lots|many|several|all|alle|(mye|mykje) (hjelp|oppfølging|"
    r"støtte|tenester|tjenester)|hele livet|heile livet|"
    r"resten av livet|lang tid|lenge|langvarig\w*|i mange år|for alltid|permanent\w*|"
    r"long time|long-term|long term|for years|hele tiden|heile tida|fast\w*)\b"
)
_DIAGNOSIS = re.compile(r"^(diagnos\w*)$")
_HELP = re.compile(r"\b(hjelp\w*|help|oppfølging\w*|oppfølgjing\w*|støtte|support|care)\b")
_NEGATION = r"(ikke|ikkje|itte|itj|ingen|inga|uten|utan|not|no|never|aldri|don'?t|doesn'?t)"


# "ingen diagnose, men ...", "not much, but ...": what follows the "but" counts.
_BUT = re.compile(r"\b(men|but)\b")
_BUT_AND_MORE = re.compile(_BUT.pattern + r"\s+\w+")


def _negated(t: str, words: re.Pattern) -> bool:
    """A negation up to three words before one of `words` ("ingen alvorlig sykdom", "trenger
    ikke noe hjelp"); a negation elsewhere ("holder ikke det?") does not count."""
    for m in words.finditer(t):
        before = t[:m.start()].split()[-3:]
        if any(re.fullmatch(_NEGATION, w.strip(",.;:!?")) for w in before):
            return True
    return False


def condition_from_description(text: str) -> Optional[str]:
    """YES (or NO when negated) when the message describes an illness, injury or disability."""
    t = normalise(text)
    named = {m.group(1) for m in _CONDITION.finditer(t)}
    if "[helse]" in t:  # a diagnosis masked before it was stored (bot/privacy/masking.py)
        named.add("[helse]")
    if not named:
        return None
    if _negated(t, _CONDITION) and not _BUT.search(t):
        # "Ingen diagnose" says nothing about how serious it is (FACTS F4).
        return None if all(_DIAGNOSIS.match(word) for word in named) else NO
    return YES


# Words that tell of a hard time in hospital, not of which illness: enough for a description of
# the own child, not for answering question 2 before it is asked.
_STAY_ONLY = re.compile(r"^(innlagt\w*|innlagd\w*)$")


_HEALTHY = re.compile(r"\b(frisk\w*|healthy)\b")
_SICK_ONLY = re.compile(r"^(syk|sjuk|sykt|sjukt|syke|sjuke|sick|ill|illness)$")


def condition_ahead_of_question(text: str) -> Optional[str]:
    """Question 2 read from a message sent before it was asked: as condition_from_description,
    but a hospital stay alone ("har vore innlagd tre gonger") is no answer (families expect to
    be asked), nor the word diagnosis alone ("må barnet ha en diagnose?"), nor "syk" alone ("har
    vært mye syk": how serious?), nor an illness the child has recovered from ("hadde kreft, nå
    er han frisk")."""
    t = normalise(text)
    named = {m.group(1) for m in _CONDITION.finditer(t)}
    if named and all(_STAY_ONLY.match(word) or _DIAGNOSIS.match(word) or _SICK_ONLY.match(word)
                     for word in named):
        # "Må barnet ha en diagnose?" says nothing of this child; "har vært mye syk" not how
        # serious.
        return None
    if _HEALTHY.search(t) and not _negated(t, _HEALTHY):
        return None  # "hadde kreft ... nå er han heldigvis frisk": ask how it is now
    return condition_from_description(text)


# "no diagnosis yet, but ...", "nei, ingen diagnose enda": a no about the diagnosis only.
_NO_DIAGNOSIS = re.compile(
    r"\b(no|ingen|inga|ikke|ikkje|itte|not|without|uten|utan)\s+(\w+\s+){0,2}diagnos\w*")


def parse_condition(text: str, intent: Optional[str] = None) -> Optional[str]:
    """Answer to question 2 (serious illness, injury or disability), or None when unclear.

    A "no" that is about the diagnosis ("no diagnosis yet, but he cannot walk") is no answer:
    the right needs no diagnosis (FACTS F4), so the rest of the message decides, and without
    a description the question is asked again."""
    t = normalise(text)
    no_diagnosis = _NO_DIAGNOSIS.search(t)
    if no_diagnosis:
        rest = re.sub(r"^\W*(nei\w*|no)\b", " ", t[:no_diagnosis.start()]) + " " + t[no_diagnosis.end():]
        described = condition_from_description(rest)
        if described is not None:
            return described
        if _HEALTHY.search(rest):
            return NO
        # "ingen diagnose ennå, men hun har store anfall": the "but" tells what she has.
        return YES if _BUT_AND_MORE.search(rest) else None
    answer = parse_yes_no(text, intent)
    if answer is not None:
        return answer
    described = condition_from_description(text)
    if described is None and _HEALTHY.search(t) and not _negated(t, _HEALTHY):
        return NO  # "he is healthy, I was just curious"
    return described


def needs_from_description(text: str) -> Optional[str]:
    """Question 3 read from a description of services: YES for several or long-term, NO when
    negated, UNKNOWN for one service alone (the kommune has to judge), None when none named."""
    t = normalise(text)
    services = _service_kinds(t)
    if not services and not _MANY_OR_LONG.search(t):
        return None
    if _negated(t, _SERVICE) or _negated(t, _HELP):
        return NO if not _BUT.search(t) else UNKNOWN
    if len(services) >= 2 or ((services or _HELP.search(t)) and _MANY_OR_LONG.search(t)):
        return YES
    return UNKNOWN


# How long: what a message must say before the question about long-term needs is asked, for a
# description to answer it ahead of time. "We drown in appointments with the hospital, school and
# NAV" tells of several services, not of how long; a family expects to be asked.
_LONG = re.compile(
    r"\b(hele livet|heile livet|resten av livet|lang tid|lenge|langvarig\w*|(i )?mange (år|ar|aar)|"
    r"i (fleire|flere) år|for alltid|permanent\w*|varig\w*|livslang\w*|long time|long-term|"
    r"long term|for years|lifelong|for life|ongoing|kronisk\w*|chronic\w*)\b"
)


_NEEDED = re.compile(r"\b(trenge\w*|treng|trengs|behov|need\w*|kommer til å|kjem til å|will)\b")
_MANY_SERVICES = re.compile(
    r"\b(mange|flere|fleire|masse|lots of|many|several|all (the|these))\s+(\w+\s+)?(tjenest\w*|"
    r"tenest\w*|instans\w*|etat\w*|services?|folk|fagfolk|people|hjelp|help|oppfølging\w*)\b")


def needs_ahead_of_question(text: str) -> Optional[str]:
    """Question 3 read from a message sent before it was asked: YES only when one sentence tells
    of several services (or "many services") over a long time ("mange tjenester i mange år"), or
    the message names several services and a sentence says they will be needed for long,
    NO when the message denies needing help. An illness that has lasted long ("slitt med angst i
    lang tid") or a long hospital stay is no answer: families expect to be asked."""
    needs = needs_from_description(text)
    if needs == NO:
        return NO
    t = normalise(text)
    sentences = re.split(r"[.!?;]+", t)
    for sentence in sentences:
        if ((len(_service_kinds(sentence)) >= 2 or _MANY_SERVICES.search(sentence)) and _LONG.search(sentence)
                and needs_from_description(sentence) == YES):
            return YES
    # "Han har fysioterapeut, ergoterapeut og avlastning. Legene sier han kommer til å trenge
    # all denne hjelpen i mange år": the services, then that they are needed for long.
    if len(_service_kinds(t)) >= 2 and any(
            _NEEDED.search(s) and _LONG.search(s) for s in sentences):
        return YES
    return None


def parse_needs(text: str, intent: Optional[str] = None) -> Optional[str]:
    """Answer to question 3 (help from several services over a long time), or None."""
    answer = parse_yes_no(text, intent)
    return answer if answer is not None else needs_from_description(text)


_CORRECTION = re.compile(
    r"^((?:nei|å|åh|oh|oj|oi),? (?:vent|unnskyld|orsak|sorry|beklager|feil|oi|wait)|næi,? (?:vent|orsak|unnskyld)|vent|oi|oops|unnskyld|orsak|sorry|beklager|feil|jeg mente|eg meinte|wait,? (actually|no|sorry)|"
    r"æ mente|i mean|i meant|rettelse|korreksjon|skrev feil|glem det|glæm det|gløm det)\b|\b(jeg mente|eg meinte|"
    r"i meant|skrev feil|skreiv feil|tok feil|mente å skrive|mente jeg|meinte eg|mente æ|mente e|"
    r"misforsto|misforstod|misread|misunderstood|sorry, |(husk|hugs|minn)\w* ((jeg|eg|æ|e|vi|me) )?feil|"
    r"remembered wrong|misremembered)\b"
)
_QUESTION_WORDS = re.compile(
    r"^(hva|hvem|hvor|hvordan|hvorfor|hvilke\w*|når|kva|kven|kor|korleis|kvifor|ka|kem|koss|"
    r"kan|kor|må|ma|nar|skal|er det|har vi|får vi|far vi|gjelder|koster|blir|what|who|how|why|when|can|"
    r"does|do|is|are|will|should)\b"
)


def is_correction(text: str) -> bool:
    """The family corrects an earlier answer ("nei vent, hun er 7", "jeg mente 17", "han er
    fem, ikkje fire")."""
    t = normalise(text)
    return bool(_CORRECTION.search(t) or _AGE_TAKEN_BACK.search(t))


# The first clause of a message, up to the first punctuation mark.
_FIRST_CLAUSE = re.compile(r"^\s*([^.,!:;?]+)[.,!:;]")
OPENING_ANSWER_MAX_WORDS = 3


def opening_yes_no(text: str) -> Optional[str]:
    """YES or NO when a message opens with one and asks nothing ("ja. BPA, skolen, nav. alt
    mulig", "nei, bare barnehagen"), else None."""
    clause = _FIRST_CLAUSE.match(text or "")
    if (is_question(text) or not clause or len(clause.group(1).split()) > OPENING_ANSWER_MAX_WORDS
            or is_question(text[clause.end():])):
        return None
    answer = parse_yes_no(clause.group(1))
    return answer if answer in (YES, NO) else None


# "ja men ma vi betale noe": the question after an opening yes or no.
_OPENING_YES_NO = re.compile(r"^(ja|jo|jepp|jada|nei|yes|no|ok|okei)\W*(men|but)\W+")


def is_question(text: str) -> bool:
    """The message asks something (a question mark or a question word first); "??" alone is
    confusion, not a question."""
    raw = (text or "").strip()
    if not re.search(r"\w", raw):
        return False
    t = normalise(raw)
    return "?" in raw or bool(_QUESTION_WORDS.match(t) or _QUESTION_WORDS.match(_OPENING_YES_NO.sub("", t)))


_STATES = re.compile(
    r"\b(hun|han|ho|barnet|gutten|guten|jenta|sønnen|sonen|datteren|dattera|he|she)\s+"
    r"(har|får|fikk|fekk|går|gjekk|trenger|treng|bruker|has|gets|got|needs|uses)\b"
)


_OWN_CHILD = re.compile(
    r"\b((sønnen|sonnen|sonen|son|sønn|guten|gutten|datteren|dattera|dotter|dottera|dottra|jenta|jenten|"
    r"barnet|ungen|babyen)\s+(min|mi|mitt|vår|vårt|vårres|vores|vor|var|mine)|(min|mi|mitt|vår|vårt)\s+(sønn|son|datter|"
    r"dotter|jente|gutt|barn|unge)|(my|our)\s+(son|daughter|child|kid|baby|boy|girl)|"
    r"(hun|han|ho|he|she)\s+(har|får|has|gets|is|er|e)|vi har (en|ei|ein|et|eit) (gutt|jente|"
    r"sønn|datter|barn|unge))\b"
)


def describes_own_child(text: str) -> bool:
    """The message tells about the family's own child: its condition or the services it gets
    ("sønnen min har autisme og trenger hjelp i skolen"), not "foreldre med syke barn"."""
    t = normalise(text)
    # "Vi ventar barn til sommaren, og på ultralyden fann dei ein alvorleg kromosomfeil": the
    # family's own child, not yet born.
    own = _OWN_CHILD.search(t) or (_EXPECTING.search(t) and not _EXPECTING_IN_GENERAL.search(t))
    return bool(own) and (
        condition_from_description(t) is not None or needs_from_description(t) == YES)


def states_facts(text: str) -> bool:
    """The message tells what the child has or gets ("hun har jo både avlastning og ..."), even
    when it ends as a question ("holder ikke det?")."""
    return bool(_STATES.search(normalise(text)))


def assess(child_status: Optional[str], serious_condition: Optional[str],
           long_term_needs: Optional[str]) -> Outcome:
    """Combine the three criteria (source 000, «Hvem kan få barnekoordinator?»).

    All three must hold for the right. One clear "no" means likely not entitled; otherwise any
    "don't know" (or a missing answer) means the kommune has to judge: unclear.
    """
    answers = [
        None if child_status is None else (YES if child_status in (UNDER_18, EXPECTING)
                                           else NO if child_status == ADULT else UNKNOWN),
        serious_condition,
        long_term_needs,
    ]
    if NO in answers:
        return Outcome.LIKELY_NOT
    if all(a == YES for a in answers):
        return Outcome.LIKELY
    return Outcome.UNCLEAR


def concluded(child_status: Optional[str], serious_condition: Optional[str]) -> bool:
    """Whether the outcome is already known before the last questions: a clear no decides."""
    return child_status == ADULT or serious_condition == NO
