"""Production behaviour of the Rasa server, applied at start-up by bot/serve.py.

Stock Rasa 3.6 has no setting for any of these; each is a small, documented change of one
Rasa function, all read from the environment (defaults here, documented in README "Drift"):

  ACTION_TIMEOUT_S      action server request timeout (stock: 300 s, fixed)         default 2.5
  REPLY_DEADLINE_S      longest time one message may take before the family gets
                        an apology with the human contact (measured inside the
                        server; leaves margin for queueing on a busy machine)       default 3.5
  MAX_CONCURRENT_TURNS  turns one server works on at once; the others wait, within
                        the deadline, for a free slot (load shedding)               default 32
  SQL_POOL_SIZE         SQLAlchemy pool per server process (stock: 50)              default 10
  SQL_MAX_OVERFLOW      extra connections under load (stock: 100)                   default 5
  SQL_POOL_TIMEOUT_S    wait for a free pooled connection                           default 2
  SQL_CONNECT_TIMEOUT_S PostgreSQL connect timeout                                  default 2
  SANIC_REQUEST_MAX_SIZE  largest request body in bytes (stock: 100 MB)             default 262144
  CONVERSATION_RATE_LIMIT / CONVERSATION_RATE_WINDOW_S  see bot/limits.py

What changes:
- The tracker store is wrapped in FailLoudTrackerStore (bot/stores/failsafe.py), not Rasa's
  FailSafeTrackerStore: database errors give an apology, never a silent fresh conversation.
- PostgreSQL connections are checked before use (pool_pre_ping), so after a database restart
  the next message works instead of failing on a dead pooled connection.
- A custom action that fails or times out sends the apology with the human contact once per
  message; Rasa then goes on as it does (the action's events are dropped, the turn is stored).
- Every message has a deadline; past it the channel answers with the apology while the turn
  finishes and is stored under its lock (never half a turn, never two at once).
- SQL tracker store calls run in a thread pool (bot/stores/failsafe.py), so a slow database
  does not stop the server's event loop and the deadline holds.
- GET /health: model loaded, tracker store and lock store answer (bot/health.py).
"""
from __future__ import annotations

import asyncio
import functools
import logging
import os
from typing import Any, Optional

logger = logging.getLogger(__name__)

DEFAULTS = {
    "ACTION_TIMEOUT_S": "2.5",
    "REPLY_DEADLINE_S": "3.5",
    "MAX_CONCURRENT_TURNS": "32",
    "SQL_POOL_SIZE": "10",
    "SQL_MAX_OVERFLOW": "5",
    "SQL_POOL_TIMEOUT_S": "2",
    "SQL_CONNECT_TIMEOUT_S": "2",
    "SANIC_REQUEST_MAX_SIZE": "262144",
}


class ReplyTimeout(Exception):
    """A message took longer than REPLY_DEADLINE_S; the turn was cancelled."""


def setting(name: str) -> float:
    return float(os.environ.get(name) or DEFAULTS[name])


def _apply_env_defaults() -> None:
    for name in ("SQL_POOL_SIZE", "SQL_MAX_OVERFLOW", "SANIC_REQUEST_MAX_SIZE"):
        os.environ.setdefault(name, DEFAULTS[name])


def _patch_action_timeout() -> None:
    import rasa.core.actions.action as action_module
    import rasa.utils.endpoints as endpoints_module

    timeout = setting("ACTION_TIMEOUT_S")
    # RemoteAction.run passes this module global as the request timeout; the session default
    # in rasa.utils.endpoints is the same constant.
    action_module.DEFAULT_REQUEST_TIMEOUT = timeout
    endpoints_module.DEFAULT_REQUEST_TIMEOUT = timeout

    original_run = action_module.RemoteAction.run
    if getattr(original_run, "_bk_wrapped", False):
        return

    @functools.wraps(original_run)
    async def run(self: Any, output_channel: Any, nlg: Any, tracker: Any, domain: Any) -> Any:
        try:
            return await original_run(self, output_channel, nlg, tracker, domain)
        except action_module.ActionExecutionRejection:
            raise
        except Exception as error:
            logger.error("action server: %s failed (%s); the family gets the apology",
                         self.name(), error)
            await _apologise_once(output_channel, tracker.sender_id)
            raise

    run._bk_wrapped = True  # type: ignore[attr-defined]
    action_module.RemoteAction.run = run


async def _apologise_once(output_channel: Any, sender_id: str) -> None:
    from bot.channels.replies import no_answer_text

    if output_channel is None or getattr(output_channel, "_bk_apologised", False):
        return
    try:
        output_channel._bk_apologised = True
        await output_channel.send_text_message(sender_id, no_answer_text())
    except Exception:
        logger.exception("could not send the apology")


def _patch_sql_engine() -> None:
    import rasa.core.tracker_store as ts

    original = ts.create_engine_kwargs
    if getattr(original, "_bk_wrapped", False):
        return

    @functools.wraps(original)
    def create_engine_kwargs(url: Any) -> dict:
        kwargs = original(url)
        if ts.is_postgresql_url(url):
            kwargs["pool_pre_ping"] = True
            kwargs["pool_timeout"] = setting("SQL_POOL_TIMEOUT_S")
            connect_args = dict(kwargs.get("connect_args") or {})
            connect_args.setdefault("connect_timeout", int(setting("SQL_CONNECT_TIMEOUT_S")))
            kwargs["connect_args"] = connect_args
        return kwargs

    create_engine_kwargs._bk_wrapped = True  # type: ignore[attr-defined]
    ts.create_engine_kwargs = create_engine_kwargs


def _redis_of(lock_store: Any) -> Optional[Any]:
    return getattr(lock_store, "red", None) if hasattr(lock_store, "ping") else None


_slots: Optional[asyncio.Semaphore] = None


def _turn_slots() -> asyncio.Semaphore:
    global _slots
    if _slots is None:  # created inside the server's event loop
        _slots = asyncio.Semaphore(max(1, int(setting("MAX_CONCURRENT_TURNS"))))
    return _slots


async def _release_after(turn: Any, slots: asyncio.Semaphore) -> Any:
    try:
        return await turn
    finally:
        slots.release()


def _log_late_turn(turn: "asyncio.Future") -> None:
    if not turn.cancelled() and turn.exception() is not None:
        logger.error("a late turn failed: %s", turn.exception())


def _patch_handle_message() -> None:
    from rasa.core.agent import Agent

    from bot.limits import RateLimited, over_limit, rate_limited_text

    original = Agent.handle_message
    if getattr(original, "_bk_wrapped", False):
        return

    @functools.wraps(original)
    async def handle_message(self: Agent, message: Any) -> Any:
        if await over_limit(_redis_of(self.lock_store), message.sender_id):
            logger.warning("rate limit: a conversation sent too many messages")
            if message.input_channel == "rest":
                raise RateLimited()
            await message.output_channel.send_text_message(message.sender_id, rate_limited_text())
            return None
        deadline = setting("REPLY_DEADLINE_S")
        loop = asyncio.get_running_loop()
        started = loop.time()
        # Admission: at most MAX_CONCURRENT_TURNS turns work at once in this server; a message
        # that cannot start within the deadline gets the apology instead of queueing for ever.
        slots = _turn_slots()
        try:
            await asyncio.wait_for(slots.acquire(), deadline)
        except asyncio.TimeoutError as error:
            logger.error("server busy: a message waited %.1f s for a turn; the family gets the "
                         "apology", deadline)
            raise ReplyTimeout() from error
        # The turn is not cancelled at the deadline: it finishes and is stored while it still
        # holds the conversation's lock, so the next message sees it whole. Only the family's
        # wait ends, with the apology.
        turn = asyncio.ensure_future(_release_after(original(self, message), slots))
        remaining = max(0.1, deadline - (loop.time() - started))
        try:
            return await asyncio.wait_for(asyncio.shield(turn), remaining)
        except asyncio.TimeoutError as error:
            logger.error("a message took longer than %.1f s; the family gets the apology", deadline)
            turn.add_done_callback(_log_late_turn)
            raise ReplyTimeout() from error

    handle_message._bk_wrapped = True  # type: ignore[attr-defined]
    Agent.handle_message = handle_message


def _patch_health_route() -> None:
    import rasa.core.run as run_module

    from bot.health import health

    original = run_module.configure_app
    if getattr(original, "_bk_wrapped", False):
        return

    @functools.wraps(original)
    def configure_app(*args: Any, **kwargs: Any) -> Any:
        app = original(*args, **kwargs)
        app.add_route(health, "/health", methods=["GET"], name="bk_health")
        return app

    configure_app._bk_wrapped = True  # type: ignore[attr-defined]
    run_module.configure_app = configure_app


def apply() -> None:
    """Install every production change (idempotent)."""
    from bot.stores import failsafe

    _apply_env_defaults()
    failsafe.install()
    _patch_action_timeout()
    _patch_sql_engine()
    _patch_handle_message()
    _patch_health_route()
