"""Pure text rules for SMS: segment counting, plain text, numbered choices, keywords, shortening."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, List, Mapping, Optional, Sequence, Tuple

from actions.knowledge import SOURCE_LABEL, channel_texts

# GSM 03.38 default alphabet (one septet each). Æ, æ, Ø, ø, Å, å are in it, so plain
# Norwegian text stays GSM-7. "\x1b" (escape) is left out: it only introduces the extension table.
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# Extension table: each of these costs two septets (escape + character).
GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")

GSM7_SINGLE_SEPTETS = 160
GSM7_MULTI_SEPTETS = 153  # 7 septets of each part go to the concatenation header
UCS2_SINGLE_UNITS = 70
UCS2_MULTI_UNITS = 67

DEFAULT_MAX_SEGMENTS = 3
MORE_KEYWORD = "MER"
MORE_HINT = channel_texts()["sms"]["more_hint"]  # knowledge/channels.yml


@dataclass(frozen=True)
class SegmentInfo:
    """How an SMS body travels: its encoding, its length in units and in segments."""

    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets for GSM-7, UTF-16 code units for UCS-2
    segments: int


def is_gsm7(text: str) -> bool:
    """True if every character is in the GSM-7 default alphabet or its extension table."""
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in text)


def _pack(costs: Iterable[int], single: int, multi: int) -> Tuple[int, int]:
    """Count units and segments; a multi-unit character is never split across two segments."""
    costs = list(costs)
    total = sum(costs)
    if total == 0:
        return 0, 0
    if total <= single:
        return total, 1
    segments, used = 1, 0
    for cost in costs:
        if used + cost > multi:
            segments += 1
            used = 0
        used += cost
    return total, segments


def count_segments(text: str) -> SegmentInfo:
    """Segment count of an SMS body: GSM-7 if every character allows it, otherwise UCS-2.

    One character outside GSM-7 (an emoji, a curly quote) turns the whole message into UCS-2,
    which fits 70 characters in one segment instead of 160. An empty body counts as 0 segments.
    """
    if is_gsm7(text):
        units, segments = _pack(
            (2 if ch in GSM7_EXTENDED else 1 for ch in text),
            GSM7_SINGLE_SEPTETS,
            GSM7_MULTI_SEPTETS,
        )
        return SegmentInfo("GSM-7", units, segments)
    # UTF-16: characters beyond the Basic Multilingual Plane (most emoji) take two units.
    units, segments = _pack(
        (2 if ord(ch) > 0xFFFF else 1 for ch in text), UCS2_SINGLE_UNITS, UCS2_MULTI_UNITS
    )
    return SegmentInfo("UCS-2", units, segments)


# Typographic characters that would force UCS-2, replaced by GSM-7 look-alikes with the same
# meaning. Letters are never touched: a name with "ü" or "á" keeps its spelling.
_GSM_FRIENDLY = {
    "\u00ab": '"', "\u00bb": '"',  # « »  (Norwegian quotation marks)
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"',
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u00b4": "'", "`": "'",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u2026": "...",
    "\u2022": "-", "\u00b7": "-", "\u25cf": "-", "\u25aa": "-",
    "\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u200a": " ", "\u202f": " ",
    "\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "", "\ufeff": "",
    "\t": " ",
}
_GSM_FRIENDLY_TABLE = str.maketrans(_GSM_FRIENDLY)

_LINK = re.compile(r"\[([^\]\n]+)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_AUTOLINK = re.compile(r"<((?:https?://|mailto:|tel:)[^>\s]+)>")
_BOLD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", re.DOTALL)
_ITALIC_STAR = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_ITALIC_UNDERSCORE = re.compile(r"(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])")
_CODE = re.compile(r"`([^`\n]+)`")
_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.*?)[ \t#]*$", re.MULTILINE)
_BULLET = re.compile(r"^[ \t]*[*+\u2022][ \t]+", re.MULTILINE)
_QUOTE = re.compile(r"^[ \t]*>[ \t]?", re.MULTILINE)
_RULE = re.compile(r"^[ \t]*([-*_])([ \t]*\1){2,}[ \t]*$", re.MULTILINE)
_TRAILING_SPACE = re.compile(r"[ \t]+$", re.MULTILINE)
_MANY_BLANK_LINES = re.compile(r"\n{3,}")
_MANY_SPACES = re.compile(r" {2,}")


def _plain_link(match: "re.Match[str]") -> str:
    label, target = match.group(1).strip(), match.group(2).strip()
    for prefix in ("mailto:", "tel:"):
        if target.lower().startswith(prefix):
            target = target[len(prefix):]
    if label.lower() in {target.lower(), target.lower().split("://", 1)[-1]}:
        return target
    return f"{label}: {target}"


def _plain_autolink(match: "re.Match[str]") -> str:
    target = match.group(1)
    for prefix in ("mailto:", "tel:"):
        if target.lower().startswith(prefix):
            return target[len(prefix):]
    return target


def markdown_to_sms(text: str) -> str:
    """Turn the assistant's Markdown into plain SMS text.

    Emphasis marks disappear, links become "label: address", bullets become "-", and
    typographic punctuation becomes its GSM-7 look-alike so the message is not sent as UCS-2.
    """
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _LINK.sub(_plain_link, text)
    text = _AUTOLINK.sub(_plain_autolink, text)
    text = _RULE.sub("", text)
    text = _HEADING.sub(r"\1", text)
    text = _QUOTE.sub("", text)
    text = _BULLET.sub("- ", text)
    text = _CODE.sub(r"\1", text)
    text = _BOLD.sub(r"\2", text)
    text = _ITALIC_STAR.sub(r"\1", text)
    text = _ITALIC_UNDERSCORE.sub(r"\1", text)
    text = text.translate(_GSM_FRIENDLY_TABLE)
    text = _MANY_SPACES.sub(" ", text)
    text = _TRAILING_SPACE.sub("", text)
    text = _MANY_BLANK_LINES.sub("\n\n", text)
    return text.strip()


# ---------------------------------------------------------------------------------------------
# Numbered choices


@dataclass(frozen=True)
class Choice:
    """One button as SMS sees it: what the family reads and what is sent when they pick it."""

    title: str
    payload: str


def choices_from_buttons(buttons: Optional[Sequence[Mapping[str, object]]]) -> List[Choice]:
    """Buttons as Rasa sends them, reduced to title and payload; broken buttons are skipped."""
    choices: List[Choice] = []
    for button in buttons or ():
        if not isinstance(button, Mapping):
            continue
        title = markdown_to_sms(str(button.get("title") or "")).replace("\n", " ")
        payload = str(button.get("payload") or button.get("title") or "").strip()
        if not title and payload and not payload.startswith("/"):
            title = payload
        if title and payload:
            choices.append(Choice(title=title, payload=payload))
    return choices


def choice_label(index: int, letters: bool = False) -> str:
    """The key a family types for the index-th choice (0-based): "1", "2", ... or "A", "B", ..."""
    return chr(ord("A") + index) if letters else str(index + 1)


def _join_or(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " eller " + parts[-1]


# Longer titles read better one per line than in one long sentence.
INLINE_TITLE_MAX_CHARS = 20


def numbered_choices(choices: Sequence[Choice], letters: bool = False) -> str:
    """"Svar 1 for Ja, 2 for Nei eller 3 for Vet ikke." for short titles, one line each for long.

    Letters (A, B, ...) are used where a number is itself an answer (a child's age).
    """
    if not choices:
        return ""
    if all(len(c.title) <= INLINE_TITLE_MAX_CHARS for c in choices):
        parts = [f"{choice_label(i, letters)} for {c.title}" for i, c in enumerate(choices)]
        lead = "Du kan også svare " if letters else "Svar "
        return lead + _join_or(parts) + "."
    lead = "Du kan også svare med en bokstav:" if letters else "Svar med et tall:"
    lines = [f"{choice_label(i, letters)}: {c.title}" for i, c in enumerate(choices)]
    return "\n".join([lead, *lines])


_CHOICE_REPLY = re.compile(r"^\s*(?:nr\.?\s*)?([0-9]{1,2}|[a-zA-Z])\s*[.):]?\s*$", re.IGNORECASE)


def payload_for_reply(text: str, choices: Sequence[Choice], letters: bool = False) -> Optional[str]:
    """Map a reply like "2" (or "B" in letter mode) to the payload of that choice, else None.

    Anything else, including a number outside the offered range, is free text and goes to the
    assistant unchanged.
    """
    if not choices:
        return None
    match = _CHOICE_REPLY.match(text or "")
    if not match:
        return None
    key = match.group(1).upper()
    for index, choice in enumerate(choices):
        if choice_label(index, letters) == key:
            return choice.payload
    return None


# ---------------------------------------------------------------------------------------------
# Keywords


KEYWORD_STOP = "STOPP"
KEYWORD_HELP = "HJELP"
KEYWORD_RESTART = "NY"
KEYWORD_MORE = MORE_KEYWORD
KEYWORD_DELETE = "SLETT"  # deletes the conversation everywhere it is stored

_KEYWORDS = {
    "STOPP": KEYWORD_STOP,
    "STOP": KEYWORD_STOP,
    "AVSLUTT": KEYWORD_STOP,
    "HJELP": KEYWORD_HELP,
    "HELP": KEYWORD_HELP,
    "NY": KEYWORD_RESTART,
    "MER": KEYWORD_MORE,
    "SLETT": KEYWORD_DELETE,
    "SLETT MEG": KEYWORD_DELETE,
    "SLETT SAMTALEN": KEYWORD_DELETE,
    "GLEM MEG": KEYWORD_DELETE,
}


def detect_keyword(text: str) -> Optional[str]:
    """The keyword a whole message consists of ("stopp", "Hjelp!", " NY. "), else None.

    Only a message that is nothing but the keyword counts, so "stopp å spørre om alder" or
    "trenger hjelp med søknad" are ordinary questions.
    """
    word = (text or "").strip().strip(".!?,;:\"' ").upper()
    return _KEYWORDS.get(word)


# ---------------------------------------------------------------------------------------------
# Shortening


@dataclass(frozen=True)
class FittedReply:
    """One SMS reply within the segment budget, and what is left for "MER"."""

    text: str
    remainder: str

    @property
    def segments(self) -> SegmentInfo:
        return count_segments(self.text)


def _compose(body: str, choices_line: str, more_hint: str) -> str:
    return "\n\n".join(part for part in (body, more_hint, choices_line) if part)


_SENTENCE_END = re.compile(r"(?<=[.!?:])\s+|\n+")
_WORD_END = re.compile(r"\s+")


def fit_reply(
    body: str,
    choices_line: str = "",
    max_segments: int = DEFAULT_MAX_SEGMENTS,
    more_hint: str = MORE_HINT,
) -> FittedReply:
    """Fit body (and the choices line, which is never cut) into max_segments.

    A longer body is cut at the last sentence end that fits (or the last word end if that
    would throw away too much), followed by the "Svar MER" hint; the rest is returned as
    remainder. Segment count is monotonic in the prefix length, so a binary search finds the
    longest prefix that fits.
    """
    body = body.strip()
    full = _compose(body, choices_line, "")
    if count_segments(full).segments <= max_segments:
        return FittedReply(full, "")

    def fits(cut: int) -> bool:
        return count_segments(_compose(body[:cut].rstrip(), choices_line, more_hint)).segments <= (
            max_segments
        )

    def longest(cuts: List[int]) -> int:
        lo, hi, best = 0, len(cuts) - 1, 0
        while lo <= hi:
            mid = (lo + hi) // 2
            if fits(cuts[mid]):
                best, lo = cuts[mid], mid + 1
            else:
                hi = mid - 1
        return best

    sentence_cuts = [m.start() for m in _SENTENCE_END.finditer(body) if m.start() > 0]
    word_cuts = [m.start() for m in _WORD_END.finditer(body) if m.start() > 0]
    best_sentence = longest(sentence_cuts)
    best_word = longest(word_cuts)
    cut = best_sentence if best_sentence >= 0.6 * best_word else best_word
    if cut == 0:
        # One endless word (a pasted link?): cut it where it must be cut.
        cut = longest(list(range(1, len(body))))
    if cut == 0:
        # Not even the hint and the choices fit: send them alone, keep the whole body for MER.
        return FittedReply(_compose("", choices_line, more_hint), body)
    return FittedReply(_compose(body[:cut].rstrip(), choices_line, more_hint), body[cut:].strip())


def sms_reply(
    texts: Sequence[str],
    choices: Sequence[Choice] = (),
    letters: bool = False,
    max_segments: int = DEFAULT_MAX_SEGMENTS,
    keep_last: bool = False,
) -> FittedReply:
    """The whole SMS answer to one message: the assistant's texts in order, then the choices.

    A message repeated word for word right after itself is sent once. With `keep_last` (the
    last text is the question the choices belong to) a reply that is too long keeps that
    question whole and shortens the texts before it instead, so the family can always answer.
    A reply that is too long sends its source lines ("Kilde: ...") after "MER", so the answer
    and the contact come first.
    """
    plain: List[str] = []
    for text in (markdown_to_sms(x) for x in texts):
        if text and (not plain or plain[-1] != text):
            plain.append(text)
    choices_line = numbered_choices(choices, letters)
    if count_segments(_compose("\n\n".join(plain).strip(), choices_line, "")).segments > max_segments:
        # Too long: the answers and the contact come first, the source lines after "MER".
        plain = _sources_last(plain, keep_last)
    return _fitted(plain, choices_line, max_segments, keep_last)


def _sources_last(plain: List[str], keep_last: bool) -> List[str]:
    """The texts with their source lines moved after the others (before the question the
    choices belong to, which stays last)."""
    texts, sources = [], []
    for text in plain:
        rest: List[str] = []
        for line in text.split("\n"):
            (sources if line.strip().startswith(SOURCE_LABEL) else rest).append(line)
        kept = "\n".join(rest).strip()
        if kept:
            texts.append(kept)
    if not sources:
        return plain
    if keep_last and texts:
        return texts[:-1] + ["\n".join(sources)] + texts[-1:]
    return texts + ["\n".join(sources)]


def _fitted(plain: List[str], choices_line: str, max_segments: int, keep_last: bool) -> FittedReply:
    """The texts fitted in reading order, or, with `keep_last`, with the question kept whole."""
    fitted = fit_reply("\n\n".join(plain), choices_line, max_segments)
    if not fitted.remainder or not keep_last or len(plain) < 2:
        return fitted
    question = _compose(plain[-1], choices_line, "")
    before = "\n\n".join(plain[:-1])
    kept = fit_reply(before, question, max_segments)
    if count_segments(kept.text).segments > max_segments:
        return fitted  # not even the question fits on its own: cut in reading order
    return kept
