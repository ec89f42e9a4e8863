"""A Redis lock store that is atomic across Rasa servers (Rasa's `LockStore` interface).

Stock `RedisLockStore` reads a JSON ticket lock, changes it in Python and writes it back, so two
servers can both think they hold the lock of one conversation. Here every step is one Lua
script, run atomically by Redis, with Redis' own clock:

- `issue`: INCR a per-conversation counter; the ticket joins a sorted set (score = ticket) and a
  hash ticket -> deadline (server time + lifetime).
- `acquire`: drop tickets whose deadline passed (a crashed server's ticket), then grant if ours
  is the lowest ticket. A waiting ticket renews its deadline, so only dead owners expire.
- `release`: remove the ticket; delete the keys when nobody waits.

Messages of one conversation are served one at a time in ticket (arrival) order. Redis errors
and timeouts raise Rasa's `LockError` quickly (socket timeouts of about a second), which the
channels turn into an apology.

endpoints.yml:
  lock_store:
    type: bot.stores.lock_store.AtomicRedisLockStore
    url: ${REDIS_HOST}
    port: ${REDIS_PORT}
    password: ${REDIS_PASSWORD}
    db: 1

Environment: LOCK_LIFETIME_S (default 10: a turn is cut off after REPLY_DEADLINE_S anyway),
LOCK_POLL_S (default 0.02), LOCK_WAIT_S (longest wait for the lock, default 30),
REDIS_TIMEOUT_S (socket and connect timeout, default 1).
"""
from __future__ import annotations

import asyncio
import logging
import os
import time
from collections import deque
from contextlib import asynccontextmanager
from typing import Any, AsyncGenerator, Optional, Text

from rasa.core.lock import Ticket, TicketLock
from rasa.core.lock_store import LockError, LockStore

logger = logging.getLogger(__name__)

KEY_PREFIX = "bk:lock:"

_ISSUE = """
local t = redis.call('INCR', KEYS[1])
local now = redis.call('TIME')
local now_ms = now[1] * 1000 + math.floor(now[2] / 1000)
redis.call('ZADD', KEYS[2], t, t)
redis.call('HSET', KEYS[3], t, now_ms + tonumber(ARGV[1]))
local keep = tonumber(ARGV[1]) + 60000
for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], keep) end
return t
"""

# Returns 1 when the ticket holds the lock, 0 while others are ahead, -1 if the ticket expired.
_ACQUIRE = """
local now = redis.call('TIME')
local now_ms = now[1] * 1000 + math.floor(now[2] / 1000)
local deadlines = redis.call('HGETALL', KEYS[3])
for i = 1, #deadlines, 2 do
  if tonumber(deadlines[i + 1]) < now_ms then
    redis.call('HDEL', KEYS[3], deadlines[i])
    redis.call('ZREM', KEYS[2], deadlines[i])
  end
end
if redis.call('HEXISTS', KEYS[3], ARGV[1]) == 0 then return -1 end
redis.call('HSET', KEYS[3], ARGV[1], now_ms + tonumber(ARGV[2]))
local keep = tonumber(ARGV[2]) + 60000
for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], keep) end
local head = redis.call('ZRANGE', KEYS[2], 0, 0)
if head[1] == ARGV[1] then return 1 end
return 0
"""

_RELEASE = """
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
if redis.call('ZCARD', KEYS[2]) == 0 then
  redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
end
return 1
"""


def _env_float(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, "") or default)
    except ValueError:
        logger.warning("%s is not a number; using %s", name, default)
        return default


class AtomicRedisLockStore(LockStore):
    """Ticket locks kept in Redis and changed only by atomic Lua scripts."""

    def __init__(
        self,
        endpoint_config: Any = None,
        host: Text = "localhost",
        port: int = 6379,
        db: int = 1,
        password: Optional[Text] = None,
        username: Optional[Text] = None,
        use_ssl: bool = False,
        key_prefix: Optional[Text] = None,
    ) -> None:
        import redis.asyncio as aioredis

        if endpoint_config is not None:
            kwargs = dict(endpoint_config.kwargs)
            host = endpoint_config.url or host
            port = kwargs.get("port", port)
            db = kwargs.get("db", db)
            password = kwargs.get("password", password)
            username = kwargs.get("username", username)
            use_ssl = bool(kwargs.get("use_ssl", use_ssl))
            key_prefix = kwargs.get("key_prefix", key_prefix)
        timeout = _env_float("REDIS_TIMEOUT_S", 1.0)
        self.lifetime_s = _env_float("LOCK_LIFETIME_S", 10.0)
        self.poll_s = _env_float("LOCK_POLL_S", 0.02)
        self.max_wait_s = _env_float("LOCK_WAIT_S", 30.0)
        self.prefix = KEY_PREFIX + (f"{key_prefix}:" if key_prefix else "")
        self.red = aioredis.Redis(
            host=host,
            port=int(port),
            db=int(db),
            password=password or None,
            username=username or None,
            ssl=use_ssl,
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
        )
        self._issue = self.red.register_script(_ISSUE)
        self._acquire = self.red.register_script(_ACQUIRE)
        self._release = self.red.register_script(_RELEASE)
        super().__init__()

    def _keys(self, conversation_id: Text) -> list:
        base = self.prefix + conversation_id
        return [base + ":next", base + ":queue", base + ":deadline"]

    async def ping(self) -> bool:
        """True when Redis answers (for /health)."""
        return bool(await self.red.ping())

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: Text,
        lock_lifetime: float = 0,
        wait_time_in_seconds: float = 0,
    ) -> AsyncGenerator[TicketLock, None]:
        """Hold the conversation's lock; raise `LockError` if Redis fails or the wait is too long."""
        keys = self._keys(conversation_id)
        lifetime_ms = int(self.lifetime_s * 1000)
        try:
            ticket = int(await self._issue(keys=keys, args=[lifetime_ms]))
        except Exception as error:
            raise LockError(f"Could not issue a lock ticket for a conversation: {error}") from error
        try:
            await self._wait_for_turn(keys, ticket, lifetime_ms)
            # The lock a holder sees: its own ticket is the one now served.
            yield TicketLock(conversation_id, deque([Ticket(ticket, time.time() + self.lifetime_s)]))
        finally:
            try:
                await self._release(keys=keys, args=[ticket])
            except Exception:
                # The ticket then expires after LOCK_LIFETIME_S; nothing else is affected.
                logger.error("lock store: could not release a lock ticket", exc_info=True)

    async def _wait_for_turn(self, keys: list, ticket: int, lifetime_ms: int) -> None:
        deadline = time.monotonic() + self.max_wait_s
        while True:
            try:
                state = int(await self._acquire(keys=keys, args=[ticket, lifetime_ms]))
            except Exception as error:
                raise LockError(f"Could not acquire a conversation lock: {error}") from error
            if state == 1:
                return
            if state == -1:
                raise LockError("A conversation lock ticket expired while waiting.")
            if time.monotonic() > deadline:
                raise LockError("Waited too long for a conversation lock.")
            await asyncio.sleep(self.poll_s)

    # Rasa's synchronous ticket API is not used by the processor; refuse it loudly rather than
    # offering a second, non-atomic path.
    def get_lock(self, conversation_id: Text) -> Optional[TicketLock]:
        raise NotImplementedError("AtomicRedisLockStore only supports `async with lock(...)`")

    def save_lock(self, lock: TicketLock) -> None:
        raise NotImplementedError("AtomicRedisLockStore only supports `async with lock(...)`")

    def delete_lock(self, conversation_id: Text) -> None:
        raise NotImplementedError("AtomicRedisLockStore only supports `async with lock(...)`")
