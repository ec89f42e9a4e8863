"""The local production stack (scripts/prod.sh) for tests and the load test: start it on free
ports, talk to it like families do (REST, socket.io, SMS through nginx), break parts of it, and
read back what PostgreSQL stored."""
from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Sequence

import aiohttp

from tests.support.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
REPLY_BOUND_S = 5.0  # what a family may wait, at most, for an answer or an apology


def read_env(path: Path) -> Dict[str, str]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith("#"):
            k, v = line.split("=", 1)
            out[k] = v
    return out


@dataclass
class Stack:
    prod_dir: Path
    ports: Dict[str, str]
    secrets: Dict[str, str]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.ports['PROD_HTTP_PORT']}"

    @property
    def public_url(self) -> str:
        return f"http://localhost:{self.ports['PROD_HTTP_PORT']}"

    @property
    def rasa_ports(self) -> List[str]:
        return self.ports["RASA_PORTS"].split()

    # -- supervision --------------------------------------------------------------------------

    def ctl(self, *args: str, check: bool = False) -> str:
        r = subprocess.run(["supervisorctl", "-c", str(self.prod_dir / "supervisord.conf"), *args],
                           capture_output=True, text=True)
        if check and r.returncode != 0:
            raise RuntimeError(f"supervisorctl {args}: {r.stdout}{r.stderr}")
        return r.stdout

    def pid(self, program: str) -> int:
        out = self.ctl("pid", program).strip()
        return int(out) if out.isdigit() else 0

    def signal(self, program: str, sig: int) -> int:
        pid = self.pid(program)
        assert pid, f"{program} is not running"
        os.kill(pid, sig)
        return pid

    def wait_restarted(self, program: str, old_pid: int, timeout: float = 15) -> float:
        """Seconds until supervisord runs `program` again with a new pid."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            pid = self.pid(program)
            if pid and pid != old_pid and "RUNNING" in self.ctl("status", program):
                return time.monotonic() - started
            time.sleep(0.2)
        raise AssertionError(f"{program} was not restarted within {timeout} s")

    def wait_healthy(self, timeout: float = 400) -> None:
        import requests

        deadline = time.monotonic() + timeout
        urls = [f"http://127.0.0.1:{p}/health" for p in self.rasa_ports] + [f"{self.url}/health"]
        while time.monotonic() < deadline:
            try:
                if all(requests.get(u, timeout=3).status_code == 200 for u in urls):
                    return
            except requests.RequestException:
                pass
            time.sleep(1)
        raise TimeoutError("the stack did not become healthy")

    # -- the database ---------------------------------------------------------------------------

    def db_url(self) -> str:
        return (f"postgresql://rasa:{self.secrets['DB_PASSWORD']}@127.0.0.1:"
                f"{self.ports['PG_PORT']}/rasa")

    def events(self, sender_id: str) -> List[Dict[str, Any]]:
        import psycopg2

        with psycopg2.connect(self.db_url(), connect_timeout=5) as conn, conn.cursor() as cur:
            cur.execute("select id, type_name, data from events where sender_id = %s order by id",
                        (sender_id,))
            return [{"id": i, "type": t, **json.loads(d)} for i, t, d in cur.fetchall()]

    def sms_sender_id(self, phone: str) -> str:
        from bot.channels.sms import sender_id_for

        return sender_id_for(phone, self.secrets["SMS_SENDER_KEY"].encode("utf-8"))


@contextmanager
def running_stack(workdir: Path, extra_env: Optional[Dict[str, str]] = None) -> Iterator[Stack]:
    """A fresh stack on free ports in workdir; stopped afterwards."""
    env = {
        **os.environ,
        "PROD_DIR": str(workdir / "prod"),
        "PROD_HTTP_PORT": str(free_port()),
        "PROD_REVIEW_PORT": str(free_port()),
        "PROD_ACTION_LB_PORT": str(free_port()),
        "RASA_PORTS": f"{free_port()} {free_port()}",
        "ACTION_PORTS": f"{free_port()} {free_port()}",
        "REVIEW_PORT": str(free_port()),
        "PG_PORT": str(free_port()),
        "REDIS_PORT": str(free_port()),
        **(extra_env or {}),
    }
    proc = subprocess.run([str(ROOT / "scripts" / "prod.sh"), "start"], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    try:
        if proc.returncode != 0:
            logs = "\n".join(p.read_text(errors="replace")[-3000:]
                             for p in sorted((workdir / "prod" / "logs").glob("*.log")))
            raise RuntimeError(f"prod.sh start failed:\n{proc.stdout}\n{proc.stderr}\n{logs}")
        yield existing_stack(workdir / "prod")
    finally:
        subprocess.run([str(ROOT / "scripts" / "prod.sh"), "stop"], cwd=ROOT, env=env,
                       capture_output=True, text=True)


def existing_stack(prod_dir: Path) -> Stack:
    return Stack(prod_dir, json.loads((prod_dir / "ports.json").read_text()),
                 read_env(prod_dir / "secrets.env"))


# -- families -----------------------------------------------------------------------------------

@dataclass
class Turn:
    text: str
    status: int
    replies: List[str]
    seconds: float
    error: str = ""

    @property
    def reply_text(self) -> str:
        return "\n".join(self.replies)

    @property
    def empty(self) -> bool:
        return not any(r.strip() for r in self.replies)


def is_apology(text: str) -> bool:
    from bot.channels.replies import no_answer_text

    return no_answer_text() in text


class RestFamily:
    channel = "rest"

    def __init__(self, stack: Stack, session: aiohttp.ClientSession) -> None:
        self.stack, self.session = stack, session
        self.sender = "lt-rest-" + uuid.uuid4().hex[:16]
        self.turns: List[Turn] = []

    @property
    def sender_id(self) -> str:
        return self.sender

    async def open(self) -> None:
        pass

    async def close(self) -> None:
        pass

    async def say(self, text: str) -> Turn:
        started = time.monotonic()
        try:
            async with self.session.post(
                f"{self.stack.url}/webhooks/rest/webhook",
                json={"sender": self.sender, "message": text, "metadata": {"seq": len(self.turns)}},
                headers={"Authorization": f"Bearer {self.stack.secrets['REST_TOKEN']}"},
                timeout=aiohttp.ClientTimeout(total=30),
            ) as r:
                status = r.status
                body = await r.json(content_type=None)
            replies = [m.get("text") or "" for m in body] if isinstance(body, list) else []
            turn = Turn(text, status, replies, time.monotonic() - started)
        except Exception as error:
            turn = Turn(text, 0, [], time.monotonic() - started, error=repr(error))
        self.turns.append(turn)
        return turn


class SocketFamily:
    """One widget conversation over socket.io long polling, through nginx.

    It behaves like the widget's socket.io client where that matters under faults: when a
    request of the connection fails, the connection is dropped, opened again (the same
    session id) and the unanswered message is sent again with the same message_id, which
    the servers answer once.
    """

    channel = "socketio"

    def __init__(self, stack: Stack, session: aiohttp.ClientSession) -> None:
        import socketio

        self.stack = stack
        self.session_id = uuid.uuid4().hex
        self.client = socketio.AsyncClient(reconnection=True, http_session=session)
        self.inbox: List[Dict[str, Any]] = []
        self.turns: List[Turn] = []
        self.client.on("bot_uttered", self.inbox.append)
        self._confirmed: Optional[asyncio.Future] = None
        self.client.on("session_confirm", self._on_confirm)
        self.client.on("connect", self._on_connect)  # also after a reconnect

    def _on_confirm(self, data: Any) -> None:
        if self._confirmed is not None and not self._confirmed.done():
            self._confirmed.set_result(data)

    async def _on_connect(self) -> None:
        if self._confirmed is None or self._confirmed.done():
            self._confirmed = asyncio.get_running_loop().create_future()
        await self.client.emit("session_request", {"session_id": self.session_id})

    @property
    def sender_id(self) -> str:
        return self.session_id

    async def open(self) -> None:
        self._confirmed = asyncio.get_running_loop().create_future()
        # Long polling: python-socketio's asyncio websocket needs a newer aiohttp than Rasa's;
        # polling is also the transport that needs nginx's sticky sessions.
        await self.client.connect(self.stack.url, socketio_path="/socket.io",
                                  transports=["polling"], wait_timeout=10)
        await asyncio.wait_for(self._confirmed, 10)

    async def close(self) -> None:
        await self.client.disconnect()

    def _transport_broken(self) -> bool:
        # python-engineio ends its write loop on a failed POST (for example a 400 from a
        # restarted server that does not know this connection) but keeps the connection
        # "connected" until its next poll returns, up to 25 s later. The widget's
        # socket.io-client closes the connection at once on such an error.
        eio = self.client.eio
        return eio.state == "connected" and eio.write_loop_task is None

    async def _reopen(self) -> None:
        try:
            await self.client.disconnect()
        except Exception:
            pass
        for _ in range(20):
            try:
                await self.open()
                return
            except Exception:
                await asyncio.sleep(0.5)

    async def _send_once(self, text: str, message_id: str, timeout: float) -> Optional[Dict]:
        """The ack, or None when the connection broke first (then the message is resent)."""
        for _ in range(100):  # a reconnect of python-socketio's own may be under way
            if self._transport_broken():
                await self._reopen()
            if self.client.connected:
                break
            await asyncio.sleep(0.1)
        if self._confirmed is not None:  # the session, again, after a reconnect
            await asyncio.wait_for(asyncio.shield(self._confirmed), 10)
        acked = asyncio.get_running_loop().create_future()

        def on_ack(*args: Any) -> None:
            if not acked.done():
                acked.set_result(args[0] if args else None)

        await self.client.emit("user_uttered", {"message": text, "message_id": message_id},
                               callback=on_ack)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                return await asyncio.wait_for(asyncio.shield(acked), 0.2)
            except asyncio.TimeoutError:
                if self._transport_broken() or not self.client.connected:
                    return None
        raise asyncio.TimeoutError()

    async def say(self, text: str, timeout: float = 30.0) -> Turn:
        started = time.monotonic()
        message_id = uuid.uuid4().hex
        try:
            for attempt in range(3):
                ack = await self._send_once(text, message_id,
                                            timeout - (time.monotonic() - started))
                if ack is not None:
                    break
                if attempt == 2:
                    raise ConnectionError("the connection broke three times")
                # The next _send_once reopens a broken connection, or waits for
                # python-socketio's own reconnect.
            await asyncio.sleep(0.05)  # replies are emitted before the ack; let them land
            replies = [m.get("text") or "" for m in self.inbox if m.get("reply_to") == message_id]
            turn = Turn(text, 200 if ack and ack.get("ok") else 500, replies,
                        time.monotonic() - started)
        except Exception as error:
            turn = Turn(text, 0, [], time.monotonic() - started, error=repr(error))
        self.turns.append(turn)
        return turn


class SmsFamily:
    channel = "sms"

    def __init__(self, stack: Stack, session: aiohttp.ClientSession) -> None:
        self.stack, self.session = stack, session
        self.phone = "+4790" + str(uuid.uuid4().int)[:6]
        self.turns: List[Turn] = []

    @property
    def sender_id(self) -> str:
        return self.stack.sms_sender_id(self.phone)

    async def open(self) -> None:
        pass

    async def close(self) -> None:
        pass

    async def say(self, text: str) -> Turn:
        import xml.etree.ElementTree as ET

        from twilio.request_validator import RequestValidator

        public = f"{self.stack.public_url}/webhooks/sms/webhook"
        form = {"From": self.phone, "To": "+4700000000", "Body": text,
                "MessageSid": "SM" + uuid.uuid4().hex, "AccountSid": "AC" + "0" * 32}
        signature = RequestValidator(self.stack.secrets["SMS_AUTH_TOKEN"]).compute_signature(
            public, form)
        started = time.monotonic()
        try:
            async with self.session.post(
                f"{self.stack.url}/webhooks/sms/webhook", data=form,
                headers={"X-Twilio-Signature": signature},
                timeout=aiohttp.ClientTimeout(total=30),
            ) as r:
                status, body = r.status, await r.text()
            replies = [m.text or "" for m in ET.fromstring(body).iter("Message")] if status == 200 else []
            turn = Turn(text, status, replies, time.monotonic() - started)
        except Exception as error:
            turn = Turn(text, 0, [], time.monotonic() - started, error=repr(error))
        self.turns.append(turn)
        return turn


FAMILY_SCRIPT = ("Koster det noe?", "Kan du sjekke om vi har rett?", "5 år", "ja", "ja")
CHANNELS = (RestFamily, RestFamily, SocketFamily, SmsFamily)


@dataclass
class LoadResult:
    families: list
    seconds: float
    open_errors: List[str] = field(default_factory=list)

    @property
    def turns(self) -> List[Turn]:
        return [t for f in self.families for t in f.turns]

    def summary(self) -> Dict[str, Any]:
        turns = self.turns
        times = sorted(t.seconds for t in turns)

        def pct(p: float) -> float:
            return times[min(len(times) - 1, int(p * len(times)))] if times else 0.0

        return {
            "families": len(self.families),
            "messages": len(turns),
            # errors: the family got no text at all (transport error, HTTP error without text)
            "errors": sum(1 for t in turns if t.status != 200 and not t.reply_text.strip())
            + len(self.open_errors),
            "http_not_200": sum(1 for t in turns if t.status != 200),
            "empty": sum(1 for t in turns if t.status == 200 and t.empty),
            "apologies": sum(1 for t in turns if is_apology(t.reply_text)),
            "over_5s": sum(1 for t in turns if t.seconds > REPLY_BOUND_S),
            "p50_s": round(pct(0.50), 3),
            "p95_s": round(pct(0.95), 3),
            "p99_s": round(pct(0.99), 3),
            "max_s": round(times[-1], 3) if times else 0.0,
            "throughput_msg_s": round(len(turns) / self.seconds, 2) if self.seconds else 0.0,
            "seconds": round(self.seconds, 1),
        }


async def run_families(stack: Stack, n: int, pause: Sequence[float] = (1.0, 3.0),
                       script: Sequence[str] = FAMILY_SCRIPT, ramp_s: float = 2.0,
                       channels: Sequence[type] = CHANNELS) -> LoadResult:
    """n families at once, each the scripted conversation with a random pause between messages."""
    import random

    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        families = [channels[i % len(channels)](stack, session) for i in range(n)]
        open_errors: List[str] = []

        async def one(i: int, family: Any) -> None:
            await asyncio.sleep(ramp_s * i / max(1, n))
            try:
                await family.open()
            except Exception as error:
                open_errors.append(f"{family.channel}: {error!r}")
                return
            try:
                for text in script:
                    await family.say(text)
                    await asyncio.sleep(random.uniform(*pause))
            finally:
                try:
                    await family.close()
                except Exception:
                    pass

        started = time.monotonic()
        await asyncio.gather(*(one(i, f) for i, f in enumerate(families)))
        return LoadResult(families, time.monotonic() - started, open_errors)


def check_stored(stack: Stack, family: Any) -> List[str]:
    """Problems with what PostgreSQL holds for one family (empty list: complete and in order).

    Every message that got a normal answer is stored; a message that got an apology may be
    missing; nothing is stored twice; turns do not interleave (event times grow with the ids).
    """
    problems: List[str] = []
    events = family_events = stack.events(family.sender_id)
    answered = [t for t in family.turns if t.status == 200 and not t.empty]
    normal = [i for i, t in enumerate(family.turns)
              if t.status == 200 and not t.empty and not is_apology(t.reply_text)]
    users = [e for e in events if e["type"] == "user"]
    if not answered and not users:
        return problems
    if len(users) < len(normal):
        problems.append(f"{len(normal)} answered messages but {len(users)} stored")
    if len(users) > len(family.turns):
        problems.append(f"{len(family.turns)} messages sent but {len(users)} stored (duplicates)")
    if family.channel == "rest":
        seqs = [(e.get("metadata") or {}).get("seq") for e in users]
        if seqs != sorted(set(seqs)):
            problems.append(f"stored messages out of order or twice: {seqs}")
        missing = [i for i in normal if i not in seqs]
        if missing:
            problems.append(f"answered messages missing from the database: {missing}")
    # Turns one at a time: in id (storage) order the event times never go back, which two
    # turns saved at once by two servers would break; and no event is stored twice.
    stamps = [e.get("timestamp") or 0 for e in family_events]
    if stamps != sorted(stamps):
        problems.append("events of two turns are interleaved (timestamps out of order)")
    keys = [(e["type"], e.get("timestamp"), e.get("name"), e.get("text")) for e in family_events]
    if len(keys) != len(set(keys)):
        problems.append("an event is stored twice")
    return problems


def stop_program(stack: Stack, program: str) -> None:
    stack.signal(program, signal.SIGSTOP)


def continue_program(stack: Stack, program: str) -> None:
    stack.signal(program, signal.SIGCONT)
