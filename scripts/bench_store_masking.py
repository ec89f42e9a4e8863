"""Added time per message from masking at storage (MaskingTrackerStore vs Rasa's SQLTrackerStore).

Each message is one turn as the Rasa server stores it: the user message (parse data with an
intent ranking), the predicted action, the assistant's answer from knowledge/ with buttons,
and action_listen. The messages are the held-out NLU sets (tests/nlu/heldout*.yml) and, for
every fifth one, the same message with personal data added, so the masker finds something.

Two figures per message:
- masking: the time `MaskingTrackerStore.mask_events` takes for the turn's new events (what
  masking adds to a save), with the real masking engine and a cold cache for each text;
- save: the whole `save()` of each store on its own SQLite file, for scale.

Usage: PYTHONPATH=. .venv/bin/python scripts/bench_store_masking.py [--messages N]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import List

import yaml
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from actions.knowledge import load_knowledge  # noqa: E402
from bot.stores.event_masking import CachingMasker  # noqa: E402
from bot.stores.privacy_masker import PrivacyMasker  # noqa: E402
from bot.stores.tracker_store import MaskingTrackerStore  # noqa: E402

PERSONAL_SUFFIXES = [
    " Jeg heter Kari Nordmann, tlf 912 34 567.",
    " Sønnen min Ola (fnr 01017012345) har autisme.",
    " Vi bor i Storgata 12, 9008 Tromsø.",
    " Skriv til kari.nordmann@example.no.",
    " Kontonummer 1234 56 78903.",
]


def messages(limit: int) -> List[str]:
    out: List[str] = []
    for path in sorted((ROOT / "tests" / "nlu").glob("heldout*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu", []):
            for line in str(block.get("examples", "")).splitlines():
                line = line.strip()
                if line.startswith("- "):
                    out.append(line[2:].strip())
    # Every fifth message carries personal data, so the masker has something to find.
    out = [m + PERSONAL_SUFFIXES[i // 5 % len(PERSONAL_SUFFIXES)] if i % 5 == 0 else m
           for i, m in enumerate(out)]
    return out[:limit]


def turn(text: str, answer: str) -> list:
    ranking = [{"name": f"intent_{i}", "confidence": round(1 / (i + 2), 4)} for i in range(10)]
    parse_data = {"text": text, "intent": ranking[0], "intent_ranking": ranking, "entities": []}
    return [
        UserUttered(text, ranking[0], [], parse_data, input_channel="socketio",
                    metadata={"message_id": "m0123456789abcdef"}),
        ActionExecuted("utter_answer", policy="RulePolicy", confidence=1.0),
        BotUttered(answer, {"buttons": [{"title": "Koster det noe?", "payload": "Koster det noe?"},
                                        {"title": "Snakk med et menneske", "payload": "Snakk med et menneske"}]},
                   {"utter_action": "utter_answer"}),
        ActionExecuted("action_listen"),
    ]


def pct(values: List[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def line(name: str, ms: List[float]) -> str:
    return (f"{name:<34} p50 {pct(ms, 50):7.2f} ms  p95 {pct(ms, 95):7.2f} ms  "
            f"p99 {pct(ms, 99):7.2f} ms  max {max(ms):7.2f} ms  mean {statistics.mean(ms):6.2f} ms")


async def run(n: int) -> None:
    knowledge = load_knowledge()
    answers = [knowledge.render(t) for t in sorted(knowledge.topics)]
    texts = messages(n)
    domain = Domain.empty()
    tmp = Path(tempfile.mkdtemp(prefix="bench-masking-"))
    engine = PrivacyMasker()
    masker = CachingMasker(engine)
    masking = MaskingTrackerStore(domain, masker=masker, dialect="sqlite", db=str(tmp / "masked.db"))
    plain = SQLTrackerStore(domain, dialect="sqlite", db=str(tmp / "plain.db"))

    # Warm up: the engine loads its lists and NER model on first use (the server does this at
    # start, bot/channels/server_hooks.py); that is start-up, not a message.
    from bot.channels.server_hooks import warm_up_masker

    warm_up_masker()
    for text in texts[:20]:
        engine.mask(text)

    mask_ms, save_masked_ms, save_plain_ms = [], [], []
    t_masked = masking.init_tracker("bench-masked")
    t_plain = plain.init_tracker("bench-plain")
    for i, text in enumerate(texts):
        events = turn(text, answers[i % len(answers)])
        masker._mask.cache_clear()  # a new message is never in the cache
        start = time.perf_counter()
        masking.mask_events(events)
        mask_ms.append((time.perf_counter() - start) * 1000)

        masker._mask.cache_clear()
        for e in events:
            t_masked.update(e)
        start = time.perf_counter()
        await masking.save(t_masked)
        save_masked_ms.append((time.perf_counter() - start) * 1000)

        for e in turn(text, answers[i % len(answers)]):
            t_plain.update(e)
        start = time.perf_counter()
        await plain.save(t_plain)
        save_plain_ms.append((time.perf_counter() - start) * 1000)

    with_data = sum(1 for i in range(len(texts)) if i % 5 == 0)
    print(f"{len(texts)} messages ({with_data} with personal data), one turn of 4 events each")
    print(line("masking at storage (added)", mask_ms))
    print(line("save(), MaskingTrackerStore", save_masked_ms))
    print(line("save(), SQLTrackerStore", save_plain_ms))
    diff = [a - b for a, b in zip(save_masked_ms, save_plain_ms)]
    print(line("save() difference per message", diff))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=400)
    args = parser.parse_args()
    asyncio.run(run(args.messages))
    return 0


if __name__ == "__main__":
    sys.exit(main())
