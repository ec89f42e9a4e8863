"""The one way text reaches staff: through the privacy masker (bot/privacy/masking.py)."""
from __future__ import annotations

from functools import lru_cache
from typing import Optional

from bot.privacy.masking import mask_text


@lru_cache(maxsize=8192)
def _cached(text: str) -> str:
    # The assistant's answers repeat; mask_text is deterministic, so each is masked once.
    return mask_text(text)


def mask(text: Optional[str]) -> str:
    return _cached(text) if text else ""
