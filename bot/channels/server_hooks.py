"""Privacy work of the Rasa server process, wired in by each of our channels' blueprints.

At server start (once per process, whichever channel comes first): the masking log filter
(bot/privacy/log_filter.py) and the retention task (bot/stores/retention.py). While running:
`delete_conversation`, used by the widget's "Slett samtalen" and the SMS keyword SLETT.

Nothing happens at import; `attach(blueprint)` only registers listeners.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, List, Optional, Tuple

from sanic import Blueprint, Sanic

from bot.channels.log_privacy import install_log_filter
from bot.stores.tracker_store import MaskingTrackerStore, find_masking_store

logger = logging.getLogger(__name__)


def _ctx_list(app: Sanic, name: str) -> List[Any]:
    if not hasattr(app.ctx, name):
        setattr(app.ctx, name, [])
    return getattr(app.ctx, name)


def register_conversation_store(app: Sanic, store: Any) -> None:
    """A per-conversation store beside the tracker store (the SMS state): it is purged by
    retention and emptied by `delete_conversation` together with the tracker."""
    stores = _ctx_list(app, "conversation_stores")
    if all(s is not store for s in stores):
        stores.append(store)


def tracker_store_of(app: Optional[Sanic]) -> Optional[MaskingTrackerStore]:
    agent = getattr(getattr(app, "ctx", None), "agent", None) if app is not None else None
    return find_masking_store(getattr(agent, "tracker_store", None))


def stores_of(app: Sanic) -> Tuple[Optional[MaskingTrackerStore], List[Any]]:
    return tracker_store_of(app), list(_ctx_list(app, "conversation_stores"))


def attach(bp: Blueprint, conversation_store: Any = None) -> None:
    """Register the start-up work on a channel's blueprint."""

    @bp.listener("before_server_start")
    async def _privacy_start(app: Sanic, _loop: Any) -> None:
        if conversation_store is not None:
            register_conversation_store(app, conversation_store)
        if getattr(app.ctx, "privacy_started", False):
            return
        app.ctx.privacy_started = True
        install_log_filter()
        from bot.stores.retention import retention_days, retention_loop

        retention_days()  # a bad RETENTION_DAYS stops the server here, not an hour later
        app.add_task(retention_loop(lambda: stores_of(app)))
        app.add_task(_warm_up_masker())


def warm_up_masker() -> None:
    """Load the masking engine's lists and NER model now, not in the first family's message
    (the first load takes seconds; an SMS gateway would time out)."""
    from bot.stores.privacy_masker import shared_masker

    shared_masker().masker.mask("Hei, jeg heter Kari Nordmann og bor i Storgata 12, 9008 Tromsø.")
    try:
        from bot.privacy import ner

        ner.available()
    except (ImportError, AttributeError):
        pass


async def _warm_up_masker() -> None:
    try:
        await asyncio.get_running_loop().run_in_executor(None, warm_up_masker)
    except Exception:
        logger.exception("masking engine: warm-up failed; it loads with the first message")


async def delete_conversation(app: Optional[Sanic], sender_id: str) -> int:
    """Delete one conversation everywhere it is stored; returns the rows deleted.

    Holds the conversation's lock, so a message being answered is finished (and stored)
    before its conversation is deleted, and nothing of it is written afterwards.
    """
    store = tracker_store_of(app)
    if store is None:
        raise RuntimeError("no MaskingTrackerStore: cannot delete the conversation")
    agent = app.ctx.agent
    deleted = 0
    async with agent.lock_store.lock(sender_id):
        deleted += await store.delete(sender_id)
        for other in _ctx_list(app, "conversation_stores"):
            deleted += int(other.delete(sender_id) or 0)
    return deleted
