"""Per-conversation rate limit, shared by all Rasa servers through Redis.

A conversation may send CONVERSATION_RATE_LIMIT messages per CONVERSATION_RATE_WINDOW_S seconds
(defaults 30 per 60 s; a family types far slower). Counted in fixed windows with INCR + EXPIRE,
one atomic step per message. If Redis cannot be reached the limit is skipped (the lock store
then reports the outage). The per-IP limit is nginx's (deploy/nginx/barnekoordinator.conf).
"""
from __future__ import annotations

import logging
import os
import time
from typing import Any, Optional

from actions.knowledge import channel_texts
from bot.channels.replies import contact_line

logger = logging.getLogger(__name__)

class RateLimited(Exception):
    """This conversation sent too many messages; answer 429 or the polite text."""


def limit() -> int:
    return int(os.environ.get("CONVERSATION_RATE_LIMIT", "30") or 0)


def window_s() -> int:
    return max(1, int(os.environ.get("CONVERSATION_RATE_WINDOW_S", "60")))


def rate_limited_text() -> str:
    """What a family reads when it sent too many messages (knowledge/channels.yml)."""
    return " ".join(p for p in (channel_texts()["any"]["rate_limited"], contact_line()) if p)


async def over_limit(redis: Optional[Any], sender_id: str) -> bool:
    """Count one message of sender_id; True if it is over the limit in this window."""
    allowed = limit()
    if redis is None or allowed <= 0:
        return False
    window = window_s()
    key = f"bk:rate:{sender_id}:{int(time.time()) // window}"
    try:
        pipe = redis.pipeline(transaction=True)
        pipe.incr(key)
        pipe.expire(key, window + 5)
        count, _ = await pipe.execute()
    except Exception as error:
        logger.warning("rate limit: Redis did not answer (%s); message not counted", error)
        return False
    return int(count) > allowed
