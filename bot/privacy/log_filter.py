"""A logging filter that masks personal data in every log line (Rasa logs user text at debug)."""
from __future__ import annotations

import logging
import re
import threading
from typing import Callable, Optional

from bot.privacy.settings import MaskingSettings

MaskFn = Callable[[str], str]
_state = threading.local()

# Rasa's structlog lines are JSON with non-ASCII letters escaped ("Bj\\u00f8rn"): undo that
# first, or a name with æ, ø, å would be split and missed.
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def _unescape(text: str) -> str:
    if "\\u" not in text:
        return text
    def letter(m: "re.Match[str]") -> str:
        code = int(m.group(1), 16)
        return m.group(0) if 0xD800 <= code <= 0xDFFF else chr(code)  # keep surrogate pairs

    return _JSON_ESCAPE.sub(letter, text)


class MaskingFilter(logging.Filter):
    """Masks a record's message (with its args filled in) and any formatted traceback.

    The message is formatted first (`msg % args`) and then masked, so personal data in the
    format string, in positional or in mapping args is masked alike; `args` is cleared so no
    handler formats it again. The record is never dropped.
    """

    def __init__(self, settings: Optional[MaskingSettings] = None,
                 mask: Optional[MaskFn] = None) -> None:
        super().__init__()
        self._settings = settings
        self._mask = mask

    def _apply(self, text: str) -> str:
        if self._mask is not None:
            return self._mask(text)
        from bot.privacy.masking import mask_text

        return mask_text(text, self._settings)

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_privacy_masked", False):
            return True
        if getattr(_state, "busy", False):
            # A line logged while masking another one (a library loading): mask it with the
            # lists only; never recurse into the NER.
            record.msg = _lists_only(_unescape(_message(record)), self._settings)
            record.args = None
            record._privacy_masked = True  # type: ignore[attr-defined]
            return True
        _state.busy = True
        try:
            self._mask_record(record)
        finally:
            _state.busy = False
        return True

    def _mask_record(self, record: logging.LogRecord) -> None:
        record.msg = self._apply(_unescape(_message(record)))
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._apply(record.exc_text)
        if record.stack_info:
            record.stack_info = self._apply(record.stack_info)
        record._privacy_masked = True  # type: ignore[attr-defined]


def _message(record: logging.LogRecord) -> str:
    try:
        return record.getMessage()
    except Exception:  # a broken format string: mask what is there
        return f"{record.msg} {record.args!r}"


def _lists_only(text: str, settings: Optional[MaskingSettings]) -> str:
    from bot.privacy.masking import mask_text

    return mask_text(text, settings, use_ner=False)


def install(settings: Optional[MaskingSettings] = None,
            logger: Optional[logging.Logger] = None) -> MaskingFilter:
    """Add one MaskingFilter to every handler of the root logger (or `logger`); idempotent.

    Call it after logging is configured (Rasa configures it when the server starts; a tracker
    store's constructor runs after that). Handlers added later need another call.
    """
    target = logger or logging.getLogger()
    existing = None
    for handler in target.handlers:
        for f in handler.filters:
            if isinstance(f, MaskingFilter):
                existing = f
    filt = existing or MaskingFilter(settings)
    for handler in target.handlers:
        if not any(isinstance(f, MaskingFilter) for f in handler.filters):
            handler.addFilter(filt)
    return filt
