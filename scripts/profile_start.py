"""Where our Rasa server's start goes: py-spy record from `rasa run` until its first answer, summed by part.

Usage: PYTHONPATH=. .venv/bin/python scripts/profile_start.py [--model models/barnekoordinator.tar.gz]
Starts the action server and the Rasa server as `make run` does (on free ports), samples the
Rasa server with py-spy from its first instruction until the first real answer, stops both and
prints seconds per part (wall time of the main thread; idle = waiting for I/O or other processes).
"""
from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import List

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from bench import RASA, VENV_BIN, first_answer, free_port  # noqa: E402

RATE = 50
PARTS = [
    ("model archive unpacked (tar.gz)", "tarfile.py"),
    ("ResponseSelector loaded (TF model built and traced)", "rasa/nlu/selectors/response_selector.py"),
    ("DIETClassifier loaded (TF model built and traced)", "rasa/nlu/classifiers/diet_classifier.py"),
    ("spaCy model loaded", "spacy_utils.py"),
    ("other graph components loaded", "rasa/engine/"),
    ("tracker store and lock store created", "tracker_store.py"),
    ("our channels (bot/) imported and set up", "(bot/"),
    ("import tensorflow and keras", "<module> (tensorflow/"),
    ("import tensorflow and keras", "<module> (keras/"),
    ("import spaCy and thinc", "<module> (spacy/"),
    ("import spaCy and thinc", "<module> (thinc/"),
    ("import other libraries", "_find_and_load (<frozen importlib._bootstrap>"),
    ("Sanic server start", "sanic/"),
]


def classify(frames: List[str]) -> str:
    if frames and frames[-1].startswith(("select (selectors.py", "_run_once (asyncio", "sleep (")):
        return "idle (waiting)"
    for part, needle in PARTS:
        if any(needle in f for f in frames):
            if part == "import other libraries":
                mod = next((f for f in frames if f.startswith("<module> (")), "")
                top = mod.split("(", 1)[1].split("/", 1)[0] if mod else "?"
                return f"import other libraries ({top})" if top in ("rasa", "sanic", "sqlalchemy") \
                    else "import other libraries"
            return part
    return "other"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(ROOT / "models" / "barnekoordinator.tar.gz"))
    parser.add_argument("--out", default=str(ROOT / "var" / "bench" / "start-profile.txt"))
    args = parser.parse_args()
    py_spy = shutil.which("py-spy", path=str(VENV_BIN)) or shutil.which("py-spy")
    work = Path(tempfile.mkdtemp(prefix="profile-start-"))
    rasa_port, action_port = free_port(), free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false",
           "TRACKER_DB": str(work / "tracker.db"),
           "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{action_port}/webhook"}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    actions = subprocess.Popen([str(VENV_BIN / "python"), "-m", "bot.action_server", "--actions", "actions",
                                "--port", str(action_port)],
                               cwd=ROOT, env=env, stdout=(work / "a.log").open("w"), stderr=subprocess.STDOUT)
    start = time.monotonic()
    spy = subprocess.Popen([py_spy, "record", "--rate", str(RATE), "--idle", "--format", "raw", "-o", args.out,
                            "--", RASA, "run", "--model", str(Path(args.model).resolve()), "--endpoints",
                            str(ROOT / "bot" / "endpoints.yml"), "--credentials", str(ROOT / "bot" / "credentials.yml"),
                            "--port", str(rasa_port), "--interface", "127.0.0.1"],
                           cwd=ROOT, env=env, stdout=(work / "r.log").open("w"), stderr=subprocess.STDOUT)
    try:
        asyncio.run(first_answer(f"http://127.0.0.1:{rasa_port}", "Koster det noe?", [spy, actions],
                                 [work / "r.log"]))
        first = time.monotonic() - start
    finally:
        children = Path(f"/proc/{spy.pid}/task/{spy.pid}/children")
        for pid in (children.read_text().split() if children.exists() else []):
            os.kill(int(pid), 15)
        spy.wait(timeout=120)
        actions.terminate()
        actions.wait(timeout=30)
    parts: Counter = Counter()
    for line in Path(args.out).read_text().splitlines():
        stack, _, n = line.rpartition(" ")
        frames = stack.split(";")
        if "MainThread" in frames[0] or not frames[0].startswith("thread"):
            parts[classify(frames)] += int(n)
    print(f"start until the first answer: {first:.1f} s (under py-spy, load average {os.getloadavg()[0]:.1f})\n")
    print("| part of the start | seconds (main thread) |\n| --- | --- |")
    for part, n in parts.most_common():
        print(f"| {part} | {n / RATE:.1f} |")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
