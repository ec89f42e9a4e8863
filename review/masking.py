"""The one way text reaches staff: through the privacy masker (bot/privacy/masking.py)."""
from __future__ import annotations

import os
from typing import Optional

try:
    from bot.privacy.masking import mask_text as _mask_text
except ImportError:  # the masker is not merged yet on this branch
    _mask_text = None


def available() -> bool:
    return _mask_text is not None or os.environ.get("REVIEW_ALLOW_UNMASKED") == "1"


def mask(text: Optional[str]) -> str:
    if not text:
        return ""
    if _mask_text is None:
        if os.environ.get("REVIEW_ALLOW_UNMASKED") == "1":
            return text
        raise RuntimeError("bot/privacy/masking.py is missing: the review app never shows unmasked text")
    return _mask_text(text)
