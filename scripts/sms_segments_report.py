"""Print how every answer in knowledge/ travels by SMS: encoding, segments, and replies needed.

Usage: PYTHONPATH=. .venv/bin/python scripts/sms_segments_report.py [--max-segments 3] [--domain]

For each answer (topics as rendered for the kommune profile, with their choices; eligibility
questions and outcomes; handoff texts) it shows the segment count of the whole text, the
segments of the first SMS reply after shortening, and how many replies ("MER") the whole
answer takes. With --domain it also covers every response in bot/domain/*.yml.
Exit code 1 if any reply is over the limit (that would be a bug in the shortening).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Iterable, List, Sequence, Tuple

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from actions.knowledge import load_knowledge  # noqa: E402
from bot.channels.sms_text import (  # noqa: E402
    Choice,
    count_segments,
    fit_reply,
    is_gsm7,
    markdown_to_sms,
    numbered_choices,
    sms_reply,
)

# (label, text, choices, choices as letters). Letters where the channel uses them: a form
# question whose text shows a number (bot/channels/sms.py::_wants_letters).
Row = Tuple[str, str, Sequence[Choice], bool]


def knowledge_answers(kommune: str = None) -> List[Row]:
    k = load_knowledge()
    rows: List[Row] = []
    for topic_id, topic in sorted(k.topics.items()):
        choices = [Choice(b, b) for b in topic.buttons]
        rows.append((f"topic/{topic_id}", k.render(topic_id, kommune), choices, False))
    for name, question in k.eligibility["questions"].items():
        text = k.text(k.eligibility["questions"], name, kommune)
        rows.append((f"eligibility/question/{name}", text,
                     [Choice(b, b) for b in question.get("buttons", [])],
                     any(ch.isdigit() for ch in text)))
    disclaimer = k.text(k.eligibility["outcomes"], "disclaimer", kommune)
    for name in k.eligibility["outcomes"]:
        if name == "disclaimer":
            continue
        text = k.text(k.eligibility["outcomes"], name, kommune)
        if name in {"likely", "likely_not", "unclear"}:
            text += "\n\n" + disclaimer
        rows.append((f"eligibility/outcome/{name}", text, [], False))
    for name, text in k.eligibility.get("reasks", {}).items():
        rows.append((f"eligibility/reask/{name}", k.text(k.eligibility["reasks"], name, kommune), [],
                     False))
    for name, value in k.handoff.items():
        if name == "sources":
            continue
        rows.append((f"handoff/{name}", k.text(k.handoff, name, kommune), [], False))
    return rows


def domain_responses() -> List[Row]:
    rows: List[Row] = []
    for path in sorted((ROOT / "bot" / "domain").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for name, variants in (data.get("responses") or {}).items():
            for i, variant in enumerate(variants or []):
                if not variant.get("text"):
                    continue
                choices = [Choice(b.get("title", ""), b.get("payload", "")) for b in
                           variant.get("buttons") or []]
                label = f"domain/{name}" + (f"#{i}" if len(variants) > 1 else "")
                letters = name.startswith("utter_ask_") and any(ch.isdigit() for ch in variant["text"])
                rows.append((label, variant["text"], choices, letters))
    return rows


def replies_needed(text: str, choices: Sequence[Choice], letters: bool, max_segments: int) -> List[str]:
    first = sms_reply([text], choices, letters, max_segments=max_segments)
    replies, rest = [first.text], first.remainder
    while rest:
        part = fit_reply(rest, numbered_choices(choices, letters), max_segments)
        replies.append(part.text)
        rest = part.remainder
    return replies


def report(rows: Iterable[Row], max_segments: int) -> int:
    print(f"{'answer':44} {'chars':>5} {'enc':>5} {'whole':>5} {'first':>5} {'SMS':>3}")
    over, needs_more, total, typographic = 0, 0, 0, 0
    for label, text, choices, letters in rows:
        whole = markdown_to_sms(text)
        if choices:
            whole += "\n\n" + numbered_choices(choices, letters)
        info = count_segments(whole)
        typographic += not is_gsm7(text)
        replies = replies_needed(text, choices, letters, max_segments)
        first = count_segments(replies[0])
        worst = max(count_segments(r).segments for r in replies)
        over += worst > max_segments
        needs_more += len(replies) > 1
        total += 1
        print(f"{label:44} {len(whole):5} {info.encoding:>5} {info.segments:5} "
              f"{first.segments:5} {len(replies):3}")
    print(f"\n{total} answers; {needs_more} need 'MER' (longer than {max_segments} segments); "
          f"{over} replies over the limit.")
    print(f"{typographic} answers use characters outside GSM-7 (such as « » or –); they are "
          "sent as GSM-7 look-alikes, otherwise each would go as UCS-2 (70 characters per SMS).")
    print("Columns: whole = segments if sent uncut; first = segments of the first reply; "
          "SMS = replies needed to read it all.")
    return 1 if over else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-segments", type=int, default=3)
    parser.add_argument("--kommune", default=None, help="kommune profile (default: $KOMMUNE or tromso)")
    parser.add_argument("--domain", action="store_true", help="also every response in bot/domain")
    args = parser.parse_args()
    rows = knowledge_answers(args.kommune)
    if args.domain:
        rows += domain_responses()
    return report(rows, args.max_segments)


if __name__ == "__main__":
    sys.exit(main())
