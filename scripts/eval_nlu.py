"""Evaluate the trained model on a held-out NLU set: intent accuracy and macro F1, per label.

Retrieval intents count with their topic ("faq/cost"), so a right intent with the wrong answer is
wrong. Two formats: Rasa NLU YAML (one label per example), or a list of {text, labels, style}
(tests/nlu/blind_questions_10.yml: any listed label is right; also accuracy per style and how many
out-of-scope questions were given scheme facts). Prints a table and writes JSON (default
results/nlu_heldout.json).
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


OUT_OF_SCOPE = "out_of_scope"


def gives_scheme_facts(label: str) -> bool:
    """Whether a prediction makes the assistant answer with facts about the scheme."""
    return label.startswith("faq") or label == "check_eligibility"


def load_examples(data: Path) -> List[Dict]:
    """[{text, labels, style}] from either format."""
    import yaml

    raw = yaml.safe_load(data.read_text(encoding="utf-8"))
    if isinstance(raw, list):
        return [{"text": e["text"], "labels": list(e["labels"]), "style": e.get("style", "")}
                for e in raw]
    from rasa.shared.nlu.training_data.loading import load_data

    return [{"text": ex.get("text"), "labels": [ex.get("intent_response_key") or ex.get("intent")],
             "style": ""} for ex in load_data(str(data)).intent_examples]


def by_style(details: List[Dict]) -> Dict[str, Dict]:
    styles: Dict[str, List[bool]] = {}
    for d in details:
        if d["style"]:
            styles.setdefault(d["style"], []).append(d["right"])
    return {s: {"n": len(v), "accuracy": sum(v) / len(v)} for s, v in sorted(styles.items())}


async def evaluate(model: Path, data: Path, agent=None) -> Dict:
    """Score `data` with the model (or an already loaded Agent of it)."""
    from rasa.core.agent import Agent

    if agent is None and not Path(model).is_file():
        # Rasa would quietly load the newest model in that folder instead.
        raise FileNotFoundError(f"no model file {model}")
    agent = agent or Agent.load(str(model))
    pairs, details = [], []
    for ex in load_examples(data):
        parse = await agent.parse_message(ex["text"])
        pred = predicted_label(parse)
        right = pred in ex["labels"]
        pairs.append((pred if right else ex["labels"][0], pred))
        details.append({"text": ex["text"], "gold": ex["labels"], "predicted": pred,
                        "style": ex["style"], "right": right})
    result = scores(pairs)
    result["errors"] = [d for d in details if not d["right"]]
    result["per_style"] = by_style(details)
    oos = [d for d in details if d["gold"] == [OUT_OF_SCOPE]]
    result["out_of_scope"] = {
        "n": len(oos),
        "given_scheme_facts": [d["text"] for d in oos if gives_scheme_facts(d["predicted"])],
    }
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
    for style, v in result["per_style"].items():
        print(f"style {style:20s} accuracy {v['accuracy']:.3f}  (n={v['n']})")
    for e in result["errors"]:
        print(f"  miss: {e['text']!r}: {e['gold']} -> {e['predicted']}")
    oos = result["out_of_scope"]
    if oos["n"]:
        print(f"out-of-scope questions: {oos['n']}, given scheme facts: "
              f"{len(oos['given_scheme_facts'])}")
    print(f"held-out messages: {result['n']}  intent accuracy: {result['accuracy']:.3f}  "
          f"macro F1: {result['macro_f1']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
