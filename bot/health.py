"""GET /health of a Rasa server: is the model loaded, do the tracker store and lock store answer.

200 with {"status": "ok", ...} when all three are fine, else 503 with the failing parts, so nginx
and monitoring can take a server out. Each check has HEALTH_TIMEOUT_S (default 2 s).
"""
from __future__ import annotations

import asyncio
import logging
import os
from typing import Any, Awaitable, Callable, Dict

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)

HEALTH_SENDER = "__health_check__"


async def _check(name: str, probe: Callable[[], Awaitable[Any]]) -> str:
    timeout = float(os.environ.get("HEALTH_TIMEOUT_S", "2"))
    try:
        await asyncio.wait_for(probe(), timeout)
        return "ok"
    except asyncio.TimeoutError:
        logger.error("health: %s did not answer within %.1f s", name, timeout)
        return "timeout"
    except Exception as error:
        logger.error("health: %s failed: %s", name, error)
        return "error"


async def check_agent(agent: Any) -> Dict[str, Any]:
    """The health report of one agent (also used by tests)."""
    from bot.stores.failsafe import unwrap

    if agent is None:
        return {"status": "unavailable", "model_loaded": False, "tracker_store": "unknown",
                "lock_store": "unknown"}
    model_loaded = bool(agent.is_ready())
    store = unwrap(agent.tracker_store) if agent.tracker_store is not None else None
    lock_store = agent.lock_store

    async def tracker_probe() -> None:
        await store.retrieve(HEALTH_SENDER)

    async def lock_probe() -> None:
        if hasattr(lock_store, "ping"):
            await lock_store.ping()
        else:
            async with lock_store.lock(HEALTH_SENDER):
                pass

    tracker = await _check("tracker store", tracker_probe) if store is not None else "missing"
    lock = await _check("lock store", lock_probe) if lock_store is not None else "missing"
    ok = model_loaded and tracker == "ok" and lock == "ok"
    return {
        "status": "ok" if ok else "unavailable",
        "model_loaded": model_loaded,
        "model": agent.model_name if model_loaded else None,
        "tracker_store": tracker,
        "lock_store": lock,
    }


async def health(request: Request) -> HTTPResponse:
    report = await check_agent(getattr(request.app.ctx, "agent", None))
    return response.json(report, status=200 if report["status"] == "ok" else 503)
