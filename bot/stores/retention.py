"""Retention: delete conversations whose last activity is older than RETENTION_DAYS.

One conversation lives in the tracker store (its events, with the widget's feedback as a slot)
and, for SMS, in the SMS channel's state tables. Both are purged together:

- automatically while the Rasa server runs (a background task, every
  RETENTION_INTERVAL_SECONDS, started by bot/channels/server_hooks.py);
- by hand: `make purge` (= `python -m bot.stores.retention`), which prints what it deleted.

Settings (environment):
  RETENTION_DAYS               days a conversation is kept after its last message (default 30)
  RETENTION_INTERVAL_SECONDS   how often the running server purges (default 3600)
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import logging
import os
import sys
from dataclasses import dataclass, field
from typing import Any, Iterable, List, Optional, Sequence

from bot.stores.tracker_store import DeletedConversation, MaskingTrackerStore

logger = logging.getLogger(__name__)

DEFAULT_RETENTION_DAYS = 30
DEFAULT_INTERVAL_SECONDS = 3600.0


def _positive_number(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{name} must be a number, not {raw!r}") from None
    if value <= 0:
        raise ValueError(f"{name} must be more than 0, not {raw!r}")
    return value


def retention_days() -> int:
    """RETENTION_DAYS (default 30). A bad value stops the server at start, never silently."""
    value = _positive_number("RETENTION_DAYS", DEFAULT_RETENTION_DAYS)
    if value != int(value):
        raise ValueError(f"RETENTION_DAYS must be a whole number of days, not {value}")
    return int(value)


def interval_seconds() -> float:
    return _positive_number("RETENTION_INTERVAL_SECONDS", DEFAULT_INTERVAL_SECONDS)


@dataclass
class PurgeReport:
    """What one purge deleted."""

    days: int
    conversations: List[DeletedConversation] = field(default_factory=list)
    sms_states: List[str] = field(default_factory=list)

    def lines(self) -> List[str]:
        out = [
            f"Retention {self.days} days: deleted {len(self.conversations)} conversation(s) "
            f"from the tracker store and {len(self.sms_states)} from the SMS state."
        ]
        for c in self.conversations:
            last = dt.datetime.fromtimestamp(c.last_activity, dt.timezone.utc)
            out.append(f"  {c.sender_id}  last active {last:%Y-%m-%d %H:%M} UTC  {c.events} events")
        for sid in self.sms_states:
            if all(c.sender_id != sid for c in self.conversations):
                out.append(f"  {sid}  SMS state only")
        return out


async def purge(
    tracker_store: MaskingTrackerStore,
    other_stores: Iterable[Any] = (),
    days: Optional[int] = None,
    now: Optional[float] = None,
) -> PurgeReport:
    """Delete idle conversations everywhere they are stored.

    `other_stores` are per-conversation stores beside the tracker store (the SMS state): each
    has `purge_inactive(days, now)` and `delete(sender_id)`.
    """
    days = retention_days() if days is None else days
    report = PurgeReport(days)
    report.conversations = await tracker_store.purge_inactive(days, now=now)
    loop = asyncio.get_running_loop()
    for store in other_stores:
        purged = set(await loop.run_in_executor(None, store.purge_inactive, days, now))
        # A conversation gone from the tracker store goes from every other store too.
        for conversation in report.conversations:
            if await loop.run_in_executor(None, store.delete, conversation.sender_id):
                purged.add(conversation.sender_id)
        report.sms_states.extend(sorted(purged))
    return report


async def retention_loop(
    find_stores: Any,
    interval: Optional[float] = None,
    days: Optional[int] = None,
    wait_for_store: float = 300.0,
) -> None:
    """Purge now and then every `interval` seconds, for as long as the server runs.

    `find_stores()` returns (tracker store or None, other stores); the tracker store appears
    once Rasa has loaded the agent.
    """
    interval = interval_seconds() if interval is None else interval
    days = retention_days() if days is None else days
    waited = 0.0
    while True:
        store, others = find_stores()
        if store is not None:
            break
        if waited >= wait_for_store:
            logger.error(
                "retention: no MaskingTrackerStore after %.0f s; conversations are NOT deleted "
                "after %d days. Check tracker_store in the endpoints file.", waited, days,
            )
            return
        await asyncio.sleep(1.0)
        waited += 1.0
    logger.info("retention: conversations idle for more than %d days are deleted every %.0f s",
                days, interval)
    while True:
        try:
            store, others = find_stores()
            report = await purge(store, others, days)
            if report.conversations or report.sms_states:
                logger.info(report.lines()[0])
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("retention: purge failed; trying again in %.0f s", interval)
        await asyncio.sleep(interval)


class _DeleteOnlyMasker:
    """`make purge` opens the store only to delete; writing through it would be a bug."""

    def mask(self, text: str) -> Any:
        raise RuntimeError("this tracker store was opened for deleting only")

    def mask_value(self, value: Any) -> Any:
        raise RuntimeError("this tracker store was opened for deleting only")


def open_stores(endpoints: str) -> Any:
    """The tracker store of an endpoints file and the SMS state store, for deleting."""
    from rasa.utils.endpoints import read_endpoint_config

    from bot.channels.sms_state import SmsStateStore

    config = read_endpoint_config(endpoints, "tracker_store")
    if config is None or config.type != f"{MaskingTrackerStore.__module__}.MaskingTrackerStore":
        raise SystemExit(f"{endpoints}: tracker_store is not bot.stores.tracker_store.MaskingTrackerStore")
    store = MaskingTrackerStore(host=config.url, masker=_DeleteOnlyMasker(), **config.kwargs)
    return store, [SmsStateStore()]


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="Delete conversations older than RETENTION_DAYS.")
    parser.add_argument("--endpoints", default=os.environ.get("ENDPOINTS", "bot/endpoints.yml"))
    parser.add_argument("--days", type=int, default=None, help="default: RETENTION_DAYS or 30")
    args = parser.parse_args(argv)
    # The endpoints file names these; purging needs neither the action server nor a running
    # Rasa server, only the databases (the same defaults as scripts/run.sh).
    os.environ.setdefault("TRACKER_DB", "var/tracker.db")
    os.environ.setdefault("ACTION_ENDPOINT_URL", "http://127.0.0.1:5055/webhook")
    if args.days is not None and args.days <= 0:
        parser.error("--days must be more than 0")
    store, others = open_stores(args.endpoints)
    report = asyncio.run(purge(store, others, args.days))
    print("\n".join(report.lines()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
