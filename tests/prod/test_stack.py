"""The production stack's own defences, through nginx: health, limits, tokens, origins."""
from __future__ import annotations

import asyncio
import uuid

import aiohttp
import pytest
import requests

from tests.support.prod import is_apology

pytestmark = pytest.mark.e2e


def rest(stack, sender, message, token=True, **kwargs):
    headers = {"Authorization": f"Bearer {stack.secrets['REST_TOKEN']}"} if token else {}
    return requests.post(f"{stack.url}/webhooks/rest/webhook", json={"sender": sender, "message": message},
                         headers=headers, timeout=30, **kwargs)


def test_health_on_each_server_and_through_nginx(stack):
    for url in [f"http://127.0.0.1:{p}/health" for p in stack.rasa_ports] + [f"{stack.url}/health"]:
        r = requests.get(url, timeout=10)
        assert r.status_code == 200
        assert r.json() == {"status": "ok", "model_loaded": True, "model": r.json()["model"],
                            "tracker_store": "ok", "lock_store": "ok"}


def test_health_says_503_when_redis_is_down(stack):
    stack.ctl("stop", "redis", check=True)
    try:
        r = requests.get(f"http://127.0.0.1:{stack.rasa_ports[0]}/health", timeout=10)
        assert r.status_code == 503
        assert r.json()["lock_store"] != "ok" and r.json()["tracker_store"] == "ok"
        # And a family writing now gets the apology, not an empty list.
        reply = rest(stack, "redis-down-" + uuid.uuid4().hex[:8], "Koster det noe?")
        assert reply.json() and is_apology(reply.json()[0]["text"])
    finally:
        stack.ctl("start", "redis", check=True)


def test_rest_needs_the_token(stack):
    assert rest(stack, "no-token", "Koster det noe?", token=False).status_code == 401
    r = rest(stack, "with-token-" + uuid.uuid4().hex[:8], "Koster det noe?")
    assert r.status_code == 200 and "gratis" in r.json()[0]["text"]


def test_oversized_body_is_refused_by_nginx(stack):
    r = rest(stack, "big", "a" * 400_000)
    assert r.status_code == 413


def test_one_conversation_sending_too_fast_gets_429_with_a_polite_text(stack):
    sender = "fast-" + uuid.uuid4().hex[:8]
    statuses = [rest(stack, sender, "hei") for _ in range(34)]
    limited = [r for r in statuses if r.status_code == 429]
    assert limited, [r.status_code for r in statuses]
    assert "mange meldinger" in limited[0].json()[0]["text"]
    # Another conversation is not affected.
    assert rest(stack, "calm-" + uuid.uuid4().hex[:8], "Koster det noe?").status_code == 200


def test_one_address_sending_too_fast_gets_429_from_nginx(stack):
    """From 127.0.0.2 (not this machine's own address, which is not limited)."""
    async def burst():
        connector = aiohttp.TCPConnector(local_addr=("127.0.0.2", 0))
        async with aiohttp.ClientSession(connector=connector) as session:
            async def one(i):
                async with session.post(f"{stack.url}/webhooks/rest/webhook",
                                        json={"sender": f"ip-{i}", "message": "hei"},
                                        headers={"Authorization": f"Bearer {stack.secrets['REST_TOKEN']}"}) as r:
                    return r.status
            return await asyncio.gather(*(one(i) for i in range(40)))
    statuses = asyncio.run(burst())
    assert 429 in statuses and 200 in statuses, statuses


def test_socketio_refuses_a_foreign_origin(stack):
    url = f"{stack.url}/socket.io/?EIO=4&transport=polling"
    assert requests.get(url, headers={"Origin": "https://evil.example"}, timeout=10).status_code == 400
    allowed = stack.ports["PROD_WIDGET_ORIGINS"].split(",")[0]
    assert requests.get(url, headers={"Origin": allowed}, timeout=10).status_code == 200
