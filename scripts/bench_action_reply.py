"""Time Rasa's check of one action server reply: stock `jsonschema.validate` vs bot.rasa_runtime's cached validator.

Usage: PYTHONPATH=. .venv/bin/python scripts/bench_action_reply.py [--n 30]
"""
from __future__ import annotations

import argparse
import os
import time

REPLY = {"events": [{"event": "slot", "name": "child_status", "value": "under_18", "timestamp": None},
                    {"event": "slot", "name": "requested_slot", "value": "serious_condition", "timestamp": None}],
         "responses": [{"response": "utter_ask_serious_condition"}]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=30)
    n = parser.parse_args().n
    from jsonschema import validate
    from rasa.core.actions.action import RemoteAction

    from bot import rasa_runtime

    schema = RemoteAction.action_response_format_spec()
    start = time.perf_counter()
    for _ in range(n):
        validate(REPLY, schema)
    stock = (time.perf_counter() - start) / n * 1000
    rasa_runtime.install()
    action = RemoteAction("action_x", None)
    action._validate_action_result(REPLY)  # the first call checks the schema once
    start = time.perf_counter()
    for _ in range(n):
        action._validate_action_result(REPLY)
    cached = (time.perf_counter() - start) / n * 1000
    print(f"one action server reply: jsonschema.validate {stock:.1f} ms, cached validator {cached:.2f} ms "
          f"({stock / cached:.0f}x), load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
