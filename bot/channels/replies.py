"""Replies a channel gives by itself when the dialogue engine cannot answer (empty input, errors)."""
from __future__ import annotations

import logging
from typing import Dict

from actions.knowledge import channel_texts, fill, load_profile

logger = logging.getLogger(__name__)

# The wording lives in knowledge/channels.yml.
EMPTY_MESSAGE = channel_texts()["any"]["empty_message"]
NO_ANSWER = channel_texts()["any"]["no_answer"]


def contact_line() -> str:
    """The human contact from the kommune profile, or nothing if the profile cannot be read."""
    try:
        p: Dict[str, str] = load_profile()
        return fill(channel_texts()["any"]["contact_line"], p)
    except Exception:  # the apology must go out even if knowledge/ is broken
        logger.exception("could not read the kommune profile for the error reply")
        return ""


def no_answer_text() -> str:
    """What the family reads when something failed on our side."""
    return " ".join(part for part in (NO_ANSWER, contact_line()) if part)
