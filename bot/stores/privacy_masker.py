"""Adapter from the masking engine (bot/privacy/masking.py) to what the stores need.

The stores need, for one text, the masked text and the raw spans it replaced (to find the same
data quoted elsewhere: in bot messages, slot values, the SMS channel's remembered reply). One
`find_spans` call gives both.
"""

from __future__ import annotations

from typing import Any, List, Optional, Tuple

Quote = Tuple[str, str]


class PrivacyMasker:
    """The project's masker with its configured settings (bot/privacy/settings.py)."""

    def __init__(self, settings: Optional[Any] = None) -> None:
        from bot.privacy import masking  # fails loudly if the engine is missing

        self._masking = masking
        self._settings = settings

    def mask(self, text: str) -> Tuple[str, List[Quote]]:
        if not text:
            return text, []
        spans = self._masking.find_spans(text, self._settings)
        if not spans:
            return text, []
        parts: List[str] = []
        quotes: List[Quote] = []
        pos = 0
        for span in spans:
            placeholder = self._masking.PLACEHOLDERS[span.category]
            parts.append(text[pos:span.start])
            parts.append(placeholder)
            quotes.append((text[span.start:span.end], placeholder))
            pos = span.end
        parts.append(text[pos:])
        return "".join(parts), quotes

    def mask_value(self, value: Any) -> Any:
        return self._masking.mask_value(value, self._settings)


_SHARED: Optional[Any] = None


def shared_masker() -> Any:
    """One caching masker per process, shared by the tracker store and the SMS state: the
    SMS channel's masking of a message then reuses the analysis the tracker store made."""
    global _SHARED
    if _SHARED is None:
        from bot.stores.event_masking import CachingMasker

        _SHARED = CachingMasker(PrivacyMasker())
    return _SHARED
