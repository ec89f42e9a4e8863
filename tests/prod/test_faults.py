"""Faults under load on the production stack (scripts/prod.sh): what families see, what is stored.

Each scenario runs families (REST, socket.io, SMS through nginx) while one part of the stack is
broken, then checks: every message got text (an answer, or the apology with the human contact)
within 5 s, and PostgreSQL holds every answered message once, in whole turns, in order.

CI runs the short version (a fresh stack on free ports, a few families). `make faults` runs it
against the stack of `make prod` with 50 families (FAULTS_FULL=1, PROD_RUNNING=1).
"""
from __future__ import annotations

import asyncio
import os
import signal
import time
import uuid

import aiohttp
import pytest

from tests.support.prod import (
    REPLY_BOUND_S,
    RestFamily,
    SmsFamily,
    SocketFamily,
    check_stored,
    is_apology,
    run_families,
)

pytestmark = pytest.mark.e2e

FULL = os.environ.get("FAULTS_FULL") == "1"
FAMILIES = int(os.environ.get("FAULT_FAMILIES", "50" if FULL else "6"))
PAUSE = (2.0, 4.0) if FULL else (0.3, 1.0)
SCRIPT = ("Koster det noe?", "Kan du sjekke om vi har rett?", "5 år", "ja", "ja")
LONG_SCRIPT = SCRIPT * 2 if FULL else SCRIPT


def under_load(stack, fault, recover=None, families=FAMILIES, delay=1.5, hold=6.0,
               channels=(RestFamily, RestFamily, SocketFamily, SmsFamily)):
    """Run families; after `delay` s call fault(), after `hold` more s call recover()."""
    async def main():
        load = asyncio.create_task(run_families(stack, families, pause=PAUSE, script=LONG_SCRIPT,
                                                channels=channels))
        loop = asyncio.get_running_loop()
        await asyncio.sleep(delay)
        info = await loop.run_in_executor(None, fault)
        if recover is not None:
            await asyncio.sleep(hold)
            await loop.run_in_executor(None, recover, info)
        return await load, info
    return asyncio.run(main())


def describe(result) -> str:
    lines = [str(result.summary())] + result.open_errors[:5]
    for f in result.families:
        for t in f.turns:
            if t.status != 200 or t.empty or t.seconds > REPLY_BOUND_S or t.error:
                lines.append(f"{f.channel} {t.text!r}: {t.status} {t.seconds:.2f}s {t.error} "
                             f"{t.reply_text[:80]!r}")
    return "\n".join(lines[:40])


def assert_families_served(stack, result, bound_s=None) -> None:
    """bound_s: the longest wait allowed per channel (default REPLY_BOUND_S for all)."""
    bound_s = bound_s or {}
    summary = result.summary()
    assert summary["messages"] == len(result.families) * len(LONG_SCRIPT), describe(result)
    for family in result.families:
        for turn in family.turns:
            # Text for the family every time: an answer, or the apology with the contact.
            assert turn.reply_text.strip(), describe(result)
            assert turn.status == 200 or is_apology(turn.reply_text), describe(result)
            assert turn.seconds <= bound_s.get(family.channel, REPLY_BOUND_S), describe(result)
    problems = {f.sender_id: p for f in result.families if (p := check_stored(stack, f))}
    assert not problems, problems


def test_one_conversation_through_both_servers_is_served_one_message_at_a_time(stack):
    """Concurrent messages of one conversation, sent straight to both Rasa servers at once."""
    sender = "both-" + uuid.uuid4().hex[:12]
    n = 8

    async def main():
        async with aiohttp.ClientSession() as session:
            async def one(i):
                port = stack.rasa_ports[i % 2]
                async with session.post(
                    f"http://127.0.0.1:{port}/webhooks/rest/webhook",
                    json={"sender": sender, "message": "Koster det noe?", "metadata": {"seq": i}},
                    headers={"Authorization": f"Bearer {stack.secrets['REST_TOKEN']}"},
                ) as r:
                    return r.status, await r.json(content_type=None)
            return await asyncio.gather(*(one(i) for i in range(n)))

    answers = asyncio.run(main())
    assert all(status in (200, 503) and body and body[0].get("text") for status, body in answers)
    normal = [i for i, (status, body) in enumerate(answers)
              if status == 200 and not is_apology(body[0]["text"])]
    assert len(normal) >= n // 2, answers  # most are answered even on a busy machine
    events = stack.events(sender)
    users = [e for e in events if e["type"] == "user"]
    seqs = [e["metadata"]["seq"] for e in users]
    assert len(seqs) == len(set(seqs)), seqs  # nothing stored twice
    assert set(normal) <= set(seqs), (normal, seqs)  # nothing answered is lost
    # One at a time: each turn is whole (user message ... action_listen) before the next.
    listening = True
    for e in events:
        if e["type"] == "user":
            assert listening, "two turns of one conversation ran at the same time"
            listening = False
        elif e["type"] == "action" and e.get("name") == "action_listen":
            listening = True
    ids = [e["id"] for e in events]
    assert ids == sorted(ids)


def test_action_server_killed_and_restarted(stack):
    def fault():
        return stack.signal("actions-1", signal.SIGKILL)

    result, old_pid = under_load(stack, fault)
    assert_families_served(stack, result)
    assert stack.wait_restarted("actions-1", old_pid) < 10


def test_hanging_action_server(stack):
    def fault():
        return stack.signal("actions-2", signal.SIGSTOP)

    def recover(pid):
        os.kill(pid, signal.SIGCONT)

    result, _ = under_load(stack, fault, recover, hold=8.0)
    assert_families_served(stack, result)


def test_postgresql_restarted(stack):
    def fault():
        stack.ctl("restart", "postgres", check=True)

    result, _ = under_load(stack, fault)
    assert_families_served(stack, result)


def test_redis_restarted(stack):
    def fault():
        stack.ctl("restart", "redis", check=True)

    result, _ = under_load(stack, fault)
    assert_families_served(stack, result)


async def talk(family, texts):
    async with aiohttp.ClientSession() as session:
        family.session = session
        for text in texts:
            await family.say(text)
    return family


def two_families(stack):
    async def new():
        async with aiohttp.ClientSession() as session:
            return RestFamily(stack, session), RestFamily(stack, session)
    return asyncio.run(new())


def test_postgresql_down_gives_the_apology_and_conversations_continue_after(stack):
    interrupted, control = two_families(stack)
    asyncio.run(talk(interrupted, ["Kan du sjekke om vi har rett?"]))
    asyncio.run(talk(control, ["Kan du sjekke om vi har rett?", "5 år"]))
    stack.ctl("stop", "postgres", check=True)
    try:
        asyncio.run(talk(interrupted, ["5 år"]))
        down = interrupted.turns[-1]
        assert down.seconds <= REPLY_BOUND_S, down
        assert is_apology(down.reply_text), down  # never a fresh conversation pretending
    finally:
        stack.ctl("start", "postgres", check=True)
    time.sleep(1)
    asyncio.run(talk(interrupted, ["5 år"]))
    # The check goes on where it was, as if the database had never been away.
    assert interrupted.turns[-1].reply_text == control.turns[-1].reply_text
    assert check_stored(stack, interrupted) == []


def test_one_rasa_server_killed(stack):
    def fault():
        return stack.signal("rasa-1", signal.SIGKILL)

    # SMS in flight at the moment of the kill stay unanswered (README "Drift"); the REST and
    # widget families are what this scenario checks.
    # A widget whose server died must notice, reconnect (with back-off) and resend: that takes
    # longer than 5 s; REST families are answered by the other server at once.
    result, old_pid = under_load(stack, fault, channels=(RestFamily, RestFamily, SocketFamily))
    assert_families_served(stack, result, bound_s={"socketio": 20.0})
    assert stack.wait_restarted("rasa-1", old_pid) < 10
    stack.wait_healthy()


def test_restart_of_both_rasa_servers_in_the_middle_of_the_eligibility_check(stack):
    """A conversation restarted mid-check answers like one that was never interrupted."""
    first, rest = ["Kan du sjekke om vi har rett?", "5 år"], ["ja", "ja"]
    restarted, control = two_families(stack)
    asyncio.run(talk(restarted, first))
    asyncio.run(talk(control, first + rest))
    stack.ctl("restart", "rasa-1", "rasa-2", check=True)
    stack.wait_healthy()
    asyncio.run(talk(restarted, rest))
    assert [t.reply_text for t in restarted.turns] == [t.reply_text for t in control.turns]
    assert not any(is_apology(t.reply_text) for t in restarted.turns)
    assert check_stored(stack, restarted) == []


def test_sms_and_widget_get_an_answer_through_the_load_balancer(stack):
    async def main():
        async with aiohttp.ClientSession() as session:
            sms, widget = SmsFamily(stack, session), SocketFamily(stack, session)
            await widget.open()
            try:
                return await sms.say("Koster det noe?"), await widget.say("Koster det noe?"), sms, widget
            finally:
                await widget.close()

    sms_turn, widget_turn, sms, widget = asyncio.run(main())
    assert "gratis" in sms_turn.reply_text
    assert "gratis" in widget_turn.reply_text
    assert check_stored(stack, sms) == [] and check_stored(stack, widget) == []
