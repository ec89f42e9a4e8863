"""The Rasa server's speed fixes keep Rasa's behaviour: bad action server replies are still refused,
action calls still get their answers, one connection serves many calls."""
from __future__ import annotations

import asyncio

import pytest
from aiohttp import web
from jsonschema import ValidationError

from bot import rasa_runtime


@pytest.fixture(scope="module", autouse=True)
def installed() -> None:
    rasa_runtime.install()


def _remote_action():
    from rasa.core.actions.action import RemoteAction
    from rasa.utils.endpoints import EndpointConfig

    return RemoteAction("action_assess_eligibility", EndpointConfig("http://127.0.0.1:1/webhook"))


def test_a_valid_action_server_reply_is_accepted() -> None:
    reply = {"events": [{"event": "slot", "name": "child_status", "value": "under_18"}],
             "responses": [{"response": "utter_eligibility_intro"}]}
    assert _remote_action()._validate_action_result(reply) is True


@pytest.mark.parametrize("reply", [
    {"events": "not a list"},
    {"events": [{"event": "slot"}]},           # a slot event without a name
    {"responses": [{"text": "hei"}, "oops"]},  # a response that is not an object
])
def test_a_broken_action_server_reply_is_refused_as_before(reply: dict) -> None:
    from jsonschema import validate
    from rasa.core.actions.action import RemoteAction

    with pytest.raises(ValidationError) as ours:
        _remote_action()._validate_action_result(reply)
    with pytest.raises(ValidationError) as stock:
        validate(reply, RemoteAction.action_response_format_spec())
    assert ours.value.message.startswith(stock.value.message)
    assert "Failed to validate Action server response" in ours.value.message


async def test_action_calls_share_one_connection_and_all_get_answers(unused_tcp_port: int) -> None:
    from rasa.utils.endpoints import EndpointConfig

    peers = set()

    async def webhook(request: web.Request) -> web.Response:
        peers.add(request.transport.get_extra_info("peername"))
        body = await request.json()
        return web.json_response({"events": [], "responses": [{"text": body["n"]}]})

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", unused_tcp_port).start()
    try:
        endpoint = EndpointConfig(f"http://127.0.0.1:{unused_tcp_port}/webhook")
        answers = [await endpoint.request(json={"n": str(i)}, method="post") for i in range(5)]
        answers += await asyncio.gather(*(endpoint.request(json={"n": "x"}, method="post") for _ in range(3)))
    finally:
        await runner.cleanup()
    assert [a["responses"][0]["text"] for a in answers[:5]] == ["0", "1", "2", "3", "4"]
    assert len(answers) == 8
    assert len(peers) <= 3  # sequential calls reuse one connection instead of opening five
