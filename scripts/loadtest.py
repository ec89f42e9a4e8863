"""Load test of the production stack (`make prod`) through nginx: realistic families at once.

Each family writes the scripted conversation (a question, the eligibility check, answers) with a
pause of a few seconds between messages, over REST (half of them), the widget's socket.io and
SMS. Prints p50/p95/p99, errors, empty replies, apologies and throughput per run, then checks in
PostgreSQL that every family's stored events are complete and in order.

  .venv/bin/python scripts/loadtest.py --families 50 --families 200 [--pause 2 5] [--json out]

A benchmark, not a test: figures depend on the machine's load (README "Drift" has ours).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.prod import check_stored, existing_stack, run_families  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, action="append",
                        help="concurrent families per run (repeat for several runs)")
    parser.add_argument("--pause", type=float, nargs=2, default=(2.0, 5.0),
                        metavar=("MIN", "MAX"), help="seconds between a family's messages")
    parser.add_argument("--prod-dir", default=os.environ.get("PROD_DIR", str(ROOT / "var/prod")))
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    stack = existing_stack(Path(args.prod_dir))
    stack.wait_healthy(timeout=30)
    runs = []
    failed = False
    for n in args.families or [50, 200]:
        result = asyncio.run(run_families(stack, n, pause=tuple(args.pause), ramp_s=5.0))
        summary = result.summary()
        problems = {f.sender_id: p for f in result.families if (p := check_stored(stack, f))}
        summary["families_with_db_problems"] = len(problems)
        summary["by_channel"] = {}
        for f in result.families:
            c = summary["by_channel"].setdefault(f.channel, {"families": 0, "messages": 0})
            c["families"] += 1
            c["messages"] += len(f.turns)
        runs.append(summary)
        print(f"\n== {n} concurrent families")
        for key in ("messages", "errors", "http_not_200", "empty", "apologies", "over_5s", "p50_s", "p95_s",
                    "p99_s", "max_s", "throughput_msg_s", "seconds", "families_with_db_problems"):
            print(f"  {key:26} {summary[key]}")
        print(f"  {'by channel':26} {summary['by_channel']}")
        for sender, p in list(problems.items())[:5]:
            print(f"  db problem {sender}: {p}")
        for e in result.open_errors[:5]:
            print(f"  could not connect: {e}")
        failed |= bool(summary["errors"] or summary["empty"] or problems)
    if args.json:
        Path(args.json).write_text(json.dumps(runs, indent=2), encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
