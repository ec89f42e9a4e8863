"""Play the blind conversations against freshly started servers and print how they ended.

Usage: PYTHONPATH=. .venv/bin/python scripts/eval_conversations.py [--data FILE] [--verbose]
Starts the action and Rasa servers (as the tests do), plays every conversation over REST or
SMS, prints the figures per outcome, style and channel, and writes results/blind_conversations.json.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import TEST_SERVER_ENV  # noqa: E402
from tests.support.conversations import (  # noqa: E402
    ReplyReader, RestClient, SmsClient, load_conversations, load_responses, play, summary,
)
from tests.support.servers import running_assistant  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "tests" / "dialogue" / "blind_conversations.yml")
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "blind_conversations.json")
    parser.add_argument("--verbose", action="store_true", help="print every miss turn by turn")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir, running_assistant(Path(workdir), TEST_SERVER_ENV) as a:
        reader = ReplyReader(load_responses())
        rest, sms = RestClient(a.rasa_url), SmsClient(a.rasa_url, TEST_SERVER_ENV["SMS_AUTH_TOKEN"])
        report = summary([play(c, rest, sms, reader) for c in load_conversations(args.data)])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    for key, group in report["groups"].items():
        print(f"{key:24s} right outcome {group['right_outcome']:.2f}  (n={group['n']})")
    if args.verbose:
        for f in report["failures"]:
            print(f"\n-- {f['id']} ({f['style']}, {f['channel']})")
            for t in f["turns"]:
                mark = "ok " if t["ok"] else "MISS"
                print(f"  {mark} {t['user']!r} expect {t['expect']} found {t['found']}")
    print(f"conversations: {report['conversations']}  right outcome: {report['right_outcome']}  "
          f"all turns right: {report['all_turns_right']}  turns right: "
          f"{report['turns_right']}/{report['turns']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
