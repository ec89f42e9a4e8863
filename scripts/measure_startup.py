"""Measure the time from `scripts/run.sh` to the first answer over REST, then REST latency.

Prints: seconds until the first answer, then p50/p95/p99 latency of N sequential questions.
Usage: .venv/bin/python scripts/measure_startup.py [--questions 100]
"""
from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ["Koster det noe?", "hvem kan få barnekoordinator", "hva gjør en barnekoordinator",
             "må barnet ha diagnose?", "hvordan klager vi", "hei", "takk"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=100)
    parser.add_argument("--port", type=int, default=5105)
    args = parser.parse_args()
    env = {**os.environ, "RASA_PORT": str(args.port), "ACTION_PORT": str(args.port + 1),
           "WIDGET_PORT": str(args.port + 2), "TRACKER_DB": "var/measure-tracker.db"}
    url = f"http://localhost:{args.port}/webhooks/rest/webhook"
    start = time.monotonic()
    proc = subprocess.Popen(["scripts/run.sh"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        while True:
            if proc.poll() is not None:
                print("run.sh exited before answering", file=sys.stderr)
                return 1
            try:
                r = requests.post(url, json={"sender": "measure", "message": "Koster det noe?"}, timeout=5)
                if r.ok and r.json():
                    break
            except requests.RequestException:
                pass
            time.sleep(0.25)
        first = time.monotonic() - start
        latencies = []
        for i in range(args.questions):
            t = time.monotonic()
            requests.post(url, json={"sender": f"measure-{i % 10}", "message": QUESTIONS[i % len(QUESTIONS)]},
                          timeout=30).raise_for_status()
            latencies.append((time.monotonic() - t) * 1000)
        q = statistics.quantiles(latencies, n=100)
        print(f"time from run.sh to first answer: {first:.1f} s")
        print(f"REST latency over {args.questions} sequential questions: p50 {q[49]:.0f} ms, "
              f"p95 {q[94]:.0f} ms, p99 {q[98]:.0f} ms")
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
    return 0


if __name__ == "__main__":
    sys.exit(main())
