"""Time mask_text per message over the evaluation set: p50/p95/p99 after warm-up (NER loaded).

    PYTHONPATH=. .venv/bin/python scripts/bench_masking.py [--data FILE] [--passes 3]

The first pass sees each message for the first time (only the NER and the word lists are
warm); later passes also hit the per-word caches, as a running server does for common words.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import List

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.eval_masking import load  # noqa: E402

WARM_UP = [
    "Hei, jeg heter Kari Nordmann og sønnen min Ola har autisme.",
    "Ring meg på 912 34 567, fnr 01017012345, Storgata 12B, 9008 Tromsø.",
    "Kan Ressurssenteret i Tromsø hjelpe oss med å søke om barnekoordinator?",
    "Jeg har snakket med Xyzzy Qwerty på skolen.",  # unknown names: the NER runs
]


def percentile(sorted_values: List[float], q: float) -> float:
    if not sorted_values:
        return 0.0
    k = max(0, min(len(sorted_values) - 1, int(round(q * (len(sorted_values) - 1)))))
    return sorted_values[k]


def report(label: str, samples: List[float]) -> None:
    s = sorted(samples)
    print(f"{label:<28} n={len(s):>5}  p50 {percentile(s, .5) * 1000:6.2f} ms  "
          f"p95 {percentile(s, .95) * 1000:6.2f} ms  p99 {percentile(s, .99) * 1000:6.2f} ms  "
          f"max {s[-1] * 1000:6.2f} ms  mean {statistics.mean(s) * 1000:5.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "tests" / "privacy" / "pii_blind.yml")
    parser.add_argument("--passes", type=int, default=3)
    args = parser.parse_args()

    from bot.privacy import ner
    from bot.privacy.masking import mask_text
    from bot.privacy.settings import MaskingSettings

    settings = MaskingSettings()
    texts = [item["text"] for item in load(args.data)]
    t0 = time.perf_counter()
    for text in WARM_UP:
        mask_text(text, settings)
    print(f"warm-up (word lists and NER loaded): {time.perf_counter() - t0:.1f} s; "
          f"NER available: {ner.available()}")

    ner_calls = 0
    original = ner.person_spans

    def counting(text: str):
        nonlocal ner_calls
        ner_calls += 1
        return original(text)

    ner.person_spans = counting
    first: List[float] = []
    every: List[float] = []
    try:
        for n in range(args.passes):
            for text in texts:
                start = time.perf_counter()
                mask_text(text, settings)
                elapsed = time.perf_counter() - start
                every.append(elapsed)
                if n == 0:
                    first.append(elapsed)
    finally:
        ner.person_spans = original
    print(f"{len(texts)} messages, mean length {statistics.mean(map(len, texts)):.0f} characters; "
          f"the NER ran for {ner_calls / args.passes / len(texts):.0%} of them")
    report("first pass", first)
    report(f"all {args.passes} passes", every)


if __name__ == "__main__":
    main()
