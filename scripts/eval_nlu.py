"""Evaluate the trained model on the held-out NLU set: intent accuracy and macro F1, per label.

Retrieval intents count with their topic ("faq/cost"), so a right intent with the wrong answer is
wrong. Prints a table and writes JSON (default results/nlu_heldout.json).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Dict, List, Tuple

ROOT = Path(__file__).resolve().parent.parent


def predicted_label(parse: Dict) -> str:
    intent = (parse.get("intent") or {}).get("name") or "none"
    if intent == "faq":
        selected = ((parse.get("response_selector") or {}).get("faq") or {}).get("response") or {}
        return selected.get("intent_response_key") or "faq"
    return intent


def scores(pairs: List[Tuple[str, str]]) -> Dict:
    labels = sorted({gold for gold, _ in pairs})
    tp, fp, fn = Counter(), Counter(), Counter()
    for gold, pred in pairs:
        if gold == pred:
            tp[gold] += 1
        else:
            fn[gold] += 1
            fp[pred] += 1
    per_label = {}
    for label in labels:
        p = tp[label] / (tp[label] + fp[label]) if tp[label] + fp[label] else 0.0
        r = tp[label] / (tp[label] + fn[label]) if tp[label] + fn[label] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        per_label[label] = {"precision": p, "recall": r, "f1": f, "support": tp[label] + fn[label]}
    return {
        "n": len(pairs),
        "accuracy": sum(tp.values()) / len(pairs),
        "macro_f1": sum(v["f1"] for v in per_label.values()) / len(per_label),
        "per_label": per_label,
    }


async def evaluate(model: Path, data: Path) -> Dict:
    from rasa.core.agent import Agent
    from rasa.shared.nlu.training_data.loading import load_data

    agent = Agent.load(str(model))
    examples = load_data(str(data)).intent_examples
    pairs, details = [], []
    for ex in examples:
        gold = ex.get("intent_response_key") or ex.get("intent")
        parse = await agent.parse_message(ex.get("text"))
        pred = predicted_label(parse)
        pairs.append((gold, pred))
        details.append({"text": ex.get("text"), "gold": gold, "predicted": pred})
    result = scores(pairs)
    result["errors"] = [d for d in details if d["gold"] != d["predicted"]]
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "barnekoordinator.tar.gz")
    parser.add_argument("--data", type=Path, default=ROOT / "tests" / "nlu" / "heldout.yml")
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "nlu_heldout.json")
    args = parser.parse_args()
    result = asyncio.run(evaluate(args.model, args.data))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    for label, v in sorted(result["per_label"].items()):
        print(f"{label:28s} F1 {v['f1']:.2f}  (n={v['support']})")
    for e in result["errors"]:
        print(f"  miss: {e['text']!r}: {e['gold']} -> {e['predicted']}")
    print(f"held-out messages: {result['n']}  intent accuracy: {result['accuracy']:.3f}  "
          f"macro F1: {result['macro_f1']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
