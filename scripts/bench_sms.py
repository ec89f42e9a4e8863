"""Measure SMS webhook latency against REST on a freshly started assistant, and print figures.

Usage: PYTHONPATH=. .venv/bin/python scripts/bench_sms.py [--messages 200]

Starts the action server and Rasa server on free ports (tests/support/servers.py, needs the
trained model), then sends the same questions sequentially over REST and over the signed SMS
webhook, each from its own conversations, and prints p50/p95/p99 per channel. The difference is
what the SMS channel adds (signature check, state database, reply shaping).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import List

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from twilio.request_validator import RequestValidator  # noqa: E402

from tests.support.servers import running_assistant  # noqa: E402

TOKEN = "bench-sms-token"
QUESTIONS = [
    "Koster det noe?",
    "Hvem kan få barnekoordinator?",
    "Hvordan får vi barnekoordinator?",
    "Hva gjør en barnekoordinator?",
    "Hei",
]


def percentile(values: List[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def report(name: str, values: List[float]) -> None:
    ms = [v * 1000 for v in values]
    print(f"{name:5} n={len(ms):4}  p50 {percentile(ms, 50):6.1f} ms  p95 {percentile(ms, 95):6.1f} ms"
          f"  p99 {percentile(ms, 99):6.1f} ms  mean {statistics.mean(ms):6.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=200)
    args = parser.parse_args()
    env = {"SMS_AUTH_TOKEN": TOKEN, "SMS_SENDER_KEY": "bench-sms-key"}
    with tempfile.TemporaryDirectory() as tmp, running_assistant(Path(tmp), env) as assistant:
        sms_url = f"{assistant.rasa_url}/webhooks/sms/webhook"
        validator = RequestValidator(TOKEN)
        session = requests.Session()
        # Warm-up: the first messages load lazily created parts (database engines, NLU caches).
        for i in range(5):
            assistant.send(f"warm-{i}", "Hei")
        rest: List[float] = []
        sms: List[float] = []
        for i in range(args.messages):
            question = QUESTIONS[i % len(QUESTIONS)]
            conversation = i // len(QUESTIONS)
            start = time.perf_counter()
            r = session.post(assistant.rest_url, json={"sender": f"bench-{conversation}",
                                                       "message": question}, timeout=60)
            rest.append(time.perf_counter() - start)
            r.raise_for_status()
            form = {"From": f"+4700{conversation:06d}", "To": "+4700000001", "Body": question,
                    "MessageSid": f"SM{uuid.uuid4().hex}"}
            headers = {"X-Twilio-Signature": validator.compute_signature(sms_url, form)}
            start = time.perf_counter()
            r = session.post(sms_url, data=form, headers=headers, timeout=60)
            sms.append(time.perf_counter() - start)
            r.raise_for_status()
        print(f"Sequential requests, {args.messages} per channel, same questions:")
        report("REST", rest)
        report("SMS", sms)
        print(f"SMS - REST at p50: {(percentile(sms, 50) - percentile(rest, 50)) * 1000:+.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
