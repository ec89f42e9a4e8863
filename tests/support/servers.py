"""Start the real action server and Rasa server for end-to-end tests, on free ports, and stop them."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Optional

import requests

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
MODEL = ROOT / "models" / "barnekoordinator.tar.gz"
START_TIMEOUT_S = float(os.environ.get("TEST_SERVER_START_TIMEOUT", "240"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class RunningAssistant:
    rasa_url: str
    action_url: str
    tracker_db: Path
    workdir: Path
    logs: List[Path]

    @property
    def rest_url(self) -> str:
        return f"{self.rasa_url}/webhooks/rest/webhook"

    def send(self, sender: str, message: str, timeout: float = 60) -> List[Dict]:
        """Send one message over the REST channel and return the assistant's replies."""
        r = requests.post(self.rest_url, json={"sender": sender, "message": message}, timeout=timeout)
        r.raise_for_status()
        return r.json()

    def log_tail(self, lines: int = 60) -> str:
        out = []
        for log in self.logs:
            text = log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
            out.append(f"--- {log.name} ---\n" + "\n".join(text))
        return "\n".join(out)


def wait_for(url: str, procs: List[subprocess.Popen], logs: List[Path],
             timeout: float = START_TIMEOUT_S) -> None:
    """Poll url until it answers 200; fail early with the logs if a process exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for p in procs:
            if p.poll() is not None:
                tail = "\n".join(log.read_text(errors="replace")[-4000:] for log in logs)
                raise RuntimeError(f"a server exited with {p.returncode} while starting:\n{tail}")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    tail = "\n".join(log.read_text(errors="replace")[-4000:] for log in logs)
    raise TimeoutError(f"{url} did not answer within {timeout} s:\n{tail}")


@contextmanager
def running_assistant(workdir: Path, extra_env: Optional[Dict[str, str]] = None,
                      credentials: Path = ROOT / "bot" / "credentials.yml",
                      endpoints: Path = ROOT / "bot" / "endpoints.yml") -> Iterator[RunningAssistant]:
    """Run action server + Rasa server (REST, socket.io, SMS) with an SQLite tracker store in workdir
    (or the stores `endpoints` names, such as bot/endpoints.production.yml with DB_* set)."""
    if not MODEL.exists():
        raise FileNotFoundError(f"{MODEL} is missing: run `make train` first")
    rasa_port, action_port = free_port(), free_port()
    tracker_db = workdir / "tracker.db"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "TRACKER_DB": str(tracker_db),
        "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{action_port}/webhook",
        "SANIC_REQUEST_MAX_SIZE": "262144",
        **(extra_env or {}),
    }
    logs = [workdir / "action-server.log", workdir / "rasa-server.log"]
    commands = [
        [str(VENV_BIN / "python"), "-m", "bot.action_server", "--actions", "actions",
         "--port", str(action_port)],
        [str(VENV_BIN / "rasa"), "run", "--model", str(MODEL), "--endpoints", str(endpoints),
         "--credentials", str(credentials), "--port", str(rasa_port), "--cors", "*"],
    ]
    procs: List[subprocess.Popen] = []
    try:
        for cmd, log in zip(commands, logs):
            procs.append(subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT))
        wait_for(f"http://127.0.0.1:{action_port}/health", procs, logs)
        wait_for(f"http://127.0.0.1:{rasa_port}/webhooks/rest/", procs, logs)
        yield RunningAssistant(f"http://127.0.0.1:{rasa_port}", f"http://127.0.0.1:{action_port}",
                               tracker_db, workdir, logs)
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
