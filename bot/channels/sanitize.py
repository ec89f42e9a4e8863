"""Make incoming user text safe for the dialogue engine, the same way in every channel."""
from __future__ import annotations

import re
import unicodedata

# The longest message any channel passes on (the widget allows far less); longer ones are refused.
MAX_MESSAGE_CHARS = 20_000

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")
# Rasa treats a message that starts with "/" as a command that sets the intent directly
# ("/greet", "/faq{...}"). A family must never be able to do that, so the slash is replaced by
# the look-alike fraction slash: the text reads the same and goes through normal understanding.
_COMMAND_PREFIX = re.compile(r"^\s*/+")
_FRACTION_SLASH = "\u2044"


def clean_user_text(text: object) -> str:
    """Strip control characters, normalise to NFC, fold runs of spaces, neutralise "/intent"."""
    if text is None:
        return ""
    if not isinstance(text, str):
        text = str(text)
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    text = re.sub(r"[ \t]+", " ", text).strip()
    if _COMMAND_PREFIX.match(text):
        text = _COMMAND_PREFIX.sub(_FRACTION_SLASH, text, count=1)
    return text
