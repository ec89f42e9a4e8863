"""Tracker store wrapper that fails loudly instead of Rasa's `FailSafeTrackerStore`.

Rasa wraps every tracker store in `FailSafeTrackerStore`: when the database fails, `retrieve`
returns None (so the processor starts a fresh conversation) and `save` writes to an in-memory
store that is never read back. The family silently loses its context and the turns are lost.

`FailLoudTrackerStore` wraps any tracker store class instead: an error is logged and raised as
`TrackerStoreUnavailable`, so the message is not handled, nothing is kept in this process's
memory, and the channel answers with an apology and the human contact. A failed call is retried
once right away (after a database restart the first use of a pooled connection fails, the pool
is then refreshed), so conversations continue where they were as soon as the database is back.

`install()` makes Rasa's agent use this wrapper; `bot/serve.py` calls it at start-up.
"""
from __future__ import annotations

import asyncio
import logging
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Awaitable, Callable, Iterable, Optional, Text, TypeVar

from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)

T = TypeVar("T")


class TrackerStoreUnavailable(Exception):
    """The conversation could not be read or written; the message must not be handled."""


class FailLoudTrackerStore(TrackerStore):
    """Delegates to `tracker_store`; errors are logged and raised, never hidden."""

    def __init__(self, tracker_store: TrackerStore, retries: int = 1,
                 threads: Optional[int] = None) -> None:
        self._tracker_store = tracker_store
        self._retries = retries
        if threads is None:
            threads = _default_threads(tracker_store)
        self._executor = (ThreadPoolExecutor(threads, thread_name_prefix="tracker-store")
                          if threads > 0 else None)
        super().__init__(tracker_store.domain, tracker_store.event_broker)

    @property
    def inner(self) -> TrackerStore:
        return self._tracker_store

    @property
    def domain(self) -> Domain:
        return self._tracker_store.domain

    @domain.setter
    def domain(self, domain: Domain) -> None:
        self._tracker_store.domain = domain

    async def _run(self, call: Callable[[], Awaitable[T]]) -> T:
        if self._executor is None:
            return await call()
        # SQLTrackerStore's methods are `async` but block on the database; in a thread they
        # leave the event loop free, so other conversations and the reply deadline keep going.
        return await asyncio.get_running_loop().run_in_executor(
            self._executor, lambda: asyncio.run(call()))

    async def _call(self, what: str, call: Callable[[], Awaitable[T]]) -> T:
        for attempt in range(self._retries + 1):
            try:
                return await self._run(call)
            except Exception as error:
                if attempt < self._retries:
                    logger.warning("tracker store: %s failed (%s); retrying once", what, error)
                    continue
                logger.error(
                    "tracker store %s: %s failed; the message is answered with an apology and "
                    "nothing is stored: %s",
                    self._tracker_store.__class__.__name__, what, error, exc_info=True,
                )
                raise TrackerStoreUnavailable(f"tracker store {what} failed: {error}") from error
        raise AssertionError("unreachable")

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        return await self._call("retrieve", lambda: self._tracker_store.retrieve(sender_id))

    async def retrieve_full_tracker(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        return await self._call(
            "retrieve_full_tracker", lambda: self._tracker_store.retrieve_full_tracker(sender_id)
        )

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self._call("save", lambda: self._tracker_store.save(tracker))

    async def keys(self) -> Iterable[Text]:
        return await self._call("keys", self._tracker_store.keys)

    async def delete(self, sender_id: Text) -> Any:
        return await self._call("delete", lambda: self._tracker_store.delete(sender_id))  # type: ignore[attr-defined]

    def __getattr__(self, name: str) -> Any:
        # Anything else a store offers (its engine, extra methods of a subclass) stays reachable.
        if name in ("_tracker_store", "_executor", "_retries"):
            raise AttributeError(name)
        return getattr(self._tracker_store, name)


def _default_threads(store: TrackerStore) -> int:
    """Threads for a blocking SQL store: TRACKER_STORE_THREADS, default SQL_POOL_SIZE (10)."""
    from rasa.core.tracker_store import SQLTrackerStore

    if not isinstance(store, SQLTrackerStore):
        return 0
    return int(os.environ.get("TRACKER_STORE_THREADS") or os.environ.get("SQL_POOL_SIZE") or 10)


def unwrap(store: TrackerStore) -> TrackerStore:
    """The store inside any wrapper (ours or Rasa's)."""
    while True:
        inner = getattr(store, "_tracker_store", None)
        if inner is None or inner is store:
            return store
        store = inner


def install() -> None:
    """Make Rasa's Agent wrap its tracker store in FailLoudTrackerStore (idempotent)."""
    from rasa.core import agent as agent_module

    if getattr(agent_module.Agent, "_fail_loud_installed", False):
        return

    def _create_tracker_store(store: Optional[TrackerStore], domain: Domain) -> TrackerStore:
        if store is None:  # nothing configured: Rasa's own default, memory only by choice
            from rasa.core.tracker_store import InMemoryTrackerStore

            store = InMemoryTrackerStore(domain)
        store = unwrap(store)
        store.domain = domain
        return FailLoudTrackerStore(store)

    agent_module.Agent._create_tracker_store = staticmethod(_create_tracker_store)
    agent_module.Agent._fail_loud_installed = True
