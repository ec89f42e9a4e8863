"""Replies a channel gives by itself when the dialogue engine cannot answer (empty input, errors)."""
from __future__ import annotations

import logging
from typing import Dict

logger = logging.getLogger(__name__)

EMPTY_MESSAGE = "Jeg fikk ingen tekst. Skriv spørsmålet ditt, så prøver jeg å hjelpe."
NO_ANSWER = "Beklager, noe gikk galt hos oss, og jeg har ikke noe svar akkurat nå. Prøv igjen om litt."


def contact_line() -> str:
    """The human contact from the kommune profile, or nothing if the profile cannot be read."""
    try:
        from actions.knowledge import load_profile

        p: Dict[str, str] = load_profile()
        return f"Du kan også kontakte {p['contact_name']}: {p['contact_phone']}, {p['contact_email']}."
    except Exception:  # the apology must go out even if knowledge/ is broken
        logger.exception("could not read the kommune profile for the error reply")
        return ""


def no_answer_text() -> str:
    """What the family reads when something failed on our side."""
    return " ".join(part for part in (NO_ANSWER, contact_line()) if part)
