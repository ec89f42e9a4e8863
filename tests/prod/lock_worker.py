"""One "server" process for the lock store tests: n read-sleep-write turns on a Redis counter.

python -m tests.prod.lock_worker {atomic|stock} PORT CONVERSATION N START_AT
Records in Redis db 3: the counter, the most holders seen at once, and failed turns.
"""
from __future__ import annotations

import asyncio
import sys
import time

import redis


async def main(kind: str, port: int, conversation: str, n: int, start_at: float) -> None:
    if kind == "atomic":
        from bot.stores.lock_store import AtomicRedisLockStore

        store = AtomicRedisLockStore(host="127.0.0.1", port=port, db=1)
    else:
        from rasa.core.lock_store import RedisLockStore

        store = RedisLockStore(host="127.0.0.1", port=port, db=1)
    data = redis.Redis(host="127.0.0.1", port=port, db=3)
    counter, inside, most = f"{conversation}:value", f"{conversation}:inside", f"{conversation}:most"

    async def turn() -> None:
        try:
            await locked_turn()
        except Exception as error:  # stock: "Could not acquire lock" when a ticket was lost
            print(f"lock_worker: {kind}: {error.__class__.__name__}", file=sys.stderr)
            data.incr(f"{conversation}:errors")

    async def locked_turn() -> None:
        async with store.lock(conversation, wait_time_in_seconds=0.01):
            now_inside = data.incr(inside)
            data.execute_command("SET", most, max(int(data.get(most) or 0), now_inside))
            seen = int(data.get(counter) or 0)
            await asyncio.sleep(0.01)
            data.set(counter, seen + 1)
            data.decr(inside)

    await asyncio.sleep(max(0.0, start_at - time.time()))
    await asyncio.gather(*(turn() for _ in range(n)))


if __name__ == "__main__":
    kind, port, conversation, n, start_at = sys.argv[1:6]
    asyncio.run(main(kind, int(port), conversation, int(n), float(start_at)))
