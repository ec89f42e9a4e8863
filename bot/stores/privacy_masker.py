"""Adapter from the masking engine (bot/privacy/masking.py) to what the stores need.

The stores need, for one text, the masked text and the raw spans it replaced (to find the same
data quoted elsewhere: in bot messages, slot values, the SMS channel's remembered reply).
"""

from __future__ import annotations

from typing import Any, List, Optional, Tuple

Quote = Tuple[str, str]


def _placeholder(span: Any) -> str:
    for attr in ("placeholder", "replacement", "label"):
        value = getattr(span, attr, None)
        if isinstance(value, str) and value:
            return value
    if isinstance(span, dict):
        for key in ("placeholder", "replacement", "label"):
            if isinstance(span.get(key), str):
                return span[key]
    raise TypeError(f"cannot read the placeholder of span {span!r}")


def _bounds(span: Any) -> Tuple[int, int]:
    if isinstance(span, dict):
        return int(span["start"]), int(span["end"])
    if isinstance(span, tuple) and len(span) >= 2 and isinstance(span[0], int):
        return int(span[0]), int(span[1])
    return int(span.start), int(span.end)


class PrivacyMasker:
    """The project's masker with its configured settings (bot/privacy/settings.py)."""

    def __init__(self, settings: Optional[Any] = None) -> None:
        from bot.privacy import masking  # fails loudly if the engine is missing

        self._masking = masking
        self._settings = settings

    def mask(self, text: str) -> Tuple[str, List[Quote]]:
        spans = self._masking.find_spans(text, self._settings)
        quotes = []
        for span in spans:
            start, end = _bounds(span)
            quotes.append((text[start:end], _placeholder(span)))
        return self._masking.mask_text(text, self._settings), quotes

    def mask_value(self, value: Any) -> Any:
        return self._masking.mask_value(value)


_SHARED: Optional[Any] = None


def shared_masker() -> Any:
    """One caching masker per process, shared by the tracker store and the SMS state: the
    SMS channel's masking of a message then reuses the analysis the tracker store made."""
    global _SHARED
    if _SHARED is None:
        from bot.stores.event_masking import CachingMasker

        _SHARED = CachingMasker(PrivacyMasker())
    return _SHARED
