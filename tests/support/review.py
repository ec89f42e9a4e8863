"""Test support for the review app: real conversations through the running assistant, the app
as its own process on a free port, and a logged-in HTTP client."""
from __future__ import annotations

import os
import queue
import re
import subprocess
import sys
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterator, List, Optional

import requests

from tests.support.servers import ROOT, RunningAssistant, free_port, wait_for

PASSWORD = "test-only-passord-123"  # test-only, never a real secret

# Conversations sent through the real assistant. The name and phone number in "personal"
# must never reach staff unmasked.
REST_CONVERSATIONS: Dict[str, List[str]] = {
    "cost": ["Hei", "Koster det noe?"],
    "fallback": ["asdkjh qwe zzz", "Hva gjør en barnekoordinator?"],
    "handoff": ["jeg vil snakke med et menneske"],
    "likely": ["Jeg vil sjekke om vi har rett", "5 år", "Ja", "Ja"],
    "abandoned": ["sjekke om vi har rett til barnekoordinator", "3 år", "avbryt"],
    "personal": ["Jeg heter Kari Nordmann og telefonen min er 912 34 567. Hvem har rett?"],
}
PERSONAL_NAME = "Kari Nordmann"
PERSONAL_PHONE = "912 34 567"


@dataclass
class Filled:
    """Which sender id holds which kind of conversation."""

    senders: Dict[str, str] = field(default_factory=dict)


def fill_tracker(assistant: RunningAssistant, extra_rest: int = 0) -> Filled:
    """Talk to the assistant over REST and over the widget's socket.io channel (with a thumbs down)."""
    import socketio

    filled = Filled()
    run = uuid.uuid4().hex[:6]
    for i in range(extra_rest):  # first, so the scripted ones are the newest
        assistant.send(f"review-extra{i:02d}-{run}", "Hvor lenge kan vi ha barnekoordinator?")
    for kind, messages in REST_CONVERSATIONS.items():
        sender = f"review-{kind}-{run}"
        for m in messages:
            assistant.send(sender, m)
        filled.senders[kind] = sender
    # The widget: a question, an answer, and a thumbs down on that answer.
    sio = socketio.Client(reconnection=False)
    replies: "queue.Queue[dict]" = queue.Queue()
    confirms: "queue.Queue[str]" = queue.Queue()
    sio.on("bot_uttered", replies.put)
    sio.on("session_confirm", confirms.put)
    sio.connect(assistant.rasa_url, socketio_path="/socket.io", transports=["websocket"], wait_timeout=20)
    try:
        sio.emit("session_request", {"session_id": None})
        session_id = confirms.get(timeout=20)
        assert sio.call("user_uttered", {"message": "Må barnet ha en diagnose?"}, timeout=60) == {"ok": True}
        answer = replies.get(timeout=60)
        ack = sio.call("feedback", {"value": "down", "message": answer.get("text", ""), "message_index": 1},
                       timeout=30)
        assert ack.get("ok"), ack
    finally:
        sio.disconnect()
    filled.senders["widget_down"] = session_id
    return filled


@dataclass
class RunningReview:
    url: str
    env: Dict[str, str]
    log: Path

    def cli(self, *args: str, extra_env: Optional[Dict[str, str]] = None) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "review", *args], cwd=ROOT, env={**self.env, **(extra_env or {})},
                              capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)

    def add_user(self, username: str, role: str, password: str = PASSWORD) -> None:
        out = self.cli("user", extra_env={"REVIEW_USER": username, "REVIEW_ROLE": role, "REVIEW_PASSWORD": password})
        assert out.returncode == 0, out.stderr

    def client(self, username: str, password: str = PASSWORD) -> "ReviewClient":
        c = ReviewClient(self.url)
        c.login(username, password)
        return c


@contextmanager
def running_review(db_url: str, workdir: Path, extra_env: Optional[Dict[str, str]] = None) -> Iterator[RunningReview]:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "REVIEW_DB_URL": db_url, "REVIEW_PORT": str(port),
           "REVIEW_HOST": "127.0.0.1", "REVIEW_EXPORT_FILE": str(workdir / "corrections.yml"),
           "REVIEW_REFRESH_SECONDS": "0", "REVIEW_LOCKOUT_MINUTES": "15", **(extra_env or {})}
    log = workdir / "review.log"
    proc = subprocess.Popen([sys.executable, "-m", "review", "serve"], cwd=ROOT, env=env,
                            stdout=log.open("w"), stderr=subprocess.STDOUT)
    try:
        wait_for(f"http://127.0.0.1:{port}/login", [proc], [log], timeout=60)
        yield RunningReview(f"http://127.0.0.1:{port}", env, log)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m, "no CSRF token in the page"
    return m.group(1)


class ReviewClient:
    """A staff member's browser session without the browser (for the PostgreSQL tests)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.s = requests.Session()

    def login(self, username: str, password: str) -> requests.Response:
        token = csrf_of(self.s.get(self.url + "/login", timeout=30).text)
        r = self.s.post(self.url + "/login", data={"csrf": token, "username": username, "password": password,
                                                   "neste": "/"}, timeout=30)
        return r

    def get(self, path: str, **params) -> requests.Response:
        return self.s.get(self.url + path, params=params, timeout=30)

    def listed(self, **params) -> List[str]:
        """Sender ids of the list's first page for these filters."""
        r = self.get("/", **params)
        r.raise_for_status()
        from urllib.parse import unquote_plus
        return [unquote_plus(m) for m in re.findall(r'href="/samtale\?id=([^"#]+)"', r.text)]
