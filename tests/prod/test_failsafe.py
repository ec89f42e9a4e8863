"""Tracker store failures: stock Rasa hides them; FailLoudTrackerStore makes them an apology."""
from __future__ import annotations

import logging

import pytest
from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered

from bot.stores.failsafe import FailLoudTrackerStore, TrackerStoreUnavailable, install, unwrap


class BrokenStore(InMemoryTrackerStore):
    """A tracker store whose database is down (fails `fail` times, then works)."""

    def __init__(self, domain, fail: int = 10**6) -> None:
        super().__init__(domain)
        self.fail = fail
        self.calls = 0

    def _maybe_fail(self):
        self.calls += 1
        if self.calls <= self.fail:
            raise ConnectionError("database is down")

    async def retrieve(self, sender_id):
        self._maybe_fail()
        return await super().retrieve(sender_id)

    async def save(self, tracker):
        self._maybe_fail()
        await super().save(tracker)


@pytest.fixture
def domain():
    return Domain.empty()


async def a_conversation(store, domain):
    tracker = await store.get_or_create_tracker("family")
    tracker.update(UserUttered("Kan du sjekke om vi har rett?"), domain)
    return tracker


async def test_stock_failsafe_store_silently_starts_over_and_keeps_turns_in_memory(domain):
    """Reproduces the stock behaviour this project replaces."""
    primary = InMemoryTrackerStore(domain)
    tracker = await a_conversation(primary, domain)
    await primary.save(tracker)
    broken = BrokenStore(domain)
    broken.store = primary.store  # the same data, but the database now fails
    stock = FailSafeTrackerStore(broken)
    fresh = await stock.get_or_create_tracker("family")
    assert not any(isinstance(e, UserUttered) for e in fresh.events)  # context silently gone
    await stock.save(tracker)  # no error: the turn went to a per-process memory store
    assert await stock.fallback_tracker_store.retrieve("family") is not None


async def test_fail_loud_store_raises_logs_and_keeps_nothing(domain, caplog):
    broken = BrokenStore(domain)
    store = FailLoudTrackerStore(broken)
    with caplog.at_level(logging.ERROR):
        with pytest.raises(TrackerStoreUnavailable):
            await store.get_or_create_tracker("family")
    assert any(r.levelno == logging.ERROR and "retrieve failed" in r.getMessage()
               for r in caplog.records)
    tracker = await a_conversation(InMemoryTrackerStore(domain), domain)
    with pytest.raises(TrackerStoreUnavailable):
        await store.save(tracker)
    assert not broken.store  # nothing was kept anywhere


async def test_one_failure_after_a_database_restart_is_retried(domain):
    broken = BrokenStore(domain, fail=1)
    store = FailLoudTrackerStore(broken)
    tracker = await a_conversation(InMemoryTrackerStore(domain), domain)
    await store.save(tracker)  # first attempt fails (dead pooled connection), retry works
    again = await store.retrieve("family")
    assert any(isinstance(e, UserUttered) for e in again.events)


def test_install_makes_the_agent_use_the_fail_loud_wrapper(domain):
    from rasa.core.agent import Agent

    install()
    inner = InMemoryTrackerStore(domain)
    wrapped = Agent._create_tracker_store(FailSafeTrackerStore(inner), domain)
    assert isinstance(wrapped, FailLoudTrackerStore)
    assert unwrap(wrapped) is inner
